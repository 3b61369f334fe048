//! Perform sale and sale status: wire models, validation and the sans-IO client; and the
//! merchant server's initiate sale and check sale. One checkout's attempts are
//! `checkout::attempts`.

mod http;
mod merchant;
mod request;
mod response;
mod status;

pub use crate::problems::FieldError;
pub use http::{perform_sale_request, sale_status_request, sale_url, HttpRequest};
pub use merchant::{
    check_check_sale, check_initiate_sale, CheckSaleResponse, CheckedSession, CheckedTransaction, InitiateSaleResponse, NonceSignature,
    CHECK_SALE, INITIATE_SALE,
};
pub use request::{check_perform_sale, check_perform_sale_call, check_status_body, check_status_call, wire_body, SaleRoute};
pub use response::{Answer, ErrorCause, FailResponse, GatewayError, Outcome, SaleAccepted, SessionToken, SuccessResponse, UnknownReason};
pub use status::{
    Milliseconds, PollStep, SaleState, SaleStatus, StatusPoll, StatusSession, StatusTransaction, MAX_WAIT, POLL_INTERVAL, SALE_TIMEOUT,
    STATUS_TIMEOUT,
};
