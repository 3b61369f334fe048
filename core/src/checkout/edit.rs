//! Formatting as the payer types: what a card field shows after one edit, and where its caret
//! goes. The page reports the field's previous value, its value after the edit, the caret and
//! whether the edit was a deletion; these functions answer the value to show and the caret.
//!
//! The caret follows the digits: it stays after the same number of digits it was after, so
//! inserting, deleting and pasting in the middle of a formatted number keep it where the payer
//! expects. Deleting a space or a slash alone (the formatting, not the data) deletes the digit
//! beside it instead, as the payer meant.

use crate::card::brand::{detect, Brand, Detection};
use crate::card::number::{format_detected, MAX_DIGITS};

/// Which way an edit deleted, from the `inputType` of the browser's `input` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deletion {
    /// An insertion, a paste, autofill, or a replacement.
    None,
    /// Backspace: `deleteContentBackward` and the word and line variants.
    Backward,
    /// Delete: `deleteContentForward` and its variants.
    Forward,
}

impl Deletion {
    /// Reads an `InputEvent.inputType`.
    pub fn of_input_type(input_type: &str) -> Deletion {
        if input_type.starts_with("deleteContentBackward") || input_type.ends_with("Backward") {
            Deletion::Backward
        } else if input_type.starts_with("delete") {
            Deletion::Forward
        } else {
            Deletion::None
        }
    }
}

/// One edit of a field, as the page saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edit<'a> {
    /// How many digits the field showed before the edit. Only the count is kept between
    /// edits, so the module holds no copy of a card number while the payer types.
    pub previous_digits: usize,
    /// The value after the edit.
    pub value: &'a str,
    /// The caret after the edit, in UTF-16 code units as the DOM counts them.
    pub caret: usize,
    /// Whether the edit deleted, and which way.
    pub deletion: Deletion,
}

/// What the field shows after an edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edited {
    /// The formatted value.
    pub value: String,
    /// The caret, in UTF-16 code units (the value is ASCII, so also bytes).
    pub caret: usize,
}

/// The digits of an edited value, and how many of them stand before the caret. When the edit
/// removed only formatting (a space, a slash), the digit beside it is removed too.
fn digits_around_caret(edit: &Edit<'_>) -> (Vec<u8>, usize) {
    let mut digits = Vec::new();
    let mut before_caret = 0;
    let mut offset = 0;
    for c in edit.value.chars() {
        if c.is_ascii_digit() {
            digits.push(c as u8);
            if offset < edit.caret {
                before_caret += 1;
            }
        }
        offset += c.len_utf16();
    }
    // A deletion never adds digits: one that kept them all removed only formatting.
    if digits.len() == edit.previous_digits {
        match edit.deletion {
            Deletion::Backward if before_caret > 0 => {
                before_caret -= 1;
                digits.remove(before_caret);
            }
            Deletion::Forward if before_caret < digits.len() => {
                digits.remove(before_caret);
            }
            _ => {}
        }
    }
    (digits, before_caret)
}

/// Where the caret goes in `formatted`: after `count` digits. Between that digit and the next
/// there may be a separator; the caret stays on the side of it where it was (`near`, its place
/// in the edited value), so deleting a group's first digit leaves it at the group's start. When
/// no digit follows, it goes to the end, past the expiry's " / ", so the next digit lands after.
fn caret_after_digits(formatted: &str, count: usize, near: usize) -> usize {
    let bytes = formatted.as_bytes();
    let mut after_count = 0;
    let mut seen = 0;
    while after_count < bytes.len() && seen < count {
        if bytes[after_count].is_ascii_digit() {
            seen += 1;
        }
        after_count += 1;
    }
    match bytes[after_count..].iter().position(u8::is_ascii_digit) {
        Some(separators) => near.clamp(after_count, after_count + separators),
        None => formatted.len(),
    }
}

fn edited(value: String, digits_before_caret: usize, near: usize) -> Edited {
    let caret = caret_after_digits(&value, digits_before_caret, near);
    Edited { value, caret }
}

/// The card number after an edit: digits only, no more than the brand allows (19 while the
/// brand is unknown), in the brand's groups.
pub fn edit_number(edit: Edit<'_>) -> Edited {
    let (mut digits, before_caret) = digits_around_caret(&edit);
    let limit = match detect(&digits) {
        Detection::Brand(brand) => brand.max_length(),
        Detection::Ambiguous { max_length } => max_length,
        Detection::Unknown => MAX_DIGITS,
    };
    digits.truncate(limit);
    let detection = detect(&digits);
    edited(format_detected(&digits, detection), before_caret.min(digits.len()), edit.caret)
}

/// The security code after an edit: digits only, as many as the brand's code has (4 while the
/// brand is unknown).
pub fn edit_cvv(edit: Edit<'_>, brand: Option<&Brand>) -> Edited {
    let (mut digits, before_caret) = digits_around_caret(&edit);
    digits.truncate(brand.map_or(4, |brand| usize::from(brand.cvv_length)));
    let caret = before_caret.min(digits.len());
    Edited { value: digits.into_iter().map(char::from).collect(), caret }
}

/// The expiry after an edit, shown as `MM / YY` (or `MM / YYYY` when the payer types a
/// four-digit year):
/// - a first digit that cannot start a month (2–9), or `1` then 3–9, gets its leading zero;
/// - a month closed with `/` (`1/`) gets its leading zero;
/// - `MM/YYYY` and autofill's `YYYY-MM` become `MM / YYYY`;
/// - the ` / ` appears as soon as the month is complete, while typing forward.
pub fn edit_expiry(edit: Edit<'_>) -> Edited {
    let (mut digits, mut before_caret) = match separated_expiry(edit.value) {
        Some(digits) => {
            let count = digits.len();
            (digits, count)
        }
        None => digits_around_caret(&edit),
    };
    let needs_zero = match digits.as_slice() {
        [first, ..] if (b'2'..=b'9').contains(first) => true,
        [b'1', second, ..] => (b'3'..=b'9').contains(second),
        _ => false,
    };
    if needs_zero {
        digits.insert(0, b'0');
        if before_caret > 0 {
            before_caret += 1;
        }
    }
    // A year typed as four digits starts with "20"; otherwise the year has two.
    let limit = if digits.get(2..4) == Some(b"20") { 6 } else { 4 };
    digits.truncate(limit);
    let mut value: String = digits.iter().take(2).map(|&digit| char::from(digit)).collect();
    if digits.len() > 2 || (digits.len() == 2 && edit.deletion == Deletion::None) {
        value.push_str(" / ");
        value.extend(digits.iter().skip(2).map(|&digit| char::from(digit)));
    }
    edited(value, before_caret.min(digits.len()), edit.caret)
}

/// The digits `MMYY…` of an expiry typed or pasted with its own separator: `1/`, `12/2030`,
/// `2030-12`. `None` for anything else, including the field's own `MM / YY`, which the digits
/// alone describe.
fn separated_expiry(value: &str) -> Option<Vec<u8>> {
    let text = value.trim();
    let (month, year) = match text.split_once('-') {
        Some((year, month)) if year.len() == 4 => (month, year),
        _ => text.split_once('/')?,
    };
    let (month, year) = (month.trim(), year.trim());
    let digits_only = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let padded = month.len() == 1 || year.len() == 4;
    if !padded || !(1..=2).contains(&month.len()) || year.len() > 4 || !digits_only(month) || !digits_only(year) {
        return None;
    }
    let mut digits: Vec<u8> = if month.len() == 1 { vec![b'0', month.as_bytes()[0]] } else { month.bytes().collect() };
    digits.extend(year.bytes());
    Some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::BrandId;

    /// Applies a typed edit to `before` with the caret shown as `|`, returning the result with
    /// its caret shown as `|`.
    fn apply(edit_fn: impl Fn(Edit<'_>) -> Edited, previous: &str, after: &str, deletion: Deletion) -> String {
        let caret = after.find('|').expect("caret");
        let value = after.replace('|', "");
        let previous_digits = previous.bytes().filter(u8::is_ascii_digit).count();
        let edited = edit_fn(Edit { previous_digits, value: &value, caret, deletion });
        let mut shown = edited.value.clone();
        shown.insert(edited.caret, '|');
        shown
    }

    fn number(previous: &str, after: &str, deletion: Deletion) -> String {
        apply(edit_number, previous, after, deletion)
    }

    fn expiry(previous: &str, after: &str, deletion: Deletion) -> String {
        apply(edit_expiry, previous, after, deletion)
    }

    #[test]
    fn typing_a_number_groups_it_and_keeps_the_caret_after_the_digit() {
        assert_eq!(number("", "4|", Deletion::None), "4|");
        assert_eq!(number("4111", "41111|", Deletion::None), "4111 1|");
        assert_eq!(number("4111 1111 1111 111", "4111 1111 1111 1111|", Deletion::None), "4111 1111 1111 1111|");
        assert_eq!(number("3782 82246", "3782 822463|", Deletion::None), "3782 822463|");
        assert_eq!(number("3782 822463", "3782 8224631|", Deletion::None), "3782 822463 1|");
    }

    #[test]
    fn inserting_in_the_middle_keeps_the_caret_after_the_inserted_digit() {
        assert_eq!(number("4111 1111", "41112| 1111", Deletion::None), "4111 2|111 1");
        assert_eq!(number("4111 1111", "49|111 1111", Deletion::None), "49|11 1111 1");
    }

    #[test]
    fn deleting_a_digit_regroups_and_keeps_the_caret() {
        assert_eq!(number("4111 2111 1", "4111 |111 1", Deletion::Backward), "4111 |1111");
        assert_eq!(number("4111 2111 1", "4111 |111 1", Deletion::Forward), "4111 |1111");
        assert_eq!(number("4111 1", "4111 |", Deletion::Backward), "4111|");
    }

    #[test]
    fn deleting_only_a_space_deletes_the_digit_beside_it() {
        // Backspace right after the space: the digit before the space goes.
        assert_eq!(number("4111 1111", "4111|1111", Deletion::Backward), "411|1 111");
        // Delete right before the space: the digit after the space goes.
        assert_eq!(number("4111 2111", "4111|2111", Deletion::Forward), "4111| 111");
    }

    #[test]
    fn pasting_strips_everything_but_digits_and_stops_at_the_brands_length() {
        assert_eq!(number("", "4111-1111-1111-1111|", Deletion::None), "4111 1111 1111 1111|");
        assert_eq!(number("", "4111 1111 1111 1111 0000|", Deletion::None), "4111 1111 1111 1111 000|");
        assert_eq!(number("", "3782 822463 10005 99|", Deletion::None), "3782 822463 10005|");
        assert_eq!(number("", "card: 4242 4242 4242 4242!|", Deletion::None), "4242 4242 4242 4242|");
        // A number that starts no brand may still reach 19 digits.
        assert_eq!(number("", "99999999999999999999999|", Deletion::None), "9999 9999 9999 9999 999|");
    }

    #[test]
    fn the_caret_counts_utf16_units_before_it() {
        // "😀" is two UTF-16 units; the caret after "😀4" is at 3.
        let edited = edit_number(Edit { previous_digits: 0, value: "😀4", caret: 3, deletion: Deletion::None });
        assert_eq!(edited, Edited { value: "4".into(), caret: 1 });
    }

    #[test]
    fn a_security_code_keeps_the_brands_length() {
        let visa = Some(BrandId::Visa.brand());
        let amex = Some(BrandId::Amex.brand());
        let cvv =
            |value: &str, brand| edit_cvv(Edit { previous_digits: 0, value, caret: value.len(), deletion: Deletion::None }, brand).value;
        assert_eq!(cvv("1234", visa), "123");
        assert_eq!(cvv("1234", amex), "1234");
        assert_eq!(cvv("12a34", None), "1234");
        assert_eq!(cvv("123456", None), "1234");
    }

    #[test]
    fn an_expiry_gets_its_slash_and_leading_zero() {
        assert_eq!(expiry("", "1|", Deletion::None), "1|");
        assert_eq!(expiry("1", "12|", Deletion::None), "12 / |");
        assert_eq!(expiry("12 / ", "12 / 3|", Deletion::None), "12 / 3|");
        assert_eq!(expiry("12 / 3", "12 / 30|", Deletion::None), "12 / 30|");
        assert_eq!(expiry("", "4|", Deletion::None), "04 / |");
        assert_eq!(expiry("1", "13|", Deletion::None), "01 / 3|");
        assert_eq!(expiry("", "1/|", Deletion::None), "01 / |");
        assert_eq!(expiry("12 / 30", "12 / 301|", Deletion::None), "12 / 30|");
    }

    #[test]
    fn an_expiry_with_a_four_digit_year() {
        assert_eq!(expiry("12 / 20", "12 / 203|", Deletion::None), "12 / 203|");
        assert_eq!(expiry("12 / 203", "12 / 2030|", Deletion::None), "12 / 2030|");
        assert_eq!(expiry("", "12/2030|", Deletion::None), "12 / 2030|");
        assert_eq!(expiry("", "2030-12|", Deletion::None), "12 / 2030|");
        assert_eq!(expiry("", "3/30|", Deletion::None), "03 / 30|");
    }

    #[test]
    fn deleting_back_over_the_slash_removes_the_month_digit() {
        assert_eq!(expiry("12 / 3", "12 / |", Deletion::Backward), "12|");
        assert_eq!(expiry("12 / ", "12 /|", Deletion::Backward), "1|");
        assert_eq!(expiry("12", "1|", Deletion::Backward), "1|");
    }

    #[test]
    fn the_input_type_names_the_deletion() {
        assert_eq!(Deletion::of_input_type("deleteContentBackward"), Deletion::Backward);
        assert_eq!(Deletion::of_input_type("deleteWordBackward"), Deletion::Backward);
        assert_eq!(Deletion::of_input_type("deleteContentForward"), Deletion::Forward);
        assert_eq!(Deletion::of_input_type("deleteByCut"), Deletion::Forward);
        assert_eq!(Deletion::of_input_type("insertFromPaste"), Deletion::None);
        assert_eq!(Deletion::of_input_type(""), Deletion::None);
    }

    proptest::proptest! {
        #[test]
        fn any_edit_gives_digits_and_a_caret_inside_the_value(
            value in "\\PC{0,40}",
            caret in 0usize..60,
            previous_digits in 0usize..25,
            deletion in proptest::sample::select(vec![Deletion::None, Deletion::Backward, Deletion::Forward]),
        ) {
            let edit = Edit { previous_digits, value: &value, caret, deletion };
            for edited in [edit_number(edit), edit_expiry(edit), edit_cvv(edit, None)] {
                proptest::prop_assert!(edited.caret <= edited.value.len());
                proptest::prop_assert!(edited.value.bytes().all(|b| b.is_ascii_digit() || b == b' ' || b == b'/'));
            }
            proptest::prop_assert!(edit_number(edit).value.bytes().filter(u8::is_ascii_digit).count() <= MAX_DIGITS);
        }
    }
}
