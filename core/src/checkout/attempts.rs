//! The attempts of one checkout: how each attempt to pay can end, and what that allows next.
//!
//! Money moves once. An attempt that charged nothing (a decline, a refusal, a `getSession` that
//! failed) leaves the payer free to pay again, with a new invoice. An attempt whose outcome is
//! unknown (no answer, a 5xx, a status the gateway refuses to give) blocks every new sale from
//! this checkout until the merchant's code, having learnt the invoice's fate on its server,
//! allows one; where the checkout holds the sale's session token it keeps asking the sale's
//! status instead, and the final state decides. Closing the 3-D Secure window ends nothing: the
//! issuer may still approve the sale (a banking app), so it is followed to its final state.
//!
//! The merchant's server holds the order: `getSession` may answer that it is paid (the checkout
//! is finished) or that a sale of it may still be approved (nothing new is sent; `getSession` is
//! asked again until it answers paid, or a session: that sale ended unapproved).
//!
//! The machine is sans-IO: the WebAssembly layer tells it each event (a submit, an answer) and
//! does what it answers; every rule is tested natively, including a proptest over sequences of
//! events (`core/tests/attempts.rs`).

use crate::sale::{Milliseconds, Outcome, PollStep, SaleAccepted, SaleState, SaleStatus, StatusPoll};
use crate::ErrorCode;

use super::sale::{sale_accepted, OrderAnswer, Pending};

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
    ending(ErrorCode::Internal, Next::Retry),
    ending(ErrorCode::StatusTimeout, Next::Wait),
    ending(ErrorCode::CheckoutChallengeClosed, Next::Wait),
    ending(ErrorCode::CheckoutPending, Next::Wait),
    ending(ErrorCode::CheckoutPendingUntil, Next::Wait),
    ending(ErrorCode::SaleServerError, Next::Merchant),
    ending(ErrorCode::SaleOutcomeUnknown, Next::Merchant),
    ending(ErrorCode::StatusRejected, Next::Merchant),
    ending(ErrorCode::CheckoutUnmounted, Next::Merchant),
];

/// How long after a 3-D Secure challenge opened its issuer may still approve it, when the window
/// was closed (`challengeLifetimeMs`): gateways keep an abandoned challenge 15 to 30 minutes.
pub const CHALLENGE_LIFETIME: Milliseconds = Milliseconds { key: "challengeLifetimeMs", default: 1_800_000.0, min: 0.0 };

/// How an attempt ended (or, with [`Next::Wait`], that it is taking long), as the checkout
/// reports it to the payer and to `onError`.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Why.
    pub code: ErrorCode,
    /// What the checkout allows now.
    pub next: Next,
    /// The invoice whose perform sale was sent (or that `getSession` named), if any.
    pub invoice_id: Option<String>,
    /// Until when (ms since the epoch) the bank may still approve the sale, when known: what the
    /// payer reads in place of `{until}`.
    pub until: Option<f64>,
    /// The sale waited for the payer at the bank (a 3-D Secure challenge): a decline then is the
    /// payment not confirmed there (cancelled, failed, or left to expire), not the card refused.
    pub challenged: bool,
}

impl Report {
    fn new(code: ErrorCode, invoice_id: Option<&str>) -> Report {
        Report { code, next: Next::after(code), invoice_id: invoice_id.map(str::to_string), until: None, challenged: false }
    }

    fn until(self, until: Option<f64>) -> Report {
        Report { until, ..self }
    }

    fn challenged(self, challenged: bool) -> Report {
        Report { challenged, ..self }
    }
}

/// Why a new attempt cannot begin now.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// An attempt is asking for its session or waiting for its perform sale's answer.
    InFlight,
    /// The gateway accepted the sale of this invoice (or the merchant's server says a sale of it
    /// may still be approved); its final state is not known yet.
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
    /// Ask again after the interval: the sale's status, or (a pending order) `getSession`.
    Poll,
    /// Show the issuer's 3-D Secure page, then keep polling.
    Challenge(String),
    /// Tell the payer and `onError`. With [`Next::Wait`] the checkout keeps asking (slower after
    /// the longest wait); otherwise the attempt is over.
    Report(Report),
    /// The sale was approved: the checkout is finished.
    Approved(SaleStatus),
    /// The merchant's server says this invoice of the order was approved: the checkout is finished.
    Paid(String),
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
    Selling {
        invoice_id: String,
    },
    /// The gateway accepted the sale; its status is being asked.
    Following {
        invoice_id: String,
        poll: StatusPoll,
        /// The issuer's 3-D Secure page the gateway named last, and when (ms) the challenge
        /// first opened: the bank's window can be opened again.
        challenge: Option<(String, f64)>,
        /// The window is closed (or could not be shown) while the sale waits for the issuer.
        closed: bool,
        /// The payer was told that the sale takes long; the checkout keeps asking.
        pending: bool,
    },
    /// The merchant's server says a sale of the order may still be approved: `getSession` is
    /// asked again until it answers paid or a session.
    Pending(Pending),
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
    /// settled stays unsettled until the merchant allows a new attempt, and an approved sale
    /// stays approved. `None`: the next checkout starts afresh (and asks the merchant's server).
    pub carried: Option<Attempts>,
}

/// The attempts of one checkout (and of the checkouts mounted after it on the same form). See
/// the module's documentation.
#[derive(Clone, Debug, Default)]
pub struct Attempts {
    state: State,
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

    /// What `getSession` answered about the order: when the checkout was mounted (the form may be
    /// `Ready`, or a submit waits for this answer), on a submit, or while a pending sale of the
    /// order is followed. Paid: the checkout is finished ([`Step::Paid`]). Pending: nothing new
    /// is sent; the payer is told once (and again when `until` changes) and `getSession` is asked
    /// again ([`Step::Poll`]). A session: `None` (a submit goes on to its perform sale; at mount
    /// it is discarded), except after a pending sale, which thus ended unapproved: the payer may
    /// pay again (`sale.declined`). [`Step::Stop`] when no answer of `getSession` is awaited.
    ///
    /// Asked about a sale in doubt (its answer lost), the server may know more: the order paid
    /// ends the checkout; that very sale pending (a 3-D Secure challenge it names, to complete)
    /// is followed as any pending sale. Anything else leaves it in doubt, the merchant's to settle.
    pub fn order_answered(&mut self, answer: &OrderAnswer) -> Option<Step> {
        if let State::Unsettled(report) = &self.state {
            let this_sale = |pending: &Pending| report.invoice_id.as_deref() == Some(pending.invoice_id.as_str());
            match answer {
                OrderAnswer::Paid(_) => {}
                OrderAnswer::Pending(pending) if this_sale(pending) => {}
                _ => return None,
            }
        } else if !matches!(self.state, State::Ready | State::Starting | State::Pending(_)) {
            return Some(Step::Stop);
        }
        match answer {
            OrderAnswer::Paid(invoice_id) => {
                self.state = State::Approved;
                Some(Step::Paid(invoice_id.clone()))
            }
            OrderAnswer::Pending(pending) => {
                let told = matches!(&self.state, State::Pending(known) if known == pending);
                self.state = State::Pending(pending.clone());
                let code = if pending.until.is_some() { ErrorCode::CheckoutPendingUntil } else { ErrorCode::CheckoutPending };
                Some(if told { Step::Poll } else { Step::Report(Report::new(code, Some(&pending.invoice_id)).until(pending.until)) })
            }
            OrderAnswer::Session => {
                let State::Pending(pending) = &self.state else { return None };
                let report = Report::new(ErrorCode::SaleDeclined, Some(&pending.invoice_id)).challenged(pending.redirect_url.is_some());
                Some(Step::Report(self.end(report)))
            }
        }
    }

    /// Whether the merchant's server said a sale of the order may still be approved, and
    /// `getSession` is to be asked again.
    pub fn pending(&self) -> bool {
        matches!(self.state, State::Pending(_))
    }

    /// Whether an attempt is asking for its session (and may send its perform sale next).
    pub fn starting(&self) -> bool {
        matches!(self.state, State::Starting)
    }

    /// Asks to send the perform sale of `invoice_id` now: `false` means do not send it (the
    /// checkout was unmounted meanwhile, or no attempt is starting).
    pub fn send_sale(&mut self, invoice_id: &str) -> bool {
        if !self.starting() {
            return false;
        }
        self.state = State::Selling { invoice_id: invoice_id.to_string() };
        true
    }

    /// The perform sale of `invoice_id` was answered (or got no answer). An accepted sale is
    /// followed: only status answers about it count.
    pub fn sale_answered(&mut self, invoice_id: &str, outcome: &Outcome<SaleAccepted>) -> Step {
        if !matches!(&self.state, State::Selling { invoice_id: selling } if selling == invoice_id) {
            return Step::Stop;
        }
        match sale_accepted(outcome) {
            Ok(accepted) => {
                let poll = StatusPoll::following(invoice_id, &accepted.session_token);
                let invoice_id = invoice_id.to_string();
                self.state = State::Following { invoice_id, poll, challenge: None, closed: false, pending: false };
                Step::Poll
            }
            Err(code) => Step::Report(self.end(Report::new(code, Some(invoice_id)))),
        }
    }

    /// The poll of the sale followed, which knows which status answers are about it.
    pub fn poll(&self) -> Option<&StatusPoll> {
        match &self.state {
            State::Following { poll, .. } => Some(poll),
            _ => None,
        }
    }

    /// A status answer for `invoice_id` at `now` (ms); `deadline_passed` once the longest wait
    /// is over. A window the payer closed is not opened again by itself: a new page of the
    /// issuer is kept for [`Attempts::reopen`].
    pub fn status_answered(&mut self, invoice_id: &str, outcome: &Outcome<SaleStatus>, deadline_passed: bool, now: f64) -> Step {
        let State::Following { invoice_id: following, poll, challenge, closed, pending } = &mut self.state else { return Step::Stop };
        if following != invoice_id {
            return Step::Stop;
        }
        match poll.observe(outcome.clone()) {
            PollStep::Done(status) if status.state == SaleState::Approved => {
                self.state = State::Approved;
                Step::Approved(status)
            }
            PollStep::Done(_) => {
                let report = Report::new(ErrorCode::SaleDeclined, Some(invoice_id)).challenged(challenge.is_some());
                Step::Report(self.end(report))
            }
            PollStep::Stop(_) => Step::Report(self.end(Report::new(ErrorCode::StatusRejected, Some(invoice_id)))),
            PollStep::Redirect(url) => {
                // The challenge's lifetime counts from when it first opened.
                let opened = challenge.as_ref().map_or(now, |(_, at)| *at);
                *challenge = Some((url.clone(), opened));
                if *closed {
                    Step::Poll
                } else {
                    Step::Challenge(url)
                }
            }
            PollStep::KeepPolling if deadline_passed && !*pending => {
                *pending = true;
                Step::Report(Report::new(ErrorCode::StatusTimeout, Some(invoice_id)))
            }
            PollStep::KeepPolling => Step::Poll,
        }
    }

    /// The 3-D Secure window was closed at `now` (ms; its button, Escape, the page removing it,
    /// the page's policy refusing the frame) or could not be shown. The sale is not ended: the
    /// issuer may still approve it until `lifetime_ms` after the challenge opened. The payer is
    /// told so (once a close); the status is still followed, and Pay stays disabled until the
    /// final state. `None` when no followed sale had its window open.
    pub fn close_challenge(&mut self, now: f64, lifetime_ms: f64) -> Option<Report> {
        let State::Following { invoice_id, challenge, closed, pending, .. } = &mut self.state else { return None };
        if *closed {
            return None;
        }
        (*closed, *pending) = (true, true);
        let opened = challenge.as_ref().map_or(now, |(_, opened)| *opened);
        Some(Report::new(ErrorCode::CheckoutChallengeClosed, Some(invoice_id)).until(Some(opened + lifetime_ms)))
    }

    /// The issuer's page the payer may open again (the window is closed and the sale still
    /// waits for it, or a pending sale of the order named it).
    pub fn reopenable(&self) -> Option<&str> {
        match &self.state {
            State::Following { challenge: Some((url, _)), closed: true, .. } => Some(url),
            State::Pending(Pending { redirect_url, .. }) => redirect_url.as_deref(),
            _ => None,
        }
    }

    /// The payer opens the bank's window again: its page, if [`Attempts::reopenable`] has one;
    /// closing it again is told again.
    pub fn reopen(&mut self) -> Option<String> {
        let url = self.reopenable()?.to_string();
        if let State::Following { closed, .. } = &mut self.state {
            *closed = false;
        }
        Some(url)
    }

    /// The merchant's server learnt that the sale of `invoice_id`, sent and not settled here
    /// (or pending on the server), was approved: the checkout is finished, as if its own status
    /// had said so. `false` (and nothing changes) unless that is the sale in doubt or being
    /// followed.
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

    /// Moves to `settled` if `invoice_id` is the sale in doubt, being followed, or pending.
    fn settle(&mut self, invoice_id: &str, settled: State) -> bool {
        let ours = match &self.state {
            State::Unsettled(report) => report.invoice_id.as_deref() == Some(invoice_id),
            State::Following { invoice_id: following, .. } => following == invoice_id,
            State::Pending(pending) => pending.invoice_id == invoice_id,
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
            // A pending order is the server's: the next checkout asks it when mounted.
            State::Ready | State::Starting | State::Pending(_) | State::Unmounted => None,
        };
        self.state = State::Unmounted;
        Unmounted { report, carried: carried.map(|state| Attempts { state }) }
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

    /// Whether an attempt is under way: asking for its session, its sale or its status, or a
    /// pending sale of the order is followed.
    pub fn in_flight(&self) -> bool {
        matches!(self.state, State::Starting | State::Selling { .. } | State::Following { .. } | State::Pending(_))
    }

    /// Why a new attempt cannot begin now; `None` when it can.
    pub fn refusal(&self) -> Option<Refusal> {
        match &self.state {
            State::Ready => None,
            State::Starting | State::Selling { .. } => Some(Refusal::InFlight),
            State::Following { invoice_id, .. } | State::Pending(Pending { invoice_id, .. }) => Some(Refusal::Accepted(invoice_id.clone())),
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
