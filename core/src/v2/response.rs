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
    /// A part said twice, differently (`paynet-order-id=1&paynet-order-id=2`): which one the
    /// gateway meant cannot be told, and an order id must not be guessed.
    Ambiguous,
}

/// A v2 body's pairs, read by name: each part's one value, and whether any part was said twice,
/// differently (then the body is no answer).
struct Said {
    pairs: Vec<(String, String)>,
    ambiguous: bool,
}

impl Said {
    fn of(body: &[u8]) -> Said {
        Said { pairs: form_pairs(&String::from_utf8_lossy(body)), ambiguous: false }
    }

    /// The part named by any of `keys` (its names in different answers), when not empty; said
    /// twice, differently, it makes the body ambiguous.
    fn part(&mut self, keys: &[&str]) -> Option<String> {
        let first = self.first(keys);
        let contradicted = self.values(keys).any(|other| Some(other) != first.as_ref());
        self.ambiguous |= contradicted;
        first
    }

    /// The first value of a part that only informs (an error's words): a second one is not a
    /// contradiction.
    fn first(&self, keys: &[&str]) -> Option<String> {
        self.values(keys).next().cloned()
    }

    fn values<'a>(&'a self, keys: &'a [&str]) -> impl Iterator<Item = &'a String> + 'a {
        self.pairs.iter().filter(|(name, value)| keys.contains(&name.as_str()) && !value.is_empty()).map(|(_, value)| value)
    }
}

/// Reads a v2 response body. Any bytes give a result: text that is not UTF-8 is read with
/// U+FFFD, unknown keys are ignored, an unknown `type` is kept, an empty value is absent; the
/// type or an order id said twice with two values is [`V2ResponseError::Ambiguous`] (the rest
/// keeps its first value).
pub fn parse_v2_response(body: &[u8]) -> Result<V2Response, V2ResponseError> {
    let mut said = Said::of(body);
    let response_type = said.part(&["type"]).ok_or(V2ResponseError::MissingType)?;
    let response = V2Response {
        response_type: V2ResponseType::parse(&response_type),
        paynet_order_id: said.part(&["paynet-order-id"]),
        merchant_order_id: said.part(&["merchant-order-id"]),
        serial_number: said.first(&["serial-number"]),
        end_point_id: said.first(&["end-point-id"]),
        error_message: said.first(&["error-message"]),
        error_code: said.first(&["error-code"]),
    };
    if said.ambiguous {
        return Err(V2ResponseError::Ambiguous);
    }
    Ok(response)
}

/// A /api/v2/status answer (`type=status-response`), as the gateway wrote it: the sale's status
/// and the one statement of what it charged for the order (`amount` in major units, `currency`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct V2StatusAnswer {
    /// `status`: `approved`, `declined`, `filtered`, `error` (final), `processing`, `unknown`; an
    /// answer without one is still processing.
    pub status: Option<String>,
    /// `paynet-order-id` (or `orderid`): the gateway's order.
    pub paynet_order_id: Option<String>,
    /// `merchant-order-id` (or `client_orderid`, `merchant_order`): the merchant's.
    pub merchant_order_id: Option<String>,
    /// `amount`, in major units as the form sends it (`10.42`).
    pub amount: Option<String>,
    /// `currency`.
    pub currency: Option<String>,
    /// `redirect-url`: the page where 3-D Secure waits for the payer.
    pub redirect_url: Option<String>,
    /// `html`: the page to show the payer for 3-D Secure, instead of a `redirect-url`.
    pub html: Option<String>,
}

/// What a /api/v2/status body is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum V2StatusBody {
    /// A status answer.
    Status(V2StatusAnswer),
    /// The gateway refused the request (`validation-error`, `error`): its words.
    Refused {
        /// `error-message`.
        error_message: Option<String>,
        /// `error-code`.
        error_code: Option<String>,
    },
}

/// Reads a /api/v2/status body, as [`parse_v2_response`] reads any v2 body; `None` for one that
/// is no status answer (no `type`, or another: a proxy's page, an empty body), and for one that
/// says a part twice, differently (`amount=10.42&amount=1.00`, or `paynet-order-id` and `orderid`
/// apart): which one the gateway meant cannot be told, and an amount or a status must not be
/// guessed.
pub fn parse_v2_status(body: &[u8]) -> Option<V2StatusBody> {
    let mut said = Said::of(body);
    let body = match said.part(&["type"]).as_deref() {
        Some("status-response") => Some(V2StatusBody::Status(V2StatusAnswer {
            status: said.part(&["status"]),
            paynet_order_id: said.part(&["paynet-order-id", "orderid"]),
            merchant_order_id: said.part(&["merchant-order-id", "client_orderid", "merchant_order"]),
            amount: said.part(&["amount"]),
            currency: said.part(&["currency"]),
            redirect_url: said.part(&["redirect-url"]),
            html: said.part(&["html"]),
        })),
        Some("validation-error" | "error") => {
            Some(V2StatusBody::Refused { error_message: said.part(&["error-message"]), error_code: said.part(&["error-code"]) })
        }
        _ => None,
    };
    body.filter(|_| !said.ambiguous)
}
