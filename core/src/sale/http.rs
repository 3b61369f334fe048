//! The sans-IO client: builds each call's HTTP request; [`super::Outcome::classify`] reads the
//! answer. The browser layer only moves these bytes.

use super::request::wire_body;
use super::status::StatusSession;
use crate::gateway::Gateway;
use crate::percent::encode_segment;
use crate::value::{to_json, Got, Record};

/// An HTTP request to send as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// Always `POST`: the gateway's DAPI and /api/v2 take nothing else.
    pub method: &'static str,
    /// The absolute URL.
    pub url: String,
    /// Header names and values.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body: JSON for the DAPI, a form for /api/v2.
    pub body: String,
}

const JSON_HEADERS: &[(&str, &str)] = &[("Content-Type", "application/json"), ("Accept", "application/json")];

/// `{gateway}/paynet/dapi/v1/sale/{endpointId}/{invoiceId}`, the segments percent-encoded.
pub fn sale_url(gateway: &Gateway, endpoint_id: &str, invoice_id: &str) -> String {
    format!("{}/paynet/dapi/v1/sale/{}/{}", gateway.base_url(), encode_segment(endpoint_id), encode_segment(invoice_id))
}

fn post(url: String, body: String) -> HttpRequest {
    HttpRequest { method: "POST", url, headers: JSON_HEADERS, body }
}

/// The perform-sale request of a call (route and body) that
/// [`super::check_perform_sale_call`] accepted; the body is sent as [`wire_body`] writes it.
pub fn perform_sale_request(gateway: &Gateway, call: &Record) -> HttpRequest {
    let url = sale_url(gateway, call.text("endpointId").unwrap_or(""), call.text("invoiceId").unwrap_or(""));
    post(url, to_json(&wire_body(call)))
}

/// The sale-status request.
pub fn sale_status_request(gateway: &Gateway, endpoint_id: &str, invoice_id: &str, session: &StatusSession) -> HttpRequest {
    let url = format!("{}/status", sale_url(gateway, endpoint_id, invoice_id));
    post(url, to_json(&Record::default().with("session", Got::Record(session.record()))))
}
