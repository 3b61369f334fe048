//! /api/v2 helpers shared by the sandbox's integration tests: a sale form of 10.42-like amounts,
//! signed as the merchant's server signs it, posted, its order's status asked.

use connpay_core::percent::form_pairs;
use connpay_core::sign::MerchantControl;
use connpay_core::v2::{ControlParts, V2SaleForm};
use connpay_core::value::{Got, Record};
use connpay_sandbox::client;
use connpay_sandbox::config::DEFAULT_CONTROL_KEY;
use connpay_sandbox::Sandbox;

pub const FORM: [(&str, &str); 1] = [("Content-Type", "application/x-www-form-urlencoded")];

/// An /api/v2/sale request of 10.42-like `amount` in `currency`, CVV `cvv2`, with a callback URL
/// when given.
pub fn v2_request(client_order_id: &str, amount: &str, currency: &str, cvv2: &str, callback: Option<&str>) -> Record {
    let text = |value: &str| Got::from(value);
    let request = Record::default()
        .with("endpointId", text("1111"))
        .with("clientOrderId", text(client_order_id))
        .with("orderDesc", text("Order"))
        .with("amount", text(amount))
        .with("currency", text(currency))
        .with("address1", text("100 Main st"))
        .with("city", text("Seattle"))
        .with("zipCode", text("98102"))
        .with("country", text("US"))
        .with("state", text("WA"))
        .with("phone", text("+12063582043"))
        .with("email", text("john.smith@gmail.com"))
        .with("ipAddress", text("65.153.12.232"))
        .with("firstName", text("John"))
        .with("lastName", text("Smith"))
        .with("creditCardNumber", text("4538977399606732"))
        .with("cardPrintedName", text("JOHN SMITH"))
        .with("expireMonth", text("01"))
        .with("expireYear", text("2042"))
        .with("cvv2", text(cvv2));
    match callback {
        Some(url) => request.with("serverCallbackUrl", text(url)),
        None => request,
    }
}

pub fn key() -> MerchantControl {
    MerchantControl::new(DEFAULT_CONTROL_KEY).unwrap()
}

/// The request's own control, as the merchant's server would sign it.
pub fn signed(request: &Record) -> String {
    key().v2_sale_control(&ControlParts::of(request).unwrap())
}

/// Posts `request` with `control`; the answer's pairs.
pub async fn v2_post(sandbox: &Sandbox, request: &Record, control: &str) -> Vec<(String, String)> {
    let form = V2SaleForm::build(request, control);
    let answer = client::post(&format!("{}{}", sandbox.url(), form.path), &FORM, form.body).await.unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    form_pairs(&answer.body)
}

pub fn pair<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// Posts `request` signed, which must be accepted; the gateway's order id.
pub async fn v2_order(sandbox: &Sandbox, request: &Record) -> String {
    let answer = v2_post(sandbox, request, &signed(request)).await;
    assert_eq!(pair(&answer, "type"), Some("async-response"), "{answer:?}");
    pair(&answer, "paynet-order-id").unwrap().to_string()
}

/// /api/v2/status of an order: its pairs.
pub async fn v2_status(sandbox: &Sandbox, client_order_id: &str, order_id: &str) -> Vec<(String, String)> {
    let control = key().v2_status_control("sandbox", client_order_id, order_id);
    let form = format!("login=sandbox&client_orderid={client_order_id}&orderid={order_id}&control={control}");
    form_pairs(&client::post(&format!("{}/paynet/api/v2/status/1111", sandbox.url()), &FORM, form).await.unwrap().body)
}

pub fn v2_order_count(sandbox: &Sandbox) -> usize {
    sandbox.app.gateway.lock().v2_orders.len()
}
