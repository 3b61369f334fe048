//! The errors an export throws: JavaScript `Error` objects with a stable `code` and, where one
//! argument is at fault, its `path`.

use wasm_bindgen::JsValue;

/// What went wrong, as a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// An argument other than the validated value is malformed (e.g. `today`).
    InvalidArgument,
    /// The module could not build its answer; a bug, never the payer's input.
    Internal,
}

impl ErrorKind {
    /// The stable code on the thrown `Error`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "argument.invalid",
            ErrorKind::Internal => "internal",
        }
    }
}

/// An error on its way to JavaScript. The message never contains the value that was checked,
/// so no card data can leak through it.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    path: Option<&'static str>,
    message: &'static str,
}

impl Error {
    /// An argument at `path` is malformed.
    pub(crate) fn invalid_argument(path: &'static str, message: &'static str) -> Error {
        Error { kind: ErrorKind::InvalidArgument, path: Some(path), message }
    }

    /// The result could not be converted for JavaScript.
    pub(crate) fn internal(message: &'static str) -> Error {
        Error { kind: ErrorKind::Internal, path: None, message }
    }

    /// The stable code.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        let js_error = js_sys::Error::new(error.message);
        js_error.set_name("ConnPayError");
        // Setting a property on a fresh Error object cannot fail; if it did, the Error without
        // its code would still be thrown rather than a panic.
        let _ = js_sys::Reflect::set(&js_error, &"code".into(), &error.kind.code().into());
        if let Some(path) = error.path {
            let _ = js_sys::Reflect::set(&js_error, &"path".into(), &path.into());
        }
        js_error.into()
    }
}
