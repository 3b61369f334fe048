//! Attacks on the sandbox that must not get through: an open redirect from the 3-D Secure page,
//! answering another payer's challenge by guessing its key, a perform sale replayed once the
//! gateway's bounded memory has moved on, and tokens that only nearly match.

mod common;

use common::v2::{pair, v2_order, v2_request, FORM};
use common::{initiate, parse, perform, perform_body, post, sale_paid_by, sandbox, sandbox_with, status, Session};
use connpay_core::percent::form_pairs;
use connpay_core::sign::{MerchantControl, SessionSignatureFields};
use connpay_sandbox::client::{self, Answer};
use connpay_sandbox::config::DEFAULT_CONTROL_KEY;
use connpay_sandbox::Sandbox;
use serde_json::json;

async fn status_with(gateway: &Sandbox, session: &Session, access_token: &str, token: &str) -> Answer {
    let body = json!({ "session": { "accessToken": access_token, "token": token } });
    post(gateway, &format!("/paynet/dapi/v1/sale/1111/{}/status", session.invoice_id), &body, None).await
}

/// A sale with CVV 321 on a sandbox that is its own merchant, asked until it wants 3-D Secure.
async fn challenged_sale(sandbox: &Sandbox) -> (Session, String, String) {
    let (session, token, challenged) = sale_paid_by(sandbox, |session| perform_body(session, "321")).await;
    assert_eq!(challenged["state"], "REDIRECT_REQUEST");
    let url = challenged["redirectUrl"].as_str().unwrap().to_string();
    (session, token, url)
}

async fn submit(url: &str, form: &str) -> Answer {
    client::post(url, &FORM, form.to_string()).await.unwrap()
}

#[tokio::test]
async fn the_3ds_page_returns_only_to_its_own_or_an_allowed_origin() {
    let sandbox = sandbox_with(|config| config.allowed_origins = vec!["http://shop.test".into()]).await;
    let (_, _, url) = challenged_sale(&sandbox).await;
    let own = sandbox.url();
    // Form-encoded `return` values that a browser would follow off the sandbox's origin.
    let attacks = [
        "/%09/evil.example/".to_string(), // `/\t/evil.example/`: a browser drops the tab
        "/%0A/evil.example/".into(),
        "/%0D%0A/evil.example/".into(),
        "%20//evil.example/".into(),
        "/%5Cevil.example/".into(), // `/\evil.example/`: a browser reads `\` as `/`
        "%5C%5Cevil.example/".into(),
        "//evil.example/".into(),
        "///evil.example/".into(),
        "https://evil.example/".into(),
        "https:evil.example".into(), // another scheme than the base's: https://evil.example/
        "https:/evil.example".into(),
        format!("{own}@evil.example/"),
        format!("{own}.evil.example/"),
        "http://shop.test.evil.example/".into(),
        "http://shop.test:8080/".into(),
        "http://user@shop.test/".into(),
        "javascript:alert(1)".into(),
        "data:text/html,hi".into(),
    ];
    for attack in &attacks {
        let submitted = submit(&url, &format!("password=hint&return={attack}")).await;
        assert_eq!((submitted.status, submitted.location.as_deref()), (200, None), "{attack}");
        assert!(submitted.body.contains("Authentication complete"), "{attack}");
        let page = client::get(&format!("{url}?return={attack}")).await.unwrap();
        assert_eq!(page.status, 200, "{attack}");
        assert!(page.body.contains(r#"name="return" value="""#), "{attack}: {}", page.body);
    }
    // What may be followed is followed as parsed: absolute, normalised, never the raw text.
    let allowed = [
        ("/", format!("{own}/")),
        ("/done?order=1&x=2#top", format!("{own}/done?order=1&x=2#top")),
        ("/a/../b/./c", format!("{own}/b/c")),
        ("done", format!("{own}/done")), // relative to the sandbox's own URL
        ("/%2F%2Fevil.example", format!("{own}/%2F%2Fevil.example")),
        ("HTTP://SHOP.TEST:80/back", "http://shop.test/back".to_string()),
        (&format!("{own}/again"), format!("{own}/again")),
    ];
    for (text, expected) in &allowed {
        let encoded = text.replace('%', "%25").replace('&', "%26").replace('#', "%23").replace('?', "%3F").replace('=', "%3D");
        let page = client::get(&format!("{url}?return={encoded}")).await.unwrap();
        assert!(page.body.contains(&format!(r#"name="return" value="{}""#, expected.replace('&', "&amp;"))), "{text}: {}", page.body);
        let submitted = submit(&url, &format!("password=hint&return={encoded}")).await;
        assert_eq!((submitted.status, submitted.location.as_deref()), (303, Some(expected.as_str())), "{text}");
    }
}

#[tokio::test]
async fn a_guessed_dapi_challenge_key_cannot_answer_the_payers_challenge() {
    let sandbox = sandbox().await;
    let (session, token, url) = challenged_sale(&sandbox).await;
    // The invoice id is seen by the page (and was the key): it answers nothing.
    let guessed = format!("{}/sandbox/3ds/{}", sandbox.url(), session.invoice_id);
    assert_eq!(submit(&guessed, "password=wrong").await.status, 404);
    assert_eq!(client::get(&guessed).await.unwrap().status, 404);
    assert_eq!(status(&sandbox, &session, &token).await["state"], "REDIRECT_REQUEST", "the guess declined the sale");
    let key = url.strip_prefix(&format!("{}/sandbox/3ds/", sandbox.url())).expect("the sandbox's issuer page");
    assert!(key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()), "not a random key: {key}");
    // The payer's page still decides.
    assert_eq!(submit(&url, "password=hint").await.status, 200);
    assert_eq!(status(&sandbox, &session, &token).await["state"], "APPROVED");
}

/// A v2 sale of CVV `cvv2`; answers the gateway's order id.
async fn v2_sale(sandbox: &Sandbox, client_order_id: &str, cvv2: &str) -> String {
    v2_order(sandbox, &v2_request(client_order_id, "10.42", "EUR", cvv2, None)).await
}

/// /api/v2/status of an order, as its pairs, with `control` in the case `case` gives it.
async fn v2_status(sandbox: &Sandbox, client_order_id: &str, order_id: &str, case: fn(&str) -> String) -> Vec<(String, String)> {
    let key = MerchantControl::new(DEFAULT_CONTROL_KEY).unwrap();
    let control = case(&key.v2_status_control("sandbox", client_order_id, order_id));
    let form = format!("login=sandbox&client_orderid={client_order_id}&orderid={order_id}&control={control}");
    let answer = client::post(&format!("{}/paynet/api/v2/status/1111", sandbox.url()), &FORM, form).await.unwrap();
    form_pairs(&answer.body)
}

#[tokio::test]
async fn a_guessed_v2_challenge_key_cannot_answer_the_payers_challenge() {
    let sandbox = sandbox().await;
    let order_id = v2_sale(&sandbox, "A1", "321").await;
    assert_eq!(pair(&v2_status(&sandbox, "A1", &order_id, str::to_string).await, "status"), Some("processing"));
    let challenged = v2_status(&sandbox, "A1", &order_id, str::to_string).await;
    let url = pair(&challenged, "redirect-url").expect("a 3-D Secure page").to_string();
    // Order ids are sequential, and the key was `v2-{orderid}`: a guess answers nothing.
    for guess in [format!("v2-{order_id}"), order_id.clone()] {
        let guessed = format!("{}/sandbox/3ds/{guess}", sandbox.url());
        assert_eq!(submit(&guessed, "password=wrong").await.status, 404, "{guess}");
        assert_eq!(client::get(&guessed).await.unwrap().status, 404, "{guess}");
    }
    assert!(!url.contains(&order_id), "{url}");
    let still = v2_status(&sandbox, "A1", &order_id, str::to_string).await;
    assert_eq!((pair(&still, "status"), pair(&still, "redirect-url")), (Some("processing"), Some(url.as_str())), "the guess declined it");
    assert_eq!(submit(&url, "password=hint").await.status, 200);
    assert_eq!(pair(&v2_status(&sandbox, "A1", &order_id, str::to_string).await, "status"), Some("approved"));
    // Each order has its own key.
    let other = v2_sale(&sandbox, "A2", "321").await;
    v2_status(&sandbox, "A2", &other, str::to_string).await;
    let other_url = pair(&v2_status(&sandbox, "A2", &other, str::to_string).await, "redirect-url").unwrap().to_string();
    assert_ne!(other_url, url);
}

#[tokio::test]
async fn a_replay_is_refused_however_many_sales_came_after() {
    // The merchant remembers every invoice; the gateway keeps only three sales, so the first
    // one's nonce and invoice would be the first forgotten.
    let merchant = sandbox().await;
    let gateway = sandbox_with(|config| {
        config.capacity = 3;
        config.merchant_url = Some(format!("{}/merchant", merchant.url()));
    })
    .await;
    let first = initiate(&merchant, None).await;
    let body = perform_body(&first, "123");
    assert_eq!(perform(&gateway, &first, &body).await.status, 200);
    for _ in 0..3 {
        let later = initiate(&merchant, None).await;
        let answer = perform(&gateway, &later, &perform_body(&later, "123")).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    assert_eq!(gateway.app.gateway.lock().sale_count(), 3, "the first sale was dropped");

    let replay = perform(&gateway, &first, &body).await;
    assert_eq!(replay.status, 400, "the replay was taken as a second sale: {}", replay.body);
    let error = &parse(&replay)["error"];
    assert_eq!(error["cause"], "INVALID_REQUEST");
    assert!(error["message"].as_str().unwrap().contains("nonce"), "{error}");

    // A second sale on the invoice with a fresh nonce, properly signed (as a leaked key or a
    // faulty merchant could make one), is refused by the gateway itself, before any check sale.
    let key = MerchantControl::new(DEFAULT_CONTROL_KEY).unwrap();
    let nonce = "f".repeat(64);
    let signature = key.session_signature(&SessionSignatureFields {
        access_token: &first.access_token,
        serial_number: "SN1",
        endpoint_id: "1111",
        nonce: &nonce,
        invoice_id: &first.invoice_id,
        amount_centis: 1042,
        currency: "EUR",
    });
    let again = Session { nonce, signature, ..first };
    let second = perform(&gateway, &again, &perform_body(&again, "123")).await;
    assert_eq!(second.status, 409, "{}", second.body);
    assert!(parse(&second)["error"]["message"].as_str().unwrap().contains("already has a sale"), "{}", second.body);
    assert_eq!(gateway.app.gateway.lock().sale_count(), 3);
}

#[tokio::test]
async fn tokens_must_match_exactly_and_signatures_in_either_case() {
    let sandbox = sandbox().await;
    let session = initiate(&sandbox, None).await;
    let answer = perform(&sandbox, &session, &perform_body(&session, "123")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let token = parse(&answer)["session"]["token"].as_str().unwrap().to_string();
    for (access_token, token) in [
        (session.access_token.to_uppercase(), token.clone()),
        (session.access_token.clone(), token.to_uppercase()),
        (session.access_token.clone(), token[1..].to_string()),
        (session.access_token.clone(), format!("{token}0")),
    ] {
        assert_eq!(status_with(&sandbox, &session, &access_token, &token).await.status, 404, "{access_token} {token}");
    }
    assert_eq!(status(&sandbox, &session, &token).await["state"], "PROCESSING");
    // A control (a signature) is hex: its case does not matter.
    let order_id = v2_sale(&sandbox, "B1", "123").await;
    let upper = v2_status(&sandbox, "B1", &order_id, str::to_uppercase).await;
    assert_eq!(pair(&upper, "type"), Some("status-response"), "{upper:?}");
}
