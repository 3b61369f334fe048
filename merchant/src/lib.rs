//! connpay-merchant: the merchant's server side of a ConnPay checkout, on the core's `server`
//! feature and with no web framework in it. Requests and answers go in, records and answers come
//! out; the server that uses it owns the sockets and the storage (sans-IO): it loads an order,
//! passes it in, and stores what comes back in one transaction. No call waits on the server's
//! storage or the network, and none calls back into it.
//!
//! The unit that may be paid at most once is the shop's [`Order`]; every invoice is an attempt
//! of an order:
//! - [`new_token`]: access tokens and nonces from the operating system's random source;
//! - [`Order::new`], [`Order::set_amount`]: the order, and its amount while nothing is paid or
//!   pending;
//! - [`Merchant::initiate_sale`]: `paid`, `pending` (a sale that may still be approved), or a new
//!   invoice signed for the order's amount, every unconfirmed earlier one voided;
//! - [`Merchant::check_sale`]: the gateway's check sale compared with the invoice and answered
//!   with `checkSignature`, refused while another invoice of the order is approved or pending;
//! - [`Merchant::reconcile`] and [`Merchant::apply_status`]: the sale status of each undecided
//!   invoice, asked and recorded; [`Merchant::settle`]: what the server does when the page could
//!   not learn a sale's outcome;
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
mod order;
mod reply;
mod v2;

pub use connpay_core::sign::{CheckSignatureFields, KeyError, MerchantControl, SessionSignatureFields};
pub use dapi::StatusRead;
pub use invoice::{Invoice, InvoiceState, Sale};
pub use order::{AmountChange, Order, OrderStatus, MAX_INVOICES};
pub use reply::Reply;
pub use v2::{V2Sale, V2StatusRead, V2_CALLBACK_STATUSES};

/// The merchant: its control key, and the endpoint and login the gateway knows it by.
#[derive(Clone)]
pub struct Merchant {
    key: MerchantControl,
    endpoint_id: Option<String>,
    login: Option<String>,
    challenge_lifetime_ms: u64,
}

/// How long a confirmed sale may stay undecided, as the page is told (`until`): gateways keep an
/// abandoned 3-D Secure challenge for 15 to 30 minutes, so the longer.
pub const CHALLENGE_LIFETIME_MS: u64 = 30 * 60 * 1000;

/// Shows the endpoint and the login, never the key.
impl std::fmt::Debug for Merchant {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Merchant").field("endpoint_id", &self.endpoint_id).field("login", &self.login).finish_non_exhaustive()
    }
}

impl Merchant {
    /// A merchant with its control key (`B17F59B4-A7DC-…`), its DAPI endpoint (needed for
    /// initiate and check sale; a shop that uses only /api/v2 may have none) and its /api/v2
    /// login (for the status `control`).
    pub fn new(control_key: &str, endpoint_id: Option<String>, login: Option<String>) -> Result<Merchant, KeyError> {
        Ok(Merchant { key: MerchantControl::new(control_key)?, endpoint_id, login, challenge_lifetime_ms: CHALLENGE_LIFETIME_MS })
    }

    /// The same merchant, telling payers that a confirmed sale may stay undecided for
    /// `milliseconds` after check sale (the gateway's challenge lifetime, when it is known to be
    /// shorter or longer than [`CHALLENGE_LIFETIME_MS`]).
    pub fn with_challenge_lifetime(self, milliseconds: u64) -> Merchant {
        Merchant { challenge_lifetime_ms: milliseconds, ..self }
    }

    /// How long a confirmed sale may stay undecided after check sale, in milliseconds.
    pub fn challenge_lifetime_ms(&self) -> u64 {
        self.challenge_lifetime_ms
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
