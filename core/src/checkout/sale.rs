//! From a filled card form to a perform sale, and from a sale's end to what the checkout
//! reports: the sans-IO half of `mountCheckout`'s submit.

use crate::card::{self, BrandId, YearMonth};
use crate::sale::{ErrorCause, Outcome, SaleState, SaleStatus};
use crate::schema::{walk, Checked, Reading, Unknown, CHECKOUT_ORDER, CHECKOUT_SESSION};
use crate::value::{Got, Record, ToGot, Value};
use crate::{ErrorCode, FieldError};

use super::{SavedCard, TypedCard};

/// Reads what the merchant tells the checkout about the sale besides the card (the amount, the
/// payer, and the optional parts of the request) by the rules of the perform sale it feeds, so
/// that a mistake is found when the checkout is mounted rather than after the merchant's server
/// made an invoice. Paths name the options (`amountCentis`, `consumer.email`). A payer without
/// a device serial number gets `serial_number`, which initiate sale then signs.
pub fn check_order<V: Value>(options: &V, today: YearMonth, serial_number: &str) -> Checked {
    let mut checked = walk(&[CHECKOUT_ORDER], options, Reading { today, trim: false, unknown: Unknown::Ignore });
    let Some(Got::Record(consumer)) = checked.record.0.iter_mut().find(|(key, _)| *key == "consumer").map(|(_, got)| got) else {
        return checked;
    };
    // Only a device or a serial number that is missing is made up; one of the wrong kind is
    // reported as it is.
    let missing = |path: &str| !checked.errors.iter().any(|error| error.path == path && error.code != ErrorCode::RequestRequired);
    if consumer.get("device.serialNumber").is_none() && missing("consumer.device") && missing("consumer.device.serialNumber") {
        let mut device = match consumer.take("device") {
            Some(Got::Record(device)) => device,
            _ => Record::default(),
        };
        device.set("serialNumber", Got::from(serial_number));
        consumer.set("device", Got::Record(device));
        checked.errors.retain(|error| !matches!(error.path.as_str(), "consumer.device" | "consumer.device.serialNumber"));
    }
    checked
}

/// The order's keys that the perform sale takes as they are.
const ORDER_PARTS: [&str; 4] = ["consumer", "billing", "order", "location"];

/// Why the checkout asks `getSession`: for a sale (the payer pressed Pay: a session is needed), or
/// only for the order's status (when mounted, and while a sale of the order may still be
/// approved): then the merchant's server answers `{ status }` without signing, since a new invoice
/// voids the ones no check sale reached yet, and so another tab's payment in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// `"sale"`.
    Sale,
    /// `"status"`.
    Status,
}

/// What the checkout asks the merchant's `getSession` for a session of: the amount the session
/// must be signed for, its currency, the payer (whose device serial number the signature
/// covers), the card's brand for merchants that route by brand, and why it asks; never any card
/// digits.
pub fn session_request(order: &Record, brand: Option<BrandId>, purpose: Purpose) -> Record {
    Record::default()
        .with("amountCentis", order.get("amountCentis").cloned())
        .with("currency", order.get("currency").cloned())
        .with("consumer", order.get("consumer").cloned())
        .with("brand", brand.map_or(Got::Null, |brand| Got::from(brand.as_str())))
        .with("purpose", Got::from(if purpose == Purpose::Sale { "sale" } else { "status" }))
}

/// Reads the merchant's `getSession` answer: the ids and tokens of consumer authentication and
/// initiate sale, as text. Other keys are ignored, so the merchant may hand over its server's
/// answer as it is; the values are checked as part of the perform sale they feed.
pub fn check_session<V: Value>(answer: &V, today: YearMonth) -> Checked {
    walk(&[CHECKOUT_SESSION], answer, Reading { today, trim: false, unknown: Unknown::Ignore })
}

/// A sale of the order that may still be approved, as `getSession` reports it:
/// `{ status: "pending", invoiceId, until?, redirectUrl? }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// That sale's invoice.
    pub invoice_id: String,
    /// Until when (ms since the epoch) the bank may still approve it, if the server knows.
    pub until: Option<f64>,
    /// The issuer's 3-D Secure page, if it waits for the payer there: only a page a checkout may
    /// show (https, or http to localhost); another is left out.
    pub redirect_url: Option<String>,
}

/// What `getSession` answered about the order.
#[derive(Clone, Debug, PartialEq)]
pub enum OrderAnswer {
    /// A session (no `status`, or `"open"`): a new sale may be made with it.
    Session,
    /// `{ status: "paid", invoiceId }`: an invoice of the order was approved.
    Paid(String),
    /// `{ status: "pending", … }`: a sale of the order may still be approved.
    Pending(Pending),
}

/// Reads `status` of a `getSession` answer (and, for `paid` and `pending`, the invoice it names):
/// what is wrong with it is one problem at its path.
pub fn order_answer<V: Value>(answer: &V) -> Result<OrderAnswer, FieldError> {
    let wrong =
        |path: &str, message: &str| FieldError { path: path.to_string(), code: ErrorCode::RequestType, message: message.to_string() };
    let status = answer.text_at("status").map_err(|_| wrong("status", "must be \"open\", \"paid\" or \"pending\""))?;
    if matches!(status.as_deref(), None | Some("open")) {
        return Ok(OrderAnswer::Session);
    }
    let invoice_id = answer
        .text_at("invoiceId")
        .ok()
        .flatten()
        .filter(|id| (1..=128).contains(&id.chars().count()) && !id.chars().any(char::is_control))
        .ok_or_else(|| wrong("invoiceId", "must name the order's invoice (1 to 128 characters)"))?;
    match status.as_deref() {
        Some("paid") => Ok(OrderAnswer::Paid(invoice_id)),
        Some("pending") => {
            let until = answer.count_at("until").map_err(|_| wrong("until", "must be a time in ms since the epoch"))?;
            let redirect_url = answer.text_at("redirectUrl").map_err(|_| wrong("redirectUrl", "must be a URL"))?;
            let redirect_url = redirect_url.filter(|url| crate::gateway::is_safe_page(url));
            Ok(OrderAnswer::Pending(Pending { invoice_id, until: until.map(|until| until as f64), redirect_url }))
        }
        _ => Err(wrong("status", "must be \"open\", \"paid\" or \"pending\"")),
    }
}

/// The perform sale (route and body) of a typed card, or of a saved card and its typed security
/// code (`sourceOfFunds.reference`: no number travels), under the merchant's session and order.
/// Nothing is checked here: [`crate::sale::check_perform_sale_call`] checks the result whole,
/// card rules included.
pub fn perform_sale_call(card: TypedCard<'_>, saved: Option<&SavedCard>, today: YearMonth, session: &Record, order: &Record) -> Record {
    let tokens = Record::default()
        .with("accessToken", session.get("accessToken").cloned())
        .with("nonce", session.get("nonce").cloned())
        .with("signature", session.get("signature").cloned());
    let source = match saved {
        Some(saved) => {
            let reference =
                Record::default().with("clientCardId", Got::from(saved.client_card_id.as_str())).with("securityCode", Got::from(card.cvv));
            Record::default().with("reference", Got::Record(reference))
        }
        None => Record::default().with("card", Got::Record(typed_card(card, today))),
    };
    let transaction =
        Record::default().with("amountCentis", order.get("amountCentis").cloned()).with("currency", order.get("currency").cloned());
    let mut call = Record::default()
        .with("endpointId", session.get("endpointId").cloned())
        .with("invoiceId", session.get("invoiceId").cloned())
        .with("session", Got::Record(tokens))
        .with("sourceOfFunds", Got::Record(source))
        .with("transaction", Got::Record(transaction));
    for key in ORDER_PARTS {
        call = call.with(key, order.get(key).cloned());
    }
    call
}

/// `sourceOfFunds.card` of a typed card: the expiry read into its month and year.
fn typed_card(card: TypedCard<'_>, today: YearMonth) -> Record {
    let expiry = card::validate_expiry(card.expiry, today);
    let number = |value: Option<u16>| value.map(|value| Got::Number(f64::from(value)));
    Record::default()
        .with("number", Got::from(card.number))
        .with("securityCode", Got::from(card.cvv))
        .with("expiry", Got::Record(Record::default().with("month", number(expiry.month.map(u16::from))).with("year", number(expiry.year))))
        .with("holder", Got::Record(Record::default().with("printedName", Got::from(card.holder))))
}

/// A perform sale's answer when it was accepted; otherwise why it did not lead on to its
/// status, as the checkout reports it.
pub fn sale_accepted<T>(outcome: &Outcome<T>) -> Result<&T, ErrorCode> {
    match outcome {
        Outcome::Accepted(accepted) => Ok(accepted),
        Outcome::Rejected(fail) if fail.error.cause == ErrorCause::Declined => Err(ErrorCode::SaleDeclined),
        Outcome::Rejected(_) => Err(ErrorCode::SaleRejected),
        Outcome::ServerError { .. } => Err(ErrorCode::SaleServerError),
        Outcome::OutcomeUnknown { .. } => Err(ErrorCode::SaleOutcomeUnknown),
    }
}

/// What `onSuccess` receives: the approved sale, with the card named only by brand and last
/// four digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutSuccess {
    /// The invoice.
    pub invoice_id: String,
    /// Always `APPROVED`.
    pub state: SaleState,
    /// The bank's order id.
    pub bank_order_id: Option<String>,
    /// The gateway's order id.
    pub order_id: Option<String>,
    /// The amount, in minor units.
    pub amount_centis: Option<u64>,
    /// The currency.
    pub currency: Option<String>,
    /// The card's brand.
    pub brand: Option<BrandId>,
    /// The card number's last four digits.
    pub last4: String,
}

/// How a success names the card: its brand and last four digits, taken when the payer submits so
/// that the number need not be kept while the sale is followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardLabel {
    /// The card's brand.
    pub brand: Option<BrandId>,
    /// The number's last four digits.
    pub last4: String,
}

impl CardLabel {
    /// The label of `number`, formatted or not.
    pub fn of(number: &str) -> CardLabel {
        let (digits, _) = card::number::digits_of(number);
        let last4 = digits[digits.len().saturating_sub(4)..].iter().map(|&digit| char::from(digit)).collect();
        CardLabel { brand: card::detect(&digits).brand().map(|brand| brand.id), last4 }
    }
}

impl ToGot for CheckoutSuccess {
    fn to_got(&self) -> Got {
        Record::default()
            .field("invoiceId", &self.invoice_id)
            .field("state", self.state)
            .field("bankOrderId", &self.bank_order_id)
            .field("orderId", &self.order_id)
            .field("amountCentis", self.amount_centis)
            .field("currency", &self.currency)
            .field("brand", self.brand)
            .field("last4", &self.last4)
            .to_got()
    }
}

impl CheckoutSuccess {
    /// The success report of `invoice_id`, which the merchant's server found approved (a paid
    /// order, or `confirmApproval`): no bank or gateway order id is known here.
    pub fn confirmed(invoice_id: &str, order: &Record, label: CardLabel) -> CheckoutSuccess {
        let status = SaleStatus {
            invoice_id: invoice_id.to_string(),
            session: crate::sale::SessionToken { token: String::new() },
            state: SaleState::Approved,
            redirect_url: None,
            bank_order_id: None,
            order_id: None,
            transaction: None,
        };
        CheckoutSuccess::new(status, order, label)
    }

    /// The success report of an approved `status` for `order`, paid with the card `label` names.
    pub fn new(status: SaleStatus, order: &Record, label: CardLabel) -> CheckoutSuccess {
        CheckoutSuccess {
            invoice_id: status.invoice_id,
            state: status.state,
            bank_order_id: status.bank_order_id,
            order_id: status.order_id,
            amount_centis: order.number("amountCentis").map(|amount| amount as u64),
            currency: order.text("currency").map(str::to_string),
            brand: label.brand,
            last4: label.last4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sale::{check_perform_sale_call, FailResponse, GatewayError, SessionToken, UnknownReason};
    use crate::value::to_json;

    fn order_record() -> Record {
        let device = Record::default().with("serialNumber", Got::from("browser-1"));
        let consumer = Record::default().with("device", Got::Record(device)).with("email", Got::from("payer@example.com"));
        Record::default()
            .with("amountCentis", Got::Number(1042.0))
            .with("currency", Got::from("EUR"))
            .with("consumer", Got::Record(consumer))
    }

    fn order() -> Record {
        let checked = check_order(&&Got::Record(order_record()), today(), "unused");
        assert_eq!(checked.errors, []);
        checked.record
    }

    fn session() -> Record {
        let token = |c: char| Got::Text(c.to_string().repeat(40));
        Record::default()
            .with("endpointId", Got::from("1111"))
            .with("invoiceId", Got::from("INV1"))
            .with("accessToken", token('a'))
            .with("nonce", token('b'))
            .with("signature", token('c'))
    }

    fn today() -> YearMonth {
        YearMonth::new(2026, 11).unwrap()
    }

    fn typed(expiry: &'static str) -> TypedCard<'static> {
        TypedCard { number: "4111 1111 1111 1111", expiry, cvv: "123", holder: " JOHN SMITH " }
    }

    #[test]
    fn a_typed_card_and_a_session_make_a_valid_perform_sale() {
        let call = perform_sale_call(typed("12 / 30"), None, today(), &session(), &order());
        let checked = check_perform_sale_call(&&Got::Record(call), today());
        assert_eq!(checked.errors, []);
        assert_eq!(checked.record.number("sourceOfFunds.card.expiry.month"), Some(12.0));
        assert_eq!(checked.record.number("sourceOfFunds.card.expiry.year"), Some(2030.0));
        assert_eq!(checked.record.text("invoiceId"), Some("INV1"));
        assert_eq!(checked.record.number("transaction.amountCentis"), Some(1042.0));
    }

    #[test]
    fn a_saved_card_pays_by_reference_with_its_security_code_only() {
        let saved = SavedCard { client_card_id: "sandbox-visa-1111".into(), brand: crate::card::BrandId::Visa, last4: "1111".into() };
        let call =
            perform_sale_call(TypedCard { number: "", expiry: "", cvv: "123", holder: "" }, Some(&saved), today(), &session(), &order());
        let checked = check_perform_sale_call(&&Got::Record(call), today());
        assert_eq!(checked.errors, []);
        assert_eq!(checked.record.text("sourceOfFunds.reference.clientCardId"), Some("sandbox-visa-1111"));
        assert_eq!(checked.record.text("sourceOfFunds.reference.securityCode"), Some("123"));
        assert!(!checked.record.has("sourceOfFunds.card"));
    }

    #[test]
    fn what_is_missing_is_reported_by_the_request_validator() {
        let call = perform_sale_call(typed("13 / 30"), None, today(), &Record::default(), &order());
        let paths: Vec<String> = check_perform_sale_call(&&Got::Record(call), today()).errors.into_iter().map(|error| error.path).collect();
        for path in ["endpointId", "invoiceId", "session.nonce", "sourceOfFunds.card.expiry.month"] {
            assert!(paths.iter().any(|found| found == path), "{path} in {paths:?}");
        }
    }

    #[test]
    fn an_order_is_checked_by_the_rules_of_the_sale_it_feeds() {
        let mut wrong = order_record();
        wrong.set("amountCentis", Got::Number(0.0));
        wrong.set("currency", Got::from("eur"));
        if let Some(Got::Record(consumer)) = wrong.0.iter_mut().find(|(key, _)| *key == "consumer").map(|(_, got)| got) {
            consumer.set("email", Got::from("nope"));
        }
        let address = Record::default().with("country", Got::from("DE"));
        wrong.set("billing", Got::Record(Record::default().with("address", Got::Record(address))));
        let problems: Vec<(String, ErrorCode)> =
            check_order(&&Got::Record(wrong), today(), "s").errors.into_iter().map(|error| (error.path, error.code)).collect();
        assert_eq!(
            problems,
            [
                ("amountCentis".to_string(), ErrorCode::RequestRange),
                ("currency".to_string(), ErrorCode::RequestCurrency),
                ("consumer.email".to_string(), ErrorCode::RequestEmail),
                ("billing.address.country".to_string(), ErrorCode::RequestCountry),
            ]
        );
        let required: Vec<String> =
            check_order(&&Got::Record(Record::default()), today(), "s").errors.into_iter().map(|error| error.path).collect();
        assert_eq!(required, ["amountCentis", "currency", "consumer"]);
    }

    #[test]
    fn a_payer_without_a_device_gets_the_serial_number_given() {
        let consumer = Record::default().with("email", Got::from("payer@example.com"));
        let order = Record::default()
            .with("amountCentis", Got::Number(1.0))
            .with("currency", Got::from("EUR"))
            .with("consumer", Got::Record(consumer));
        let checked = check_order(&&Got::Record(order), today(), "web-1");
        assert_eq!(checked.errors, []);
        assert_eq!(checked.record.text("consumer.device.serialNumber"), Some("web-1"));
    }

    #[test]
    fn inside_the_order_the_spec_s_objects_refuse_typos_and_wrong_kinds_are_kept() {
        let with_consumer = |consumer: Record| {
            let order = Record::default()
                .with("amountCentis", Got::Number(1.0))
                .with("currency", Got::from("EUR"))
                .with("consumer", Got::Record(consumer));
            check_order(&&Got::Record(order), today(), "web-1").errors.into_iter().map(|error| (error.path, error.code)).collect::<Vec<_>>()
        };
        let typo = Record::default().with("email", Got::from("payer@example.com")).with("ipAdresses", Got::List(vec![]));
        assert_eq!(with_consumer(typo), [("consumer.ipAdresses".to_string(), ErrorCode::RequestUnknownField)]);
        let device = Record::default().with("serialNumber", Got::Number(12345.0));
        let numbered = Record::default().with("email", Got::from("payer@example.com")).with("device", Got::Record(device));
        assert_eq!(with_consumer(numbered), [("consumer.device.serialNumber".to_string(), ErrorCode::RequestType)]);
        // Other keys of the options object itself are the checkout's, checked by mountCheckout.
        let order =
            Record::default().with("amountCentis", Got::Number(1.0)).with("currency", Got::from("EUR")).with("onSuccess", Got::Bool(true));
        let consumer = Record::default().with("email", Got::from("payer@example.com"));
        let checked = check_order(&&Got::Record(order.with("consumer", Got::Record(consumer))), today(), "web-1");
        assert_eq!(checked.errors, []);
    }

    #[test]
    fn the_session_request_carries_no_card_digits() {
        let json = to_json(&session_request(&order(), Some(BrandId::Visa), Purpose::Sale));
        assert_eq!(
            json,
            r#"{"amountCentis":1042,"currency":"EUR","consumer":{"device":{"serialNumber":"browser-1"},"email":"payer@example.com"},"brand":"visa","purpose":"sale"}"#
        );
        let status = to_json(&session_request(&order(), None, Purpose::Status));
        assert!(status.ends_with(r#""brand":null,"purpose":"status"}"#), "{status}");
        let answer = Record::default().with("endpointId", Got::from("1")).with("invoiceId", Got::from("I")).with("extra", Got::Bool(true));
        let session = check_session(&&Got::Record(answer), today());
        assert_eq!((session.record.text("invoiceId"), session.errors), (Some("I"), vec![]));
    }

    #[test]
    fn each_failed_outcome_has_its_code() {
        let rejected =
            |cause| Outcome::<()>::Rejected(FailResponse { error: GatewayError { cause, code: None, message: None }, invoice_id: None });
        assert_eq!(sale_accepted(&Outcome::Accepted(())), Ok(&()));
        assert_eq!(sale_accepted(&rejected(ErrorCause::Declined)), Err(ErrorCode::SaleDeclined));
        assert_eq!(sale_accepted(&rejected(ErrorCause::InvalidRequest)), Err(ErrorCode::SaleRejected));
        assert_eq!(sale_accepted(&Outcome::<()>::ServerError { status: 500, error: None }), Err(ErrorCode::SaleServerError));
        assert_eq!(sale_accepted(&Outcome::<()>::unknown(UnknownReason::Timeout)), Err(ErrorCode::SaleOutcomeUnknown));
    }

    #[test]
    #[cfg(feature = "json")]
    fn get_session_may_answer_that_the_order_is_paid_or_pending() {
        let read = |json: &str| order_answer(&&serde_json::from_str::<serde_json::Value>(json).unwrap());
        assert_eq!(read(r#"{"endpointId":"1"}"#), Ok(OrderAnswer::Session));
        assert_eq!(read(r#"{"status":"open","invoiceId":"I"}"#), Ok(OrderAnswer::Session));
        assert_eq!(read(r#"{"status":"paid","invoiceId":"I1"}"#), Ok(OrderAnswer::Paid("I1".into())));
        let pending = read(r#"{"status":"pending","invoiceId":"I1","until":1700000000000,"redirectUrl":"https://acs.example/3ds"}"#);
        let expected = Pending { invoice_id: "I1".into(), until: Some(1.7e12), redirect_url: Some("https://acs.example/3ds".into()) };
        assert_eq!(pending, Ok(OrderAnswer::Pending(expected)));
        // A page no checkout may show is left out; the rest of the answer stands.
        let unsafe_page = read(r#"{"status":"pending","invoiceId":"I1","redirectUrl":"javascript:alert(1)"}"#);
        assert_eq!(unsafe_page, Ok(OrderAnswer::Pending(Pending { invoice_id: "I1".into(), until: None, redirect_url: None })));
        for (json, path) in [
            (r#"{"status":"paid"}"#, "invoiceId"),
            (r#"{"status":"pending","invoiceId":""}"#, "invoiceId"),
            (r#"{"status":"pending","invoiceId":"I","until":"soon"}"#, "until"),
            (r#"{"status":"pending","invoiceId":"I","until":-1}"#, "until"),
            (r#"{"status":"done","invoiceId":"I"}"#, "status"),
            (r#"{"status":1}"#, "status"),
        ] {
            assert_eq!(read(json).map_err(|problem| problem.path), Err(path.to_string()), "{json}");
        }
    }

    #[test]
    fn success_names_the_card_by_brand_and_last_four() {
        let status = SaleStatus {
            invoice_id: "INV1".into(),
            session: SessionToken { token: "t".into() },
            state: SaleState::Approved,
            redirect_url: None,
            bank_order_id: Some("B1".into()),
            order_id: None,
            transaction: None,
        };
        let success = CheckoutSuccess::new(status, &order(), CardLabel::of("4111 1111 1111 1234"));
        assert_eq!(success.last4, "1234");
        assert_eq!(success.brand, Some(BrandId::Visa));
        assert_eq!(success.amount_centis, Some(1042));
    }
}
