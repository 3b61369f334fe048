//! The sans-IO core of connpay-checkout: card rules, the gateway's wire models and their
//! validation, the 3-D Secure browser data, and (behind the `server` feature) the signatures.
//!
//! Nothing here touches the web: every rule is plain Rust, tested natively with `cargo test`, and
//! shared by the WebAssembly layer and the sandbox so that the two can never drift.
#![deny(missing_docs)]
// No unsafe code, but for one declaration: the `host-number-text` feature's link to the
// JavaScript engine's number text (`value::write_fraction`), allowed there alone.
#![deny(unsafe_code)]

pub mod browser;
pub mod card;
pub mod checkout;
pub mod code;
pub mod gateway;
pub mod iso;
pub mod percent;
mod problems;
pub mod sale;
pub mod schema;
#[cfg(feature = "server")]
pub mod sign;
pub mod v2;
pub mod value;

pub use code::ErrorCode;
pub use problems::{FieldError, MAX_PROBLEMS};
