//! An answer for the server to send: an HTTP status and a JSON object.

use connpay_core::sale::{ErrorCause, FailResponse, GatewayError};
use connpay_core::value::{to_json_value, Record, ToGot};
use connpay_core::FieldError;

/// What to answer: the status, and the JSON body ([`Reply::json`] writes it).
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body, a JSON object.
    pub body: Record,
}

impl Reply {
    /// `200` with `body`.
    pub fn ok(body: &impl ToGot) -> Reply {
        let body = match body.to_got() {
            connpay_core::value::Got::Record(record) => record,
            _ => Record::default(),
        };
        Reply { status: 200, body }
    }

    /// The spec's fail answer: `{ "error": { cause, code, message }, "invoiceId" }`, the HTTP
    /// status as `error.code`.
    pub fn fail(status: u16, cause: ErrorCause, message: impl Into<String>, invoice_id: Option<&str>) -> Reply {
        let body = FailResponse {
            error: GatewayError { cause, code: Some(status.to_string()), message: Some(message.into()) },
            invoice_id: invoice_id.map(String::from),
        };
        Reply { status, ..Reply::ok(&body) }
    }

    /// `400 INVALID_REQUEST` naming the first problem (its path, words and code) and how many
    /// more there are. Never a value: the request may hold a card number.
    pub fn invalid(errors: &[FieldError], invoice_id: Option<&str>) -> Reply {
        let first = errors.first().map_or_else(String::new, |error| {
            let path = if error.path.is_empty() { "the body" } else { error.path.as_str() };
            format!("{path}: {} ({})", error.message, error.code.as_str())
        });
        let more = if errors.len() > 1 { format!("; and {} more", errors.len() - 1) } else { String::new() };
        Reply::fail(400, ErrorCause::InvalidRequest, format!("{first}{more}"), invoice_id)
    }

    /// The body as JSON text.
    pub fn json(&self) -> String {
        to_json_value(&self.body)
    }
}

impl Reply {
    /// `{ status, body }`: the reply as one object, for a server written in JavaScript.
    pub fn record(&self) -> Record {
        Record::default().field("status", self.status).field("body", &self.body)
    }
}
