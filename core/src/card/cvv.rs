//! The security code (CVV, CVC, CID): digits only, its length set by the brand.

use super::brand::Brand;
use super::Verdict;
use crate::ErrorCode;

/// Checks a security code; with no brand known yet, 3 or 4 digits are accepted.
pub fn validate_cvv(input: &str, brand: Option<&Brand>) -> Verdict {
    let code = input.trim();
    if code.is_empty() {
        return Verdict::pending(ErrorCode::CvvEmpty);
    }
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Verdict::invalid(ErrorCode::CvvInvalidCharacters);
    }
    let (shortest, longest) = match brand {
        Some(brand) => (usize::from(brand.cvv_length), usize::from(brand.cvv_length)),
        None => (3, 4),
    };
    if code.len() < shortest {
        Verdict::pending(ErrorCode::CvvIncomplete)
    } else if code.len() > longest {
        Verdict::invalid(ErrorCode::CvvTooLong)
    } else {
        Verdict::VALID
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::brand::{BrandId, BRANDS};

    #[test]
    fn amex_needs_four_digits_every_other_brand_three() {
        for brand in BRANDS.iter() {
            let expected = if brand.id == BrandId::Amex { 4 } else { 3 };
            let brand = Some(brand);
            assert_eq!(validate_cvv(&"1".repeat(expected), brand), Verdict::VALID);
            assert_eq!(validate_cvv(&"1".repeat(expected - 1), brand), Verdict::pending(ErrorCode::CvvIncomplete));
            assert_eq!(validate_cvv(&"1".repeat(expected + 1), brand), Verdict::invalid(ErrorCode::CvvTooLong));
        }
    }

    #[test]
    fn unknown_brand_takes_three_or_four() {
        assert_eq!(validate_cvv("12", None), Verdict::pending(ErrorCode::CvvIncomplete));
        assert_eq!(validate_cvv("123", None), Verdict::VALID);
        assert_eq!(validate_cvv("1234", None), Verdict::VALID);
        assert_eq!(validate_cvv("12345", None), Verdict::invalid(ErrorCode::CvvTooLong));
    }

    #[test]
    fn digits_only() {
        for input in ["12a", "1 23", "１２３", "-123", "12.3"] {
            assert_eq!(validate_cvv(input, None), Verdict::invalid(ErrorCode::CvvInvalidCharacters), "{input}");
        }
        assert_eq!(validate_cvv(" 123 ", None), Verdict::VALID);
    }

    #[test]
    fn empty() {
        assert_eq!(validate_cvv("", None), Verdict::pending(ErrorCode::CvvEmpty));
        assert_eq!(validate_cvv("   ", Some(BrandId::Visa.brand())), Verdict::pending(ErrorCode::CvvEmpty));
    }
}
