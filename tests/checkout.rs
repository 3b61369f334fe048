//! `mountCheckout` in Chromium and Firefox (`wasm-pack test --headless --chrome --firefox`): the
//! fields are formatted on `input`, the error texts and attributes are added and taken back by
//! `unmount()`, and options a sale could never be made with are coded errors, not panics.
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
    checkout.unmount();
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
                Ok(checkout) => checkout.unmount(),
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
