//! Fault injection for tests, off unless a request asks for it with the `X-Sandbox-Fault` header:
//! comma-separated `delay=MS`, `status=CODE` (500, 502, 503, 429, …), `malformed` (a 200 with a
//! broken JSON body), `drop` (the connection closes without an answer), `status-after=CODE` (the
//! request is processed, then answered with CODE: a sale made whose answer the page never reads),
//! and on initiate sale `check-signature` (the merchant answers check sale with a wrong signature).

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use connpay_core::sale::ErrorCause;

use crate::reply::fail;

/// The header tests send.
pub const FAULT_HEADER: &str = "x-sandbox-fault";

/// The faults one request asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fault {
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// Answer with this status instead.
    pub status: Option<StatusCode>,
    /// Process the request, then answer this status instead of its answer.
    pub status_after: Option<StatusCode>,
    /// Answer 200 with a body that is not JSON.
    pub malformed: bool,
    /// Close the connection without an answer.
    pub drop: bool,
    /// Initiate sale: the merchant will answer check sale with a wrong `checkSignature`.
    pub wrong_check_signature: bool,
}

impl Fault {
    /// The faults named by the request's header; unknown names are ignored.
    pub fn read(headers: &HeaderMap) -> Fault {
        let mut fault = Fault::default();
        let text = headers.get(FAULT_HEADER).and_then(|value| value.to_str().ok()).unwrap_or("");
        for part in text.split(',').map(str::trim) {
            match part.split_once('=') {
                Some(("delay", ms)) => fault.delay = ms.parse().ok().map(Duration::from_millis),
                Some(("status", code)) => fault.status = code.parse().ok().and_then(|code| StatusCode::from_u16(code).ok()),
                Some(("status-after", code)) => fault.status_after = code.parse().ok().and_then(|code| StatusCode::from_u16(code).ok()),
                _ if part == "malformed" => fault.malformed = true,
                _ if part == "drop" => fault.drop = true,
                _ if part == "check-signature" => fault.wrong_check_signature = true,
                _ => {}
            }
        }
        fault
    }
}

/// The middleware: applies the asked-for faults around the real handler.
pub async fn inject(request: Request, next: Next) -> Response {
    let fault = Fault::read(request.headers());
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    if fault.drop {
        // A body that fails before its first byte: hyper closes the connection unanswered.
        let failing = futures_util::stream::once(async {
            Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("dropped by fault injection"))
        });
        return Response::new(Body::from_stream(failing));
    }
    if let Some(status) = fault.status {
        let cause = if status.is_server_error() { ErrorCause::ServerUnavailable } else { ErrorCause::InvalidRequest };
        return fail(status, cause, "injected by X-Sandbox-Fault", None);
    }
    if fault.malformed {
        return (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "{\"invoiceId\": \"INV").into_response();
    }
    let answer = next.run(request).await;
    match fault.status_after {
        Some(status) => fail(status, ErrorCause::ServerUnavailable, "injected by X-Sandbox-Fault after the request was processed", None),
        None => answer,
    }
}
