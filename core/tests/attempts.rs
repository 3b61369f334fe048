//! The attempts of one checkout, through the checkout machine's own entry
//! (`connpay_core::checkout::machine::Checkout::handle`): the payer's stories as scenarios, then
//! a proptest over any sequence of what the world does (the payer, the merchant's server and
//! code, the gateway) that checks both halves of the rule on the effects the machine answers: no
//! second perform sale while an earlier one is in flight, uncertain, approved or pending on the
//! merchant's server (unless the merchant allowed it), not even after the payer closed the 3-D
//! Secure window or the form was mounted again; and a decline never blocks the next attempt.

use connpay_core::card::{BrandId, YearMonth};
use connpay_core::checkout::attempts::{Ending, Next, ENDINGS};
use connpay_core::checkout::edit::Deletion;
use connpay_core::checkout::machine::{
    Callback, Carried, Checkout, Clock, Config, Effect, Event, Fate as Settled, Kind, Prepared, SessionAnswer, Told, Update, Values,
};
use connpay_core::checkout::messages::{Locale, Messages};
use connpay_core::checkout::sale::{check_order, check_session, OrderAnswer, Pending};
use connpay_core::checkout::Field;
use connpay_core::gateway::Gateway;
use connpay_core::sale::{
    ErrorCause, FailResponse, GatewayError, HttpRequest, Outcome, PollStep, SaleAccepted, SaleState, SaleStatus, SessionToken,
    UnknownReason,
};
use connpay_core::value::Got;
use connpay_core::{ErrorCode, FieldError};
use proptest::prelude::*;

/// How long a 3-D Secure challenge may still be approved after it opened (`challengeLifetimeMs`).
const LIFETIME: f64 = 1_800_000.0;
/// `maxWaitMs`.
const MAX_WAIT: f64 = 600_000.0;

fn today() -> YearMonth {
    YearMonth::new(2026, 11).unwrap()
}

fn config() -> Config {
    let order = serde_json::json!({ "amountCentis": 1042, "currency": "EUR", "consumer": { "email": "payer@example.com" } });
    let order = check_order(&&order, today(), "web-1");
    assert_eq!(order.errors, []);
    Config {
        gateway: Gateway::parse("sandbox").unwrap(),
        order: order.record,
        messages: Messages::new(Locale::En),
        language: "en".into(),
        saved: None,
        timeout_ms: 30_000.0,
        poll_interval_ms: 2_000.0,
        max_wait_ms: MAX_WAIT,
        challenge_lifetime_ms: LIFETIME,
    }
}

fn card() -> Values {
    ["4111 1111 1111 1111".into(), "12 / 30".into(), "123".into(), "JOHN SMITH".into()]
}

/// `getSession`'s answer: a session for `invoice`.
fn session(invoice: &str) -> SessionAnswer {
    let token = |c: char| c.to_string().repeat(40);
    let answer = serde_json::json!({
        "endpointId": "1111", "invoiceId": invoice, "accessToken": token('a'), "nonce": token('b'), "signature": token('c')
    });
    SessionAnswer::Answered(OrderAnswer::Session, check_session(&&answer, today()))
}

/// `getSession`'s answer about the order (paid or pending): no session.
fn about_order(answer: OrderAnswer) -> SessionAnswer {
    SessionAnswer::Answered(answer, check_session(&&serde_json::json!({}), today()))
}

fn accepted(invoice: &str) -> Outcome<SaleAccepted> {
    Outcome::Accepted(SaleAccepted { invoice_id: invoice.into(), session_token: "token".into() })
}

fn refused(cause: ErrorCause) -> FailResponse {
    FailResponse { error: GatewayError { cause, code: None, message: None }, invoice_id: None }
}

fn status(invoice: &str, state: SaleState) -> Outcome<SaleStatus> {
    Outcome::Accepted(SaleStatus {
        invoice_id: invoice.into(),
        session: SessionToken { token: "token".into() },
        state,
        redirect_url: (state == SaleState::RedirectRequest).then(|| format!("https://issuer.example/{invoice}")),
        bank_order_id: None,
        order_id: None,
        transaction: None,
    })
}

fn pending(until: Option<f64>, redirect: bool) -> OrderAnswer {
    let redirect_url = redirect.then(|| "https://issuer.example/OTHER".to_string());
    OrderAnswer::Pending(Pending { invoice_id: "OTHER".into(), until, redirect_url })
}

/// A checkout on a form, and what it awaits: the page shell's part, as a test plays it.
#[derive(Clone)]
struct Form {
    checkout: Checkout,
    now: f64,
    /// The question to `getSession` awaiting its answer.
    ask: Option<u32>,
    /// The perform sale or the status request awaiting its answer.
    request: Option<(u32, Kind)>,
    /// The pause running.
    timer: Option<u32>,
    /// Every effect, in order.
    effects: Vec<Effect>,
}

impl Form {
    /// A checkout mounted on a form (inheriting what an unmounted one left), whose question about
    /// the order is not answered yet.
    fn mount(inherited: Option<Carried>) -> Form {
        let mut form =
            Form { checkout: Checkout::new(config(), inherited), now: 0.0, ask: None, request: None, timer: None, effects: vec![] };
        form.handle(Event::Start(card()));
        form.handle(Event::Ready);
        form
    }

    /// A checkout whose server said nothing of the order yet (its question answered with a
    /// session, which a checkout does not use).
    fn new() -> Form {
        let mut form = Form::mount(None);
        assert!(form.ask.is_some(), "mounted: the order's state is asked");
        form.answer(session("UNUSED"));
        form
    }

    fn clock(&self) -> Clock {
        Clock { now: self.now, today: today() }
    }

    /// Handles `event`: the effects it answered, with what they await taken note of.
    fn handle(&mut self, event: Event) -> Vec<Effect> {
        let effects = self.checkout.handle(event, self.clock()).expect("not refused");
        self.note(&effects);
        effects
    }

    fn note(&mut self, effects: &[Effect]) {
        let called = |effect: &Effect| matches!(effect, Effect::Call(_));
        let first_call = effects.iter().position(called).unwrap_or(effects.len());
        assert!(effects[first_call..].iter().all(called), "the page's callbacks come last: {effects:?}");
        for effect in effects {
            match effect {
                Effect::Call(Callback::Ask { ask, .. }) => self.ask = Some(*ask),
                Effect::Send { request, kind, .. } => self.request = Some((*request, *kind)),
                Effect::Wait { timer, .. } => self.timer = Some(*timer),
                Effect::CancelWait(timer) if self.timer == Some(*timer) => self.timer = None,
                _ => {}
            }
        }
        self.effects.extend_from_slice(effects);
    }

    fn submit(&mut self) -> Vec<Effect> {
        self.handle(Event::Submit(card()))
    }

    /// `getSession` answers the question it was asked.
    fn answer(&mut self, answer: SessionAnswer) -> Vec<Effect> {
        let ask = self.ask.take().expect("a question to getSession");
        self.handle(Event::Session { ask, answer })
    }

    /// The awaited perform sale is answered.
    fn sale(&mut self, outcome: Outcome<SaleAccepted>) -> Vec<Effect> {
        let (request, kind) = self.request.take().expect("a perform sale on its way");
        assert_eq!(kind, Kind::Sale);
        self.handle(Event::Sale { request, outcome })
    }

    /// The awaited status request is answered at `now`.
    fn status(&mut self, outcome: Outcome<SaleStatus>, now: f64) -> Vec<Effect> {
        self.now = now;
        let (request, kind) = self.request.take().expect("a status request on its way");
        assert_eq!(kind, Kind::Status);
        self.handle(Event::Status { request, outcome })
    }

    /// The pause ends, at `now`.
    fn wake(&mut self, now: f64) -> Vec<Effect> {
        self.now = now;
        let timer = self.timer.take().expect("a pause");
        self.handle(Event::Timer(timer))
    }

    fn settle(&mut self, invoice: &str, fate: Settled) -> bool {
        let clock = self.clock();
        match self.checkout.handle(Event::Settle { invoice_id: invoice.into(), fate }, clock) {
            Ok(effects) => {
                self.note(&effects);
                true
            }
            Err(refused) => {
                assert_eq!(refused.code, ErrorCode::ArgumentInvalid);
                false
            }
        }
    }

    /// Submits and answers with a session for `invoice`: its perform sale is sent.
    fn pay(&mut self, invoice: &str) {
        assert!(began(&self.submit()), "{invoice}: an attempt begins");
        let effects = self.answer(session(invoice));
        assert!(sends_sale(&effects), "{invoice}: its sale is sent");
    }

    /// Pays `invoice`, accepted, and its challenge opens at `opened` (ms).
    fn challenged(&mut self, invoice: &str, opened: f64) {
        self.pay(invoice);
        self.sale(accepted(invoice));
        let effects = self.status(status(invoice, SaleState::RedirectRequest), opened);
        assert_eq!(opened_challenge(&effects).as_deref(), Some(format!("https://issuer.example/{invoice}").as_str()));
    }

    /// Whether a submit now begins an attempt (tried on a copy: nothing changes).
    fn ready(&self) -> bool {
        let mut probe = self.clone();
        began(&probe.submit())
    }

    /// Whether a submit now begins an attempt that ends in a perform sale (tried on a copy). A
    /// question about the order still unanswered (at mount, after the shop refused a sale) is
    /// answered first, the order open: the submit waits for it.
    fn can_pay(&self) -> bool {
        let mut probe = self.clone();
        if !began(&probe.submit()) {
            return false;
        }
        if probe.asks_about_order() {
            probe.answer(session("UNUSED"));
        }
        probe.ask.is_some() && sends_sale(&probe.answer(session("INV-probe")))
    }

    /// Whether the question awaiting `getSession`'s answer is about the order (`purpose:
    /// "status"`), not for a sale's session.
    fn asks_about_order(&self) -> bool {
        let last = self.effects.iter().rev().find_map(|effect| match effect {
            Effect::Call(Callback::Ask { request, .. }) => Some(request.text("purpose") == Some("status")),
            _ => None,
        });
        self.ask.is_some() && last == Some(true)
    }

    fn close(&mut self) -> Option<Told> {
        let effects = self.handle(Event::ChallengeClosed { blocked: false });
        told(&effects)
    }
}

/// The error `onError` received, if any.
fn told(effects: &[Effect]) -> Option<Told> {
    effects.iter().find_map(|effect| match effect {
        Effect::Call(Callback::Error(told)) => Some((**told).clone()),
        _ => None,
    })
}

fn succeeded(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|effect| match effect {
        Effect::Call(Callback::Success(success)) => Some(success.invoice_id.clone()),
        _ => None,
    })
}

/// The card `onSuccess` names: its brand and last four digits.
fn paid_card(effects: &[Effect]) -> Option<(Option<BrandId>, String)> {
    effects.iter().find_map(|effect| match effect {
        Effect::Call(Callback::Success(success)) => Some((success.brand, success.last4.clone())),
        _ => None,
    })
}

fn began(effects: &[Effect]) -> bool {
    effects.iter().any(|effect| matches!(effect, Effect::Call(Callback::Submit)))
}

fn sends_sale(effects: &[Effect]) -> bool {
    effects.iter().any(|effect| matches!(effect, Effect::Send { kind: Kind::Sale, .. }))
}

fn opened_challenge(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|effect| match effect {
        Effect::OpenChallenge { url, .. } => Some(url.clone()),
        _ => None,
    })
}

/// Whether the reopen button was last shown.
fn reopen_shown(form: &Form) -> bool {
    form.effects.iter().rev().find_map(|effect| match effect {
        Effect::Reopen { shown, .. } => Some(*shown),
        _ => None,
    }) == Some(true)
}

fn said(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Say { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_decline_then_a_new_card_is_approved() {
    let mut form = Form::new();
    form.pay("INV1");
    form.sale(accepted("INV1"));
    assert!(form.status(status("INV1", SaleState::Processing), 1_000.0).iter().all(|effect| told(std::slice::from_ref(effect)).is_none()));
    assert!(form.timer.is_some(), "asked again after the interval");
    form.wake(3_000.0);
    let declined = told(&form.status(status("INV1", SaleState::Declined), 3_500.0)).unwrap();
    assert_eq!((declined.code, declined.next, declined.invoice_id.as_deref()), (ErrorCode::SaleDeclined, Next::Retry, Some("INV1")));
    assert_eq!((form.timer, form.request), (None, None), "nothing more is asked");
    assert!(form.ready(), "the button comes back");
    form.pay("INV2");
    form.sale(accepted("INV2"));
    assert_eq!(succeeded(&form.status(status("INV2", SaleState::Approved), 4_000.0)).as_deref(), Some("INV2"));
    assert!(!form.ready(), "approved: further submits do nothing");
}

#[test]
fn an_approval_of_another_sale_is_not_this_one() {
    let mut form = Form::new();
    form.pay("INV1");
    form.sale(accepted("INV1"));
    let approved = |change: &dyn Fn(&mut SaleStatus)| match status("INV1", SaleState::Approved) {
        Outcome::Accepted(mut status) => {
            change(&mut status);
            Outcome::Accepted(status)
        }
        _ => unreachable!(),
    };
    let another_invoice = |status: &mut SaleStatus| status.invoice_id = "INV-other".into();
    let another_token = |status: &mut SaleStatus| status.session.token = "another sale's token".into();
    let others: [&dyn Fn(&mut SaleStatus); 2] = [&another_invoice, &another_token];
    for (index, other) in others.into_iter().enumerate() {
        let now = 1_000.0 * (index + 1) as f64;
        assert_eq!(succeeded(&form.status(approved(other), now)), None, "answer {index} is not this sale's");
        form.wake(now + 500.0);
    }
    assert_eq!(succeeded(&form.status(approved(&|_| {}), 5_000.0)).as_deref(), Some("INV1"));
}

#[test]
fn closing_the_challenge_ends_nothing_and_the_final_state_decides() {
    let mut form = Form::new();
    form.challenged("INV1", 10_000.0);
    form.now = 12_000.0;
    let closed = form.close().expect("told");
    assert_eq!(
        (closed.code, closed.next, closed.invoice_id.as_deref(), closed.until),
        (ErrorCode::CheckoutChallengeClosed, Next::Wait, Some("INV1"), Some(10_000.0 + LIFETIME))
    );
    assert!(form.effects.contains(&Effect::CloseChallenge));
    assert_eq!(form.close(), None, "told once a close");
    assert!(!form.ready(), "Pay stays disabled");
    // Still waiting for the issuer, long after: still followed, the window not forced open again.
    form.wake(20_000.0);
    let waiting = form.status(status("INV1", SaleState::RedirectRequest), 10_000.0 + 2.0 * LIFETIME);
    assert_eq!(opened_challenge(&waiting), None);
    assert!(reopen_shown(&form));
    // The payer opens the bank's window again, and closes it again: told again, with the same
    // deadline (the challenge's, not the reopening's).
    assert_eq!(opened_challenge(&form.handle(Event::Reopen)).as_deref(), Some("https://issuer.example/INV1"));
    assert!(!reopen_shown(&form), "open now");
    assert_eq!(form.close().map(|told| told.until), Some(Some(10_000.0 + LIFETIME)));
    // The issuer's own cancel declines it: only now may the payer pay again.
    form.wake(10_000.0 + 2.0 * LIFETIME);
    let declined = told(&form.status(status("INV1", SaleState::Declined), 10_000.0 + 2.0 * LIFETIME)).unwrap();
    assert_eq!((declined.code, declined.next), (ErrorCode::SaleDeclined, Next::Retry));
    assert!(!reopen_shown(&form));
    form.pay("INV2");

    // Approved in the banking app after the window was closed: the approval, nothing else sent.
    let mut form = Form::new();
    form.challenged("INV1", 0.0);
    form.close().unwrap();
    assert!(!form.can_pay());
    form.wake(60_000.0);
    assert_eq!(succeeded(&form.status(status("INV1", SaleState::Approved), 60_000.0)).as_deref(), Some("INV1"));
    assert!(!form.ready());

    // A window that never opened (no safe page, the page's policy refused it) counts as closed,
    // and a closed window's sale unmounted is the merchant's to settle, as any followed sale.
    let mut form = Form::new();
    form.pay("INV1");
    form.sale(accepted("INV1"));
    form.now = 500.0;
    assert_eq!(form.close().map(|told| told.until), Some(Some(500.0 + LIFETIME)), "from the close");
    let unmounted = told(&form.handle(Event::Unmount)).unwrap();
    assert_eq!(unmounted.code, ErrorCode::CheckoutUnmounted);
    let mut remounted = Form::mount(form.checkout.take_carried());
    assert!(!remounted.ready());
    assert!(remounted.settle("INV1", Settled::NotCharged));
}

#[test]
fn a_decline_after_the_bank_waited_for_the_payer_says_the_payment_was_not_confirmed_not_the_card_declined() {
    let english = Messages::new(Locale::En);
    let declined_words = english.error(ErrorCode::SaleDeclined).to_string();
    let not_confirmed = english.text("not_confirmed").to_string();
    assert!(not_confirmed.contains("did not confirm") && not_confirmed.contains("nothing was charged"));
    // A 3-D Secure challenge (here cancelled on the issuer's page, or left to expire) declined:
    // the payer reads, and onError says, that the bank did not confirm it.
    let mut form = Form::new();
    form.challenged("INV1", 1_000.0);
    form.wake(3_000.0);
    let effects = form.status(status("INV1", SaleState::Declined), 3_000.0);
    let declined = told(&effects).unwrap();
    assert_eq!((declined.code, declined.next), (ErrorCode::SaleDeclined, Next::Retry), "the code stays the gateway's");
    assert_eq!(declined.message, not_confirmed);
    assert_eq!(said(&effects).last(), Some(&not_confirmed), "the payer reads what onError says");
    assert!(form.can_pay());
    // Declined with no challenge: the card declined.
    let mut form = Form::new();
    form.pay("INV1");
    form.sale(accepted("INV1"));
    let effects = form.status(status("INV1", SaleState::Declined), 1_000.0);
    assert_eq!(told(&effects).unwrap().message, declined_words);
    assert_eq!(said(&effects).last(), Some(&declined_words));
    // A pending sale the server followed ends unapproved: not confirmed when it had named the
    // bank's window, the card declined when it had not.
    for (redirect, words) in [(true, &not_confirmed), (false, &declined_words)] {
        let mut form = Form::new();
        assert!(began(&form.submit()));
        form.answer(about_order(pending(None, redirect)));
        form.wake(2_000.0);
        let effects = form.answer(session("UNUSED"));
        assert_eq!((told(&effects).unwrap().code, &told(&effects).unwrap().message), (ErrorCode::SaleDeclined, words), "{redirect}");
        assert_eq!(said(&effects).last(), Some(words));
    }
}

#[test]
fn a_policy_refusing_the_frame_says_why_and_keeps_the_reopen_button_hidden() {
    let mut form = Form::new();
    form.challenged("INV1", 0.0);
    let blocked = told(&form.handle(Event::ChallengeClosed { blocked: true })).unwrap();
    assert_eq!(blocked.code, ErrorCode::CheckoutChallengeClosed);
    assert!(blocked.detail.contains("frame-src"));
    assert!(!reopen_shown(&form));
    assert!(!form.effects.contains(&Effect::FocusReopen));
    // Opened again (the policy may have changed), then closed by the payer: not the policy's doing.
    assert!(opened_challenge(&form.handle(Event::Reopen)).is_some());
    let closed = form.close().unwrap();
    assert!(!closed.detail.contains("frame-src"), "{}", closed.detail);
    assert!(reopen_shown(&form));
}

#[test]
fn a_paid_order_is_the_approval_and_nothing_is_sent() {
    // Found when the checkout was mounted (after a reload), before the payer typed anything.
    let mut form = Form::mount(None);
    assert_eq!(succeeded(&form.answer(about_order(OrderAnswer::Paid("OTHER".into())))).as_deref(), Some("OTHER"));
    assert!(!form.ready());
    // Answered to a submit: no perform sale.
    let mut form = Form::new();
    assert!(began(&form.submit()));
    let effects = form.answer(about_order(OrderAnswer::Paid("OTHER".into())));
    assert_eq!(succeeded(&effects).as_deref(), Some("OTHER"));
    assert!(!sends_sale(&effects) && !form.ready());
    // A submit while the question asked at mount is unanswered waits for it: paid, nothing sent.
    let mut form = Form::mount(None);
    assert!(began(&form.submit()));
    let effects = form.answer(about_order(OrderAnswer::Paid("OTHER".into())));
    assert!(succeeded(&effects).is_some() && form.ask.is_none() && !sends_sale(&effects));
}

#[test]
fn a_submit_before_the_question_at_mount_waits_for_its_answer() {
    let mut form = Form { checkout: Checkout::new(config(), None), now: 0.0, ask: None, request: None, timer: None, effects: vec![] };
    form.handle(Event::Start(card()));
    assert!(began(&form.submit()));
    assert_eq!(form.ask, None, "the question at mount comes first");
    form.handle(Event::Ready);
    assert!(succeeded(&form.answer(about_order(OrderAnswer::Paid("OTHER".into())))).is_some());
    assert_eq!(form.ask, None, "paid: no session is asked");
}

#[test]
fn a_submit_during_the_question_at_mount_asks_for_its_session_once_answered() {
    let mut form = Form::mount(None);
    let asked = form.ask;
    assert!(began(&form.submit()));
    assert_eq!(form.ask, asked, "no second question while the first is unanswered");
    form.answer(session("UNUSED"));
    assert!(form.ask.is_some(), "now the sale's");
    assert!(sends_sale(&form.answer(session("INV1"))));
}

#[test]
fn a_pending_order_is_followed_until_paid_or_ended_unapproved() {
    let mut form = Form::new();
    form.now = 1_000.0;
    assert!(began(&form.submit()));
    let told_pending = told(&form.answer(about_order(pending(Some(5_000.0), true)))).unwrap();
    assert_eq!(
        (told_pending.code, told_pending.next, told_pending.invoice_id.as_deref(), told_pending.until),
        (ErrorCode::CheckoutPendingUntil, Next::Wait, Some("OTHER"), Some(5_000.0))
    );
    assert!(!form.can_pay(), "nothing new is charged");
    assert!(reopen_shown(&form));
    assert_eq!(opened_challenge(&form.handle(Event::Reopen)).as_deref(), Some("https://issuer.example/OTHER"));
    assert_eq!(form.close(), None, "the server's sale: its own until stands");
    // Asked again after the pause; told once.
    form.wake(2_000.0);
    assert_eq!(told(&form.answer(about_order(pending(Some(5_000.0), true)))), None, "told once");
    form.wake(3_000.0);
    let unknown = told(&form.answer(about_order(pending(None, false)))).unwrap();
    assert_eq!((unknown.code, unknown.until), (ErrorCode::CheckoutPending, None), "told again when it changed");
    // A failed question is asked again.
    form.wake(4_000.0);
    form.answer(SessionAnswer::Failed);
    assert!(form.timer.is_some());
    // A session now: that sale ended unapproved, and the payer may pay again (with a new session).
    form.wake(5_000.0);
    let ended = told(&form.answer(session("UNUSED"))).unwrap();
    assert_eq!((ended.code, ended.next, ended.invoice_id.as_deref()), (ErrorCode::SaleDeclined, Next::Retry, Some("OTHER")));
    assert_eq!((form.timer, form.ask), (None, None), "the server is asked no more");
    assert!(form.can_pay());
    form.pay("INV1");

    // Found at mount, then paid.
    let mut form = Form::mount(None);
    assert!(told(&form.answer(about_order(pending(None, false)))).is_some());
    form.wake(2_000.0);
    assert!(succeeded(&form.answer(about_order(OrderAnswer::Paid("OTHER".into())))).is_some());
    assert!(!form.ready());
    // A session at mount is discarded: the next Pay asks again.
    let form = Form::new();
    assert!(form.can_pay());
    // The shop's server settles the pending invoice itself, and says so.
    let mut form = Form::mount(None);
    form.answer(about_order(pending(None, false)));
    assert!(!form.settle("INV9", Settled::NotCharged));
    assert!(form.settle("OTHER", Settled::Approved));
    assert!(!form.ready());
    // Unmounted while pending: the next checkout asks the server again.
    let mut form = Form::mount(None);
    form.answer(about_order(pending(None, false)));
    assert_eq!(told(&form.handle(Event::Unmount)), None);
    assert!(!form.checkout.carries());
}

/// The pause after `getSession` answered pending.
fn last_pause(form: &Form) -> Option<f64> {
    form.effects.iter().rev().find_map(|effect| match effect {
        Effect::Wait { ms, .. } => Some(*ms),
        _ => None,
    })
}

#[test]
fn a_pending_order_is_asked_every_interval_then_slower_after_the_longest_wait() {
    // Found at mount, and answered to a submit: the longest wait counts from that answer.
    for submitted in [false, true] {
        let mut form = if submitted { Form::new() } else { Form::mount(None) };
        form.now = 50_000.0;
        if submitted {
            form.submit();
        }
        form.answer(about_order(pending(None, false)));
        assert_eq!(last_pause(&form), Some(2_000.0), "submitted: {submitted}");
        form.wake(50_000.0 + MAX_WAIT - 1.0);
        form.answer(about_order(pending(None, false)));
        assert_eq!(last_pause(&form), Some(2_000.0), "submitted: {submitted}: not yet");
        form.wake(50_000.0 + MAX_WAIT);
        form.answer(about_order(pending(None, false)));
        assert_eq!(last_pause(&form), Some(15_000.0), "submitted: {submitted}: slower");
    }
}

#[test]
fn a_pending_sale_past_its_until_is_not_said_to_end_at_a_past_time() {
    let mut form = Form::mount(None);
    form.now = 10_000.0;
    let said_pending = told(&form.answer(about_order(pending(Some(5_000.0), false)))).unwrap();
    assert_eq!((said_pending.code, said_pending.until), (ErrorCode::CheckoutPending, None));
}

#[test]
fn the_merchant_may_settle_a_sale_it_follows_after_its_window_was_closed() {
    for (fate, approved) in [(Settled::Approved, true), (Settled::NotCharged, false)] {
        let mut form = Form::new();
        form.challenged("INV1", 0.0);
        form.close().unwrap();
        assert!(!form.settle("INV2", fate), "only the sale followed");
        assert!(form.settle("INV1", fate));
        assert_eq!(succeeded(&form.effects).is_some(), approved);
        assert_eq!((form.timer, form.ready()), (None, !approved), "the following stops: approved, or Pay again");
    }
}

#[test]
fn answers_and_pauses_are_taken_once_and_only_by_their_own_id() {
    let mut form = Form::new();
    form.pay("INV1");
    let (sale, _) = form.request.unwrap();
    form.sale(accepted("INV1"));
    let (first, _) = form.request.unwrap();
    assert_ne!(first, sale);
    form.status(status("INV1", SaleState::Processing), 1_000.0);
    let pause = form.timer.unwrap();
    assert_eq!(
        form.checkout.handle(Event::Sale { request: sale, outcome: accepted("INV1") }, form.clock()),
        Ok(vec![]),
        "answered already"
    );
    assert_eq!(form.checkout.handle(Event::Timer(first), form.clock()), Ok(vec![]), "a request's id is no pause's");
    form.wake(3_000.0);
    let (second, _) = form.request.unwrap();
    assert!(second != first && second != pause, "each its own id");
    let late = Event::Status { request: first, outcome: status("INV1", SaleState::Declined) };
    assert_eq!(form.checkout.handle(late, form.clock()), Ok(vec![]), "the first poll's late answer");
    assert_eq!(form.checkout.handle(Event::Timer(pause), form.clock()), Ok(vec![]), "the pause is over");
    assert!(succeeded(&form.status(status("INV1", SaleState::Approved), 4_000.0)).is_some());
}

#[test]
fn the_merchant_may_confirm_an_approval_its_server_learnt() {
    let mut form = Form::new();
    form.pay("INV1");
    let gateway_error = GatewayError { cause: ErrorCause::ServerFailed, code: None, message: Some("down".into()) };
    let uncertain = told(&form.sale(Outcome::ServerError { status: 502, error: Some(gateway_error.clone()) })).unwrap();
    assert_eq!((uncertain.status, uncertain.next, uncertain.gateway_error), (Some(502), Next::Merchant, Some(gateway_error)));
    assert!(!form.settle("INV2", Settled::Approved), "only the sale in doubt");
    assert!(form.settle("INV1", Settled::Approved));
    assert_eq!(succeeded(&form.effects).as_deref(), Some("INV1"));
    assert!(!form.ready());
    assert!(!form.settle("INV1", Settled::NotCharged), "an approved sale is never released");
}

#[test]
fn an_uncertain_sale_blocks_the_checkout_until_the_merchant_allows_a_new_attempt() {
    for outcome in [
        Outcome::ServerError { status: 502, error: None },
        Outcome::unknown(UnknownReason::Network),
        Outcome::unknown(UnknownReason::Timeout),
    ] {
        let mut form = Form::new();
        form.pay("INV1");
        let reason = match &outcome {
            Outcome::OutcomeUnknown { reason } => Some(*reason),
            _ => None,
        };
        let uncertain = told(&form.sale(outcome)).unwrap();
        assert_eq!((uncertain.next, uncertain.invoice_id.as_deref(), uncertain.reason), (Next::Merchant, Some("INV1"), reason));
        // A submit now says again why nothing happens.
        let again = form.submit();
        assert!(!began(&again));
        assert_eq!(said(&again), [Messages::new(Locale::En).error(uncertain.code).to_string()]);
        assert!(!form.settle("INV2", Settled::NotCharged), "only by naming the invoice");
        assert!(form.settle("INV1", Settled::NotCharged));
        form.pay("INV2");
    }
}

#[test]
fn a_long_wait_is_reported_once_and_the_final_state_still_decides() {
    let mut form = Form::new();
    form.pay("INV1");
    form.sale(accepted("INV1"));
    let processing = status("INV1", SaleState::Processing);
    let long = told(&form.status(processing.clone(), MAX_WAIT)).unwrap();
    assert_eq!((long.code, long.next), (ErrorCode::StatusTimeout, Next::Wait));
    assert!(form.effects.contains(&Effect::Wait { timer: form.timer.unwrap(), ms: 15_000.0 }), "slower after the longest wait");
    form.wake(MAX_WAIT + 15_000.0);
    assert_eq!(told(&form.status(processing, MAX_WAIT + 15_000.0)), None, "reported once; still asking");
    assert!(!form.ready());
    form.wake(MAX_WAIT + 30_000.0);
    assert!(succeeded(&form.status(status("INV1", SaleState::Approved), MAX_WAIT + 30_000.0)).is_some());
}

#[test]
fn a_refused_status_request_leaves_the_sale_to_the_merchant() {
    let mut form = Form::new();
    form.pay("INV1");
    form.sale(accepted("INV1"));
    let refused = told(&form.status(Outcome::Rejected(refused(ErrorCause::OrderNotFound)), 1_000.0)).unwrap();
    assert_eq!((refused.code, refused.next), (ErrorCode::StatusRejected, Next::Merchant));
    assert!(!form.ready());
}

#[test]
fn a_refused_or_failed_start_charges_nothing() {
    let mut form = Form::new();
    assert!(began(&form.submit()));
    assert!(!began(&form.submit()), "a second submit while asking for the session");
    let failed = told(&form.answer(SessionAnswer::Failed)).unwrap();
    assert_eq!((failed.code, failed.next, failed.invoice_id, failed.cause), (ErrorCode::CheckoutSession, Next::Retry, None, true));
    assert!(failed.detail.starts_with("getSession threw or rejected"), "{}", failed.detail);
    // A session no sale can be made with names the key at fault.
    assert!(began(&form.submit()));
    let token = "a".repeat(40);
    let wrong =
        serde_json::json!({ "endpointId": "1111", "invoiceId": "INV1", "accessToken": token, "nonce": "short", "signature": token });
    let wrong = told(&form.answer(SessionAnswer::Answered(OrderAnswer::Session, check_session(&&wrong, today())))).unwrap();
    assert_eq!((wrong.code, wrong.next, wrong.path.as_deref()), (ErrorCode::CheckoutSession, Next::Retry, Some("nonce")));
    form.pay("INV1");
    let rejected = told(&form.sale(Outcome::Rejected(refused(ErrorCause::Filtered)))).unwrap();
    assert_eq!((rejected.code, rejected.next), (ErrorCode::SaleRejected, Next::Retry));
    form.pay("INV2");
    let declined = told(&form.sale(Outcome::Rejected(refused(ErrorCause::Declined)))).unwrap();
    assert_eq!((declined.code, declined.next), (ErrorCode::SaleDeclined, Next::Retry));
    assert!(form.can_pay());
}

#[test]
fn a_refusal_that_is_the_shops_does_not_send_the_payer_to_check_the_card() {
    let english = Messages::new(Locale::En);
    for (cause, shop) in [
        (ErrorCause::InvalidRequest, true),
        (ErrorCause::InvalidConfiguration, true),
        (ErrorCause::ProcessingFailed, true),
        (ErrorCause::OrderNotFound, true),
        (ErrorCause::Filtered, false),
        (ErrorCause::ServerUnavailable, false),
    ] {
        let mut form = Form::new();
        form.pay("INV1");
        let effects = form.sale(Outcome::Rejected(refused(cause.clone())));
        let rejected = told(&effects).unwrap();
        assert_eq!((rejected.code, rejected.next, rejected.shop), (ErrorCode::SaleRejected, Next::Retry, shop), "{cause:?}");
        assert_eq!(rejected.gateway_error.map(|error| error.cause), Some(cause.clone()), "what the gateway said");
        assert_eq!(said(&effects).last(), Some(&rejected.message), "{cause:?}: the payer reads what onError says");
        assert_eq!(rejected.message.contains("card details are not the cause"), shop, "{cause:?}");
        assert_eq!(rejected.message.contains("Check the card"), !shop, "{cause:?}");
        assert!(!english.text("shop_refused").to_lowercase().contains("check the card"));
        // The shop's refusal: its server is asked what the order is now (another sale of it may
        // have been approved); the gateway's own refusal asks nothing.
        assert_eq!(form.asks_about_order(), shop, "{cause:?}");
        assert!(form.can_pay(), "{cause:?}: nothing was charged");
        if shop {
            assert_eq!(form.answer(session("UNUSED")), [], "{cause:?}: the order is open: nothing more to say");
            assert!(form.can_pay(), "{cause:?}");
        }
    }
}

#[test]
fn a_sale_whose_answer_was_lost_is_learnt_from_the_server_when_it_knows() {
    let of_this_sale = OrderAnswer::Pending(Pending {
        invoice_id: "INV1".into(),
        until: Some(5_000.0),
        redirect_url: Some("https://issuer.example/INV1".to_string()),
    });
    // The answer was lost on its way back, after check sale reached the shop's server: the
    // server knows the sale waits for its 3-D Secure challenge, whose page it names. The payer
    // reads that it may still be approved, gets the bank's window back, and nothing new is sent.
    let mut form = Form::new();
    form.pay("INV1");
    let lost = told(&form.sale(Outcome::unknown(UnknownReason::Network))).unwrap();
    assert_eq!((lost.code, lost.next), (ErrorCode::SaleOutcomeUnknown, Next::Merchant));
    assert!(form.asks_about_order(), "the server is asked what it knows");
    let waits = told(&form.answer(about_order(of_this_sale))).unwrap();
    assert_eq!((waits.code, waits.next, waits.invoice_id.as_deref()), (ErrorCode::CheckoutPendingUntil, Next::Wait, Some("INV1")));
    assert!(reopen_shown(&form), "the bank's window can be opened again");
    assert!(!form.ready());
    form.wake(1_000.0);
    assert_eq!(succeeded(&form.answer(about_order(OrderAnswer::Paid("INV1".into())))).as_deref(), Some("INV1"));
    // The merchant's code, settling the same sale meanwhile, confirms it: nothing changes, and
    // onSuccess is not heard twice.
    let effects = form.effects.len();
    assert!(form.settle("INV1", Settled::Approved));
    assert_eq!(form.effects.len(), effects);
    assert!(!form.settle("INV2", Settled::Approved), "another invoice is still refused");

    // A 502 after the gateway processed it: the server found it approved.
    let mut form = Form::new();
    form.pay("INV1");
    assert_eq!(told(&form.sale(Outcome::ServerError { status: 502, error: None })).unwrap().next, Next::Merchant);
    let effects = form.answer(about_order(OrderAnswer::Paid("INV1".into())));
    assert_eq!(succeeded(&effects).as_deref(), Some("INV1"));
    assert_eq!(paid_card(&effects), Some((Some(BrandId::Visa), "1111".to_string())), "this page's card paid it");
    assert!(!form.ready());
    // The order paid by another invoice (another tab's): this page never saw that card.
    let mut form = Form::new();
    form.pay("INV1");
    form.sale(Outcome::ServerError { status: 502, error: None });
    let effects = form.answer(about_order(OrderAnswer::Paid("INV9".into())));
    assert_eq!(paid_card(&effects), Some((None, String::new())));

    // The server knows nothing of it (check sale never reached it, or not yet), or only of
    // another invoice's pending sale: the sale stays in doubt, the merchant's to settle.
    for answer in [session("UNUSED"), about_order(pending(None, true))] {
        let mut form = Form::new();
        form.pay("INV1");
        form.sale(Outcome::unknown(UnknownReason::Timeout));
        assert_eq!(form.answer(answer), []);
        assert!(!form.ready() && !form.can_pay());
        assert!(form.settle("INV1", Settled::NotCharged) && form.can_pay());
    }
}

#[test]
fn a_sale_the_shop_refused_because_another_tab_paid_the_order_ends_in_that_approval() {
    // Two tabs of one order: this one's sale reaches check sale after the other's was approved,
    // and the shop's server refuses it. The payer first reads that nothing was charged by it,
    // then, once the server says so, that the order is paid.
    let mut form = Form::new();
    form.pay("INV2");
    let effects = form.sale(Outcome::Rejected(refused(ErrorCause::ProcessingFailed)));
    assert!(told(&effects).unwrap().shop);
    assert!(matches!(effects.last(), Some(Effect::Call(Callback::Ask { .. }))), "the server is asked about the order");
    let effects = form.answer(about_order(OrderAnswer::Paid("INV1".into())));
    assert_eq!(succeeded(&effects).as_deref(), Some("INV1"));
    assert_eq!(said(&effects).last().map(String::as_str), Some(Messages::new(Locale::En).text("approved")));
    assert!(!form.ready(), "paid: nothing more is charged");

    // The other tab's sale may still be approved: this one says so and follows the order.
    let mut form = Form::new();
    form.pay("INV2");
    form.sale(Outcome::Rejected(refused(ErrorCause::ProcessingFailed)));
    let pending = told(&form.answer(about_order(pending(None, false)))).unwrap();
    assert_eq!((pending.code, pending.next), (ErrorCode::CheckoutPending, Next::Wait));
    assert!(!form.ready() && form.timer.is_some(), "nothing new is charged; the order is asked again");

    // A submit before the server answered waits for it, then pays if the order is open.
    let mut form = Form::new();
    form.pay("INV2");
    form.sale(Outcome::Rejected(refused(ErrorCause::ProcessingFailed)));
    let asked = form.ask;
    assert!(began(&form.submit()));
    assert_eq!(form.ask, asked, "no second question while the first is unanswered");
    form.answer(session("UNUSED"));
    assert!(sends_sale(&form.answer(session("INV3"))));
}

#[test]
fn unmounting_reports_a_sale_on_its_way_and_stops_everything() {
    let mut form = Form::new();
    assert!(began(&form.submit()));
    let effects = form.handle(Event::Unmount);
    assert!(effects.contains(&Effect::Restore));
    assert_eq!((told(&effects), form.checkout.carries()), (None, false), "no sale was sent: a new mount starts afresh");
    assert!(!sends_sale(&form.answer(session("INV1"))), "the session came back after the unmount: nothing is sent");

    let mut form = Form::new();
    form.pay("INV1");
    let report = told(&form.handle(Event::Unmount)).unwrap();
    assert_eq!((report.code, report.next, report.invoice_id.as_deref()), (ErrorCode::CheckoutUnmounted, Next::Merchant, Some("INV1")));
    assert_eq!(form.sale(accepted("INV1")), [], "its answer is not reported");
    assert!(!began(&form.submit()));
    assert_eq!(form.handle(Event::Unmount), [], "reported once");
    // The merchant's code may settle it through the old handle: the form keeps it until then.
    let mut left = form.clone();
    assert!(!left.settle("INV2", Settled::NotCharged) && left.checkout.carries());
    assert!(left.settle("INV1", Settled::NotCharged) && !left.checkout.carries());

    // The next checkout on the form (a React effect run again) inherits the unsettled sale, says
    // it at once and tells onError again.
    let mut remounted = Form::mount(form.checkout.take_carried());
    assert_eq!(remounted.ask, None, "a sale in doubt: the server is not asked");
    let again = told(&remounted.effects).unwrap();
    assert_eq!((again.code, again.invoice_id.as_deref()), (ErrorCode::CheckoutUnmounted, Some("INV1")));
    assert!(again.detail.starts_with("left in doubt by an earlier checkout on this form"));
    assert!(!remounted.ready());
    assert!(remounted.settle("INV1", Settled::NotCharged));
    remounted.pay("INV2");
}

#[test]
fn a_closed_challenge_is_remembered_across_an_unmount_while_its_settle_is_refused() {
    let mut form = Form::new();
    form.challenged("INV1", 0.0);
    form.close().unwrap();
    form.handle(Event::Unmount);
    let mut left = form.clone();
    assert!(!left.settle("INV-other", Settled::NotCharged), "refused");
    assert!(left.checkout.carries(), "still carried after a refused settle");
    let mut remounted = Form::mount(left.checkout.take_carried());
    assert!(!remounted.can_pay(), "no second charge");
    assert!(!remounted.settle("INV-other", Settled::Approved));
    assert!(remounted.settle("INV1", Settled::Approved));
    assert!(!remounted.ready());
}

#[test]
fn an_approved_form_stays_approved_when_it_is_mounted_again() {
    let mut form = Form::new();
    form.pay("INV1");
    form.sale(accepted("INV1"));
    form.status(status("INV1", SaleState::Approved), 1_000.0);
    form.handle(Event::Unmount);
    let remounted = Form::mount(form.checkout.take_carried());
    assert_eq!(said(&remounted.effects).last().map(String::as_str), Some(Messages::new(Locale::En).text("approved")));
    assert!(!remounted.ready() && remounted.ask.is_none());
}

/// Russian as a page imports it: the package's table, locales/ru.json.
fn russian() -> Messages {
    let table: serde_json::Value = serde_json::from_str(include_str!("../../locales/ru.json")).unwrap();
    let words = table["messages"].as_object().unwrap().iter().map(|(key, text)| (key.clone(), text.as_str().unwrap().to_string()));
    Messages::of_table(words.collect())
}

#[test]
fn every_uncertain_message_tells_the_payer_not_to_pay_again() {
    let languages = [
        (Messages::new(Locale::En), "en", ("try again", "do not pay again")),
        (russian(), "ru", ("попробуйте ещё раз", "не платите повторно")),
    ];
    for (messages, locale, (try_again, do_not)) in languages {
        for &Ending { code, next, .. } in ENDINGS {
            let text = messages.error(code).to_lowercase();
            match next {
                Next::Retry => assert!(!text.contains(do_not), "{locale:?} {}: {text}", code.as_str()),
                Next::Wait | Next::Merchant => {
                    assert!(text.contains(do_not), "{locale:?} {}: {text}", code.as_str());
                    assert!(!text.contains(try_again), "{locale:?} {} invites a retry: {text}", code.as_str());
                }
            }
        }
    }
}

/// The last `Lock` shown: whether Pay is usable, and whether the form is busy.
fn lock(form: &Form) -> Option<(bool, bool)> {
    form.effects.iter().rev().find_map(|effect| match effect {
        Effect::Lock { ready, busy } => Some((*ready, *busy)),
        _ => None,
    })
}

fn calls(effects: &[Effect]) -> Vec<&Callback> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Call(callback) => Some(callback),
            _ => None,
        })
        .collect()
}

#[test]
fn pay_is_locked_while_an_attempt_is_under_way_and_after_an_uncertain_one() {
    let mut form = Form::new();
    assert_eq!(lock(&form), Some((true, false)), "mounted: Pay usable (a page may keep it disabled until then)");
    form.submit();
    assert_eq!(lock(&form), Some((false, true)), "asking for the session");
    form.answer(session("INV1"));
    form.sale(Outcome::Rejected(refused(ErrorCause::Declined)));
    assert_eq!(lock(&form), Some((true, false)), "declined: Pay again");
    form.pay("INV2");
    form.sale(accepted("INV2"));
    form.close();
    assert_eq!(lock(&form), Some((false, true)), "a closed window: still followed");
    let mut uncertain = Form::new();
    uncertain.pay("INV1");
    uncertain.sale(Outcome::unknown(UnknownReason::Timeout));
    assert_eq!(lock(&uncertain), Some((false, false)), "in doubt: the merchant's to settle");
    assert!(uncertain.settle("INV1", Settled::NotCharged));
    assert_eq!(lock(&uncertain), Some((true, false)));
    assert_eq!(said(&uncertain.effects).last().map(String::as_str), Some(Messages::new(Locale::En).text("allowed")));
}

#[test]
fn a_question_at_mount_that_fails_is_not_asked_again() {
    let wrong = FieldError { path: "status".into(), code: ErrorCode::RequestType, message: "no".into() };
    for answer in [SessionAnswer::Failed, SessionAnswer::Wrong(wrong)] {
        let mut form = Form::mount(None);
        let effects = form.answer(answer);
        assert_eq!((form.timer, told(&effects)), (None, None), "nothing follows, nothing is said");
        assert!(form.can_pay());
    }
    // Nor after a pending sale that was settled: the pause is cancelled.
    let mut form = Form::mount(None);
    form.answer(about_order(pending(None, false)));
    assert!(form.timer.is_some());
    assert!(form.settle("OTHER", Settled::NotCharged));
    assert_eq!(form.timer, None, "the pause is cancelled");
    assert!(form.can_pay());
}

#[test]
fn update_is_refused_while_a_sale_is_in_flight_and_after_unmount() {
    let update = || Event::Update(Update { values: card(), ..Default::default() });
    let mut form = Form::new();
    assert!(form.checkout.update_refusal().is_none());
    form.submit();
    let refused = form.checkout.handle(update(), form.clock()).unwrap_err();
    assert_eq!(refused.code, ErrorCode::CheckoutSaleInFlight);
    form.answer(session("INV1"));
    form.sale(accepted("INV1"));
    assert_eq!(form.checkout.update_refusal().map(|refused| refused.code), Some(ErrorCode::CheckoutSaleInFlight));
    form.handle(Event::Unmount);
    assert_eq!(form.checkout.update_refusal().map(|refused| (refused.code, refused.path)), Some((ErrorCode::ArgumentInvalid, "checkout")));
    // A new amount is what the next session is asked for.
    let mut form = Form::new();
    let mut order = config().order;
    order.set("amountCentis", Got::Number(2500.0));
    form.handle(Event::Update(Update { order: Some(order), values: card(), ..Default::default() }));
    form.submit();
    let asked = form.effects.iter().rev().find_map(|effect| match effect {
        Effect::Call(Callback::Ask { request, .. }) => request.number("amountCentis"),
        _ => None,
    });
    assert_eq!(asked, Some(2500.0));
}

#[test]
fn a_new_language_says_again_what_was_said_and_the_marks_in_its_words() {
    let mut form = Form::new();
    let mut values = card();
    values[0] = "4111".into();
    form.handle(Event::Blur { field: Field::Number, to_submit: false, values: values.clone() });
    let russian = russian();
    let update = Update { messages: Some(russian.clone()), language: Some("ru".into()), values, ..Default::default() };
    let effects = form.handle(Event::Update(update));
    let incomplete = russian.error(ErrorCode::NumberIncomplete).to_string();
    assert!(said(&effects).contains(&incomplete), "{effects:?}");
    assert!(effects.contains(&Effect::Mark { field: Field::Number, invalid: true, text: incomplete }));
    assert!(effects.iter().any(|effect| matches!(effect, Effect::Say { language, .. } if language == "ru")));
}

#[test]
fn a_field_is_formatted_marked_when_left_and_the_callbacks_come_last() {
    let mut form = Form::new();
    let mut values: Values = Default::default();
    values[0] = "37828".into();
    let input = |values: &Values, caret, focused| Event::Input {
        field: Field::Number,
        caret,
        deletion: Deletion::None,
        focused,
        values: values.clone(),
    };
    let effects = form.handle(input(&values, 5, true));
    assert_eq!(effects[0], Effect::Show { field: Field::Number, value: "3782 8".into(), caret: Some(6) });
    assert!(effects.contains(&Effect::Brand(Some(BrandId::Amex))));
    let callbacks = calls(&effects);
    assert!(matches!(callbacks[..], [Callback::Brand(Some(_)), Callback::Change(_)]), "{callbacks:?}");
    // Not focused: no caret. Already formatted: nothing shown.
    values[0] = "3782 82".into();
    assert!(!form.handle(input(&values, 7, true)).iter().any(|effect| matches!(effect, Effect::Show { .. })));
    values[0] = "3782822".into();
    let effects = form.handle(input(&values, 7, false));
    assert!(effects.iter().all(|effect| !matches!(effect, Effect::Show { caret: Some(_), .. })));
    // While typing, no error; leaving the field marks it and says it once.
    assert!(!effects.iter().any(|effect| matches!(effect, Effect::Mark { .. })));
    let effects = form.handle(Event::Blur { field: Field::Number, to_submit: false, values: values.clone() });
    assert_eq!(effects[0], Effect::Focused { field: Field::Number, on: false });
    assert!(effects.iter().any(|effect| matches!(effect, Effect::Mark { field: Field::Number, invalid: true, .. })));
    assert_eq!(said(&effects), [Messages::new(Locale::En).error(ErrorCode::NumberIncomplete).to_string()]);
    assert_eq!(calls(&effects).first(), Some(&&Callback::Blur(Field::Number)));
    // Leaving an empty field, or for the submit button, marks nothing.
    let effects = form.handle(Event::Blur { field: Field::Expiry, to_submit: false, values: values.clone() });
    assert!(!effects.iter().any(|effect| matches!(effect, Effect::Mark { .. })));
    values[1] = "12".into();
    let effects = form.handle(Event::Blur { field: Field::Expiry, to_submit: true, values: values.clone() });
    assert!(!effects.iter().any(|effect| matches!(effect, Effect::Mark { .. })));
    assert_eq!(
        form.handle(Event::Focus(Field::Cvv)),
        [Effect::Focused { field: Field::Cvv, on: true }, Effect::Call(Callback::Focus(Field::Cvv))]
    );
    // Fixed: the mark goes, and the live region no longer speaks of it.
    values[0] = "3782 822463 10005".into();
    let effects = form.handle(input(&values, 17, true));
    assert!(effects.contains(&Effect::Mark { field: Field::Number, invalid: false, text: String::new() }));
    assert!(said(&effects).contains(&String::new()));
    // A submit of the half-filled form: every field marked, the first invalid focused, onError.
    let effects = form.handle(Event::Submit(values));
    assert!(effects.contains(&Effect::FocusField(Field::Expiry)));
    let invalid = told(&effects).unwrap();
    assert_eq!((invalid.code, invalid.next), (ErrorCode::CheckoutInvalid, Next::Retry));
    let paths: Vec<&str> = invalid.errors.iter().map(|error| error.path.as_str()).collect();
    assert_eq!(paths, [Field::Expiry.path(), Field::Cvv.path(), Field::Holder.path()]);
    assert!(!began(&effects), "{effects:?}");
    assert_eq!(form.ask, None, "{effects:?}");
}

#[test]
fn each_field_is_formatted_by_its_own_rule_from_what_it_held_when_mounted() {
    // Filled before the checkout came (the browser kept it, or autofill): its digits count as
    // typed, so a backspace that only takes the space takes the digit before it too.
    let mut form = Form::mount(None);
    let mut values: Values = Default::default();
    values[0] = "4111 1".into();
    let mut form2 = Form { checkout: Checkout::new(config(), None), ..form.clone() };
    form2.handle(Event::Start(values.clone()));
    values[0] = "41111".into();
    let backspace = Event::Input { field: Field::Number, caret: 4, deletion: Deletion::Backward, focused: true, values: values.clone() };
    let effects = form2.handle(backspace);
    assert_eq!(effects[0], Effect::Show { field: Field::Number, value: "4111".into(), caret: Some(3) });
    // The expiry as a date, the security code by the number's brand.
    values[1] = "123".into();
    let effects =
        form.handle(Event::Input { field: Field::Expiry, caret: 3, deletion: Deletion::None, focused: true, values: values.clone() });
    assert_eq!(effects[0], Effect::Show { field: Field::Expiry, value: "12 / 3".into(), caret: Some(6) });
    values[2] = "12345".into();
    let effects = form.handle(Event::Input { field: Field::Cvv, caret: 5, deletion: Deletion::None, focused: true, values });
    assert_eq!(effects[0], Effect::Show { field: Field::Cvv, value: "123".into(), caret: Some(3) }, "a Visa's code has three digits");
}

#[test]
fn an_approved_sale_empties_the_number_and_the_security_code_and_names_the_card() {
    let mut form = Form::new();
    form.pay("INV1");
    form.sale(accepted("INV1"));
    let effects = form.status(status("INV1", SaleState::Approved), 1_000.0);
    for field in [Field::Number, Field::Cvv] {
        assert!(effects.contains(&Effect::Show { field, value: String::new(), caret: None }));
        assert!(effects.contains(&Effect::Classes { field, empty: true, valid: false, invalid: false }));
    }
    let success = effects.iter().find_map(|effect| match effect {
        Effect::Call(Callback::Success(success)) => Some(success.clone()),
        _ => None,
    });
    let success = success.unwrap();
    assert_eq!((success.last4.as_str(), success.brand, success.amount_centis), ("1111", Some(BrandId::Visa), Some(1042)));
    assert_eq!(lock(&form), Some((false, false)));
    assert_eq!(effects.last(), Some(&Effect::Call(Callback::Success(success))));
}

#[test]
fn a_saved_card_asks_only_its_security_code_and_pays_by_reference() {
    let saved = connpay_core::checkout::SavedCard { client_card_id: "card-1".into(), brand: BrandId::Amex, last4: "0005".into() };
    let mut form = Form::new();
    form.checkout = Checkout::new(Config { saved: Some(saved), ..config() }, None);
    let mut values: Values = Default::default();
    let effects = form.handle(Event::Start(values.clone()));
    let classes: Vec<Field> = effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Classes { field, .. } => Some(*field),
            _ => None,
        })
        .collect();
    assert_eq!(classes, [Field::Cvv], "only the security code is the payer's to fill");
    form.handle(Event::Ready);
    form.answer(session("UNUSED"));
    values[2] = "123".into();
    assert!(!began(&form.handle(Event::Submit(values.clone()))), "an American Express code has four digits");
    values[2] = "1234".into();
    assert!(began(&form.handle(Event::Submit(values))));
    let effects = form.answer(session("INV1"));
    let body = effects
        .iter()
        .find_map(|effect| match effect {
            Effect::Send { kind: Kind::Sale, http, .. } => Some(http.body.clone()),
            _ => None,
        })
        .unwrap();
    assert!(body.contains("\"reference\"") && body.contains("card-1") && !body.contains("\"number\""), "{body}");
    form.sale(accepted("INV1"));
    let effects = form.status(status("INV1", SaleState::Approved), 1_000.0);
    let emptied: Vec<Field> = effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Classes { field, empty: true, .. } => Some(*field),
            _ => None,
        })
        .collect();
    assert_eq!(emptied, [Field::Cvv], "the fields it does not ask for have no state to show");
    let success = effects.iter().find_map(|effect| match effect {
        Effect::Call(Callback::Success(success)) => Some((success.brand, success.last4.clone())),
        _ => None,
    });
    assert_eq!(success, Some((Some(BrandId::Amex), "0005".into())));
}

#[test]
fn a_sale_session_drives_the_same_rules_without_a_form() {
    let prepared = |invoice: &str| Prepared {
        invoice_id: invoice.into(),
        endpoint_id: "1111".into(),
        access_token: "a".repeat(40),
        http: HttpRequest { method: "POST", url: format!("https://gateway.example/{invoice}"), headers: &[], body: "{}".into() },
    };
    let clock = Clock { now: 0.0, today: today() };
    let mut session = Checkout::session(config());
    let request = |effects: Vec<Effect>| match effects.as_slice() {
        [Effect::Send { request, kind: Kind::Sale, .. }] => *request,
        other => panic!("one perform sale: {other:?}"),
    };
    let first = request(session.handle(Event::Perform(prepared("INV1")), clock).unwrap());
    assert!(session.selling());
    assert_eq!(session.handle(Event::Perform(prepared("INV2")), clock).unwrap_err().code, ErrorCode::SaleInFlight);
    assert_eq!(session.handle(Event::Sale { request: first, outcome: accepted("INV1") }, clock).unwrap(), [], "no polling of its own");
    assert!(!session.selling());
    let (invoice, http, mut answers) = session.status_call().unwrap();
    assert_eq!((invoice, http.url.ends_with("/sale/1111/INV1/status")), ("INV1", true));
    // The session's own polling knows its sale: another invoice's approval is a failed poll.
    assert_eq!(answers.observe(status("INV-other", SaleState::Approved)), PollStep::KeepPolling);
    assert!(matches!(answers.observe(status("INV1", SaleState::Approved)), PollStep::Done(_)));
    let refused = session.handle(Event::Perform(prepared("INV2")), clock).unwrap_err();
    assert_eq!((refused.code, refused.invoice_id.as_deref()), (ErrorCode::SaleAlreadyAccepted, Some("INV1")));
    let final_state = |invoice: &str, state| match status(invoice, state) {
        Outcome::Accepted(status) => Event::Final(status),
        _ => unreachable!(),
    };
    session.handle(final_state("INV1", SaleState::Declined), clock).unwrap();
    assert!(session.status_call().is_none(), "its final state is known: nothing to follow");
    let second = request(session.handle(Event::Perform(prepared("INV2")), clock).unwrap());
    session.handle(Event::Sale { request: second, outcome: Outcome::unknown(UnknownReason::Network) }, clock).unwrap();
    let refused = session.handle(Event::Perform(prepared("INV3")), clock).unwrap_err();
    assert_eq!((refused.code, refused.invoice_id.as_deref()), (ErrorCode::SaleOutcomeUnknown, Some("INV2")));
    assert!(session.handle(Event::Settle { invoice_id: "INV2".into(), fate: Settled::NotCharged }, clock).is_ok());
    let third = request(session.handle(Event::Perform(prepared("INV3")), clock).unwrap());
    session.handle(Event::Sale { request: third, outcome: accepted("INV3") }, clock).unwrap();
    session.handle(final_state("INV3", SaleState::Approved), clock).unwrap();
    assert_eq!(session.handle(Event::Perform(prepared("INV4")), clock).unwrap_err().code, ErrorCode::SaleAlreadyAccepted, "finished");
    assert!(session.handle(Event::Settle { invoice_id: "INV3".into(), fate: Settled::NotCharged }, clock).is_err());
}

/// What the world does next (the payer, the merchant's server, the gateway, the merchant's
/// code): each is one event of the machine, sent through `Checkout::handle` with the id of what
/// the machine awaits (or, for the stale ones, of something it no longer awaits).
#[derive(Clone, Debug)]
enum World {
    /// The payer presses Pay (a click, a double click, Enter: each is one submit).
    Submit,
    /// `getSession` answers the question the checkout asked (the server's order decides how).
    Answer(AnswerKind),
    /// `getSession` throws.
    AnswerFailed,
    SaleAnswer(SaleKind),
    /// A status answer; whether a long time passed before it.
    StatusAnswer(StatusKind, bool),
    /// A late answer for an earlier request (a poll still on its way when that attempt ended).
    StaleStatus(StatusKind),
    /// The pause ends; whether a long time passed.
    Timer(bool),
    /// The 3-D Secure window closed: its button, Escape, the page removing it, a CSP block.
    Close(bool),
    /// The payer opens the bank's window again.
    Reopen,
    /// `allowNewAttempt` with the right invoice, or a wrong one.
    Allow(bool),
    /// `confirmApproval` with the right invoice, or a wrong one (the server found it approved).
    Confirm(bool),
    Unmount,
    /// A new checkout on the same form (after an unmount, or a React effect run again).
    Remount,
}

/// What `getSession` may answer, as far as the server's order allows it.
#[derive(Clone, Copy, Debug)]
enum AnswerKind {
    Session,
    Paid,
    Pending,
    PendingUntil,
}

#[derive(Clone, Copy, Debug)]
enum SaleKind {
    Accepted,
    Declined,
    Refused,
    ServerError,
    NoAnswer,
}

#[derive(Clone, Copy, Debug)]
enum StatusKind {
    Processing,
    Redirect,
    Approved,
    Declined,
    NoAnswer,
    Refused,
}

fn world() -> impl Strategy<Value = World> {
    let sale = prop_oneof![
        Just(SaleKind::Accepted),
        Just(SaleKind::Declined),
        Just(SaleKind::Refused),
        Just(SaleKind::ServerError),
        Just(SaleKind::NoAnswer)
    ];
    let status = || {
        prop_oneof![
            Just(StatusKind::Processing),
            Just(StatusKind::Redirect),
            Just(StatusKind::Approved),
            Just(StatusKind::Declined),
            Just(StatusKind::NoAnswer),
            Just(StatusKind::Refused)
        ]
    };
    let answer = prop_oneof![
        6 => Just(AnswerKind::Session),
        1 => Just(AnswerKind::Paid),
        1 => Just(AnswerKind::Pending),
        1 => Just(AnswerKind::PendingUntil)
    ];
    prop_oneof![
        4 => Just(World::Submit),
        5 => answer.prop_map(World::Answer),
        1 => Just(World::AnswerFailed),
        3 => sale.prop_map(World::SaleAnswer),
        4 => (status(), any::<bool>()).prop_map(|(kind, long)| World::StatusAnswer(kind, long)),
        1 => status().prop_map(World::StaleStatus),
        3 => any::<bool>().prop_map(World::Timer),
        2 => any::<bool>().prop_map(World::Close),
        1 => Just(World::Reopen),
        2 => any::<bool>().prop_map(World::Allow),
        1 => any::<bool>().prop_map(World::Confirm),
        1 => Just(World::Unmount),
        1 => Just(World::Remount),
    ]
}

fn sale_outcome(kind: SaleKind, invoice: &str) -> Outcome<SaleAccepted> {
    match kind {
        SaleKind::Accepted => accepted(invoice),
        SaleKind::Declined => Outcome::Rejected(refused(ErrorCause::Declined)),
        SaleKind::Refused => Outcome::Rejected(refused(ErrorCause::InvalidRequest)),
        SaleKind::ServerError => Outcome::ServerError { status: 502, error: None },
        SaleKind::NoAnswer => Outcome::unknown(UnknownReason::Network),
    }
}

fn status_outcome(kind: StatusKind, invoice: &str) -> Outcome<SaleStatus> {
    match kind {
        StatusKind::Processing => status(invoice, SaleState::Processing),
        StatusKind::Redirect => status(invoice, SaleState::RedirectRequest),
        StatusKind::Approved => status(invoice, SaleState::Approved),
        StatusKind::Declined => status(invoice, SaleState::Declined),
        StatusKind::NoAnswer => Outcome::unknown(UnknownReason::Timeout),
        StatusKind::Refused => Outcome::Rejected(refused(ErrorCause::OrderNotFound)),
    }
}

/// The world's own account of each invoice whose perform sale was sent, kept apart from the
/// machine's: what a second charge would need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// Sent, no answer yet; or accepted and not final (a closed 3-D Secure window included: its
    /// issuer may approve it at any moment of its lifetime).
    Open,
    /// Nothing was charged, and nothing can be any more.
    NotCharged,
    /// Nobody knows, and the merchant has not allowed a new attempt.
    Unknown,
    /// The merchant learnt the fate on its server and allowed a new attempt.
    Released,
    Charged,
}

/// The order's sale made elsewhere (another tab, the page before a reload), as the merchant's
/// server knows it: `getSession` answers by it, and the world changes it only as `getSession`
/// reveals a change (a sale started, approved or ended elsewhere).
fn elsewhere_after(elsewhere: Fate, kind: AnswerKind) -> (Fate, AnswerKind) {
    match (elsewhere, kind) {
        // An order once paid stays paid.
        (Fate::Charged, _) | (_, AnswerKind::Paid) => (Fate::Charged, AnswerKind::Paid),
        (_, AnswerKind::Pending | AnswerKind::PendingUntil) => (Fate::Open, kind),
        // A session: nothing of the order is approved or may still be.
        (_, AnswerKind::Session) => (Fate::NotCharged, kind),
    }
}

fn answer_of(kind: AnswerKind, invoice: &str) -> SessionAnswer {
    let pending = |until: Option<f64>| {
        OrderAnswer::Pending(Pending {
            invoice_id: "ELSEWHERE".into(),
            until,
            redirect_url: Some("https://issuer.example/ELSEWHERE".into()),
        })
    };
    match kind {
        AnswerKind::Session => session(invoice),
        AnswerKind::Paid => about_order(OrderAnswer::Paid("ELSEWHERE".into())),
        AnswerKind::Pending => about_order(pending(None)),
        AnswerKind::PendingUntil => about_order(pending(Some(4.0e12))),
    }
}

/// Runs what the world does against the machine, and checks the rule at every perform sale the
/// machine sends and after every end it reports.
fn run(events: &[World]) -> Result<(), TestCaseError> {
    let mut form = Form::mount(None);
    let mut invoices: Vec<(String, Fate)> = Vec::new();
    let mut elsewhere = Fate::NotCharged;
    // The invoice of the perform sale on its way, and of the sale followed.
    let mut selling: Option<String> = None;
    let mut following: Option<String> = None;
    // Every status request ever sent, for stale answers.
    let mut old_requests: Vec<u32> = Vec::new();
    let mut unmounted = false;
    for event in events {
        let set_fate = |invoices: &mut Vec<(String, Fate)>, invoice: &str, fate: Fate| {
            if let Some(entry) = invoices.iter_mut().find(|(known, _)| known == invoice) {
                entry.1 = fate;
            }
        };
        let before = form.effects.len();
        // What ended (if anything), and the world's account of it.
        let mut ended_fate: Option<Fate> = None;
        match event {
            World::Submit => {
                if began(&form.submit()) {
                    prop_assert!(!unmounted, "an unmounted checkout took a submit");
                }
            }
            World::Answer(kind) => {
                if form.ask.is_some() {
                    let (after, kind) = elsewhere_after(elsewhere, *kind);
                    elsewhere = after;
                    let invoice = format!("INV{}", invoices.len() + 1);
                    let effects = form.answer(answer_of(kind, &invoice));
                    if sends_sale(&effects) {
                        prop_assert!(!unmounted);
                        // The first half of the rule: nothing earlier may still be able to charge.
                        for (earlier, fate) in invoices.iter().chain([("the order elsewhere".to_string(), elsewhere)].iter()) {
                            prop_assert!(
                                matches!(fate, Fate::NotCharged | Fate::Released),
                                "perform sale {invoice} sent while {earlier} is {fate:?}: {events:?}"
                            );
                        }
                        invoices.push((invoice.clone(), Fate::Open));
                        selling = Some(invoice);
                    }
                    if let Some(told) = told(&effects) {
                        if told.code == ErrorCode::SaleDeclined {
                            prop_assert!(matches!(kind, AnswerKind::Session), "a pending sale ends only by a session");
                            ended_fate = Some(Fate::NotCharged);
                        }
                    }
                    if succeeded(&effects).is_some() {
                        prop_assert!(matches!(kind, AnswerKind::Paid));
                    }
                }
            }
            World::AnswerFailed => {
                if form.ask.is_some() {
                    let effects = form.answer(SessionAnswer::Failed);
                    if told(&effects).is_some() {
                        ended_fate = Some(Fate::NotCharged);
                    }
                }
            }
            World::SaleAnswer(kind) => {
                if let (Some((_, Kind::Sale)), Some(invoice)) = (form.request, selling.take()) {
                    let fate = match kind {
                        SaleKind::Accepted => Fate::Open,
                        SaleKind::Declined | SaleKind::Refused => Fate::NotCharged,
                        SaleKind::ServerError | SaleKind::NoAnswer => Fate::Unknown,
                    };
                    set_fate(&mut invoices, &invoice, fate);
                    let effects = form.sale(sale_outcome(*kind, &invoice));
                    if unmounted {
                        prop_assert_eq!(effects, vec![], "an answer after the unmount changes nothing");
                    } else if matches!(kind, SaleKind::Accepted) {
                        prop_assert!(matches!(form.request, Some((_, Kind::Status))), "its status is asked at once");
                        following = Some(invoice);
                    } else {
                        prop_assert!(told(&effects).is_some(), "a sale that ended is reported");
                        ended_fate = Some(fate);
                    }
                }
            }
            World::StatusAnswer(kind, long) => {
                if let (Some((request, Kind::Status)), Some(invoice)) = (form.request, following.clone()) {
                    old_requests.push(request);
                    let now = form.now + if *long { 600_000.0 } else { 1_000.0 };
                    let fate = match kind {
                        StatusKind::Approved => Fate::Charged,
                        StatusKind::Declined => Fate::NotCharged,
                        StatusKind::Refused => Fate::Unknown,
                        // Waiting for the issuer, window or not: it may still approve.
                        _ => Fate::Open,
                    };
                    let effects = form.status(status_outcome(*kind, &invoice), now);
                    if fate != Fate::Open {
                        set_fate(&mut invoices, &invoice, fate);
                        following = None;
                    }
                    match (succeeded(&effects), told(&effects)) {
                        (Some(_), _) => prop_assert_eq!(fate, Fate::Charged),
                        (None, Some(told)) if told.next == Next::Wait => prop_assert_eq!(fate, Fate::Open),
                        (None, Some(_)) => ended_fate = Some(fate),
                        (None, None) => prop_assert!(fate == Fate::Open || unmounted, "{kind:?} went unreported"),
                    }
                }
            }
            World::StaleStatus(kind) => {
                let stale = old_requests.iter().copied().find(|request| form.request.map(|(awaited, _)| awaited) != Some(*request));
                if let Some(request) = stale {
                    let copy = format!("{:?}", form.checkout);
                    let effects = form.checkout.handle(Event::Status { request, outcome: status_outcome(*kind, "STALE") }, form.clock());
                    prop_assert_eq!(effects, Ok(vec![]));
                    prop_assert_eq!(format!("{:?}", form.checkout), copy, "a stale answer changed the checkout");
                }
            }
            World::Timer(long) => {
                if form.timer.is_some() {
                    let now = form.now + if *long { 600_000.0 } else { 2_000.0 };
                    form.wake(now);
                }
            }
            World::Close(blocked) => {
                let effects = form.handle(Event::ChallengeClosed { blocked: *blocked });
                if let Some(told) = told(&effects) {
                    prop_assert!(following.is_some(), "a close told without a followed sale");
                    prop_assert_eq!((told.code, told.next), (ErrorCode::CheckoutChallengeClosed, Next::Wait));
                    prop_assert!(!form.ready(), "Pay stays disabled while the issuer may approve");
                }
            }
            World::Reopen => {
                form.handle(Event::Reopen);
            }
            World::Confirm(right) => {
                let open =
                    invoices.iter().rev().find(|(_, fate)| matches!(fate, Fate::Unknown | Fate::Open)).map(|(invoice, _)| invoice.clone());
                let open = open.or_else(|| (elsewhere == Fate::Open).then(|| "ELSEWHERE".to_string()));
                let named = match (right, &open) {
                    (true, Some(invoice)) => invoice.clone(),
                    _ => "INV-not-this-checkout".to_string(),
                };
                if form.settle(&named, Settled::Approved) {
                    prop_assert!(open.as_deref() == Some(named.as_str()), "confirmed {named}");
                    set_fate(&mut invoices, &named, Fate::Charged);
                    if named == "ELSEWHERE" {
                        elsewhere = Fate::Charged;
                    }
                    (following, selling) = (None, None);
                    prop_assert!(!form.ready(), "finished");
                }
            }
            World::Allow(right) => {
                let unknown =
                    invoices.iter().rev().find(|(_, fate)| matches!(fate, Fate::Unknown | Fate::Open)).map(|(invoice, _)| invoice.clone());
                let unknown = unknown.or_else(|| (elsewhere == Fate::Open).then(|| "ELSEWHERE".to_string()));
                let named = match (right, &unknown) {
                    (true, Some(invoice)) => invoice.clone(),
                    _ => "INV-not-this-checkout".to_string(),
                };
                if form.settle(&named, Settled::NotCharged) {
                    // The merchant's server learnt the invoice's fate: whatever it was, it is
                    // settled, and the merchant chose to let the payer pay again.
                    prop_assert!(unknown.as_deref() == Some(named.as_str()), "allowed {named}");
                    set_fate(&mut invoices, &named, Fate::Released);
                    if named == "ELSEWHERE" {
                        elsewhere = Fate::Released;
                    }
                    if following.as_deref() == Some(named.as_str()) {
                        following = None;
                    }
                    if selling.as_deref() == Some(named.as_str()) {
                        selling = None;
                    }
                }
            }
            World::Unmount | World::Remount => {
                if !unmounted {
                    let effects = form.handle(Event::Unmount);
                    if let Some(told) = told(&effects) {
                        prop_assert_eq!(told.code, ErrorCode::CheckoutUnmounted);
                        prop_assert!(selling.is_some() || following.is_some());
                    }
                    unmounted = true;
                }
                if matches!(event, World::Remount) {
                    // The old checkout's answers never reach the new one.
                    form = Form::mount(form.checkout.take_carried());
                    (selling, following, unmounted) = (None, None, false);
                }
            }
        }
        if unmounted {
            prop_assert!(
                form.effects[before..].iter().all(|effect| matches!(
                    effect,
                    Effect::Restore | Effect::CloseChallenge | Effect::CancelWait(_) | Effect::Call(Callback::Error(_))
                )),
                "written to the page after the unmount: {:?}",
                &form.effects[before..]
            );
        }
        if let Some(fate) = ended_fate {
            let told = told(&form.effects[before..]).expect("an end is reported");
            prop_assert_eq!(told.next, Next::after(told.code));
            match told.next {
                // The second half of the rule: an end that charged nothing never blocks.
                Next::Retry => {
                    prop_assert_eq!(fate, Fate::NotCharged, "{:?} allowed a retry: {:?}", told.code, events);
                    prop_assert!(form.can_pay(), "{:?} blocks the next attempt: {:?}", told.code, events);
                }
                Next::Wait | Next::Merchant => prop_assert!(!form.ready()),
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn no_second_charge_and_no_needless_block(events in prop::collection::vec(world(), 0..60)) {
        run(&events)?;
    }
}

#[test]
fn the_readme_table_lists_every_ending_with_what_it_allows() {
    let readme = include_str!("../../npm/README.md");
    let section = readme.split("### How an attempt ends").nth(1).and_then(|rest| rest.split("What each `next` allows").next()).unwrap();
    let rows: Vec<(String, String)> = section
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(|cell| cell.trim().trim_matches('`')).collect();
            (cells[0].to_string(), cells[cells.len() - 1].to_string())
        })
        .collect();
    let expected: Vec<(String, String)> =
        ENDINGS.iter().map(|ending| (ending.code.as_str().to_string(), ending.next.as_str().to_string())).collect();
    assert_eq!(rows, expected);
}
