//! The payer's 3-D Secure browser data (/api/v2/sale's `customer_browser_*` fields, EMV 3-D Secure 2.x
//! conventions): what the page reads, the normalisation to what EMV 3-D Secure and the gateway accept,
//! and /api/v2/sale's form fields.
//!
//! The page reads raw values ([`BrowserReadings`]); [`BrowserInfo::from_readings`] turns them into
//! values the gateway accepts, so a browser that reports something odd (a colour depth of 30, a
//! 10-character language) still produces a valid request. Nothing here reads the browser.

mod language;

use crate::value::{Got, Record, ToGot};

pub use language::{fit_language, is_well_formed as is_well_formed_language, DEFAULT_LANGUAGE, MAX_LANGUAGE_LENGTH};

/// The colour depths EMV 3-D Secure allows, ascending.
pub const EMV_COLOR_DEPTHS: [u8; 8] = [1, 4, 8, 15, 16, 24, 32, 48];

/// Sent when the browser reports no usable colour depth (missing, not a number, below 1).
pub const DEFAULT_COLOR_DEPTH: u8 = 24;

/// The largest screen size of six digits.
pub const MAX_SCREEN_SIZE: u32 = 999_999;

/// The time-zone offsets that exist, in minutes positive west of UTC: UTC+14 to UTC−12.
pub const TIME_ZONE_RANGE: std::ops::RangeInclusive<i32> = -840..=720;

/// /api/v2/sale's limit for the user agent and the accept header.
pub const MAX_HEADER_LENGTH: usize = 2048;

/// What a page read from the browser, untrusted: a property may be missing or of the wrong kind,
/// and the page's own scripts may have replaced it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BrowserReadings {
    /// `screen.colorDepth`.
    pub color_depth: Option<f64>,
    /// `screen.height`, CSS pixels.
    pub screen_height: Option<f64>,
    /// `screen.width`, CSS pixels.
    pub screen_width: Option<f64>,
    /// `new Date().getTimezoneOffset()`: minutes, positive west of UTC.
    pub time_zone_offset: Option<f64>,
    /// `navigator.language`.
    pub language: Option<String>,
    /// `navigator.userAgent`.
    pub user_agent: Option<String>,
    /// `navigator.javaEnabled()`; `None` when missing or when it threw.
    pub java_enabled: Option<bool>,
    /// The `Accept` header of the page's request, from the merchant's server.
    pub accept_header: Option<String>,
    /// The payer's IP address, from the merchant's server.
    pub ip_address: Option<String>,
}

/// The payer's browser data, as the module sends it: camelCase for JavaScript, and /api/v2/sale's
/// `customer_browser_*` fields through the table [`crate::v2::BROWSER`]. Collected by the
/// module, every field is present except the two only the merchant's server knows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BrowserInfo {
    /// `customer_browser_javascript_enabled`: the module runs, so `true`.
    pub javascript_enabled: bool,
    /// `customer_browser_java_enabled`.
    pub java_enabled: bool,
    /// `customer_browser_color_depth`: one of [`EMV_COLOR_DEPTHS`].
    pub color_depth: u8,
    /// `customer_browser_screen_height`: 0 to 999 999.
    pub screen_height: u32,
    /// `customer_browser_screen_width`: 0 to 999 999.
    pub screen_width: u32,
    /// `customer_browser_time_zone`: minutes, positive west of UTC (UTC−5 → 300).
    pub time_zone: i32,
    /// `customer_browser_accept_language`: a BCP 47 tag of at most 8 characters.
    pub accept_language: String,
    /// `customer_browser_user_agent`: at most 2048 characters.
    pub user_agent: String,
    /// `customer_browser_accept_header`: at most 2048 characters; from the merchant's server.
    pub accept_header: Option<String>,
    /// `ipaddress`: from the merchant's server.
    pub ip_address: Option<String>,
}

impl BrowserInfo {
    /// Normalises what the page read. Never fails: a missing or unusable reading takes its
    /// documented default (colour depth 24, screen 0 × 0, time zone 0, language `en`, user agent
    /// empty, Java `false`); the accept header and IP address stay absent when not given.
    pub fn from_readings(readings: &BrowserReadings) -> BrowserInfo {
        BrowserInfo {
            javascript_enabled: true,
            java_enabled: readings.java_enabled.unwrap_or(false),
            color_depth: emv_color_depth(readings.color_depth),
            screen_height: screen_size(readings.screen_height),
            screen_width: screen_size(readings.screen_width),
            time_zone: time_zone(readings.time_zone_offset),
            accept_language: fit_language(readings.language.as_deref().unwrap_or("")),
            user_agent: truncate_chars(readings.user_agent.as_deref().unwrap_or(""), MAX_HEADER_LENGTH).to_string(),
            accept_header: readings.accept_header.as_deref().map(fit_accept_header).filter(|header| !header.is_empty()),
            ip_address: readings.ip_address.as_deref().map(str::trim).filter(|ip| !ip.is_empty()).map(str::to_string),
        }
    }

    /// The data as the `browser` of a /api/v2/sale request, in its table's order.
    pub fn record(&self) -> Record {
        Record::default()
            .with("ipAddress", self.ip_address.clone().map(Got::Text))
            .with("acceptHeader", self.accept_header.clone().map(Got::Text))
            .with("javascriptEnabled", Got::Bool(self.javascript_enabled))
            .with("acceptLanguage", Got::from(self.accept_language.as_str()))
            .with("userAgent", Got::from(self.user_agent.as_str()))
            .with("colorDepth", Got::Number(f64::from(self.color_depth)))
            .with("javaEnabled", Got::Bool(self.java_enabled))
            .with("screenHeight", Got::Number(f64::from(self.screen_height)))
            .with("screenWidth", Got::Number(f64::from(self.screen_width)))
            .with("timeZone", Got::Number(f64::from(self.time_zone)))
    }
}

/// `collectBrowserInfo`'s result: the record, the two fields only a server knows left out when
/// absent.
impl ToGot for BrowserInfo {
    fn to_got(&self) -> Got {
        self.record().to_got()
    }
}

/// The nearest allowed depth at or below the reported one (30 → 24, 64 → 48).
pub fn emv_color_depth(reported: Option<f64>) -> u8 {
    reported
        .and_then(|depth| EMV_COLOR_DEPTHS.iter().rev().copied().find(|&allowed| f64::from(allowed) <= depth))
        .unwrap_or(DEFAULT_COLOR_DEPTH)
}

/// A screen size rounded to whole pixels, within 0–999 999; 0 when missing or not a number.
pub fn screen_size(reported: Option<f64>) -> u32 {
    match reported {
        // `as` saturates and turns NaN into 0: exactly the clamp wanted.
        Some(size) => (size.round() as u32).min(MAX_SCREEN_SIZE),
        None => 0,
    }
}

/// An offset rounded to whole minutes within the offsets that exist; 0 (UTC) when missing or
/// not a number.
pub fn time_zone(offset: Option<f64>) -> i32 {
    match offset {
        Some(minutes) if !minutes.is_nan() => (minutes.round() as i32).clamp(*TIME_ZONE_RANGE.start(), *TIME_ZONE_RANGE.end()),
        _ => 0,
    }
}

/// The accept header trimmed and, when longer than 2048 characters, cut after the last whole
/// media range that fits (a cut in the middle of one would send a false preference).
pub fn fit_accept_header(header: &str) -> String {
    let header = header.trim();
    if header.chars().count() <= MAX_HEADER_LENGTH {
        return header.to_string();
    }
    let head = truncate_chars(header, MAX_HEADER_LENGTH);
    head.rfind(',').map_or(head, |comma| &head[..comma]).trim_end().to_string()
}

/// The first `max` characters.
fn truncate_chars(text: &str, max: usize) -> &str {
    text.char_indices().nth(max).map_or(text, |(index, _)| &text[..index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_depths_go_to_the_nearest_lower_emv_value() {
        for (reported, sent) in [
            (Some(0.0), DEFAULT_COLOR_DEPTH),
            (Some(1.0), 1),
            (Some(24.0), 24),
            (Some(30.0), 24),
            (Some(32.0), 32),
            (Some(36.0), 32),
            (Some(48.0), 48),
            (Some(64.0), 48),
            (Some(-1.0), DEFAULT_COLOR_DEPTH),
            (Some(2.0), 1),
            (Some(15.5), 15),
            (Some(f64::NAN), DEFAULT_COLOR_DEPTH),
            (Some(f64::INFINITY), 48),
            (None, DEFAULT_COLOR_DEPTH),
        ] {
            assert_eq!(emv_color_depth(reported), sent, "{reported:?}");
            assert!(EMV_COLOR_DEPTHS.contains(&sent));
        }
    }

    #[test]
    fn every_real_offset_is_kept_and_fits_five_characters() {
        for minutes in -840..=720 {
            let sent = time_zone(Some(f64::from(minutes)));
            assert_eq!(sent, minutes);
            assert!(sent.to_string().len() <= 5);
        }
        assert_eq!(time_zone(Some(300.4)), 300);
        assert_eq!(time_zone(Some(-2000.0)), -840);
        assert_eq!(time_zone(Some(1e12)), 720);
        assert_eq!(time_zone(Some(f64::NAN)), 0);
        assert_eq!(time_zone(None), 0);
    }

    #[test]
    fn screen_sizes_have_one_to_six_digits() {
        for (reported, sent) in [
            (Some(1080.0), 1080),
            (Some(1079.6), 1080),
            (Some(0.0), 0),
            (Some(-5.0), 0),
            (Some(5e6), MAX_SCREEN_SIZE),
            (Some(f64::NAN), 0),
            (None, 0),
        ] {
            assert_eq!(screen_size(reported), sent, "{reported:?}");
            assert!((1..=6).contains(&sent.to_string().len()));
        }
    }

    #[test]
    fn long_headers_are_cut_to_the_seed_length() {
        let ranges: Vec<String> = (0..300).map(|index| format!("type/sub{index};q=0.5")).collect();
        let header = ranges.join(",");
        let sent = fit_accept_header(&header);
        assert!(sent.len() <= MAX_HEADER_LENGTH && header.starts_with(&sent) && !sent.ends_with(','));
        assert!(ranges.iter().any(|range| sent.ends_with(range.as_str())), "cut inside a media range");
        let ua = "Ж".repeat(3000);
        let info = BrowserInfo::from_readings(&BrowserReadings { user_agent: Some(ua), ..BrowserReadings::default() });
        assert_eq!(info.user_agent.chars().count(), MAX_HEADER_LENGTH);
        assert_eq!(fit_accept_header("  text/html  "), "text/html");
    }

    #[test]
    fn missing_readings_take_the_documented_defaults() {
        let info = BrowserInfo::from_readings(&BrowserReadings::default());
        assert_eq!(
            info,
            BrowserInfo {
                javascript_enabled: true,
                java_enabled: false,
                color_depth: DEFAULT_COLOR_DEPTH,
                screen_height: 0,
                screen_width: 0,
                time_zone: 0,
                accept_language: DEFAULT_LANGUAGE.to_string(),
                user_agent: String::new(),
                accept_header: None,
                ip_address: None,
            }
        );
    }

    #[test]
    fn the_form_fields_carry_the_seed_names() {
        let info = BrowserInfo::from_readings(&BrowserReadings {
            color_depth: Some(30.0),
            screen_height: Some(1080.0),
            screen_width: Some(1920.0),
            time_zone_offset: Some(-180.0),
            language: Some("ru-RU".into()),
            user_agent: Some("Mozilla/5.0".into()),
            java_enabled: Some(false),
            accept_header: Some("text/html,*/*;q=0.8".into()),
            ip_address: Some(" 203.0.113.7 ".into()),
        });
        let fields = crate::v2::browser_form_fields(&info.record());
        let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (*name, value.as_str())).collect();
        assert_eq!(
            fields,
            [
                ("customer_browser_info", "true"),
                ("ipaddress", "203.0.113.7"),
                ("customer_browser_accept_header", "text/html,*/*;q=0.8"),
                ("customer_browser_javascript_enabled", "true"),
                ("customer_browser_accept_language", "ru-RU"),
                ("customer_browser_user_agent", "Mozilla/5.0"),
                ("customer_browser_color_depth", "24"),
                ("customer_browser_java_enabled", "false"),
                ("customer_browser_screen_height", "1080"),
                ("customer_browser_screen_width", "1920"),
                ("customer_browser_time_zone", "-180"),
            ]
        );
    }
}
