//! The /api/v2 signatures: the sale's and the status's `control`, and the checks
//! of the gateway's callback and of the payer's return.

use connpay_core::card::YearMonth;
use connpay_core::schema::{text, walk, Field, Necessity::*, Reading, Rule, Unknown};
use connpay_core::sign::signatures_match;
use connpay_core::v2::{check_v2_sale, ControlParts};
use connpay_core::value::{Got, Value};
use connpay_core::{ErrorCode, FieldError};

use crate::Merchant;

/// What the sale `control` signs, and nothing else: a request that carries anything more (a card
/// number, a CVV) is refused, not ignored, so a page cannot make the server handle card data.
const CONTROL_REQUEST: &[Field] = &[
    text("endpointId", Optional, 0, 0, Rule::Any),
    text("endpointGroupId", Optional, 0, 0, Rule::Any),
    text("clientOrderId", Required, 0, 0, Rule::Any),
    text("amount", Required, 0, 0, Rule::Any),
    text("currency", Required, 0, 0, Rule::Any),
    text("email", Required, 0, 0, Rule::Any),
];

/// The statuses the gateway's callback (`server_callback_url`) and the payer's return (`redirect_url`) carry.
pub const V2_CALLBACK_STATUSES: &[&str] = &["approved", "declined", "filtered", "error"];

impl Merchant {
    /// The /api/v2/sale `control`: SHA-1 of the endpoint (or endpoint group) + `clientOrderId` +
    /// the amount in minor units + `email` + the key, lower-case hex. `request` is `{ endpointId
    /// | endpointGroupId, clientOrderId, amount, currency, email }` with `amount` as the form
    /// sends it, in major units (`"10.42"`), turned into minor units by the currency's ISO 4217
    /// exponent in decimal, never in floating point. Without an endpoint, the merchant's own.
    /// Each part is checked by the /api/v2/sale rules; `Err` lists every problem.
    pub fn v2_sale_control<V: Value>(&self, request: &V, today: YearMonth) -> Result<String, Vec<FieldError>> {
        let reading = Reading { today, trim: false, unknown: Unknown::Refuse };
        let checked = walk(&[CONTROL_REQUEST], request, reading);
        if !checked.errors.is_empty() {
            return Err(checked.errors);
        }
        let mut parts = checked.record;
        if !parts.has("endpointId") && !parts.has("endpointGroupId") {
            match self.endpoint_id() {
                Some(own) => parts.set("endpointId", Got::from(own)),
                None => return Err(vec![problem("endpointId", ErrorCode::RequestRequired)]),
            }
        }
        // Only the signed parts' own rules apply here (the either-or of the endpoints, the amount
        // in the currency's decimals); the rest of the sale is the gateway's to check.
        let signed = ["endpointId", "endpointGroupId", "clientOrderId", "amount", "currency", "email"];
        let errors: Vec<FieldError> = check_v2_sale(&&Got::Record(parts.clone()), today)
            .errors
            .into_iter()
            .filter(|error| signed.contains(&error.path.as_str()) && error.code != ErrorCode::RequestRequired)
            .collect();
        match ControlParts::of(&parts) {
            Some(control_parts) if errors.is_empty() => Ok(self.key().v2_sale_control(&control_parts)),
            _ if errors.is_empty() => Err(vec![problem("amount", ErrorCode::RequestInvalid)]),
            _ => Err(errors),
        }
    }

    /// The /api/v2/status `control`: SHA-1 of `login` + `client_orderid` + `orderid` + the key.
    /// Without a login, the merchant's own (`None` when it has none either).
    pub fn v2_status_control(&self, login: Option<&str>, client_order_id: &str, order_id: &str) -> Option<String> {
        let login = login.or(self.login())?;
        Some(self.key().v2_status_control(login, client_order_id, order_id))
    }

    /// Whether the gateway's callback to `server_callback_url`, or the payer's return to
    /// `redirect_url`, is the gateway's: `control` = SHA-1 of `status` + `orderid` +
    /// `client_orderid` + the key, compared case-insensitively in constant time. `param` gives
    /// each parameter as the gateway sent it. `client_orderid` may come as `merchant_order`
    /// (both, if both are sent, must agree); `status` must be one of [`V2_CALLBACK_STATUSES`].
    /// A return's parameters are the payer's to change: even a verified one only says what the
    /// gateway said; ask the status before shipping.
    pub fn verify_v2_callback<'a>(&self, param: impl Fn(&str) -> Option<&'a str>) -> bool {
        let client_order_id = match (param("client_orderid"), param("merchant_order")) {
            (Some(one), Some(other)) if one != other => return false,
            (Some(id), _) | (None, Some(id)) => id,
            (None, None) => return false,
        };
        let (Some(status), Some(order_id), Some(control)) = (param("status"), param("orderid"), param("control")) else {
            return false;
        };
        let expected = self.key().v2_callback_control(status, order_id, client_order_id);
        // Both are computed before either answer, so that neither check's time tells about the other.
        let signed = signatures_match(&expected, control);
        signed && V2_CALLBACK_STATUSES.contains(&status)
    }
}

fn problem(path: &str, code: ErrorCode) -> FieldError {
    FieldError { path: path.to_string(), code, message: code.detail().to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20";
    const TODAY: YearMonth = YearMonth::LATEST;

    fn merchant() -> Merchant {
        Merchant::new(KEY, Some("1111".into()), Some("shop".into())).unwrap()
    }

    fn sha1_hex(text: &str) -> String {
        use sha1_reference::sha1;
        sha1(text)
    }

    /// SHA-1 written out from FIPS 180-4, independent of the crate the core uses: the vectors are
    /// checked against the formula, not against the same code.
    mod sha1_reference {
        pub fn sha1(text: &str) -> String {
            let mut message = text.as_bytes().to_vec();
            let bits = (message.len() as u64) * 8;
            message.push(0x80);
            while message.len() % 64 != 56 {
                message.push(0);
            }
            message.extend_from_slice(&bits.to_be_bytes());
            let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
            for block in message.chunks(64) {
                let mut w = [0u32; 80];
                for i in 0..16 {
                    w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
                }
                for i in 16..80 {
                    w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
                }
                let [mut a, mut b, mut c, mut d, mut e] = h;
                for (i, word) in w.iter().enumerate() {
                    let (f, k) = match i {
                        0..=19 => ((b & c) | (!b & d), 0x5A827999),
                        20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                        40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                        _ => (b ^ c ^ d, 0xCA62C1D6),
                    };
                    let next = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*word);
                    (e, d, c, b, a) = (d, c, b.rotate_left(30), a, next);
                }
                for (state, value) in h.iter_mut().zip([a, b, c, d, e]) {
                    *state = state.wrapping_add(value);
                }
            }
            h.iter().map(|word| format!("{word:08x}")).collect()
        }
    }

    #[test]
    fn the_reference_sha1_agrees_with_the_facts_vector() {
        assert_eq!(sha1_hex(&format!("1111902B4FF51042john.smith@gmail.com{KEY}")), "c6bdd88a78834ef4b863b088827a459f039e8257");
    }

    #[test]
    fn the_sale_control_signs_minor_units_by_the_currency_exponent() {
        for (amount, currency, minor) in
            [("10.42", "EUR", "1042"), ("0.29", "USD", "29"), ("1.005", "BHD", "1005"), ("156", "JPY", "156"), ("7", "KWD", "7000")]
        {
            let request = json!({ "clientOrderId": "902B4FF5", "amount": amount, "currency": currency, "email": "john.smith@gmail.com" });
            let expected = sha1_hex(&format!("1111902B4FF5{minor}john.smith@gmail.com{KEY}"));
            assert_eq!(merchant().v2_sale_control(&&request, TODAY), Ok(expected), "{amount} {currency}");
        }
        let group = json!({ "endpointGroupId": "77", "clientOrderId": "A1", "amount": "1.00", "currency": "EUR", "email": "a@b.co" });
        assert_eq!(merchant().v2_sale_control(&&group, TODAY), Ok(sha1_hex(&format!("77A1100a@b.co{KEY}"))));
    }

    #[test]
    fn the_sale_control_refuses_what_it_cannot_sign_exactly() {
        let paths = |request: serde_json::Value| -> Vec<String> {
            merchant().v2_sale_control(&&request, TODAY).unwrap_err().into_iter().map(|error| error.path).collect()
        };
        let base = json!({ "clientOrderId": "A1", "amount": "1.00", "currency": "EUR", "email": "a@b.co" });
        let with = |key: &str, value: serde_json::Value| {
            let mut request = base.clone();
            request[key] = value;
            request
        };
        assert_eq!(paths(with("amount", json!("1.005"))), ["amount"]);
        assert_eq!(paths(with("amount", json!(1.0))), ["amount"]);
        assert_eq!(paths(with("currency", json!("XAU"))), ["currency"]);
        assert_eq!(paths(with("creditCardNumber", json!("4111111111111111"))), ["creditCardNumber"]);
        let mut both = with("endpointGroupId", json!("77"));
        both["endpointId"] = json!("1111");
        assert!(!paths(both).is_empty());
        let no_endpoint = Merchant::new(KEY, None, None).unwrap();
        assert_eq!(no_endpoint.v2_sale_control(&&base, TODAY).unwrap_err()[0].path, "endpointId");
    }

    #[test]
    fn the_status_control_signs_login_order_ids_and_key() {
        assert_eq!(merchant().v2_status_control(None, "A1", "6768789"), Some(sha1_hex(&format!("shopA16768789{KEY}"))));
        assert_eq!(merchant().v2_status_control(Some("other"), "A1", "1"), Some(sha1_hex(&format!("otherA11{KEY}"))));
        assert_eq!(Merchant::new(KEY, None, None).unwrap().v2_status_control(None, "A1", "1"), None);
    }

    #[test]
    fn callbacks_verify_only_as_the_gateway_signed_them() {
        let control = sha1_hex(&format!("approved6768789A1{KEY}"));
        let verify = |pairs: &[(&str, &str)]| merchant().verify_v2_callback(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v));
        assert!(verify(&[("status", "approved"), ("orderid", "6768789"), ("client_orderid", "A1"), ("control", &control)]));
        assert!(verify(&[("status", "approved"), ("orderid", "6768789"), ("merchant_order", "A1"), ("control", &control.to_uppercase())]));
        assert!(verify(&[
            ("status", "approved"),
            ("orderid", "6768789"),
            ("client_orderid", "A1"),
            ("merchant_order", "A1"),
            ("control", &control)
        ]));
        // Another status, another order, a forged control, disagreeing order ids, a status outside the list.
        assert!(!verify(&[("status", "declined"), ("orderid", "6768789"), ("client_orderid", "A1"), ("control", &control)]));
        assert!(!verify(&[("status", "approved"), ("orderid", "6768790"), ("client_orderid", "A1"), ("control", &control)]));
        assert!(!verify(&[("status", "approved"), ("orderid", "6768789"), ("client_orderid", "A1"), ("control", &"0".repeat(40))]));
        assert!(!verify(&[
            ("status", "approved"),
            ("orderid", "6768789"),
            ("client_orderid", "A1"),
            ("merchant_order", "A2"),
            ("control", &control)
        ]));
        assert!(!verify(&[("status", "approved"), ("orderid", "6768789"), ("control", &control)]));
        let processing = sha1_hex(&format!("processing6768789A1{KEY}"));
        assert!(!verify(&[("status", "processing"), ("orderid", "6768789"), ("client_orderid", "A1"), ("control", &processing)]));
    }
}
