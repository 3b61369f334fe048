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
//!
//! Each entry point of the npm package is a build of this crate with some of its features (see
//! Cargo.toml): `checkout` is the drop-in alone (its page validates with the drop-in's own fields,
//! and a page that also wants the validators imports `connpay-checkout/validate`), `gateway` the
//! gateway calls, the 3-D Secure browser data and the validators, `v2` the /api/v2/sale form with
//! them. Built with none of them, the validators are `lean`'s: the entry's JavaScript reads the
//! page's values and builds the results, the `.wasm` answers in numbers.
#![deny(missing_docs)]

#[cfg(target_arch = "wasm32")]
mod alloc;
#[cfg(feature = "browser")]
mod browser;
// The validators reading JavaScript values, for the entry points that also read requests; the
// `connpay-checkout/validate` entry (no feature) has the lean ones of `lean` instead, and the
// drop-in's (`checkout` alone) none.
#[cfg(any(feature = "gateway", feature = "v2"))]
mod card;
#[cfg(feature = "checkout")]
mod checkout;
// The development build's warnings are the drop-in's.
#[cfg(all(feature = "development", feature = "checkout"))]
mod development;
#[cfg(any(feature = "gateway", feature = "v2"))]
pub use card::{BrandIdArg, Today};
#[cfg(any(feature = "checkout", feature = "gateway"))]
mod gateway;
#[cfg_attr(
    not(all(feature = "checkout", feature = "gateway", feature = "v2")),
    allow(dead_code, reason = "an entry point's build reads only part of it")
)]
#[cfg(any(feature = "checkout", feature = "gateway", feature = "v2"))]
mod js;
#[cfg(not(any(feature = "checkout", feature = "gateway", feature = "v2")))]
mod lean;
#[cfg(feature = "gateway")]
mod sale;
#[cfg(feature = "gateway")]
mod transport;
pub mod types;

/// Why `today` is refused, whatever was wrong with it.
const TODAY_HINT: &str = "today must be a Date or { year, month } with a 4-digit year and a month 1-12";
#[cfg(feature = "v2")]
mod v2;

#[cfg(feature = "browser")]
pub use browser::{collect_browser_info, BrowserInfoOptions};
#[cfg(any(feature = "gateway", feature = "v2"))]
pub use card::{detect_brand, format_card_number, validate_card, validate_card_number, validate_cvv, validate_expiry, validate_holder};
#[cfg(feature = "checkout")]
pub use checkout::{mount_checkout, CheckoutOptions};
pub use connpay_js::Error;
#[cfg(any(feature = "checkout", feature = "gateway"))]
pub use gateway::Gateway;
#[cfg(feature = "gateway")]
pub use sale::{
    perform_sale, sale_status, validate_perform_sale_js as validate_perform_sale, wait_for_final_state, RequestOptions, SaleSession,
    WaitOptions,
};
#[cfg(feature = "v2")]
pub use v2::{build_v2_sale_form, parse_v2_response, validate_v2_sale};
