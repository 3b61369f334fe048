//! The merchant server's side of the DAPI flow (FACTS §1, spec `004_…txt`): initiate sale, which
//! the page calls, and check sale, which the gateway calls. The sandbox serves both on these
//! types; a merchant's own Rust server can too.

use serde::{Deserialize, Serialize};

use super::request::{Device, Location, Transaction};
use super::validate::{device_fields, ip_address_list, location_fields, session_token, signed_session, token, transaction_fields};
use crate::problems::Problems;
use crate::FieldError;

wire_object! {
    /// The body of initiate sale (`POST {merchant}/sale/initiate-sale`).
    InitiateSaleRequest {
        /// Required: the payer's device.
        consumer: InitiateConsumer,
        /// Required: amount and currency, which the signature binds.
        transaction: Transaction,
        /// Required: the access token from consumer authentication.
        session: AccessSession,
        /// Optional: where the payer is.
        location: Location,
    }
}

wire_object! {
    /// `consumer` of initiate sale.
    InitiateConsumer {
        /// Required.
        device: Device,
        /// Optional, IPv4 addresses.
        ip_addresses: Vec<String>,
    }
}

wire_object! {
    /// `session` of initiate sale.
    AccessSession {
        /// Required, 32–128.
        access_token: String,
    }
}

/// The answer to initiate sale: what the page needs for perform sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitiateSaleResponse {
    /// The merchant's endpoint.
    pub endpoint_id: String,
    /// The new invoice.
    pub invoice_id: String,
    /// The nonce and its signature.
    pub session: NonceSignature,
}

/// `session` of the initiate-sale answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonceSignature {
    /// Random, 32–128 characters, accepted once.
    pub nonce: String,
    /// HMAC-SHA1 of accessToken + serialNumber + endpointId + nonce + invoiceId + amountCentis + currency.
    pub signature: String,
}

wire_object! {
    /// The body of check sale (`POST {merchant}/sale/{invoiceId}/check`, spec `004`).
    CheckSaleRequest {
        /// Required: the payer's device.
        consumer: CheckConsumer,
        /// Required: the tokens of the sale.
        session: CheckSession,
        /// Optional: the card reference the page sent.
        source_of_funds: CheckSource,
    }
}

wire_object! {
    /// `consumer` of check sale.
    CheckConsumer {
        /// Required.
        device: Device,
    }
}

wire_object! {
    /// `session` of check sale.
    CheckSession {
        /// Required, 32–128.
        access_token: String,
        /// Required, 32–128.
        nonce: String,
        /// Required, 32–128.
        signature: String,
        /// Required, 16–36: the sale's session token.
        token: String,
    }
}

wire_object! {
    /// `sourceOfFunds` of check sale.
    CheckSource {
        /// The reference.
        reference: CheckReference,
    }
}

wire_object! {
    /// `sourceOfFunds.reference` of check sale.
    CheckReference {
        /// 1–128.
        client_card_id: String,
    }
}

/// The success answer to check sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckSaleResponse {
    /// The sale.
    pub invoice_id: String,
    /// The signature, the nonce and the token.
    pub session: CheckedSession,
    /// The currency the merchant stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction: Option<CheckedTransaction>,
}

/// `session` of the check-sale answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckedSession {
    /// HMAC-SHA1 of serialNumber + nonce + endpointId + invoiceId (+ serverCardId).
    pub check_signature: String,
    /// The nonce of initiate sale.
    pub nonce: String,
    /// The sale's session token.
    pub token: String,
}

/// `transaction` of the check-sale answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckedTransaction {
    /// ISO 4217.
    pub currency: String,
}

/// Validates initiate sale.
pub fn validate_initiate_sale(request: &InitiateSaleRequest) -> Vec<FieldError> {
    let mut problems = Problems::default();
    if let Some(consumer) = problems.required("consumer", &request.consumer) {
        device_fields(&mut problems, &consumer.device);
        ip_address_list(&mut problems, &consumer.ip_addresses);
    }
    if let Some(transaction) = problems.required("transaction", &request.transaction) {
        transaction_fields(&mut problems, transaction);
    }
    if let Some(session) = problems.required("session", &request.session) {
        session_token(&mut problems, "session.accessToken", &session.access_token);
    }
    if let Some(location) = &request.location {
        location_fields(&mut problems, location);
    }
    problems.0
}

/// Validates check sale.
pub fn validate_check_sale(request: &CheckSaleRequest) -> Vec<FieldError> {
    let mut problems = Problems::default();
    if let Some(consumer) = problems.required("consumer", &request.consumer) {
        device_fields(&mut problems, &consumer.device);
    }
    if let Some(session) = problems.required("session", &request.session) {
        signed_session(&mut problems, &session.access_token, &session.nonce, &session.signature);
        if let Some(value) = problems.required("session.token", &session.token) {
            token(&mut problems, "session.token", value, 16, 36);
        }
    }
    if let Some(reference) = request.source_of_funds.as_ref().and_then(|source| source.reference.as_ref()) {
        problems.required_text("sourceOfFunds.reference.clientCardId", &reference.client_card_id, 1, 128);
    }
    problems.0
}
