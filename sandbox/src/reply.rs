//! The answers every part shares: the spec's fail JSON, and reading a JSON body strictly.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use connpay_core::sale::ErrorCause;
use connpay_core::schema::Checked;
use connpay_core::value::{to_json_value, Record, ToGot};
use connpay_core::{ErrorCode, FieldError};
use connpay_merchant::Reply;

/// The spec's fail response: `{ "error": { cause, code, message }, "invoiceId" }`.
pub fn fail(status: StatusCode, cause: ErrorCause, message: impl Into<String>, invoice_id: Option<&str>) -> Response {
    send(Reply::fail(status.as_u16(), cause, message, invoice_id))
}

/// The merchant library's answer, sent.
pub fn send(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(status, &reply.body)
}

/// The JSON routes' last layer: an error answered before a handler ran (axum's rejection of a body
/// over [`crate::MAX_BODY_BYTES`], a wrong method, a path that does not parse) is plain text;
/// it becomes the spec's fail JSON with the same status, as every other error of these routes is.
pub async fn spec_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!("the body is over {} KB", crate::MAX_BODY_BYTES / 1024),
        _ => status.canonical_reason().unwrap_or("refused").to_string(),
    };
    let cause = if status.is_server_error() { ErrorCause::ServerUnavailable } else { ErrorCause::InvalidRequest };
    fail(status, cause, message, None)
}

/// A JSON answer.
pub fn json(status: StatusCode, body: &impl ToGot) -> Response {
    let text = to_json_value(body);
    (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// Reads a JSON request body, as JSON, for the walker: a body of another type or that is not
/// JSON is refused here.
#[allow(clippy::result_large_err, reason = "the error is the handler's whole answer, returned as it is: boxing it would gain nothing")]
pub fn read_json(headers: &HeaderMap, body: &[u8], invoice_id: Option<&str>) -> Result<serde_json::Value, Response> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim_start().to_ascii_lowercase().starts_with("application/json"));
    if !json_type {
        return Err(fail(StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCause::InvalidRequest, "the body must be application/json", invoice_id));
    }
    serde_json::from_slice(body).map_err(|_| {
        let problem = FieldError { path: String::new(), code: ErrorCode::RequestType, message: "is not JSON".to_string() };
        invalid(&[problem], invoice_id)
    })
}

/// A JSON body read and checked by `check`: what the walker read, or the handler's answer.
#[allow(clippy::result_large_err, reason = "the error is the handler's whole answer")]
pub fn read_checked(
    headers: &HeaderMap,
    body: &[u8],
    invoice_id: Option<&str>,
    check: impl FnOnce(&serde_json::Value) -> Checked,
) -> Result<Record, Response> {
    let body = read_json(headers, body, invoice_id)?;
    accepted(check(&body), invoice_id)
}

/// What the walker read, or `INVALID_REQUEST` naming its first problem.
#[allow(clippy::result_large_err, reason = "the error is the handler's whole answer")]
pub fn accepted(checked: Checked, invoice_id: Option<&str>) -> Result<Record, Response> {
    if checked.errors.is_empty() {
        Ok(checked.record)
    } else {
        Err(invalid(&checked.errors, invoice_id))
    }
}

/// `INVALID_REQUEST` naming the first problem (and how many more there are).
pub fn invalid(errors: &[FieldError], invoice_id: Option<&str>) -> Response {
    send(Reply::invalid(errors, invoice_id))
}
