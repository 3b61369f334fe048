//! Browser tests: every export called through JavaScript values, in Chromium and Firefox
//! (`wasm-pack test --headless --chrome --firefox`).
#![cfg(target_arch = "wasm32")]

use connpay_checkout::*;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

/// A JS object from JSON text: the shape a page would pass.
fn obj(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON")
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &s(key)).expect("property")
}

fn flag(value: &JsValue, key: &str) -> bool {
    get(value, key).as_bool().unwrap_or_else(|| panic!("{key} is not a boolean"))
}

fn text(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

fn today() -> Option<Today> {
    Some(obj(r#"{"year":2026,"month":11}"#).unchecked_into())
}

#[wasm_bindgen_test]
fn card_number_result_shape() {
    let result = validate_card_number(s("4111 1111 1111 1111")).unwrap();
    assert!(flag(&result, "valid"));
    assert!(flag(&result, "potentiallyValid"));
    assert_eq!(text(&result, "brand").as_deref(), Some("visa"));
    assert_eq!(text(&result, "formatted").as_deref(), Some("4111 1111 1111 1111"));
    // A valid result has no `code` property at all.
    assert!(!Reflect::has(&result, &s("code")).unwrap());

    let luhn = validate_card_number(s("4111111111111112")).unwrap();
    assert!(!flag(&luhn, "valid"));
    assert_eq!(text(&luhn, "code").as_deref(), Some("card.number.luhn"));

    let typing = validate_card_number(s("5")).unwrap();
    assert!(flag(&typing, "potentiallyValid"));
    assert!(get(&typing, "brand").is_null());
    assert_eq!(text(&typing, "code").as_deref(), Some("card.number.incomplete"));
}

#[wasm_bindgen_test]
fn non_string_values_are_results_not_exceptions() {
    let number = validate_card_number(JsValue::from_f64(4111111111111111.0)).unwrap();
    assert_eq!(text(&number, "code").as_deref(), Some("card.number.type"));
    let empty = validate_card_number(JsValue::UNDEFINED).unwrap();
    assert_eq!(text(&empty, "code").as_deref(), Some("card.number.empty"));
    let cvv = validate_cvv(Object::new().into(), None).unwrap();
    assert_eq!(text(&cvv, "code").as_deref(), Some("card.cvv.type"));
    assert_eq!(format_card_number(JsValue::NULL), "");
}

#[wasm_bindgen_test]
fn detect_brand_gives_the_table_row_or_null() {
    let amex = detect_brand(s("37")).unwrap();
    assert_eq!(text(&amex, "id").as_deref(), Some("amex"));
    assert_eq!(text(&amex, "name").as_deref(), Some("American Express"));
    assert_eq!(get(&amex, "cvvLength").as_f64(), Some(4.0));
    assert_eq!(JSON::stringify(&get(&amex, "gaps")).unwrap(), "[4,10]");
    assert_eq!(JSON::stringify(&get(&amex, "lengths")).unwrap(), "[15]");
    assert!(detect_brand(s("1")).unwrap().is_null());
    assert!(detect_brand(s("6")).unwrap().is_null());
    assert_eq!(text(&detect_brand(s("2221")).unwrap(), "id").as_deref(), Some("mastercard"));
}

#[wasm_bindgen_test]
fn format_card_number_groups_by_brand() {
    assert_eq!(format_card_number(s("378282246310005")), "3782 822463 10005");
    assert_eq!(format_card_number(s("4111-1111-1111-1111")), "4111 1111 1111 1111");
}

#[wasm_bindgen_test]
fn expiry_with_explicit_and_default_today() {
    let result = validate_expiry(s("12/27"), today()).unwrap();
    assert!(flag(&result, "valid"));
    assert_eq!(get(&result, "month").as_f64(), Some(12.0));
    assert_eq!(get(&result, "year").as_f64(), Some(2027.0));

    let past = validate_expiry(s("10/26"), today()).unwrap();
    assert_eq!(text(&past, "code").as_deref(), Some("card.expiry.past"));

    let date = js_sys::Date::new_with_year_month_day(2026, 10, 15);
    let by_date = validate_expiry(s("11/26"), Some(JsValue::from(date).unchecked_into())).unwrap();
    assert!(flag(&by_date, "valid"));

    // With no `today`, the browser's clock decides: this month is valid, last year is not.
    let now = js_sys::Date::new_0();
    let this_month = format!("{:02}/{:02}", now.get_month() + 1, now.get_full_year() % 100);
    assert!(flag(&validate_expiry(s(&this_month), None).unwrap(), "valid"));
    let last_year = format!("{:02}/{}", now.get_month() + 1, now.get_full_year() - 1);
    assert_eq!(text(&validate_expiry(s(&last_year), None).unwrap(), "code").as_deref(), Some("card.expiry.past"));
}

#[wasm_bindgen_test]
fn a_malformed_today_throws_a_coded_error() {
    for bad in [r#"{"year":2026,"month":13}"#, r#"{"year":"2026","month":1}"#, r#"{"month":1}"#, "42", r#""2026-11""#] {
        let error: JsValue = validate_expiry(s("12/27"), Some(obj(bad).unchecked_into())).unwrap_err().into();
        assert!(error.is_instance_of::<js_sys::Error>(), "{bad}");
        assert_eq!(text(&error, "code").as_deref(), Some("argument.invalid"), "{bad}");
        assert_eq!(text(&error, "path").as_deref(), Some("today"));
        assert_eq!(text(&error, "name").as_deref(), Some("ConnPayError"));
    }
    let invalid_date = js_sys::Date::new(&JsValue::from_f64(f64::NAN));
    assert!(validate_expiry(s("12/27"), Some(JsValue::from(invalid_date).unchecked_into())).is_err());
}

#[wasm_bindgen_test]
fn cvv_by_brand() {
    let amex = || Some(s("amex").unchecked_into());
    assert!(flag(&validate_cvv(s("1234"), amex()).unwrap(), "valid"));
    assert_eq!(text(&validate_cvv(s("123"), amex()).unwrap(), "code").as_deref(), Some("card.cvv.incomplete"));
    let visa = validate_cvv(s("1234"), Some(s("visa").unchecked_into())).unwrap();
    assert_eq!(text(&visa, "code").as_deref(), Some("card.cvv.too_long"));
    assert!(flag(&validate_cvv(s("1234"), None).unwrap(), "valid"));
    assert!(flag(&validate_cvv(s("123"), None).unwrap(), "valid"));
}

#[wasm_bindgen_test]
fn holder_forms() {
    assert!(flag(&validate_holder(obj(r#"{"firstName":"John","lastName":"Smith"}"#)).unwrap(), "valid"));
    assert!(flag(&validate_holder(obj(r#"{"printedName":"JOHN SMITH"}"#)).unwrap(), "valid"));
    assert!(flag(&validate_holder(s("JOHN SMITH")).unwrap(), "valid"));
    let empty = validate_holder(obj("{}")).unwrap();
    assert!(flag(&empty, "potentiallyValid"));
    let errors: Array = get(&empty, "errors").unchecked_into();
    assert_eq!(errors.length(), 2);
    assert_eq!(text(&errors.get(1), "field").as_deref(), Some("lastName"));
    assert_eq!(text(&errors.get(1), "code").as_deref(), Some("card.holder.empty"));
}

/// A value made by JavaScript code (a `Date`, a `String` object).
fn made_by(code: &str) -> JsValue {
    js_sys::Function::new_no_args(&format!("return {code};")).call0(&JsValue::NULL).unwrap()
}

/// Braintree's card-validator suite, run against the validators, found `[]` read as an empty
/// holder; a `Date` or a `String` object was read the same way. `null` and `{}` are an empty name.
#[wasm_bindgen_test]
fn a_holder_is_a_string_or_an_object_of_name_parts() {
    for (name, value) in [("[]", Array::new().into()), ("a Date", made_by("new Date()")), ("a String", made_by("new String('JOHN SMITH')"))]
    {
        let result = validate_holder(value).unwrap();
        assert_eq!(text(&result, "code").as_deref(), Some("card.holder.type"), "{name}");
        assert!(!flag(&result, "potentiallyValid"), "{name}");
    }
    for (name, value) in [("null", JsValue::NULL), ("undefined", JsValue::UNDEFINED), ("{}", obj("{}"))] {
        let result = validate_holder(value).unwrap();
        assert_eq!(text(&result, "code").as_deref(), Some("card.holder.empty"), "{name}");
        assert!(flag(&result, "potentiallyValid"), "{name}");
    }
    let digits = validate_holder(s("4111-1111")).unwrap();
    assert_eq!(text(&digits, "code").as_deref(), Some("card.holder.digits_only"));
}

/// A card that is not an object of fields has no field that is text, as `null` had already.
#[wasm_bindgen_test]
fn a_card_is_an_object_of_fields() {
    for (name, value) in
        [("[]", Array::new().into()), ("a Date", made_by("new Date()")), ("a string", s("4111111111111111")), ("null", JsValue::NULL)]
    {
        let result = validate_card(value, today()).unwrap();
        for (field, code) in
            [("number", "card.number.type"), ("expiry", "card.expiry.type"), ("cvv", "card.cvv.type"), ("holder", "card.holder.type")]
        {
            assert_eq!(text(&get(&result, field), "code").as_deref(), Some(code), "{name}: {field}");
        }
    }
    let empty = validate_card(obj("{}"), today()).unwrap();
    for (field, code) in
        [("number", "card.number.empty"), ("expiry", "card.expiry.empty"), ("cvv", "card.cvv.empty"), ("holder", "card.holder.empty")]
    {
        assert_eq!(text(&get(&empty, field), "code").as_deref(), Some(code), "{{}}: {field}");
    }
}

#[wasm_bindgen_test]
fn validate_card_reports_every_field() {
    let card = obj(r#"{"number":"3782 822463 10005","expiry":"12/27","cvv":"1234","holder":{"printedName":"J SMITH"}}"#);
    let result = validate_card(card, today()).unwrap();
    assert!(flag(&result, "valid"));
    assert_eq!(text(&get(&result, "number"), "brand").as_deref(), Some("amex"));

    let bad = obj(r#"{"number":"4111111111111111","expiry":"13/27","cvv":"1234","holder":"1234"}"#);
    let result = validate_card(bad, today()).unwrap();
    assert!(!flag(&result, "valid"));
    assert!(flag(&get(&result, "number"), "valid"));
    assert_eq!(text(&get(&result, "expiry"), "code").as_deref(), Some("card.expiry.month"));
    assert_eq!(text(&get(&result, "cvv"), "code").as_deref(), Some("card.cvv.too_long"));
    assert_eq!(text(&get(&result, "holder"), "code").as_deref(), Some("card.holder.digits_only"));
}

/// A string made in JavaScript with a lone surrogate (UTF-16 0xD800), which Rust strings cannot hold.
fn lone_surrogate() -> JsValue {
    let text = js_sys::JsString::from_char_code1(0xD800).concat(&s("4111"));
    text.into()
}

/// An object whose every property getter throws.
fn hostile_object() -> JsValue {
    js_sys::Function::new_no_args("return new Proxy({}, { get() { throw new Error('boom'); }, has() { throw new Error('boom'); } });")
        .call0(&JsValue::NULL)
        .unwrap()
}

/// Calls every export with `value` in every position; each must return, or throw a coded Error.
fn call_everything(value: &JsValue) {
    let results = [
        validate_card_number(value.clone()),
        detect_brand(value.clone()),
        validate_expiry(value.clone(), today()),
        validate_cvv(value.clone(), None),
        validate_cvv(s("123"), Some(value.clone().unchecked_into())),
        validate_holder(value.clone()),
        validate_card(value.clone(), today()),
    ];
    for result in results {
        if let Err(error) = result {
            panic!("an export threw for a value: {:?}", JsValue::from(error));
        }
    }
    let card = Object::new();
    for key in ["number", "expiry", "cvv", "holder"] {
        Reflect::set(&card, &s(key), value).unwrap();
    }
    validate_card(card.into(), today()).unwrap();
    let holder = Object::new();
    for key in ["firstName", "lastName"] {
        Reflect::set(&holder, &s(key), value).unwrap();
    }
    validate_holder(holder.into()).unwrap();
    let _ = format_card_number(value.clone());
}

#[wasm_bindgen_test]
fn no_export_panics_for_any_string_and_the_module_still_answers() {
    let values = [
        s(""),
        s(&"4".repeat(100_000)),
        s(&"é€😀".repeat(40_000)),
        s("４１１１ ١٢٣ Ⅻ/２７"),
        s("\u{0}\u{1f}\u{7f}"),
        lone_surrogate(),
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(f64::NAN),
        JsValue::from_f64(4111111111111111.0),
        JsValue::TRUE,
        Array::of2(&s("4111"), &s("1111")).into(),
        obj(r#"{"number":{"nested":true}}"#),
        hostile_object(),
    ];
    for value in &values {
        call_everything(value);
    }
    // A panic would have poisoned the module; it must still answer normally.
    let result = validate_card_number(s("4242 4242 4242 4242")).unwrap();
    assert!(flag(&result, "valid"));
    assert_eq!(text(&result, "brand").as_deref(), Some("visa"));
}

#[wasm_bindgen_test]
fn a_lone_surrogate_is_an_invalid_character() {
    let result = validate_card_number(lone_surrogate()).unwrap();
    assert_eq!(text(&result, "code").as_deref(), Some("card.number.invalid_characters"));
}

/// The drop-in, gateway and v2 builds have the JavaScript engine write a number's fraction
/// (connpay-js's `host-number-text`): each is the shortest text that reads back the same number,
/// in JSON's grammar, as the core's own writer gives natively.
#[wasm_bindgen_test]
fn numbers_with_a_fraction_are_written_in_their_shortest_json_form() {
    let cases = [
        (40.741895, "40.741895"),
        (-12.5, "-12.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-7, "1e-7"),
        (1.5e300, "1.5e+300"),
        (5e-324, "5e-324"),
        // Whole, but past what JavaScript holds exactly: written as a number with an exponent too.
        (1e21, "1e+21"),
        (1042.0, "1042"),
    ];
    for (number, expected) in cases {
        let mut out = String::new();
        connpay_core::value::write_number(&mut out, number);
        assert_eq!(out, expected);
        assert_eq!(JSON::parse(&out).ok().and_then(|read| read.as_f64()), Some(number), "{out} reads back");
    }
}
