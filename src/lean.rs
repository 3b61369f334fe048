//! The validators of the `connpay-checkout/validate` entry point (the build with no feature), as
//! lean exports: they take plain strings and numbers and answer small numbers, and the entry's
//! JavaScript (`src/validate.js`, appended to this build's glue by `scripts/build.mjs`) reads the
//! page's values and turns the numbers into the documented result objects. The other entry points
//! read JavaScript values and build their results in wasm (`card.rs`); both call the same rules
//! of the core, and `tests/e2e/validate-entry.test.mjs` compares their answers.
//!
//! Reading values in JavaScript keeps the JS-value reader, the JSON writer and their formatting
//! out of this `.wasm`, the page's largest file (BENCHMARKS.md has the figures).
//!
//! How a value reached a validator is its kind: [`ABSENT`], [`TEXT`] or anything else (not text).
//! A verdict is three numbers: valid (0 or 1), potentially valid (0 or 1), and its code's index in
//! [`ErrorCode::ALL`] plus one (0: none). A brand is its index in [`BRANDS`] plus one (0: none).

use connpay_core::card::{self, BrandId, CardInput, HolderInput, Input, Verdict, YearMonth, BRANDS};
use connpay_core::ErrorCode;
use wasm_bindgen::prelude::*;

use crate::TODAY_HINT;

/// The value was `undefined` or `null`.
const ABSENT: u32 = 0;
/// The value was a string.
const TEXT: u32 = 1;
/// Bits of one kind in a list of kinds.
const KIND_BITS: u32 = 2;

fn input(text: &str, kind: u32) -> Input<'_> {
    match kind {
        ABSENT => Input::Absent,
        TEXT => Input::Text(text),
        _ => Input::NotText,
    }
}

/// The `index`-th kind of a list of kinds.
fn kind_at(kinds: u32, index: u32) -> u32 {
    (kinds >> (index * KIND_BITS)) & ((1 << KIND_BITS) - 1)
}

/// A code as a number: its index in [`ErrorCode::ALL`] (the enum's declaration order) plus one.
fn code_number(code: ErrorCode) -> u16 {
    code as u16 + 1
}

fn brand_number(brand: Option<BrandId>) -> u16 {
    brand.map_or(0, |id| id as u16 + 1)
}

fn push_verdict(out: &mut Vec<u16>, verdict: Verdict) {
    out.extend([u16::from(verdict.valid), u16::from(verdict.potentially_valid), verdict.code.map_or(0, code_number)]);
}

fn push_number(out: &mut Vec<u16>, result: &card::NumberResult) {
    push_verdict(out, result.verdict);
    out.push(brand_number(result.brand));
}

fn push_expiry(out: &mut Vec<u16>, result: &card::ExpiryResult) {
    push_verdict(out, result.verdict);
    out.extend([result.month.map_or(0, u16::from), result.year.unwrap_or(0)]);
}

/// The verdict, then each problem as its field (`HolderField`'s order) and its code.
fn push_holder(out: &mut Vec<u16>, result: &card::HolderResult) {
    push_verdict(out, result.verdict);
    for error in &result.errors {
        out.extend([error.field as u16, code_number(error.code)]);
    }
}

fn holder<'a>(first_name: &'a str, last_name: &'a str, printed_name: &'a str, kinds: u32) -> HolderInput<'a> {
    HolderInput {
        first_name: input(first_name, kind_at(kinds, 0)),
        last_name: input(last_name, kind_at(kinds, 1)),
        printed_name: input(printed_name, kind_at(kinds, 2)),
    }
}

/// `undefined` when `year` and `month` are a month the validators take as today, else why not.
#[wasm_bindgen(js_name = leanToday, skip_typescript)]
pub fn today_refusal(year: u32, month: u32) -> Option<String> {
    YearMonth::new(year, month).is_none().then(|| TODAY_HINT.to_string())
}

/// A code's string, by its index in [`ErrorCode::ALL`].
#[wasm_bindgen(js_name = leanCode, skip_typescript)]
pub fn code(index: u32) -> String {
    ErrorCode::ALL.get(index as usize).map_or("", |code| code.as_str()).to_string()
}

/// A brand's id (`name` false) or display name (`name` true), by its index in [`BRANDS`].
#[wasm_bindgen(js_name = leanBrandText, skip_typescript)]
pub fn brand_text(index: u32, name: bool) -> String {
    BRANDS.get(index as usize).map_or("", |brand| if name { brand.name } else { brand.id.as_str() }).to_string()
}

/// A brand's numbers, by its index in [`BRANDS`]: its security code's length, how many lengths it
/// allows, those lengths, then its gaps.
#[wasm_bindgen(js_name = leanBrandNumbers, skip_typescript)]
pub fn brand_numbers(index: u32) -> Vec<u8> {
    BRANDS
        .get(index as usize)
        .map_or_else(Vec::new, |brand| [&[brand.cvv_length, brand.lengths.len() as u8][..], brand.lengths, brand.gaps].concat())
}

/// The brand the digits of `text` name, as a number.
#[wasm_bindgen(js_name = leanDetect, skip_typescript)]
pub fn detect(text: &str) -> u16 {
    let (digits, _) = card::number::digits_of(text);
    brand_number(card::detect(&digits).brand().map(|brand| brand.id))
}

/// The number's digits in its brand's display groups.
#[wasm_bindgen(js_name = leanFormat, skip_typescript)]
pub fn format(text: &str) -> String {
    card::format_number(text)
}

/// A card number's verdict and brand.
#[wasm_bindgen(js_name = leanNumber, skip_typescript)]
pub fn number(text: &str, kind: u32) -> Vec<u16> {
    let mut out = Vec::new();
    push_number(&mut out, &card::validate_number_input(input(text, kind)));
    out
}

/// An expiry's verdict, month and year (0: none) against `today`, which `leanToday` accepted.
#[wasm_bindgen(js_name = leanExpiry, skip_typescript)]
pub fn expiry(text: &str, kind: u32, year: u32, month: u32) -> Vec<u16> {
    let mut out = Vec::new();
    if let Some(today) = YearMonth::new(year, month) {
        push_expiry(&mut out, &card::validate_expiry_input(input(text, kind), today));
    }
    out
}

/// A security code's verdict, against the brand `brand_id` names (none if it names none).
#[wasm_bindgen(js_name = leanCvv, skip_typescript)]
pub fn cvv(text: &str, kind: u32, brand_id: &str) -> Vec<u16> {
    let brand = BrandId::parse(brand_id).map(BrandId::brand);
    let mut out = Vec::new();
    push_verdict(&mut out, card::validate_cvv_input(input(text, kind), brand));
    out
}

/// The holder's verdict and problems; `kinds` lists the three parts' kinds.
#[wasm_bindgen(js_name = leanHolder, skip_typescript)]
pub fn holder_result(first_name: &str, last_name: &str, printed_name: &str, kinds: u32) -> Vec<u16> {
    let mut out = Vec::new();
    push_holder(&mut out, &card::validate_holder(holder(first_name, last_name, printed_name, kinds)));
    out
}

/// The whole card: valid, then the number's, the expiry's, the security code's and the holder's
/// answers as above; `kinds` lists the number's, expiry's, security code's and the holder's three
/// parts' kinds. `today` was accepted by `leanToday`.
#[wasm_bindgen(js_name = leanCard, skip_typescript)]
#[allow(clippy::too_many_arguments, reason = "each field crosses as its own string: no object is read in wasm")]
pub fn card(
    number: &str,
    expiry: &str,
    cvv: &str,
    first_name: &str,
    last_name: &str,
    printed_name: &str,
    kinds: u32,
    year: u32,
    month: u32,
) -> Vec<u16> {
    let mut out = Vec::new();
    let Some(today) = YearMonth::new(year, month) else { return out };
    let fields = CardInput {
        number: input(number, kind_at(kinds, 0)),
        expiry: input(expiry, kind_at(kinds, 1)),
        cvv: input(cvv, kind_at(kinds, 2)),
        holder: holder(first_name, last_name, printed_name, kinds >> (3 * KIND_BITS)),
    };
    let result = card::validate_card(fields, today);
    out.push(u16::from(result.valid));
    push_number(&mut out, &result.number);
    push_expiry(&mut out, &result.expiry);
    push_verdict(&mut out, result.cvv);
    push_holder(&mut out, &result.holder);
    out
}
