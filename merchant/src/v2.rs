//! The /api/v2 signatures: the sale's and the status's `control`, and the checks
//! of the gateway's callback and of the payer's return.

use connpay_core::card::YearMonth;
use connpay_core::gateway::Gateway;
use connpay_core::percent::{encode_segment, form_body};
use connpay_core::sale::HttpRequest;
use connpay_core::schema::{text, walk, Field, Necessity::*, Reading, Rule, Unknown};
use connpay_core::sign::signatures_match;
use connpay_core::v2::{check_v2_sale, currency_exponent, minor_units, parse_v2_status, ControlParts, V2StatusBody};
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

/// The final statuses of a /api/v2 sale; `processing` and `unknown` are not.
const V2_FINAL_STATUSES: &[&str] = &["approved", "declined", "filtered", "error"];

/// A v2 sale, as the merchant signed it: what its status answer is read against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V2Sale<'a> {
    /// The merchant's `client_orderid`.
    pub client_order_id: &'a str,
    /// The gateway's `orderid` (`paynet-order-id` of the sale's answer).
    pub order_id: &'a str,
    /// The amount signed, in minor units (`10.42` EUR is 1042: [`minor_units`] of the form's
    /// amount by the currency's exponent).
    pub amount_centis: u64,
    /// The currency signed.
    pub currency: &'a str,
}

/// What /api/v2/status answered about a v2 sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum V2StatusRead {
    /// The sale's status.
    Status {
        /// `approved`, `declined`, `filtered`, `error` (final), `processing` (also for an answer
        /// with none) or `unknown` (also for a status this version does not know).
        status: String,
        /// Approved, for the amount and currency signed: the one answer to ship on. An approval
        /// of any other amount or currency, or of none stated, is not this sale's payment.
        paid: bool,
        /// What the answer says was charged, in minor units; `None` when it states no amount
        /// this currency can have.
        amount_centis: Option<u64>,
        /// What the answer says was charged: the currency.
        currency: Option<String>,
        /// Where 3-D Secure waits for the payer: a page (`redirect-url`) or one to show (`html`).
        redirect_url: Option<String>,
        /// The 3-D Secure page to show the payer, when the answer gives one instead of a URL.
        html: Option<String>,
    },
    /// The gateway refused the request (`validation-error`, `error`): its words.
    Refused {
        /// `error-message`.
        error_message: Option<String>,
        /// `error-code`.
        error_code: Option<String>,
    },
    /// No answer about this sale: another HTTP status than 200, a body that is no v2 status
    /// answer (a proxy's page), or one about another order. Ask again later.
    Unusable,
}

impl V2StatusRead {
    /// Whether the status is final: `approved`, `declined`, `filtered` or `error`.
    pub fn is_final(&self) -> bool {
        matches!(self, V2StatusRead::Status { status, .. } if V2_FINAL_STATUSES.contains(&status.as_str()))
    }
}

/// A charged amount in minor units: the gateway may write more decimals than the currency has
/// (`10.420` EUR), all zeros past them.
fn charged_minor_units(amount: &str, exponent: u32) -> Option<u64> {
    let trimmed = match amount.split_once('.') {
        Some((whole, fraction)) if fraction.len() > exponent as usize => {
            let (kept, past) = fraction.split_at(exponent as usize);
            if !past.bytes().all(|b| b == b'0') {
                return None;
            }
            if kept.is_empty() {
                whole.to_string()
            } else {
                format!("{whole}.{kept}")
            }
        }
        _ => amount.to_string(),
    };
    minor_units(&trimmed, exponent)
}

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

    /// The /api/v2/status request of a v2 sale: `POST {gateway}/paynet/api/v2/status/{endpointId}`
    /// with the form `login`, `client_orderid`, `orderid` and their `control`. Without a login or
    /// an endpoint, the merchant's own; `None` when it has none either.
    pub fn v2_status_request(
        &self,
        gateway: &Gateway,
        endpoint_id: Option<&str>,
        login: Option<&str>,
        client_order_id: &str,
        order_id: &str,
    ) -> Option<HttpRequest> {
        let endpoint_id = endpoint_id.or(self.endpoint_id())?;
        let control = self.v2_status_control(login, client_order_id, order_id)?;
        let login = login.or(self.login())?;
        Some(HttpRequest {
            method: "POST",
            url: format!("{}/paynet/api/v2/status/{}", gateway.base_url(), encode_segment(endpoint_id)),
            headers: &[("Content-Type", "application/x-www-form-urlencoded")],
            body: form_body([("login", login), ("client_orderid", client_order_id), ("orderid", order_id), ("control", control.as_str())]),
        })
    }

    /// The gateway's answer (its HTTP status and body) to the /api/v2/status request of `sale`.
    /// Only an answer about that very order (its `orderid` and `client_orderid`), saying each
    /// part once, is read; its
    /// approval is `paid` only when it names both ids, for the amount and currency signed, which the sale's `control`
    /// binds only in part (the currency not at all): the status answer is the one place the
    /// gateway says what it charged.
    pub fn read_v2_status(http_status: u16, body: &str, sale: &V2Sale<'_>) -> V2StatusRead {
        if http_status != 200 {
            return V2StatusRead::Unusable;
        }
        let answer = match parse_v2_status(body.as_bytes()) {
            Some(V2StatusBody::Status(answer)) => answer,
            Some(V2StatusBody::Refused { error_message, error_code }) => return V2StatusRead::Refused { error_message, error_code },
            None => return V2StatusRead::Unusable,
        };
        let ours = answer.paynet_order_id.as_deref() == Some(sale.order_id)
            && answer.merchant_order_id.as_deref().map_or(true, |id| id == sale.client_order_id);
        if !ours {
            return V2StatusRead::Unusable;
        }
        // A status this version does not know is not final: asked again, as `unknown` is.
        let status = match answer.status.as_deref() {
            None => "processing".to_string(),
            Some(known @ ("approved" | "declined" | "filtered" | "error" | "processing" | "unknown")) => known.to_string(),
            Some(_) => "unknown".to_string(),
        };
        let charged = answer.currency.as_deref().and_then(currency_exponent).zip(answer.amount.as_deref());
        let amount_centis = charged.and_then(|(exponent, amount)| charged_minor_units(amount, exponent));
        // Paid names this order by both ids: an `orderId` the page handed over is only a claim,
        // and another order's approval (the payer's earlier one, of the same amount) must not
        // pay for this one.
        let paid = status == "approved"
            && answer.merchant_order_id.as_deref() == Some(sale.client_order_id)
            && answer.currency.as_deref() == Some(sale.currency)
            && amount_centis == Some(sale.amount_centis);
        V2StatusRead::Status {
            status,
            paid,
            amount_centis,
            currency: answer.currency,
            redirect_url: answer.redirect_url,
            html: answer.html,
        }
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

    #[test]
    fn the_status_request_posts_the_signed_form_to_the_endpoints_status() {
        let gateway = Gateway::parse("https://sandbox.connpay.com").unwrap();
        let request = merchant().v2_status_request(&gateway, None, None, "A 1", "6768789").unwrap();
        assert_eq!(request.url, "https://sandbox.connpay.com/paynet/api/v2/status/1111");
        assert_eq!(request.headers, &[("Content-Type", "application/x-www-form-urlencoded")]);
        let control = sha1_hex(&format!("shopA 16768789{KEY}"));
        assert_eq!(request.body, format!("login=shop&client_orderid=A%201&orderid=6768789&control={control}"));
        let other = merchant().v2_status_request(&gateway, Some("22/3"), Some("other"), "A1", "1").unwrap();
        assert!(other.url.ends_with("/status/22%2F3") && other.body.starts_with("login=other&"));
        let bare = Merchant::new(KEY, None, None).unwrap();
        assert_eq!(bare.v2_status_request(&gateway, None, Some("shop"), "A1", "1"), None, "no endpoint");
        assert_eq!(bare.v2_status_request(&gateway, Some("1111"), None, "A1", "1"), None, "no login");
    }

    #[test]
    fn a_status_answer_is_paid_only_when_approved_for_the_amount_and_currency_signed() {
        let sale = V2Sale { client_order_id: "A1", order_id: "6768789", amount_centis: 1042, currency: "EUR" };
        let read = |body: &str| Merchant::read_v2_status(200, body, &sale);
        let answer = |status: &str, amount: &str, currency: &str| {
            format!("type=status-response\nstatus={status}\npaynet-order-id=6768789\nmerchant-order-id=A1\namount={amount}\ncurrency={currency}\n")
        };
        let paid = |read: V2StatusRead| matches!(read, V2StatusRead::Status { paid: true, .. });
        assert!(paid(read(&answer("approved", "10.42", "EUR"))));
        assert!(paid(read(&answer("approved", "10.420", "EUR"))), "zeros past the currency's decimals");
        let ten_forty = V2Sale { amount_centis: 1040, ..sale.clone() };
        assert!(paid(Merchant::read_v2_status(200, &answer("approved", "10.4", "EUR"), &ten_forty)), "fewer decimals than the currency's");
        assert!(paid(Merchant::read_v2_status(200, &answer("approved", "10.40", "EUR"), &ten_forty)));
        assert_eq!(
            read(&answer("approved", "10.42", "EUR")),
            V2StatusRead::Status {
                status: "approved".into(),
                paid: true,
                amount_centis: Some(1042),
                currency: Some("EUR".into()),
                redirect_url: None,
                html: None
            }
        );
        // Approved, but not what was signed: another amount, another currency, none stated.
        for body in [answer("approved", "10.43", "EUR"), answer("approved", "10.42", "USD"), answer("approved", "10.421", "EUR")] {
            let read = read(&body);
            assert!(!paid(read.clone()) && read.is_final(), "{body}");
        }
        assert!(!paid(read("type=status-response&status=approved&paynet-order-id=6768789&merchant-order-id=A1")));
        // Approved for the amount, but without naming this order's clientOrderId: not its payment.
        let unnamed = read(&answer("approved", "10.42", "EUR").replace("merchant-order-id=A1\n", ""));
        assert!(!paid(unnamed.clone()) && unnamed.is_final(), "{unnamed:?}");
        assert!(paid(read(&answer("approved", "10.42", "EUR").replace("merchant-order-id", "client_orderid"))));
        // Not final: processing (or no status at all), unknown, a status this version does not know.
        let status_of = |body: &str| match read(body) {
            V2StatusRead::Status { status, .. } => status,
            other => panic!("{other:?}"),
        };
        assert_eq!(status_of("type=status-response&paynet-order-id=6768789"), "processing");
        assert_eq!(status_of("type=status-response&status=pending-review&orderid=6768789&client_orderid=A1"), "unknown");
        assert!(!read(&answer("processing", "10.42", "EUR")).is_final());
        assert!(read(&answer("declined", "10.42", "EUR")).is_final());
        // 3-D Secure waits: its page.
        let waiting = read("type=status-response&status=processing&paynet-order-id=6768789&redirect-url=https%3A%2F%2Facs.example%2F1");
        assert!(matches!(waiting, V2StatusRead::Status { redirect_url: Some(url), .. } if url == "https://acs.example/1"));
        // Another order's answer, another status than 200, a proxy's page, the gateway's refusal.
        assert_eq!(read(&answer("approved", "10.42", "EUR").replace("6768789", "6768790")), V2StatusRead::Unusable);
        assert_eq!(read(&answer("approved", "10.42", "EUR").replace("=A1", "=A2")), V2StatusRead::Unusable);
        assert_eq!(Merchant::read_v2_status(502, &answer("approved", "10.42", "EUR"), &sale), V2StatusRead::Unusable);
        assert_eq!(read("<html>502 Bad Gateway</html>"), V2StatusRead::Unusable);
        // A part said twice, differently: which the gateway meant cannot be told.
        let twice = |extra: &str| read(&format!("{}{extra}", answer("approved", "10.42", "EUR")));
        assert_eq!(twice("amount=1.00\n"), V2StatusRead::Unusable);
        assert_eq!(twice("status=declined\n"), V2StatusRead::Unusable);
        assert_eq!(twice("orderid=6768790\n"), V2StatusRead::Unusable);
        assert!(paid(twice("amount=10.42\n")), "said twice alike");
        assert_eq!(
            read("type=validation-error&error-message=no+such+order&error-code=3"),
            V2StatusRead::Refused { error_message: Some("no such order".into()), error_code: Some("3".into()) }
        );
    }
}
