//! Perform sale and sale status: wire models, validation and the sans-IO client; and the
//! merchant server's initiate sale and check sale. One checkout's attempts are
//! `checkout::attempts`.

mod check;
mod http;
mod merchant;
mod read;
mod request;
mod response;
mod status;
mod validate;

pub use merchant::{
    validate_check_sale, validate_initiate_sale, AccessSession, CheckConsumer, CheckReference, CheckSaleRequest,
    CheckSaleResponse, CheckSession, CheckSource, CheckedSession, CheckedTransaction, InitiateConsumer,
    InitiateSaleRequest, InitiateSaleResponse, NonceSignature,
};
pub use check::{check_perform_sale, check_perform_sale_call, check_status_call, wire_body};
pub use http::{perform_sale_request, sale_status_request, sale_url, HttpRequest};
pub use request::*;
pub use response::{
    ErrorCause, FailResponse, GatewayError, Outcome, SaleAccepted, SessionToken, SuccessResponse, UnknownReason,
};
pub use status::{PollStep, SaleState, SaleStatus, SaleStatusRequest, StatusPoll, StatusSession, StatusTransaction};
pub use read::read_json;
pub use validate::{validate_perform_sale, validate_status_call};
pub use crate::problems::FieldError;

