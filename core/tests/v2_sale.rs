//! /api/v2/sale natively: its documentation's examples read, validated, rebuilt and read back; every
//! either-or rule; the signing string's parts; the response parser; and no panic on any input.

use connpay_core::browser::{BrowserInfo, BrowserReadings};
use connpay_core::card::YearMonth;
use connpay_core::schema::{Necessity, Rule};
use connpay_core::v2::*;
use connpay_core::value::{Got, Record};
use connpay_core::ErrorCode;
use proptest::prelude::*;

const SEED_EXAMPLE: &str = include_str!("fixtures/v2-sale-example.txt");
const SEED_RECURRING_EXAMPLE: &str = include_str!("fixtures/v2-sale-recurring-example.txt");
const SEED_ASYNC_RESPONSE: &str = include_str!("fixtures/v2-response-async.txt");
const SEED_VALIDATION_ERROR: &str = include_str!("fixtures/v2-response-validation-error.txt");

fn today() -> YearMonth {
    YearMonth::new(2026, 11).unwrap()
}

/// The documentation's example with card data, read as the gateway reads it, on endpoint 39529.
fn seed_example() -> Record {
    let parsed = parse_v2_sale_form(SEED_EXAMPLE).expect("the seed's example reads");
    assert_eq!(parsed.control.as_deref(), Some("c821e33bd22773c05c23725d0b1d2dbd9f191399"));
    set(parsed.request, &[("endpointId", Some("39529".into()))])
}

/// `request` with each key set to its text, or removed.
fn set(mut request: Record, changes: &[(&'static str, Option<String>)]) -> Record {
    for (key, value) in changes {
        match value {
            Some(value) => request.set(key, Got::Text(value.clone())),
            None => drop(request.take(key)),
        }
    }
    request
}

/// `request` with the browser data `browser` and no top-level `ipAddress`.
fn with_browser(request: Record, browser: Record) -> Record {
    let mut request = set(request, &[("ipAddress", None)]);
    request.set("browser", Got::Record(browser));
    request
}

/// The same keys and values, in any order.
fn same(a: &Record, b: &Record) -> bool {
    let sorted = |record: &Record| {
        let mut entries: Vec<String> = record.0.iter().map(|entry| format!("{entry:?}")).collect();
        entries.sort();
        entries
    };
    sorted(a) == sorted(b)
}

fn browser() -> BrowserInfo {
    BrowserInfo::from_readings(&BrowserReadings {
        color_depth: Some(30.0),
        screen_height: Some(1080.0),
        screen_width: Some(1920.0),
        time_zone_offset: Some(300.0),
        language: Some("en-US".into()),
        user_agent: Some("Mozilla/5.0 (X11; Linux x86_64)".into()),
        java_enabled: Some(false),
        accept_header: Some("text/html,application/xhtml+xml,*/*;q=0.8".into()),
        ip_address: Some("65.153.12.232".into()),
    })
}

fn codes_at(request: &Record) -> Vec<(String, ErrorCode)> {
    check_v2_sale(&&Got::Record(request.clone()), today()).errors.into_iter().map(|error| (error.path, error.code)).collect()
}

fn assert_problem(request: &Record, path: &str, code: ErrorCode) {
    let problems = codes_at(request);
    assert!(problems.contains(&(path.to_string(), code)), "expected {path} {code:?}, got {problems:?}");
}

#[test]
fn the_seed_example_reads_with_the_gateway_decoding() {
    let request = seed_example();
    assert_eq!(request.text("creditCardNumber"), Some("4538977399606732"));
    assert_eq!(request.text("orderDesc"), Some("Test Order Описание"));
    assert_eq!(request.text("address1"), Some("100 Main st"));
    assert_eq!(request.text("amount"), Some("156"));
    assert_eq!(request.text("expireMonth"), Some("01"));
    assert_eq!(request.text("redirectUrl"), Some("http://https://doc.connpay.com//doc/dummy.htm"));
    // The documentation writes `+` unescaped although it asks for `+` to be escaped: form decoding reads
    // it as a space, which the gateway trims. The module's own forms escape it (%2B).
    assert_eq!(request.text("phone"), Some("12063582043"));
    assert_eq!(codes_at(&request), []);
}

#[test]
fn the_v2_form_of_the_seed_example_reads_back_to_the_same_request() {
    for request in [seed_example(), with_browser(seed_example(), browser().record())] {
        assert_eq!(codes_at(&request), []);
        let form = V2SaleForm::build(&request, "c821e33bd22773c05c23725d0b1d2dbd9f191399");
        assert_eq!(form.path, "/paynet/api/v2/sale/39529");
        let parsed = parse_v2_sale_form(&form.body).expect("the module's form reads back");
        assert_eq!(parsed.control.as_deref(), Some("c821e33bd22773c05c23725d0b1d2dbd9f191399"));
        // Reading moves the browser's `ipaddress` to `ipAddress`, where the form keeps it.
        let mut expected = request.clone();
        if let Some(Got::Record(mut browser)) = expected.take("browser") {
            if let Some(ip) = browser.take("ipAddress") {
                expected.set("ipAddress", ip);
            }
            expected.set("browser", Got::Record(browser));
        }
        let read = set(parsed.request, &[("endpointId", Some("39529".into()))]);
        assert!(same(&read, &expected), "{read:?}\n{expected:?}");
    }
}

#[test]
fn the_form_escapes_every_value_and_sends_the_card_as_digits() {
    let request = set(
        seed_example(),
        &[
            ("creditCardNumber", Some("4538 9773 9960 6732".into())),
            ("expireMonth", Some("1".into())),
            ("phone", Some("+12063582043".into())),
            ("orderDesc", Some("Tea & cake + 10.5% = joy".into())),
        ],
    );
    assert_eq!(codes_at(&request), []);
    let form = V2SaleForm::build(&request, "abc");
    let field = |name: &str| form.fields.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str());
    assert_eq!(field("credit_card_number"), Some("4538977399606732"));
    assert_eq!(field("expire_month"), Some("01"));
    assert_eq!(form.fields.last(), Some(&("control", "abc".to_string())));
    assert!(form.body.contains("&phone=%2B12063582043&"), "{}", form.body);
    assert!(form.body.contains("order_desc=Tea%20%26%20cake%20%2B%2010.5%25%20%3D%20joy"), "{}", form.body);
    assert!(form.body.contains("&amount=156&"));
    assert!(!form.body.contains('\n') && !form.body.contains(' '));
}

#[test]
fn the_browser_data_becomes_the_seed_fields_once() {
    let request = with_browser(seed_example(), browser().record());
    let form = V2SaleForm::build(&request, "c");
    let names: Vec<&str> = form.fields.iter().map(|(name, _)| *name).collect();
    assert_eq!(names.iter().filter(|name| **name == "ipaddress").count(), 1);
    for name in [
        "customer_browser_info",
        "customer_browser_accept_header",
        "customer_browser_javascript_enabled",
        "customer_browser_accept_language",
        "customer_browser_user_agent",
        "customer_browser_color_depth",
        "customer_browser_java_enabled",
        "customer_browser_screen_height",
        "customer_browser_screen_width",
        "customer_browser_time_zone",
    ] {
        assert!(names.contains(&name), "{name} missing");
    }
    let field = |name: &str| form.fields.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str());
    assert_eq!(field("customer_browser_color_depth"), Some("24"));
    assert_eq!(field("customer_browser_time_zone"), Some("300"));
    assert_eq!(field("ipaddress"), Some("65.153.12.232"));
}

#[test]
fn the_recurring_example_is_read_and_needs_only_its_reference() {
    let parsed = parse_v2_sale_form(SEED_RECURRING_EXAMPLE).unwrap();
    let request = set(parsed.request, &[("endpointId", Some("39915".into()))]);
    assert_eq!(request.text("cardRecurringPaymentId"), Some("1491954"));
    // The documentation's short example leaves out fields its own table marks required.
    let missing: Vec<String> = codes_at(&request).into_iter().map(|(path, _)| path).collect();
    assert_eq!(missing, ["address1", "city", "zipCode", "country", "phone", "email", "firstName", "lastName"]);
}

#[test]
fn an_empty_request_names_every_required_parameter() {
    let problems = codes_at(&Record::default());
    for parameter in PARAMETERS.iter().filter(|parameter| parameter.necessity == Necessity::Required) {
        assert!(problems.contains(&(parameter.key.to_string(), ErrorCode::RequestRequired)), "{}", parameter.key);
    }
    for (path, code) in [
        ("endpointId", ErrorCode::RequestExclusive),
        ("creditCardNumber", ErrorCode::RequestExclusive),
        ("cvv2", ErrorCode::RequestRequired),
        ("ipAddress", ErrorCode::RequestRequired),
    ] {
        assert!(problems.contains(&(path.to_string(), code)), "{path}");
    }
}

#[test]
fn card_data_or_a_reference_but_not_both() {
    let with_reference = set(seed_example(), &[("cardRecurringPaymentId", Some("1491954".into()))]);
    assert_problem(&with_reference, "cardRecurringPaymentId", ErrorCode::RequestExclusive);
    let reference_only = set(
        seed_example(),
        &[
            ("creditCardNumber", None),
            ("cardPrintedName", None),
            ("expireMonth", None),
            ("expireYear", None),
            ("cardRecurringPaymentId", Some("1491954".into())),
        ],
    );
    assert_eq!(codes_at(&reference_only), []);
    let partial_card = set(seed_example(), &[("expireYear", None), ("cardPrintedName", None)]);
    assert_problem(&partial_card, "expireYear", ErrorCode::RequestRequired);
    assert_problem(&partial_card, "cardPrintedName", ErrorCode::RequestRequired);
    // A recurring payment id needs no CVV; a card reference does.
    let recurring =
        set(reference_only.clone(), &[("cvv2", None), ("cardRecurringPaymentId", None), ("recurringPaymentId", Some("77".into()))]);
    assert_eq!(codes_at(&recurring), []);
    let no_cvv = set(reference_only, &[("cvv2", None)]);
    assert_problem(&no_cvv, "cvv2", ErrorCode::RequestRequired);
}

#[test]
fn the_card_follows_the_card_rules() {
    for (request, path, code) in [
        (set(seed_example(), &[("creditCardNumber", Some("4538977399606733".into()))]), "creditCardNumber", ErrorCode::NumberLuhn),
        (set(seed_example(), &[("cvv2", Some("12".into()))]), "cvv2", ErrorCode::RequestLength),
        (set(seed_example(), &[("creditCardNumber", Some("378282246310005".into()))]), "cvv2", ErrorCode::CvvIncomplete),
        (set(seed_example(), &[("expireMonth", Some("13".into()))]), "expireMonth", ErrorCode::RequestRange),
        (
            set(seed_example(), &[("expireYear", Some("2026".into())), ("expireMonth", Some("10".into()))]),
            "expireYear",
            ErrorCode::ExpiryPast,
        ),
        (set(seed_example(), &[("expireYear", Some("20x6".into()))]), "expireYear", ErrorCode::RequestCharacters),
        (set(seed_example(), &[("expireYear", Some("0030".into()))]), "expireYear", ErrorCode::RequestRange),
    ] {
        assert_problem(&request, path, code);
    }
    let this_month = set(seed_example(), &[("expireYear", Some("2026".into())), ("expireMonth", Some("11".into()))]);
    assert_eq!(codes_at(&this_month), []);
}

#[test]
fn state_is_required_for_us_canada_and_australia() {
    for country in ["US", "CA", "AU"] {
        let request = set(seed_example(), &[("country", Some(country.into())), ("state", None)]);
        assert_problem(&request, "state", ErrorCode::RequestRequired);
    }
    let germany = set(seed_example(), &[("country", Some("DE".into())), ("state", None)]);
    assert_eq!(codes_at(&germany), []);
    let unknown = set(seed_example(), &[("country", Some("USA".into()))]);
    assert_problem(&unknown, "country", ErrorCode::RequestLength);
    let lower = set(seed_example(), &[("country", Some("us".into()))]);
    assert_problem(&lower, "country", ErrorCode::RequestCountry);
}

#[test]
fn redirect_url_or_the_success_and_fail_pair() {
    let url = || Some("https://shop.example/return".to_string());
    let both = set(seed_example(), &[("redirectSuccessUrl", url()), ("redirectFailUrl", url())]);
    assert_problem(&both, "redirectUrl", ErrorCode::RequestExclusive);
    let pair = set(seed_example(), &[("redirectUrl", None), ("redirectSuccessUrl", url()), ("redirectFailUrl", url())]);
    assert_eq!(codes_at(&pair), []);
    let half = set(seed_example(), &[("redirectUrl", None), ("redirectSuccessUrl", url())]);
    assert_problem(&half, "redirectFailUrl", ErrorCode::RequestRequired);
    let neither = set(seed_example(), &[("redirectUrl", None)]);
    assert_eq!(codes_at(&neither), []);
    for bad in ["javascript:alert(1)", "/relative", "https://", "https://shop.example/a b", "ftp://x.example"] {
        let request = set(seed_example(), &[("redirectUrl", Some(bad.into()))]);
        assert_problem(&request, "redirectUrl", ErrorCode::RequestUrl);
    }
}

#[test]
fn lengths_and_kinds_follow_the_seed() {
    let long = |length: usize| Some("a".repeat(length));
    for (request, path, code) in [
        (set(seed_example(), &[("clientOrderId", long(129))]), "clientOrderId", ErrorCode::RequestLength),
        (set(seed_example(), &[("address1", long(51))]), "address1", ErrorCode::RequestLength),
        (set(seed_example(), &[("zipCode", long(11))]), "zipCode", ErrorCode::RequestLength),
        (set(seed_example(), &[("phone", long(16))]), "phone", ErrorCode::RequestLength),
        (set(seed_example(), &[("email", Some(format!("{}@example.com", "a".repeat(40))))]), "email", ErrorCode::RequestLength),
        (set(seed_example(), &[("email", Some("john.smith".into()))]), "email", ErrorCode::RequestEmail),
        (set(seed_example(), &[("ipAddress", Some("65.153.12".into()))]), "ipAddress", ErrorCode::RequestIpAddress),
        (set(seed_example(), &[("orderDesc", long(65537))]), "orderDesc", ErrorCode::RequestLength),
        (set(seed_example(), &[("firstName", Some("Jo\u{7}hn".into()))]), "firstName", ErrorCode::RequestCharacters),
        (set(seed_example(), &[("currency", Some("RUR".into()))]), "currency", ErrorCode::RequestCurrency),
        (set(seed_example(), &[("currency", Some("XAU".into()))]), "currency", ErrorCode::RequestCurrency),
        (set(seed_example(), &[("amount", Some("1.555".into()))]), "amount", ErrorCode::RequestAmount),
        (set(seed_example(), &[("amount", Some("10,42".into()))]), "amount", ErrorCode::RequestAmount),
        (set(seed_example(), &[("amount", Some("0.00".into()))]), "amount", ErrorCode::RequestRange),
        (set(seed_example(), &[("amount", Some("12345678.90".into()))]), "amount", ErrorCode::RequestLength),
        (set(seed_example(), &[("birthday", Some("19820230".into()))]), "birthday", ErrorCode::RequestDate),
        (set(seed_example(), &[("ssn", Some("12-67".into()))]), "ssn", ErrorCode::RequestCharacters),
        (set(seed_example(), &[("customerId", Some("12345678901".into()))]), "customerId", ErrorCode::RequestLength),
        (set(seed_example(), &[("endpointId", Some("..".into()))]), "endpointId", ErrorCode::RequestCharacters),
        (set(seed_example(), &[("endpointGroupId", Some("7".into()))]), "endpointId", ErrorCode::RequestExclusive),
        (
            set(seed_example(), &[("minimumTransactionAmount", Some("20".into())), ("maximumTransactionAmount", Some("10.5".into()))]),
            "maximumTransactionAmount",
            ErrorCode::RequestRange,
        ),
        (
            set(seed_example(), &[("tdsAuthenticationResultTransactionStatus", Some("X".into()))]),
            "tdsAuthenticationResultTransactionStatus",
            ErrorCode::RequestRange,
        ),
        (
            set(seed_example(), &[("tdsAuthenticationResultMessageVersion", Some("2.3.0".into()))]),
            "tdsAuthenticationResultMessageVersion",
            ErrorCode::RequestRange,
        ),
        (
            set(seed_example(), &[("tdsAuthenticationResultAuthenticationType", Some("05".into()))]),
            "tdsAuthenticationResultAuthenticationType",
            ErrorCode::RequestRange,
        ),
        (
            set(seed_example(), &[("tdsAuthenticationResultAuthenticationValue", long(18))]),
            "tdsAuthenticationResultAuthenticationValue",
            ErrorCode::RequestLength,
        ),
    ] {
        assert_problem(&request, path, code);
    }
    let institution = set(
        seed_example(),
        &[
            ("tdsAuthenticationResultType", Some("SIMPLE".into())),
            ("tdsAuthenticationResultAuthenticationType", Some("02".into())),
            ("tdsAuthenticationResultAuthenticationValue", Some("AAABBBCCCDDDEEEFFFGGGHHHIII=".into())),
            ("tdsAuthenticationResultTransactionId", Some("f25084f0-5b16-4c0a-ae5d-b24808a95e4b".into())),
            ("tdsAuthenticationResultTransactionStatus", Some("Y".into())),
            ("tdsAuthenticationResultMessageVersion", Some("2.2.0".into())),
            ("tdsAreqNotificationUrl", Some("https://shop.example/3ds/cres".into())),
            ("ipAddress", Some("2001:db8::7".into())),
            ("amount", Some("1.50".into())),
            ("currency", Some("JPY".into())),
            ("endpointId", None),
            ("endpointGroupId", Some("12".into())),
        ],
    );
    assert_problem(&institution, "amount", ErrorCode::RequestAmount);
    let institution = set(institution, &[("amount", Some("150".into()))]);
    assert_eq!(codes_at(&institution), []);
    assert_eq!(V2SaleForm::build(&institution, "c").path, "/paynet/api/v2/sale/group/12");
}

#[test]
fn browser_data_is_checked_when_given() {
    let with = |changes: &[(&'static str, Option<Got>)]| {
        let mut browser = browser().record();
        for (key, value) in changes {
            match value {
                Some(value) => browser.set(key, value.clone()),
                None => drop(browser.take(key)),
            }
        }
        let mut request = seed_example();
        request.set("browser", Got::Record(browser));
        request
    };
    assert_eq!(codes_at(&with(&[("ipAddress", None)])), []);
    for (request, path, code) in [
        (with(&[("colorDepth", Some(Got::Number(30.0)))]), "browser.colorDepth", ErrorCode::RequestRange),
        (with(&[("timeZone", Some(Got::Number(900.0)))]), "browser.timeZone", ErrorCode::RequestRange),
        (with(&[("screenWidth", Some(Got::Number(1_000_000.0)))]), "browser.screenWidth", ErrorCode::RequestRange),
        (with(&[("screenWidth", Some(Got::Number(1.5)))]), "browser.screenWidth", ErrorCode::RequestType),
        (with(&[("acceptLanguage", Some(Got::from("zh-Hant-TW")))]), "browser.acceptLanguage", ErrorCode::RequestLength),
        (with(&[("acceptLanguage", Some(Got::from("en_US")))]), "browser.acceptLanguage", ErrorCode::RequestLanguage),
        (with(&[("acceptHeader", None)]), "browser.acceptHeader", ErrorCode::RequestRequired),
        (with(&[("userAgent", Some(Got::Text("u".repeat(2049))))]), "browser.userAgent", ErrorCode::RequestLength),
        (with(&[("screenHeight", None)]), "browser.screenHeight", ErrorCode::RequestRequired),
        (with(&[("ipAddress", Some(Got::from("65.153.12.233")))]), "browser.ipAddress", ErrorCode::RequestMismatch),
        (with(&[("javascriptEnabled", None)]), "browser.javascriptEnabled", ErrorCode::RequestRequired),
        (with(&[("javaEnabled", Some(Got::from("false")))]), "browser.javaEnabled", ErrorCode::RequestType),
    ] {
        assert_problem(&request, path, code);
    }
    // Without JavaScript the screen, colour, Java and time-zone fields may be left out.
    let no_script = with(&[
        ("javascriptEnabled", Some(Got::Bool(false))),
        ("colorDepth", None),
        ("javaEnabled", None),
        ("screenHeight", None),
        ("screenWidth", None),
        ("timeZone", None),
    ]);
    assert_eq!(codes_at(&no_script), []);
    assert_eq!(wire_name("browser.colorDepth"), Some("customer_browser_color_depth"));
    assert_eq!(wire_name("creditCardNumber"), Some("credit_card_number"));
    assert_eq!(wire_name("recurringPaymentId"), Some("recurring-payment-id"));
    assert_eq!(wire_name("nothing"), None);
}

#[test]
fn the_form_parser_reports_unknown_repeated_and_mistyped_fields() {
    let problems = parse_v2_sale_form(
        "amount=1&amount=2&colour=red&customer_browser_color_depth=deep&customer_browser_java_enabled=maybe&customer_browser_x=1",
    )
    .unwrap_err();
    let found: Vec<(&str, ErrorCode)> = problems.iter().map(|error| (error.path.as_str(), error.code)).collect();
    assert_eq!(
        found,
        [
            ("amount", ErrorCode::RequestDuplicate),
            ("colour", ErrorCode::RequestUnknownField),
            ("customer_browser_color_depth", ErrorCode::RequestType),
            ("customer_browser_java_enabled", ErrorCode::RequestType),
            ("customer_browser_x", ErrorCode::RequestUnknownField),
        ]
    );
    assert!(problems.iter().all(|error| !error.message.contains("deep") && !error.message.contains("maybe")));
}

#[test]
fn the_signing_string_parts_use_minor_units() {
    let request = set(
        Record::default(),
        &[
            ("endpointId", Some("1111".into())),
            ("clientOrderId", Some("902B4FF5".into())),
            ("amount", Some("10.42".into())),
            ("currency", Some("USD".into())),
            ("email", Some("john.smith@gmail.com".into())),
        ],
    );
    let parts = ControlParts::of(&request).unwrap();
    assert_eq!(parts.signing_string_without_key(), "1111902B4FF51042john.smith@gmail.com");
    assert_eq!(ControlParts::of(&seed_example()).unwrap().signing_string_without_key(), "3952934T43R77N15600john.smith@gmail.com");
    assert_eq!(ControlParts::of(&set(request.clone(), &[("amount", Some("10.425".into()))])), None);
    assert_eq!(ControlParts::of(&set(request, &[("email", None)])), None);
}

#[cfg(feature = "server")]
#[test]
fn the_facts_v2_control_vector_from_a_request() {
    let request = set(
        Record::default(),
        &[
            ("endpointId", Some("1111".into())),
            ("clientOrderId", Some("902B4FF5".into())),
            ("amount", Some("10.42".into())),
            ("currency", Some("EUR".into())),
            ("email", Some("john.smith@gmail.com".into())),
        ],
    );
    let key = connpay_core::sign::MerchantControl::new("B17F59B4-A7DC-41B4-8FF9-37D986B43D20").unwrap();
    assert_eq!(key.v2_sale_control(&ControlParts::of(&request).unwrap()), "c6bdd88a78834ef4b863b088827a459f039e8257");
}

#[test]
fn the_seed_responses_parse() {
    let accepted = parse_v2_response(SEED_ASYNC_RESPONSE.as_bytes()).unwrap();
    assert_eq!(
        accepted,
        V2Response {
            response_type: V2ResponseType::AsyncResponse,
            paynet_order_id: Some("6768788".into()),
            merchant_order_id: Some("inv4097763".into()),
            serial_number: Some("00000000-0000-0000-0000-000002d9b22a".into()),
            end_point_id: Some("22903".into()),
            error_message: None,
            error_code: None,
        }
    );
    let refused = parse_v2_response(SEED_VALIDATION_ERROR.as_bytes()).unwrap();
    assert_eq!(refused.response_type, V2ResponseType::ValidationError);
    assert_eq!(refused.error_message.as_deref(), Some("End point with id 22903 not found"));
    assert_eq!(refused.error_code.as_deref(), Some("3"));
    let error = parse_v2_response(b"type=error\n&error-message=Internal%20error\n&error-code=1\n").unwrap();
    assert_eq!(error.response_type, V2ResponseType::Error);
    let other = parse_v2_response(b"type=status-response\n").unwrap();
    assert_eq!(other.response_type, V2ResponseType::Other("status-response".into()));
    for not_v2 in [&b""[..], b"<html>502 Bad Gateway</html>", b"type=\n", b"\xff\xfe"] {
        assert_eq!(parse_v2_response(not_v2), Err(V2ResponseError::MissingType));
    }
    // A part said twice with two values cannot be read; said twice alike, it can.
    let twice = |order: &str| format!("type=async-response\n&paynet-order-id=6768788\n&paynet-order-id={order}\n");
    assert_eq!(parse_v2_response(twice("6768789").as_bytes()), Err(V2ResponseError::Ambiguous));
    assert_eq!(parse_v2_response(twice("6768788").as_bytes()).unwrap().paynet_order_id.as_deref(), Some("6768788"));
    assert_eq!(parse_v2_response(b"type=async-response&type=error"), Err(V2ResponseError::Ambiguous));
    // An error's words said twice only inform: the first is kept.
    let two_messages = parse_v2_response(b"type=validation-error\n&error-message=first\n&error-message=second\n").unwrap();
    assert_eq!(two_messages.error_message.as_deref(), Some("first"));
}

#[test]
fn status_answers_are_read_by_their_names_and_refused_when_they_contradict_themselves() {
    let status = parse_v2_status(
        b"type=status-response\n&status=approved\n&orderid=6768789\n&client_orderid=A1\n&amount=10.42\n&currency=EUR\n&redirect-url=\n",
    );
    let expected = V2StatusAnswer {
        status: Some("approved".into()),
        paynet_order_id: Some("6768789".into()),
        merchant_order_id: Some("A1".into()),
        amount: Some("10.42".into()),
        currency: Some("EUR".into()),
        redirect_url: None,
        html: None,
    };
    assert_eq!(status, Some(V2StatusBody::Status(expected)));
    assert_eq!(
        parse_v2_status(b"type=validation-error&error-message=no+such+order&error-code=3"),
        Some(V2StatusBody::Refused { error_message: Some("no such order".into()), error_code: Some("3".into()) })
    );
    assert_eq!(parse_v2_status(b"type=error"), Some(V2StatusBody::Refused { error_message: None, error_code: None }));
    // Not a status answer: another type, none, or one that names the order twice, differently.
    for body in
        [&b"type=async-response&paynet-order-id=1"[..], b"status=approved", b"", b"type=status-response&orderid=1&paynet-order-id=2"]
    {
        assert_eq!(parse_v2_status(body), None, "{}", String::from_utf8_lossy(body));
    }
}

proptest! {
    #[test]
    fn parsing_any_bytes_as_a_v2_response_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_v2_response(&body);
    }

    #[test]
    fn parsing_form_like_bytes_never_panics(body in "[a-z_=&%+0-9A-F\n\u{0}-\u{7f}é€]{0,300}") {
        let _ = parse_v2_response(body.as_bytes());
        if let Ok(parsed) = parse_v2_sale_form(&body) {
            let _ = codes_at(&parsed.request);
        }
    }

    #[test]
    fn parsing_any_text_as_a_sale_form_never_panics(body in any::<String>()) {
        let _ = parse_v2_sale_form(&body);
    }

    #[test]
    fn any_values_survive_the_form(values in proptest::collection::vec(any::<String>(), PARAMETERS.len())) {
        let mut request = set(Record::default(), &[("endpointId", Some("1".into()))]);
        for (parameter, value) in PARAMETERS.iter().zip(&values) {
            // The gateway trims values and reads empty ones as absent; so does the parser.
            let value = value.trim();
            if !value.is_empty() && !matches!(parameter.rule, Rule::CardNumber | Rule::MonthText) {
                request.set(parameter.key, Got::from(value));
            }
        }
        let _ = codes_at(&request);
        let form = V2SaleForm::build(&request, "control");
        let parsed = parse_v2_sale_form(&form.body).expect("a built form reads back");
        prop_assert!(same(&set(parsed.request, &[("endpointId", Some("1".into()))]), &request));
    }

    #[test]
    fn any_browser_readings_normalise_into_the_seed_limits(
        depth in any::<f64>(), height in any::<f64>(), width in any::<f64>(), offset in any::<f64>(),
        language in any::<String>(), agent in any::<String>(),
    ) {
        let info = BrowserInfo::from_readings(&BrowserReadings {
            color_depth: Some(depth), screen_height: Some(height), screen_width: Some(width),
            time_zone_offset: Some(offset), language: Some(language), user_agent: Some(agent),
            java_enabled: None, accept_header: None, ip_address: None,
        });
        for (wire, value) in browser_form_fields(&info.record()) {
            let limit = match wire { "customer_browser_accept_language" => 8, "customer_browser_time_zone" => 5, "customer_browser_color_depth" => 2, "customer_browser_screen_height" | "customer_browser_screen_width" => 6, _ => 2048 };
            prop_assert!(value.chars().count() <= limit, "{} = {:?}", wire, value);
        }
    }
}

#[test]
fn a_request_that_is_not_an_object_is_one_problem() {
    let errors = check_v2_sale(&&serde_json::json!(null), today()).errors;
    assert_eq!(errors.iter().map(|error| (error.path.as_str(), error.code)).collect::<Vec<_>>(), [("", ErrorCode::RequestType)]);
}

#[test]
fn unknown_keys_are_refused() {
    let errors = check_v2_sale(&&serde_json::json!({ "merchantControl": "B17F" }), today()).errors;
    assert!(
        errors.iter().any(|error| (error.path.as_str(), error.code) == ("merchantControl", ErrorCode::RequestUnknownField)),
        "{errors:?}"
    );
}
