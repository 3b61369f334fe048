//! `collectBrowserInfo`: the payer's 3-D Secure browser data, read without trusting the page.
//!
//! Every property is read through `Reflect` on the global object, so a missing `screen` (a
//! worker), a replaced `navigator.language` or a getter that throws gives the core's documented
//! default instead of an exception; the core normalises what was read.

use connpay_core::browser::{BrowserInfo, BrowserReadings};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::js::{self, Text};
use crate::Error;

#[wasm_bindgen]
extern "C" {
    /// The options of `collectBrowserInfo` (declared in `types`).
    #[wasm_bindgen(typescript_type = "BrowserInfoOptions")]
    pub type BrowserInfoOptions;

    /// `navigator`, bound by hand for `javaEnabled()`, which web-sys does not bind (deprecated).
    type JavaNavigator;

    /// `navigator.javaEnabled()`: `catch` turns a missing method or a throw into an `Err`.
    #[wasm_bindgen(method, catch, js_name = javaEnabled)]
    fn java_enabled(this: &JavaNavigator) -> Result<JsValue, JsValue>;
}

/// Collects the payer's browser data for 3-D Secure, normalised to what the gateway accepts
/// (colour depth to an EMV value, language cut to 8 characters, sizes to 6 digits, user agent to
/// 2048 characters). `acceptHeader` and `ipAddress` cannot be read by JavaScript: pass the ones
/// the merchant's server saw with the page request. Never throws: a missing or unreadable
/// property takes its documented default, and options that are not strings are ignored.
#[wasm_bindgen(js_name = collectBrowserInfo, unchecked_return_type = "BrowserInfo")]
pub fn collect_browser_info(options: Option<BrowserInfoOptions>) -> Result<JsValue, Error> {
    let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
    let global: JsValue = js_sys::global().into();
    let navigator = property(&global, "navigator");
    let screen = property(&global, "screen");
    let number = |object: &JsValue, key: &str| property(object, key).as_f64();
    let readings = BrowserReadings {
        color_depth: number(&screen, "colorDepth"),
        screen_height: number(&screen, "height"),
        screen_width: number(&screen, "width"),
        time_zone_offset: Some(js_sys::Date::new_0().get_timezone_offset()),
        language: property(&navigator, "language").as_string(),
        user_agent: property(&navigator, "userAgent").as_string(),
        java_enabled: navigator.unchecked_ref::<JavaNavigator>().java_enabled().ok().and_then(|enabled| enabled.as_bool()),
        accept_header: text_option(&options, "acceptHeader"),
        ip_address: text_option(&options, "ipAddress"),
    };
    js::to_js(&BrowserInfo::from_readings(&readings))
}

/// `object[key]`, or `undefined` when `object` is not an object or the getter throws.
fn property(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text_option(options: &JsValue, key: &str) -> Option<String> {
    match Text::field(options, key) {
        Text::Given(text) => Some(text),
        Text::Absent | Text::Other => None,
    }
}
