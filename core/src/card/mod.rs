//! Card-field rules: number, expiry, security code and holder, each in its own module, and the
//! whole card at once.

pub mod brand;
pub mod cvv;
pub mod expiry;
pub mod holder;
pub mod number;
mod verdict;

pub use brand::{detect, Brand, BrandId, Detection, BRANDS};
pub use cvv::validate_cvv;
pub use expiry::{validate_expiry, ExpiryResult, YearMonth};
pub use holder::{validate_holder, HolderError, HolderField, HolderInput, HolderResult};
pub use number::{format_number, validate_number, NumberResult};
pub use verdict::Verdict;

use crate::value::{Got, Record, ToGot};
use crate::ErrorCode;

/// A field's value as it reached the validator from a loosely typed caller (JavaScript).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input<'a> {
    /// Not given (`undefined` or `null`): read as an empty field.
    Absent,
    /// Given as text.
    Text(&'a str),
    /// Given, but not as text (a number, an object…): never coerced, since a card number as a
    /// JavaScript number has already lost digits.
    NotText,
}

impl<'a> Input<'a> {
    /// The text to validate, `""` when absent, `None` when the value is not text.
    pub fn text(self) -> Option<&'a str> {
        match self {
            Input::Absent => Some(""),
            Input::Text(text) => Some(text),
            Input::NotText => None,
        }
    }
}

/// [`validate_number`] for a value that may not be text.
pub fn validate_number_input(input: Input<'_>) -> NumberResult {
    match input.text() {
        Some(text) => validate_number(text),
        None => NumberResult { verdict: Verdict::invalid(ErrorCode::NumberType), brand: None, formatted: String::new() },
    }
}

/// [`validate_expiry`] for a value that may not be text.
pub fn validate_expiry_input(input: Input<'_>, today: YearMonth) -> ExpiryResult {
    match input.text() {
        Some(text) => validate_expiry(text, today),
        None => ExpiryResult { verdict: Verdict::invalid(ErrorCode::ExpiryType), month: None, year: None },
    }
}

/// [`validate_cvv`] for a value that may not be text.
pub fn validate_cvv_input(input: Input<'_>, brand: Option<&Brand>) -> Verdict {
    input.text().map_or(Verdict::invalid(ErrorCode::CvvType), |text| validate_cvv(text, brand))
}

/// The card form's fields, as given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardInput<'a> {
    /// Card number.
    pub number: Input<'a>,
    /// Expiry.
    pub expiry: Input<'a>,
    /// Security code.
    pub cvv: Input<'a>,
    /// Holder's name.
    pub holder: HolderInput<'a>,
}

/// Every field's result, and whether the whole card is valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardResult {
    /// Every field is valid.
    pub valid: bool,
    /// The number's result.
    pub number: NumberResult,
    /// The expiry's result.
    pub expiry: ExpiryResult,
    /// The security code's result, against the number's brand.
    pub cvv: Verdict,
    /// The holder's result.
    pub holder: HolderResult,
}

/// Checks every field of a card; the security code is checked against the number's brand.
pub fn validate_card(input: CardInput<'_>, today: YearMonth) -> CardResult {
    let number = validate_number_input(input.number);
    let brand = number.brand.map(BrandId::brand);
    let expiry = validate_expiry_input(input.expiry, today);
    let cvv = validate_cvv_input(input.cvv, brand);
    let holder = validate_holder(input.holder);
    CardResult { valid: number.verdict.valid && expiry.verdict.valid && cvv.valid && holder.verdict.valid, number, expiry, cvv, holder }
}

impl ToGot for CardResult {
    fn to_got(&self) -> Got {
        Record::default()
            .field("valid", self.valid)
            .field("number", &self.number)
            .field("expiry", self.expiry)
            .field("cvv", self.cvv)
            .field("holder", &self.holder)
            .to_got()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(number: &'static str, expiry: &'static str, cvv: &'static str) -> CardInput<'static> {
        CardInput {
            number: Input::Text(number),
            expiry: Input::Text(expiry),
            cvv: Input::Text(cvv),
            holder: HolderInput { first_name: Input::Absent, last_name: Input::Absent, printed_name: Input::Text("JOHN SMITH") },
        }
    }

    fn today() -> YearMonth {
        YearMonth::new(2026, 11).unwrap()
    }

    #[test]
    fn a_complete_card_is_valid() {
        let result = validate_card(card("4111 1111 1111 1111", "12/27", "123"), today());
        assert!(result.valid);
        assert_eq!(result.number.brand, Some(BrandId::Visa));
    }

    #[test]
    fn the_cvv_is_checked_against_the_numbers_brand() {
        let amex = validate_card(card("378282246310005", "12/27", "123"), today());
        assert!(!amex.valid);
        assert_eq!(amex.cvv, Verdict::pending(ErrorCode::CvvIncomplete));
        assert!(validate_card(card("378282246310005", "12/27", "1234"), today()).valid);
        let visa = validate_card(card("4111111111111111", "12/27", "1234"), today());
        assert_eq!(visa.cvv, Verdict::invalid(ErrorCode::CvvTooLong));
    }

    #[test]
    fn any_invalid_field_makes_the_card_invalid() {
        assert!(!validate_card(card("4111111111111112", "12/27", "123"), today()).valid);
        assert!(!validate_card(card("4111111111111111", "12/25", "123"), today()).valid);
        let mut no_holder = card("4111111111111111", "12/27", "123");
        no_holder.holder.printed_name = Input::Text(" ");
        assert!(!validate_card(no_holder, today()).valid);
    }

    #[test]
    fn values_that_are_not_text() {
        assert_eq!(validate_number_input(Input::NotText).verdict, Verdict::invalid(ErrorCode::NumberType));
        assert_eq!(validate_expiry_input(Input::NotText, today()).verdict.code, Some(ErrorCode::ExpiryType));
        assert_eq!(validate_cvv_input(Input::NotText, None), Verdict::invalid(ErrorCode::CvvType));
        assert_eq!(validate_number_input(Input::Absent).verdict, Verdict::pending(ErrorCode::NumberEmpty));
    }
}
