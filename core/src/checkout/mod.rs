//! The drop-in checkout's rules, without the page: how a card field is formatted as the payer
//! types ([`edit`]), when a field shows its error ([`Mark`]), what the checkout says
//! ([`messages`]), how the typed card and the merchant's session become a perform sale
//! ([`sale`]), and what each attempt's end allows next ([`attempts`]). The WebAssembly layer
//! binds them to the merchant's form.

pub mod attempts;
pub mod edit;
pub mod machine;
pub mod messages;
pub mod sale;

use crate::card::{self, BrandId, CardInput, HolderInput, Input, Verdict, YearMonth};
use crate::value::{Got, Record, ToGot};
use crate::ErrorCode;

/// The card fields as the payer typed them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypedCard<'a> {
    /// The number, formatted or not.
    pub number: &'a str,
    /// The expiry as typed (`MM / YY`, …).
    pub expiry: &'a str,
    /// The security code.
    pub cvv: &'a str,
    /// The name on the card.
    pub holder: &'a str,
}

/// What the form's fields come to, as `onChange` reports it: each field's verdict and the
/// number's brand; never the values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormState {
    /// Every field is valid.
    pub valid: bool,
    /// The number's brand, once the digits name one.
    pub brand: Option<BrandId>,
    /// The number's verdict.
    pub number: Verdict,
    /// The expiry's verdict.
    pub expiry: Verdict,
    /// The security code's verdict, against the number's brand.
    pub cvv: Verdict,
    /// The name's verdict.
    pub holder: Verdict,
}

/// A card the payer saved with the merchant: the checkout asks only for its security code and
/// pays by reference (`sourceOfFunds.reference`), never with a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedCard {
    /// The merchant's id of the card, as the page knows it.
    pub client_card_id: String,
    /// Its brand, which sets the security code's length.
    pub brand: BrandId,
    /// The last four digits of its number, to show.
    pub last4: String,
}

impl SavedCard {
    /// What the checkout shows of it: `Visa •••• 1111`.
    pub fn label(&self) -> String {
        format!("{} •••• {}", self.brand.brand().name, self.last4)
    }
}

impl FormState {
    /// A saved card's form: only its security code is asked, against its brand; the other fields
    /// are not the payer's to fill.
    pub fn check_saved(cvv: &str, card: &SavedCard) -> FormState {
        let cvv = card::validate_cvv(cvv, Some(card.brand.brand()));
        let given = Verdict::VALID;
        FormState { valid: cvv.valid, brand: Some(card.brand), number: given, expiry: given, cvv, holder: given }
    }

    /// Checks every field of `card` as of `today`.
    pub fn check(card: TypedCard<'_>, today: YearMonth) -> FormState {
        let result = card::validate_card(
            CardInput {
                number: Input::Text(card.number),
                expiry: Input::Text(card.expiry),
                cvv: Input::Text(card.cvv),
                holder: HolderInput { first_name: Input::Absent, last_name: Input::Absent, printed_name: Input::Text(card.holder) },
            },
            today,
        );
        FormState {
            valid: result.valid,
            brand: result.number.brand,
            number: result.number.verdict,
            expiry: result.expiry.verdict,
            cvv: result.cvv,
            holder: result.holder.verdict,
        }
    }

    /// The verdict of one field.
    pub fn verdict(&self, field: Field) -> &Verdict {
        match field {
            Field::Number => &self.number,
            Field::Expiry => &self.expiry,
            Field::Cvv => &self.cvv,
            Field::Holder => &self.holder,
        }
    }
}

/// A card field of the checkout form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The card number.
    Number,
    /// The expiry date.
    Expiry,
    /// The security code.
    Cvv,
    /// The name on the card.
    Holder,
}

impl Field {
    /// Every field, in the form's order.
    pub const ALL: [Field; 4] = [Field::Number, Field::Expiry, Field::Cvv, Field::Holder];

    /// The field's name: its `data-connpay` value and its key in the checkout's state.
    pub fn name(self) -> &'static str {
        match self {
            Field::Number => "number",
            Field::Expiry => "expiry",
            Field::Cvv => "cvv",
            Field::Holder => "holder",
        }
    }

    /// The `autocomplete` token that lets the browser fill the field.
    pub fn autocomplete(self) -> &'static str {
        match self {
            Field::Number => "cc-number",
            Field::Expiry => "cc-exp",
            Field::Cvv => "cc-csc",
            Field::Holder => "cc-name",
        }
    }

    /// Whether the field takes digits (and so a numeric keyboard).
    pub fn numeric(self) -> bool {
        self != Field::Holder
    }

    /// The field's path in the perform-sale request, as errors name it.
    pub fn path(self) -> &'static str {
        match self {
            Field::Number => "sourceOfFunds.card.number",
            Field::Expiry => "sourceOfFunds.card.expiry",
            Field::Cvv => "sourceOfFunds.card.securityCode",
            Field::Holder => "sourceOfFunds.card.holder.printedName",
        }
    }
}

/// Which fields show their errors: a field is marked only once the payer has left it with
/// something typed, or has submitted the form, and its mark goes as soon as it is valid. While
/// the payer is still typing a fresh field, nothing scolds them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    shown: bool,
}

impl Mark {
    /// Every field's mark once the payer submitted the form: each shows its errors from now on.
    pub const SUBMITTED: Mark = Mark { shown: true };

    /// The payer left the field; an empty field is not marked for being passed over.
    pub fn leave(self, empty: bool) -> Mark {
        Mark { shown: self.shown || !empty }
    }

    /// The error the field shows with `verdict`, if any.
    pub fn error(self, verdict: &Verdict) -> Option<ErrorCode> {
        if self.shown && !verdict.valid {
            verdict.code
        } else {
            None
        }
    }
}

/// The entry of `known` nearest to a mistyped `key` (at most two letters added, dropped or
/// changed, or a part of four letters or more of it, ASCII case ignored): what "did you mean"
/// names. `None` when nothing is that close.
/// (Keys are ASCII; Unicode case folding would add its tables to the WebAssembly module.)
pub fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let folded = |text: &str| -> Vec<u8> { text.bytes().map(|byte| byte.to_ascii_lowercase()).collect() };
    let key = folded(key);
    // A key that is part of a known one, or the other way round (`intervalMs`, an older name of
    // `pollIntervalMs`), is as near as one typo.
    let within = |a: &[u8], b: &[u8]| a.len() >= 4 && b.windows(a.len()).any(|window| window == a);
    known
        .iter()
        .map(|candidate| {
            let candidate_key = folded(candidate);
            let near = within(&key, &candidate_key) || within(&candidate_key, &key);
            (if near { 1 } else { edit_distance(&key, &candidate_key) }, *candidate)
        })
        .filter(|&(distance, _)| distance <= 2)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, one row at a time.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &from) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &to) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(from != to));
            diagonal = above;
        }
    }
    row[b.len()]
}

impl ToGot for FormState {
    fn to_got(&self) -> Got {
        Record::default()
            .field("valid", self.valid)
            .field("brand", self.brand)
            .field("number", self.number)
            .field("expiry", self.expiry)
            .field("cvv", self.cvv)
            .field("holder", self.holder)
            .to_got()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_marked_after_leaving_it_and_unmarked_once_valid() {
        let mut mark = Mark::default();
        let incomplete = Verdict::pending(ErrorCode::NumberIncomplete);
        assert_eq!(mark.error(&incomplete), None, "still typing");
        mark = mark.leave(true);
        assert_eq!(mark.error(&incomplete), None, "passed over while empty");
        mark = mark.leave(false);
        assert_eq!(mark.error(&incomplete), Some(ErrorCode::NumberIncomplete));
        assert_eq!(mark.error(&Verdict::VALID), None, "fixed");
        assert_eq!(mark.leave(true).error(&incomplete), Some(ErrorCode::NumberIncomplete), "stays marked");
        assert_eq!(Mark::default().error(&Verdict::pending(ErrorCode::ExpiryEmpty)), None);
        assert_eq!(Mark::SUBMITTED.error(&Verdict::pending(ErrorCode::ExpiryEmpty)), Some(ErrorCode::ExpiryEmpty));
    }

    #[test]
    fn the_form_state_checks_the_cvv_against_the_numbers_brand() {
        let today = YearMonth::new(2026, 11).unwrap();
        let card = TypedCard { number: "3782 822463 10005", expiry: "12 / 30", cvv: "123", holder: "JOHN SMITH" };
        let state = FormState::check(card, today);
        assert_eq!(state.brand, Some(BrandId::Amex));
        assert!(!state.valid && state.number.valid && state.expiry.valid && state.holder.valid);
        assert_eq!(state.verdict(Field::Cvv).code, Some(ErrorCode::CvvIncomplete));
        assert!(FormState::check(TypedCard { cvv: "1234", ..card }, today).valid);
    }

    #[test]
    fn a_saved_card_asks_only_its_security_code_by_its_brand() {
        let amex = SavedCard { client_card_id: "c1".into(), brand: BrandId::Amex, last4: "0005".into() };
        assert_eq!(amex.label(), "American Express •••• 0005");
        let state = FormState::check_saved("123", &amex);
        assert!(!state.valid && state.number.valid && state.expiry.valid && state.holder.valid);
        assert_eq!(state.cvv.code, Some(ErrorCode::CvvIncomplete));
        assert!(FormState::check_saved("1234", &amex).valid);
        let visa = SavedCard { brand: BrandId::Visa, ..amex };
        assert!(FormState::check_saved("123", &visa).valid && !FormState::check_saved("1234", &visa).valid);
    }

    #[test]
    fn a_typo_names_the_nearest_key() {
        let known = ["onSuccess", "onSubmit", "onError", "currency"];
        assert_eq!(nearest("onSucess", &known), Some("onSuccess"));
        assert_eq!(nearest("onerror", &known), Some("onError"));
        assert_eq!(nearest("curency", &known), Some("currency"));
        assert_eq!(nearest("shipping", &known), None);
        assert_eq!(nearest("intervalMs", &["timeoutMs", "pollIntervalMs", "maxWaitMs"]), Some("pollIntervalMs"));
        assert_eq!(nearest("", &known), None);
    }

    #[test]
    fn fields_name_their_autofill_tokens_and_paths() {
        let tokens: Vec<&str> = Field::ALL.iter().map(|field| field.autocomplete()).collect();
        assert_eq!(tokens, ["cc-number", "cc-exp", "cc-csc", "cc-name"]);
        assert!(Field::ALL.iter().all(|field| field.path().starts_with("sourceOfFunds.card.")));
        assert!(!Field::Holder.numeric() && Field::Cvv.numeric());
    }
}
