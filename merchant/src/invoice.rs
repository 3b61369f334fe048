//! One invoice of an order, as the merchant's server keeps it between initiate sale and the
//! sale's end: what it signed, and where the invoice stands. It is plain data, stored inside its
//! [`crate::Order`] (a JSON object through [`ToGot`], read back by the order's reader).

use connpay_core::schema::{boolean, integer, text, Field, Necessity::*, Rule};
use connpay_core::value::{Got, Record, ToGot};
use connpay_core::{ErrorCode, FieldError};

/// Where an invoice stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvoiceState {
    /// Signed and handed to the page; the gateway has not asked check sale yet.
    Initiated,
    /// Check sale was answered: the gateway may charge it, and until its sale status is final
    /// the sale may still be approved (a 3-D Secure challenge the issuer may complete later).
    Confirmed,
    /// The gateway's sale status said APPROVED, for this invoice's own amount.
    Approved,
    /// The gateway's sale status said DECLINED: never charged.
    Declined,
    /// Voided before any check sale came: a later one is refused, so it is never charged.
    Voided,
}

const STATES: [(&str, InvoiceState); 5] = [
    ("INITIATED", InvoiceState::Initiated),
    ("CONFIRMED", InvoiceState::Confirmed),
    ("APPROVED", InvoiceState::Approved),
    ("DECLINED", InvoiceState::Declined),
    ("VOIDED", InvoiceState::Voided),
];
const STATE_NAMES: &[&str] = &["INITIATED", "CONFIRMED", "APPROVED", "DECLINED", "VOIDED"];

impl InvoiceState {
    /// `INITIATED`, `CONFIRMED`, `APPROVED`, `DECLINED` or `VOIDED`, as stored.
    pub fn name(self) -> &'static str {
        STATES.iter().find(|(_, state)| *state == self).map_or("", |(name, _)| name)
    }

    fn named(name: &str) -> Option<InvoiceState> {
        STATES.iter().find(|(known, _)| *known == name).map(|(_, state)| *state)
    }

    /// Whether check sale confirmed it: the gateway holds a sale of it.
    pub fn had_sale(self) -> bool {
        matches!(self, InvoiceState::Confirmed | InvoiceState::Approved | InvoiceState::Declined)
    }
}

impl ToGot for InvoiceState {
    fn to_got(&self) -> Got {
        self.name().into()
    }
}

/// What check sale told of the sale of an invoice.
#[derive(Clone, PartialEq, Eq)]
pub struct Sale {
    /// `session.token` of the sale: what asking its status needs.
    pub token: String,
    /// The stored card's server id, when the sale used a card reference.
    pub server_card_id: Option<String>,
    /// When check sale confirmed it (milliseconds since 1970, the caller's clock).
    pub confirmed_at: u64,
    /// The issuer's page, when a sale status said REDIRECT_REQUEST: a payer who closed it may
    /// open it again.
    pub redirect_url: Option<String>,
    /// The gateway answered a status of this sale (its token): it holds the sale, so a later
    /// `ORDER_NOT_FOUND` contradicts it and never frees the order (`saleHeld`).
    pub held: bool,
}

/// When it was confirmed, never its token or the issuer's page (logs outlive the sale).
impl std::fmt::Debug for Sale {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Sale").field("confirmed_at", &self.confirmed_at).finish_non_exhaustive()
    }
}

/// One invoice, as the merchant's server keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct Invoice {
    /// The invoice id this server made.
    pub invoice_id: String,
    /// The endpoint it was signed for.
    pub endpoint_id: String,
    /// `consumer.device.serialNumber` of initiate sale.
    pub serial_number: String,
    /// The payer's access token.
    pub access_token: String,
    /// The nonce this server made.
    pub nonce: String,
    /// `session.signature` this server made.
    pub signature: String,
    /// The amount signed (the order's when the invoice was made), in minor units.
    pub amount_centis: u64,
    /// The currency signed (ISO 4217).
    pub currency: String,
    /// Where it stands.
    pub state: InvoiceState,
    /// Its sale, once check sale confirmed it (always, from [`InvoiceState::Confirmed`] on).
    pub sale: Option<Sale>,
}

/// What identifies the invoice, never its tokens, nonce, signature or the issuer's page.
impl std::fmt::Debug for Invoice {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Invoice")
            .field("invoice_id", &self.invoice_id)
            .field("endpoint_id", &self.endpoint_id)
            .field("amount_centis", &self.amount_centis)
            .field("currency", &self.currency)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// The stored form of an invoice, inside its order's `invoices`.
pub(crate) const INVOICE: &[Field] = &[
    text("invoiceId", Required, 1, 128, Rule::Segment),
    text("endpointId", Required, 1, 64, Rule::Segment),
    text("serialNumber", Required, 1, 50, Rule::Any),
    text("accessToken", Required, 32, 128, Rule::Token),
    text("nonce", Required, 32, 128, Rule::Token),
    text("signature", Required, 32, 128, Rule::Token),
    integer("amountCentis", Required, 1, 9_007_199_254_740_991),
    text("currency", Required, 0, 0, Rule::Currency),
    text("state", Required, 0, 0, Rule::OneOf(STATE_NAMES)),
    text("saleToken", Optional, 16, 36, Rule::Token),
    text("serverCardId", Optional, 1, 128, Rule::Any),
    integer("confirmedAt", Optional, 0, 9_007_199_254_740_991),
    text("redirectUrl", Optional, 1, 2048, Rule::Url),
    boolean("saleHeld", Optional),
];

fn problem(path: String, code: ErrorCode, message: &str) -> FieldError {
    FieldError { path, code, message: message.into() }
}

impl Invoice {
    /// The invoice in a record the walker accepted by [`INVOICE`] (`at` is its path, for the
    /// problems): a confirmed or decided invoice must carry its sale (`saleToken`,
    /// `confirmedAt`), an initiated or voided one none.
    pub(crate) fn from_record(record: &Record, at: &str) -> Result<Invoice, FieldError> {
        let text = |key: &str| record.text(key).unwrap_or_default().to_string();
        let state = record.text("state").and_then(InvoiceState::named).unwrap_or(InvoiceState::Initiated);
        let sale = match (record.text("saleToken"), record.number("confirmedAt")) {
            (Some(token), Some(confirmed_at)) if state.had_sale() => Some(Sale {
                token: token.to_string(),
                server_card_id: record.text("serverCardId").map(str::to_string),
                confirmed_at: confirmed_at as u64,
                redirect_url: record.text("redirectUrl").map(str::to_string),
                held: record.flag("saleHeld") == Some(true),
            }),
            (None, None) if !state.had_sale() => None,
            _ if state.had_sale() => {
                let message = "a confirmed, approved or declined invoice carries its saleToken and confirmedAt";
                return Err(problem(format!("{at}.saleToken"), ErrorCode::RequestRequired, message));
            }
            _ => {
                let message = "an initiated or voided invoice has no sale";
                return Err(problem(format!("{at}.saleToken"), ErrorCode::RequestInvalid, message));
            }
        };
        Ok(Invoice {
            invoice_id: text("invoiceId"),
            endpoint_id: text("endpointId"),
            serial_number: text("serialNumber"),
            access_token: text("accessToken"),
            nonce: text("nonce"),
            signature: text("signature"),
            amount_centis: record.number("amountCentis").unwrap_or_default() as u64,
            currency: text("currency"),
            state,
            sale,
        })
    }

    /// The sale's session token, once check sale confirmed it.
    pub fn sale_token(&self) -> Option<&str> {
        self.sale.as_ref().map(|sale| sale.token.as_str())
    }
}

impl ToGot for Invoice {
    fn to_got(&self) -> Got {
        let sale = self.sale.as_ref();
        Record::default()
            .field("invoiceId", &self.invoice_id)
            .field("endpointId", &self.endpoint_id)
            .field("serialNumber", &self.serial_number)
            .field("accessToken", &self.access_token)
            .field("nonce", &self.nonce)
            .field("signature", &self.signature)
            .field("amountCentis", self.amount_centis)
            .field("currency", &self.currency)
            .field("state", self.state)
            .field_if("saleToken", &sale.map(|sale| &sale.token))
            .field_if("serverCardId", &sale.and_then(|sale| sale.server_card_id.as_ref()))
            .field_if("confirmedAt", &sale.map(|sale| sale.confirmed_at))
            .field_if("redirectUrl", &sale.and_then(|sale| sale.redirect_url.as_ref()))
            .field_if("saleHeld", &sale.filter(|sale| sale.held).map(|_| true))
            .to_got()
    }
}
