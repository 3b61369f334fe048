//! The gateway emulator's /api/v2/sale and /api/v2/status: forms, `control` verified, answers as
//! `key=value` lines; and the gateway's callback to an order's `server_callback_url` once the
//! order's state is final.
//!
//! As a real endpoint, it takes one currency (`--currency`: the sale's `control` does not sign the
//! currency, so a form signed for 10.42 EUR must not pass with 10.42 IDR, 1042 JPY or 1.042 BHD)
//! and one order for each `client_orderid` (the same signed form posted again gives no second
//! order).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use connpay_core::percent::{encode_segment, form_body, form_pairs};
use connpay_core::sign::signatures_match;
use connpay_core::v2::{check_v2_sale, parse_v2_sale_form, wire_name, ControlParts};
use connpay_core::value::Got;
use url::{Host, Url};

use crate::client;
use crate::gateway::{challenge_deadline, GatewayState, Scenario};
use crate::store::random_hex;
use crate::App;

/// The `error-code`s of this emulator's refusals (/api/v2/sale's documentation shows `3` for an unknown endpoint).
mod code {
    /// A parameter is missing or wrong (`validation-error`).
    pub const INVALID: &str = "2";
    /// No such endpoint (`validation-error`).
    pub const NO_ENDPOINT: &str = "3";
    /// `control` does not verify (`error`).
    pub const CONTROL: &str = "4";
    /// No such order (`validation-error`).
    pub const NO_ORDER: &str = "5";
    /// An order with this `client_orderid` exists already (`error`): ask its status.
    pub const DUPLICATE: &str = "6";
}

/// How long a callback may take before the sandbox gives up on it (once: no retry).
pub const CALLBACK_TIMEOUT: Duration = Duration::from_secs(10);

/// An order /api/v2/sale accepted.
pub struct Order {
    client_order_id: String,
    serial_number: String,
    scenario: Scenario,
    polls: u32,
    /// Its 3-D Secure page's key: random, not derived from the (sequential) order id, so that
    /// only who was given the `redirect-url` can answer the challenge.
    challenge_key: String,
    /// The amount as the form gave it (major units) and its currency: what the status answer
    /// says the gateway charged.
    amount: String,
    currency: String,
    /// `server_callback_url`, checked to be on this machine or an allowed origin.
    callback_url: Option<Url>,
    /// `redirect_url`, where the payer returns from the 3-D Secure page: an allowed origin's (as
    /// every page the sandbox sends a browser to), else none.
    return_url: Option<Url>,
    /// `approved` or `declined` once final: never replaced; its callback is sent when it is set.
    final_status: Option<&'static str>,
}

/// The gateway's callback of an order's final state, to send.
pub struct Callback {
    url: Url,
    order_id: String,
    body: String,
}

/// A v2 answer: each value form-encoded and ended by a newline, pairs joined by `&`.
fn answer(pairs: &[(&str, &str)]) -> Response {
    let body: Vec<String> = pairs.iter().map(|(key, value)| format!("{key}={}\n", encode_segment(value))).collect();
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/html;charset=utf-8")], body.join("&")).into_response()
}

fn refused(kind: &str, code: &str, message: &str, client_order_id: &str) -> Response {
    let serial = random_hex(16);
    answer(&[
        ("type", kind),
        ("serial-number", &serial),
        ("merchant-order-id", client_order_id),
        ("error-message", message),
        ("error-code", code),
    ])
}

/// `POST /paynet/api/v2/sale/{endpointId}`.
pub async fn sale(State(app): State<Arc<App>>, Path(endpoint_id): Path<String>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    let parsed = match parse_v2_sale_form(&text) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let first = errors.first().map_or_else(String::new, |error| format!("{}: {}", error.path, error.message));
            return refused("validation-error", code::INVALID, &first, "");
        }
    };
    let mut request = parsed.request;
    request.set("endpointId", Got::Text(endpoint_id.clone()));
    let client_order_id = request.text("clientOrderId").unwrap_or_default().to_string();
    if endpoint_id != app.config.endpoint_id {
        return refused("validation-error", code::NO_ENDPOINT, &format!("End point with id {endpoint_id} not found"), &client_order_id);
    }
    if let Some(error) = check_v2_sale(&&Got::Record(request.clone()), crate::today()).errors.first() {
        let field = wire_name(&error.path).unwrap_or(error.path.as_str());
        return refused("validation-error", code::INVALID, &format!("{field}: {}", error.message), &client_order_id);
    }
    // The control does not sign the currency: the endpoint's own is the only one it takes.
    let currency = request.text("currency").unwrap_or_default().to_string();
    if currency != app.config.currency {
        let message = format!("currency: this endpoint takes {} only", app.config.currency);
        return refused("validation-error", code::INVALID, &message, &client_order_id);
    }
    let callback_url = match request.text("serverCallbackUrl").map(|url| app.callback_target(url)) {
        None => None,
        Some(Ok(url)) => Some(url),
        Some(Err(why)) => return refused("validation-error", code::INVALID, &format!("server_callback_url: {why}"), &client_order_id),
    };
    let return_url = request.text("redirectUrl").and_then(|url| app.return_address(url));
    let expected = ControlParts::of(&request).map(|parts| app.key.v2_sale_control(&parts)).unwrap_or_default();
    if !signatures_match(&expected, parsed.control.as_deref().unwrap_or("")) {
        return refused("error", code::CONTROL, "control is not the SHA-1 of this request and the merchant's key", &client_order_id);
    }
    let security_code = request.text("cvv2").unwrap_or("123").to_string();
    let serial_number = random_hex(16);
    let scenario = Scenario::of(&security_code);
    let now = Instant::now();
    let deadline = challenge_deadline(now, app.config.challenge_ttl);
    let (order_id, callback) = {
        let mut gateway = app.gateway.lock();
        // Taken under the same lock as the order is stored: two posts of one form cannot both pass.
        if !gateway.take_client_order_id(&client_order_id) {
            let message = "client_orderid: an order with this client_orderid exists already on this endpoint; ask its status";
            return refused("error", code::DUPLICATE, message, &client_order_id);
        }
        let order_id = gateway.next_order_id();
        let order = Order {
            client_order_id: client_order_id.clone(),
            serial_number: serial_number.clone(),
            scenario,
            polls: 0,
            challenge_key: gateway.new_challenge(scenario, deadline, Some(&order_id)),
            amount: request.text("amount").unwrap_or_default().to_string(),
            currency,
            callback_url,
            return_url,
            final_status: None,
        };
        gateway.v2_orders.insert_new(order_id.clone(), order);
        // An approval or a decline without 3-D Secure is final at once.
        let callback = decide(&app, &mut gateway, &order_id, now);
        (order_id, callback)
    };
    if let Some(callback) = callback {
        send_callback(callback);
    }
    if scenario == Scenario::Challenge {
        expire_later(app.clone(), order_id.clone(), deadline);
    }
    answer(&[
        ("type", "async-response"),
        ("serial-number", &serial_number),
        ("merchant-order-id", &client_order_id),
        ("paynet-order-id", &order_id),
        ("end-point-id", &endpoint_id),
    ])
}

/// `POST /paynet/api/v2/status/{endpointId}`: `login`, `client_orderid`, `orderid`, `control` =
/// SHA-1(login + client_orderid + orderid + key). The answer states the order's amount and
/// currency, as the gateway's does: what a shop checks before it ships.
pub async fn status(State(app): State<Arc<App>>, Path(endpoint_id): Path<String>, body: Bytes) -> Response {
    let pairs = form_pairs(&String::from_utf8_lossy(&body));
    let field = |name: &str| pairs.iter().find(|(key, _)| key == name).map_or("", |(_, value)| value.as_str());
    let (login, client_order_id, order_id) = (field("login"), field("client_orderid"), field("orderid"));
    if endpoint_id != app.config.endpoint_id {
        return refused("validation-error", code::NO_ENDPOINT, &format!("End point with id {endpoint_id} not found"), client_order_id);
    }
    let expected = app.key.v2_status_control(login, client_order_id, order_id);
    if login != app.config.login || !signatures_match(&expected, field("control")) {
        return refused("error", code::CONTROL, "control is not the SHA-1 of this request and the merchant's key", client_order_id);
    }
    let (response, callback) = {
        let mut gateway = app.gateway.lock();
        if gateway.v2_orders.get(order_id).filter(|order| order.client_order_id == client_order_id).is_none() {
            return refused("validation-error", code::NO_ORDER, "no such order", client_order_id);
        }
        // A challenge that just expired is final here already, and its callback goes now.
        let callback = decide(&app, &mut gateway, order_id, Instant::now());
        let Some(order) = gateway.v2_orders.get_mut(order_id) else {
            return refused("validation-error", code::NO_ORDER, "no such order", client_order_id);
        };
        // PROCESSING on the first request of a challenge, then its page until it ends.
        let challenged = order.final_status.is_none() && order.scenario == Scenario::Challenge && order.polls > 0;
        order.polls = order.polls.saturating_add(1);
        let mut pairs = vec![
            ("type", "status-response"),
            ("status", order.final_status.unwrap_or("processing")),
            ("paynet-order-id", order_id),
            ("merchant-order-id", client_order_id),
            ("serial-number", order.serial_number.as_str()),
            ("amount", order.amount.as_str()),
            ("currency", order.currency.as_str()),
        ];
        let redirect = challenged.then(|| app.challenge_url(&order.challenge_key));
        if let Some(url) = &redirect {
            pairs.push(("redirect-url", url));
        }
        (answer(&pairs), callback)
    };
    if let Some(callback) = callback {
        send_callback(callback);
    }
    response
}

/// Where the payer goes once `order_id`'s 3-D Secure page decided it: the order's `redirect_url`
/// with what the gateway's callback carries (status, orderid, client_orderid, merchant_order and
/// their `control`), for the shop to verify and then ask the status. `None` without a
/// `redirect_url`, or before the order is final.
pub fn payer_return(app: &App, gateway: &GatewayState, order_id: &str) -> Option<Url> {
    let order = gateway.v2_orders.get(order_id)?;
    let status = order.final_status?;
    let mut url = order.return_url.clone()?;
    let form = final_form(app, status, order_id, &order.client_order_id);
    let query = match url.query() {
        Some(own) if !own.is_empty() => format!("{own}&{form}"),
        _ => form,
    };
    url.set_query(Some(&query));
    Some(url)
}

/// What the gateway tells the merchant of a final order, as a form: `status`, `orderid`,
/// `client_orderid`, `merchant_order` and their `control` (the callback's body, and the query the
/// payer returns with).
fn final_form(app: &App, status: &str, order_id: &str, client_order_id: &str) -> String {
    let control = app.key.v2_callback_control(status, order_id, client_order_id);
    form_body([
        ("status", status),
        ("orderid", order_id),
        ("client_orderid", client_order_id),
        ("merchant_order", client_order_id),
        ("control", control.as_str()),
    ])
}

/// Makes `order_id`'s state final at `now` if its outcome is known (approved or declined: a
/// sale without 3-D Secure, a challenge its page answered or that expired), once: a final state
/// is never replaced. Returns the callback to send when this call made it final and the order
/// has a callback URL: status, orderid, client_orderid, merchant_order and `control` = SHA-1 of
/// status + orderid + client_orderid + the merchant's key.
pub fn decide(app: &App, gateway: &mut GatewayState, order_id: &str, now: Instant) -> Option<Callback> {
    let order = gateway.v2_orders.get(order_id)?;
    if order.final_status.is_some() {
        return None;
    }
    let approved = gateway.outcome(order.scenario, &order.challenge_key, now)?;
    let status = if approved { "approved" } else { "declined" };
    let order = gateway.v2_orders.get_mut(order_id)?;
    order.final_status = Some(status);
    let url = order.callback_url.clone()?;
    let body = final_form(app, status, order_id, &order.client_order_id);
    Some(Callback { url, order_id: order_id.to_string(), body })
}

/// When an order's challenge expires unanswered, its decline is final: the callback goes then,
/// whether or not anyone asks the status.
fn expire_later(app: Arc<App>, order_id: String, deadline: Instant) {
    tokio::spawn(async move {
        tokio::time::sleep_until(deadline.into()).await;
        let callback = {
            let mut gateway = app.gateway.lock();
            decide(&app, &mut gateway, &order_id, Instant::now().max(deadline))
        };
        if let Some(callback) = callback {
            send_callback(callback);
        }
    });
}

/// Posts a callback, in its own task, once: no retry, so nothing can loop; [`CALLBACK_TIMEOUT`]
/// at most. One line is printed: where (no query), and the status or why it failed; never a body.
#[allow(clippy::print_stdout, reason = "the sandbox's callback log: where, and the status or why it failed, never a body")]
pub fn send_callback(callback: Callback) {
    tokio::spawn(async move {
        let Callback { url, order_id, body } = callback;
        let target = format!("{}{}", url.origin().ascii_serialization(), url.path());
        let started = Instant::now();
        let headers = [("Content-Type", "application/x-www-form-urlencoded")];
        match tokio::time::timeout(CALLBACK_TIMEOUT, client::post(url.as_str(), &headers, body)).await {
            Ok(Ok(answer)) if (200..300).contains(&answer.status) => {
                println!("callback of order {order_id}: POST {target} {} {}ms", answer.status, started.elapsed().as_millis());
            }
            Ok(Ok(answer)) => println!("callback of order {order_id} failed: POST {target} answered {}", answer.status),
            Ok(Err(error)) => {
                println!("callback of order {order_id} failed: POST {target}: {error}");
            }
            Err(_) => println!("callback of order {order_id} failed: POST {target}: no answer in {} s", CALLBACK_TIMEOUT.as_secs()),
        }
    });
}

impl App {
    /// Where the sandbox may post an order's callback: `text` as a plain-http URL on this machine
    /// (127.0.0.0/8, `localhost`, `[::1]`) or of an allowed origin, without user information;
    /// the URL as parsed, which is what is then connected to. The sandbox never sends traffic
    /// anywhere else.
    pub fn callback_target(&self, text: &str) -> Result<Url, &'static str> {
        let url = Url::parse(text).map_err(|_| "not an absolute URL")?;
        if url.scheme() != "http" {
            return Err("the sandbox posts callbacks over plain http only");
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("a callback URL carries no user information");
        }
        let local = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            Some(Host::Domain(domain)) => domain == "localhost",
            None => false,
        };
        let allowed = self
            .config
            .allowed_origins
            .iter()
            .filter_map(|allowed| Url::parse(allowed).ok())
            .any(|allowed| allowed.origin() == url.origin());
        if local || allowed {
            Ok(url)
        } else {
            Err("the sandbox posts callbacks only to this machine (127.0.0.0/8, localhost, [::1]) or to an --allow-origin")
        }
    }
}
