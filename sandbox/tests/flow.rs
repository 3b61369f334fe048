//! The whole sale over HTTP against a sandbox on a free port: the merchant server, the gateway's
//! perform sale (which calls check sale over HTTP), status, 3-D Secure, /api/v2, faults, limits,
//! and 200 concurrent flows.

mod common;

use common::{initiate, parse, perform, perform_body, post, sale_paid_by, sandbox, status, Session};
use connpay_core::v2::{parse_v2_response, V2ResponseType, V2SaleForm};
use connpay_sandbox::client::{self, Answer};
use connpay_sandbox::Sandbox;
use serde_json::{json, Value};

/// A whole sale by card with CVV `cvv` to its first state after PROCESSING.
async fn sale(sandbox: &Sandbox, cvv: &str) -> (Session, String, Value) {
    sale_paid_by(sandbox, |session| perform_body(session, cvv)).await
}

#[tokio::test]
async fn cvv_123_is_approved_and_116_declined() {
    let sandbox = sandbox().await;
    let (_, _, approved) = sale(&sandbox, "123").await;
    assert_eq!(approved["state"], "APPROVED");
    assert!(approved["bankOrderId"].is_string());
    assert_eq!(approved["transaction"]["amountCentis"], 1042);
    let (_, _, declined) = sale(&sandbox, "116").await;
    assert_eq!(declined["state"], "DECLINED");
    let (session, token, unknown) = sale(&sandbox, "217").await;
    assert_eq!(unknown["state"], "PROCESSING");
    assert_eq!(status(&sandbox, &session, &token).await["state"], "PROCESSING");
}

#[tokio::test]
async fn cvv_321_redirects_to_3d_secure_where_hint_approves() {
    let sandbox = sandbox().await;
    for (password, outcome) in [("hint", "APPROVED"), ("wrong", "DECLINED")] {
        let (session, token, challenged) = sale(&sandbox, "321").await;
        assert_eq!(challenged["state"], "REDIRECT_REQUEST");
        let url = challenged["redirectUrl"].as_str().unwrap();
        // The page's key is its own random one (tests/attacks.rs), never the invoice id.
        assert!(url.starts_with(&format!("{}/sandbox/3ds/", sandbox.url())) && !url.contains(&session.invoice_id), "{url}");
        let page = client::get(&format!("{url}?return=/")).await.unwrap();
        assert_eq!(page.status, 200);
        let back = format!("{}/", sandbox.url());
        assert!(page.body.contains("name=\"password\"") && page.body.contains(&format!("value=\"{back}\"")), "{}", page.body);
        let form = format!("password={password}&return=%2F");
        let submitted = client::post(url, &[("Content-Type", "application/x-www-form-urlencoded")], form).await.unwrap();
        assert_eq!((submitted.status, submitted.location), (303, Some(back)));
        assert_eq!(status(&sandbox, &session, &token).await["state"], outcome);
    }
    // No open redirect: a foreign return address is dropped.
    let (_, _, challenged) = sale(&sandbox, "321").await;
    let url = challenged["redirectUrl"].as_str().unwrap();
    let form = "password=hint&return=https%3A%2F%2Fevil.example%2F";
    let submitted = client::post(url, &[("Content-Type", "application/x-www-form-urlencoded")], form).await.unwrap();
    assert_eq!((submitted.status, submitted.location), (200, None));
}

#[tokio::test]
async fn a_tampered_signature_is_an_invalid_request() {
    let sandbox = sandbox().await;
    let session = initiate(&sandbox, None).await;
    let mut body = perform_body(&session, "123");
    body["session"]["signature"] =
        json!(session.signature.replace(&session.signature[..1], if &session.signature[..1] == "0" { "1" } else { "0" }));
    let answer = perform(&sandbox, &session, &body).await;
    assert_eq!(answer.status, 400);
    assert_eq!(parse(&answer)["error"]["cause"], "INVALID_REQUEST");
    // The amount is signed too.
    let mut body = perform_body(&session, "123");
    body["transaction"]["amountCentis"] = json!(1);
    assert_eq!(parse(&perform(&sandbox, &session, &body).await)["error"]["cause"], "INVALID_REQUEST");
}

#[tokio::test]
async fn a_wrong_check_signature_means_no_sale() {
    let sandbox = sandbox().await;
    let session = initiate(&sandbox, Some("check-signature")).await;
    let answer = perform(&sandbox, &session, &perform_body(&session, "123")).await;
    assert_eq!(answer.status, 400);
    let fail = parse(&answer);
    assert_eq!(fail["error"]["cause"], "PROCESSING_FAILED");
    assert!(fail["error"]["message"].as_str().unwrap().contains("checkSignature"));
    let status = post(
        &sandbox,
        &format!("/paynet/dapi/v1/sale/{}/{}/status", session.endpoint_id, session.invoice_id),
        &json!({ "session": { "accessToken": session.access_token, "token": "0123456789abcdef0123" } }),
        None,
    )
    .await;
    // The refused sale is kept as declined (its merchant reads DECLINED with the token check sale
    // brought: tests/orders.rs); to anyone else's token the gateway holds no such sale.
    assert_eq!((status.status, parse(&status)["error"]["cause"].clone()), (404, json!("ORDER_NOT_FOUND")));
}

#[tokio::test]
async fn check_sale_refuses_what_the_merchant_did_not_store() {
    let sandbox = sandbox().await;
    let session = initiate(&sandbox, None).await;
    let check = |serial: &str, invoice: &str| {
        let body = json!({
            "consumer": { "device": { "serialNumber": serial } },
            "session": { "accessToken": session.access_token, "nonce": session.nonce, "signature": session.signature, "token": "0123456789abcdef" },
        });
        let path = format!("/merchant/sale/{invoice}/check");
        let sandbox = &sandbox;
        async move { post(sandbox, &path, &body, None).await }
    };
    // Another device first, while the invoice is still open: the serial number is what refuses it.
    let other_device = check("SN2", &session.invoice_id).await;
    assert_eq!((other_device.status, parse(&other_device)["error"]["cause"].clone()), (403, json!("FILTERED")));
    assert!(parse(&other_device)["error"]["message"].as_str().unwrap().contains("does not match"));
    let good = check("SN1", &session.invoice_id).await;
    assert_eq!(good.status, 200);
    assert_eq!(parse(&good)["session"]["checkSignature"].as_str().unwrap().len(), 40);
    // The gateway asking again for the same sale gets the same answer.
    assert_eq!(check("SN1", &session.invoice_id).await.body, good.body);
    let unknown = check("SN1", "INVnope").await;
    assert_eq!((unknown.status, parse(&unknown)["error"]["cause"].clone()), (404, json!("INVALID_REQUEST")));
}

#[tokio::test]
async fn v2_sale_with_the_right_control_is_accepted_and_a_wrong_one_refused() {
    let sandbox = sandbox().await;
    let request = connpay_core::value::Record::default()
        .with("endpointId", connpay_core::value::Got::from("1111"))
        .with("clientOrderId", connpay_core::value::Got::from("902B4FF5"))
        .with("orderDesc", connpay_core::value::Got::from("Order 902B4FF5"))
        .with("amount", connpay_core::value::Got::from("10.42"))
        .with("currency", connpay_core::value::Got::from("EUR"))
        .with("address1", connpay_core::value::Got::from("100 Main st"))
        .with("city", connpay_core::value::Got::from("Seattle"))
        .with("zipCode", connpay_core::value::Got::from("98102"))
        .with("country", connpay_core::value::Got::from("US"))
        .with("state", connpay_core::value::Got::from("WA"))
        .with("phone", connpay_core::value::Got::from("+12063582043"))
        .with("email", connpay_core::value::Got::from("john.smith@gmail.com"))
        .with("ipAddress", connpay_core::value::Got::from("65.153.12.232"))
        .with("firstName", connpay_core::value::Got::from("John"))
        .with("lastName", connpay_core::value::Got::from("Smith"))
        .with("creditCardNumber", connpay_core::value::Got::from("4538977399606732"))
        .with("cardPrintedName", connpay_core::value::Got::from("JOHN SMITH"))
        .with("expireMonth", connpay_core::value::Got::from("01"))
        .with("expireYear", connpay_core::value::Got::from("2042"))
        .with("cvv2", connpay_core::value::Got::from("123"));

    let signed = json!({ "clientOrderId": "902B4FF5", "amount": "10.42", "currency": "EUR", "email": "john.smith@gmail.com" });
    let control = parse(&post(&sandbox, "/merchant/v2/control", &signed, None).await)["control"].as_str().unwrap().to_string();
    // The gateway documentation's example: the same parts and key.
    assert_eq!(control, "c6bdd88a78834ef4b863b088827a459f039e8257");
    let card_data =
        json!({ "clientOrderId": "1", "amount": "1", "currency": "EUR", "email": "a@b.cd", "creditCardNumber": "4111111111111111" });
    assert_eq!(post(&sandbox, "/merchant/v2/control", &card_data, None).await.status, 400);

    let send = |control: &str| {
        let form = V2SaleForm::build(&request, control);
        let url = format!("{}{}", sandbox.url(), form.path);
        async move { client::post(&url, &[("Content-Type", "application/x-www-form-urlencoded")], form.body).await.unwrap() }
    };
    let accepted = send(&control).await;
    let response = parse_v2_response(accepted.body.as_bytes()).unwrap();
    assert_eq!(response.response_type, V2ResponseType::AsyncResponse, "{}", accepted.body);
    assert_eq!(response.merchant_order_id.as_deref(), Some("902B4FF5"));
    assert_eq!(response.end_point_id.as_deref(), Some("1111"));
    let order_id = response.paynet_order_id.expect("an order id");
    let refused = send(&"0".repeat(40)).await;
    let response = parse_v2_response(refused.body.as_bytes()).unwrap();
    assert_eq!(response.response_type, V2ResponseType::Error);
    assert!(response.error_message.unwrap().contains("control"));

    // Status: SHA-1(login + client_orderid + orderid + key).
    let key = connpay_core::sign::MerchantControl::new(connpay_sandbox::config::DEFAULT_CONTROL_KEY).unwrap();
    let status_control = key.v2_status_control("sandbox", "902B4FF5", &order_id);
    let status_url = format!("{}/paynet/api/v2/status/1111", sandbox.url());
    let form = format!("login=sandbox&client_orderid=902B4FF5&orderid={order_id}&control={status_control}");
    let ask = || client::post(&status_url, &[("Content-Type", "application/x-www-form-urlencoded")], form.clone());
    // Approved without 3-D Secure: final at once, with the amount and currency charged.
    for _ in 0..2 {
        let answer = connpay_core::percent::form_pairs(&ask().await.unwrap().body);
        let value = |name: &str| answer.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
        assert_eq!((value("status"), value("amount"), value("currency")), (Some("approved"), Some("10.42"), Some("EUR")), "{answer:?}");
    }
}

#[tokio::test]
async fn faults_are_injected_only_when_asked() {
    let sandbox = sandbox().await;
    for code in [500, 502, 503, 429] {
        let answer = post(&sandbox, "/merchant/auth/access-token", &json!({}), Some(&format!("status={code}"))).await;
        assert_eq!(answer.status, code);
        assert!(parse(&answer)["error"]["cause"].is_string());
    }
    let malformed = post(&sandbox, "/merchant/auth/access-token", &json!({}), Some("malformed")).await;
    assert_eq!(malformed.status, 200);
    assert!(serde_json::from_str::<Value>(&malformed.body).is_err());
    let dropped = client::post(
        &format!("{}/merchant/auth/access-token", sandbox.url()),
        &[("Content-Type", "application/json"), ("X-Sandbox-Fault", "drop")],
        "{}",
    )
    .await;
    assert!(dropped.is_err(), "a dropped connection gives no answer: {dropped:?}");
    let started = std::time::Instant::now();
    assert_eq!(post(&sandbox, "/merchant/auth/access-token", &json!({}), Some("delay=300")).await.status, 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(post(&sandbox, "/merchant/auth/access-token", &json!({}), None).await.status, 200);
}

/// Checks an answer is a refusal in the spec's fail format (`error.cause`, `error.code`,
/// `error.message`) with `status`, and never echoes the card; returns the error.
fn refused(answer: &Answer, status: u16) -> Value {
    assert_eq!(answer.status, status, "{}", answer.body);
    let error = parse(answer)["error"].clone();
    assert!(error["cause"].is_string() && error["message"].is_string(), "not the fail format: {}", answer.body);
    assert_eq!(error["code"], status.to_string());
    assert!(!answer.body.contains("4111111111111111"), "{}", answer.body);
    error
}

#[tokio::test]
async fn abuse_gets_the_spec_fail_format_and_a_4xx() {
    let sandbox = sandbox().await;
    let session = initiate(&sandbox, None).await;
    let url = format!("{}/paynet/dapi/v1/sale/{}/{}", sandbox.url(), session.endpoint_id, session.invoice_id);
    let json = [("Content-Type", "application/json")];
    let malformed = client::post(&url, &json, "{\"consumer\":").await.unwrap();
    assert_eq!(refused(&malformed, 400)["cause"], "INVALID_REQUEST");
    let wrong_type = client::post(&url, &[("Content-Type", "text/plain")], "{}").await.unwrap();
    assert_eq!(refused(&wrong_type, 415)["cause"], "INVALID_REQUEST");
    let huge = client::post(&url, &json, vec![b' '; 70 * 1024]).await.unwrap();
    assert_eq!(refused(&huge, 413)["message"], "the body is over 64 KB");
    let wrong_method = client::get(&url).await.unwrap();
    refused(&wrong_method, 405);
    let mut body = perform_body(&session, "123");
    body["sourceOfFunds"]["card"]["pin"] = json!("1234");
    let unknown_key = perform(&sandbox, &session, &body).await;
    let message = refused(&unknown_key, 400)["message"].as_str().unwrap().to_string();
    assert!(message.contains("sourceOfFunds.card.pin"), "{message}");

    // An invoice the merchant never issued: the session's signature covers the invoice id.
    let elsewhere = Session { invoice_id: "INV000000000000000000000000".into(), ..initiate(&sandbox, None).await };
    refused(&perform(&sandbox, &elsewhere, &perform_body(&elsewhere, "123")).await, 400);
    let status_body = json!({ "session": { "accessToken": elsewhere.access_token, "token": "0".repeat(32) } });
    let status_url = format!("/paynet/dapi/v1/sale/{}/{}/status", elsewhere.endpoint_id, elsewhere.invoice_id);
    assert_eq!(refused(&post(&sandbox, &status_url, &status_body, None).await, 404)["cause"], "ORDER_NOT_FOUND");

    // A replayed nonce: the same signed perform sale twice.
    assert_eq!(perform(&sandbox, &session, &perform_body(&session, "123")).await.status, 200);
    let replay = refused(&perform(&sandbox, &session, &perform_body(&session, "123")).await, 400);
    assert!(replay["message"].as_str().unwrap().contains("nonce"), "{replay}");
}

#[tokio::test]
async fn the_page_and_the_package_are_served_under_a_strict_policy() {
    let sandbox = sandbox().await;
    let page = send_get(&sandbox, "/").await;
    assert_eq!(page.0, 200);
    assert!(page.1["content-security-policy"].contains("script-src 'self' 'wasm-unsafe-eval'"));
    let wasm = send_get(&sandbox, "/pkg/module.wasm").await;
    assert_eq!((wasm.0, wasm.1.get("content-type").map(String::as_str)), (200, Some("application/wasm")));
}

/// A GET with its headers (the client above keeps only `Location`).
async fn send_get(sandbox: &Sandbox, path: &str) -> (u16, std::collections::HashMap<String, String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", sandbox.addr);
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw);
    let head = text.split("\r\n\r\n").next().unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines.filter_map(|line| line.split_once(": ")).map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect();
    (status, headers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_flows_complete_and_lose_no_invoice() {
    let sandbox = std::sync::Arc::new(sandbox().await);
    let flows: Vec<_> = (0..200)
        .map(|_| {
            let sandbox = sandbox.clone();
            tokio::spawn(async move { sale(&sandbox, "123").await.2["state"].clone() })
        })
        .collect();
    for flow in flows {
        assert_eq!(flow.await.expect("a flow completes"), "APPROVED");
    }
    assert_eq!(sandbox.app.merchant.lock().invoice_count(), 200);
    assert_eq!(sandbox.app.gateway.lock().sale_count(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_sales_with_one_in_ten_faulted_lose_no_invoice() {
    const SALES: usize = 1_000;
    let sandbox = std::sync::Arc::new(sandbox().await);
    // The sessions first (50 at a time), then every perform sale at once.
    let mut sessions = Vec::with_capacity(SALES);
    for chunk in (0..SALES).collect::<Vec<_>>().chunks(50) {
        let started: Vec<_> = chunk
            .iter()
            .map(|_| {
                tokio::spawn({
                    let sandbox = sandbox.clone();
                    async move { initiate(&sandbox, None).await }
                })
            })
            .collect();
        for session in started {
            sessions.push(session.await.expect("a session"));
        }
    }
    let faults = ["drop", "status=500", "status=429", "malformed", "delay=50,status=503"];
    let sales: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(index, session)| {
            let sandbox = sandbox.clone();
            let fault = (index % 10 == 0).then(|| faults[(index / 10) % faults.len()]);
            tokio::spawn(async move {
                let url = format!("/paynet/dapi/v1/sale/{}/{}", session.endpoint_id, session.invoice_id);
                let mut headers = vec![("Content-Type", "application/json")];
                headers.extend(fault.map(|fault| ("X-Sandbox-Fault", fault)));
                let body = serde_json::to_vec(&perform_body(&session, "123")).unwrap();
                let answer = client::post(&format!("{}{url}", sandbox.url()), &headers, body).await;
                (fault, session, answer)
            })
        })
        .collect();
    let mut accepted = Vec::new();
    for sale in sales {
        let (fault, session, answer) = sale.await.expect("the task ends");
        match (fault, answer) {
            (None, Ok(answer)) => {
                assert_eq!(answer.status, 200, "{}", answer.body);
                accepted.push((session, parse(&answer)["session"]["token"].as_str().unwrap().to_string()));
            }
            (Some("drop"), answer) => assert!(answer.is_err(), "{answer:?}"),
            (Some("malformed"), Ok(answer)) => assert!(serde_json::from_str::<Value>(&answer.body).is_err()),
            (Some(_), Ok(answer)) => assert!(answer.status == 429 || answer.status >= 500, "{}", answer.status),
            (fault, Err(error)) => panic!("{fault:?}: no answer: {error}"),
        }
    }
    assert_eq!(accepted.len(), SALES * 9 / 10);
    // Every invoice is kept by the merchant, every accepted sale by the gateway, each answering.
    assert_eq!(sandbox.app.merchant.lock().invoice_count(), SALES);
    assert_eq!(sandbox.app.gateway.lock().sale_count(), accepted.len());
    for (session, token) in accepted.iter().step_by(37) {
        assert_eq!(status(&sandbox, session, token).await["state"], "PROCESSING");
    }
    // And the sandbox still takes a whole new sale.
    assert_eq!(sale(&sandbox, "123").await.2["state"], "APPROVED");
}

#[tokio::test]
async fn the_merchant_settles_an_invoice_its_page_could_not() {
    let sandbox = sandbox().await;
    let settle = |session: &Session| format!("/merchant/sale/{}/settle", session.invoice_id);

    // The perform sale never reached the gateway: the invoice is voided, and a late perform sale
    // is refused at check sale, so it can never be charged.
    let lost = initiate(&sandbox, None).await;
    assert_eq!(parse(&post(&sandbox, &settle(&lost), &json!({}), None).await)["state"], "VOIDED");
    let late = perform(&sandbox, &lost, &perform_body(&lost, "123")).await;
    assert_eq!((late.status, parse(&late)["error"]["cause"].as_str()), (400, Some("PROCESSING_FAILED")), "{}", late.body);
    assert_eq!(parse(&post(&sandbox, &settle(&lost), &json!({}), None).await)["state"], "VOIDED", "settled once, for good");

    // The gateway took the sale (its answer was lost to the page): the server asks its status
    // with the token check sale brought, and the final state decides.
    let (taken, _, _) = sale(&sandbox, "123").await;
    let settled = parse(&post(&sandbox, &settle(&taken), &json!({}), None).await);
    assert_eq!((settled["invoiceId"].as_str(), settled["state"].as_str()), (Some(taken.invoice_id.as_str()), Some("APPROVED")));
    let (declined, _, _) = sale(&sandbox, "116").await;
    assert_eq!(parse(&post(&sandbox, &settle(&declined), &json!({}), None).await)["state"], "DECLINED");

    // A sale the merchant confirmed with a wrong signature (the test hook): the gateway refused
    // it, and its status says DECLINED at once, so the merchant's order is free again.
    let refused = initiate(&sandbox, Some("check-signature")).await;
    let answer = perform(&sandbox, &refused, &perform_body(&refused, "123")).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(parse(&post(&sandbox, &settle(&refused), &json!({}), None).await)["state"], "DECLINED");

    let unknown = post(&sandbox, "/merchant/sale/INV-none/settle", &json!({}), None).await;
    assert_eq!(unknown.status, 404);
}
