//! `connpay-sandbox [--addr 127.0.0.1:8080] [--endpoint-id 1111] [--control-key …] [--login …]
//! [--currency EUR] [--challenge-ttl 1800] [--www www] [--pkg pkg] [--allow-origin URL]… [--merchant-url URL]
//! [--capacity N]`
#![allow(clippy::print_stdout, clippy::print_stderr, reason = "the binary's console: --help, its address, and why it stopped")]

use connpay_sandbox::{start, Config};

#[tokio::main]
async fn main() {
    if std::env::args().skip(1).any(|arg| matches!(arg.as_str(), "--help" | "-h")) {
        print!("{}", connpay_sandbox::config::usage());
        return;
    }
    let config = match Config::from_args(std::env::args().skip(1), |name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("connpay-sandbox: {message}");
            std::process::exit(2);
        }
    };
    // Run from another folder, the default `www` and `pkg` are not there: / and /pkg/ would
    // answer 404 with no word why.
    for (flag, dir) in [("--www", &config.www_dir), ("--pkg", &config.pkg_dir)] {
        if !dir.is_dir() {
            eprintln!("connpay-sandbox: no folder {} here: its pages answer 404 (pass {flag} DIR)", dir.display());
        }
    }
    let (endpoint, login, currency) = (config.endpoint_id.clone(), config.login.clone(), config.currency.clone());
    let sandbox = match start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("connpay-sandbox: {error}");
            std::process::exit(1);
        }
    };
    println!("connpay sandbox at {}/ (endpoint {endpoint}, login {login}, currency {currency})", sandbox.url());
    tokio::select! {
        result = sandbox.task => {
            if let Ok(Err(error)) | Err(error) = result.map_err(std::io::Error::other) {
                eprintln!("connpay-sandbox: {error}");
                std::process::exit(1);
            }
        }
        _ = tokio::signal::ctrl_c() => {}
    }
}
