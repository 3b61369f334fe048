//! /api/v2 orders as the gateway keeps them: one for each `client_orderid` (the same signed form
//! posted again gives no second order), a status answer that states the order's amount and
//! currency, and each order's final state posted once to its `server_callback_url` as the
//! gateway's callback, on this machine only.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::routing::post as route_post;
use axum::Router;
use common::v2::{pair, signed, v2_order, v2_order_count, v2_post, v2_request, v2_status, FORM};
use common::{sandbox, sandbox_with_flags};
use connpay_core::percent::form_pairs;
use connpay_sandbox::client;
use connpay_sandbox::config::DEFAULT_CONTROL_KEY;
use connpay_sandbox::Sandbox;

#[tokio::test]
async fn the_status_states_the_orders_amount_and_currency() {
    let euro = sandbox().await;
    let order_id = v2_order(&euro, &v2_request("AMOUNT-1", "10.42", "EUR", "123", None)).await;
    let status = v2_status(&euro, "AMOUNT-1", &order_id).await;
    let stated = (pair(&status, "status"), pair(&status, "amount"), pair(&status, "currency"));
    assert_eq!(stated, (Some("approved"), Some("10.42"), Some("EUR")), "{status:?}");
    let dinar = sandbox_with_flags(&["--currency", "BHD"]).await;
    let order_id = v2_order(&dinar, &v2_request("AMOUNT-2", "1.042", "BHD", "217", None)).await;
    let status = v2_status(&dinar, "AMOUNT-2", &order_id).await;
    let stated = (pair(&status, "status"), pair(&status, "amount"), pair(&status, "currency"));
    assert_eq!(stated, (Some("processing"), Some("1.042"), Some("BHD")), "{status:?}");
}

#[tokio::test]
async fn the_same_signed_v2_form_posted_again_gives_no_second_order() {
    let sandbox = Arc::new(sandbox().await);
    let request = v2_request("TWICE-1", "10.42", "EUR", "123", None);
    let order_id = v2_order(&sandbox, &request).await;
    for _ in 0..2 {
        let again = v2_post(&sandbox, &request, &signed(&request)).await;
        assert_eq!((pair(&again, "type"), pair(&again, "error-code")), (Some("error"), Some("6")), "{again:?}");
        assert!(pair(&again, "error-message").unwrap().starts_with("client_orderid: "), "{again:?}");
        assert_eq!(pair(&again, "paynet-order-id"), None);
    }
    // Another card, amount or CVV under the same client_orderid is no new order either.
    let other = v2_request("TWICE-1", "20.00", "EUR", "116", None);
    assert_eq!(pair(&v2_post(&sandbox, &other, &signed(&other)).await, "type"), Some("error"));
    assert_eq!(v2_order_count(&sandbox), 1);
    assert_eq!(pair(&v2_status(&sandbox, "TWICE-1", &order_id).await, "status"), Some("approved"));

    // Eight posts of one form at the same moment: one order.
    let request = v2_request("RACE-1", "10.42", "EUR", "123", None);
    let posts: Vec<_> = (0..8)
        .map(|_| {
            let (sandbox, request) = (sandbox.clone(), request.clone());
            tokio::spawn(async move { pair(&v2_post(&sandbox, &request, &signed(&request)).await, "type").map(String::from) })
        })
        .collect();
    let mut kinds = Vec::new();
    for post in posts {
        kinds.push(post.await.unwrap().unwrap());
    }
    kinds.sort();
    assert_eq!(kinds, ["async-response", "error", "error", "error", "error", "error", "error", "error"]);
    assert_eq!(v2_order_count(&sandbox), 2);
}

/// What a callback server received: the Content-Type, the path and query, and the body.
type Calls = Arc<Mutex<Vec<(String, String, String)>>>;

/// A merchant's callback route on 127.0.0.1, recording every request; answers `status`.
async fn callback_server(status: StatusCode) -> (String, Calls) {
    let calls: Calls = Arc::default();
    let record = |State((calls, status)): State<(Calls, StatusCode)>, uri: Uri, headers: HeaderMap, body: String| async move {
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default().to_string();
        calls.lock().unwrap().push((content_type, uri.to_string(), body));
        status
    };
    let router = Router::new().route("/shop/callback", route_post(record)).with_state((calls.clone(), status));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/shop/callback", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, calls)
}

/// The calls once there are `count` (or after 5 s), then 300 ms later, to see no more come.
async fn calls_after(calls: &Calls, count: usize) -> Vec<(String, String, String)> {
    let started = Instant::now();
    while calls.lock().unwrap().len() < count && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    calls_by_now(calls).await
}

/// The calls 300 ms from now: none that was coming is missed.
async fn calls_by_now(calls: &Calls) -> Vec<(String, String, String)> {
    tokio::time::sleep(Duration::from_millis(300)).await;
    calls.lock().unwrap().clone()
}

/// The callback's fields, checked as a shop's server checks them: with the merchant library.
fn verified(call: &(String, String, String)) -> Vec<(String, String)> {
    assert_eq!(call.0, "application/x-www-form-urlencoded", "{call:?}");
    let fields = form_pairs(&call.2);
    let merchant = connpay_merchant::Merchant::new(DEFAULT_CONTROL_KEY, Some("1111".into()), Some("sandbox".into())).unwrap();
    assert!(merchant.verify_v2_callback(|name| pair(&fields, name)), "{fields:?}");
    fields
}

#[tokio::test]
async fn a_v2_orders_final_state_is_posted_to_its_callback_url_once() {
    let sandbox = sandbox().await;
    let (url, calls) = callback_server(StatusCode::OK).await;
    let with_query = format!("{url}?shop=7");
    let approved = v2_order(&sandbox, &v2_request("CB-1", "10.42", "EUR", "123", Some(&with_query))).await;
    let received = calls_after(&calls, 1).await;
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].1, "/shop/callback?shop=7");
    let fields = verified(&received[0]);
    let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["status", "orderid", "client_orderid", "merchant_order", "control"]);
    assert_eq!((pair(&fields, "status"), pair(&fields, "orderid")), (Some("approved"), Some(approved.as_str())));
    assert_eq!((pair(&fields, "client_orderid"), pair(&fields, "merchant_order")), (Some("CB-1"), Some("CB-1")));
    // Asking the status says the same, and sends nothing more.
    for _ in 0..3 {
        assert_eq!(pair(&v2_status(&sandbox, "CB-1", &approved).await, "status"), Some("approved"));
    }
    assert_eq!(calls_by_now(&calls).await.len(), 1);

    // A decline is final too; an unknown outcome (217) never is, and sends nothing.
    calls.lock().unwrap().clear();
    let declined = v2_order(&sandbox, &v2_request("CB-2", "10.42", "EUR", "116", Some(&url))).await;
    let unknown = v2_order(&sandbox, &v2_request("CB-3", "10.42", "EUR", "217", Some(&url))).await;
    v2_status(&sandbox, "CB-3", &unknown).await;
    calls_after(&calls, 1).await;
    let received = calls_by_now(&calls).await;
    assert_eq!(received.len(), 1, "{received:?}");
    let fields = verified(&received[0]);
    assert_eq!((pair(&fields, "status"), pair(&fields, "orderid")), (Some("declined"), Some(declined.as_str())));
    assert_eq!(pair(&v2_status(&sandbox, "CB-3", &unknown).await, "status"), Some("processing"));

    // A callback that fails is not sent again (no retry), and the order stays as it is.
    let (failing, failing_calls) = callback_server(StatusCode::INTERNAL_SERVER_ERROR).await;
    let order = v2_order(&sandbox, &v2_request("CB-4", "10.42", "EUR", "123", Some(&failing))).await;
    assert_eq!(calls_after(&failing_calls, 1).await.len(), 1);
    assert_eq!(calls_by_now(&failing_calls).await.len(), 1);
    assert_eq!(pair(&v2_status(&sandbox, "CB-4", &order).await, "status"), Some("approved"));
}

async fn submit(url: &str, form: &str) -> client::Answer {
    client::post(url, &FORM, form.to_string()).await.unwrap()
}

/// The challenge page of a v2 order of CVV 321, from its status answers.
async fn v2_challenge(sandbox: &Sandbox, client_order_id: &str, order_id: &str) -> String {
    assert_eq!(pair(&v2_status(sandbox, client_order_id, order_id).await, "status"), Some("processing"));
    let challenged = v2_status(sandbox, client_order_id, order_id).await;
    assert_eq!(pair(&challenged, "status"), Some("processing"));
    pair(&challenged, "redirect-url").expect("a 3-D Secure page").to_string()
}

#[tokio::test]
async fn a_v2_challenge_is_posted_when_its_page_answers_it_is_cancelled_or_it_expires() {
    let sandbox = sandbox_with_flags(&["--challenge-ttl", "2"]).await;
    let (url, calls) = callback_server(StatusCode::OK).await;
    let started = Instant::now();
    let approved = v2_order(&sandbox, &v2_request("3DS-1", "10.42", "EUR", "321", Some(&url))).await;
    let cancelled = v2_order(&sandbox, &v2_request("3DS-2", "10.42", "EUR", "321", Some(&url))).await;
    let expired = v2_order(&sandbox, &v2_request("3DS-3", "10.42", "EUR", "321", Some(&url))).await;
    let approve_page = v2_challenge(&sandbox, "3DS-1", &approved).await;
    let cancel_page = v2_challenge(&sandbox, "3DS-2", &cancelled).await;
    // Nothing is final while the challenges are open.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(calls.lock().unwrap().is_empty());

    assert_eq!(submit(&approve_page, "password=hint").await.status, 200);
    assert_eq!(submit(&cancel_page, "action=cancel").await.status, 200);
    let received = calls_after(&calls, 2).await;
    assert!(started.elapsed() < Duration::from_secs(2), "the answers were not posted at once");
    let mut statuses: Vec<(String, String)> = received
        .iter()
        .map(verified)
        .map(|fields| (pair(&fields, "orderid").unwrap().to_string(), pair(&fields, "status").unwrap().to_string()))
        .collect();
    statuses.sort();
    assert_eq!(statuses, [(approved.clone(), "approved".to_string()), (cancelled.clone(), "declined".to_string())]);

    // The third was never answered nor asked about again: its decline is posted when it expires.
    let received = calls_after(&calls, 3).await;
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(received.len(), 3, "{received:?}");
    let fields = verified(
        received
            .iter()
            .find(|call| !call.2.contains(&format!("orderid={approved}&")) && !call.2.contains(&format!("orderid={cancelled}&")))
            .unwrap(),
    );
    assert_eq!((pair(&fields, "orderid"), pair(&fields, "status")), (Some(expired.as_str()), Some("declined")));
    assert_eq!(pair(&v2_status(&sandbox, "3DS-3", &expired).await, "status"), Some("declined"));
    assert_eq!(pair(&v2_status(&sandbox, "3DS-1", &approved).await, "status"), Some("approved"));
    assert_eq!(calls_by_now(&calls).await.len(), 3);
}

#[tokio::test]
async fn callbacks_go_only_to_this_machine_or_an_allowed_origin() {
    let sandbox = sandbox_with_flags(&["--allow-origin", "http://shop.test:8081"]).await;
    let refused = [
        "http://192.0.2.1/callback",
        "http://example.com/callback",
        "http://localhost.example.com/callback",
        "http://127.0.0.1.nip.io/callback",
        "http://[::ffff:127.0.0.1]:9/callback",
        "http://10.0.0.1/callback",
        "http://0.0.0.0:9/callback",
        "http://user@127.0.0.1:9/callback",
        "https://127.0.0.1:9/callback",
        "https://shop.test:8081/callback",
        "http://shop.test/callback",
    ];
    for (index, url) in refused.iter().enumerate() {
        let request = v2_request(&format!("OFF-{index}"), "10.42", "EUR", "123", Some(url));
        let answer = v2_post(&sandbox, &request, &signed(&request)).await;
        assert_eq!(pair(&answer, "type"), Some("validation-error"), "{url}: {answer:?}");
        assert!(pair(&answer, "error-message").unwrap().starts_with("server_callback_url: "), "{url}: {answer:?}");
    }
    assert_eq!(v2_order_count(&sandbox), 0);
    // CVV 217: accepted, never final, so nothing is posted anywhere by this test.
    let accepted = [
        "http://127.0.0.1:9/callback",
        "http://127.8.9.10:9/callback",
        "http://localhost:9/callback",
        "http://LOCALHOST:9/callback",
        "http://[::1]:9/callback",
        "http://shop.test:8081/callback",
    ];
    for (index, url) in accepted.iter().enumerate() {
        v2_order(&sandbox, &v2_request(&format!("ON-{index}"), "10.42", "EUR", "217", Some(url))).await;
    }
}
