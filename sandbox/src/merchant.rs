//! The reference merchant server (the Connecting Party's side, FACTS §1–2): access token,
//! initiate sale, check sale (spec `004`), settling an invoice whose outcome the page could not
//! learn, and the v2 `control`. It keeps its own invoices, apart from the gateway emulator's
//! sales, as a real merchant server would.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use connpay_core::sale::{ErrorCause, Outcome, SaleStatus};
use connpay_core::sign::CheckSignatureFields;
use connpay_core::value::{Got, Record, ToGot};
use connpay_merchant::{Invoice, InvoiceState, Settlement};

use crate::cards;
use crate::client;
use crate::fault::Fault;
use crate::reply::{fail, invalid, json, read_json, send};
use crate::store::{random_hex, Bounded};
use crate::App;

/// An invoice as the sandbox's merchant keeps it: the library's record, and a test hook.
pub struct Kept {
    invoice: Invoice,
    /// Test hook: answer check sale with a wrong `checkSignature`.
    wrong_check_signature: bool,
}

/// The merchant's memory.
pub struct MerchantState {
    access_tokens: Bounded<()>,
    invoices: Bounded<Kept>,
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
    let body = match read_json(&headers, &body, None) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut merchant = app.merchant.lock();
    let issued = |token: &str| merchant.access_tokens.get(token).is_some();
    match app.merchant_account.initiate_sale(&&body, issued) {
        Ok((answer, invoice)) => {
            let kept = Kept { wrong_check_signature: Fault::read(&headers).wrong_check_signature, invoice };
            merchant.invoices.insert_new(kept.invoice.invoice_id.clone(), kept);
            send(answer)
        }
        Err(refusal) => send(refusal),
    }
}

/// `POST /merchant/sale/{invoiceId}/check`: what the gateway asks before it processes a sale.
/// The request must match the stored invoice; the answer carries `session.checkSignature`. A
/// sale by card reference names one of the demo saved cards ([`cards`]): the answer carries its
/// `sourceOfFunds.reference.serverCardId`, signed; any other `clientCardId` is refused.
pub async fn check_sale(State(app): State<Arc<App>>, Path(invoice_id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let body = match read_json(&headers, &body, Some(&invoice_id)) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let mut merchant = app.merchant.lock();
    let kept = merchant.invoices.get_mut(&invoice_id);
    let wrong_check_signature = kept.as_ref().is_some_and(|kept| kept.wrong_check_signature);
    let invoice = kept.map(|kept| &mut kept.invoice);
    // The demo cards are every payer's, so the invoice (whose payer a real shop would look
    // among the cards of) is not needed.
    let server_card_id = |client_card_id: &str, _: &Invoice| cards::server_card_id(client_card_id).map(String::from);
    let mut reply = app.merchant_account.check_sale(&invoice_id, &&body, invoice, server_card_id);
    if wrong_check_signature && reply.status == 200 {
        // The test hook: the gateway will refuse this sale, so the invoice stays unconfirmed.
        if let Some(kept) = merchant.invoices.get_mut(&invoice_id) {
            kept.invoice.state = InvoiceState::Initiated;
        }
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
    let gateway = match connpay_core::gateway::Gateway::parse(&app.base_url) {
        Ok(gateway) => gateway,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, ErrorCause::ServerFailed, "no gateway to ask", Some(&invoice_id)),
    };
    let request = {
        let mut merchant = app.merchant.lock();
        let Some(kept) = merchant.invoices.get_mut(&invoice_id) else {
            return fail(StatusCode::NOT_FOUND, ErrorCause::InvalidRequest, "no such invoice", Some(&invoice_id));
        };
        // Under the same lock as check sale: either the check came first, or it never will be confirmed.
        match app.merchant_account.settle(&mut kept.invoice) {
            Settlement::Voided => return json(StatusCode::OK, &settled(&invoice_id, "VOIDED")),
            Settlement::AskGateway => app.merchant_account.status_request(&gateway, &kept.invoice),
        }
    };
    let Some(request) = request else { return invalid(&[], Some(&invoice_id)) };
    let headers: Vec<(&str, &str)> = request.headers.to_vec();
    let outcome = match client::post(&request.url, &headers, request.body).await {
        Ok(answer) => connpay_merchant::Merchant::read_status(answer.status, &answer.body),
        Err(_) => return fail(StatusCode::BAD_GATEWAY, ErrorCause::ServerUnavailable, "the gateway did not answer", Some(&invoice_id)),
    };
    match outcome {
        Outcome::<SaleStatus>::Accepted(status) if status.invoice_id == invoice_id => json(StatusCode::OK, &settled(&invoice_id, status.state)),
        _ => fail(StatusCode::BAD_GATEWAY, ErrorCause::ServerUnavailable, "the gateway did not give the sale's status", Some(&invoice_id)),
    }
}

impl App {
    /// `session.checkSignature` of a sale; `server_card_id` is the stored card's for a sale by
    /// card reference (spec `004`: signed last, when present).
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
