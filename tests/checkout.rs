//! `mountCheckout` in Chromium and Firefox (`wasm-pack test --headless --chrome --firefox`): the
//! fields are formatted on `input`, the error texts and attributes are added and taken back by
//! `unmount()`, options a sale could never be made with are coded errors at mount (not panics),
//! and a form holds one checkout at a time.
#![cfg(target_arch = "wasm32")]

use connpay_checkout::{mount_checkout, CheckoutOptions};
use js_sys::{Function, Object, Reflect};
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
fn refusal(result: Result<JsValue, connpay_checkout::Error>) -> (Option<String>, Option<String>) {
    let error: JsValue = result.expect_err("refused").into();
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
    let hostile = [JsValue::UNDEFINED, JsValue::NULL, JsValue::from(f64::NAN), js_sys::JSON::parse(r#""\ud800""#).expect("a lone surrogate"), Object::new().into()];
    for value in &hostile {
        for key in ["gateway", "amountCentis", "consumer", "getSession", "locale", "messages", "selectors", "timeoutMs"] {
            let form = form();
            match mount_checkout(form.clone().into(), options(Some((key, value.clone())))) {
                Ok(checkout) => call(&checkout, "unmount"),
                Err(error) => {
                    let error: JsValue = error.into();
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
        assert_eq!(refusal(mount_checkout(form.clone().into(), options(Some((key, value))))), (Some("argument.invalid".into()), Some(path.into())), "{key}");
        assert_eq!(form.outer_html(), before, "{key}: nothing changed");
        form.remove();
    }
}
