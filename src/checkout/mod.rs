//! `mountCheckout`: the drop-in checkout. It binds the merchant's own card inputs, formats and
//! checks them as the payer types, marks errors accessibly once the payer leaves a field or
//! submits, and on submit runs the sale ([`flow`]). Every rule comes from the core's
//! `checkout` module; this layer reads the page and writes it.

mod dom;
mod flow;

use std::cell::RefCell;
use std::rc::Rc;

use connpay_core::card::BrandId;
use connpay_core::checkout::edit::{edit_cvv, edit_expiry, edit_number, Deletion, Edit};
use connpay_core::checkout::messages::{Locale, Messages};
use connpay_core::checkout::sale::CheckoutOrder;
use connpay_core::checkout::{Field, FormState, Marks, TypedCard};
use connpay_core::sale::{Consumer, Device, SaleGuard};
use connpay_core::{gateway, ErrorCode};
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, Event, InputEvent};

use crate::js::{self, read_model, Options};
use crate::sale::read_gateway;
use crate::Error;
use dom::{Listener, Page, Selectors};

#[wasm_bindgen]
extern "C" {
    /// The options of `mountCheckout` (declared in `types`).
    #[wasm_bindgen(typescript_type = "CheckoutOptions")]
    pub type CheckoutOptions;
}

/// The merchant's callbacks; each may be absent, and one that throws changes nothing.
struct Callbacks {
    on_change: Option<Function>,
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

/// What `mountCheckout` read from its options, fixed for the checkout's life.
struct Settings {
    gateway: gateway::Gateway,
    order: CheckoutOrder,
    get_session: Function,
    messages: Messages,
    callbacks: Callbacks,
    timeout_ms: f64,
    poll_interval_ms: f64,
    max_wait_ms: f64,
}

/// What changes while the payer types and pays.
#[derive(Default)]
struct Live {
    marks: Marks,
    /// How many digits each field showed after its last edit (never the digits themselves).
    previous_digits: [usize; 4],
    /// The error each field shows now.
    shown: [Option<ErrorCode>; 4],
    brand: Option<BrandId>,
    /// A submit is being handled: from the click to the sale's end.
    busy: bool,
    unmounted: bool,
    /// Stops the status polling (the payer closed the 3-D Secure window, or unmount).
    cancel: Option<AbortController>,
}

/// A mounted checkout. Its listeners hold it alive until `unmount()`.
struct Mounted {
    page: Page,
    settings: Settings,
    live: RefCell<Live>,
    guard: RefCell<SaleGuard>,
    listeners: RefCell<Vec<Listener>>,
    /// The 3-D Secure window while it is open.
    challenge: RefCell<Option<flow::Challenge>>,
}

/// Whether a render announces newly shown errors in the live region: yes when the payer leaves
/// a field or submits, never while they type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Announce {
    Yes,
    No,
}

impl Mounted {
    fn input(&self, field: Field) -> &web_sys::HtmlInputElement {
        &self.page.inputs[field as usize]
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
            let Ok(mut live) = self.live.try_borrow_mut() else { return };
            let edit = Edit { previous_digits: live.previous_digits[field as usize], value: &value, caret, deletion };
            let edited = match field {
                Field::Number => edit_number(edit),
                Field::Expiry => edit_expiry(edit),
                _ => edit_cvv(edit, live.brand.map(BrandId::brand)),
            };
            live.previous_digits[field as usize] = edited.value.bytes().filter(u8::is_ascii_digit).count();
            drop(live);
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

    fn on_leave(&self, field: Field) {
        let empty = self.input(field).value().trim().is_empty();
        if let Ok(mut live) = self.live.try_borrow_mut() {
            live.marks.leave(field, empty);
        }
        self.refresh(Announce::Yes);
    }

    /// Checks every field, shows and clears marks, and reports the state and any new brand.
    /// `None` only if the browser's clock gives no date, or the checkout is busy re-entering.
    fn refresh(&self, announce: Announce) -> Option<FormState> {
        let [number, expiry, cvv, holder] = self.values();
        let today = js::today(None).ok()?;
        let state = FormState::check(TypedCard { number: &number, expiry: &expiry, cvv: &cvv, holder: &holder }, today);
        let (changed, brand_changed) = {
            let mut live = self.live.try_borrow_mut().ok()?;
            let changed: Vec<(Field, Option<ErrorCode>)> = Field::ALL
                .into_iter()
                .map(|field| (field, live.marks.error(field, state.verdict(field))))
                .filter(|&(field, shown)| live.shown[field as usize] != shown)
                .collect();
            for &(field, shown) in &changed {
                live.shown[field as usize] = shown;
            }
            let brand_changed = live.brand != state.brand;
            live.brand = state.brand;
            (changed, brand_changed)
        };
        for (field, shown) in changed {
            let message = shown.map_or("", |code| self.settings.messages.error(code));
            self.page.changes.set(self.input(field), "aria-invalid", if shown.is_some() { "true" } else { "false" });
            self.page.errors[field as usize].set_text_content(Some(message));
            if announce == Announce::Yes && shown.is_some() {
                self.announce(message);
            }
        }
        if brand_changed {
            let brand = state.brand.map(BrandId::brand);
            if let Some(badge) = &self.page.brand {
                badge.set_text_content(Some(brand.map_or("", |brand| brand.name)));
                self.page.changes.set(badge, "data-brand", brand.map_or("", |brand| brand.id.as_str()));
            }
            call(&self.settings.callbacks.on_brand, &js::to_js(&brand).unwrap_or(JsValue::NULL));
        }
        call(&self.settings.callbacks.on_change, &js::to_js(&state).unwrap_or(JsValue::NULL));
        Some(state)
    }

    /// Says `message` in the live region.
    fn announce(&self, message: &str) {
        self.page.status.set_text_content(Some(message));
    }

    fn unmount(&self) {
        let cancel = match self.live.try_borrow_mut() {
            Ok(mut live) => {
                live.unmounted = true;
                live.cancel.take()
            }
            Err(_) => None,
        };
        if let Some(cancel) = cancel {
            cancel.abort();
        }
        drop(self.listeners.take());
        self.close_challenge();
        self.page.changes.restore();
    }
}

/// A mounted checkout: `unmount()` removes every listener and everything the checkout added to
/// the page.
#[wasm_bindgen]
pub struct Checkout {
    mounted: Rc<Mounted>,
}

#[wasm_bindgen]
impl Checkout {
    /// Removes every listener, error text and attribute the checkout added, and stops
    /// following a sale (its outcome is then not reported). The form keeps its values.
    pub fn unmount(&self) {
        self.mounted.unmount();
    }
}

/// Turns the merchant's card form into a checkout. `form` is the `<form>` or a selector for it;
/// its inputs are found by `data-connpay="number|expiry|cvv|holder"` unless
/// `options.selectors` says otherwise. Throws `argument.invalid` (naming the option) or
/// `request.invalid` for options a sale could never be made with; nothing else throws later:
/// every outcome reaches `onSuccess` or `onError`.
#[wasm_bindgen(js_name = mountCheckout)]
pub fn mount_checkout(
    #[wasm_bindgen(unchecked_param_type = "HTMLFormElement | string")] form: JsValue,
    options: CheckoutOptions,
) -> Result<Checkout, Error> {
    let options: JsValue = options.into();
    if !options.is_object() {
        return Err(Error::invalid_argument("options", "mountCheckout needs an options object"));
    }
    let options = Options::read(Some(options))?;
    let settings = read_settings(&options)?;
    let page = Page::mount(&form, &Selectors::read(&options.get("selectors")?)?)?;
    let mounted = Rc::new(Mounted {
        page,
        settings,
        live: RefCell::default(),
        guard: RefCell::default(),
        listeners: RefCell::default(),
        challenge: RefCell::default(),
    });
    listen(&mounted);
    // Values already in the fields (the browser kept them, or autofill ran) count as typed.
    for field in Field::ALL {
        if let Ok(mut live) = mounted.live.try_borrow_mut() {
            live.previous_digits[field as usize] = mounted.input(field).value().bytes().filter(u8::is_ascii_digit).count();
        }
    }
    mounted.refresh(Announce::No);
    Ok(Checkout { mounted })
}

fn listen(mounted: &Rc<Mounted>) {
    let mut listeners = Vec::with_capacity(9);
    for field in Field::ALL {
        let input = mounted.input(field);
        let on_input = mounted.clone();
        listeners.push(Listener::add(input, "input", move |event| on_input.on_input(field, &event)));
        let on_leave = mounted.clone();
        listeners.push(Listener::add(input, "blur", move |_| on_leave.on_leave(field)));
    }
    let on_submit = mounted.clone();
    listeners.push(Listener::add(&mounted.page.form, "submit", move |event| flow::submit(&on_submit, &event)));
    mounted.listeners.replace(listeners);
}

fn read_settings(options: &Options) -> Result<Settings, Error> {
    let gateway = read_gateway(&options.get("gateway")?)?;
    let get_session = options
        .function("getSession")?
        .ok_or_else(|| Error::invalid_argument("getSession", "getSession is required: it asks the merchant's server for the sale's session"))?;
    let locale = match options.get("locale")? {
        locale if locale.is_undefined() => Locale::default(),
        locale => locale
            .as_string()
            .and_then(|text| Locale::parse(&text))
            .ok_or_else(|| Error::invalid_argument("locale", "locale must be \"en\" or \"ru\""))?,
    };
    let mut messages = Messages::new(locale);
    let overrides = options.get("messages")?;
    if overrides.is_object() {
        // Reflect's calls catch what a Proxy trap or a getter throws; `Object.entries` would let
        // it run through the module's frames to the page, past this function's error.
        let keys = Reflect::own_keys(&overrides).map_err(|_| Error::invalid_argument("messages", "messages could not be read"))?;
        for key in keys.iter() {
            let text = Reflect::get(&overrides, &key).ok().and_then(|text| text.as_string());
            match (key.as_string(), text) {
                (Some(key), Some(text)) => messages.set(key, text),
                (key, _) => return Err(Error::invalid_argument(&format!("messages.{}", key.unwrap_or_default()), "every message must be a string")),
            }
        }
    } else if !overrides.is_undefined() {
        return Err(Error::invalid_argument("messages", "messages must be an object of strings"));
    }
    Ok(Settings {
        gateway,
        order: read_order(options)?,
        get_session,
        messages,
        callbacks: Callbacks {
            on_change: options.function("onChange")?,
            on_brand: options.function("onBrand")?,
            on_submit: options.function("onSubmit")?,
            on_success: options.function("onSuccess")?,
            on_error: options.function("onError")?,
            on_redirect: options.function("onRedirect")?,
        },
        timeout_ms: options.number("timeoutMs", 30_000.0)?,
        poll_interval_ms: options.number("pollIntervalMs", 2_000.0)?,
        max_wait_ms: options.number("maxWaitMs", 600_000.0)?,
    })
}

/// The sale's amount, currency and payer (and its optional parts) from the options. The device
/// serial number, which initiate sale signs, is made up for the page when not given.
fn read_order(options: &Options) -> Result<CheckoutOrder, Error> {
    let picked = Object::new();
    for key in ["amountCentis", "currency", "consumer", "billing", "order", "location"] {
        let value = options.get(key)?;
        if !value.is_undefined() {
            let _ = Reflect::set(&picked, &JsValue::from_str(key), &value);
        }
    }
    let mut order: CheckoutOrder = read_model(picked.into()).map_err(|error| Error::invalid_request(&[error]))?;
    if order.amount_centis.is_none() || order.currency.is_none() {
        return Err(Error::invalid_argument("amountCentis", "amountCentis and currency are required"));
    }
    let consumer = order.consumer.get_or_insert_with(Consumer::default);
    let device = consumer.device.get_or_insert_with(Device::default);
    if device.serial_number.is_none() {
        let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
        device.serial_number = Some(format!("web-{random:08x}{:08x}", (js_sys::Date::now() as u64) as u32));
    }
    Ok(order)
}
