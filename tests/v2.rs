//! /api/v2/sale through JavaScript values in Chromium and Firefox: the form a page builds with a
//! server-made `control` and the browser data, the errors it throws, and the answer's parser.
#![cfg(target_arch = "wasm32")]

use connpay_checkout::*;
use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CONTROL: &str = "c6bdd88a78834ef4b863b088827a459f039e8257";

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("property")
}

fn text(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_else(|| panic!("{key} is not a string"))
}

/// A complete request with card data and the collected browser data.
fn request() -> JsValue {
    let request = JSON::parse(
        r#"{
          "endpointId": "1111", "clientOrderId": "902B4FF5", "orderDesc": "Tea & cake + 10.5%",
          "amount": "10.42", "currency": "USD", "address1": "100 Main st", "city": "Seattle",
          "zipCode": "98102", "country": "US", "state": "WA", "phone": "+12063582043",
          "email": "john.smith@gmail.com", "firstName": "John", "lastName": "Smith",
          "creditCardNumber": "4538 9773 9960 6732", "cardPrintedName": "JOHN SMITH",
          "expireMonth": "1", "expireYear": "2042", "cvv2": "123"
        }"#,
    )
    .unwrap();
    let options = JSON::parse(r#"{"acceptHeader":"text/html,*/*;q=0.8","ipAddress":"203.0.113.7"}"#).unwrap();
    let browser = collect_browser_info(Some(options.unchecked_into())).unwrap();
    Reflect::set(&request, &"browser".into(), &browser).unwrap();
    request
}

fn thrown(result: Result<JsValue, Error>) -> JsValue {
    result.map(|_| ()).expect_err("should throw").into()
}

#[wasm_bindgen_test]
fn a_page_builds_the_form_with_a_server_made_control() {
    let form = build_v2_sale_form(request(), CONTROL.into()).unwrap();
    assert_eq!(text(&form, "path"), "/paynet/api/v2/sale/1111");
    assert_eq!(text(&form, "contentType"), "application/x-www-form-urlencoded");
    let body = text(&form, "body");
    for part in [
        "credit_card_number=4538977399606732&",
        "&expire_month=01&",
        "&order_desc=Tea%20%26%20cake%20%2B%2010.5%25&",
        "&amount=10.42&",
        "&ipaddress=203.0.113.7&",
        "&customer_browser_info=true&",
        "&customer_browser_javascript_enabled=true&",
        "&customer_browser_accept_header=text%2Fhtml%2C%2A%2F%2A%3Bq%3D0.8&",
    ] {
        assert!(body.contains(part), "{part} not in {body}");
    }
    assert!(body.ends_with(&format!("&control={CONTROL}")));
    // The page may post `fields` instead; the browser's own encoder reads them back the same.
    let fields: Array = get(&form, "fields").unchecked_into();
    let first: Array = fields.get(0).unchecked_into();
    assert_eq!(first.get(0).as_string().as_deref(), Some("client_orderid"));
    let params = page_search_params(&body);
    assert_eq!(params("order_desc").as_deref(), Some("Tea & cake + 10.5%"));
    assert_eq!(params("customer_browser_time_zone"), get(&get(&request(), "browser"), "timeZone").as_f64().map(|zone| zone.to_string()));
}

/// `URLSearchParams` from the page's JavaScript, as the gateway's form decoder would read it.
fn page_search_params(body: &str) -> impl Fn(&str) -> Option<String> {
    let params = js_sys::Function::new_with_args("body", "return new URLSearchParams(body);").call1(&JsValue::NULL, &body.into()).unwrap();
    move |key| {
        let get: js_sys::Function = Reflect::get(&params, &"get".into()).unwrap().unchecked_into();
        get.call1(&params, &key.into()).unwrap().as_string()
    }
}

#[wasm_bindgen_test]
fn an_invalid_request_throws_every_problem_and_builds_nothing() {
    let request = request();
    Reflect::set(&request, &"state".into(), &JsValue::UNDEFINED).unwrap();
    Reflect::set(&request, &"amount".into(), &"10.425".into()).unwrap();
    let error = thrown(build_v2_sale_form(request, CONTROL.into()));
    assert_eq!(text(&error, "code"), "request.invalid");
    let errors: Array = get(&error, "errors").unchecked_into();
    let found: Vec<(String, String)> = errors.iter().map(|error| (text(&error, "path"), text(&error, "code"))).collect();
    assert_eq!(found, [("amount".to_string(), "request.amount".to_string()), ("state".to_string(), "request.required".to_string())]);
    assert!(!json_text(&error).contains("4538"), "the card number must not appear in the error");
}

fn json_text(value: &JsValue) -> String {
    JSON::stringify(&get(value, "errors")).unwrap().as_string().unwrap() + &text(value, "message")
}

#[wasm_bindgen_test]
fn the_control_must_be_a_sha1_and_unknown_keys_are_refused() {
    for control in [JsValue::UNDEFINED, "B17F59B4-A7DC-41B4-8FF9-37D986B43D20".into(), "xyz".into(), 42.into()] {
        let error = thrown(build_v2_sale_form(request(), control));
        assert_eq!(text(&error, "code"), "argument.invalid");
        assert_eq!(text(&error, "path"), "control");
    }
    let request = request();
    Reflect::set(&request, &"merchantControl".into(), &"B17F59B4-A7DC-41B4-8FF9-37D986B43D20".into()).unwrap();
    let validation = validate_v2_sale(request, None).unwrap();
    assert_eq!(get(&validation, "valid").as_bool(), Some(false));
    let errors: Array = get(&validation, "errors").unchecked_into();
    assert_eq!(text(&errors.get(0), "code"), "request.unknown_field");
    assert_eq!(text(&errors.get(0), "path"), "merchantControl");
}

#[wasm_bindgen_test]
fn validation_reports_without_throwing() {
    let valid = validate_v2_sale(request(), None).unwrap();
    assert_eq!(get(&valid, "valid").as_bool(), Some(true));
    for value in [JsValue::UNDEFINED, JsValue::NULL, 42.into(), "text".into(), Array::new().into()] {
        let result = validate_v2_sale(value, None).unwrap();
        assert_eq!(get(&result, "valid").as_bool(), Some(false));
    }
}

#[wasm_bindgen_test]
fn the_answer_is_read_into_a_typed_response() {
    let accepted = parse_v2_response("type=async-response\n&serial-number=00000000-0000-0000-0000-000002d9b22a\n&merchant-order-id=inv4097763\n&paynet-order-id=6768788\n&end-point-id=22903\n".into()).unwrap();
    assert_eq!(text(&accepted, "type"), "async-response");
    assert_eq!(text(&accepted, "paynetOrderId"), "6768788");
    assert!(get(&accepted, "errorMessage").is_null());
    let refused =
        parse_v2_response("type=validation-error\n&error-message=End+point+with+id+22903+not+found\n&error-code=3\n".into()).unwrap();
    assert_eq!(text(&refused, "errorMessage"), "End point with id 22903 not found");
    assert_eq!(text(&thrown(parse_v2_response("<html>502</html>".into())), "code"), "response.invalid");
    let twice = "type=async-response\n&paynet-order-id=6768788\n&paynet-order-id=6768789\n";
    assert_eq!(text(&thrown(parse_v2_response(twice.into())), "code"), "response.invalid");
    assert_eq!(text(&thrown(parse_v2_response(JsValue::NULL)), "code"), "argument.invalid");
}
