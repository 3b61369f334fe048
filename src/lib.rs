//! connpay-checkout: the JavaScript face of the ConnPay checkout module.
//!
//! This crate is deliberately thin: every rule lives in `connpay-core`, which knows nothing of
//! the web. Here, values arrive from JavaScript, are read without trusting their types, go through
//! the core, and come back as plain objects typed by the TypeScript declarations in [`types`].
//! No export panics on input: bad values give a result with a code, bad arguments an `Error`
//! with a `code`. The gateway calls are sans-IO in the core; [`transport`] only moves their
//! bytes. The 3-D Secure browser data is read in [`browser`]; /api/v2/sale forms are built in
//! [`v2`] with a `control` from the merchant's server, never with its key. Every buffer is zeroed
//! when freed (`alloc`), so no card data outlives its use in the module's memory.
#![deny(missing_docs)]

#[cfg(target_arch = "wasm32")]
mod alloc;
mod browser;
mod card;
mod checkout;
pub use card::{BrandIdArg, Today};
mod js;
mod sale;
mod transport;
pub mod types;
mod v2;

pub use browser::{collect_browser_info, BrowserInfoOptions};
pub use card::{detect_brand, format_card_number, validate_card, validate_card_number, validate_cvv, validate_expiry, validate_holder};
pub use checkout::{mount_checkout, CheckoutOptions};
pub use connpay_js::Error;
pub use sale::{
    perform_sale, sale_status, validate_perform_sale_js as validate_perform_sale, wait_for_final_state, Gateway, RequestOptions,
    SaleSession, WaitOptions,
};
pub use v2::{build_v2_sale_form, parse_v2_response, validate_v2_sale};
