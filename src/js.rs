//! Reading JavaScript values without trusting them, and writing results back.

use connpay_core::card::{HolderInput, Input, YearMonth};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::Error;

/// A value read from JavaScript: owned, so that the core can borrow it as an [`Input`].
pub(crate) enum Text {
    Absent,
    Given(String),
    NotText,
}

impl Text {
    /// Reads a value: a string is text, `undefined`/`null` are absent, anything else is not text.
    pub(crate) fn read(value: &JsValue) -> Text {
        match value.as_string() {
            Some(text) => Text::Given(text),
            None if value.is_undefined() || value.is_null() => Text::Absent,
            None => Text::NotText,
        }
    }

    /// Reads `object[key]`; a getter that throws, or an `object` that is not one, gives
    /// [`Text::NotText`].
    pub(crate) fn field(object: &JsValue, key: &str) -> Text {
        js_sys::Reflect::get(object, &JsValue::from_str(key)).map_or(Text::NotText, |value| Text::read(&value))
    }

    pub(crate) fn input(&self) -> Input<'_> {
        match self {
            Text::Absent => Input::Absent,
            Text::Given(text) => Input::Text(text),
            Text::NotText => Input::NotText,
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
    /// Reads `{ firstName, lastName }` or `{ printedName }`; a plain string is a printed name.
    pub(crate) fn read(value: &JsValue) -> HolderText {
        if value.is_object() {
            return HolderText {
                first_name: Text::field(value, "firstName"),
                last_name: Text::field(value, "lastName"),
                printed_name: Text::field(value, "printedName"),
            };
        }
        HolderText { first_name: Text::Absent, last_name: Text::Absent, printed_name: Text::read(value) }
    }

    /// Reads `object[key]` as a holder; a getter that throws makes the holder not text.
    pub(crate) fn field(object: &JsValue, key: &str) -> HolderText {
        match js_sys::Reflect::get(object, &JsValue::from_str(key)) {
            Ok(value) => HolderText::read(&value),
            Err(_) => HolderText { first_name: Text::Absent, last_name: Text::Absent, printed_name: Text::NotText },
        }
    }

    pub(crate) fn input(&self) -> HolderInput<'_> {
        HolderInput {
            first_name: self.first_name.input(),
            last_name: self.last_name.input(),
            printed_name: self.printed_name.input(),
        }
    }
}

const TODAY_HINT: &str = "today must be a Date or { year, month } with a 4-digit year and a month 1-12";

/// Reads `today`: absent means the browser's clock (local time), as the payer sees the date.
pub(crate) fn today(value: Option<&JsValue>) -> Result<YearMonth, Error> {
    let invalid = || Error::invalid_argument("today", TODAY_HINT);
    let Some(value) = value.filter(|value| !value.is_undefined() && !value.is_null()) else {
        return month_of(&js_sys::Date::new_0()).ok_or_else(invalid);
    };
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        return month_of(date).ok_or_else(invalid);
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

/// Converts a result into a plain JavaScript object; `None` becomes `null`.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    // Results with flattened fields serialize as maps: they must still reach JS as plain objects.
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_missing_as_null(true)
        .serialize_maps_as_objects(true);
    value
        .serialize(&serializer)
        .map_err(|_| Error::internal("the result could not be converted to a JavaScript value"))
}
