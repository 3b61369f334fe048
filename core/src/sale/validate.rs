//! Validation of a whole perform-sale request against the spec: every problem at once, each with
//! the field's path and a stable code. Messages never repeat the value.

use std::net::Ipv4Addr;

use super::request::*;
use crate::card::{self, BrandId, HolderInput, Input, YearMonth};
use crate::problems::{card_message, plausible_email, real_date, DateOrder, Problems};
use crate::{ErrorCode, FieldError};

/// Validates a perform-sale call: its route (`endpointId`, `invoiceId`) and its body.
/// `today` decides whether the card has expired.
pub fn validate_perform_sale(route: &SaleRoute, request: &PerformSaleRequest, today: YearMonth) -> Vec<FieldError> {
    let mut problems = Problems::default();
    route_ids(&mut problems, route);
    if let Some(consumer) = problems.required("consumer", &request.consumer) {
        consumer_fields(&mut problems, consumer, today);
    }
    if let Some(session) = problems.required("session", &request.session) {
        signed_session(&mut problems, &session.access_token, &session.nonce, &session.signature);
    }
    if let Some(source) = problems.required("sourceOfFunds", &request.source_of_funds) {
        source_of_funds(&mut problems, source, today);
    }
    if let Some(transaction) = problems.required("transaction", &request.transaction) {
        transaction_fields(&mut problems, transaction);
    }
    if let Some(location) = &request.location {
        location_fields(&mut problems, location);
    }
    if let Some(billing) = &request.billing {
        billing_fields(&mut problems, billing);
    }
    if let Some(order) = &request.order {
        for (path, value) in [
            ("order.description", &order.description),
            ("order.siteUrl", &order.site_url),
            ("order.purpose", &order.purpose),
        ] {
            problems.optional_text(path, value, 1, 128);
        }
    }
    problems.0
}

/// JavaScript's largest exactly representable integer.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The ids that become URL path segments.
fn route_ids(problems: &mut Problems, route: &SaleRoute) {
    for (path, value) in [("endpointId", &route.endpoint_id), ("invoiceId", &route.invoice_id)] {
        if let Some(id) = problems.required(path, value) {
            problems.path_segment(path, id);
        }
    }
}

/// Validates a sale-status call: its route and its two tokens.
pub fn validate_status_call(route: &SaleRoute, session: &super::StatusSession) -> Vec<FieldError> {
    let mut problems = Problems::default();
    route_ids(&mut problems, route);
    token(&mut problems, "session.accessToken", &session.access_token, 32, 128);
    token(&mut problems, "session.token", &session.token, 1, 256);
    problems.0
}

/// `session.accessToken`, `session.nonce` and `session.signature`: each 32–128 printable ASCII.
pub(crate) fn signed_session(problems: &mut Problems, access_token: &Option<String>, nonce: &Option<String>, signature: &Option<String>) {
    for (path, value) in [("session.accessToken", access_token), ("session.nonce", nonce), ("session.signature", signature)] {
        session_token(problems, path, value);
    }
}

pub(crate) fn session_token(problems: &mut Problems, path: &str, value: &Option<String>) {
    if let Some(value) = problems.required(path, value) {
        token(problems, path, value, 32, 128);
    }
}

/// A token: `min..=max` characters of printable ASCII without spaces.
pub(crate) fn token(problems: &mut Problems, path: &str, value: &str, min: usize, max: usize) {
    let Some(value) = problems.text(path, value, min, max) else { return };
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        problems.add(path, ErrorCode::RequestCharacters, "must be printable ASCII without spaces");
    }
}

/// `transaction`: the amount in minor units and the currency (perform sale, initiate sale).
pub(crate) fn transaction_fields(problems: &mut Problems, transaction: &Transaction) {
    if let Some(&amount) = problems.required("transaction.amountCentis", &transaction.amount_centis) {
        // The amount travels through JavaScript numbers: keep it exactly representable.
        if amount == 0 || amount > MAX_SAFE_INTEGER {
            problems.add("transaction.amountCentis", ErrorCode::RequestRange, "must be a whole number of minor units from 1 to 2^53 - 1");
        }
    }
    if let Some(currency) = problems.required("transaction.currency", &transaction.currency) {
        if crate::iso::currency_exponent(currency).is_none() {
            problems.add("transaction.currency", ErrorCode::RequestCurrency, "must be an ISO 4217 code in upper case, such as EUR");
        }
    }
}

/// `location`: latitude and longitude.
pub(crate) fn location_fields(problems: &mut Problems, location: &Location) {
    // Static messages: formatting an f64 would pull float printing into the wasm module.
    for (path, value, limit, message) in [
        ("location.lat", location.lat, 90.0, "must be from -90 to 90"),
        ("location.lng", location.lng, 180.0, "must be from -180 to 180"),
    ] {
        if value.is_some_and(|value| !(-limit..=limit).contains(&value)) {
            problems.add(path, ErrorCode::RequestRange, message);
        }
    }
}

/// `consumer.device`: the serial number and the IMEI.
pub(crate) fn device_fields(problems: &mut Problems, device: &Option<Device>) {
    if let Some(device) = problems.required("consumer.device", device) {
        problems.required_text("consumer.device.serialNumber", &device.serial_number, 1, 50);
        if let Some(imei) = &device.imei {
            if !(14..=16).contains(&imei.len()) || !imei.bytes().all(|b| b.is_ascii_digit()) {
                problems.add("consumer.device.imei", ErrorCode::RequestImei, "must be 14 to 16 digits");
            }
        }
    }
}

/// An IPv4 address list (`consumer.ipAddresses`).
pub(crate) fn ip_address_list(problems: &mut Problems, addresses: &Option<Vec<String>>) {
    for (index, address) in addresses.iter().flatten().enumerate() {
        let path = format!("consumer.ipAddresses[{index}]");
        if problems.text(&path, address, 7, 15).is_some() && address.parse::<Ipv4Addr>().is_err() {
            problems.add(&path, ErrorCode::RequestIpAddress, "must be an IPv4 address such as 203.0.113.7");
        }
    }
}

fn consumer_fields(problems: &mut Problems, consumer: &Consumer, today: YearMonth) {
    device_fields(problems, &consumer.device);
    if let Some(email) = problems.required_text("consumer.email", &consumer.email, 3, 128) {
        if !plausible_email(email) {
            problems.add("consumer.email", ErrorCode::RequestEmail, "must be an email address such as name@example.com");
        }
    }
    if let Some(birth_day) = &consumer.birth_day {
        if !real_date(birth_day, DateOrder::DayMonthYear, today) {
            problems.add("consumer.birthDay", ErrorCode::RequestDate, "must be a real date in the past, as ddMMyyyy");
        }
    }
    ip_address_list(problems, &consumer.ip_addresses);
}

fn source_of_funds(problems: &mut Problems, source: &SourceOfFunds, today: YearMonth) {
    match (&source.card, &source.reference) {
        (Some(card), None) => card_fields(problems, card, today),
        (None, Some(reference)) => {
            problems.required_text("sourceOfFunds.reference.clientCardId", &reference.client_card_id, 1, 128);
            if let Some(code) = problems.required("sourceOfFunds.reference.securityCode", &reference.security_code) {
                problems.verdict("sourceOfFunds.reference.securityCode", card::validate_cvv(code, None));
            }
        }
        _ => problems.add("sourceOfFunds", ErrorCode::RequestExclusive, "give exactly one of card and reference"),
    }
}

fn card_fields(problems: &mut Problems, card: &Card, today: YearMonth) {
    let mut brand = None;
    if let Some(number) = problems.required("sourceOfFunds.card.number", &card.number) {
        let result = card::validate_number(number);
        brand = result.brand;
        problems.verdict("sourceOfFunds.card.number", result.verdict);
    }
    if let Some(code) = problems.required("sourceOfFunds.card.securityCode", &card.security_code) {
        problems.verdict("sourceOfFunds.card.securityCode", card::validate_cvv(code, brand.map(BrandId::brand)));
    }
    if let Some(expiry) = problems.required("sourceOfFunds.card.expiry", &card.expiry) {
        let month = problems.required("sourceOfFunds.card.expiry.month", &expiry.month).copied();
        let year = problems.required("sourceOfFunds.card.expiry.year", &expiry.year).copied();
        if month.is_some_and(|month| !(1..=12).contains(&month)) {
            problems.add("sourceOfFunds.card.expiry.month", ErrorCode::RequestRange, "must be from 1 to 12");
        }
        if year.is_some_and(|year| !(1000..=9999).contains(&year)) {
            problems.add("sourceOfFunds.card.expiry.year", ErrorCode::RequestRange, "must be a four-digit year");
        }
        if let Some(expiry) = month.zip(year).and_then(|(month, year)| YearMonth::new(year, month)) {
            problems.verdict("sourceOfFunds.card.expiry", card::expiry::check_month(expiry, today));
        }
    }
    if let Some(holder) = problems.required("sourceOfFunds.card.holder", &card.holder) {
        let result = card::validate_holder(HolderInput {
            first_name: name_part(&holder.first_name),
            last_name: name_part(&holder.last_name),
            printed_name: name_part(&holder.printed_name),
        });
        for error in result.errors {
            let path = format!("sourceOfFunds.card.holder.{}", error.field.as_str());
            problems.add(&path, error.code, card_message(error.code));
        }
    }
}

fn name_part(value: &Option<String>) -> Input<'_> {
    value.as_deref().map_or(Input::Absent, Input::Text)
}

fn billing_fields(problems: &mut Problems, billing: &Billing) {
    if let Some(address) = &billing.address {
        problems.optional_text("billing.address.city", &address.city, 1, 100);
        if let Some(country) = &address.country {
            if !crate::iso::is_country_alpha3(country) {
                problems.add("billing.address.country", ErrorCode::RequestCountry, "must be an ISO 3166 alpha-3 code in upper case, such as DEU");
            }
        }
        problems.optional_text("billing.address.postcodeZip", &address.postcode_zip, 1, 10);
        problems.optional_text("billing.address.state", &address.state, 2, 3);
        problems.optional_text("billing.address.street", &address.street, 1, 50);
        problems.optional_text("billing.address.street2", &address.street2, 1, 50);
    }
    problems.optional_text("billing.phone", &billing.phone, 1, 20);
}
