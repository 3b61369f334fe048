//! Moving the core's HTTP requests over the browser's `fetch`, and timers.
//!
//! `fetch` is bound as a global (and gloo's timers bind `setTimeout` so), so the module works in
//! a window and in a worker alike. The request is built by hand rather than with gloo-net's
//! builder: measured in one build, gloo-net cost 3.2 KB gzip more (BENCHMARKS.md), over the
//! design card's 2 KB limit. Every request is sent once, with `credentials: "omit"` (no
//! cookies travel to the gateway), `redirect: "manual"` (a redirect is not followed), and a
//! timeout; a request that gets no answer is an unknown outcome, never a failure of the sale.

use std::cell::Cell;
use std::rc::Rc;

use connpay_core::sale::{HttpRequest, UnknownReason};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Response, ResponseType};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch(url: &str, init: &Object) -> Promise;
}

/// A status and a body: what the core classifies.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
}

/// Calls `on_fire` after `milliseconds` (at most 2^31 − 1, as every option is checked), unless
/// dropped first.
fn after(milliseconds: f64, on_fire: impl FnOnce() + 'static) -> gloo_timers::callback::Timeout {
    gloo_timers::callback::Timeout::new(milliseconds as u32, on_fire)
}

/// Runs `on_abort` when `signal` aborts, until dropped.
fn on_abort(signal: &AbortSignal, mut on_abort: impl FnMut() + 'static) -> gloo_events::EventListener {
    gloo_events::EventListener::new(signal, "abort", move |_| on_abort())
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// Sends `request` once. `Err` means no answer: a network failure, the timeout, or the caller's
/// `signal`.
pub(crate) async fn send(request: &HttpRequest, timeout_ms: f64, signal: Option<&AbortSignal>) -> Result<Answer, UnknownReason> {
    let controller = AbortController::new().map_err(|_| UnknownReason::Network)?;
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        after(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let _listener = signal.map(|signal| {
        let controller = controller.clone();
        on_abort(signal, move || controller.abort())
    });
    let reason = || {
        if timed_out.get() {
            UnknownReason::Timeout
        } else if signal.is_some_and(AbortSignal::aborted) {
            UnknownReason::Aborted
        } else {
            UnknownReason::Network
        }
    };

    let headers = Object::new();
    for (name, value) in request.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    let init = Object::new();
    for (key, value) in [
        ("method", request.method),
        ("body", request.body.as_str()),
        ("credentials", "omit"),
        ("redirect", "manual"),
        ("cache", "no-store"),
        ("mode", "cors"),
        ("referrerPolicy", "no-referrer"),
    ] {
        set(&init, key, &JsValue::from_str(value));
    }
    set(&init, "headers", &headers);
    set(&init, "signal", &controller.signal());

    let response: Response =
        JsFuture::from(fetch(&request.url, &init)).await.map_err(|_| reason())?.dyn_into().map_err(|_| UnknownReason::Network)?;
    if response.type_() == ResponseType::Opaqueredirect {
        // The server answered with a redirect, which is not followed: an answer, not the spec's.
        return Ok(Answer { status: 0, body: String::new() });
    }
    let text = response.text().map_err(|_| reason())?;
    let body = JsFuture::from(text).await.map_err(|_| reason())?;
    Ok(Answer { status: response.status(), body: body.as_string().unwrap_or_default() })
}

/// Resolves after `milliseconds`, or as soon as `signal` aborts.
pub(crate) async fn sleep(milliseconds: f64, signal: Option<&AbortSignal>) {
    let mut wake: Option<Function> = None;
    let promise = Promise::new(&mut |resolve, _reject| wake = Some(resolve));
    let Some(wake) = wake else { return };
    let _timer = {
        let wake = wake.clone();
        after(milliseconds, move || {
            let _ = wake.call0(&JsValue::UNDEFINED);
        })
    };
    let _listener = signal.map(|signal| {
        on_abort(signal, move || {
            let _ = wake.call0(&JsValue::UNDEFINED);
        })
    });
    let _ = JsFuture::from(promise).await;
}
