//! cargo-fuzz: `harness::v2_text` (see core/tests/harness).
#![no_main]

#[allow(dead_code)]
#[path = "../../core/tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| harness::v2_text(bytes));
