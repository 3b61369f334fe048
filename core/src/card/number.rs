//! The card number: characters, brand, length, Luhn, and display formatting.

use super::brand::{detect, BrandId, Detection};
use super::Verdict;
use crate::value::{Got, ToGot};
use crate::ErrorCode;

/// The longest card number of any brand, and of the gateway's spec (PAN length 9–19).
pub const MAX_DIGITS: usize = 19;

/// Display groups when the brand is not known yet.
const DEFAULT_GAPS: &[u8] = &[4, 8, 12, 16];

/// The result of checking a card number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberResult {
    /// Valid, potentially valid, and why not.
    pub verdict: Verdict,
    /// The brand, once the digits name exactly one.
    pub brand: Option<BrandId>,
    /// The digits in the brand's display groups (`4111 1111 1111 1111`, Amex `3782 822463 10005`).
    pub formatted: String,
}

/// Separators a payer types or pastes inside a card number: white space (including no-break
/// spaces from copied text) and dashes (including the typographic ones word processors insert).
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// The digits of `input` as ASCII bytes, and whether anything other than digits and separators
/// was present.
pub fn digits_of(input: &str) -> (Vec<u8>, bool) {
    let mut digits = Vec::with_capacity(input.len().min(MAX_DIGITS + 1));
    let mut foreign = false;
    for c in input.chars() {
        if c.is_ascii_digit() {
            digits.push(c as u8);
        } else if !is_separator(c) {
            foreign = true;
        }
    }
    (digits, foreign)
}

/// Puts a space after each gap position that has digits after it.
fn group(digits: &[u8], gaps: &[u8]) -> String {
    let mut formatted = String::with_capacity(digits.len() + gaps.len());
    for (index, &digit) in digits.iter().enumerate() {
        if index > 0 && gaps.iter().any(|&gap| usize::from(gap) == index) {
            formatted.push(' ');
        }
        formatted.push(char::from(digit));
    }
    formatted
}

/// Groups `digits` as `detection`'s brand displays them (groups of four while unknown).
pub(crate) fn format_detected(digits: &[u8], detection: Detection) -> String {
    group(digits, detection.brand().map_or(DEFAULT_GAPS, |brand| brand.gaps))
}

/// Formats a card number into its brand's display groups; anything but digits is dropped.
pub fn format_number(input: &str) -> String {
    let (digits, _) = digits_of(input);
    format_detected(&digits, detect(&digits))
}

/// Checks a card number as typed or pasted.
pub fn validate_number(input: &str) -> NumberResult {
    let (digits, foreign) = digits_of(input);
    let detection = detect(&digits);
    let verdict = if foreign { Verdict::invalid(ErrorCode::NumberInvalidCharacters) } else { judge(&digits, detection) };
    NumberResult { verdict, brand: detection.brand().map(|brand| brand.id), formatted: format_detected(&digits, detection) }
}

fn judge(digits: &[u8], detection: Detection) -> Verdict {
    let length = digits.len();
    if length == 0 {
        return Verdict::pending(ErrorCode::NumberEmpty);
    }
    let max_length = match detection {
        Detection::Unknown => return Verdict::invalid(ErrorCode::NumberUnknownBrand),
        Detection::Ambiguous { max_length } => max_length,
        Detection::Brand(brand) => brand.max_length(),
    };
    if length > max_length {
        return Verdict::invalid(ErrorCode::NumberTooLong);
    }
    match detection.brand() {
        Some(brand) if brand.allows_length(length) => {
            // `digits` holds ASCII digits only, so it is valid UTF-8.
            let text = std::str::from_utf8(digits).unwrap_or_default();
            if !brand.luhn || luhn::valid(text) {
                Verdict::VALID
            } else {
                // A longer number of the same brand may still pass: 16-digit Visa → 19.
                Verdict::failed(ErrorCode::NumberLuhn, length < max_length)
            }
        }
        // Not an allowed length, and not beyond the longest: more digits may make it valid.
        _ => Verdict::pending(ErrorCode::NumberIncomplete),
    }
}

impl ToGot for NumberResult {
    fn to_got(&self) -> Got {
        self.verdict.record().field("brand", self.brand).field("formatted", &self.formatted).to_got()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::brand::BRANDS;

    const PUBLIC_NUMBERS: &[&str] = &[
        "4111111111111111",
        "4242424242424242",
        "4012888888881881",
        "4538977399606732",
        "4444444444444448",
        "4444555566661111",
        "5555555555554444",
        "2223003122003222",
        "378282246310005",
        "371449635398431",
        "6011111111111117",
        "3530111333300000",
        "30569309025904",
        "6200000000000005",
        "2200000000000004",
    ];

    fn code(input: &str) -> Option<ErrorCode> {
        validate_number(input).verdict.code
    }

    #[test]
    fn public_numbers_are_valid() {
        for number in PUBLIC_NUMBERS {
            let result = validate_number(number);
            assert_eq!(result.verdict, Verdict::VALID, "{number}");
            assert!(result.brand.is_some(), "{number}");
        }
    }

    #[test]
    fn changing_any_one_digit_fails_luhn() {
        for number in PUBLIC_NUMBERS {
            let brand = validate_number(number).brand.unwrap();
            for position in 0..number.len() {
                for replacement in b'0'..=b'9' {
                    let mut bytes = number.as_bytes().to_vec();
                    if bytes[position] == replacement {
                        continue;
                    }
                    bytes[position] = replacement;
                    let changed = String::from_utf8(bytes).unwrap();
                    let result = validate_number(&changed);
                    // UnionPay numbers are not Luhn-checked: a change that lands in
                    // UnionPay's range is tested in `unionpay_skips_luhn_but_others_do_not`.
                    if result.brand == Some(BrandId::Unionpay) {
                        continue;
                    }
                    assert!(!result.verdict.valid, "{changed}");
                    if result.brand == Some(brand) {
                        assert_eq!(result.verdict.code, Some(ErrorCode::NumberLuhn), "{changed}");
                    }
                }
            }
        }
    }

    #[test]
    fn unionpay_skips_luhn_but_others_do_not() {
        assert!(validate_number("6200000000000006").verdict.valid);
        assert_eq!(code("4111111111111112"), Some(ErrorCode::NumberLuhn));
    }

    #[test]
    fn pasted_with_spaces_and_dashes() {
        let result = validate_number("4111 1111-1111 1111");
        assert_eq!(result.verdict, Verdict::VALID);
        assert_eq!(result.brand, Some(BrandId::Visa));
        assert_eq!(result.formatted, "4111 1111 1111 1111");
        assert!(validate_number(" 4111\u{a0}1111\u{2013}1111\t1111 ").verdict.valid);
    }

    #[test]
    fn other_characters_are_an_error() {
        for input in ["4111a111111111111", "4111.1111.1111.1111", "４１１１", "4111\u{fffd}", "+4111"] {
            let result = validate_number(input);
            assert_eq!(result.verdict, Verdict::invalid(ErrorCode::NumberInvalidCharacters), "{input}");
        }
    }

    #[test]
    fn empty_is_not_valid_but_may_become_valid() {
        for input in ["", "   ", " - "] {
            assert_eq!(validate_number(input).verdict, Verdict::pending(ErrorCode::NumberEmpty));
        }
    }

    #[test]
    fn unknown_brand() {
        assert_eq!(validate_number("1234567812345678").verdict, Verdict::invalid(ErrorCode::NumberUnknownBrand));
        assert_eq!(validate_number("2220").verdict, Verdict::invalid(ErrorCode::NumberUnknownBrand));
        assert_eq!(validate_number("2721").verdict, Verdict::invalid(ErrorCode::NumberUnknownBrand));
        assert_eq!(validate_number("2205").verdict, Verdict::invalid(ErrorCode::NumberUnknownBrand));
    }

    #[test]
    fn prefixes_being_typed_are_potentially_valid() {
        for input in ["4", "41", "4111 1111", "5", "22", "2221", "6", "34", "3"] {
            let result = validate_number(input);
            assert_eq!(result.verdict, Verdict::pending(ErrorCode::NumberIncomplete), "{input}");
        }
    }

    /// Extends `prefix` with zeros to `length` digits and fixes the last digit so Luhn passes.
    fn luhn_number(prefix: &str, length: usize) -> String {
        let mut number = format!("{prefix:0<width$}", width = length - 1);
        let check = (0..=9).find(|d| luhn::valid(&format!("{number}{d}"))).unwrap();
        number.push(char::from(b'0' + check));
        number
    }

    #[test]
    fn each_brand_length_bounds() {
        for brand in BRANDS.iter() {
            let (low, _) = brand.prefixes[0];
            let min = usize::from(brand.lengths[0]);
            let max = brand.max_length();
            for length in low.len().max(1)..=MAX_DIGITS + 1 {
                let number = luhn_number(low, length);
                let result = validate_number(&number);
                assert_eq!(result.brand, Some(brand.id), "{number}");
                if brand.allows_length(length) {
                    assert_eq!(result.verdict, Verdict::VALID, "{} {length}", brand.name);
                } else if length > max {
                    assert_eq!(result.verdict, Verdict::invalid(ErrorCode::NumberTooLong), "{number}");
                } else {
                    assert_eq!(result.verdict, Verdict::pending(ErrorCode::NumberIncomplete), "{number}");
                }
            }
            assert!(min >= 12 && max <= MAX_DIGITS, "{}", brand.name);
        }
    }

    #[test]
    fn luhn_failure_is_potentially_valid_only_when_longer_numbers_exist() {
        // A 16-digit Visa may still grow to 19 digits; a 16-digit Mastercard may not.
        assert_eq!(validate_number("4111111111111112").verdict, Verdict::failed(ErrorCode::NumberLuhn, true));
        assert_eq!(validate_number("5555555555554445").verdict, Verdict::failed(ErrorCode::NumberLuhn, false));
        assert_eq!(validate_number("4111111111111111112").verdict, Verdict::failed(ErrorCode::NumberLuhn, false));
    }

    #[test]
    fn formatting_follows_brand_groups() {
        assert_eq!(format_number("378282246310005"), "3782 822463 10005");
        assert_eq!(format_number("30569309025904"), "3056 930902 5904");
        assert_eq!(format_number("4111111111111111111"), "4111 1111 1111 1111 111");
        assert_eq!(format_number("6304000000000000000"), "6304 0000 0000 0000 000");
        assert_eq!(format_number("41111"), "4111 1");
        assert_eq!(format_number("4111 "), "4111");
        assert_eq!(format_number("5"), "5");
        assert_eq!(format_number("55555"), "5555 5");
        assert_eq!(format_number(""), "");
        assert_eq!(format_number("4111-abc-1111"), "4111 1111");
    }

    #[test]
    fn huge_input_is_handled() {
        let long = "4".repeat(100_000);
        let result = validate_number(&long);
        assert_eq!(result.verdict, Verdict::invalid(ErrorCode::NumberTooLong));
        assert_eq!(result.formatted.len(), 100_000 + 4);
    }
}
