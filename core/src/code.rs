//! Stable error codes: the strings a merchant's code may `switch` on.

use serde::{Serialize, Serializer};

/// Declares the code enum, its strings and the list of every code in one place, so that the
/// three can never disagree.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $text:literal,)*) => {
        /// A stable error code: why a field is not valid, or why a call failed. Each code's
        /// string is stable across releases.
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
    /// A required request field is missing.
    RequestRequired => "request.required",
    /// A request field has the wrong JSON type (a string where a number belongs, …).
    RequestType => "request.type",
    /// The request has a field the gateway's spec does not define.
    RequestUnknownField => "request.unknown_field",
    /// A request string is shorter or longer than the spec allows.
    RequestLength => "request.length",
    /// A request value is outside the spec's range or its list of allowed values.
    RequestRange => "request.range",
    /// A request string contains control characters or characters its format does not allow.
    RequestCharacters => "request.characters",
    /// The currency is not an ISO 4217 alphabetic code.
    RequestCurrency => "request.currency",
    /// The country is not an ISO 3166 code of the field's form (alpha-3 in perform sale, alpha-2
    /// in /api/v2/sale).
    RequestCountry => "request.country",
    /// The date is not a real date in the field's form (`ddMMyyyy` in perform sale, `yyyyMMdd`
    /// in /api/v2/sale).
    RequestDate => "request.date",
    /// The email address is not plausible.
    RequestEmail => "request.email",
    /// The IP address is not a dotted IPv4 address (perform sale) or an IPv4 or IPv6 address
    /// (/api/v2/sale).
    RequestIpAddress => "request.ip_address",
    /// The IMEI is not 14–16 digits.
    RequestImei => "request.imei",
    /// Both or neither of two mutually exclusive fields were given (card / reference).
    RequestExclusive => "request.exclusive",
    /// The amount is not in major units with `.` and at most the currency's decimals (`10.42`).
    RequestAmount => "request.amount",
    /// The URL is not an absolute `http://` or `https://` URL.
    RequestUrl => "request.url",
    /// The language is not a BCP 47 tag.
    RequestLanguage => "request.language",
    /// Two fields that carry the same value disagree (`ipAddress` and `browser.ipAddress`).
    RequestMismatch => "request.mismatch",
    /// A form names a field twice.
    RequestDuplicate => "request.duplicate",
    /// Thrown: the request did not validate; the error's `errors` lists every problem.
    RequestInvalid => "request.invalid",
    /// Thrown: an argument other than the validated value is malformed (e.g. `today`).
    ArgumentInvalid => "argument.invalid",
    /// Thrown: the gateway configuration is not "sandbox", "production" or a valid URL.
    GatewayInvalidUrl => "gateway.invalid_url",
    /// Thrown: the gateway URL is plain http to a host other than localhost.
    GatewayInsecure => "gateway.insecure",
    /// Thrown: this checkout already has a sale in flight.
    SaleInFlight => "sale.in_flight",
    /// Thrown: this checkout's sale was already accepted by the gateway.
    SaleAlreadyAccepted => "sale.already_accepted",
    /// Thrown: this invoice's sale may have reached the gateway; check its status instead.
    SaleOutcomeUnknown => "sale.outcome_unknown",
    /// Thrown: the caller's signal was aborted before the sale was sent (nothing was sent).
    SaleAborted => "sale.aborted",
    /// The gateway refused the perform sale with its error JSON (its error on `gatewayError`);
    /// nothing was charged.
    SaleRejected => "sale.rejected",
    /// The gateway answered perform sale with a 5xx or a body that is not its JSON; the sale may
    /// have been processed.
    SaleServerError => "sale.server_error",
    /// The sale reached the final state `DECLINED`.
    SaleDeclined => "sale.declined",
    /// `mountCheckout`: a card field is not valid; the fields are marked and nothing was sent.
    CheckoutInvalid => "checkout.invalid",
    /// `mountCheckout`: the merchant's `getSession` failed or gave no usable session; nothing
    /// was sent.
    CheckoutSession => "checkout.session",
    /// `mountCheckout`: the payer closed the 3-D Secure window before the issuer answered; the
    /// sale cannot complete and nothing was charged.
    CheckoutCancelled => "checkout.cancelled",
    /// `mountCheckout`: the checkout was unmounted while its sale was on its way or being
    /// followed; the invoice's fate is the merchant's to learn.
    CheckoutUnmounted => "checkout.unmounted",
    /// Thrown: `mountCheckout` on a form that already has a mounted checkout.
    CheckoutAlreadyMounted => "checkout.already_mounted",
    /// Thrown: no final state within `maxWaitMs`.
    StatusTimeout => "status.timeout",
    /// Thrown: status polling was aborted by the caller's signal.
    StatusAborted => "status.aborted",
    /// Thrown: the gateway refused the status request (its error is on `gatewayError`).
    StatusRejected => "status.rejected",
    /// Thrown: a gateway answer is not in the gateway's format (a v2 body without `type`).
    ResponseInvalid => "response.invalid",
    /// Thrown: the module could not build its answer; a bug, never the payer's input.
    Internal => "internal.error",
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
            let parts: Vec<&str> = text.split('.').collect();
            assert!((2..=3).contains(&parts.len()), "{text}");
            assert!(parts.iter().all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')), "{text}");
        }
    }

    #[test]
    fn the_readme_lists_every_code() {
        let readme = include_str!("../../npm/README.md");
        for code in ErrorCode::ALL {
            assert!(readme.contains(&format!("`{}`", code.as_str())), "README lacks {}", code.as_str());
        }
    }
}
