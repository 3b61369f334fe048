//! The sandbox's settings: flags, then environment variables, then documented defaults.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::cards::SAVED_CARDS;

/// Everything the sandbox needs to know.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen (`--addr`, `CONNPAY_SANDBOX_ADDR`; default `127.0.0.1:8080`; port 0 picks one).
    pub addr: SocketAddr,
    /// The merchant's endpoint id (`--endpoint-id`, `CONNPAY_SANDBOX_ENDPOINT_ID`; default `1111`).
    pub endpoint_id: String,
    /// The merchant's control key (`--control-key`, `CONNPAY_SANDBOX_CONTROL_KEY`; default the
    /// gateway documentation's example key). The sandbox is both gateway and merchant, so both sides hold it.
    pub control_key: String,
    /// The merchant's login for /api/v2/status (`--login`, `CONNPAY_SANDBOX_LOGIN`; default `sandbox`).
    pub login: String,
    /// The demo page (`--www`; default `www`).
    pub www_dir: PathBuf,
    /// The built package, served at `/pkg/` (`--pkg`; default `pkg`).
    pub pkg_dir: PathBuf,
    /// Origins other than its own that may call it (`--allow-origin`, repeatable;
    /// `CONNPAY_SANDBOX_ALLOWED_ORIGINS`, comma-separated).
    pub allowed_origins: Vec<String>,
    /// The merchant server's base URL (`--merchant-url`; default the sandbox's own `/merchant`):
    /// the gateway asks check sale at `{url}/sale/{invoiceId}/check`, as the gateway's documentation of check sale writes it.
    pub merchant_url: Option<String>,
    /// The endpoint's one currency (`--currency`, `CONNPAY_SANDBOX_CURRENCY`; default `EUR`), an
    /// ISO 4217 code with minor units, as a real endpoint is configured for one: a perform sale or
    /// an /api/v2/sale form in another is refused.
    pub currency: String,
    /// How long a 3-D Secure challenge stays open (`--challenge-ttl` in seconds,
    /// `CONNPAY_SANDBOX_CHALLENGE_TTL`; default 1800, the 30 minutes connpay-checkout's and
    /// connpay-checkout-server's `challengeLifetimeMs` assume): until then the issuer's page may still
    /// approve it (an out-of-band approval may land at any moment), after it the sale is DECLINED.
    pub challenge_ttl: Duration,
    /// How many invoices, orders and tokens of each kind are kept before the oldest are dropped.
    /// The gateway's used nonces and the invoices it took a sale for are never dropped (a
    /// fixed-size hash each): a replay is refused however many sales came after.
    pub capacity: usize,
}

/// The longest `--challenge-ttl`: a day (gateways keep an abandoned challenge 15–30 minutes).
pub const MAX_CHALLENGE_TTL_SECONDS: u64 = 86_400;

/// What `--help` prints: [`USAGE`], the demo saved cards' ids and the security codes' outcomes.
pub fn usage() -> String {
    let mut text = String::from(USAGE);
    text.push_str(
        "\nsaved cards (every payer's; a sale by card reference names the client id, and a merchant server of\n\
         your own, --merchant-url, must answer check sale with the server id, signed into checkSignature,\n\
         or the gateway refuses the sale):\n",
    );
    for card in SAVED_CARDS {
        let _ = writeln!(text, "  clientCardId {:<24} serverCardId {:<20} {}", card.client_card_id, card.server_card_id, card.number);
    }
    text.push_str(
        "\nsecurity codes: 123, 1234, 111 approve; 321 asks for 3-D Secure (password hint approves; the issuer\n\
         page's Cancel, another password or --challenge-ttl seconds unanswered decline); 217 stays\n\
         processing; any other declines\n",
    );
    text
}

/// The flags part of what `--help` prints.
pub const USAGE: &str = "\
connpay-sandbox: the ConnPay gateway emulator and a reference merchant server, on 127.0.0.1

flags (each also read from the environment variable in brackets; flags win):
  --addr HOST:PORT       where to listen (CONNPAY_SANDBOX_ADDR; default 127.0.0.1:8080; port 0 picks one)
  --endpoint-id ID       the merchant's endpoint (CONNPAY_SANDBOX_ENDPOINT_ID; default 1111)
  --control-key KEY      the merchant's control key (CONNPAY_SANDBOX_CONTROL_KEY;
                         default B17F59B4-A7DC-41B4-8FF9-37D986B43D20)
  --login LOGIN          the merchant's /api/v2 login (CONNPAY_SANDBOX_LOGIN; default sandbox)
  --currency CODE        the endpoint's one currency: sales and /api/v2 forms in another are refused
                         (CONNPAY_SANDBOX_CURRENCY; default EUR)
  --challenge-ttl SECS   how long a 3-D Secure challenge stays open before its sale is DECLINED
                         (CONNPAY_SANDBOX_CHALLENGE_TTL; default 1800, at most 86400)
  --merchant-url URL     the merchant server's base URL: check sale goes to URL/sale/{invoiceId}/check
                         (default the sandbox's own /merchant)
  --allow-origin ORIGIN  another origin whose pages may call it (CORS) and frame its 3-D Secure
                         page: a page served from anywhere but the sandbox itself needs it, even
                         http://127.0.0.1 on another port (the browser refuses the call, and the
                         checkout cannot tell whether it was sent); /api/v2 callbacks may be posted
                         to it too (and always to 127.0.0.0/8, localhost and [::1]); repeatable
                         (CONNPAY_SANDBOX_ALLOWED_ORIGINS, comma-separated)
  --www DIR              the demo shop's pages it serves at / (default www, relative to where it
                         runs; a folder that is missing is said at start)
  --pkg DIR              the browser package, served at /pkg/ (default pkg)
  --capacity N           invoices, sales and orders kept before the oldest go (default 10000)
  --help                 this text
";

/// The example control key of the gateway's documentation (its signature examples use it).
pub const DEFAULT_CONTROL_KEY: &str = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20";

impl Default for Config {
    fn default() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            endpoint_id: "1111".into(),
            control_key: DEFAULT_CONTROL_KEY.into(),
            login: "sandbox".into(),
            www_dir: "www".into(),
            pkg_dir: "pkg".into(),
            allowed_origins: Vec::new(),
            merchant_url: None,
            currency: "EUR".into(),
            challenge_ttl: Duration::from_secs(1800),
            capacity: 10_000,
        }
    }
}

impl Config {
    /// Reads flags (`--name value`) over the environment over the defaults.
    pub fn from_args(args: impl IntoIterator<Item = String>, env: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let mut config = Config::default();
        if let Some(addr) = env("CONNPAY_SANDBOX_ADDR") {
            config.addr = addr.parse().map_err(|_| format!("CONNPAY_SANDBOX_ADDR is not an address: {addr}"))?;
        }
        for (name, field) in [
            ("CONNPAY_SANDBOX_ENDPOINT_ID", &mut config.endpoint_id),
            ("CONNPAY_SANDBOX_CONTROL_KEY", &mut config.control_key),
            ("CONNPAY_SANDBOX_LOGIN", &mut config.login),
            ("CONNPAY_SANDBOX_CURRENCY", &mut config.currency),
        ] {
            if let Some(value) = env(name) {
                *field = value;
            }
        }
        if let Some(seconds) = env("CONNPAY_SANDBOX_CHALLENGE_TTL") {
            config.challenge_ttl = challenge_ttl("CONNPAY_SANDBOX_CHALLENGE_TTL", &seconds)?;
        }
        if let Some(origins) = env("CONNPAY_SANDBOX_ALLOWED_ORIGINS") {
            config.allowed_origins = origins.split(',').map(str::trim).filter(|o| !o.is_empty()).map(String::from).collect();
        }
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            // Taken whatever the flag: an unknown one is named as such, not as missing its value.
            let given = args.next();
            let value = || given.clone().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--addr" => {
                    let value = value()?;
                    config.addr = value.parse().map_err(|_| format!("--addr is not an address: {value}"))?;
                }
                "--endpoint-id" => config.endpoint_id = value()?,
                "--control-key" => config.control_key = value()?,
                "--login" => config.login = value()?,
                "--www" => config.www_dir = value()?.into(),
                "--pkg" => config.pkg_dir = value()?.into(),
                "--allow-origin" => config.allowed_origins.push(value()?),
                "--merchant-url" => config.merchant_url = Some(value()?),
                "--currency" => config.currency = value()?,
                "--challenge-ttl" => config.challenge_ttl = challenge_ttl("--challenge-ttl", &value()?)?,
                "--capacity" => {
                    let value = value()?;
                    config.capacity = value.parse().map_err(|_| format!("--capacity is not a number: {value}"))?;
                }
                _ => return Err(format!("unknown flag {flag} (--help lists the flags)")),
            }
        }
        config.check()?;
        Ok(config)
    }

    /// What no setting source can make valid: a currency with no minor units or no ISO 4217
    /// code, a challenge that could never be answered.
    pub fn check(&self) -> Result<(), String> {
        if connpay_core::v2::currency_exponent(&self.currency).is_none() {
            return Err(format!(
                "--currency (CONNPAY_SANDBOX_CURRENCY) is not an ISO 4217 code with minor units, such as EUR: {}",
                self.currency
            ));
        }
        if self.challenge_ttl.is_zero() {
            return Err("--challenge-ttl (CONNPAY_SANDBOX_CHALLENGE_TTL) must be more than 0".into());
        }
        Ok(())
    }
}

/// A challenge's lifetime in whole seconds, 1 to [`MAX_CHALLENGE_TTL_SECONDS`].
fn challenge_ttl(name: &str, seconds: &str) -> Result<Duration, String> {
    match seconds.parse::<u64>() {
        Ok(seconds @ 1..=MAX_CHALLENGE_TTL_SECONDS) => Ok(Duration::from_secs(seconds)),
        _ => Err(format!("{name} is not a number of seconds from 1 to {MAX_CHALLENGE_TTL_SECONDS}: {seconds}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_environment_over_the_defaults() {
        let env = |name: &str| match name {
            "CONNPAY_SANDBOX_ADDR" => Some("127.0.0.1:9000".to_string()),
            "CONNPAY_SANDBOX_LOGIN" => Some("shop".to_string()),
            "CONNPAY_SANDBOX_ALLOWED_ORIGINS" => Some("http://a.test, http://b.test".to_string()),
            _ => None,
        };
        let args = ["--addr", "127.0.0.1:0", "--endpoint-id", "77", "--allow-origin", "http://c.test"].map(String::from);
        let config = Config::from_args(args, env).unwrap();
        assert_eq!(config.addr.port(), 0);
        assert_eq!(config.endpoint_id, "77");
        assert_eq!(config.login, "shop");
        assert_eq!(config.control_key, DEFAULT_CONTROL_KEY);
        assert_eq!(config.allowed_origins, ["http://a.test", "http://b.test", "http://c.test"]);
        assert!(Config::from_args(["--nope".to_string(), "x".to_string()], |_| None).is_err());
        assert!(Config::from_args(["--addr".to_string()], |_| None).is_err());
    }

    #[test]
    fn the_currency_and_the_challenges_lifetime_are_read_and_checked() {
        let defaults = Config::from_args([], |_| None).unwrap();
        assert_eq!((defaults.currency.as_str(), defaults.challenge_ttl), ("EUR", Duration::from_secs(1800)));
        let env = |name: &str| match name {
            "CONNPAY_SANDBOX_CURRENCY" => Some("JPY".to_string()),
            "CONNPAY_SANDBOX_CHALLENGE_TTL" => Some("5".to_string()),
            _ => None,
        };
        let from_env = Config::from_args([], env).unwrap();
        assert_eq!((from_env.currency.as_str(), from_env.challenge_ttl), ("JPY", Duration::from_secs(5)));
        let flags = ["--currency", "BHD", "--challenge-ttl", "86400"].map(String::from);
        let from_flags = Config::from_args(flags, env).unwrap();
        assert_eq!((from_flags.currency.as_str(), from_flags.challenge_ttl), ("BHD", Duration::from_secs(86_400)));
        for (flag, value) in [
            ("--currency", "eur"),
            ("--currency", "XAU"),
            ("--currency", "EURO"),
            ("--currency", ""),
            ("--challenge-ttl", "0"),
            ("--challenge-ttl", "86401"),
            ("--challenge-ttl", "-1"),
            ("--challenge-ttl", "1.5"),
            ("--challenge-ttl", "18446744073709551616"),
        ] {
            assert!(Config::from_args([flag, value].map(String::from), |_| None).is_err(), "{flag} {value}");
        }
        assert!(Config::from_args([], |name| (name == "CONNPAY_SANDBOX_CURRENCY").then(|| "XXX".to_string())).is_err());
        assert!(Config::from_args([], |name| (name == "CONNPAY_SANDBOX_CHALLENGE_TTL").then(|| "0".to_string())).is_err());
        let zero = Config { challenge_ttl: Duration::ZERO, ..Config::default() };
        assert!(zero.check().is_err());
    }

    #[test]
    fn an_unknown_flag_is_named_as_unknown_and_a_known_one_without_its_value_as_such() {
        let read = |args: &[&str]| Config::from_args(args.iter().map(|&arg| arg.to_string()), |_| None).err();
        assert_eq!(read(&["--bogus"]).as_deref(), Some("unknown flag --bogus (--help lists the flags)"));
        assert_eq!(read(&["--port", "9000"]).as_deref(), Some("unknown flag --port (--help lists the flags)"));
        assert_eq!(read(&["--currency"]).as_deref(), Some("--currency needs a value"));
        assert_eq!(read(&["--currency", "USD"]), None);
    }

    #[test]
    fn help_names_every_flag_and_the_saved_cards_ids() {
        let help = usage();
        for flag in ["--currency", "--challenge-ttl", "CONNPAY_SANDBOX_CURRENCY", "CONNPAY_SANDBOX_CHALLENGE_TTL"] {
            assert!(help.contains(flag), "{flag}");
        }
        for card in SAVED_CARDS {
            assert!(help.contains(card.client_card_id) && help.contains(card.server_card_id), "{card:?}");
        }
    }
}
