//! Stable error codes: the strings a merchant's code may `switch` on.

/// Declares the code enum from one table: each code's string, its words for the developer (its
/// documentation, the message of a problem or an error that has nothing more specific to say, and
/// the `detail` of a checkout's `onError`), and, for the codes a payer can meet, the checkout's
/// words for the payer in English (the other languages' are tables of their own, `locales/`).
/// No code's words are written anywhere else.
macro_rules! error_codes {
    ($($variant:ident => $text:literal, $detail:literal $(, payer: $en:literal)?;)*) => {
        /// A stable error code: why a field is not valid, or why a call failed. Each code's
        /// string is stable across releases.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(#[doc = $detail] $variant,)*
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

            /// What the code means, for the merchant's developer, in English.
            #[cfg(feature = "developer-texts")]
            pub fn detail(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $detail,)*
                }
            }

            /// Where to read what the code means: this build has no developer's texts.
            #[cfg(not(feature = "developer-texts"))]
            pub fn detail(self) -> &'static str {
                NO_DETAIL
            }

            /// What the checkout tells the payer, in English; `None` for a code the payer never
            /// meets as such (the checkout then says its general words).
            pub fn payer(self) -> Option<&'static str> {
                match self {
                    $(ErrorCode::$variant => error_codes!(@payer $($en)?),)*
                }
            }
        }
    };
    (@payer $en:literal) => { Some($en) };
    (@payer) => { None };
}

/// A code's words in a build without them (the browser package's production build): where to
/// find them.
pub const NO_DETAIL: &str =
    "see this error's code in connpay-checkout's README; the development build (export condition \"development\") says more";

error_codes! {
    NumberEmpty => "card.number.empty", "The card number is empty.",
        payer: "Enter the card number.";
    NumberInvalidCharacters => "card.number.invalid_characters", "The card number contains a character other than a digit, a space or a dash.",
        payer: "Use digits only.";
    NumberUnknownBrand => "card.number.unknown_brand", "No supported brand starts with these digits.",
        payer: "This card brand is not accepted.";
    NumberIncomplete => "card.number.incomplete", "The card number has fewer digits than its brand needs (the payer may still be typing).",
        payer: "The card number is incomplete.";
    NumberTooLong => "card.number.too_long", "The card number has more digits than its brand allows.",
        payer: "The card number is too long.";
    NumberLuhn => "card.number.luhn", "The card number's check digit is wrong (Luhn): a typo.",
        payer: "This card number is not valid; check for a typo.";
    NumberType => "card.number.type", "The card number was not given as text.";
    ExpiryEmpty => "card.expiry.empty", "The expiry is empty.",
        payer: "Enter the expiry date.";
    ExpiryFormat => "card.expiry.format", "The expiry is not in a form the module reads (`MM/YY`, `MMYY`, `MM/YYYY`, `YYYY-MM`).",
        payer: "Enter the expiry as MM / YY.";
    ExpiryIncomplete => "card.expiry.incomplete", "The expiry is not complete yet (the payer may still be typing).",
        payer: "The expiry date is incomplete.";
    ExpiryMonth => "card.expiry.month", "The expiry month is not 1–12.",
        payer: "The month must be 01 to 12.";
    ExpiryPast => "card.expiry.past", "The card expired before the current month.",
        payer: "This card has expired.";
    ExpiryTooFar => "card.expiry.too_far", "The expiry is more than 20 years ahead.",
        payer: "The expiry date is too far in the future.";
    ExpiryType => "card.expiry.type", "The expiry was not given as text.";
    CvvEmpty => "card.cvv.empty", "The security code is empty.",
        payer: "Enter the security code.";
    CvvInvalidCharacters => "card.cvv.invalid_characters", "The security code contains something other than digits.",
        payer: "Use digits only.";
    CvvIncomplete => "card.cvv.incomplete", "The security code has fewer digits than the card's brand needs.",
        payer: "The security code is too short.";
    CvvTooLong => "card.cvv.too_long", "The security code has more digits than the card's brand allows.",
        payer: "The security code is too long.";
    CvvType => "card.cvv.type", "The security code was not given as text.";
    HolderEmpty => "card.holder.empty", "A part of the holder's name is empty.",
        payer: "Enter the name as it appears on the card.";
    HolderTooLong => "card.holder.too_long", "A part of the holder's name is longer than 50 characters.",
        payer: "The name is too long (at most 50 characters).";
    HolderDigitsOnly => "card.holder.digits_only", "A part of the holder's name is made of digits only.",
        payer: "Enter a name, not digits.";
    HolderInvalidCharacters => "card.holder.invalid_characters", "A part of the holder's name contains control characters or bidirectional controls, or nothing visible.",
        payer: "The name contains characters that cannot be used.";
    HolderAmbiguous => "card.holder.ambiguous", "Both a printed name and a first or last name were given; the gateway takes one or the other.";
    HolderType => "card.holder.type", "The holder (or a part of it) was not given as text.";
    RequestRequired => "request.required", "A required request field is missing.";
    RequestType => "request.type", "A request field has the wrong type (a string where a number belongs, NaN, an object where text belongs, a getter that throws, …).";
    RequestUnknownField => "request.unknown_field", "The request has a field the gateway's spec does not define.";
    RequestLength => "request.length", "A request string is shorter or longer than the spec allows.";
    RequestRange => "request.range", "A request value is outside the spec's range or its list of allowed values.";
    RequestCharacters => "request.characters", "A request string contains control characters or characters its format does not allow.";
    RequestCurrency => "request.currency", "The currency is not an ISO 4217 alphabetic code.";
    RequestCountry => "request.country", "The country is not an ISO 3166 code of the field's form (alpha-3 in perform sale, alpha-2 in /api/v2/sale).";
    RequestDate => "request.date", "The date is not a real date in the past in the field's form (`ddMMyyyy` in perform sale, `yyyyMMdd` in /api/v2/sale).";
    RequestEmail => "request.email", "The email address is not plausible.";
    RequestIpAddress => "request.ip_address", "The IP address is not a dotted IPv4 address (perform sale) or an IPv4 or IPv6 address (/api/v2/sale).";
    RequestImei => "request.imei", "The IMEI is not 14–16 digits.";
    RequestExclusive => "request.exclusive", "Both or neither of two mutually exclusive fields were given (card / reference).";
    RequestAmount => "request.amount", "The amount is not in major units with `.` and at most the currency's decimals (`10.42`).";
    RequestUrl => "request.url", "The URL is not an absolute `http://` or `https://` URL.";
    RequestLanguage => "request.language", "The language is not a BCP 47 tag.";
    RequestMismatch => "request.mismatch", "Two fields that carry the same value disagree (`ipAddress` and `browser.ipAddress`).";
    RequestDuplicate => "request.duplicate", "A form names a field twice.";
    RequestInvalid => "request.invalid", "The request is not valid; the error's `errors` lists every problem, and nothing was sent.";
    ArgumentInvalid => "argument.invalid", "An argument other than the validated value is malformed (e.g. `today`).";
    GatewayInvalidUrl => "gateway.invalid_url", "The gateway configuration is not \"sandbox\", \"production\" or a valid URL.";
    GatewayInsecure => "gateway.insecure", "The gateway URL is plain http to a host other than localhost.";
    SaleInFlight => "sale.in_flight", "A sale of this session or checkout is already in flight; nothing was sent.";
    SaleAlreadyAccepted => "sale.already_accepted", "The gateway already accepted this session's or checkout's sale; nothing was sent. A checkout follows its sale itself; a SaleSession is free again once its own waitForFinalState sees the sale DECLINED";
    SaleOutcomeUnknown => "sale.outcome_unknown", "Perform sale got no answer (see reason), so the sale may have been processed: settle invoiceId on the merchant's server, then allowNewAttempt(invoiceId); nothing is sent until then.",
        payer: "The payment service did not answer, so we cannot tell whether you were charged. Please do not pay again until the shop confirms what happened.";
    SaleAborted => "sale.aborted", "The caller's signal was aborted before the sale was sent; nothing was sent.";
    SaleRejected => "sale.rejected", "The gateway refused the perform sale with its error answer (see gatewayError); nothing was charged.",
        payer: "The payment was not accepted, so nothing was charged. Check the card details and try again; if it happens again, please contact the shop.";
    SaleServerError => "sale.server_error", "Perform sale got a 5xx or an answer not in the gateway's format (see status), so the sale may have been processed: settle invoiceId on the merchant's server, then allowNewAttempt(invoiceId).",
        payer: "The payment service answered with an error, so we cannot tell whether you were charged. Please do not pay again until the shop confirms what happened.";
    SaleDeclined => "sale.declined", "The sale was declined (its final state is DECLINED); nothing was charged.",
        payer: "Declined. Your bank did not approve the payment; try another card or contact your bank.";
    CheckoutInvalid => "checkout.invalid", "A card field is not valid (see errors): the fields are marked and nothing was sent.",
        payer: "Check the highlighted fields.";
    CheckoutSession => "checkout.session", "getSession failed or answered a session no sale can be made with; nothing was sent to the gateway.",
        payer: "The payment could not be started. Please try again.";
    CheckoutPending => "checkout.pending", "getSession answered that a sale of this order may still be approved (status \"pending\"): nothing new is sent, and getSession is asked again until it answers paid or a session.",
        payer: "A payment for this order is still being processed by your bank. Please do not pay again: this page shows the result as soon as the bank answers.";
    CheckoutPendingUntil => "checkout.pending_until", "As checkout.pending, with `until` (ms since the epoch), said to the payer as a time of day.",
        payer: "A payment for this order may still be approved by your bank until {until}. Please do not pay again: this page shows the result as soon as the bank answers.";
    CheckoutChallengeClosed => "checkout.challenge_closed", "The 3-D Secure window was closed, or could not be shown, while the sale waited for the issuer: the sale goes on (the issuer may approve it until `until`), its status is followed, and the bank's window can be reopened.",
        payer: "You closed your bank's window, but the payment is not cancelled: your bank may still approve it, for example in its app, until {until}. Please do not pay again: this page shows the result as soon as the bank answers.";
    CheckoutUnmounted => "checkout.unmounted", "The checkout was unmounted while its sale was on its way or being followed: settle invoiceId on the merchant's server.",
        payer: "The payment form was closed before the payment finished. Please do not pay again until the shop confirms whether you were charged.";
    CheckoutAlreadyMounted => "checkout.already_mounted", "mountCheckout on a form that already has a mounted checkout: unmount() it first.";
    CheckoutSaleInFlight => "checkout.sale_in_flight", "update() while a sale is on its way or being followed: what it pays for cannot change under it. Nothing changed; call update() again once onSuccess runs, or onError with next \"retry\" or \"merchant\".";
    StatusTimeout => "status.timeout", "No final state within maxWaitMs: the drop-in checkout keeps asking the sale's status and reports its final state; waitForFinalState rejects here, and the sale's status is still to be asked",
        payer: "Your payment is still being processed. Please do not pay again: this page shows the result as soon as the bank answers.";
    StatusAborted => "status.aborted", "Status polling was aborted by the caller's signal.";
    StatusRejected => "status.rejected", "The gateway refused the status request (see gatewayError), so the sale may have been processed: settle invoiceId on the merchant's server before any new attempt (then allowNewAttempt(invoiceId))",
        payer: "We could not check the payment, so we cannot tell whether you were charged. Please do not pay again until the shop confirms what happened.";
    ResponseInvalid => "response.invalid", "A gateway answer is not in the gateway's format (a v2 body without `type`, or one that says its type or an order id twice, differently).";
    Internal => "internal.error", "The module failed (a bug, never the payer's input); nothing was sent.";
    InitRequired => "init.required", "connpay-checkout was called before its init() resolved: await init() (the module's default export) once, then call the others.";
}

impl crate::value::ToGot for ErrorCode {
    fn to_got(&self) -> crate::value::Got {
        self.as_str().into()
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
