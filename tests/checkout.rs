//! `mountCheckout` in Chromium and Firefox (`wasm-pack test --headless --chrome --firefox`): the
//! fields are formatted on `input`, the error texts and attributes are added and taken back by
//! `unmount()`, options a sale could never be made with are coded errors at mount (not panics),
//! and a form holds one checkout at a time; the merchant's server decides a paid or pending order
//! (`getSession` asked at mount), and `confirmApproval` ends as an approval.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use connpay_checkout::{mount_checkout, CheckoutOptions};
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const FORM: &str = r#"<input data-connpay="number"><input data-connpay="expiry">
  <input data-connpay="cvv"><input data-connpay="holder"><button type="submit">Pay</button>"#;

/// A fresh form in the page's body.
fn form() -> Element {
    let document = web_sys::window().and_then(|window| window.document()).expect("a document");
    let form = document.create_element("form").expect("form");
    form.set_inner_html(FORM);
    document.body().expect("body").append_child(&form).expect("appended");
    form
}

fn input(form: &Element, role: &str) -> HtmlInputElement {
    form.query_selector(&format!("[data-connpay={role}]")).ok().flatten().expect(role).unchecked_into()
}

/// Options a sale can be made with, with `key` set to `value` when given.
fn options(key: Option<(&str, JsValue)>) -> CheckoutOptions {
    let options = Object::new();
    let set = |key: &str, value: &JsValue| Reflect::set(&options, &JsValue::from_str(key), value).expect("set");
    set("gateway", &JsValue::from_str("sandbox"));
    set("amountCentis", &JsValue::from(100));
    set("currency", &JsValue::from_str("EUR"));
    set("consumer", &js_sys::JSON::parse(r#"{"email":"payer@example.com"}"#).expect("json"));
    set("getSession", &Function::new_no_args("return {}"));
    if let Some((key, value)) = key {
        set(key, &value);
    }
    options.unchecked_into()
}

/// Calls `checkout.unmount()` (or another method of the handle).
fn call(checkout: &JsValue, method: &str) {
    let method: Function = Reflect::get(checkout, &JsValue::from_str(method)).expect("a method").unchecked_into();
    method.call0(checkout).expect("it does not throw");
}

/// The `code` and `path` of what a mount threw.
fn refusal(result: Result<JsValue, JsValue>) -> (Option<String>, Option<String>) {
    let error = result.expect_err("refused");
    let text = |key: &str| Reflect::get(&error, &JsValue::from_str(key)).ok().and_then(|value| value.as_string());
    (text("code"), text("path"))
}

/// Types `value` into `input` the way the browser reports it: the value, then an `input` event.
fn type_into(input: &HtmlInputElement, value: &str) -> String {
    input.set_value(value);
    input.dispatch_event(&Event::new("input").expect("event")).expect("dispatched");
    input.value()
}

#[wasm_bindgen_test]
fn fields_are_formatted_and_unmount_gives_the_form_back() {
    let form = form();
    let before = form.outer_html();
    let checkout = mount_checkout(form.clone().into(), options(None)).expect("mounted");
    assert_eq!(type_into(&input(&form, "number"), "4111-1111-1111-1111"), "4111 1111 1111 1111");
    assert_eq!(type_into(&input(&form, "expiry"), "4"), "04 / ");
    assert_eq!(type_into(&input(&form, "cvv"), "12345"), "123");
    assert_eq!(input(&form, "number").get_attribute("autocomplete").as_deref(), Some("cc-number"));
    assert!(form.query_selector(".connpay-error").ok().flatten().is_some(), "error texts added");
    call(&checkout, "unmount");
    assert_eq!(form.outer_html(), before);
    assert_eq!(type_into(&input(&form, "number"), "41111111"), "41111111", "no formatting after unmount");
    form.remove();
}

#[wasm_bindgen_test]
fn unusable_options_are_coded_errors() {
    let hostile = [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from(f64::NAN),
        js_sys::JSON::parse(r#""\ud800""#).expect("a lone surrogate"),
        Object::new().into(),
    ];
    for value in &hostile {
        for key in ["gateway", "amountCentis", "consumer", "getSession", "locale", "messages", "selectors", "timeoutMs"] {
            let form = form();
            match mount_checkout(form.clone().into(), options(Some((key, value.clone())))) {
                Ok(checkout) => call(&checkout, "unmount"),
                Err(error) => {
                    let code = Reflect::get(&error, &JsValue::from_str("code")).ok().and_then(|code| code.as_string());
                    assert!(code.is_some(), "{key}: an Error without a code");
                }
            }
            form.remove();
        }
        assert!(mount_checkout(value.clone(), options(None)).is_err(), "a form that is not one");
    }
}

#[wasm_bindgen_test]
fn a_key_or_a_secret_in_the_options_is_refused_as_never_belonging_in_a_browser() {
    for key in ["controlKey", "merchantControl", "secret", "apiKey", "control_key"] {
        let form = form();
        let result = mount_checkout(form.clone().into(), options(Some((key, JsValue::from_str("a-merchant-control-key")))));
        let error = result.clone().expect_err(key);
        assert_eq!(refusal(result), (Some("argument.invalid".into()), Some(key.into())));
        let message = Reflect::get(&error, &JsValue::from_str("message")).ok().and_then(|message| message.as_string()).unwrap_or_default();
        assert!(message.contains("never belongs in a browser"), "{key}: {message}");
        assert!(form.query_selector("[role=status]").ok().flatten().is_none(), "{key}: nothing changed on the page");
        form.remove();
    }
}

#[wasm_bindgen_test]
fn a_form_holds_one_checkout_and_free_unmounts_it() {
    let form = form();
    let checkout = mount_checkout(form.clone().into(), options(None)).expect("mounted");
    let before = form.outer_html();
    let second = refusal(mount_checkout(form.clone().into(), options(None)));
    assert_eq!(second, (Some("checkout.already_mounted".into()), Some("form".into())));
    assert_eq!(form.outer_html(), before, "the refused mount changed nothing");
    call(&checkout, "free");
    call(&checkout, "unmount");
    let again = mount_checkout(form.clone().into(), options(None)).expect("mounted again after free()");
    call(&again, "unmount");
    form.remove();
}

#[wasm_bindgen_test]
fn options_are_checked_at_mount_by_the_rules_of_the_sale() {
    let json = |text: &str| js_sys::JSON::parse(text).expect("json");
    for (key, value, path) in [
        ("currency", JsValue::from_str("eur"), "currency"),
        ("amountCentis", JsValue::from(0), "amountCentis"),
        ("consumer", json(r#"{"email":"nope"}"#), "consumer.email"),
        ("billing", json(r#"{"address":{"country":"DE"}}"#), "billing.address.country"),
        ("location", json(r#"{"lat":91}"#), "location.lat"),
        ("onSucess", Function::new_no_args("").into(), "onSucess"),
        ("timeoutMs", JsValue::from(0), "timeoutMs"),
        ("pollIntervalMs", JsValue::from(0), "pollIntervalMs"),
        ("onSuccess", JsValue::from_str("not a function"), "onSuccess"),
        // A tag that is not one (a language without a table is English: "de" mounts).
        ("locale", JsValue::from_str("de AT"), "locale"),
        ("locale", json(r#"{"locale":"de","messages":{"card.number.nope":"?"}}"#), "locale.messages"),
        ("locales", json(r#"{"de":{}}"#), "locales"),
        ("savedCard", json(r#"{"clientCardId":"c1","brand":"visa","last4":"111"}"#), "savedCard.last4"),
        ("savedCard", json(r#"{"clientCardId":"c1","brand":"diners club","last4":"1111"}"#), "savedCard.brand"),
        ("onReady", JsValue::from_str("not a function"), "onReady"),
        ("messages", json(r#"{"no.such.key":"?"}"#), "messages.no.such.key"),
        ("selectors", json(r#"{"numbr":"input"}"#), "selectors.numbr"),
    ] {
        let form = form();
        let before = form.outer_html();
        assert_eq!(
            refusal(mount_checkout(form.clone().into(), options(Some((key, value))))),
            (Some("argument.invalid".into()), Some(path.into())),
            "{key}"
        );
        assert_eq!(form.outer_html(), before, "{key}: nothing changed");
        form.remove();
    }
}

/// Waits `milliseconds`.
async fn sleep(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("a window");
        window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds).expect("a timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.expect("slept");
}

/// A callback that records what it is called with.
fn recorder() -> (JsValue, Rc<RefCell<Vec<JsValue>>>) {
    let calls = Rc::new(RefCell::new(Vec::new()));
    let kept = calls.clone();
    let function = Closure::<dyn FnMut(JsValue)>::new(move |value: JsValue| kept.borrow_mut().push(value)).into_js_value();
    (function, calls)
}

/// A `getSession` that answers each call with the next of `answers` (JSON; the last one again
/// once they run out), and counts its calls.
fn scripted(answers: &[&str]) -> (JsValue, Rc<RefCell<usize>>) {
    let answers: Vec<String> = answers.iter().map(|answer| (*answer).to_string()).collect();
    let count = Rc::new(RefCell::new(0usize));
    let counted = count.clone();
    let function = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |_: JsValue| {
        let at = (*counted.borrow()).min(answers.len() - 1);
        *counted.borrow_mut() += 1;
        js_sys::JSON::parse(&answers[at]).expect("json")
    })
    .into_js_value();
    (function, count)
}

/// Options with `getSession` and the callbacks given, polling every 250 ms.
fn scripted_options(get_session: JsValue, callbacks: &[(&str, &JsValue)]) -> CheckoutOptions {
    let options: JsValue = options(Some(("getSession", get_session))).into();
    let set = |key: &str, value: &JsValue| Reflect::set(&options, &JsValue::from_str(key), value).expect("set");
    set("pollIntervalMs", &JsValue::from(250));
    for (key, value) in callbacks {
        set(key, value);
    }
    options.unchecked_into()
}

fn text_of(value: &JsValue, key: &str) -> Option<String> {
    Reflect::get(value, &JsValue::from_str(key)).ok().and_then(|value| value.as_string())
}

fn status_text(form: &Element) -> String {
    form.query_selector("[role=status]").ok().flatten().and_then(|status| status.text_content()).unwrap_or_default()
}

fn pay_disabled(form: &Element) -> bool {
    form.query_selector("button[type=submit]").ok().flatten().expect("the button").has_attribute("disabled")
}

/// Types a whole valid card, then submits the form as Pay would.
fn pay(form: &Element) {
    for (role, value) in [("number", "4111111111111111"), ("expiry", "1230"), ("cvv", "123"), ("holder", "JOHN SMITH")] {
        type_into(&input(form, role), value);
    }
    let submit = web_sys::Event::new("submit").expect("event");
    form.dispatch_event(&submit).expect("dispatched");
}

#[wasm_bindgen_test]
async fn a_paid_order_shows_the_approval_at_mount_and_sends_nothing() {
    let form = form();
    let (get_session, asked) = scripted(&[r#"{"status":"paid","invoiceId":"INV-PAID"}"#]);
    let (on_success, successes) = recorder();
    let (on_error, errors) = recorder();
    let checkout =
        mount_checkout(form.clone().into(), scripted_options(get_session, &[("onSuccess", &on_success), ("onError", &on_error)]))
            .expect("mounted");
    sleep(100).await;
    assert_eq!(*asked.borrow(), 1, "asked once when mounted, before any card");
    assert_eq!(successes.borrow().len(), 1, "onSuccess once");
    assert_eq!(text_of(&successes.borrow()[0], "invoiceId").as_deref(), Some("INV-PAID"));
    assert!(status_text(&form).starts_with("Approved"), "{}", status_text(&form));
    assert!(pay_disabled(&form));
    pay(&form);
    sleep(100).await;
    assert_eq!((*asked.borrow(), successes.borrow().len(), errors.borrow().len()), (1, 1, 0), "finished: a Pay asks nothing");
    call(&checkout, "unmount");
    form.remove();
}

#[wasm_bindgen_test]
async fn a_pending_order_is_followed_until_the_server_says_paid() {
    let form = form();
    let until = js_sys::Date::now() + 20.0 * 60_000.0;
    let pending = format!(r#"{{"status":"pending","invoiceId":"INV-P","until":{until},"redirectUrl":"https://acs.example/3ds/1"}}"#);
    let (get_session, asked) = scripted(&[&pending, &pending, r#"{"status":"paid","invoiceId":"INV-P"}"#]);
    let (on_success, successes) = recorder();
    let (on_error, errors) = recorder();
    let checkout =
        mount_checkout(form.clone().into(), scripted_options(get_session, &[("onSuccess", &on_success), ("onError", &on_error)]))
            .expect("mounted");
    sleep(100).await;
    let told = errors.borrow()[0].clone();
    assert_eq!((text_of(&told, "code").as_deref(), text_of(&told, "next").as_deref()), (Some("checkout.pending_until"), Some("wait")));
    assert_eq!(Reflect::get(&told, &"until".into()).ok().and_then(|until| until.as_f64()), Some(until));
    let said = status_text(&form);
    assert!(said.starts_with("A payment for this order may still be approved by your bank until ") && !said.contains("{until}"), "{said}");
    assert!(pay_disabled(&form), "nothing new is charged");
    let reopen =
        form.parent_element().and_then(|parent| parent.query_selector(".connpay-reopen").ok().flatten()).expect("the reopen button");
    assert!(!reopen.has_attribute("hidden"));
    pay(&form);
    sleep(900).await;
    assert_eq!(errors.borrow().len(), 1, "told once while nothing changes");
    assert_eq!(successes.borrow().len(), 1, "the server said paid");
    assert_eq!(text_of(&successes.borrow()[0], "invoiceId").as_deref(), Some("INV-P"));
    assert!(*asked.borrow() >= 3);
    let asked_then = *asked.borrow();
    sleep(600).await;
    assert_eq!(*asked.borrow(), asked_then, "no more questions once paid");
    call(&checkout, "unmount");
    form.remove();
}

#[wasm_bindgen_test]
async fn a_pending_sale_that_ends_unapproved_frees_pay() {
    let form = form();
    let (get_session, asked) = scripted(&[r#"{"status":"pending","invoiceId":"INV-P"}"#, r#"{"status":"open"}"#]);
    let (on_error, errors) = recorder();
    let checkout = mount_checkout(form.clone().into(), scripted_options(get_session, &[("onError", &on_error)])).expect("mounted");
    sleep(100).await;
    assert_eq!(text_of(&errors.borrow()[0], "code").as_deref(), Some("checkout.pending"));
    assert!(pay_disabled(&form));
    sleep(500).await;
    let ended = errors.borrow().last().cloned().expect("told");
    assert_eq!((text_of(&ended, "code").as_deref(), text_of(&ended, "next").as_deref()), (Some("sale.declined"), Some("retry")));
    assert_eq!(text_of(&ended, "invoiceId").as_deref(), Some("INV-P"));
    assert!(!pay_disabled(&form), "a new attempt may begin");
    assert_eq!(*asked.borrow(), 2, "the session it answered is not used");
    call(&checkout, "unmount");
    form.remove();
}

#[wasm_bindgen_test]
async fn a_submit_answered_paid_sends_no_sale_and_calls_on_success_once() {
    let form = form();
    // A session at mount (discarded), then paid: the other tab paid meanwhile.
    let (get_session, asked) = scripted(&["{}", r#"{"status":"paid","invoiceId":"INV-OTHER-TAB"}"#]);
    let (on_success, successes) = recorder();
    let (on_error, errors) = recorder();
    let checkout =
        mount_checkout(form.clone().into(), scripted_options(get_session, &[("onSuccess", &on_success), ("onError", &on_error)]))
            .expect("mounted");
    pay(&form);
    sleep(200).await;
    assert_eq!(*asked.borrow(), 2, "the submit asks after the first answer");
    assert_eq!(successes.borrow().len(), 1);
    assert_eq!(text_of(&successes.borrow()[0], "last4").as_deref(), Some(""), "the card that paid was not this one");
    assert!(errors.borrow().is_empty());
    assert!(pay_disabled(&form));
    call(&checkout, "unmount");
    form.remove();
}

#[wasm_bindgen_test]
async fn confirm_approval_ends_as_an_approval_with_on_success() {
    let form = form();
    let token = "t".repeat(32);
    let session =
        format!(r#"{{"endpointId":"1111","invoiceId":"INV-DOUBT","accessToken":"{token}","nonce":"{token}","signature":"{token}"}}"#);
    let (get_session, _) = scripted(&[&session]);
    let (on_success, successes) = recorder();
    let (on_error, errors) = recorder();
    let options = scripted_options(get_session, &[("onSuccess", &on_success), ("onError", &on_error)]);
    // Nothing listens on port 1: the perform sale gets no answer, and its outcome is in doubt.
    Reflect::set(&options, &"gateway".into(), &"http://127.0.0.1:1".into()).expect("set");
    let checkout = mount_checkout(form.clone().into(), options).expect("mounted");
    pay(&form);
    for _ in 0..50 {
        if !errors.borrow().is_empty() {
            break;
        }
        sleep(100).await;
    }
    let doubt = errors.borrow()[0].clone();
    assert_eq!((text_of(&doubt, "code").as_deref(), text_of(&doubt, "next").as_deref()), (Some("sale.outcome_unknown"), Some("merchant")));
    let confirm: Function = Reflect::get(&checkout, &"confirmApproval".into()).expect("a method").unchecked_into();
    confirm.call1(&checkout, &"INV-DOUBT".into()).expect("confirmed");
    assert_eq!(successes.borrow().len(), 1, "onSuccess, as for an approval the checkout saw");
    let success = successes.borrow()[0].clone();
    assert_eq!((text_of(&success, "invoiceId").as_deref(), text_of(&success, "last4").as_deref()), (Some("INV-DOUBT"), Some("1111")));
    assert_eq!(Reflect::get(&success, &"amountCentis".into()).ok().and_then(|amount| amount.as_f64()), Some(100.0));
    assert!(status_text(&form).starts_with("Approved"));
    call(&checkout, "unmount");
    form.remove();
}

#[wasm_bindgen_test]
fn a_getter_of_the_options_given_to_update_may_use_the_checkout_and_gets_coded_answers() {
    // Each getter runs while `update()` reads the options; what it does to the same checkout
    // must be answered as any call is: done, or refused with a code, never a bare exception.
    let inside = [
        "checkout.update({ amountCentis: 300 })",
        "checkout.unmount()",
        "checkout.update({ get currency() { checkout.unmount(); return 'EUR'; } })",
        "checkout.allowNewAttempt('invoice-1')",
    ];
    for inner in inside {
        let form = form();
        let checkout = mount_checkout(form.clone().into(), options(None)).expect("mounted");
        let build = Function::new_with_args(
            "checkout",
            &format!(
                "const thrown = []; return [thrown, {{ get amountCentis() {{ try {{ {inner}; }} catch (error) {{ thrown.push(error); }} return 200; }} }}];"
            ),
        );
        let built: js_sys::Array = build.call1(&JsValue::NULL, &checkout).expect("options").unchecked_into();
        let update: Function = Reflect::get(&checkout, &JsValue::from_str("update")).expect("update").unchecked_into();
        let outer = update.call1(&checkout, &built.get(1)).err();
        let thrown: js_sys::Array = built.get(0).unchecked_into();
        for error in thrown.iter().chain(outer) {
            let code = Reflect::get(&error, &JsValue::from_str("code")).ok().and_then(|code| code.as_string());
            assert!(code.is_some(), "{inner}: an error without a code: {error:?}");
        }
        call(&checkout, "unmount");
        form.remove();
    }
}
