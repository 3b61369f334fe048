//! /api/v2/sale as data: every parameter a row, with its JavaScript key, its form name and the
//! rules of the gateway's documentation of the call; the browser data; and the rules across parameters.

use crate::browser::{MAX_HEADER_LENGTH, MAX_LANGUAGE_LENGTH, MAX_SCREEN_SIZE, TIME_ZONE_RANGE};
use crate::card::{self, BrandId, YearMonth};
use crate::problems::Problems;
use crate::schema::{boolean, in_table_order, integer, object, text, walk, Checked, Field, Necessity::*, Reading, Rule, Unknown};
use crate::value::{Record, Value};
use crate::ErrorCode;

use super::form::{currency_exponent, minor_units};

/// EMV's authentication types `01`–`04` and the directory servers' `80`–`99`.
const AUTHENTICATION_TYPES: &[&str] = &[
    "01", "02", "03", "04", "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95", "96", "97",
    "98", "99",
];

/// Every text parameter of /api/v2/sale, in its documentation's order (the browser data is
/// [`BROWSER`]; `control` is given apart).
pub const PARAMETERS: &[Field] = &[
    text("clientOrderId", Required, 1, 128, Rule::Any).wire("client_orderid"),
    text("orderDesc", Required, 1, 65536, Rule::Any).wire("order_desc"),
    text("amount", Required, 1, 10, Rule::Amount),
    text("currency", Required, 3, 3, Rule::CurrencyWithMinorUnits),
    text("address1", Required, 1, 50, Rule::Any),
    text("city", Required, 1, 50, Rule::Any),
    text("zipCode", Required, 1, 10, Rule::Any).wire("zip_code"),
    text("country", Required, 2, 2, Rule::CountryAlpha2),
    text("phone", Required, 1, 15, Rule::Any),
    text("email", Required, 3, 50, Rule::Email),
    // Required here or as `browser.ipAddress`.
    text("ipAddress", Conditional, 3, 45, Rule::IpAddress).wire("ipaddress"),
    // Required unless `recurringPaymentId` is given.
    text("cvv2", Conditional, 3, 4, Rule::SecurityCode),
    // The card: number, printed name and expiry together, unless a reference is given.
    text("creditCardNumber", Conditional, 1, 23, Rule::CardNumber).wire("credit_card_number"),
    text("cardRecurringPaymentId", Conditional, 1, 20, Rule::Digits).wire("card_recurring_payment_id"),
    text("cardPrintedName", Conditional, 1, 128, Rule::Any).wire("card_printed_name"),
    text("expireMonth", Conditional, 1, 2, Rule::MonthText).wire("expire_month"),
    text("expireYear", Conditional, 4, 4, Rule::Digits).wire("expire_year"),
    text("firstName", Required, 1, 50, Rule::Any).wire("first_name"),
    text("lastName", Required, 1, 50, Rule::Any).wire("last_name"),
    // Required for US, CA and AU.
    text("state", Conditional, 2, 3, Rule::Any),
    // `redirectUrl`, or the success/fail pair.
    text("redirectUrl", Optional, 1, 1024, Rule::Url).wire("redirect_url"),
    text("redirectSuccessUrl", Optional, 1, 1024, Rule::Url).wire("redirect_success_url"),
    text("redirectFailUrl", Optional, 1, 1024, Rule::Url).wire("redirect_fail_url"),
    text("ssn", Optional, 1, 32, Rule::Digits),
    text("birthday", Optional, 8, 8, Rule::PastDateYmd),
    text("cellPhone", Optional, 1, 15, Rule::Any).wire("cell_phone"),
    text("siteUrl", Optional, 1, 128, Rule::Url).wire("site_url"),
    text("purpose", Optional, 1, 128, Rule::Any),
    text("serverCallbackUrl", Optional, 1, 1024, Rule::Url).wire("server_callback_url"),
    text("merchantData", Optional, 1, 65536, Rule::Any).wire("merchant_data"),
    text("dapiImei", Optional, 1, 32, Rule::Any).wire("dapi_imei"),
    text("minimumTransactionAmount", Optional, 1, 10, Rule::Amount).wire("minimum_transaction_amount"),
    text("maximumTransactionAmount", Optional, 1, 10, Rule::Amount).wire("maximum_transaction_amount"),
    text("customerLevel", Optional, 1, 32, Rule::Any).wire("customer_level"),
    text("customerId", Optional, 1, 10, Rule::Digits).wire("customer_id"),
    text("merchantCustomerIdentifier", Optional, 1, 64, Rule::Any).wire("merchant_customer_identifier"),
    // Instead of the card and its CVV.
    text("recurringPaymentId", Conditional, 1, 20, Rule::Digits).wire("recurring-payment-id"),
    // 3-D Secure done by a payment institution.
    text("tdsAreqNotificationUrl", Optional, 1, 256, Rule::Url).wire("tds_areq_notification_url"),
    text("tdsAuthenticationResultType", Optional, 1, 6, Rule::OneOf(&["SIMPLE"])).wire("tds_authentication_result_type"),
    text("tdsAuthenticationResultAuthenticationType", Optional, 2, 2, Rule::OneOf(AUTHENTICATION_TYPES))
        .wire("tds_authentication_result_authentication_type"),
    text("tdsAuthenticationResultAuthenticationValue", Optional, 19, 28, Rule::Any).wire("tds_authentication_result_authentication_value"),
    text("tdsAuthenticationResultTransactionId", Optional, 19, 36, Rule::Any).wire("tds_authentication_result_transaction_id"),
    text("tdsAuthenticationResultTransactionStatus", Optional, 1, 1, Rule::OneOf(&["Y", "N", "U", "A", "C", "D", "R"]))
        .wire("tds_authentication_result_transaction_status"),
    text("tdsAuthenticationResultMessageVersion", Optional, 5, 5, Rule::OneOf(&["1.0.2", "2.1.0", "2.2.0"]))
        .wire("tds_authentication_result_message_version"),
];

/// The payer's 3-D Secure browser data (`customer_browser_*`), as `collectBrowserInfo` returns
/// it. The screen, colour, Java and time-zone fields are required when JavaScript is enabled.
pub const BROWSER: &[Field] = &[
    text("ipAddress", Optional, 0, 0, Rule::IpAddress).wire("ipaddress"),
    text("acceptHeader", Required, 1, MAX_HEADER_LENGTH as i64, Rule::Any).wire("customer_browser_accept_header"),
    boolean("javascriptEnabled", Required).wire("customer_browser_javascript_enabled"),
    text("acceptLanguage", Required, 1, MAX_LANGUAGE_LENGTH as i64, Rule::Language).wire("customer_browser_accept_language"),
    text("userAgent", Required, 1, MAX_HEADER_LENGTH as i64, Rule::Any).wire("customer_browser_user_agent"),
    Field { rule: Rule::OneOfNumbers(&crate::browser::EMV_COLOR_DEPTHS), ..integer("colorDepth", Conditional, 0, 0) }
        .wire("customer_browser_color_depth"),
    boolean("javaEnabled", Conditional).wire("customer_browser_java_enabled"),
    integer("screenHeight", Conditional, 0, MAX_SCREEN_SIZE as i64).wire("customer_browser_screen_height"),
    integer("screenWidth", Conditional, 0, MAX_SCREEN_SIZE as i64).wire("customer_browser_screen_width"),
    integer("timeZone", Conditional, *TIME_ZONE_RANGE.start() as i64, *TIME_ZONE_RANGE.end() as i64).wire("customer_browser_time_zone"),
];

/// Where the form goes (exactly one of the two), and the browser data beside the parameters.
pub const ROUTE_AND_BROWSER: &[Field] = &[
    text("endpointId", Conditional, 1, 128, Rule::Segment),
    text("endpointGroupId", Conditional, 1, 128, Rule::Segment),
    object("browser", Optional, BROWSER),
];

/// Reads and validates a /api/v2/sale request; `today` decides whether the card has expired.
/// Text is trimmed first, as the gateway trims it.
pub fn check_v2_sale<V: Value>(request: &V, today: YearMonth) -> Checked {
    let reading = Reading { today, trim: true, unknown: Unknown::Refuse };
    let mut checked = walk(&[ROUTE_AND_BROWSER, PARAMETERS], request, reading);
    if checked.errors.iter().any(|error| error.path.is_empty()) {
        // Not an object at all: that is the one problem.
        return checked;
    }
    let mut problems = Problems(std::mem::take(&mut checked.errors));
    let request = &checked.record;
    if given(&problems, request, "endpointId") == given(&problems, request, "endpointGroupId") {
        problems.add("endpointId", ErrorCode::RequestExclusive, "give exactly one of endpointId and endpointGroupId");
    }
    let exponent = request.text("currency").and_then(currency_exponent);
    amounts(&mut problems, request, exponent);
    let brand = request.text("creditCardNumber").and_then(|number| card::validate_number(number).brand);
    if let Some(code) = request.text("cvv2") {
        problems.verdict("cvv2", card::validate_cvv(code, brand.map(BrandId::brand)));
    }
    source_of_funds(&mut problems, request, today);
    if ["US", "CA", "AU"].contains(&request.text("country").unwrap_or("")) && !given(&problems, request, "state") {
        problems.add("state", ErrorCode::RequestRequired, "is required when the country is US, CA or AU");
    }
    redirects(&mut problems, request);
    ip_address(&mut problems, request);
    if let Some(browser) = request.record("browser") {
        if browser.flag("javascriptEnabled") == Some(true) {
            for key in ["colorDepth", "javaEnabled", "screenHeight", "screenWidth", "timeZone"] {
                if !browser.has(key) {
                    problems.add(&format!("browser.{key}"), ErrorCode::RequestRequired, "is required when JavaScript is enabled");
                }
            }
        }
    }
    checked.errors = problems.0;
    in_table_order(&mut checked.errors, &[ROUTE_AND_BROWSER, PARAMETERS]);
    checked
}

/// Whether `key` was given: read, or refused by the walker (present, but of the wrong kind or
/// unreadable), so that a rule across fields never calls it missing as well.
fn given(problems: &Problems, request: &Record, key: &str) -> bool {
    request.has(key) || problems.has(key)
}

/// Each amount in the currency's minor units, and the limits in order.
fn amounts(problems: &mut Problems, request: &Record, exponent: Option<u32>) {
    // Without a valid currency the decimals are unknown; the currency's own error says why.
    let Some(exponent) = exponent else { return };
    let mut minor = [None; 3];
    for (slot, key) in minor.iter_mut().zip(["amount", "minimumTransactionAmount", "maximumTransactionAmount"]) {
        // An amount the walker refused (too long, control characters) has its problem already.
        let Some(amount) = request.text(key).filter(|_| !problems.has(key)) else { continue };
        *slot = minor_units(amount, exponent);
        match *slot {
            Some(0) => problems.add(key, ErrorCode::RequestRange, "must be more than zero"),
            Some(_) => {}
            None => problems.add(
                key,
                ErrorCode::RequestAmount,
                format!("must be an amount in major units such as 10.42, with at most {exponent} decimals for this currency"),
            ),
        }
    }
    if let [_, Some(minimum), Some(maximum)] = minor {
        if minimum > maximum {
            problems.add("maximumTransactionAmount", ErrorCode::RequestRange, "must not be less than minimumTransactionAmount");
        }
    }
}

const CARD_KEYS: [&str; 4] = ["creditCardNumber", "cardPrintedName", "expireMonth", "expireYear"];

/// The card, `cardRecurringPaymentId` or `recurringPaymentId`: exactly one. The CVV goes with
/// the card and the card reference; the expiry must not have passed.
fn source_of_funds(problems: &mut Problems, request: &Record, today: YearMonth) {
    let has_card = CARD_KEYS.iter().any(|key| given(problems, request, key));
    let sources = [
        ("creditCardNumber", has_card),
        ("cardRecurringPaymentId", given(problems, request, "cardRecurringPaymentId")),
        ("recurringPaymentId", given(problems, request, "recurringPaymentId")),
    ];
    let chosen: Vec<&str> = sources.iter().filter(|(_, chosen)| *chosen).map(|(key, _)| *key).collect();
    match chosen.as_slice() {
        [] => problems.add(
            "creditCardNumber",
            ErrorCode::RequestExclusive,
            "give the card (creditCardNumber, cardPrintedName, expireMonth, expireYear), cardRecurringPaymentId or recurringPaymentId",
        ),
        [_] => {}
        [_, second, ..] => {
            problems.add(second, ErrorCode::RequestExclusive, "give only one of the card, cardRecurringPaymentId and recurringPaymentId");
        }
    }
    if has_card {
        for key in CARD_KEYS {
            if !given(problems, request, key) {
                problems.add(key, ErrorCode::RequestRequired, "is required with the card");
            }
        }
        let number = |key: &str| request.text(key).and_then(|text| text.parse::<u32>().ok());
        if let Some((year, month)) = number("expireYear").zip(number("expireMonth")) {
            match YearMonth::new(year, month) {
                Some(expiry) => problems.verdict("expireYear", card::expiry::check_month(expiry, today)),
                // Four digits, but no year a card expires in (`0030`).
                None if !problems.has("expireMonth") => {
                    problems.add("expireYear", ErrorCode::RequestRange, "must be a four-digit year, such as 2030");
                }
                None => {}
            }
        }
    }
    if !given(problems, request, "recurringPaymentId") && !given(problems, request, "cvv2") {
        problems.add("cvv2", ErrorCode::RequestRequired, "is required with the card and with cardRecurringPaymentId");
    }
}

/// `redirectUrl`, or `redirectSuccessUrl` with `redirectFailUrl`, not both.
fn redirects(problems: &mut Problems, request: &Record) {
    let (success, fail) = (given(problems, request, "redirectSuccessUrl"), given(problems, request, "redirectFailUrl"));
    if given(problems, request, "redirectUrl") && (success || fail) {
        problems.add("redirectUrl", ErrorCode::RequestExclusive, "give redirectUrl or redirectSuccessUrl with redirectFailUrl, not both");
    } else if success != fail {
        let missing = if success { "redirectFailUrl" } else { "redirectSuccessUrl" };
        problems.add(missing, ErrorCode::RequestRequired, "redirectSuccessUrl and redirectFailUrl go together");
    }
}

/// `ipaddress` comes from `ipAddress` or from the browser data; given in both, they must agree.
fn ip_address(problems: &mut Problems, request: &Record) {
    match (request.text("ipAddress"), request.text("browser.ipAddress")) {
        // Given, but refused (or inside a browser data that was): its own problem says so.
        (None, None) if ["ipAddress", "browser", "browser.ipAddress"].iter().any(|key| problems.has(key)) => {}
        (None, None) => problems.add("ipAddress", ErrorCode::RequestRequired, "is required (here or as browser.ipAddress)"),
        (Some(top), Some(browser)) if top != browser && !problems.has("ipAddress") => {
            problems.add("browser.ipAddress", ErrorCode::RequestMismatch, "differs from ipAddress; give the payer's address once");
        }
        _ => {}
    }
}

/// The /api/v2/sale form name for an error path (`creditCardNumber` → `credit_card_number`,
/// `browser.colorDepth` → `customer_browser_color_depth`), so a server can answer in the
/// gateway's terms.
pub fn wire_name(path: &str) -> Option<&'static str> {
    let (table, key) = match path.strip_prefix("browser.") {
        Some(key) => (BROWSER, key),
        None => (PARAMETERS, path),
    };
    table.iter().find(|field| field.key == key).map(|field| field.wire)
}
