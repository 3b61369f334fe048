//! The verdict every validator returns: `valid`, `potentiallyValid`, and a code on failure.

use crate::value::{Got, Record, ToGot};
use crate::ErrorCode;

/// The outcome of one field's check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The value is complete and acceptable.
    pub valid: bool,
    /// The value is valid, or could still become valid as the payer keeps typing.
    pub potentially_valid: bool,
    /// Why the value is not valid; absent when it is.
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

impl Verdict {
    /// `{ valid, potentiallyValid, code? }`, for the results that extend it.
    pub fn record(&self) -> Record {
        Record::default().field("valid", self.valid).field("potentiallyValid", self.potentially_valid).field_if("code", &self.code)
    }
}

impl ToGot for Verdict {
    fn to_got(&self) -> Got {
        self.record().to_got()
    }
}
