//! Sales by card reference (perform sale's `sourceOfFunds.reference`) over HTTP: the sandbox's
//! merchant answers check sale with the demo card's `serverCardId`, signed into
//! `checkSignature`; its gateway sends the `clientCardId` in check sale, verifies
//! that signature, and pays with the card its vault holds under the server id, or refuses.

mod common;

use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::post as route_post;
use axum::Router;
use common::{initiate, parse, perform, perform_body, post, sale_paid_by, sandbox, sandbox_with, Session};
use connpay_core::sale::SaleState;
use connpay_core::sign::{CheckSignatureFields, MerchantControl};
use connpay_sandbox::cards::SAVED_CARDS;
use connpay_sandbox::client::Answer;
use connpay_sandbox::config::DEFAULT_CONTROL_KEY;
use connpay_sandbox::Sandbox;
use serde_json::{json, Value};

/// The perform sale of `session` paid with the saved card the page calls `client_card_id`.
fn by_reference(session: &Session, client_card_id: &str, cvv: &str) -> Value {
    let mut body = perform_body(session, cvv);
    body["sourceOfFunds"] = json!({ "reference": { "clientCardId": client_card_id, "securityCode": cvv } });
    body
}

/// The error message of a perform sale the gateway refused after check sale.
fn processing_failed(answer: &Answer) -> String {
    assert_eq!(answer.status, 400, "{}", answer.body);
    let error = &parse(answer)["error"];
    assert_eq!(error["cause"], "PROCESSING_FAILED", "{error}");
    error["message"].as_str().unwrap().to_string()
}

/// Whether the gateway charged nothing for `session`: it refused the sale after check sale, and
/// keeps it as declined (so the merchant, which may have confirmed it, learns that it ended);
/// anyone else's token gets nothing about it.
async fn nothing_charged(gateway: &Sandbox, session: &Session) -> bool {
    let body = json!({ "session": { "accessToken": session.access_token, "token": "0123456789abcdef0123" } });
    let path = format!("/paynet/dapi/v1/sale/{}/{}/status", session.endpoint_id, session.invoice_id);
    let answer = post(gateway, &path, &body, None).await;
    answer.status == 404 && gateway.app.gateway.lock().sale_state(&session.invoice_id) == Some(SaleState::Declined)
}

#[tokio::test]
async fn a_saved_card_pays_with_its_security_code_choosing_the_outcome_and_an_unknown_one_pays_nothing() {
    let sandbox = sandbox().await;
    let (_, _, approved) = sale_paid_by(&sandbox, |session| by_reference(session, "sandbox-visa-1111", "123")).await;
    assert_eq!(approved["state"], "APPROVED");
    assert_eq!(approved["transaction"]["amountCentis"], 1042);
    let (_, _, declined) = sale_paid_by(&sandbox, |session| by_reference(session, "sandbox-mastercard-4444", "116")).await;
    assert_eq!(declined["state"], "DECLINED");
    let (_, _, challenged) = sale_paid_by(&sandbox, |session| by_reference(session, "sandbox-visa-1111", "321")).await;
    assert_eq!(challenged["state"], "REDIRECT_REQUEST");
    // A card the merchant does not keep: it refuses check sale (its own test below shows why),
    // and the gateway pays nothing.
    let session = initiate(&sandbox, None).await;
    let answer = perform(&sandbox, &session, &by_reference(&session, "sandbox-visa-2222", "123")).await;
    let message = processing_failed(&answer);
    assert!(message.contains("the merchant did not confirm the sale"), "{message}");
    assert!(nothing_charged(&sandbox, &session).await);
    assert_eq!(sandbox.app.gateway.lock().sale_count(), 4, "three sales made, one refused and kept as declined");
}

#[tokio::test]
async fn the_merchant_answers_a_reference_with_its_server_card_id_signed() {
    let sandbox = sandbox().await;
    let key = MerchantControl::new(DEFAULT_CONTROL_KEY).unwrap();
    for card in SAVED_CARDS {
        let session = initiate(&sandbox, None).await;
        let check = |client_card_id: &str| {
            json!({
                "consumer": { "device": { "serialNumber": "SN1" } },
                "session": { "accessToken": session.access_token, "nonce": session.nonce, "signature": session.signature, "token": "0123456789abcdef" },
                "sourceOfFunds": { "reference": { "clientCardId": client_card_id } },
            })
        };
        let path = format!("/merchant/sale/{}/check", session.invoice_id);
        // A card the merchant does not keep is refused, and leaves the invoice open.
        let unknown = post(&sandbox, &path, &check("sandbox-visa-2222"), None).await;
        assert_eq!((unknown.status, parse(&unknown)["error"]["cause"].clone()), (403, json!("FILTERED")), "{}", unknown.body);
        let answer = post(&sandbox, &path, &check(card.client_card_id), None).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let answer = parse(&answer);
        assert_eq!(answer["sourceOfFunds"]["reference"]["serverCardId"], card.server_card_id);
        let mut fields = CheckSignatureFields {
            serial_number: "SN1",
            nonce: &session.nonce,
            endpoint_id: &session.endpoint_id,
            invoice_id: &session.invoice_id,
            server_card_id: Some(card.server_card_id),
        };
        let check_signature = answer["session"]["checkSignature"].as_str().unwrap();
        assert!(key.verify_hmac(&fields.message(), check_signature), "not signed over the server card id: {answer}");
        fields.server_card_id = None;
        assert!(!key.verify_hmac(&fields.message(), check_signature));
    }
}

#[tokio::test]
async fn the_security_code_must_be_of_the_stored_cards_brand() {
    let sandbox = sandbox().await;
    // 1234 passes the request's check (3 or 4 digits while the brand is unknown), but the stored
    // card is a Visa, whose code has 3 digits.
    let session = initiate(&sandbox, None).await;
    let answer = perform(&sandbox, &session, &by_reference(&session, "sandbox-visa-1111", "1234")).await;
    let message = processing_failed(&answer);
    assert!(message.contains("stored card cannot pay"), "{message}");
    assert!(nothing_charged(&sandbox, &session).await);
}

/// What the test's own merchant server answers check sale with: the `serverCardId` it names, and
/// the one it signs into `checkSignature` (the same, for an honest merchant).
#[derive(Clone, Copy, Default)]
struct Naming {
    named: Option<&'static str>,
    signed: Option<&'static str>,
}

/// The test's own merchant server, for check sale only: it keeps every body it is sent and
/// answers each, signed with the sandbox's key, as its current [`Naming`] says.
#[derive(Default)]
struct TestMerchant {
    seen: Mutex<Vec<Value>>,
    naming: Mutex<Naming>,
}

impl TestMerchant {
    /// Answers check sale from now on as `named`, signing `signed`.
    fn name(&self, named: Option<&'static str>, signed: Option<&'static str>) {
        *self.naming.lock().unwrap() = Naming { named, signed };
    }

    /// The last check-sale body it was sent.
    fn last_seen(&self) -> Value {
        self.seen.lock().unwrap().last().cloned().expect("a check sale")
    }
}

async fn test_check_sale(State(merchant): State<Arc<TestMerchant>>, Path(invoice_id): Path<String>, body: String) -> impl IntoResponse {
    let body: Value = serde_json::from_str(&body).unwrap();
    let naming = *merchant.naming.lock().unwrap();
    let nonce = body["session"]["nonce"].as_str().unwrap();
    let check_signature = MerchantControl::new(DEFAULT_CONTROL_KEY).unwrap().check_signature(&CheckSignatureFields {
        serial_number: body["consumer"]["device"]["serialNumber"].as_str().unwrap(),
        nonce,
        endpoint_id: "1111",
        invoice_id: &invoice_id,
        server_card_id: naming.signed,
    });
    let mut answer = json!({
        "invoiceId": invoice_id,
        "session": { "checkSignature": check_signature, "nonce": nonce, "token": body["session"]["token"] },
    });
    if let Some(server_card_id) = naming.named {
        answer["sourceOfFunds"] = json!({ "reference": { "serverCardId": server_card_id } });
    }
    merchant.seen.lock().unwrap().push(body);
    ([(header::CONTENT_TYPE, "application/json")], answer.to_string())
}

#[tokio::test]
async fn the_gateway_asks_with_the_client_card_id_and_pays_only_with_a_card_its_vault_holds() {
    let merchant = Arc::new(TestMerchant::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let merchant_url = format!("http://{}", listener.local_addr().unwrap());
    let router = Router::new().route("/sale/{invoice_id}/check", route_post(test_check_sale)).with_state(merchant.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    // The sandbox initiates the sales; its gateway asks the test's merchant to check them.
    let gateway = sandbox_with(|config| config.merchant_url = Some(merchant_url)).await;

    merchant.name(Some("srv-visa-1111"), Some("srv-visa-1111"));
    let (_, _, approved) = sale_paid_by(&gateway, |session| by_reference(session, "sandbox-visa-1111", "123")).await;
    assert_eq!(approved["state"], "APPROVED");
    // The reference goes to the merchant, the security code never does.
    assert_eq!(merchant.last_seen()["sourceOfFunds"], json!({ "reference": { "clientCardId": "sandbox-visa-1111" } }));

    let refusals = [
        // The merchant's server card id, signed, but the gateway's vault holds no such card.
        ((Some("srv-visa-2222"), Some("srv-visa-2222")), "sandbox-visa-1111", "no card is stored"),
        // No server card id for a sale by reference.
        ((None, None), "sandbox-visa-1111", "named no stored card"),
        // A server card id the checkSignature leaves out.
        ((Some("srv-visa-1111"), None), "sandbox-visa-1111", "checkSignature"),
        // A server card id for a sale by card.
        ((Some("srv-visa-1111"), Some("srv-visa-1111")), "", "for a sale by card"),
    ];
    for ((named, signed), client_card_id, reason) in &refusals {
        let (named, signed, client_card_id) = (*named, *signed, *client_card_id);
        merchant.name(named, signed);
        let session = initiate(&gateway, None).await;
        let body = if client_card_id.is_empty() { perform_body(&session, "123") } else { by_reference(&session, client_card_id, "123") };
        let message = processing_failed(&perform(&gateway, &session, &body).await);
        assert!(message.contains(reason), "{named:?} {signed:?}: {message}");
        assert!(nothing_charged(&gateway, &session).await);
    }
    // A sale by card sends no reference, and is paid when the merchant names no stored card.
    assert_eq!(merchant.last_seen().get("sourceOfFunds"), None);
    merchant.name(None, None);
    let (_, _, paid_by_card) = sale_paid_by(&gateway, |session| perform_body(session, "123")).await;
    assert_eq!(paid_by_card["state"], "APPROVED");
    // Two sales paid; each refusal kept as a declined sale.
    assert_eq!(gateway.app.gateway.lock().sale_count(), 2 + refusals.len());
}
