//! Card-field exports: validation as the payer types, brand detection and formatting.

use connpay_core::card::{self, BrandId, CardInput};
use wasm_bindgen::prelude::*;

use crate::js::{self, HolderText, Text};
use crate::Error;

#[wasm_bindgen]
extern "C" {
    /// `today` as the exports take it (declared in `types`).
    #[wasm_bindgen(typescript_type = "YearMonth | Date")]
    pub type Today;

    /// A brand id, as `validateCvv` takes it.
    #[wasm_bindgen(typescript_type = "BrandId")]
    pub type BrandIdArg;
}

/// Checks a card number as typed or pasted: spaces and dashes are ignored, anything else is an
/// error; brand by issuer prefix, length by brand, then Luhn.
#[wasm_bindgen(js_name = validateCardNumber, unchecked_return_type = "CardNumberResult")]
pub fn validate_card_number(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> Result<JsValue, Error> {
    js::to_js(&card::validate_number_input(Text::read(&value).input()))
}

/// The brand the digits name, or `null` while several brands (or none) are possible.
#[wasm_bindgen(js_name = detectBrand, unchecked_return_type = "BrandInfo | null")]
pub fn detect_brand(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> Result<JsValue, Error> {
    let brand = value.as_string().and_then(|text| {
        let (digits, _) = card::number::digits_of(&text);
        card::detect(&digits).brand()
    });
    js::to_js(&brand)
}

/// The number's digits in its brand's display groups; anything but digits is dropped.
#[wasm_bindgen(js_name = formatCardNumber)]
pub fn format_card_number(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue) -> String {
    value.as_string().map(|text| card::format_number(&text)).unwrap_or_default()
}

/// Checks an expiry (`MM/YY`, `MM / YY`, `MM YY`, `MMYY`, `MM/YYYY`, `YYYY-MM`) against `today`, which
/// defaults to the browser's clock. Throws only when `today` itself is malformed.
#[wasm_bindgen(js_name = validateExpiry, unchecked_return_type = "ExpiryResult")]
pub fn validate_expiry(#[wasm_bindgen(unchecked_param_type = "string")] value: JsValue, today: Option<Today>) -> Result<JsValue, Error> {
    let today = js::today(today.as_deref())?;
    js::to_js(&card::validate_expiry_input(Text::read(&value).input(), today))
}

/// Checks a security code: 4 digits for American Express, 3 for other brands, 3 or 4 when the
/// brand is not given. An unrecognised brand id counts as not given.
#[wasm_bindgen(js_name = validateCvv, unchecked_return_type = "CvvResult")]
pub fn validate_cvv(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    #[wasm_bindgen(js_name = brandId)] brand_id: Option<BrandIdArg>,
) -> Result<JsValue, Error> {
    let brand = brand_id.and_then(|id| id.as_string()).and_then(|id| BrandId::parse(&id));
    js::to_js(&card::validate_cvv_input(Text::read(&value).input(), brand.map(BrandId::brand)))
}

/// Checks the holder's name: `{ firstName, lastName }`, `{ printedName }`, or a string (a
/// printed name); `undefined` and `null` are an empty name, anything else (an array, a `Date`, a
/// `String` object) is not text. Every part must be 1–50 characters after trimming, and not
/// digits only (spaces and dashes aside).
#[wasm_bindgen(js_name = validateHolder, unchecked_return_type = "HolderResult")]
pub fn validate_holder(#[wasm_bindgen(unchecked_param_type = "HolderInput | string")] holder: JsValue) -> Result<JsValue, Error> {
    js::to_js(&card::validate_holder(HolderText::read(&holder).input()))
}

/// Checks every field of a card at once; the security code against the number's brand. A card
/// that is not an object of fields (`null`, an array, a string…) has no field that is text.
#[wasm_bindgen(js_name = validateCard, unchecked_return_type = "CardResult")]
pub fn validate_card(#[wasm_bindgen(unchecked_param_type = "CardInput")] card: JsValue, today: Option<Today>) -> Result<JsValue, Error> {
    let today = js::today(today.as_deref())?;
    let fields = js::is_plain_object(&card);
    let field = |key: &str| if fields { Text::field(&card, key) } else { Text::Other };
    let (number, expiry, cvv) = (field("number"), field("expiry"), field("cvv"));
    let holder = if fields { HolderText::field(&card, "holder") } else { HolderText::NOT_TEXT };
    let input = CardInput { number: number.input(), expiry: expiry.input(), cvv: cvv.input(), holder: holder.input() };
    js::to_js(&card::validate_card(input, today))
}
