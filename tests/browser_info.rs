//! `collectBrowserInfo` in Chromium and Firefox: every field equals what the page's own
//! JavaScript reads, normalised by an independent JavaScript rendering of the EMV 3-D Secure 2.x
//! conventions, within /api/v2/sale's lengths; and a hostile or odd page gets the documented defaults, never an exception.
#![cfg(target_arch = "wasm32")]

use connpay_checkout::*;
use js_sys::{Function, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// What the page reads itself, normalised as EMV 3-D Secure 2.x says, written apart from the module.
const PAGE_READS: &str = r#"
const depths = [1, 4, 8, 15, 16, 24, 32, 48];
let java = false;
try { java = navigator.javaEnabled() === true; } catch (_) {}
let language = navigator.language;
while (language.length > 8 && language.includes("-")) language = language.slice(0, language.lastIndexOf("-"));
return {
  javascriptEnabled: true,
  javaEnabled: java,
  colorDepth: depths.filter((depth) => depth <= screen.colorDepth).pop() ?? 24,
  screenHeight: Math.min(Math.round(screen.height), 999999),
  screenWidth: Math.min(Math.round(screen.width), 999999),
  timeZone: new Date().getTimezoneOffset(),
  acceptLanguage: language,
  userAgent: navigator.userAgent.slice(0, 2048),
};
"#;

const FIELDS: [&str; 8] =
    ["javascriptEnabled", "javaEnabled", "colorDepth", "screenHeight", "screenWidth", "timeZone", "acceptLanguage", "userAgent"];

/// /api/v2/sale's limit on each field's text in the form.
const LIMITS: [(&str, usize); 6] =
    [("colorDepth", 2), ("screenHeight", 6), ("screenWidth", 6), ("timeZone", 5), ("acceptLanguage", 8), ("userAgent", 2048)];

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("property")
}

fn json(value: &JsValue) -> String {
    JSON::stringify(value).ok().and_then(|text| text.as_string()).unwrap_or_else(|| "undefined".into())
}

fn collect() -> JsValue {
    collect_browser_info(None).expect("collectBrowserInfo never throws")
}

/// Runs `setup` (JavaScript that changes the page and returns a function undoing it), collects,
/// and undoes the change.
fn collect_with(setup: &str) -> JsValue {
    let helpers = r#"
      const undo = [];
      const replace = (target, key, descriptor) => {
        const own = Object.getOwnPropertyDescriptor(target, key);
        Object.defineProperty(target, key, { configurable: true, ...descriptor });
        undo.push(() => (own ? Object.defineProperty(target, key, own) : delete target[key]));
      };
    "#;
    let body = format!("{helpers}\n{setup}\nreturn () => undo.reverse().forEach((step) => step());");
    let restore: Function = Function::new_no_args(&body).call0(&JsValue::UNDEFINED).expect("setup").unchecked_into();
    let info = collect();
    restore.call0(&JsValue::UNDEFINED).expect("restore");
    info
}

fn assert_within_seed_lengths(info: &JsValue) {
    for (key, limit) in LIMITS {
        let value = get(info, key);
        let text = value.as_string().unwrap_or_else(|| value.as_f64().map(|number| number.to_string()).unwrap_or_default());
        assert!(!text.is_empty() && text.chars().count() <= limit, "{key} = {text:?} exceeds {limit}");
    }
}

#[wasm_bindgen_test]
fn every_field_equals_what_the_page_reads() {
    let info = collect();
    let page = Function::new_no_args(PAGE_READS).call0(&JsValue::UNDEFINED).expect("page reads");
    for key in FIELDS {
        assert_eq!(json(&get(&info, key)), json(&get(&page, key)), "{key}");
    }
    assert!(get(&info, "acceptHeader").is_undefined() && get(&info, "ipAddress").is_undefined());
    assert_within_seed_lengths(&info);
}

#[wasm_bindgen_test]
fn the_server_supplies_the_accept_header_and_the_ip_address() {
    let options = JSON::parse(r#"{"acceptHeader":" text/html,application/xhtml+xml,*/*;q=0.8 ","ipAddress":" 203.0.113.7 "}"#).unwrap();
    let info = collect_browser_info(Some(options.unchecked_into())).unwrap();
    assert_eq!(get(&info, "acceptHeader").as_string().as_deref(), Some("text/html,application/xhtml+xml,*/*;q=0.8"));
    assert_eq!(get(&info, "ipAddress").as_string().as_deref(), Some("203.0.113.7"));
    // Values that are not text are ignored rather than thrown at: collection never throws.
    let odd = JSON::parse(r#"{"acceptHeader":42,"ipAddress":["203.0.113.7"]}"#).unwrap();
    let info = collect_browser_info(Some(odd.unchecked_into())).unwrap();
    assert!(get(&info, "acceptHeader").is_undefined() && get(&info, "ipAddress").is_undefined());
    let throwing = Function::new_no_args("return { get acceptHeader() { throw new Error('no'); } };").call0(&JsValue::UNDEFINED).unwrap();
    assert!(collect_browser_info(Some(throwing.unchecked_into())).is_ok());
}

#[wasm_bindgen_test]
fn odd_readings_are_normalised() {
    let info = collect_with(
        r#"
        replace(screen, "colorDepth", { get: () => 30 });
        replace(screen, "height", { get: () => 1079.6 });
        replace(navigator, "language", { get: () => "zh-Hant-TW" });
        replace(navigator, "userAgent", { get: () => "U".repeat(5000) });
        replace(Date.prototype, "getTimezoneOffset", { value: () => -540 });
        "#,
    );
    assert_eq!(get(&info, "colorDepth").as_f64(), Some(24.0));
    assert_eq!(get(&info, "screenHeight").as_f64(), Some(1080.0));
    assert_eq!(get(&info, "acceptLanguage").as_string().as_deref(), Some("zh-Hant"));
    assert_eq!(get(&info, "userAgent").as_string().map(|agent| agent.len()), Some(2048));
    assert_eq!(get(&info, "timeZone").as_f64(), Some(-540.0));
    assert_within_seed_lengths(&info);
}

#[wasm_bindgen_test]
fn java_is_read_by_hand_and_false_when_missing_or_throwing() {
    let enabled = collect_with(r#"replace(navigator, "javaEnabled", { value: () => true });"#);
    assert_eq!(get(&enabled, "javaEnabled").as_bool(), Some(true));
    let throwing = collect_with(r#"replace(navigator, "javaEnabled", { value: () => { throw new Error("no Java"); } });"#);
    assert_eq!(get(&throwing, "javaEnabled").as_bool(), Some(false));
    let missing = collect_with(r#"replace(navigator, "javaEnabled", { value: undefined });"#);
    assert_eq!(get(&missing, "javaEnabled").as_bool(), Some(false));
    let not_boolean = collect_with(r#"replace(navigator, "javaEnabled", { value: () => "yes" });"#);
    assert_eq!(get(&not_boolean, "javaEnabled").as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn missing_or_throwing_properties_take_the_documented_defaults() {
    let no_screen = collect_with(r#"replace(globalThis, "screen", { value: undefined });"#);
    assert_eq!(get(&no_screen, "colorDepth").as_f64(), Some(24.0));
    assert_eq!(get(&no_screen, "screenHeight").as_f64(), Some(0.0));
    assert_eq!(get(&no_screen, "screenWidth").as_f64(), Some(0.0));
    let throwing = collect_with(
        r#"
        replace(screen, "colorDepth", { get() { throw new Error("denied"); } });
        replace(navigator, "language", { get() { throw new Error("denied"); } });
        replace(Date.prototype, "getTimezoneOffset", { value: () => NaN });
        "#,
    );
    assert_eq!(get(&throwing, "colorDepth").as_f64(), Some(24.0));
    assert_eq!(get(&throwing, "acceptLanguage").as_string().as_deref(), Some("en"));
    assert_eq!(get(&throwing, "timeZone").as_f64(), Some(0.0));
    let no_navigator = collect_with(r#"replace(globalThis, "navigator", { value: undefined });"#);
    assert_eq!(get(&no_navigator, "javaEnabled").as_bool(), Some(false));
    assert_eq!(get(&no_navigator, "userAgent").as_string().as_deref(), Some(""));
    assert_eq!(get(&no_navigator, "acceptLanguage").as_string().as_deref(), Some("en"));
    let wrong_kinds =
        collect_with(r#"replace(navigator, "language", { get: () => 42 }); replace(screen, "width", { get: () => "wide" });"#);
    assert_eq!(get(&wrong_kinds, "acceptLanguage").as_string().as_deref(), Some("en"));
    assert_eq!(get(&wrong_kinds, "screenWidth").as_f64(), Some(0.0));
    // The page is as it was: the module reads the real values again.
    every_field_equals_what_the_page_reads();
}
