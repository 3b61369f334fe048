//! Reading a request from JSON text (a page's `JSON.stringify`, a request body) into the typed
//! model, with the path of a wrong type, an unknown field or a missing one.
//!
//! serde_json says only where in the text it stopped. The path is read back from that position:
//! [`open_at`] walks the text up to it, keeping the open objects' current keys and the open
//! arrays' indices. (A wrapping deserializer such as `serde_path_to_error` tracks it as it goes,
//! but copies every visitor of the model: with the ISO crates, some 40 KB of optimised WebAssembly.)

use serde::de::DeserializeOwned;

use crate::problems::FieldError;
use crate::ErrorCode;

/// Reads `T` from JSON text. A wrong type, an unknown key or a missing field is reported at its
/// path with a fixed message: serde's own messages quote the offending value, which may be card
/// data.
pub fn read_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, FieldError> {
    serde_json::from_slice(json).map_err(|error| {
        let consumed = offset_of(json, error.line(), error.column());
        let open = open_at(&json[..consumed]);
        let message = error.to_string();
        let (path, code, message) = if message.starts_with("unknown field") {
            (path_of(&open), ErrorCode::RequestUnknownField, "is not a field of the gateway's spec")
        } else if let Some(field) = missing_field(&message) {
            // Reported just after the object that lacks it: the path so far names that object.
            (join(&path_of(&open), field), ErrorCode::RequestRequired, "is required")
        } else {
            (path_of(&open), ErrorCode::RequestType, "has the wrong type for this field")
        };
        FieldError { path, code, message: message.to_string() }
    })
}

/// The field serde names in "missing field `name`": one of the model's own names, never input.
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// `path.key`, or `key` at the top.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The byte offset of serde_json's one-based line and its column (bytes into the line).
fn offset_of(json: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        json.iter().enumerate().filter(|(_, byte)| **byte == b'\n').nth(line - 2).map_or(json.len(), |(index, _)| index + 1)
    };
    (line_start + column).min(json.len())
}

/// Where an open container is: an object's key being read or valued, an array's element.
enum Open {
    Object { key: Option<String> },
    Array { index: usize, started: bool },
}

/// The containers open where `text` ends, outermost first.
fn open_at(text: &[u8]) -> Vec<Open> {
    let mut open: Vec<Open> = Vec::new();
    let mut bytes = text.iter().copied().enumerate();
    while let Some((start, byte)) = bytes.next() {
        if let Some(Open::Array { started, .. }) = open.last_mut() {
            if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b']' | b',') {
                *started = true;
            }
        }
        match byte {
            b'{' => open.push(Open::Object { key: None }),
            b'[' => open.push(Open::Array { index: 0, started: false }),
            b'}' | b']' => {
                open.pop();
            }
            b',' => match open.last_mut() {
                Some(Open::Object { key }) => *key = None,
                Some(Open::Array { index, started }) => (*index, *started) = (*index + 1, false),
                None => {}
            },
            b'"' => {
                let mut end = text.len();
                let mut escaped = false;
                for (index, byte) in bytes.by_ref() {
                    match byte {
                        b'\\' if !escaped => escaped = true,
                        b'"' if !escaped => {
                            end = index;
                            break;
                        }
                        _ => escaped = false,
                    }
                }
                if let Some(Open::Object { key: key @ None }) = open.last_mut() {
                    *key = Some(String::from_utf8_lossy(&text[start + 1..end]).into_owned());
                }
            }
            _ => {}
        }
    }
    open
}

/// The path (`sourceOfFunds.card.number`, `consumer.ipAddresses[1]`) of the value being read in
/// the innermost of `open`.
fn path_of(open: &[Open]) -> String {
    let mut path = String::new();
    for container in open {
        match container {
            Open::Object { key: Some(key) } => path = join(&path, key),
            Open::Array { index, started: true } => path = format!("{path}[{index}]"),
            _ => {}
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn path_at(text: &[u8]) -> String {
        path_of(&open_at(text))
    }

    #[test]
    fn the_path_is_the_open_keys_and_indices() {
        assert_eq!(path_at(br#"{"a":{"b":[1,{"c":"#), "a.b[1].c");
        assert_eq!(path_at(br#"{"a":{"b":[1,2"#), "a.b[1]");
        assert_eq!(path_at(br#"{"a":{"b":[]"#), "a.b");
        assert_eq!(path_at(br#"{"a":{"b":1},"d""#), "d");
        assert_eq!(path_at(br#"{"a\"b":{"c":"x,}]"#), r#"a\"b.c"#);
        assert_eq!(path_at(b"{ \"a\" :\n [ 1 ,\n \"x\""), "a[1]");
        assert_eq!(path_at(b""), "");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        inner: Option<Inner>,
        list: Option<Vec<Inner>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        month: u32,
        #[serde(default)]
        note: Option<String>,
    }

    fn error_of(json: &str) -> (String, ErrorCode) {
        let error = read_json::<Outer>(json.as_bytes()).unwrap_err();
        (error.path, error.code)
    }

    #[test]
    fn wrong_types_unknown_and_missing_fields_are_found_at_their_path() {
        let cases = [
            (r#"{"name":"n","inner":{"month":"12"}}"#, "inner.month", ErrorCode::RequestType),
            (r#"{"name":"n","inner":{"month":{"x":1}}}"#, "inner.month", ErrorCode::RequestType),
            (r#"{"name":"n","list":[{"month":1},{"month":-1}]}"#, "list[1].month", ErrorCode::RequestType),
            (r#"{"name":"n","list":[{"month":1},7]}"#, "list[1]", ErrorCode::RequestType),
            (r#"{"name":"n","list":{"month":1}}"#, "list", ErrorCode::RequestType),
            (r#"{"name":"n","inner":{"month":1,"monht":2}}"#, "inner.monht", ErrorCode::RequestUnknownField),
            (r#"{"name":"n","nmae":"x"}"#, "nmae", ErrorCode::RequestUnknownField),
            (r#"{"name":"n","inner":{"note":"x"}}"#, "inner.month", ErrorCode::RequestRequired),
            (r#"{"name":"n","inner":{}}"#, "inner.month", ErrorCode::RequestRequired),
            (r#"{"name":"n","list":[{"month":1},{}]}"#, "list[1].month", ErrorCode::RequestRequired),
            (r#"{}"#, "name", ErrorCode::RequestRequired),
            (r#"[]"#, "", ErrorCode::RequestType),
            ("{\n  \"name\": \"n\",\n  \"inner\": {\n    \"month\": true\n  }\n}", "inner.month", ErrorCode::RequestType),
        ];
        for (json, path, code) in cases {
            assert_eq!(error_of(json), (path.to_string(), code), "{json}");
        }
    }

    #[test]
    fn messages_never_quote_the_input() {
        let error = read_json::<Outer>(br#"{"name":"n","inner":{"month":"4111111111111111"}}"#).unwrap_err();
        assert!(!error.message.contains("4111"), "{}", error.message);
    }

    proptest! {
        #[test]
        fn any_bytes_give_a_model_or_an_error_with_a_path_inside_the_text(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = read_json::<Outer>(&bytes);
            let _ = path_at(&bytes);
        }

        #[test]
        fn any_position_in_real_json_gives_a_path(cut in 0usize..120) {
            let json = br#"{"name":"n","list":[{"month":1,"note":"a\"b"},{"month":2}],"inner":{"month":3}}"#;
            let _ = path_at(&json[..cut.min(json.len())]);
        }
    }
}
