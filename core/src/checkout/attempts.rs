//! The attempts of one checkout: how each attempt to pay can end, and what that allows next.
//!
//! Money moves once. An attempt that charged nothing (a decline, a refusal, a cancelled 3-D
//! Secure window, a `getSession` that failed) leaves the payer free to pay again, with a new
//! invoice. An attempt whose outcome is unknown (no answer, a 5xx, a status the gateway refuses
//! to give) blocks every new sale from this checkout until the merchant's code, having learnt the
//! invoice's fate on its server, allows one; where the checkout holds the sale's session token it
//! keeps asking the sale's status instead, and the final state decides.
//!
//! The machine is sans-IO: the WebAssembly layer tells it each event (a submit, an answer) and
//! does what it answers; every rule is tested natively, including a proptest over sequences of
//! events (`core/tests/attempts.rs`).

use crate::sale::{Outcome, PollStep, SaleAccepted, SaleState, SaleStatus, StatusPoll};
use crate::ErrorCode;

use super::sale::sale_failure;

/// What the checkout allows after an attempt ended short of approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Nothing was charged: the payer may correct the form and pay again, with a new invoice.
    Retry,
    /// The sale is still being decided: the checkout keeps asking its status, and reports the
    /// final state when it comes.
    Wait,
    /// Nobody can tell yet whether the payer was charged: no new sale starts from this checkout
    /// until the merchant's code allows it (`allowNewAttempt(invoiceId)`).
    Merchant,
}

impl Next {
    /// `retry`, `wait` or `merchant`: the `next` of the error `onError` receives.
    pub fn as_str(self) -> &'static str {
        match self {
            Next::Retry => "retry",
            Next::Wait => "wait",
            Next::Merchant => "merchant",
        }
    }

    /// What may follow an attempt that ended with `code`. A code missing from [`ENDINGS`] is
    /// treated as the uncertain kind: blocking a payer is recoverable, a second charge is not.
    pub fn after(code: ErrorCode) -> Next {
        Ending::of(code).map_or(Next::Merchant, |ending| ending.next)
    }
}

/// One way an attempt can end short of approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ending {
    /// The code `onError` receives.
    pub code: ErrorCode,
    /// What the checkout allows next. What happened, for the merchant's developer
    /// (`error.detail`), is the code's own [`ErrorCode::detail`].
    pub next: Next,
}

impl Ending {
    /// The row of `code`, if the checkout can end with it.
    pub fn of(code: ErrorCode) -> Option<&'static Ending> {
        ENDINGS.iter().find(|ending| ending.code == code)
    }
}

const fn ending(code: ErrorCode, next: Next) -> Ending {
    Ending { code, next }
}

/// Every code the checkout's `onError` can receive, with what it allows next. The README's
/// table of the drop-in checkout lists each one (a test reads it).
pub const ENDINGS: &[Ending] = &[
    ending(ErrorCode::CheckoutInvalid, Next::Retry),
    ending(ErrorCode::CheckoutSession, Next::Retry),
    ending(ErrorCode::SaleRejected, Next::Retry),
    ending(ErrorCode::SaleDeclined, Next::Retry),
    ending(ErrorCode::CheckoutCancelled, Next::Retry),
    ending(ErrorCode::Internal, Next::Retry),
    ending(ErrorCode::StatusTimeout, Next::Wait),
    ending(ErrorCode::SaleServerError, Next::Merchant),
    ending(ErrorCode::SaleOutcomeUnknown, Next::Merchant),
    ending(ErrorCode::StatusRejected, Next::Merchant),
    ending(ErrorCode::CheckoutUnmounted, Next::Merchant),
];

/// How long after the payer closes the 3-D Secure window a status still waiting for the issuer
/// is believed: an answer the payer gave just before closing (a one-time password on its way)
/// reaches the gateway within it, and is then reported as what it is.
pub const CANCEL_GRACE_MS: f64 = 5_000.0;

/// How an attempt ended (or, with [`Next::Wait`], that it is taking long), as the checkout
/// reports it to the payer and to `onError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Why.
    pub code: ErrorCode,
    /// What the checkout allows now.
    pub next: Next,
    /// The invoice whose perform sale was sent, if one was.
    pub invoice_id: Option<String>,
}

impl Report {
    fn new(code: ErrorCode, invoice_id: Option<&str>) -> Report {
        Report { code, next: Next::after(code), invoice_id: invoice_id.map(str::to_string) }
    }
}

/// Why a new attempt cannot begin now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// An attempt is asking for its session or waiting for its perform sale's answer.
    InFlight,
    /// The gateway accepted the sale of this invoice; its final state is not known yet.
    Accepted(String),
    /// An earlier attempt's outcome is unknown: the report the payer was given.
    Unsettled(Report),
    /// The sale was approved, or the checkout was unmounted.
    Finished,
}

impl Refusal {
    /// The code a caller that tried to send a sale anyway is refused with.
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::InFlight => ErrorCode::SaleInFlight,
            Refusal::Accepted(_) | Refusal::Finished => ErrorCode::SaleAlreadyAccepted,
            Refusal::Unsettled(_) => ErrorCode::SaleOutcomeUnknown,
        }
    }
}

/// What the checkout does after an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Ask the sale's status (again, after the interval).
    Poll,
    /// Show the issuer's 3-D Secure page, then keep polling.
    Challenge(String),
    /// Tell the payer and `onError`. With [`Next::Wait`] the checkout keeps polling (slower);
    /// otherwise the attempt is over.
    Report(Report),
    /// The sale was approved: the checkout is finished.
    Approved(SaleStatus),
    /// Nothing more: this answer is no longer awaited (unmounted, allowed, or another invoice's).
    Stop,
}

#[derive(Clone, Debug, Default)]
enum State {
    /// A new attempt may begin.
    #[default]
    Ready,
    /// Asking the merchant's `getSession`: nothing has been sent to the gateway.
    Starting,
    /// The perform sale of this invoice is on its way.
    Selling { invoice_id: String },
    /// The gateway accepted the sale; its status is being asked.
    Following {
        invoice_id: String,
        poll: StatusPoll,
        /// When the payer closed the 3-D Secure window (ms): a status still waiting for the
        /// issuer [`CANCEL_GRACE_MS`] later ends the attempt.
        cancelled: Option<f64>,
        /// The longest wait passed and the payer was told; the checkout keeps asking.
        pending: bool,
    },
    /// The outcome of this report's invoice is unknown, and nothing can find it out from here.
    Unsettled(Report),
    Approved,
    Unmounted,
}

/// What unmounting a checkout leaves.
#[derive(Clone, Debug)]
pub struct Unmounted {
    /// For `onError`: the sale that was on its way or being followed, now the merchant's to settle.
    pub report: Option<Report>,
    /// What the next checkout on the same form starts from, so that money still moves once when
    /// a page mounts again (a React effect re-run, StrictMode): a sale that was sent and not
    /// settled stays unsettled until the merchant allows a new attempt, an approved sale stays
    /// approved, and a cancelled challenge is still asked about before the next perform sale.
    /// `None`: the next checkout starts afresh.
    pub carried: Option<Attempts>,
}

/// The attempts of one checkout (and of the checkouts mounted after it on the same form). See
/// the module's documentation.
#[derive(Clone, Debug, Default)]
pub struct Attempts {
    state: State,
    /// The invoice of the last challenge the payer cancelled: its issuer may still approve it
    /// outside the window (a banking app), so its status is asked once more before the next
    /// perform sale is sent.
    recheck: Option<String>,
}

impl Attempts {
    /// A submit: begins a new attempt, or says why not. Nothing is sent yet.
    pub fn begin(&mut self) -> Result<(), Refusal> {
        match self.refusal() {
            Some(refusal) => Err(refusal),
            None => {
                self.state = State::Starting;
                Ok(())
            }
        }
    }

    /// The attempt ended before its perform sale was sent (`getSession` failed, or gave a session
    /// no sale can be made with): nothing was charged, so the payer may pay again whatever went
    /// wrong; a `code` that is not such an ending is reported as `internal.error`. `None` if no
    /// attempt was starting.
    pub fn abandon(&mut self, code: ErrorCode) -> Option<Report> {
        if !matches!(self.state, State::Starting) {
            return None;
        }
        let code = if Next::after(code) == Next::Retry { code } else { ErrorCode::Internal };
        Some(self.end(Report::new(code, None)))
    }

    /// Asks to send the perform sale of `invoice_id` now: `false` means do not send it (the
    /// checkout was unmounted meanwhile, or no attempt is starting).
    pub fn send_sale(&mut self, invoice_id: &str) -> bool {
        if !matches!(self.state, State::Starting) || self.recheck.is_some() {
            return false;
        }
        self.state = State::Selling { invoice_id: invoice_id.to_string() };
        true
    }

    /// A cancelled challenge's invoice whose status must be asked (and given to
    /// [`Attempts::rechecked`]) before this attempt's perform sale may be sent.
    pub fn recheck(&self) -> Option<&str> {
        self.recheck.as_deref().filter(|_| matches!(self.state, State::Starting))
    }

    /// Whether a cancelled challenge's invoice is still to be asked about before a perform sale.
    pub fn rechecks(&self) -> bool {
        self.recheck.is_some()
    }

    /// The status of the cancelled invoice [`Attempts::recheck`] named (`None`: it could not be
    /// asked). `None` back: the new attempt goes on, for the cancelled sale was declined, or
    /// still waits for the issuer whose window the payer closed. Otherwise this attempt sends
    /// nothing: approved after all (its issuer answered outside the window, a banking app), the
    /// checkout is finished ([`Step::Approved`]); still processing, or no answer, the cancelled
    /// sale is followed again until its final state ([`Step::Poll`]), since it may yet be
    /// charged; and when it cannot be asked at all, its fate is the merchant's to settle
    /// ([`Step::Report`]).
    pub fn rechecked(&mut self, invoice_id: &str, outcome: Option<&Outcome<SaleStatus>>) -> Option<Step> {
        if self.recheck() != Some(invoice_id) {
            return Some(Step::Stop);
        }
        self.recheck = None;
        let state = match outcome {
            Some(Outcome::Accepted(status)) => status.state,
            Some(_) => SaleState::Processing,
            None => {
                let report = Report::new(ErrorCode::SaleOutcomeUnknown, Some(invoice_id));
                self.state = State::Unsettled(report.clone());
                return Some(Step::Report(report));
            }
        };
        match (state, outcome) {
            (SaleState::Approved, Some(Outcome::Accepted(status))) => {
                self.state = State::Approved;
                Some(Step::Approved(status.clone()))
            }
            (SaleState::Declined | SaleState::RedirectRequest, _) => None,
            _ => {
                let invoice_id = invoice_id.to_string();
                self.state = State::Following { invoice_id, poll: StatusPoll::default(), cancelled: None, pending: false };
                Some(Step::Poll)
            }
        }
    }

    /// The perform sale of `invoice_id` was answered (or got no answer).
    pub fn sale_answered(&mut self, invoice_id: &str, outcome: &Outcome<SaleAccepted>) -> Step {
        if !matches!(&self.state, State::Selling { invoice_id: selling } if selling == invoice_id) {
            return Step::Stop;
        }
        match sale_failure(outcome) {
            None => {
                let invoice_id = invoice_id.to_string();
                self.state = State::Following { invoice_id, poll: StatusPoll::default(), cancelled: None, pending: false };
                Step::Poll
            }
            Some(code) => Step::Report(self.end(Report::new(code, Some(invoice_id)))),
        }
    }

    /// Whether the status of `invoice_id` is still awaited: ask it only then.
    pub fn following(&self, invoice_id: &str) -> bool {
        matches!(&self.state, State::Following { invoice_id: following, .. } if following == invoice_id)
    }

    /// A status answer for `invoice_id` at `now` (ms, the clock [`Attempts::cancel`] was given);
    /// `deadline_passed` once the longest wait is over.
    pub fn status_answered(&mut self, invoice_id: &str, outcome: &Outcome<SaleStatus>, deadline_passed: bool, now: f64) -> Step {
        let State::Following { invoice_id: following, poll, cancelled, pending } = &mut self.state else { return Step::Stop };
        if following != invoice_id {
            return Step::Stop;
        }
        let still_challenging = matches!(outcome, Outcome::Accepted(status) if status.state == SaleState::RedirectRequest);
        if let (Some(at), true) = (*cancelled, still_challenging) {
            if now - at >= CANCEL_GRACE_MS {
                // The window is gone and the issuer never answered: nothing was charged.
                let report = self.end(Report::new(ErrorCode::CheckoutCancelled, Some(invoice_id)));
                self.recheck = Some(invoice_id.to_string());
                return Step::Report(report);
            }
            // An answer the payer gave just before closing may still be on its way: ask again.
            return Step::Poll;
        }
        match poll.observe(outcome.clone()) {
            PollStep::Done(status) if status.state == SaleState::Approved => {
                self.state = State::Approved;
                Step::Approved(status)
            }
            PollStep::Done(_) => Step::Report(self.end(Report::new(ErrorCode::SaleDeclined, Some(invoice_id)))),
            PollStep::Stop(_) => Step::Report(self.end(Report::new(ErrorCode::StatusRejected, Some(invoice_id)))),
            PollStep::Redirect(url) if cancelled.is_none() => Step::Challenge(url),
            PollStep::Redirect(_) | PollStep::KeepPolling if deadline_passed && !*pending => {
                *pending = true;
                Step::Report(Report::new(ErrorCode::StatusTimeout, Some(invoice_id)))
            }
            PollStep::Redirect(_) | PollStep::KeepPolling => Step::Poll,
        }
    }

    /// The payer closed the 3-D Secure window at `now` (ms). `true` when this changed anything:
    /// the statuses decide (a final state is that state; still waiting for the issuer
    /// [`CANCEL_GRACE_MS`] after the cancel: cancelled).
    pub fn cancel(&mut self, now: f64) -> bool {
        match &mut self.state {
            State::Following { cancelled, .. } if cancelled.is_none() => {
                *cancelled = Some(now);
                true
            }
            _ => false,
        }
    }

    /// The merchant's server learnt that the sale of `invoice_id`, sent and not settled here,
    /// was approved: the checkout is finished, as if its own status had said so. `false` (and
    /// nothing changes) unless that is the sale in doubt or being followed.
    pub fn confirm_approval(&mut self, invoice_id: &str) -> bool {
        self.settle(invoice_id, State::Approved)
    }

    /// The merchant's code, having learnt on its server that `invoice_id` was not charged (or,
    /// following the status itself, that it was declined), allows a new attempt. Only a sale that
    /// was sent, answered and not approved can be released, and only by naming its invoice;
    /// `false` otherwise, and nothing changes.
    pub fn allow(&mut self, invoice_id: &str) -> bool {
        self.settle(invoice_id, State::Ready)
    }

    /// Moves to `settled` if `invoice_id` is the sale in doubt or being followed.
    fn settle(&mut self, invoice_id: &str, settled: State) -> bool {
        let ours = match &self.state {
            State::Unsettled(report) => report.invoice_id.as_deref() == Some(invoice_id),
            State::Following { invoice_id: following, .. } => following == invoice_id,
            _ => false,
        };
        if ours {
            self.state = settled;
        }
        ours
    }

    /// The checkout is unmounted: no more attempts, and a sale on its way or being followed is
    /// reported (its invoice is the merchant's to settle). What a checkout mounted later on the
    /// same form must inherit is [`Unmounted::carried`]. Unmounting again gives nothing.
    pub fn unmount(&mut self) -> Unmounted {
        let report = match &self.state {
            State::Selling { invoice_id } | State::Following { invoice_id, .. } => {
                Some(Report::new(ErrorCode::CheckoutUnmounted, Some(invoice_id)))
            }
            _ => None,
        };
        let carried = match &self.state {
            State::Selling { .. } | State::Following { .. } => report.clone().map(State::Unsettled),
            State::Unsettled(report) => Some(State::Unsettled(report.clone())),
            State::Approved => Some(State::Approved),
            // A cancelled challenge's issuer may still approve it: the next checkout asks first.
            State::Ready | State::Starting => self.recheck.is_some().then_some(State::Ready),
            State::Unmounted => None,
        };
        self.state = State::Unmounted;
        let recheck = self.recheck.take();
        Unmounted { report, carried: carried.map(|state| Attempts { state, recheck }) }
    }

    /// The report a checkout that inherits these attempts shows the payer at once: the unsettled
    /// sale's. `None` when there is none.
    pub fn unsettled(&self) -> Option<&Report> {
        match &self.state {
            State::Unsettled(report) => Some(report),
            _ => None,
        }
    }

    /// Whether this checkout was unmounted: what it held went to the form's next checkout.
    pub fn unmounted(&self) -> bool {
        matches!(self.state, State::Unmounted)
    }

    /// Whether the sale was approved: the checkout is finished.
    pub fn approved(&self) -> bool {
        matches!(self.state, State::Approved)
    }

    /// Whether a new attempt may begin now (the submit button is usable).
    pub fn ready(&self) -> bool {
        self.refusal().is_none()
    }

    /// Whether an attempt is under way: asking for its session, its sale or its status.
    pub fn in_flight(&self) -> bool {
        matches!(self.state, State::Starting | State::Selling { .. } | State::Following { .. })
    }

    /// Why a new attempt cannot begin now; `None` when it can.
    pub fn refusal(&self) -> Option<Refusal> {
        match &self.state {
            State::Ready => None,
            State::Starting | State::Selling { .. } => Some(Refusal::InFlight),
            State::Following { invoice_id, .. } => Some(Refusal::Accepted(invoice_id.clone())),
            State::Unsettled(report) => Some(Refusal::Unsettled(report.clone())),
            State::Approved | State::Unmounted => Some(Refusal::Finished),
        }
    }

    /// Moves to what `report` allows and hands it back.
    fn end(&mut self, report: Report) -> Report {
        self.state = match report.next {
            Next::Retry => State::Ready,
            Next::Wait | Next::Merchant => State::Unsettled(report.clone()),
        };
        report
    }
}
