//! `mountCheckout`: the drop-in checkout. It binds the merchant's own card inputs, formats and
//! checks them as the payer types, marks errors accessibly once the payer leaves a field or
//! submits, and on submit runs the sale ([`flow`]). Every rule comes from the core's
//! `checkout` module; this layer reads the page and writes it.

mod dom;
mod flow;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use connpay_core::card::BrandId;
use connpay_core::checkout::attempts::{Attempts, CHALLENGE_LIFETIME};
use connpay_core::checkout::edit::{edit_cvv, edit_expiry, edit_number, Deletion, Edit};
use connpay_core::checkout::messages::{self, Locale, Messages};
use connpay_core::checkout::sale::check_order;
use connpay_core::checkout::{Field, FormState, SavedCard, TypedCard};
use connpay_core::sale::{MAX_WAIT, POLL_INTERVAL};
use connpay_core::value::Record;
use connpay_core::{gateway, ErrorCode};
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, Element, Event, InputEvent};

use crate::js::{self, Js, Options};
use crate::sale::read_gateway;
use crate::Error;
use dom::{Asks, Listener, Page, Selectors};

#[wasm_bindgen]
extern "C" {
    /// The options of `mountCheckout` (declared in `types`).
    #[wasm_bindgen(typescript_type = "CheckoutOptions")]
    pub type CheckoutOptions;
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

/// What `update()` may change: the sale's order and what the checkout says. The rest (the
/// gateway, the session, the fields, the callbacks) is the checkout's for its life.
const UPDATE_KEYS: &[&str] = &["amountCentis", "currency", "consumer", "billing", "order", "location", "locale", "locales", "messages"];

/// The options the order is read from, by `check_order`.
const ORDER_KEYS: &[&str] = &["amountCentis", "currency", "consumer", "billing", "order", "location"];

/// The merchant's callbacks; each may be absent, and one that throws changes nothing.
struct Callbacks {
    on_ready: Option<Function>,
    on_change: Option<Function>,
    on_focus: Option<Function>,
    on_blur: Option<Function>,
    on_brand: Option<Function>,
    on_submit: Option<Function>,
    on_success: Option<Function>,
    on_error: Option<Function>,
    on_redirect: Option<Function>,
}

fn call(callback: &Option<Function>, argument: &JsValue) {
    if let Some(callback) = callback {
        let _ = callback.call1(&JsValue::UNDEFINED, argument);
    }
}

/// What `mountCheckout` read from its options.
struct Settings {
    gateway: gateway::Gateway,
    /// The amount, currency and payer (and the optional parts of the sale), as checked; replaced
    /// whole by `update()`, never while a sale is in flight.
    order: Cell<Rc<Record>>,
    get_session: Function,
    /// What the checkout says; replaced whole by `update()`.
    messages: Cell<Rc<Messages>>,
    /// The `locale` and `locales` the page gave: an `update()` that changes one reads the other.
    language: Cell<(JsValue, JsValue)>,
    /// The saved card the payer pays with, if any: then only its security code is asked.
    saved: Option<SavedCard>,
    callbacks: Callbacks,
    timeout_ms: f64,
    poll_interval_ms: f64,
    max_wait_ms: f64,
    /// How long after a 3-D Secure challenge opened its issuer may still approve it.
    challenge_lifetime_ms: f64,
}

/// A mounted checkout. Its listeners hold it alive until `unmount()`.
///
/// Its state is in `Cell`s, each read or replaced in one step, and in the one `RefCell` of the
/// attempts, which only [`Mounted::attempts`] borrows, for a call into the core that cannot
/// reach a callback: no state is ever held while the page's code runs, so none is ever found
/// busy.
struct Mounted {
    /// Itself, for listeners the checkout adds later (the reopen button).
    weak: Weak<Mounted>,
    page: Page,
    settings: Settings,
    /// The number's brand, as last reported to `onBrand`.
    brand: Cell<Option<BrandId>>,
    /// The form's state, as last reported to `onChange`.
    state: Cell<Option<FormState>>,
    /// Which attempt may begin, and what each answer means: the core's rules.
    attempts: RefCell<Attempts>,
    listeners: Cell<Vec<Listener>>,
    /// The 3-D Secure window while it is open.
    challenge: Cell<Option<flow::Challenge>>,
    /// Wakes the status polling from its pause (a cancel, an allowed new attempt, unmount).
    wake: Cell<Option<AbortController>>,
    /// The page's Content-Security-Policy refused to frame the issuer's page.
    challenge_blocked: Cell<bool>,
    /// What the last attempt pays (its order and card), for `confirmApproval`'s `onSuccess`.
    paying: Cell<Option<flow::Paying>>,
    /// The question the checkout asked the merchant's server when mounted, until a submit waits
    /// for its answer.
    checking: Cell<Option<js_sys::Promise>>,
    /// The button that opens the bank's window again, once shown.
    reopen: Cell<Option<(Element, Listener)>>,
    /// What the live region said last.
    said: Cell<Option<Said>>,
}

/// What the live region says, by key: said again in a new language.
#[derive(Clone, Copy, PartialEq)]
enum Said {
    Code(ErrorCode),
    /// A code whose words say until when (ms since the epoch).
    Until(ErrorCode, f64),
    Notice(&'static str),
}

/// What the module holds for a form element.
enum FormHolds {
    /// Its mounted checkout: a second one on the form would answer every submit twice.
    Checkout(Weak<Mounted>),
    /// What its unmounted checkout left for the next one: an unsettled or an approved sale (see
    /// `Unmounted::carried`), with what that sale pays.
    Left(Box<(Attempts, Option<flow::Paying>)>),
}

thread_local! {
    /// Each form the module holds something for, once.
    static FORMS: RefCell<Vec<(Element, FormHolds)>> = const { RefCell::new(Vec::new()) };
}

/// Takes what the module holds for `form`, if anything.
fn take_form(form: &Element) -> Option<FormHolds> {
    FORMS.with(|forms| {
        let mut forms = forms.borrow_mut();
        let at = forms.iter().position(|(held, _)| held == form)?;
        Some(forms.swap_remove(at).1)
    })
}

/// Records what the module holds for `form` (it held nothing: `take_form` came first).
fn hold_form(form: &Element, holds: FormHolds) {
    FORMS.with(|forms| forms.borrow_mut().push((form.clone(), holds)));
}

/// Whether a render announces newly shown errors in the live region: yes when the payer leaves
/// a field or submits, never while they type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Announce {
    Yes,
    No,
}

impl Mounted {
    fn slot(&self, field: Field) -> &dom::Slot {
        &self.page.slots[field as usize]
    }

    fn input(&self, field: Field) -> &web_sys::HtmlInputElement {
        &self.slot(field).input
    }

    /// The order as it stands (shared: `update()` replaces it whole, never in place).
    fn order(&self) -> Rc<Record> {
        let order = self.settings.order.take();
        self.settings.order.set(order.clone());
        order
    }

    /// What the checkout says now.
    fn messages(&self) -> Rc<Messages> {
        let messages = self.settings.messages.take();
        self.settings.messages.set(messages.clone());
        messages
    }

    /// Runs `rule` on the attempts. It gets the core's state only, so it cannot call back into
    /// the page: the cell is never held across a callback and the borrow cannot fail.
    fn attempts<T>(&self, rule: impl FnOnce(&mut Attempts) -> T) -> T {
        rule(&mut self.attempts.borrow_mut())
    }

    /// The card as the fields hold it now. The strings live only as long as the caller needs.
    fn values(&self) -> [String; 4] {
        Field::ALL.map(|field| self.input(field).value())
    }

    /// Formats the edited field and keeps its caret; then re-checks the form.
    fn on_input(&self, field: Field, event: &Event) {
        if field != Field::Holder {
            let input = self.input(field);
            let value = input.value();
            let deletion = event.dyn_ref::<InputEvent>().map_or(Deletion::None, |event| Deletion::of_input_type(&event.input_type()));
            let caret = input.selection_start().ok().flatten().map_or(value.encode_utf16().count(), |caret| caret as usize);
            let slot = self.slot(field);
            let edit = Edit { previous_digits: slot.digits.get(), value: &value, caret, deletion };
            let edited = match field {
                Field::Number => edit_number(edit),
                Field::Expiry => edit_expiry(edit),
                _ => edit_cvv(edit, self.brand.get().map(BrandId::brand)),
            };
            slot.digits.set(edited.value.bytes().filter(u8::is_ascii_digit).count());
            if edited.value != value {
                input.set_value(&edited.value);
                if self.page.focused(input) {
                    let caret = edited.caret as u32;
                    let _ = input.set_selection_range(caret, caret);
                }
            }
        }
        self.refresh(Announce::No);
    }

    /// The payer entered a field: its `connpay-focused` class, and `onFocus`.
    fn on_focus(&self, field: Field) {
        self.page.changes.class(self.input(field), "connpay-focused", true);
        call(&self.settings.callbacks.on_focus, &JsValue::from_str(field.name()));
    }

    fn on_leave(&self, field: Field, event: &Event) {
        self.page.changes.class(self.input(field), "connpay-focused", false);
        call(&self.settings.callbacks.on_blur, &JsValue::from_str(field.name()));
        // `onBlur` may have unmounted the checkout: the form is the page's again.
        if self.attempts(|attempts| attempts.unmounted()) {
            return;
        }
        // Leaving for the submit button: the submit marks every field at once. Marking this one
        // now would put its error text on the page between the press and the release, and the
        // button, pushed down, would miss the click.
        let next = Reflect::get(event, &JsValue::from_str("relatedTarget")).unwrap_or(JsValue::NULL);
        if self.page.button.as_ref().is_some_and(|button| JsValue::from(button.clone()) == next) {
            return;
        }
        let slot = self.slot(field);
        slot.mark.set(slot.mark.get().leave(slot.input.value().trim().is_empty()));
        self.refresh(Announce::Yes);
    }

    /// Checks every field, shows and clears marks and state classes, and reports the state and
    /// any new brand. `None` only if the browser's clock gives no date.
    fn refresh(&self, announce: Announce) -> Option<FormState> {
        // Unmounted (a callback may have done it): the form is the page's again, untouched.
        if self.attempts(|attempts| attempts.unmounted()) {
            return None;
        }
        let [number, expiry, cvv, holder] = self.values();
        let today = js::today(None).ok()?;
        let state = match &self.settings.saved {
            Some(saved) => FormState::check_saved(&cvv, saved),
            None => FormState::check(TypedCard { number: &number, expiry: &expiry, cvv: &cvv, holder: &holder }, today),
        };
        let messages = self.messages();
        for field in Field::ALL {
            let slot = self.slot(field);
            let verdict = state.verdict(field);
            let shown = slot.mark.get().error(verdict);
            // The fields a saved card does not ask for have no state to show.
            if self.settings.saved.is_none() || field == Field::Cvv {
                let changes = &self.page.changes;
                changes.class(&slot.input, "connpay-empty", slot.input.value().is_empty());
                changes.class(&slot.input, "connpay-valid", verdict.valid);
                // At the same moment as `aria-invalid`: when the payer is shown the error.
                changes.class(&slot.input, "connpay-invalid", shown.is_some());
            }
            if slot.shown.replace(shown) == shown {
                continue;
            }
            let message = shown.map_or("", |code| messages.error(code));
            self.page.changes.set(&slot.input, "aria-invalid", if shown.is_some() { "true" } else { "false" });
            slot.error.set_text_content(Some(message));
            if let (Announce::Yes, Some(code)) = (announce, shown) {
                self.say(Said::Code(code));
            }
        }
        // The payer fixed every field the live region spoke of: it says nothing stale.
        let field_said =
            matches!(self.said.get(), Some(Said::Code(code)) if code == ErrorCode::CheckoutInvalid || code.as_str().starts_with("card."));
        if field_said && self.page.slots.iter().all(|slot| slot.shown.get().is_none()) {
            self.page.status.set_text_content(Some(""));
            self.said.set(None);
        }
        if self.brand.replace(state.brand) != state.brand {
            let brand = state.brand.map(BrandId::brand);
            if let Some(badge) = &self.page.brand {
                badge.set_text_content(Some(brand.map_or("", |brand| brand.name)));
                self.page.changes.set(badge, "data-brand", brand.map_or("", |brand| brand.id.as_str()));
            }
            self.page.changes.set(&self.page.form, "data-connpay-brand", brand.map_or("", |brand| brand.id.as_str()));
            call(&self.settings.callbacks.on_brand, &js::to_js(&brand).unwrap_or(JsValue::NULL));
        }
        if self.state.replace(Some(state)) != Some(state) {
            call(&self.settings.callbacks.on_change, &js::to_js(&state).unwrap_or(JsValue::NULL));
        }
        Some(state)
    }

    /// Says `said` in the live region, in the checkout's language, and remembers it: an
    /// `update()` of the language says it again, and a field error goes once no field shows one.
    fn say(&self, said: Said) {
        if self.attempts(|attempts| attempts.unmounted()) {
            return;
        }
        let text = match said {
            Said::Code(code) => self.messages().error(code).to_string(),
            Said::Until(code, until) => self.words(code, Some(until)),
            Said::Notice(key) => self.messages().text(key).to_string(),
        };
        self.page.status.set_text_content(Some(&text));
        self.said.set(Some(said));
    }

    /// The payer's words for `code`, with `{until}` said as a time of day in the checkout's
    /// language (the browser's, if the engine does not know it).
    fn words(&self, code: ErrorCode, until: Option<f64>) -> String {
        let text = self.messages().error(code).to_string();
        let Some(until) = until else { return text };
        let language = self.settings.language.take();
        let tag = match language.0.as_string() {
            Some(tag) => JsValue::from_str(&tag.replace('_', "-")),
            None => js::own(&language.0, "locale").unwrap_or(JsValue::UNDEFINED),
        };
        self.settings.language.set(language);
        // By hand: `str::replace` would bring a substring searcher into the module.
        match text.find('{').filter(|&at| text[at..].starts_with("{until}")) {
            Some(at) => format!("{}{}{}", &text[..at], time_of_day(until, &tag), &text[at + "{until}".len()..]),
            None => text,
        }
    }

    /// Takes the checkout off the page: every listener, error text and attribute it added go,
    /// the form keeps its values, and a sale on its way or being followed is reported to
    /// `onError` as `checkout.unmounted` with its invoice (the sale itself cannot be called
    /// back). Calling it again does nothing.
    fn unmount(&self) {
        // Once only: the form's memory now belongs to what came after (what this checkout left,
        // or the next checkout mounted on the form), and must not be touched again.
        if self.attempts(|attempts| attempts.unmounted()) {
            return;
        }
        let gone = self.attempts(Attempts::unmount);
        self.wake();
        drop(self.listeners.take());
        drop(self.reopen.take());
        self.close_challenge();
        self.page.changes.restore();
        let form = &self.page.form;
        take_form(form);
        if let Some(carried) = gone.carried {
            hold_form(form, FormHolds::Left(Box::new((carried, self.paying.take()))));
        }
        if let Some(report) = gone.report {
            call(&self.settings.callbacks.on_error, &flow::report_error(self, &report, Error::new(report.code, "")).into());
        }
    }

    /// Ends the polling's pause now.
    fn wake(&self) {
        if let Some(pause) = self.wake.take() {
            pause.abort();
        }
    }

    /// The merchant's server learnt the fate of `invoice_id`, a sale this form sent and did not
    /// settle. A handle whose checkout was unmounted reaches the form's checkout mounted since
    /// (a React effect run again), or what the form keeps for its next one.
    fn settle(&self, invoice_id: &JsValue, fate: Fate) -> Result<(), Error> {
        let invoice = invoice_id.as_string().ok_or_else(|| Error::invalid_argument("invoiceId", "invoiceId must be a string"))?;
        let refused = || {
            Error::invalid_argument(
                "invoiceId",
                "this form has no sale of that invoice that is on its way or in doubt (onError names it, with next \"merchant\" or \"wait\")",
            )
        };
        if self.attempts(|attempts| attempts.unmounted()) {
            let form = &self.page.form;
            return match take_form(form) {
                Some(FormHolds::Checkout(current)) => {
                    hold_form(form, FormHolds::Checkout(current.clone()));
                    current.upgrade().ok_or_else(refused)?.settle(invoice_id, fate)
                }
                Some(FormHolds::Left(mut left)) => {
                    let settled = fate.apply(&mut left.0, &invoice);
                    if !left.0.ready() {
                        hold_form(form, FormHolds::Left(left));
                    }
                    if settled {
                        Ok(())
                    } else {
                        Err(refused())
                    }
                }
                None => Err(refused()),
            };
        }
        if !self.attempts(|attempts| fate.apply(attempts, &invoice)) {
            return Err(refused());
        }
        self.wake();
        match fate {
            Fate::NotCharged => {
                self.close_challenge();
                flow::render_attempt(self);
                self.say(Said::Notice(messages::ALLOWED));
            }
            Fate::Approved => flow::succeed(self, flow::confirmed(self, &invoice)),
        }
        Ok(())
    }
}

impl Mounted {
    /// `update(options)`: the order (`amountCentis`, `currency`, `consumer`, `billing`, `order`,
    /// `location`) and the words (`locale`, `locales`, `messages`) change, each checked as at
    /// mount and all or nothing. A part not given stays; `messages` replaces the earlier
    /// overrides, `locale` keeps them. Refused while a sale is in flight (`checkout.sale_in_flight`):
    /// what is being paid cannot change under it.
    fn update(&self, value: JsValue) -> Result<(), Error> {
        let closed = || self.attempts(|attempts| attempts.unmounted());
        let busy = || self.attempts(|attempts| attempts.in_flight());
        if closed() {
            return Err(Error::invalid_argument("checkout", "this checkout was unmounted: mount a new one"));
        }
        if !value.is_object() {
            return Err(Error::invalid_argument("options", "update needs an options object"));
        }
        if busy() {
            return Err(Error::of(ErrorCode::CheckoutSaleInFlight));
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
        let get = |key: &str| given.iter().find(|(known, _)| *known == key).map(|(_, value)| value.clone());
        let order = if ORDER_KEYS.iter().any(|key| get(key).is_some()) {
            // The order as it stands, with the parts given in its place, checked whole.
            let current = self.order();
            let mut kept = Record::default();
            for key in ORDER_KEYS {
                if let Some(value) = current.get(key) {
                    kept.set(key, value.clone());
                }
            }
            let merged = js::record_to_js(&kept);
            for key in ORDER_KEYS {
                if let Some(value) = get(key) {
                    let _ = Reflect::set(&merged, &JsValue::from_str(key), &value);
                }
            }
            let serial_number = current.text("consumer.device.serialNumber").map(str::to_string);
            Some(read_order(&Options::read(Some(merged))?, serial_number.as_deref())?)
        } else {
            None
        };
        let (known_locale, known_tables) = self.settings.language.take();
        self.settings.language.set((known_locale.clone(), known_tables.clone()));
        let language = (get("locale").unwrap_or(known_locale), get("locales").unwrap_or(known_tables));
        let relanguaged = get("locale").is_some() || get("locales").is_some();
        let mut messages = (*self.messages()).clone();
        if relanguaged {
            messages = messages.in_language(read_language(&language.0, &language.1)?);
        }
        let reworded =
            get("messages").map(|overrides| read_messages(Messages::default().in_language(messages.clone()), &overrides)).transpose()?;
        let messages = reworded.unwrap_or(messages);
        // The page's getters ran meanwhile: a sale they started, or an unmount, wins.
        if closed() {
            return Err(Error::invalid_argument("checkout", "this checkout was unmounted: mount a new one"));
        }
        if busy() {
            return Err(Error::of(ErrorCode::CheckoutSaleInFlight));
        }
        // Everything was checked: now the checkout changes, and shows its words anew.
        if let Some(order) = order {
            self.settings.order.set(Rc::new(order));
        }
        self.settings.language.set(language);
        self.settings.messages.set(Rc::new(messages));
        if relanguaged || get("messages").is_some() {
            for slot in &self.page.slots {
                slot.shown.set(None);
            }
            if let Some(said) = self.said.get() {
                self.say(said);
            }
        }
        self.refresh(Announce::No);
        Ok(())
    }
}

/// `until` (ms since the epoch) as a time of day in the way of the language `tag` names (`15:30`,
/// `3:30 PM`); the browser's own way when the engine does not know the tag.
fn time_of_day(until: f64, tag: &JsValue) -> String {
    let date = js_sys::Date::new(&JsValue::from(until));
    let options = Object::new();
    let _ = Reflect::set(&options, &"hour".into(), &"numeric".into());
    let _ = Reflect::set(&options, &"minute".into(), &"2-digit".into());
    // Called through Reflect: a tag the engine refuses throws a RangeError, caught here.
    let format = |tag: &JsValue| -> Option<String> {
        let method: Function = Reflect::get(&date, &"toLocaleTimeString".into()).ok()?.dyn_into().ok()?;
        method.call2(&date, tag, &options).ok()?.as_string()
    };
    format(tag).or_else(|| format(&JsValue::UNDEFINED)).unwrap_or_default()
}

/// What the merchant's server learnt of a sale in doubt.
#[derive(Clone, Copy)]
enum Fate {
    /// Voided or declined: the payer may pay again (`allowNewAttempt`).
    NotCharged,
    /// Approved after all: the checkout is finished (`confirmApproval`).
    Approved,
}

impl Fate {
    fn apply(self, attempts: &mut Attempts, invoice_id: &str) -> bool {
        match self {
            Fate::NotCharged => attempts.allow(invoice_id),
            Fate::Approved => attempts.confirm_approval(invoice_id),
        }
    }
}

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
) -> Result<JsValue, Error> {
    let options: JsValue = options.into();
    if !options.is_object() {
        return Err(Error::invalid_argument("options", "mountCheckout needs an options object"));
    }
    let options = Options::read(Some(options))?;
    options.only("", OPTION_KEYS)?;
    let settings = read_settings(&options)?;
    let asks = match &settings.saved {
        Some(saved) => Asks::SavedCard { label: saved.label() },
        None => Asks::Card,
    };
    let page = Page::find(&form, &Selectors::read(&options.get("selectors")?)?, asks)?;
    let mounted_already =
        FORMS.with(|forms| forms.borrow().iter().any(|(form, holds)| form == &page.form && matches!(holds, FormHolds::Checkout(_))));
    if mounted_already {
        return Err(Error::of(ErrorCode::CheckoutAlreadyMounted).at("form"));
    }
    // Only now does the page change: every check above has passed.
    let page = page.prepare()?;
    let (carried, paying) = match take_form(&page.form) {
        Some(FormHolds::Left(left)) => (Some(left.0), left.1),
        _ => (None, None),
    };
    let mounted = Rc::new_cyclic(|weak| Mounted {
        weak: weak.clone(),
        page,
        settings,
        brand: Cell::default(),
        state: Cell::default(),
        attempts: RefCell::new(carried.unwrap_or_default()),
        listeners: Cell::default(),
        challenge: Cell::default(),
        wake: Cell::default(),
        challenge_blocked: Cell::default(),
        paying: Cell::new(paying),
        checking: Cell::default(),
        reopen: Cell::default(),
        said: Cell::default(),
    });
    hold_form(&mounted.page.form, FormHolds::Checkout(Rc::downgrade(&mounted)));
    listen(&mounted);
    mounted.refresh(Announce::No);
    flow::resume(&mounted);
    // Once `mountCheckout` has returned: the page holds the handle when it hears of it.
    let ready = mounted.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if !ready.attempts(|attempts| attempts.unmounted()) {
            call(&ready.settings.callbacks.on_ready, &JsValue::UNDEFINED);
        }
    });
    // A form with nothing left by an earlier checkout learns the order's state from the
    // merchant's server (a reload, another tab): paid or pending, before any card is typed.
    if mounted.attempts(|attempts| attempts.ready()) {
        flow::check_order(&mounted);
    }
    Ok(handle(mounted))
}

/// The `Checkout` the page gets: a plain object whose methods close over the checkout. (A
/// wasm-bindgen class would be freed by the garbage collector, and its methods throw once
/// freed; these stay callable, and each does nothing twice.)
fn handle(mounted: Rc<Mounted>) -> JsValue {
    let checkout = Object::new();
    let method = |name: &JsValue, function: JsValue| {
        let _ = Reflect::set(&checkout, name, &function);
    };
    let unmount = {
        let mounted = mounted.clone();
        Closure::<dyn Fn()>::new(move || mounted.unmount()).into_js_value()
    };
    for name in ["unmount", "free"] {
        method(&JsValue::from_str(name), unmount.clone());
    }
    // `using checkout = mountCheckout(…)` (explicit resource management) unmounts at scope end.
    if let Some(dispose) = symbol_dispose() {
        method(&dispose, unmount);
    }
    let update = {
        let mounted = mounted.clone();
        Closure::<dyn Fn(JsValue) -> Result<(), JsValue>>::new(move |options: JsValue| mounted.update(options).map_err(JsValue::from))
    };
    method(&JsValue::from_str("update"), update.into_js_value());
    for (name, fate) in [("allowNewAttempt", Fate::NotCharged), ("confirmApproval", Fate::Approved)] {
        let mounted = mounted.clone();
        let settle = Closure::<dyn Fn(JsValue) -> Result<(), JsValue>>::new(move |invoice_id: JsValue| {
            mounted.settle(&invoice_id, fate).map_err(JsValue::from)
        });
        method(&JsValue::from_str(name), settle.into_js_value());
    }
    checkout.into()
}

/// `Symbol.dispose`, where the engine has it.
fn symbol_dispose() -> Option<JsValue> {
    let symbol = Reflect::get(&js_sys::global(), &"Symbol".into()).ok()?;
    Some(Reflect::get(&symbol, &"dispose".into()).ok()?).filter(|dispose| dispose.is_symbol())
}

fn listen(mounted: &Rc<Mounted>) {
    let mut listeners = Vec::with_capacity(13);
    for field in Field::ALL {
        let input = mounted.input(field);
        let on_input = mounted.clone();
        listeners.push(Listener::new(input, "input", move |event| on_input.on_input(field, event)));
        let on_focus = mounted.clone();
        listeners.push(Listener::new(input, "focus", move |_| on_focus.on_focus(field)));
        let on_leave = mounted.clone();
        listeners.push(Listener::new(input, "blur", move |event| on_leave.on_leave(field, event)));
    }
    let on_submit = mounted.clone();
    // Not passive: the submit is the checkout's, and the page must not navigate.
    let active = gloo_events::EventListenerOptions::enable_prevent_default();
    listeners.push(Listener::new_with_options(&mounted.page.form, "submit", active, move |event| flow::submit(&on_submit, event)));
    mounted.listeners.set(listeners);
}

fn read_settings(options: &Options) -> Result<Settings, Error> {
    let gateway = read_gateway(&options.get("gateway")?)?;
    let get_session = options.function("getSession")?.ok_or_else(|| {
        Error::invalid_argument("getSession", "getSession is required: it asks the merchant's server for the sale's session")
    })?;
    let (locale, locales) = (options.get("locale")?, options.get("locales")?);
    Ok(Settings {
        gateway,
        order: Cell::new(Rc::new(read_order(options, None)?)),
        get_session,
        messages: Cell::new(Rc::new(read_messages(read_language(&locale, &locales)?, &options.get("messages")?)?)),
        language: Cell::new((locale, locales)),
        saved: read_saved_card(&options.get("savedCard")?)?,
        callbacks: Callbacks {
            on_ready: options.function("onReady")?,
            on_change: options.function("onChange")?,
            on_focus: options.function("onFocus")?,
            on_blur: options.function("onBlur")?,
            on_brand: options.function("onBrand")?,
            on_submit: options.function("onSubmit")?,
            on_success: options.function("onSuccess")?,
            on_error: options.function("onError")?,
            on_redirect: options.function("onRedirect")?,
        },
        // A sale needs time to be answered, and polling must not flood the gateway.
        timeout_ms: options.number("timeoutMs", 30_000.0, 1_000.0)?,
        poll_interval_ms: options.milliseconds(POLL_INTERVAL)?,
        max_wait_ms: options.milliseconds(MAX_WAIT)?,
        challenge_lifetime_ms: options.milliseconds(CHALLENGE_LIFETIME)?,
    })
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
    let keys = Reflect::own_keys(overrides).map_err(|_| Error::invalid_argument("messages", "messages could not be read"))?;
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
        (None, None) => Ok(Messages::new(Locale::En)),
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
