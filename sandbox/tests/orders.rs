//! The sandbox's merchant follows the order rules over HTTP: the payer's order is named by its
//! cookie, so a reload or a second tab pays the same order, and no sequence of payer actions
//! charges it twice (late approvals after a closed 3-D Secure window, an answer lost after the
//! sale was made, two tabs).

mod common;

use common::*;
use connpay_sandbox::client;
use serde_json::{json, Value};

/// Access token and initiate sale for the order `order` (its cookie), as a page of that order
/// asks; the answer as it came.
async fn initiate_for(sandbox: &connpay_sandbox::Sandbox, order: &str, fault: Option<&str>) -> (String, Value) {
    let token = parse(&post(sandbox, "/merchant/auth/access-token", &json!({}), None).await);
    let access_token = token["accessToken"].as_str().unwrap().to_string();
    let request = json!({
        "consumer": { "device": { "serialNumber": "SN1" } },
        "transaction": { "amountCentis": 1042, "currency": "EUR" },
        "session": { "accessToken": access_token },
    });
    let cookie = format!("connpay_order={order}");
    let mut headers = vec![("Content-Type", "application/json"), ("Cookie", cookie.as_str())];
    if let Some(fault) = fault {
        headers.push(("X-Sandbox-Fault", fault));
    }
    let url = format!("{}/merchant/sale/initiate-sale", sandbox.url());
    let answer = client::post(&url, &headers, serde_json::to_vec(&request).unwrap()).await.unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    (access_token, parse(&answer))
}

fn session(access_token: String, answer: &Value) -> Session {
    assert_eq!(answer["status"], "open", "{answer}");
    Session {
        access_token,
        endpoint_id: answer["endpointId"].as_str().unwrap().into(),
        invoice_id: answer["invoiceId"].as_str().unwrap().into(),
        nonce: answer["session"]["nonce"].as_str().unwrap().into(),
        signature: answer["session"]["signature"].as_str().unwrap().into(),
    }
}

/// Perform sale of `session` with `cvv`, with `fault` when given; the sale's token when accepted.
async fn pay(sandbox: &connpay_sandbox::Sandbox, session: &Session, cvv: &str, fault: Option<&str>) -> client::Answer {
    match fault {
        None => perform(sandbox, session, &perform_body(session, cvv)).await,
        Some(fault) => {
            let path = format!("/paynet/dapi/v1/sale/{}/{}", session.endpoint_id, session.invoice_id);
            post(sandbox, &path, &perform_body(session, cvv), Some(fault)).await
        }
    }
}

#[tokio::test]
async fn pages_without_an_order_cookie_each_pay_an_order_of_their_own() {
    let sandbox = sandbox().await;
    let (_, _, one) = sale_paid_by(&sandbox, |session| perform_body(session, "123")).await;
    let (_, _, two) = sale_paid_by(&sandbox, |session| perform_body(session, "123")).await;
    assert_eq!((one["state"].as_str(), two["state"].as_str()), (Some("APPROVED"), Some("APPROVED")));
    let (first, second) = (initiate(&sandbox, None).await, initiate(&sandbox, None).await);
    let mut merchant = sandbox.app.merchant.lock();
    let orders = [merchant.order_by_invoice(&first.invoice_id).unwrap(), merchant.order_by_invoice(&second.invoice_id).unwrap()];
    assert_ne!(orders[0].order_id, orders[1].order_id);
}

#[tokio::test]
async fn a_closed_challenge_approved_late_is_the_orders_only_charge() {
    let sandbox = sandbox().await;
    let (token, answer) = initiate_for(&sandbox, "ORDlate", None).await;
    let first = session(token, &answer);
    let accepted = pay(&sandbox, &first, "321", None).await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    let sale_token = parse(&accepted)["session"]["token"].as_str().unwrap().to_string();
    assert_eq!(status(&sandbox, &first, &sale_token).await["state"], "PROCESSING");
    let challenged = status(&sandbox, &first, &sale_token).await;
    let issuer = challenged["redirectUrl"].as_str().unwrap().to_string();

    // The payer closes the window and reloads: the order is pending, with the issuer's page to
    // open again; nothing new is signed.
    let (_, again) = initiate_for(&sandbox, "ORDlate", None).await;
    assert_eq!((again["status"].as_str(), again["invoiceId"].as_str()), (Some("pending"), Some(first.invoice_id.as_str())), "{again}");
    assert_eq!(again["redirectUrl"], issuer.as_str());
    assert!(again["until"].as_u64().is_some(), "{again}");
    // The old page sends its sale again: refused (the invoice had its sale).
    assert_ne!(pay(&sandbox, &first, "123", None).await.status, 200);

    // The banking app approves the first challenge: the next initiate says paid.
    let form = "password=hint&return=%2F";
    client::post(&issuer, &[("Content-Type", "application/x-www-form-urlencoded")], form).await.unwrap();
    let (_, paid) = initiate_for(&sandbox, "ORDlate", None).await;
    assert_eq!(paid, json!({ "status": "paid", "orderId": "ORDlate", "invoiceId": first.invoice_id }));
    let order = sandbox.app.merchant.lock().order_by_invoice(&first.invoice_id).unwrap();
    assert_eq!(order.invoices.len(), 1);
}

#[tokio::test]
async fn an_answer_lost_after_the_sale_then_a_reload_is_paid_without_a_new_sale() {
    let sandbox = sandbox().await;
    let (token, answer) = initiate_for(&sandbox, "ORDlost", None).await;
    let first = session(token, &answer);
    // The gateway makes the sale, and the page gets a 502.
    assert_eq!(pay(&sandbox, &first, "123", Some("status-after=502")).await.status, 502);
    // The reload: the server asks the gateway before it answers, and the order is paid. (The
    // sandbox's first status of a sale is PROCESSING: the first reload may say pending.)
    let (_, reload) = initiate_for(&sandbox, "ORDlost", None).await;
    let reload = if reload["status"] == "pending" { initiate_for(&sandbox, "ORDlost", None).await.1 } else { reload };
    assert_eq!((reload["status"].as_str(), reload["invoiceId"].as_str()), (Some("paid"), Some(first.invoice_id.as_str())), "{reload}");
    assert_eq!(sandbox.app.merchant.lock().order_by_invoice(&first.invoice_id).unwrap().invoices.len(), 1);
}

#[tokio::test]
async fn two_tabs_of_one_order_are_charged_once() {
    let sandbox = sandbox().await;
    let (token_a, answer_a) = initiate_for(&sandbox, "ORDtabs", None).await;
    let (token_b, answer_b) = initiate_for(&sandbox, "ORDtabs", None).await;
    let (tab_a, tab_b) = (session(token_a, &answer_a), session(token_b, &answer_b));
    let (a, b) = tokio::join!(pay(&sandbox, &tab_a, "123", None), pay(&sandbox, &tab_b, "123", None));
    assert_eq!([a.status, b.status].iter().filter(|status| **status == 200).count(), 1, "{} / {}", a.body, b.body);
    assert_eq!(b.status, 200, "the newer invoice is the one that may be paid: {}", b.body);
}

#[tokio::test]
async fn a_declined_sale_leaves_the_order_open_and_a_new_order_starts_empty() {
    let sandbox = sandbox().await;
    let (token, answer) = initiate_for(&sandbox, "ORDdecl", None).await;
    let first = session(token, &answer);
    let sale_token = parse(&pay(&sandbox, &first, "116", None).await)["session"]["token"].as_str().unwrap().to_string();
    status(&sandbox, &first, &sale_token).await;
    assert_eq!(status(&sandbox, &first, &sale_token).await["state"], "DECLINED");
    let (_, again) = initiate_for(&sandbox, "ORDdecl", None).await;
    assert_eq!(again["status"], "open", "a decline leaves the payer free to try again: {again}");
    assert_ne!(again["invoiceId"], first.invoice_id.as_str());

    let started =
        client::post(&format!("{}/merchant/order/new", sandbox.url()), &[("Content-Type", "application/json")], "{}").await.unwrap();
    let order_id = parse(&started)["orderId"].as_str().unwrap().to_string();
    assert!(order_id.starts_with("ORD") && order_id != "ORDdecl", "{order_id}");
    // The new order is empty: its first initiate signs a new invoice.
    let (_, fresh) = initiate_for(&sandbox, &order_id, None).await;
    assert_eq!(fresh["status"], "open", "{fresh}");
    assert_eq!(parse(&client::get(&format!("{}/merchant/order", sandbox.url())).await.unwrap())["status"], "open", "no cookie, no order");
}

#[tokio::test]
async fn a_sale_the_gateway_refused_after_check_sale_frees_the_order() {
    // The merchant confirmed the sale, but its answer did not verify (a wrong key): the gateway
    // refused it. The order must not stay pending for good: the gateway's status says DECLINED.
    let sandbox = sandbox().await;
    let (token, answer) = initiate_for(&sandbox, "ORDrefused", Some("check-signature")).await;
    let first = session(token, &answer);
    let refused = pay(&sandbox, &first, "123", None).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    let (_, again) = initiate_for(&sandbox, "ORDrefused", None).await;
    assert_eq!(again["status"], "open", "{again}");
    let order = sandbox.app.merchant.lock().order_by_invoice(&first.invoice_id).unwrap();
    assert_eq!(order.invoice(&first.invoice_id).unwrap().state, connpay_merchant::InvoiceState::Declined);
}

#[tokio::test]
async fn a_check_sale_forged_from_the_page_holds_the_order_only_for_the_sales_lifetime() {
    // The page knows every value of check sale but the sale's token: devtools post it with a
    // made-up one. The merchant confirms; the gateway, asked with that token, holds no such sale;
    // the real sale is refused. Once the lifetime has passed the order is free again.
    let sandbox = sandbox_with(|config| config.challenge_ttl = std::time::Duration::from_secs(1)).await;
    let (token, answer) = initiate_for(&sandbox, "ORDforged", None).await;
    let first = session(token, &answer);
    let forged = json!({
        "consumer": { "device": { "serialNumber": "SN1" } },
        "session": { "accessToken": first.access_token, "nonce": first.nonce, "signature": first.signature, "token": "f".repeat(32) },
    });
    assert_eq!(post(&sandbox, &format!("/merchant/sale/{}/check", first.invoice_id), &forged, None).await.status, 200);
    assert_ne!(pay(&sandbox, &first, "123", None).await.status, 200, "the real sale is refused: the invoice is confirmed for another");
    let (_, held) = initiate_for(&sandbox, "ORDforged", None).await;
    assert_eq!(held["status"], "pending", "{held}");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, freed) = initiate_for(&sandbox, "ORDforged", None).await;
    assert_eq!(freed["status"], "open", "{freed}");
}
