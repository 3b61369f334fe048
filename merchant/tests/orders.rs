//! The order rules under any interleaving: two tabs of one order initiating and paying, the
//! gateway asking check sale (again, too), approving or declining sales late (a banking app, an
//! expired challenge), status answers true or lost, settles, cart changes and restarts (the
//! record stored as JSON and read back). An independent model of the gateway holds the truth of
//! every sale, and checks what money moved: never two sales of one order that may be or were
//! approved (so never two charges), every approval the gateway made recorded once the server
//! asked, and nothing recorded that the gateway did not say.

use connpay_core::gateway::Gateway;
use connpay_core::value::to_json_value;
use connpay_merchant::{InvoiceState, Merchant, Order, OrderStatus};
use proptest::prelude::*;
use serde_json::{json, Value as Json};

const KEY: &str = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20";

/// What the gateway holds of a sale it was allowed to make (check sale answered 200).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Truth {
    Open,
    Approved,
    Declined,
}

#[derive(Debug)]
struct Sale {
    invoice_id: String,
    token: String,
    check_body: Json,
    amount: u64,
    truth: Truth,
}

#[derive(Clone, Debug)]
enum Event {
    /// A tab asks initiate sale (the page's Pay, a reload).
    Initiate { tab: usize },
    /// A tab's page sends perform sale with the session it holds: the gateway asks check sale.
    Perform { tab: usize },
    /// Someone posts check sale for the invoice a tab holds with the page's own values and a
    /// made-up token (devtools): the gateway made no such sale.
    Forge { tab: usize },
    /// The gateway asks check sale again for a sale it made (its answer was lost).
    CheckAgain { sale: usize },
    /// Time passes: past every sale's lifetime.
    Wait,
    /// The issuer approves an open sale, late (a banking app after the window closed).
    Approve { sale: usize },
    /// The issuer declines it (the payer's cancel, an expired challenge).
    Decline { sale: usize },
    /// The server reconciles: each status answer true, or lost.
    Reconcile { lost: bool },
    /// The page could not learn the outcome of the invoice a tab holds: settle it.
    Settle { tab: usize },
    /// The cart changed.
    SetAmount { amount: u64 },
    /// The server restarts: the order is what its store held.
    Restart,
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        3 => (0..2usize).prop_map(|tab| Event::Initiate { tab }),
        3 => (0..2usize).prop_map(|tab| Event::Perform { tab }),
        1 => (0..2usize).prop_map(|tab| Event::Forge { tab }),
        1 => (0..4usize).prop_map(|sale| Event::CheckAgain { sale }),
        1 => Just(Event::Wait),
        2 => (0..4usize).prop_map(|sale| Event::Approve { sale }),
        2 => (0..4usize).prop_map(|sale| Event::Decline { sale }),
        2 => any::<bool>().prop_map(|lost| Event::Reconcile { lost }),
        1 => (0..2usize).prop_map(|tab| Event::Settle { tab }),
        1 => (1000..1003u64).prop_map(|amount| Event::SetAmount { amount }),
        1 => Just(Event::Restart),
    ]
}

struct World {
    merchant: Merchant,
    order: Order,
    /// The initiate-sale answer each tab holds (its last `open` one).
    tabs: [Option<Json>; 2],
    sales: Vec<Sale>,
    /// Sales whose truth the server was told since it last changed (true answers received).
    told: Vec<bool>,
    /// Invoices confirmed by a forged check sale: the gateway holds no sale of them.
    forged: Vec<String>,
    now: u64,
    tokens: u64,
}

impl World {
    fn new() -> World {
        let order = Order::new(&&json!({ "orderId": "order-1", "amountCentis": 1000, "currency": "EUR" })).unwrap();
        World {
            merchant: Merchant::new(KEY, Some("1111".into()), None).unwrap(),
            order,
            tabs: [None, None],
            sales: Vec::new(),
            told: Vec::new(),
            forged: Vec::new(),
            now: 1_800_000_000_000,
            tokens: 0,
        }
    }

    fn apply(&mut self, event: &Event) {
        self.now += 1000;
        let version = self.order.version;
        let before = self.order.clone();
        match *event {
            Event::Initiate { tab } => {
                let body = json!({
                    "consumer": { "device": { "serialNumber": format!("tab-{tab}") } },
                    "transaction": { "amountCentis": self.order.amount_centis, "currency": "EUR" },
                    "session": { "accessToken": format!("{tab}").repeat(64) },
                });
                let reply = self.merchant.initiate_sale(&mut self.order, &&body, true);
                let answer: Json = serde_json::from_str(&reply.json()).unwrap();
                assert_eq!(reply.status, 200, "{answer}");
                let expected = match before.status() {
                    OrderStatus::Open => "open",
                    status => status.name(),
                };
                assert_eq!(answer["status"], expected, "initiate answers the order's status");
                if expected == "open" {
                    self.tabs[tab] = Some(answer);
                }
            }
            Event::Perform { tab } => {
                let Some(answer) = self.tabs[tab].clone() else { return };
                self.tokens += 1;
                let token = format!("{:032}", self.tokens);
                let check_body = json!({
                    "consumer": { "device": { "serialNumber": format!("tab-{tab}") } },
                    "session": {
                        "accessToken": format!("{tab}").repeat(64),
                        "nonce": answer["session"]["nonce"],
                        "signature": answer["session"]["signature"],
                        "token": token,
                    },
                });
                let invoice_id = answer["invoiceId"].as_str().unwrap().to_string();
                let reply = self.merchant.check_sale(&mut self.order, &invoice_id, &&check_body, &[], self.now);
                if reply.status == 200 {
                    let amount = before.invoice(&invoice_id).unwrap().amount_centis;
                    self.sales.push(Sale { invoice_id, token, check_body, amount, truth: Truth::Open });
                    self.told.push(false);
                } else {
                    assert_eq!(self.order, before, "a refused check sale changes nothing");
                }
            }
            Event::Forge { tab } => {
                let Some(answer) = self.tabs[tab].clone() else { return };
                let invoice_id = answer["invoiceId"].as_str().unwrap().to_string();
                let forged = json!({
                    "consumer": { "device": { "serialNumber": format!("tab-{tab}") } },
                    "session": {
                        "accessToken": format!("{tab}").repeat(64),
                        "nonce": answer["session"]["nonce"],
                        "signature": answer["session"]["signature"],
                        "token": "f".repeat(32),
                    },
                });
                if self.merchant.check_sale(&mut self.order, &invoice_id, &&forged, &[], self.now).status == 200 {
                    self.forged.push(invoice_id);
                }
            }
            Event::Wait => self.now += 2 * connpay_merchant::CHALLENGE_LIFETIME_MS,
            Event::CheckAgain { sale } => {
                let Some(sale) = self.sales.get(sale) else { return };
                let reply = self.merchant.check_sale(&mut self.order, &sale.invoice_id, &&sale.check_body, &[], self.now);
                assert_eq!(reply.status, 200, "the gateway asking again for its own sale gets the same answer");
                assert_eq!(self.order, before);
            }
            Event::Approve { sale: index } | Event::Decline { sale: index } => {
                let Some(sale) = self.sales.get_mut(index).filter(|sale| sale.truth == Truth::Open) else { return };
                sale.truth = if matches!(event, Event::Approve { .. }) { Truth::Approved } else { Truth::Declined };
                // What the server was told of this sale is no longer its truth.
                self.told[index] = false;
            }
            Event::Reconcile { lost } => {
                let gateway = Gateway::parse("http://127.0.0.1:9").unwrap();
                for (invoice_id, request) in self.merchant.reconcile(&gateway, &self.order) {
                    let sent: Json = serde_json::from_str(&request.body).unwrap();
                    let index =
                        self.sales.iter().position(|sale| sale.invoice_id == invoice_id && sent["session"]["token"] == sale.token.as_str());
                    let Some(index) = index else {
                        assert!(self.forged.contains(&invoice_id), "the server asks only about sales the gateway made, or forged ones");
                        // As the gateway answers: its 404, naming the invoice asked about.
                        let not_found = json!({ "error": { "cause": "ORDER_NOT_FOUND", "code": "404", "message": "no sale" }, "invoiceId": invoice_id });
                        let read = self.merchant.apply_status(&mut self.order, &invoice_id, 404, &not_found.to_string(), self.now);
                        assert_ne!(read, connpay_merchant::StatusRead::State(connpay_core::sale::SaleState::Approved));
                        continue;
                    };
                    let sale = &self.sales[index];
                    if lost {
                        self.merchant.apply_status(&mut self.order, &invoice_id, 502, "", self.now);
                        continue;
                    }
                    let state = match sale.truth {
                        Truth::Open => "PROCESSING",
                        Truth::Approved => "APPROVED",
                        Truth::Declined => "DECLINED",
                    };
                    let answer = json!({ "invoiceId": invoice_id, "session": { "token": sale.token }, "state": state, "transaction": { "amountCentis": sale.amount } });
                    self.merchant.apply_status(&mut self.order, &invoice_id, 200, &answer.to_string(), self.now);
                    self.told[index] = true;
                }
            }
            Event::Settle { tab } => {
                let Some(answer) = &self.tabs[tab] else { return };
                let invoice_id = answer["invoiceId"].as_str().unwrap();
                let state = self.merchant.settle(&mut self.order, invoice_id).unwrap();
                let was = before.invoice(invoice_id).unwrap().state;
                let expected = if was == InvoiceState::Initiated { InvoiceState::Voided } else { was };
                assert_eq!(state, expected);
            }
            Event::SetAmount { amount } => {
                let changed = self.order.set_amount(&&json!({ "amountCentis": amount, "currency": "EUR" })).unwrap();
                if before.status() != OrderStatus::Open {
                    assert_eq!(self.order, before, "a paid or pending order keeps its amount: {changed:?}");
                }
            }
            Event::Restart => {
                let stored: Json = serde_json::from_str(&to_json_value(&self.order)).unwrap();
                self.order = Order::read(&&stored).expect("what the server stored reads back");
            }
        }
        assert!(self.order.version == version || (self.order.version == version + 1 && self.order != before), "a version a change");
        assert!(self.order != before || self.order.version == version);
        self.check();
    }

    /// What must hold after every event.
    fn check(&self) {
        // The record survives a restart as it is.
        let stored: Json = serde_json::from_str(&to_json_value(&self.order)).unwrap();
        assert_eq!(Order::read(&&stored).as_ref(), Ok(&self.order));
        // Money moves once: at most one sale of the order that may be or was approved.
        let live = self.sales.iter().filter(|sale| sale.truth != Truth::Declined).count();
        assert!(live <= 1, "two sales of one order could be charged: {:?}", self.sales);
        for (sale, told) in self.sales.iter().zip(&self.told) {
            let recorded = self.order.invoice(&sale.invoice_id).unwrap();
            assert_eq!(recorded.sale_token(), Some(sale.token.as_str()));
            match (sale.truth, recorded.state, told) {
                // Nothing recorded that the gateway did not say.
                (Truth::Open, InvoiceState::Confirmed, _) => {}
                // Every approval and decline recorded once the server was told.
                (Truth::Approved, InvoiceState::Approved, _) | (Truth::Declined, InvoiceState::Declined, _) => {}
                (Truth::Approved | Truth::Declined, InvoiceState::Confirmed, false) => {}
                other => panic!("the order says {:?} of a sale whose truth is {:?} (told: {})", other.1, other.0, other.2),
            }
        }
        // The order is paid exactly when the gateway approved a sale the server was told of.
        let told_approved = self.sales.iter().zip(&self.told).any(|(sale, told)| *told && sale.truth == Truth::Approved);
        assert_eq!(matches!(self.order.status(), OrderStatus::Paid(_)), told_approved);
        // A forged confirmation is never a payment.
        for invoice_id in &self.forged {
            assert_ne!(self.order.invoice(invoice_id).unwrap().state, InvoiceState::Approved);
        }
        // Every invoice is signed for the amount the order had when it was made.
        for invoice in &self.order.invoices {
            assert!((1000..1003).contains(&invoice.amount_centis));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn an_order_is_charged_at_most_once(events in proptest::collection::vec(event(), 1..40)) {
        let mut world = World::new();
        for event in &events {
            world.apply(event);
        }
        // In the end the server asks until it knows: every approval is recorded, and a forged
        // confirmation no longer holds the order once its lifetime passed.
        world.apply(&Event::Wait);
        world.apply(&Event::Reconcile { lost: false });
        for invoice_id in &world.forged {
            prop_assert_eq!(world.order.invoice(invoice_id).unwrap().state, InvoiceState::Declined);
        }
        for sale in &world.sales {
            let state = world.order.invoice(&sale.invoice_id).unwrap().state;
            let expected = match sale.truth { Truth::Open => InvoiceState::Confirmed, Truth::Approved => InvoiceState::Approved, Truth::Declined => InvoiceState::Declined };
            prop_assert_eq!(state, expected);
        }
    }
}

/// The attacks of the issue, as stories over the same world.
#[test]
fn a_late_approval_after_a_closed_challenge_is_the_only_charge() {
    let mut world = World::new();
    // The payer pays; 3-D Secure; the window is closed; the sale stays open at the gateway.
    world.apply(&Event::Initiate { tab: 0 });
    world.apply(&Event::Perform { tab: 0 });
    // A reload (or another tab) tries again: pending, nothing new signed.
    world.apply(&Event::Initiate { tab: 1 });
    assert!(world.tabs[1].is_none());
    world.apply(&Event::Perform { tab: 0 });
    assert_eq!(world.sales.len(), 1, "the first tab's stale session is not charged again");
    // The banking app approves late; the server learns it; the order is paid once.
    world.apply(&Event::Approve { sale: 0 });
    world.apply(&Event::Reconcile { lost: false });
    assert!(matches!(world.order.status(), OrderStatus::Paid(_)));
    world.apply(&Event::Initiate { tab: 1 });
    assert!(world.tabs[1].is_none());
}

#[test]
fn two_tabs_past_initiate_sale_are_charged_once() {
    let mut world = World::new();
    world.apply(&Event::Initiate { tab: 0 });
    world.apply(&Event::Initiate { tab: 1 });
    world.apply(&Event::Perform { tab: 0 });
    world.apply(&Event::Perform { tab: 1 });
    assert_eq!(world.sales.len(), 1);
    assert_eq!(world.sales[0].check_body["consumer"]["device"]["serialNumber"], "tab-1", "the newer invoice is the one paid");
}
