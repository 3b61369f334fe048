//! The gateway's requests as data: a row per field (key, form name, type, necessity, length or
//! range, rule), and the one walker that reads any of them from a [`Value`] into a [`Record`]
//! with every problem at its path. Cross-field rules (card or reference, the security code by
//! brand, the expiry against today, v2's either-or pairs) are code, in each request's module.

use crate::card::{self, YearMonth};
use crate::problems::{plausible_email, real_date, DateOrder, Problems};
use crate::value::{Got, Record, Shape, Unreadable, Value, MAX_SAFE_INTEGER};
use crate::{ErrorCode, FieldError};

/// A field's JSON type.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A string.
    Text,
    /// A whole number JavaScript holds exactly.
    Integer,
    /// A finite number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An object of these fields.
    Object(&'static [Field]),
    /// An array of values of this row (its key unused).
    List(&'static Field),
}

/// Whether the spec requires a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Necessity {
    /// Always.
    Required,
    /// Required or forbidden by another field (card or reference, `state` by country, …).
    Conditional,
    /// May be left out.
    Optional,
}

/// What a value must be, beyond its type and its length or range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Nothing more (text: no control characters).
    Any,
    /// Printable ASCII without spaces (tokens, signatures).
    Token,
    /// A token that becomes a URL path segment: never `.` or `..`.
    Segment,
    /// ASCII digits.
    Digits,
    /// 14–16 digits (`RequestImei` for either length or characters).
    Imei,
    /// A plausible email address.
    Email,
    /// ISO 4217 alphabetic.
    Currency,
    /// ISO 4217 alphabetic with minor units (the amount is written in them).
    CurrencyWithMinorUnits,
    /// ISO 3166 alpha-3.
    CountryAlpha3,
    /// ISO 3166 alpha-2.
    CountryAlpha2,
    /// A dotted IPv4 address.
    Ipv4,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// An absolute `http://` or `https://` URL.
    Url,
    /// A real date in the past, `ddMMyyyy`.
    PastDateDmy,
    /// A real date in the past, `yyyyMMdd`.
    PastDateYmd,
    /// A BCP 47 language tag.
    Language,
    /// One of the listed texts.
    OneOf(&'static [&'static str]),
    /// One of the listed numbers.
    OneOfNumbers(&'static [u8]),
    /// A month, `1`–`12`, as text.
    MonthText,
    /// An amount in major units; checked with the currency by the request's own code.
    Amount,
    /// The card number: brand, length and Luhn.
    CardNumber,
    /// The card's security code, checked for its brand by the request's own code.
    SecurityCode,
    /// A part of the holder's name, checked by the card rules by the request's own code.
    HolderPart,
}

/// One field of a request.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The key in the JSON or JavaScript object, and the last part of its path in errors.
    pub key: &'static str,
    /// The name in the gateway's form (/api/v2/sale); the key for JSON requests.
    pub wire: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Whether it is required.
    pub necessity: Necessity,
    /// The fewest characters, or the smallest number.
    pub min: i64,
    /// The most characters, or the largest number; 0 when the rule alone judges the text (the
    /// card rules, whose lengths are the brand's).
    pub max: i64,
    /// What it must be.
    pub rule: Rule,
}

use Necessity::{Conditional, Optional, Required};

/// A text field of `min..=max` characters.
pub const fn text(key: &'static str, necessity: Necessity, min: i64, max: i64, rule: Rule) -> Field {
    Field { key, wire: key, kind: Kind::Text, necessity, min, max, rule }
}

/// A whole-number field from `min` to `max`.
pub const fn integer(key: &'static str, necessity: Necessity, min: i64, max: i64) -> Field {
    Field { key, wire: key, kind: Kind::Integer, necessity, min, max, rule: Rule::Any }
}

/// A number field from `min` to `max`.
pub const fn number(key: &'static str, necessity: Necessity, min: i64, max: i64) -> Field {
    Field { key, wire: key, kind: Kind::Number, necessity, min, max, rule: Rule::Any }
}

/// A boolean field.
pub const fn boolean(key: &'static str, necessity: Necessity) -> Field {
    Field { key, wire: key, kind: Kind::Boolean, necessity, min: 0, max: 0, rule: Rule::Any }
}

/// An object field.
pub const fn object(key: &'static str, necessity: Necessity, fields: &'static [Field]) -> Field {
    Field { key, wire: key, kind: Kind::Object(fields), necessity, min: 0, max: 0, rule: Rule::Any }
}

/// An array field of `item`s.
pub const fn list(key: &'static str, necessity: Necessity, item: &'static Field) -> Field {
    Field { key, wire: key, kind: Kind::List(item), necessity, min: 0, max: 0, rule: Rule::Any }
}

impl Field {
    /// The same field under the gateway form's name.
    pub const fn wire(self, wire: &'static str) -> Field {
        Field { wire, ..self }
    }
}

/// The largest amount in minor units that JavaScript holds exactly.
const MAX_CENTIS: i64 = MAX_SAFE_INTEGER as i64;

// ---- perform sale (spec 000), sale status, and what the checkout reads ----

/// `endpointId` and `invoiceId`: the perform sale's and the status's URL path.
pub const SALE_ROUTE: &[Field] = &[text("endpointId", Required, 1, 128, Rule::Segment), text("invoiceId", Required, 1, 128, Rule::Segment)];

/// `consumer.device`.
pub const DEVICE: &[Field] = &[text("serialNumber", Required, 1, 50, Rule::Any), text("imei", Optional, 0, 0, Rule::Imei)];

const IP_ADDRESS: Field = text("", Required, 7, 15, Rule::Ipv4);

/// `consumer`.
pub const CONSUMER: &[Field] = &[
    object("device", Required, DEVICE),
    text("email", Required, 3, 128, Rule::Email),
    text("birthDay", Optional, 0, 0, Rule::PastDateDmy),
    list("ipAddresses", Optional, &IP_ADDRESS),
];

/// `session` of perform sale: consumer authentication's token, initiate sale's nonce and
/// signature.
pub const SESSION: &[Field] = &[
    text("accessToken", Required, 32, 128, Rule::Token),
    text("nonce", Required, 32, 128, Rule::Token),
    text("signature", Required, 32, 128, Rule::Token),
];

/// `sourceOfFunds.card.expiry`.
pub const EXPIRY: &[Field] = &[integer("month", Required, 1, 12), integer("year", Required, 1000, 9999)];

/// `sourceOfFunds.card.holder`: first and last name, or the printed name (each 1–50, judged by
/// the card rules with the other parts).
pub const HOLDER: &[Field] = &[
    text("firstName", Optional, 0, 0, Rule::HolderPart),
    text("lastName", Optional, 0, 0, Rule::HolderPart),
    text("printedName", Optional, 0, 0, Rule::HolderPart),
];

/// `sourceOfFunds.card`: the number (9–19 digits) and the security code (3–4) are judged by the
/// card rules, for the brand.
pub const CARD: &[Field] = &[
    text("number", Required, 0, 0, Rule::CardNumber),
    text("securityCode", Required, 0, 0, Rule::SecurityCode),
    object("expiry", Required, EXPIRY),
    object("holder", Required, HOLDER),
];

/// `sourceOfFunds.reference`: a stored card.
pub const CARD_REFERENCE: &[Field] =
    &[text("clientCardId", Required, 1, 128, Rule::Any), text("securityCode", Required, 0, 0, Rule::SecurityCode)];

/// `sourceOfFunds`: exactly one of the two.
pub const SOURCE_OF_FUNDS: &[Field] = &[object("card", Conditional, CARD), object("reference", Conditional, CARD_REFERENCE)];

/// `transaction`, and the checkout's own amount and currency.
pub const TRANSACTION: &[Field] = &[integer("amountCentis", Required, 1, MAX_CENTIS), text("currency", Required, 0, 0, Rule::Currency)];

/// `location`.
pub const LOCATION: &[Field] = &[number("lat", Optional, -90, 90), number("lng", Optional, -180, 180)];

/// `billing.address`.
pub const ADDRESS: &[Field] = &[
    text("city", Optional, 1, 100, Rule::Any),
    text("country", Optional, 0, 0, Rule::CountryAlpha3),
    text("postcodeZip", Optional, 1, 10, Rule::Any),
    text("state", Optional, 2, 3, Rule::Any),
    text("street", Optional, 1, 50, Rule::Any),
    text("street2", Optional, 1, 50, Rule::Any),
];

/// `billing`.
pub const BILLING: &[Field] = &[object("address", Optional, ADDRESS), text("phone", Optional, 1, 20, Rule::Any)];

/// `order`.
pub const ORDER: &[Field] = &[
    text("description", Optional, 1, 128, Rule::Any),
    text("siteUrl", Optional, 1, 128, Rule::Any),
    text("purpose", Optional, 1, 128, Rule::Any),
];

/// The JSON body of perform sale.
pub const PERFORM_SALE: &[Field] = &[
    object("consumer", Required, CONSUMER),
    object("session", Required, SESSION),
    object("sourceOfFunds", Required, SOURCE_OF_FUNDS),
    object("transaction", Required, TRANSACTION),
    object("location", Optional, LOCATION),
    object("billing", Optional, BILLING),
    object("order", Optional, ORDER),
];

/// `session` of sale status: the consumer's access token and the sale's token.
pub const STATUS_SESSION: &[Field] = &[text("accessToken", Required, 32, 128, Rule::Token), text("token", Required, 1, 256, Rule::Token)];

/// The JSON body of sale status.
pub const SALE_STATUS: &[Field] = &[object("session", Required, STATUS_SESSION)];

/// What `mountCheckout` takes of the sale besides the card (its paths are the options' keys).
pub const CHECKOUT_ORDER: &[Field] = &[
    integer("amountCentis", Required, 1, MAX_CENTIS),
    text("currency", Required, 0, 0, Rule::Currency),
    object("consumer", Required, CONSUMER),
    object("billing", Optional, BILLING),
    object("order", Optional, ORDER),
    object("location", Optional, LOCATION),
];

/// What the merchant's `getSession` answers; its other keys are ignored. Checked whole as part
/// of the perform sale it feeds.
pub const CHECKOUT_SESSION: &[Field] = &[
    text("endpointId", Optional, 0, 0, Rule::Any),
    text("invoiceId", Optional, 0, 0, Rule::Any),
    text("accessToken", Optional, 0, 0, Rule::Any),
    text("nonce", Optional, 0, 0, Rule::Any),
    text("signature", Optional, 0, 0, Rule::Any),
];

// ---- the walker ----

/// Keys a table does not name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// Refused at their path, as no field of the gateway's spec (a request).
    Refuse,
    /// Refused at their path, as no option of the call reading them (a server function's
    /// options, which are this library's, not the gateway's).
    RefuseOption,
    /// Skipped at the top (an options object or an answer that may carry more); the objects
    /// inside are the spec's, and still refuse them (a typo in `consumer` is caught).
    Ignore,
}

/// How to read: the date that decides past dates, whether text is trimmed first (the /api/v2
/// form is, as the gateway trims it), and what to do with keys no table names.
#[derive(Clone, Copy, Debug)]
pub struct Reading {
    /// Today, for dates that must be in the past.
    pub today: YearMonth,
    /// Trim text before checking it.
    pub trim: bool,
    /// Keys the tables do not name.
    pub unknown: Unknown,
}

/// What a walk found: the values of the right type, and every problem.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checked {
    /// The values of the right type (a value of the wrong length or rule is kept, so that
    /// cross-field rules can still read it; the problem is in `errors`).
    pub record: Record,
    /// Every problem, in the tables' order.
    pub errors: Vec<FieldError>,
}

/// Reads `value` as an object of `tables`' fields (several tables read as one object: the
/// route beside the body).
pub fn walk<V: Value>(tables: &[&'static [Field]], value: &V, reading: Reading) -> Checked {
    let mut problems = Problems::default();
    let record = match value.shape() {
        Shape::Object => read_object(&mut problems, tables, value, "", reading),
        _ => {
            problems.add("", ErrorCode::RequestType, "must be an object");
            Record::default()
        }
    };
    Checked { record, errors: problems.0 }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn read_object<V: Value>(problems: &mut Problems, tables: &[&'static [Field]], value: &V, path: &str, reading: Reading) -> Record {
    let mut record = Record::default();
    let fields = || tables.iter().flat_map(|table| table.iter());
    let unknown = match reading.unknown {
        Unknown::Refuse => Some("is not a field of the gateway's spec"),
        Unknown::RefuseOption => Some("is not a field this call takes"),
        Unknown::Ignore => None,
    };
    if let Some(unknown) = unknown {
        match value.keys() {
            Ok(keys) => {
                for key in keys.iter().filter(|key| !fields().any(|field| field.key == key.as_str())) {
                    if problems.full() {
                        break;
                    }
                    // A key set to undefined or null is absent, as JSON would leave it out. A key
                    // that cannot be read back by its name (a lone surrogate in it) is reported.
                    let absent = matches!(value.get(key), Ok(Some(found)) if found.shape() == Shape::Absent);
                    if !absent {
                        problems.add(&join(path, key), ErrorCode::RequestUnknownField, unknown);
                    }
                }
            }
            Err(Unreadable) => problems.add(path, ErrorCode::RequestType, "its keys could not be read"),
        }
    }
    for field in fields() {
        let at = join(path, field.key);
        match value.get(field.key) {
            Ok(found) => {
                if let Some(got) = read_field(problems, field, found.as_ref(), &at, reading) {
                    record.0.push((field.key, got));
                }
            }
            Err(Unreadable) => problems.add(&at, ErrorCode::RequestType, "could not be read: its getter threw"),
        }
    }
    record
}

/// The most items a list may have: no list of the spec needs more, and a sparse array's length
/// (up to 2^32 − 1) must not be walked.
const MAX_ITEMS: usize = 100;

/// One value by its row; `None` when absent or of the wrong type.
fn read_field<V: Value>(problems: &mut Problems, field: &Field, value: Option<&V>, path: &str, reading: Reading) -> Option<Got> {
    let shape = value.map_or(Shape::Absent, Value::shape);
    let got = match (field.kind, shape) {
        (_, Shape::Absent) => {
            if field.necessity == Required {
                problems.add(path, ErrorCode::RequestRequired, "is required");
            }
            return None;
        }
        (_, Shape::Unreadable) => {
            problems.add(path, ErrorCode::RequestType, "could not be read: looking at it threw");
            return None;
        }
        (Kind::Text, Shape::BrokenText) => {
            problems.add(path, ErrorCode::RequestCharacters, "must be well-formed text (it has a lone surrogate)");
            return None;
        }
        (Kind::Text, Shape::Text(text)) => {
            let text = if reading.trim { text.trim() } else { &text };
            check_text(problems, field, text, path, reading);
            Got::Text(text.to_string())
        }
        // Past 2^53 a whole number is no longer exact: out of every integer row's range.
        (Kind::Integer, Shape::Number(number)) if number.is_finite() && number.fract() == 0.0 => {
            check_range(problems, field, number, path);
            if let Rule::OneOfNumbers(allowed) = field.rule {
                if !allowed.iter().any(|&allowed| f64::from(allowed) == number) {
                    problems.add(path, ErrorCode::RequestRange, one_of(allowed.iter().map(u8::to_string)));
                }
            }
            Got::Number(number)
        }
        (Kind::Number, Shape::Number(number)) if number.is_finite() => {
            check_range(problems, field, number, path);
            Got::Number(number)
        }
        (Kind::Boolean, Shape::Bool(flag)) => Got::Bool(flag),
        (Kind::Object(fields), Shape::Object) => {
            // An options object's objects are options too; any other object inside is the spec's.
            let unknown = if reading.unknown == Unknown::RefuseOption { Unknown::RefuseOption } else { Unknown::Refuse };
            let inside = Reading { unknown, ..reading };
            Got::Record(read_object(problems, &[fields], value?, path, inside))
        }
        (Kind::List(_), Shape::Array(length)) if length > MAX_ITEMS => {
            problems.add(path, ErrorCode::RequestLength, "must have at most 100 items");
            return None;
        }
        (Kind::List(item), Shape::Array(length)) => {
            let value = value?;
            let mut items = Vec::new();
            for index in 0..length {
                let at = format!("{path}[{index}]");
                match value.at(index) {
                    // A hole or a null in an array is not a missing field: it has the wrong type.
                    Ok(found) if found.as_ref().map_or(true, |found| found.shape() == Shape::Absent) => {
                        problems.add(&at, ErrorCode::RequestType, expected(item.kind));
                    }
                    Ok(found) => items.extend(read_field(problems, item, found.as_ref(), &at, reading)),
                    Err(Unreadable) => problems.add(&at, ErrorCode::RequestType, "could not be read: its getter threw"),
                }
            }
            Got::List(items)
        }
        (kind, _) => {
            problems.add(path, ErrorCode::RequestType, expected(kind));
            return None;
        }
    };
    Some(got)
}

/// What a field of `kind` must be: the message of a value of another type.
fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "must be text (a string)",
        Kind::Integer => "must be a whole number (not NaN, an infinity or a fraction)",
        Kind::Number => "must be a finite number",
        Kind::Boolean => "must be true or false",
        Kind::Object(_) => "must be an object",
        Kind::List(_) => "must be an array",
    }
}

fn one_of(allowed: impl Iterator<Item = String>) -> String {
    format!("must be one of {}", allowed.collect::<Vec<_>>().join(", "))
}

fn check_range(problems: &mut Problems, field: &Field, number: f64, path: &str) {
    if field.min < field.max && !(field.min as f64..=field.max as f64).contains(&number) {
        problems.add(path, ErrorCode::RequestRange, format!("must be from {} to {}", field.min, field.max));
    }
}

fn check_text(problems: &mut Problems, field: &Field, text: &str, path: &str, reading: Reading) {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if field.max > 0 && problems.text(path, text, field.min as usize, field.max as usize).is_none() {
        return;
    }
    let (ok, code, message): (bool, ErrorCode, &str) = match field.rule {
        Rule::CardNumber => return problems.verdict(path, card::validate_number(text).verdict),
        Rule::Imei => ((14..=16).contains(&text.len()) && digits, ErrorCode::RequestImei, "must be 14 to 16 digits"),
        Rule::Token => (text.bytes().all(|b| b.is_ascii_graphic()), ErrorCode::RequestCharacters, "must be printable ASCII without spaces"),
        Rule::Segment => (
            text.bytes().all(|b| b.is_ascii_graphic()) && !text.bytes().all(|b| b == b'.'),
            ErrorCode::RequestCharacters,
            "must be printable ASCII without spaces, and not . or ..",
        ),
        Rule::Digits => (digits, ErrorCode::RequestCharacters, "must contain only digits"),
        Rule::Email => (plausible_email(text), ErrorCode::RequestEmail, "must be an email address such as name@example.com"),
        Rule::Currency => (
            crate::iso::currency_exponent(text).is_some(),
            ErrorCode::RequestCurrency,
            "must be an ISO 4217 code in upper case, such as EUR",
        ),
        Rule::CurrencyWithMinorUnits => (
            crate::iso::currency_exponent(text).flatten().is_some(),
            ErrorCode::RequestCurrency,
            "must be an ISO 4217 code with minor units, in upper case, such as EUR",
        ),
        Rule::CountryAlpha3 => {
            (crate::iso::is_country_alpha3(text), ErrorCode::RequestCountry, "must be an ISO 3166 alpha-3 code in upper case, such as DEU")
        }
        Rule::CountryAlpha2 => {
            (crate::iso::is_country_alpha2(text), ErrorCode::RequestCountry, "must be an ISO 3166 alpha-2 code in upper case, such as US")
        }
        Rule::Ipv4 => {
            (text.parse::<std::net::Ipv4Addr>().is_ok(), ErrorCode::RequestIpAddress, "must be an IPv4 address such as 203.0.113.7")
        }
        Rule::IpAddress => {
            (text.parse::<std::net::IpAddr>().is_ok(), ErrorCode::RequestIpAddress, "must be an IPv4 or IPv6 address such as 203.0.113.7")
        }
        Rule::Url => (absolute_url(text), ErrorCode::RequestUrl, "must be an absolute http:// or https:// URL without spaces"),
        Rule::PastDateDmy => (
            real_date(text, DateOrder::DayMonthYear, reading.today),
            ErrorCode::RequestDate,
            "must be a real date in the past, as ddMMyyyy",
        ),
        Rule::PastDateYmd => (
            real_date(text, DateOrder::YearMonthDay, reading.today),
            ErrorCode::RequestDate,
            "must be a real date in the past, as yyyyMMdd",
        ),
        Rule::Language => {
            (crate::browser::is_well_formed_language(text), ErrorCode::RequestLanguage, "must be a BCP 47 language tag such as en-US")
        }
        Rule::MonthText => {
            (digits && (1..=12).contains(&text.parse::<u32>().unwrap_or(0)), ErrorCode::RequestRange, "must be a month from 1 to 12")
        }
        Rule::OneOf(allowed) => {
            if !allowed.contains(&text) {
                problems.add(path, ErrorCode::RequestRange, one_of(allowed.iter().map(|text| (*text).to_string())));
            }
            return;
        }
        Rule::Any | Rule::Amount | Rule::OneOfNumbers(_) | Rule::SecurityCode | Rule::HolderPart => return,
    };
    if !ok {
        problems.add(path, code, message);
    }
}

/// `http://` or `https://`, a host, and no white space or control characters.
fn absolute_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/')) && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Puts problems in the order of the fields they are about, as the tables list them (a rule
/// across fields reports after the walker; the first problem should still be the first field).
pub fn in_table_order(errors: &mut [FieldError], tables: &[&'static [Field]]) {
    fn paths(table: &'static [Field], prefix: &str, out: &mut Vec<String>) {
        for field in table {
            let path = join(prefix, field.key);
            out.push(path.clone());
            if let Kind::Object(inner) = field.kind {
                paths(inner, &path, out);
            }
        }
    }
    let mut order = Vec::new();
    for table in tables {
        paths(table, "", &mut order);
    }
    // `a.b[2].c` sorts as `a.b`; a path no table names goes last.
    let rank = |path: &str| {
        let path = path.split('[').next().unwrap_or(path);
        order.iter().position(|known| known == path).unwrap_or(order.len())
    };
    // An insertion sort: a request has a handful of problems, and the standard library's stable
    // sort costs the module some 4 KB.
    for sorted in 1..errors.len() {
        let mut at = sorted;
        while at > 0 && rank(&errors[at - 1].path) > rank(&errors[at].path) {
            errors.swap(at - 1, at);
            at -= 1;
        }
    }
}
