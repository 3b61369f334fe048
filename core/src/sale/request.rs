//! Perform sale and sale status read by the walker from their tables ([`crate::schema`]), then
//! the rules across fields: exactly one of card and reference, the security code for the card's
//! brand, the expiry against today, the holder's name parts together.

use crate::card::{self, HolderInput, Input, YearMonth};
use crate::problems::Problems;
use crate::schema::{in_table_order, walk, Checked, Field, Reading, Unknown, PERFORM_SALE, SALE_ROUTE, SALE_STATUS, STATUS_SESSION};
use crate::value::{Got, Record, Value};
use crate::ErrorCode;

/// The two path parameters of perform sale and sale status, from initiate sale.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaleRoute {
    /// The merchant's endpoint id.
    pub endpoint_id: Option<String>,
    /// The invoice id.
    pub invoice_id: Option<String>,
}

fn reading(today: YearMonth) -> Reading {
    Reading { today, trim: false, unknown: Unknown::Refuse }
}

/// A perform sale as a page hands it: `endpointId` and `invoiceId` beside the body's fields.
/// `today` decides whether the card has expired.
pub fn check_perform_sale_call<V: Value>(call: &V, today: YearMonth) -> Checked {
    let mut checked = walk(&[SALE_ROUTE, PERFORM_SALE], call, reading(today));
    sale_rules(&mut checked, today);
    checked
}

/// A perform sale as the gateway receives it: the route from the URL, the body as JSON.
pub fn check_perform_sale<V: Value>(route: &SaleRoute, body: &V, today: YearMonth) -> Checked {
    let mut checked = beside_route(route, PERFORM_SALE, body, today);
    sale_rules(&mut checked, today);
    checked
}

/// The route from the URL and a body read by `table`, as one record.
fn beside_route<V: Value>(route: &SaleRoute, table: &'static [Field], body: &V, today: YearMonth) -> Checked {
    let mut checked = walk(&[SALE_ROUTE], &&Got::Record(route.record()), reading(today));
    let body = walk(&[table], body, reading(today));
    checked.record.0.extend(body.record.0);
    checked.errors.extend(body.errors);
    checked
}

/// A sale-status call: its route and its two tokens (`session`).
pub fn check_status_call<V: Value>(route: &SaleRoute, session: &V, today: YearMonth) -> Checked {
    let mut checked = walk(&[SALE_ROUTE], &&Got::Record(route.record()), reading(today));
    let tokens = walk(&[STATUS_SESSION], session, reading(today));
    checked.record.0.push(("session", Got::Record(tokens.record)));
    checked.errors.extend(tokens.errors.into_iter().map(|mut error| {
        error.path = if error.path.is_empty() { "session".to_string() } else { format!("session.{}", error.path) };
        error
    }));
    checked
}

/// A sale-status call as the gateway receives it: the route from the URL, the body
/// `{ session: { accessToken, token } }` as JSON.
pub fn check_status_body<V: Value>(route: &SaleRoute, body: &V, today: YearMonth) -> Checked {
    beside_route(route, SALE_STATUS, body, today)
}

impl SaleRoute {
    /// The route as a record of its two ids.
    pub fn record(&self) -> Record {
        Record::default()
            .with("endpointId", self.endpoint_id.clone().map(Got::Text))
            .with("invoiceId", self.invoice_id.clone().map(Got::Text))
    }
}

fn sale_rules(checked: &mut Checked, today: YearMonth) {
    let mut problems = Problems(std::mem::take(&mut checked.errors));
    if let Some(source) = checked.record.record("sourceOfFunds") {
        match (source.record("card"), source.record("reference")) {
            (Some(card), None) => card_rules(&mut problems, card, today),
            (None, Some(reference)) => {
                if let Some(code) = reference.text("securityCode") {
                    problems.verdict("sourceOfFunds.reference.securityCode", card::validate_cvv(code, None));
                }
            }
            // A card or a reference of the wrong type has its own problem already.
            _ if problems.has("sourceOfFunds.card") || problems.has("sourceOfFunds.reference") => {}
            _ => problems.add("sourceOfFunds", ErrorCode::RequestExclusive, "give exactly one of card and reference"),
        }
    }
    checked.errors = problems.0;
    in_table_order(&mut checked.errors, &[SALE_ROUTE, PERFORM_SALE]);
}

fn card_rules(problems: &mut Problems, card: &Record, today: YearMonth) {
    let brand = card.text("number").and_then(|number| card::validate_number(number).brand);
    if let Some(code) = card.text("securityCode") {
        problems.verdict("sourceOfFunds.card.securityCode", card::validate_cvv(code, brand.map(card::BrandId::brand)));
    }
    let month_year = card.number("expiry.month").zip(card.number("expiry.year"));
    if let Some(expiry) = month_year.and_then(|(month, year)| YearMonth::new(year as u32, month as u32)) {
        problems.verdict("sourceOfFunds.card.expiry", card::expiry::check_month(expiry, today));
    }
    if let Some(holder) = card.record("holder") {
        let part = |key: &str| holder.text(key).map_or(Input::Absent, Input::Text);
        let result = card::validate_holder(HolderInput {
            first_name: part("firstName"),
            last_name: part("lastName"),
            printed_name: part("printedName"),
        });
        for error in result.errors {
            let path = format!("sourceOfFunds.card.holder.{}", error.field.as_str());
            problems.add(&path, error.code, error.code.detail());
        }
    }
}

/// The body of a validated call as it goes on the wire, in the spec's order: the route left
/// out, the card number as bare digits (a formatted `4111 1111 1111 1111` is accepted from the
/// form), and the payer-typed security code and holder trimmed.
pub fn wire_body(call: &Record) -> Record {
    let mut body = Record(call.0.iter().filter(|(key, _)| PERFORM_SALE.iter().any(|field| field.key == *key)).cloned().collect());
    let trim = |got: &mut Got| {
        if let Got::Text(text) = got {
            *text = text.trim().to_string();
        }
    };
    if let Some(Got::Record(source)) = body.0.iter_mut().find(|(key, _)| *key == "sourceOfFunds").map(|(_, got)| got) {
        for (key, got) in &mut source.0 {
            let Got::Record(funds) = got else { continue };
            for (field, value) in &mut funds.0 {
                match (*key, *field, value) {
                    ("card", "number", Got::Text(number)) => number.retain(|c| c.is_ascii_digit()),
                    (_, "securityCode", value) => trim(value),
                    ("card", "holder", Got::Record(holder)) => holder.0.iter_mut().for_each(|(_, part)| trim(part)),
                    _ => {}
                }
            }
        }
    }
    body
}
