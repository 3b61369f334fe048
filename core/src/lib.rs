//! The sans-IO core of connpay-checkout: card rules and, later, the gateway's wire models.
//!
//! Nothing here touches the web: every rule is plain Rust, tested natively with `cargo test`, and
//! shared by the WebAssembly layer and the sandbox so that the two can never drift.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod card;
pub mod code;
pub mod gateway;
pub mod sale;

pub use code::ErrorCode;
