//! Validation of a /api/v2/sale request against the seed: each parameter's length and rule, the
//! either-or rules, and the browser data. Every problem at once, at the JavaScript key's path.

use std::net::IpAddr;

use crate::browser::{is_well_formed_language, BrowserInfo, EMV_COLOR_DEPTHS, MAX_HEADER_LENGTH, MAX_LANGUAGE_LENGTH, MAX_SCREEN_SIZE, TIME_ZONE_RANGE};
use crate::card::{self, BrandId, YearMonth};
use crate::problems::{plausible_email, real_date, DateOrder, Problems};
use crate::{ErrorCode, FieldError};

use super::form::{currency_exponent, minor_units};
use super::request::{parameter, Necessity, Parameter, Rule, V2SaleRequest, PARAMETERS};

/// What checking one parameter needs to know of the others.
struct Context {
    /// The currency's decimals, once the currency is valid.
    exponent: Option<u32>,
    /// The card number's brand, for the security code's length.
    brand: Option<BrandId>,
    today: YearMonth,
}

/// Validates a /api/v2/sale request; `today` decides whether the card has expired.
pub fn validate_v2_sale(request: &V2SaleRequest, today: YearMonth) -> Vec<FieldError> {
    let mut problems = Problems::default();
    endpoint(&mut problems, request);
    let context = Context {
        exponent: request.currency.as_deref().and_then(|currency| currency_exponent(currency.trim())),
        brand: request.credit_card_number.as_deref().and_then(|number| card::validate_number(number).brand),
        today,
    };
    for (parameter, value) in PARAMETERS.iter().zip(request.values()) {
        match value {
            Some(value) => check(&mut problems, parameter, value.trim(), &context),
            None if parameter.necessity == Necessity::Required => {
                problems.required(parameter.key, value);
            }
            None => {}
        }
    }
    source_of_funds(&mut problems, request, today);
    if ["US", "CA", "AU"].contains(&request.country.as_deref().unwrap_or("").trim()) && request.state.is_none() {
        problems.add("state", ErrorCode::RequestRequired, "is required when the country is US, CA or AU");
    }
    redirects(&mut problems, request);
    ip_address(&mut problems, request);
    amount_limits(&mut problems, request, context.exponent);
    if let Some(browser) = &request.browser {
        browser_fields(&mut problems, browser);
    }
    problems.0
}

fn endpoint(problems: &mut Problems, request: &V2SaleRequest) {
    match (&request.endpoint_id, &request.endpoint_group_id) {
        (Some(_), Some(_)) | (None, None) => {
            problems.add("endpointId", ErrorCode::RequestExclusive, "give exactly one of endpointId and endpointGroupId")
        }
        (Some(id), None) => problems.path_segment("endpointId", id),
        (None, Some(id)) => problems.path_segment("endpointGroupId", id),
    }
}

fn check(problems: &mut Problems, parameter: &Parameter, value: &str, context: &Context) {
    let path = parameter.key;
    let Some(value) = problems.text(path, value, parameter.min, parameter.max) else { return };
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    match parameter.rule {
        Rule::Text => {}
        Rule::Digits | Rule::Year if !digits => problems.add(path, ErrorCode::RequestCharacters, "must contain only digits"),
        Rule::Digits | Rule::Year => {}
        Rule::Amount => match context.exponent.map(|exponent| (exponent, minor_units(value, exponent))) {
            // Without a valid currency the decimals are unknown; the currency's own error says why.
            None => {}
            Some((_, Some(0))) => problems.add(path, ErrorCode::RequestRange, "must be more than zero"),
            Some((_, Some(_))) => {}
            Some((exponent, None)) => {
                problems.add(path, ErrorCode::RequestAmount, format!("must be an amount in major units such as 10.42, with at most {exponent} decimals for this currency"))
            }
        },
        Rule::Currency if context.exponent.is_none() => {
            problems.add(path, ErrorCode::RequestCurrency, "must be an ISO 4217 code with minor units, in upper case, such as EUR")
        }
        Rule::Currency => {}
        Rule::Country if !crate::iso::is_country_alpha2(value) => {
            problems.add(path, ErrorCode::RequestCountry, "must be an ISO 3166 alpha-2 code in upper case, such as US")
        }
        Rule::Country => {}
        Rule::Email if !plausible_email(value) => problems.add(path, ErrorCode::RequestEmail, "must be an email address such as name@example.com"),
        Rule::Email => {}
        Rule::IpAddress if value.parse::<IpAddr>().is_err() => {
            problems.add(path, ErrorCode::RequestIpAddress, "must be an IPv4 or IPv6 address such as 203.0.113.7")
        }
        Rule::IpAddress => {}
        Rule::Url if !absolute_url(value) => problems.add(path, ErrorCode::RequestUrl, "must be an absolute http:// or https:// URL without spaces"),
        Rule::Url => {}
        Rule::Date if !real_date(value, DateOrder::YearMonthDay, context.today) => {
            problems.add(path, ErrorCode::RequestDate, "must be a real date as yyyyMMdd")
        }
        Rule::Date => {}
        Rule::CardNumber => problems.verdict(path, card::validate_number(value).verdict),
        Rule::SecurityCode => problems.verdict(path, card::validate_cvv(value, context.brand.map(BrandId::brand))),
        Rule::Month if !digits || !(1..=12).contains(&value.parse::<u32>().unwrap_or(0)) => {
            problems.add(path, ErrorCode::RequestRange, "must be a month from 1 to 12")
        }
        Rule::Month => {}
        Rule::OneOf(allowed) if !allowed.contains(&value) => {
            problems.add(path, ErrorCode::RequestRange, format!("must be one of {}", allowed.join(", ")))
        }
        Rule::OneOf(_) => {}
    }
}

/// `http://` or `https://`, a host, and no white space or control characters.
fn absolute_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/')) && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

const CARD_KEYS: [&str; 4] = ["creditCardNumber", "cardPrintedName", "expireMonth", "expireYear"];

/// The card, `cardRecurringPaymentId` or `recurringPaymentId`: exactly one. The CVV goes with
/// the card and the card reference; the expiry must not have passed.
fn source_of_funds(problems: &mut Problems, request: &V2SaleRequest, today: YearMonth) {
    let card = [&request.credit_card_number, &request.card_printed_name, &request.expire_month, &request.expire_year];
    let has_card = card.iter().any(|value| value.is_some());
    let sources = [
        ("creditCardNumber", has_card),
        ("cardRecurringPaymentId", request.card_recurring_payment_id.is_some()),
        ("recurringPaymentId", request.recurring_payment_id.is_some()),
    ];
    let given: Vec<&str> = sources.iter().filter(|(_, given)| *given).map(|(key, _)| *key).collect();
    match given.as_slice() {
        [] => problems.add(
            "creditCardNumber",
            ErrorCode::RequestExclusive,
            "give the card (creditCardNumber, cardPrintedName, expireMonth, expireYear), cardRecurringPaymentId or recurringPaymentId",
        ),
        [_] => {}
        [_, second, ..] => problems.add(second, ErrorCode::RequestExclusive, "give only one of the card, cardRecurringPaymentId and recurringPaymentId"),
    }
    if has_card {
        for (key, value) in CARD_KEYS.into_iter().zip(card) {
            problems.required(key, value);
        }
        let number = |value: &Option<String>| value.as_deref().and_then(|text| text.trim().parse::<u32>().ok());
        if let Some(expiry) = number(&request.expire_year).zip(number(&request.expire_month)).and_then(|(year, month)| YearMonth::new(year, month)) {
            problems.verdict("expireYear", card::expiry::check_month(expiry, today));
        }
    }
    if request.recurring_payment_id.is_none() && request.cvv2.is_none() {
        problems.add("cvv2", ErrorCode::RequestRequired, "is required with the card and with cardRecurringPaymentId");
    }
}

/// `redirectUrl`, or `redirectSuccessUrl` with `redirectFailUrl`, not both.
fn redirects(problems: &mut Problems, request: &V2SaleRequest) {
    let (success, fail) = (&request.redirect_success_url, &request.redirect_fail_url);
    if request.redirect_url.is_some() && (success.is_some() || fail.is_some()) {
        problems.add("redirectUrl", ErrorCode::RequestExclusive, "give redirectUrl or redirectSuccessUrl with redirectFailUrl, not both");
    } else if success.is_some() != fail.is_some() {
        let missing = if success.is_none() { "redirectSuccessUrl" } else { "redirectFailUrl" };
        problems.add(missing, ErrorCode::RequestRequired, "redirectSuccessUrl and redirectFailUrl go together");
    }
}

/// `ipaddress` comes from `ipAddress` or from the browser data; given in both, they must agree.
fn ip_address(problems: &mut Problems, request: &V2SaleRequest) {
    let browser_ip = request.browser.as_ref().and_then(|browser| browser.ip_address.as_deref());
    match (request.ip_address.as_deref(), browser_ip) {
        (None, None) => problems.add("ipAddress", ErrorCode::RequestRequired, "is required (here or as browser.ipAddress)"),
        (Some(top), Some(browser)) if top.trim() != browser.trim() => {
            problems.add("browser.ipAddress", ErrorCode::RequestMismatch, "differs from ipAddress; give the payer's address once")
        }
        _ => {}
    }
}

fn amount_limits(problems: &mut Problems, request: &V2SaleRequest, exponent: Option<u32>) {
    let minor = |value: &Option<String>| minor_units(value.as_deref()?.trim(), exponent?);
    if let (Some(minimum), Some(maximum)) = (minor(&request.minimum_transaction_amount), minor(&request.maximum_transaction_amount)) {
        if minimum > maximum {
            problems.add("maximumTransactionAmount", ErrorCode::RequestRange, "must not be less than minimumTransactionAmount");
        }
    }
}

/// The browser data: the 3-D Secure fields a merchant sends are required together, and the
/// screen, colour and time-zone fields too when JavaScript is enabled.
fn browser_fields(problems: &mut Problems, browser: &BrowserInfo) {
    let javascript = problems.required("browser.javascriptEnabled", &browser.javascript_enabled).copied();
    problems.required_text("browser.acceptHeader", &browser.accept_header, 1, MAX_HEADER_LENGTH);
    problems.required_text("browser.userAgent", &browser.user_agent, 1, MAX_HEADER_LENGTH);
    if let Some(language) = problems.required_text("browser.acceptLanguage", &browser.accept_language, 1, MAX_LANGUAGE_LENGTH) {
        if !is_well_formed_language(language) {
            problems.add("browser.acceptLanguage", ErrorCode::RequestLanguage, "must be a BCP 47 language tag such as en-US");
        }
    }
    if javascript == Some(true) {
        problems.required("browser.colorDepth", &browser.color_depth);
        problems.required("browser.javaEnabled", &browser.java_enabled);
        problems.required("browser.screenHeight", &browser.screen_height);
        problems.required("browser.screenWidth", &browser.screen_width);
        problems.required("browser.timeZone", &browser.time_zone);
    }
    if browser.color_depth.is_some_and(|depth| !EMV_COLOR_DEPTHS.contains(&depth)) {
        problems.add("browser.colorDepth", ErrorCode::RequestRange, "must be one of 1, 4, 8, 15, 16, 24, 32, 48");
    }
    for (path, size) in [("browser.screenHeight", browser.screen_height), ("browser.screenWidth", browser.screen_width)] {
        if size.is_some_and(|size| size > MAX_SCREEN_SIZE) {
            problems.add(path, ErrorCode::RequestRange, "must be from 0 to 999999");
        }
    }
    if browser.time_zone.is_some_and(|offset| !TIME_ZONE_RANGE.contains(&offset)) {
        problems.add("browser.timeZone", ErrorCode::RequestRange, "must be minutes from -840 to 720, positive west of UTC");
    }
    if let Some(ip) = &browser.ip_address {
        if ip.trim().parse::<IpAddr>().is_err() {
            problems.add("browser.ipAddress", ErrorCode::RequestIpAddress, "must be an IPv4 or IPv6 address such as 203.0.113.7");
        }
    }
}

/// The seed's form name for an error path (`creditCardNumber` → `credit_card_number`,
/// `browser.colorDepth` → `customer_browser_color_depth`), so a server can answer in the
/// gateway's terms.
pub fn wire_name(path: &str) -> Option<&'static str> {
    match path.strip_prefix("browser.") {
        Some(key) => BrowserInfo::wire_name(key),
        None => parameter(path).map(|parameter| parameter.wire),
    }
}
