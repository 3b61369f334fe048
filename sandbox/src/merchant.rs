//! The reference merchant server (the Connecting Party's side): access token, initiate sale,
//! check sale, settling an invoice whose outcome the page could not learn, and the v2 `control`.
//! It keeps its own orders, apart from the gateway emulator's sales, as a real merchant server
//! would, and follows the order rules of `connpay-merchant`: an order is paid at most once, and a
//! new invoice is signed only while no earlier one is approved or may still be. The payer's
//! order is named by an HttpOnly cookie (`connpay_order`), so a reload or a second tab pays the
//! same order; a request without one gets a new order, for the amount its page names (the
//! sandbox has no catalogue). Orders live in memory: this is a development tool; a shop keeps
//! them in its database.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use connpay_core::sale::{ErrorCause, HttpRequest};
use connpay_core::sign::CheckSignatureFields;
use connpay_core::value::{Got, Record, ToGot};
use connpay_core::FieldError;
use connpay_merchant::{InvoiceState, Order, StatusRead};

use crate::cards;
use crate::client;
use crate::fault::Fault;
use crate::reply::{fail, invalid, json, read_json, send};
use crate::store::{random_hex, Bounded};
use crate::App;

/// The cookie that names the payer's order.
const ORDER_COOKIE: &str = "connpay_order";

/// An order as the sandbox's merchant keeps it: the library's record, and a test hook.
pub struct Kept {
    order: Order,
    /// Test hook: answer check sale with a wrong `checkSignature`.
    wrong_check_signature: bool,
}

/// The merchant's memory.
pub struct MerchantState {
    access_tokens: Bounded<()>,
    orders: Bounded<Kept>,
    /// Which order each invoice belongs to (check sale and settle name only the invoice).
    invoice_orders: Bounded<String>,
}

impl MerchantState {
    /// Empty, for `capacity` tokens, orders and invoices.
    pub fn new(capacity: usize) -> MerchantState {
        MerchantState { access_tokens: Bounded::new(capacity), orders: Bounded::new(capacity), invoice_orders: Bounded::new(capacity) }
    }

    /// How many invoices are kept.
    pub fn invoice_count(&self) -> usize {
        self.invoice_orders.len()
    }

    /// The order that holds `invoice_id`.
    fn order_of(&mut self, invoice_id: &str) -> Option<&mut Kept> {
        let order_id = self.invoice_orders.get(invoice_id)?.clone();
        self.orders.get_mut(&order_id)
    }

    /// The order that holds `invoice_id`, for a test to look into.
    pub fn order_by_invoice(&mut self, invoice_id: &str) -> Option<Order> {
        self.order_of(invoice_id).map(|kept| kept.order.clone())
    }
}

/// The order id the request's cookie names, if it is one this server could have made.
fn order_cookie(headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get_all(header::COOKIE).into_iter().filter_map(|value| value.to_str().ok());
    let mut pairs = cookies.flat_map(|cookies| cookies.split(';')).filter_map(|pair| pair.trim().split_once('='));
    let (_, value) = pairs.find(|(name, _)| *name == ORDER_COOKIE)?;
    (value.len() <= 64 && value.bytes().all(|byte| byte.is_ascii_alphanumeric())).then(|| value.to_string())
}

/// `response` with the cookie that names `order_id`.
fn with_order_cookie(mut response: Response, order_id: &str) -> Response {
    let cookie = format!("{ORDER_COOKIE}={order_id}; Path=/; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// A new order id: `ORD` and 24 random hex digits.
fn new_order_id() -> String {
    format!("ORD{}", random_hex(12))
}

/// `POST /merchant/auth/access-token`: a new random access token (64 characters). A real server
/// authenticates the consumer first; the sandbox trusts everyone.
pub async fn access_token(State(app): State<Arc<App>>) -> Response {
    let token = random_hex(32);
    app.merchant.lock().access_tokens.insert_new(token.clone(), ());
    json(StatusCode::OK, &Record::default().field("accessToken", token))
}

/// `POST /merchant/order/new`: the payer starts a new order (the demo's "New order"); the cookie
/// names it from now on. Its amount is its first initiate sale's.
pub async fn new_order() -> Response {
    let order_id = new_order_id();
    with_order_cookie(json(StatusCode::OK, &Record::default().field("orderId", &order_id)), &order_id)
}

/// `GET /merchant/order`: where the cookie's order stands (`open` while it has no invoice), once
/// the gateway was asked about a sale of it that may still be approved.
pub async fn order_status(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let order_id = order_cookie(&headers);
    if let Some(order_id) = &order_id {
        reconcile(&app, order_id).await;
    }
    let mut merchant = app.merchant.lock();
    match order_id.as_deref().and_then(|order_id| merchant.orders.get_mut(order_id)) {
        Some(kept) => json(StatusCode::OK, &app.merchant_account.order_status(&kept.order)),
        None => {
            json(StatusCode::OK, &Record::default().field("status", "open").field("orderId", order_id).field("invoiceId", None::<String>))
        }
    }
}

/// `POST /merchant/sale/initiate-sale`: for the cookie's order, `paid`, `pending`, or a new
/// invoice, signed. A pending order's sale is asked about first, so that one that ended since
/// (approved in a banking app, declined, expired) is told as it is now.
pub async fn initiate_sale(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let body = match read_json(&headers, &body, None) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let order_id = order_cookie(&headers).unwrap_or_else(new_order_id);
    reconcile(&app, &order_id).await;
    let mut merchant = app.merchant.lock();
    let issued = body["session"]["accessToken"].as_str().is_some_and(|token| merchant.access_tokens.get(token).is_some());
    let wrong_check_signature = Fault::read(&headers).wrong_check_signature;
    if merchant.orders.get(&order_id).is_none() {
        let amount = &body["transaction"];
        let fields = serde_json::json!({ "orderId": order_id, "amountCentis": amount["amountCentis"], "currency": amount["currency"] });
        match Order::new(&&fields) {
            Ok(order) => merchant.orders.insert_new(order_id.clone(), Kept { order, wrong_check_signature }),
            Err(errors) => {
                let at_transaction: Vec<_> =
                    errors.into_iter().map(|error| FieldError { path: format!("transaction.{}", error.path), ..error }).collect();
                return invalid(&at_transaction, None);
            }
        };
    }
    let Some(kept) = merchant.orders.get_mut(&order_id) else {
        return fail(StatusCode::SERVICE_UNAVAILABLE, ErrorCause::ServerUnavailable, "the order could not be kept", None);
    };
    kept.wrong_check_signature = wrong_check_signature;
    // The cart changed (the page's update()): the order follows while nothing is paid or pending.
    let _ = kept.order.set_amount(&&body["transaction"]);
    let invoices_before = kept.order.invoices.len();
    let reply = app.merchant_account.initiate_sale(&mut kept.order, &&body, issued);
    let new_invoice = kept.order.invoices.get(invoices_before).map(|invoice| invoice.invoice_id.clone());
    if let Some(invoice_id) = new_invoice {
        merchant.invoice_orders.insert_new(invoice_id, order_id.clone());
    }
    with_order_cookie(send(reply), &order_id)
}

/// Asks the gateway the status of each sale of the order that may still be approved, and records
/// the answers: run before initiate sale answers, so that a payer back after a reload or in
/// another tab is told how that sale ended.
async fn reconcile(app: &App, order_id: &str) {
    let Ok(gateway) = connpay_core::gateway::Gateway::parse(&app.base_url) else { return };
    let calls = match app.merchant.lock().orders.get(order_id) {
        Some(kept) => app.merchant_account.reconcile(&gateway, &kept.order),
        None => return,
    };
    for (invoice_id, request) in calls {
        ask_status(app, order_id, &invoice_id, request).await;
    }
}

/// One sale-status request sent, and its answer recorded in the order (the lock is not held
/// across the request).
async fn ask_status(app: &App, order_id: &str, invoice_id: &str, request: HttpRequest) -> StatusRead {
    let headers: Vec<(&str, &str)> = request.headers.to_vec();
    let Ok(answer) = client::post(&request.url, &headers, request.body).await else { return StatusRead::NoAnswer };
    match app.merchant.lock().orders.get_mut(order_id) {
        Some(kept) => app.merchant_account.apply_status(&mut kept.order, invoice_id, answer.status, &answer.body, crate::now_ms()),
        None => StatusRead::NoAnswer,
    }
}

/// `POST /merchant/sale/{invoiceId}/check`: what the gateway asks before it processes a sale.
/// The request must match the invoice stored in its order, and no other invoice of the order
/// may be approved or pending; the answer carries `session.checkSignature`. A sale by card
/// reference names one of the demo saved cards ([`cards`]): the answer carries its
/// `sourceOfFunds.reference.serverCardId`, signed; any other `clientCardId` is refused.
pub async fn check_sale(State(app): State<Arc<App>>, Path(invoice_id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let body = match read_json(&headers, &body, Some(&invoice_id)) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut merchant = app.merchant.lock();
    let Some(kept) = merchant.order_of(&invoice_id) else {
        return fail(StatusCode::NOT_FOUND, ErrorCause::InvalidRequest, "no such invoice", Some(&invoice_id));
    };
    // The demo cards are every payer's.
    let saved_cards: Vec<(&str, &str)> = cards::SAVED_CARDS.iter().map(|card| (card.client_card_id, card.server_card_id)).collect();
    let mut reply = app.merchant_account.check_sale(&mut kept.order, &invoice_id, &&body, &saved_cards, crate::now_ms());
    if kept.wrong_check_signature && reply.status == 200 {
        // The test hook: the merchant confirmed the sale (its order is pending) but signs with
        // the wrong key, so the gateway refuses it; the gateway's status then says DECLINED.
        if let Some(Got::Record(session)) = reply.body.get("session").cloned() {
            let reversed: String = session.text("checkSignature").unwrap_or_default().chars().rev().collect();
            reply.body.set("session", session.with("checkSignature", Got::Text(reversed)).to_got());
        }
    }
    send(reply)
}

/// What the merchant's server learnt of an invoice: `VOIDED` (no check sale ever came, and
/// none will be confirmed: never charged), or the gateway's state of the sale: `APPROVED`,
/// `DECLINED`, `PROCESSING`, `REDIRECT_REQUEST`.
fn settled(invoice_id: &str, state: impl ToGot) -> Record {
    Record::default().field("invoiceId", invoice_id).field("state", state)
}

/// `POST /merchant/sale/{invoiceId}/settle`: what a shop's server does when its page could not
/// learn a sale's outcome (no answer, a 5xx). If the gateway never asked check sale for the
/// invoice, the server voids it, so that no later check sale is confirmed: never charged. If it
/// did, the server holds the sale's session token and asks the gateway's sale status itself.
/// The page then allows a new attempt (`VOIDED`, `DECLINED`), shows the approval, or asks again.
pub async fn settle(State(app): State<Arc<App>>, Path(invoice_id): Path<String>) -> Response {
    let Ok(gateway) = connpay_core::gateway::Gateway::parse(&app.base_url) else {
        return fail(StatusCode::INTERNAL_SERVER_ERROR, ErrorCause::ServerFailed, "no gateway to ask", Some(&invoice_id));
    };
    let (order_id, request) = {
        let mut merchant = app.merchant.lock();
        let Some(kept) = merchant.order_of(&invoice_id) else {
            return fail(StatusCode::NOT_FOUND, ErrorCause::InvalidRequest, "no such invoice", Some(&invoice_id));
        };
        // Under the same lock as check sale: either the check came first, or it never will be confirmed.
        let state = app.merchant_account.settle(&mut kept.order, &invoice_id);
        if state != Some(InvoiceState::Confirmed) {
            return json(StatusCode::OK, &settled(&invoice_id, state));
        }
        let request = kept.order.invoice(&invoice_id).and_then(|invoice| app.merchant_account.status_request(&gateway, invoice));
        (kept.order.order_id.clone(), request)
    };
    let Some(request) = request else { return invalid(&[], Some(&invoice_id)) };
    match ask_status(&app, &order_id, &invoice_id, request).await {
        StatusRead::State(state) => json(StatusCode::OK, &settled(&invoice_id, state)),
        // Recorded as declined: the gateway holds no such sale, so none is charged.
        StatusRead::NoSuchSale => json(StatusCode::OK, &settled(&invoice_id, InvoiceState::Declined)),
        StatusRead::AmountMismatch => {
            fail(StatusCode::BAD_GATEWAY, ErrorCause::ServerFailed, "the gateway approved another amount than signed", Some(&invoice_id))
        }
        StatusRead::NoAnswer => {
            fail(StatusCode::BAD_GATEWAY, ErrorCause::ServerUnavailable, "the gateway did not give the sale's status", Some(&invoice_id))
        }
    }
}

impl App {
    /// `session.checkSignature` of a sale; `server_card_id` is the stored card's for a sale by
    /// card reference (check sale's documentation: signed last, when present).
    pub fn check_signature(&self, serial_number: &str, nonce: &str, invoice_id: &str, server_card_id: Option<&str>) -> String {
        self.key.check_signature(&CheckSignatureFields {
            serial_number,
            nonce,
            endpoint_id: &self.config.endpoint_id,
            invoice_id,
            server_card_id,
        })
    }
}

/// `POST /merchant/v2/control`: the /api/v2/sale `control` for (endpoint, clientOrderId, amount,
/// currency, email). Any other key (a card number, a CVV) is refused, not ignored; this server
/// signs for its own endpoint only.
pub async fn v2_control(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let body = match read_json(&headers, &body, None) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let own = app.config.endpoint_id.as_str();
    if body.get("endpointGroupId").is_some() || body.get("endpointId").is_some_and(|endpoint| endpoint.as_str() != Some(own)) {
        return fail(StatusCode::FORBIDDEN, ErrorCause::Filtered, "this server signs for its own endpoint only", None);
    }
    match app.merchant_account.v2_sale_control(&&body, crate::today()) {
        Ok(control) => json(StatusCode::OK, &Record::default().field("control", control)),
        Err(errors) => invalid(&errors, None),
    }
}
