//! /api/v2/sale in the browser: validate the request, build its form with a `control` the
//! merchant's server computed, and read the gateway's answer. Nothing here accepts the
//! merchant's key or computes a signature: the core's `server` feature is never enabled here.

use connpay_core::v2::{self, V2SaleForm};
use connpay_core::value::Record;
use connpay_core::ErrorCode;
use wasm_bindgen::prelude::*;

use crate::js::{self, require_valid, Js};
use crate::Error;

/// Validates a /api/v2/sale request without building it: every problem at once, each with its
/// path, code and message. Never throws for the request; `today` (for the card's expiry)
/// defaults to the browser's clock.
#[wasm_bindgen(js_name = validateV2Sale, unchecked_return_type = "RequestValidation")]
pub fn validate_v2_sale(
    #[wasm_bindgen(unchecked_param_type = "V2SaleRequest")] request: JsValue,
    today: Option<crate::Today>,
) -> Result<JsValue, Error> {
    js::validation(request, today.as_deref(), v2::check_v2_sale)
}

/// Builds the /api/v2/sale form: the request is validated (`request.invalid` with every problem
/// otherwise), and `control` is the SHA-1 the merchant's server computed for this endpoint,
/// `clientOrderId`, amount and email (40 hex digits). Returns the URL path, the content type,
/// the form-urlencoded body and the fields in order.
#[wasm_bindgen(js_name = buildV2SaleForm, unchecked_return_type = "V2SaleForm")]
pub fn build_v2_sale_form(
    #[wasm_bindgen(unchecked_param_type = "V2SaleRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] control: JsValue,
) -> Result<JsValue, Error> {
    let checked = v2::check_v2_sale(&Js(request), js::today(None)?);
    require_valid(checked.errors)?;
    let request = checked.record;
    let control =
        control.as_string().filter(|control| control.len() == 40 && control.bytes().all(|b| b.is_ascii_hexdigit())).ok_or_else(|| {
            Error::invalid_argument("control", "control must be the 40 hex digits of SHA-1 that the merchant's server computed")
        })?;
    let form = V2SaleForm::build(&request, &control);
    let fields: Vec<Vec<&str>> = form.fields.iter().map(|(name, value)| vec![*name, value.as_str()]).collect();
    js::to_js(
        &Record::default()
            .field("path", &form.path)
            .field("contentType", "application/x-www-form-urlencoded")
            .field("body", &form.body)
            .field("fields", &fields),
    )
}

/// Reads the gateway's answer to /api/v2/sale (`type=async-response&…`, each value ending with a
/// newline). Throws `response.invalid` when the body has no `type`, or says its `type` or an
/// order id twice with two values (which one the gateway meant cannot be told);
/// `argument.invalid` when it is not a string.
#[wasm_bindgen(js_name = parseV2Response, unchecked_return_type = "V2Response")]
pub fn parse_v2_response(#[wasm_bindgen(unchecked_param_type = "string")] body: JsValue) -> Result<JsValue, Error> {
    let body = body.as_string().ok_or_else(|| Error::invalid_argument("body", "the response body must be a string"))?;
    let response = v2::parse_v2_response(body.as_bytes()).map_err(|_| Error::of(ErrorCode::ResponseInvalid))?;
    js::to_js(&response)
}
