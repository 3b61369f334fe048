//! Perform sale and sale status: wire models, validation, the sans-IO client and the guard that
//! keeps one checkout to one sale; and the merchant server's initiate sale and check sale.

mod guard;
mod http;
mod merchant;
mod read;
mod request;
mod response;
mod status;
mod validate;

pub use guard::{SaleEnd, SaleGuard};
pub use merchant::{
    validate_check_sale, validate_initiate_sale, AccessSession, CheckConsumer, CheckReference, CheckSaleRequest,
    CheckSaleResponse, CheckSession, CheckSource, CheckedSession, CheckedTransaction, InitiateConsumer,
    InitiateSaleRequest, InitiateSaleResponse, NonceSignature,
};
pub use http::{perform_sale_request, sale_status_request, sale_url, HttpRequest};
pub use request::*;
pub use response::{
    ErrorCause, FailResponse, GatewayError, Outcome, SaleAccepted, SessionToken, SuccessResponse, UnknownReason,
};
pub use status::{PollStep, SaleState, SaleStatus, SaleStatusRequest, StatusPoll, StatusSession, StatusTransaction};
pub use read::read_json;
pub use validate::{validate_perform_sale, validate_status_call};
pub use crate::problems::FieldError;

impl<T> Outcome<T> {
    /// What this outcome means for the one-sale guard.
    pub fn sale_end(&self) -> SaleEnd {
        match self {
            Outcome::Accepted(_) => SaleEnd::Accepted,
            Outcome::Rejected(_) => SaleEnd::Rejected,
            Outcome::ServerError { .. } | Outcome::OutcomeUnknown { .. } => SaleEnd::Uncertain,
        }
    }
}
