//! The gateway emulator's /api/v2 (seed `001`, FACTS §2): sale and status as forms, `control`
//! verified, answers as `key=value` lines.
//!
//! As a real endpoint, it takes one currency (`--currency`): the sale's `control` does not sign
//! the currency, so a form signed for 10.42 EUR must not pass with 10.42 IDR, 1042 JPY or 1.042 BHD.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use connpay_core::percent::{encode_segment, form_pairs};
use connpay_core::sign::signatures_match;
use connpay_core::v2::{check_v2_sale, parse_v2_sale_form, wire_name, ControlParts};
use connpay_core::value::Got;

use crate::gateway::{challenge_deadline, Scenario};
use crate::store::random_hex;
use crate::App;

/// An order /api/v2/sale accepted.
pub struct Order {
    client_order_id: String,
    serial_number: String,
    scenario: Scenario,
    polls: u32,
    /// Its 3-D Secure page's key: random, not derived from the (sequential) order id, so that
    /// only who was given the `redirect-url` can answer the challenge.
    challenge_key: String,
}

/// A v2 answer: each value form-encoded and ended by a newline, pairs joined by `&`.
fn answer(pairs: &[(&str, &str)]) -> Response {
    let body: Vec<String> = pairs.iter().map(|(key, value)| format!("{key}={}\n", encode_segment(value))).collect();
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/html;charset=utf-8")], body.join("&")).into_response()
}

fn refused(kind: &str, code: &str, message: &str, client_order_id: &str) -> Response {
    let serial = random_hex(16);
    answer(&[("type", kind), ("serial-number", &serial), ("merchant-order-id", client_order_id), ("error-message", message), ("error-code", code)])
}

/// `POST /paynet/api/v2/sale/{endpointId}`.
pub async fn sale(State(app): State<Arc<App>>, Path(endpoint_id): Path<String>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    let parsed = match parse_v2_sale_form(&text) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let first = errors.first().map_or_else(String::new, |error| format!("{}: {}", error.path, error.message));
            return refused("validation-error", "2", &first, "");
        }
    };
    let mut request = parsed.request;
    request.set("endpointId", Got::Text(endpoint_id.clone()));
    let client_order_id = request.text("clientOrderId").unwrap_or_default().to_string();
    if endpoint_id != app.config.endpoint_id {
        return refused("validation-error", "3", &format!("End point with id {endpoint_id} not found"), &client_order_id);
    }
    if let Some(error) = check_v2_sale(&&Got::Record(request.clone()), crate::today()).errors.first() {
        let field = wire_name(&error.path).unwrap_or(error.path.as_str());
        return refused("validation-error", "2", &format!("{field}: {}", error.message), &client_order_id);
    }
    // The control does not sign the currency: the endpoint's own is the only one it takes.
    if request.text("currency") != Some(app.config.currency.as_str()) {
        let message = format!("currency: this endpoint takes {} only", app.config.currency);
        return refused("validation-error", "2", &message, &client_order_id);
    }
    let expected = ControlParts::of(&request).map(|parts| app.key.v2_sale_control(&parts)).unwrap_or_default();
    if !signatures_match(&expected, parsed.control.as_deref().unwrap_or("")) {
        return refused("error", "4", "control is not the SHA-1 of this request and the merchant's key", &client_order_id);
    }
    let security_code = request.text("cvv2").unwrap_or("123").to_string();
    let serial_number = random_hex(16);
    let order_id = {
        let mut gateway = app.gateway.lock();
        let scenario = Scenario::of(&security_code);
        let order = Order {
            client_order_id: client_order_id.clone(),
            serial_number: serial_number.clone(),
            scenario,
            polls: 0,
            challenge_key: gateway.new_challenge(scenario, challenge_deadline(Instant::now(), app.config.challenge_ttl)),
        };
        let order_id = gateway.next_order_id();
        gateway.v2_orders.insert_new(order_id.clone(), order);
        order_id
    };
    answer(&[
        ("type", "async-response"),
        ("serial-number", &serial_number),
        ("merchant-order-id", &client_order_id),
        ("paynet-order-id", &order_id),
        ("end-point-id", &endpoint_id),
    ])
}

/// `POST /paynet/api/v2/status/{endpointId}`: `login`, `client_orderid`, `orderid`, `control` =
/// SHA-1(login + client_orderid + orderid + key).
pub async fn status(State(app): State<Arc<App>>, Path(endpoint_id): Path<String>, body: Bytes) -> Response {
    let pairs = form_pairs(&String::from_utf8_lossy(&body));
    let field = |name: &str| pairs.iter().find(|(key, _)| key == name).map_or("", |(_, value)| value.as_str());
    let (login, client_order_id, order_id) = (field("login"), field("client_orderid"), field("orderid"));
    if endpoint_id != app.config.endpoint_id {
        return refused("validation-error", "3", &format!("End point with id {endpoint_id} not found"), client_order_id);
    }
    let expected = app.key.v2_status_control(login, client_order_id, order_id);
    if login != app.config.login || !signatures_match(&expected, field("control")) {
        return refused("error", "4", "control is not the SHA-1 of this request and the merchant's key", client_order_id);
    }
    let mut gateway = app.gateway.lock();
    let Some(order) = gateway.v2_orders.get(order_id).filter(|order| order.client_order_id == client_order_id) else {
        return refused("validation-error", "5", "no such order", client_order_id);
    };
    let (scenario, polls, serial, challenge_key) = (order.scenario, order.polls, order.serial_number.clone(), order.challenge_key.clone());
    let state = gateway.state(scenario, polls, &challenge_key, Instant::now());
    if let Some(order) = gateway.v2_orders.get_mut(order_id) {
        order.polls = order.polls.saturating_add(1);
    }
    use connpay_core::sale::SaleState::*;
    let status = match state {
        Approved => "approved",
        Declined => "declined",
        Processing | RedirectRequest => "processing",
    };
    let redirect = (state == RedirectRequest).then(|| app.challenge_url(&challenge_key));
    let mut pairs = vec![
        ("type", "status-response"),
        ("status", status),
        ("paynet-order-id", order_id),
        ("merchant-order-id", client_order_id),
        ("serial-number", serial.as_str()),
    ];
    if let Some(url) = &redirect {
        pairs.push(("redirect-url", url));
    }
    answer(&pairs)
}
