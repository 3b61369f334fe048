//! connpay-checkout: the JavaScript face of the ConnPay checkout module.
//!
//! This crate is deliberately thin: every rule lives in `connpay-core`, which knows nothing of
//! the web. Here, values arrive from JavaScript, are read without trusting their types, go through
//! the core, and come back as plain objects typed by the TypeScript declarations in [`types`].
//! No export panics on input: bad values give a result with a code, bad arguments an `Error` with
//! a `code`.
#![deny(missing_docs)]

mod card;
pub use card::{BrandIdArg, Today};
mod error;
mod js;
pub mod types;

pub use card::{
    detect_brand, format_card_number, validate_card, validate_card_number, validate_cvv,
    validate_expiry, validate_holder,
};
pub use error::{Error, ErrorKind};
