//! An endpoint takes one currency (`--currency`), as a real one is configured for: a perform sale
//! or an /api/v2 form in another is refused. This closes the v2 currency swap: the `control` signs
//! the amount in minor units and no currency, so a form signed for 10.42 EUR verifies with 10.42
//! IDR, 1042 JPY or 1.042 BHD.

mod common;

use common::v2::{pair, signed, v2_order, v2_order_count, v2_post, v2_request};
use common::{parse, perform, perform_body, post, sale_paid_by, sandbox, sandbox_with_flags, Session};
use connpay_sandbox::Sandbox;
use serde_json::{json, Value};

/// Initiate sale for 10.42 in `currency` (the sandbox's merchant signs any currency it is asked).
async fn initiate_in(sandbox: &Sandbox, currency: &str) -> Session {
    let token = parse(&post(sandbox, "/merchant/auth/access-token", &json!({}), None).await)["accessToken"].as_str().unwrap().to_string();
    let request = json!({
        "consumer": { "device": { "serialNumber": "SN1" } },
        "transaction": { "amountCentis": 1042, "currency": currency },
        "session": { "accessToken": token },
    });
    let answer = post(sandbox, "/merchant/sale/initiate-sale", &request, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let sale = parse(&answer);
    Session {
        access_token: token,
        endpoint_id: sale["endpointId"].as_str().unwrap().into(),
        invoice_id: sale["invoiceId"].as_str().unwrap().into(),
        nonce: sale["session"]["nonce"].as_str().unwrap().into(),
        signature: sale["session"]["signature"].as_str().unwrap().into(),
    }
}

fn paid_in(session: &Session, currency: &str, cvv: &str) -> Value {
    let mut body = perform_body(session, cvv);
    body["transaction"]["currency"] = json!(currency);
    body
}

/// The merchant's settle of `session`'s invoice: `VOIDED` when no check sale ever came.
async fn settled(sandbox: &Sandbox, session: &Session) -> Value {
    parse(&post(sandbox, &format!("/merchant/sale/{}/settle", session.invoice_id), &json!({}), None).await)["state"].clone()
}

#[tokio::test]
async fn a_perform_sale_in_another_currency_than_the_endpoints_is_refused_before_check_sale() {
    let euro = sandbox().await;
    for currency in ["USD", "IDR", "JPY", "BHD"] {
        let session = initiate_in(&euro, currency).await;
        let answer = perform(&euro, &session, &paid_in(&session, currency, "123")).await;
        assert_eq!(answer.status, 400, "{currency}: {}", answer.body);
        let error = &parse(&answer)["error"];
        assert_eq!((error["cause"].as_str(), error["code"].as_str()), (Some("INVALID_REQUEST"), Some("400")), "{error}");
        assert!(error["message"].as_str().unwrap().contains("transaction.currency"), "{error}");
        // The merchant was never asked to confirm it: its invoice is voided, never charged.
        assert_eq!(settled(&euro, &session).await, "VOIDED", "{currency}");
    }
    assert_eq!(euro.app.gateway.lock().sale_count(), 0);
    // The endpoint's own currency pays.
    let (_, _, approved) = sale_paid_by(&euro, |session| perform_body(session, "123")).await;
    assert_eq!(approved["state"], "APPROVED");

    // An endpoint of another currency takes that one only.
    let yen = sandbox_with_flags(&["--currency", "JPY"]).await;
    let session = initiate_in(&yen, "EUR").await;
    assert_eq!(perform(&yen, &session, &paid_in(&session, "EUR", "123")).await.status, 400);
    let session = initiate_in(&yen, "JPY").await;
    let answer = perform(&yen, &session, &paid_in(&session, "JPY", "123")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn a_v2_control_signed_for_10_42_eur_is_refused_in_any_other_currency() {
    let sandbox = sandbox().await;
    let parts = json!({ "clientOrderId": "SWAP-1", "amount": "10.42", "currency": "EUR", "email": "john.smith@gmail.com" });
    let control = parse(&post(&sandbox, "/merchant/v2/control", &parts, None).await)["control"].as_str().unwrap().to_string();
    for (amount, currency) in [("10.42", "IDR"), ("1042", "JPY"), ("1.042", "BHD"), ("10.42", "USD")] {
        let swapped = v2_request("SWAP-1", amount, currency, "123", None);
        // The swap is real: the control signs no currency, so it verifies for this form too.
        assert_eq!(signed(&swapped), control, "{amount} {currency}");
        let answer = v2_post(&sandbox, &swapped, &control).await;
        assert_eq!(pair(&answer, "type"), Some("validation-error"), "{amount} {currency}: {answer:?}");
        assert!(pair(&answer, "error-message").unwrap().starts_with("currency: "), "{answer:?}");
        assert!(pair(&answer, "paynet-order-id").is_none());
    }
    assert_eq!(v2_order_count(&sandbox), 0);
    // The form it was signed for is accepted: the refusals took no order id.
    v2_order(&sandbox, &v2_request("SWAP-1", "10.42", "EUR", "123", None)).await;

    // An endpoint in yen takes the yen form, and no other.
    let yen = sandbox_with_flags(&["--currency", "JPY"]).await;
    let answer = v2_post(&yen, &v2_request("SWAP-2", "10.42", "EUR", "123", None), &control).await;
    assert_eq!(pair(&answer, "type"), Some("validation-error"), "{answer:?}");
    v2_order(&yen, &v2_request("SWAP-2", "1042", "JPY", "123", None)).await;
}
