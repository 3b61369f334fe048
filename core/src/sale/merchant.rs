//! The merchant server's side of the gateway's DAPI sale: initiate sale, which
//! the page calls, and check sale, which the gateway calls, as tables the walker reads; and
//! their answers. The sandbox serves both; a merchant's own Rust server can too.

use crate::card::YearMonth;
use crate::schema::{list, object, text, walk, Checked, Field, Necessity::*, Reading, Rule, Unknown, DEVICE, LOCATION, TRANSACTION};
use crate::value::{Got, Record, ToGot, Value};

const IP_ADDRESS: Field = text("", Required, 7, 15, Rule::Ipv4);

/// `consumer` of initiate sale.
const INITIATE_CONSUMER: &[Field] = &[object("device", Required, DEVICE), list("ipAddresses", Optional, &IP_ADDRESS)];

/// `session` of initiate sale: consumer authentication's token.
const ACCESS_SESSION: &[Field] = &[text("accessToken", Required, 32, 128, Rule::Token)];

/// The body of initiate sale (`POST {merchant}/sale/initiate-sale`): the payer's device, the
/// amount and currency the signature binds, the access token, and where the payer is.
pub const INITIATE_SALE: &[Field] = &[
    object("consumer", Required, INITIATE_CONSUMER),
    object("transaction", Required, TRANSACTION),
    object("session", Required, ACCESS_SESSION),
    object("location", Optional, LOCATION),
];

const CHECK_CONSUMER: &[Field] = &[object("device", Required, DEVICE)];

/// `session` of check sale: the tokens of the sale.
const CHECK_SESSION: &[Field] = &[
    text("accessToken", Required, 32, 128, Rule::Token),
    text("nonce", Required, 32, 128, Rule::Token),
    text("signature", Required, 32, 128, Rule::Token),
    text("token", Required, 16, 36, Rule::Token),
];

const CHECK_REFERENCE: &[Field] = &[text("clientCardId", Required, 1, 128, Rule::Any)];

const CHECK_SOURCE: &[Field] = &[object("reference", Optional, CHECK_REFERENCE)];

/// The body of check sale (`POST {merchant}/sale/{invoiceId}/check`), as the gateway sends it.
pub const CHECK_SALE: &[Field] = &[
    object("consumer", Required, CHECK_CONSUMER),
    object("session", Required, CHECK_SESSION),
    object("sourceOfFunds", Optional, CHECK_SOURCE),
];

/// Server-side readings take no date: neither request has one that must be in the past.
const READING: Reading = Reading { today: YearMonth::LATEST, trim: false, unknown: Unknown::Refuse };

/// Reads and validates initiate sale.
pub fn check_initiate_sale<V: Value>(body: &V) -> Checked {
    walk(&[INITIATE_SALE], body, READING)
}

/// Reads and validates check sale.
pub fn check_check_sale<V: Value>(body: &V) -> Checked {
    walk(&[CHECK_SALE], body, READING)
}

/// The answer to initiate sale: what the page needs for perform sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitiateSaleResponse {
    /// The merchant's endpoint.
    pub endpoint_id: String,
    /// The new invoice.
    pub invoice_id: String,
    /// The nonce and its signature.
    pub session: NonceSignature,
}

/// `session` of the initiate-sale answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NonceSignature {
    /// Random, 32–128 characters, accepted once.
    pub nonce: String,
    /// HMAC-SHA1 of accessToken + serialNumber + endpointId + nonce + invoiceId + amountCentis + currency.
    pub signature: String,
}

/// The success answer to check sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckSaleResponse {
    /// The sale.
    pub invoice_id: String,
    /// The signature, the nonce and the token.
    pub session: CheckedSession,
    /// The currency the merchant stored.
    pub transaction: Option<CheckedTransaction>,
    /// `sourceOfFunds.reference.serverCardId`: the merchant's id of the stored card, when the
    /// sale used a card reference (it is then part of `checkSignature`).
    pub server_card_id: Option<String>,
}

impl crate::sale::Answer for CheckSaleResponse {
    fn read<V: Value>(body: &V) -> Option<CheckSaleResponse> {
        use super::response::object_at;
        let session = object_at(body, "session").ok()??;
        let transaction = match object_at(body, "transaction").ok()? {
            Some(transaction) => Some(CheckedTransaction { currency: transaction.text_at("currency").ok()?? }),
            None => None,
        };
        let reference = match object_at(body, "sourceOfFunds").ok()? {
            Some(source) => object_at(&source, "reference").ok()?,
            None => None,
        };
        let server_card_id = match reference {
            Some(reference) => Some(reference.text_at("serverCardId").ok()??),
            None => None,
        };
        Some(CheckSaleResponse {
            invoice_id: body.text_at("invoiceId").ok()??,
            session: CheckedSession {
                check_signature: session.text_at("checkSignature").ok()??,
                nonce: session.text_at("nonce").ok()??,
                token: session.text_at("token").ok()??,
            },
            transaction,
            server_card_id,
        })
    }
}

/// `session` of the check-sale answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedSession {
    /// HMAC-SHA1 of serialNumber + nonce + endpointId + invoiceId (+ serverCardId).
    pub check_signature: String,
    /// The nonce of initiate sale.
    pub nonce: String,
    /// The sale's session token.
    pub token: String,
}

/// `transaction` of the check-sale answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedTransaction {
    /// ISO 4217.
    pub currency: String,
}

impl ToGot for InitiateSaleResponse {
    fn to_got(&self) -> Got {
        let session = Record::default().field("nonce", &self.session.nonce).field("signature", &self.session.signature);
        Record::default().field("endpointId", &self.endpoint_id).field("invoiceId", &self.invoice_id).field("session", session).to_got()
    }
}

impl ToGot for CheckSaleResponse {
    fn to_got(&self) -> Got {
        let session = Record::default()
            .field("checkSignature", &self.session.check_signature)
            .field("nonce", &self.session.nonce)
            .field("token", &self.session.token);
        let transaction = self.transaction.as_ref().map(|transaction| Record::default().field("currency", &transaction.currency));
        let source =
            self.server_card_id.as_ref().map(|id| Record::default().field("reference", Record::default().field("serverCardId", id)));
        Record::default()
            .field("invoiceId", &self.invoice_id)
            .field("session", session)
            .field_if("sourceOfFunds", &source)
            .field_if("transaction", &transaction)
            .to_got()
    }
}
