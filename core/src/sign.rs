//! The signatures, for the merchant's server and the sandbox (cargo feature `server`; the browser
//! package never enables it), as the gateway's documentation of each call defines them:
//!
//! - the DAPI signatures (`session.signature` of initiate sale, `session.checkSignature` of check
//!   sale) are HMAC-SHA1, keyed with the merchant control key without its dashes, hex-decoded;
//! - the /api/v2 `control` is SHA-1 over the request's parts followed by the control key as it is.
//!
//! ```
//! use connpay_core::sign::{MerchantControl, SessionSignatureFields};
//!
//! let key = MerchantControl::new("B17F59B4-A7DC-41B4-8FF9-37D986B43D20").unwrap();
//! let fields = SessionSignatureFields {
//!     access_token: "TOKEN", serial_number: "SN1", endpoint_id: "1111", nonce: "NONCE",
//!     invoice_id: "INV1", amount_centis: 1042, currency: "USD",
//! };
//! let signature = key.session_signature(&fields);
//! assert_eq!(signature, "37718e2b42c63438d9b6e80553437ee8f319b481");
//! assert!(key.verify_hmac(&fields.message(), "37718E2B42C63438D9B6E80553437EE8F319B481"));
//! ```

use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};

use crate::percent::hex_value;
use crate::v2::ControlParts;

/// The merchant's control key: the one secret of the merchant's server. Its `Debug` shows
/// nothing of it.
#[derive(Clone)]
pub struct MerchantControl {
    /// As issued (`B17F59B4-A7DC-…`): the v2 `control` appends it verbatim.
    text: String,
    /// Without dashes, hex-decoded: the HMAC key of the DAPI signatures.
    hmac_key: Vec<u8>,
}

impl std::fmt::Debug for MerchantControl {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("MerchantControl(<secret>)")
    }
}

/// Why a control key was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Without its dashes the key is not an even number of hex digits, at least
    /// [`MIN_KEY_DIGITS`]: a truncated key would sign, and every signature would then fail.
    NotHex,
    /// One digit repeated (`00000000-0000-…`): a placeholder, never a key the gateway issued;
    /// signing with it would let anyone sign.
    OneDigit,
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            KeyError::NotHex => {
                "the merchant control key must be at least 32 hex digits (16 bytes, as issued: B17F59B4-A7DC-…), optionally grouped by dashes"
            }
            KeyError::OneDigit => "the merchant control key is one digit repeated: a placeholder, not the key the gateway issued",
        })
    }
}

impl std::error::Error for KeyError {}

/// The fewest hex digits a control key has: the keys the gateway issues are 16 bytes.
pub const MIN_KEY_DIGITS: usize = 32;

impl MerchantControl {
    /// Reads a control key such as `B17F59B4-A7DC-41B4-8FF9-37D986B43D20`.
    pub fn new(key: &str) -> Result<MerchantControl, KeyError> {
        let key = key.trim();
        let digits: Vec<u8> = key.bytes().filter(|&b| b != b'-').collect();
        if digits.len() < MIN_KEY_DIGITS || digits.len() % 2 != 0 {
            return Err(KeyError::NotHex);
        }
        let hmac_key = digits
            .chunks(2)
            .map(|pair| Some(hex_value(pair[0])? << 4 | hex_value(pair[1])?))
            .collect::<Option<Vec<u8>>>()
            .ok_or(KeyError::NotHex)?;
        if digits.iter().all(|digit| digit.eq_ignore_ascii_case(&digits[0])) {
            return Err(KeyError::OneDigit);
        }
        Ok(MerchantControl { text: key.to_string(), hmac_key })
    }

    /// HMAC-SHA1 of `message`, lower-case hex.
    pub fn hmac_hex(&self, message: &str) -> String {
        // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
        let mut mac = Hmac::<Sha1>::new_from_slice(&self.hmac_key).expect("HMAC accepts any key length");
        mac.update(message.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// Whether `signature` (hex, either case) is the HMAC of `message`, compared in constant time.
    pub fn verify_hmac(&self, message: &str, signature: &str) -> bool {
        signatures_match(&self.hmac_hex(message), signature)
    }

    /// `session.signature` of initiate sale.
    pub fn session_signature(&self, fields: &SessionSignatureFields<'_>) -> String {
        self.hmac_hex(&fields.message())
    }

    /// `session.checkSignature` of check sale.
    pub fn check_signature(&self, fields: &CheckSignatureFields<'_>) -> String {
        self.hmac_hex(&fields.message())
    }

    /// The /api/v2/sale `control`: SHA-1 of the parts and the key, lower-case hex.
    pub fn v2_sale_control(&self, parts: &ControlParts) -> String {
        self.sha1_with_key(&parts.signing_string_without_key())
    }

    /// The /api/v2/status `control`: SHA-1 of `login`, `client_orderid`, `orderid` and the key.
    pub fn v2_status_control(&self, login: &str, client_order_id: &str, order_id: &str) -> String {
        self.sha1_with_key(&format!("{login}{client_order_id}{order_id}"))
    }

    /// The `control` of the gateway's /api/v2 callback and of the payer's return: SHA-1 of
    /// `status`, `orderid`, `client_orderid` and the key, as the gateway's callback documentation
    /// writes it.
    pub fn v2_callback_control(&self, status: &str, order_id: &str, client_order_id: &str) -> String {
        self.sha1_with_key(&format!("{status}{order_id}{client_order_id}"))
    }

    fn sha1_with_key(&self, parts: &str) -> String {
        let mut hasher = Sha1::new();
        hasher.update(parts.as_bytes());
        hasher.update(self.text.as_bytes());
        hex(&hasher.finalize())
    }
}

/// What `session.signature` signs (initiate sale).
#[derive(Clone, Copy, Debug)]
pub struct SessionSignatureFields<'a> {
    /// `session.accessToken`.
    pub access_token: &'a str,
    /// `consumer.device.serialNumber`.
    pub serial_number: &'a str,
    /// The endpoint id.
    pub endpoint_id: &'a str,
    /// `session.nonce`.
    pub nonce: &'a str,
    /// The invoice id.
    pub invoice_id: &'a str,
    /// `transaction.amountCentis`.
    pub amount_centis: u64,
    /// `transaction.currency`.
    pub currency: &'a str,
}

impl SessionSignatureFields<'_> {
    /// The signed message: the values concatenated without separators.
    pub fn message(&self) -> String {
        format!(
            "{}{}{}{}{}{}{}",
            self.access_token, self.serial_number, self.endpoint_id, self.nonce, self.invoice_id, self.amount_centis, self.currency
        )
    }
}

/// What `session.checkSignature` signs (check sale).
#[derive(Clone, Copy, Debug)]
pub struct CheckSignatureFields<'a> {
    /// `consumer.device.serialNumber`.
    pub serial_number: &'a str,
    /// `session.nonce`.
    pub nonce: &'a str,
    /// The endpoint id.
    pub endpoint_id: &'a str,
    /// The invoice id.
    pub invoice_id: &'a str,
    /// The stored card's server id, when the sale used one.
    pub server_card_id: Option<&'a str>,
}

impl CheckSignatureFields<'_> {
    /// The signed message: the values concatenated without separators.
    pub fn message(&self) -> String {
        format!("{}{}{}{}{}", self.serial_number, self.nonce, self.endpoint_id, self.invoice_id, self.server_card_id.unwrap_or(""))
    }
}

/// Whether two hex signatures are equal, ignoring case, in time that depends only on their length.
pub fn signatures_match(expected: &str, given: &str) -> bool {
    secrets_match(&expected.to_ascii_lowercase(), &given.to_ascii_lowercase())
}

/// Whether two secrets (access tokens, nonces, session tokens) are exactly equal, in time that
/// depends only on their length: a byte-by-byte `==` tells an attacker how much was right.
/// `subtle`'s comparison looks at every byte pair, whatever the first difference, and keeps the
/// optimiser from turning it into an early exit.
pub fn secrets_match(expected: &str, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20";

    #[test]
    fn the_dapi_hmac_test_vector() {
        let key = MerchantControl::new(KEY).unwrap();
        assert_eq!(key.hmac_hex("TOKENSN11111NONCEINV11042USD"), "37718e2b42c63438d9b6e80553437ee8f319b481");
        assert!(key.verify_hmac("TOKENSN11111NONCEINV11042USD", "37718E2B42C63438D9B6E80553437EE8F319B481"));
        assert!(!key.verify_hmac("TOKENSN11111NONCEINV11043USD", "37718e2b42c63438d9b6e80553437ee8f319b481"));
        assert!(!key.verify_hmac("TOKENSN11111NONCEINV11042USD", "37718e2b"));
        let fields = SessionSignatureFields {
            access_token: "TOKEN",
            serial_number: "SN1",
            endpoint_id: "1111",
            nonce: "NONCE",
            invoice_id: "INV1",
            amount_centis: 1042,
            currency: "USD",
        };
        assert_eq!(fields.message(), "TOKENSN11111NONCEINV11042USD");
        assert_eq!(key.session_signature(&fields), "37718e2b42c63438d9b6e80553437ee8f319b481");
    }

    #[test]
    fn the_check_signature_signs_its_fields_in_order() {
        let key = MerchantControl::new(KEY).unwrap();
        let mut fields =
            CheckSignatureFields { serial_number: "SN1", nonce: "NONCE", endpoint_id: "1111", invoice_id: "INV", server_card_id: None };
        assert_eq!(fields.message(), "SN1NONCE1111INV");
        assert_eq!(key.check_signature(&fields), key.hmac_hex("SN1NONCE1111INV"));
        fields.server_card_id = Some("CARD7");
        assert_eq!(key.check_signature(&fields), key.hmac_hex("SN1NONCE1111INVCARD7"));
    }

    #[test]
    fn the_v2_control_test_vector() {
        let key = MerchantControl::new(KEY).unwrap();
        let parts = ControlParts {
            endpoint: "1111".into(),
            client_order_id: "902B4FF5".into(),
            amount_minor_units: 1042,
            email: "john.smith@gmail.com".into(),
        };
        assert_eq!(parts.signing_string_without_key(), "1111902B4FF51042john.smith@gmail.com");
        assert_eq!(key.v2_sale_control(&parts), "c6bdd88a78834ef4b863b088827a459f039e8257");
    }

    #[test]
    fn the_v2_status_and_callback_controls_sign_their_parts_in_order() {
        // SHA-1 of the parts and the key as written, computed apart from this code.
        let key = MerchantControl::new(KEY).unwrap();
        assert_eq!(key.v2_status_control("shop", "A-1", "6768789"), "ca89fc8d54e72833d018668b3c69bf9a3dddfe73");
        assert_eq!(key.v2_callback_control("approved", "6768789", "A-1"), "895b7ed86981515f95ccdaa713c146762fa3330d");
    }

    #[test]
    fn secrets_match_exactly_and_signatures_in_either_case() {
        assert!(secrets_match("abcDEF", "abcDEF"));
        assert!(!secrets_match("abcDEF", "abcdef"));
        assert!(!secrets_match("abc", "abcd"));
        assert!(signatures_match("abcDEF", "ABCdef"));
        assert!(!signatures_match("abcDEF", "abcDEe"));
        // Two bytes swapped: equal as a checksum of the bytes (a fold by `^` or `+`), not equal.
        assert!(!secrets_match("abcDEF", "bacDEF"));
        assert!(!signatures_match("ab12", "ba12"));
        // Differences that cancel in a sum or an exclusive or over the bytes.
        assert!(!secrets_match("ac", "bb"));
        assert!(!secrets_match("", "a"));
        assert!(secrets_match("", ""));
    }

    #[test]
    fn keys_must_be_hex() {
        assert_eq!(MerchantControl::new(KEY).unwrap().hmac_key.len(), 16);
        for bad in ["", "-", "ABC", "XYZW", "abcd", "B17F59B4-A7DC-41B4-8FF9-37D986B43D2G", "B17F59B4-A7DC-41B4-8FF9-37D986B43D"] {
            assert_eq!(MerchantControl::new(bad).unwrap_err(), KeyError::NotHex, "{bad}");
        }
        assert_eq!(format!("{:?}", MerchantControl::new(KEY).unwrap()), "MerchantControl(<secret>)");
        for placeholder in
            ["0".repeat(32), "00000000-0000-0000-0000-000000000000".into(), "aAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaA".into(), "F".repeat(40)]
        {
            assert_eq!(MerchantControl::new(&placeholder).unwrap_err(), KeyError::OneDigit, "{placeholder}");
        }
        // Two digits are a key: only one repeated is a placeholder.
        assert!(MerchantControl::new(&format!("{}1", "0".repeat(31))).is_ok());
        assert_ne!(KeyError::OneDigit.to_string(), KeyError::NotHex.to_string());
    }
}
