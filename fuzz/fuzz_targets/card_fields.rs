//! cargo-fuzz: `harness::card_fields` (see core/tests/harness).
#![no_main]

#[allow(dead_code)]
#[path = "../../core/tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|text: &str| harness::card_fields(text));
