//! cargo-fuzz: `harness::browser_fields` (see core/tests/harness).
#![no_main]

#[allow(dead_code)]
#[path = "../../core/tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|input: (&str, f64)| harness::browser_fields(input.0, input.1));
