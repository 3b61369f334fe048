//! The gateway's answer to /api/v2/sale: `key=value` pairs, form-encoded, each value ending with a
//! newline, read into a typed response.

use crate::value::{Got, Record, ToGot};

use crate::percent::form_pairs;

/// `type`: the three /api/v2/sale's documentation names, and any other kept as it came.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum V2ResponseType {
    /// `async-response`: the sale was accepted for processing; ask its status.
    AsyncResponse,
    /// `validation-error`: the request was refused; see `error-message` and `error-code`.
    ValidationError,
    /// `error`: the gateway failed the request; see `error-message` and `error-code`.
    Error,
    /// A type this version does not know.
    Other(String),
}

impl V2ResponseType {
    /// The type as the gateway spells it.
    pub fn as_str(&self) -> &str {
        match self {
            V2ResponseType::AsyncResponse => "async-response",
            V2ResponseType::ValidationError => "validation-error",
            V2ResponseType::Error => "error",
            V2ResponseType::Other(text) => text,
        }
    }

    fn parse(text: &str) -> V2ResponseType {
        match text {
            "async-response" => V2ResponseType::AsyncResponse,
            "validation-error" => V2ResponseType::ValidationError,
            "error" => V2ResponseType::Error,
            other => V2ResponseType::Other(other.to_string()),
        }
    }
}

impl ToGot for V2ResponseType {
    fn to_got(&self) -> Got {
        self.as_str().into()
    }
}

/// A /api/v2/sale response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V2Response {
    /// `type`.
    pub response_type: V2ResponseType,
    /// `paynet-order-id`: the gateway's order number.
    pub paynet_order_id: Option<String>,
    /// `merchant-order-id`: the merchant's `client_orderid`.
    pub merchant_order_id: Option<String>,
    /// `serial-number`: the gateway's id of this request.
    pub serial_number: Option<String>,
    /// `end-point-id`.
    pub end_point_id: Option<String>,
    /// `error-message`, with `validation-error` and `error`.
    pub error_message: Option<String>,
    /// `error-code`, with `validation-error` and `error`.
    pub error_code: Option<String>,
}

impl ToGot for V2Response {
    fn to_got(&self) -> Got {
        Record::default()
            .field("type", &self.response_type)
            .field("paynetOrderId", &self.paynet_order_id)
            .field("merchantOrderId", &self.merchant_order_id)
            .field("serialNumber", &self.serial_number)
            .field("endPointId", &self.end_point_id)
            .field("errorMessage", &self.error_message)
            .field("errorCode", &self.error_code)
            .to_got()
    }
}

/// Why a body is not a v2 response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2ResponseError {
    /// No `type` pair: not a v2 response (a proxy's page, an empty body, …).
    MissingType,
}

/// Reads a v2 response body. Any bytes give a result: text that is not UTF-8 is read with
/// U+FFFD, unknown keys are ignored, a repeated key keeps its first value, and an unknown
/// `type` is kept.
pub fn parse_v2_response(body: &[u8]) -> Result<V2Response, V2ResponseError> {
    let pairs = form_pairs(&String::from_utf8_lossy(body));
    let value = |key: &str| pairs.iter().find(|(name, _)| name == key).map(|(_, value)| value.clone());
    let response_type = value("type").filter(|kind| !kind.is_empty()).ok_or(V2ResponseError::MissingType)?;
    Ok(V2Response {
        response_type: V2ResponseType::parse(&response_type),
        paynet_order_id: value("paynet-order-id"),
        merchant_order_id: value("merchant-order-id"),
        serial_number: value("serial-number"),
        end_point_id: value("end-point-id"),
        error_message: value("error-message"),
        error_code: value("error-code"),
    })
}
