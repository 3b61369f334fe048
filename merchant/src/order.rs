//! The shop's order: the unit that may be paid at most once. Every invoice signed is an attempt
//! *of an order*, and the order's record, kept by the merchant's server, is what decides whether
//! a new attempt may be signed or charged: the page's memory never is. The record is plain data
//! (a JSON object through [`ToGot`], read back by [`Order::read`]), so the server stores it in
//! its own database, one order one row, and writes it back in the same transaction it read it
//! in (its `version` grows by one at every change, for an `UPDATE … WHERE version = ?`).

use connpay_core::card::YearMonth;
use connpay_core::schema::{integer, list, object, text, walk, Field, Necessity::*, Reading, Rule, Unknown};
use connpay_core::value::{Got, Record, ToGot, Value};
use connpay_core::FieldError;

use crate::invoice::{Invoice, InvoiceState, INVOICE};

/// The most invoices an order may have: each failed attempt leaves one, and a payer who has
/// failed this often needs the shop, not another signature.
pub const MAX_INVOICES: usize = 50;

const INVOICE_ITEM: Field = object("", Required, INVOICE);

/// What the shop's order costs: its amount in minor units and its currency.
const AMOUNT: &[Field] = &[integer("amountCentis", Required, 1, 9_007_199_254_740_991), text("currency", Required, 0, 0, Rule::Currency)];

/// A new order: the shop's id, the amount and the currency.
const NEW_ORDER: &[Field] = &[text("orderId", Required, 1, 128, Rule::Any)];

/// The stored order.
const ORDER: &[Field] = &[
    text("orderId", Required, 1, 128, Rule::Any),
    integer("amountCentis", Required, 1, 9_007_199_254_740_991),
    text("currency", Required, 0, 0, Rule::Currency),
    integer("version", Required, 0, 9_007_199_254_740_991),
    list("invoices", Required, &INVOICE_ITEM),
];

/// No field of an order is a date; keys a store adds beside the record's (a database's `_id`)
/// are left alone at the top, and refused inside invoices.
const READING: Reading = Reading { today: YearMonth::LATEST, trim: false, unknown: Unknown::Ignore };

/// A new order's fields and a new amount are a call's options: a key the call does not take
/// would be lost without a word, so it is refused.
const OPTIONS: Reading = Reading { unknown: Unknown::RefuseOption, ..READING };

/// One order of the shop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    /// The shop's own order id.
    pub order_id: String,
    /// What the order costs now, in minor units.
    pub amount_centis: u64,
    /// Its currency (ISO 4217).
    pub currency: String,
    /// One more at every change of the record.
    pub version: u64,
    /// Its invoices, oldest first.
    pub invoices: Vec<Invoice>,
}

/// What [`Order::set_amount`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountChange {
    /// The order costs the new amount now.
    Changed,
    /// It cost that already.
    Unchanged,
    /// The order is `paid` or `pending`: its amount stays.
    Locked(&'static str),
}

/// Where an order stands, from its invoices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderStatus<'a> {
    /// An invoice is approved: the order is paid, and nothing more is ever signed or charged.
    Paid(&'a Invoice),
    /// An invoice was confirmed by check sale and its sale is not final: it may still be
    /// approved, so nothing new is signed or charged until it is final.
    Pending(&'a Invoice),
    /// Nothing paid, nothing that may still be: a new invoice may be signed.
    Open,
}

impl OrderStatus<'_> {
    /// `paid`, `pending` or `open`.
    pub fn name(&self) -> &'static str {
        match self {
            OrderStatus::Paid(_) => "paid",
            OrderStatus::Pending(_) => "pending",
            OrderStatus::Open => "open",
        }
    }

    /// The invoice that is paid or pending.
    pub fn invoice(&self) -> Option<&Invoice> {
        match self {
            OrderStatus::Paid(invoice) | OrderStatus::Pending(invoice) => Some(invoice),
            OrderStatus::Open => None,
        }
    }
}

fn checked<V: Value>(tables: &[&'static [Field]], value: &V, reading: Reading) -> Result<Record, Vec<FieldError>> {
    let checked = walk(tables, value, reading);
    if checked.errors.is_empty() {
        Ok(checked.record)
    } else {
        Err(checked.errors)
    }
}

/// The amount and currency of a record the walker accepted by [`AMOUNT`].
fn amount_of(record: &Record) -> (u64, String) {
    (record.number("amountCentis").unwrap_or_default() as u64, record.text("currency").unwrap_or_default().to_string())
}

impl Order {
    /// A new order, `{ orderId, amountCentis, currency }`, with no invoice yet.
    pub fn new<V: Value>(fields: &V) -> Result<Order, Vec<FieldError>> {
        let record = checked(&[NEW_ORDER, AMOUNT], fields, OPTIONS)?;
        let (amount_centis, currency) = amount_of(&record);
        let order_id = record.text("orderId").unwrap_or_default().to_string();
        Ok(Order { order_id, amount_centis, currency, version: 0, invoices: Vec::new() })
    }

    /// Reads a stored order back; every problem at its path. An order whose invoices could not
    /// have come from these rules (two approved, two pending, one id twice) is refused: the
    /// store was changed by something else.
    pub fn read<V: Value>(stored: &V) -> Result<Order, Vec<FieldError>> {
        let record = checked(&[ORDER], stored, READING)?;
        let mut invoices = Vec::new();
        let mut errors = Vec::new();
        if let Some(Got::List(items)) = record.get("invoices") {
            for (index, item) in items.iter().enumerate() {
                let Got::Record(item) = item else { continue };
                match Invoice::from_record(item, &format!("invoices[{index}]")) {
                    Ok(invoice) => invoices.push(invoice),
                    Err(error) => errors.push(error),
                }
            }
        }
        let (amount_centis, currency) = amount_of(&record);
        let order = Order {
            order_id: record.text("orderId").unwrap_or_default().to_string(),
            amount_centis,
            currency,
            version: record.number("version").unwrap_or_default() as u64,
            invoices,
        };
        if errors.is_empty() {
            errors.extend(order.inconsistency());
        }
        if errors.is_empty() {
            Ok(order)
        } else {
            Err(errors)
        }
    }

    /// What no sequence of these rules can leave: at most one invoice approved or pending (an
    /// approved order has no pending one), and no invoice id twice.
    fn inconsistency(&self) -> Option<FieldError> {
        let open_or_paid = self.invoices.iter().filter(|invoice| matches!(invoice.state, InvoiceState::Approved | InvoiceState::Confirmed));
        let message = if open_or_paid.count() > 1 {
            "at most one invoice of an order may be approved or confirmed"
        } else if self
            .invoices
            .iter()
            .enumerate()
            .any(|(index, invoice)| self.invoices[..index].iter().any(|earlier| earlier.invoice_id == invoice.invoice_id))
        {
            "an invoice id appears twice"
        } else {
            return None;
        };
        Some(FieldError { path: "invoices".into(), code: connpay_core::ErrorCode::RequestInvalid, message: message.into() })
    }

    /// Where the order stands.
    pub fn status(&self) -> OrderStatus<'_> {
        let with = |state| self.invoices.iter().find(|invoice| invoice.state == state);
        match (with(InvoiceState::Approved), with(InvoiceState::Confirmed)) {
            (Some(approved), _) => OrderStatus::Paid(approved),
            (None, Some(pending)) => OrderStatus::Pending(pending),
            (None, None) => OrderStatus::Open,
        }
    }

    /// The invoice of that id.
    pub fn invoice(&self, invoice_id: &str) -> Option<&Invoice> {
        self.invoices.iter().find(|invoice| invoice.invoice_id == invoice_id)
    }

    pub(crate) fn invoice_mut(&mut self, invoice_id: &str) -> Option<&mut Invoice> {
        self.invoices.iter_mut().find(|invoice| invoice.invoice_id == invoice_id)
    }

    /// Voids every invoice that no check sale reached: a page still holding one (a tab the payer
    /// left) is refused at its check sale, so it can neither block the order nor charge it.
    pub(crate) fn void_unconfirmed(&mut self) {
        for invoice in &mut self.invoices {
            if invoice.state == InvoiceState::Initiated {
                invoice.state = InvoiceState::Voided;
            }
        }
    }

    /// The cart changed: the order's new `{ amountCentis, currency }`. Allowed only while the
    /// order is open; a paid or pending order keeps its amount. Invoices signed for the old
    /// amount that no check sale reached are voided: each invoice is charged the amount the
    /// order had when it was signed, and no other.
    pub fn set_amount<V: Value>(&mut self, amount: &V) -> Result<AmountChange, Vec<FieldError>> {
        let (amount_centis, currency) = amount_of(&checked(&[AMOUNT], amount, OPTIONS)?);
        let status = self.status();
        if status != OrderStatus::Open {
            return Ok(AmountChange::Locked(status.name()));
        }
        if (amount_centis, currency.as_str()) == (self.amount_centis, self.currency.as_str()) {
            return Ok(AmountChange::Unchanged);
        }
        self.changing(|order| {
            order.void_unconfirmed();
            order.amount_centis = amount_centis;
            order.currency = currency;
        });
        Ok(AmountChange::Changed)
    }

    /// Runs `change` and counts a version when it changed the record.
    pub(crate) fn changing<R>(&mut self, change: impl FnOnce(&mut Order) -> R) -> R {
        let before = self.clone();
        let result = change(self);
        if *self != before {
            self.version = before.version + 1;
        }
        result
    }
}

impl ToGot for Order {
    fn to_got(&self) -> Got {
        Record::default()
            .field("orderId", &self.order_id)
            .field("amountCentis", self.amount_centis)
            .field("currency", &self.currency)
            .field("version", self.version)
            .field("invoices", &self.invoices)
            .to_got()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoice::Sale;
    use connpay_core::value::to_json_value;
    use connpay_core::ErrorCode;
    use serde_json::{json, Value as Json};

    fn invoice(id: &str, state: InvoiceState) -> Invoice {
        let sale = state.had_sale().then(|| Sale {
            token: "d".repeat(32),
            server_card_id: Some("CARD-7".into()),
            confirmed_at: 1_800_000_000_000,
            redirect_url: Some("https://issuer.example/3ds".into()),
            held: true,
        });
        Invoice {
            invoice_id: id.into(),
            endpoint_id: "1111".into(),
            serial_number: "SN-1".into(),
            access_token: "a".repeat(64),
            nonce: "b".repeat(64),
            signature: "c".repeat(40),
            amount_centis: 1042,
            currency: "EUR".into(),
            state,
            sale,
        }
    }

    fn order(states: &[InvoiceState]) -> Order {
        let invoices = states.iter().enumerate().map(|(index, state)| invoice(&format!("INV{index}"), *state)).collect();
        Order { order_id: "order-1".into(), amount_centis: 1042, currency: "EUR".into(), version: 7, invoices }
    }

    fn stored(order: &Order) -> Json {
        serde_json::from_str(&to_json_value(order)).unwrap()
    }

    #[test]
    fn an_order_reads_back_as_it_was_written() {
        use InvoiceState::*;
        for states in [&[][..], &[Voided, Declined, Initiated], &[Declined, Confirmed], &[Voided, Approved, Declined]] {
            let order = order(states);
            assert_eq!(Order::read(&&stored(&order)), Ok(order.clone()), "{states:?}");
        }
        let mut with_store_key = stored(&order(&[Initiated]));
        with_store_key["_id"] = json!(12);
        assert!(Order::read(&&with_store_key).is_ok());
    }

    #[test]
    fn a_record_no_rule_could_leave_is_refused() {
        use InvoiceState::*;
        for states in [&[Approved, Approved][..], &[Approved, Confirmed], &[Confirmed, Confirmed]] {
            let errors = Order::read(&&stored(&order(states))).unwrap_err();
            assert_eq!(errors[0].path, "invoices", "{states:?}");
        }
        let mut twice = order(&[Declined, Declined]);
        twice.invoices[1].invoice_id = "INV0".into();
        assert_eq!(Order::read(&&stored(&twice)).unwrap_err()[0].path, "invoices");
        let first_problem = |stored: &Json| {
            let error = Order::read(&stored).unwrap_err().remove(0);
            (error.path, error.code)
        };
        let missing = ("invoices[0].saleToken".to_string(), ErrorCode::RequestRequired);
        for (state, removed) in [(Confirmed, &["saleToken"][..]), (Approved, &["confirmedAt"]), (Declined, &["saleToken", "confirmedAt"])] {
            let mut no_sale = stored(&order(&[state]));
            for key in removed {
                no_sale["invoices"][0].as_object_mut().unwrap().remove(*key);
            }
            assert_eq!(first_problem(&no_sale), missing, "{state:?} without {removed:?}");
        }
        for state in [Initiated, Voided] {
            let mut sale_without_check = stored(&order(&[state]));
            sale_without_check["invoices"][0]["saleToken"] = json!("d".repeat(32));
            sale_without_check["invoices"][0]["confirmedAt"] = json!(1);
            assert_eq!(first_problem(&sale_without_check), ("invoices[0].saleToken".to_string(), ErrorCode::RequestInvalid), "{state:?}");
        }
        let mut damaged = stored(&order(&[Initiated]));
        damaged["invoices"][0]["amountCentis"] = json!("1042");
        damaged["version"] = json!(-1);
        let paths: Vec<String> = Order::read(&&damaged).unwrap_err().into_iter().map(|error| error.path).collect();
        assert!(paths.contains(&"version".into()) && paths.contains(&"invoices[0].amountCentis".into()), "{paths:?}");
    }

    #[test]
    fn status_follows_the_invoices() {
        use InvoiceState::*;
        assert_eq!(order(&[]).status(), OrderStatus::Open);
        assert_eq!(order(&[Voided, Declined, Initiated]).status(), OrderStatus::Open);
        let pending = order(&[Declined, Confirmed, Initiated]);
        assert_eq!(pending.status(), OrderStatus::Pending(&pending.invoices[1]));
        let paid = order(&[Declined, Approved, Voided]);
        assert_eq!(paid.status(), OrderStatus::Paid(&paid.invoices[1]));
        assert_eq!((paid.status().name(), pending.status().name(), OrderStatus::Open.name()), ("paid", "pending", "open"));
        assert_eq!(OrderStatus::Open.invoice(), None);
        assert_eq!(paid.status().invoice().map(|invoice| invoice.invoice_id.as_str()), Some("INV1"));
    }

    #[test]
    fn the_amount_changes_only_while_the_order_is_open() {
        use InvoiceState::*;
        let mut open = order(&[Declined, Initiated]);
        let cheaper = json!({ "amountCentis": 999, "currency": "EUR" });
        assert_eq!(open.set_amount(&&cheaper), Ok(AmountChange::Changed));
        assert_eq!((open.amount_centis, open.version, open.invoices[1].state), (999, 8, Voided));
        assert_eq!(open.invoices[0].state, Declined);
        assert_eq!(open.set_amount(&&cheaper), Ok(AmountChange::Unchanged));
        assert_eq!(open.set_amount(&&json!({ "amountCentis": 999, "currency": "USD" })), Ok(AmountChange::Changed));
        assert_eq!((open.currency.as_str(), open.version), ("USD", 9));
        for (states, name) in [(&[Confirmed][..], "pending"), (&[Approved], "paid")] {
            let mut locked = order(states);
            assert_eq!(locked.set_amount(&&cheaper), Ok(AmountChange::Locked(name)));
            assert_eq!(locked, order(states));
        }
        assert_eq!(open.set_amount(&&json!({ "amountCentis": 0, "currency": "EUR" })).unwrap_err()[0].path, "amountCentis");
        assert_eq!(open.set_amount(&&json!({ "amountCentis": 1, "currency": "XXZ" })).unwrap_err()[0].path, "currency");
    }

    #[test]
    fn a_new_order_is_open_and_checked() {
        let order = Order::new(&&json!({ "orderId": "o-1", "amountCentis": 1042, "currency": "EUR" })).unwrap();
        assert_eq!((order.version, order.invoices.len(), order.status()), (0, 0, OrderStatus::Open));
        let paths: Vec<String> = Order::new(&&json!({ "amountCentis": 1.5 })).unwrap_err().into_iter().map(|error| error.path).collect();
        assert_eq!(paths, ["orderId", "amountCentis", "currency"]);
        let typo = Order::new(&&json!({ "orderId": "o-1", "amountCentis": 1042, "currency": "EUR", "custId": 7 })).unwrap_err();
        assert_eq!((typo[0].path.as_str(), typo[0].message.as_str()), ("custId", "is not a field this call takes"));
        let mut open = Order::new(&&json!({ "orderId": "o-1", "amountCentis": 1042, "currency": "EUR" })).unwrap();
        assert_eq!(open.set_amount(&&json!({ "amountCentis": 1, "currency": "EUR", "note": "x" })).unwrap_err()[0].path, "note");
    }

    #[test]
    fn debug_shows_no_secret_of_the_sale() {
        let sale = order(&[InvoiceState::Confirmed]).invoices[0].sale.clone().unwrap();
        assert_eq!(format!("{sale:?}"), "Sale { confirmed_at: 1800000000000, .. }");
        let shown = format!("{:?}", order(&[InvoiceState::Confirmed]));
        assert!(shown.contains("INV0") && shown.contains("Confirmed"), "{shown}");
        for secret in ["aaaa", "bbbb", "cccc", "dddd", "issuer"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
