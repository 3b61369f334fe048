//! Perform sale and sale status, natively: the spec's key set, every validation rule, the URL,
//! and the classification of every kind of response.

use connpay_core::card::YearMonth;
use connpay_core::checkout::attempts::Next;
use connpay_core::checkout::sale::sale_accepted;
use connpay_core::gateway::Gateway;
use connpay_core::sale::*;
use connpay_core::ErrorCode;
use serde_json::{json, Value};

use connpay_core::value::to_json;

const SPEC_EXAMPLE: &str = include_str!("fixtures/spec-request-example.json");
const REALISTIC: &str = include_str!("fixtures/perform-sale-request.json");

fn today() -> YearMonth {
    YearMonth::new(2026, 11).unwrap()
}

fn route() -> SaleRoute {
    SaleRoute { endpoint_id: Some("1111".into()), invoice_id: Some("INV-11042".into()) }
}

/// Every key path of a JSON value: `a.b.c`, arrays as `a[]`.
fn key_paths(value: &Value, prefix: &str, paths: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                paths.push(path.clone());
                key_paths(child, &path, paths);
            }
        }
        Value::Array(items) => {
            for item in items {
                key_paths(item, &format!("{prefix}[]"), paths);
            }
        }
        _ => {}
    }
}

fn sorted_paths(value: &Value) -> Vec<String> {
    let mut paths = Vec::new();
    key_paths(value, "", &mut paths);
    paths.sort();
    paths.dedup();
    paths
}

/// The realistic request as JSON, with the card (not the reference) as source of funds.
fn card_sale() -> Value {
    let mut value: Value = serde_json::from_str(REALISTIC).unwrap();
    value["sourceOfFunds"].as_object_mut().unwrap().remove("reference");
    value
}

fn errors_of(value: &Value) -> Vec<(String, ErrorCode)> {
    check_perform_sale(&route(), &value, today()).errors.into_iter().map(|error| (error.path, error.code)).collect()
}

/// A page's call: the body with its route.
fn call_of(mut value: Value) -> Value {
    value["endpointId"] = json!("1111");
    value["invoiceId"] = json!("INV-11042");
    value
}

/// Sets the value at a JSON pointer (creating nothing: the parent must exist).
fn with(mut value: Value, pointer: &str, new: Value) -> Value {
    *value.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}")) = new;
    value
}

fn without(mut value: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    value.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key).unwrap();
    value
}

#[test]
fn the_realistic_example_round_trips_with_exactly_the_specs_key_set() {
    let spec: Value = serde_json::from_str(SPEC_EXAMPLE).unwrap();
    let checked = check_perform_sale_call(&&call_of(serde_json::from_str(REALISTIC).unwrap()), today());
    let written: Value = serde_json::from_str(&to_json(&wire_body(&checked.record))).unwrap();
    assert_eq!(sorted_paths(&written), sorted_paths(&spec));
    assert_eq!(written, serde_json::from_str::<Value>(REALISTIC).unwrap());
}

#[test]
fn the_realistic_example_validates_with_a_card_or_with_a_reference() {
    assert_eq!(errors_of(&card_sale()), []);
    let full: Value = serde_json::from_str(REALISTIC).unwrap();
    let by_reference = without(full.clone(), "/sourceOfFunds/card");
    assert_eq!(errors_of(&by_reference), []);
    // The spec's example shows both; the gateway takes exactly one.
    assert_eq!(errors_of(&full), [("sourceOfFunds".to_string(), ErrorCode::RequestExclusive)]);
    assert_eq!(errors_of(&with(full, "/sourceOfFunds", json!({}))), [("sourceOfFunds".to_string(), ErrorCode::RequestExclusive)]);
}

#[test]
fn a_printed_name_may_replace_first_and_last_name() {
    let sale = with(card_sale(), "/sourceOfFunds/card/holder", json!({ "printedName": "JOHN SMITH" }));
    assert_eq!(errors_of(&sale), []);
    let mut both = card_sale();
    both["sourceOfFunds"]["card"]["holder"]["printedName"] = json!("JOHN SMITH");
    let error = [("sourceOfFunds.card.holder.printedName".to_string(), ErrorCode::HolderAmbiguous)];
    assert_eq!(errors_of(&both), error);
}

#[test]
fn every_required_field_is_reported_at_once() {
    let errors = errors_of(&json!({}));
    let paths: Vec<&str> = errors.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(paths, ["consumer", "session", "sourceOfFunds", "transaction"]);
    let mut sale = card_sale();
    for pointer in [
        "/consumer/device/serialNumber",
        "/consumer/email",
        "/session/accessToken",
        "/session/nonce",
        "/session/signature",
        "/sourceOfFunds/card/number",
        "/sourceOfFunds/card/securityCode",
        "/sourceOfFunds/card/expiry/month",
        "/sourceOfFunds/card/expiry/year",
        "/transaction/amountCentis",
        "/transaction/currency",
    ] {
        sale = without(sale, pointer);
    }
    let errors = errors_of(&sale);
    assert_eq!(errors.len(), 11, "{errors:?}");
    assert!(errors.iter().all(|(_, code)| *code == ErrorCode::RequestRequired));
    assert!(errors.contains(&("sourceOfFunds.card.expiry.month".into(), ErrorCode::RequestRequired)));
}

/// One rule per row: the field set to a value, the path and code it must give.
#[test]
fn each_field_rule() {
    let cases: &[(&str, Value, &str, ErrorCode)] = &[
        ("/consumer/device/serialNumber", json!(""), "consumer.device.serialNumber", ErrorCode::RequestLength),
        ("/consumer/device/serialNumber", json!("x".repeat(51)), "consumer.device.serialNumber", ErrorCode::RequestLength),
        ("/consumer/device/serialNumber", json!("SN\u{0}1"), "consumer.device.serialNumber", ErrorCode::RequestCharacters),
        ("/consumer/device/imei", json!("4901542032375"), "consumer.device.imei", ErrorCode::RequestImei),
        ("/consumer/device/imei", json!("49015420323751812"), "consumer.device.imei", ErrorCode::RequestImei),
        ("/consumer/device/imei", json!("49015420323751a"), "consumer.device.imei", ErrorCode::RequestImei),
        ("/consumer/email", json!("ab"), "consumer.email", ErrorCode::RequestLength),
        ("/consumer/email", json!(format!("{}@example.com", "a".repeat(120))), "consumer.email", ErrorCode::RequestLength),
        ("/consumer/email", json!("john.smith.example.com"), "consumer.email", ErrorCode::RequestEmail),
        ("/consumer/email", json!("john@localhost"), "consumer.email", ErrorCode::RequestEmail),
        ("/consumer/email", json!("jo hn@example.com"), "consumer.email", ErrorCode::RequestEmail),
        ("/consumer/email", json!("john@@example.com"), "consumer.email", ErrorCode::RequestEmail),
        ("/consumer/birthDay", json!("31021990"), "consumer.birthDay", ErrorCode::RequestDate),
        ("/consumer/birthDay", json!("29022023"), "consumer.birthDay", ErrorCode::RequestDate),
        ("/consumer/birthDay", json!("1990-02-01"), "consumer.birthDay", ErrorCode::RequestDate),
        ("/consumer/birthDay", json!("01131990"), "consumer.birthDay", ErrorCode::RequestDate),
        ("/consumer/birthDay", json!("01011850"), "consumer.birthDay", ErrorCode::RequestDate),
        ("/consumer/ipAddresses", json!(["203.0.113.7", "256.1.1.1"]), "consumer.ipAddresses[1]", ErrorCode::RequestIpAddress),
        ("/consumer/ipAddresses", json!(["1.1.1"]), "consumer.ipAddresses[0]", ErrorCode::RequestLength),
        ("/consumer/ipAddresses", json!(["2001:db8::1"]), "consumer.ipAddresses[0]", ErrorCode::RequestIpAddress),
        ("/session/accessToken", json!("x".repeat(31)), "session.accessToken", ErrorCode::RequestLength),
        ("/session/nonce", json!("x".repeat(129)), "session.nonce", ErrorCode::RequestLength),
        ("/session/signature", json!(format!("{} {}", "x".repeat(20), "y".repeat(20))), "session.signature", ErrorCode::RequestCharacters),
        ("/sourceOfFunds/card/number", json!("4538977399606733"), "sourceOfFunds.card.number", ErrorCode::NumberLuhn),
        ("/sourceOfFunds/card/number", json!("45389773"), "sourceOfFunds.card.number", ErrorCode::NumberIncomplete),
        ("/sourceOfFunds/card/number", json!("9538977399606732"), "sourceOfFunds.card.number", ErrorCode::NumberUnknownBrand),
        ("/sourceOfFunds/card/number", json!("4538x77399606732"), "sourceOfFunds.card.number", ErrorCode::NumberInvalidCharacters),
        ("/sourceOfFunds/card/securityCode", json!("1234"), "sourceOfFunds.card.securityCode", ErrorCode::CvvTooLong),
        ("/sourceOfFunds/card/securityCode", json!("12"), "sourceOfFunds.card.securityCode", ErrorCode::CvvIncomplete),
        ("/sourceOfFunds/card/securityCode", json!("12a"), "sourceOfFunds.card.securityCode", ErrorCode::CvvInvalidCharacters),
        ("/sourceOfFunds/card/expiry/month", json!(0), "sourceOfFunds.card.expiry.month", ErrorCode::RequestRange),
        ("/sourceOfFunds/card/expiry/month", json!(13), "sourceOfFunds.card.expiry.month", ErrorCode::RequestRange),
        ("/sourceOfFunds/card/expiry/year", json!(30), "sourceOfFunds.card.expiry.year", ErrorCode::RequestRange),
        ("/sourceOfFunds/card/expiry/year", json!(2025), "sourceOfFunds.card.expiry", ErrorCode::ExpiryPast),
        ("/sourceOfFunds/card/expiry/year", json!(2047), "sourceOfFunds.card.expiry", ErrorCode::ExpiryTooFar),
        ("/sourceOfFunds/card/holder/firstName", json!(" "), "sourceOfFunds.card.holder.firstName", ErrorCode::HolderEmpty),
        ("/sourceOfFunds/card/holder/lastName", json!("x".repeat(51)), "sourceOfFunds.card.holder.lastName", ErrorCode::HolderTooLong),
        ("/sourceOfFunds/card/holder/lastName", json!("1234"), "sourceOfFunds.card.holder.lastName", ErrorCode::HolderDigitsOnly),
        ("/transaction/amountCentis", json!(0), "transaction.amountCentis", ErrorCode::RequestRange),
        ("/transaction/amountCentis", json!(1u64 << 53), "transaction.amountCentis", ErrorCode::RequestRange),
        ("/transaction/currency", json!("eur"), "transaction.currency", ErrorCode::RequestCurrency),
        ("/transaction/currency", json!("EURO"), "transaction.currency", ErrorCode::RequestCurrency),
        ("/transaction/currency", json!("ABC"), "transaction.currency", ErrorCode::RequestCurrency),
        ("/location/lat", json!(90.5), "location.lat", ErrorCode::RequestRange),
        ("/location/lng", json!(-180.01), "location.lng", ErrorCode::RequestRange),
        ("/billing/address/city", json!("x".repeat(101)), "billing.address.city", ErrorCode::RequestLength),
        ("/billing/address/country", json!("DE"), "billing.address.country", ErrorCode::RequestCountry),
        ("/billing/address/country", json!("deu"), "billing.address.country", ErrorCode::RequestCountry),
        ("/billing/address/country", json!("XYZ"), "billing.address.country", ErrorCode::RequestCountry),
        ("/billing/address/postcodeZip", json!("12345678901"), "billing.address.postcodeZip", ErrorCode::RequestLength),
        ("/billing/address/state", json!("C"), "billing.address.state", ErrorCode::RequestLength),
        ("/billing/address/state", json!("CALI"), "billing.address.state", ErrorCode::RequestLength),
        ("/billing/address/street", json!("x".repeat(51)), "billing.address.street", ErrorCode::RequestLength),
        ("/billing/address/street2", json!(""), "billing.address.street2", ErrorCode::RequestLength),
        ("/billing/phone", json!("1".repeat(21)), "billing.phone", ErrorCode::RequestLength),
        ("/order/description", json!("x".repeat(129)), "order.description", ErrorCode::RequestLength),
        ("/order/siteUrl", json!(""), "order.siteUrl", ErrorCode::RequestLength),
        ("/order/purpose", json!("x".repeat(129)), "order.purpose", ErrorCode::RequestLength),
    ];
    for (pointer, value, path, code) in cases {
        let errors = errors_of(&with(card_sale(), pointer, value.clone()));
        assert_eq!(errors, [((*path).to_string(), *code)], "{pointer} = {value}");
    }
}

#[test]
fn edge_values_that_are_valid() {
    let cases: &[(&str, Value)] = &[
        ("/consumer/birthDay", json!("29022000")),
        ("/consumer/device/imei", json!("49015420323751")),
        ("/consumer/device/imei", json!("4901542032375181")),
        ("/consumer/ipAddresses", json!(["255.255.255.255", "1.1.1.1"])),
        ("/location/lat", json!(-90.0)),
        ("/location/lng", json!(180.0)),
        ("/transaction/currency", json!("RUB")),
        ("/billing/address/country", json!("RUS")),
        ("/session/nonce", json!("x".repeat(128))),
        ("/sourceOfFunds/card/number", json!("4538 9773-9960 6732")),
        ("/sourceOfFunds/card/expiry/year", json!(2026)),
    ];
    for (pointer, value) in cases {
        assert_eq!(errors_of(&with(card_sale(), pointer, value.clone())), [], "{pointer} = {value}");
    }
}

#[test]
fn wrong_types_and_unknown_fields_are_reported_with_their_path_and_no_value() {
    let cases: &[(Value, &str, ErrorCode)] = &[
        (with(card_sale(), "/sourceOfFunds/card/expiry/month", json!("12")), "sourceOfFunds.card.expiry.month", ErrorCode::RequestType),
        (with(card_sale(), "/sourceOfFunds/card/number", json!(4538977399606732u64)), "sourceOfFunds.card.number", ErrorCode::RequestType),
        (with(card_sale(), "/transaction/amountCentis", json!(10.42)), "transaction.amountCentis", ErrorCode::RequestType),
        (with(card_sale(), "/transaction/amountCentis", json!(-5)), "transaction.amountCentis", ErrorCode::RequestRange),
        (with(card_sale(), "/transaction/amountCentis", json!(1e300)), "transaction.amountCentis", ErrorCode::RequestRange),
        (with(card_sale(), "/consumer/ipAddresses", json!([null])), "consumer.ipAddresses[0]", ErrorCode::RequestType),
        (with(card_sale(), "/consumer/ipAddresses", json!([{}])), "consumer.ipAddresses[0]", ErrorCode::RequestType),
        (with(card_sale(), "/consumer/email", json!({ "toJSON": "a@b.co" })), "consumer.email", ErrorCode::RequestType),
        (with(card_sale(), "/consumer/ipAddresses", json!("203.0.113.7")), "consumer.ipAddresses", ErrorCode::RequestType),
    ];
    for (value, path, code) in cases {
        let errors = check_perform_sale(&route(), &value, today()).errors;
        assert_eq!(errors.iter().map(|error| (error.path.as_str(), error.code)).collect::<Vec<_>>(), [(*path, *code)], "{value}");
        assert!(!errors[0].message.contains("4538977399606732") && !errors[0].message.contains("12"), "{}", errors[0].message);
    }
    // A part the walker refused is reported once, with its type, not again by the rules after.
    let holder = with(card_sale(), "/sourceOfFunds/card/holder/lastName", json!(5));
    assert_eq!(errors_of(&holder), [("sourceOfFunds.card.holder.lastName".to_string(), ErrorCode::RequestType)]);
    let card = with(card_sale(), "/sourceOfFunds/card", json!("x"));
    assert_eq!(errors_of(&card), [("sourceOfFunds.card".to_string(), ErrorCode::RequestType)]);
    let mut extra = card_sale();
    extra["order"]["amount"] = json!(1);
    assert_eq!(errors_of(&extra), [("order.amount".to_string(), ErrorCode::RequestUnknownField)]);
    let mut top = card_sale();
    top["invoice"] = json!("x");
    assert_eq!(errors_of(&top), [("invoice".to_string(), ErrorCode::RequestUnknownField)]);
}

#[test]
fn route_ids_must_be_safe_path_segments() {
    let check = |endpoint: Option<&str>, invoice: Option<&str>| {
        let route = SaleRoute { endpoint_id: endpoint.map(Into::into), invoice_id: invoice.map(Into::into) };
        check_perform_sale(&route, &&card_sale(), today()).errors.into_iter().map(|e| (e.path, e.code)).collect::<Vec<_>>()
    };
    assert_eq!(check(Some("1111"), Some("INV/1?x#y")), []);
    assert_eq!(check(None, Some("INV")), [("endpointId".to_string(), ErrorCode::RequestRequired)]);
    assert_eq!(check(Some("1111"), Some("")), [("invoiceId".to_string(), ErrorCode::RequestLength)]);
    for bad in ["..", ".", "INV 1", "INV\u{e9}"] {
        assert_eq!(check(Some("1111"), Some(bad)), [("invoiceId".to_string(), ErrorCode::RequestCharacters)], "{bad}");
    }
}

#[test]
fn the_request_is_built_with_encoded_segments_and_a_normalized_body() {
    let gateway = Gateway::parse("sandbox").unwrap();
    let mut value = card_sale();
    value["sourceOfFunds"]["card"]["number"] = json!("4538 9773-9960 6732");
    value["sourceOfFunds"]["card"]["holder"]["firstName"] = json!("  John ");
    value["endpointId"] = json!("1111");
    value["invoiceId"] = json!("INV/1?x#y%");
    let checked = check_perform_sale_call(&&value, today());
    assert_eq!(checked.errors, []);
    let http = perform_sale_request(&gateway, &checked.record);
    assert_eq!(http.method, "POST");
    assert_eq!(http.url, "https://sandbox.connpay.com/paynet/dapi/v1/sale/1111/INV%2F1%3Fx%23y%25");
    assert!(http.headers.contains(&("Content-Type", "application/json")));
    let body: Value = serde_json::from_str(&http.body).unwrap();
    assert_eq!(body["sourceOfFunds"]["card"]["number"], "4538977399606732");
    assert_eq!(body["sourceOfFunds"]["card"]["holder"]["firstName"], "John");
    assert_eq!(body["transaction"], json!({ "amountCentis": 1042, "currency": "EUR" }));
}

#[test]
fn the_status_request() {
    let gateway = Gateway::parse("http://127.0.0.1:8080/").unwrap();
    let http = sale_status_request(&gateway, "1111", "INV 1", &StatusSession { access_token: "A".repeat(32), token: "T".repeat(32) });
    assert_eq!(http.url, "http://127.0.0.1:8080/paynet/dapi/v1/sale/1111/INV%201/status");
    let body: Value = serde_json::from_str(&http.body).unwrap();
    assert_eq!(body, json!({ "session": { "accessToken": "A".repeat(32), "token": "T".repeat(32) } }));
}

const SUCCESS: &str = r#"{"invoiceId":"INV-11042","session":{"token":"TOKEN-123"}}"#;

fn error_body(cause: &str) -> String {
    format!(r#"{{"error":{{"cause":"{cause}","code":"E-42","message":"refused"}},"invoiceId":"INV-11042"}}"#)
}

fn kind<T>(outcome: &Outcome<T>) -> &'static str {
    match outcome {
        Outcome::Accepted(_) => "accepted",
        Outcome::Rejected(_) => "rejected",
        Outcome::ServerError { .. } => "serverError",
        Outcome::OutcomeUnknown { .. } => "outcomeUnknown",
    }
}

#[test]
fn every_kind_of_response_gives_exactly_one_outcome() {
    let causes = [
        "INVALID_REQUEST",
        "INVALID_CONFIGURATION",
        "INTERNAL_ERROR",
        "PROCESSING_FAILED",
        "FILTERED",
        "DECLINED",
        "SERVER_FAILED",
        "SERVER_UNAVAILABLE",
        "ORDER_NOT_FOUND",
        "SOMETHING_NEW",
    ];
    let mut table: Vec<(u16, String, &str)> = vec![
        (200, SUCCESS.into(), "accepted"),
        (201, SUCCESS.into(), "accepted"),
        (500, SUCCESS.into(), "serverError"),
        (500, String::new(), "serverError"),
        (500, error_body("INTERNAL_ERROR"), "serverError"),
        (502, "<html><body>Bad Gateway</body></html>".into(), "serverError"),
        (503, String::new(), "serverError"),
        (200, "<html>oops</html>".into(), "serverError"),
        (200, r#"{"invoiceId":"INV-11042","session":{"tok"#.into(), "serverError"),
        (200, String::new(), "serverError"),
        (200, "{}".into(), "serverError"),
        (200, "null".into(), "serverError"),
        (400, "Bad Request".into(), "serverError"),
        (404, String::new(), "serverError"),
        (302, String::new(), "serverError"),
        (0, String::new(), "serverError"),
        (429, r#"{"error":{}}"#.into(), "serverError"),
    ];
    for cause in causes {
        table.push((200, error_body(cause), "rejected"));
        table.push((400, error_body(cause), "rejected"));
        table.push((403, error_body(cause), "rejected"));
    }
    for (status, body, expected) in &table {
        let outcome = Outcome::<SaleAccepted>::classify_text(*status, body);
        assert_eq!(kind(&outcome), *expected, "{status} {body}");
    }
    let unknown = Outcome::<SaleAccepted>::unknown(UnknownReason::Timeout);
    assert_eq!(kind(&unknown), "outcomeUnknown");
    assert_eq!(sale_accepted(&unknown).map_err(Next::after), Err(Next::Merchant), "never a retry");
}

#[test]
fn outcomes_carry_the_gateways_fields() {
    match Outcome::<SaleAccepted>::classify_text(200, SUCCESS) {
        Outcome::Accepted(accepted) => {
            assert_eq!(accepted.invoice_id, "INV-11042");
            assert_eq!(accepted.session_token, "TOKEN-123");
        }
        other => panic!("{other:?}"),
    }
    match Outcome::<SaleAccepted>::classify_text(400, &error_body("SOMETHING_NEW")) {
        Outcome::Rejected(fail) => {
            assert_eq!(fail.error.cause, ErrorCause::Other("SOMETHING_NEW".into()));
            assert_eq!(fail.error.code.as_deref(), Some("E-42"));
            assert_eq!(fail.error.message.as_deref(), Some("refused"));
            assert_eq!(fail.invoice_id.as_deref(), Some("INV-11042"));
        }
        other => panic!("{other:?}"),
    }
    match Outcome::<SaleAccepted>::classify_text(200, &error_body("PROCESSING_FAILED")) {
        Outcome::Rejected(fail) => assert_eq!(fail.error.cause, ErrorCause::ProcessingFailed),
        other => panic!("{other:?}"),
    }
    match Outcome::<SaleAccepted>::classify_text(500, &error_body("INTERNAL_ERROR")) {
        Outcome::ServerError { status: 500, error: Some(error) } => assert_eq!(error.cause, ErrorCause::InternalError),
        other => panic!("{other:?}"),
    }
}

fn status_body(state: &str, redirect: Option<&str>) -> String {
    let mut body = json!({ "invoiceId": "INV-11042", "session": { "token": "TOKEN-123" }, "state": state });
    if let Some(url) = redirect {
        body["redirectUrl"] = json!(url);
    }
    if state == "APPROVED" || state == "DECLINED" {
        body["bankOrderId"] = json!("BANK-1");
        body["transaction"] = json!({ "amountCentis": 1042, "commissionCentis": 10 });
    }
    body.to_string()
}

#[test]
fn status_responses_are_classified() {
    for state in ["PROCESSING", "REDIRECT_REQUEST", "APPROVED", "DECLINED"] {
        assert_eq!(kind(&Outcome::<SaleStatus>::classify_text(200, &status_body(state, None))), "accepted", "{state}");
    }
    assert_eq!(kind(&Outcome::<SaleStatus>::classify_text(200, &status_body("MAYBE", None))), "serverError");
    assert_eq!(kind(&Outcome::<SaleStatus>::classify_text(200, &error_body("ORDER_NOT_FOUND"))), "rejected");
    assert_eq!(kind(&Outcome::<SaleStatus>::classify_text(502, "")), "serverError");
    match Outcome::<SaleStatus>::classify_text(200, &status_body("APPROVED", None)) {
        Outcome::Accepted(status) => {
            assert_eq!(status.state, SaleState::Approved);
            assert_eq!(status.bank_order_id.as_deref(), Some("BANK-1"));
            assert_eq!(status.transaction.unwrap().commission_centis, Some(10));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn polling_steps() {
    let mut poll = StatusPoll::following("INV-11042", "TOKEN-123");
    let answer = |state: &str, redirect: Option<&str>| Outcome::<SaleStatus>::classify_text(200, &status_body(state, redirect));
    assert_eq!(poll.observe(answer("PROCESSING", None)), PollStep::KeepPolling);
    assert_eq!(poll.observe(Outcome::unknown(UnknownReason::Network)), PollStep::KeepPolling);
    assert_eq!(poll.observe(Outcome::classify_text(503, "")), PollStep::KeepPolling);
    let acs = "https://acs.example.com/challenge";
    assert_eq!(poll.observe(answer("REDIRECT_REQUEST", Some(acs))), PollStep::Redirect(acs.into()));
    // The same challenge is handed over once.
    assert_eq!(poll.observe(answer("REDIRECT_REQUEST", Some(acs))), PollStep::KeepPolling);
    assert!(matches!(poll.observe(answer("APPROVED", None)), PollStep::Done(status) if status.state == SaleState::Approved));
    assert!(matches!(poll.observe(answer("DECLINED", None)), PollStep::Done(status) if status.state == SaleState::Declined));
    assert!(matches!(poll.observe(Outcome::classify_text(200, &error_body("ORDER_NOT_FOUND"))), PollStep::Stop(_)));
}

#[test]
fn polling_ignores_answers_about_another_sale() {
    let approved = |change: &dyn Fn(&mut Value)| {
        let mut body: Value = serde_json::from_str(&status_body("APPROVED", None)).unwrap();
        change(&mut body);
        Outcome::<SaleStatus>::classify_text(200, &body.to_string())
    };
    let mut poll = StatusPoll::following("INV-11042", "TOKEN-123");
    // Another invoice, another sale's token: neither is this sale's approval.
    assert_eq!(poll.observe(approved(&|body| body["invoiceId"] = json!("INV-other"))), PollStep::KeepPolling);
    assert_eq!(poll.observe(approved(&|body| body["session"]["token"] = json!("TOKEN-124"))), PollStep::KeepPolling);
    let redirect = |invoice: &str| {
        let mut body: Value = serde_json::from_str(&status_body("REDIRECT_REQUEST", Some("https://acs.example.com/x"))).unwrap();
        body["invoiceId"] = json!(invoice);
        Outcome::<SaleStatus>::classify_text(200, &body.to_string())
    };
    assert_eq!(poll.observe(redirect("INV-other")), PollStep::KeepPolling);
    assert!(matches!(poll.observe(approved(&|_| {})), PollStep::Done(status) if status.state == SaleState::Approved));
}

#[test]
fn a_call_splits_into_route_and_body() {
    let mut value = card_sale();
    value["endpointId"] = json!("1111");
    value["invoiceId"] = json!("INV-11042");
    let checked = check_perform_sale_call(&&value, today());
    assert_eq!((checked.record.text("endpointId"), checked.record.text("invoiceId")), (Some("1111"), Some("INV-11042")));
    assert_eq!(serde_json::from_str::<Value>(&to_json(&wire_body(&checked.record))).unwrap(), card_sale());
    value["extra"] = json!(true);
    let errors = check_perform_sale_call(&&value, today()).errors;
    assert_eq!(
        errors.iter().map(|error| (error.path.as_str(), error.code)).collect::<Vec<_>>(),
        [("extra", ErrorCode::RequestUnknownField)]
    );
}

#[test]
fn status_calls_are_validated() {
    let session = |access: &str, token: &str| json!({ "accessToken": access, "token": token });
    assert_eq!(check_status_call(&route(), &&session(&"A".repeat(32), "TOKEN-123"), today()).errors, []);
    let errors = check_status_call(&SaleRoute::default(), &&session("short", ""), today()).errors;
    let paths: Vec<&str> = errors.iter().map(|error| error.path.as_str()).collect();
    assert_eq!(paths, ["endpointId", "invoiceId", "session.accessToken", "session.token"]);
}

#[test]
fn a_request_of_many_unknown_keys_reports_at_most_max_problems_the_first_in_its_order() {
    let mut sale = card_sale();
    let device = sale.pointer_mut("/consumer/device").and_then(Value::as_object_mut).unwrap();
    for index in 0..50_000 {
        device.insert(format!("k{index:05}"), json!(0));
    }
    let errors = errors_of(&sale);
    assert_eq!(errors.len(), connpay_core::MAX_PROBLEMS);
    assert_eq!(errors[0], ("consumer.device.k00000".to_string(), ErrorCode::RequestUnknownField));
    assert!(errors.iter().all(|(_, code)| *code == ErrorCode::RequestUnknownField));
}
