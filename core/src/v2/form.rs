//! The /api/v2/sale form: amounts between major and minor units, the signing string's parts, the
//! form-urlencoded body, and the parser that reads such a body back.

use crate::percent::{encode_segment, form_body, form_pairs};
use crate::problems::Problems;
use crate::schema::{Kind, Rule};
use crate::value::{Got, Record};
use crate::{ErrorCode, FieldError};

use super::request::{BROWSER, PARAMETERS};

/// The number of decimals of an ISO 4217 currency (`EUR` 2, `JPY` 0, `BHD` 3); `None` for an
/// unknown code or one without minor units (`XAU`).
pub fn currency_exponent(currency: &str) -> Option<u32> {
    crate::iso::currency_exponent(currency).flatten()
}

/// A major-unit amount (`10.42`, `156`, `100.5`) in minor units, for a currency of `exponent`
/// decimals: `10.42` EUR → 1042, `156` RUB → 15600. `None` for anything else: a sign, an
/// exponent, more decimals than the currency has, a bare `.`, or an overflow.
pub fn minor_units(amount: &str, exponent: u32) -> Option<u64> {
    let (whole, fraction) = match amount.split_once('.') {
        Some((_, "")) => return None,
        Some(parts) => parts,
        None => (amount, ""),
    };
    let digits = |text: &str| text.bytes().all(|b| b.is_ascii_digit());
    let missing_decimals = (exponent as usize).checked_sub(fraction.len())?;
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    // Counted, not spelled out: an exponent of u32::MAX must not become four billion zeros.
    let mut units: u64 = 0;
    for digit in whole.bytes().chain(fraction.bytes()) {
        units = units.checked_mul(10)?.checked_add(u64::from(digit - b'0'))?;
    }
    if units == 0 {
        return Some(0);
    }
    units.checked_mul(10u64.checked_pow(u32::try_from(missing_decimals).ok()?)?)
}

/// The parts of the v2 `control` that are not secret: SHA-1 is taken over these, concatenated,
/// followed by the merchant's control key, which only the merchant's server holds (/api/v2/sale's `control`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlParts {
    /// `ENDPOINTID` or `ENDPOINTGROUPID`.
    pub endpoint: String,
    /// `client_orderid`.
    pub client_order_id: String,
    /// `amount` in minor units (`10.42` → 1042).
    pub amount_minor_units: u64,
    /// `email`.
    pub email: String,
}

impl ControlParts {
    /// The parts of a request; `None` while a part is missing or the amount is not valid for the
    /// currency.
    pub fn of(request: &Record) -> Option<ControlParts> {
        let text = |key: &str| request.text(key).map(str::trim);
        let endpoint = text("endpointId").or(text("endpointGroupId"))?;
        let exponent = currency_exponent(text("currency")?)?;
        Some(ControlParts {
            endpoint: endpoint.to_string(),
            client_order_id: text("clientOrderId")?.to_string(),
            amount_minor_units: minor_units(text("amount")?, exponent)?,
            email: text("email")?.to_string(),
        })
    }

    /// The signing string without the key: `1111` + `902B4FF5` + `1042` + `john.smith@gmail.com`.
    pub fn signing_string_without_key(&self) -> String {
        format!("{}{}{}{}", self.endpoint, self.client_order_id, self.amount_minor_units, self.email)
    }
}

/// A built /api/v2/sale request: where it goes and its form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V2SaleForm {
    /// `/paynet/api/v2/sale/{endpointId}` or `/paynet/api/v2/sale/group/{endpointGroupId}`.
    pub path: String,
    /// The form's fields in order, `control` last.
    pub fields: Vec<(&'static str, String)>,
    /// The `application/x-www-form-urlencoded` body: every value escaped (`&`, `+`, `=`, spaces
    /// and non-ASCII included).
    pub body: String,
}

impl V2SaleForm {
    /// The form of a request that [`super::check_v2_sale`] accepted, with the `control` the
    /// merchant's server computed. Values are trimmed (as the gateway trims them), the card
    /// number is sent as bare digits and the expiry month as two digits; `ipaddress` comes from
    /// `ipAddress` or, failing that, the browser data.
    pub fn build(request: &Record, control: &str) -> V2SaleForm {
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        for parameter in PARAMETERS {
            let value = match parameter.key {
                "ipAddress" => request.text("ipAddress").or(request.text("browser.ipAddress")),
                key => request.text(key),
            };
            if let Some(value) = value.map(str::trim) {
                let value = match parameter.rule {
                    Rule::CardNumber => value.chars().filter(char::is_ascii_digit).collect(),
                    Rule::MonthText if value.len() == 1 => format!("0{value}"),
                    _ => value.to_string(),
                };
                fields.push((parameter.wire, value));
            }
        }
        if let Some(browser) = request.record("browser") {
            fields.extend(browser_form_fields(browser).into_iter().filter(|(name, _)| *name != "ipaddress"));
        }
        fields.push(("control", control.trim().to_string()));
        let body = form_body(fields.iter().map(|(name, value)| (*name, value.as_str())));
        V2SaleForm { path: sale_path(request), fields, body }
    }
}

/// The browser data's form fields: `customer_browser_info=true` first, then each present field
/// under its /api/v2/sale name (`ipaddress` included, when known).
pub fn browser_form_fields(browser: &Record) -> Vec<(&'static str, String)> {
    let present = BROWSER.iter().filter_map(|field| {
        let value = match browser.get(field.key)? {
            Got::Text(text) => text.trim().to_string(),
            Got::Bool(flag) => flag.to_string(),
            Got::Number(number) => (*number as i64).to_string(),
            _ => return None,
        };
        Some((field.wire, value))
    });
    std::iter::once(("customer_browser_info", "true".to_string())).chain(present).collect()
}

fn sale_path(request: &Record) -> String {
    match (request.text("endpointId"), request.text("endpointGroupId")) {
        (Some(endpoint), _) => format!("/paynet/api/v2/sale/{}", encode_segment(endpoint.trim())),
        (None, Some(group)) => format!("/paynet/api/v2/sale/group/{}", encode_segment(group.trim())),
        (None, None) => "/paynet/api/v2/sale".to_string(),
    }
}

/// A form body read back into a request (without the endpoint, which is in the URL) and its
/// `control`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedV2Sale {
    /// The parameters under their JavaScript keys; `ipaddress` is read into `ipAddress`, the
    /// `customer_browser_*` fields into `browser`.
    pub request: Record,
    /// `control`, as sent.
    pub control: Option<String>,
}

/// Reads a /api/v2/sale form body, as the gateway (or the sandbox) receives it. Empty values are
/// absent. Every problem is reported at once, at the form field's name: a name /api/v2/sale does not
/// define, a name given twice, a browser field that is not a number or a boolean. Never panics:
/// any text gives a result. The parameters' rules are [`super::check_v2_sale`]'s.
pub fn parse_v2_sale_form(body: &str) -> Result<ParsedV2Sale, Vec<FieldError>> {
    let mut problems = Problems::default();
    let mut request = Record::default();
    let mut browser = Record::default();
    let mut control = None;
    let mut names: Vec<String> = Vec::new();
    for (name, value) in form_pairs(body) {
        if value.is_empty() {
            continue;
        }
        if names.contains(&name) {
            problems.add(&name, ErrorCode::RequestDuplicate, "is given more than once");
            continue;
        }
        names.push(name.clone());
        if name == "control" {
            control = Some(value);
        } else if let Some(parameter) = PARAMETERS.iter().find(|parameter| parameter.wire == name) {
            request.set(parameter.key, Got::Text(value));
        } else if name == "customer_browser_info" {
            // It only announces the fields: the request has them or not.
            if value.parse::<bool>().is_err() {
                problems.add(&name, ErrorCode::RequestType, "must be true or false");
            }
        } else if let Some(field) = BROWSER.iter().find(|field| field.wire == name) {
            let read = match field.kind {
                Kind::Boolean => value.parse().map(Got::Bool).map_err(|_| "must be true or false"),
                Kind::Integer => value.parse::<i64>().map(|number| Got::Number(number as f64)).map_err(|_| "must be a whole number"),
                _ => Ok(Got::Text(value)),
            };
            match read {
                Ok(got) => browser.set(field.key, got),
                Err(message) => problems.add(&name, ErrorCode::RequestType, message),
            }
        } else {
            problems.add(&name, ErrorCode::RequestUnknownField, "is not a field of the gateway's spec");
        }
    }
    if !browser.0.is_empty() {
        request.set("browser", Got::Record(browser));
    }
    if problems.0.is_empty() {
        Ok(ParsedV2Sale { request, control })
    } else {
        Err(problems.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_convert_with_the_currency_exponent() {
        for (amount, exponent, minor) in [
            ("10.42", 2, Some(1042)),
            ("156", 2, Some(15600)),
            ("100.5", 2, Some(10050)),
            ("0.01", 2, Some(1)),
            ("1000", 0, Some(1000)),
            ("1.234", 3, Some(1234)),
            ("10.425", 2, None),
            ("1.5", 0, None),
            ("10.", 2, None),
            (".5", 2, None),
            ("-1", 2, None),
            ("+1", 2, None),
            ("1e3", 2, None),
            ("1 000", 2, None),
            ("", 2, None),
            ("99999999999999999999", 2, None),
            ("1.2.3", 2, None),
            // Found by `npm run fuzz` (v2_text): a huge exponent was spelled out as zeros (OOM).
            ("8", u32::MAX, None),
            ("0", u32::MAX, Some(0)),
            ("18446744073709551615", 0, Some(u64::MAX)),
            ("1844674407370955161.6", 1, None),
            ("0000000000000000000000001", 2, Some(100)),
        ] {
            assert_eq!(minor_units(amount, exponent), minor, "{amount} with {exponent} decimals");
        }
        assert_eq!(currency_exponent("EUR"), Some(2));
        assert_eq!(currency_exponent("JPY"), Some(0));
        assert_eq!(currency_exponent("BHD"), Some(3));
        assert_eq!(currency_exponent("XAU"), None);
        assert_eq!(currency_exponent("eur"), None);
    }
}
