//! The gateway calls: perform sale, sale status, polling to a final state, and the sale session
//! of one checkout. Each call validates in the core, sends the core's request once, and hands
//! the answer back to the core to classify.

use std::cell::RefCell;
use std::rc::Rc;

use connpay_core::checkout::machine::{Checkout, Clock, Config, Effect, Event, Fate, Kind, Prepared, Refused};
use connpay_core::checkout::messages::Messages;
use connpay_core::gateway;
use connpay_core::sale::{
    check_perform_sale_call, check_status_call, sale_status_request, Answer, HttpRequest, Outcome, PollStep, SaleRoute, SaleStatus,
    StatusPoll, StatusSession, MAX_WAIT, POLL_INTERVAL, SALE_TIMEOUT, STATUS_TIMEOUT,
};
use connpay_core::ErrorCode;
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use crate::gateway::read_gateway;
use crate::js::{self, require_valid, Js, Options};
use crate::transport;
use crate::Error;

#[wasm_bindgen]
extern "C" {
    /// The options of one gateway request (declared in `types`).
    #[wasm_bindgen(typescript_type = "RequestOptions")]
    pub type RequestOptions;

    /// The options of `waitForFinalState` (declared in `types`).
    #[wasm_bindgen(typescript_type = "WaitOptions")]
    pub type WaitOptions;
}

/// A perform sale read and checked by the walker (the card's expiry against the browser's
/// clock), as its request; an invalid one is `request.invalid` with every problem.
fn prepare_sale(gateway: &gateway::Gateway, request: JsValue) -> Result<Prepared, Error> {
    let checked = check_perform_sale_call(&Js(request), js::today(None)?);
    if !checked.errors.is_empty() {
        return Err(Error::invalid_request(&checked.errors));
    }
    Ok(Prepared::of(gateway, &checked.record))
}

/// Sends a request once and classifies the answer, parsed by the engine's `JSON.parse`; no
/// answer is an unknown outcome.
pub(crate) async fn exchange<T: Answer>(http: &HttpRequest, timeout_ms: f64, signal: Option<&AbortSignal>) -> Outcome<T> {
    match transport::send(http, timeout_ms, signal).await {
        Ok(answer) => Outcome::classify(answer.status, js_sys::JSON::parse(&answer.body).ok().map(Js).as_ref()),
        Err(reason) => Outcome::unknown(reason),
    }
}

/// Rejects with `sale.aborted` when the caller's signal is already aborted: nothing is sent.
fn refuse_if_aborted(signal: Option<&AbortSignal>) -> Result<(), Error> {
    match signal {
        Some(signal) if signal.aborted() => Err(Error::of(ErrorCode::SaleAborted)),
        _ => Ok(()),
    }
}

/// Turns a synchronous failure into a rejected promise, so that callers handle one path.
fn promise(result: Result<Promise, Error>) -> Promise {
    result.unwrap_or_else(|error| Promise::reject(&error.into()))
}

/// The options of one gateway request (`RequestOptions`): any other key is a mistake.
const REQUEST_OPTION_KEYS: &[&str] = &["timeoutMs", "signal"];

/// Sends one perform sale and resolves to its outcome: `accepted`, `rejected`, `serverError`
/// or `outcomeUnknown` (never a decline: the sale may have happened; check its status). The
/// request is validated first; an invalid one rejects with `request.invalid` and is not sent.
/// Never retried.
#[wasm_bindgen(js_name = performSale, unchecked_return_type = "Promise<SaleOutcome>")]
pub fn perform_sale(
    #[wasm_bindgen(unchecked_param_type = "Gateway | string")] gateway: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PerformSale")] request: JsValue,
    options: Option<RequestOptions>,
) -> Promise {
    promise(read_gateway(&gateway).and_then(|gateway| start_sale(&gateway, request, options.map(Into::into), None)))
}

fn start_sale(
    gateway: &gateway::Gateway,
    request: JsValue,
    options: Option<JsValue>,
    session: Option<Rc<RefCell<Session>>>,
) -> Result<Promise, Error> {
    let options = Options::read(options)?;
    options.only("", REQUEST_OPTION_KEYS)?;
    let timeout_ms = options.milliseconds(SALE_TIMEOUT)?;
    let signal = options.signal()?;
    let sale = prepare_sale(gateway, request)?;
    refuse_if_aborted(signal.as_ref())?;
    // A session's sale goes through its checkout machine, which refuses it or sends it.
    let request = match &session {
        Some(session) => {
            let effects = session.borrow_mut().handle(Event::Perform(sale.clone())).map_err(refused)?;
            effects.into_iter().find_map(|effect| match effect {
                Effect::Send { request, kind: Kind::Sale, .. } => Some(request),
                _ => None,
            })
        }
        None => None,
    };
    Ok(future_to_promise(async move {
        let outcome = exchange(&sale.http, timeout_ms, signal.as_ref()).await;
        if let (Some(session), Some(request)) = (session, request) {
            let _ = session.borrow_mut().handle(Event::Sale { request, outcome: outcome.clone() });
        }
        Ok(js::to_js(&outcome)?)
    }))
}

/// Why a `SaleSession` sends nothing now.
fn refused(refused: Refused) -> Error {
    let error = Error::of(refused.code);
    match refused.invoice_id {
        Some(invoice_id) => error.with("invoiceId", JsValue::from_str(&invoice_id)),
        None => error,
    }
}

/// The arguments of a status call, validated.
#[derive(Clone)]
pub(crate) struct StatusCall {
    pub(crate) gateway: gateway::Gateway,
    pub(crate) endpoint_id: String,
    pub(crate) invoice_id: String,
    pub(crate) session: StatusSession,
}

impl StatusCall {
    fn read(gateway: &JsValue, endpoint_id: JsValue, invoice_id: JsValue, session: JsValue) -> Result<StatusCall, Error> {
        let gateway = read_gateway(gateway)?;
        let route = SaleRoute { endpoint_id: endpoint_id.as_string(), invoice_id: invoice_id.as_string() };
        let mut checked = check_status_call(&route, &Js(session), js::today(None)?);
        // An id given, but not as text, is of the wrong type rather than missing.
        for (key, value) in [("endpointId", &endpoint_id), ("invoiceId", &invoice_id)] {
            if value.as_string().is_none() && !value.is_undefined() && !value.is_null() {
                for error in checked.errors.iter_mut().filter(|error| error.path == key) {
                    (error.code, error.message) = (ErrorCode::RequestType, "must be text (a string)".to_string());
                }
            }
        }
        require_valid(checked.errors)?;
        Ok(StatusCall {
            gateway,
            endpoint_id: route.endpoint_id.unwrap_or_default(),
            invoice_id: route.invoice_id.unwrap_or_default(),
            session: StatusSession::of(checked.record.record("session").unwrap_or(&Default::default())),
        })
    }

    pub(crate) fn http(&self) -> HttpRequest {
        sale_status_request(&self.gateway, &self.endpoint_id, &self.invoice_id, &self.session)
    }
}

/// Asks once for a sale's status and resolves to the outcome (`accepted` carries the status).
#[wasm_bindgen(js_name = saleStatus, unchecked_return_type = "Promise<SaleStatusOutcome>")]
pub fn sale_status(
    #[wasm_bindgen(unchecked_param_type = "Gateway | string")] gateway: JsValue,
    #[wasm_bindgen(js_name = endpointId, unchecked_param_type = "string")] endpoint_id: JsValue,
    #[wasm_bindgen(js_name = invoiceId, unchecked_param_type = "string")] invoice_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "StatusTokens")] session: JsValue,
    options: Option<RequestOptions>,
) -> Promise {
    promise((|| {
        let call = StatusCall::read(&gateway, endpoint_id, invoice_id, session)?;
        let options = Options::read(options.map(Into::into))?;
        options.only("", REQUEST_OPTION_KEYS)?;
        let timeout_ms = options.milliseconds(STATUS_TIMEOUT)?;
        let signal = options.signal()?;
        Ok(future_to_promise(async move {
            let outcome: Outcome<SaleStatus> = exchange(&call.http(), timeout_ms, signal.as_ref()).await;
            Ok(js::to_js(&outcome)?)
        }))
    })())
}

/// Polls sale status until APPROVED or DECLINED and resolves to that status. On
/// REDIRECT_REQUEST (3-D Secure) calls `onRedirect(url)` once per URL that is https (or http to
/// localhost), never another, and keeps polling. A failed
/// poll is repeated (polling only reads), and so is an answer about another invoice or another
/// sale's token. Rejects with `status.timeout` after `maxWaitMs`,
/// `status.aborted` when `signal` aborts, `status.rejected` when the gateway refuses the status
/// request (its error on `gatewayError`).
#[wasm_bindgen(js_name = waitForFinalState, unchecked_return_type = "Promise<FinalSaleStatus>")]
pub fn wait_for_final_state(
    #[wasm_bindgen(unchecked_param_type = "Gateway | string")] gateway: JsValue,
    #[wasm_bindgen(js_name = endpointId, unchecked_param_type = "string")] endpoint_id: JsValue,
    #[wasm_bindgen(js_name = invoiceId, unchecked_param_type = "string")] invoice_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "StatusTokens")] session: JsValue,
    options: Option<WaitOptions>,
) -> Promise {
    promise((|| {
        let call = StatusCall::read(&gateway, endpoint_id, invoice_id, session)?;
        let plan = PollPlan::read(options)?;
        let answers = StatusPoll::following(&call.invoice_id, &call.session.token);
        Ok(future_to_promise(async move { Ok(js::to_js(&poll_until_final(&call.invoice_id, &call.http(), answers, &plan).await?)?) }))
    })())
}

/// The page's `onRedirect`, as polling calls it.
type OnRedirect = Box<dyn Fn(&str)>;

/// How to poll a sale's status.
struct PollPlan {
    interval_ms: f64,
    max_wait_ms: f64,
    timeout_ms: f64,
    /// Called once per 3-D Secure URL.
    on_redirect: Option<OnRedirect>,
    signal: Option<AbortSignal>,
}

impl PollPlan {
    /// `WaitOptions`, checked.
    fn read(options: Option<WaitOptions>) -> Result<PollPlan, Error> {
        let options = Options::read(options.map(Into::into))?;
        options.only("", &["timeoutMs", "signal", POLL_INTERVAL.key, MAX_WAIT.key, "onRedirect"])?;
        Ok(PollPlan {
            interval_ms: options.milliseconds(POLL_INTERVAL)?,
            max_wait_ms: options.milliseconds(MAX_WAIT)?,
            timeout_ms: options.milliseconds(STATUS_TIMEOUT)?,
            on_redirect: options.function("onRedirect")?.map(|on_redirect| -> OnRedirect {
                // The page's callback may throw; polling goes on regardless.
                Box::new(move |url| drop(on_redirect.call1(&JsValue::UNDEFINED, &JsValue::from_str(url))))
            }),
            signal: options.signal()?,
        })
    }

    fn check_aborted(&self) -> Result<(), Error> {
        match &self.signal {
            Some(signal) if signal.aborted() => Err(Error::of(ErrorCode::StatusAborted)),
            _ => Ok(()),
        }
    }
}

/// Every way the wait ends short of a final state names the invoice it was about. `answers`
/// knows which status answers are about the sale followed: any other is a failed poll.
async fn poll_until_final(invoice_id: &str, http: &HttpRequest, answers: StatusPoll, plan: &PollPlan) -> Result<SaleStatus, Error> {
    poll(http, answers, plan).await.map_err(|error| error.with("invoiceId", JsValue::from_str(invoice_id)))
}

async fn poll(http: &HttpRequest, mut poll: StatusPoll, plan: &PollPlan) -> Result<SaleStatus, Error> {
    let deadline = js_sys::Date::now() + plan.max_wait_ms;
    loop {
        plan.check_aborted()?;
        let outcome = exchange(http, plan.timeout_ms, plan.signal.as_ref()).await;
        plan.check_aborted()?;
        match poll.observe(outcome) {
            PollStep::Done(status) => return Ok(status),
            // Only a page a browser may be sent to (https, or http to localhost), as
            // `mountCheckout` checks it: a `javascript:` URL never reaches the page's callback.
            PollStep::Redirect(url) if gateway::is_safe_page(&url) => {
                if let Some(on_redirect) = &plan.on_redirect {
                    on_redirect(&url);
                }
            }
            PollStep::Redirect(_) => {}
            PollStep::KeepPolling => {}
            PollStep::Stop(fail) => {
                let details = js::to_js(&fail.error).unwrap_or(JsValue::NULL);
                return Err(Error::of(ErrorCode::StatusRejected).with("gatewayError", details));
            }
        }
        if js_sys::Date::now() + plan.interval_ms > deadline {
            return Err(Error::of(ErrorCode::StatusTimeout));
        }
        transport::sleep(plan.interval_ms, plan.signal.as_ref()).await;
    }
}

/// One checkout's sales, under the same rules as `mountCheckout`'s attempts: a second
/// `performSale` is refused while one is in flight (`sale.in_flight`), after one was accepted
/// (`sale.already_accepted`) until the session's own `waitForFinalState` sees it `DECLINED`,
/// and after one whose outcome is unknown (`sale.outcome_unknown`, with its `invoiceId`) until
/// `allowNewAttempt(invoiceId)`. A sale the gateway refused leaves the session free.
#[wasm_bindgen]
pub struct SaleSession {
    /// Checked once, when the session is made.
    gateway: gateway::Gateway,
    /// The one state cell, the session's checkout machine (no form: only its sales), borrowed
    /// only for one event, never across a callback or an await.
    state: Rc<RefCell<Session>>,
}

/// A `SaleSession`'s checkout machine.
struct Session(Checkout);

impl Session {
    fn new(gateway: gateway::Gateway) -> Session {
        let config = Config {
            gateway,
            order: Default::default(),
            messages: Messages::default(),
            language: String::new(),
            saved: None,
            timeout_ms: SALE_TIMEOUT.default,
            poll_interval_ms: POLL_INTERVAL.default,
            max_wait_ms: MAX_WAIT.default,
            challenge_lifetime_ms: 0.0,
        };
        Session(Checkout::session(config))
    }

    fn handle(&mut self, event: Event) -> Result<Vec<Effect>, Refused> {
        let today = js::today(None).unwrap_or_else(|_| connpay_core::card::YearMonth::new(1970, 1).expect("a month"));
        self.0.handle(event, Clock { now: js_sys::Date::now(), today })
    }
}

#[wasm_bindgen]
impl SaleSession {
    /// A session for one checkout against `gateway`, checked now.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "Gateway | string")] gateway: JsValue) -> Result<SaleSession, Error> {
        let gateway = read_gateway(&gateway)?;
        Ok(SaleSession { state: Rc::new(RefCell::new(Session::new(gateway.clone()))), gateway })
    }

    /// Like the module's `performSale`, under this session's rules. A refusal rejects the
    /// returned promise; nothing is sent.
    #[wasm_bindgen(js_name = performSale, unchecked_return_type = "Promise<SaleOutcome>")]
    pub fn perform_sale(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PerformSale")] request: JsValue,
        options: Option<RequestOptions>,
    ) -> Promise {
        promise(start_sale(&self.gateway, request, options.map(Into::into), Some(self.state.clone())))
    }

    /// Polls the status of this session's accepted sale, as the module's `waitForFinalState`
    /// does, and records its end: `DECLINED` frees the session for a new sale, `APPROVED` ends
    /// it (no new sale, and `allowNewAttempt` refused). Rejects with `argument.invalid` when no
    /// sale of this session was accepted.
    #[wasm_bindgen(js_name = waitForFinalState, unchecked_return_type = "Promise<FinalSaleStatus>")]
    pub fn wait_for_final_state(&self, options: Option<WaitOptions>) -> Promise {
        let state = self.state.clone();
        promise((|| {
            let call = state.borrow().0.status_call().map(|(invoice_id, http, answers)| (invoice_id.to_string(), http.clone(), answers));
            let (invoice_id, http, answers) =
                call.ok_or_else(|| Error::invalid_argument("session", "this session has no accepted sale to follow"))?;
            let plan = PollPlan::read(options)?;
            Ok(future_to_promise(async move {
                let status = poll_until_final(&invoice_id, &http, answers, &plan).await?;
                let _ = state.borrow_mut().handle(Event::Final(status.clone()));
                Ok(js::to_js(&status)?)
            }))
        })())
    }

    /// Whether a sale is being sent now.
    #[wasm_bindgen(getter, js_name = inFlight)]
    pub fn in_flight(&self) -> bool {
        self.state.borrow().0.selling()
    }

    /// After a sale whose outcome was unknown, or an accepted one whose final state it could not
    /// learn, the merchant's server learnt that `invoiceId` was not charged: the session may send
    /// a new sale. Throws `argument.invalid` unless `invoiceId` is that sale's invoice (a sale
    /// the session saw approved is never released).
    #[wasm_bindgen(js_name = allowNewAttempt)]
    pub fn allow_new_attempt(
        &self,
        #[wasm_bindgen(js_name = invoiceId, unchecked_param_type = "string")] invoice_id: JsValue,
    ) -> Result<(), Error> {
        let allowed = invoice_id
            .as_string()
            .is_some_and(|invoice_id| self.state.borrow_mut().handle(Event::Settle { invoice_id, fate: Fate::NotCharged }).is_ok());
        if allowed {
            Ok(())
        } else {
            Err(Error::invalid_argument("invoiceId", "this session has no accepted or uncertain sale with that invoice"))
        }
    }
}

/// Validates a perform-sale request (with its `endpointId` and `invoiceId`) without sending it:
/// every problem at once, each with its path, code and message. Never throws for the request;
/// `today` (for the card's expiry) defaults to the browser's clock.
#[wasm_bindgen(js_name = validatePerformSale, unchecked_return_type = "RequestValidation")]
pub fn validate_perform_sale_js(
    #[wasm_bindgen(unchecked_param_type = "PerformSale")] request: JsValue,
    today: Option<crate::Today>,
) -> Result<JsValue, Error> {
    js::validation(request, today.as_deref(), check_perform_sale_call)
}
