//! Moving the core's HTTP requests over the browser's `fetch`, and timers.
//!
//! `fetch`, `setTimeout` and `clearTimeout` are bound as globals, so the module works in a
//! window and in a worker alike. Every request is sent once, with `credentials: "omit"` (no
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
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, milliseconds: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// A status and a body: what the core classifies.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
}

/// Calls `on_fire` after `milliseconds`, until dropped.
struct Timer {
    id: JsValue,
    _handler: Closure<dyn FnMut()>,
}

impl Timer {
    fn start(milliseconds: f64, on_fire: impl FnMut() + 'static) -> Timer {
        let handler = Closure::<dyn FnMut()>::new(on_fire);
        let id = set_timeout(handler.as_ref().unchecked_ref(), milliseconds);
        Timer { id, _handler: handler }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// Runs `on_abort` when `signal` aborts, until dropped.
struct AbortListener {
    signal: AbortSignal,
    handler: Closure<dyn FnMut()>,
}

impl AbortListener {
    fn new(signal: &AbortSignal, on_abort: impl FnMut() + 'static) -> AbortListener {
        let handler = Closure::<dyn FnMut()>::new(on_abort);
        let _ = signal.add_event_listener_with_callback("abort", handler.as_ref().unchecked_ref());
        AbortListener { signal: signal.clone(), handler }
    }
}

impl Drop for AbortListener {
    fn drop(&mut self) {
        let _ = self.signal.remove_event_listener_with_callback("abort", self.handler.as_ref().unchecked_ref());
    }
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
        Timer::start(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let _listener = signal.map(|signal| {
        let controller = controller.clone();
        AbortListener::new(signal, move || controller.abort())
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

    let response: Response = JsFuture::from(fetch(&request.url, &init))
        .await
        .map_err(|_| reason())?
        .dyn_into()
        .map_err(|_| UnknownReason::Network)?;
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
        Timer::start(milliseconds, move || {
            let _ = wake.call0(&JsValue::UNDEFINED);
        })
    };
    let _listener = signal.map(|signal| {
        AbortListener::new(signal, move || {
            let _ = wake.call0(&JsValue::UNDEFINED);
        })
    });
    let _ = JsFuture::from(promise).await;
}
