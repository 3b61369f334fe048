//! connpay-js: the JavaScript boundary that the browser module (`connpay-checkout`) and the
//! merchant's Node package (`connpay-checkout-server`) share, so that both read JavaScript values
//! the same way and throw the same coded errors:
//!
//! - [`Js`], a JavaScript value as the core's walker reads it (own properties only, each with its
//!   JavaScript type, nothing through JSON);
//! - [`to_js`], a result as a plain object;
//! - [`Error`], the `ConnPayError` every export throws: a stable `code`, the `path` at fault, and
//!   details such as `errors`. Messages never contain the values that were checked.
#![deny(missing_docs)]

use std::borrow::Cow;

use connpay_core::code::NO_DETAIL;
use connpay_core::sale::FieldError;
use connpay_core::value::{got_to_json, Shape, ToGot, Unreadable, Value};
use connpay_core::ErrorCode;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

/// The core's text of a number with a fraction (its `host-number-text` feature): the JavaScript
/// engine's own, the shortest that reads back the same, as `JSON.stringify` writes it.
#[cfg(all(feature = "host-number-text", target_arch = "wasm32"))]
#[no_mangle]
fn connpay_host_number_text(number: f64, out: &mut String) {
    // A finite number always has a JSON text: the core calls this for no other.
    if let Some(text) = js_sys::JSON::stringify(&JsValue::from_f64(number)).ok().and_then(|text| text.as_string()) {
        out.push_str(&text);
    }
}

/// An error on its way to JavaScript.
#[derive(Debug)]
pub struct Error {
    code: ErrorCode,
    path: Option<String>,
    message: String,
    details: Vec<(&'static str, JsValue)>,
}

impl Error {
    /// An error with its code's own words; in a build without them (the browser package's
    /// production build), the code and where to read what it means.
    pub fn of(code: ErrorCode) -> Error {
        match code.detail() {
            NO_DETAIL => Error::new(code, [code.as_str(), ": ", NO_DETAIL].concat()),
            detail => Error::new(code, detail),
        }
    }

    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error { code, path: None, message: message.into(), details: Vec::new() }
    }

    /// An argument at `path` is malformed.
    pub fn invalid_argument(path: &str, message: &str) -> Error {
        Error::new(ErrorCode::ArgumentInvalid, message).at(path)
    }

    /// Options that no sale could be made with: `argument.invalid` at the first problem's path,
    /// every problem on `errors`.
    pub fn invalid_options(errors: &[FieldError]) -> Error {
        let (path, message) =
            errors.first().map_or(("options", "the options are not valid"), |first| (first.path.as_str(), first.message.as_str()));
        let list = crate::to_js(&errors).unwrap_or(JsValue::NULL);
        // The options themselves (not an object, say) have no key to name.
        let what = if path.is_empty() { "the options".to_string() } else { format!("option {path}:") };
        Error::new(ErrorCode::ArgumentInvalid, format!("{what} {message}; see `errors` for every problem")).at(path).with("errors", list)
    }

    /// The result could not be converted for JavaScript.
    pub fn internal() -> Error {
        Error::of(ErrorCode::Internal)
    }

    /// A request that did not validate: every problem travels on `errors`.
    pub fn invalid_request(errors: &[FieldError]) -> Error {
        let list = crate::to_js(&errors).unwrap_or(JsValue::NULL);
        Error::of(ErrorCode::RequestInvalid).with("errors", list)
    }

    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The same error under another code (how the checkout reports it).
    pub fn with_code(mut self, code: ErrorCode) -> Error {
        self.code = code;
        self
    }

    /// The same error with another message (the checkout's, in the payer's language).
    pub fn with_message(mut self, message: &str) -> Error {
        self.message = message.to_string();
        self
    }

    /// Names the argument or field at fault.
    pub fn at(mut self, path: &str) -> Error {
        self.path = Some(path.to_string());
        self
    }

    /// Adds a property unless the error already has one of that name.
    pub fn with_default(self, key: &'static str, value: JsValue) -> Error {
        if self.details.iter().any(|(known, _)| *known == key) {
            self
        } else {
            self.with(key, value)
        }
    }

    /// Adds a property to the thrown object.
    pub fn with(mut self, key: &'static str, value: JsValue) -> Error {
        self.details.push((key, value));
        self
    }
}

impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        let js_error = js_sys::Error::new(&error.message);
        js_error.set_name("ConnPayError");
        // Setting a property on a fresh Error object cannot fail; if it did, the Error would
        // still be thrown, without that property, rather than a panic.
        let set = |key: &str, value: &JsValue| {
            let _ = js_sys::Reflect::set(&js_error, &JsValue::from_str(key), value);
        };
        set("code", &JsValue::from_str(error.code.as_str()));
        if let Some(path) = &error.path {
            set("path", &JsValue::from_str(path));
        }
        for (key, value) in &error.details {
            set(key, value);
        }
        js_error.into()
    }
}

/// Converts a result into a plain JavaScript object; `None` becomes `null`.
///
/// The result crosses as JSON text written by the core and parsed by the engine's `JSON.parse`:
/// one call across the boundary instead of one per property, and no serialisation framework in
/// the module (measured: serde with serde_json's writer cost 2.3 KB gzip more, and
/// serde-wasm-bindgen 2.5 KB more again; BENCHMARKS.md).
pub fn to_js(value: &impl ToGot) -> Result<JsValue, Error> {
    js_sys::JSON::parse(&got_to_json(&value.to_got())).map_err(|_| Error::internal())
}

/// `object[key]` if `object` has `key` as its own property (a getter of its own runs); undefined
/// when it does not, or is not an object. `Err` when a getter or a Proxy trap throws.
pub fn own(object: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    own_property(object, key).map(|value| value.unwrap_or(JsValue::UNDEFINED))
}

/// The same, telling a missing key (`None`) from one set to undefined.
pub fn own_property(object: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue> {
    if !object.is_object() {
        return Ok(None);
    }
    let key = JsValue::from_str(key);
    let object: &js_sys::Object = object.unchecked_ref();
    if Reflect::get_own_property_descriptor(object, &key)?.is_undefined() {
        return Ok(None);
    }
    Reflect::get(object, &key).map(Some)
}

/// A JavaScript value as the core's walker reads it: own properties only, each with its
/// JavaScript type, nothing through JSON. A `Date`, a `String` object or an object with `toJSON`
/// is an object (refused where text belongs), NaN is a number (refused where a finite one
/// belongs), and a getter that throws is [`Unreadable`] at its own path.
pub struct Js(pub JsValue);

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// `Date.prototype.getTime.call(value)`: throws unless `value` is a real Date.
    #[wasm_bindgen(catch, js_namespace = ["Date", "prototype", "getTime"], js_name = call)]
    pub fn date_time(value: &JsValue) -> Result<f64, JsValue>;
    /// `Object.prototype.toString.call(value)`: `[object Object]` for a plain object (of any
    /// realm) or a class instance; `[object Date]`, `[object String]`, … for the built-ins.
    #[wasm_bindgen(catch, js_namespace = ["Object", "prototype", "toString"], js_name = call)]
    fn object_tag(value: &JsValue) -> Result<String, JsValue>;
}

impl Value for Js {
    fn shape(&self) -> Shape<'_> {
        let value = &self.0;
        if value.is_undefined() || value.is_null() {
            Shape::Absent
        } else if let Some(flag) = value.as_bool() {
            Shape::Bool(flag)
        } else if let Some(number) = value.as_f64() {
            Shape::Number(number)
        } else if let Some(text) = value.as_string() {
            // Reading replaces a lone surrogate with U+FFFD: such text is refused, not altered.
            let broken = text.contains('\u{FFFD}') && !value.unchecked_ref::<js_sys::JsString>().is_valid_utf16();
            if broken {
                Shape::BrokenText
            } else {
                Shape::Text(Cow::Owned(text))
            }
        } else if !value.is_object() {
            Shape::Foreign
        } else {
            match is_array(value) {
                // A Proxy's `length` may throw or lie: it is read like any property (the walker
                // caps it).
                Ok(true) => match Reflect::get(value, &JsValue::from_str("length")).map(|length| length.as_f64()) {
                    Ok(Some(length)) if length >= 0.0 => Shape::Array(length as usize),
                    _ => Shape::Unreadable,
                },
                // A Date, a String object, a Map, an element…: not an object of fields.
                Ok(false) => match object_tag(value) {
                    Ok(tag) if tag == "[object Object]" => Shape::Object,
                    Ok(_) => Shape::Foreign,
                    Err(_) => Shape::Unreadable,
                },
                Err(_) => Shape::Unreadable,
            }
        }
    }

    fn keys(&self) -> Result<Vec<String>, Unreadable> {
        if !self.0.is_object() {
            return Ok(Vec::new());
        }
        let keys = Reflect::own_keys(self.0.unchecked_ref()).map_err(|_| Unreadable)?;
        Ok(keys.iter().filter_map(|key| key.as_string()).collect())
    }

    fn get(&self, key: &str) -> Result<Option<Js>, Unreadable> {
        // An own key only; one set to undefined is there, and reads as absent.
        own_property(&self.0, key).map(|value| value.map(Js)).map_err(|_| Unreadable)
    }

    fn at(&self, index: usize) -> Result<Option<Js>, Unreadable> {
        // An own element only: a hole is not filled from `Array.prototype`.
        self.get(&index.to_string())
    }
}
