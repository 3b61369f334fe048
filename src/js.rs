//! Reading JavaScript values without trusting them, and writing results back.

use connpay_core::card::{HolderInput, Input, YearMonth};
use connpay_core::schema::Checked;
use connpay_core::value::{Record, Shape, Value};
use connpay_core::FieldError;
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use crate::{Error, TODAY_HINT};
use connpay_js::date_time;
pub(crate) use connpay_js::{is_array, own, to_js, Js};

/// A value read from JavaScript: owned, so that the core can borrow it as an [`Input`].
pub(crate) enum Text {
    Absent,
    Given(String),
    /// Given, but not a string.
    Other,
}

impl Text {
    /// Reads a value: a string is text, `undefined`/`null` are absent, anything else is not text.
    pub(crate) fn read(value: &JsValue) -> Text {
        match value.as_string() {
            Some(text) => Text::Given(text),
            None if value.is_undefined() || value.is_null() => Text::Absent,
            None => Text::Other,
        }
    }

    /// Reads `object[key]`; a getter that throws, or an `object` that is not one, gives
    /// [`Text::Other`].
    pub(crate) fn field(object: &JsValue, key: &str) -> Text {
        js_sys::Reflect::get(object, &JsValue::from_str(key)).map_or(Text::Other, |value| Text::read(&value))
    }

    pub(crate) fn input(&self) -> Input<'_> {
        match self {
            Text::Absent => Input::Absent,
            Text::Given(text) => Input::Text(text),
            Text::Other => Input::NotText,
        }
    }
}

/// The three parts of a holder's name as read from JavaScript.
pub(crate) struct HolderText {
    first_name: Text,
    last_name: Text,
    printed_name: Text,
}

impl HolderText {
    /// A holder that is neither a string nor an object of name parts, or could not be read.
    pub(crate) const NOT_TEXT: HolderText = HolderText { first_name: Text::Absent, last_name: Text::Absent, printed_name: Text::Other };

    /// Reads `{ firstName, lastName }` or `{ printedName }` (a plain object: an array, a `Date`
    /// or a `String` object is not a holder); a plain string is a printed name.
    pub(crate) fn read(value: &JsValue) -> HolderText {
        if is_plain_object(value) {
            let part = |key: &str| Reflect::get(value, &JsValue::from_str(key)).map(|part| Text::read(&part));
            return match (part("firstName"), part("lastName"), part("printedName")) {
                (Ok(first_name), Ok(last_name), Ok(printed_name)) => HolderText { first_name, last_name, printed_name },
                // A holder that cannot be read (a getter or a Proxy's trap threw) is not text.
                _ => HolderText::NOT_TEXT,
            };
        }
        HolderText { first_name: Text::Absent, last_name: Text::Absent, printed_name: Text::read(value) }
    }

    /// Reads `object[key]` as a holder; a getter that throws makes the holder not text.
    pub(crate) fn field(object: &JsValue, key: &str) -> HolderText {
        js_sys::Reflect::get(object, &JsValue::from_str(key)).map_or(HolderText::NOT_TEXT, |value| HolderText::read(&value))
    }

    pub(crate) fn input(&self) -> HolderInput<'_> {
        HolderInput { first_name: self.first_name.input(), last_name: self.last_name.input(), printed_name: self.printed_name.input() }
    }
}

/// Whether `value` is an object of fields, as the walker reads one (`[object Object]`): not an
/// array, a `Date`, a `String` object, or a Proxy whose traps throw.
pub(crate) fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && matches!(Js(value.clone()).shape(), Shape::Object)
}

/// Reads `today`: absent means the browser's clock (local time), as the payer sees the date.
pub(crate) fn today(value: Option<&JsValue>) -> Result<YearMonth, Error> {
    let invalid = || Error::invalid_argument("today", TODAY_HINT);
    let Some(value) = value.filter(|value| !value.is_undefined() && !value.is_null()) else {
        return month_of(&js_sys::Date::new_0()).ok_or_else(invalid);
    };
    if value.dyn_ref::<js_sys::Date>().is_some() {
        // Its time, read by `Date.prototype.getTime`, which refuses anything but a real Date (a
        // Proxy of one passes `instanceof`); the month is read from a Date made of that time.
        let time = date_time(value).map_err(|_| invalid())?;
        return month_of(&js_sys::Date::new(&JsValue::from_f64(time))).ok_or_else(invalid);
    }
    // `{ year, month }` and nothing else, as every options object of the module.
    let keys = Reflect::own_keys(value.unchecked_ref()).map_err(|_| invalid())?;
    if keys.iter().any(|key| !matches!(key.as_string().as_deref(), Some("year" | "month"))) {
        return Err(invalid());
    }
    let number = |key: &str| {
        js_sys::Reflect::get(value, &JsValue::from_str(key))
            .ok()
            .and_then(|field| field.as_f64())
            .filter(|number| number.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(number))
            .map(|number| number as u32)
    };
    match (number("year"), number("month")) {
        (Some(year), Some(month)) => YearMonth::new(year, month).ok_or_else(invalid),
        _ => Err(invalid()),
    }
}

fn month_of(date: &js_sys::Date) -> Option<YearMonth> {
    // An invalid Date answers NaN, which reaches Rust as 0 and fails YearMonth's range check.
    YearMonth::new(date.get_full_year(), date.get_month() + 1)
}

/// An options object (`{ timeoutMs, signal, … }`), read one own key at a time: a key set on
/// `Object.prototype` by anything else on the page is not an option. A missing object or key
/// takes the default; a value of the wrong kind is an `argument.invalid` naming the key.
pub(crate) struct Options(JsValue);

impl Options {
    pub(crate) fn read(value: Option<JsValue>) -> Result<Options, Error> {
        match value {
            None => Ok(Options(JsValue::UNDEFINED)),
            Some(value) if value.is_undefined() || value.is_null() => Ok(Options(value)),
            Some(value) if value.is_object() && !matches!(is_array(&value), Ok(true)) => Ok(Options(value)),
            Some(_) => Err(Error::invalid_argument("options", "options must be an object")),
        }
    }

    /// The options object itself (undefined when none was given).
    pub(crate) fn value(&self) -> &JsValue {
        &self.0
    }

    pub(crate) fn get(&self, key: &str) -> Result<JsValue, Error> {
        own(&self.0, key).map_err(|_| Error::invalid_argument(key, "this option could not be read"))
    }

    /// Refuses a key that is not in `known` (a typo such as `onSucess`), naming it (inside the
    /// option `within`, if any) and the nearest known key. Symbol keys are left alone.
    pub(crate) fn only(&self, within: &str, known: &[&str]) -> Result<(), Error> {
        if !self.0.is_object() {
            return Ok(());
        }
        let keys = Reflect::own_keys(&self.0).map_err(|_| Error::invalid_argument("options", "the options could not be read"))?;
        for key in keys.iter().filter_map(|key| key.as_string()) {
            // A key set to undefined is left out, as in a request.
            let given = !matches!(own(&self.0, &key), Ok(value) if value.is_undefined());
            if given && !known.contains(&key.as_str()) {
                let message = match connpay_core::checkout::nearest(&key, known) {
                    Some(near) => format!("unknown option; did you mean {near}?"),
                    None => "unknown option".to_string(),
                };
                let path = if within.is_empty() { key } else { format!("{within}.{key}") };
                return Err(Error::invalid_argument(&path, &message));
            }
        }
        Ok(())
    }

    /// A duration in milliseconds: a finite number from `min` to 2^31 − 1 (the timers' limit).
    pub(crate) fn number(&self, key: &str, default: f64, min: f64) -> Result<f64, Error> {
        let value = self.get(key)?;
        if value.is_undefined() {
            return Ok(default);
        }
        value.as_f64().filter(|number| number.fract() == 0.0 && (min..=f64::from(i32::MAX)).contains(number)).ok_or_else(|| {
            Error::invalid_argument(key, &format!("this option must be a whole number of milliseconds from {} to 2147483647", min as u32))
        })
    }

    /// One of the core's millisecond options, under its key.
    pub(crate) fn milliseconds(&self, option: connpay_core::sale::Milliseconds) -> Result<f64, Error> {
        self.number(option.key, option.default, option.min)
    }

    /// `signal`: an `AbortSignal`, if given.
    pub(crate) fn signal(&self) -> Result<Option<AbortSignal>, Error> {
        let value = self.get("signal")?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value.dyn_into().map(Some).map_err(|_| Error::invalid_argument("signal", "signal must be an AbortSignal"))
    }

    /// A callback, if given.
    pub(crate) fn function(&self, key: &str) -> Result<Option<Function>, Error> {
        let value = self.get(key)?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value.dyn_into().map(Some).map_err(|_| Error::invalid_argument(key, "this option must be a function"))
    }
}

/// A record as a plain JavaScript object.
pub(crate) fn record_to_js(record: &Record) -> JsValue {
    // The core writes only string keys and finite numbers: the engine's JSON.parse reads it.
    to_js(record).unwrap_or(JsValue::NULL)
}

/// `request.invalid` with every problem, unless there is none.
pub(crate) fn require_valid(errors: Vec<FieldError>) -> Result<(), Error> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_request(&errors))
    }
}

/// A `validate…` export: reads the request with `check` and `today` (the browser's clock when
/// absent) and answers `{ valid, errors }`. Only a malformed `today` throws.
pub(crate) fn validation(
    request: JsValue,
    today: Option<&JsValue>,
    check: impl FnOnce(&Js, YearMonth) -> Checked,
) -> Result<JsValue, Error> {
    let errors = check(&Js(request), self::today(today)?).errors;
    to_js(&Record::default().field("valid", errors.is_empty()).field("errors", &errors))
}
