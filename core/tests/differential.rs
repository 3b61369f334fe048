//! The walker against the serde path it replaces: every fixture, and requests damaged at random,
//! read both ways must give the same (path, code) problems.

use connpay_core::card::YearMonth;
use connpay_core::sale::{check_perform_sale, read_json, validate_perform_sale, PerformSaleRequest, SaleRoute};
use connpay_core::v2::{check_v2_sale, parse_v2_sale_form, validate_v2_sale, V2SaleRequest};
use connpay_core::ErrorCode;
use proptest::prelude::*;
use serde_json::{json, Value};

fn today() -> YearMonth {
    YearMonth::new(2026, 11).unwrap()
}

fn route() -> SaleRoute {
    SaleRoute { endpoint_id: Some("1111".into()), invoice_id: Some("INV-1".into()) }
}

type Problems = Vec<(String, ErrorCode)>;

fn sorted(mut problems: Problems) -> Problems {
    problems.sort_by(|a, b| (&a.0, a.1.as_str()).cmp(&(&b.0, b.1.as_str())));
    problems
}

/// Both readings of a perform-sale body; `Err` carries the old reader's one problem.
fn perform_sale_both(body: &Value) -> (Result<Problems, (String, ErrorCode)>, Problems) {
    let old = read_json::<PerformSaleRequest>(&serde_json::to_vec(body).unwrap())
        .map(|request| validate_perform_sale(&route(), &request, today()).into_iter().map(|e| (e.path, e.code)).collect())
        .map_err(|e| (e.path, e.code));
    let new = check_perform_sale(&route(), &body, today()).errors.into_iter().map(|e| (e.path, e.code)).collect();
    (old, new)
}

fn v2_both(request: &Value) -> (Result<Problems, (String, ErrorCode)>, Problems) {
    let old = read_json::<V2SaleRequest>(&serde_json::to_vec(request).unwrap())
        .map(|request| validate_v2_sale(&request, today()).into_iter().map(|e| (e.path, e.code)).collect())
        .map_err(|e| (e.path, e.code));
    let new = check_v2_sale(&request, today()).errors.into_iter().map(|e| (e.path, e.code)).collect();
    (old, new)
}

/// The old reader stopped at the first wrong type; the walker reports it at the same path, and
/// a whole number out of an integer's range as a range problem rather than a type problem.
/// Two differences are intended: given both a card and a reference, the walker still reports
/// the problems inside each (the old validator stopped at the exclusivity); and v2's route ids
/// are trimmed like every other v2 value (the form always sent them trimmed).
fn agree(old: Result<Problems, (String, ErrorCode)>, mut new: Problems, what: &Value) -> Result<(), TestCaseError> {
    match old {
        Ok(mut old) => {
            if old.iter().any(|(path, code)| path == "sourceOfFunds" && *code == ErrorCode::RequestExclusive) {
                new.retain(|(path, _)| !path.starts_with("sourceOfFunds."));
            }
            let padded = |key: &str| what.get(key).and_then(Value::as_str).is_some_and(|id| id.trim() != id);
            old.retain(|(path, code)| !(path.starts_with("endpoint") && padded(path) && *code == ErrorCode::RequestCharacters));
            prop_assert_eq!(sorted(old), sorted(new), "{}", what)
        }
        Err((path, code)) => {
            // The old reader found the path from serde_json's position in the text, and named an
            // object inside an array by the array's path; the walker names the element.
            let same_place = |at: &String| *at == path || at.starts_with(&format!("{path}["));
            let found = new.iter().any(|(at, found)| same_place(at) && (*found == code || *found == ErrorCode::RequestRange));
            prop_assert!(found, "old {path} {code:?}, new {new:?}: {what}");
        }
    }
    Ok(())
}

fn perform_sale_bodies() -> Vec<Value> {
    let realistic: Value = serde_json::from_str(include_str!("fixtures/perform-sale-request.json")).unwrap();
    let spec: Value = serde_json::from_str(include_str!("fixtures/spec-request-example.json")).unwrap();
    let mut card_only = realistic.clone();
    card_only["sourceOfFunds"].as_object_mut().unwrap().remove("reference");
    let mut reference_only = realistic.clone();
    reference_only["sourceOfFunds"].as_object_mut().unwrap().remove("card");
    vec![realistic, spec, card_only, reference_only, json!({}), json!({ "consumer": {} })]
}

fn v2_requests() -> Vec<Value> {
    [include_str!("fixtures/v2-sale-example.txt"), include_str!("fixtures/v2-sale-recurring-example.txt")]
        .iter()
        .map(|form| {
            let parsed = parse_v2_sale_form(form).unwrap();
            let mut value = serde_json::to_value(V2SaleRequest { endpoint_id: Some("39529".into()), ..parsed.request }).unwrap();
            if let Some(browser) = value.get_mut("browser") {
                browser["acceptHeader"] = json!("text/html");
            }
            value
        })
        .chain([json!({})])
        .chain([{
            let parsed = parse_v2_sale_form(include_str!("fixtures/v2-sale-example.txt")).unwrap();
            let mut value = serde_json::to_value(V2SaleRequest { endpoint_id: Some("39529".into()), ..parsed.request }).unwrap();
            value["browser"] = json!({
                "javascriptEnabled": true, "javaEnabled": false, "colorDepth": 24, "screenHeight": 1080, "screenWidth": 1920,
                "timeZone": -60, "acceptLanguage": "de-DE", "userAgent": "Mozilla/5.0", "acceptHeader": "text/html",
                "ipAddress": "65.153.12.232"
            });
            value
        }])
        .collect()
}

/// Every leaf's JSON pointer.
fn leaves(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(key, child)| leaves(child, format!("{at}/{key}"), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(index, child)| leaves(child, format!("{at}/{index}"), out)),
        _ => out.push(at),
    }
}

fn replacement() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(json!(""))),
        Just(Some(json!("  x "))),
        Just(Some(json!("12"))),
        Just(Some(json!("1.555"))),
        Just(Some(json!("4111111111111111"))),
        Just(Some(json!("378282246310005"))),
        Just(Some(json!("US"))),
        Just(Some(json!("EUR"))),
        Just(Some(json!("XAU"))),
        Just(Some(json!("01012099"))),
        Just(Some(json!("19820230"))),
        Just(Some(json!("a\u{7}b"))),
        Just(Some(json!("x".repeat(200)))),
        Just(Some(json!(0))),
        Just(Some(json!(13))),
        Just(Some(json!(2026))),
        Just(Some(json!(1.5))),
        Just(Some(json!(true))),
        Just(Some(json!(null))),
        Just(Some(json!({}))),
        Just(Some(json!([]))),
        Just(Some(json!(["203.0.113.7", "1.2.3"]))),
    ]
}

/// `base` with each chosen leaf replaced (or removed, for `None`).
fn damage(base: &Value, changes: &[(usize, Option<Value>)]) -> Value {
    let mut value = base.clone();
    let mut pointers = Vec::new();
    leaves(base, String::new(), &mut pointers);
    for (index, replacement) in changes {
        let pointer = &pointers[index % pointers.len()];
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        match (value.pointer_mut(parent), replacement) {
            (Some(Value::Object(map)), None) => drop(map.remove(key)),
            (Some(parent), Some(new)) => {
                if let Some(slot) = parent.pointer_mut(&format!("/{key}")) {
                    *slot = new.clone();
                }
            }
            _ => {}
        }
    }
    value
}

#[test]
fn every_fixture_reads_the_same_both_ways() {
    for body in perform_sale_bodies() {
        let (old, new) = perform_sale_both(&body);
        agree(old, new, &body).unwrap();
    }
    for request in v2_requests() {
        let (old, new) = v2_both(&request);
        agree(old, new, &request).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn damaged_perform_sales_read_the_same_both_ways(which in 0..4usize, changes in proptest::collection::vec((any::<usize>(), replacement()), 1..5)) {
        let body = damage(&perform_sale_bodies()[which], &changes);
        let (old, new) = perform_sale_both(&body);
        agree(old, new, &body)?;
    }

    #[test]
    fn damaged_v2_sales_read_the_same_both_ways(which in prop_oneof![Just(0usize), Just(1), Just(3)], changes in proptest::collection::vec((any::<usize>(), replacement()), 1..5)) {
        let request = damage(&v2_requests()[which], &changes);
        let (old, new) = v2_both(&request);
        agree(old, new, &request)?;
    }
}
