//! `mountCheckout`: the drop-in checkout. Its rules and its state are the core's checkout machine
//! ([`connpay_core::checkout::machine`]); its page work is the JavaScript shell
//! (`shell/checkout.js`), the only code that touches the page, `fetch`, timers and the 3-D Secure
//! window. This binding is thin: it reads `mountCheckout`'s options into the machine's typed
//! configuration once, turns the shell's events (plain objects) into the machine's, and its
//! effects into plain objects the shell applies, in order, the page's callbacks last.

use connpay_core::card::BrandId;
use connpay_core::checkout::attempts::CHALLENGE_LIFETIME;
use connpay_core::checkout::edit::Deletion;
use connpay_core::checkout::machine::{
    Callback, Checkout, Clock, Config, Effect, Event, Fate, Kind, Refused, SessionAnswer, Told, Update, Values,
};
use connpay_core::checkout::messages::{self, Locale, Messages};
use connpay_core::checkout::sale::{check_order, check_session, order_answer};
use connpay_core::checkout::{Field, SavedCard};
use connpay_core::sale::{Outcome, UnknownReason, MAX_WAIT, POLL_INTERVAL, SALE_TIMEOUT};
use connpay_core::value::{to_json, to_json_value, write_number, write_text, Record};
use connpay_core::ErrorCode;
use std::cell::{Cell, RefCell};

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::gateway::read_gateway;
use crate::js::{self, Js, Options};
use crate::Error;

#[wasm_bindgen]
extern "C" {
    /// The options of `mountCheckout` (declared in `types`).
    #[wasm_bindgen(typescript_type = "CheckoutOptions")]
    pub type CheckoutOptions;
}

#[wasm_bindgen(module = "/shell/checkout.js")]
extern "C" {
    /// The page shell's mount: finds the form, binds it to `machine`, returns the handle.
    #[wasm_bindgen(catch, js_name = mount)]
    fn shell_mount(form: &JsValue, machine: JsValue) -> Result<JsValue, JsValue>;
}

/// Every option `mountCheckout` reads; any other key is a mistake worth a clear error.
const OPTION_KEYS: &[&str] = &[
    "gateway",
    "getSession",
    "amountCentis",
    "currency",
    "consumer",
    "billing",
    "order",
    "location",
    "locale",
    "locales",
    "messages",
    "savedCard",
    "selectors",
    "timeoutMs",
    "pollIntervalMs",
    "maxWaitMs",
    "challengeLifetimeMs",
    "onReady",
    "onChange",
    "onFocus",
    "onBlur",
    "onBrand",
    "onSubmit",
    "onSuccess",
    "onError",
    "onRedirect",
];

/// The page's callbacks, by the name the machine's effects give them.
const CALLBACKS: &[&str] = &["onReady", "onChange", "onFocus", "onBlur", "onBrand", "onSubmit", "onSuccess", "onError", "onRedirect"];

/// What `update()` may change: the sale's order and what the checkout says.
const UPDATE_KEYS: &[&str] = &["amountCentis", "currency", "consumer", "billing", "order", "location", "locale", "locales", "messages"];

/// The options the order is read from, by `check_order`.
const ORDER_KEYS: &[&str] = &["amountCentis", "currency", "consumer", "billing", "order", "location"];

/// Turns the merchant's card form into a checkout. `form` is the `<form>` or a selector for it;
/// its inputs are found by `data-connpay="number|expiry|cvv|holder"` unless
/// `options.selectors` says otherwise. Every option is checked now, by the rules of the sale it
/// feeds: a mistake throws `argument.invalid` naming it (with `errors` for the order's fields),
/// and a form that already has a checkout throws `checkout.already_mounted`. Nothing throws
/// later: every attempt's end reaches `onSuccess` or `onError` (after `unmount()`, only a sale
/// on its way is reported, as `checkout.unmounted`). Returns the `Checkout` handle.
#[wasm_bindgen(js_name = mountCheckout, unchecked_return_type = "Checkout")]
pub fn mount_checkout(
    #[wasm_bindgen(unchecked_param_type = "HTMLFormElement | string")] form: JsValue,
    options: CheckoutOptions,
) -> Result<JsValue, JsValue> {
    let machine = CheckoutMachine::new(options.into())?;
    shell_mount(&form, machine.into())
}

thread_local! {
    /// The unmounted checkouts that leave a sale (in doubt, or approved) for the next checkout on
    /// their form, by id: the page shell names one to [`CheckoutMachine::inherit`].
    static LEFT: RefCell<Vec<(u32, Checkout)>> = const { RefCell::new(Vec::new()) };
    /// The last id given to a machine.
    static LAST_ID: Cell<u32> = const { Cell::new(0) };
}

/// Takes the checkout `id` left, if it left one.
fn take_left(id: u32) -> Option<Checkout> {
    LEFT.with(|left| {
        let mut left = left.borrow_mut();
        let at = left.iter().position(|(known, _)| *known == id)?;
        Some(left.swap_remove(at).1)
    })
}

fn keep_left(id: u32, checkout: Checkout) {
    LEFT.with(|left| left.borrow_mut().push((id, checkout)));
}

/// The checkout's machine as `mountCheckout` hands it to the page shell (`shell/checkout.js`):
/// not for pages, which call `mountCheckout`.
///
/// Every method takes `&self`, and the state is borrowed only while no JavaScript runs: reading
/// `update()`'s options runs the page's getters, which may call the same checkout again (an
/// update, an unmount), and that call must be answered as every other call is, not refused by
/// wasm-bindgen as a recursive use of the object.
#[wasm_bindgen(skip_typescript)]
pub struct CheckoutMachine {
    id: u32,
    checkout: RefCell<Checkout>,
    /// The page's callbacks and `getSession`, read once.
    callbacks: Object,
    layout: JsValue,
    /// The `locale` and `locales` the page gave: an `update()` that changes one reads the other.
    language: RefCell<(JsValue, JsValue)>,
}

#[wasm_bindgen]
impl CheckoutMachine {
    /// Reads `mountCheckout`'s options; throws a coded error for each mistake.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "CheckoutOptions")] options: JsValue) -> Result<CheckoutMachine, Error> {
        if !options.is_object() {
            return Err(Error::invalid_argument("options", "mountCheckout needs an options object"));
        }
        let options = Options::read(Some(options))?;
        refuse_keys(&options)?;
        options.only("", OPTION_KEYS)?;
        let gateway = read_gateway(&options.get("gateway")?)?;
        let get_session = options.function("getSession")?.ok_or_else(|| {
            Error::invalid_argument("getSession", "getSession is required: it asks the merchant's server for the sale's session")
        })?;
        let callbacks = Object::new();
        set(&callbacks, "getSession", &get_session);
        for name in CALLBACKS {
            if let Some(callback) = options.function(name)? {
                set(&callbacks, name, &callback);
            }
        }
        let (locale, locales) = (options.get("locale")?, options.get("locales")?);
        let messages = read_messages(read_language(&locale, &locales)?, &options.get("messages")?)?;
        let saved = read_saved_card(&options.get("savedCard")?)?;
        let layout = layout(&options.get("selectors")?, saved.as_ref())?;
        let config = Config {
            gateway,
            order: read_order(&options, None)?,
            messages,
            language: tag_of(&locale),
            saved,
            // A sale needs time to be answered, and polling must not flood the gateway.
            timeout_ms: options.milliseconds(SALE_TIMEOUT)?,
            poll_interval_ms: options.milliseconds(POLL_INTERVAL)?,
            max_wait_ms: options.milliseconds(MAX_WAIT)?,
            challenge_lifetime_ms: options.milliseconds(CHALLENGE_LIFETIME)?,
        };
        let id = LAST_ID.with(|last| {
            last.set(last.get().wrapping_add(1));
            last.get()
        });
        Ok(CheckoutMachine {
            id,
            checkout: RefCell::new(Checkout::new(config, None)),
            callbacks,
            layout,
            language: RefCell::new((locale, locales)),
        })
    }

    /// What the shell looks for in the form, and what it prepares: `{ fields: [{ name, selector,
    /// errorSelector, asked, autocomplete, numeric }], brand, status, submit, savedCardSelector,
    /// savedCard }`.
    #[wasm_bindgen(getter, unchecked_return_type = "object")]
    pub fn layout(&self) -> JsValue {
        self.layout.clone()
    }

    /// The page's callbacks by name, and `getSession`.
    #[wasm_bindgen(getter, unchecked_return_type = "Record<string, Function | undefined>")]
    pub fn callbacks(&self) -> Object {
        self.callbacks.clone()
    }

    /// Why the page cannot take this checkout: `kind` is `document`, `form`, `formSelector`,
    /// `selector` (of the layout's `part`), `input` (of the field `part`) or `mounted`.
    #[wasm_bindgen(unchecked_return_type = "Error")]
    pub fn refusal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] part: JsValue,
    ) -> JsValue {
        let key = part.as_string().unwrap_or_default();
        let error = match kind.as_string().unwrap_or_default().as_str() {
            "document" => Error::invalid_argument("form", "mountCheckout needs a page with a document"),
            "formSelector" => Error::invalid_argument("form", "the form selector is not valid CSS"),
            "form" => Error::invalid_argument("form", "the form must be a <form> element or a selector that finds one"),
            "selector" => Error::invalid_argument(&format!("selectors.{key}"), "this selector is not valid CSS"),
            "input" => Error::invalid_argument(&format!("selectors.{key}"), "the form has no <input> for this field"),
            "mounted" => Error::of(ErrorCode::CheckoutAlreadyMounted).at("form"),
            _ => Error::internal(),
        };
        error.into()
    }

    /// This machine's id, which names what it leaves once unmounted.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Takes over what the unmounted checkout `left` (its id) left on the same form (a sale in
    /// doubt, an approved one), before [`CheckoutMachine::handle`] starts this one.
    pub fn inherit(&self, #[wasm_bindgen(unchecked_param_type = "number")] left: JsValue) {
        let left = left.as_f64().filter(|id| id.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(id));
        if let Some(mut left) = left.and_then(|id| take_left(id as u32)) {
            let config = self.checkout.borrow().config().clone();
            *self.checkout.borrow_mut() = Checkout::new(config, left.take_carried());
        }
    }

    /// Whether this unmounted checkout leaves something the form's next one inherits.
    #[wasm_bindgen(getter)]
    pub fn carries(&self) -> bool {
        LEFT.with(|left| left.borrow().iter().any(|(id, _)| *id == self.id))
    }

    /// One event (`{ type, … }`): the effects to apply, in order, callbacks last, as the JSON
    /// text of an array (one `JSON.parse` in the shell instead of a call across the boundary
    /// for every property); throws a coded error when the event is refused (`update`,
    /// `settle`), and then nothing changed.
    pub fn handle(&self, #[wasm_bindgen(unchecked_param_type = "object")] event: JsValue) -> Result<String, Error> {
        let kind = text(&event, "type");
        let event = match kind.as_str() {
            "update" => self.read_update(&event)?,
            "sessionFailed" => Event::Session { ask: number(&event, "ask"), answer: SessionAnswer::Failed },
            _ => read_event(&kind, &event).ok_or_else(|| Error::invalid_argument("event", "not an event of the checkout's page shell"))?,
        };
        // An unmounted checkout's settle is for what it left, if it left something.
        if let Some(mut left) = matches!(event, Event::Settle { .. }).then(|| take_left(self.id)).flatten() {
            let settled = left.handle(event, clock()).map_err(refused);
            if left.carries() {
                keep_left(self.id, left);
            }
            return settled.map(|_| "[]".into());
        }
        let unmount = matches!(event, Event::Unmount);
        // The core runs no JavaScript: nothing can call in while the state is borrowed.
        let effects = {
            let mut checkout = self.checkout.borrow_mut();
            let effects = checkout.handle(event, clock()).map_err(refused)?;
            if unmount && checkout.carries() {
                keep_left(self.id, checkout.clone());
                checkout.take_carried();
            }
            effects
        };
        let mut out = String::from("[");
        for (index, effect) in effects.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            write_effect(&mut out, effect);
        }
        out.push(']');
        Ok(out)
    }

    /// `update(options)`: the parts given, checked as at mount, merged into what stands.
    fn read_update(&self, event: &JsValue) -> Result<Event, Error> {
        let refusal = || self.checkout.borrow().update_refusal().map(refused);
        if let Some(refusal) = refusal() {
            return Err(refusal);
        }
        let value = get(event, "options");
        if !value.is_object() {
            return Err(Error::invalid_argument("options", "update needs an options object"));
        }
        let options = Options::read(Some(value))?;
        options.only("", UPDATE_KEYS)?;
        // Each key read once: a getter runs once, and what it gave is what is checked and kept.
        let mut given = Vec::with_capacity(UPDATE_KEYS.len());
        for key in UPDATE_KEYS {
            let value = options.get(key)?;
            if !value.is_undefined() {
                given.push((*key, value));
            }
        }
        let given = |key: &str| given.iter().find(|(known, _)| *known == key).map(|(_, value)| value.clone());
        // A copy: the getters of the values given run while the order is read below.
        let current = self.checkout.borrow().config().clone();
        let order = if ORDER_KEYS.iter().any(|key| given(key).is_some()) {
            // The order as it stands, with the parts given in its place, checked whole.
            let mut kept = Record::default();
            for key in ORDER_KEYS {
                if let Some(value) = current.order.get(key) {
                    kept.set(key, value.clone());
                }
            }
            let merged = js::record_to_js(&kept);
            for key in ORDER_KEYS {
                if let Some(value) = given(key) {
                    let _ = Reflect::set(&merged, &JsValue::from_str(key), &value);
                }
            }
            let serial_number = current.order.text("consumer.device.serialNumber").map(str::to_string);
            Some(read_order(&Options::read(Some(merged))?, serial_number.as_deref())?)
        } else {
            None
        };
        let standing = self.language.borrow().clone();
        let language = (given("locale").unwrap_or(standing.0), given("locales").unwrap_or(standing.1));
        let relanguaged = given("locale").is_some() || given("locales").is_some();
        let mut messages = current.messages.clone();
        if relanguaged {
            messages = messages.in_language(read_language(&language.0, &language.1)?);
        }
        // `messages` replaces the earlier overrides; a new language keeps them.
        let messages = match given("messages") {
            Some(overrides) => Some(read_messages(Messages::default().in_language(messages), &overrides)?),
            None => relanguaged.then_some(messages),
        };
        // The page's getters ran meanwhile: a sale they started, or an unmount, wins.
        if let Some(refusal) = refusal() {
            return Err(refusal);
        }
        let tag = relanguaged.then(|| tag_of(&language.0));
        *self.language.borrow_mut() = language;
        Ok(Event::Update(Update { order, messages, language: tag, values: values(&get(event, "values")) }))
    }
}

/// One effect as a JSON object (`{ "type": …, … }`) appended to `out`, in the words the shell
/// reads; a callback's argument written as the page receives it (`onError`'s as the fields of
/// its `ConnPayError`, which the shell builds).
fn write_effect(out: &mut String, effect: &Effect) {
    out.push('{');
    let mut put = Fields(out);
    let kind = |put: &mut Fields<'_>, name: &str| put.text("type", name);
    match effect {
        Effect::Show { field, value, caret } => {
            kind(&mut put, "show");
            put.text("field", field.name());
            put.text("value", value);
            put.json("caret", &caret.map_or_else(|| "null".into(), |caret| caret.to_string()));
        }
        Effect::Classes { field, empty, valid, invalid } => {
            kind(&mut put, "classes");
            put.text("field", field.name());
            put.flag("empty", *empty);
            put.flag("valid", *valid);
            put.flag("invalid", *invalid);
        }
        Effect::Focused { field, on } => {
            kind(&mut put, "focused");
            put.text("field", field.name());
            put.flag("on", *on);
        }
        Effect::Mark { field, invalid, text } => {
            kind(&mut put, "mark");
            put.text("field", field.name());
            put.flag("invalid", *invalid);
            put.text("text", text);
        }
        Effect::Brand(brand) => {
            kind(&mut put, "brand");
            put.text("id", brand.map_or("", BrandId::as_str));
            put.text("name", brand.map_or("", |brand| brand.brand().name));
        }
        Effect::Say { text, until, language } => {
            kind(&mut put, "say");
            put.text("text", text);
            put.until(*until);
            put.text("language", language);
        }
        Effect::Lock { ready, busy } => {
            kind(&mut put, "lock");
            put.flag("ready", *ready);
            put.flag("busy", *busy);
        }
        Effect::Reopen { shown, text } => {
            kind(&mut put, "reopen");
            put.flag("shown", *shown);
            put.text("text", text);
        }
        Effect::FocusField(field) => {
            kind(&mut put, "focusField");
            put.text("field", field.name());
        }
        Effect::FocusReopen => kind(&mut put, "focusReopen"),
        Effect::OpenChallenge { url, title, cancel, origin } => {
            kind(&mut put, "openChallenge");
            put.text("url", url);
            put.text("title", title);
            put.text("cancel", cancel);
            put.text("origin", origin);
        }
        Effect::CloseChallenge => kind(&mut put, "closeChallenge"),
        Effect::Send { request, kind: answer, http, timeout_ms } => {
            kind(&mut put, "send");
            put.number("request", f64::from(*request));
            put.text("kind", if *answer == Kind::Sale { "sale" } else { "status" });
            put.text("method", http.method);
            put.text("url", &http.url);
            put.0.push_str(",\"headers\":{");
            for (index, (name, value)) in http.headers.iter().enumerate() {
                if index > 0 {
                    put.0.push(',');
                }
                write_text(put.0, name);
                put.0.push(':');
                write_text(put.0, value);
            }
            put.0.push('}');
            put.text("body", &http.body);
            put.number("timeoutMs", *timeout_ms);
        }
        Effect::Wait { timer, ms } => {
            kind(&mut put, "wait");
            put.number("timer", f64::from(*timer));
            put.number("ms", *ms);
        }
        Effect::CancelWait(timer) => {
            kind(&mut put, "cancelWait");
            put.number("timer", f64::from(*timer));
        }
        Effect::Restore => kind(&mut put, "restore"),
        Effect::Call(callback) => {
            kind(&mut put, "call");
            write_call(&mut put, callback);
        }
    }
    out.push('}');
}

/// A callback's name and what it receives (`argument`, absent for none).
fn write_call(put: &mut Fields<'_>, callback: &Callback) {
    let (name, argument) = match callback {
        Callback::Ready => ("onReady", None),
        Callback::Change(state) => ("onChange", Some(to_json_value(state))),
        Callback::Brand(brand) => ("onBrand", Some(to_json_value(brand))),
        Callback::Focus(field) => ("onFocus", Some(json_text(field.name()))),
        Callback::Blur(field) => ("onBlur", Some(json_text(field.name()))),
        Callback::Submit => ("onSubmit", None),
        Callback::Success(success) => ("onSuccess", Some(to_json_value(success))),
        Callback::Error(told) => {
            put.text("name", "onError");
            put.text("language", &told.language);
            put.0.push_str(",\"argument\":{");
            return write_error(&mut Fields(put.0), told);
        }
        Callback::Redirect(url) => ("onRedirect", Some(json_text(url))),
        Callback::Ask { ask, request } => {
            put.number("ask", f64::from(*ask));
            ("getSession", Some(to_json(request)))
        }
    };
    put.text("name", name);
    if let Some(argument) = argument {
        put.json("argument", &argument);
    }
}

/// The fields of the `ConnPayError` `onError` receives, in its properties' order: `message`
/// (its `{until}` said by the shell), `code`, `path`, `errors`, `gatewayError`, `status`,
/// `reason`, `cause` (`true`: the shell puts what `getSession` threw), `detail`, `next`,
/// `until`, `invoiceId`.
fn write_error(put: &mut Fields<'_>, told: &Told) {
    put.text("message", &told.message);
    put.text("code", told.code.as_str());
    if let Some(path) = &told.path {
        put.text("path", path);
    }
    if !told.errors.is_empty() {
        put.json("errors", &to_json_value(&told.errors));
    }
    if let Some(gateway_error) = &told.gateway_error {
        put.json("gatewayError", &to_json_value(gateway_error));
    }
    if let Some(status) = told.status {
        put.number("status", f64::from(status));
    }
    if let Some(reason) = &told.reason {
        put.json("reason", &to_json_value(reason));
    }
    if told.cause {
        put.flag("cause", true);
    }
    put.text("detail", &told.detail);
    put.text("next", told.next.as_str());
    put.until(told.until);
    if let Some(invoice_id) = &told.invoice_id {
        put.text("invoiceId", invoice_id);
    }
    put.0.push('}');
}

/// An object's fields, written one after the other into JSON text whose `{` is written.
struct Fields<'a>(&'a mut String);

impl Fields<'_> {
    fn key(&mut self, key: &str) -> &mut String {
        if !self.0.ends_with('{') {
            self.0.push(',');
        }
        write_text(self.0, key);
        self.0.push(':');
        self.0
    }

    fn text(&mut self, key: &str, value: &str) {
        write_text(self.key(key), value);
    }

    fn json(&mut self, key: &str, json: &str) {
        self.key(key).push_str(json);
    }

    fn number(&mut self, key: &str, number: f64) {
        write_number(self.key(key), number);
    }

    fn flag(&mut self, key: &str, flag: bool) {
        self.json(key, if flag { "true" } else { "false" });
    }

    /// `until`, when there is one.
    fn until(&mut self, until: Option<f64>) {
        if let Some(until) = until {
            self.number("until", until);
        }
    }
}

fn json_text(text: &str) -> String {
    let mut out = String::new();
    write_text(&mut out, text);
    out
}

/// The merchant's control key (or anything named like a key or a secret) has no place in a
/// browser: it signs sessions on the merchant's server. Said before any other option's problem.
fn refuse_keys(options: &Options) -> Result<(), Error> {
    let Ok(keys) = Reflect::own_keys(options.value().unchecked_ref()) else { return Ok(()) };
    for key in keys.iter().filter_map(|key| key.as_string()) {
        let folded = key.to_ascii_lowercase();
        let secret = ["key", "secret", "control", "password", "token"].iter().any(|word| folded.contains(word));
        if secret && !OPTION_KEYS.contains(&key.as_str()) {
            return Err(Error::new(ErrorCode::ArgumentInvalid, "the merchant's control key (or any secret) never belongs in a browser: anyone can read it from the page and sign sales with it. Keep it on your server, which signs the session getSession answers (see connpay-checkout-server), and take it out of the page's code.")
                .at(&key)
                .with("detail", JsValue::from_str("a secret in the page's options: it must stay on the merchant's server")));
        }
    }
    Ok(())
}

/// The machine's refusal as the coded error the page's call throws.
fn refused(refused: Refused) -> Error {
    let error = if refused.message.is_empty() { Error::of(refused.code) } else { Error::invalid_argument(refused.path, refused.message) };
    match refused.invoice_id {
        Some(invoice_id) => error.with("invoiceId", JsValue::from_str(&invoice_id)),
        None => error,
    }
}

fn clock() -> Clock {
    let today = js::today(None).unwrap_or_else(|_| connpay_core::card::YearMonth::new(1970, 1).expect("a month"));
    Clock { now: js_sys::Date::now(), today }
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text(object: &JsValue, key: &str) -> String {
    get(object, key).as_string().unwrap_or_default()
}

fn number(object: &JsValue, key: &str) -> u32 {
    get(object, key).as_f64().map_or(0, |number| number as u32)
}

fn flag(object: &JsValue, key: &str) -> bool {
    get(object, key).as_bool().unwrap_or(false)
}

fn values(value: &JsValue) -> Values {
    Field::ALL.map(|field| text(value, &(field as usize).to_string()))
}

fn field_of(object: &JsValue) -> Option<Field> {
    let name = text(object, "field");
    Field::ALL.into_iter().find(|field| field.name() == name)
}

/// One of the shell's events, read.
fn read_event(kind: &str, event: &JsValue) -> Option<Event> {
    let values = || values(&get(event, "values"));
    Some(match kind {
        "start" => Event::Start(values()),
        "ready" => Event::Ready,
        "input" => Event::Input {
            field: field_of(event)?,
            caret: get(event, "caret").as_f64().map_or(usize::MAX, |caret| caret as usize),
            deletion: Deletion::of_input_type(&text(event, "inputType")),
            focused: flag(event, "focused"),
            values: values(),
        },
        "focus" => Event::Focus(field_of(event)?),
        "blur" => Event::Blur { field: field_of(event)?, to_submit: flag(event, "toSubmit"), values: values() },
        "submit" => Event::Submit(values()),
        "session" => Event::Session { ask: number(event, "ask"), answer: session_answer(&get(event, "answer")) },
        "answer" | "noAnswer" => {
            let request = number(event, "request");
            let body = get(event, "body").as_string().unwrap_or_default();
            let parsed = js_sys::JSON::parse(&body).ok().map(Js);
            let status = number(event, "status") as u16;
            let reason = if text(event, "reason") == "timeout" { UnknownReason::Timeout } else { UnknownReason::Network };
            match (kind, text(event, "kind").as_str()) {
                ("answer", "sale") => Event::Sale { request, outcome: Outcome::classify(status, parsed.as_ref()) },
                ("answer", _) => Event::Status { request, outcome: Outcome::classify(status, parsed.as_ref()) },
                (_, "sale") => Event::Sale { request, outcome: Outcome::unknown(reason) },
                _ => Event::Status { request, outcome: Outcome::unknown(reason) },
            }
        }
        "timer" => Event::Timer(number(event, "timer")),
        "closed" => Event::ChallengeClosed { blocked: flag(event, "blocked") },
        "reopen" => Event::Reopen,
        "settle" => Event::Settle {
            invoice_id: get(event, "invoiceId").as_string()?,
            fate: if text(event, "fate") == "approved" { Fate::Approved } else { Fate::NotCharged },
        },
        "unmount" => Event::Unmount,
        _ => return None,
    })
}

/// What `getSession` answered, read by the rules of what it may answer.
fn session_answer(answer: &JsValue) -> SessionAnswer {
    let answer = Js(answer.clone());
    match order_answer(&answer) {
        Ok(read) => match js::today(None) {
            Ok(today) => SessionAnswer::Answered(read, check_session(&answer, today)),
            Err(_) => SessionAnswer::Failed,
        },
        Err(problem) => SessionAnswer::Wrong(problem),
    }
}

/// The language tag of `locale` (a tag, or a table's `locale`), for the time of day.
fn tag_of(locale: &JsValue) -> String {
    match locale.as_string() {
        Some(tag) => tag.replace('_', "-"),
        None => js::own(locale, "locale").ok().and_then(|tag| tag.as_string()).unwrap_or_default(),
    }
}

/// The form's layout: what the shell finds (by the merchant's selectors or the defaults) and how
/// it prepares each field.
fn layout(selectors: &JsValue, saved: Option<&SavedCard>) -> Result<JsValue, Error> {
    const KEYS: [&str; 7] = ["number", "expiry", "cvv", "holder", "brand", "status", "submit"];
    if !(selectors.is_undefined() || selectors.is_null() || selectors.is_object()) {
        return Err(Error::invalid_argument("selectors", "selectors must be an object of CSS selectors"));
    }
    Options::read(Some(selectors.clone()))?.only("selectors", &KEYS)?;
    let read = |key: &str, default: String| -> Result<String, Error> {
        if selectors.is_undefined() || selectors.is_null() {
            return Ok(default);
        }
        let path = format!("selectors.{key}");
        match js::own(selectors, key) {
            Ok(found) if found.is_undefined() => Ok(default),
            Ok(found) => found.as_string().ok_or_else(|| Error::invalid_argument(&path, "a selector must be a string")),
            Err(_) => Err(Error::invalid_argument(&path, "this selector could not be read")),
        }
    };
    let by_role = |role: &str| format!("[data-connpay=\"{role}\"]");
    let layout = Object::new();
    let fields = Array::new();
    for field in Field::ALL {
        let asked = saved.is_none() || field == Field::Cvv;
        let one = Object::new();
        set(&one, "name", &JsValue::from_str(field.name()));
        set(&one, "selector", &JsValue::from_str(&read(field.name(), by_role(field.name()))?));
        set(&one, "errorSelector", &JsValue::from_str(&format!("[data-connpay-error=\"{}\"]", field.name())));
        set(&one, "asked", &JsValue::from(asked));
        set(&one, "autocomplete", &JsValue::from_str(field.autocomplete()));
        set(&one, "numeric", &JsValue::from(field.numeric()));
        fields.push(&one);
    }
    set(&layout, "fields", &fields);
    set(&layout, "brand", &JsValue::from_str(&read("brand", by_role("brand"))?));
    set(&layout, "status", &JsValue::from_str(&read("status", by_role("status"))?));
    set(&layout, "submit", &JsValue::from_str(&read("submit", "button[type=submit], input[type=submit], button:not([type])".into())?));
    set(&layout, "savedCardSelector", &JsValue::from_str(&by_role("saved-card")));
    set(&layout, "savedCard", &saved.map_or(JsValue::NULL, |saved| JsValue::from_str(&saved.label())));
    Ok(layout.into())
}

/// The merchant's `messages`: own keys only, each an error code or a notice, each a string.
fn read_messages(mut messages: Messages, overrides: &JsValue) -> Result<Messages, Error> {
    if overrides.is_undefined() {
        return Ok(messages);
    }
    if !overrides.is_object() {
        return Err(Error::invalid_argument("messages", "messages must be an object of strings"));
    }
    // Reflect's calls catch what a Proxy trap or a getter throws; `Object.entries` would let it
    // run through the module's frames to the page, past this function's error.
    let keys =
        Reflect::own_keys(overrides.unchecked_ref()).map_err(|_| Error::invalid_argument("messages", "messages could not be read"))?;
    for key in keys.iter() {
        let Some(key) = key.as_string() else { continue };
        let path = format!("messages.{key}");
        if !messages::is_key(&key) {
            return Err(Error::invalid_argument(
                &path,
                "not a message key: an error code such as \"sale.declined\" or a notice such as \"approved\"",
            ));
        }
        match js::own(overrides, &key).ok().and_then(|text| text.as_string()) {
            Some(text) => messages.set(key, text),
            None => return Err(Error::invalid_argument(&path, "every message must be a string")),
        }
    }
    Ok(messages)
}

/// The sale's amount, currency and payer (and its optional parts) from the options, checked by
/// the perform sale's own rules. The device serial number, which initiate sale signs, is made
/// up for the page when not given; an update keeps the one the order has.
fn read_order(options: &Options, serial_number: Option<&str>) -> Result<Record, Error> {
    let serial_number = match serial_number {
        Some(serial_number) => serial_number.to_string(),
        None => {
            let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
            format!("web-{random:08x}{:08x}", (js_sys::Date::now() as u64) as u32)
        }
    };
    let checked = check_order(&Js(options.value().clone()), js::today(None)?, &serial_number);
    if !checked.errors.is_empty() {
        return Err(Error::invalid_options(&checked.errors));
    }
    Ok(checked.record)
}

/// The language the checkout speaks: `locale`, a BCP 47 tag (`"de-AT"`) or a language table the
/// page imported from the package (`connpay-checkout/locales/de`), and `locales`, the tables a
/// tag may name. A tag finds its table, else its language's (`de-AT` → `de`), else the module's
/// own English or Russian, else English.
fn read_language(locale: &JsValue, tables: &JsValue) -> Result<Messages, Error> {
    if !tables.is_undefined() && !matches!(js::is_array(tables), Ok(true)) {
        return Err(Error::invalid_argument("locales", "locales must be an array of tables from connpay-checkout/locales"));
    }
    if locale.is_object() {
        return read_table(locale, "locale");
    }
    let tag = match locale.as_string() {
        Some(tag)
            if !tag.is_empty()
                && tag.len() <= 35
                && tag.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_') =>
        {
            tag
        }
        None if locale.is_undefined() => return Ok(Messages::new(Locale::default())),
        _ => {
            return Err(Error::invalid_argument(
                "locale",
                "locale must be a language tag such as \"de-AT\", or a table from connpay-checkout/locales",
            ))
        }
    };
    let count = match js::own(tables, "length").map(|length| length.as_f64()) {
        Ok(None) => 0,
        Ok(Some(count)) if (0.0..=64.0).contains(&count) => count as usize,
        _ => return Err(Error::invalid_argument("locales", "locales must be an array of at most 64 tables")),
    };
    let mut by_language = None;
    for index in 0..count {
        let path = format!("locales[{index}]");
        let table = js::own(tables, &index.to_string()).map_err(|_| Error::invalid_argument(&path, "this table could not be read"))?;
        let name = js::own(&table, "locale").ok().and_then(|name| name.as_string()).unwrap_or_default();
        if name.eq_ignore_ascii_case(&tag) {
            return read_table(&table, &path);
        }
        if by_language.is_none() && messages::language(&name) == messages::language(&tag) {
            by_language = Some((table, path));
        }
    }
    match (by_language, Locale::parse(&tag)) {
        (Some((table, path)), _) => read_table(&table, &path),
        (None, Some(locale)) => Ok(Messages::new(locale)),
        // A language the page imported no table for: English, as a payer is more likely to read it.
        (None, None) => {
            #[cfg(feature = "development")]
            crate::development::no_table_for(&tag);
            Ok(Messages::new(Locale::En))
        }
    }
}

/// A language table: `{ locale, name, messages }`, every message a known key's text.
fn read_table(table: &JsValue, path: &str) -> Result<Messages, Error> {
    let words = js::own(table, "messages").map_err(|_| Error::invalid_argument(path, "this table could not be read"))?;
    let named = js::own(table, "locale").ok().is_some_and(|locale| locale.is_string());
    if !named || !words.is_object() {
        return Err(Error::invalid_argument(
            path,
            "a language table is { locale, name, messages }: import one from connpay-checkout/locales",
        ));
    }
    let read = read_messages(Messages::default(), &words).map_err(|error| error.at(&format!("{path}.messages")))?;
    Ok(Messages::of_table(read.into_overrides()))
}

/// `savedCard`: `{ clientCardId, brand, last4 }`, a card the payer saved with the merchant.
fn read_saved_card(value: &JsValue) -> Result<Option<SavedCard>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let options = Options::read(Some(value.clone()))
        .map_err(|_| Error::invalid_argument("savedCard", "savedCard must be { clientCardId, brand, last4 }"))?;
    options.only("savedCard", &["clientCardId", "brand", "last4"])?;
    let text = |key: &str| options.get(key).map(|value| value.as_string());
    let client_card_id = text("clientCardId")?
        .filter(|id| (1..=128).contains(&id.chars().count()) && !id.chars().any(char::is_control))
        .ok_or_else(|| Error::invalid_argument("savedCard.clientCardId", "the merchant's id of the card: 1 to 128 characters"))?;
    let brand = text("brand")?
        .and_then(|brand| BrandId::parse(&brand))
        .ok_or_else(|| Error::invalid_argument("savedCard.brand", "a brand id such as \"visa\" or \"mastercard\" (detectBrand's id)"))?;
    let last4 = text("last4")?
        .filter(|last4| last4.len() == 4 && last4.bytes().all(|byte| byte.is_ascii_digit()))
        .ok_or_else(|| Error::invalid_argument("savedCard.last4", "the last four digits of the card's number"))?;
    Ok(Some(SavedCard { client_card_id, brand, last4 }))
}
