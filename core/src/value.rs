//! Values read key by key: the one interface the walker ([`crate::schema`]) and the answer
//! readers see, implemented for JavaScript values in the wasm layer (own properties, read with
//! their JavaScript type), for `serde_json::Value` natively, and for the module's own [`Got`].
//!
//! Nothing passes through JSON text on the way in: a value JSON cannot carry (NaN, a `Date`, a
//! getter that throws) reaches the walker as what it is and is refused at its own path.

use std::borrow::Cow;

/// What a value is.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape<'a> {
    /// `undefined`, `null`, or no such key.
    Absent,
    /// A boolean.
    Bool(bool),
    /// A number, whatever it is (NaN and the infinities included).
    Number(f64),
    /// A string.
    Text(Cow<'a, str>),
    /// An object (not an array); its keys through [`Value::keys`].
    Object,
    /// An array of this many elements.
    Array(usize),
    /// Something JSON cannot carry: a function, a symbol, a BigInt.
    Foreign,
    /// A string that is not well-formed Unicode (a lone surrogate): not passed on altered.
    BrokenText,
    /// A value that threw when it was looked at (a revoked Proxy, an array whose `length`
    /// throws).
    Unreadable,
}

/// A property could not be read: its getter, or a Proxy's trap, threw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unreadable;

/// A value the walker can read.
pub trait Value: Sized {
    /// What the value is.
    fn shape(&self) -> Shape<'_>;
    /// An object's own string keys, in order; empty for anything else.
    fn keys(&self) -> Result<Vec<String>, Unreadable>;
    /// An object's own property; `None` when it has no such own key.
    fn get(&self, key: &str) -> Result<Option<Self>, Unreadable>;
    /// An array's element.
    fn at(&self, index: usize) -> Result<Option<Self>, Unreadable>;

    /// `key`'s value when it is a string; `Err` when the key holds something else.
    fn text_at(&self, key: &str) -> Result<Option<String>, Unreadable> {
        match self.get(key)? {
            None => Ok(None),
            Some(value) => match value.shape() {
                Shape::Absent => Ok(None),
                Shape::Text(text) => Ok(Some(text.into_owned())),
                _ => Err(Unreadable),
            },
        }
    }

    /// `key`'s value when it is a whole number from 0 to 2^53 − 1; `Err` for anything else there.
    fn count_at(&self, key: &str) -> Result<Option<u64>, Unreadable> {
        match self.get(key)? {
            None => Ok(None),
            Some(value) => match value.shape() {
                Shape::Absent => Ok(None),
                Shape::Number(number) if whole(number) && number >= 0.0 => Ok(Some(number as u64)),
                _ => Err(Unreadable),
            },
        }
    }
}

/// JavaScript's largest exactly representable integer.
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A finite whole number that JavaScript holds exactly.
pub fn whole(number: f64) -> bool {
    number.is_finite() && number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER
}

/// A value the walker accepted, or one the module built: text, numbers, flags, records and
/// lists, with the keys of the table that read them.
#[derive(Clone, Debug, PartialEq)]
pub enum Got {
    /// A string.
    Text(String),
    /// A finite number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// An object.
    Record(Record),
    /// An array.
    List(Vec<Got>),
    /// `null`: a result's field that has no value.
    Null,
}

/// An object's accepted keys and values, in the order of its table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record(pub Vec<(&'static str, Got)>);

impl Record {
    /// The value at `path`: a key, or keys joined by dots (`sourceOfFunds.card.number`).
    pub fn get(&self, path: &str) -> Option<&Got> {
        let (key, rest) = path.split_once('.').map_or((path, None), |(key, rest)| (key, Some(rest)));
        let got = self.0.iter().find(|(known, _)| *known == key).map(|(_, got)| got)?;
        match (rest, got) {
            (None, got) => Some(got),
            (Some(rest), Got::Record(inner)) => inner.get(rest),
            _ => None,
        }
    }

    /// The text at `path`.
    pub fn text(&self, path: &str) -> Option<&str> {
        match self.get(path)? {
            Got::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The number at `path`.
    pub fn number(&self, path: &str) -> Option<f64> {
        match self.get(path)? {
            Got::Number(number) => Some(*number),
            _ => None,
        }
    }

    /// The boolean at `path`.
    pub fn flag(&self, path: &str) -> Option<bool> {
        match self.get(path)? {
            Got::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The record at `path`.
    pub fn record(&self, path: &str) -> Option<&Record> {
        match self.get(path)? {
            Got::Record(record) => Some(record),
            _ => None,
        }
    }

    /// Whether `path` has a value.
    pub fn has(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Sets `key` (replacing its value, if any).
    pub fn set(&mut self, key: &'static str, got: Got) {
        match self.0.iter_mut().find(|(known, _)| *known == key) {
            Some((_, slot)) => *slot = got,
            None => self.0.push((key, got)),
        }
    }

    /// The same with `key` set, for building a record in one expression.
    pub fn with(mut self, key: &'static str, got: impl Into<Option<Got>>) -> Record {
        if let Some(got) = got.into() {
            self.set(key, got);
        }
        self
    }

    /// Removes `key`, returning its value.
    pub fn take(&mut self, key: &str) -> Option<Got> {
        let index = self.0.iter().position(|(known, _)| *known == key)?;
        Some(self.0.remove(index).1)
    }
}

impl From<&str> for Got {
    fn from(text: &str) -> Got {
        Got::Text(text.to_string())
    }
}

impl From<String> for Got {
    fn from(text: String) -> Got {
        Got::Text(text)
    }
}

impl From<Record> for Got {
    fn from(record: Record) -> Got {
        Got::Record(record)
    }
}

impl Value for &Got {
    fn shape(&self) -> Shape<'_> {
        match self {
            Got::Text(text) => Shape::Text(Cow::Borrowed(text)),
            Got::Number(number) => Shape::Number(*number),
            Got::Bool(flag) => Shape::Bool(*flag),
            Got::Record(_) => Shape::Object,
            Got::List(items) => Shape::Array(items.len()),
            Got::Null => Shape::Absent,
        }
    }

    fn keys(&self) -> Result<Vec<String>, Unreadable> {
        match self {
            Got::Record(record) => Ok(record.0.iter().map(|(key, _)| (*key).to_string()).collect()),
            _ => Ok(Vec::new()),
        }
    }

    fn get(&self, key: &str) -> Result<Option<Self>, Unreadable> {
        match self {
            Got::Record(record) => Ok(record.0.iter().find(|(known, _)| *known == key).map(|(_, got)| got)),
            _ => Ok(None),
        }
    }

    fn at(&self, index: usize) -> Result<Option<Self>, Unreadable> {
        match self {
            Got::List(items) => Ok(items.get(index)),
            _ => Ok(None),
        }
    }
}

#[cfg(feature = "json")]
impl Value for &serde_json::Value {
    fn shape(&self) -> Shape<'_> {
        use serde_json::Value as Json;
        match self {
            Json::Null => Shape::Absent,
            Json::Bool(flag) => Shape::Bool(*flag),
            // A u64 past 2^53 rounds to 2^53 or more: still past the largest safe integer.
            Json::Number(number) => Shape::Number(number.as_f64().unwrap_or(f64::NAN)),
            Json::String(text) => Shape::Text(Cow::Borrowed(text)),
            Json::Array(items) => Shape::Array(items.len()),
            Json::Object(_) => Shape::Object,
        }
    }

    fn keys(&self) -> Result<Vec<String>, Unreadable> {
        Ok(self.as_object().map(|map| map.keys().cloned().collect()).unwrap_or_default())
    }

    fn get(&self, key: &str) -> Result<Option<Self>, Unreadable> {
        Ok(self.as_object().and_then(|map| map.get(key)))
    }

    fn at(&self, index: usize) -> Result<Option<Self>, Unreadable> {
        Ok(self.as_array().and_then(|items| items.get(index)))
    }
}

/// A JSON text read as serde_json reads it, except that an object that says a key twice makes
/// the whole text unreadable (`None`): serde_json keeps the last, the engine's `JSON.parse` too,
/// and a gateway's answer whose `state` or amount is said twice must not be guessed at.
#[cfg(feature = "json")]
pub fn parse_json(text: &str) -> Option<serde_json::Value> {
    use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value as Json};

    struct Strict(Json);

    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Strict, D::Error> {
            deserializer.deserialize_any(StrictVisitor).map(Strict)
        }
    }

    struct StrictVisitor;

    impl<'de> Visitor<'de> for StrictVisitor {
        type Value = Json;

        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str("JSON")
        }
        fn visit_unit<E>(self) -> Result<Json, E> {
            Ok(Json::Null)
        }
        fn visit_bool<E>(self, flag: bool) -> Result<Json, E> {
            Ok(Json::Bool(flag))
        }
        fn visit_i64<E>(self, number: i64) -> Result<Json, E> {
            Ok(Json::from(number))
        }
        fn visit_u64<E>(self, number: u64) -> Result<Json, E> {
            Ok(Json::from(number))
        }
        fn visit_f64<E>(self, number: f64) -> Result<Json, E> {
            Ok(Json::from(number))
        }
        fn visit_str<E>(self, text: &str) -> Result<Json, E> {
            Ok(Json::from(text))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Json, A::Error> {
            let mut list = Vec::new();
            while let Some(Strict(item)) = items.next_element()? {
                list.push(item);
            }
            Ok(Json::Array(list))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Json, A::Error> {
            let mut map = Map::new();
            while let Some(key) = entries.next_key::<String>()? {
                let Strict(value) = entries.next_value()?;
                if map.insert(key, value).is_some() {
                    return Err(A::Error::custom("a key said twice"));
                }
            }
            Ok(Json::Object(map))
        }
    }

    let mut deserializer = serde_json::Deserializer::from_str(text);
    let Strict(value) = Strict::deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(value)
}

/// A result as the module hands it on: JavaScript receives it as a plain object (through the
/// engine's `JSON.parse`), a server as JSON. Written by hand for each type, in place of a
/// serialisation framework: the module's results are few, and each is a few lines.
pub trait ToGot {
    /// The value.
    fn to_got(&self) -> Got;
}

impl<T: ToGot + ?Sized> ToGot for &T {
    fn to_got(&self) -> Got {
        (**self).to_got()
    }
}

/// `null` when absent.
impl<T: ToGot> ToGot for Option<T> {
    fn to_got(&self) -> Got {
        self.as_ref().map_or(Got::Null, ToGot::to_got)
    }
}

impl<T: ToGot> ToGot for [T] {
    fn to_got(&self) -> Got {
        Got::List(self.iter().map(ToGot::to_got).collect())
    }
}

impl<T: ToGot> ToGot for Vec<T> {
    fn to_got(&self) -> Got {
        self.as_slice().to_got()
    }
}

impl ToGot for str {
    fn to_got(&self) -> Got {
        Got::Text(self.to_string())
    }
}

impl ToGot for String {
    fn to_got(&self) -> Got {
        self.as_str().to_got()
    }
}

impl ToGot for bool {
    fn to_got(&self) -> Got {
        Got::Bool(*self)
    }
}

/// Whole numbers, as JavaScript holds them.
macro_rules! number_to_got {
    ($($number:ty),*) => {$(
        impl ToGot for $number {
            fn to_got(&self) -> Got {
                Got::Number(*self as f64)
            }
        }
    )*};
}

number_to_got!(u8, u16, u32, u64, i32);

impl ToGot for Record {
    fn to_got(&self) -> Got {
        Got::Record(self.clone())
    }
}

impl Record {
    /// The same with `key` set to `value` (`null` when it is `None`).
    pub fn field(self, key: &'static str, value: impl ToGot) -> Record {
        self.with(key, value.to_got())
    }

    /// The same with `key` set to `value`, or left out when it is `None`.
    pub fn field_if<T: ToGot>(self, key: &'static str, value: &Option<T>) -> Record {
        self.with(key, value.as_ref().map(ToGot::to_got))
    }
}

/// A result as JSON text, as a server answers with it.
pub fn to_json_value(value: &impl ToGot) -> String {
    got_to_json(&value.to_got())
}

/// A value as JSON text (see [`to_json`]).
pub fn got_to_json(got: &Got) -> String {
    let mut out = String::new();
    write_got(&mut out, got);
    out
}

/// JSON text written from a record: the bodies the module sends. Keys and order are the
/// record's (its table's); whole numbers up to 2^53 as integers, others in their shortest form
/// that reads back the same.
pub fn to_json(record: &Record) -> String {
    let mut out = String::new();
    write_record(&mut out, record);
    out
}

fn write_record(out: &mut String, record: &Record) {
    out.push('{');
    for (index, (key, got)) in record.0.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_text(out, key);
        out.push(':');
        write_got(out, got);
    }
    out.push('}');
}

fn write_got(out: &mut String, got: &Got) {
    match got {
        Got::Text(text) => write_text(out, text),
        Got::Number(number) => write_number(out, *number),
        Got::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Got::Null => out.push_str("null"),
        Got::Record(record) => write_record(out, record),
        Got::List(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_got(out, item);
            }
            out.push(']');
        }
    }
}

/// A JSON string: quotes, backslashes and control characters escaped.
pub fn write_text(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[(u32::from(c) >> 4) as usize]));
                out.push(char::from(HEX[(u32::from(c) & 15) as usize]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A finite number: whole ones as integers, others in the shortest form that reads back the
/// same (the walker lets no NaN or infinity through).
pub fn write_number(out: &mut String, number: f64) {
    if whole(number) {
        out.push_str(&(number as i64).to_string());
    } else if number.is_finite() {
        write_fraction(out, number);
    } else {
        out.push_str("null");
    }
}

/// A finite number with a fraction, in the shortest form that reads back the same.
#[cfg(not(all(feature = "host-number-text", target_arch = "wasm32")))]
fn write_fraction(out: &mut String, number: f64) {
    out.push_str(zmij::Buffer::new().format_finite(number));
}

/// A finite number with a fraction, in the shortest form that reads back the same: the hosting
/// JavaScript engine's (ECMAScript's Number::toString, which JSON reads back as the same number).
#[cfg(all(feature = "host-number-text", target_arch = "wasm32"))]
#[allow(unsafe_code, reason = "the call of a function another crate defines (connpay-js)")]
fn write_fraction(out: &mut String, number: f64) {
    extern "Rust" {
        /// Defined by the crate that links the core with `host-number-text`: appends `number`'s
        /// text to `out`.
        fn connpay_host_number_text(number: f64, out: &mut String);
    }
    // SAFETY: the one definition (connpay-js's) has this very signature, and safe code in its
    // body, which appends to `out` and touches nothing else.
    unsafe { connpay_host_number_text(number, out) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_written_as_json_in_their_order() {
        let record = Record::default()
            .with("b", Got::from("x\"\\\n\u{1}é"))
            .with("a", Got::Number(1042.0))
            .with("c", Got::List(vec![Got::Number(-12.5), Got::Bool(true), Got::Record(Record::default())]));
        assert_eq!(to_json(&record), r#"{"b":"x\"\\\n\u0001é","a":1042,"c":[-12.5,true,{}]}"#);
        assert_eq!(to_json(&Record::default().with("lat", Got::Number(40.741895))), r#"{"lat":40.741895}"#);
    }

    #[cfg(feature = "json")]
    #[test]
    fn json_is_read_whole_and_a_key_said_twice_makes_it_unreadable() {
        let read = parse_json(r#"{"a":[1,-2,2.5,"x",true,null,{"b":{}}],"c":18446744073709551615}"#).unwrap();
        assert_eq!(
            read,
            serde_json::from_str::<serde_json::Value>(r#"{"a":[1,-2,2.5,"x",true,null,{"b":{}}],"c":18446744073709551615}"#).unwrap()
        );
        for twice in [r#"{"state":"DECLINED","state":"APPROVED"}"#, r#"{"a":{"b":1,"b":1}}"#, r#"[{"x":1,"x":2}]"#] {
            assert_eq!(parse_json(twice), None, "{twice}");
        }
        assert_eq!(parse_json(r#"{"a":1} trailing"#), None);
        assert_eq!(parse_json("not json"), None);
    }

    #[test]
    fn paths_reach_into_records() {
        let record = Record::default().with("a", Got::Record(Record::default().with("b", Got::from("c"))));
        assert_eq!(record.text("a.b"), Some("c"));
        assert_eq!(record.text("a.c"), None);
        assert_eq!(record.text("a.b.c"), None);
    }
}
