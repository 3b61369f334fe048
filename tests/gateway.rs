//! Browser tests of the gateway calls, in Chromium and Firefox, against the scripted fake
//! gateway that `npm test` starts (`tests/support/fake-gateway.mjs`, its URL compiled in from
//! `CONNPAY_FAKE_GATEWAY`). Every test checks how many requests the server saw.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use connpay_checkout::*;
use js_sys::{Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FAKE_GATEWAY: Option<&str> = option_env!("CONNPAY_FAKE_GATEWAY");

fn gateway() -> JsValue {
    let url = FAKE_GATEWAY.expect("run the browser tests through `npm test`, which starts the fake gateway");
    JsValue::from_str(url)
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch(url: &str) -> Promise;
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |value, key| Reflect::get(&value, &key.into()).unwrap_or(JsValue::UNDEFINED))
}

fn text(value: &JsValue, path: &str) -> Option<String> {
    get(value, path).as_string()
}

/// How many sale and status POSTs the fake gateway saw for an invoice.
async fn seen(invoice: &str) -> (u32, u32) {
    let url = format!("{}/count/{invoice}", FAKE_GATEWAY.unwrap());
    let response: web_sys::Response = JsFuture::from(fetch(&url)).await.unwrap().into();
    let counts = JsFuture::from(response.json().unwrap()).await.unwrap();
    (get(&counts, "sale").as_f64().unwrap() as u32, get(&counts, "status").as_f64().unwrap() as u32)
}

/// A unique invoice id for a scenario, so that tests never share counts (in either browser).
fn invoice(scenario: &str) -> String {
    format!("{scenario}-{}", (js_sys::Math::random() * 1e12) as u64)
}

fn sale_request(invoice: &str) -> JsValue {
    let year = js_sys::Date::new_0().get_full_year() + 3;
    let json = format!(
        r#"{{
        "endpointId": "1111", "invoiceId": "{invoice}",
        "consumer": {{ "device": {{ "serialNumber": "SN-1" }}, "email": "john.smith@example.com" }},
        "session": {{ "accessToken": "{token}", "nonce": "{token}", "signature": "{token}" }},
        "sourceOfFunds": {{ "card": {{
            "number": "4538 9773 9960 6732", "securityCode": "123",
            "expiry": {{ "month": 12, "year": {year} }},
            "holder": {{ "firstName": "John", "lastName": "Smith" }} }} }},
        "transaction": {{ "amountCentis": 1042, "currency": "EUR" }}
    }}"#,
        token = "t".repeat(32)
    );
    JSON::parse(&json).unwrap()
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &(*key).into(), value).unwrap();
    }
    object.into()
}

fn options(pairs: &[(&str, JsValue)]) -> Option<RequestOptions> {
    Some(object(pairs).unchecked_into())
}

/// Aborts `controller` after `milliseconds`.
fn abort_after(controller: web_sys::AbortController, milliseconds: i32) {
    let abort = Closure::once_into_js(move || controller.abort());
    web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), milliseconds).unwrap();
}

async fn settle(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

async fn sale(invoice: &str, timeout_ms: f64) -> JsValue {
    let promise = perform_sale(gateway(), sale_request(invoice), options(&[("timeoutMs", timeout_ms.into())]));
    settle(promise).await.expect("performSale resolves with an outcome")
}

#[wasm_bindgen_test]
async fn success_is_accepted() {
    let id = invoice("ok");
    let outcome = sale(&id, 5_000.0).await;
    assert_eq!(text(&outcome, "kind").as_deref(), Some("accepted"));
    assert_eq!(text(&outcome, "invoiceId"), Some(id.clone()));
    assert_eq!(text(&outcome, "sessionToken"), Some(format!("token-{id}")));
    assert_eq!(seen(&id).await, (1, 0));
}

#[wasm_bindgen_test]
async fn the_gateways_error_is_rejected() {
    let id = invoice("reject");
    let outcome = sale(&id, 5_000.0).await;
    assert_eq!(text(&outcome, "kind").as_deref(), Some("rejected"));
    assert_eq!(text(&outcome, "error.cause").as_deref(), Some("INVALID_REQUEST"));
    assert_eq!(text(&outcome, "error.code").as_deref(), Some("E-1001"));
    assert_eq!(seen(&id).await, (1, 0));
}

#[wasm_bindgen_test]
async fn server_errors_malformed_answers_and_a_redirect_that_is_not_followed() {
    for (scenario, status) in [("e500", 500.0), ("e502", 502.0), ("malformed", 200.0), ("redirect", 0.0)] {
        let id = invoice(scenario);
        let outcome = sale(&id, 5_000.0).await;
        assert_eq!(text(&outcome, "kind").as_deref(), Some("serverError"), "{scenario}");
        assert_eq!(get(&outcome, "status").as_f64(), Some(status), "{scenario}");
        assert_eq!(seen(&id).await, (1, 0), "{scenario}");
    }
}

#[wasm_bindgen_test]
async fn connection_refused_is_an_unknown_outcome() {
    // Port 1 on the loopback: nothing listens there.
    let promise = perform_sale("http://127.0.0.1:1".into(), sale_request(&invoice("ok")), None);
    let outcome = settle(promise).await.unwrap();
    assert_eq!(text(&outcome, "kind").as_deref(), Some("outcomeUnknown"));
    assert_eq!(text(&outcome, "reason").as_deref(), Some("network"));
}

#[wasm_bindgen_test]
async fn a_server_that_never_answers_ends_by_the_timeout() {
    let id = invoice("hang");
    let outcome = sale(&id, 1_000.0).await;
    assert_eq!(text(&outcome, "kind").as_deref(), Some("outcomeUnknown"));
    assert_eq!(text(&outcome, "reason").as_deref(), Some("timeout"));
    assert_eq!(seen(&id).await, (1, 0));
}

#[wasm_bindgen_test]
async fn an_invalid_request_is_refused_with_every_problem_and_not_sent() {
    let id = invoice("ok");
    let request = sale_request(&id);
    Reflect::set(&get(&request, "transaction"), &"currency".into(), &"eur".into()).unwrap();
    Reflect::set(&get(&request, "sourceOfFunds.card"), &"securityCode".into(), &"12345".into()).unwrap();
    let error = settle(perform_sale(gateway(), request.clone(), None)).await.unwrap_err();
    assert_eq!(text(&error, "code").as_deref(), Some("request.invalid"));
    let errors: js_sys::Array = get(&error, "errors").into();
    assert_eq!(errors.length(), 2);
    assert_eq!(text(&errors.get(0), "path").as_deref(), Some("sourceOfFunds.card.securityCode"));
    assert_eq!(text(&errors.get(1), "code").as_deref(), Some("request.currency"));

    let validation = validate_perform_sale(request, None).unwrap();
    assert_eq!(get(&validation, "valid").as_bool(), Some(false));
    assert_eq!(seen(&id).await, (0, 0));
    assert_eq!(get(&validate_perform_sale(sale_request(&id), None).unwrap(), "valid").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn keys_outside_the_spec_are_refused_and_not_sent() {
    let id = invoice("ok");
    let request = sale_request(&id);
    Reflect::set(&get(&request, "sourceOfFunds.card"), &"pin".into(), &"1234".into()).unwrap();
    let error = settle(perform_sale(gateway(), request.clone(), None)).await.unwrap_err();
    assert_eq!(text(&error, "code").as_deref(), Some("request.invalid"));
    let errors: js_sys::Array = get(&error, "errors").into();
    assert_eq!(text(&errors.get(0), "path").as_deref(), Some("sourceOfFunds.card.pin"));
    assert_eq!(text(&errors.get(0), "code").as_deref(), Some("request.unknown_field"));
    // A value JSON cannot carry is a type problem at its path, never a throw from the module.
    Reflect::set(&get(&request, "sourceOfFunds.card"), &"pin".into(), &JsValue::UNDEFINED).unwrap();
    Reflect::set(&get(&request, "transaction"), &"amountCentis".into(), &JsValue::from_f64(10.5)).unwrap();
    let validation = validate_perform_sale(request, None).unwrap();
    let errors: js_sys::Array = get(&validation, "errors").into();
    assert_eq!(text(&errors.get(0), "path").as_deref(), Some("transaction.amountCentis"));
    assert_eq!(text(&errors.get(0), "code").as_deref(), Some("request.type"));
    assert_eq!(seen(&id).await, (0, 0));
}

#[wasm_bindgen_test]
async fn a_timeout_too_short_to_be_answered_is_refused_and_nothing_is_sent() {
    // A sale given up on at once may still be charged, and then blocks the next attempt.
    let id = invoice("ok");
    let error = settle(perform_sale(gateway(), sale_request(&id), options(&[("timeoutMs", 999.into())]))).await.unwrap_err();
    assert_eq!((text(&error, "code").as_deref(), text(&error, "path").as_deref()), (Some("argument.invalid"), Some("timeoutMs")));
    let error = settle(sale_status(gateway(), "1111".into(), id.as_str().into(), tokens(&id), options(&[("timeoutMs", 0.into())])))
        .await
        .unwrap_err();
    assert_eq!(text(&error, "path").as_deref(), Some("timeoutMs"));
    assert_eq!(seen(&id).await, (0, 0));
}

#[wasm_bindgen_test]
async fn an_aborted_signal_stops_the_sale() {
    let id = invoice("ok");
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let promise = perform_sale(gateway(), sale_request(&id), options(&[("signal", controller.signal().into())]));
    assert_eq!(text(&settle(promise).await.unwrap_err(), "code").as_deref(), Some("sale.aborted"));
    assert_eq!(seen(&id).await, (0, 0));

    let id = invoice("hang");
    let controller = web_sys::AbortController::new().unwrap();
    let promise = perform_sale(gateway(), sale_request(&id), options(&[("signal", controller.signal().into())]));
    abort_after(controller, 200);
    let outcome = settle(promise).await.unwrap();
    assert_eq!(text(&outcome, "reason").as_deref(), Some("aborted"));
    assert_eq!(seen(&id).await, (1, 0));
}

#[wasm_bindgen_test]
async fn a_session_never_has_two_sales_in_flight() {
    let session = SaleSession::new(gateway()).unwrap();
    let id = invoice("ok");
    let first = session.perform_sale(sale_request(&id), None);
    assert!(session.in_flight());
    let second = settle(session.perform_sale(sale_request(&id), None)).await.unwrap_err();
    assert_eq!(text(&second, "code").as_deref(), Some("sale.in_flight"));
    assert_eq!(text(&settle(first).await.unwrap(), "kind").as_deref(), Some("accepted"));
    let third = settle(session.perform_sale(sale_request(&invoice("ok")), None)).await.unwrap_err();
    assert_eq!(text(&third, "code").as_deref(), Some("sale.already_accepted"));
    assert_eq!(text(&third, "invoiceId"), Some(id.clone()));
    assert_eq!(seen(&id).await, (1, 0));
    // The merchant's server learnt its fate (declined) without the session: naming the invoice frees it.
    session.allow_new_attempt(id.clone().into()).expect("allowed");
    let retried = invoice("ok");
    assert_eq!(text(&settle(session.perform_sale(sale_request(&retried), None)).await.unwrap(), "kind").as_deref(), Some("accepted"));

    // After an unknown outcome nothing is sent, whatever the invoice, until the merchant's code
    // allows it by naming the unsettled invoice.
    let session = SaleSession::new(gateway()).unwrap();
    let id = invoice("hang");
    let outcome = settle(session.perform_sale(sale_request(&id), options(&[("timeoutMs", 1_000.into())]))).await.unwrap();
    assert_eq!(text(&outcome, "kind").as_deref(), Some("outcomeUnknown"));
    let next = invoice("ok");
    for request in [sale_request(&id), sale_request(&next)] {
        let again = settle(session.perform_sale(request, None)).await.unwrap_err();
        assert_eq!(text(&again, "code").as_deref(), Some("sale.outcome_unknown"));
        assert_eq!(text(&again, "invoiceId"), Some(id.clone()));
    }
    assert_eq!(seen(&id).await, (1, 0));
    assert!(session.allow_new_attempt(next.clone().into()).is_err(), "only the unsettled invoice");
    session.allow_new_attempt(id.clone().into()).expect("allowed");
    let allowed = settle(session.perform_sale(sale_request(&next), None)).await.unwrap();
    assert_eq!(text(&allowed, "kind").as_deref(), Some("accepted"));
    assert_eq!(seen(&next).await, (1, 0));
}

#[wasm_bindgen_test]
async fn a_session_follows_its_own_sale_and_only_a_decline_frees_it() {
    // Declined: the session's own wait frees it, and the next sale goes.
    let session = SaleSession::new(gateway()).unwrap();
    let nothing = settle(session.wait_for_final_state(None)).await.unwrap_err();
    assert_eq!(text(&nothing, "code").as_deref(), Some("argument.invalid"), "no accepted sale to follow yet");
    let id = invoice("decline");
    assert_eq!(text(&settle(session.perform_sale(sale_request(&id), None)).await.unwrap(), "kind").as_deref(), Some("accepted"));
    let fast = || Some(object(&[("pollIntervalMs", 250.into())]).unchecked_into());
    assert_eq!(text(&settle(session.wait_for_final_state(fast())).await.unwrap(), "state").as_deref(), Some("DECLINED"));
    let next = invoice("approve");
    assert_eq!(text(&settle(session.perform_sale(sale_request(&next), None)).await.unwrap(), "kind").as_deref(), Some("accepted"));

    // Approved: nothing frees the session any more, not even the merchant's code naming it.
    assert_eq!(text(&settle(session.wait_for_final_state(fast())).await.unwrap(), "state").as_deref(), Some("APPROVED"));
    assert!(session.allow_new_attempt(next.clone().into()).is_err(), "an approved sale is never released");
    let again = settle(session.perform_sale(sale_request(&invoice("ok")), None)).await.unwrap_err();
    assert_eq!(text(&again, "code").as_deref(), Some("sale.already_accepted"));
    assert_eq!(seen(&next).await.0, 1);
}

#[wasm_bindgen_test]
fn gateway_configuration_is_checked_when_made() {
    assert_eq!(Gateway::new("sandbox".into()).unwrap().base_url(), "https://sandbox.connpay.com");
    for (config, code) in [("http://gate.connpay.com", "gateway.insecure"), ("https://user@gate.connpay.com", "gateway.invalid_url")] {
        let error: JsValue = Gateway::new(config.into()).err().unwrap().into();
        assert_eq!(text(&error, "code").as_deref(), Some(code), "{config}");
        assert_eq!(text(&error, "path").as_deref(), Some("gateway"));
    }
    assert!(SaleSession::new("ftp://x".into()).is_err());
}

fn tokens(id: &str) -> JsValue {
    JSON::parse(&format!(r#"{{ "accessToken": "{}", "token": "token-{id}" }}"#, "t".repeat(32))).unwrap()
}

async fn wait(id: &str, extra: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let mut pairs = vec![("pollIntervalMs", JsValue::from(250)), ("timeoutMs", JsValue::from(1_000))];
    pairs.extend_from_slice(extra);
    settle(wait_for_final_state(gateway(), "1111".into(), id.into(), tokens(id), Some(object(&pairs).unchecked_into()))).await
}

#[wasm_bindgen_test]
async fn one_status_request() {
    let id = invoice("approve");
    let outcome = settle(sale_status(gateway(), "1111".into(), id.as_str().into(), tokens(&id), None)).await.unwrap();
    assert_eq!(text(&outcome, "kind").as_deref(), Some("accepted"));
    assert_eq!(text(&outcome, "state").as_deref(), Some("PROCESSING"));
    assert_eq!(seen(&id).await, (0, 1));

    // Ids given as numbers are of the wrong type, not missing; nothing is sent.
    let error = settle(sale_status(gateway(), JsValue::from(1111), id.as_str().into(), tokens(&id), None)).await.unwrap_err();
    let errors: js_sys::Array = get(&error, "errors").into();
    assert_eq!(text(&errors.get(0), "path").as_deref(), Some("endpointId"));
    assert_eq!(text(&errors.get(0), "code").as_deref(), Some("request.type"));
    assert_eq!(seen(&id).await, (0, 1));
}

#[wasm_bindgen_test]
async fn polling_ends_approved() {
    let id = invoice("approve");
    let status = wait(&id, &[]).await.unwrap();
    assert_eq!(text(&status, "state").as_deref(), Some("APPROVED"));
    assert_eq!(text(&status, "bankOrderId").as_deref(), Some("BANK-42"));
    assert_eq!(seen(&id).await, (0, 3));
}

#[wasm_bindgen_test]
async fn polling_takes_no_other_sales_approval_for_this_one() {
    // The module's waitForFinalState knows the invoice and the sale's token.
    let id = invoice("elsewhere");
    let status = wait(&id, &[]).await.unwrap();
    assert_eq!((text(&status, "state").as_deref(), text(&status, "invoiceId")), (Some("APPROVED"), Some(id.clone())));
    assert_eq!(seen(&id).await, (0, 3), "the approvals of another invoice and another sale's token were polled past");
    // So does a SaleSession's.
    let session = SaleSession::new(gateway()).unwrap();
    let id = invoice("elsewhere");
    assert_eq!(text(&settle(session.perform_sale(sale_request(&id), None)).await.unwrap(), "kind").as_deref(), Some("accepted"));
    let fast = object(&[("pollIntervalMs", 250.into())]);
    let status = settle(session.wait_for_final_state(Some(fast.unchecked_into()))).await.unwrap();
    assert_eq!(text(&status, "invoiceId"), Some(id.clone()));
    assert_eq!(seen(&id).await, (1, 3));
}

#[wasm_bindgen_test]
async fn polling_ends_declined() {
    let id = invoice("decline");
    assert_eq!(text(&wait(&id, &[]).await.unwrap(), "state").as_deref(), Some("DECLINED"));
    assert_eq!(seen(&id).await, (0, 2));
}

#[wasm_bindgen_test]
async fn a_redirect_request_is_handed_to_the_page_once() {
    let id = invoice("threeds");
    let urls = Rc::new(RefCell::new(Vec::<String>::new()));
    let recorder = {
        let urls = urls.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |url: JsValue| urls.borrow_mut().push(url.as_string().unwrap_or_default()))
    };
    let status = wait(&id, &[("onRedirect", recorder.as_ref().clone())]).await.unwrap();
    assert_eq!(text(&status, "state").as_deref(), Some("APPROVED"));
    assert_eq!(*urls.borrow(), ["https://acs.example.com/challenge/1"]);
    assert_eq!(seen(&id).await, (0, 4));
}

#[wasm_bindgen_test]
async fn a_redirect_url_that_is_not_a_safe_page_never_reaches_on_redirect() {
    let urls = Rc::new(RefCell::new(Vec::<String>::new()));
    let recorder = {
        let urls = urls.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |url: JsValue| urls.borrow_mut().push(url.as_string().unwrap_or_default()))
    };
    // The module's waitForFinalState.
    let id = invoice("jsredirect");
    let status = wait(&id, &[("onRedirect", recorder.as_ref().clone())]).await.unwrap();
    assert_eq!(text(&status, "state").as_deref(), Some("APPROVED"));
    assert_eq!(seen(&id).await, (0, 3));
    // A SaleSession's.
    let session = SaleSession::new(gateway()).unwrap();
    let id = invoice("jsredirect");
    assert_eq!(text(&settle(session.perform_sale(sale_request(&id), None)).await.unwrap(), "kind").as_deref(), Some("accepted"));
    let options = object(&[("pollIntervalMs", 250.into()), ("onRedirect", recorder.as_ref().clone())]);
    let status = settle(session.wait_for_final_state(Some(options.unchecked_into()))).await.unwrap();
    assert_eq!(text(&status, "state").as_deref(), Some("APPROVED"));
    assert!(urls.borrow().is_empty(), "onRedirect got {:?}", urls.borrow());
}

#[wasm_bindgen_test]
async fn failed_polls_are_repeated() {
    // A 503, then a poll that never answers (ended by timeoutMs), then APPROVED.
    let id = invoice("flaky");
    assert_eq!(text(&wait(&id, &[]).await.unwrap(), "state").as_deref(), Some("APPROVED"));
    assert_eq!(seen(&id).await, (0, 3));
}

#[wasm_bindgen_test]
async fn polling_stops_when_aborted() {
    let id = invoice("processing");
    let controller = web_sys::AbortController::new().unwrap();
    let signal = controller.signal();
    abort_after(controller, 250);
    let started = js_sys::Date::now();
    let error = wait(&id, &[("signal", signal.into()), ("pollIntervalMs", 250.into())]).await.unwrap_err();
    assert_eq!(text(&error, "code").as_deref(), Some("status.aborted"));
    assert!(js_sys::Date::now() - started < 2_000.0);
    let (_, polls) = seen(&id).await;
    // Let a moment pass: no poll may follow the abort.
    JsFuture::from(Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 300).unwrap();
    }))
    .await
    .unwrap();
    assert_eq!(seen(&id).await, (0, polls));
}

#[wasm_bindgen_test]
async fn polling_gives_up_after_max_wait_and_on_the_gateways_refusal() {
    let id = invoice("processing");
    let error = wait(&id, &[("maxWaitMs", 200.into())]).await.unwrap_err();
    assert_eq!(text(&error, "code").as_deref(), Some("status.timeout"));
    assert_eq!(text(&error, "invoiceId"), Some(id));
    let id = invoice("unknown");
    let error = wait(&id, &[]).await.unwrap_err();
    assert_eq!(text(&error, "code").as_deref(), Some("status.rejected"));
    assert_eq!(text(&error, "invoiceId").as_deref(), Some(id.as_str()));
    assert_eq!(text(&error, "gatewayError.cause").as_deref(), Some("ORDER_NOT_FOUND"));
    assert_eq!(seen(&id).await, (0, 1));
}
