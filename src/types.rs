//! The TypeScript declarations of every shape the exports take and return, written once here and
//! emitted into the package's `.d.ts` by wasm-bindgen. A native test checks that the error-code
//! unions list exactly the core's codes.

use wasm_bindgen::prelude::*;

/// The declarations, as they appear in `connpay_checkout.d.ts`.
pub const TYPESCRIPT: &str = r#"
/** A card brand's stable identifier. */
export type BrandId =
  | "visa" | "mastercard" | "amex" | "diners" | "discover"
  | "jcb" | "unionpay" | "maestro" | "mir";

/** One row of the brand table. */
export interface BrandInfo {
  id: BrandId;
  /** Display name, e.g. "American Express". */
  name: string;
  /** Allowed numbers of digits, ascending. */
  lengths: number[];
  /** Digits in the security code: 4 for American Express, 3 otherwise. */
  cvvLength: number;
  /** Digit counts after which the formatted number has a space. */
  gaps: number[];
}

/** Why a card number is not valid. */
export type CardNumberErrorCode =
  | "card.number.empty" | "card.number.invalid_characters" | "card.number.unknown_brand"
  | "card.number.incomplete" | "card.number.too_long" | "card.number.luhn" | "card.number.type";

/** Why an expiry is not valid. */
export type ExpiryErrorCode =
  | "card.expiry.empty" | "card.expiry.format" | "card.expiry.incomplete" | "card.expiry.month"
  | "card.expiry.past" | "card.expiry.too_far" | "card.expiry.type";

/** Why a security code is not valid. */
export type CvvErrorCode =
  | "card.cvv.empty" | "card.cvv.invalid_characters" | "card.cvv.incomplete"
  | "card.cvv.too_long" | "card.cvv.type";

/** Why a holder's name is not valid. */
export type HolderErrorCode =
  | "card.holder.empty" | "card.holder.too_long" | "card.holder.digits_only"
  | "card.holder.invalid_characters" | "card.holder.ambiguous" | "card.holder.type";

/** Every validation code. */
export type ValidationErrorCode = CardNumberErrorCode | ExpiryErrorCode | CvvErrorCode | HolderErrorCode;

/** What every validator reports. */
export interface FieldResult<Code extends ValidationErrorCode> {
  /** The value is complete and acceptable. */
  valid: boolean;
  /** The value is valid, or may still become valid as the payer keeps typing. */
  potentiallyValid: boolean;
  /** Why the value is not valid; absent when it is. */
  code?: Code;
}

/** The result of `validateCardNumber`. */
export interface CardNumberResult extends FieldResult<CardNumberErrorCode> {
  /** The brand, once the digits name exactly one. */
  brand: BrandId | null;
  /** The digits in the brand's display groups. */
  formatted: string;
}

/** The result of `validateExpiry`. */
export interface ExpiryResult extends FieldResult<ExpiryErrorCode> {
  /** The month 1–12, once complete. */
  month: number | null;
  /** The four-digit year, once complete. */
  year: number | null;
}

/** The result of `validateCvv`. */
export type CvvResult = FieldResult<CvvErrorCode>;

/** A part of the holder's name. */
export type HolderField = "firstName" | "lastName" | "printedName";

/** A problem in one part of the holder's name. */
export interface HolderFieldError {
  field: HolderField;
  code: HolderErrorCode;
}

/** The result of `validateHolder`; `code` is the first error's. */
export interface HolderResult extends FieldResult<HolderErrorCode> {
  /** Every problem, in field order. */
  errors: HolderFieldError[];
}

/** The holder's name: first and last, or as printed on the card (each 1–50 characters). */
export type HolderInput = { firstName: string; lastName: string } | { printedName: string };

/** The card form's fields, as typed. */
export interface CardInput {
  number: string;
  expiry: string;
  cvv: string;
  /** A string is read as the printed name. */
  holder: HolderInput | string;
}

/** The result of `validateCard`. */
export interface CardResult {
  /** Every field is valid. */
  valid: boolean;
  number: CardNumberResult;
  expiry: ExpiryResult;
  cvv: CvvResult;
  holder: HolderResult;
}

/** A calendar month; `month` is 1–12. */
export interface YearMonth {
  year: number;
  month: number;
}

/** Codes of the errors the module throws (validators report problems in results instead). */
export type ConnPayErrorCode = "argument.invalid" | "internal";

/** What the module throws: an `Error` named "ConnPayError" with a stable code. */
export interface ConnPayError extends Error {
  name: "ConnPayError";
  code: ConnPayErrorCode;
  /** The argument at fault, e.g. "today". */
  path?: string;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT_SECTION: &str = TYPESCRIPT;

#[cfg(test)]
mod tests {
    use super::TYPESCRIPT;
    use crate::ErrorKind;
    use connpay_core::ErrorCode;

    /// Every quoted `card.*` string in the declarations.
    fn declared_codes() -> Vec<&'static str> {
        TYPESCRIPT.split('"').skip(1).step_by(2).filter(|text| text.starts_with("card.")).collect()
    }

    #[test]
    fn the_code_unions_are_exactly_the_core_codes() {
        let mut declared = declared_codes();
        let mut core: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
        declared.sort_unstable();
        core.sort_unstable();
        assert_eq!(declared, core);
    }

    #[test]
    fn thrown_codes_are_declared() {
        for kind in [ErrorKind::InvalidArgument, ErrorKind::Internal] {
            assert!(TYPESCRIPT.contains(&format!("\"{}\"", kind.code())), "{:?}", kind);
        }
    }

    #[test]
    fn no_any() {
        assert!(!TYPESCRIPT.split(|c: char| !c.is_alphanumeric()).any(|word| word == "any"));
    }
}
