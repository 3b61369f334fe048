//! connpay-checkout: the JavaScript face of the ConnPay checkout module.
//!
//! This crate is deliberately thin: every rule lives in `connpay-core`, which knows nothing of
//! the web. Here, values arrive from JavaScript, are read without trusting their types, go through
//! the core, and come back as plain objects typed by the TypeScript declarations in [`types`].
//! No export panics on input: bad values give a result with a code, bad arguments an `Error` with
//! a `code`. The gateway calls are sans-IO in the core; [`transport`] only moves their bytes.
#![deny(missing_docs)]

mod card;
pub use card::{BrandIdArg, Today};
mod error;
mod js;
mod sale;
mod transport;
pub mod types;

pub use card::{
    detect_brand, format_card_number, validate_card, validate_card_number, validate_cvv,
    validate_expiry, validate_holder,
};
pub use error::Error;
pub use sale::{
    perform_sale, sale_status, validate_perform_sale_js as validate_perform_sale, wait_for_final_state, Gateway,
    RequestOptions, SaleSession, WaitOptions,
};
