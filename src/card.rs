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

/// `validateCardNumber`, declared and documented for JavaScript in `types::VALIDATORS`.
#[wasm_bindgen(js_name = validateCardNumber, skip_typescript)]
pub fn validate_card_number(value: JsValue) -> Result<JsValue, Error> {
    js::to_js(&card::validate_number_input(Text::read(&value).input()))
}

/// `detectBrand`, declared and documented for JavaScript in `types::VALIDATORS`.
#[wasm_bindgen(js_name = detectBrand, skip_typescript)]
pub fn detect_brand(value: JsValue) -> Result<JsValue, Error> {
    let brand = value.as_string().and_then(|text| {
        let (digits, _) = card::number::digits_of(&text);
        card::detect(&digits).brand()
    });
    js::to_js(&brand)
}

/// `formatCardNumber`, declared and documented for JavaScript in `types::VALIDATORS`.
#[wasm_bindgen(js_name = formatCardNumber, skip_typescript)]
pub fn format_card_number(value: JsValue) -> String {
    value.as_string().map(|text| card::format_number(&text)).unwrap_or_default()
}

/// `validateExpiry`, declared and documented for JavaScript in `types::VALIDATORS`.
#[wasm_bindgen(js_name = validateExpiry, skip_typescript)]
pub fn validate_expiry(value: JsValue, today: Option<Today>) -> Result<JsValue, Error> {
    let today = js::today(today.as_deref())?;
    js::to_js(&card::validate_expiry_input(Text::read(&value).input(), today))
}

/// `validateCvv`, declared and documented for JavaScript in `types::VALIDATORS`.
#[wasm_bindgen(js_name = validateCvv, skip_typescript)]
pub fn validate_cvv(value: JsValue, #[wasm_bindgen(js_name = brandId)] brand_id: Option<BrandIdArg>) -> Result<JsValue, Error> {
    let brand = brand_id.and_then(|id| id.as_string()).and_then(|id| BrandId::parse(&id));
    js::to_js(&card::validate_cvv_input(Text::read(&value).input(), brand.map(BrandId::brand)))
}

/// `validateHolder`, declared and documented for JavaScript in `types::VALIDATORS`.
#[wasm_bindgen(js_name = validateHolder, skip_typescript)]
pub fn validate_holder(holder: JsValue) -> Result<JsValue, Error> {
    js::to_js(&card::validate_holder(HolderText::read(&holder).input()))
}

/// `validateCard`, declared and documented for JavaScript in `types::VALIDATORS`.
#[wasm_bindgen(js_name = validateCard, skip_typescript)]
pub fn validate_card(card: JsValue, today: Option<Today>) -> Result<JsValue, Error> {
    let today = js::today(today.as_deref())?;
    let fields = js::is_plain_object(&card);
    let field = |key: &str| if fields { Text::field(&card, key) } else { Text::Other };
    let (number, expiry, cvv) = (field("number"), field("expiry"), field("cvv"));
    let holder = if fields { HolderText::field(&card, "holder") } else { HolderText::NOT_TEXT };
    let input = CardInput { number: number.input(), expiry: expiry.input(), cvv: cvv.input(), holder: holder.input() };
    js::to_js(&card::validate_card(input, today))
}
