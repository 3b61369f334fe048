//! The errors an export throws (or a promise rejects with): JavaScript `Error` objects named
//! `ConnPayError` with a stable `code`, the `path` of the argument or field at fault, and any
//! details (`errors`, `gatewayError`). Messages never contain the values that were checked.

use connpay_core::sale::FieldError;
use connpay_core::ErrorCode;
use wasm_bindgen::JsValue;

/// An error on its way to JavaScript.
#[derive(Debug)]
pub struct Error {
    code: ErrorCode,
    path: Option<String>,
    message: String,
    details: Vec<(&'static str, JsValue)>,
}

impl Error {
    /// An error with its code's own words.
    pub(crate) fn of(code: ErrorCode) -> Error {
        Error::new(code, code.detail())
    }

    /// An error with a code and a message.
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error { code, path: None, message: message.into(), details: Vec::new() }
    }

    /// An argument at `path` is malformed.
    pub(crate) fn invalid_argument(path: &str, message: &str) -> Error {
        Error::new(ErrorCode::ArgumentInvalid, message).at(path)
    }

    /// Options that no sale could be made with: `argument.invalid` at the first problem's path,
    /// every problem on `errors`.
    pub(crate) fn invalid_options(errors: &[FieldError]) -> Error {
        let (path, message) = errors.first().map_or(("options", "the options are not valid"), |first| (first.path.as_str(), first.message.as_str()));
        let list = crate::js::to_js(&errors).unwrap_or(JsValue::NULL);
        Error::new(ErrorCode::ArgumentInvalid, format!("option {path}: {message}; see `errors` for every problem"))
            .at(path)
            .with("errors", list)
    }

    /// The result could not be converted for JavaScript.
    pub(crate) fn internal() -> Error {
        Error::of(ErrorCode::Internal)
    }

    /// A request that did not validate: every problem travels on `errors`.
    pub(crate) fn invalid_request(errors: &[FieldError]) -> Error {
        let list = crate::js::to_js(&errors).unwrap_or(JsValue::NULL);
        Error::of(ErrorCode::RequestInvalid).with("errors", list)
    }

    /// The error's code.
    pub(crate) fn code(&self) -> ErrorCode {
        self.code
    }

    /// The same error under another code (how the checkout reports it).
    pub(crate) fn with_code(mut self, code: ErrorCode) -> Error {
        self.code = code;
        self
    }

    /// The same error with another message (the checkout's, in the payer's language).
    pub(crate) fn with_message(mut self, message: &str) -> Error {
        self.message = message.to_string();
        self
    }

    /// Names the argument or field at fault.
    pub(crate) fn at(mut self, path: &str) -> Error {
        self.path = Some(path.to_string());
        self
    }

    /// Adds a property unless the error already has one of that name.
    pub(crate) fn with_default(self, key: &'static str, value: JsValue) -> Error {
        if self.details.iter().any(|(known, _)| *known == key) {
            self
        } else {
            self.with(key, value)
        }
    }

    /// Adds a property to the thrown object.
    pub(crate) fn with(mut self, key: &'static str, value: JsValue) -> Error {
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
