//! The gateway emulator's DAPI (perform sale, check sale, sale status): perform sale, which asks the
//! merchant server to check the sale over HTTP exactly as the real gateway does, and pays a sale
//! by card reference with the card its vault ([`crate::cards`]) holds under the merchant's
//! `serverCardId`; sale status, whose outcome the CVV chooses (as the gateway's sandbox does); and the emulated
//! 3-D Secure page, whose challenge the issuer keeps open for `--challenge-ttl` (an approval may
//! land at any moment until then, out of band too), that its own Cancel declines at once, and
//! that declines by itself when it expires.
//!
//! The endpoint takes one currency (`--currency`): a perform sale in another is refused.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use connpay_core::card::validate_card;
use connpay_core::sale::{
    check_perform_sale, check_status_body, Answer, CheckSaleResponse, ErrorCause, SaleRoute, SaleState, SaleStatus, SessionToken,
    StatusTransaction,
};
use connpay_core::schema::Checked;
use connpay_core::sign::{secrets_match, signatures_match, SessionSignatureFields};
use connpay_core::value::{to_json, Got, Record};
use serde::Deserialize;
use url::Url;

use crate::reply::{fail, invalid, json, read_checked};
use crate::store::{random_hex, Bounded, Forever};
use crate::App;
use crate::{cards, client};

/// What the CVV chooses (the gateway sandbox's test scenarios).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// 123, 1234, 111.
    Approve,
    /// 321: a 3-D Secure challenge, passed with `hint`.
    Challenge,
    /// 217: the status stays PROCESSING.
    Unknown,
    /// 101, 116, 119, 209 and anything else.
    Decline,
}

impl Scenario {
    /// The scenario of a security code.
    pub fn of(cvv: &str) -> Scenario {
        match cvv.trim() {
            "123" | "1234" | "111" => Scenario::Approve,
            "321" => Scenario::Challenge,
            "217" => Scenario::Unknown,
            _ => Scenario::Decline,
        }
    }
}

/// The password of the emulated 3-D Secure page.
pub const CHALLENGE_PASSWORD: &str = "hint";

/// A 3-D Secure challenge: open until the issuer's page answers it (the password, or its Cancel)
/// or until its deadline, when it is declined as an issuer's expired challenge is.
struct Challenge {
    deadline: Instant,
    /// The page's answer: approved or not. The first answer stands.
    answer: Option<bool>,
    /// The /api/v2 order it belongs to (none for a DAPI sale), whose final state is posted to the
    /// order's `server_callback_url` once the challenge ends.
    v2_order: Option<String>,
}

impl Challenge {
    /// Its result at `now`: the page's answer, or a decline once it expired unanswered.
    fn result(&self, now: Instant) -> Option<bool> {
        self.answer.or((now >= self.deadline).then_some(false))
    }

    fn expired(&self, now: Instant) -> bool {
        self.answer.is_none() && now >= self.deadline
    }
}

/// What answering a challenge did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answered {
    /// The answer was recorded: approved or not.
    Recorded(bool),
    /// An earlier answer stands (approved or not): a second cannot change it.
    Earlier(bool),
    /// The challenge expired unanswered: it is declined, and no answer changes that.
    Expired,
}

/// When a challenge opened `now` expires: `ttl` later (a day at most, whatever `ttl` says).
pub fn challenge_deadline(now: Instant, ttl: Duration) -> Instant {
    let longest = Duration::from_secs(crate::config::MAX_CHALLENGE_TTL_SECONDS);
    now + ttl.min(longest)
}

/// One sale the gateway accepted.
pub struct Sale {
    access_token: String,
    token: String,
    scenario: Scenario,
    amount_centis: u64,
    order_id: String,
    polls: u32,
    /// Its 3-D Secure page's key: random, known only from the status answer's `redirectUrl`.
    challenge_key: String,
}

impl Sale {
    /// Whether a status request's tokens are this sale's: both exactly, each compared in
    /// constant time so that the time taken tells nothing of how much of a guess was right.
    fn answers_to(&self, access_token: Option<&str>, token: Option<&str>) -> bool {
        access_token.is_some_and(|given| secrets_match(&self.access_token, given))
            && token.is_some_and(|given| secrets_match(&self.token, given))
    }
}

/// The gateway's memory: sales, used nonces and invoices, 3-D Secure results, v2 orders.
pub struct GatewayState {
    sales: Bounded<Sale>,
    /// Every nonce a perform sale used, and every invoice one was taken for, never forgotten.
    /// Refusing new sales once a bounded map is full would stop replays too, but only as long
    /// as every map that may drop an entry is checked before it does; a set nothing is ever
    /// removed from cannot be re-opened by any eviction, now or added later. Its memory grows
    /// only with perform sales whose signature verified: acceptable for a sandbox.
    used_nonces: Forever,
    taken_invoices: Forever,
    /// Challenge key → the challenge. The keys are random: a sale or an order holds its own, so
    /// that only who was given its page can answer it.
    challenges: Bounded<Challenge>,
    /// /api/v2/sale orders by the gateway's order id.
    pub v2_orders: Bounded<crate::v2::Order>,
    /// Every `client_orderid` an /api/v2/sale form was accepted with, never forgotten: the same
    /// signed form posted again gives no second order.
    client_order_ids: Forever,
    next_order: u64,
}

impl GatewayState {
    /// Empty, for `capacity` entries of each kind.
    pub fn new(capacity: usize) -> GatewayState {
        GatewayState {
            sales: Bounded::new(capacity),
            used_nonces: Forever::default(),
            taken_invoices: Forever::default(),
            challenges: Bounded::new(capacity),
            v2_orders: Bounded::new(capacity),
            client_order_ids: Forever::default(),
            next_order: 6_768_788,
        }
    }

    /// A new order number.
    pub fn next_order_id(&mut self) -> String {
        self.next_order += 1;
        self.next_order.to_string()
    }

    /// How many sales are kept (those refused after check sale among them, as declined).
    pub fn sale_count(&self) -> usize {
        self.sales.len()
    }

    /// The state the sale of `invoice_id` is in now, as its status would say it after its first
    /// answer; `None` when there is no sale under it.
    pub fn sale_state(&self, invoice_id: &str) -> Option<SaleState> {
        let sale = self.sales.get(invoice_id)?;
        Some(self.state(sale.scenario, sale.polls.max(1), &sale.challenge_key, Instant::now()))
    }

    /// Takes `client_order_id` for an accepted /api/v2/sale form, for good; `false` when a form
    /// was already accepted with it.
    pub fn take_client_order_id(&mut self, client_order_id: &str) -> bool {
        self.client_order_ids.insert(client_order_id)
    }

    /// The key of a sale's or an order's challenge, unguessable, for it to hold; registered (open
    /// until `deadline`) only when its scenario asks for 3-D Secure, so that the bounded map holds
    /// challenges alone and a pending one is not pushed out by every other sale. `v2_order` is
    /// the /api/v2 order it belongs to, if any.
    pub fn new_challenge(&mut self, scenario: Scenario, deadline: Instant, v2_order: Option<&str>) -> String {
        let key = random_hex(16);
        if scenario == Scenario::Challenge {
            let challenge = Challenge { deadline, answer: None, v2_order: v2_order.map(String::from) };
            self.challenges.insert_new(key.clone(), challenge);
        }
        key
    }

    /// Whether `key` is a sale's or an order's challenge key.
    pub fn has_challenge(&self, key: &str) -> bool {
        self.challenges.get(key).is_some()
    }

    /// Whether `key`'s challenge expired unanswered by `now` (and so was declined).
    pub fn challenge_expired(&self, key: &str, now: Instant) -> bool {
        self.challenges.get(key).is_some_and(|challenge| challenge.expired(now))
    }

    /// The /api/v2 order whose challenge `key` is.
    pub fn challenge_order(&self, key: &str) -> Option<String> {
        self.challenges.get(key)?.v2_order.clone()
    }

    /// Records the page's answer for `key` at `now`; `None` when there is no such challenge. The
    /// first answer stands, and an expired challenge stays declined: a late answer cannot turn a
    /// decline into an approval.
    pub fn answer_challenge(&mut self, key: &str, approved: bool, now: Instant) -> Option<Answered> {
        let challenge = self.challenges.get_mut(key)?;
        Some(match challenge.answer {
            Some(earlier) => Answered::Earlier(earlier),
            None if challenge.expired(now) => Answered::Expired,
            None => {
                challenge.answer = Some(approved);
                Answered::Recorded(approved)
            }
        })
    }

    /// A scenario's outcome at `now`, once there is one: approved or not. A challenge's is its
    /// page's answer, or a decline once it expired; an unknown outcome (217) has none.
    pub fn outcome(&self, scenario: Scenario, challenge_key: &str, now: Instant) -> Option<bool> {
        match scenario {
            Scenario::Approve => Some(true),
            Scenario::Decline => Some(false),
            Scenario::Unknown => None,
            Scenario::Challenge => self.challenges.get(challenge_key)?.result(now),
        }
    }

    /// Where a DAPI sale stands at `now` after `polls` earlier status requests: PROCESSING at
    /// first, then the outcome; a challenge waits for its page (found by the sale's own key) or
    /// its deadline.
    pub fn state(&self, scenario: Scenario, polls: u32, challenge_key: &str, now: Instant) -> SaleState {
        match (polls, scenario) {
            (0, _) | (_, Scenario::Unknown) => SaleState::Processing,
            _ => match self.outcome(scenario, challenge_key, now) {
                Some(true) => SaleState::Approved,
                Some(false) => SaleState::Declined,
                None => SaleState::RedirectRequest,
            },
        }
    }
}

/// Reads a DAPI call's JSON body, validates it with its route, and checks the endpoint is this
/// merchant's.
#[allow(clippy::result_large_err, reason = "the error is the handler's whole answer")]
fn read_call(
    app: &App,
    endpoint_id: &str,
    invoice_id: &str,
    headers: &HeaderMap,
    body: &[u8],
    check: impl FnOnce(&SaleRoute, &serde_json::Value) -> Checked,
) -> Result<Record, Response> {
    let route = SaleRoute { endpoint_id: Some(endpoint_id.to_string()), invoice_id: Some(invoice_id.to_string()) };
    let request = read_checked(headers, body, Some(invoice_id), |body| check(&route, body))?;
    if endpoint_id != app.config.endpoint_id {
        return Err(fail(StatusCode::NOT_FOUND, ErrorCause::InvalidConfiguration, "no such endpoint", Some(invoice_id)));
    }
    Ok(request)
}

/// `POST /paynet/dapi/v1/sale/{endpointId}/{invoiceId}`: perform sale.
pub async fn perform_sale(
    State(app): State<Arc<App>>,
    Path((endpoint_id, invoice_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let invoice = Some(invoice_id.as_str());
    let read = read_call(&app, &endpoint_id, &invoice_id, &headers, &body, |route, body| check_perform_sale(route, &body, crate::today()));
    let request = match read {
        Ok(request) => request,
        Err(response) => return response,
    };
    let Some(sale) = AcceptedFields::of(&request) else { return invalid(&[], invoice) };
    // The endpoint is configured for one currency, as a real one is.
    if sale.currency != app.config.currency {
        let message = format!("transaction.currency: this endpoint takes {} only", app.config.currency);
        return fail(StatusCode::BAD_REQUEST, ErrorCause::InvalidRequest, message, invoice);
    }
    let signed = SessionSignatureFields {
        access_token: &sale.access_token,
        serial_number: &sale.serial_number,
        endpoint_id: &endpoint_id,
        nonce: &sale.nonce,
        invoice_id: &invoice_id,
        amount_centis: sale.amount_centis,
        currency: &sale.currency,
    };
    if !app.key.verify_hmac(&signed.message(), &sale.signature) {
        return fail(StatusCode::BAD_REQUEST, ErrorCause::InvalidRequest, "session.signature does not verify: the merchant's server signed other values (endpoint, invoice, amount, currency, device, tokens) than this request carries, or with another control key", invoice);
    }
    // The nonce and the invoice are taken for good before the merchant is asked: two concurrent
    // replays cannot both pass, no eviction re-opens them, and the merchant is asked about an
    // invoice once at most.
    {
        let mut gateway = app.gateway.lock();
        if !gateway.used_nonces.insert(&sale.nonce) {
            return fail(StatusCode::BAD_REQUEST, ErrorCause::InvalidRequest, "session.nonce was already used", invoice);
        }
        if !gateway.taken_invoices.insert(&invoice_id) {
            return fail(StatusCode::CONFLICT, ErrorCause::InvalidRequest, "this invoice already has a sale", invoice);
        }
    }
    let token = random_hex(16);
    let checked = match check_with_merchant(&app, &invoice_id, &sale, &token).await {
        Ok(server_card_id) => check_source_of_funds(&sale, server_card_id.as_deref()),
        Err(reason) => Err(format!("the merchant did not confirm the sale: {reason}")),
    };
    let mut gateway = app.gateway.lock();
    let order_id = gateway.next_order_id();
    // A sale refused after check sale is a declined sale, as the gateway keeps it: the merchant,
    // which may have confirmed it, learns from its status that it ended and was never charged.
    let scenario = if checked.is_ok() { Scenario::of(&sale.security_code) } else { Scenario::Decline };
    let deadline = challenge_deadline(Instant::now(), app.config.challenge_ttl);
    let accepted = Sale {
        access_token: sale.access_token,
        token: token.clone(),
        scenario,
        amount_centis: sale.amount_centis,
        order_id,
        // A refused sale is decided at once: its first status is its last.
        polls: u32::from(checked.is_err()),
        challenge_key: gateway.new_challenge(scenario, deadline, None),
    };
    // The invoice was taken above, for good: no other sale is or will be under it.
    gateway.sales.insert_new(invoice_id.clone(), accepted);
    match checked {
        Ok(()) => json(StatusCode::OK, &connpay_core::sale::SuccessResponse { invoice_id, session: SessionToken { token } }),
        Err(reason) => fail(StatusCode::BAD_REQUEST, ErrorCause::ProcessingFailed, reason, invoice),
    }
}

/// The fields of a validated perform sale that the gateway uses.
struct AcceptedFields {
    access_token: String,
    nonce: String,
    signature: String,
    serial_number: String,
    amount_centis: u64,
    currency: String,
    security_code: String,
    /// `sourceOfFunds.reference.clientCardId`: the page's id of a stored card, for a sale by
    /// card reference.
    client_card_id: Option<String>,
}

impl AcceptedFields {
    /// The fields of a perform sale the walker accepted.
    fn of(request: &Record) -> Option<AcceptedFields> {
        let text = |path: &str| request.text(path).map(str::to_string);
        Some(AcceptedFields {
            access_token: text("session.accessToken")?,
            nonce: text("session.nonce")?,
            signature: text("session.signature")?,
            serial_number: text("consumer.device.serialNumber")?,
            amount_centis: request.number("transaction.amountCentis")? as u64,
            currency: text("transaction.currency")?,
            security_code: text("sourceOfFunds.card.securityCode").or_else(|| text("sourceOfFunds.reference.securityCode"))?,
            client_card_id: text("sourceOfFunds.reference.clientCardId"),
        })
    }
}

/// Check sale over HTTP, with the sale's `clientCardId` when it is by card
/// reference, and the merchant's `checkSignature` verified, over its `serverCardId` when it
/// names one; returns that `serverCardId`.
async fn check_with_merchant(app: &App, invoice_id: &str, sale: &AcceptedFields, token: &str) -> Result<Option<String>, String> {
    let device = Record::default().with("serialNumber", Got::from(sale.serial_number.as_str()));
    let session = Record::default()
        .with("accessToken", Got::from(sale.access_token.as_str()))
        .with("nonce", Got::from(sale.nonce.as_str()))
        .with("signature", Got::from(sale.signature.as_str()))
        .with("token", Got::from(token));
    let reference = sale.client_card_id.as_deref().map(|id| Record::default().with("clientCardId", Got::from(id)));
    let request = Record::default()
        .with("consumer", Got::Record(Record::default().with("device", Got::Record(device))))
        .with("session", Got::Record(session))
        .with("sourceOfFunds", reference.map(|reference| Got::Record(Record::default().with("reference", Got::Record(reference)))));
    let url = format!("{}/sale/{}/check", app.merchant_url, connpay_core::percent::encode_segment(invoice_id));
    let body = to_json(&request).into_bytes();
    let answer = client::post(&url, &[("Content-Type", "application/json")], body).await?;
    if answer.status != 200 {
        return Err(format!("check sale answered {}", answer.status));
    }
    let checked = serde_json::from_str::<serde_json::Value>(&answer.body)
        .ok()
        .and_then(|body| CheckSaleResponse::read(&&body))
        .ok_or_else(|| "check sale's answer is not the spec's JSON".to_string())?;
    let expected = app.check_signature(&sale.serial_number, &sale.nonce, invoice_id, checked.server_card_id.as_deref());
    let confirmed = checked.invoice_id == invoice_id
        && secrets_match(&sale.nonce, &checked.session.nonce)
        && secrets_match(token, &checked.session.token)
        && signatures_match(&expected, &checked.session.check_signature);
    if confirmed {
        Ok(checked.server_card_id)
    } else {
        Err("session.checkSignature does not verify".to_string())
    }
}

/// What pays for a sale the merchant confirmed: the card it carries (checked with the request),
/// or for a sale by card reference the card the vault holds under the merchant's `serverCardId`,
/// checked as a card sent in full is, with the reference's security code. The merchant must name
/// a stored card for a reference and none for a card: otherwise the two sides disagree on what
/// pays, and nothing is charged.
fn check_source_of_funds(sale: &AcceptedFields, server_card_id: Option<&str>) -> Result<(), String> {
    let card = match (&sale.client_card_id, server_card_id) {
        (None, None) => return Ok(()),
        (None, Some(_)) => return Err("the merchant named a stored card (serverCardId) for a sale by card".to_string()),
        (Some(_), None) => return Err("the merchant named no stored card (serverCardId) for this card reference".to_string()),
        (Some(_), Some(id)) => cards::stored(id).ok_or("no card is stored under the merchant's serverCardId")?,
    };
    let checked = validate_card(card.with_code(&sale.security_code), crate::today());
    let verdicts = [checked.number.verdict, checked.expiry.verdict, checked.cvv, checked.holder.verdict];
    match verdicts.iter().find_map(|verdict| verdict.code) {
        Some(code) => Err(format!("the stored card cannot pay: {}", code.detail())),
        None => Ok(()),
    }
}

/// `POST /paynet/dapi/v1/sale/{endpointId}/{invoiceId}/status`.
pub async fn sale_status(
    State(app): State<Arc<App>>,
    Path((endpoint_id, invoice_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let invoice = Some(invoice_id.as_str());
    let read = read_call(&app, &endpoint_id, &invoice_id, &headers, &body, |route, body| check_status_body(route, &body, crate::today()));
    let request = match read {
        Ok(request) => request,
        Err(response) => return response,
    };
    let mut gateway = app.gateway.lock();
    let Some(sale) = gateway.sales.get(&invoice_id) else {
        return fail(StatusCode::NOT_FOUND, ErrorCause::OrderNotFound, "no sale for this invoice", invoice);
    };
    // Tokens of no sale here: the gateway holds no sale of them (and says nothing of the one it
    // holds), as for an invoice it never had a sale of.
    if !sale.answers_to(request.text("session.accessToken"), request.text("session.token")) {
        return fail(StatusCode::NOT_FOUND, ErrorCause::OrderNotFound, "no sale with these tokens for this invoice", invoice);
    }
    let (scenario, polls, challenge_key) = (sale.scenario, sale.polls, sale.challenge_key.clone());
    let state = gateway.state(scenario, polls, &challenge_key, Instant::now());
    let Some(sale) = gateway.sales.get_mut(&invoice_id) else { return invalid(&[], invoice) };
    sale.polls = sale.polls.saturating_add(1);
    let status = SaleStatus {
        invoice_id: invoice_id.clone(),
        session: SessionToken { token: sale.token.clone() },
        state,
        redirect_url: (state == SaleState::RedirectRequest).then(|| app.challenge_url(&challenge_key)),
        bank_order_id: state.is_final().then(|| format!("BANK-{}", sale.order_id)),
        order_id: Some(sale.order_id.clone()),
        transaction: Some(StatusTransaction { amount_centis: Some(sale.amount_centis), commission_centis: None }),
    };
    json(StatusCode::OK, &status)
}

impl App {
    /// The emulated 3-D Secure page for a challenge key.
    pub fn challenge_url(&self, key: &str) -> String {
        format!("{}/sandbox/3ds/{}", self.base_url, connpay_core::percent::encode_segment(key))
    }
}

/// `?return=` of the 3-D Secure page.
#[derive(Deserialize)]
pub struct ReturnTo {
    #[serde(rename = "return")]
    return_to: Option<String>,
}

/// `GET /sandbox/3ds/{key}`: the emulated issuer's page: the password, Confirm, and Cancel.
pub async fn challenge_page(State(app): State<Arc<App>>, Path(key): Path<String>, Query(query): Query<ReturnTo>) -> Response {
    {
        let gateway = app.gateway.lock();
        if !gateway.has_challenge(&key) {
            return no_such_challenge();
        }
        if gateway.challenge_expired(&key, Instant::now()) {
            return app.challenge_expired();
        }
    }
    let return_to = query.return_to.and_then(|url| app.return_address(&url)).map(|url| escape(url.as_str())).unwrap_or_default();
    // Confirm comes first: Enter in the password field presses it. Cancel needs no password.
    let form = format!(
        r#"<p>ConnPay sandbox issuer. Enter the one-time password (it is <code>{CHALLENGE_PASSWORD}</code>) to approve the payment; anything else declines it, and so does Cancel.</p>
<form method="post">
  <label for="password">One-time password</label>
  <input id="password" name="password" type="text" autocomplete="one-time-code" required autofocus>
  <input type="hidden" name="return" value="{return_to}">
  <div class="actions">
    <button type="submit" name="action" value="confirm">Confirm</button>
    <button type="submit" name="action" value="cancel" formnovalidate class="cancel">Cancel</button>
  </div>
</form>"#
    );
    ([(header::CONTENT_SECURITY_POLICY, app.challenge_policy())], Html(page("3-D Secure", &form))).into_response()
}

/// The 3-D Secure form: `password` with `action=confirm` (or no action, as a script posts it),
/// or `action=cancel`.
#[derive(Deserialize)]
pub struct ChallengeForm {
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(rename = "return", default)]
    return_to: Option<String>,
}

/// `POST /sandbox/3ds/{key}`: `hint` approves, any other password declines, Cancel declines at
/// once (as an issuer's cancel ends its challenge); then back to the page. An expired challenge
/// stays declined.
pub async fn challenge_submit(State(app): State<Arc<App>>, Path(key): Path<String>, Form(form): Form<ChallengeForm>) -> Response {
    let approved = match (form.action.as_deref(), form.password.as_deref()) {
        (Some("cancel"), _) => false,
        (None | Some("confirm"), Some(password)) => password.trim() == CHALLENGE_PASSWORD,
        _ => return (StatusCode::BAD_REQUEST, Html(page("3-D Secure", "<p>Enter the one-time password, or cancel.</p>"))).into_response(),
    };
    let (answered, callback, payer_return) = {
        let mut gateway = app.gateway.lock();
        let now = Instant::now();
        let Some(answered) = gateway.answer_challenge(&key, approved, now) else { return no_such_challenge() };
        // An /api/v2 order's challenge ended: its final state goes to its callback URL.
        let order = gateway.challenge_order(&key);
        let callback = order.as_ref().and_then(|order_id| crate::v2::decide(&app, &mut gateway, order_id, now));
        // An /api/v2 order's payer goes back to its redirect_url, as the gateway sends them.
        let payer_return = order.and_then(|order_id| crate::v2::payer_return(&app, &gateway, &order_id));
        (answered, callback, payer_return)
    };
    if let Some(callback) = callback {
        crate::v2::send_callback(callback);
    }
    if answered == Answered::Expired {
        return app.challenge_expired();
    }
    match form.return_to.and_then(|url| app.return_address(&url)).or(payer_return) {
        Some(url) => Redirect::to(url.as_str()).into_response(),
        None => {
            // What the issuer decided, as it now stands: a second answer changes nothing.
            let said = match answered {
                Answered::Recorded(false) if form.action.as_deref() == Some("cancel") => "Payment cancelled. You may return to the shop.",
                Answered::Recorded(true) => "Authentication complete. You may return to the shop.",
                Answered::Recorded(false) => "Authentication failed: the payment is declined. You may return to the shop.",
                Answered::Earlier(true) => "Authentication complete (this payment was already authenticated). You may return to the shop.",
                Answered::Earlier(false) | Answered::Expired => "This payment was already declined. You may return to the shop.",
            };
            let done = page("3-D Secure", &format!("<p role=\"status\">{said}</p>"));
            ([(header::CONTENT_SECURITY_POLICY, app.challenge_policy())], Html(done)).into_response()
        }
    }
}

impl App {
    /// The page of a challenge that expired unanswered (410): its sale was declined. It may be
    /// framed as the challenge's page was.
    fn challenge_expired(&self) -> Response {
        let body = "<p role=\"status\">This 3-D Secure challenge expired, and the payment was declined. You may return to the shop.</p>";
        let expired = page("3-D Secure", body);
        (StatusCode::GONE, [(header::CONTENT_SECURITY_POLICY, self.challenge_policy())], Html(expired)).into_response()
    }

    /// The issuer page's policy: like the checkout's, but it may be framed (and may return) by
    /// the sandbox's own pages and the allowed origins, as a real issuer's challenge page is
    /// framed by the merchant's checkout.
    fn challenge_policy(&self) -> String {
        let origins = self.config.allowed_origins.join(" ");
        format!("default-src 'none'; style-src 'self'; form-action 'self' {origins}; frame-ancestors 'self' {origins}; base-uri 'none'")
    }

    /// Where the 3-D Secure page may send the payer back to: `text` read as a browser reads it,
    /// relative to the sandbox's own URL, when it is an http(s) page of the sandbox's origin or
    /// of an allowed origin. The answer is the URL as parsed, absolute and normalised, never the
    /// text: what is followed is what was checked. Never an open redirect.
    pub(crate) fn return_address(&self, text: &str) -> Option<Url> {
        // A browser drops tabs and newlines inside a URL and reads `\` as `/` (`/\t/evil.example/`
        // is `//evil.example/`): such a text is refused rather than cleaned, since nothing sends
        // one but an attacker.
        if text.is_empty() || text.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
            return None;
        }
        let url = Url::parse(&self.base_url).ok()?.join(text).ok()?;
        let origin = url.origin();
        let allowed = [&self.base_url]
            .into_iter()
            .chain(&self.config.allowed_origins)
            .filter_map(|allowed| Url::parse(allowed).ok())
            .any(|allowed| allowed.origin() == origin);
        // User information has no place in a return address, and a browser may ask about it.
        let plain = matches!(url.scheme(), "http" | "https") && url.username().is_empty() && url.password().is_none();
        (allowed && plain).then_some(url)
    }
}

/// The issuer page's own look: the sandbox's, whatever pages `--www` serves.
const ISSUER_STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}\
main{max-width:340px;margin:0 auto;padding:16px}h1{font-size:1.2rem;margin:0 0 8px}\
label{display:block;margin:12px 0 4px;font-weight:600}input{box-sizing:border-box;width:100%;padding:8px;font:inherit}\
button{margin-top:12px;padding:8px 16px;font:inherit;cursor:pointer}\
.actions{display:flex;flex-wrap:wrap;gap:8px}\
button.cancel{background:#fff;color:#1a1a1a;border:1px solid #595959;border-radius:2px}";

/// `GET /sandbox/issuer.css`.
pub async fn issuer_style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], ISSUER_STYLE).into_response()
}

fn no_such_challenge() -> Response {
    (StatusCode::NOT_FOUND, Html(page("No such challenge", "<p>This 3-D Secure challenge does not exist.</p>"))).into_response()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/sandbox/issuer.css\"></head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sale_answers_only_to_its_exact_tokens() {
        let sale = Sale {
            access_token: "a1B2".into(),
            token: "c3D4".into(),
            scenario: Scenario::Approve,
            amount_centis: 1,
            order_id: "1".into(),
            polls: 0,
            challenge_key: random_hex(16),
        };
        assert!(sale.answers_to(Some("a1B2"), Some("c3D4")));
        let near_misses = [
            (Some("a1b2"), Some("c3D4")),
            (Some("a1B2"), Some("C3D4")),
            (Some("a1B2"), Some("c3D")),
            (Some("a1B2"), Some("c3D44")),
            (None, Some("c3D4")),
            (Some("a1B2"), None),
        ];
        for (access_token, token) in near_misses {
            assert!(!sale.answers_to(access_token, token), "{access_token:?} {token:?}");
        }
    }
}
