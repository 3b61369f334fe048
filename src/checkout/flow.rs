//! The checkout's submit: every field checked, the merchant's session, one perform sale, its
//! status followed to a final state (3-D Secure in a window over the page), and the report.
//! Which attempt may begin, and what each answer means, is the core's
//! [`Attempts`](connpay_core::checkout::attempts::Attempts); this file does what it says.
//!
//! 3-D Secure opens the issuer's page in a modal `<dialog>` with an `<iframe>` over the
//! checkout rather than sending the payer away: the page, its values and the polling stay where
//! they are, nothing has to be stored to resume after a return, and the payer can cancel. The
//! frame is sandboxed without top navigation, so the issuer's page cannot move the merchant's.
//! The merchant's CSP must allow the issuer's pages in `frame-src` (see the README).

use std::rc::Rc;

use connpay_core::card::BrandId;
use connpay_core::checkout::attempts::{Attempts, Ending, Next, Refusal, Report, Step};
use connpay_core::checkout::messages::{APPROVED, AUTHENTICATING, CANCEL, PROCESSING};
use connpay_core::checkout::sale::{check_session, perform_sale_call, session_request, CardLabel, CheckoutSuccess};
use connpay_core::checkout::{Field, FormState, Mark, TypedCard};
use connpay_core::sale::{check_perform_sale_call, Outcome, SaleAccepted, SaleStatus, StatusSession};
use connpay_core::value::{Got, Record};
use connpay_core::{gateway, ErrorCode, FieldError};
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{AbortController, Element, Event, HtmlDialogElement};

use super::dom::{fresh_id, Listener};
use super::{call, Announce, Mounted, Said};
use crate::js::{self, Js};
use crate::sale::{exchange, prepare_call, PreparedSale, StatusCall};
use crate::{transport, Error};

/// After the longest wait the checkout keeps asking, but no more often than this: the sale may
/// take hours to settle, and the page may stay open all that time.
const SLOW_POLL_MS: f64 = 15_000.0;

/// The 3-D Secure window while it is open.
pub(super) struct Challenge {
    dialog: HtmlDialogElement,
    frame: Element,
    _listeners: [Listener; 3],
}

/// `detail` of `checkout.cancelled` when the page's policy refused the issuer's page.
const CHALLENGE_BLOCKED: &str = "the page's Content-Security-Policy refused to frame the issuer's 3-D Secure page: add the issuers' origins to frame-src; the sale still waited for the issuer, and nothing was charged";

/// Handles the form's `submit`: never the browser's own submission; nothing while an attempt
/// is under way or after approval (double clicks, Enter presses); after an uncertain attempt the
/// payer is told again why nothing happens; invalid fields marked and nothing sent; otherwise a
/// new attempt, in the background.
pub(super) fn submit(mounted: &Rc<Mounted>, event: &Event) {
    event.prevent_default();
    match mounted.attempts(|attempts| attempts.refusal()) {
        None => {}
        Some(Refusal::Unsettled(report)) => return mounted.say(Said::Code(report.code)),
        Some(_) => return,
    }
    for slot in &mounted.page.slots {
        slot.mark.set(Mark::SUBMITTED);
    }
    let Some(state) = mounted.refresh(Announce::No) else { return };
    if !state.valid {
        return report_invalid(mounted, &state);
    }
    // `onChange` ran meanwhile and may have unmounted the checkout: `begin` knows.
    if mounted.attempts(Attempts::begin).is_err() {
        return;
    }
    let values = mounted.values();
    render_attempt(mounted);
    mounted.say(Said::Notice(PROCESSING));
    call(&mounted.settings.callbacks.on_submit, &JsValue::UNDEFINED);
    let mounted = mounted.clone();
    spawn_local(async move { attempt(&mounted, values, state.brand).await });
}

/// Marks every invalid field, says so, moves the focus to the first, and tells `onError`
/// (`checkout.invalid`, with every field's problem on `errors`).
fn report_invalid(mounted: &Mounted, state: &FormState) {
    let messages = mounted.messages();
    let errors: Vec<FieldError> = Field::ALL
        .into_iter()
        .filter_map(|field| {
            let code = state.verdict(field).code?;
            Some(FieldError { path: field.path().to_string(), code, message: messages.error(code).to_string() })
        })
        .collect();
    if let Some(first) = Field::ALL.into_iter().find(|&field| !state.verdict(field).valid) {
        let _ = mounted.input(first).focus();
    }
    let report = Report { code: ErrorCode::CheckoutInvalid, next: Next::Retry, invoice_id: None };
    let error = Error::new(ErrorCode::CheckoutInvalid, "").with("errors", js::to_js(&errors).unwrap_or(JsValue::NULL));
    tell(mounted, &report, error);
}

/// Shows what the attempts allow: the submit button usable, and the card fields editable, only
/// when a new attempt may begin (the card on screen is the card being paid with), and the form
/// `aria-busy` while an attempt is under way.
pub(super) fn render_attempt(mounted: &Mounted) {
    let (ready, in_flight) = mounted.attempts(|attempts| (attempts.ready(), attempts.in_flight()));
    // Set through `changes`, so that unmount gives the button and the fields back as they were.
    let changes = &mounted.page.changes;
    let locked = mounted.page.slots.iter().map(|slot| (slot.input.as_ref(), "readonly"));
    for (element, attribute) in mounted.page.button.iter().map(|button| (button, "disabled")).chain(locked) {
        if ready {
            let _ = element.remove_attribute(attribute);
        } else {
            changes.set(element, attribute, "");
        }
    }
    changes.set(&mounted.page.form, "aria-busy", if in_flight { "true" } else { "false" });
}

/// A checkout mounted on a form whose earlier checkout left an unsettled or an approved sale:
/// it starts where that one ended, and says so. A sale in doubt reaches this checkout's
/// `onError` too (once `mountCheckout` has returned its handle), so that the code that settles
/// it runs again with the handle that can release it.
pub(super) fn resume(mounted: &Rc<Mounted>) {
    let (approved, unsettled) = mounted.attempts(|attempts| (attempts.approved(), attempts.unsettled().cloned()));
    if approved {
        render_attempt(mounted);
        mounted.say(Said::Notice(APPROVED));
    }
    if let Some(report) = unsettled {
        render_attempt(mounted);
        mounted.say(Said::Code(report.code));
        let mounted = mounted.clone();
        spawn_local(async move {
            let ending = Ending::of(report.code).map_or("", |ending| ending.code.detail());
            let detail = format!("left in doubt by an earlier checkout on this form: {ending}");
            let error = Error::new(report.code, "").with("detail", JsValue::from_str(&detail));
            call(&mounted.settings.callbacks.on_error, &report_error(&mounted, &report, error).into());
        });
    }
}

/// The error `onError` receives for `report`: `error`'s details, the payer's message in the
/// checkout's locale, what happened for the developer (`detail`, unless `error` has its own),
/// what the checkout allows `next`, and the invoice whose sale was sent.
pub(super) fn report_error(mounted: &Mounted, report: &Report, error: Error) -> Error {
    let detail = Ending::of(report.code).map_or("", |ending| ending.code.detail());
    let error = error
        .with_code(report.code)
        .with_message(mounted.messages().error(report.code))
        .with_default("detail", JsValue::from_str(detail))
        .with("next", JsValue::from_str(report.next.as_str()));
    match &report.invoice_id {
        Some(invoice_id) => error.with("invoiceId", JsValue::from_str(invoice_id)),
        None => error,
    }
}

/// Tells the payer and `onError` how the attempt ended (or, with `next: "wait"`, that it is
/// taking long), and shows what the checkout allows now.
fn tell(mounted: &Mounted, report: &Report, error: Error) {
    if report.next != Next::Wait {
        mounted.close_challenge();
    }
    render_attempt(mounted);
    let error = report_error(mounted, report, error);
    mounted.say(Said::Code(report.code));
    call(&mounted.settings.callbacks.on_error, &error.into());
}

/// What an attempt pays: the card, as the payer is shown it, and the order as it stood when the
/// attempt began. A sale reports its own: `update()` between a cancelled challenge and its late
/// approval changes the next attempt, never what that sale charged.
pub(super) struct Paying {
    label: CardLabel,
    order: Rc<Record>,
}

/// One attempt: the merchant's session, one perform sale, then its status to a final state.
async fn attempt(mounted: &Rc<Mounted>, values: [String; 4], brand: Option<BrandId>) {
    let label = match &mounted.settings.saved {
        Some(saved) => CardLabel { brand: Some(saved.brand), last4: saved.last4.clone() },
        None => CardLabel::of(&values[0]),
    };
    let paying = Paying { label, order: mounted.order() };
    // A challenge the payer cancelled may have been approved since, outside the window: find
    // out before anything else (before the merchant's server makes a new invoice).
    let recheck = mounted.attempts(|attempts| attempts.recheck().map(str::to_string));
    if let Some(cancelled) = recheck {
        let asked = mounted.cancelled.take();
        let outcome = match &asked {
            Some((call, _)) => Some(exchange(&call.http(), mounted.settings.timeout_ms, None).await),
            None => None,
        };
        match (mounted.attempts(|attempts| attempts.rechecked(&cancelled, outcome.as_ref())), asked) {
            (None, _) => {}
            (Some(Step::Approved(status)), Some((_, earlier))) => return succeed(mounted, status, earlier),
            // Still processing, or no answer: the cancelled sale may yet be charged. It is
            // followed to its final state, and this attempt sends nothing.
            (Some(Step::Poll), Some((call, earlier))) => return follow(mounted, call, earlier).await,
            (Some(Step::Report(report)), _) => return tell(mounted, &report, Error::new(report.code, "")),
            _ => return,
        }
    }
    let prepared = prepare(mounted, &values, brand, &paying.order).await;
    drop(values);
    let PreparedSale { invoice_id, endpoint_id, access_token, http } = match prepared {
        Ok(sale) => sale,
        Err(error) => {
            let report = mounted.attempts(|attempts| attempts.abandon(error.code()));
            if let Some(report) = report {
                tell(mounted, &report, error);
            }
            return;
        }
    };
    // The last moment to stop: the checkout may have been unmounted while getSession ran.
    if !mounted.attempts(|attempts| attempts.send_sale(&invoice_id)) {
        return;
    }
    let outcome: Outcome<SaleAccepted> = exchange(&http, mounted.settings.timeout_ms, None).await;
    drop(http);
    let step = mounted.attempts(|attempts| attempts.sale_answered(&invoice_id, &outcome));
    match (step, outcome) {
        (Step::Poll, Outcome::Accepted(accepted)) => {
            let call = StatusCall {
                gateway: mounted.settings.gateway.clone(),
                endpoint_id,
                invoice_id,
                session: StatusSession { access_token, token: accepted.session_token },
            };
            follow(mounted, call, paying).await;
        }
        (Step::Report(report), outcome) => tell(mounted, &report, outcome_error(report.code, &outcome)),
        _ => {}
    }
}

/// The merchant's session, and the perform sale made of it and the typed card, validated. A
/// session no sale can be made with is `checkout.session` naming the key at fault.
async fn prepare(mounted: &Mounted, values: &[String; 4], brand: Option<BrandId>, order: &Record) -> Result<PreparedSale, Error> {
    let settings = &mounted.settings;
    let session_failed = |cause: JsValue| {
        Error::new(ErrorCode::CheckoutSession, "")
            .with("detail", JsValue::from_str("getSession threw or rejected (see cause); nothing was sent to the gateway"))
            .with("cause", cause)
    };
    let request = js::record_to_js(&session_request(order, brand));
    let session = settings.get_session.call1(&JsValue::UNDEFINED, &request).map_err(session_failed)?;
    let session = JsFuture::from(Promise::resolve(&session)).await.map_err(session_failed)?;
    let today = js::today(None)?;
    let session = check_session(&Js(session), today);
    if !session.errors.is_empty() {
        return Err(wrong_session(&session.errors));
    }
    let [number, expiry, cvv, holder] = values;
    let card = TypedCard { number, expiry, cvv, holder };
    let call = perform_sale_call(card, settings.saved.as_ref(), today, &session.record, order);
    prepare_call(&settings.gateway, check_perform_sale_call(&&Got::Record(call), today)).map_err(|problems| wrong_session(&problems))
}

/// `checkout.session` for a `getSession` answer of the wrong shape: `path` is the key of the
/// answer at fault (`endpointId`, `nonce`, …), `detail` says what is wrong with it. The card and
/// the order were checked before, so every problem left is the session's.
fn wrong_session(problems: &[FieldError]) -> Error {
    let shape = "getSession must resolve to { endpointId, invoiceId, accessToken, nonce, signature }";
    let error = Error::new(ErrorCode::CheckoutSession, "").with("errors", js::to_js(&problems).unwrap_or(JsValue::NULL));
    match problems.first() {
        Some(problem) if !problem.path.is_empty() => {
            let key = problem.path.strip_prefix("session.").unwrap_or(&problem.path);
            let detail = format!("getSession's answer: {key} {}; {shape}", problem.message);
            error.at(key).with("detail", JsValue::from_str(&detail))
        }
        _ => error.with("detail", JsValue::from_str(shape)),
    }
}

/// The error of a gateway answer that ended the attempt, with what the gateway said.
fn outcome_error<T>(code: ErrorCode, outcome: &Outcome<T>) -> Error {
    let error = Error::new(code, "");
    match outcome {
        Outcome::Rejected(fail) => error.with("gatewayError", js::to_js(&fail.error).unwrap_or(JsValue::NULL)),
        Outcome::ServerError { status, error: gateway_error } => error
            .with("status", JsValue::from(*status))
            .with("gatewayError", js::to_js(gateway_error).unwrap_or(JsValue::NULL)),
        Outcome::OutcomeUnknown { reason } => error.with("reason", js::to_js(reason).unwrap_or(JsValue::NULL)),
        Outcome::Accepted(_) => error,
    }
}

/// Asks the accepted sale's status until the attempts say it is decided: the first time at once,
/// then every `pollIntervalMs`, and after `maxWaitMs` (once reported) every [`SLOW_POLL_MS`].
/// A poll that fails is simply asked again: polling only reads.
async fn follow(mounted: &Rc<Mounted>, call: StatusCall, paying: Paying) {
    let settings = &mounted.settings;
    let http = call.http();
    let invoice_id = call.invoice_id.as_str();
    let deadline = js_sys::Date::now() + settings.max_wait_ms;
    let mut pause = None;
    loop {
        if let Some(milliseconds) = pause {
            mounted.pause(milliseconds).await;
        }
        if !mounted.attempts(|attempts| attempts.following(invoice_id)) {
            return;
        }
        let outcome: Outcome<SaleStatus> = exchange(&http, settings.timeout_ms, None).await;
        let now = js_sys::Date::now();
        let step = mounted.attempts(|attempts| attempts.status_answered(invoice_id, &outcome, now >= deadline, now));
        mounted.cancel_if_window_removed();
        match step {
            Step::Poll => {}
            Step::Challenge(url) => open_challenge(mounted, &url),
            Step::Report(report) if report.next == Next::Wait => tell(mounted, &report, outcome_error(report.code, &outcome)),
            Step::Report(report) => {
                let error = outcome_error(report.code, &outcome);
                let cancelled = report.code == ErrorCode::CheckoutCancelled;
                let blocked = cancelled && mounted.challenge_blocked.get();
                if cancelled {
                    mounted.cancelled.set(Some((call, paying)));
                }
                return tell(mounted, &report, if blocked { error.with("detail", JsValue::from_str(CHALLENGE_BLOCKED)) } else { error });
            }
            Step::Approved(status) => return succeed(mounted, status, paying),
            Step::Stop => return,
        }
        let interval = settings.poll_interval_ms;
        pause = Some(if now >= deadline { interval.max(SLOW_POLL_MS) } else { interval });
    }
}

/// The sale was approved: the checkout is finished.
fn succeed(mounted: &Mounted, status: SaleStatus, paying: Paying) {
    finish_approved(mounted);
    let success = CheckoutSuccess::new(status, &paying.order, paying.label);
    call(&mounted.settings.callbacks.on_success, &js::to_js(&success).unwrap_or(JsValue::NULL));
}

/// Shows the approval: the window goes, the number and the security code leave the page (the
/// card is named by brand and last four digits), nothing can be edited or paid again.
pub(super) fn finish_approved(mounted: &Mounted) {
    mounted.close_challenge();
    // Emptied on purpose: no field of a paid form is marked for it.
    for slot in &mounted.page.slots {
        slot.mark.set(Mark::default());
    }
    for field in [Field::Number, Field::Cvv] {
        let input = mounted.input(field);
        input.set_value("");
        mounted.slot(field).digits.set(0);
        // A field a saved card does not ask for has no state to show.
        if mounted.settings.saved.is_none() || field == Field::Cvv {
            mounted.page.changes.class(input, "connpay-empty", true);
            mounted.page.changes.class(input, "connpay-valid", false);
        }
    }
    render_attempt(mounted);
    mounted.say(Said::Notice(APPROVED));
}

/// 3-D Secure: shows the issuer's page in the window (a later URL replaces the page in the open
/// window), after telling `onRedirect`. A URL that is not https (or http to localhost) is
/// neither shown nor handed on: the challenge cannot be answered, so the attempt is cancelled
/// once the gateway confirms that the sale still waits for it.
fn open_challenge(mounted: &Rc<Mounted>, url: &str) {
    if !gateway::is_safe_page(url) {
        mounted.cancel_sale();
        return;
    }
    call(&mounted.settings.callbacks.on_redirect, &JsValue::from_str(url));
    if let Some(challenge) = mounted.challenge.take() {
        let _ = challenge.frame.set_attribute("src", url);
        mounted.challenge.set(Some(challenge));
        return;
    }
    mounted.challenge_blocked.set(false);
    if let Ok(challenge) = build_challenge(mounted, url) {
        let _ = challenge.dialog.show_modal();
        mounted.challenge.set(Some(challenge));
    }
}

fn build_challenge(mounted: &Rc<Mounted>, url: &str) -> Result<Challenge, Error> {
    let changes = &mounted.page.changes;
    let messages = mounted.messages();
    let dialog: HtmlDialogElement = changes.create("dialog")?.dyn_into().map_err(|_| Error::internal())?;
    let title = changes.create("h2")?;
    let frame = changes.create("iframe")?;
    let cancel = changes.create("button")?;
    let title_id = fresh_id("challenge");
    let _ = dialog.set_attribute("class", "connpay-challenge");
    let _ = dialog.set_attribute("aria-labelledby", &title_id);
    let _ = title.set_attribute("id", &title_id);
    title.set_text_content(Some(messages.text(AUTHENTICATING)));
    // No `allow-top-navigation`: the issuer's page cannot navigate the merchant's.
    let sandbox = "allow-forms allow-scripts allow-same-origin";
    for (name, value) in [
        ("src", url),
        ("title", messages.text(AUTHENTICATING)),
        ("width", "390"),
        ("height", "400"),
        ("referrerpolicy", "no-referrer"),
        ("sandbox", sandbox),
    ] {
        let _ = frame.set_attribute(name, value);
    }
    let _ = cancel.set_attribute("type", "button");
    cancel.set_text_content(Some(messages.text(CANCEL)));
    for child in [&title, &frame, &cancel] {
        let _ = dialog.append_child(child);
    }
    let body = mounted.page.body().ok_or_else(Error::internal)?;
    let _ = body.append_child(&dialog);
    let (on_click, on_escape, on_blocked) = (mounted.clone(), mounted.clone(), mounted.clone());
    let issuer = gateway::origin_of(url).to_string();
    let listeners = [
        Listener::new(&cancel, "click", move |_| on_click.cancel_sale()),
        // Escape closes a modal dialog, and so may the page's own code: either way the payer's
        // window is gone, as with the button.
        Listener::new(&dialog, "close", move |_| on_escape.cancel_sale()),
        // A page whose policy forbids the issuer's frame shows the payer only the browser's
        // "blocked" notice: end the attempt, and tell the developer why.
        Listener::new(mounted.page.document(), "securitypolicyviolation", move |event| {
            let text = |key: &str| Reflect::get(event, &JsValue::from_str(key)).ok().and_then(|value| value.as_string()).unwrap_or_default();
            let framing = matches!(text("effectiveDirective").as_str(), "frame-src" | "child-src");
            if framing && text("blockedURI").starts_with(&issuer) {
                on_blocked.challenge_blocked.set(true);
                on_blocked.cancel_sale();
            }
        }),
    ];
    Ok(Challenge { dialog, frame, _listeners: listeners })
}

impl Mounted {
    /// The payer closed the 3-D Secure window (Cancel, or Escape while the focus is on the
    /// window's own controls): the window leaves the page at once, and the next status decides.
    /// Its listeners, one of which is running now, go when the attempt ends.
    fn cancel_sale(&self) {
        let changed = self.attempts(|attempts| attempts.cancel(js_sys::Date::now()));
        // Put back: its listeners, one of which may be running now, go when the attempt ends.
        let open = self.challenge.take();
        if let Some(challenge) = &open {
            challenge.dialog.close();
            challenge.dialog.remove();
        }
        self.challenge.set(open);
        if changed {
            self.wake();
        }
    }

    /// The page's own code took the 3-D Secure window out of the page: the payer cannot answer
    /// the issuer any more, as after Cancel.
    fn cancel_if_window_removed(&self) {
        let open = self.challenge.take();
        let removed = open.as_ref().is_some_and(|challenge| !challenge.dialog.is_connected());
        self.challenge.set(open);
        if removed {
            self.cancel_sale();
        }
    }

    /// Waits `milliseconds`, or until [`Mounted::wake`].
    async fn pause(&self, milliseconds: f64) {
        let controller = AbortController::new().ok();
        self.wake.set(controller.clone());
        transport::sleep(milliseconds, controller.as_ref().map(AbortController::signal).as_ref()).await;
    }

    /// Closes and removes the 3-D Secure window, if open.
    pub(super) fn close_challenge(&self) {
        if let Some(challenge) = self.challenge.take() {
            challenge.dialog.close();
            challenge.dialog.remove();
        }
    }
}
