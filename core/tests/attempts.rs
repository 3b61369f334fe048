//! The attempts of one checkout (`connpay_core::checkout::attempts`): the payer's stories as
//! scenarios, then a proptest over any sequence of events that checks both halves of the rule:
//! no second perform sale while an earlier one is in flight, uncertain or approved (unless the
//! merchant allowed it), and a decline or a cancelled 3-D Secure never blocks the next attempt.

use connpay_core::checkout::attempts::{Attempts, Ending, Next, Refusal, Report, Step, CANCEL_GRACE_MS, ENDINGS};
use connpay_core::checkout::messages::{Locale, Messages};
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

#[test]
fn a_cancelled_challenge_ends_only_once_the_gateway_still_waits_for_the_issuer_after_the_grace() {
    let mut attempts = Attempts::default();
    pay(&mut attempts, "INV1");
    attempts.sale_answered("INV1", &accepted("INV1"));
    let challenge = attempts.status_answered("INV1", &status("INV1", SaleState::RedirectRequest), false, 0.0);
    assert_eq!(challenge, Step::Challenge("https://issuer.example/INV1".into()));
    assert!(attempts.cancel(10_000.0));
    assert!(!attempts.cancel(10_500.0), "once");
    // Right after the cancel the gateway may not have heard the issuer yet: ask again…
    let waiting = status("INV1", SaleState::RedirectRequest);
    assert_eq!(attempts.status_answered("INV1", &waiting, false, 10_100.0), Step::Poll);
    assert_eq!(attempts.status_answered("INV1", &status("INV1", SaleState::Processing), false, 12_000.0), Step::Poll);
    // …still waiting for the issuer, whose page is gone, after the grace: cancelled, nothing charged.
    let cancelled = report(attempts.status_answered("INV1", &waiting, false, 10_000.0 + CANCEL_GRACE_MS));
    assert_eq!((cancelled.code, cancelled.next), (ErrorCode::CheckoutCancelled, Next::Retry));
    attempts.begin().unwrap();
    assert_eq!(attempts.rechecked("INV1", Some(&waiting)), None, "asked once more before paying again");
    assert!(attempts.send_sale("INV2"));

    // The payer confirmed in the frame just before Cancel, and the answer arrives within the
    // grace: the approval is reported, not lost.
    let mut attempts = Attempts::default();
    pay(&mut attempts, "INV1");
    attempts.sale_answered("INV1", &accepted("INV1"));
    attempts.cancel(0.0);
    assert_eq!(attempts.status_answered("INV1", &status("INV1", SaleState::RedirectRequest), false, 1_500.0), Step::Poll);
    assert!(matches!(attempts.status_answered("INV1", &status("INV1", SaleState::Approved), false, 3_000.0), Step::Approved(_)));
}

#[test]
fn a_cancelled_challenge_approved_later_outside_the_window_stops_the_next_sale() {
    let cancelled = |attempts: &mut Attempts| {
        pay(attempts, "INV1");
        attempts.sale_answered("INV1", &accepted("INV1"));
        attempts.cancel(0.0);
        report(attempts.status_answered("INV1", &status("INV1", SaleState::RedirectRequest), false, CANCEL_GRACE_MS));
    };
    // The payer approved in the banking app, then pressed Pay again: that approval is found
    // before the second sale is sent, and nothing is sent.
    let mut attempts = Attempts::default();
    cancelled(&mut attempts);
    attempts.begin().unwrap();
    assert!(!attempts.send_sale("INV2"), "not before the cancelled invoice is asked about");
    assert_eq!(attempts.recheck(), Some("INV1"));
    assert!(matches!(attempts.rechecked("INV1", Some(&status("INV1", SaleState::Approved))), Some(Step::Approved(_))));
    assert!(attempts.approved());
    assert!(!attempts.send_sale("INV2"));

    // Still waiting for the issuer: the new attempt goes on, and asks once only.
    let mut attempts = Attempts::default();
    cancelled(&mut attempts);
    attempts.begin().unwrap();
    assert_eq!(attempts.rechecked("INV1", Some(&status("INV1", SaleState::RedirectRequest))), None);
    assert_eq!(attempts.recheck(), None);
    assert!(attempts.send_sale("INV2"));

    // Declined meanwhile: nothing was charged, the new attempt goes on.
    let mut attempts = Attempts::default();
    cancelled(&mut attempts);
    attempts.begin().unwrap();
    assert_eq!(attempts.rechecked("INV1", Some(&status("INV1", SaleState::Declined))), None);
    assert!(attempts.send_sale("INV2"));

    // Approved in the banking app and still processing, or the status request got no answer
    // (found by a review): the cancelled sale may yet be charged, so it is followed again and
    // nothing new is sent until its final state.
    for answer in [status("INV1", SaleState::Processing), Outcome::unknown(UnknownReason::Timeout), Outcome::ServerError { status: 502, error: None }] {
        let mut attempts = Attempts::default();
        cancelled(&mut attempts);
        attempts.begin().unwrap();
        assert_eq!(attempts.rechecked("INV1", Some(&answer)), Some(Step::Poll));
        assert!(!attempts.send_sale("INV2"));
        assert!(attempts.following("INV1"));
        assert!(matches!(attempts.status_answered("INV1", &status("INV1", SaleState::Approved), false, 0.0), Step::Approved(_)));
    }

    // The cancelled invoice cannot be asked at all: its fate is the merchant's to settle.
    let mut attempts = Attempts::default();
    cancelled(&mut attempts);
    attempts.begin().unwrap();
    let unsettled = report(attempts.rechecked("INV1", None).unwrap());
    assert_eq!((unsettled.code, unsettled.next, unsettled.invoice_id.as_deref()), (ErrorCode::SaleOutcomeUnknown, Next::Merchant, Some("INV1")));
    assert!(!attempts.send_sale("INV2"));
    assert!(attempts.begin().is_err());

    // The checkout mounted again on the same form (found by the proptest): the cancelled
    // invoice is still asked about before the next checkout's first sale.
    let mut attempts = Attempts::default();
    cancelled(&mut attempts);
    let mut next = attempts.unmount().carried.expect("the cancelled challenge is carried");
    next.begin().unwrap();
    assert!(!next.send_sale("INV2"));
    assert_eq!(next.recheck(), Some("INV1"));
    assert!(matches!(next.rechecked("INV1", Some(&status("INV1", SaleState::Approved))), Some(Step::Approved(_))));
    assert!(next.approved());
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
    SessionReady,
    SessionFailed,
    SaleAnswer(SaleKind),
    /// A status answer; whether the longest wait has passed; whether a long time passed before it.
    StatusAnswer(StatusKind, bool, bool),
    /// A late answer for an earlier invoice (a poll still on its way when that attempt ended).
    StaleStatus(StatusKind),
    /// Cancel or Escape on the 3-D Secure window.
    Cancel,
    /// `allowNewAttempt` with the right invoice, or a wrong one.
    Allow(bool),
    /// `confirmApproval` with the right invoice, or a wrong one (the server found it approved).
    Confirm(bool),
    Unmount,
    /// A new checkout on the same form (after an unmount, or a React effect run again).
    Remount,
    /// The issuer of the last cancelled challenge approves it after all, outside the window,
    /// before the payer pays again.
    LateApproval,
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
    prop_oneof![
        4 => Just(Event::Submit),
        3 => Just(Event::SessionReady),
        1 => Just(Event::SessionFailed),
        3 => sale.prop_map(Event::SaleAnswer),
        4 => (status(), any::<bool>(), any::<bool>()).prop_map(|(kind, late, long)| Event::StatusAnswer(kind, late, long)),
        1 => status().prop_map(Event::StaleStatus),
        2 => Just(Event::Cancel),
        2 => any::<bool>().prop_map(Event::Allow),
        1 => any::<bool>().prop_map(Event::Confirm),
        1 => Just(Event::Unmount),
        1 => Just(Event::Remount),
        1 => Just(Event::LateApproval),
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

/// A fact of the world, kept apart from the machine's constant: an answer the payer gave the
/// issuer just before closing its window reaches the gateway up to this long after.
const ANSWER_IN_FLIGHT_MS: f64 = 3_000.0;

/// The world's own account of each invoice whose perform sale was sent, kept apart from the
/// machine's: what a second charge would need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// Sent, no answer yet; or accepted and not final.
    Open,
    /// Nothing was charged, and nothing can be any more.
    NotCharged,
    /// Nobody knows, and the merchant has not allowed a new attempt.
    Unknown,
    /// The merchant learnt the fate on its server and allowed a new attempt.
    Released,
    Charged,
}

/// Runs `events` against the machine the way the checkout's flow does, and checks the rule at
/// every perform sale and after every end that charged nothing.
fn run(events: &[Event]) -> Result<(), TestCaseError> {
    let mut attempts = Attempts::default();
    let mut invoices: Vec<(String, Fate)> = Vec::new();
    let mut asking_session = false;
    let mut selling: Option<String> = None;
    let mut following: Option<String> = None;
    let mut cancelled: Option<f64> = None;
    let mut now = 0.0;
    let mut unmounted = false;
    // What the form keeps for its next checkout, from the last unmount.
    let mut carried: Option<Attempts> = None;
    // The last cancelled challenge that no new perform sale has been sent after: its issuer may
    // still approve it (`LateApproval`), and the checkout must find out before paying again.
    let mut latest_cancel: Option<String> = None;
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
            Event::SessionReady if asking_session => {
                asking_session = false;
                if let Some(cancelled) = attempts.recheck().map(str::to_string) {
                    let charged = invoices.iter().any(|(invoice, fate)| *invoice == cancelled && *fate == Fate::Charged);
                    let answer = status(&cancelled, if charged { SaleState::Approved } else { SaleState::RedirectRequest });
                    if attempts.rechecked(&cancelled, Some(&answer)).is_some() {
                        prop_assert!(charged);
                        continue;
                    }
                }
                let invoice = format!("INV{}", invoices.len() + 1);
                if attempts.send_sale(&invoice) {
                    // The first half of the rule: nothing earlier may still be able to charge.
                    for (earlier, fate) in &invoices {
                        prop_assert!(
                            matches!(fate, Fate::NotCharged | Fate::Released),
                            "perform sale {invoice} sent while {earlier} is {fate:?}: {events:?}"
                        );
                    }
                    invoices.push((invoice.clone(), Fate::Open));
                    selling = Some(invoice);
                    // From now on a late approval of the cancelled one is the residual risk the
                    // README states; the world model stops producing it.
                    latest_cancel = None;
                }
            }
            Event::SessionFailed if asking_session => {
                asking_session = false;
                if let Some(report) = attempts.abandon(ErrorCode::CheckoutSession) {
                    ended = Some((report, Fate::NotCharged));
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
                            cancelled = None;
                        }
                        Step::Report(report) => ended = Some((report, fate)),
                        Step::Stop => prop_assert!(unmounted, "a sale's answer ignored while mounted"),
                        other => prop_assert!(false, "perform sale answered with {other:?}"),
                    }
                }
            }
            Event::StatusAnswer(kind, late, long) => {
                now += if *long { 6_000.0 } else { 1_000.0 };
                if let Some(invoice) = following.clone() {
                    prop_assert!(attempts.following(&invoice) || unmounted);
                    let fate = match kind {
                        StatusKind::Approved => Fate::Charged,
                        StatusKind::Declined => Fate::NotCharged,
                        // The issuer's page is gone, and no answer given before it went can still
                        // be on its way: the challenge can no longer be answered.
                        StatusKind::Redirect if cancelled.is_some_and(|at| now - at >= ANSWER_IN_FLIGHT_MS) => Fate::NotCharged,
                        StatusKind::Refused => Fate::Unknown,
                        _ => Fate::Open,
                    };
                    match attempts.status_answered(&invoice, &status_outcome(*kind, &invoice), *late, now) {
                        // Asking longer than needed after a cancel is safe.
                        Step::Poll => prop_assert!(fate == Fate::Open || (matches!(kind, StatusKind::Redirect) && cancelled.is_some())),
                        Step::Challenge(_) => prop_assert!(cancelled.is_none()),
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
                            if report.code == ErrorCode::CheckoutCancelled {
                                latest_cancel = Some(invoice.clone());
                            }
                            ended = Some((report, fate));
                        }
                        Step::Stop => {
                            prop_assert!(unmounted, "a status ignored while following");
                            following = None;
                        }
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
            Event::Cancel => {
                if attempts.cancel(now) {
                    prop_assert!(following.is_some());
                    cancelled = Some(now);
                }
            }
            Event::Confirm(right) => {
                let open = invoices.iter().rev().find(|(_, fate)| matches!(fate, Fate::Unknown | Fate::Open)).map(|(invoice, _)| invoice.clone());
                let named = match (right, &open) {
                    (true, Some(invoice)) => invoice.clone(),
                    _ => "INV-not-this-checkout".to_string(),
                };
                if attempts.confirm_approval(&named) {
                    prop_assert!(open.as_deref() == Some(named.as_str()), "confirmed {named}");
                    fate_of(&mut invoices, &named, Fate::Charged);
                    following = None;
                    prop_assert!(attempts.clone().begin().is_err(), "finished");
                }
            }
            Event::Allow(right) => {
                let unknown = invoices.iter().rev().find(|(_, fate)| matches!(fate, Fate::Unknown | Fate::Open)).map(|(invoice, _)| invoice.clone());
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
                    (asking_session, selling, following, cancelled, unmounted) = (false, None, None, None, false);
                }
            }
            Event::LateApproval => {
                if let Some(cancelled) = attempts.recheck().map(str::to_string).or_else(|| latest_cancel.clone()) {
                    if latest_cancel.as_deref() == Some(cancelled.as_str()) {
                        fate_of(&mut invoices, &cancelled, Fate::Charged);
                        latest_cancel = None;
                    }
                }
            }
            Event::SessionReady | Event::SessionFailed => {}
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
                    if let Some(cancelled) = probe.recheck().map(str::to_string) {
                        probe.rechecked(&cancelled, Some(&status(&cancelled, SaleState::RedirectRequest)));
                    }
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
