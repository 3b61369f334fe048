//! The cardholder's name: first and last name, or the name as printed on the card (perform
//! sale: each 1–50 characters).

use super::{Input, Verdict};
use crate::value::{Got, Record, ToGot};
use crate::ErrorCode;

/// The longest name part the gateway takes.
pub const MAX_NAME_CHARS: usize = 50;

/// Which part of the holder's name a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HolderField {
    /// `sourceOfFunds.card.holder.firstName`.
    FirstName,
    /// `sourceOfFunds.card.holder.lastName`.
    LastName,
    /// `sourceOfFunds.card.holder.printedName`.
    PrintedName,
}

impl HolderField {
    /// The field's name in the spec's JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            HolderField::FirstName => "firstName",
            HolderField::LastName => "lastName",
            HolderField::PrintedName => "printedName",
        }
    }
}

/// The holder as given: either a first and last name, or a printed name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HolderInput<'a> {
    /// First name.
    pub first_name: Input<'a>,
    /// Last name.
    pub last_name: Input<'a>,
    /// The name as printed on the card, instead of first + last.
    pub printed_name: Input<'a>,
}

/// A problem in one part of the holder's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HolderError {
    /// The part with the problem.
    pub field: HolderField,
    /// What is wrong with it.
    pub code: ErrorCode,
}

/// The result of checking the holder's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolderResult {
    /// Valid, potentially valid, and the first problem's code.
    pub verdict: Verdict,
    /// Every problem, in field order.
    pub errors: Vec<HolderError>,
}

/// Whether a name part is a number rather than a name: digits, with at most the spaces and
/// dashes a card number is typed with (`4111 1111`, `4111-1111`).
fn digits_only(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit()) && text.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '-')
}

/// The bidirectional embeddings, overrides and isolates: in a name they only reorder what is
/// shown (`U+202E` makes a name read backwards), never spell it.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing: white space, Unicode's default-ignorable code points (the
/// zero-width ones, joiners, the soft hyphen, the Hangul fillers, variation selectors, tags, the
/// byte order mark, the bidirectional controls) and the blank braille pattern. A name needs
/// something else.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Checks one name part: trimmed, 1–50 characters, no control characters, something visible,
/// not digits only.
fn check_part(part: Input<'_>) -> Option<ErrorCode> {
    let Some(text) = part.text().map(str::trim) else {
        return Some(ErrorCode::HolderType);
    };
    if text.is_empty() {
        Some(ErrorCode::HolderEmpty)
    } else if text.chars().any(|c| c.is_control() || is_bidi_control(c)) || text.chars().all(is_invisible) {
        Some(ErrorCode::HolderInvalidCharacters)
    } else if text.chars().count() > MAX_NAME_CHARS {
        Some(ErrorCode::HolderTooLong)
    } else if digits_only(text) {
        Some(ErrorCode::HolderDigitsOnly)
    } else {
        None
    }
}

/// Checks the holder's name in whichever of the two forms it was given.
pub fn validate_holder(input: HolderInput<'_>) -> HolderResult {
    let split_given = input.first_name != Input::Absent || input.last_name != Input::Absent;
    let errors: Vec<HolderError> = if input.printed_name == Input::Absent {
        [(HolderField::FirstName, input.first_name), (HolderField::LastName, input.last_name)]
            .into_iter()
            .filter_map(|(field, part)| check_part(part).map(|code| HolderError { field, code }))
            .collect()
    } else if split_given {
        vec![HolderError { field: HolderField::PrintedName, code: ErrorCode::HolderAmbiguous }]
    } else {
        check_part(input.printed_name).map(|code| HolderError { field: HolderField::PrintedName, code }).into_iter().collect()
    };
    let verdict = match errors.first() {
        None => Verdict::VALID,
        Some(first) => Verdict::failed(first.code, errors.iter().all(|error| error.code == ErrorCode::HolderEmpty)),
    };
    HolderResult { verdict, errors }
}

impl ToGot for HolderError {
    fn to_got(&self) -> Got {
        Record::default().field("field", self.field.as_str()).field("code", self.code).to_got()
    }
}

impl ToGot for HolderResult {
    fn to_got(&self) -> Got {
        self.verdict.record().field("errors", &self.errors).to_got()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Input::{Absent, NotText, Text};

    fn split(first: Input<'static>, last: Input<'static>) -> HolderResult {
        validate_holder(HolderInput { first_name: first, last_name: last, printed_name: Absent })
    }

    fn printed(name: Input<'static>) -> HolderResult {
        validate_holder(HolderInput { first_name: Absent, last_name: Absent, printed_name: name })
    }

    fn codes(result: &HolderResult) -> Vec<(HolderField, ErrorCode)> {
        result.errors.iter().map(|error| (error.field, error.code)).collect()
    }

    #[test]
    fn first_and_last_name() {
        assert_eq!(split(Text("John"), Text("Smith")).verdict, Verdict::VALID);
        assert_eq!(split(Text(" Анна "), Text("О'Нил-Петрова")).verdict, Verdict::VALID);
        assert!(split(Text("John"), Text("Smith")).errors.is_empty());
    }

    #[test]
    fn printed_name() {
        assert_eq!(printed(Text("JOHN SMITH")).verdict, Verdict::VALID);
        assert_eq!(codes(&printed(Text(""))), [(HolderField::PrintedName, ErrorCode::HolderEmpty)]);
    }

    #[test]
    fn empty_parts_are_pending_and_all_reported() {
        let result = split(Text(" "), Absent);
        assert_eq!(result.verdict, Verdict::pending(ErrorCode::HolderEmpty));
        assert_eq!(codes(&result), [(HolderField::FirstName, ErrorCode::HolderEmpty), (HolderField::LastName, ErrorCode::HolderEmpty)]);
        // Nothing given at all reads as an empty first and last name.
        assert_eq!(codes(&split(Absent, Absent)).len(), 2);
    }

    #[test]
    fn fifty_characters_at_most_after_trimming() {
        let fifty = "Я".repeat(MAX_NAME_CHARS);
        let padded: &'static str = Box::leak(format!("  {fifty}  ").into_boxed_str());
        assert_eq!(printed(Text(padded)).verdict, Verdict::VALID);
        let long: &'static str = Box::leak("a".repeat(MAX_NAME_CHARS + 1).into_boxed_str());
        let result = split(Text("John"), Text(long));
        assert_eq!(result.verdict, Verdict::invalid(ErrorCode::HolderTooLong));
        assert_eq!(codes(&result), [(HolderField::LastName, ErrorCode::HolderTooLong)]);
    }

    #[test]
    fn digits_only_is_not_a_name() {
        assert_eq!(printed(Text("4111 1111")).verdict, Verdict::invalid(ErrorCode::HolderDigitsOnly));
        // Dashes are a card number's other separator (braintree's card-validator suite found
        // "4111-1111" accepted as a name).
        assert_eq!(printed(Text("4111-1111")).verdict, Verdict::invalid(ErrorCode::HolderDigitsOnly));
        assert_eq!(split(Text("John"), Text("12 - 34")).verdict.code, Some(ErrorCode::HolderDigitsOnly));
        // "Digits only" needs a digit.
        assert_ne!(printed(Text("- -")).verdict.code, Some(ErrorCode::HolderDigitsOnly));
        assert_eq!(printed(Text("Jean-Luc 2")).verdict, Verdict::VALID);
        assert_eq!(split(Text("123"), Text("Smith")).verdict.code, Some(ErrorCode::HolderDigitsOnly));
        assert_eq!(printed(Text("John 3rd")).verdict, Verdict::VALID);
    }

    #[test]
    fn control_characters() {
        assert_eq!(printed(Text("John\nSmith")).verdict, Verdict::invalid(ErrorCode::HolderInvalidCharacters));
        assert_eq!(printed(Text("John\u{0}")).verdict.code, Some(ErrorCode::HolderInvalidCharacters));
    }

    #[test]
    fn a_name_is_visible_and_reads_as_it_is_written() {
        let invisible = ["\u{200B}\u{200B}", "\u{FEFF}", "\u{00AD}\u{2060}", "\u{3164}\u{115F}\u{FFA0}", "\u{2800}", "\u{FE0F}\u{E0041}"];
        for name in invisible.into_iter().chain(["John \u{202E}htimS", "\u{2067}Smith\u{2069}"]) {
            assert_eq!(printed(Text(name)).verdict, Verdict::invalid(ErrorCode::HolderInvalidCharacters), "{name:?}");
        }
        // A zero-width non-joiner spells Persian names; with letters beside it, it is a name.
        assert_eq!(split(Text("\u{0645}\u{06CC}\u{200C}\u{0631}"), Text("Smith")).verdict, Verdict::VALID);
    }

    #[test]
    fn both_forms_at_once_are_ambiguous() {
        let result = validate_holder(HolderInput { first_name: Text("John"), last_name: Absent, printed_name: Text("JOHN SMITH") });
        assert_eq!(result.verdict, Verdict::invalid(ErrorCode::HolderAmbiguous));
        assert_eq!(codes(&result), [(HolderField::PrintedName, ErrorCode::HolderAmbiguous)]);
    }

    #[test]
    fn parts_that_are_not_text() {
        assert_eq!(codes(&printed(NotText)), [(HolderField::PrintedName, ErrorCode::HolderType)]);
        let result = split(Text("John"), NotText);
        assert_eq!(result.verdict, Verdict::invalid(ErrorCode::HolderType));
    }

    #[test]
    fn mixed_problems_are_not_potentially_valid() {
        let result = split(Absent, Text("12"));
        assert_eq!(result.verdict, Verdict::failed(ErrorCode::HolderEmpty, false));
        assert_eq!(result.errors.len(), 2);
    }
}
