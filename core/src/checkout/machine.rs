//! The drop-in checkout as one sans-IO machine: the whole state of one checkout (each field's
//! formatting and mark, the brand, the order and the words, the attempts, what was said last)
//! behind one entry, [`Checkout::handle`], which takes an [`Event`] and answers the [`Effect`]s
//! the page shell applies, in order. The page's callbacks ([`Effect::Call`]) always come last
//! in a list, once the state is settled: a callback that unmounts, updates or submits from
//! inside finds the machine at rest, never half way through a change.
//!
//! The machine sends nothing and waits for nothing: a request, a question to the merchant's
//! `getSession` and a pause are effects carrying an id, and their answers are events naming
//! it. An answer whose id is no longer awaited (a pause that was cancelled, a poll still on its
//! way when its sale ended, an answer after an unmount) changes nothing. The attempts' rules
//! ([`super::attempts`]) are kept inside: no caller can ask for them out of order.
//!
//! A `SaleSession` (the page sends its own perform sale) drives the same machine without a
//! form: [`Checkout::session`], [`Event::Perform`], and the answers.

use crate::card::{BrandId, YearMonth};
use crate::gateway::{self, Gateway};
use crate::sale::{
    check_perform_sale_call, perform_sale_request, sale_status_request, ErrorCause, GatewayError, HttpRequest, Outcome, SaleAccepted,
    SaleStatus, StatusPoll, StatusSession, UnknownReason,
};
use crate::schema::Checked;
use crate::value::{Got, Record};
use crate::{ErrorCode, FieldError};

use super::attempts::{Attempts, Ending, Next, Refusal, Report, Step};
use super::edit::{edit_cvv, edit_expiry, edit_number, Deletion, Edit};
use super::messages::{Messages, ALLOWED, APPROVED, AUTHENTICATING, CANCEL, NOT_CONFIRMED, PROCESSING, REOPEN, SHOP_REFUSED};
use super::sale::{perform_sale_call, session_request, CardLabel, CheckoutSuccess, OrderAnswer, Purpose};
use super::{Field, FormState, Mark, SavedCard, TypedCard};

/// After the longest wait the checkout keeps asking, but no more often than this: the sale may
/// take hours to settle, and the page may stay open all that time.
pub const SLOW_POLL_MS: f64 = 15_000.0;

/// `detail` of `checkout.challenge_closed` when the page's policy refused the issuer's page.
pub const CHALLENGE_BLOCKED: &str = "the page's Content-Security-Policy refused to frame the issuer's 3-D Secure page: add the issuers' origins to frame-src; the sale waits for the issuer and is followed to its final state";

/// What `mountCheckout`'s options come to, read once at the boundary.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the sale goes.
    pub gateway: Gateway,
    /// The amount, currency and payer (and the optional parts of the sale), as checked.
    pub order: Record,
    /// What the checkout says.
    pub messages: Messages,
    /// The language tag `{until}` is said in as a time of day (empty: the browser's).
    pub language: String,
    /// The saved card the payer pays with, if any: then only its security code is asked.
    pub saved: Option<SavedCard>,
    /// How long a request may go unanswered.
    pub timeout_ms: f64,
    /// Between status polls.
    pub poll_interval_ms: f64,
    /// Until a long wait is reported.
    pub max_wait_ms: f64,
    /// How long after a 3-D Secure challenge opened its issuer may still approve it.
    pub challenge_lifetime_ms: f64,
}

/// The time an event happens at: ms since the epoch, and the payer's calendar month.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    /// Milliseconds since the epoch.
    pub now: f64,
    /// The month the card's expiry is checked against.
    pub today: YearMonth,
}

/// The card fields' values as the page shows them, in [`Field::ALL`] order. Events carry them
/// and the machine keeps none between events, except those of a submitted card until its
/// perform sale is made.
pub type Values = [String; 4];

/// What `getSession` did with a question.
#[derive(Clone, Debug)]
pub enum SessionAnswer {
    /// It answered: about the order, and (when it is a session) the session read by its rules.
    Answered(OrderAnswer, Checked),
    /// Its answer is not of any shape it may answer (the problem at its path).
    Wrong(FieldError),
    /// It threw or rejected (the page shell keeps the cause for `onError`).
    Failed,
}

/// What the merchant's server learnt of a sale in doubt (`allowNewAttempt`, `confirmApproval`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Voided or declined: the payer may pay again.
    NotCharged,
    /// Approved after all: the checkout is finished.
    Approved,
}

/// What `update()` changes, read and checked at the boundary.
#[derive(Clone, Debug, Default)]
pub struct Update {
    /// The order, whole.
    pub order: Option<Record>,
    /// The words, whole (the language and the overrides).
    pub messages: Option<Messages>,
    /// The language tag for `{until}`, when the language changed.
    pub language: Option<String>,
    /// The card fields' values now.
    pub values: Values,
}

/// A validated perform sale, ready to send (the checkout's own, or a `SaleSession`'s).
#[derive(Clone, Debug)]
pub struct Prepared {
    /// Its invoice.
    pub invoice_id: String,
    /// Its endpoint.
    pub endpoint_id: String,
    /// The consumer's access token, which the sale's status calls need too.
    pub access_token: String,
    /// The request.
    pub http: HttpRequest,
}

impl Prepared {
    /// The request of a perform sale call [`check_perform_sale_call`] accepted.
    pub fn of(gateway: &Gateway, call: &Record) -> Prepared {
        let text = |path: &str| call.text(path).unwrap_or_default().to_string();
        Prepared {
            invoice_id: text("invoiceId"),
            endpoint_id: text("endpointId"),
            access_token: text("session.accessToken"),
            http: perform_sale_request(gateway, call),
        }
    }
}

/// Something that happened to the checkout.
#[derive(Clone, Debug)]
pub enum Event {
    /// The checkout is on the page (its fields hold `values`): it shows their state, and says what
    /// an inherited sale left.
    Start(Values),
    /// `mountCheckout` has returned its handle: `onReady`, an inherited sale in doubt reaches
    /// `onError`, and the merchant's server is asked about the order. Nothing once unmounted
    /// (React's StrictMode mounts twice at once: the next checkout asks).
    Ready,
    /// The payer edited `field`: `values` after the edit, the caret in it, which way it deleted,
    /// and whether the field has the focus.
    Input {
        /// The field edited.
        field: Field,
        /// The caret after the edit (UTF-16 code units).
        caret: usize,
        /// Which way the edit deleted (`inputType`).
        deletion: Deletion,
        /// Whether the field has the focus (only then is the caret placed).
        focused: bool,
        /// Every field's value after the edit.
        values: Values,
    },
    /// The payer entered a field.
    Focus(Field),
    /// The payer left a field; `to_submit` when for the submit button (its click marks all).
    Blur {
        /// The field left.
        field: Field,
        /// The focus went to the submit button.
        to_submit: bool,
        /// Every field's value.
        values: Values,
    },
    /// The payer submitted the form (a click, Enter).
    Submit(Values),
    /// `getSession` answered the question `ask`.
    Session {
        /// The question's id ([`Callback::Ask`]).
        ask: u32,
        /// What it answered.
        answer: SessionAnswer,
    },
    /// The perform sale `request` was answered, or got no answer.
    Sale {
        /// The request's id ([`Effect::Send`]).
        request: u32,
        /// What came of it.
        outcome: Outcome<SaleAccepted>,
    },
    /// The status request `request` was answered, or got no answer.
    Status {
        /// The request's id ([`Effect::Send`]).
        request: u32,
        /// What came of it.
        outcome: Outcome<SaleStatus>,
    },
    /// The pause `timer` is over.
    Timer(u32),
    /// The 3-D Secure window was closed (its button, Escape, the page removing it), or the page's
    /// policy refused its frame (`blocked`).
    ChallengeClosed {
        /// The page's policy refused the frame.
        blocked: bool,
    },
    /// The payer pressed the button that opens the bank's window again.
    Reopen,
    /// `update(options)`, read.
    Update(Update),
    /// The merchant's code settles `invoice_id`.
    Settle {
        /// The invoice named.
        invoice_id: String,
        /// What the server learnt of it.
        fate: Fate,
    },
    /// The checkout leaves the page.
    Unmount,
    /// A `SaleSession` sends its own perform sale.
    Perform(Prepared),
    /// A `SaleSession`'s own polling reached the final state of its sale.
    Final(SaleStatus),
}

/// Which answer a request awaits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Perform sale: its answer is [`Event::Sale`].
    Sale,
    /// Sale status: its answer is [`Event::Status`].
    Status,
}

/// The page's callbacks, with what each receives.
#[derive(Clone, Debug, PartialEq)]
pub enum Callback {
    /// `onReady()`.
    Ready,
    /// `onChange(state)`.
    Change(FormState),
    /// `onBrand(brand)`.
    Brand(Option<BrandId>),
    /// `onFocus(field)`.
    Focus(Field),
    /// `onBlur(field)`.
    Blur(Field),
    /// `onSubmit()`.
    Submit,
    /// `onSuccess(success)`.
    Success(CheckoutSuccess),
    /// `onError(error)`.
    Error(Box<Told>),
    /// `onRedirect(url)`.
    Redirect(String),
    /// `getSession(request)`: its answer is [`Event::Session`] with `ask`.
    Ask {
        /// The question's id, for [`Event::Session`].
        ask: u32,
        /// What `getSession` receives.
        request: Record,
    },
}

/// How an attempt ended (or that it takes long), as `onError` receives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Told {
    /// The code.
    pub code: ErrorCode,
    /// The payer's words, in the checkout's language; `{until}` stands for the time of day.
    pub message: String,
    /// Until when (ms since the epoch) the bank may still approve the sale.
    pub until: Option<f64>,
    /// The language tag to say `until` in (empty: the browser's).
    pub language: String,
    /// What happened, for the merchant's developer.
    pub detail: String,
    /// What the checkout allows now.
    pub next: Next,
    /// The invoice whose sale was sent (or that `getSession` named).
    pub invoice_id: Option<String>,
    /// The key of `getSession`'s answer at fault.
    pub path: Option<String>,
    /// Every problem (`checkout.invalid`'s fields, `checkout.session`'s keys).
    pub errors: Vec<FieldError>,
    /// What the gateway said.
    pub gateway_error: Option<GatewayError>,
    /// The HTTP status of a 5xx.
    pub status: Option<u16>,
    /// Why no answer came.
    pub reason: Option<UnknownReason>,
    /// `getSession` threw or rejected: the page shell adds what it threw (`cause`).
    pub cause: bool,
    /// The gateway's refusal is the shop's or its configuration's fault, not the card's: the
    /// payer is not told to check the card.
    pub shop: bool,
}

/// One thing the page shell does.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Show `value` in `field`, with the caret at `caret` (when it has the focus).
    Show {
        /// The field.
        field: Field,
        /// Its value.
        value: String,
        /// The caret, when the field has the focus.
        caret: Option<usize>,
    },
    /// The field's state classes: `connpay-empty`, `connpay-valid`, `connpay-invalid`.
    Classes {
        /// The field.
        field: Field,
        /// `connpay-empty`.
        empty: bool,
        /// `connpay-valid`.
        valid: bool,
        /// `connpay-invalid`, with `aria-invalid`'s moment.
        invalid: bool,
    },
    /// The field's `connpay-focused` class.
    Focused {
        /// The field.
        field: Field,
        /// On or off.
        on: bool,
    },
    /// The field's error text (empty: none) and `aria-invalid`.
    Mark {
        /// The field.
        field: Field,
        /// `aria-invalid`.
        invalid: bool,
        /// The error text.
        text: String,
    },
    /// The brand's badge and the form's `data-connpay-brand`.
    Brand(Option<BrandId>),
    /// What the live region says (`{until}` as a time of day in `language`).
    Say {
        /// The words (empty: silence).
        text: String,
        /// The time `{until}` stands for.
        until: Option<f64>,
        /// The language tag to say it in.
        language: String,
    },
    /// Whether Pay is usable and the fields editable (`ready`), and the form `aria-busy`.
    Lock {
        /// A new attempt may begin.
        ready: bool,
        /// An attempt is under way.
        busy: bool,
    },
    /// The button that opens the bank's window again: shown or hidden, and its words.
    Reopen {
        /// Shown or hidden.
        shown: bool,
        /// Its words.
        text: String,
    },
    /// Move the focus to a field.
    FocusField(Field),
    /// Move the focus to the shown reopen button.
    FocusReopen,
    /// Show the issuer's page in the 3-D Secure window (in the open one, or a new one).
    OpenChallenge {
        /// The issuer's page.
        url: String,
        /// The window's title.
        title: String,
        /// The words of its button that closes it.
        cancel: String,
        /// The issuer's origin: a policy refusing a frame of it closes the window.
        origin: String,
    },
    /// Close and remove the 3-D Secure window.
    CloseChallenge,
    /// Send `http` once, with a timeout; answer with [`Event::Sale`] or [`Event::Status`].
    Send {
        /// The id its answer names.
        request: u32,
        /// Which answer it awaits.
        kind: Kind,
        /// The request, built by the core.
        http: HttpRequest,
        /// How long it may go unanswered.
        timeout_ms: f64,
    },
    /// Start a pause; answer with [`Event::Timer`].
    Wait {
        /// The id its end names.
        timer: u32,
        /// How long.
        ms: f64,
    },
    /// Cancel the pause `timer`.
    CancelWait(u32),
    /// Give the page back as it was before the checkout (unmount).
    Restore,
    /// A page's callback: always after every other effect of the list.
    Call(Callback),
}

/// Why an event was refused: what `update()`, `allowNewAttempt()` or a `SaleSession` throws.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    /// The code.
    pub code: ErrorCode,
    /// The argument at fault, if any.
    pub path: &'static str,
    /// What is wrong, for the developer (empty: the code's own words).
    pub message: &'static str,
    /// The invoice concerned.
    pub invoice_id: Option<String>,
}

impl Refused {
    fn argument(path: &'static str, message: &'static str) -> Refused {
        Refused { code: ErrorCode::ArgumentInvalid, path, message, invoice_id: None }
    }

    fn of(refusal: Refusal) -> Refused {
        let code = refusal.code();
        let invoice_id = match refusal {
            Refusal::Accepted(invoice_id) => Some(invoice_id),
            Refusal::Unsettled(report) => report.invoice_id,
            Refusal::InFlight | Refusal::Finished => None,
        };
        Refused { code, path: "", message: "", invoice_id }
    }
}

/// The ids of what the checkout awaits: each answer is taken once, and only while awaited.
#[derive(Clone, Debug, Default)]
struct Awaited {
    /// The last id handed out.
    last: u32,
    /// The question to `getSession`, and why it was asked.
    ask: Option<(u32, Purpose)>,
    /// The request on its way, and the sale it is about.
    request: Option<(u32, Kind)>,
    /// The pause, and what follows it.
    timer: Option<(u32, Kind)>,
}

impl Awaited {
    fn next(&mut self) -> u32 {
        self.last += 1;
        self.last
    }
}

/// The perform sale on its way: what its status calls need, without the card.
#[derive(Clone, Debug)]
struct Sent {
    invoice_id: String,
    endpoint_id: String,
    access_token: String,
}

/// The status call of the accepted sale being followed.
#[derive(Clone, Debug)]
struct Followed {
    invoice_id: String,
    http: HttpRequest,
}

/// What an attempt pays: the card, as the payer is shown it, and the order as it stood when the
/// attempt began. A sale reports its own: `update()` between a closed challenge and its late
/// approval changes the next attempt, never what that sale charged.
#[derive(Clone, Debug)]
struct Paying {
    label: CardLabel,
    order: Record,
    /// The invoice its perform sale was sent for, once sent.
    invoice_id: Option<String>,
}

/// One card field's state between events: never its value.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    /// How many digits it showed after its last edit.
    digits: usize,
    /// Whether it shows its error yet.
    mark: Mark,
    /// The error it shows.
    shown: Option<ErrorCode>,
    /// Its state classes as last shown.
    classes: Option<(bool, bool, bool)>,
}

/// What the live region says, by key: said again in a new language.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Said {
    Code(ErrorCode),
    /// A code whose words say until when (ms since the epoch).
    Until(ErrorCode, f64),
    Notice(&'static str),
}

/// What an unmounted checkout leaves for the next one on its form: an unsettled or approved
/// sale, with what it pays.
#[derive(Clone, Debug)]
pub struct Carried {
    attempts: Attempts,
    paying: Option<Paying>,
}

/// Whether a render announces newly shown errors in the live region: when the payer leaves a
/// field or submits, never while they type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Announce {
    Yes,
    No,
}

/// One checkout. See the module's documentation.
#[derive(Clone, Debug)]
pub struct Checkout {
    config: Config,
    /// Whether it binds a form (`mountCheckout`) or only follows sales (`SaleSession`).
    form: bool,
    attempts: Attempts,
    awaited: Awaited,
    slots: [Slot; 4],
    brand: Option<BrandId>,
    /// The form's state, as last reported to `onChange`.
    state: Option<FormState>,
    said: Option<Said>,
    /// The card of the submitted attempt, until its perform sale is made.
    card: Option<Values>,
    paying: Option<Paying>,
    /// The question asked when mounted is not answered yet: a submit waits for it.
    checking: bool,
    sent: Option<Sent>,
    followed: Option<Followed>,
    /// When the longest wait of the sale, or of the pending order, ends.
    deadline: f64,
    /// The 3-D Secure window is on the page.
    window: bool,
    /// The page's policy refused the issuer's frame.
    blocked: bool,
    /// The reopen button was ever shown (it stays, hidden, until unmount).
    reopen_made: bool,
    /// What this checkout leaves for the next one on the form, once unmounted.
    carried: Option<Carried>,
    /// The invoice of the approval, once approved.
    paid: Option<String>,
}

/// The effects of one event: the page's, then the callbacks.
#[derive(Default)]
struct Out {
    page: Vec<Effect>,
    calls: Vec<Effect>,
}

impl Out {
    fn page(&mut self, effect: Effect) {
        self.page.push(effect);
    }

    fn call(&mut self, callback: Callback) {
        self.calls.push(Effect::Call(callback));
    }

    fn into_effects(mut self) -> Vec<Effect> {
        self.page.append(&mut self.calls);
        self.page
    }
}

impl Checkout {
    /// A checkout on a form, inheriting what an unmounted one on the same form left (see
    /// [`Checkout::carries`]).
    pub fn new(config: Config, inherited: Option<Carried>) -> Checkout {
        let (attempts, paying) = inherited.map_or_else(|| (Attempts::default(), None), |carried| (carried.attempts, carried.paying));
        Checkout {
            config,
            form: true,
            attempts,
            awaited: Awaited::default(),
            slots: [Slot::default(); 4],
            brand: None,
            state: None,
            said: None,
            card: None,
            paying,
            checking: false,
            sent: None,
            followed: None,
            deadline: 0.0,
            window: false,
            blocked: false,
            reopen_made: false,
            carried: None,
            paid: None,
        }
    }

    /// The sales of a `SaleSession`: no form, no polling of its own.
    pub fn session(config: Config) -> Checkout {
        Checkout { form: false, ..Checkout::new(config, None) }
    }

    /// Handles one event: the effects to apply, in order, callbacks last; or why the event was
    /// refused (then nothing changed).
    pub fn handle(&mut self, event: Event, clock: Clock) -> Result<Vec<Effect>, Refused> {
        let mut out = Out::default();
        match event {
            Event::Start(values) => self.start(&values, clock, &mut out),
            Event::Ready => self.ready(&mut out),
            Event::Input { field, caret, deletion, focused, values } => {
                self.input(field, caret, deletion, focused, values, clock, &mut out);
            }
            Event::Focus(field) => self.focus(field, &mut out),
            Event::Blur { field, to_submit, values } => self.blur(field, to_submit, &values, clock, &mut out),
            Event::Submit(values) => self.submit(values, clock, &mut out),
            Event::Session { ask, answer } => self.session_answered(ask, answer, clock, &mut out),
            Event::Sale { request, outcome } => self.sale_answered(request, &outcome, clock, &mut out),
            Event::Status { request, outcome } => self.status_answered(request, &outcome, clock, &mut out),
            Event::Timer(timer) => self.timer(timer, &mut out),
            Event::ChallengeClosed { blocked } => {
                self.blocked |= blocked;
                self.close_window(clock, &mut out);
            }
            Event::Reopen => self.reopen(&mut out),
            Event::Update(update) => self.update(update, clock, &mut out)?,
            Event::Settle { invoice_id, fate } => self.settle(&invoice_id, fate, &mut out)?,
            Event::Unmount => self.unmount(&mut out),
            Event::Perform(prepared) => self.perform(prepared, &mut out)?,
            Event::Final(status) => self.final_state(&status, clock),
        }
        Ok(out.into_effects())
    }

    /// Why `update()` cannot change the checkout now, if it cannot: asked before the page's
    /// options are read (their getters may run the page's code) and again after.
    pub fn update_refusal(&self) -> Option<Refused> {
        if self.attempts.unmounted() {
            return Some(Refused::argument("checkout", "this checkout was unmounted: mount a new one"));
        }
        self.attempts.in_flight().then_some(Refused { code: ErrorCode::CheckoutSaleInFlight, path: "", message: "", invoice_id: None })
    }

    /// The configuration as it stands (`update()` merges into it).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether this checkout was unmounted and leaves something for the next one on its form
    /// (a sale in doubt, an approved one): the page shell keeps it for that one.
    pub fn carries(&self) -> bool {
        self.carried.is_some()
    }

    /// What this unmounted checkout leaves for the next one on its form, taken.
    pub fn take_carried(&mut self) -> Option<Carried> {
        self.carried.take()
    }

    /// Whether a perform sale is on its way (a `SaleSession`'s `inFlight`).
    pub fn selling(&self) -> bool {
        self.attempts.refusal() == Some(Refusal::InFlight)
    }

    fn start(&mut self, values: &Values, clock: Clock, out: &mut Out) {
        if self.attempts.unmounted() {
            return;
        }
        self.slots = Field::ALL.map(|field| Slot { digits: digits(&values[field as usize]), ..Slot::default() });
        self.refresh(values, clock, Announce::No, out);
        // Pay as the attempts allow: usable (a page may keep its button disabled until the
        // checkout is mounted, so that nothing submits the form before), or as an earlier
        // checkout on this form left it. One that left an approved or an unsettled sale starts
        // where it ended, and says so; a sale in doubt reaches this checkout's `onError` too, so
        // that the code that settles it runs again with the handle that can release it.
        self.render_attempt(out);
        if self.attempts.approved() {
            self.say(Said::Notice(APPROVED), out);
        }
        if let Some(report) = self.attempts.unsettled().cloned() {
            self.say(Said::Code(report.code), out);
        }
        // A form with nothing left by an earlier checkout learns the order's state from the
        // merchant's server (a reload, another tab) once mounted: a submit before the answer
        // waits for it.
        self.checking = self.attempts.ready();
    }

    fn ready(&mut self, out: &mut Out) {
        if self.attempts.unmounted() {
            return;
        }
        out.call(Callback::Ready);
        if let Some(report) = self.attempts.unsettled().cloned() {
            let ending = Ending::of(report.code).map_or("", |ending| ending.code.detail());
            let mut told = self.told(&report);
            told.detail = format!("left in doubt by an earlier checkout on this form: {ending}");
            out.call(Callback::Error(Box::new(told)));
        }
        // Paid or pending, before any card is typed.
        if self.checking {
            self.ask(Purpose::Status, None, out);
        }
    }

    #[allow(clippy::too_many_arguments, reason = "an input event's parts, unpacked where they are read")]
    fn input(&mut self, field: Field, caret: usize, deletion: Deletion, focused: bool, mut values: Values, clock: Clock, out: &mut Out) {
        if self.attempts.unmounted() {
            return;
        }
        if field != Field::Holder {
            let value = &values[field as usize];
            let edit = Edit { previous_digits: self.slots[field as usize].digits, value, caret, deletion };
            let edited = match field {
                Field::Number => edit_number(edit),
                Field::Expiry => edit_expiry(edit),
                _ => edit_cvv(edit, self.brand.map(BrandId::brand)),
            };
            self.slots[field as usize].digits = digits(&edited.value);
            if edited.value != *value {
                out.page(Effect::Show { field, value: edited.value.clone(), caret: focused.then_some(edited.caret) });
                values[field as usize] = edited.value;
            }
        }
        self.refresh(&values, clock, Announce::No, out);
    }

    fn focus(&mut self, field: Field, out: &mut Out) {
        if self.attempts.unmounted() {
            return;
        }
        out.page(Effect::Focused { field, on: true });
        out.call(Callback::Focus(field));
    }

    fn blur(&mut self, field: Field, to_submit: bool, values: &Values, clock: Clock, out: &mut Out) {
        if self.attempts.unmounted() {
            return;
        }
        out.page(Effect::Focused { field, on: false });
        out.call(Callback::Blur(field));
        // Leaving for the submit button: the submit marks every field at once. Marking this one
        // now would put its error text on the page between the press and the release, and the
        // button, pushed down, would miss the click.
        if to_submit {
            return;
        }
        let slot = &mut self.slots[field as usize];
        slot.mark = slot.mark.leave(values[field as usize].trim().is_empty());
        self.refresh(values, clock, Announce::Yes, out);
    }

    /// A submit: never the browser's own; nothing while an attempt is under way or after the
    /// approval; after an uncertain attempt the payer is told again why nothing happens; invalid
    /// fields marked and nothing sent; otherwise a new attempt.
    fn submit(&mut self, values: Values, clock: Clock, out: &mut Out) {
        match self.attempts.refusal() {
            None => {}
            Some(Refusal::Unsettled(report)) => return self.say(Said::Code(report.code), out),
            Some(_) => return,
        }
        for slot in &mut self.slots {
            slot.mark = Mark::SUBMITTED;
        }
        let state = self.refresh(&values, clock, Announce::No, out);
        if !state.valid {
            return self.report_invalid(&state, out);
        }
        if self.attempts.begin().is_err() {
            return;
        }
        let label = match &self.config.saved {
            Some(saved) => CardLabel { brand: Some(saved.brand), last4: saved.last4.clone() },
            None => CardLabel::of(&values[Field::Number as usize]),
        };
        self.paying = Some(Paying { label, order: self.config.order.clone(), invoice_id: None });
        self.card = Some(values);
        self.render_attempt(out);
        self.say(Said::Notice(PROCESSING), out);
        out.call(Callback::Submit);
        // The server is asked about the order once the checkout's first question (at mount) was
        // answered: it may void an invoice it issued before, so the answers must not cross.
        if !self.checking {
            self.ask(Purpose::Sale, state.brand, out);
        }
    }

    /// Marks every invalid field, says so, moves the focus to the first, and tells `onError`
    /// (`checkout.invalid`, with every field's problem on `errors`).
    fn report_invalid(&mut self, state: &FormState, out: &mut Out) {
        let errors: Vec<FieldError> = Field::ALL
            .into_iter()
            .filter_map(|field| {
                let code = state.verdict(field).code?;
                Some(FieldError { path: field.path().to_string(), code, message: self.config.messages.error(code).to_string() })
            })
            .collect();
        if let Some(first) = Field::ALL.into_iter().find(|&field| !state.verdict(field).valid) {
            out.page(Effect::FocusField(first));
        }
        let report = Report { code: ErrorCode::CheckoutInvalid, next: Next::Retry, invoice_id: None, until: None, challenged: false };
        let told = Told { errors, ..self.told(&report) };
        self.tell(&report, told, out);
    }

    /// Asks the merchant's `getSession` about the order (with the card's brand, for a sale).
    fn ask(&mut self, purpose: Purpose, brand: Option<BrandId>, out: &mut Out) {
        let ask = self.awaited.next();
        self.awaited.ask = Some((ask, purpose));
        out.call(Callback::Ask { ask, request: session_request(&self.config.order, brand, purpose) });
    }

    fn session_answered(&mut self, ask: u32, answer: SessionAnswer, clock: Clock, out: &mut Out) {
        let Some((_, purpose)) = self.awaited.ask.filter(|&(awaited, _)| awaited == ask) else { return };
        self.awaited.ask = None;
        if self.attempts.unmounted() {
            return;
        }
        match purpose {
            Purpose::Status => {
                // Unanswered (it threw, or answered nonsense): as if it said nothing.
                let step = match answer {
                    SessionAnswer::Answered(answer, _) => self.attempts.order_answered(&answer),
                    SessionAnswer::Wrong(_) | SessionAnswer::Failed if self.attempts.pending() => Some(Step::Poll),
                    SessionAnswer::Wrong(_) | SessionAnswer::Failed => None,
                };
                if std::mem::take(&mut self.checking) {
                    self.deadline = clock.now + self.config.max_wait_ms;
                    self.on_order(step, clock, out);
                    // A submit waited for this answer: it asks for its session now (unless the
                    // order turned out paid or pending).
                    if self.attempts.starting() {
                        let brand = self.state.and_then(|state| state.brand);
                        self.ask(Purpose::Sale, brand, out);
                    } else {
                        self.card = None;
                    }
                } else {
                    self.on_order(step, clock, out);
                }
            }
            Purpose::Sale => self.prepare(answer, clock, out),
        }
    }

    /// The merchant's session for the submitted card: the perform sale made of both, validated
    /// and sent; or what the server answered instead about the order (paid, or pending).
    fn prepare(&mut self, answer: SessionAnswer, clock: Clock, out: &mut Out) {
        let card = self.card.take();
        let (answer, session) = match answer {
            SessionAnswer::Answered(answer, session) => (answer, session),
            SessionAnswer::Wrong(problem) => return self.abandon(Some(problem), out),
            SessionAnswer::Failed => {
                let Some(report) = self.attempts.abandon(ErrorCode::CheckoutSession) else { return };
                let detail = "getSession threw or rejected (see cause); nothing was sent to the gateway".to_string();
                let told = Told { detail, cause: true, ..self.told(&report) };
                return self.tell(&report, told, out);
            }
        };
        if answer != OrderAnswer::Session {
            self.deadline = clock.now + self.config.max_wait_ms;
            let step = self.attempts.order_answered(&answer);
            return self.on_order(step, clock, out);
        }
        let Some(card) = card.filter(|_| self.attempts.starting()) else { return };
        if let Some(problem) = session.errors.into_iter().next() {
            return self.abandon(Some(problem), out);
        }
        let order = self.paying.as_ref().map_or(&self.config.order, |paying| &paying.order);
        let [number, expiry, cvv, holder] = &card;
        let typed = TypedCard { number, expiry, cvv, holder };
        let call = perform_sale_call(typed, self.config.saved.as_ref(), clock.today, &session.record, order);
        let checked = check_perform_sale_call(&&Got::Record(call), clock.today);
        drop(card);
        if let Some(problem) = checked.errors.into_iter().next() {
            return self.abandon(Some(problem), out);
        }
        let prepared = Prepared::of(&self.config.gateway, &checked.record);
        // The last moment to stop: nothing is sent unless this attempt is still starting.
        if self.attempts.send_sale(&prepared.invoice_id) {
            self.send_sale(prepared, out);
        }
    }

    /// `checkout.session` for a session no sale can be made with: `path` is the key of the
    /// answer at fault (`endpointId`, `nonce`, …), `detail` says what is wrong with it.
    fn abandon(&mut self, problem: Option<FieldError>, out: &mut Out) {
        let Some(report) = self.attempts.abandon(ErrorCode::CheckoutSession) else { return };
        let shape = "getSession must resolve to { endpointId, invoiceId, accessToken, nonce, signature }, { status: \"paid\", invoiceId } or { status: \"pending\", invoiceId, until?, redirectUrl? }";
        let mut told = self.told(&report);
        told.detail = shape.to_string();
        if let Some(problem) = problem {
            if !problem.path.is_empty() {
                let key = problem.path.strip_prefix("session.").unwrap_or(&problem.path).to_string();
                told.detail = format!("getSession's answer: {key} {}; {shape}", problem.message);
                told.path = Some(key);
            }
            told.errors = vec![problem];
        }
        self.tell(&report, told, out);
    }

    fn send_sale(&mut self, prepared: Prepared, out: &mut Out) {
        let request = self.awaited.next();
        self.awaited.request = Some((request, Kind::Sale));
        let Prepared { invoice_id, endpoint_id, access_token, .. } = &prepared;
        if let Some(paying) = &mut self.paying {
            paying.invoice_id = Some(invoice_id.clone());
        }
        self.sent = Some(Sent { invoice_id: invoice_id.clone(), endpoint_id: endpoint_id.clone(), access_token: access_token.clone() });
        out.page(Effect::Send { request, kind: Kind::Sale, http: prepared.http, timeout_ms: self.config.timeout_ms });
    }

    fn perform(&mut self, prepared: Prepared, out: &mut Out) -> Result<(), Refused> {
        self.attempts.begin().map_err(Refused::of)?;
        self.attempts.send_sale(&prepared.invoice_id);
        self.send_sale(prepared, out);
        Ok(())
    }

    fn sale_answered(&mut self, request: u32, outcome: &Outcome<SaleAccepted>, clock: Clock, out: &mut Out) {
        if self.awaited.request != Some((request, Kind::Sale)) {
            return;
        }
        self.awaited.request = None;
        let Some(sent) = self.sent.take() else { return };
        match self.attempts.sale_answered(&sent.invoice_id, outcome) {
            Step::Poll => {
                let Outcome::Accepted(accepted) = outcome else { return };
                let session = StatusSession { access_token: sent.access_token, token: accepted.session_token.clone() };
                let http = sale_status_request(&self.config.gateway, &sent.endpoint_id, &sent.invoice_id, &session);
                self.followed = Some(Followed { invoice_id: sent.invoice_id, http });
                self.deadline = clock.now + self.config.max_wait_ms;
                if self.form {
                    self.poll_status(out);
                }
            }
            Step::Report(report) => {
                let told = self.outcome_told(&report, outcome);
                let shop = told.shop;
                self.tell(&report, told, out);
                // What the order is now, the merchant's server may know better than this page:
                // - the shop's server refused the sale at check sale, most often because another
                //   sale of the order (another tab's, a payment the payer forgot) was approved or
                //   may still be; nothing of this one was charged, as the payer was told. A
                //   submit meanwhile waits for the answer, as at mount;
                // - the sale's answer was lost: its check sale may have reached the server,
                //   which then knows it approved, or waiting for a 3-D Secure challenge whose
                //   page this page never learnt (the payer may complete it without a reload).
                // Paid ends the checkout; pending follows that sale.
                if self.form && (shop || report.next == Next::Merchant) {
                    self.checking = shop;
                    self.ask(Purpose::Status, None, out);
                }
            }
            _ => {}
        }
    }

    /// The status call of the followed sale, and a poll of its answers, for a `SaleSession`'s
    /// `waitForFinalState`.
    pub fn status_call(&self) -> Option<(&str, &HttpRequest, StatusPoll)> {
        // Kept exactly while the attempts follow that sale: every end of it takes it.
        let followed = self.followed.as_ref()?;
        Some((&followed.invoice_id, &followed.http, self.attempts.poll()?.clone()))
    }

    fn poll_status(&mut self, out: &mut Out) {
        let Some(followed) = &self.followed else { return };
        let request = self.awaited.next();
        self.awaited.request = Some((request, Kind::Status));
        out.page(Effect::Send { request, kind: Kind::Status, http: followed.http.clone(), timeout_ms: self.config.timeout_ms });
    }

    /// Asks the accepted sale's status until the attempts say it is decided: every
    /// `pollIntervalMs`, and after `maxWaitMs` (once reported) every [`SLOW_POLL_MS`]. A poll
    /// that fails is simply asked again: polling only reads.
    fn status_answered(&mut self, request: u32, outcome: &Outcome<SaleStatus>, clock: Clock, out: &mut Out) {
        if self.awaited.request != Some((request, Kind::Status)) {
            return;
        }
        self.awaited.request = None;
        let Some(invoice_id) = self.followed.as_ref().map(|followed| followed.invoice_id.clone()) else { return };
        let late = clock.now >= self.deadline;
        match self.attempts.status_answered(&invoice_id, outcome, late, clock.now) {
            Step::Poll => {}
            Step::Challenge(url) => self.open_challenge(&url, clock, out),
            Step::Report(report) if report.next == Next::Wait => {
                let told = self.outcome_told(&report, outcome);
                self.tell(&report, told, out);
            }
            Step::Report(report) => {
                self.followed = None;
                let told = self.outcome_told(&report, outcome);
                return self.tell(&report, told, out);
            }
            Step::Approved(status) => {
                let (order, label) = self.paid_with(&status.invoice_id);
                return self.succeed(CheckoutSuccess::new(status, &order, label), out);
            }
            _ => return,
        }
        self.pause(Kind::Status, clock, out);
    }

    /// A `SaleSession`'s own polling reached its sale's final state.
    fn final_state(&mut self, status: &SaleStatus, clock: Clock) {
        let step = self.attempts.status_answered(&status.invoice_id, &Outcome::Accepted(status.clone()), false, clock.now);
        if matches!(step, Step::Approved(_) | Step::Report(_)) {
            self.followed = None;
        }
    }

    fn pause(&mut self, after: Kind, clock: Clock, out: &mut Out) {
        let interval = self.config.poll_interval_ms;
        let ms = if clock.now >= self.deadline { interval.max(SLOW_POLL_MS) } else { interval };
        let timer = self.awaited.next();
        self.awaited.timer = Some((timer, after));
        out.page(Effect::Wait { timer, ms });
    }

    fn cancel_pause(&mut self, out: &mut Out) {
        if let Some((timer, _)) = self.awaited.timer.take() {
            out.page(Effect::CancelWait(timer));
        }
    }

    fn timer(&mut self, timer: u32, out: &mut Out) {
        let Some((_, after)) = self.awaited.timer.filter(|&(awaited, _)| awaited == timer) else { return };
        self.awaited.timer = None;
        // A pause runs only while its sale is followed, or the order pending: every end of
        // either cancels it.
        match after {
            Kind::Status => self.poll_status(out),
            // A pending sale of the order: `getSession` is asked again.
            Kind::Sale => self.ask(Purpose::Status, None, out),
        }
    }

    /// Does what the attempts made of a `getSession` answer about the order: the approval of a
    /// paid order; the payer told of a pending sale, and `getSession` asked again until it
    /// answers paid or a session; or, after a pending sale that ended unapproved, Pay usable.
    fn on_order(&mut self, step: Option<Step>, clock: Clock, out: &mut Out) {
        match step {
            Some(Step::Paid(invoice_id)) => {
                let (order, label) = self.paid_with(&invoice_id);
                return self.succeed(CheckoutSuccess::confirmed(&invoice_id, &order, label), out);
            }
            Some(Step::Report(report)) if report.next == Next::Wait => {
                let report = self.not_past(report, clock);
                let told = self.told(&report);
                self.tell(&report, told, out);
            }
            Some(Step::Report(report)) => {
                let mut told = self.told(&report);
                told.detail = "getSession answered a session after a pending sale of the order: that sale ended unapproved".into();
                return self.tell(&report, told, out);
            }
            Some(Step::Poll) => {}
            _ => return,
        }
        // `Kind::Sale` after a pause: `getSession` about the order (see `timer`).
        self.pause(Kind::Sale, clock, out);
    }

    /// A pending sale whose `until` has passed is not said to end at a time already gone: the
    /// payer reads that it is still being processed.
    fn not_past(&self, report: Report, clock: Clock) -> Report {
        match report.until {
            Some(until) if until <= clock.now && report.code == ErrorCode::CheckoutPendingUntil => {
                Report { code: ErrorCode::CheckoutPending, until: None, ..report }
            }
            _ => report,
        }
    }

    /// The order and the card of the attempt whose sale of `invoice_id` was approved, as
    /// `onSuccess` tells them: this page's card when it sent that sale; else (another tab's
    /// sale, one sent before a reload) the order with no card, which this page never saw.
    fn paid_with(&mut self, invoice_id: &str) -> (Record, CardLabel) {
        match self.paying.take() {
            Some(Paying { label, order, invoice_id: Some(sent) }) if sent == invoice_id => (order, label),
            _ => (self.config.order.clone(), no_card()),
        }
    }

    /// The sale was approved: the checkout is finished, and `onSuccess` hears it once.
    fn succeed(&mut self, success: CheckoutSuccess, out: &mut Out) {
        self.paid = Some(success.invoice_id.clone());
        self.paying = None;
        self.followed = None;
        self.cancel_pause(out);
        self.close_challenge(out);
        // Emptied on purpose: no field of a paid form is marked for it, and the number and the
        // security code leave the page (the card is named by brand and last four digits).
        for slot in &mut self.slots {
            slot.mark = Mark::default();
        }
        for field in [Field::Number, Field::Cvv] {
            out.page(Effect::Show { field, value: String::new(), caret: None });
            let slot = &mut self.slots[field as usize];
            slot.digits = 0;
            if self.config.saved.is_none() || field == Field::Cvv {
                let invalid = slot.classes.is_some_and(|(_, _, invalid)| invalid);
                slot.classes = Some((true, false, invalid));
                out.page(Effect::Classes { field, empty: true, valid: false, invalid });
            }
        }
        self.render_attempt(out);
        self.say(Said::Notice(APPROVED), out);
        out.call(Callback::Success(success));
    }

    /// 3-D Secure: tells `onRedirect`, then shows the issuer's page in the window. A URL that is
    /// not https (or http to localhost) is neither shown nor handed on: the payer cannot answer
    /// it here, as after closing the window.
    fn open_challenge(&mut self, url: &str, clock: Clock, out: &mut Out) {
        if !gateway::is_safe_page(url) {
            return self.close_window(clock, out);
        }
        out.call(Callback::Redirect(url.to_string()));
        self.show_challenge(url, out);
    }

    fn show_challenge(&mut self, url: &str, out: &mut Out) {
        if !self.window {
            self.blocked = false;
        }
        self.window = true;
        let messages = &self.config.messages;
        out.page(Effect::OpenChallenge {
            url: url.to_string(),
            title: messages.text(AUTHENTICATING).to_string(),
            cancel: messages.text(CANCEL).to_string(),
            origin: gateway::origin_of(url).to_string(),
        });
    }

    fn close_challenge(&mut self, out: &mut Out) {
        if std::mem::take(&mut self.window) {
            out.page(Effect::CloseChallenge);
        }
    }

    /// The 3-D Secure window was closed or cannot be shown: it leaves the page at once. The sale
    /// is not ended (the issuer may still approve it, in a banking app): the payer is told so
    /// and until when, the status is still followed, and the bank's window can be opened again.
    fn close_window(&mut self, clock: Clock, out: &mut Out) {
        if self.attempts.unmounted() {
            return;
        }
        self.close_challenge(out);
        match self.attempts.close_challenge(clock.now, self.config.challenge_lifetime_ms) {
            Some(report) => {
                let mut told = self.told(&report);
                if self.blocked {
                    told.detail = CHALLENGE_BLOCKED.to_string();
                }
                self.tell(&report, told, out);
            }
            None => self.render_attempt(out),
        }
        // The window took the focus with it: it goes to the button that opens the window again.
        if self.reopen_shown() {
            out.page(Effect::FocusReopen);
        }
    }

    fn reopen(&mut self, out: &mut Out) {
        if self.attempts.unmounted() {
            return;
        }
        if let Some(url) = self.attempts.reopen() {
            if gateway::is_safe_page(&url) {
                self.show_challenge(&url, out);
            }
            self.render_attempt(out);
        }
    }

    /// Whether the button that opens the bank's window again is shown: the sale waits for the
    /// issuer, its window is closed, and the page can show its page.
    fn reopen_shown(&self) -> bool {
        let url = self.attempts.reopenable();
        url.is_some_and(gateway::is_safe_page) && !self.blocked && !self.window
    }

    /// Shows what the attempts allow: Pay usable, and the card fields editable, only when a new
    /// attempt may begin; the form `aria-busy` while one is under way; the reopen button.
    fn render_attempt(&mut self, out: &mut Out) {
        out.page(Effect::Lock { ready: self.attempts.ready(), busy: self.attempts.in_flight() });
        let shown = self.reopen_shown();
        if shown || self.reopen_made {
            self.reopen_made = true;
            out.page(Effect::Reopen { shown, text: self.config.messages.text(REOPEN).to_string() });
        }
    }

    /// The merchant's code settles `invoice_id`. An unmounted checkout settles what it left for
    /// the next one on its form.
    fn settle(&mut self, invoice_id: &str, fate: Fate, out: &mut Out) -> Result<(), Refused> {
        let refused = || {
            Refused::argument(
                "invoiceId",
                "this form has no sale of that invoice that is on its way or in doubt (onError names it, with next \"merchant\" or \"wait\")",
            )
        };
        if self.attempts.unmounted() {
            let carried = self.carried.as_mut().ok_or_else(refused)?;
            if !apply(fate, &mut carried.attempts, invoice_id) {
                return Err(refused());
            }
            // Nothing left to carry: the next checkout starts afresh.
            if carried.attempts.ready() {
                self.carried = None;
            }
            return Ok(());
        }
        // The checkout found the order paid by itself (its server said so) while the merchant's
        // code was settling the same sale: confirming that approval again changes nothing.
        if fate == Fate::Approved && self.paid.as_deref() == Some(invoice_id) {
            return Ok(());
        }
        if !apply(fate, &mut self.attempts, invoice_id) {
            return Err(refused());
        }
        self.cancel_pause(out);
        self.awaited.request = None;
        self.awaited.ask = None;
        match fate {
            Fate::NotCharged => {
                self.followed = None;
                self.close_challenge(out);
                self.render_attempt(out);
                self.say(Said::Notice(ALLOWED), out);
            }
            Fate::Approved => {
                let (order, label) = self.paid_with(invoice_id);
                self.succeed(CheckoutSuccess::confirmed(invoice_id, &order, label), out);
            }
        }
        Ok(())
    }

    /// `update()`: the order and the words change, all or nothing; refused while a sale is in
    /// flight (what is being paid cannot change under it).
    fn update(&mut self, update: Update, clock: Clock, out: &mut Out) -> Result<(), Refused> {
        if let Some(refused) = self.update_refusal() {
            return Err(refused);
        }
        if let Some(order) = update.order {
            self.config.order = order;
        }
        if let Some(language) = update.language {
            self.config.language = language;
        }
        if let Some(messages) = update.messages {
            self.config.messages = messages;
            for slot in &mut self.slots {
                slot.shown = None;
            }
            if let Some(said) = self.said {
                self.say(said, out);
            }
        }
        self.refresh(&update.values, clock, Announce::No, out);
        Ok(())
    }

    /// Takes the checkout off the page: the page is given back, and a sale on its way or being
    /// followed is reported to `onError` as `checkout.unmounted` (it is the merchant's to
    /// settle). What the form's next checkout inherits is kept ([`Checkout::take_carried`]).
    fn unmount(&mut self, out: &mut Out) {
        if self.attempts.unmounted() {
            return;
        }
        let gone = self.attempts.unmount();
        self.cancel_pause(out);
        self.close_challenge(out);
        // Nothing is awaited any more, and nothing new is asked (no id is handed out again).
        self.awaited = Awaited::default();
        (self.card, self.sent, self.followed) = (None, None, None);
        out.page(Effect::Restore);
        self.carried = gone.carried.map(|attempts| Carried { attempts, paying: self.paying.take() });
        if let Some(report) = gone.report {
            let told = self.told(&report);
            out.call(Callback::Error(Box::new(told)));
        }
    }

    /// Checks every field, shows and clears marks and state classes, and reports the state and
    /// any new brand.
    fn refresh(&mut self, values: &Values, clock: Clock, announce: Announce, out: &mut Out) -> FormState {
        let [number, expiry, cvv, holder] = values;
        let state = match &self.config.saved {
            Some(saved) => FormState::check_saved(cvv, saved),
            None => FormState::check(TypedCard { number, expiry, cvv, holder }, clock.today),
        };
        for field in Field::ALL {
            let verdict = state.verdict(field);
            let slot = &mut self.slots[field as usize];
            let shown = slot.mark.error(verdict);
            // The fields a saved card does not ask for have no state to show.
            if self.config.saved.is_none() || field == Field::Cvv {
                let classes = (values[field as usize].is_empty(), verdict.valid, shown.is_some());
                if slot.classes.replace(classes) != Some(classes) {
                    out.page(Effect::Classes { field, empty: classes.0, valid: classes.1, invalid: classes.2 });
                }
            }
            if std::mem::replace(&mut slot.shown, shown) == shown {
                continue;
            }
            let text = shown.map_or("", |code| self.config.messages.error(code)).to_string();
            out.page(Effect::Mark { field, invalid: shown.is_some(), text });
            if let (Announce::Yes, Some(code)) = (announce, shown) {
                self.say(Said::Code(code), out);
            }
        }
        // The payer fixed every field the live region spoke of: it says nothing stale.
        let field_said =
            matches!(self.said, Some(Said::Code(code)) if code == ErrorCode::CheckoutInvalid || code.as_str().starts_with("card."));
        if field_said && self.slots.iter().all(|slot| slot.shown.is_none()) {
            out.page(Effect::Say { text: String::new(), until: None, language: String::new() });
            self.said = None;
        }
        if std::mem::replace(&mut self.brand, state.brand) != state.brand {
            out.page(Effect::Brand(state.brand));
            out.call(Callback::Brand(state.brand));
        }
        if self.state.replace(state) != Some(state) {
            out.call(Callback::Change(state));
        }
        state
    }

    /// Says `said` in the live region, in the checkout's language, and remembers it.
    fn say(&mut self, said: Said, out: &mut Out) {
        let messages = &self.config.messages;
        let (text, until) = match said {
            Said::Code(code) => (messages.error(code), None),
            Said::Until(code, until) => (messages.error(code), Some(until)),
            Said::Notice(key) => (messages.text(key), None),
        };
        out.page(Effect::Say { text: text.to_string(), until, language: self.config.language.clone() });
        self.said = Some(said);
    }

    /// Tells the payer and `onError` how the attempt ended (or, with `next: "wait"`, that it is
    /// taking long), and shows what the checkout allows now.
    fn tell(&mut self, report: &Report, told: Told, out: &mut Out) {
        if report.next != Next::Wait {
            self.close_challenge(out);
            self.cancel_pause(out);
        }
        self.render_attempt(out);
        let said = match (report.until, notice(report, told.shop)) {
            (_, Some(key)) => Said::Notice(key),
            (Some(until), None) => Said::Until(report.code, until),
            (None, None) => Said::Code(report.code),
        };
        self.say(said, out);
        out.call(Callback::Error(Box::new(told)));
    }

    /// The error `onError` receives for `report`: its message is what the payer reads.
    fn told(&self, report: &Report) -> Told {
        let messages = &self.config.messages;
        Told {
            code: report.code,
            message: notice(report, false).map_or_else(|| messages.error(report.code), |key| messages.text(key)).to_string(),
            until: report.until,
            language: self.config.language.clone(),
            detail: Ending::of(report.code).map_or("", |ending| ending.code.detail()).to_string(),
            next: report.next,
            invoice_id: report.invoice_id.clone(),
            path: None,
            errors: Vec::new(),
            gateway_error: None,
            status: None,
            reason: None,
            cause: false,
            shop: false,
        }
    }

    /// The error of a gateway answer that ended the attempt, with what the gateway said.
    fn outcome_told<T>(&self, report: &Report, outcome: &Outcome<T>) -> Told {
        let told = self.told(report);
        match outcome {
            Outcome::Rejected(fail) => {
                let shop = shop_side(&fail.error.cause) && report.code == ErrorCode::SaleRejected;
                let message = if shop { self.config.messages.text(SHOP_REFUSED).to_string() } else { told.message };
                Told { gateway_error: Some(fail.error.clone()), message, shop, ..told }
            }
            Outcome::ServerError { status, error } => Told { status: Some(*status), gateway_error: error.clone(), ..told },
            Outcome::OutcomeUnknown { reason } => Told { reason: Some(*reason), ..told },
            Outcome::Accepted(_) => told,
        }
    }
}

/// The notice said instead of the code's own words: the shop's refusal (`shop`), never the
/// card's; a decline of a sale that waited for the payer at the bank, which is the payment not
/// confirmed there, not the card refused.
fn notice(report: &Report, shop: bool) -> Option<&'static str> {
    if shop {
        Some(SHOP_REFUSED)
    } else if report.challenged && report.code == ErrorCode::SaleDeclined {
        Some(NOT_CONFIRMED)
    } else {
        None
    }
}

/// A refusal whose cause is the shop's or the gateway configuration's, never the card's: a
/// request the checkout validated, card included, refused as invalid (a signature that does not
/// verify, an unknown invoice, a nonce used twice), an endpoint not configured, or the shop's
/// server refusing check sale.
fn shop_side(cause: &ErrorCause) -> bool {
    matches!(
        cause,
        ErrorCause::InvalidRequest | ErrorCause::InvalidConfiguration | ErrorCause::ProcessingFailed | ErrorCause::OrderNotFound
    )
}

fn apply(fate: Fate, attempts: &mut Attempts, invoice_id: &str) -> bool {
    match fate {
        Fate::NotCharged => attempts.allow(invoice_id),
        Fate::Approved => attempts.confirm_approval(invoice_id),
    }
}

fn digits(value: &str) -> usize {
    value.bytes().filter(u8::is_ascii_digit).count()
}

/// A success reported without the card that paid (the server found the order paid).
fn no_card() -> CardLabel {
    CardLabel { brand: None, last4: String::new() }
}
