//! The expiry date: the forms payers type and autofill writes, month range, and the window from
//! the current month to 20 years ahead. "Today" is always a parameter, never read here.

use super::Verdict;
use crate::value::{Got, ToGot};
use crate::ErrorCode;

/// How far ahead an expiry may be.
pub const MAX_YEARS_AHEAD: u32 = 20;

/// A calendar month: the payer's "today", or an expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearMonth {
    year: u16,
    month: u8,
}

impl YearMonth {
    /// The last month there is: "today" for a reading in which no date must be in the past.
    pub const LATEST: YearMonth = YearMonth { year: 9999, month: 12 };

    /// A month of a four-digit year; `None` outside 1000–9999 or months 1–12.
    pub fn new(year: u32, month: u32) -> Option<YearMonth> {
        let valid = (1000..=9999).contains(&year) && (1..=12).contains(&month);
        valid.then_some(YearMonth { year: year as u16, month: month as u8 })
    }

    /// The four-digit year.
    pub fn year(self) -> u32 {
        u32::from(self.year)
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// Months since year 0, for comparisons.
    fn index(self) -> u32 {
        self.year() * 12 + self.month()
    }
}

/// The result of checking an expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpiryResult {
    /// Valid, potentially valid, and why not.
    pub verdict: Verdict,
    /// The month, once it is complete and 1–12.
    pub month: Option<u8>,
    /// The four-digit year, once it is complete.
    pub year: Option<u16>,
}

impl ExpiryResult {
    fn without_date(verdict: Verdict) -> ExpiryResult {
        ExpiryResult { verdict, month: None, year: None }
    }
}

/// The month and year digits of an input, before any range check.
struct Parts<'a> {
    month: &'a str,
    /// A separator (or a second month digit) followed the month: `"1/"` is month 1, `"1"` may
    /// still become 10–12.
    month_closed: bool,
    year: &'a str,
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// Reads `MM/YY`, `MM / YY`, `M/YY`, `MM YY`, `M YY`, `MM/YYYY`, `MMYY`, `MMYYYY`, `MM-YY` and
/// autofill's `YYYY-MM`, or a prefix of one of them. Without a separator the first two digits are
/// the month; [`one_digit_month`] is the other reading.
fn split(text: &str) -> Option<Parts<'_>> {
    let separated = match text.split_once('-') {
        Some((year, month)) if year.len() == 4 => Some((month, year)),
        Some(pair) => Some(pair),
        None => text.split_once('/').or_else(|| text.split_once(char::is_whitespace)),
    };
    if let Some((month, year)) = separated {
        let (month, year) = (month.trim(), year.trim());
        let well_formed = (1..=2).contains(&month.len()) && year.len() <= 4 && all_digits(month) && all_digits(year);
        return well_formed.then_some(Parts { month, month_closed: true, year });
    }
    if !all_digits(text) || text.len() > 6 {
        return None;
    }
    let (month, year) = text.split_at(text.len().min(2));
    Some(Parts { month, month_closed: month.len() == 2, year })
}

/// Digits without a separator read as `MYY` or `MYYYY` (`127` as 1/27, `12027` as 1/2027), or a
/// prefix of one: the reading taken when the two-digit month's cannot become valid.
fn one_digit_month(text: &str) -> Option<Parts<'_>> {
    let readable = (2..=5).contains(&text.len()) && all_digits(text) && !text.starts_with('0');
    readable.then(|| Parts { month: &text[..1], month_closed: true, year: &text[1..] })
}

/// The four-digit year of a two-digit one: the one within 50 years of today.
fn widen_year(two_digits: u32, today: YearMonth) -> u32 {
    let year = today.year() / 100 * 100 + two_digits;
    if year + 50 < today.year() {
        year + 100
    } else if year > today.year() + 49 {
        year - 100
    } else {
        year
    }
}

/// The decimal digits of `value`, zero-padded to `width` (for prefix comparisons; no `format!`).
fn padded_digits(mut value: u32, width: usize) -> [u8; 4] {
    let mut digits = [b'0'; 4];
    for slot in digits[..width].iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    digits
}

/// The months (as [`YearMonth::index`]) an expiry may fall in: this month to 20 years ahead.
fn window(today: YearMonth) -> std::ops::RangeInclusive<u32> {
    today.index()..=today.index() + MAX_YEARS_AHEAD * 12
}

/// Checks a complete expiry month against `today`: not past, at most 20 years ahead.
pub fn check_month(expiry: YearMonth, today: YearMonth) -> Verdict {
    let window = window(today);
    if expiry.index() < *window.start() {
        Verdict::invalid(ErrorCode::ExpiryPast)
    } else if expiry.index() > *window.end() {
        Verdict::invalid(ErrorCode::ExpiryTooFar)
    } else {
        Verdict::VALID
    }
}

/// Checks an expiry against `today`: the current month is still valid, and at most
/// [`MAX_YEARS_AHEAD`] years ahead. Digits without a separator are read with a two-digit month
/// unless only a one-digit month can make them valid.
pub fn validate_expiry(input: &str, today: YearMonth) -> ExpiryResult {
    let text = input.trim();
    if text.is_empty() {
        return ExpiryResult::without_date(Verdict::pending(ErrorCode::ExpiryEmpty));
    }
    let Some(parts) = split(text) else {
        return ExpiryResult::without_date(Verdict::invalid(ErrorCode::ExpiryFormat));
    };
    let result = check_parts(parts, today);
    if result.verdict.potentially_valid {
        return result;
    }
    one_digit_month(text).map(|parts| check_parts(parts, today)).filter(|other| other.verdict.potentially_valid).unwrap_or(result)
}

/// Checks a reading's month and year against `today`.
fn check_parts(parts: Parts<'_>, today: YearMonth) -> ExpiryResult {
    if !parts.month_closed {
        // "0", "1" … "9": the payer may go on to "01", "12", or "5/".
        return ExpiryResult::without_date(Verdict::pending(ErrorCode::ExpiryIncomplete));
    }
    // At most two ASCII digits: the parse cannot fail.
    let month: u32 = parts.month.parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return ExpiryResult::without_date(Verdict::invalid(ErrorCode::ExpiryMonth));
    }
    let with_month = |verdict, year: Option<u32>| ExpiryResult { verdict, month: Some(month as u8), year: year.map(|year| year as u16) };
    let typed = parts.year.as_bytes();
    if typed.is_empty() {
        return with_month(Verdict::pending(ErrorCode::ExpiryIncomplete), None);
    }

    let window = window(today);
    let position = |year: u32| year * 12 + month;
    // Up to four ASCII digits: the parse cannot fail.
    let number: u32 = parts.year.parse().unwrap_or(0);
    let complete_year = match typed.len() {
        2 => Some(widen_year(number, today)),
        4 => Some(number),
        _ => None,
    };
    if let Some(year) = complete_year {
        if window.contains(&position(year)) {
            return with_month(Verdict::VALID, Some(year));
        }
    }
    // Could more digits still give a year in the window? "2" → "27"; "20" → "2027"; "202" → "2027".
    let can_grow = (today.year()..=today.year() + MAX_YEARS_AHEAD).any(|year| {
        window.contains(&position(year))
            && (padded_digits(year, 4).starts_with(typed) || (typed.len() == 1 && padded_digits(year % 100, 2).starts_with(typed)))
    });
    let code = match complete_year {
        Some(year) if position(year) < *window.start() => ErrorCode::ExpiryPast,
        Some(_) => ErrorCode::ExpiryTooFar,
        None if can_grow => ErrorCode::ExpiryIncomplete,
        // A partial year that cannot grow into the window: before it or after it.
        None if number * 10u32.pow(4 - typed.len() as u32) < today.year() => ErrorCode::ExpiryPast,
        None => ErrorCode::ExpiryTooFar,
    };
    with_month(Verdict::failed(code, can_grow), complete_year)
}

impl ToGot for ExpiryResult {
    fn to_got(&self) -> Got {
        self.verdict.record().field("month", self.month).field("year", self.year).to_got()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(year: u32, month: u32) -> YearMonth {
        YearMonth::new(year, month).unwrap()
    }

    fn check(input: &str, today: YearMonth) -> ExpiryResult {
        validate_expiry(input, today)
    }

    fn valid(month: u8, year: u16) -> ExpiryResult {
        ExpiryResult { verdict: Verdict::VALID, month: Some(month), year: Some(year) }
    }

    #[test]
    fn every_accepted_form() {
        let today = on(2026, 11);
        for input in ["12/27", "12 / 27", "1227", "12/2027", "2027-12", "122027", "12-27", " 12/27 ", "12/ 27", "12 27", "12 2027"] {
            assert_eq!(check(input, today), valid(12, 2027), "{input}");
        }
        assert_eq!(check("1/27", today), valid(1, 2027));
        assert_eq!(check("2027-1", today), valid(1, 2027));
        assert_eq!(check("1 27", today), valid(1, 2027));
    }

    #[test]
    fn a_space_separates_month_and_year() {
        // Found by braintree's card-validator suite: `01 2030` and `1 30` were refused.
        let today = on(2026, 11);
        assert_eq!(check("01 2030", today), valid(1, 2030));
        assert_eq!(check("1 30", today), valid(1, 2030));
        assert_eq!(check("1  30", today), valid(1, 2030));
        assert_eq!(check("1 2", today).verdict, Verdict::pending(ErrorCode::ExpiryIncomplete));
        assert_eq!(check("12 202", today).verdict, Verdict::pending(ErrorCode::ExpiryIncomplete));
        assert_eq!(check("01 1999", today).verdict, Verdict::invalid(ErrorCode::ExpiryPast));
        assert_eq!(check("13 2030", today).verdict, Verdict::invalid(ErrorCode::ExpiryMonth));
        assert_eq!(check("12 27 1", today).verdict, Verdict::invalid(ErrorCode::ExpiryFormat));
    }

    #[test]
    fn a_one_digit_month_without_a_separator_when_two_digits_cannot_be_valid() {
        // Found by braintree's card-validator suite: `12027` was reported past and `127` too far.
        let today = on(2026, 11);
        assert_eq!(check("127", today), valid(1, 2027));
        assert_eq!(check("12027", today), valid(1, 2027));
        assert_eq!(check("927", today), valid(9, 2027));
        assert_eq!(check("92030", today), valid(9, 2030));
        // The two-digit month wins whenever it can still be valid.
        assert_eq!(check("1227", today), valid(12, 2027));
        assert_eq!(check("1130", today), valid(11, 2030));
        assert_eq!(check("122", today).verdict, Verdict::pending(ErrorCode::ExpiryIncomplete));
        assert_eq!(check("122", today).month, Some(12));
        // Potentially valid as long as one reading may still become valid: `1203` → `12030`.
        assert_eq!(check("1203", today).verdict, Verdict::pending(ErrorCode::ExpiryIncomplete));
        assert_eq!(check("13", today).verdict, Verdict::pending(ErrorCode::ExpiryIncomplete));
        // Neither reading can be valid: the two-digit month's problem is reported.
        assert_eq!(check("125", today).verdict, Verdict::invalid(ErrorCode::ExpiryTooFar));
        assert_eq!(check("11199", today).verdict, Verdict::invalid(ErrorCode::ExpiryPast));
        assert_eq!(check("225", today).verdict, Verdict::invalid(ErrorCode::ExpiryMonth));
        assert_eq!(check("0127", today), valid(1, 2027));
        // Six digits are MMYYYY only: a one-digit month leaves no four-digit year after it.
        assert_eq!(check("132030", today).verdict, Verdict::invalid(ErrorCode::ExpiryMonth));
    }

    #[test]
    fn the_current_month_is_still_valid() {
        assert_eq!(check("11/26", on(2026, 11)), valid(11, 2026));
        let past = check("10/26", on(2026, 11));
        assert_eq!(past.verdict, Verdict::invalid(ErrorCode::ExpiryPast));
        assert_eq!((past.month, past.year), (Some(10), Some(2026)));
    }

    #[test]
    fn turn_of_the_year() {
        let december = on(2026, 12);
        assert_eq!(check("12/26", december), valid(12, 2026));
        assert_eq!(check("11/26", december).verdict.code, Some(ErrorCode::ExpiryPast));
        assert_eq!(check("01/27", december), valid(1, 2027));
        let january = on(2027, 1);
        assert_eq!(check("12/26", january).verdict, Verdict::invalid(ErrorCode::ExpiryPast));
        assert_eq!(check("01/27", january), valid(1, 2027));
        assert_eq!(check("2026-12", january).verdict.code, Some(ErrorCode::ExpiryPast));
    }

    #[test]
    fn at_most_twenty_years_ahead() {
        let today = on(2026, 11);
        assert_eq!(check("11/46", today), valid(11, 2046));
        assert_eq!(check("12/2046", today).verdict, Verdict::invalid(ErrorCode::ExpiryTooFar));
        assert_eq!(check("01/2047", today).verdict, Verdict::invalid(ErrorCode::ExpiryTooFar));
        assert_eq!(check("12/2099", today).verdict.code, Some(ErrorCode::ExpiryTooFar));
    }

    #[test]
    fn two_digit_years_are_read_near_today() {
        let today = on(2026, 11);
        assert_eq!(check("12/99", today).year, Some(1999));
        assert_eq!(check("12/99", today).verdict, Verdict::invalid(ErrorCode::ExpiryPast));
        assert_eq!(check("12/75", today).year, Some(2075));
        assert_eq!(check("12/02", on(2099, 1)).year, Some(2102));
    }

    #[test]
    fn month_range() {
        let today = on(2026, 11);
        for input in ["00/27", "13/27", "0/27", "99", "00"] {
            let result = check(input, today);
            assert_eq!(result.verdict, Verdict::invalid(ErrorCode::ExpiryMonth), "{input}");
            assert_eq!(result.month, None);
        }
    }

    #[test]
    fn still_typing() {
        let today = on(2026, 11);
        for input in ["0", "1", "5", "12", "12/", "12 /", "12/2", "122", "12/202", "12202", "12/3"] {
            let result = check(input, today);
            assert_eq!(result.verdict, Verdict::pending(ErrorCode::ExpiryIncomplete), "{input}");
        }
        assert_eq!(check("12", today).month, Some(12));
        assert_eq!(check("1", today).month, None);
    }

    #[test]
    fn a_two_digit_year_that_starts_a_four_digit_one_is_still_potentially_valid() {
        let result = check("12/20", on(2026, 11));
        assert_eq!(result.verdict, Verdict::failed(ErrorCode::ExpiryPast, true));
        assert_eq!(result.year, Some(2020));
        assert_eq!(check("1220", on(2026, 11)).verdict, Verdict::failed(ErrorCode::ExpiryPast, true));
        assert_eq!(check("12/03", on(2026, 11)).verdict, Verdict::invalid(ErrorCode::ExpiryPast));
    }

    #[test]
    fn partial_years_that_cannot_become_valid() {
        let today = on(2026, 11);
        assert_eq!(check("12/1", today).verdict, Verdict::invalid(ErrorCode::ExpiryPast));
        assert_eq!(check("12/5", today).verdict, Verdict::invalid(ErrorCode::ExpiryTooFar));
        assert_eq!(check("12/201", today).verdict, Verdict::invalid(ErrorCode::ExpiryPast));
        assert_eq!(check("12/205", today).verdict, Verdict::invalid(ErrorCode::ExpiryTooFar));
    }

    #[test]
    fn empty_and_malformed() {
        let today = on(2026, 11);
        assert_eq!(check("", today).verdict, Verdict::pending(ErrorCode::ExpiryEmpty));
        assert_eq!(check("  ", today).verdict, Verdict::pending(ErrorCode::ExpiryEmpty));
        for input in ["ab", "12/ab", "/27", "12/27/1", "1 2/27", "123/27", "12/20271", "1220271", "12.27", "１２/２７", "2027-", "2027-123"]
        {
            assert_eq!(check(input, today).verdict, Verdict::invalid(ErrorCode::ExpiryFormat), "{input}");
        }
    }

    #[test]
    fn check_month_window() {
        let today = on(2026, 11);
        assert_eq!(check_month(on(2026, 11), today), Verdict::VALID);
        assert_eq!(check_month(on(2046, 11), today), Verdict::VALID);
        assert_eq!(check_month(on(2026, 10), today), Verdict::invalid(ErrorCode::ExpiryPast));
        assert_eq!(check_month(on(2046, 12), today), Verdict::invalid(ErrorCode::ExpiryTooFar));
    }

    #[test]
    fn today_must_be_a_real_month() {
        assert!(YearMonth::new(2026, 0).is_none());
        assert!(YearMonth::new(2026, 13).is_none());
        assert!(YearMonth::new(999, 5).is_none());
        assert!(YearMonth::new(10_000, 5).is_none());
        assert_eq!(YearMonth::new(2026, 12).map(|t| (t.year(), t.month())), Some((2026, 12)));
    }
}
