//! What the drop-in checkout says to the payer, in English: a message for every field error and
//! every way a sale can end, keyed by the error code (or, for the notices that are not errors, a
//! key without a dot). Other languages, Russian among them, are tables of the same keys that the
//! page imports only when it uses them (`locales/` of the package); a merchant overrides any
//! message by key.

use crate::ErrorCode;

/// A language the checkout speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
}

impl Locale {
    /// `"en"` or a regional tag of it (`en-GB`); anything else is not a locale the module
    /// carries (its table is imported from `locales/`).
    pub fn parse(tag: &str) -> Option<Locale> {
        (language(tag) == "en").then_some(Locale::En)
    }
}

/// A BCP 47 tag's language, in lower case: `de-AT` → `de`, `pt_BR` → `pt`. A table of the
/// language serves every region of it.
pub fn language(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase()
}

/// The notice shown when the sale is approved.
pub const APPROVED: &str = "approved";
/// The notice shown while the sale is sent and followed.
pub const PROCESSING: &str = "processing";
/// The 3-D Secure window's title.
pub const AUTHENTICATING: &str = "authenticating";
/// The 3-D Secure window's button that closes it (closing it does not end the sale).
pub const CANCEL: &str = "cancel";
/// The button that opens the bank's 3-D Secure window again while the sale waits for it.
pub const REOPEN: &str = "reopen";
/// Said when the merchant's code allows a new attempt after an uncertain one.
pub const ALLOWED: &str = "allowed";
/// Said when the gateway refused the sale for a reason that is the shop's or its
/// configuration's (a signature that does not verify, an unknown invoice), never the card's.
pub const SHOP_REFUSED: &str = "shop_refused";
/// Said when a sale that waited for the payer at the bank (3-D Secure) is declined: the payment
/// was not confirmed there (cancelled, failed, or left to expire), which is not the card refused.
pub const NOT_CONFIRMED: &str = "not_confirmed";
/// Any card-field error without a message of its own.
pub const FIELD: &str = "field";
/// Any other failure without a message of its own.
pub const ERROR: &str = "error";

/// The notices' words: (key, English). The error codes' words for the payer are in the code table
/// (`ErrorCode::payer`).
const NOTICES: &[(&str, &str)] = &[
    (APPROVED, "Approved. Thank you, your payment is complete."),
    (PROCESSING, "Processing your payment…"),
    (AUTHENTICATING, "Confirm the payment with your bank"),
    (CANCEL, "Close"),
    (REOPEN, "Reopen your bank's window"),
    (
        ALLOWED,
        "The shop confirmed that you were not charged. You can pay again.",
    ),
    (
        SHOP_REFUSED,
        "The shop could not take this payment because of a problem on its side; nothing was charged, and your card details are not the cause. Please try again later or contact the shop.",
    ),
    (
        NOT_CONFIRMED,
        "Your bank did not confirm this payment, so nothing was charged. You can pay again, with this card or another.",
    ),
    (FIELD, "Check this field."),
    (ERROR, "The payment could not be completed. Please try again."),
];

/// The checkout's messages in one locale, with the merchant's overrides.
#[derive(Clone, Debug, Default)]
pub struct Messages {
    locale: Locale,
    /// An imported language's words, over the built-in locale's.
    table: Vec<(String, String)>,
    overrides: Vec<(String, String)>,
}

impl Messages {
    /// The built-in messages of `locale`.
    pub fn new(locale: Locale) -> Messages {
        Messages { locale, table: Vec::new(), overrides: Vec::new() }
    }

    /// The messages of an imported language's table (every key, a test makes sure; English
    /// where one were missing).
    pub fn of_table(table: Vec<(String, String)>) -> Messages {
        Messages { locale: Locale::En, table, overrides: Vec::new() }
    }

    /// The merchant's messages, by key (what a language table read as overrides holds).
    pub fn into_overrides(self) -> Vec<(String, String)> {
        self.overrides
    }

    /// The same overrides over another language.
    pub fn in_language(self, language: Messages) -> Messages {
        Messages { overrides: self.overrides, ..language }
    }

    /// Replaces the message of `key` (an error code or a notice key).
    pub fn set(&mut self, key: String, text: String) {
        self.overrides.retain(|(existing, _)| *existing != key);
        self.overrides.push((key, text));
    }

    /// The message for `key`: the merchant's, else the language's own.
    pub fn text(&self, key: &str) -> &str {
        self.own(key).or_else(|| built_in(self.locale, key)).unwrap_or("")
    }

    /// The merchant's or the imported table's message for `key`.
    fn own(&self, key: &str) -> Option<&str> {
        self.overrides.iter().chain(&self.table).find(|(existing, _)| existing == key).map(|(_, text)| text.as_str())
    }

    /// The message for an error code; a code without one of its own gets the general message of
    /// its kind (a card field's, or a failed payment's).
    pub fn error(&self, code: ErrorCode) -> &str {
        let key = code.as_str();
        let own = self.own(key).is_some() || built_in(self.locale, key).is_some();
        match () {
            _ if own => self.text(key),
            _ if key.starts_with("card.") => self.text(FIELD),
            _ => self.text(ERROR),
        }
    }
}

fn built_in(locale: Locale, key: &str) -> Option<&'static str> {
    match locale {
        Locale::En => match ErrorCode::ALL.iter().find(|code| code.as_str() == key) {
            Some(code) => code.payer(),
            None => NOTICES.iter().find(|(notice, _)| *notice == key).map(|&(_, en)| en),
        },
    }
}

/// Whether `key` names a message a merchant may replace: an error code, or a notice.
pub fn is_key(key: &str) -> bool {
    ErrorCode::ALL.iter().any(|code| code.as_str() == key) || keys().any(|notice| notice == key)
}

/// Every key with a built-in message, for documentation and types: the codes a payer meets,
/// then the notices.
pub fn keys() -> impl Iterator<Item = &'static str> {
    let codes = ErrorCode::ALL.iter().filter(|code| code.payer().is_some()).map(|code| code.as_str());
    codes.chain(NOTICES.iter().map(|(key, _)| *key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_message() {
        let messages = Messages::new(Locale::En);
        for code in ErrorCode::ALL {
            assert!(!messages.error(*code).is_empty(), "{}", code.as_str());
        }
    }

    /// The other languages' tables, Russian's among them, are checked against these keys by
    /// core/tests/locales.rs.
    #[test]
    fn every_key_has_its_words_once_and_every_notice_is_not_a_code() {
        let mut seen = std::collections::HashSet::new();
        for key in keys() {
            assert!(seen.insert(key), "{key} twice");
            assert!(built_in(Locale::En, key).is_some_and(|en| !en.is_empty()), "{key}");
        }
        assert!(NOTICES.iter().all(|(key, _)| !key.contains('.')));
    }

    #[test]
    fn every_field_error_the_payer_can_cause_has_its_own_message() {
        for code in ErrorCode::ALL.iter().map(|code| code.as_str()) {
            let payer_typed = code.starts_with("card.") && !code.ends_with(".type") && code != "card.holder.ambiguous";
            if payer_typed {
                assert!(built_in(Locale::En, code).is_some(), "{code}");
            }
        }
    }

    #[test]
    fn overrides_win_and_fallbacks_fill_the_rest() {
        let mut messages = Messages::new(Locale::En);
        assert_eq!(messages.error(ErrorCode::NumberLuhn), "This card number is not valid; check for a typo.");
        messages.set("card.number.luhn".into(), "A typo?".into());
        assert_eq!(messages.error(ErrorCode::NumberLuhn), "A typo?");
        assert_eq!(messages.error(ErrorCode::NumberType), "Check this field.");
        assert_eq!(messages.error(ErrorCode::Internal), messages.text(ERROR));
        messages.set(ERROR.into(), "Failed".into());
        assert_eq!(messages.error(ErrorCode::Internal), "Failed");
        assert!(Messages::new(Locale::En).text(APPROVED).starts_with("Approved"));
        assert_eq!(Locale::parse("en-GB"), Some(Locale::En));
        assert_eq!(Locale::parse("ru"), None, "Russian is a table of locales/, like German");
        assert_eq!(Locale::parse("de"), None);
        assert_eq!((language("de-AT"), language("pt_BR"), language("EN")), ("de".to_string(), "pt".to_string(), "en".to_string()));
    }

    #[test]
    fn a_table_speaks_over_english_and_the_merchant_over_the_table() {
        let table = vec![("card.number.luhn".to_string(), "Ungültige Kartennummer.".to_string())];
        let mut messages = Messages::new(Locale::En);
        messages.set(APPROVED.into(), "Danke!".into());
        let german = messages.in_language(Messages::of_table(table));
        assert_eq!(german.error(ErrorCode::NumberLuhn), "Ungültige Kartennummer.");
        assert_eq!(german.text(APPROVED), "Danke!");
        assert!(german.text(CANCEL) == "Close", "a key a table lacks falls back to English");
    }
}
