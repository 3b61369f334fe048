//! connpay-merchant: the merchant's server side of a ConnPay checkout, on the core's `server`
//! feature and with no web framework in it. Requests and answers go in, records and answers come
//! out; the server that uses it owns the sockets and the storage (sans-IO).
//!
//! - [`new_token`]: access tokens and nonces from the operating system's random source;
//! - [`Merchant::initiate_sale`]: the page's request validated, the invoice signed, and the
//!   [`Invoice`] the server must keep;
//! - [`Merchant::check_sale`]: the gateway's check sale (spec `004`) compared with that record and
//!   answered with `checkSignature`, or with the spec's fail answer; an invoice is confirmed once;
//! - [`Merchant::status_request`]: what the server asks before it ships; [`Merchant::settle`]:
//!   what it does when the page could not learn a sale's outcome;
//! - [`Merchant::v2_sale_control`], [`Merchant::v2_status_control`] and
//!   [`Merchant::verify_v2_callback`]: the /api/v2 signatures.
//!
//! Every signature is compared case-insensitively in constant time, every token exactly in
//! constant time ([`connpay_core::sign`]). The sandbox's merchant side is built on this crate, and
//! so is the Node package `connpay-checkout-server` (feature `node`).
#![deny(missing_docs)]

mod dapi;
mod invoice;
#[cfg(feature = "node")]
mod node;
mod reply;
mod v2;

pub use connpay_core::sign::{CheckSignatureFields, KeyError, MerchantControl, SessionSignatureFields};
pub use dapi::Settlement;
pub use invoice::{Invoice, InvoiceState};
pub use reply::Reply;
pub use v2::V2_CALLBACK_STATUSES;

/// The merchant: its control key, and the endpoint and login the gateway knows it by.
#[derive(Clone)]
pub struct Merchant {
    key: MerchantControl,
    endpoint_id: Option<String>,
    login: Option<String>,
}

/// Shows the endpoint and the login, never the key.
impl std::fmt::Debug for Merchant {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Merchant")
            .field("endpoint_id", &self.endpoint_id)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

impl Merchant {
    /// A merchant with its control key (`B17F59B4-A7DC-…`), its DAPI endpoint (needed for
    /// initiate and check sale; a shop that uses only /api/v2 may have none) and its /api/v2
    /// login (for the status `control`).
    pub fn new(control_key: &str, endpoint_id: Option<String>, login: Option<String>) -> Result<Merchant, KeyError> {
        Ok(Merchant { key: MerchantControl::new(control_key)?, endpoint_id, login })
    }

    /// The endpoint, if configured.
    pub fn endpoint_id(&self) -> Option<&str> {
        self.endpoint_id.as_deref()
    }

    /// The /api/v2 login, if configured.
    pub fn login(&self) -> Option<&str> {
        self.login.as_deref()
    }

    /// The key, for the signatures.
    pub fn key(&self) -> &MerchantControl {
        &self.key
    }
}

/// How many random bytes a token has: 64 hex characters, inside the spec's 32–128.
const TOKEN_BYTES: usize = 32;

/// A new access token or nonce: 64 lower-case hex characters from the operating system's random
/// source (`crypto.getRandomValues` under Node). `None` only when that source fails, and then no
/// token can be made safely at all.
pub fn new_token() -> Option<String> {
    random_hex(TOKEN_BYTES)
}

/// `bytes` random bytes as lower-case hex.
pub(crate) fn random_hex(bytes: usize) -> Option<String> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).ok()?;
    Some(buffer.iter().map(|byte| format!("{byte:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_inside_the_spec_lengths() {
        let (one, two) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(one.len(), 64);
        assert!(one.bytes().all(|byte| byte.is_ascii_hexdigit()));
        assert_ne!(one, two);
    }

    #[test]
    fn the_key_never_shows() {
        let merchant = Merchant::new("B17F59B4-A7DC-41B4-8FF9-37D986B43D20", Some("1111".into()), None).unwrap();
        let shown = format!("{merchant:?}");
        assert!(shown.contains("1111") && !shown.contains("B17F59B4"), "{shown}");
        assert_eq!(Merchant::new("not hex", None, None).unwrap_err(), KeyError::NotHex);
    }
}
