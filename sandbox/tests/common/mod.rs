//! Helpers shared by the sandbox's integration tests (`tests/flow.rs`, `tests/attacks.rs`,
//! `tests/saved_cards.rs`, …): a sandbox on a free port, JSON posts to it, the merchant's side of a
//! sale (access token, initiate sale) up to the page's perform sale, and a whole sale to its
//! first state after PROCESSING; /api/v2 forms in [`v2`].

#![allow(dead_code, reason = "each test file uses its own part of them")]

pub mod v2;

use connpay_sandbox::client::{self, Answer};
use connpay_sandbox::{start, Config, Sandbox};
use serde_json::{json, Value};

/// A sandbox on a free port, serving a demo page and package from a temporary directory of this
/// test binary's own, with `configure` applied to its configuration.
pub async fn sandbox_with(configure: impl FnOnce(&mut Config)) -> Sandbox {
    let files = std::env::temp_dir().join(format!("connpay-sandbox-{}-{}", env!("CARGO_CRATE_NAME"), std::process::id()));
    std::fs::create_dir_all(files.join("pkg")).unwrap();
    std::fs::write(files.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(files.join("pkg/module.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let mut config =
        Config { addr: "127.0.0.1:0".parse().unwrap(), www_dir: files.clone(), pkg_dir: files.join("pkg"), ..Config::default() };
    configure(&mut config);
    start(config).await.expect("the sandbox starts")
}

/// A sandbox started with `flags` as a command line gives them (on a free port, serving the
/// test's own files).
pub async fn sandbox_with_flags(flags: &[&str]) -> Sandbox {
    let flags: Vec<String> = flags.iter().map(|flag| (*flag).to_string()).collect();
    let read = Config::from_args(flags.clone(), |_| None).unwrap_or_else(|error| panic!("{flags:?}: {error}"));
    sandbox_with(|config| *config = Config { addr: config.addr, www_dir: config.www_dir.clone(), pkg_dir: config.pkg_dir.clone(), ..read })
        .await
}

/// A sandbox with the default configuration.
pub async fn sandbox() -> Sandbox {
    sandbox_with(|_| {}).await
}

/// A JSON POST of `body` to `path` on `sandbox`, with `X-Sandbox-Fault: fault` when given.
pub async fn post(sandbox: &Sandbox, path: &str, body: &Value, fault: Option<&str>) -> Answer {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(fault) = fault {
        headers.push(("X-Sandbox-Fault", fault));
    }
    client::post(&format!("{}{path}", sandbox.url()), &headers, serde_json::to_vec(body).unwrap()).await.expect("an answer")
}

pub fn parse(answer: &Answer) -> Value {
    serde_json::from_str(&answer.body).unwrap_or_else(|_| panic!("not JSON ({}): {}", answer.status, answer.body))
}

/// Access token and initiate sale: what the page gets from the merchant's server.
pub struct Session {
    pub access_token: String,
    pub endpoint_id: String,
    pub invoice_id: String,
    pub nonce: String,
    pub signature: String,
}

/// A session from `merchant`, its initiate sale posted with `fault` when given.
pub async fn initiate(merchant: &Sandbox, fault: Option<&str>) -> Session {
    let token = parse(&post(merchant, "/merchant/auth/access-token", &json!({}), None).await);
    let access_token = token["accessToken"].as_str().unwrap().to_string();
    assert_eq!(access_token.len(), 64);
    let request = json!({
        "consumer": { "device": { "serialNumber": "SN1" } },
        "transaction": { "amountCentis": 1042, "currency": "EUR" },
        "session": { "accessToken": access_token },
    });
    let answer = post(merchant, "/merchant/sale/initiate-sale", &request, fault).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let sale = parse(&answer);
    Session {
        access_token,
        endpoint_id: sale["endpointId"].as_str().unwrap().into(),
        invoice_id: sale["invoiceId"].as_str().unwrap().into(),
        nonce: sale["session"]["nonce"].as_str().unwrap().into(),
        signature: sale["session"]["signature"].as_str().unwrap().into(),
    }
}

/// The page's perform sale body for `session`, paying with CVV `cvv`.
pub fn perform_body(session: &Session, cvv: &str) -> Value {
    json!({
        "consumer": { "device": { "serialNumber": "SN1" }, "email": "john.smith@gmail.com" },
        "session": { "accessToken": session.access_token, "nonce": session.nonce, "signature": session.signature },
        "sourceOfFunds": { "card": {
            "number": "4111111111111111", "securityCode": cvv,
            "expiry": { "month": 12, "year": 2040 }, "holder": { "firstName": "John", "lastName": "Smith" },
        } },
        "transaction": { "amountCentis": 1042, "currency": "EUR" },
    })
}

/// The perform sale of `session` sent to `gateway`.
pub async fn perform(gateway: &Sandbox, session: &Session, body: &Value) -> Answer {
    post(gateway, &format!("/paynet/dapi/v1/sale/{}/{}", session.endpoint_id, session.invoice_id), body, None).await
}

/// The sale status of `session`'s sale of token `token`, which must be answered.
pub async fn status(sandbox: &Sandbox, session: &Session, token: &str) -> Value {
    let body = json!({ "session": { "accessToken": session.access_token, "token": token } });
    let answer = post(sandbox, &format!("/paynet/dapi/v1/sale/{}/{}/status", session.endpoint_id, session.invoice_id), &body, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    parse(&answer)
}

/// A whole sale on a sandbox that is its own merchant, its perform sale written by `pay`, to its
/// first state after PROCESSING; returns the session, the sale's token and that status.
pub async fn sale_paid_by(sandbox: &Sandbox, pay: impl FnOnce(&Session) -> Value) -> (Session, String, Value) {
    let session = initiate(sandbox, None).await;
    let answer = perform(sandbox, &session, &pay(&session)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let accepted = parse(&answer);
    assert_eq!(accepted["invoiceId"], session.invoice_id.as_str());
    let token = accepted["session"]["token"].as_str().unwrap().to_string();
    assert_eq!(status(sandbox, &session, &token).await["state"], "PROCESSING");
    let next = status(sandbox, &session, &token).await;
    (session, token, next)
}
