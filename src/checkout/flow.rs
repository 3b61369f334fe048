//! The checkout's submit: every field checked, the merchant's session, one perform sale, its
//! status followed to a final state (3-D Secure in a window over the page), and the report.
//!
//! 3-D Secure opens the issuer's page in a modal `<dialog>` with an `<iframe>` over the
//! checkout rather than sending the payer away: the page, its values and the polling stay where
//! they are, nothing has to be stored to resume after a return, and the payer can cancel. The
//! merchant's CSP must allow the issuer's pages in `frame-src` (see the README).

use std::rc::Rc;

use connpay_core::card::BrandId;
use connpay_core::checkout::messages::{AUTHENTICATING, CANCEL, PROCESSING};
use connpay_core::checkout::sale::{perform_sale_call, sale_failure, CheckoutSession, CheckoutSuccess};
use connpay_core::checkout::{Field, FormState, TypedCard};
use connpay_core::sale::{Outcome, SaleAccepted, SaleState, StatusSession};
use connpay_core::{gateway, ErrorCode, FieldError};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{AbortController, Element, Event, HtmlDialogElement};

use super::dom::{fresh_id, Listener};
use super::{call, Announce, Mounted};
use crate::js::{self, read_model};
use crate::sale::{poll_until_final, prepare_call, PollPlan, StatusCall};
use crate::Error;

/// The 3-D Secure window while it is open.
pub(super) struct Challenge {
    dialog: HtmlDialogElement,
    frame: Element,
    _listeners: [Listener; 2],
}

/// Handles the form's `submit`: never the browser's own submission; nothing while a sale is in
/// flight (double clicks, Enter presses); invalid fields marked and nothing sent; otherwise the
/// sale, in the background.
pub(super) fn submit(mounted: &Rc<Mounted>, event: &Event) {
    event.prevent_default();
    match mounted.live.try_borrow_mut() {
        Ok(mut live) if !live.busy && !live.unmounted => live.marks.submit(),
        _ => return,
    }
    let Some(state) = mounted.refresh(Announce::No) else { return };
    if !state.valid {
        report_invalid(mounted, &state);
        return;
    }
    let values = mounted.values();
    set_busy(mounted, true);
    mounted.announce(mounted.settings.messages.text(PROCESSING));
    call(&mounted.settings.callbacks.on_submit, &JsValue::UNDEFINED);
    let mounted = mounted.clone();
    spawn_local(async move {
        let result = sale(&mounted, &values, state.brand).await;
        drop(values);
        finish(&mounted, result);
    });
}

/// Marks every invalid field, says so, moves the focus to the first, and tells `onError`
/// (`checkout.invalid`, with every field's problem on `errors`).
fn report_invalid(mounted: &Mounted, state: &FormState) {
    let messages = &mounted.settings.messages;
    let errors: Vec<FieldError> = Field::ALL
        .into_iter()
        .filter_map(|field| {
            let code = state.verdict(field).code?;
            Some(FieldError { path: field.path().to_string(), code, message: messages.error(code).to_string() })
        })
        .collect();
    let message = messages.error(ErrorCode::CheckoutInvalid);
    mounted.announce(message);
    if let Some(first) = Field::ALL.into_iter().find(|&field| !state.verdict(field).valid) {
        let _ = mounted.input(first).focus();
    }
    let error = Error::new(ErrorCode::CheckoutInvalid, message).with("errors", js::to_js(&errors).unwrap_or(JsValue::NULL));
    call(&mounted.settings.callbacks.on_error, &error.into());
}

/// Disables the submit button and marks the form busy, or the reverse.
fn set_busy(mounted: &Mounted, busy: bool) {
    if let Ok(mut live) = mounted.live.try_borrow_mut() {
        live.busy = busy;
    }
    // Set through `changes`, so that unmount gives the button and the form back as they were.
    let changes = &mounted.page.changes;
    if let Some(button) = &mounted.page.button {
        if busy {
            changes.set(button, "disabled", "");
        } else {
            let _ = button.remove_attribute("disabled");
        }
    }
    changes.set(&mounted.page.form, "aria-busy", if busy { "true" } else { "false" });
}

/// The sale: the merchant's session, one perform sale, then its status to a final state.
async fn sale(mounted: &Rc<Mounted>, values: &[String; 4], brand: Option<BrandId>) -> Result<CheckoutSuccess, Error> {
    let settings = &mounted.settings;
    let session_failed = |cause: JsValue| Error::new(ErrorCode::CheckoutSession, "getSession failed").with("cause", cause);
    let request = js::to_js(&settings.order.session_request(brand))?;
    let session = settings.get_session.call1(&JsValue::UNDEFINED, &request).map_err(session_failed)?;
    let session = JsFuture::from(Promise::resolve(&session)).await.map_err(session_failed)?;
    let session: CheckoutSession = read_model(session)
        .map_err(|_| Error::new(ErrorCode::CheckoutSession, "getSession must resolve to { endpointId, invoiceId, accessToken, nonce, signature }"))?;
    let access_token = session.access_token.clone().unwrap_or_default();

    let [number, expiry, cvv, holder] = values;
    let card = TypedCard { number, expiry, cvv, holder };
    let sale = prepare_call(&settings.gateway, perform_sale_call(card, js::today(None)?, session, settings.order.clone()))?;
    mounted.guard.borrow_mut().begin(&sale.invoice_id).map_err(|code| Error::new(code, "this checkout cannot send another sale"))?;
    let accepted = match sale.send(settings.timeout_ms, None, &mounted.guard).await {
        Outcome::Accepted(accepted) => accepted,
        failed => return Err(failure(&failed)),
    };

    let cancel = AbortController::new().map_err(|_| Error::internal())?;
    if let Ok(mut live) = mounted.live.try_borrow_mut() {
        live.cancel = Some(cancel.clone());
    }
    let status_call = StatusCall {
        gateway: settings.gateway.clone(),
        endpoint_id: sale.endpoint_id.clone(),
        invoice_id: accepted.invoice_id,
        session: StatusSession { access_token, token: accepted.session_token },
    };
    let on_redirect = mounted.clone();
    let plan = PollPlan {
        interval_ms: settings.poll_interval_ms,
        max_wait_ms: settings.max_wait_ms,
        timeout_ms: settings.timeout_ms,
        on_redirect: Some(Box::new(move |url| open_challenge(&on_redirect, url))),
        signal: Some(cancel.signal()),
    };
    let status = poll_until_final(&status_call, &plan).await.map_err(|error| match error.code() {
        ErrorCode::StatusAborted => Error::new(ErrorCode::CheckoutCancelled, "the payer closed the 3-D Secure window"),
        _ => error,
    })?;
    match status.state {
        SaleState::Approved => Ok(CheckoutSuccess::new(status, &settings.order, number)),
        _ => Err(Error::new(ErrorCode::SaleDeclined, "the sale was declined").with("invoiceId", JsValue::from_str(&status.invoice_id))),
    }
}

/// The error of a perform sale that was not accepted, with what the gateway said.
fn failure(outcome: &Outcome<SaleAccepted>) -> Error {
    let code = sale_failure(outcome).unwrap_or(ErrorCode::Internal);
    let error = Error::new(code, "the sale was not accepted");
    match outcome {
        Outcome::Rejected(fail) => error.with("gatewayError", js::to_js(&fail.error).unwrap_or(JsValue::NULL)),
        Outcome::ServerError { status, error: gateway_error } => error
            .with("status", JsValue::from(*status))
            .with("gatewayError", js::to_js(gateway_error).unwrap_or(JsValue::NULL)),
        Outcome::OutcomeUnknown { reason } => error.with("reason", js::to_js(reason).unwrap_or(JsValue::NULL)),
        Outcome::Accepted(_) => error,
    }
}

/// Reports the sale's end in the live region and to the merchant. After a failure the button
/// comes back and every value stays; after approval the checkout is finished.
fn finish(mounted: &Mounted, result: Result<CheckoutSuccess, Error>) {
    mounted.close_challenge();
    let unmounted = match mounted.live.try_borrow_mut() {
        Ok(mut live) => {
            live.cancel = None;
            live.unmounted
        }
        Err(_) => false,
    };
    let messages = &mounted.settings.messages;
    let callbacks = &mounted.settings.callbacks;
    match result {
        Ok(success) => {
            mounted.page.changes.set(&mounted.page.form, "aria-busy", "false");
            if !unmounted {
                mounted.announce(messages.text(connpay_core::checkout::messages::APPROVED));
                call(&callbacks.on_success, &js::to_js(&success).unwrap_or(JsValue::NULL));
            }
        }
        Err(error) => {
            set_busy(mounted, false);
            if !unmounted {
                let message = messages.error(error.code());
                mounted.announce(message);
                call(&callbacks.on_error, &error.with_message(message).into());
            }
        }
    }
}

/// 3-D Secure: tells `onRedirect`, then shows the issuer's page in the window (a later URL
/// replaces the page in the open window). A URL that is not https (or http to localhost) is
/// not shown; the status polling goes on to its end.
fn open_challenge(mounted: &Rc<Mounted>, url: &str) {
    call(&mounted.settings.callbacks.on_redirect, &JsValue::from_str(url));
    if !gateway::is_safe_page(url) {
        return;
    }
    if let Some(challenge) = mounted.challenge.try_borrow().ok().as_ref().and_then(|open| open.as_ref()) {
        let _ = challenge.frame.set_attribute("src", url);
        return;
    }
    if let (Ok(challenge), Ok(mut slot)) = (build_challenge(mounted, url), mounted.challenge.try_borrow_mut()) {
        let _ = challenge.dialog.show_modal();
        *slot = Some(challenge);
    }
}

fn build_challenge(mounted: &Rc<Mounted>, url: &str) -> Result<Challenge, Error> {
    let changes = &mounted.page.changes;
    let messages = &mounted.settings.messages;
    let dialog: HtmlDialogElement = changes.create("dialog")?.dyn_into().map_err(|_| Error::internal())?;
    let title = changes.create("h2")?;
    let frame = changes.create("iframe")?;
    let cancel = changes.create("button")?;
    let title_id = fresh_id("challenge");
    let _ = dialog.set_attribute("class", "connpay-challenge");
    let _ = dialog.set_attribute("aria-labelledby", &title_id);
    let _ = title.set_attribute("id", &title_id);
    title.set_text_content(Some(messages.text(AUTHENTICATING)));
    for (name, value) in [("src", url), ("title", messages.text(AUTHENTICATING)), ("width", "390"), ("height", "400"), ("referrerpolicy", "no-referrer")] {
        let _ = frame.set_attribute(name, value);
    }
    let _ = cancel.set_attribute("type", "button");
    cancel.set_text_content(Some(messages.text(CANCEL)));
    for child in [&title, &frame, &cancel] {
        let _ = dialog.append_child(child);
    }
    let body = mounted.page.body().ok_or_else(Error::internal)?;
    let _ = body.append_child(&dialog);
    let (on_click, on_escape) = (mounted.clone(), mounted.clone());
    let listeners = [
        Listener::add(&cancel, "click", move |_| on_click.cancel_sale()),
        // Escape closes a modal dialog: the payer gave up, as with the button.
        Listener::add(&dialog, "cancel", move |_| on_escape.cancel_sale()),
    ];
    Ok(Challenge { dialog, frame, _listeners: listeners })
}

impl Mounted {
    /// Stops following the sale: its end is reported as `checkout.cancelled`.
    fn cancel_sale(&self) {
        let cancel = self.live.try_borrow().ok().and_then(|live| live.cancel.clone());
        if let Some(cancel) = cancel {
            cancel.abort();
        }
    }

    /// Closes and removes the 3-D Secure window, if open.
    pub(super) fn close_challenge(&self) {
        let challenge = self.challenge.try_borrow_mut().ok().and_then(|mut challenge| challenge.take());
        if let Some(challenge) = challenge {
            challenge.dialog.close();
            challenge.dialog.remove();
        }
    }
}
