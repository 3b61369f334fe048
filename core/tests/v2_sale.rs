//! /api/v2/sale natively: the seed's examples read, validated, rebuilt and read back; every
//! either-or rule; the signing string's parts; the response parser; and no panic on any input.

use connpay_core::browser::{BrowserInfo, BrowserReadings};
use connpay_core::card::YearMonth;
use connpay_core::v2::*;
use connpay_core::ErrorCode;
use proptest::prelude::*;

const SEED_EXAMPLE: &str = include_str!("fixtures/v2-sale-example.txt");
const SEED_RECURRING_EXAMPLE: &str = include_str!("fixtures/v2-sale-recurring-example.txt");
const SEED_ASYNC_RESPONSE: &str = include_str!("fixtures/v2-response-async.txt");
const SEED_VALIDATION_ERROR: &str = include_str!("fixtures/v2-response-validation-error.txt");

fn today() -> YearMonth {
    YearMonth::new(2026, 11).unwrap()
}

/// The seed's example with card data, read as the gateway reads it, on endpoint 39529.
fn seed_example() -> V2SaleRequest {
    let parsed = parse_v2_sale_form(SEED_EXAMPLE).expect("the seed's example reads");
    assert_eq!(parsed.control.as_deref(), Some("c821e33bd22773c05c23725d0b1d2dbd9f191399"));
    V2SaleRequest { endpoint_id: Some("39529".into()), ..parsed.request }
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

fn codes_at(request: &V2SaleRequest) -> Vec<(String, ErrorCode)> {
    validate_v2_sale(request, today()).into_iter().map(|error| (error.path, error.code)).collect()
}

fn assert_problem(request: &V2SaleRequest, path: &str, code: ErrorCode) {
    let problems = codes_at(request);
    assert!(problems.contains(&(path.to_string(), code)), "expected {path} {code:?}, got {problems:?}");
}

#[test]
fn the_seed_example_reads_with_the_gateway_decoding() {
    let request = seed_example();
    assert_eq!(request.credit_card_number.as_deref(), Some("4538977399606732"));
    assert_eq!(request.order_desc.as_deref(), Some("Test Order Описание"));
    assert_eq!(request.address1.as_deref(), Some("100 Main st"));
    assert_eq!(request.amount.as_deref(), Some("156"));
    assert_eq!(request.expire_month.as_deref(), Some("01"));
    assert_eq!(request.redirect_url.as_deref(), Some("http://https://doc.connpay.com//doc/dummy.htm"));
    // The seed writes `+` unescaped although it asks for `+` to be escaped: form decoding reads
    // it as a space, which the gateway trims. The module's own forms escape it (%2B).
    assert_eq!(request.phone.as_deref(), Some("12063582043"));
    assert_eq!(codes_at(&request), []);
}

#[test]
fn the_v2_form_of_the_seed_example_reads_back_to_the_same_request() {
    for request in [seed_example(), V2SaleRequest { browser: Some(browser()), ip_address: None, ..seed_example() }] {
        assert_eq!(codes_at(&request), []);
        let form = V2SaleForm::build(&request, "c821e33bd22773c05c23725d0b1d2dbd9f191399");
        assert_eq!(form.path, "/paynet/api/v2/sale/39529");
        let parsed = parse_v2_sale_form(&form.body).expect("the module's form reads back");
        assert_eq!(parsed.control.as_deref(), Some("c821e33bd22773c05c23725d0b1d2dbd9f191399"));
        // Reading moves the browser's `ipaddress` to `ipAddress`, where the form keeps it.
        let mut expected = request.clone();
        if let Some(browser) = expected.browser.as_mut() {
            expected.ip_address = browser.ip_address.take();
        }
        assert_eq!(V2SaleRequest { endpoint_id: Some("39529".into()), ..parsed.request }, expected);
    }
}

#[test]
fn the_form_escapes_every_value_and_sends_the_card_as_digits() {
    let request = V2SaleRequest {
        credit_card_number: Some("4538 9773 9960 6732".into()),
        expire_month: Some("1".into()),
        phone: Some("+12063582043".into()),
        order_desc: Some("Tea & cake + 10.5% = joy".into()),
        ..seed_example()
    };
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
    let request = V2SaleRequest { browser: Some(browser()), ip_address: None, ..seed_example() };
    let form = V2SaleForm::build(&request, "c");
    let names: Vec<&str> = form.fields.iter().map(|(name, _)| *name).collect();
    assert_eq!(names.iter().filter(|name| **name == "ipaddress").count(), 1);
    for name in [
        "customer_browser_info", "customer_browser_accept_header", "customer_browser_javascript_enabled",
        "customer_browser_accept_language", "customer_browser_user_agent", "customer_browser_color_depth",
        "customer_browser_java_enabled", "customer_browser_screen_height", "customer_browser_screen_width",
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
    let request = V2SaleRequest { endpoint_id: Some("39915".into()), ..parsed.request };
    assert_eq!(request.card_recurring_payment_id.as_deref(), Some("1491954"));
    // The seed's short example leaves out fields its own table marks required.
    let missing: Vec<String> = validate_v2_sale(&request, today()).into_iter().map(|error| error.path).collect();
    assert_eq!(missing, ["address1", "city", "zipCode", "country", "phone", "email", "firstName", "lastName"]);
}

#[test]
fn an_empty_request_names_every_required_parameter() {
    let problems = codes_at(&V2SaleRequest::default());
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
    let with_reference = V2SaleRequest { card_recurring_payment_id: Some("1491954".into()), ..seed_example() };
    assert_problem(&with_reference, "cardRecurringPaymentId", ErrorCode::RequestExclusive);
    let reference_only = V2SaleRequest {
        credit_card_number: None,
        card_printed_name: None,
        expire_month: None,
        expire_year: None,
        card_recurring_payment_id: Some("1491954".into()),
        ..seed_example()
    };
    assert_eq!(codes_at(&reference_only), []);
    let partial_card = V2SaleRequest { expire_year: None, card_printed_name: None, ..seed_example() };
    assert_problem(&partial_card, "expireYear", ErrorCode::RequestRequired);
    assert_problem(&partial_card, "cardPrintedName", ErrorCode::RequestRequired);
    // A recurring payment id needs no CVV; a card reference does.
    let recurring = V2SaleRequest { cvv2: None, card_recurring_payment_id: None, recurring_payment_id: Some("77".into()), ..reference_only.clone() };
    assert_eq!(codes_at(&recurring), []);
    let no_cvv = V2SaleRequest { cvv2: None, ..reference_only };
    assert_problem(&no_cvv, "cvv2", ErrorCode::RequestRequired);
}

#[test]
fn the_card_follows_the_card_rules() {
    for (request, path, code) in [
        (V2SaleRequest { credit_card_number: Some("4538977399606733".into()), ..seed_example() }, "creditCardNumber", ErrorCode::NumberLuhn),
        (V2SaleRequest { cvv2: Some("12".into()), ..seed_example() }, "cvv2", ErrorCode::RequestLength),
        (V2SaleRequest { credit_card_number: Some("378282246310005".into()), ..seed_example() }, "cvv2", ErrorCode::CvvIncomplete),
        (V2SaleRequest { expire_month: Some("13".into()), ..seed_example() }, "expireMonth", ErrorCode::RequestRange),
        (V2SaleRequest { expire_year: Some("2026".into()), expire_month: Some("10".into()), ..seed_example() }, "expireYear", ErrorCode::ExpiryPast),
        (V2SaleRequest { expire_year: Some("20x6".into()), ..seed_example() }, "expireYear", ErrorCode::RequestCharacters),
    ] {
        assert_problem(&request, path, code);
    }
    let this_month = V2SaleRequest { expire_year: Some("2026".into()), expire_month: Some("11".into()), ..seed_example() };
    assert_eq!(codes_at(&this_month), []);
}

#[test]
fn state_is_required_for_us_canada_and_australia() {
    for country in ["US", "CA", "AU"] {
        let request = V2SaleRequest { country: Some(country.into()), state: None, ..seed_example() };
        assert_problem(&request, "state", ErrorCode::RequestRequired);
    }
    let germany = V2SaleRequest { country: Some("DE".into()), state: None, ..seed_example() };
    assert_eq!(codes_at(&germany), []);
    let unknown = V2SaleRequest { country: Some("USA".into()), ..seed_example() };
    assert_problem(&unknown, "country", ErrorCode::RequestLength);
    let lower = V2SaleRequest { country: Some("us".into()), ..seed_example() };
    assert_problem(&lower, "country", ErrorCode::RequestCountry);
}

#[test]
fn redirect_url_or_the_success_and_fail_pair() {
    let url = || Some("https://shop.example/return".to_string());
    let both = V2SaleRequest { redirect_success_url: url(), redirect_fail_url: url(), ..seed_example() };
    assert_problem(&both, "redirectUrl", ErrorCode::RequestExclusive);
    let pair = V2SaleRequest { redirect_url: None, redirect_success_url: url(), redirect_fail_url: url(), ..seed_example() };
    assert_eq!(codes_at(&pair), []);
    let half = V2SaleRequest { redirect_url: None, redirect_success_url: url(), ..seed_example() };
    assert_problem(&half, "redirectFailUrl", ErrorCode::RequestRequired);
    let neither = V2SaleRequest { redirect_url: None, ..seed_example() };
    assert_eq!(codes_at(&neither), []);
    for bad in ["javascript:alert(1)", "/relative", "https://", "https://shop.example/a b", "ftp://x.example"] {
        let request = V2SaleRequest { redirect_url: Some(bad.into()), ..seed_example() };
        assert_problem(&request, "redirectUrl", ErrorCode::RequestUrl);
    }
}

#[test]
fn lengths_and_kinds_follow_the_seed() {
    let long = |length: usize| Some("a".repeat(length));
    for (request, path, code) in [
        (V2SaleRequest { client_order_id: long(129), ..seed_example() }, "clientOrderId", ErrorCode::RequestLength),
        (V2SaleRequest { address1: long(51), ..seed_example() }, "address1", ErrorCode::RequestLength),
        (V2SaleRequest { zip_code: long(11), ..seed_example() }, "zipCode", ErrorCode::RequestLength),
        (V2SaleRequest { phone: long(16), ..seed_example() }, "phone", ErrorCode::RequestLength),
        (V2SaleRequest { email: Some(format!("{}@example.com", "a".repeat(40))), ..seed_example() }, "email", ErrorCode::RequestLength),
        (V2SaleRequest { email: Some("john.smith".into()), ..seed_example() }, "email", ErrorCode::RequestEmail),
        (V2SaleRequest { ip_address: Some("65.153.12".into()), ..seed_example() }, "ipAddress", ErrorCode::RequestIpAddress),
        (V2SaleRequest { order_desc: long(65537), ..seed_example() }, "orderDesc", ErrorCode::RequestLength),
        (V2SaleRequest { first_name: Some("Jo\u{7}hn".into()), ..seed_example() }, "firstName", ErrorCode::RequestCharacters),
        (V2SaleRequest { currency: Some("RUR".into()), ..seed_example() }, "currency", ErrorCode::RequestCurrency),
        (V2SaleRequest { currency: Some("XAU".into()), ..seed_example() }, "currency", ErrorCode::RequestCurrency),
        (V2SaleRequest { amount: Some("1.555".into()), ..seed_example() }, "amount", ErrorCode::RequestAmount),
        (V2SaleRequest { amount: Some("10,42".into()), ..seed_example() }, "amount", ErrorCode::RequestAmount),
        (V2SaleRequest { amount: Some("0.00".into()), ..seed_example() }, "amount", ErrorCode::RequestRange),
        (V2SaleRequest { amount: Some("12345678.90".into()), ..seed_example() }, "amount", ErrorCode::RequestLength),
        (V2SaleRequest { birthday: Some("19820230".into()), ..seed_example() }, "birthday", ErrorCode::RequestDate),
        (V2SaleRequest { ssn: Some("12-67".into()), ..seed_example() }, "ssn", ErrorCode::RequestCharacters),
        (V2SaleRequest { customer_id: Some("12345678901".into()), ..seed_example() }, "customerId", ErrorCode::RequestLength),
        (V2SaleRequest { endpoint_id: Some("..".into()), ..seed_example() }, "endpointId", ErrorCode::RequestCharacters),
        (V2SaleRequest { endpoint_group_id: Some("7".into()), ..seed_example() }, "endpointId", ErrorCode::RequestExclusive),
        (
            V2SaleRequest { minimum_transaction_amount: Some("20".into()), maximum_transaction_amount: Some("10.5".into()), ..seed_example() },
            "maximumTransactionAmount",
            ErrorCode::RequestRange,
        ),
        (V2SaleRequest { tds_authentication_result_transaction_status: Some("X".into()), ..seed_example() }, "tdsAuthenticationResultTransactionStatus", ErrorCode::RequestRange),
        (V2SaleRequest { tds_authentication_result_message_version: Some("2.3.0".into()), ..seed_example() }, "tdsAuthenticationResultMessageVersion", ErrorCode::RequestRange),
        (V2SaleRequest { tds_authentication_result_authentication_type: Some("05".into()), ..seed_example() }, "tdsAuthenticationResultAuthenticationType", ErrorCode::RequestRange),
        (V2SaleRequest { tds_authentication_result_authentication_value: long(18), ..seed_example() }, "tdsAuthenticationResultAuthenticationValue", ErrorCode::RequestLength),
    ] {
        assert_problem(&request, path, code);
    }
    let institution = V2SaleRequest {
        tds_authentication_result_type: Some("SIMPLE".into()),
        tds_authentication_result_authentication_type: Some("02".into()),
        tds_authentication_result_authentication_value: Some("AAABBBCCCDDDEEEFFFGGGHHHIII=".into()),
        tds_authentication_result_transaction_id: Some("f25084f0-5b16-4c0a-ae5d-b24808a95e4b".into()),
        tds_authentication_result_transaction_status: Some("Y".into()),
        tds_authentication_result_message_version: Some("2.2.0".into()),
        tds_areq_notification_url: Some("https://shop.example/3ds/cres".into()),
        ip_address: Some("2001:db8::7".into()),
        amount: Some("1.50".into()),
        currency: Some("JPY".into()),
        endpoint_id: None,
        endpoint_group_id: Some("12".into()),
        ..seed_example()
    };
    assert_problem(&institution, "amount", ErrorCode::RequestAmount);
    let institution = V2SaleRequest { amount: Some("150".into()), ..institution };
    assert_eq!(codes_at(&institution), []);
    assert_eq!(V2SaleForm::build(&institution, "c").path, "/paynet/api/v2/sale/group/12");
}

#[test]
fn browser_data_is_checked_when_given() {
    let with = |browser: BrowserInfo| V2SaleRequest { browser: Some(browser), ..seed_example() };
    assert_eq!(codes_at(&with(BrowserInfo { ip_address: None, ..browser() })), []);
    for (request, path, code) in [
        (with(BrowserInfo { color_depth: Some(30), ..browser() }), "browser.colorDepth", ErrorCode::RequestRange),
        (with(BrowserInfo { time_zone: Some(900), ..browser() }), "browser.timeZone", ErrorCode::RequestRange),
        (with(BrowserInfo { screen_width: Some(1_000_000), ..browser() }), "browser.screenWidth", ErrorCode::RequestRange),
        (with(BrowserInfo { accept_language: Some("zh-Hant-TW".into()), ..browser() }), "browser.acceptLanguage", ErrorCode::RequestLength),
        (with(BrowserInfo { accept_language: Some("en_US".into()), ..browser() }), "browser.acceptLanguage", ErrorCode::RequestLanguage),
        (with(BrowserInfo { accept_header: None, ..browser() }), "browser.acceptHeader", ErrorCode::RequestRequired),
        (with(BrowserInfo { user_agent: Some("u".repeat(2049)), ..browser() }), "browser.userAgent", ErrorCode::RequestLength),
        (with(BrowserInfo { screen_height: None, ..browser() }), "browser.screenHeight", ErrorCode::RequestRequired),
        (with(BrowserInfo { ip_address: Some("65.153.12.233".into()), ..browser() }), "browser.ipAddress", ErrorCode::RequestMismatch),
        (with(BrowserInfo { javascript_enabled: None, ..browser() }), "browser.javascriptEnabled", ErrorCode::RequestRequired),
    ] {
        assert_problem(&request, path, code);
    }
    // Without JavaScript the screen, colour, Java and time-zone fields may be left out.
    let no_script = BrowserInfo { javascript_enabled: Some(false), color_depth: None, java_enabled: None, screen_height: None, screen_width: None, time_zone: None, ..browser() };
    assert_eq!(codes_at(&with(no_script)), []);
    assert_eq!(wire_name("browser.colorDepth"), Some("customer_browser_color_depth"));
    assert_eq!(wire_name("creditCardNumber"), Some("credit_card_number"));
    assert_eq!(wire_name("recurringPaymentId"), Some("recurring-payment-id"));
    assert_eq!(wire_name("nothing"), None);
}

#[test]
fn the_form_parser_reports_unknown_repeated_and_mistyped_fields() {
    let problems = parse_v2_sale_form("amount=1&amount=2&colour=red&customer_browser_color_depth=deep&customer_browser_java_enabled=maybe&customer_browser_x=1")
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
    let request = V2SaleRequest {
        endpoint_id: Some("1111".into()),
        client_order_id: Some("902B4FF5".into()),
        amount: Some("10.42".into()),
        currency: Some("USD".into()),
        email: Some("john.smith@gmail.com".into()),
        ..V2SaleRequest::default()
    };
    let parts = ControlParts::of(&request).unwrap();
    assert_eq!(parts.signing_string_without_key(), "1111902B4FF51042john.smith@gmail.com");
    assert_eq!(ControlParts::of(&seed_example()).unwrap().signing_string_without_key(), "3952934T43R77N15600john.smith@gmail.com");
    assert_eq!(ControlParts::of(&V2SaleRequest { amount: Some("10.425".into()), ..request.clone() }), None);
    assert_eq!(ControlParts::of(&V2SaleRequest { email: None, ..request }), None);
}

#[cfg(feature = "server")]
#[test]
fn the_facts_v2_control_vector_from_a_request() {
    let request = V2SaleRequest {
        endpoint_id: Some("1111".into()),
        client_order_id: Some("902B4FF5".into()),
        amount: Some("10.42".into()),
        currency: Some("EUR".into()),
        email: Some("john.smith@gmail.com".into()),
        ..V2SaleRequest::default()
    };
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
            let _ = validate_v2_sale(&parsed.request, today());
        }
    }

    #[test]
    fn parsing_any_text_as_a_sale_form_never_panics(body in any::<String>()) {
        let _ = parse_v2_sale_form(&body);
    }

    #[test]
    fn any_values_survive_the_form(values in proptest::collection::vec(any::<String>(), PARAMETERS.len())) {
        let mut request = V2SaleRequest { endpoint_id: Some("1".into()), ..V2SaleRequest::default() };
        for (index, value) in values.iter().enumerate() {
            // The gateway trims values and reads empty ones as absent; so does the parser.
            let value = value.trim();
            let rule = PARAMETERS[index].rule;
            if !value.is_empty() && !matches!(rule, Rule::CardNumber | Rule::Month) {
                request_value(&mut request, index, value);
            }
        }
        let _ = validate_v2_sale(&request, today());
        let form = V2SaleForm::build(&request, "control");
        let parsed = parse_v2_sale_form(&form.body).expect("a built form reads back");
        prop_assert_eq!(V2SaleRequest { endpoint_id: Some("1".into()), ..parsed.request }, request);
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
        for (_, wire, value) in info.fields() {
            if let Some(value) = value {
                let limit = match wire { "customer_browser_accept_language" => 8, "customer_browser_time_zone" => 5, "customer_browser_color_depth" => 2, "customer_browser_screen_height" | "customer_browser_screen_width" => 6, _ => 2048 };
                prop_assert!(value.chars().count() <= limit, "{} = {:?}", wire, value);
            }
        }
    }
}

/// Sets the `index`-th parameter of [`PARAMETERS`] through the model's serde keys.
fn request_value(request: &mut V2SaleRequest, index: usize, value: &str) {
    let mut json = serde_json::to_value(&*request).unwrap();
    json[PARAMETERS[index].key] = serde_json::Value::String(value.to_string());
    *request = serde_json::from_value(json).unwrap();
}

#[test]
fn unknown_keys_are_refused() {
    let read: Result<V2SaleRequest, _> = connpay_core::sale::read_json(br#"{"merchantControl":"B17F"}"#);
    let error = read.unwrap_err();
    assert_eq!((error.path.as_str(), error.code), ("merchantControl", ErrorCode::RequestUnknownField));
}
