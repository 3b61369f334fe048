//! Field problems: what a request validator reports, and the collector every validator walks a
//! request with, so that each reports every problem at once with its path and a stable code.
//! Messages never repeat the value: it may be card data.

use crate::card;
use crate::value::{Got, Record, ToGot};
use crate::ErrorCode;

/// One problem in a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Where: `sourceOfFunds.card.expiry.month`, `consumer.ipAddresses[1]`, `browser.colorDepth`.
    pub path: String,
    /// What, as a stable code.
    pub code: ErrorCode,
    /// What, in English.
    pub message: String,
}

impl ToGot for FieldError {
    fn to_got(&self) -> Got {
        Record::default().field("path", &self.path).field("code", self.code).field("message", &self.message).to_got()
    }
}

/// The most problems one request reports: a body of 50,000 unknown keys is refused as quickly as
/// one of ten, in time that grows with its size only (each problem is compared with those before
/// it, so an unbounded list would grow with its square and hold a server's thread for seconds).
pub const MAX_PROBLEMS: usize = 100;

/// Collects problems as a request is walked.
#[derive(Default)]
pub(crate) struct Problems(pub(crate) Vec<FieldError>);

impl Problems {
    /// Reports a problem. One a path: the first found (the walker's, before the rules across
    /// fields) says what is wrong with the value, and a later one about the same value is left
    /// out, so that a value present but refused is never also called missing or empty. Past
    /// [`MAX_PROBLEMS`], none.
    pub(crate) fn add(&mut self, path: &str, code: ErrorCode, message: impl Into<String>) {
        if !self.full() && !self.has(path) {
            self.0.push(FieldError { path: path.to_string(), code, message: message.into() });
        }
    }

    /// Whether [`MAX_PROBLEMS`] are reported: nothing more will be.
    pub(crate) fn full(&self) -> bool {
        self.0.len() >= MAX_PROBLEMS
    }

    /// Whether a problem is already reported at `path`.
    pub(crate) fn has(&self, path: &str) -> bool {
        self.0.iter().any(|problem| problem.path == path)
    }

    /// A string of `min..=max` characters without control characters.
    pub(crate) fn text<'a>(&mut self, path: &str, value: &'a str, min: usize, max: usize) -> Option<&'a str> {
        let length = value.chars().count();
        if length < min || length > max {
            let bounds = if min == max { format!("{min}") } else { format!("{min} to {max}") };
            self.add(path, ErrorCode::RequestLength, format!("must be {bounds} characters long"));
            None
        } else if value.chars().any(char::is_control) {
            self.add(path, ErrorCode::RequestCharacters, "must not contain control characters");
            None
        } else {
            Some(value)
        }
    }

    /// A card rule's verdict, reported under `path` unless valid.
    pub(crate) fn verdict(&mut self, path: &str, verdict: card::Verdict) {
        if let Some(code) = verdict.code {
            self.add(path, code, code.detail());
        }
    }
}

/// One `@`, a non-empty local part, a dotted domain of letters, digits and hyphens, no spaces.
pub(crate) fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty() && !label.starts_with('-') && !label.ends_with('-') && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    !local.is_empty() && !local.contains(char::is_whitespace) && !local.contains('@') && domain_ok
}

/// The order of an eight-digit date's parts.
#[derive(Clone, Copy)]
pub(crate) enum DateOrder {
    /// `ddMMyyyy` (perform sale's `consumer.birthDay`).
    DayMonthYear,
    /// `yyyyMMdd` (/api/v2/sale's `birthday`).
    YearMonthDay,
}

/// Eight digits naming a date that exists, from 1900 on (a birthday further back is a typo) and
/// no later than `today`'s month.
pub(crate) fn real_date(text: &str, order: DateOrder, today: crate::card::YearMonth) -> bool {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (day, month, year) = match order {
        DateOrder::DayMonthYear => (number(0..2), number(2..4), number(4..8)),
        DateOrder::YearMonthDay => (number(6..8), number(4..6), number(0..4)),
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1900 && (1..=days_in_month).contains(&day) && (year, month) <= (today.year(), today.month())
}
