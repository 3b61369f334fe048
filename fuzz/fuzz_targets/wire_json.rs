//! cargo-fuzz: `harness::wire_json` (see core/tests/harness).
#![no_main]

#[allow(dead_code)]
#[path = "../../core/tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| harness::wire_json(bytes));
