//! Which gateway the module talks to: `"sandbox"`, `"production"`, or a custom base URL that must
//! be https (plain http only for `localhost` / `127.0.0.1`, for development).
//!
//! The URL is checked by hand, strictly, rather than parsed leniently: anything a browser would
//! "fix up" (white space, backslashes, user-info, a query) is refused, so that what the merchant
//! configured is exactly where card data goes.

use crate::ErrorCode;

/// The gateway's sandbox.
pub const SANDBOX_URL: &str = "https://sandbox.connpay.com";
/// The gateway's production host.
pub const PRODUCTION_URL: &str = "https://gate.connpay.com";

/// Hosts that may be reached over plain http, for development against a local sandbox.
const LOCAL_HOSTS: &[&str] = &["localhost", "127.0.0.1"];

/// A checked gateway base URL, without a trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gateway {
    base_url: String,
}

/// Why a gateway configuration was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GatewayConfigError {
    /// `gateway.invalid_url` or `gateway.insecure`.
    pub code: ErrorCode,
    /// What is wrong, in English (never echoing the configured text).
    pub message: &'static str,
}

fn refuse(message: &'static str) -> GatewayConfigError {
    GatewayConfigError { code: ErrorCode::GatewayInvalidUrl, message }
}

impl Gateway {
    /// Reads a configuration: `"sandbox"`, `"production"`, or an absolute http(s) base URL.
    pub fn parse(config: &str) -> Result<Gateway, GatewayConfigError> {
        match config {
            "sandbox" => return Ok(Gateway { base_url: SANDBOX_URL.into() }),
            "production" => return Ok(Gateway { base_url: PRODUCTION_URL.into() }),
            _ => {}
        }
        if config.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
            return Err(refuse("the gateway URL must not contain white space, control characters or backslashes"));
        }
        let (secure, rest) = if let Some(rest) = strip_prefix_ignore_case(config, "https://") {
            (true, rest)
        } else if let Some(rest) = strip_prefix_ignore_case(config, "http://") {
            (false, rest)
        } else {
            return Err(refuse(
                "the gateway must be \"sandbox\", \"production\" or an https:// URL (http:// only for localhost and 127.0.0.1)",
            ));
        };
        if rest.contains(['?', '#']) {
            return Err(refuse("the gateway URL must not have a query or a fragment"));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(refuse("the gateway URL must not contain user information"));
        }
        let (host, port) = split_port(authority)?;
        let host = host.to_ascii_lowercase();
        if !valid_host(&host) {
            return Err(refuse("the gateway URL's host is not a valid host name"));
        }
        if !secure && !LOCAL_HOSTS.contains(&host.as_str()) {
            return Err(GatewayConfigError {
                code: ErrorCode::GatewayInsecure,
                message: "the gateway URL must be https (http only for localhost and 127.0.0.1)",
            });
        }
        if !path.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)) || path.contains("//") {
            return Err(refuse("the gateway URL's path has characters that are not allowed"));
        }
        // A browser's URL parser reads `%2e` as a dot in a path segment, so `%2e%2e` climbs too.
        if path.split('/').any(|segment| matches!(segment.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..")) {
            return Err(refuse("the gateway URL's path must not contain . or .. segments"));
        }
        let scheme = if secure { "https://" } else { "http://" };
        let port = port.map(|port| format!(":{port}")).unwrap_or_default();
        Ok(Gateway { base_url: format!("{scheme}{host}{port}{}", path.trim_end_matches('/')) })
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

/// Whether a page the gateway sends the payer to (the 3-D Secure `redirectUrl`) may be shown:
/// the same rules as a gateway URL (https, or http to localhost; no user-info, white space or
/// backslashes), with a query allowed. A `javascript:` or `data:` URL never passes.
pub fn is_safe_page(url: &str) -> bool {
    let base = url.split(['?', '#']).next().unwrap_or_default();
    !url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') && Gateway::parse(base).is_ok() && base.contains("://")
}

/// The origin (`scheme://host[:port]`) of an absolute URL, as a browser names a page it refused:
/// everything before the path, query or fragment. A text without `://` is its own origin.
pub fn origin_of(url: &str) -> &str {
    let Some(after_scheme) = url.find("://").map(|at| at + 3) else { return url };
    let end = url[after_scheme..].find(['/', '?', '#']).map_or(url.len(), |at| after_scheme + at);
    &url[..end]
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// Splits `host[:port]`; the port must be 1–65535 without leading zeros.
fn split_port(authority: &str) -> Result<(&str, Option<u16>), GatewayConfigError> {
    let Some((host, port)) = authority.rsplit_once(':') else {
        return Ok((authority, None));
    };
    let number =
        port.parse::<u16>().ok().filter(|&number| number > 0 && !port.starts_with('0') && port.bytes().all(|b| b.is_ascii_digit()));
    match number {
        Some(number) => Ok((host, Some(number))),
        None => Err(refuse("the gateway URL's port must be a number from 1 to 65535")),
    }
}

/// A DNS name (letters, digits, hyphens; labels 1–63, not starting or ending with a hyphen) or
/// a dotted IPv4 address. IPv6 literals are not needed by any gateway and are refused.
fn valid_host(host: &str) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return host.parse::<std::net::Ipv4Addr>().is_ok();
    }
    host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(config: &str) -> String {
        Gateway::parse(config).unwrap().base_url().to_string()
    }

    fn code(config: &str) -> ErrorCode {
        Gateway::parse(config).unwrap_err().code
    }

    #[test]
    fn pages_the_payer_may_be_sent_to() {
        assert!(is_safe_page("https://acs.example.com/challenge?id=1&x=%20"));
        assert!(is_safe_page("http://127.0.0.1:8080/sandbox/3ds/INV1"));
        for refused in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "http://acs.example.com/challenge",
            "https://user@acs.example.com/",
            "https://acs.example.com/a b",
            " https://acs.example.com/",
            "https://acs.example.com/?q=\\x",
            "sandbox",
            "",
        ] {
            assert!(!is_safe_page(refused), "{refused}");
        }
    }

    #[test]
    fn named_gateways() {
        assert_eq!(base("sandbox"), "https://sandbox.connpay.com");
        assert_eq!(base("production"), "https://gate.connpay.com");
    }

    #[test]
    fn custom_https_urls_are_normalised() {
        assert_eq!(base("https://pay.example.com"), "https://pay.example.com");
        assert_eq!(base("HTTPS://Pay.Example.COM/"), "https://pay.example.com");
        assert_eq!(base("https://pay.example.com:8443/gw/"), "https://pay.example.com:8443/gw");
        assert_eq!(base("https://10.0.0.5/proxy"), "https://10.0.0.5/proxy");
    }

    #[test]
    fn plain_http_only_for_local_development() {
        assert_eq!(base("http://localhost:8080"), "http://localhost:8080");
        assert_eq!(base("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(base("http://LOCALHOST"), "http://localhost");
        for config in [
            "http://gate.connpay.com",
            "http://127.0.0.2",
            "http://localhost.evil.com",
            "http://10.0.0.1",
            "http://127.0.0.1.evil.com",
            "http://0.0.0.0",
        ] {
            assert_eq!(code(config), ErrorCode::GatewayInsecure, "{config}");
        }
    }

    #[test]
    fn everything_else_is_refused() {
        for config in [
            "",
            "Sandbox",
            "gate.connpay.com",
            "ftp://gate.connpay.com",
            "javascript:alert(1)",
            "//gate.connpay.com",
            "https://",
            "https:///path",
            "https://user:pass@gate.connpay.com",
            "https://gate.connpay.com@evil.com",
            " https://gate.connpay.com",
            "https://gate.connpay.com ",
            "https://gate.connpay.com\n",
            "https://gate .connpay.com",
            "https:\\\\gate.connpay.com",
            "https://gate.connpay.com\\@evil.com",
            "https://gate.connpay.com?x=1",
            "https://gate.connpay.com#top",
            "https://gate.connpay.com:0",
            "https://gate.connpay.com:65536",
            "https://gate.connpay.com:08443",
            "https://gate.connpay.com:",
            "https://-gate.connpay.com",
            "https://gate..connpay.com",
            "https://[::1]",
            "https://gate.connpay.com/a/../b",
            "https://gate.connpay.com/a/%2e%2E/b",
            "https://gate.connpay.com/a/.%2e",
            "https://gate.connpay.com:443@evil.com",
            "https://gate.connpay.com%40evil.com",
            "https://user@gate.connpay.com",
            "HTTPS://:@gate.connpay.com",
            "https:gate.connpay.com",
            "https:/gate.connpay.com",
            "https:///gate.connpay.com",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "blob:https://gate.connpay.com/1",
            "wss://gate.connpay.com",
            "\u{a0}https://gate.connpay.com",
            "https://gate.connpay.com\u{2028}",
            "https://gate.connpay.com\t",
            "https://gate.connpay.com/\u{200b}",
            "https://gate.connpay\u{3002}com",
            "https://ｇate.connpay.com",
            "http://localhost.",
            "https://gate.connpay.com//x",
            "https://gаte.connpay.com",
            "https://999.1.1.1",
        ] {
            assert_eq!(code(config), ErrorCode::GatewayInvalidUrl, "{config:?}");
        }
    }

    #[test]
    fn a_page_has_its_origin() {
        assert_eq!(origin_of("https://acs.bank.example:8443/3ds/challenge?id=1"), "https://acs.bank.example:8443");
        assert_eq!(origin_of("https://acs.bank.example"), "https://acs.bank.example");
        assert_eq!(origin_of("http://127.0.0.1:8080#x"), "http://127.0.0.1:8080");
        assert_eq!(origin_of("not a url"), "not a url");
    }
}
