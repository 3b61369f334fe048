//! The DAPI flow's server half (FACTS §1, spec `004`): initiate sale, which the page calls; check
//! sale, which the gateway calls; and the sale's status, which the server asks before it ships.

use connpay_core::gateway::Gateway;
use connpay_core::sale::{
    check_check_sale, check_initiate_sale, sale_status_request, CheckSaleResponse, CheckedSession, CheckedTransaction, ErrorCause,
    HttpRequest, InitiateSaleResponse, NonceSignature, Outcome, SaleStatus, StatusSession,
};
use connpay_core::sign::{secrets_match, signatures_match, CheckSignatureFields, SessionSignatureFields};
use connpay_core::value::Value;

use crate::invoice::{Invoice, InvoiceState};
use crate::{new_token, random_hex, Merchant, Reply};

/// What settling an invoice found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// The gateway never asked check sale, and now never will be confirmed: never charged. The
    /// page may offer a new attempt.
    Voided,
    /// The gateway asked check sale and was answered: the sale's outcome is the gateway's to
    /// tell ([`Merchant::status_request`]).
    AskGateway,
}

/// What a stored card's server id may be: what the stored record reads back (`serverCardId`).
fn is_card_id(id: &str) -> bool {
    (1..=128).contains(&id.chars().count()) && !id.chars().any(char::is_control)
}

impl Merchant {
    fn endpoint_or_fail(&self, invoice_id: Option<&str>) -> Result<&str, Reply> {
        self.endpoint_id().ok_or_else(|| {
            Reply::fail(500, ErrorCause::ServerFailed, "this merchant has no endpointId: initiate and check sale need one", invoice_id)
        })
    }

    /// Initiate sale (`POST …/sale/initiate-sale`, FACTS §1 step 2): validates the page's request,
    /// makes the invoice id and the nonce, and signs. `issued` says whether this server issued
    /// the request's access token (to the payer it authenticated). `Ok` holds the answer for the
    /// page and the [`Invoice`] to store; `Err` the spec's fail answer.
    pub fn initiate_sale<V: Value>(&self, body: &V, issued: impl FnOnce(&str) -> bool) -> Result<(Reply, Invoice), Reply> {
        let endpoint_id = self.endpoint_or_fail(None)?.to_string();
        let checked = check_initiate_sale(body);
        if !checked.errors.is_empty() {
            return Err(Reply::invalid(&checked.errors, None));
        }
        let request = checked.record;
        let text = |path: &str| request.text(path).unwrap_or_default().to_string();
        let access_token = text("session.accessToken");
        if !issued(&access_token) {
            return Err(Reply::fail(403, ErrorCause::Filtered, "session.accessToken was not issued by this server", None));
        }
        let unavailable = || Reply::fail(503, ErrorCause::ServerUnavailable, "no random source for the invoice's nonce", None);
        let invoice_id = format!("INV{}", random_hex(12).ok_or_else(unavailable)?);
        let nonce = new_token().ok_or_else(unavailable)?;
        let mut invoice = Invoice {
            invoice_id,
            endpoint_id,
            serial_number: text("consumer.device.serialNumber"),
            access_token,
            nonce,
            signature: String::new(),
            amount_centis: request.number("transaction.amountCentis").unwrap_or_default() as u64,
            currency: text("transaction.currency"),
            state: InvoiceState::Initiated,
        };
        invoice.signature = self.key().session_signature(&SessionSignatureFields {
            access_token: &invoice.access_token,
            serial_number: &invoice.serial_number,
            endpoint_id: &invoice.endpoint_id,
            nonce: &invoice.nonce,
            invoice_id: &invoice.invoice_id,
            amount_centis: invoice.amount_centis,
            currency: &invoice.currency,
        });
        let answer = InitiateSaleResponse {
            endpoint_id: invoice.endpoint_id.clone(),
            invoice_id: invoice.invoice_id.clone(),
            session: NonceSignature { nonce: invoice.nonce.clone(), signature: invoice.signature.clone() },
        };
        Ok((Reply::ok(&answer), invoice))
    }

    /// Check sale (`POST …/sale/{invoiceId}/check`, spec `004`), which the gateway asks before it
    /// charges. The request is validated and compared with the stored `invoice` (`None` when the
    /// server has none of that id); a card reference's `clientCardId` is turned into the server's
    /// card id by `server_card_id`, which also gets the invoice, so that it looks among the cards
    /// of the payer who holds `invoice.access_token` only (`None`: not this payer's card,
    /// refused). The answer carries `checkSignature`; on success `invoice` becomes
    /// [`InvoiceState::Confirmed`] with the sale's token. A voided invoice is never confirmed, and
    /// a confirmed one only ever for its own sale: the gateway asking again for that sale (the
    /// same token) gets the same answer, any other request a refusal.
    pub fn check_sale<V: Value>(
        &self,
        invoice_id: &str,
        body: &V,
        invoice: Option<&mut Invoice>,
        server_card_id: impl FnOnce(&str, &Invoice) -> Option<String>,
    ) -> Reply {
        let named = Some(invoice_id);
        let checked = check_check_sale(body);
        if !checked.errors.is_empty() {
            return Reply::invalid(&checked.errors, named);
        }
        let request = checked.record;
        let text = |path: &str| request.text(path).unwrap_or_default();
        let Some(invoice) = invoice.filter(|invoice| invoice.invoice_id == invoice_id) else {
            return Reply::fail(404, ErrorCause::InvalidRequest, "no such invoice", named);
        };
        // Every comparison runs, whatever the first difference: no timing tells which part was wrong.
        let matches = [
            secrets_match(&invoice.serial_number, text("consumer.device.serialNumber")),
            secrets_match(&invoice.access_token, text("session.accessToken")),
            secrets_match(&invoice.nonce, text("session.nonce")),
            signatures_match(&invoice.signature, text("session.signature")),
        ];
        let token = text("session.token").to_string();
        let server_card_id = match (&invoice.state, request.text("sourceOfFunds.reference.clientCardId")) {
            (InvoiceState::Voided, _) => return Reply::fail(403, ErrorCause::Filtered, "this invoice was settled as not charged", named),
            (InvoiceState::Confirmed { sale_token, server_card_id }, _) => {
                if !secrets_match(sale_token, &token) || matches.contains(&false) {
                    return Reply::fail(403, ErrorCause::Filtered, "this invoice was already confirmed for another sale", named);
                }
                // The gateway asking again for the same sale (its answer was lost): the same answer.
                server_card_id.clone()
            }
            _ if matches.contains(&false) => {
                return Reply::fail(403, ErrorCause::Filtered, "the sale does not match the invoice this server stored", named)
            }
            (InvoiceState::Initiated, None) => None,
            (InvoiceState::Initiated, Some(client_card_id)) => match server_card_id(client_card_id, invoice) {
                Some(id) if is_card_id(&id) => Some(id),
                Some(_) => {
                    let message = "the stored card's server id must be 1 to 128 characters without control characters";
                    return Reply::fail(500, ErrorCause::ServerFailed, message, named);
                }
                None => return Reply::fail(403, ErrorCause::Filtered, "no stored card of this payer has that clientCardId", named),
            },
        };
        let check_signature = self.key().check_signature(&CheckSignatureFields {
            serial_number: &invoice.serial_number,
            nonce: &invoice.nonce,
            endpoint_id: &invoice.endpoint_id,
            invoice_id,
            server_card_id: server_card_id.as_deref(),
        });
        invoice.state = InvoiceState::Confirmed { sale_token: token.clone(), server_card_id: server_card_id.clone() };
        Reply::ok(&CheckSaleResponse {
            invoice_id: invoice_id.to_string(),
            session: CheckedSession { check_signature, nonce: invoice.nonce.clone(), token },
            transaction: Some(CheckedTransaction { currency: invoice.currency.clone() }),
            server_card_id,
        })
    }

    /// What the server does when its page could not learn a sale's outcome (no answer, a 5xx), and
    /// only then: an invoice the gateway never asked about is voided, so that no later check sale
    /// is confirmed (never charged; a payer still paying gets a failed payment); a confirmed one is
    /// the gateway's to tell ([`Merchant::status_request`], which is also what to ask before
    /// shipping). Call it under
    /// the same lock as [`Merchant::check_sale`] for that invoice: then either the check came
    /// first, or it will be refused.
    pub fn settle(&self, invoice: &mut Invoice) -> Settlement {
        match invoice.state {
            InvoiceState::Initiated | InvoiceState::Voided => {
                invoice.state = InvoiceState::Voided;
                Settlement::Voided
            }
            InvoiceState::Confirmed { .. } => Settlement::AskGateway,
        }
    }

    /// The sale-status request for a confirmed invoice (FACTS §1 step 5), to send to `gateway`;
    /// `None` before check sale confirmed it (there is no sale to ask about). Read the answer
    /// with [`Merchant::read_status`].
    pub fn status_request(&self, gateway: &Gateway, invoice: &Invoice) -> Option<HttpRequest> {
        let session = StatusSession { access_token: invoice.access_token.clone(), token: invoice.sale_token()?.to_string() };
        Some(sale_status_request(gateway, &invoice.endpoint_id, &invoice.invoice_id, &session))
    }

    /// The gateway's answer to [`Merchant::status_request`], classified; ship only on an
    /// accepted answer whose state is `APPROVED` for this invoice.
    pub fn read_status(http_status: u16, body: &str) -> Outcome<SaleStatus> {
        Outcome::classify_text(http_status, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connpay_core::sale::SaleState;
    use serde_json::{json, Value as Json};

    const KEY: &str = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20";

    fn merchant() -> Merchant {
        Merchant::new(KEY, Some("1111".into()), None).unwrap()
    }

    fn initiated() -> (Json, Invoice) {
        let body = json!({
            "consumer": { "device": { "serialNumber": "SN-1" } },
            "transaction": { "amountCentis": 1042, "currency": "EUR" },
            "session": { "accessToken": "a".repeat(64) },
        });
        let (reply, invoice) = merchant().initiate_sale(&&body, |token| token == "a".repeat(64)).unwrap();
        (serde_json::from_str(&reply.json()).unwrap(), invoice)
    }

    fn check_body(answer: &Json, token: &str) -> Json {
        json!({
            "consumer": { "device": { "serialNumber": "SN-1" } },
            "session": {
                "accessToken": "a".repeat(64),
                "nonce": answer["session"]["nonce"],
                "signature": answer["session"]["signature"].as_str().unwrap().to_uppercase(),
                "token": token,
            },
        })
    }

    #[test]
    fn initiate_sale_signs_what_the_page_will_send() {
        let (answer, invoice) = initiated();
        assert_eq!(answer["endpointId"], "1111");
        assert_eq!(answer["invoiceId"], invoice.invoice_id.as_str());
        let fields = SessionSignatureFields {
            access_token: &"a".repeat(64),
            serial_number: "SN-1",
            endpoint_id: "1111",
            nonce: answer["session"]["nonce"].as_str().unwrap(),
            invoice_id: &invoice.invoice_id,
            amount_centis: 1042,
            currency: "EUR",
        };
        assert!(merchant().key().verify_hmac(&fields.message(), answer["session"]["signature"].as_str().unwrap()));
        assert_eq!(invoice.state, InvoiceState::Initiated);
        let refused = merchant().initiate_sale(&&json!({}), |_| true).unwrap_err();
        assert_eq!(refused.status, 400);
        let body = json!({
            "consumer": { "device": { "serialNumber": "SN-1" } },
            "transaction": { "amountCentis": 1042, "currency": "EUR" },
            "session": { "accessToken": "z".repeat(64) },
        });
        assert_eq!(merchant().initiate_sale(&&body, |_| false).unwrap_err().status, 403);
    }

    #[test]
    fn check_sale_confirms_once_with_the_check_signature() {
        let (answer, mut invoice) = initiated();
        let id = invoice.invoice_id.clone();
        let reply = merchant().check_sale(&id, &&check_body(&answer, "t".repeat(32).as_str()), Some(&mut invoice), |_, _| None);
        assert_eq!(reply.status, 200, "{}", reply.json());
        let expected = merchant().key().check_signature(&CheckSignatureFields {
            serial_number: "SN-1",
            nonce: &invoice.nonce,
            endpoint_id: "1111",
            invoice_id: &id,
            server_card_id: None,
        });
        let body: Json = serde_json::from_str(&reply.json()).unwrap();
        assert_eq!(body["session"]["checkSignature"], expected.as_str());
        assert_eq!(body["session"]["token"], "t".repeat(32).as_str());
        assert_eq!(invoice.sale_token(), Some("t".repeat(32).as_str()));
        // The gateway asking again for the same sale (its answer lost): the same answer, once more.
        let again = merchant().check_sale(&id, &&check_body(&answer, "t".repeat(32).as_str()), Some(&mut invoice), |_, _| None);
        assert_eq!(again, reply);
        // Another sale on the invoice (another token), or a replay with anything changed: refused.
        let other = merchant().check_sale(&id, &&check_body(&answer, "u".repeat(32).as_str()), Some(&mut invoice), |_, _| None);
        assert_eq!((other.status, invoice.sale_token()), (403, Some("t".repeat(32).as_str())));
        let mut altered = check_body(&answer, "t".repeat(32).as_str());
        altered["consumer"]["device"]["serialNumber"] = json!("SN-2");
        assert_eq!(merchant().check_sale(&id, &&altered, Some(&mut invoice), |_, _| None).status, 403);
    }

    #[test]
    fn check_sale_signs_the_server_card_id_of_a_reference() {
        let (answer, mut invoice) = initiated();
        let id = invoice.invoice_id.clone();
        let mut body = check_body(&answer, &"t".repeat(32));
        body["sourceOfFunds"] = json!({ "reference": { "clientCardId": "card-1" } });
        let unknown = merchant().check_sale(&id, &&body, Some(&mut invoice.clone()), |_, _| None);
        assert_eq!(unknown.status, 403);
        for bad in ["", "\n", &"x".repeat(129)] {
            let mut kept = invoice.clone();
            let refused = merchant().check_sale(&id, &&body, Some(&mut kept), |_, _| Some(bad.to_string()));
            assert_eq!((refused.status, kept.state), (500, InvoiceState::Initiated), "{bad:?}");
        }
        let reply = merchant().check_sale(&id, &&body, Some(&mut invoice), |client, invoice| (client == "card-1" && invoice.serial_number == "SN-1").then(|| "SRV-9".to_string()));
        let body: Json = serde_json::from_str(&reply.json()).unwrap();
        assert_eq!(body["sourceOfFunds"]["reference"]["serverCardId"], "SRV-9");
        let message = format!("SN-1{}1111{id}SRV-9", invoice.nonce);
        assert!(merchant().key().verify_hmac(&message, body["session"]["checkSignature"].as_str().unwrap()));
    }

    #[test]
    fn check_sale_refuses_what_does_not_match() {
        let (answer, invoice) = initiated();
        let id = invoice.invoice_id.clone();
        let good = check_body(&answer, &"t".repeat(32));
        for (path, value) in [
            ("/consumer/device/serialNumber", json!("SN-2")),
            ("/session/accessToken", json!("A".repeat(64))),
            ("/session/nonce", json!("f".repeat(64))),
            ("/session/signature", json!("0".repeat(40))),
        ] {
            let mut body = good.clone();
            *body.pointer_mut(path).unwrap() = value;
            let reply = merchant().check_sale(&id, &&body, Some(&mut invoice.clone()), |_, _| None);
            assert_eq!(reply.status, 403, "{path}");
        }
        assert_eq!(merchant().check_sale(&id, &&good, None, |_, _| None).status, 404);
        assert_eq!(merchant().check_sale("INVother", &&good, Some(&mut invoice.clone()), |_, _| None).status, 404);
        assert_eq!(merchant().check_sale(&id, &&json!({ "session": {} }), Some(&mut invoice.clone()), |_, _| None).status, 400);
    }

    #[test]
    fn a_settled_invoice_is_never_confirmed_and_a_confirmed_one_is_asked_about() {
        let (answer, mut invoice) = initiated();
        let id = invoice.invoice_id.clone();
        let gateway = Gateway::parse("http://127.0.0.1:9").unwrap();
        assert_eq!(merchant().status_request(&gateway, &invoice), None);
        assert_eq!(merchant().settle(&mut invoice), Settlement::Voided);
        assert_eq!(merchant().check_sale(&id, &&check_body(&answer, &"t".repeat(32)), Some(&mut invoice), |_, _| None).status, 403);

        let (answer, mut invoice) = initiated();
        let id = invoice.invoice_id.clone();
        merchant().check_sale(&id, &&check_body(&answer, &"t".repeat(32)), Some(&mut invoice), |_, _| None);
        assert_eq!(merchant().settle(&mut invoice), Settlement::AskGateway);
        let request = merchant().status_request(&gateway, &invoice).unwrap();
        assert_eq!(request.url, format!("http://127.0.0.1:9/paynet/dapi/v1/sale/1111/{id}/status"));
        let sent: Json = serde_json::from_str(&request.body).unwrap();
        assert_eq!(sent, json!({ "session": { "accessToken": "a".repeat(64), "token": "t".repeat(32) } }));
        let answer = json!({ "invoiceId": id, "session": { "token": "t".repeat(32) }, "state": "APPROVED" }).to_string();
        match Merchant::read_status(200, &answer) {
            Outcome::Accepted(status) => assert_eq!(status.state, SaleState::Approved),
            other => panic!("{other:?}"),
        }
    }
}
