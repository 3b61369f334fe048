//! A 3-D Secure challenge as an issuer keeps it: open for `--challenge-ttl` seconds, during which
//! an approval may land at any moment (after the payer closed the checkout's window too); declined
//! at once by the issuer page's own Cancel; declined when it expires, after which its page
//! approves nothing.

mod common;

use std::time::{Duration, Instant};

use common::v2::FORM;
use common::{perform_body, sale_paid_by, sandbox, sandbox_with_flags, status, Session};
use connpay_sandbox::client::{self, Answer};
use connpay_sandbox::Sandbox;

/// A sale with CVV 321 asked until it wants 3-D Secure; the issuer page's URL.
async fn challenged(sandbox: &Sandbox) -> (Session, String, String) {
    let (session, token, next) = sale_paid_by(sandbox, |session| perform_body(session, "321")).await;
    assert_eq!(next["state"], "REDIRECT_REQUEST");
    (session, token, next["redirectUrl"].as_str().unwrap().to_string())
}

async fn submit(url: &str, form: &str) -> Answer {
    client::post(url, &FORM, form.to_string()).await.unwrap()
}

#[tokio::test]
async fn an_approval_lands_after_the_payers_window_closed() {
    let sandbox = sandbox().await;
    let (session, token, url) = challenged(&sandbox).await;
    // The payer closed the checkout's window: nothing tells the gateway, the page keeps asking.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(status(&sandbox, &session, &token).await["state"], "REDIRECT_REQUEST");
    }
    // The banking app's approval reaches the issuer later: the sale is approved.
    assert_eq!(submit(&url, "password=hint").await.status, 200);
    assert_eq!(status(&sandbox, &session, &token).await["state"], "APPROVED");
}

#[tokio::test]
async fn a_challenge_expires_after_its_lifetime_and_its_sale_is_declined() {
    let sandbox = sandbox_with_flags(&["--challenge-ttl", "2"]).await;
    let started = Instant::now();
    let (late, late_token, late_url) = challenged(&sandbox).await;
    let (early, early_token, early_url) = challenged(&sandbox).await;
    // An approval just before the end is taken, and stays after it.
    tokio::time::sleep(Duration::from_millis(1200).saturating_sub(started.elapsed())).await;
    assert_eq!(status(&sandbox, &late, &late_token).await["state"], "REDIRECT_REQUEST");
    assert_eq!(submit(&early_url, "password=hint").await.status, 200);
    tokio::time::sleep(Duration::from_millis(2300).saturating_sub(started.elapsed())).await;
    assert_eq!(status(&sandbox, &early, &early_token).await["state"], "APPROVED");
    // The other was left open: declined, and its page no longer approves.
    assert_eq!(status(&sandbox, &late, &late_token).await["state"], "DECLINED");
    let page = client::get(&late_url).await.unwrap();
    assert_eq!(page.status, 410, "{}", page.body);
    assert!(page.body.contains("expired") && !page.body.contains("name=\"password\""), "{}", page.body);
    let answer = submit(&late_url, "password=hint&return=%2F").await;
    assert_eq!((answer.status, answer.location), (410, None), "{}", answer.body);
    assert_eq!(status(&sandbox, &late, &late_token).await["state"], "DECLINED");
}

#[tokio::test]
async fn the_issuer_pages_cancel_declines_the_challenge_at_once() {
    let sandbox = sandbox().await;
    let (session, token, url) = challenged(&sandbox).await;
    let page = client::get(&format!("{url}?return=/")).await.unwrap();
    assert_eq!(page.status, 200);
    // A real button of the form, that needs no password, after Confirm (which Enter presses).
    let cancel = r#"<button type="submit" name="action" value="cancel" formnovalidate class="cancel">Cancel</button>"#;
    let confirm = r#"<button type="submit" name="action" value="confirm">Confirm</button>"#;
    let (at_cancel, at_confirm) = (page.body.find(cancel), page.body.find(confirm));
    assert!(at_confirm.is_some() && at_cancel > at_confirm, "{}", page.body);
    assert!(page.body.contains(r#"<link rel="stylesheet" href="/sandbox/issuer.css">"#));
    assert!(client::get(&format!("{}/sandbox/issuer.css", sandbox.url())).await.unwrap().body.contains("button.cancel{"));

    let back = format!("{}/", sandbox.url());
    let cancelled = submit(&url, "password=&action=cancel&return=%2F").await;
    assert_eq!((cancelled.status, cancelled.location), (303, Some(back)), "{}", cancelled.body);
    assert_eq!(status(&sandbox, &session, &token).await["state"], "DECLINED");
    // A password after the cancel changes nothing.
    submit(&url, "password=hint&action=confirm").await;
    assert_eq!(status(&sandbox, &session, &token).await["state"], "DECLINED");

    // Without a return address the page says what happened; a form with neither a password nor
    // a cancel answers nothing.
    let (session, token, url) = challenged(&sandbox).await;
    assert_eq!(submit(&url, "action=confirm").await.status, 400);
    assert_eq!(submit(&url, "action=other&password=hint").await.status, 400);
    assert_eq!(status(&sandbox, &session, &token).await["state"], "REDIRECT_REQUEST");
    let cancelled = submit(&url, "action=cancel").await;
    assert_eq!(cancelled.status, 200);
    assert!(cancelled.body.contains("Payment cancelled"), "{}", cancelled.body);
    assert_eq!(status(&sandbox, &session, &token).await["state"], "DECLINED");
    // An approved challenge cannot be cancelled afterwards.
    let (session, token, url) = challenged(&sandbox).await;
    submit(&url, "password=hint").await;
    assert!(submit(&url, "action=cancel").await.body.contains("Authentication complete"));
    // A wrong password declines, and says so; a later answer says what stands.
    let (_, _, url) = challenged(&sandbox).await;
    assert!(submit(&url, "password=wrong").await.body.contains("Authentication failed"));
    assert!(submit(&url, "password=hint").await.body.contains("already declined"));
    assert_eq!(status(&sandbox, &session, &token).await["state"], "APPROVED");
}
