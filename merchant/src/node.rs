//! The Node package `connpay-checkout-server` (`wasm-pack --target nodejs`, feature `node`):
//! the crate's functions for a shop whose server is JavaScript. Arguments are read as the browser
//! module reads them ([`connpay_js::Js`]: own properties with their JavaScript types, nothing
//! through JSON), errors are the same `ConnPayError`s, and the control key stays inside the
//! module's memory: a `Merchant` printed, serialised or inspected shows only its endpoint and
//! login.

use connpay_core::card::YearMonth;
use connpay_core::gateway::Gateway;
use connpay_core::schema::{integer, text, walk, Field, Necessity::*, Reading, Rule, Unknown};
use connpay_core::sign::{CheckSignatureFields, SessionSignatureFields};
use connpay_core::value::{Record, ToGot};
use connpay_core::ErrorCode;
use connpay_js::{own, to_js, Error, Js};
use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::{Invoice, Merchant, Settlement};

/// The package's TypeScript declarations: the interfaces the exports below name.
#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = include_str!("server.d.ts");

/// Options are read whole, refusing keys they do not know; no field is a date.
const READING: Reading = Reading { today: YearMonth::LATEST, trim: false, unknown: Unknown::Refuse };

const OPTIONS: &[Field] = &[
    text("controlKey", Required, 2, 256, Rule::Token),
    text("endpointId", Optional, 1, 64, Rule::Segment),
    text("login", Optional, 1, 128, Rule::Any),
];

const SESSION_SIGNATURE: &[Field] = &[
    text("accessToken", Required, 32, 128, Rule::Token),
    text("serialNumber", Required, 1, 50, Rule::Any),
    text("endpointId", Required, 1, 64, Rule::Segment),
    text("nonce", Required, 32, 128, Rule::Token),
    text("invoiceId", Required, 1, 128, Rule::Segment),
    integer("amountCentis", Required, 1, 9_007_199_254_740_991),
    text("currency", Required, 0, 0, Rule::Currency),
];

const CHECK_SIGNATURE: &[Field] = &[
    text("serialNumber", Required, 1, 50, Rule::Any),
    text("nonce", Required, 32, 128, Rule::Token),
    text("endpointId", Required, 1, 64, Rule::Segment),
    text("invoiceId", Required, 1, 128, Rule::Segment),
    text("serverCardId", Optional, 1, 128, Rule::Any),
];

const STATUS_CONTROL: &[Field] = &[
    text("login", Optional, 1, 128, Rule::Any),
    text("clientOrderId", Required, 1, 128, Rule::Any),
    text("orderId", Required, 1, 128, Rule::Any),
];

/// An argument read by `table`: the record, or `argument.invalid` at the first problem's path
/// with every problem on `errors`.
fn read(table: &'static [Field], value: JsValue) -> Result<Record, Error> {
    let checked = walk(&[table], &Js(value), READING);
    if checked.errors.is_empty() {
        Ok(checked.record)
    } else {
        Err(Error::invalid_options(&checked.errors))
    }
}

/// A stored invoice record, read back.
fn invoice(value: JsValue) -> Result<Invoice, Error> {
    Invoice::read(&Js(value)).map_err(|errors| {
        let under = |path: String| if path.is_empty() { "invoice".to_string() } else { format!("invoice.{path}") };
        let prefixed: Vec<_> = errors.into_iter().map(|error| connpay_core::FieldError { path: under(error.path), ..error }).collect();
        Error::invalid_options(&prefixed)
    })
}

/// A text argument, or `argument.invalid` at `path`.
fn text_argument(value: &JsValue, path: &str) -> Result<String, Error> {
    value.as_string().ok_or_else(|| Error::invalid_argument(path, "must be a string"))
}

/// `(token) => boolean` or `(clientCardId, invoice) => string | null`; what it throws is thrown
/// on. A promise is refused: the answer is needed now, under the caller's lock, and a pending
/// promise read as "no" would refuse every sale without saying why.
fn call(function: &Function, (first, second): (JsValue, JsValue), path: &str) -> Result<JsValue, JsValue> {
    let answer = function.call2(&JsValue::UNDEFINED, &first, &second)?;
    if answer.is_instance_of::<js_sys::Promise>() {
        let message = "must answer at once, not with a promise: look the value up (await your store) before this call, then pass a function that returns it";
        return Err(Error::invalid_argument(path, message).into());
    }
    Ok(answer)
}

fn function(value: &JsValue, path: &str) -> Result<Function, Error> {
    value.dyn_ref::<Function>().cloned().ok_or_else(|| Error::invalid_argument(path, "this argument must be a function"))
}

/// The merchant's server: its control key, endpoint and login.
#[wasm_bindgen(js_name = Merchant)]
pub struct NodeMerchant(Merchant);

#[wasm_bindgen(js_class = Merchant)]
impl NodeMerchant {
    /// `new Merchant({ controlKey, endpointId?, login? })`; a malformed key throws
    /// `argument.invalid` at `controlKey`, without the key.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "MerchantOptions")] options: JsValue) -> Result<NodeMerchant, Error> {
        let options = read(OPTIONS, options)?;
        let owned = |key: &str| options.text(key).map(str::to_string);
        Merchant::new(options.text("controlKey").unwrap_or_default(), owned("endpointId"), owned("login"))
            .map(NodeMerchant)
            .map_err(|error| Error::invalid_argument("controlKey", &error.to_string()))
    }

    /// The DAPI endpoint, if configured.
    #[wasm_bindgen(getter, js_name = endpointId)]
    pub fn endpoint_id(&self) -> Option<String> {
        self.0.endpoint_id().map(str::to_string)
    }

    /// The /api/v2 login, if configured.
    #[wasm_bindgen(getter)]
    pub fn login(&self) -> Option<String> {
        self.0.login().map(str::to_string)
    }

    /// What `JSON.stringify` writes: the endpoint and the login, never the key.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ endpointId: string | null; login: string | null }")]
    pub fn to_json(&self) -> Result<JsValue, Error> {
        to_js(self)
    }

    /// What `String(merchant)` writes.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_text(&self) -> String {
        format!("Merchant(endpointId: {}, login: {})", self.0.endpoint_id().unwrap_or("none"), self.0.login().unwrap_or("none"))
    }

    /// A new access token (64 hex characters from the operating system's random source), to
    /// hand to a payer this server authenticated, and to remember.
    #[wasm_bindgen(js_name = accessToken)]
    pub fn access_token(&self) -> Result<String, Error> {
        crate::new_token().ok_or_else(Error::internal)
    }

    /// Initiate sale: `body` is the page's parsed JSON, `isIssued(accessToken)` says whether
    /// this server issued the token. Answers `{ status, body, invoice }`: send `status` and
    /// `body`; store `invoice` (null unless it succeeded) under `invoice.invoiceId`.
    #[wasm_bindgen(js_name = initiateSale, unchecked_return_type = "Reply & { invoice: Invoice | null }")]
    pub fn initiate_sale(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InitiateSaleRequest")] body: JsValue,
        #[wasm_bindgen(js_name = isIssued, unchecked_param_type = "(accessToken: string) => boolean")] is_issued: JsValue,
    ) -> Result<JsValue, JsValue> {
        let is_issued = function(&is_issued, "isIssued")?;
        let mut thrown = None;
        let issued = |token: &str| match call(&is_issued, (JsValue::from_str(token), JsValue::UNDEFINED), "isIssued") {
            Ok(answer) => answer.as_bool() == Some(true),
            Err(error) => {
                thrown = Some(error);
                false
            }
        };
        let (reply, invoice) = match self.0.initiate_sale(&Js(body), issued) {
            Ok((reply, invoice)) => (reply, Some(invoice)),
            Err(reply) => (reply, None),
        };
        if let Some(error) = thrown {
            return Err(error);
        }
        Ok(to_js(&reply_with(reply, invoice))?)
    }

    /// Check sale, as the gateway asks it at `POST …/sale/{invoiceId}/check`: `body` is the
    /// gateway's parsed JSON, `invoice` the stored record (null when there is none).
    /// `serverCardId(clientCardId, invoice)` names the stored card of a sale by card reference,
    /// among the cards of the payer who holds `invoice.accessToken` (null: not this payer's
    /// card). Answers `{ status, body, invoice }`: send `status` and `body`; `invoice` is the
    /// record now confirmed, to write over the stored one (null when nothing changed).
    #[wasm_bindgen(js_name = checkSale, unchecked_return_type = "Reply & { invoice: Invoice | null }")]
    pub fn check_sale(
        &self,
        #[wasm_bindgen(js_name = invoiceId, unchecked_param_type = "string")] invoice_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CheckSaleRequest")] body: JsValue,
        #[wasm_bindgen(js_name = invoice, unchecked_param_type = "Invoice | null | undefined")] stored: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckSaleOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let invoice_id = text_argument(&invoice_id, "invoiceId")?;
        let mut record = if stored.is_null() || stored.is_undefined() { None } else { Some(invoice(stored)?) };
        let before = record.clone();
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let lookup = own(&options, "serverCardId").map_err(|_| Error::invalid_argument("serverCardId", "this option could not be read"))?;
        let lookup = if lookup.is_undefined() { None } else { Some(function(&lookup, "serverCardId")?) };
        let mut thrown = None;
        let server_card_id = |client_card_id: &str, invoice: &Invoice| {
            let arguments = (JsValue::from_str(client_card_id), to_js(invoice).ok()?);
            let answer = call(lookup.as_ref()?, arguments, "serverCardId").map_err(|error| thrown = Some(error)).ok()?;
            answer.as_string()
        };
        let reply = self.0.check_sale(&invoice_id, &Js(body), record.as_mut(), server_card_id);
        if let Some(error) = thrown {
            return Err(error);
        }
        let changed = record.filter(|record| Some(record) != before.as_ref());
        Ok(to_js(&reply_with(reply, changed))?)
    }

    /// Settles a stored invoice whose outcome the page could not learn (and only then: settling a
    /// sale the payer is still paying voids it): `{ invoice, voided }`. Voided: the gateway never
    /// asked about it and never will be answered, so it is not charged. Otherwise ask the
    /// gateway ([`Self::status_request`]).
    #[wasm_bindgen(unchecked_return_type = "{ invoice: Invoice; voided: boolean }")]
    pub fn settle(&self, #[wasm_bindgen(js_name = invoice, unchecked_param_type = "Invoice")] stored: JsValue) -> Result<JsValue, Error> {
        let mut record = invoice(stored)?;
        let voided = self.0.settle(&mut record) == Settlement::Voided;
        to_js(&Record::default().field("invoice", &record).field("voided", voided))
    }

    /// The sale-status request of a confirmed invoice, `{ method, url, headers, body }` for
    /// `fetch`, to `gateway` (`"sandbox"`, `"production"` or a URL); null before check sale
    /// confirmed it.
    #[wasm_bindgen(js_name = statusRequest, unchecked_return_type = "StatusRequest | null")]
    pub fn status_request(
        &self,
        #[wasm_bindgen(js_name = invoice, unchecked_param_type = "Invoice")] stored: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] gateway: JsValue,
    ) -> Result<JsValue, Error> {
        let record = invoice(stored)?;
        let gateway = text_argument(&gateway, "gateway")?;
        let gateway = Gateway::parse(&gateway).map_err(|error| Error::new(error.code, error.message).at("gateway"))?;
        let Some(request) = self.0.status_request(&gateway, &record) else { return Ok(JsValue::NULL) };
        let mut headers = Record::default();
        for (name, value) in request.headers {
            headers.set(name, (*value).into());
        }
        to_js(&Record::default().field("method", request.method).field("url", &request.url).field("headers", headers).field("body", &request.body))
    }

    /// The gateway's answer to the status request, classified: `{ kind: "accepted", state, … }`,
    /// `"rejected"`, `"serverError"`. Ship only on `accepted` with `state` `APPROVED` and this
    /// invoice's `invoiceId`.
    #[wasm_bindgen(js_name = readStatus, unchecked_return_type = "StatusOutcome")]
    pub fn read_status(
        &self,
        #[wasm_bindgen(js_name = httpStatus, unchecked_param_type = "number")] http_status: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
    ) -> Result<JsValue, Error> {
        let http_status = http_status
            .as_f64()
            .filter(|status| status.fract() == 0.0 && (100.0..=599.0).contains(status))
            .ok_or_else(|| Error::invalid_argument("httpStatus", "must be the HTTP status, a whole number from 100 to 599"))?;
        to_js(&Merchant::read_status(http_status as u16, &text_argument(&body, "body")?))
    }

    /// The /api/v2/sale `control` of `{ endpointId | endpointGroupId, clientOrderId, amount,
    /// currency, email }`, `amount` in major units as the form sends it (`"10.42"`).
    #[wasm_bindgen(js_name = v2SaleControl)]
    pub fn v2_sale_control(&self, #[wasm_bindgen(unchecked_param_type = "V2SaleControlRequest")] request: JsValue) -> Result<String, Error> {
        // The first problem in the message and at `path`, every one on `errors`.
        self.0.v2_sale_control(&Js(request), YearMonth::LATEST).map_err(|errors| Error::invalid_options(&errors).with_code(ErrorCode::RequestInvalid))
    }

    /// The /api/v2/status `control` of `{ login?, clientOrderId, orderId }` (the merchant's own
    /// login when none is given).
    #[wasm_bindgen(js_name = v2StatusControl)]
    pub fn v2_status_control(&self, #[wasm_bindgen(unchecked_param_type = "V2StatusControlRequest")] request: JsValue) -> Result<String, Error> {
        let request = read(STATUS_CONTROL, request)?;
        let text = |key: &str| request.text(key).unwrap_or_default();
        self.0
            .v2_status_control(request.text("login"), text("clientOrderId"), text("orderId"))
            .ok_or_else(|| Error::invalid_argument("login", "no login given, and the Merchant has none"))
    }

    /// Whether the gateway's callback (or the payer's return) carries the gateway's `control`:
    /// `params` as posted (`status`, `orderid`, `client_orderid` and/or `merchant_order`,
    /// `control`), e.g. `Object.fromEntries(new URLSearchParams(body))`. Anything unreadable is
    /// `false`.
    #[wasm_bindgen(js_name = verifyV2Callback)]
    pub fn verify_v2_callback(&self, #[wasm_bindgen(unchecked_param_type = "V2CallbackParams")] params: JsValue) -> bool {
        let keys = ["status", "orderid", "client_orderid", "merchant_order", "control"];
        let values: Vec<Option<String>> = keys.iter().map(|key| own(&params, key).ok().and_then(|value| value.as_string())).collect();
        self.0.verify_v2_callback(|key| keys.iter().position(|known| *known == key).and_then(|index| values[index].as_deref()))
    }

    /// `session.signature` of initiate sale, for a server that makes its own invoices.
    #[wasm_bindgen(js_name = sessionSignature)]
    pub fn session_signature(&self, #[wasm_bindgen(unchecked_param_type = "SessionSignatureFields")] fields: JsValue) -> Result<String, Error> {
        let fields = read(SESSION_SIGNATURE, fields)?;
        let text = |key: &str| fields.text(key).unwrap_or_default();
        Ok(self.0.key().session_signature(&SessionSignatureFields {
            access_token: text("accessToken"),
            serial_number: text("serialNumber"),
            endpoint_id: text("endpointId"),
            nonce: text("nonce"),
            invoice_id: text("invoiceId"),
            amount_centis: fields.number("amountCentis").unwrap_or_default() as u64,
            currency: text("currency"),
        }))
    }

    /// `session.checkSignature` of check sale.
    #[wasm_bindgen(js_name = checkSignature)]
    pub fn check_signature(&self, #[wasm_bindgen(unchecked_param_type = "CheckSignatureFields")] fields: JsValue) -> Result<String, Error> {
        let fields = read(CHECK_SIGNATURE, fields)?;
        let text = |key: &str| fields.text(key).unwrap_or_default();
        Ok(self.0.key().check_signature(&CheckSignatureFields {
            serial_number: text("serialNumber"),
            nonce: text("nonce"),
            endpoint_id: text("endpointId"),
            invoice_id: text("invoiceId"),
            server_card_id: fields.text("serverCardId"),
        }))
    }
}

/// `{ status, body, invoice }`: the reply, and the record to store (null when none changed).
fn reply_with(reply: crate::Reply, invoice: Option<Invoice>) -> Record {
    reply.record().field("invoice", &invoice)
}

/// The endpoint and the login: what a `Merchant` shows of itself.
impl ToGot for NodeMerchant {
    fn to_got(&self) -> connpay_core::value::Got {
        Record::default().field("endpointId", self.0.endpoint_id()).field("login", self.0.login()).to_got()
    }
}
