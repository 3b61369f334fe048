//! Sale status (the DAPI sale's last step): the request, the response, and the polling decisions.

use super::response::{object_at, Answer, FailResponse, Outcome, SessionToken};
use crate::value::{Got, Record, ToGot, Value};

/// `session` of a status request (its table is [`crate::schema::STATUS_SESSION`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusSession {
    /// The consumer's access token.
    pub access_token: String,
    /// The sale's session token from perform sale.
    pub token: String,
}

impl StatusSession {
    /// The tokens of a record [`super::check_status_call`] accepted.
    pub fn of(session: &Record) -> StatusSession {
        let text = |key: &str| session.text(key).unwrap_or("").to_string();
        StatusSession { access_token: text("accessToken"), token: text("token") }
    }

    /// The tokens as the status body's `session`.
    pub fn record(&self) -> Record {
        Record::default().with("accessToken", Got::from(self.access_token.as_str())).with("token", Got::from(self.token.as_str()))
    }
}

/// An option in milliseconds: its key, its default, and the least it may be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Milliseconds {
    /// The option's key, the same wherever it is read.
    pub key: &'static str,
    /// When the option is left out.
    pub default: f64,
    /// The least allowed.
    pub min: f64,
}

/// How long a perform sale may go unanswered before its outcome is unknown: no less than a
/// second, since a sale cut short may still be charged and then blocks the next attempt.
pub const SALE_TIMEOUT: Milliseconds = Milliseconds { key: "timeoutMs", default: 30_000.0, min: 1_000.0 };

/// How long one status request may go unanswered (a poll that times out is asked again).
pub const STATUS_TIMEOUT: Milliseconds = Milliseconds { key: "timeoutMs", default: 15_000.0, min: 1_000.0 };

/// How long between two status requests, for `waitForFinalState` and `mountCheckout` alike: no
/// less than 250 ms, so that polling never floods the gateway.
pub const POLL_INTERVAL: Milliseconds = Milliseconds { key: "pollIntervalMs", default: 2_000.0, min: 250.0 };

/// How long to wait for a final state before `status.timeout`: ten minutes, time for a payer to
/// find the bank's app for 3-D Secure.
pub const MAX_WAIT: Milliseconds = Milliseconds { key: "maxWaitMs", default: 600_000.0, min: 0.0 };

/// The sale's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaleState {
    /// Not decided yet.
    Processing,
    /// 3-D Secure: send the payer to `redirectUrl`.
    RedirectRequest,
    /// Final: approved.
    Approved,
    /// Final: declined.
    Declined,
}

impl SaleState {
    /// Approved or declined.
    pub fn is_final(self) -> bool {
        matches!(self, SaleState::Approved | SaleState::Declined)
    }
}

const STATES: [(&str, SaleState); 4] = [
    ("PROCESSING", SaleState::Processing),
    ("REDIRECT_REQUEST", SaleState::RedirectRequest),
    ("APPROVED", SaleState::Approved),
    ("DECLINED", SaleState::Declined),
];

/// `transaction` of a status response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusTransaction {
    /// The amount, in minor units.
    pub amount_centis: Option<u64>,
    /// The commission, in minor units.
    pub commission_centis: Option<u64>,
}

/// The success response of sale status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleStatus {
    /// The invoice.
    pub invoice_id: String,
    /// The session token.
    pub session: SessionToken,
    /// Where the sale is.
    pub state: SaleState,
    /// With `REDIRECT_REQUEST`: where to send the payer for 3-D Secure.
    pub redirect_url: Option<String>,
    /// When final: the bank's order id.
    pub bank_order_id: Option<String>,
    /// The gateway's order id.
    pub order_id: Option<String>,
    /// Amount and commission.
    pub transaction: Option<StatusTransaction>,
}

impl ToGot for SaleState {
    fn to_got(&self) -> Got {
        STATES.iter().find(|(_, state)| state == self).map_or("", |(text, _)| text).into()
    }
}

impl ToGot for StatusTransaction {
    fn to_got(&self) -> Got {
        Record::default().field_if("amountCentis", &self.amount_centis).field_if("commissionCentis", &self.commission_centis).to_got()
    }
}

impl ToGot for SaleStatus {
    fn to_got(&self) -> Got {
        Record::default()
            .field("invoiceId", &self.invoice_id)
            .field("session", &self.session)
            .field("state", self.state)
            .field("redirectUrl", &self.redirect_url)
            .field("bankOrderId", &self.bank_order_id)
            .field("orderId", &self.order_id)
            .field("transaction", &self.transaction)
            .to_got()
    }
}

impl Answer for SaleStatus {
    fn read<V: Value>(body: &V) -> Option<SaleStatus> {
        let session = object_at(body, "session").ok()??;
        let state = body.text_at("state").ok()??;
        let transaction = match object_at(body, "transaction").ok()? {
            Some(transaction) => Some(StatusTransaction {
                amount_centis: transaction.count_at("amountCentis").ok()?,
                commission_centis: transaction.count_at("commissionCentis").ok()?,
            }),
            None => None,
        };
        Some(SaleStatus {
            invoice_id: body.text_at("invoiceId").ok()??,
            session: SessionToken { token: session.text_at("token").ok()?? },
            state: STATES.iter().find(|(text, _)| *text == state)?.1,
            redirect_url: body.text_at("redirectUrl").ok()?,
            bank_order_id: body.text_at("bankOrderId").ok()?,
            order_id: body.text_at("orderId").ok()?,
            transaction,
        })
    }
}

/// What to do after one status answer.
#[derive(Clone, Debug, PartialEq)]
pub enum PollStep {
    /// The sale reached a final state.
    Done(SaleStatus),
    /// 3-D Secure: hand this URL to the page (once per URL), then keep polling.
    Redirect(String),
    /// Ask again after the interval: still processing, or this poll failed (polling only reads,
    /// so a failed poll is safe to repeat).
    KeepPolling,
    /// The gateway refused the status request itself; asking again will not help.
    Stop(FailResponse),
}

/// The state of one status-polling loop: the sale it follows, and which 3-D Secure URL was
/// already handed over.
#[derive(Clone, Debug)]
pub struct StatusPoll {
    invoice_id: String,
    token: String,
    redirected_to: Option<String>,
}

impl StatusPoll {
    /// Follows the sale of `invoice_id` whose perform sale answered the session `token`.
    pub fn following(invoice_id: &str, token: &str) -> StatusPoll {
        StatusPoll { invoice_id: invoice_id.to_string(), token: token.to_string(), redirected_to: None }
    }

    /// Whether an answer is about the sale followed: its invoice and its session token, which
    /// the status answer repeats. Any other (a misrouted request, a proxy, a cache) says nothing
    /// of this sale, whatever its state. (What the sale charged is the merchant's server's to
    /// compare before it ships: the answer carries it, `transaction.amountCentis`.)
    fn names_this_sale(&self, status: &SaleStatus) -> bool {
        status.invoice_id == self.invoice_id && status.session.token == self.token
    }

    /// Decides what follows one status outcome. An answer about another sale is a failed poll.
    pub fn observe(&mut self, outcome: Outcome<SaleStatus>) -> PollStep {
        match outcome {
            Outcome::Accepted(status) if !self.names_this_sale(&status) => PollStep::KeepPolling,
            Outcome::Accepted(status) if status.state.is_final() => PollStep::Done(status),
            Outcome::Accepted(SaleStatus { state: SaleState::RedirectRequest, redirect_url: Some(url), .. })
                if self.redirected_to.as_deref() != Some(url.as_str()) =>
            {
                self.redirected_to = Some(url.clone());
                PollStep::Redirect(url)
            }
            Outcome::Rejected(fail) => PollStep::Stop(fail),
            _ => PollStep::KeepPolling,
        }
    }
}
