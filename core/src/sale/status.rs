//! Sale status (FACTS §1 step 5): the request, the response, and the polling decisions.

use serde::{Deserialize, Serialize};

use super::response::{FailResponse, Outcome, SessionToken};

/// The body of `POST …/sale/{endpointId}/{invoiceId}/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaleStatusRequest {
    /// The two tokens.
    pub session: StatusSession,
}

/// `session` of a status request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusSession {
    /// The consumer's access token.
    pub access_token: String,
    /// The sale's session token from perform sale.
    pub token: String,
}

/// The sale's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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

/// `transaction` of a status response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusTransaction {
    /// The amount, in minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_centis: Option<u64>,
    /// The commission, in minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commission_centis: Option<u64>,
}

/// The success response of sale status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleStatus {
    /// The invoice.
    pub invoice_id: String,
    /// The session token.
    pub session: SessionToken,
    /// Where the sale is.
    pub state: SaleState,
    /// With `REDIRECT_REQUEST`: where to send the payer for 3-D Secure.
    #[serde(default)]
    pub redirect_url: Option<String>,
    /// When final: the bank's order id.
    #[serde(default)]
    pub bank_order_id: Option<String>,
    /// The gateway's order id.
    #[serde(default)]
    pub order_id: Option<String>,
    /// Amount and commission.
    #[serde(default)]
    pub transaction: Option<StatusTransaction>,
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

/// The state of one status-polling loop: which 3-D Secure URL was already handed over.
#[derive(Clone, Debug, Default)]
pub struct StatusPoll {
    redirected_to: Option<String>,
}

impl StatusPoll {
    /// Decides what follows one status outcome.
    pub fn observe(&mut self, outcome: Outcome<SaleStatus>) -> PollStep {
        match outcome {
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
