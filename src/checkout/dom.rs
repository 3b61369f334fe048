//! The merchant's form as the checkout finds it, what the checkout adds to it (and takes away
//! again on `unmount()`), and event listeners that remove themselves.

use std::cell::{Cell, RefCell};

use connpay_core::checkout::{Field, Mark};
use connpay_core::ErrorCode;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use crate::Error;

/// One change the checkout made to the page, and how to take it back.
enum Undo {
    /// An element the checkout created.
    Remove(Element),
    /// An attribute the checkout set: its value before, if it had one.
    Restore(Element, &'static str, Option<String>),
    /// The merchant's element whose text the checkout writes (the live region, an error text):
    /// its text before.
    Text(Element, Option<String>),
    /// A state class the checkout may put on an element (`connpay-focused`, …): taken off, and
    /// the `class` attribute with it if the element had none before.
    Class(Element, &'static str, bool),
}

/// Every change the checkout made to the page, so that `unmount()` can take each one back.
pub(crate) struct Changes {
    document: Document,
    undo: RefCell<Vec<Undo>>,
}

impl Changes {
    /// A new element of this page, removed again on unmount.
    pub(crate) fn create(&self, tag: &str) -> Result<Element, Error> {
        let element = self.document.create_element(tag).map_err(|_| Error::internal())?;
        self.undo.borrow_mut().push(Undo::Remove(element.clone()));
        Ok(element)
    }

    /// Sets an attribute, remembering its earlier value for unmount.
    pub(crate) fn set(&self, element: &Element, name: &'static str, value: &str) {
        let before = element.get_attribute(name);
        if before.as_deref() == Some(value) {
            return;
        }
        let _ = element.set_attribute(name, value);
        let mut undo = self.undo.borrow_mut();
        let recorded =
            undo.iter().any(|step| matches!(step, Undo::Restore(known, known_name, _) if known == element && *known_name == name));
        if !recorded {
            undo.push(Undo::Restore(element.clone(), name, before));
        }
    }

    /// Puts `class` on `element` or takes it off; unmount takes it off. The element's other
    /// classes are the page's (React may rewrite them), so only this one is touched.
    pub(crate) fn class(&self, element: &Element, class: &'static str, on: bool) {
        let list = element.class_list();
        if list.contains(class) == on {
            return;
        }
        let had_attribute = element.has_attribute("class");
        let _ = if on { list.add_1(class) } else { list.remove_1(class) };
        let mut undo = self.undo.borrow_mut();
        if !undo.iter().any(|step| matches!(step, Undo::Class(known, name, _) if known == element && *name == class)) {
            undo.push(Undo::Class(element.clone(), class, had_attribute));
        }
    }

    /// Remembers the text of the merchant's `element`, which the checkout will write, for unmount.
    fn keep_text(&self, element: &Element) {
        self.undo.borrow_mut().push(Undo::Text(element.clone(), element.text_content()));
    }

    fn set_if_absent(&self, element: &Element, name: &'static str, value: &str) {
        if !element.has_attribute(name) {
            self.set(element, name, value);
        }
    }

    /// Takes back everything, newest first.
    pub(crate) fn restore(&self) {
        for step in self.undo.take().into_iter().rev() {
            match step {
                Undo::Remove(element) => element.remove(),
                Undo::Restore(element, name, Some(value)) => drop(element.set_attribute(name, &value)),
                Undo::Restore(element, name, None) => drop(element.remove_attribute(name)),
                Undo::Text(element, text) => element.set_text_content(text.as_deref()),
                Undo::Class(element, class, had_attribute) => {
                    let _ = element.class_list().remove_1(class);
                    if !had_attribute && element.class_list().length() == 0 {
                        let _ = element.remove_attribute("class");
                    }
                }
            }
        }
    }
}

/// The merchant's form and the elements the checkout works with.
pub(crate) struct Page {
    pub(crate) changes: Changes,
    pub(crate) form: Element,
    /// The four card fields, in [`Field::ALL`] order.
    pub(crate) slots: [Slot; 4],
    /// Where the brand's name is shown, if the form has such an element.
    pub(crate) brand: Option<Element>,
    /// The one polite live region: field errors, progress and the outcome are announced here.
    pub(crate) status: Element,
    /// The submit button, disabled while a sale is in flight.
    pub(crate) button: Option<Element>,
}

/// Which card fields the form asks for: all four, or, paying with a saved card, its security
/// code only (the saved card named by `label` instead).
pub(crate) enum Asks {
    Card,
    SavedCard { label: String },
}

/// One card field: its input, its error text, and what the checkout keeps of it. Each value is
/// a `Cell`: read or set in one step, never borrowed, so a callback that runs meanwhile cannot
/// find it held.
pub(crate) struct Slot {
    pub(crate) input: HtmlInputElement,
    /// Its error text, linked to the input by `aria-describedby`.
    pub(crate) error: Element,
    /// How many digits it showed after its last edit (never the digits themselves).
    pub(crate) digits: Cell<usize>,
    /// Whether it shows its error yet.
    pub(crate) mark: Cell<Mark>,
    /// The error it shows now.
    pub(crate) shown: Cell<Option<ErrorCode>>,
}

thread_local! {
    /// Numbers the ids the checkout gives elements, unique on the page.
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// A new id for an element the checkout adds, unique on the page.
pub(crate) fn fresh_id(name: &str) -> String {
    let number = NEXT_ID.with(|next| next.replace(next.get().wrapping_add(1)));
    format!("connpay-{number}-{name}")
}

/// The selectors a merchant may override (`options.selectors`).
pub(crate) struct Selectors {
    fields: [String; 4],
    brand: String,
    status: String,
    submit: String,
}

impl Selectors {
    /// Reads `selectors` (an object of strings, or undefined).
    pub(crate) fn read(value: &JsValue) -> Result<Selectors, Error> {
        const KEYS: [&str; 7] = ["number", "expiry", "cvv", "holder", "brand", "status", "submit"];
        if !(value.is_undefined() || value.is_null() || value.is_object()) {
            return Err(Error::invalid_argument("selectors", "selectors must be an object of CSS selectors"));
        }
        crate::js::Options::read(Some(value.clone()))?.only("selectors", &KEYS)?;
        let read = |key: &str, default: String| -> Result<String, Error> {
            if value.is_undefined() || value.is_null() {
                return Ok(default);
            }
            let path = format!("selectors.{key}");
            match crate::js::own(value, key) {
                Ok(found) if found.is_undefined() => Ok(default),
                Ok(found) => found.as_string().ok_or_else(|| Error::invalid_argument(&path, "a selector must be a string")),
                Err(_) => Err(Error::invalid_argument(&path, "this selector could not be read")),
            }
        };
        let by_role = |role: &str| format!("[data-connpay=\"{role}\"]");
        let [number, expiry, cvv, holder] = Field::ALL.map(|field| field.name());
        Ok(Selectors {
            fields: [
                read(number, by_role(number))?,
                read(expiry, by_role(expiry))?,
                read(cvv, by_role(cvv))?,
                read(holder, by_role(holder))?,
            ],
            brand: read("brand", by_role("brand"))?,
            status: read("status", by_role("status"))?,
            submit: read("submit", "button[type=submit], input[type=submit], button:not([type])".into())?,
        })
    }
}

/// `root.querySelector(selector)`; a selector that does not parse is the merchant's mistake.
fn find(root: &Element, selector: &str, key: &str) -> Result<Option<Element>, Error> {
    root.query_selector(selector).map_err(|_| Error::invalid_argument(&format!("selectors.{key}"), "this selector is not valid CSS"))
}

/// The merchant's form and its elements, found but not yet changed.
pub(crate) struct Found {
    document: Document,
    pub(crate) form: Element,
    /// In [`Field::ALL`] order; only the security code's is certain with a saved card.
    inputs: [Option<HtmlInputElement>; 4],
    asks: Asks,
    brand: Option<Element>,
    button: Option<Element>,
    status: Option<Element>,
}

impl Page {
    /// Finds the form (an element or a selector) and its fields, changing nothing yet. With a
    /// saved card only the security code's input must be there.
    pub(crate) fn find(form: &JsValue, selectors: &Selectors, asks: Asks) -> Result<Found, Error> {
        let document: Document = Reflect::get(&js_sys::global(), &JsValue::from_str("document"))
            .ok()
            .and_then(|document| document.dyn_into().ok())
            .ok_or_else(|| Error::invalid_argument("form", "mountCheckout needs a page with a document"))?;
        let form: Element = match form.as_string() {
            Some(selector) => {
                document.query_selector(&selector).map_err(|_| Error::invalid_argument("form", "the form selector is not valid CSS"))?
            }
            None => form.dyn_ref::<Element>().cloned(),
        }
        .filter(|element| element.tag_name().eq_ignore_ascii_case("form"))
        .ok_or_else(|| Error::invalid_argument("form", "the form must be a <form> element or a selector that finds one"))?;

        let mut inputs = Vec::with_capacity(4);
        for (field, selector) in Field::ALL.into_iter().zip(&selectors.fields) {
            let input = find(&form, selector, field.name())?.and_then(|element| element.dyn_into::<HtmlInputElement>().ok());
            if input.is_none() && (field == Field::Cvv || matches!(asks, Asks::Card)) {
                return Err(Error::invalid_argument(&format!("selectors.{}", field.name()), "the form has no <input> for this field"));
            }
            inputs.push(input);
        }
        let inputs: [Option<HtmlInputElement>; 4] = inputs.try_into().map_err(|_| Error::internal())?;
        let brand = find(&form, &selectors.brand, "brand")?;
        let button = find(&form, &selectors.submit, "submit")?;
        let status = find(&form, &selectors.status, "status")?;
        Ok(Found { document, form, inputs, asks, brand, button, status })
    }
}

impl Found {
    /// Prepares the fields: autofill tokens and numeric keyboards where the merchant set none,
    /// error texts linked to their inputs, and the live region. `unmount()` takes it all back.
    pub(crate) fn prepare(self) -> Result<Page, Error> {
        let Found { document, form, inputs, asks, brand, button, status } = self;
        let changes = Changes { document, undo: RefCell::default() };
        let cvv: Element = inputs[Field::Cvv as usize].clone().ok_or_else(Error::internal)?.into();
        // The brand's name is written into the merchant's element: unmount gives its text back.
        if let Some(brand) = &brand {
            changes.keep_text(brand);
        }
        // What must stay on the page when a saved card hides the fields it does not ask for.
        let mut shown: Vec<Element> = [Some(cvv), button.clone(), status.clone(), brand.clone()].into_iter().flatten().collect();
        if let Asks::SavedCard { label } = &asks {
            shown.push(show_saved_card(&changes, &form, label)?);
        }
        let mut slots = Vec::with_capacity(4);
        for (field, input) in Field::ALL.into_iter().zip(inputs) {
            let input = match input {
                Some(input) if matches!(asks, Asks::Card) || field == Field::Cvv => input,
                input => not_asked(&changes, &form, input, &shown)?,
            };
            changes.set_if_absent(&input, "autocomplete", field.autocomplete());
            if field.numeric() {
                changes.set_if_absent(&input, "inputmode", "numeric");
            }
            let error = error_text(&changes, &form, &input, field)?;
            // Values already in the field (the browser kept them, or autofill ran) count as typed.
            let digits = Cell::new(input.value().bytes().filter(u8::is_ascii_digit).count());
            slots.push(Slot { input, error, digits, mark: Cell::default(), shown: Cell::default() });
        }
        let slots: [Slot; 4] = slots.try_into().map_err(|_| Error::internal())?;
        let status = match status {
            Some(status) => {
                changes.keep_text(&status);
                if status.get_attribute("role").as_deref() != Some("status") {
                    changes.set_if_absent(&status, "aria-live", "polite");
                }
                status
            }
            None => {
                let status = changes.create("p")?;
                changes.set(&status, "role", "status");
                changes.set(&status, "class", "connpay-status");
                let _ = form.append_child(&status);
                status
            }
        };
        Ok(Page { changes, form, slots, brand, status, button })
    }
}

impl Page {
    /// Whether `input` has the focus.
    pub(crate) fn focused(&self, input: &HtmlInputElement) -> bool {
        let input: &Element = input;
        self.changes.document.active_element().as_ref() == Some(input)
    }

    /// The page's document.
    pub(crate) fn document(&self) -> &Document {
        &self.changes.document
    }

    /// The page's `<body>`, where the 3-D Secure window goes.
    pub(crate) fn body(&self) -> Option<HtmlElement> {
        self.changes.document.body()
    }
}

/// Names the saved card the payer pays with (`Visa •••• 1111`): in the form's
/// `[data-connpay="saved-card"]`, or in a new `<p class="connpay-saved-card">` at its top.
fn show_saved_card(changes: &Changes, form: &Element, label: &str) -> Result<Element, Error> {
    let element = text_element(changes, form, "[data-connpay=\"saved-card\"]", "savedCard", "connpay-saved-card", (form, "afterbegin"))?;
    element.set_text_content(Some(label));
    Ok(element)
}

/// The merchant's element for a text the checkout writes (found by `selector` in the form; its
/// text kept for unmount), or a new `<p class>` placed `at` (an element and where beside it).
fn text_element(changes: &Changes, form: &Element, selector: &str, key: &str, class: &str, at: (&Element, &str)) -> Result<Element, Error> {
    if let Some(element) = find(form, selector, key)? {
        changes.keep_text(&element);
        return Ok(element);
    }
    let element = changes.create("p")?;
    changes.set(&element, "class", class);
    let _ = at.0.insert_adjacent_element(at.1, &element);
    Ok(element)
}

/// A field a saved card does not ask for. The merchant's input leaves the page until unmount,
/// with the largest part of the form around it that holds nothing still `shown` (the security
/// code, the button, the live region, the brand, the saved card's name): its label and error
/// text when they are inside that part. A form without the input gets a stand-in nothing shows.
fn not_asked(changes: &Changes, form: &Element, input: Option<HtmlInputElement>, shown: &[Element]) -> Result<HtmlInputElement, Error> {
    let input = match input {
        Some(input) => input,
        None => {
            let stand_in = changes.create("input")?;
            let _ = form.append_child(&stand_in);
            stand_in.dyn_into().map_err(|_| Error::internal())?
        }
    };
    let mut hidden: Element = input.clone().into();
    while let Some(parent) = hidden.parent_element() {
        if &parent == form || shown.iter().any(|kept| parent.contains(Some(kept))) {
            break;
        }
        hidden = parent;
    }
    changes.set(&hidden, "hidden", "");
    // Disabled: neither autofilled nor sent with the form, nor reached by the keyboard.
    changes.set(&input, "disabled", "");
    Ok(input)
}

/// The field's error text: the form's `[data-connpay-error="…"]`, or a new `<p>` after the
/// input; either way named in the input's `aria-describedby`.
fn error_text(changes: &Changes, form: &Element, input: &Element, field: Field) -> Result<Element, Error> {
    let selector = format!("[data-connpay-error=\"{}\"]", field.name());
    let text = text_element(changes, form, &selector, field.name(), "connpay-error", (input, "afterend"))?;
    if text.id().is_empty() {
        let id = if input.id().is_empty() { fresh_id(field.name()) } else { format!("{}-error", input.id()) };
        changes.set(&text, "id", &id);
    }
    let described_by = input.get_attribute("aria-describedby").unwrap_or_default();
    if !described_by.split_whitespace().any(|token| token == text.id()) {
        let joined = if described_by.trim().is_empty() { text.id() } else { format!("{} {}", described_by.trim(), text.id()) };
        changes.set(input, "aria-describedby", &joined);
    }
    Ok(text)
}

/// An event listener that is removed when dropped (gloo's, passive unless asked otherwise).
pub(crate) use gloo_events::EventListener as Listener;
