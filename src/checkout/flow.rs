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
use connpay_core::checkout::messages::{APPROVED, AUTHENTICATING, CANCEL, PROCESSING, REOPEN};
use connpay_core::checkout::sale::{
    check_session, order_answer, perform_sale_call, session_request, CardLabel, CheckoutSuccess, OrderAnswer, Purpose,
};
use connpay_core::checkout::{Field, FormState, Mark, TypedCard};
use connpay_core::sale::{check_perform_sale_call, Outcome, SaleAccepted, SaleStatus, StatusSession};
use connpay_core::value::{Got, Record};
use connpay_core::{gateway, ErrorCode, FieldError};
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{AbortController, Element, Event, HtmlDialogElement, HtmlElement};

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

/// `detail` of `checkout.challenge_closed` when the page's policy refused the issuer's page.
const CHALLENGE_BLOCKED: &str = "the page's Content-Security-Policy refused to frame the issuer's 3-D Secure page: add the issuers' origins to frame-src; the sale waits for the issuer and is followed to its final state";

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
    let report = Report { code: ErrorCode::CheckoutInvalid, next: Next::Retry, invoice_id: None, until: None };
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
    render_reopen(mounted);
}

/// Shows the button that opens the bank's window again while the sale waits for the issuer and
/// its window is closed (a page that can be shown, whose frame the page's policy allows); hides
/// it otherwise. It goes after the live region, and on unmount.
fn render_reopen(mounted: &Mounted) {
    let url = mounted.attempts(|attempts| attempts.reopenable().map(str::to_string));
    let shown = url.is_some_and(|url| gateway::is_safe_page(&url)) && !mounted.challenge_blocked.get() && !mounted.window_open();
    let button = match (mounted.reopen.take(), shown) {
        (Some(button), _) => button,
        (None, false) => return,
        (None, true) => match new_reopen_button(mounted) {
            Some(button) => button,
            None => return,
        },
    };
    button.0.set_text_content(Some(mounted.messages().text(REOPEN)));
    let _ = if shown { button.0.remove_attribute("hidden") } else { button.0.set_attribute("hidden", "") };
    mounted.reopen.set(Some(button));
}

fn new_reopen_button(mounted: &Mounted) -> Option<(Element, Listener)> {
    let button = mounted.page.changes.create("button").ok()?;
    let _ = button.set_attribute("type", "button");
    let _ = button.set_attribute("class", "connpay-reopen");
    let _ = mounted.page.status.insert_adjacent_element("afterend", &button);
    let weak = mounted.weak.clone();
    let listener = Listener::new(&button, "click", move |_| {
        if let Some(mounted) = weak.upgrade() {
            if let Some(url) = mounted.attempts(Attempts::reopen) {
                show_challenge(&mounted, &url);
                render_attempt(&mounted);
            }
        }
    });
    Some((button, listener))
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
    let error = match report.until {
        Some(until) => error.with("until", JsValue::from(until)).with_message(&mounted.words(report.code, report.until)),
        None => error,
    };
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
    mounted.say(report.until.map_or(Said::Code(report.code), |until| Said::Until(report.code, until)));
    call(&mounted.settings.callbacks.on_error, &error.into());
}

/// What an attempt pays: the card, as the payer is shown it, and the order as it stood when the
/// attempt began. A sale reports its own: `update()` between a cancelled challenge and its late
/// approval changes the next attempt, never what that sale charged.
#[derive(Clone)]
pub(super) struct Paying {
    label: CardLabel,
    order: Rc<Record>,
}

/// One attempt: the merchant's session, one perform sale, then its status to a final state. The
/// merchant's server may answer instead that the order is paid, or that a sale of it may still
/// be approved: then nothing is sent.
async fn attempt(mounted: &Rc<Mounted>, values: [String; 4], brand: Option<BrandId>) {
    let label = match &mounted.settings.saved {
        Some(saved) => CardLabel { brand: Some(saved.brand), last4: saved.last4.clone() },
        None => CardLabel::of(&values[0]),
    };
    let paying = Paying { label, order: mounted.order() };
    mounted.paying.set(Some(paying.clone()));
    // The server is asked about the order once the checkout's first question (at mount) was
    // answered: it may void an invoice it issued before, so the answers must not cross.
    if let Some(check) = mounted.checking.take() {
        let _ = JsFuture::from(check).await;
    }
    if !mounted.attempts(|attempts| attempts.starting()) {
        return;
    }
    let prepared = prepare(mounted, &values, brand, &paying.order).await;
    drop(values);
    let PreparedSale { invoice_id, endpoint_id, access_token, http } = match prepared {
        Ok(Ok(sale)) => sale,
        Ok(Err(answer)) => {
            let step = mounted.attempts(|attempts| attempts.order_answered(&answer));
            return on_order(mounted, step).await;
        }
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

/// Asks the merchant's `getSession` about the order (for the sale's amount, currency and payer,
/// and the card's brand): what it answered, read; `Err` with `checkout.session` when it threw,
/// rejected, or answered a status that is not one.
async fn ask(mounted: &Mounted, order: &Record, brand: Option<BrandId>, purpose: Purpose) -> Result<(OrderAnswer, JsValue), Error> {
    let session_failed = |cause: JsValue| {
        Error::new(ErrorCode::CheckoutSession, "")
            .with("detail", JsValue::from_str("getSession threw or rejected (see cause); nothing was sent to the gateway"))
            .with("cause", cause)
    };
    let request = js::record_to_js(&session_request(order, brand, purpose));
    let answer = mounted.settings.get_session.call1(&JsValue::UNDEFINED, &request).map_err(session_failed)?;
    let answer = JsFuture::from(Promise::resolve(&answer)).await.map_err(session_failed)?;
    let read = order_answer(&Js(answer.clone())).map_err(|problem| wrong_session(&[problem]))?;
    Ok((read, answer))
}

/// Asks the merchant's server about the order when the checkout is mounted, before the payer
/// typed anything: a paid order shows the approval at once, a pending one is followed; a session
/// it answers is not used (the next Pay asks again). A submit meanwhile waits for the answer.
pub(super) fn check_order(mounted: &Rc<Mounted>) {
    let mut answered: Option<js_sys::Function> = None;
    mounted.checking.set(Some(Promise::new(&mut |resolve, _| answered = Some(resolve))));
    let checking = mounted.clone();
    spawn_local(async move {
        // Unmounted at once (React StrictMode mounts twice): the next checkout asks.
        let step = match checking.attempts(|attempts| attempts.unmounted()) {
            true => None,
            false => match ask(&checking, &checking.order(), None, Purpose::Status).await {
                Ok((answer, _)) => checking.attempts(|attempts| attempts.order_answered(&answer)),
                Err(_) => None,
            },
        };
        // Answered: a submit waiting may go on while a pending sale is followed.
        if let Some(answered) = answered {
            let _ = answered.call0(&JsValue::UNDEFINED);
        }
        on_order(&checking, step).await;
    });
}

/// Does what the attempts made of a `getSession` answer about the order: the approval of a paid
/// order; the payer told of a pending sale, and `getSession` asked again (every
/// `pollIntervalMs`, after `maxWaitMs` every [`SLOW_POLL_MS`]) until it answers paid or a
/// session; or, after a pending sale that ended unapproved, Pay usable again. A failed question
/// is asked again.
async fn on_order(mounted: &Rc<Mounted>, step: Option<Step>) {
    let deadline = js_sys::Date::now() + mounted.settings.max_wait_ms;
    let mut step = step;
    loop {
        match step {
            Some(Step::Paid(invoice_id)) => {
                // The checkout did not see the card that paid it.
                let label = CardLabel { brand: None, last4: String::new() };
                return succeed(mounted, CheckoutSuccess::confirmed(&invoice_id, &mounted.order(), label));
            }
            Some(Step::Report(report)) if report.next == Next::Wait => tell(mounted, &report, Error::new(report.code, "")),
            Some(Step::Report(report)) => {
                let detail = "getSession answered a session after a pending sale of the order: that sale ended unapproved";
                return tell(mounted, &report, Error::new(report.code, "").with("detail", JsValue::from_str(detail)));
            }
            Some(Step::Poll) => {}
            _ => return,
        }
        let interval = mounted.settings.poll_interval_ms;
        mounted.pause(if js_sys::Date::now() >= deadline { interval.max(SLOW_POLL_MS) } else { interval }).await;
        if !mounted.attempts(|attempts| attempts.pending()) {
            return;
        }
        step = match ask(mounted, &mounted.order(), None, Purpose::Status).await {
            Ok((answer, _)) => mounted.attempts(|attempts| attempts.order_answered(&answer)),
            Err(_) => Some(Step::Poll),
        };
        mounted.close_if_window_removed();
    }
}

/// The merchant's session, and the perform sale made of it and the typed card, validated; or
/// what the merchant's server answered instead about the order (paid, or pending). A session no
/// sale can be made with is `checkout.session` naming the key at fault.
async fn prepare(
    mounted: &Mounted,
    values: &[String; 4],
    brand: Option<BrandId>,
    order: &Record,
) -> Result<Result<PreparedSale, OrderAnswer>, Error> {
    let settings = &mounted.settings;
    let (answer, session) = ask(mounted, order, brand, Purpose::Sale).await?;
    if answer != OrderAnswer::Session {
        return Ok(Err(answer));
    }
    let today = js::today(None)?;
    let session = check_session(&Js(session), today);
    if !session.errors.is_empty() {
        return Err(wrong_session(&session.errors));
    }
    let [number, expiry, cvv, holder] = values;
    let card = TypedCard { number, expiry, cvv, holder };
    let call = perform_sale_call(card, settings.saved.as_ref(), today, &session.record, order);
    prepare_call(&settings.gateway, check_perform_sale_call(&&Got::Record(call), today))
        .map(Ok)
        .map_err(|problems| wrong_session(&problems))
}

/// `checkout.session` for a `getSession` answer of the wrong shape: `path` is the key of the
/// answer at fault (`endpointId`, `nonce`, …), `detail` says what is wrong with it. The card and
/// the order were checked before, so every problem left is the session's.
fn wrong_session(problems: &[FieldError]) -> Error {
    let shape = "getSession must resolve to { endpointId, invoiceId, accessToken, nonce, signature }, { status: \"paid\", invoiceId } or { status: \"pending\", invoiceId, until?, redirectUrl? }";
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
        Outcome::ServerError { status, error: gateway_error } => {
            error.with("status", JsValue::from(*status)).with("gatewayError", js::to_js(gateway_error).unwrap_or(JsValue::NULL))
        }
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
        mounted.close_if_window_removed();
        match step {
            Step::Poll => {}
            Step::Challenge(url) => open_challenge(mounted, &url),
            Step::Report(report) if report.next == Next::Wait => tell(mounted, &report, outcome_error(report.code, &outcome)),
            Step::Report(report) => return tell(mounted, &report, outcome_error(report.code, &outcome)),
            Step::Approved(status) => return succeed(mounted, CheckoutSuccess::new(status, &paying.order, paying.label)),
            _ => return,
        }
        let interval = settings.poll_interval_ms;
        pause = Some(if now >= deadline { interval.max(SLOW_POLL_MS) } else { interval });
    }
}

/// The sale was approved: the checkout is finished, and `onSuccess` hears it once.
pub(super) fn succeed(mounted: &Mounted, success: CheckoutSuccess) {
    mounted.paying.set(None);
    finish_approved(mounted);
    call(&mounted.settings.callbacks.on_success, &js::to_js(&success).unwrap_or(JsValue::NULL));
}

/// What `confirmApproval(invoiceId)` reports: that invoice, with the order and the card of the
/// attempt that sent it (this checkout's, or the one it inherited).
pub(super) fn confirmed(mounted: &Mounted, invoice_id: &str) -> CheckoutSuccess {
    let paying = mounted.paying.take();
    let (order, label) = match paying {
        Some(Paying { label, order }) => (order, label),
        None => (mounted.order(), CardLabel { brand: None, last4: String::new() }),
    };
    CheckoutSuccess::confirmed(invoice_id, &order, label)
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

/// 3-D Secure: tells `onRedirect`, then shows the issuer's page in the window (a later URL
/// replaces the page in the open window). A URL that is not https (or http to localhost) is
/// neither shown nor handed on: the payer cannot answer it here, as after closing the window.
fn open_challenge(mounted: &Rc<Mounted>, url: &str) {
    if !gateway::is_safe_page(url) {
        return mounted.close_window();
    }
    call(&mounted.settings.callbacks.on_redirect, &JsValue::from_str(url));
    show_challenge(mounted, url);
}

/// Shows `url` in the 3-D Secure window: in the open one, or in a new one.
fn show_challenge(mounted: &Rc<Mounted>, url: &str) {
    if !gateway::is_safe_page(url) {
        return;
    }
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
        Listener::new(&cancel, "click", move |_| on_click.close_window()),
        // Escape closes a modal dialog, and so may the page's own code: either way the payer's
        // window is gone, as with the button.
        Listener::new(&dialog, "close", move |_| on_escape.close_window()),
        // A page whose policy forbids the issuer's frame shows the payer only the browser's
        // "blocked" notice: close the window, and tell the developer why.
        Listener::new(mounted.page.document(), "securitypolicyviolation", move |event| {
            let text =
                |key: &str| Reflect::get(event, &JsValue::from_str(key)).ok().and_then(|value| value.as_string()).unwrap_or_default();
            let framing = matches!(text("effectiveDirective").as_str(), "frame-src" | "child-src");
            if framing && text("blockedURI").starts_with(&issuer) {
                on_blocked.challenge_blocked.set(true);
                on_blocked.close_window();
            }
        }),
    ];
    Ok(Challenge { dialog, frame, _listeners: listeners })
}

impl Mounted {
    /// The 3-D Secure window was closed (its button, Escape while the focus is on the window's
    /// own controls, the page's code, a CSP block) or cannot be shown: it leaves the page at once.
    /// The sale is not ended (the issuer may still approve it, in a banking app): the payer is
    /// told so and until when, the status is still followed, and the bank's window can be opened
    /// again. Its listeners, one of which may be running now, go when it is opened again or the
    /// checkout is unmounted.
    fn close_window(self: &Rc<Self>) {
        if let Some(challenge) = self.challenge.take() {
            challenge.dialog.close();
            challenge.dialog.remove();
            // Its listeners, one of which may be running now, go once that one has returned.
            spawn_local(async move { drop(challenge) });
        }
        let lifetime = self.settings.challenge_lifetime_ms;
        match self.attempts(|attempts| attempts.close_challenge(js_sys::Date::now(), lifetime)) {
            Some(report) => {
                let error = Error::new(report.code, "");
                let blocked = self.challenge_blocked.get();
                tell(self, &report, if blocked { error.with("detail", JsValue::from_str(CHALLENGE_BLOCKED)) } else { error });
            }
            None => render_attempt(self),
        }
        // The window took the focus with it: it goes to the button that opens the window again.
        let reopen = self.reopen.take();
        if let Some(button) = reopen.as_ref().filter(|button| !button.0.has_attribute("hidden")) {
            let _ = button.0.unchecked_ref::<HtmlElement>().focus();
        }
        self.reopen.set(reopen);
    }

    /// Whether the 3-D Secure window is on the page.
    fn window_open(&self) -> bool {
        let open = self.challenge.take();
        let shown = open.is_some();
        self.challenge.set(open);
        shown
    }

    /// The page's own code took the 3-D Secure window out of the page: the payer cannot answer
    /// the issuer there any more, as after closing it.
    fn close_if_window_removed(self: &Rc<Self>) {
        let open = self.challenge.take();
        let removed = open.as_ref().is_some_and(|challenge| !challenge.dialog.is_connected());
        self.challenge.set(open);
        if removed {
            self.close_window();
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
