//! connpay-sandbox: the ConnPay gateway and a reference merchant server on one machine, offline,
//! on `connpay-core`'s wire types and signatures so that the emulator and the module cannot drift.
//!
//! One process serves:
//! - the demo page (`www/`) and the built package (`/pkg/`) under a strict Content-Security-Policy;
//! - the merchant server: `/merchant/auth/access-token`, `/merchant/sale/initiate-sale`,
//!   `/merchant/sale/{invoiceId}/check`, `/merchant/sale/{invoiceId}/settle`, `/merchant/v2/control`;
//! - the gateway: `/paynet/dapi/v1/sale/{endpointId}/{invoiceId}` (and `/status`),
//!   `/paynet/api/v2/sale/{endpointId}`, `/paynet/api/v2/status/{endpointId}`, and the emulated
//!   3-D Secure page `/sandbox/3ds/{key}`.
//!
//! Sales by card reference pay with the demo saved cards of [`cards`], which both sides know.
//! Faults are injected per request with the `X-Sandbox-Fault` header ([`fault`]).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod cards;
pub mod client;
pub mod config;
pub mod fault;
pub mod gateway;
pub mod merchant;
pub mod reply;
pub mod store;
pub mod v2;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use connpay_core::card::YearMonth;
use connpay_core::sign::MerchantControl;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub use config::Config;

/// The policy of every page the sandbox serves: what a merchant's checkout page should use.
/// `frame-src` admits the 3-D Secure window (here the issuer's page is the sandbox's own); the
/// issuer's page sets its own policy, which lets the checkout frame it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    connect-src 'self'; style-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; \
    base-uri 'none'";

/// The largest request body accepted (a larger one gets 413).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The sandbox's state, shared by every handler.
pub struct App {
    /// The settings.
    pub config: Config,
    /// The merchant's control key (the sandbox plays both sides).
    pub key: MerchantControl,
    /// `http://{address}`: where the sandbox answers.
    pub base_url: String,
    /// The merchant server's base URL, without a trailing slash: check sale goes to
    /// `{merchant_url}/sale/{invoiceId}/check`, as the gateway's documentation of check sale writes it.
    pub merchant_url: String,
    /// The merchant server's account: its key, endpoint and login, on the merchant library.
    pub merchant_account: connpay_merchant::Merchant,
    /// The merchant server's memory.
    pub merchant: store::Shared<merchant::MerchantState>,
    /// The gateway's memory.
    pub gateway: store::Shared<gateway::GatewayState>,
}

/// A running sandbox.
pub struct Sandbox {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its state, for tests that look inside.
    pub app: Arc<App>,
    /// The server task.
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Sandbox {
    /// `http://{addr}`.
    pub fn url(&self) -> String {
        self.app.base_url.clone()
    }
}

/// Binds `config.addr` and serves in a new task.
pub async fn start(config: Config) -> std::io::Result<Sandbox> {
    config.check().map_err(|message| std::io::Error::new(std::io::ErrorKind::InvalidInput, message))?;
    let key = MerchantControl::new(&config.control_key)
        .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidInput, error.to_string()))?;
    // The merchant knows how long its gateway keeps a challenge: a pending order's `until`.
    let merchant_account =
        connpay_merchant::Merchant::new(&config.control_key, Some(config.endpoint_id.clone()), Some(config.login.clone()))
            .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidInput, error.to_string()))?
            .with_challenge_lifetime(config.challenge_ttl.as_millis() as u64);
    let listener = TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let base_url = format!("http://{addr}");
    let app = Arc::new(App {
        merchant_url: match &config.merchant_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("{base_url}/merchant"),
        },
        merchant: store::Shared::new(merchant::MerchantState::new(config.capacity)),
        gateway: store::Shared::new(gateway::GatewayState::new(config.capacity)),
        base_url,
        key,
        merchant_account,
        config,
    });
    let router = router(app.clone());
    // Each answer goes out at once: with Nagle's algorithm, a response written in two parts on a
    // kept-alive connection waits for the client's delayed ACK, some 40 ms a request.
    // A socket that refuses the option still answers, only later.
    let listener = listener.tap_io(|stream| drop(stream.set_nodelay(true)));
    let task = tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(Sandbox { addr, app, task })
}

/// Every route, with logging, fault injection, CORS, the body limit and the security headers.
pub fn router(app: Arc<App>) -> Router {
    let json_api = Router::new()
        .route("/merchant/auth/access-token", post(merchant::access_token))
        .route("/merchant/order/new", post(merchant::new_order))
        .route("/merchant/order", get(merchant::order_status))
        .route("/merchant/sale/initiate-sale", post(merchant::initiate_sale))
        .route("/merchant/sale/{invoice_id}/check", post(merchant::check_sale))
        .route("/merchant/sale/{invoice_id}/settle", post(merchant::settle))
        .route("/merchant/v2/control", post(merchant::v2_control))
        .route("/paynet/dapi/v1/sale/{endpoint_id}/{invoice_id}", post(gateway::perform_sale))
        .route("/paynet/dapi/v1/sale/{endpoint_id}/{invoice_id}/status", post(gateway::sale_status))
        .layer(middleware::map_response(reply::spec_errors));
    let api = Router::new()
        .merge(json_api)
        .route("/paynet/api/v2/sale/{endpoint_id}", post(v2::sale))
        .route("/paynet/api/v2/status/{endpoint_id}", post(v2::status))
        .route("/sandbox/3ds/{key}", get(gateway::challenge_page).post(gateway::challenge_submit))
        .route("/sandbox/issuer.css", get(gateway::issuer_style))
        .layer(middleware::from_fn(fault::inject));
    let origins: Vec<HeaderValue> = app.config.allowed_origins.iter().filter_map(|origin| origin.parse().ok()).collect();
    let cors = CorsLayer::new().allow_origin(AllowOrigin::list(origins)).allow_methods([Method::POST]).allow_headers([
        header::CONTENT_TYPE,
        header::ACCEPT,
        HeaderName::from_static(fault::FAULT_HEADER),
    ]);
    let files = ServeDir::new(&app.config.www_dir);
    Router::new()
        .merge(api)
        .nest_service("/pkg", ServeDir::new(&app.config.pkg_dir))
        .fallback_service(files)
        .with_state(app)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors)
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(middleware::from_fn(log))
}

/// One line per request: method, path (no query, no body: never card data), status, time.
#[allow(clippy::print_stdout, reason = "the sandbox's request log: method, path, status and time, never a query or a body")]
async fn log(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    println!("{method} {path} {} {}ms", response.status().as_u16(), started.elapsed().as_millis());
    response
}

/// Now, in milliseconds since 1970 (0 if the clock is before it).
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis() as u64)
}

/// This month by the system clock (UTC), for expiry checks.
pub fn today() -> YearMonth {
    let days = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs() / 86_400);
    let (year, month) = civil_from_days(days);
    YearMonth::new(year, month).unwrap_or_else(|| YearMonth::new(2026, 1).expect("a valid month"))
}

/// The (year, month) of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u32, u32) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (u32::try_from(year).unwrap_or(u32::MAX), month as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_months() {
        assert_eq!(civil_from_days(0), (1970, 1));
        assert_eq!(civil_from_days(20_414), (2025, 11)); // 2025-11-22
        assert_eq!(civil_from_days(20_779), (2026, 11)); // 2026-11-22
        assert_eq!(civil_from_days(11_016), (2000, 2)); // 2000-02-29
    }
}
