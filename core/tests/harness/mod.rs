//! Every parser and validator of the core, driven by one arbitrary input each. Shared by the
//! property tests (`no_panic.rs`) and the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, which
//! include this file by path), so that both attack exactly the same entry points.
//!
//! Each function must return for any input; the few invariants checked here hold for every input
//! (a valid verdict is potentially valid; a formatted number keeps only digits and spaces).

use connpay_core::browser::{fit_accept_header, fit_language, is_well_formed_language, BrowserInfo, BrowserReadings};
use connpay_core::card::{self, BrandId, CardInput, HolderInput, Input, Verdict, YearMonth, BRANDS};
use connpay_core::checkout::edit::{edit_cvv, edit_expiry, edit_number, Deletion, Edit};
use connpay_core::checkout::messages::Locale;
use connpay_core::checkout::sale::{check_order, check_session};
use connpay_core::gateway::{is_safe_page, Gateway};
use connpay_core::iso::{currency_exponent, is_country_alpha2, is_country_alpha3};
use connpay_core::percent::{decode_component, form_pairs};
use connpay_core::sale::{
    check_check_sale, check_initiate_sale, check_perform_sale, check_perform_sale_call, check_status_call, wire_body, ErrorCause, Outcome,
    SaleAccepted, SaleRoute, SaleStatus,
};
use connpay_core::v2::{
    self, browser_form_fields, check_v2_sale, minor_units, parse_v2_response, parse_v2_sale_form, ControlParts, V2SaleForm,
};
use connpay_core::value::{to_json, Got};

fn today() -> YearMonth {
    YearMonth::new(2026, 11).expect("a valid month")
}

fn sound(verdict: &Verdict) {
    assert!(!verdict.valid || verdict.potentially_valid, "valid but not potentially valid: {verdict:?}");
    assert_eq!(verdict.valid, verdict.code.is_none(), "{verdict:?}");
}

/// The card fields as typed: number, expiry, CVV (each brand), holder, the whole card, and the
/// checkout's edits of each field with every caret and deletion.
pub fn card_fields(text: &str) {
    let number = card::validate_number(text);
    sound(&number.verdict);
    assert!(number.formatted.bytes().all(|b| b.is_ascii_digit() || b == b' '), "{:?}", number.formatted);
    assert!(card::format_number(text).bytes().all(|b| b.is_ascii_digit() || b == b' '));
    sound(&card::validate_expiry(text, today()).verdict);
    sound(&card::validate_cvv(text, None));
    for brand in &BRANDS {
        sound(&card::validate_cvv(text, Some(brand)));
    }
    let _ = BrandId::parse(text);
    let _ = card::detect(text.as_bytes());
    let as_input = Input::Text(text);
    let holder = HolderInput { first_name: as_input, last_name: Input::Absent, printed_name: as_input };
    sound(&card::validate_holder(holder).verdict);
    let whole = card::validate_card(CardInput { number: as_input, expiry: as_input, cvv: as_input, holder }, today());
    assert!(!whole.valid || whole.number.verdict.valid);
    for caret in [0, text.len() / 2, text.len(), text.len() + 3] {
        for deletion in [Deletion::None, Deletion::Backward, Deletion::Forward] {
            let edit = Edit { previous_digits: text.len() % 25, value: text, caret, deletion };
            for edited in [edit_number(edit), edit_expiry(edit), edit_cvv(edit, None)] {
                assert!(edited.caret <= edited.value.len());
            }
        }
    }
    let _ = Locale::parse(text);
    let _ = Deletion::of_input_type(text);
}

/// A JSON body read by the walker as each request the module, the sandbox and a merchant's
/// server read; what passes is written back out.
pub fn wire_json(bytes: &[u8]) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else { return };
    let value = &value;
    let route = SaleRoute { endpoint_id: Some("1111".into()), invoice_id: Some("INV1".into()) };
    let body = check_perform_sale(&route, &value, today());
    let call = check_perform_sale_call(&value, today());
    if call.errors.is_empty() {
        // What the walker accepted is written as JSON that reads back as valid.
        let written: serde_json::Value = serde_json::from_str(&to_json(&wire_body(&call.record))).expect("the body is JSON");
        assert_eq!(check_perform_sale(&route, &&written, today()).errors, []);
    }
    for checked in [body, call, check_initiate_sale(&value), check_check_sale(&value), check_status_call(&route, &value, today())] {
        assert!(checked.errors.iter().all(|error| !error.message.is_empty()));
    }
    let _ = check_order(&value, today(), "web-1");
    let _ = check_session(&value, today());
    let v2 = check_v2_sale(&value, today());
    if v2.errors.is_empty() {
        let form = V2SaleForm::build(&v2.record, "control");
        let parsed = parse_v2_sale_form(&form.body).expect("a built form reads back");
        let _ = ControlParts::of(&parsed.request);
    }
}

/// A gateway answer (status and body) classified as perform sale's and as sale status's.
pub fn gateway_response(status: u16, body: &str) {
    let _ = Outcome::<SaleAccepted>::classify_text(status, body);
    let _ = Outcome::<SaleStatus>::classify_text(status, body);
    let _ = ErrorCause::parse(body);
}

/// An /api/v2 answer; an /api/v2/sale form body as the sandbox reads it, then validated; an
/// amount with any exponent; currency and country codes.
pub fn v2_text(bytes: &[u8]) {
    let _ = parse_v2_response(bytes);
    let text = String::from_utf8_lossy(bytes);
    if let Ok(parsed) = parse_v2_sale_form(&text) {
        let _ = check_v2_sale(&&Got::Record(parsed.request), today());
    }
    let _ = v2::wire_name(&text);
    let _ = (currency_exponent(&text), v2::currency_exponent(&text), is_country_alpha2(&text), is_country_alpha3(&text));
    let _ = form_pairs(&text);
    let _ = decode_component(&text);
    for exponent in [0, 2, 3, u32::MAX] {
        let _ = minor_units(&text, exponent);
    }
}

/// A configured gateway URL and a 3-D Secure page URL.
pub fn urls(text: &str) {
    if let Ok(gateway) = Gateway::parse(text) {
        // What was accepted is accepted again, unchanged: normalisation is idempotent.
        assert_eq!(Gateway::parse(gateway.base_url()).as_ref(), Ok(&gateway));
    }
    let _ = is_safe_page(text);
}

/// The 3-D Secure browser fields read from the page and the merchant's server.
pub fn browser_fields(text: &str, number: f64) {
    let _ = fit_language(text);
    let _ = is_well_formed_language(text);
    let _ = fit_accept_header(text);
    let readings = BrowserReadings {
        color_depth: Some(number),
        screen_height: Some(number),
        screen_width: Some(number),
        time_zone_offset: Some(number),
        language: Some(text.to_string()),
        user_agent: Some(text.to_string()),
        java_enabled: Some(number > 0.0),
        accept_header: Some(text.to_string()),
        ip_address: Some(text.to_string()),
    };
    let info = BrowserInfo::from_readings(&readings);
    // Whatever the page read, the data collected is valid browser data (but for the user agent,
    // which is the browser's own text, sent as it is: one that is empty or has control
    // characters is refused by the walker).
    let mut browser = info.record();
    browser.set("ipAddress", Got::from("203.0.113.7"));
    browser.set("acceptHeader", Got::from("text/html"));
    let problems = connpay_core::schema::walk(
        &[v2::BROWSER],
        &&Got::Record(browser.clone()),
        connpay_core::schema::Reading { today: today(), trim: true, unknown: connpay_core::schema::Unknown::Refuse },
    );
    let problems: Vec<_> = problems.errors.into_iter().filter(|error| error.path != "userAgent").collect();
    assert_eq!(problems, [], "{browser:?}");
    let _ = browser_form_fields(&browser);
}
