//! No panics, ever: every parser and validator of the core (see `harness`) given arbitrary text
//! and bytes, text shaped like what it expects, and valid bodies with random damage. A panic in
//! the WebAssembly build would kill the module for the page; `npm run fuzz` runs the same
//! harness under cargo-fuzz for longer.

mod harness;

use proptest::prelude::*;

/// Valid bodies to damage: the spec's perform sale, and a v2 sale form and answer.
const JSON_BODIES: [&str; 2] = [include_str!("fixtures/perform-sale-request.json"), include_str!("fixtures/spec-request-example.json")];
const V2_BODIES: [&str; 3] = [
    include_str!("fixtures/v2-sale-example.txt"),
    include_str!("fixtures/v2-response-async.txt"),
    include_str!("fixtures/v2-response-validation-error.txt"),
];

/// `body` with `length` bytes at `at` (wrapped into range) replaced by `patch`.
fn damaged(body: &str, at: usize, length: usize, patch: &[u8]) -> Vec<u8> {
    let mut bytes = body.as_bytes().to_vec();
    let start = at % (bytes.len() + 1);
    let end = (start + length).min(bytes.len());
    bytes.splice(start..end, patch.iter().copied());
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn card_fields_take_any_text(text in any::<String>()) {
        harness::card_fields(&text);
    }

    #[test]
    fn card_fields_take_card_like_text(text in "[0-9 /\\-.\u{00a0}\u{0660}-\u{0669}]{0,40}") {
        harness::card_fields(&text);
    }

    #[test]
    fn wire_json_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        harness::wire_json(&bytes);
    }

    #[test]
    fn wire_json_takes_damaged_valid_bodies(which in 0..2usize, at in any::<usize>(), length in 0usize..40, patch in proptest::collection::vec(any::<u8>(), 0..40)) {
        harness::wire_json(&damaged(JSON_BODIES[which], at, length, &patch));
    }

    #[test]
    fn gateway_responses_take_any_status_and_body(status in any::<u16>(), body in any::<String>()) {
        harness::gateway_response(status, &body);
    }

    #[test]
    fn gateway_responses_take_damaged_json(status in 100u16..600, at in any::<usize>(), length in 0usize..20, patch in "[{}\\[\\]\":,a-zA-Z0-9 ]{0,20}") {
        let body = r#"{"invoiceId":"INV1","session":{"token":"t"},"state":"APPROVED","error":{"cause":"DECLINED","code":"1","message":"m"}}"#;
        harness::gateway_response(status, &String::from_utf8_lossy(&damaged(body, at, length, patch.as_bytes())));
    }

    #[test]
    fn v2_text_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        harness::v2_text(&bytes);
    }

    #[test]
    fn v2_text_takes_amount_like_text(text in "[0-9.]{0,25}") {
        harness::v2_text(text.as_bytes());
    }

    #[test]
    fn v2_text_takes_damaged_valid_bodies(which in 0..3usize, at in any::<usize>(), length in 0usize..40, patch in "[=&%+a-zA-Z0-9\n ]{0,30}") {
        harness::v2_text(&damaged(V2_BODIES[which], at, length, patch.as_bytes()));
    }

    #[test]
    fn urls_take_any_text(text in any::<String>()) {
        harness::urls(&text);
    }

    #[test]
    fn urls_take_url_like_text(text in "(https?|HTTP|ftp|javascript)?:?/{0,3}[a-zA-Z0-9.:@%/?#\\\\ \t-]{0,40}") {
        harness::urls(&text);
    }

    #[test]
    fn browser_fields_take_any_text_and_number(text in any::<String>(), number in any::<f64>()) {
        harness::browser_fields(&text, number);
    }
}
