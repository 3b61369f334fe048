//! Percent-encoding: URL path segments and form values out, `key=value` pairs in.

/// Percent-encodes a URL path segment or a form value: everything but RFC 3986's unreserved
/// characters, so `&`, `+`, `=`, `/`, spaces and every non-ASCII byte travel escaped.
pub fn encode_segment(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(segment.len());
    for &byte in segment.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    encoded
}

/// Decodes a form-encoded component: `+` is a space, `%XX` a byte; a `%` not followed by two hex
/// digits stays as it is (as `URLSearchParams` does), and bytes that are not UTF-8 become U+FFFD.
pub fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let escaped = (byte == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| Some(hex_value(hex[0])? << 4 | hex_value(hex[1])?));
        match (byte, escaped) {
            (_, Some(value)) => {
                decoded.push(value);
                index += 3;
            }
            (b'+', None) => {
                decoded.push(b' ');
                index += 1;
            }
            (_, None) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The value of one hex digit, either case.
pub(crate) fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).and_then(|value| u8::try_from(value).ok())
}

/// Splits a form body into decoded `(key, value)` pairs. Pairs are separated by `&` or a newline
/// (the gateway ends each value with one, and its pages print one pair a line); keys and values
/// are trimmed, as the gateway trims them; empty pieces are skipped; a piece without `=` is a key
/// with an empty value.
pub fn form_pairs(body: &str) -> Vec<(String, String)> {
    body.split(['&', '\n'])
        .filter(|piece| !piece.trim().is_empty())
        .map(|piece| {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode_component(key).trim().to_string(), decode_component(value).trim().to_string())
        })
        .collect()
}

/// Joins `(key, value)` pairs into a form body, both sides percent-encoded.
pub fn form_body<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs.into_iter().map(|(key, value)| format!("{}={}", encode_segment(key), encode_segment(value))).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode_segment("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode_segment("é"), "%C3%A9");
        assert_eq!(encode_segment("a&b+c=d e/f%"), "a%26b%2Bc%3Dd%20e%2Ff%25");
    }

    #[test]
    fn decodes_plus_escapes_and_broken_escapes() {
        assert_eq!(decode_component("End+point%20%D0%96"), "End point Ж");
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
        assert_eq!(decode_component("%FF"), "\u{FFFD}");
    }

    #[test]
    fn pairs_split_on_ampersands_and_newlines_and_are_trimmed() {
        let pairs = form_pairs("type=async-response\n&serial-number=00-1\n&end-point-id=22903\n&flag\n");
        assert_eq!(
            pairs,
            [("type", "async-response"), ("serial-number", "00-1"), ("end-point-id", "22903"), ("flag", "")]
                .map(|(key, value)| (key.to_string(), value.to_string()))
        );
    }

    #[test]
    fn a_body_round_trips() {
        let pairs = [("order_desc", "Test Order Описание & more\n+1"), ("amount", "10.42")];
        let body = form_body(pairs);
        let back = form_pairs(&body);
        assert_eq!(back, pairs.map(|(key, value)| (key.to_string(), value.to_string())));
    }
}
