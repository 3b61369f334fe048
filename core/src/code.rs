//! Stable error codes: the strings a merchant's code may `switch` on.

use serde::{Serialize, Serializer};

/// Declares the code enum, its strings and the list of every code in one place, so that the
/// three can never disagree.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $text:literal,)*) => {
        /// Why a field is not valid. Each code's string is stable across releases.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in declaration order (the README lists each of them).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The stable string, e.g. `card.number.luhn`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                }
            }
        }
    };
}

error_codes! {
    /// The card number field is empty.
    NumberEmpty => "card.number.empty",
    /// The card number contains a character other than a digit, a space or a dash.
    NumberInvalidCharacters => "card.number.invalid_characters",
    /// No supported brand starts with these digits.
    NumberUnknownBrand => "card.number.unknown_brand",
    /// Fewer digits than the brand needs (the payer may still be typing).
    NumberIncomplete => "card.number.incomplete",
    /// More digits than the brand allows.
    NumberTooLong => "card.number.too_long",
    /// The check digit is wrong (Luhn).
    NumberLuhn => "card.number.luhn",
    /// The card number was not given as text.
    NumberType => "card.number.type",
    /// The expiry field is empty.
    ExpiryEmpty => "card.expiry.empty",
    /// The expiry is not in a form the module reads (`MM/YY`, `MMYY`, `MM/YYYY`, `YYYY-MM`).
    ExpiryFormat => "card.expiry.format",
    /// The expiry is not complete yet (the payer may still be typing).
    ExpiryIncomplete => "card.expiry.incomplete",
    /// The month is not 1–12.
    ExpiryMonth => "card.expiry.month",
    /// The card expired before the current month.
    ExpiryPast => "card.expiry.past",
    /// The expiry is more than 20 years ahead.
    ExpiryTooFar => "card.expiry.too_far",
    /// The expiry was not given as text.
    ExpiryType => "card.expiry.type",
    /// The security code field is empty.
    CvvEmpty => "card.cvv.empty",
    /// The security code contains something other than digits.
    CvvInvalidCharacters => "card.cvv.invalid_characters",
    /// The security code has fewer digits than the brand needs.
    CvvIncomplete => "card.cvv.incomplete",
    /// The security code has more digits than the brand allows.
    CvvTooLong => "card.cvv.too_long",
    /// The security code was not given as text.
    CvvType => "card.cvv.type",
    /// A part of the holder's name is empty.
    HolderEmpty => "card.holder.empty",
    /// A part of the holder's name is longer than 50 characters.
    HolderTooLong => "card.holder.too_long",
    /// A part of the holder's name is made of digits only.
    HolderDigitsOnly => "card.holder.digits_only",
    /// A part of the holder's name contains control characters.
    HolderInvalidCharacters => "card.holder.invalid_characters",
    /// Both a printed name and a first/last name were given; the gateway takes one or the other.
    HolderAmbiguous => "card.holder.ambiguous",
    /// The holder (or a part of it) was not given as text.
    HolderType => "card.holder.type",
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_dotted() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "duplicate {text}");
            assert!(text.starts_with("card.") && text.split('.').count() == 3, "{text}");
        }
    }

    #[test]
    fn the_readme_lists_every_code() {
        let readme = include_str!("../../README.md");
        for code in ErrorCode::ALL {
            assert!(readme.contains(&format!("`{}`", code.as_str())), "README lacks {}", code.as_str());
        }
    }
}
