//! What the drop-in checkout says to the payer, in English and Russian: a message for every
//! field error and every way a sale can end, keyed by the error code (or, for the notices that
//! are not errors, a key without a dot). A merchant overrides any of them by key.

use crate::ErrorCode;

/// A language the checkout speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Locale {
    /// `"en"` or `"ru"`; anything else is not a locale the checkout has.
    pub fn parse(text: &str) -> Option<Locale> {
        match text {
            "en" => Some(Locale::En),
            "ru" => Some(Locale::Ru),
            _ => None,
        }
    }
}

/// The notice shown when the sale is approved.
pub const APPROVED: &str = "approved";
/// The notice shown while the sale is sent and followed.
pub const PROCESSING: &str = "processing";
/// The 3-D Secure window's title.
pub const AUTHENTICATING: &str = "authenticating";
/// The 3-D Secure window's button that closes it.
pub const CANCEL: &str = "cancel";
/// Said when the merchant's code allows a new attempt after an uncertain one.
pub const ALLOWED: &str = "allowed";
/// Any card-field error without a message of its own.
pub const FIELD: &str = "field";
/// Any other failure without a message of its own.
pub const ERROR: &str = "error";

/// (key, English, Russian), one row per message.
const MESSAGES: &[(&str, &str, &str)] = &[
    ("card.number.empty", "Enter the card number.", "Введите номер карты."),
    ("card.number.invalid_characters", "Use digits only.", "Используйте только цифры."),
    ("card.number.unknown_brand", "This card brand is not accepted.", "Карты этой платёжной системы не принимаются."),
    ("card.number.incomplete", "The card number is incomplete.", "Номер карты введён не полностью."),
    ("card.number.too_long", "The card number is too long.", "Номер карты слишком длинный."),
    ("card.number.luhn", "This card number is not valid; check for a typo.", "Неверный номер карты; проверьте, нет ли опечатки."),
    ("card.expiry.empty", "Enter the expiry date.", "Введите срок действия."),
    ("card.expiry.format", "Enter the expiry as MM / YY.", "Введите срок действия в виде ММ / ГГ."),
    ("card.expiry.incomplete", "The expiry date is incomplete.", "Срок действия введён не полностью."),
    ("card.expiry.month", "The month must be 01 to 12.", "Месяц должен быть от 01 до 12."),
    ("card.expiry.past", "This card has expired.", "Срок действия карты истёк."),
    ("card.expiry.too_far", "The expiry date is too far in the future.", "Срок действия слишком далеко в будущем."),
    ("card.cvv.empty", "Enter the security code.", "Введите код безопасности."),
    ("card.cvv.invalid_characters", "Use digits only.", "Используйте только цифры."),
    ("card.cvv.incomplete", "The security code is too short.", "Код безопасности слишком короткий."),
    ("card.cvv.too_long", "The security code is too long.", "Код безопасности слишком длинный."),
    ("card.holder.empty", "Enter the name as it appears on the card.", "Введите имя, как на карте."),
    ("card.holder.too_long", "The name is too long (at most 50 characters).", "Имя слишком длинное (не более 50 символов)."),
    ("card.holder.digits_only", "Enter a name, not digits.", "Введите имя, а не цифры."),
    ("card.holder.invalid_characters", "The name contains characters that cannot be used.", "Имя содержит недопустимые символы."),
    ("checkout.invalid", "Check the highlighted fields.", "Проверьте отмеченные поля."),
    ("checkout.session", "The payment could not be started. Please try again.", "Не удалось начать оплату. Попробуйте ещё раз."),
    ("checkout.cancelled", "Card authentication was cancelled, so the payment was not made. You can pay again.", "Подтверждение карты отменено, поэтому оплата не выполнена. Можно оплатить снова."),
    ("checkout.unmounted", "The payment form was closed before the payment finished. Please do not pay again until the shop confirms whether you were charged.", "Форма оплаты закрыта до завершения платежа. Не платите повторно, пока магазин не подтвердит, были ли списаны деньги."),
    ("sale.rejected", "The payment was not accepted, so nothing was charged. Check the card details and try again; if it happens again, please contact the shop.", "Платёж не принят, деньги не списаны. Проверьте данные карты и попробуйте ещё раз; если это повторится, свяжитесь с магазином."),
    ("sale.declined", "Declined. Your bank did not approve the payment; try another card or contact your bank.", "Отклонено. Банк не одобрил платёж; попробуйте другую карту или обратитесь в банк."),
    ("sale.server_error", "The payment service answered with an error, so we cannot tell whether you were charged. Please do not pay again until the shop confirms what happened.", "Платёжный сервис ответил ошибкой, поэтому неизвестно, списаны ли деньги. Не платите повторно, пока магазин не сообщит, что произошло."),
    ("sale.outcome_unknown", "The payment service did not answer, so we cannot tell whether you were charged. Please do not pay again until the shop confirms what happened.", "Платёжный сервис не ответил, поэтому неизвестно, списаны ли деньги. Не платите повторно, пока магазин не сообщит, что произошло."),
    ("status.timeout", "Your payment is still being processed. Please do not pay again: this page shows the result as soon as the bank answers.", "Платёж всё ещё обрабатывается. Не платите повторно: результат появится на этой странице, как только ответит банк."),
    ("status.rejected", "We could not check the payment, so we cannot tell whether you were charged. Please do not pay again until the shop confirms what happened.", "Не удалось проверить платёж, поэтому неизвестно, списаны ли деньги. Не платите повторно, пока магазин не сообщит, что произошло."),
    (APPROVED, "Approved. Thank you, your payment is complete.", "Одобрено. Спасибо, оплата прошла успешно."),
    (PROCESSING, "Processing your payment…", "Обрабатываем платёж…"),
    (AUTHENTICATING, "Confirm the payment with your bank", "Подтвердите платёж в вашем банке"),
    (CANCEL, "Cancel", "Отмена"),
    (ALLOWED, "The shop confirmed that you were not charged. You can pay again.", "Магазин подтвердил, что деньги не списаны. Можно оплатить снова."),
    (FIELD, "Check this field.", "Проверьте это поле."),
    (ERROR, "The payment could not be completed. Please try again.", "Не удалось выполнить оплату. Попробуйте ещё раз."),
];

/// The checkout's messages in one locale, with the merchant's overrides.
#[derive(Clone, Debug, Default)]
pub struct Messages {
    locale: Locale,
    overrides: Vec<(String, String)>,
}

impl Messages {
    /// The built-in messages of `locale`.
    pub fn new(locale: Locale) -> Messages {
        Messages { locale, overrides: Vec::new() }
    }

    /// Replaces the message of `key` (an error code or a notice key).
    pub fn set(&mut self, key: String, text: String) {
        self.overrides.retain(|(existing, _)| *existing != key);
        self.overrides.push((key, text));
    }

    /// The message for `key`: the merchant's, else the locale's own.
    pub fn text(&self, key: &str) -> &str {
        if let Some((_, text)) = self.overrides.iter().find(|(existing, _)| existing == key) {
            return text;
        }
        built_in(self.locale, key).unwrap_or("")
    }

    /// The message for an error code; a code without one of its own gets the general message of
    /// its kind (a card field's, or a failed payment's).
    pub fn error(&self, code: ErrorCode) -> &str {
        let key = code.as_str();
        let own = self.overrides.iter().any(|(existing, _)| existing == key) || built_in(self.locale, key).is_some();
        match () {
            _ if own => self.text(key),
            _ if key.starts_with("card.") => self.text(FIELD),
            _ => self.text(ERROR),
        }
    }
}

fn built_in(locale: Locale, key: &str) -> Option<&'static str> {
    MESSAGES.iter().find(|(existing, _, _)| *existing == key).map(|&(_, en, ru)| match locale {
        Locale::En => en,
        Locale::Ru => ru,
    })
}

/// Whether `key` names a message a merchant may replace: an error code, or a notice.
pub fn is_key(key: &str) -> bool {
    ErrorCode::ALL.iter().any(|code| code.as_str() == key) || keys().any(|notice| notice == key)
}

/// Every key with a built-in message, for documentation and types.
pub fn keys() -> impl Iterator<Item = &'static str> {
    MESSAGES.iter().map(|(key, _, _)| *key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_message_in_every_locale() {
        for locale in [Locale::En, Locale::Ru] {
            let messages = Messages::new(locale);
            for code in ErrorCode::ALL {
                assert!(!messages.error(*code).is_empty(), "{locale:?} {}", code.as_str());
            }
        }
    }

    #[test]
    fn every_row_names_a_code_or_a_notice_and_is_translated() {
        let mut seen = std::collections::HashSet::new();
        for &(key, en, ru) in MESSAGES {
            assert!(seen.insert(key), "{key} twice");
            let is_code = ErrorCode::ALL.iter().any(|code| code.as_str() == key);
            assert!(is_code || !key.contains('.'), "{key} is neither a code nor a notice");
            assert!(!en.is_empty() && !ru.is_empty() && en != ru, "{key}");
            assert!(ru.chars().any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c))), "{key} is not Russian");
        }
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
        let mut messages = Messages::new(Locale::Ru);
        assert_eq!(messages.error(ErrorCode::NumberLuhn), "Неверный номер карты; проверьте, нет ли опечатки.");
        messages.set("card.number.luhn".into(), "Опечатка?".into());
        assert_eq!(messages.error(ErrorCode::NumberLuhn), "Опечатка?");
        assert_eq!(messages.error(ErrorCode::NumberType), "Проверьте это поле.");
        assert_eq!(messages.error(ErrorCode::Internal), messages.text(ERROR));
        messages.set(ERROR.into(), "Сбой".into());
        assert_eq!(messages.error(ErrorCode::Internal), "Сбой");
        assert!(Messages::new(Locale::En).text(APPROVED).starts_with("Approved"));
        assert_eq!(Locale::parse("ru"), Some(Locale::Ru));
        assert_eq!(Locale::parse("de"), None);
    }
}
