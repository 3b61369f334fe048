//! The attempts of one checkout (`connpay_core::checkout::attempts`): the payer's stories as
//! scenarios, then a proptest over any sequence of events that checks both halves of the rule:
//! no second perform sale while an earlier one is in flight, uncertain, approved or pending on
//! the merchant's server (unless the merchant allowed it), not even after the payer closed the
//! 3-D Secure window; and a decline never blocks the next attempt.

use connpay_core::checkout::attempts::{Attempts, Ending, Next, Refusal, Report, Step, ENDINGS};
use connpay_core::checkout::messages::{Locale, Messages};
use connpay_core::checkout::sale::{OrderAnswer, Pending};
use connpay_core::sale::{
    ErrorCause, FailResponse, GatewayError, Outcome, SaleAccepted, SaleState, SaleStatus, SessionToken, UnknownReason,
};
use connpay_core::ErrorCode;
use proptest::prelude::*;

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

/// Begins an attempt and sends its perform sale, as a submit with a valid form does.
fn pay(attempts: &mut Attempts, invoice: &str) {
    assert_eq!(attempts.begin(), Ok(()), "{invoice}: an attempt begins");
    assert!(attempts.send_sale(invoice), "{invoice}: its sale is sent");
}

fn report(step: Step) -> Report {
    match step {
        Step::Report(report) => report,
        other => panic!("expected a report, got {other:?}"),
    }
}

#[test]
fn a_decline_then_a_new_card_is_approved() {
    let mut attempts = Attempts::default();
    pay(&mut attempts, "INV1");
    assert_eq!(attempts.sale_answered("INV1", &accepted("INV1")), Step::Poll);
    assert_eq!(attempts.status_answered("INV1", &status("INV1", SaleState::Processing), false, 0.0), Step::Poll);
    let declined = report(attempts.status_answered("INV1", &status("INV1", SaleState::Declined), false, 0.0));
    assert_eq!((declined.code, declined.next, declined.invoice_id.as_deref()), (ErrorCode::SaleDeclined, Next::Retry, Some("INV1")));
    assert!(attempts.ready(), "the button comes back");
    pay(&mut attempts, "INV2");
    attempts.sale_answered("INV2", &accepted("INV2"));
    assert!(matches!(attempts.status_answered("INV2", &status("INV2", SaleState::Approved), false, 0.0), Step::Approved(_)));
    assert_eq!(attempts.begin(), Err(Refusal::Finished), "approved: further submits do nothing");
}

/// How long a 3-D Secure challenge may still be approved after it opened (`challengeLifetimeMs`).
const LIFETIME: f64 = 1_800_000.0;

/// Pays `invoice`, accepted, and opens its challenge at `opened` (ms).
fn challenged(attempts: &mut Attempts, invoice: &str, opened: f64) {
    pay(attempts, invoice);
    attempts.sale_answered(invoice, &accepted(invoice));
    let challenge = attempts.status_answered(invoice, &status(invoice, SaleState::RedirectRequest), false, opened);
    assert_eq!(challenge, Step::Challenge(format!("https://issuer.example/{invoice}")));
}

#[test]
fn closing_the_challenge_ends_nothing_and_the_final_state_decides() {
    let mut attempts = Attempts::default();
    challenged(&mut attempts, "INV1", 10_000.0);
    let closed = attempts.close_challenge(0.0, LIFETIME).expect("told");
    assert_eq!(
        (closed.code, closed.next, closed.invoice_id.as_deref(), closed.until),
        (ErrorCode::CheckoutChallengeClosed, Next::Wait, Some("INV1"), Some(10_000.0 + LIFETIME))
    );
    assert_eq!(attempts.close_challenge(0.0, LIFETIME), None, "told once a close");
    assert_eq!(attempts.begin(), Err(Refusal::Accepted("INV1".into())), "Pay stays disabled");
    assert!(!attempts.ready());
    // Still waiting for the issuer, long after: still followed, the window not forced open again.
    let waiting = status("INV1", SaleState::RedirectRequest);
    assert_eq!(attempts.status_answered("INV1", &waiting, true, 10_000.0 + 2.0 * LIFETIME), Step::Poll);
    assert_eq!(attempts.reopenable(), Some("https://issuer.example/INV1"));
    // The payer opens the bank's window again, and closes it again: told again, with the same
    // deadline (the challenge's, not the reopening's).
    assert_eq!(attempts.reopen().as_deref(), Some("https://issuer.example/INV1"));
    assert_eq!(attempts.reopenable(), None, "open now");
    assert_eq!(attempts.close_challenge(0.0, LIFETIME).map(|report| report.until), Some(Some(10_000.0 + LIFETIME)));
    // The issuer's own cancel declines it: only now may the payer pay again.
    let declined = report(attempts.status_answered("INV1", &status("INV1", SaleState::Declined), false, 0.0));
    assert_eq!((declined.code, declined.next), (ErrorCode::SaleDeclined, Next::Retry));
    assert_eq!(attempts.reopenable(), None);
    pay(&mut attempts, "INV2");

    // Approved in the banking app after the window was closed: the approval, nothing else sent.
    let mut attempts = Attempts::default();
    challenged(&mut attempts, "INV1", 0.0);
    attempts.close_challenge(0.0, LIFETIME).unwrap();
    assert!(!attempts.send_sale("INV2"));
    assert!(matches!(attempts.status_answered("INV1", &status("INV1", SaleState::Approved), false, 60_000.0), Step::Approved(_)));
    assert_eq!(attempts.begin(), Err(Refusal::Finished));

    // A window that never opened (no safe page, the page's policy refused it) counts as closed,
    // and a closed window's sale unmounted is the merchant's to settle, as any followed sale.
    let mut attempts = Attempts::default();
    pay(&mut attempts, "INV1");
    attempts.sale_answered("INV1", &accepted("INV1"));
    assert_eq!(attempts.close_challenge(500.0, LIFETIME).map(|report| report.until), Some(Some(500.0 + LIFETIME)), "from the close");
    let unmounted = attempts.unmount();
    assert_eq!(unmounted.report.map(|report| report.code), Some(ErrorCode::CheckoutUnmounted));
    let mut remounted = unmounted.carried.unwrap();
    assert!(remounted.begin().is_err());
    assert!(remounted.allow("INV1"));
}

fn pending(until: Option<f64>, redirect: bool) -> OrderAnswer {
    let redirect_url = redirect.then(|| "https://issuer.example/OTHER".to_string());
    OrderAnswer::Pending(Pending { invoice_id: "OTHER".into(), until, redirect_url })
}

#[test]
fn a_paid_order_is_the_approval_and_nothing_is_sent() {
    // Found when the checkout was mounted (after a reload), before the payer typed anything.
    let mut attempts = Attempts::default();
    assert_eq!(attempts.order_answered(&OrderAnswer::Paid("OTHER".into())), Some(Step::Paid("OTHER".into())));
    assert_eq!(attempts.begin(), Err(Refusal::Finished));
    // Answered to a submit: no perform sale.
    let mut attempts = Attempts::default();
    attempts.begin().unwrap();
    assert_eq!(attempts.order_answered(&OrderAnswer::Paid("OTHER".into())), Some(Step::Paid("OTHER".into())));
    assert!(!attempts.send_sale("INV1"));
    assert!(attempts.approved());
    assert_eq!(attempts.order_answered(&OrderAnswer::Session), Some(Step::Stop), "no getSession answer is awaited now");
}

#[test]
fn a_pending_order_is_followed_until_paid_or_ended_unapproved() {
    let mut attempts = Attempts::default();
    attempts.begin().unwrap();
    let told = report(attempts.order_answered(&pending(Some(5_000.0), true)).unwrap());
    assert_eq!(
        (told.code, told.next, told.invoice_id.as_deref(), told.until),
        (ErrorCode::CheckoutPendingUntil, Next::Wait, Some("OTHER"), Some(5_000.0))
    );
    assert!(!attempts.send_sale("INV1"), "nothing new is charged");
    assert!(attempts.pending() && !attempts.ready() && attempts.in_flight());
    assert_eq!(attempts.begin(), Err(Refusal::Accepted("OTHER".into())));
    assert_eq!(attempts.reopenable(), Some("https://issuer.example/OTHER"));
    assert_eq!(attempts.reopen().as_deref(), Some("https://issuer.example/OTHER"));
    assert_eq!(attempts.close_challenge(0.0, LIFETIME), None, "the server's sale: its own until stands");
    assert_eq!(attempts.order_answered(&pending(Some(5_000.0), true)), Some(Step::Poll), "told once");
    let unknown = report(attempts.order_answered(&pending(None, false)).unwrap());
    assert_eq!((unknown.code, unknown.until), (ErrorCode::CheckoutPending, None), "told again when it changed");
    // A session now: that sale ended unapproved, and the payer may pay again (with a new session).
    let ended = report(attempts.order_answered(&OrderAnswer::Session).unwrap());
    assert_eq!((ended.code, ended.next, ended.invoice_id.as_deref()), (ErrorCode::SaleDeclined, Next::Retry, Some("OTHER")));
    assert!(attempts.ready());
    pay(&mut attempts, "INV1");

    // Found at mount, then paid.
    let mut attempts = Attempts::default();
    assert!(matches!(attempts.order_answered(&pending(None, false)), Some(Step::Report(_))));
    assert_eq!(attempts.order_answered(&OrderAnswer::Paid("OTHER".into())), Some(Step::Paid("OTHER".into())));
    assert!(attempts.approved());
    // A session at mount is discarded: the next Pay asks again.
    let mut attempts = Attempts::default();
    assert_eq!(attempts.order_answered(&OrderAnswer::Session), None);
    assert!(attempts.ready());
    // The shop's server settles the pending invoice itself, and says so.
    let mut attempts = Attempts::default();
    attempts.order_answered(&pending(None, false));
    assert!(!attempts.allow("INV9"));
    assert!(attempts.confirm_approval("OTHER"));
    assert!(attempts.approved());
    // Unmounted while pending: the next checkout asks the server again.
    let mut attempts = Attempts::default();
    attempts.order_answered(&pending(None, false));
    let unmounted = attempts.unmount();
    assert!(unmounted.report.is_none() && unmounted.carried.is_none());
}

#[test]
fn the_merchant_may_confirm_an_approval_its_server_learnt() {
    let mut attempts = Attempts::default();
    pay(&mut attempts, "INV1");
    report(attempts.sale_answered("INV1", &Outcome::ServerError { status: 502, error: None }));
    assert!(!attempts.confirm_approval("INV2"), "only the sale in doubt");
    assert!(attempts.confirm_approval("INV1"));
    assert!(attempts.approved());
    assert_eq!(attempts.begin(), Err(Refusal::Finished));
    assert!(!attempts.allow("INV1"), "an approved sale is never released");
}

#[test]
fn an_uncertain_sale_blocks_the_checkout_until_the_merchant_allows_a_new_attempt() {
    for outcome in [
        Outcome::ServerError { status: 502, error: None },
        Outcome::unknown(UnknownReason::Network),
        Outcome::unknown(UnknownReason::Timeout),
    ] {
        let mut attempts = Attempts::default();
        pay(&mut attempts, "INV1");
        let uncertain = report(attempts.sale_answered("INV1", &outcome));
        assert_eq!((uncertain.next, uncertain.invoice_id.as_deref()), (Next::Merchant, Some("INV1")));
        assert_eq!(attempts.begin(), Err(Refusal::Unsettled(uncertain.clone())));
        assert!(!attempts.ready());
        assert!(!attempts.allow("INV2"), "only by naming the invoice");
        assert!(attempts.allow("INV1"));
        pay(&mut attempts, "INV2");
    }
}

#[test]
fn a_long_wait_is_reported_once_and_the_final_state_still_decides() {
    let mut attempts = Attempts::default();
    pay(&mut attempts, "INV1");
    attempts.sale_answered("INV1", &accepted("INV1"));
    let processing = status("INV1", SaleState::Processing);
    let pending = report(attempts.status_answered("INV1", &processing, true, 0.0));
    assert_eq!((pending.code, pending.next), (ErrorCode::StatusTimeout, Next::Wait));
    assert_eq!(attempts.status_answered("INV1", &processing, true, 0.0), Step::Poll, "reported once; still asking");
    assert_eq!(attempts.begin(), Err(Refusal::Accepted("INV1".into())));
    assert!(matches!(attempts.status_answered("INV1", &status("INV1", SaleState::Approved), true, 0.0), Step::Approved(_)));
}

#[test]
fn a_refused_status_request_leaves_the_sale_to_the_merchant() {
    let mut attempts = Attempts::default();
    pay(&mut attempts, "INV1");
    attempts.sale_answered("INV1", &accepted("INV1"));
    let refused = report(attempts.status_answered("INV1", &Outcome::Rejected(refused(ErrorCause::OrderNotFound)), false, 0.0));
    assert_eq!((refused.code, refused.next), (ErrorCode::StatusRejected, Next::Merchant));
    assert!(matches!(attempts.begin(), Err(Refusal::Unsettled(_))));
}

#[test]
fn a_refused_or_failed_start_charges_nothing() {
    let mut attempts = Attempts::default();
    attempts.begin().unwrap();
    assert_eq!(attempts.begin(), Err(Refusal::InFlight), "a second submit while asking for the session");
    let failed = attempts.abandon(ErrorCode::CheckoutSession).unwrap();
    assert_eq!((failed.next, failed.invoice_id), (Next::Retry, None));
    // Whatever failed before the sale was sent (here the browser's clock), it charged nothing.
    attempts.begin().unwrap();
    let broken = attempts.abandon(ErrorCode::ArgumentInvalid).unwrap();
    assert_eq!((broken.code, broken.next), (ErrorCode::Internal, Next::Retry));
    pay(&mut attempts, "INV1");
    let rejected = report(attempts.sale_answered("INV1", &Outcome::Rejected(refused(ErrorCause::InvalidRequest))));
    assert_eq!((rejected.code, rejected.next), (ErrorCode::SaleRejected, Next::Retry));
    pay(&mut attempts, "INV2");
    let declined = report(attempts.sale_answered("INV2", &Outcome::Rejected(refused(ErrorCause::Declined))));
    assert_eq!((declined.code, declined.next), (ErrorCode::SaleDeclined, Next::Retry));
    assert!(attempts.ready());
}

#[test]
fn unmounting_reports_a_sale_on_its_way_and_stops_everything() {
    let mut attempts = Attempts::default();
    attempts.begin().unwrap();
    let unmounted = attempts.unmount();
    assert_eq!((unmounted.report, unmounted.carried.is_none()), (None, true), "no sale was sent: a new mount starts afresh");
    assert!(!attempts.send_sale("INV1"), "the session came back after the unmount: nothing is sent");

    let mut attempts = Attempts::default();
    pay(&mut attempts, "INV1");
    let unmounted = attempts.unmount();
    let report = unmounted.report.unwrap();
    assert_eq!((report.code, report.next, report.invoice_id.as_deref()), (ErrorCode::CheckoutUnmounted, Next::Merchant, Some("INV1")));
    assert_eq!(attempts.sale_answered("INV1", &accepted("INV1")), Step::Stop, "its answer is not reported");
    assert_eq!(attempts.begin(), Err(Refusal::Finished));
    assert!(attempts.unmount().report.is_none(), "reported once");

    // The next checkout on the form (a React effect run again) inherits the unsettled sale.
    let mut remounted = unmounted.carried.unwrap();
    assert_eq!(remounted.unsettled(), Some(&report));
    assert_eq!(remounted.begin(), Err(Refusal::Unsettled(report)));
    assert!(remounted.allow("INV1"));
    pay(&mut remounted, "INV2");
}

#[test]
fn an_approved_form_stays_approved_when_it_is_mounted_again() {
    let mut attempts = Attempts::default();
    pay(&mut attempts, "INV1");
    attempts.sale_answered("INV1", &accepted("INV1"));
    attempts.status_answered("INV1", &status("INV1", SaleState::Approved), false, 0.0);
    let mut remounted = attempts.unmount().carried.unwrap();
    assert!(remounted.approved());
    assert_eq!(remounted.begin(), Err(Refusal::Finished));
}

#[test]
fn every_uncertain_message_tells_the_payer_not_to_pay_again() {
    for locale in [Locale::En, Locale::Ru] {
        let messages = Messages::new(locale);
        for &Ending { code, next, .. } in ENDINGS {
            let text = messages.error(code).to_lowercase();
            let (try_again, do_not) = match locale {
                Locale::En => ("try again", "do not pay again"),
                Locale::Ru => ("попробуйте ещё раз", "не платите повторно"),
            };
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

/// What the world does next: the payer, the merchant's server, the gateway, the merchant's code.
#[derive(Clone, Debug)]
enum Event {
    /// The payer presses Pay (a click, a double click, Enter: each is one submit).
    Submit,
    /// `getSession` answers the submit (the server's order decides whether with a session).
    SessionReady(AnswerKind),
    SessionFailed,
    /// `getSession` answers what the checkout asked without a submit: when it was mounted, or
    /// while it follows a sale the server says is pending.
    OrderAnswer(AnswerKind),
    SaleAnswer(SaleKind),
    /// A status answer; whether the longest wait has passed; whether a long time passed before it.
    StatusAnswer(StatusKind, bool, bool),
    /// A late answer for an earlier invoice (a poll still on its way when that attempt ended).
    StaleStatus(StatusKind),
    /// The 3-D Secure window closed: its button, Escape, the page removing it, a CSP block.
    Close,
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

fn event() -> impl Strategy<Value = Event> {
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
    let answer = || {
        prop_oneof![
            6 => Just(AnswerKind::Session),
            1 => Just(AnswerKind::Paid),
            1 => Just(AnswerKind::Pending),
            1 => Just(AnswerKind::PendingUntil)
        ]
    };
    prop_oneof![
        4 => Just(Event::Submit),
        3 => answer().prop_map(Event::SessionReady),
        1 => Just(Event::SessionFailed),
        2 => answer().prop_map(Event::OrderAnswer),
        3 => sale.prop_map(Event::SaleAnswer),
        4 => (status(), any::<bool>(), any::<bool>()).prop_map(|(kind, late, long)| Event::StatusAnswer(kind, late, long)),
        1 => status().prop_map(Event::StaleStatus),
        2 => Just(Event::Close),
        1 => Just(Event::Reopen),
        2 => any::<bool>().prop_map(Event::Allow),
        1 => any::<bool>().prop_map(Event::Confirm),
        1 => Just(Event::Unmount),
        1 => Just(Event::Remount),
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

fn answer_of(kind: AnswerKind) -> OrderAnswer {
    match kind {
        AnswerKind::Session => OrderAnswer::Session,
        AnswerKind::Paid => OrderAnswer::Paid("ELSEWHERE".into()),
        AnswerKind::Pending => OrderAnswer::Pending(Pending { invoice_id: "ELSEWHERE".into(), until: None, redirect_url: None }),
        AnswerKind::PendingUntil => OrderAnswer::Pending(Pending {
            invoice_id: "ELSEWHERE".into(),
            until: Some(9e12),
            redirect_url: Some("https://issuer.example/ELSEWHERE".into()),
        }),
    }
}

/// Runs `events` against the machine the way the checkout's flow does, and checks the rule at
/// every perform sale and after every end that charged nothing.
fn run(events: &[Event]) -> Result<(), TestCaseError> {
    let mut attempts = Attempts::default();
    let mut invoices: Vec<(String, Fate)> = Vec::new();
    let mut elsewhere = Fate::NotCharged;
    let mut asking_session = false;
    let mut selling: Option<String> = None;
    let mut following: Option<String> = None;
    // When the followed sale's challenge opened, and whether its window is closed.
    let mut opened: Option<f64> = None;
    let mut closed = false;
    let mut now = 0.0;
    let mut unmounted = false;
    // What the form keeps for its next checkout, from the last unmount.
    let mut carried: Option<Attempts> = None;
    for event in events {
        let fate_of = |invoices: &mut Vec<(String, Fate)>, invoice: &str, fate: Fate| {
            if let Some(entry) = invoices.iter_mut().find(|(known, _)| known == invoice) {
                entry.1 = fate;
            }
        };
        // What ended (if anything), for the "never blocks" half.
        let mut ended: Option<(Report, Fate)> = None;
        match event {
            Event::Submit => {
                if attempts.begin().is_ok() {
                    prop_assert!(!unmounted, "an unmounted checkout took a submit");
                    asking_session = true;
                }
            }
            Event::SessionReady(kind) if asking_session => {
                asking_session = false;
                let (after, kind) = elsewhere_after(elsewhere, *kind);
                elsewhere = after;
                match attempts.order_answered(&answer_of(kind)) {
                    Some(Step::Paid(_)) => prop_assert!(matches!(kind, AnswerKind::Paid) && attempts.approved()),
                    Some(Step::Report(report)) => {
                        prop_assert!(matches!(kind, AnswerKind::Pending | AnswerKind::PendingUntil) && report.next == Next::Wait);
                        prop_assert!(attempts.pending());
                    }
                    Some(Step::Stop) => prop_assert!(unmounted || !attempts.starting()),
                    Some(other) => prop_assert!(false, "a submit's getSession answered with {other:?}"),
                    None => {
                        prop_assert!(matches!(kind, AnswerKind::Session));
                        let invoice = format!("INV{}", invoices.len() + 1);
                        if attempts.send_sale(&invoice) {
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
                    }
                }
            }
            Event::SessionFailed if asking_session => {
                asking_session = false;
                if let Some(report) = attempts.abandon(ErrorCode::CheckoutSession) {
                    ended = Some((report, Fate::NotCharged));
                }
            }
            Event::OrderAnswer(kind) => {
                // Only while the checkout asks: at mount (ready, or a submit waiting for the
                // answer) or following a pending sale; never while a sale of its own is open.
                let asks = attempts.ready() || attempts.starting() || attempts.pending();
                if asks && !unmounted {
                    let (after, kind) = elsewhere_after(elsewhere, *kind);
                    let was_pending = attempts.pending();
                    let starting = attempts.starting();
                    elsewhere = after;
                    match attempts.order_answered(&answer_of(kind)) {
                        Some(Step::Paid(_)) => prop_assert!(matches!(kind, AnswerKind::Paid) && attempts.approved()),
                        Some(Step::Report(report)) if report.next == Next::Wait => prop_assert!(attempts.pending()),
                        Some(Step::Report(report)) => {
                            prop_assert!(was_pending && matches!(kind, AnswerKind::Session));
                            ended = Some((report, Fate::NotCharged));
                        }
                        Some(Step::Poll) => prop_assert!(was_pending && attempts.pending()),
                        // A session at mount is discarded; a submit waiting goes on asking.
                        None => prop_assert!(!was_pending && matches!(kind, AnswerKind::Session) && attempts.starting() == starting),
                        Some(other) => prop_assert!(false, "getSession answered with {other:?}"),
                    }
                    if !attempts.starting() {
                        asking_session = false;
                    }
                }
            }
            Event::SaleAnswer(kind) => {
                if let Some(invoice) = selling.take() {
                    let fate = match kind {
                        SaleKind::Accepted => Fate::Open,
                        SaleKind::Declined | SaleKind::Refused => Fate::NotCharged,
                        SaleKind::ServerError | SaleKind::NoAnswer => Fate::Unknown,
                    };
                    fate_of(&mut invoices, &invoice, fate);
                    match attempts.sale_answered(&invoice, &sale_outcome(*kind, &invoice)) {
                        Step::Poll => {
                            prop_assert!(matches!(kind, SaleKind::Accepted));
                            following = Some(invoice);
                            (opened, closed) = (None, false);
                        }
                        Step::Report(report) => ended = Some((report, fate)),
                        Step::Stop => prop_assert!(unmounted, "a sale's answer ignored while mounted"),
                        other => prop_assert!(false, "perform sale answered with {other:?}"),
                    }
                }
            }
            Event::StatusAnswer(kind, late, long) => {
                now += if *long { 600_000.0 } else { 1_000.0 };
                if let Some(invoice) = following.clone() {
                    prop_assert!(attempts.following(&invoice) || unmounted);
                    let fate = match kind {
                        StatusKind::Approved => Fate::Charged,
                        StatusKind::Declined => Fate::NotCharged,
                        StatusKind::Refused => Fate::Unknown,
                        // Waiting for the issuer, window or not: it may still approve.
                        _ => Fate::Open,
                    };
                    match attempts.status_answered(&invoice, &status_outcome(*kind, &invoice), *late, now) {
                        Step::Poll => prop_assert!(fate == Fate::Open),
                        Step::Challenge(_) => {
                            prop_assert!(!closed && matches!(kind, StatusKind::Redirect), "a closed window opened by itself");
                            opened = opened.or(Some(now));
                        }
                        Step::Approved(_) => {
                            fate_of(&mut invoices, &invoice, Fate::Charged);
                            following = None;
                        }
                        Step::Report(report) if report.next == Next::Wait => {
                            prop_assert!(*late && fate == Fate::Open);
                        }
                        Step::Report(report) => {
                            fate_of(&mut invoices, &invoice, fate);
                            following = None;
                            ended = Some((report, fate));
                        }
                        Step::Paid(_) => prop_assert!(false, "a status answer is not the server's"),
                        Step::Stop => {
                            prop_assert!(unmounted, "a status ignored while following");
                            following = None;
                        }
                    }
                    if matches!(kind, StatusKind::Redirect) && attempts.following(&invoice) {
                        opened = opened.or(Some(now));
                    }
                }
            }
            Event::StaleStatus(kind) => {
                let stale = invoices.iter().map(|(invoice, _)| invoice.clone()).find(|invoice| Some(invoice) != following.as_ref());
                if let Some(invoice) = stale {
                    let before = format!("{attempts:?}");
                    prop_assert_eq!(attempts.status_answered(&invoice, &status_outcome(*kind, &invoice), true, now), Step::Stop);
                    prop_assert_eq!(format!("{attempts:?}"), before, "a stale answer changed the checkout");
                }
            }
            Event::Close => {
                if let Some(report) = attempts.close_challenge(now, LIFETIME) {
                    prop_assert!(following.is_some() && !closed);
                    prop_assert_eq!((report.code, report.next), (ErrorCode::CheckoutChallengeClosed, Next::Wait));
                    prop_assert_eq!(report.until, Some(opened.unwrap_or(now) + LIFETIME), "measured from when the challenge opened");
                    prop_assert!(!attempts.ready(), "Pay stays disabled while the issuer may approve");
                    closed = true;
                }
            }
            Event::Reopen => {
                if attempts.reopen().is_some() {
                    prop_assert!((following.is_some() && closed && opened.is_some()) || attempts.pending());
                    if following.is_some() {
                        closed = false;
                    }
                }
            }
            Event::Confirm(right) => {
                let open =
                    invoices.iter().rev().find(|(_, fate)| matches!(fate, Fate::Unknown | Fate::Open)).map(|(invoice, _)| invoice.clone());
                let open = open.or_else(|| attempts.pending().then(|| "ELSEWHERE".to_string()));
                let named = match (right, &open) {
                    (true, Some(invoice)) => invoice.clone(),
                    _ => "INV-not-this-checkout".to_string(),
                };
                if attempts.confirm_approval(&named) {
                    prop_assert!(open.as_deref() == Some(named.as_str()), "confirmed {named}");
                    fate_of(&mut invoices, &named, Fate::Charged);
                    if named == "ELSEWHERE" {
                        elsewhere = Fate::Charged;
                    }
                    following = None;
                    prop_assert!(attempts.clone().begin().is_err(), "finished");
                }
            }
            Event::Allow(right) => {
                let unknown =
                    invoices.iter().rev().find(|(_, fate)| matches!(fate, Fate::Unknown | Fate::Open)).map(|(invoice, _)| invoice.clone());
                let named = match (right, &unknown) {
                    (true, Some(invoice)) => invoice.clone(),
                    _ => "INV-not-this-checkout".to_string(),
                };
                if attempts.allow(&named) {
                    // The merchant's server learnt the invoice's fate: whatever it was, it is
                    // settled, and the merchant chose to let the payer pay again.
                    prop_assert!(unknown.as_deref() == Some(named.as_str()), "allowed {named}");
                    fate_of(&mut invoices, &named, Fate::Released);
                    if following.as_deref() == Some(named.as_str()) {
                        following = None;
                    }
                }
            }
            Event::Unmount | Event::Remount => {
                if !unmounted {
                    let gone = attempts.unmount();
                    if let Some(report) = gone.report {
                        prop_assert_eq!(report.code, ErrorCode::CheckoutUnmounted);
                        prop_assert!(selling.is_some() || following.is_some());
                    }
                    carried = gone.carried;
                    unmounted = true;
                }
                if matches!(event, Event::Remount) {
                    // The old checkout's answers never reach the new one.
                    attempts = carried.take().unwrap_or_default();
                    (asking_session, selling, following, opened, closed, unmounted) = (false, None, None, None, false, false);
                }
            }
            Event::SessionReady(_) | Event::SessionFailed => {}
        }
        if let Some((report, fate)) = ended {
            prop_assert_eq!(report.next, Next::after(report.code));
            match report.next {
                // The second half of the rule: an end that charged nothing never blocks.
                Next::Retry => {
                    prop_assert_eq!(fate, Fate::NotCharged, "{:?} allowed a retry: {:?}", report.code, events);
                    prop_assert!(attempts.ready());
                    let mut probe = attempts.clone();
                    prop_assert!(probe.begin().is_ok());
                    prop_assert_eq!(probe.order_answered(&OrderAnswer::Session), None);
                    prop_assert!(probe.send_sale("INV-probe"));
                }
                Next::Wait | Next::Merchant => {
                    prop_assert!(!attempts.ready());
                    prop_assert!(attempts.clone().begin().is_err());
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn no_second_charge_and_no_needless_block(events in prop::collection::vec(event(), 0..60)) {
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
