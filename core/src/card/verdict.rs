//! The verdict every validator returns: `valid`, `potentiallyValid`, and a code on failure.

use serde::Serialize;

use crate::ErrorCode;

/// The outcome of one field's check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The value is complete and acceptable.
    pub valid: bool,
    /// The value is valid, or could still become valid as the payer keeps typing.
    pub potentially_valid: bool,
    /// Why the value is not valid; absent when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
}

impl Verdict {
    /// A valid value.
    pub const VALID: Verdict = Verdict { valid: true, potentially_valid: true, code: None };

    /// Not valid yet, but more typing may make it valid.
    pub fn pending(code: ErrorCode) -> Verdict {
        Verdict { valid: false, potentially_valid: true, code: Some(code) }
    }

    /// Not valid, and more typing cannot fix it.
    pub fn invalid(code: ErrorCode) -> Verdict {
        Verdict { valid: false, potentially_valid: false, code: Some(code) }
    }

    /// Not valid; `potentially_valid` says whether more typing may still fix it.
    pub fn failed(code: ErrorCode, potentially_valid: bool) -> Verdict {
        Verdict { valid: false, potentially_valid, code: Some(code) }
    }
}
