//! Reading a request from loosely typed input (JSON text, a JavaScript object) into the typed
//! model, with the path of a wrong type or an unknown field.

use serde::{Deserialize, Deserializer};

use crate::problems::FieldError;
use crate::ErrorCode;

/// Reads `T` from any serde deserializer. A wrong type or an unknown key is reported at its path
/// with a fixed message: serde's own messages quote the offending value, which may be card data.
pub fn read<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let unknown = error.inner().to_string().starts_with("unknown field");
        let (code, message) = if unknown {
            (ErrorCode::RequestUnknownField, "is not a field of the gateway's spec")
        } else {
            (ErrorCode::RequestType, "has the wrong type for this field")
        };
        FieldError { path: if path == "." { String::new() } else { path }, code, message: message.to_string() }
    })
}
