//! The record a merchant's server keeps for each invoice between initiate sale and the sale's end:
//! what it signed, and where the invoice stands. It is plain data (a JSON object through
//! [`ToGot`] and [`Invoice::read`]), so the server stores it wherever it stores orders.

use connpay_core::card::YearMonth;
use connpay_core::schema::{integer, text, walk, Field, Necessity::*, Reading, Rule, Unknown};
use connpay_core::value::{Got, Record, ToGot, Value};
use connpay_core::FieldError;

/// Where an invoice stands.
#[derive(Clone, PartialEq, Eq)]
pub enum InvoiceState {
    /// Signed and handed to the page; the gateway has not asked check sale yet.
    Initiated,
    /// The gateway's check sale was answered: the sale may be charged. Its session token is what
    /// asking its status needs.
    Confirmed {
        /// `session.token` of the sale, from check sale.
        sale_token: String,
        /// The stored card's server id, when the sale used a card reference.
        server_card_id: Option<String>,
    },
    /// Settled before any check sale came: a later one is refused, so it is never charged.
    Voided,
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
    /// The amount signed, in minor units.
    pub amount_centis: u64,
    /// The currency signed (ISO 4217).
    pub currency: String,
    /// Where it stands.
    pub state: InvoiceState,
}

const STATES: &[&str] = &["INITIATED", "CONFIRMED", "VOIDED"];

impl InvoiceState {
    /// `INITIATED`, `CONFIRMED` or `VOIDED`, as stored.
    pub fn name(&self) -> &'static str {
        match self {
            InvoiceState::Initiated => STATES[0],
            InvoiceState::Confirmed { .. } => STATES[1],
            InvoiceState::Voided => STATES[2],
        }
    }
}

/// The state's name only: the sale's token is a secret of the sale, and logs outlive it.
impl std::fmt::Debug for InvoiceState {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

/// What identifies the invoice, never its tokens, nonce or signature.
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

/// The stored form, as [`Invoice::read`] takes it back.
const INVOICE: &[Field] = &[
    text("invoiceId", Required, 1, 128, Rule::Token),
    text("endpointId", Required, 1, 64, Rule::Token),
    text("serialNumber", Required, 1, 50, Rule::Any),
    text("accessToken", Required, 32, 128, Rule::Token),
    text("nonce", Required, 32, 128, Rule::Token),
    text("signature", Required, 32, 128, Rule::Token),
    integer("amountCentis", Required, 1, 9_007_199_254_740_991),
    text("currency", Required, 0, 0, Rule::Currency),
    text("state", Required, 0, 0, Rule::OneOf(STATES)),
    text("saleToken", Optional, 16, 36, Rule::Token),
    text("serverCardId", Optional, 1, 128, Rule::Any),
];

/// No field of the record is a date; keys a store adds beside the record's (a database's `_id`)
/// are left alone.
const READING: Reading = Reading { today: YearMonth::LATEST, trim: false, unknown: Unknown::Ignore };

impl Invoice {
    /// Reads a stored record back; every problem at its path. A `CONFIRMED` record must carry
    /// its `saleToken`.
    pub fn read<V: Value>(stored: &V) -> Result<Invoice, Vec<FieldError>> {
        let checked = walk(&[INVOICE], stored, READING);
        if !checked.errors.is_empty() {
            return Err(checked.errors);
        }
        let record = checked.record;
        let text = |key: &str| record.text(key).unwrap_or_default().to_string();
        let state = match record.text("state") {
            Some("CONFIRMED") => match record.text("saleToken") {
                Some(token) => InvoiceState::Confirmed {
                    sale_token: token.to_string(),
                    server_card_id: record.text("serverCardId").map(str::to_string),
                },
                None => {
                    let code = connpay_core::ErrorCode::RequestRequired;
                    return Err(vec![FieldError { path: "saleToken".into(), code, message: code.detail().into() }]);
                }
            },
            Some("VOIDED") => InvoiceState::Voided,
            _ => InvoiceState::Initiated,
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
        })
    }

    /// The sale's session token, once check sale confirmed it.
    pub fn sale_token(&self) -> Option<&str> {
        match &self.state {
            InvoiceState::Confirmed { sale_token, .. } => Some(sale_token),
            _ => None,
        }
    }
}

impl ToGot for Invoice {
    fn to_got(&self) -> Got {
        let (sale_token, server_card_id) = match &self.state {
            InvoiceState::Confirmed { sale_token, server_card_id } => (Some(sale_token), server_card_id.as_ref()),
            InvoiceState::Initiated | InvoiceState::Voided => (None, None),
        };
        Record::default()
            .field("invoiceId", &self.invoice_id)
            .field("endpointId", &self.endpoint_id)
            .field("serialNumber", &self.serial_number)
            .field("accessToken", &self.access_token)
            .field("nonce", &self.nonce)
            .field("signature", &self.signature)
            .field("amountCentis", self.amount_centis)
            .field("currency", &self.currency)
            .field("state", self.state.name())
            .field_if("saleToken", &sale_token)
            .field_if("serverCardId", &server_card_id)
            .to_got()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice(state: InvoiceState) -> Invoice {
        Invoice {
            invoice_id: "INV0123".into(),
            endpoint_id: "1111".into(),
            serial_number: "SN-1".into(),
            access_token: "a".repeat(64),
            nonce: "b".repeat(64),
            signature: "c".repeat(40),
            amount_centis: 1042,
            currency: "EUR".into(),
            state,
        }
    }

    #[test]
    fn a_record_reads_back_as_it_was_written() {
        for state in [
            InvoiceState::Initiated,
            InvoiceState::Voided,
            InvoiceState::Confirmed { sale_token: "d".repeat(32), server_card_id: Some("CARD-7".into()) },
        ] {
            let stored: serde_json::Value = serde_json::from_str(&connpay_core::value::to_json_value(&invoice(state.clone()))).unwrap();
            assert_eq!(Invoice::read(&&stored), Ok(invoice(state)));
        }
    }

    #[test]
    fn debug_shows_no_secret_of_the_sale() {
        let shown = format!("{:?}", invoice(InvoiceState::Confirmed { sale_token: "d".repeat(32), server_card_id: None }));
        assert!(shown.contains("INV0123") && shown.contains("CONFIRMED"), "{shown}");
        for secret in ["aaaa", "bbbb", "cccc", "dddd"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    #[test]
    fn a_damaged_record_is_refused_at_its_path() {
        let stored = serde_json::json!({ "invoiceId": "INV1", "state": "CONFIRMED" });
        let paths: Vec<String> = Invoice::read(&&stored).unwrap_err().into_iter().map(|error| error.path).collect();
        assert!(paths.contains(&"nonce".to_string()) && paths.contains(&"amountCentis".to_string()), "{paths:?}");
        let mut confirmed_without_token: serde_json::Value =
            serde_json::from_str(&connpay_core::value::to_json_value(&invoice(InvoiceState::Initiated))).unwrap();
        confirmed_without_token["state"] = "CONFIRMED".into();
        assert_eq!(Invoice::read(&&confirmed_without_token).unwrap_err()[0].path, "saleToken");
    }
}
