//! From a filled card form to a perform sale, and from a sale's end to what the checkout
//! reports: the sans-IO half of `mountCheckout`'s submit.

use serde::{Deserialize, Serialize};

use crate::card::{self, BrandId, YearMonth};
use crate::sale::{
    validate_perform_sale, Billing, Card, Consumer, ErrorCause, Expiry, Holder, Location, Order, Outcome,
    PerformSaleCall, PerformSaleRequest, SaleRoute, SaleState, SaleStatus, Session, SourceOfFunds, Transaction,
};
use crate::{ErrorCode, FieldError};

use super::TypedCard;

wire_object! {
    /// What the merchant tells the checkout about the sale, besides the card: the amount, the
    /// payer, and the optional parts of the request.
    CheckoutOrder {
        /// Minor units (1.00 EUR = 100).
        amount_centis: u64,
        /// ISO 4217.
        currency: String,
        /// The payer: `email` and `device.serialNumber` (the one initiate sale was signed with).
        consumer: Consumer,
        /// Optional.
        billing: Billing,
        /// Optional.
        order: Order,
        /// Optional.
        location: Location,
    }
}

impl CheckoutOrder {
    /// Checks the order by the rules of the perform sale it feeds, so that a mistake is found
    /// when the checkout is mounted rather than after the merchant's server made an invoice.
    /// Paths name the options (`amountCentis`, `consumer.email`, `billing.address.country`).
    /// `today` is the perform sale's own input; no card is checked here.
    pub fn validate(&self, today: YearMonth) -> Vec<FieldError> {
        let request = PerformSaleRequest {
            consumer: self.consumer.clone(),
            transaction: Some(Transaction { amount_centis: self.amount_centis, currency: self.currency.clone() }),
            location: self.location.clone(),
            billing: self.billing.clone(),
            order: self.order.clone(),
            ..PerformSaleRequest::default()
        };
        let session_parts = ["endpointId", "invoiceId", "session", "sourceOfFunds"];
        validate_perform_sale(&SaleRoute::default(), &request, today)
            .into_iter()
            .filter(|error| !session_parts.iter().any(|part| error.path == *part || error.path.starts_with(&format!("{part}."))))
            .map(|mut error| {
                if let Some(option) = error.path.strip_prefix("transaction.") {
                    error.path = option.to_string();
                }
                error
            })
            .collect()
    }
}

/// What the checkout asks the merchant's `getSession` for a session of.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRequest<'a> {
    /// The amount the session must be signed for.
    pub amount_centis: Option<u64>,
    /// Its currency.
    pub currency: Option<&'a str>,
    /// The payer, whose device serial number the signature covers.
    pub consumer: Option<&'a Consumer>,
    /// The card's brand, for merchants that route by brand; never any card digits.
    pub brand: Option<BrandId>,
}

impl CheckoutOrder {
    /// The request handed to `getSession`.
    pub fn session_request(&self, brand: Option<BrandId>) -> SessionRequest<'_> {
        SessionRequest {
            amount_centis: self.amount_centis,
            currency: self.currency.as_deref(),
            consumer: self.consumer.as_ref(),
            brand,
        }
    }
}

/// What the merchant's `getSession` answers: the ids and tokens of consumer authentication and
/// initiate sale. Other keys are ignored, so the merchant may hand over its server's answer as
/// it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutSession {
    /// The endpoint id.
    pub endpoint_id: Option<String>,
    /// The invoice id.
    pub invoice_id: Option<String>,
    /// The consumer's access token.
    pub access_token: Option<String>,
    /// Initiate sale's nonce.
    pub nonce: Option<String>,
    /// Initiate sale's signature.
    pub signature: Option<String>,
}

/// The perform sale of a typed card under the merchant's session and order. Nothing is checked
/// here: `validate_perform_sale` checks the result whole, card rules included.
pub fn perform_sale_call(card: TypedCard<'_>, today: YearMonth, session: CheckoutSession, order: CheckoutOrder) -> PerformSaleCall {
    let expiry = card::validate_expiry(card.expiry, today);
    PerformSaleCall {
        endpoint_id: session.endpoint_id,
        invoice_id: session.invoice_id,
        consumer: order.consumer,
        session: Some(Session { access_token: session.access_token, nonce: session.nonce, signature: session.signature }),
        source_of_funds: Some(SourceOfFunds {
            card: Some(Card {
                number: Some(card.number.to_string()),
                security_code: Some(card.cvv.to_string()),
                expiry: Some(Expiry { month: expiry.month.map(u32::from), year: expiry.year.map(u32::from) }),
                holder: Some(Holder { printed_name: Some(card.holder.to_string()), ..Holder::default() }),
            }),
            reference: None,
        }),
        transaction: Some(Transaction { amount_centis: order.amount_centis, currency: order.currency }),
        location: order.location,
        billing: order.billing,
        order: order.order,
    }
}

/// Why a perform sale did not lead on to its status, as the checkout reports it; `None` when it
/// was accepted.
pub fn sale_failure<T>(outcome: &Outcome<T>) -> Option<ErrorCode> {
    match outcome {
        Outcome::Accepted(_) => None,
        Outcome::Rejected(fail) if fail.error.cause == ErrorCause::Declined => Some(ErrorCode::SaleDeclined),
        Outcome::Rejected(_) => Some(ErrorCode::SaleRejected),
        Outcome::ServerError { .. } => Some(ErrorCode::SaleServerError),
        Outcome::OutcomeUnknown { .. } => Some(ErrorCode::SaleOutcomeUnknown),
    }
}

/// What `onSuccess` receives: the approved sale, with the card named only by brand and last
/// four digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
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

impl CheckoutSuccess {
    /// The success report of an approved `status` for `order`, paid with the card `label` names.
    pub fn new(status: SaleStatus, order: &CheckoutOrder, label: CardLabel) -> CheckoutSuccess {
        CheckoutSuccess {
            invoice_id: status.invoice_id,
            state: status.state,
            bank_order_id: status.bank_order_id,
            order_id: status.order_id,
            amount_centis: order.amount_centis,
            currency: order.currency.clone(),
            brand: label.brand,
            last4: label.last4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sale::{validate_perform_sale, Device, FailResponse, GatewayError, SessionToken, UnknownReason};

    fn order() -> CheckoutOrder {
        CheckoutOrder {
            amount_centis: Some(1042),
            currency: Some("EUR".into()),
            consumer: Some(Consumer {
                device: Some(Device { serial_number: Some("browser-1".into()), imei: None }),
                email: Some("payer@example.com".into()),
                ..Consumer::default()
            }),
            ..CheckoutOrder::default()
        }
    }

    fn session() -> CheckoutSession {
        let token = |c: char| Some(c.to_string().repeat(40));
        CheckoutSession {
            endpoint_id: Some("1111".into()),
            invoice_id: Some("INV1".into()),
            access_token: token('a'),
            nonce: token('b'),
            signature: token('c'),
        }
    }

    fn today() -> YearMonth {
        YearMonth::new(2026, 11).unwrap()
    }

    fn typed(expiry: &'static str) -> TypedCard<'static> {
        TypedCard { number: "4111 1111 1111 1111", expiry, cvv: "123", holder: " JOHN SMITH " }
    }

    #[test]
    fn a_typed_card_and_a_session_make_a_valid_perform_sale() {
        let call = perform_sale_call(typed("12 / 30"), today(), session(), order());
        let (route, body) = call.split();
        assert!(validate_perform_sale(&route, &body, today()).is_empty());
        let card = body.source_of_funds.unwrap().card.unwrap();
        assert_eq!(card.expiry, Some(Expiry { month: Some(12), year: Some(2030) }));
        assert_eq!(route.invoice_id.as_deref(), Some("INV1"));
        assert_eq!(body.transaction.unwrap().amount_centis, Some(1042));
    }

    #[test]
    fn what_is_missing_is_reported_by_the_request_validator() {
        let call = perform_sale_call(typed("13 / 30"), today(), CheckoutSession::default(), order());
        let (route, body) = call.split();
        let paths: Vec<String> = validate_perform_sale(&route, &body, today()).into_iter().map(|error| error.path).collect();
        for path in ["endpointId", "invoiceId", "session.nonce", "sourceOfFunds.card.expiry.month"] {
            assert!(paths.iter().any(|found| found == path), "{path} in {paths:?}");
        }
    }

    #[test]
    fn an_order_is_checked_by_the_rules_of_the_sale_it_feeds() {
        assert_eq!(order().validate(today()), []);
        let mut wrong = order();
        wrong.amount_centis = Some(0);
        wrong.currency = Some("eur".into());
        wrong.consumer.as_mut().unwrap().email = Some("nope".into());
        wrong.billing = Some(Billing { address: Some(crate::sale::Address { country: Some("DE".into()), ..Default::default() }), phone: None });
        let problems: Vec<(String, ErrorCode)> = wrong.validate(today()).into_iter().map(|error| (error.path, error.code)).collect();
        assert_eq!(
            problems,
            [
                ("consumer.email".to_string(), ErrorCode::RequestEmail),
                ("amountCentis".to_string(), ErrorCode::RequestRange),
                ("currency".to_string(), ErrorCode::RequestCurrency),
                ("billing.address.country".to_string(), ErrorCode::RequestCountry),
            ]
        );
        let required: Vec<String> = CheckoutOrder::default().validate(today()).into_iter().map(|error| error.path).collect();
        assert_eq!(required, ["consumer", "amountCentis", "currency"]);
    }

    #[test]
    fn the_session_request_carries_no_card_digits() {
        let order = order();
        let json = serde_json::to_string(&order.session_request(Some(BrandId::Visa))).unwrap();
        assert_eq!(
            json,
            r#"{"amountCentis":1042,"currency":"EUR","consumer":{"device":{"serialNumber":"browser-1"},"email":"payer@example.com"},"brand":"visa"}"#
        );
        let session: CheckoutSession = serde_json::from_str(r#"{"endpointId":"1","invoiceId":"I","extra":true}"#).unwrap();
        assert_eq!(session.invoice_id.as_deref(), Some("I"));
    }

    #[test]
    fn each_failed_outcome_has_its_code() {
        let rejected = |cause| Outcome::<()>::Rejected(FailResponse {
            error: GatewayError { cause, code: None, message: None },
            invoice_id: None,
        });
        assert_eq!(sale_failure(&Outcome::Accepted(())), None);
        assert_eq!(sale_failure(&rejected(ErrorCause::Declined)), Some(ErrorCode::SaleDeclined));
        assert_eq!(sale_failure(&rejected(ErrorCause::InvalidRequest)), Some(ErrorCode::SaleRejected));
        assert_eq!(sale_failure(&Outcome::<()>::ServerError { status: 500, error: None }), Some(ErrorCode::SaleServerError));
        assert_eq!(sale_failure(&Outcome::<()>::unknown(UnknownReason::Timeout)), Some(ErrorCode::SaleOutcomeUnknown));
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
        let json = serde_json::to_string(&success).unwrap();
        assert!(!json.contains("4111"), "{json}");
    }
}
