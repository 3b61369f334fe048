//! The sans-IO client: builds each call's HTTP request; [`super::Outcome::classify`] reads the
//! answer. The browser layer only moves these bytes.

use super::request::PerformSaleRequest;
use super::status::{SaleStatusRequest, StatusSession};
use crate::gateway::Gateway;
use crate::percent::encode_segment;

/// An HTTP request to send as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// Always `POST` for the gateway's DAPI.
    pub method: &'static str,
    /// The absolute URL.
    pub url: String,
    /// Header names and values.
    pub headers: &'static [(&'static str, &'static str)],
    /// The JSON body.
    pub body: String,
}

const JSON_HEADERS: &[(&str, &str)] = &[("Content-Type", "application/json"), ("Accept", "application/json")];

/// `{gateway}/paynet/dapi/v1/sale/{endpointId}/{invoiceId}`, the segments percent-encoded.
pub fn sale_url(gateway: &Gateway, endpoint_id: &str, invoice_id: &str) -> String {
    format!(
        "{}/paynet/dapi/v1/sale/{}/{}",
        gateway.base_url(),
        encode_segment(endpoint_id),
        encode_segment(invoice_id)
    )
}

fn post(url: String, body: String) -> HttpRequest {
    HttpRequest { method: "POST", url, headers: JSON_HEADERS, body }
}

/// The perform-sale request for a body that [`super::validate_perform_sale`] accepted; the body
/// is sent [normalized](PerformSaleRequest::normalized).
pub fn perform_sale_request(gateway: &Gateway, endpoint_id: &str, invoice_id: &str, body: &PerformSaleRequest) -> HttpRequest {
    post(sale_url(gateway, endpoint_id, invoice_id), to_json(&body.normalized()))
}

/// The sale-status request.
pub fn sale_status_request(gateway: &Gateway, endpoint_id: &str, invoice_id: &str, session: StatusSession) -> HttpRequest {
    let url = format!("{}/status", sale_url(gateway, endpoint_id, invoice_id));
    post(url, to_json(&SaleStatusRequest { session }))
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // These models have string keys and finite numbers only: serde_json cannot fail on them.
    serde_json::to_string(value).unwrap_or_default()
}
