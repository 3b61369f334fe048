//! The reference merchant server (the Connecting Party's side, FACTS §1–2): access token,
//! initiate sale, check sale (spec `004`), settling an invoice whose outcome the page could not
//! learn, and the v2 `control`. It keeps its own invoices, apart from the gateway emulator's
//! sales, as a real merchant server would.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use connpay_core::sale::{
    check_check_sale, check_initiate_sale, sale_status_request, CheckSaleResponse, CheckedSession, CheckedTransaction, ErrorCause,
    InitiateSaleResponse, NonceSignature, Outcome, SaleStatus, StatusSession,
};
use connpay_core::schema::{text, walk, Field, Necessity::*, Reading, Rule, Unknown};
use connpay_core::sign::{CheckSignatureFields, SessionSignatureFields};
use connpay_core::v2::{check_v2_sale, ControlParts};
use connpay_core::value::{Got, Record, ToGot};

use crate::client;
use crate::fault::Fault;
use crate::reply::{fail, invalid, json, read_checked};
use crate::store::{random_hex, Bounded};
use crate::App;

/// What the merchant stored at initiate sale.
pub struct Invoice {
    serial_number: String,
    access_token: String,
    nonce: String,
    signature: String,
    currency: String,
    /// Test hook: answer check sale with a wrong `checkSignature`.
    wrong_check_signature: bool,
    /// The sale's session token, from the gateway's check sale: what asking its status needs.
    sale_token: Option<String>,
    /// Settled before any check sale came: a later one is refused, so it can never be charged.
    voided: bool,
}

/// The merchant's memory.
pub struct MerchantState {
    access_tokens: Bounded<()>,
    invoices: Bounded<Invoice>,
}

impl MerchantState {
    /// Empty, for `capacity` tokens and invoices.
    pub fn new(capacity: usize) -> MerchantState {
        MerchantState { access_tokens: Bounded::new(capacity), invoices: Bounded::new(capacity) }
    }

    /// How many invoices are kept.
    pub fn invoice_count(&self) -> usize {
        self.invoices.len()
    }
}

/// `POST /merchant/auth/access-token`: a new random access token (64 characters). A real server
/// authenticates the consumer first; the sandbox trusts everyone.
pub async fn access_token(State(app): State<Arc<App>>) -> Response {
    let token = random_hex(32);
    app.merchant.lock().access_tokens.insert_new(token.clone(), ());
    json(StatusCode::OK, &Record::default().field("accessToken", token))
}

/// `POST /merchant/sale/initiate-sale`: stores the invoice and signs it.
pub async fn initiate_sale(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let request = match read_checked(&headers, &body, None, |body| check_initiate_sale(&body)) {
        Ok(request) => request,
        Err(response) => return response,
    };
    // The walker accepted it: every required field below is there.
    let text = |path: &str| request.text(path).unwrap_or_default().to_string();
    let serial_number = text("consumer.device.serialNumber");
    let access_token = text("session.accessToken");
    let (amount_centis, currency) = (request.number("transaction.amountCentis").unwrap_or_default() as u64, text("transaction.currency"));
    if app.merchant.lock().access_tokens.get(&access_token).is_none() {
        return fail(StatusCode::FORBIDDEN, ErrorCause::Filtered, "session.accessToken was not issued by this server", None);
    }
    let invoice_id = format!("INV{}", random_hex(12));
    let nonce = random_hex(32);
    let endpoint_id = app.config.endpoint_id.clone();
    let signature = app.key.session_signature(&SessionSignatureFields {
        access_token: &access_token,
        serial_number: &serial_number,
        endpoint_id: &endpoint_id,
        nonce: &nonce,
        invoice_id: &invoice_id,
        amount_centis,
        currency: &currency,
    });
    let invoice = Invoice {
        serial_number,
        access_token,
        nonce: nonce.clone(),
        signature: signature.clone(),
        currency,
        wrong_check_signature: Fault::read(&headers).wrong_check_signature,
        sale_token: None,
        voided: false,
    };
    app.merchant.lock().invoices.insert_new(invoice_id.clone(), invoice);
    json(StatusCode::OK, &InitiateSaleResponse { endpoint_id, invoice_id, session: NonceSignature { nonce, signature } })
}

/// `POST /merchant/sale/{invoiceId}/check`: what the gateway asks before it processes a sale.
/// The request must match the stored invoice; the answer carries `session.checkSignature`.
pub async fn check_sale(State(app): State<Arc<App>>, Path(invoice_id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let request = match read_checked(&headers, &body, Some(&invoice_id), |body| check_check_sale(&body)) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let serial = request.text("consumer.device.serialNumber").unwrap_or_default().to_string();
    let session = |key: &str| request.text(&format!("session.{key}")).map(str::to_string);
    let mut merchant = app.merchant.lock();
    let Some(invoice) = merchant.invoices.get_mut(&invoice_id) else {
        return fail(StatusCode::NOT_FOUND, ErrorCause::InvalidRequest, "no such invoice", Some(&invoice_id));
    };
    if invoice.voided {
        return fail(StatusCode::FORBIDDEN, ErrorCause::Filtered, "this invoice was settled as not charged", Some(&invoice_id));
    }
    let matches = invoice.serial_number == serial
        && Some(&invoice.access_token) == session("accessToken").as_ref()
        && Some(&invoice.nonce) == session("nonce").as_ref()
        && Some(&invoice.signature) == session("signature").as_ref();
    if !matches {
        return fail(StatusCode::FORBIDDEN, ErrorCause::Filtered, "the sale does not match the invoice this server stored", Some(&invoice_id));
    }
    let mut check_signature = app.check_signature(&serial, &invoice.nonce, &invoice_id);
    if invoice.wrong_check_signature {
        check_signature = check_signature.chars().rev().collect();
    } else {
        // Confirmed: the sale may now be charged, and its token is what asking its status needs.
        invoice.sale_token = session("token");
    }
    let answer = CheckSaleResponse {
        invoice_id: invoice_id.clone(),
        session: CheckedSession { check_signature, nonce: invoice.nonce.clone(), token: session("token").unwrap_or_default() },
        transaction: Some(CheckedTransaction { currency: invoice.currency.clone() }),
    };
    json(StatusCode::OK, &answer)
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
    let tokens = {
        let mut merchant = app.merchant.lock();
        let Some(invoice) = merchant.invoices.get_mut(&invoice_id) else {
            return fail(StatusCode::NOT_FOUND, ErrorCause::InvalidRequest, "no such invoice", Some(&invoice_id));
        };
        match &invoice.sale_token {
            // Under the same lock as check sale: either the check came first, or it never will be confirmed.
            None => {
                invoice.voided = true;
                None
            }
            Some(token) => Some(StatusSession { access_token: invoice.access_token.clone(), token: token.clone() }),
        }
    };
    let Some(session) = tokens else {
        return json(StatusCode::OK, &settled(&invoice_id, "VOIDED"));
    };
    let gateway = match connpay_core::gateway::Gateway::parse(&app.base_url) {
        Ok(gateway) => gateway,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, ErrorCause::ServerFailed, "no gateway to ask", Some(&invoice_id)),
    };
    let request = sale_status_request(&gateway, &app.config.endpoint_id, &invoice_id, &session);
    let headers: Vec<(&str, &str)> = request.headers.to_vec();
    let outcome = match client::post(&request.url, &headers, request.body).await {
        Ok(answer) => Outcome::<SaleStatus>::classify_text(answer.status, &answer.body),
        Err(_) => return fail(StatusCode::BAD_GATEWAY, ErrorCause::ServerUnavailable, "the gateway did not answer", Some(&invoice_id)),
    };
    match outcome {
        Outcome::Accepted(status) => {
            json(StatusCode::OK, &settled(&invoice_id, status.state))
        }
        _ => fail(StatusCode::BAD_GATEWAY, ErrorCause::ServerUnavailable, "the gateway did not give the sale's status", Some(&invoice_id)),
    }
}

impl App {
    /// `session.checkSignature` for a sale without a stored card.
    pub fn check_signature(&self, serial_number: &str, nonce: &str, invoice_id: &str) -> String {
        self.key.check_signature(&CheckSignatureFields {
            serial_number,
            nonce,
            endpoint_id: &self.config.endpoint_id,
            invoice_id,
            server_card_id: None,
        })
    }
}

/// What a page sends to get a v2 `control`: the signed parts only, never card data.
const CONTROL_REQUEST: &[Field] = &[
    text("endpointId", Optional, 0, 0, Rule::Any),
    text("clientOrderId", Required, 0, 0, Rule::Any),
    text("amount", Required, 0, 0, Rule::Any),
    text("currency", Required, 0, 0, Rule::Any),
    text("email", Required, 0, 0, Rule::Any),
];

/// `POST /merchant/v2/control`: the /api/v2/sale `control` for (endpoint, clientOrderId, amount,
/// currency, email). Any other key (a card number, a CVV) is refused, not ignored.
pub async fn v2_control(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let reading = Reading { today: crate::today(), trim: false, unknown: Unknown::Refuse };
    let request = match read_checked(&headers, &body, None, |body| walk(&[CONTROL_REQUEST], &body, reading)) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let mut parts = Record::default();
    for field in CONTROL_REQUEST {
        parts.set(field.key, Got::from(request.text(field.key).unwrap_or_default()));
    }
    let endpoint_id = request.text("endpointId").unwrap_or(&app.config.endpoint_id).to_string();
    if endpoint_id != app.config.endpoint_id {
        return fail(StatusCode::FORBIDDEN, ErrorCause::Filtered, "this server signs for its own endpoint only", None);
    }
    parts.set("endpointId", Got::Text(endpoint_id));
    // Only the signed parts' own rules apply here; the rest of the request is the gateway's to check.
    let signed = ["endpointId", "clientOrderId", "amount", "currency", "email"];
    let errors: Vec<_> = check_v2_sale(&&Got::Record(parts.clone()), crate::today())
        .errors
        .into_iter()
        .filter(|error| signed.contains(&error.path.as_str()) && error.code != connpay_core::ErrorCode::RequestRequired)
        .collect();
    match ControlParts::of(&parts) {
        Some(control_parts) if errors.is_empty() => json(StatusCode::OK, &Record::default().field("control", app.key.v2_sale_control(&control_parts))),
        _ => invalid(&errors, None),
    }
}
