//! cargo-fuzz: `harness::gateway_response` (see core/tests/harness).
#![no_main]

#[allow(dead_code)]
#[path = "../../core/tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|input: (u16, &str)| harness::gateway_response(input.0, input.1));
