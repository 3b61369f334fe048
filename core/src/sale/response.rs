//! The gateway's answers and how a response is classified into exactly one outcome.

use crate::value::{Got, Record, Shape, ToGot, Unreadable, Value};

/// `error.cause`: the documented values, and any other kept as it came rather than failing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorCause {
    /// `INVALID_REQUEST`.
    InvalidRequest,
    /// `INVALID_CONFIGURATION`.
    InvalidConfiguration,
    /// `INTERNAL_ERROR`.
    InternalError,
    /// `PROCESSING_FAILED`.
    ProcessingFailed,
    /// `FILTERED`.
    Filtered,
    /// `DECLINED`.
    Declined,
    /// `SERVER_FAILED`.
    ServerFailed,
    /// `SERVER_UNAVAILABLE`.
    ServerUnavailable,
    /// `ORDER_NOT_FOUND`.
    OrderNotFound,
    /// A cause this version does not know.
    Other(String),
}

const CAUSES: &[(&str, ErrorCause)] = &[
    ("INVALID_REQUEST", ErrorCause::InvalidRequest),
    ("INVALID_CONFIGURATION", ErrorCause::InvalidConfiguration),
    ("INTERNAL_ERROR", ErrorCause::InternalError),
    ("PROCESSING_FAILED", ErrorCause::ProcessingFailed),
    ("FILTERED", ErrorCause::Filtered),
    ("DECLINED", ErrorCause::Declined),
    ("SERVER_FAILED", ErrorCause::ServerFailed),
    ("SERVER_UNAVAILABLE", ErrorCause::ServerUnavailable),
    ("ORDER_NOT_FOUND", ErrorCause::OrderNotFound),
];

impl ErrorCause {
    /// The cause as the gateway spells it.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCause::Other(text) => text,
            known => CAUSES.iter().find(|(_, cause)| cause == known).map_or("", |(text, _)| text),
        }
    }

    /// Reads a cause; unknown text is kept.
    pub fn parse(text: &str) -> ErrorCause {
        CAUSES.iter().find(|(known, _)| *known == text).map_or_else(|| ErrorCause::Other(text.to_string()), |(_, cause)| cause.clone())
    }
}

impl ToGot for ErrorCause {
    fn to_got(&self) -> Got {
        self.as_str().into()
    }
}

/// `error` of a fail response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayError {
    /// Why.
    pub cause: ErrorCause,
    /// The gateway's unique error code.
    pub code: Option<String>,
    /// The gateway's description.
    pub message: Option<String>,
}

/// A fail response: `{ "error": { cause, code, message }, "invoiceId" }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailResponse {
    /// The error.
    pub error: GatewayError,
    /// The invoice, when the gateway names it.
    pub invoice_id: Option<String>,
}

/// `session` of a success response: the sale's session token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionToken {
    /// The token for sale status.
    pub token: String,
}

/// Perform sale's success response as on the wire: `{ "invoiceId", "session": { "token" } }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuccessResponse {
    /// The sale's invoice.
    pub invoice_id: String,
    /// Its session token.
    pub session: SessionToken,
}

/// An accepted sale: its invoice and the session token that sale status needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleAccepted {
    /// The sale's invoice.
    pub invoice_id: String,
    /// The session token, for sale status.
    pub session_token: String,
}

impl ToGot for GatewayError {
    fn to_got(&self) -> Got {
        Record::default().field("cause", &self.cause).field("code", &self.code).field("message", &self.message).to_got()
    }
}

impl FailResponse {
    fn record(&self) -> Record {
        Record::default().field("error", &self.error).field_if("invoiceId", &self.invoice_id)
    }
}

impl ToGot for FailResponse {
    fn to_got(&self) -> Got {
        self.record().to_got()
    }
}

impl ToGot for SessionToken {
    fn to_got(&self) -> Got {
        Record::default().field("token", &self.token).to_got()
    }
}

impl ToGot for SuccessResponse {
    fn to_got(&self) -> Got {
        Record::default().field("invoiceId", &self.invoice_id).field("session", &self.session).to_got()
    }
}

impl ToGot for SaleAccepted {
    fn to_got(&self) -> Got {
        Record::default().field("invoiceId", &self.invoice_id).field("sessionToken", &self.session_token).to_got()
    }
}

/// A success answer, read from the gateway's JSON through [`Value`]: `None` unless it has the
/// spec's shape (a required key missing, or any key of the wrong type).
pub trait Answer: Sized {
    /// Reads the answer.
    fn read<V: Value>(body: &V) -> Option<Self>;
}

/// `key`'s object, when it is one.
pub(crate) fn object_at<V: Value>(value: &V, key: &str) -> Result<Option<V>, Unreadable> {
    match value.get(key)? {
        Some(found) => match found.shape() {
            Shape::Object => Ok(Some(found)),
            Shape::Absent => Ok(None),
            _ => Err(Unreadable),
        },
        None => Ok(None),
    }
}

impl Answer for SaleAccepted {
    fn read<V: Value>(body: &V) -> Option<SaleAccepted> {
        let session = object_at(body, "session").ok()??;
        Some(SaleAccepted { invoice_id: body.text_at("invoiceId").ok()??, session_token: session.text_at("token").ok()?? })
    }
}

impl Answer for () {
    fn read<V: Value>(_: &V) -> Option<()> {
        Some(())
    }
}

impl FailResponse {
    /// Reads the gateway's error JSON; `None` for any other body.
    pub fn read<V: Value>(body: &V) -> Option<FailResponse> {
        let error = object_at(body, "error").ok()??;
        Some(FailResponse {
            error: GatewayError {
                cause: ErrorCause::parse(&error.text_at("cause").ok()??),
                code: error.text_at("code").ok()?,
                message: error.text_at("message").ok()?,
            },
            invoice_id: body.text_at("invoiceId").ok()?,
        })
    }
}

/// Why no answer came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownReason {
    /// The network failed: refused, reset, DNS, CORS.
    Network,
    /// No answer within the timeout.
    Timeout,
    /// The caller aborted after the request was sent.
    Aborted,
}

/// What one call to the gateway came to: exactly one of four.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome<T> {
    /// The gateway answered with the spec's success JSON.
    Accepted(T),
    /// The gateway answered with its error JSON (a 2xx or 4xx status).
    Rejected(FailResponse),
    /// A 5xx status, or a body that is not the spec's JSON. The request may have been processed.
    ServerError {
        /// The HTTP status (0 when the server answered with a redirect, which is not followed).
        status: u16,
        /// The gateway's error, when a 5xx carried one.
        error: Option<GatewayError>,
    },
    /// No response. Never a decline: the sale may or may not have happened.
    OutcomeUnknown {
        /// Why no answer came.
        reason: UnknownReason,
    },
}

impl ToGot for UnknownReason {
    fn to_got(&self) -> Got {
        match self {
            UnknownReason::Network => "network",
            UnknownReason::Timeout => "timeout",
            UnknownReason::Aborted => "aborted",
        }
        .into()
    }
}

/// `{ kind, … }`: `accepted` with the success's own fields beside `kind`.
impl<T: ToGot> ToGot for Outcome<T> {
    fn to_got(&self) -> Got {
        let (kind, rest) = match self {
            Outcome::Accepted(success) => (
                "accepted",
                match success.to_got() {
                    Got::Record(fields) => fields,
                    _ => Record::default(),
                },
            ),
            Outcome::Rejected(fail) => ("rejected", fail.record()),
            Outcome::ServerError { status, error } => ("serverError", Record::default().field("status", *status).field("error", error)),
            Outcome::OutcomeUnknown { reason } => ("outcomeUnknown", Record::default().field("reason", reason)),
        };
        let mut record = Record::default().field("kind", kind);
        record.0.extend(rest.0);
        record.to_got()
    }
}

impl<T: Answer> Outcome<T> {
    /// Classifies an HTTP response: `body` is its JSON, parsed (`None` when it is not JSON),
    /// and `T` the spec's success answer for the call.
    pub fn classify<V: Value>(status: u16, body: Option<&V>) -> Outcome<T> {
        let fail = body.and_then(FailResponse::read);
        match (status, fail) {
            (500..=599, fail) => Outcome::ServerError { status, error: fail.map(|fail| fail.error) },
            (200..=299 | 400..=499, Some(fail)) => Outcome::Rejected(fail),
            (200..=299, None) => match body.and_then(T::read) {
                Some(success) => Outcome::Accepted(success),
                None => Outcome::ServerError { status, error: None },
            },
            _ => Outcome::ServerError { status, error: None },
        }
    }
}

#[cfg(feature = "json")]
impl<T: Answer> Outcome<T> {
    /// Classifies a response from its body's text, parsed by [`crate::value::parse_json`]
    /// (servers and tests, where a body that says a key twice is no readable answer; the browser
    /// parses with the engine's `JSON.parse`).
    pub fn classify_text(status: u16, body: &str) -> Outcome<T> {
        let parsed = crate::value::parse_json(body);
        Outcome::classify(status, parsed.as_ref().as_ref())
    }
}

impl<T> Outcome<T> {
    /// The outcome of a request that got no response.
    pub fn unknown(reason: UnknownReason) -> Outcome<T> {
        Outcome::OutcomeUnknown { reason }
    }
}
