//! The `connpay-sandbox` binary as a developer runs it: `--help` names the flags and the saved
//! cards' ids (a merchant server of one's own must answer check sale with the server ids), and a
//! v2 callback that fails is one line of its output, without the callback's body.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

mod common;

use common::v2::{signed, v2_request, FORM};
use connpay_core::v2::{parse_v2_response, V2SaleForm};
use connpay_sandbox::cards::SAVED_CARDS;
use connpay_sandbox::client;

const BINARY: &str = env!("CARGO_BIN_EXE_connpay-sandbox");

#[test]
fn help_lists_the_flags_and_the_saved_cards_ids() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in ["--currency", "CONNPAY_SANDBOX_CURRENCY", "--challenge-ttl", "CONNPAY_SANDBOX_CHALLENGE_TTL"] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    for card in SAVED_CARDS {
        let line =
            help.lines().find(|line| line.contains(card.client_card_id)).unwrap_or_else(|| panic!("{}: {help}", card.client_card_id));
        assert!(line.contains(card.server_card_id), "{line}");
    }
}

#[test]
fn a_wrong_currency_or_lifetime_stops_the_binary_with_a_reason() {
    for (flag, value) in [("--currency", "XAU"), ("--challenge-ttl", "0")] {
        let output = Command::new(BINARY).args(["--addr", "127.0.0.1:0", flag, value]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        assert!(String::from_utf8_lossy(&output.stderr).contains(flag), "{flag} {value}");
    }
}

/// The binary on a free port, and its output's lines as they come.
fn start(env: &[(&str, &str)]) -> (Child, String, mpsc::Receiver<String>) {
    let www = std::env::temp_dir().join(format!("connpay-sandbox-binary-{}", std::process::id()));
    std::fs::create_dir_all(&www).unwrap();
    let mut child = Command::new(BINARY)
        .args(["--addr", "127.0.0.1:0", "--www"])
        .arg(&www)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (sender, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let banner = lines.recv_timeout(Duration::from_secs(30)).expect("the banner");
    let url = banner.strip_prefix("connpay sandbox at ").map(|rest| rest.split('/').take(3).collect::<Vec<_>>().join("/")).unwrap();
    assert!(banner.contains("currency EUR"), "{banner}");
    (child, url, lines)
}

#[tokio::test]
async fn a_failed_callback_is_one_line_without_its_body() {
    let (mut child, url, lines) = start(&[]);
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let callback = format!("http://{closed}/shop/callback?token=SECRET");
    let request = v2_request("LOG-1", "10.42", "EUR", "123", Some(&callback));
    let control = signed(&request);
    let form = V2SaleForm::build(&request, &control);
    let answer = client::post(&format!("{url}{}", form.path), &FORM, form.body).await.unwrap();
    let order_id = parse_v2_response(answer.body.as_bytes()).unwrap().paynet_order_id.expect("an order");
    let mut seen = Vec::new();
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(15)) {
        let done = line.contains("callback");
        seen.push(line);
        if done {
            break;
        }
    }
    child.kill().ok();
    child.wait().ok();
    let callback_lines: Vec<&String> = seen.iter().filter(|line| line.contains("callback")).collect();
    assert_eq!(callback_lines.len(), 1, "{seen:?}");
    let line = callback_lines[0];
    assert!(line.contains("failed") && line.contains(&order_id) && line.contains(&format!("http://{closed}/shop/callback")), "{line}");
    for secret in ["SECRET", "control", "status=", "LOG-1", &control] {
        assert!(!line.contains(secret), "{secret} in {line}");
    }
}
