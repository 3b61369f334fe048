//! The DAPI flow's server half, order by order: initiate sale, which the page calls; check sale,
//! which the gateway calls before it charges; and the sale status, which the server asks to learn
//! how an undecided sale ended. Each takes the order as the server stored it and changes it in
//! place; the server writes it back in the same transaction it read it in.

use connpay_core::gateway::Gateway;
use connpay_core::sale::{
    check_check_sale, check_initiate_sale, sale_status_request, CheckSaleResponse, CheckedSession, CheckedTransaction, ErrorCause,
    HttpRequest, InitiateSaleResponse, NonceSignature, Outcome, SaleState, SaleStatus, StatusSession,
};
use connpay_core::sign::{secrets_match, signatures_match, CheckSignatureFields, SessionSignatureFields};
use connpay_core::value::{Record, Value};

use crate::invoice::{Invoice, InvoiceState, Sale};
use crate::order::{Order, OrderStatus, MAX_INVOICES};
use crate::{new_token, random_hex, Merchant, Reply};

/// What the gateway's sale status, read by [`Merchant::apply_status`], told of an invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusRead {
    /// The sale's state. A final one is recorded (and never replaced); `PROCESSING` and
    /// `REDIRECT_REQUEST` leave the invoice confirmed (the issuer's page kept, for a payer who
    /// closed it).
    State(SaleState),
    /// The gateway approved another amount than the one this invoice was signed for: not this
    /// order's payment. The invoice stays confirmed, and the order pending, for the merchant to
    /// look into; nothing is shipped.
    AmountMismatch,
    /// No usable answer (a refusal, a 5xx, another invoice's or sale's status, an invoice with
    /// no sale): nothing changes; ask again later.
    NoAnswer,
    /// The gateway holds no sale of this invoice with the token check sale brought (its 404
    /// `ORDER_NOT_FOUND` naming this invoice), it never answered a status of that sale, and the
    /// sale's lifetime has passed: no such sale can be charged (a check sale forged with a
    /// made-up token, or one the gateway refused). The invoice is recorded as declined, so the
    /// order is free again. Before the lifetime has passed, after a status of the sale, or from
    /// an answer naming another invoice or none, the same refusal changes nothing.
    NoSuchSale,
}

/// What a stored card's server id may be: what the stored record reads back (`serverCardId`).
fn is_card_id(id: &str) -> bool {
    (1..=128).contains(&id.chars().count()) && !id.chars().any(char::is_control)
}

/// `{ status, orderId, invoiceId }` for a paid or pending order, with, while pending, `until`
/// (the longest the sale may stay open) and the issuer's page to open again.
fn order_answer(order: &Order, status: OrderStatus<'_>, challenge_lifetime_ms: u64) -> Record {
    let invoice = status.invoice();
    let sale = invoice.and_then(|invoice| invoice.sale.as_ref()).filter(|_| matches!(status, OrderStatus::Pending(_)));
    Record::default()
        .field("status", status.name())
        .field("orderId", &order.order_id)
        .field("invoiceId", invoice.map(|invoice| &invoice.invoice_id))
        .field_if("until", &sale.map(|sale| sale.confirmed_at.saturating_add(challenge_lifetime_ms)))
        .field_if("redirectUrl", &sale.and_then(|sale| sale.redirect_url.as_ref()))
}

impl Merchant {
    fn endpoint_or_fail(&self, invoice_id: Option<&str>) -> Result<&str, Reply> {
        self.endpoint_id().ok_or_else(|| {
            Reply::fail(500, ErrorCause::ServerFailed, "this merchant has no endpointId: initiate and check sale need one", invoice_id)
        })
    }

    /// Where `order` stands, as initiate sale would answer it: `{ status: "open" | "paid" |
    /// "pending", orderId, invoiceId, until?, redirectUrl? }`.
    pub fn order_status(&self, order: &Order) -> Record {
        order_answer(order, order.status(), self.challenge_lifetime_ms())
    }

    /// Initiate sale (`POST …/sale/initiate-sale`) for `order`: validates the page's request;
    /// `token_issued` says whether this server issued its `session.accessToken` (to the payer it
    /// authenticated). Then, by the order:
    /// - paid: `{ status: "paid", orderId, invoiceId }`, nothing signed;
    /// - pending (a confirmed sale not final yet): `{ status: "pending", orderId, invoiceId,
    ///   until, redirectUrl? }`, nothing signed: that sale may still be approved;
    /// - open: every invoice no check sale reached is voided (a page still holding one cannot
    ///   charge it), and a new invoice is signed for the order's own amount (the request's must
    ///   be the same: the page shows what it charges), the answer the gateway's initiate-sale
    ///   answer with `status: "open"`.
    ///
    /// `order` changes only when an invoice is made; its `version` then grows by one.
    pub fn initiate_sale<V: Value>(&self, order: &mut Order, body: &V, token_issued: bool) -> Reply {
        let checked = check_initiate_sale(body);
        if !checked.errors.is_empty() {
            return Reply::invalid(&checked.errors, None);
        }
        let request = checked.record;
        let text = |path: &str| request.text(path).unwrap_or_default().to_string();
        if !token_issued {
            return Reply::fail(403, ErrorCause::Filtered, "session.accessToken was not issued by this server to this order's payer", None);
        }
        match order.status() {
            OrderStatus::Open => {}
            decided => return Reply::ok(&order_answer(order, decided, self.challenge_lifetime_ms())),
        }
        let endpoint_id = match self.endpoint_or_fail(None) {
            Ok(endpoint_id) => endpoint_id.to_string(),
            Err(reply) => return reply,
        };
        let amount = (request.number("transaction.amountCentis").unwrap_or_default() as u64, text("transaction.currency"));
        if amount != (order.amount_centis, order.currency.clone()) {
            let message = format!(
                "transaction: the order costs {} {} (minor units); show the payer the order's amount",
                order.amount_centis, order.currency
            );
            return Reply::fail(400, ErrorCause::InvalidRequest, message, None);
        }
        if order.invoices.len() >= MAX_INVOICES {
            return Reply::fail(403, ErrorCause::Filtered, "this order has had too many attempts: the shop must look into it", None);
        }
        let unavailable = || Reply::fail(503, ErrorCause::ServerUnavailable, "no random source for the invoice's nonce", None);
        let (Some(id), Some(nonce)) = (random_hex(12), new_token()) else {
            return unavailable();
        };
        let mut invoice = Invoice {
            invoice_id: format!("INV{id}"),
            endpoint_id,
            serial_number: text("consumer.device.serialNumber"),
            access_token: text("session.accessToken"),
            nonce,
            signature: String::new(),
            amount_centis: order.amount_centis,
            currency: order.currency.clone(),
            state: InvoiceState::Initiated,
            sale: None,
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
        order.changing(|order| {
            order.void_unconfirmed();
            order.invoices.push(invoice);
        });
        let mut reply = Reply::ok(&answer);
        reply.body.set("status", "open".into());
        reply
    }

    /// Check sale (`POST …/sale/{invoiceId}/check`), which the gateway asks before it charges:
    /// the request is validated and compared with the invoice of that id in `order` (the server
    /// finds the order by the invoice id). A card reference's `clientCardId` must be one of
    /// `saved_cards`, the `(clientCardId, serverCardId)` pairs of the cards of this order's
    /// payer, which the server looked up before the call. The answer carries `checkSignature`;
    /// on success the invoice is confirmed, with its sale's token, at `now` (milliseconds since
    /// 1970).
    ///
    /// Refused: an unknown invoice (404); a voided one; one of an order that another invoice
    /// paid or may still pay (two tabs that both got past initiate sale: only one is charged);
    /// and a confirmed one for any other sale than its own (the gateway asking again for the
    /// same sale gets the same answer).
    pub fn check_sale<V: Value>(&self, order: &mut Order, invoice_id: &str, body: &V, saved_cards: &[(&str, &str)], now: u64) -> Reply {
        let named = Some(invoice_id);
        let checked = check_check_sale(body);
        if !checked.errors.is_empty() {
            return Reply::invalid(&checked.errors, named);
        }
        let request = checked.record;
        let text = |path: &str| request.text(path).unwrap_or_default();
        let other_sale = order
            .invoices
            .iter()
            .any(|other| other.invoice_id != invoice_id && matches!(other.state, InvoiceState::Approved | InvoiceState::Confirmed));
        let Some(invoice) = order.invoice(invoice_id) else {
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
        let server_card_id = match (invoice.state, &invoice.sale, request.text("sourceOfFunds.reference.clientCardId")) {
            (InvoiceState::Voided, ..) => {
                return Reply::fail(403, ErrorCause::Filtered, "this invoice was voided: it is never charged", named)
            }
            (_, Some(sale), _) => {
                if !secrets_match(&sale.token, &token) || matches.contains(&false) {
                    return Reply::fail(403, ErrorCause::Filtered, "this invoice was already confirmed for another sale", named);
                }
                // The gateway asking again for the same sale (its answer was lost): the same answer.
                sale.server_card_id.clone()
            }
            _ if matches.contains(&false) => {
                return Reply::fail(403, ErrorCause::Filtered, "the sale does not match the invoice this server stored", named)
            }
            _ if other_sale => {
                return Reply::fail(403, ErrorCause::Filtered, "another payment of this order is approved or may still be", named)
            }
            (_, None, None) => None,
            (_, None, Some(client_card_id)) => match saved_cards.iter().find(|(client, _)| *client == client_card_id) {
                Some((_, id)) if is_card_id(id) => Some((*id).to_string()),
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
        let answer = CheckSaleResponse {
            invoice_id: invoice_id.to_string(),
            session: CheckedSession { check_signature, nonce: invoice.nonce.clone(), token: token.clone() },
            transaction: Some(CheckedTransaction { currency: invoice.currency.clone() }),
            server_card_id: server_card_id.clone(),
        };
        order.changing(|order| {
            if let Some(invoice) = order.invoice_mut(invoice_id).filter(|invoice| invoice.sale.is_none()) {
                invoice.state = InvoiceState::Confirmed;
                invoice.sale = Some(Sale { token, server_card_id, confirmed_at: now, redirect_url: None, held: false });
            }
        });
        Reply::ok(&answer)
    }

    /// What the server does when its page could not learn a sale's outcome (no answer, a 5xx),
    /// and only then: an invoice no check sale reached is voided, so that none will be
    /// confirmed (never charged); a confirmed one is the gateway's to tell
    /// ([`Merchant::reconcile`]). Answers the invoice's state after it, `None` when the order
    /// has no invoice of that id. Run it in the same transaction as check sale for that order:
    /// then either the check came first, or it will be refused.
    pub fn settle(&self, order: &mut Order, invoice_id: &str) -> Option<InvoiceState> {
        order.changing(|order| {
            let invoice = order.invoice_mut(invoice_id)?;
            if invoice.state == InvoiceState::Initiated {
                invoice.state = InvoiceState::Voided;
            }
            Some(invoice.state)
        })
    }

    /// The sale-status requests to send to `gateway` for `order`: one for each confirmed invoice
    /// (a sale that may still be approved), with its invoice id. Read each answer with
    /// [`Merchant::apply_status`]. A server runs this on a timer and before it answers initiate
    /// sale, so that an order whose sale ended is paid, or open again, without the payer.
    pub fn reconcile(&self, gateway: &Gateway, order: &Order) -> Vec<(String, HttpRequest)> {
        let confirmed = order.invoices.iter().filter(|invoice| invoice.state == InvoiceState::Confirmed);
        confirmed.filter_map(|invoice| Some((invoice.invoice_id.clone(), self.status_request(gateway, invoice)?))).collect()
    }

    /// The sale-status request of one invoice (what it takes: its sale's token); `None` before
    /// check sale confirmed it, when there is no sale to ask about.
    pub fn status_request(&self, gateway: &Gateway, invoice: &Invoice) -> Option<HttpRequest> {
        let session = StatusSession { access_token: invoice.access_token.clone(), token: invoice.sale_token()?.to_string() };
        Some(sale_status_request(gateway, &invoice.endpoint_id, &invoice.invoice_id, &session))
    }

    /// The gateway's answer (its HTTP status and body) to the sale-status request of
    /// `invoice_id`, applied to `order`: `APPROVED` of the invoice's own amount and `DECLINED`
    /// are recorded for good; an answer about another invoice or sale, or none, changes nothing.
    /// The amount is optional in the gateway's answer: one that states none is the invoice's own,
    /// since the invoice's `session.signature` binds its amount and currency and the gateway
    /// charges no other; one that states another is not this order's payment.
    ///
    /// `now` (milliseconds since 1970) decides one answer only: the gateway's `ORDER_NOT_FOUND`
    /// for a confirmed invoice whose lifetime ([`Merchant::challenge_lifetime_ms`] after check
    /// sale) has passed ([`StatusRead::NoSuchSale`]). Every sale the gateway makes is asked about
    /// in check sale, so a confirmed invoice the gateway holds no sale of, that long after, is one
    /// whose check sale came from someone else, or whose sale the gateway refused.
    pub fn apply_status(&self, order: &mut Order, invoice_id: &str, http_status: u16, body: &str, now: u64) -> StatusRead {
        let status = match Outcome::<SaleStatus>::classify_text(http_status, body) {
            Outcome::Accepted(status) => status,
            // The gateway's 404 about this very invoice; one about another, or naming none, or
            // with another status, is not this sale's answer (a proxy, a misrouted URL).
            Outcome::Rejected(refusal)
                if refusal.error.cause == ErrorCause::OrderNotFound
                    && http_status == 404
                    && refusal.invoice_id.as_deref() == Some(invoice_id) =>
            {
                let lifetime = self.challenge_lifetime_ms();
                // A sale whose status the gateway answered before is one it holds: not found now
                // contradicts that, and is no answer.
                let expired = |sale: &Sale| !sale.held && now >= sale.confirmed_at.saturating_add(lifetime);
                return order.changing(|order| match order.invoice_mut(invoice_id) {
                    Some(invoice) if invoice.state == InvoiceState::Confirmed && invoice.sale.as_ref().is_some_and(expired) => {
                        invoice.state = InvoiceState::Declined;
                        StatusRead::NoSuchSale
                    }
                    _ => StatusRead::NoAnswer,
                });
            }
            _ => return StatusRead::NoAnswer,
        };
        order.changing(|order| {
            let Some(invoice) = order.invoice_mut(invoice_id) else {
                return StatusRead::NoAnswer;
            };
            let Some(sale) =
                invoice.sale.as_mut().filter(|sale| status.invoice_id == invoice_id && secrets_match(&sale.token, &status.session.token))
            else {
                return StatusRead::NoAnswer;
            };
            match (invoice.state, status.state) {
                // A final state is never replaced, whatever a later answer says.
                (InvoiceState::Approved, _) => StatusRead::State(SaleState::Approved),
                (InvoiceState::Declined, _) => StatusRead::State(SaleState::Declined),
                (_, SaleState::Approved) => {
                    let charged = status.transaction.as_ref().and_then(|transaction| transaction.amount_centis);
                    if charged.is_some_and(|charged| charged != invoice.amount_centis) {
                        return StatusRead::AmountMismatch;
                    }
                    invoice.state = InvoiceState::Approved;
                    StatusRead::State(SaleState::Approved)
                }
                (_, SaleState::Declined) => {
                    invoice.state = InvoiceState::Declined;
                    StatusRead::State(SaleState::Declined)
                }
                (_, open) => {
                    sale.held = true;
                    if let Some(url) = status.redirect_url.filter(|_| open == SaleState::RedirectRequest) {
                        sale.redirect_url = Some(url);
                    }
                    StatusRead::State(open)
                }
            }
        })
    }

    /// The gateway's answer to a sale-status request, classified (for a server that asks about
    /// a sale itself; [`Merchant::apply_status`] reads and records it for an order).
    pub fn read_status(http_status: u16, body: &str) -> Outcome<SaleStatus> {
        Outcome::classify_text(http_status, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as Json};

    const KEY: &str = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20";
    const NOW: u64 = 1_800_000_000_000;

    fn merchant() -> Merchant {
        Merchant::new(KEY, Some("1111".into()), None).unwrap().with_challenge_lifetime(600_000)
    }

    fn order() -> Order {
        Order::new(&&json!({ "orderId": "order-1", "amountCentis": 1042, "currency": "EUR" })).unwrap()
    }

    fn page_body(amount: u64) -> Json {
        json!({
            "consumer": { "device": { "serialNumber": "SN-1" } },
            "transaction": { "amountCentis": amount, "currency": "EUR" },
            "session": { "accessToken": "a".repeat(64) },
        })
    }

    fn body(reply: &Reply) -> Json {
        serde_json::from_str(&reply.json()).unwrap()
    }

    /// A new invoice for `order`: the page's answer.
    fn initiated(order: &mut Order) -> Json {
        let reply = merchant().initiate_sale(order, &&page_body(1042), true);
        assert_eq!(reply.status, 200, "{}", reply.json());
        body(&reply)
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

    fn id(answer: &Json) -> String {
        answer["invoiceId"].as_str().unwrap().to_string()
    }

    fn confirm(order: &mut Order, answer: &Json, token: &str) -> Reply {
        merchant().check_sale(order, &id(answer), &&check_body(answer, token), &[], NOW)
    }

    fn status_body(invoice_id: &str, token: &str, state: &str, amount: Option<u64>) -> String {
        let mut answer = json!({ "invoiceId": invoice_id, "session": { "token": token }, "state": state });
        if let Some(amount) = amount {
            answer["transaction"] = json!({ "amountCentis": amount });
        }
        if state == "REDIRECT_REQUEST" {
            answer["redirectUrl"] = json!("https://issuer.example/3ds/1");
        }
        answer.to_string()
    }

    fn state_of(order: &Order, invoice_id: &str) -> InvoiceState {
        order.invoice(invoice_id).unwrap().state
    }

    #[test]
    fn initiate_sale_signs_the_orders_amount() {
        let mut order = order();
        let answer = initiated(&mut order);
        assert_eq!((answer["status"].as_str(), answer["endpointId"].as_str()), (Some("open"), Some("1111")));
        let invoice = order.invoice(&id(&answer)).unwrap();
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
        assert_eq!((invoice.state, invoice.amount_centis, order.version), (InvoiceState::Initiated, 1042, 1));
    }

    #[test]
    fn initiate_sale_refuses_what_it_cannot_sign_and_changes_nothing() {
        let mut order = order();
        assert_eq!(merchant().initiate_sale(&mut order, &&json!({}), true).status, 400);
        assert_eq!(merchant().initiate_sale(&mut order, &&page_body(1042), false).status, 403);
        let other_amount = merchant().initiate_sale(&mut order, &&page_body(1043), true);
        assert_eq!(other_amount.status, 400);
        assert!(other_amount.json().contains("1042 EUR"), "{}", other_amount.json());
        let mut in_dollars = page_body(1042);
        in_dollars["transaction"]["currency"] = json!("USD");
        assert_eq!(merchant().initiate_sale(&mut order, &&in_dollars, true).status, 400);
        let no_endpoint = Merchant::new(KEY, None, None).unwrap();
        assert_eq!(no_endpoint.initiate_sale(&mut order, &&page_body(1042), true).status, 500);
        assert_eq!((order.invoices.len(), order.version), (0, 0));
    }

    #[test]
    fn a_new_invoice_voids_the_ones_no_check_sale_reached() {
        let mut order = order();
        let first = initiated(&mut order);
        let second = initiated(&mut order);
        assert_eq!(state_of(&order, &id(&first)), InvoiceState::Voided);
        assert_eq!(state_of(&order, &id(&second)), InvoiceState::Initiated);
        // The tab that kept the first invoice: its sale is refused, the other goes through.
        assert_eq!(confirm(&mut order, &first, &"t".repeat(32)).status, 403);
        assert_eq!(confirm(&mut order, &second, &"u".repeat(32)).status, 200);
        assert_eq!(order.version, 3);
    }

    #[test]
    fn a_pending_or_paid_order_signs_nothing_new() {
        let mut order = order();
        let answer = initiated(&mut order);
        confirm(&mut order, &answer, &"t".repeat(32));
        let version = order.version;
        let pending = body(&merchant().initiate_sale(&mut order, &&page_body(1042), true));
        assert_eq!(pending, json!({ "status": "pending", "orderId": "order-1", "invoiceId": id(&answer), "until": NOW + 600_000 }));
        assert_eq!((order.invoices.len(), order.version), (1, version));
        let issuer = status_body(&id(&answer), &"t".repeat(32), "REDIRECT_REQUEST", None);
        assert_eq!(merchant().apply_status(&mut order, &id(&answer), 200, &issuer, NOW), StatusRead::State(SaleState::RedirectRequest));
        let pending = body(&merchant().initiate_sale(&mut order, &&page_body(1042), true));
        assert_eq!(pending["redirectUrl"], "https://issuer.example/3ds/1");
        let approved = status_body(&id(&answer), &"t".repeat(32), "APPROVED", Some(1042));
        assert_eq!(merchant().apply_status(&mut order, &id(&answer), 200, &approved, NOW), StatusRead::State(SaleState::Approved));
        let paid = body(&merchant().initiate_sale(&mut order, &&page_body(1042), true));
        assert_eq!(paid, json!({ "status": "paid", "orderId": "order-1", "invoiceId": id(&answer) }));
        let status: Json = serde_json::from_str(&connpay_core::value::to_json_value(&merchant().order_status(&order))).unwrap();
        assert_eq!(status, paid);
        assert_eq!(order.invoices.len(), 1);
        // Even the page's token alone cannot learn it.
        assert_eq!(merchant().initiate_sale(&mut order, &&page_body(1042), false).status, 403);
    }

    #[test]
    fn a_declined_sale_frees_the_order_for_a_new_invoice() {
        let mut order = order();
        let answer = initiated(&mut order);
        confirm(&mut order, &answer, &"t".repeat(32));
        let declined = status_body(&id(&answer), &"t".repeat(32), "DECLINED", None);
        assert_eq!(merchant().apply_status(&mut order, &id(&answer), 200, &declined, NOW), StatusRead::State(SaleState::Declined));
        assert_eq!(merchant().order_status(&order).text("status"), Some("open"));
        let again = initiated(&mut order);
        assert_ne!(id(&again), id(&answer));
        assert_eq!(state_of(&order, &id(&answer)), InvoiceState::Declined);
    }

    #[test]
    fn check_sale_confirms_once_with_the_check_signature() {
        let mut order = order();
        let answer = initiated(&mut order);
        let id = id(&answer);
        let reply = confirm(&mut order, &answer, &"t".repeat(32));
        assert_eq!(reply.status, 200, "{}", reply.json());
        let invoice = order.invoice(&id).unwrap().clone();
        let expected = merchant().key().check_signature(&CheckSignatureFields {
            serial_number: "SN-1",
            nonce: &invoice.nonce,
            endpoint_id: "1111",
            invoice_id: &id,
            server_card_id: None,
        });
        let answered = body(&reply);
        assert_eq!(answered["session"]["checkSignature"], expected.as_str());
        assert_eq!(answered["session"]["token"], "t".repeat(32).as_str());
        assert_eq!(answered["transaction"]["currency"], "EUR");
        assert_eq!(invoice.state, InvoiceState::Confirmed);
        assert_eq!(
            invoice.sale,
            Some(Sale { token: "t".repeat(32), server_card_id: None, confirmed_at: NOW, redirect_url: None, held: false })
        );
        // The gateway asking again for the same sale (its answer lost): the same answer, nothing changed.
        let version = order.version;
        assert_eq!(confirm(&mut order, &answer, &"t".repeat(32)), reply);
        assert_eq!(order.version, version);
        // Another sale on the invoice (another token), or a replay with anything changed: refused.
        assert_eq!(confirm(&mut order, &answer, &"u".repeat(32)).status, 403);
        let mut altered = check_body(&answer, &"t".repeat(32));
        altered["consumer"]["device"]["serialNumber"] = json!("SN-2");
        assert_eq!(merchant().check_sale(&mut order, &id, &&altered, &[], NOW).status, 403);
        assert_eq!((order.invoice(&id).unwrap().sale_token(), order.version), (Some("t".repeat(32).as_str()), version));
    }

    #[test]
    fn check_sale_refuses_a_second_sale_of_the_order() {
        // Two tabs both past initiate sale, their invoices made before either check sale (the
        // second made its own without voiding: a record a racing store could leave).
        let mut order = order();
        let first = initiated(&mut order);
        let mut other = order.clone();
        let second = initiated(&mut other);
        order.invoices.push(other.invoice(&id(&second)).unwrap().clone());
        assert_eq!(confirm(&mut order, &first, &"t".repeat(32)).status, 200);
        let refused = confirm(&mut order, &second, &"u".repeat(32));
        assert_eq!(refused.status, 403);
        assert!(refused.json().contains("another payment"), "{}", refused.json());
        // Still refused once the first is approved; free again once it is declined.
        let approved = status_body(&id(&first), &"t".repeat(32), "APPROVED", None);
        merchant().apply_status(&mut order, &id(&first), 200, &approved, NOW);
        assert_eq!(confirm(&mut order, &second, &"u".repeat(32)).status, 403);
        let mut declined_first = order.clone();
        declined_first.invoice_mut(&id(&first)).unwrap().state = InvoiceState::Declined;
        assert_eq!(confirm(&mut declined_first, &second, &"u".repeat(32)).status, 200);
    }

    #[test]
    fn check_sale_signs_the_server_card_id_of_a_payers_card() {
        let mut order = order();
        let answer = initiated(&mut order);
        let id = id(&answer);
        let mut request = check_body(&answer, &"t".repeat(32));
        request["sourceOfFunds"] = json!({ "reference": { "clientCardId": "card-1" } });
        assert_eq!(merchant().check_sale(&mut order.clone(), &id, &&request, &[("card-2", "SRV-2")], NOW).status, 403);
        for bad in ["", "\n", &"x".repeat(129)] {
            let mut kept = order.clone();
            let refused = merchant().check_sale(&mut kept, &id, &&request, &[("card-1", bad)], NOW);
            assert_eq!((refused.status, kept.invoice(&id).unwrap().state), (500, InvoiceState::Initiated), "{bad:?}");
        }
        let reply = merchant().check_sale(&mut order, &id, &&request, &[("card-2", "SRV-2"), ("card-1", "SRV-9")], NOW);
        let answered = body(&reply);
        assert_eq!(answered["sourceOfFunds"]["reference"]["serverCardId"], "SRV-9");
        let nonce = &order.invoice(&id).unwrap().nonce;
        assert!(merchant()
            .key()
            .verify_hmac(&format!("SN-1{nonce}1111{id}SRV-9"), answered["session"]["checkSignature"].as_str().unwrap()));
        assert_eq!(order.invoice(&id).unwrap().sale.as_ref().unwrap().server_card_id.as_deref(), Some("SRV-9"));
        // The gateway asking again: the same card, signed again.
        assert_eq!(merchant().check_sale(&mut order, &id, &&request, &[], NOW), reply);
    }

    #[test]
    fn check_sale_refuses_what_does_not_match() {
        let mut order = order();
        let answer = initiated(&mut order);
        let id = id(&answer);
        let good = check_body(&answer, &"t".repeat(32));
        for (path, value) in [
            ("/consumer/device/serialNumber", json!("SN-2")),
            ("/session/accessToken", json!("A".repeat(64))),
            ("/session/nonce", json!("f".repeat(64))),
            ("/session/signature", json!("0".repeat(40))),
        ] {
            let mut request = good.clone();
            *request.pointer_mut(path).unwrap() = value;
            let mut kept = order.clone();
            assert_eq!(merchant().check_sale(&mut kept, &id, &&request, &[], NOW).status, 403, "{path}");
            assert_eq!(kept, order, "{path}");
        }
        assert_eq!(merchant().check_sale(&mut order.clone(), "INVother", &&good, &[], NOW).status, 404);
        assert_eq!(merchant().check_sale(&mut order.clone(), &id, &&json!({ "session": {} }), &[], NOW).status, 400);
    }

    #[test]
    fn settle_voids_an_unconfirmed_invoice_and_leaves_a_sale_to_the_gateway() {
        let mut order = order();
        let answer = initiated(&mut order);
        let gateway = Gateway::parse("http://127.0.0.1:9").unwrap();
        assert!(merchant().reconcile(&gateway, &order).is_empty());
        assert_eq!(merchant().settle(&mut order, &id(&answer)), Some(InvoiceState::Voided));
        assert_eq!(order.version, 2);
        assert_eq!(merchant().settle(&mut order, &id(&answer)), Some(InvoiceState::Voided));
        assert_eq!(order.version, 2);
        assert_eq!(merchant().settle(&mut order, "INVnone"), None);
        assert_eq!(confirm(&mut order, &answer, &"t".repeat(32)).status, 403);

        let answer = initiated(&mut order);
        confirm(&mut order, &answer, &"t".repeat(32));
        assert_eq!(merchant().settle(&mut order, &id(&answer)), Some(InvoiceState::Confirmed));
        let requests = merchant().reconcile(&gateway, &order);
        assert_eq!(requests.len(), 1);
        let (invoice_id, request) = &requests[0];
        assert_eq!(invoice_id, &id(&answer));
        assert_eq!(request.url, format!("http://127.0.0.1:9/paynet/dapi/v1/sale/1111/{invoice_id}/status"));
        let sent: Json = serde_json::from_str(&request.body).unwrap();
        assert_eq!(sent, json!({ "session": { "accessToken": "a".repeat(64), "token": "t".repeat(32) } }));
    }

    #[test]
    fn a_status_of_another_amount_invoice_or_sale_changes_nothing() {
        let mut order = order();
        let answer = initiated(&mut order);
        let id = id(&answer);
        // No sale yet: nothing to apply.
        let approved = status_body(&id, &"t".repeat(32), "APPROVED", Some(1042));
        assert_eq!(merchant().apply_status(&mut order, &id, 200, &approved, NOW), StatusRead::NoAnswer);
        confirm(&mut order, &answer, &"t".repeat(32));
        let before = order.clone();
        for (http, answer, read) in [
            (200, status_body(&id, &"t".repeat(32), "APPROVED", Some(1043)), StatusRead::AmountMismatch),
            (200, status_body(&id, &"u".repeat(32), "APPROVED", Some(1042)), StatusRead::NoAnswer),
            (200, status_body("INVother", &"t".repeat(32), "APPROVED", Some(1042)), StatusRead::NoAnswer),
            (502, String::new(), StatusRead::NoAnswer),
            (200, "not json".into(), StatusRead::NoAnswer),
            // A key said twice: which one the gateway meant cannot be told.
            (
                200,
                status_body(&id, &"t".repeat(32), "APPROVED", Some(1042)).replace("\"state\"", "\"state\":\"DECLINED\",\"state\""),
                StatusRead::NoAnswer,
            ),
        ] {
            assert_eq!(merchant().apply_status(&mut order, &id, http, &answer, NOW), read, "{answer}");
            assert_eq!(order, before, "{answer}");
        }
        // Not final: only that the gateway holds the sale is recorded, once.
        let processing = status_body(&id, &"t".repeat(32), "PROCESSING", None);
        for _ in 0..2 {
            assert_eq!(merchant().apply_status(&mut order, &id, 200, &processing, NOW), StatusRead::State(SaleState::Processing));
            assert_eq!((state_of(&order, &id), order.version), (InvoiceState::Confirmed, before.version + 1));
        }
        assert_eq!(merchant().apply_status(&mut order, "INVother", 200, &approved, NOW), StatusRead::NoAnswer);
        assert_eq!(merchant().apply_status(&mut order, &id, 200, &approved, NOW), StatusRead::State(SaleState::Approved));
        assert_eq!(order.version, before.version + 2);
        // A final state is never replaced: a later (or replayed) answer changes nothing.
        let declined = status_body(&id, &"t".repeat(32), "DECLINED", None);
        assert_eq!(merchant().apply_status(&mut order, &id, 200, &declined, NOW), StatusRead::State(SaleState::Approved));
        assert_eq!(state_of(&order, &id), InvoiceState::Approved);
        let mut declined_order = before.clone();
        merchant().apply_status(&mut declined_order, &id, 200, &declined, NOW);
        assert_eq!(merchant().apply_status(&mut declined_order, &id, 200, &approved, NOW), StatusRead::State(SaleState::Declined));
        assert_eq!(state_of(&declined_order, &id), InvoiceState::Declined);
        assert!(merchant().reconcile(&Gateway::parse("http://127.0.0.1:9").unwrap(), &declined_order).is_empty());
    }

    #[test]
    fn a_confirmed_sale_the_gateway_never_made_frees_the_order_once_its_lifetime_passed() {
        // A check sale forged with the page's own values and a made-up token confirmed the
        // invoice; the gateway, asked with that token, holds no such sale.
        let mut order = order();
        let answer = initiated(&mut order);
        confirm(&mut order, &answer, &"f".repeat(32));
        let not_found =
            json!({ "error": { "cause": "ORDER_NOT_FOUND", "code": "404", "message": "no sale" }, "invoiceId": id(&answer) }).to_string();
        let before = order.clone();
        for now in [NOW, NOW + 599_999] {
            assert_eq!(merchant().apply_status(&mut order, &id(&answer), 404, &not_found, now), StatusRead::NoAnswer, "{now}");
            assert_eq!(order, before);
        }
        // Another refusal, even after the lifetime, is no answer: only "no such sale" frees it.
        let refused = json!({ "error": { "cause": "INVALID_CONFIGURATION", "code": "401", "message": "no" } }).to_string();
        assert_eq!(merchant().apply_status(&mut order, &id(&answer), 401, &refused, NOW + 600_000), StatusRead::NoAnswer);
        assert_eq!(merchant().apply_status(&mut order, "INVother", 404, &not_found, NOW + 600_000), StatusRead::NoAnswer);
        // Not this invoice's 404: another invoice named, none named, another HTTP status.
        let about = |invoice: Option<&str>| {
            let mut answer = json!({ "error": { "cause": "ORDER_NOT_FOUND", "code": "404", "message": "no sale" } });
            if let Some(invoice) = invoice {
                answer["invoiceId"] = json!(invoice);
            }
            answer.to_string()
        };
        for (status, body) in [(404, about(Some("INVsomeoneelse"))), (404, about(None)), (200, not_found.clone()), (400, not_found.clone())]
        {
            assert_eq!(
                merchant().apply_status(&mut order, &id(&answer), status, &body, NOW + 600_000),
                StatusRead::NoAnswer,
                "{status} {body}"
            );
        }
        assert_eq!(order, before);
        assert_eq!(merchant().apply_status(&mut order, &id(&answer), 404, &not_found, NOW + 600_000), StatusRead::NoSuchSale);
        assert_eq!((state_of(&order, &id(&answer)), order.version), (InvoiceState::Declined, before.version + 1));
        assert_eq!(merchant().order_status(&order).text("status"), Some("open"));
        // A decided invoice stays as it is.
        assert_eq!(merchant().apply_status(&mut order, &id(&answer), 404, &not_found, NOW + 600_000), StatusRead::NoAnswer);
        let mut approved = before.clone();
        let approval = status_body(&id(&answer), &"f".repeat(32), "APPROVED", None);
        merchant().apply_status(&mut approved, &id(&answer), 200, &approval, NOW);
        let paid = approved.clone();
        assert_eq!(merchant().apply_status(&mut approved, &id(&answer), 404, &not_found, NOW + 600_000), StatusRead::NoAnswer);
        assert_eq!(approved, paid);
    }

    #[test]
    fn a_sale_the_gateway_answered_a_status_of_is_never_freed_by_a_later_not_found() {
        // The gateway said it holds the sale (waiting for 3-D Secure); later, past the lifetime,
        // something answers not found: a contradiction, not a reason to sign a second sale.
        let mut order = order();
        let answer = initiated(&mut order);
        let token = "e".repeat(32);
        confirm(&mut order, &answer, &token);
        let waiting = status_body(&id(&answer), &token, "REDIRECT_REQUEST", None);
        assert_eq!(merchant().apply_status(&mut order, &id(&answer), 200, &waiting, NOW), StatusRead::State(SaleState::RedirectRequest));
        let stored = connpay_core::value::ToGot::to_got(&order);
        assert_eq!(Order::read(&&stored).map(|read| read == order), Ok(true), "saleHeld is stored and read back");
        assert!(connpay_core::value::to_json_value(&order).contains("\"saleHeld\":true"));
        let not_found =
            json!({ "error": { "cause": "ORDER_NOT_FOUND", "code": "404", "message": "no sale" }, "invoiceId": id(&answer) }).to_string();
        assert_eq!(merchant().apply_status(&mut order, &id(&answer), 404, &not_found, NOW + 86_400_000), StatusRead::NoAnswer);
        assert_eq!(merchant().order_status(&order).text("status"), Some("pending"), "nothing new is signed");
        // Its approval, when it comes, is recorded.
        let approval = status_body(&id(&answer), &token, "APPROVED", None);
        assert_eq!(
            merchant().apply_status(&mut order, &id(&answer), 200, &approval, NOW + 86_400_000),
            StatusRead::State(SaleState::Approved)
        );
        assert_eq!(merchant().order_status(&order).text("status"), Some("paid"));
    }

    #[test]
    fn an_order_stops_signing_after_too_many_attempts() {
        let mut order = order();
        for _ in 0..MAX_INVOICES {
            initiated(&mut order);
        }
        assert_eq!(merchant().initiate_sale(&mut order, &&page_body(1042), true).status, 403);
        assert_eq!(order.invoices.len(), MAX_INVOICES);
    }
}
