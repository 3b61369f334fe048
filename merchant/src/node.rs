//! The Node package `connpay-checkout-server` (`wasm-pack --target nodejs`, feature `node`):
//! the crate's functions for a shop whose server is JavaScript. Arguments are read as the browser
//! module reads them ([`connpay_js::Js`]: own properties with their JavaScript types, nothing
//! through JSON), errors are the same `ConnPayError`s, and the control key stays inside the
//! module's memory: a `Merchant` printed, serialised or inspected shows only its endpoint and
//! login.

use connpay_core::card::YearMonth;
use connpay_core::gateway::Gateway;
use connpay_core::sale::HttpRequest;
use connpay_core::schema::{boolean, integer, list, object, text, walk, Field, Necessity::*, Reading, Rule, Unknown};
use connpay_core::sign::{CheckSignatureFields, SessionSignatureFields};
use connpay_core::v2::{currency_exponent, minor_units};
use connpay_core::value::{Got, Record, ToGot};
use connpay_core::ErrorCode;
use connpay_js::{own, to_js, Error, Js};
use wasm_bindgen::prelude::*;

use crate::{AmountChange, Merchant, Order, StatusRead, V2Sale, V2StatusRead};

/// The package's TypeScript declarations: the interfaces the exports below name.
#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = include_str!("server.d.ts");

/// Options are read whole, refusing keys they do not know; no field is a date.
const READING: Reading = Reading { today: YearMonth::LATEST, trim: false, unknown: Unknown::RefuseOption };

const OPTIONS: &[Field] = &[
    text("controlKey", Required, 2, 256, Rule::Token),
    text("endpointId", Optional, 1, 64, Rule::Segment),
    text("login", Optional, 1, 128, Rule::Any),
    integer("challengeLifetimeMs", Optional, 1000, 86_400_000),
];

/// The largest time in milliseconds a `Date` holds (±8.64e15): `now` beyond it is a mistake.
const LATEST_MS: i64 = 8_640_000_000_000_000;

const INITIATE_OPTIONS: &[Field] = &[boolean("accessTokenIssued", Required), integer("now", Optional, 0, LATEST_MS)];

const NOW_OPTION: &[Field] = &[integer("now", Optional, 0, LATEST_MS)];

const CHECK_OPTIONS: &[Field] = &[list("savedCards", Optional, &SAVED_CARD), integer("now", Optional, 0, LATEST_MS)];
const SAVED_CARD: Field = object("", Required, SAVED_CARD_FIELDS);
const SAVED_CARD_FIELDS: &[Field] = &[text("clientCardId", Required, 1, 128, Rule::Any), text("serverCardId", Required, 0, 256, Rule::Any)];

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

/// `v2StatusRequest`'s endpoint, beside [`STATUS_CONTROL`]'s fields.
const V2_ENDPOINT: &[Field] = &[text("endpointId", Optional, 1, 64, Rule::Segment)];

/// `readV2Status`'s sale: what the merchant signed.
const V2_SALE: &[Field] = &[
    text("clientOrderId", Required, 1, 128, Rule::Any),
    text("orderId", Required, 1, 128, Rule::Any),
    text("amount", Required, 1, 32, Rule::Any),
    text("currency", Required, 3, 3, Rule::Any),
];

const STATUS_CONTROL: &[Field] = &[
    text("login", Optional, 1, 128, Rule::Any),
    text("clientOrderId", Required, 1, 128, Rule::Any),
    text("orderId", Required, 1, 128, Rule::Any),
];

/// An argument read by `table`: the record, or `argument.invalid` at the first problem's path
/// with every problem on `errors`.
fn read(table: &'static [Field], value: JsValue) -> Result<Record, Error> {
    read_tables(&[table], value)
}

/// An argument read by several tables, as one object.
fn read_tables(tables: &[&'static [Field]], value: JsValue) -> Result<Record, Error> {
    let checked = walk(tables, &Js(value), READING);
    if checked.errors.is_empty() {
        Ok(checked.record)
    } else {
        Err(Error::invalid_options(&checked.errors))
    }
}

/// An optional options argument read by `table`; left out (or `undefined`), no option is set.
fn read_optional(table: &'static [Field], options: Option<JsValue>) -> Result<Record, Error> {
    match options.filter(|options| !options.is_undefined()) {
        Some(options) => read(table, options),
        None => Ok(Record::default()),
    }
}

/// A stored order, read back; its problems under `order.`.
fn order(value: JsValue) -> Result<Order, Error> {
    Order::read(&Js(value)).map_err(|errors| under("order", errors))
}

/// Problems of an argument, each path under its name.
fn under(name: &str, errors: Vec<connpay_core::FieldError>) -> Error {
    let prefix = |path: String| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{name}.{path}")
        }
    };
    let prefixed: Vec<_> = errors.into_iter().map(|error| connpay_core::FieldError { path: prefix(error.path), ..error }).collect();
    Error::invalid_options(&prefixed)
}

/// A text argument, or `argument.invalid` at `path`.
fn text_argument(value: &JsValue, path: &str) -> Result<String, Error> {
    value.as_string().ok_or_else(|| Error::invalid_argument(path, "must be a string"))
}

/// `options.now`, or the clock's now: the time is an input, the clock only its default.
fn now(options: &Record) -> u64 {
    options.number("now").unwrap_or_else(js_sys::Date::now) as u64
}

/// `{ status, body, order }`: the reply, and the order to store (null when nothing changed).
fn reply_with(reply: crate::Reply, order: &Order, before: u64) -> Record {
    reply.record().field("order", (order.version != before).then_some(order))
}

/// `{ order, … }`: the order to store, null when nothing changed.
fn changed(order: &Order, before: u64) -> Record {
    Record::default().field("order", (order.version != before).then_some(order))
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
        let merchant = Merchant::new(options.text("controlKey").unwrap_or_default(), owned("endpointId"), owned("login"))
            .map_err(|error| Error::invalid_argument("controlKey", &error.to_string()))?;
        Ok(NodeMerchant(match options.number("challengeLifetimeMs") {
            Some(milliseconds) => merchant.with_challenge_lifetime(milliseconds as u64),
            None => merchant,
        }))
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

    /// A new order, `{ orderId, amountCentis, currency }`: the record to store (version 0).
    #[wasm_bindgen(js_name = newOrder, unchecked_return_type = "Order")]
    pub fn new_order(&self, #[wasm_bindgen(unchecked_param_type = "NewOrder")] fields: JsValue) -> Result<JsValue, Error> {
        let order = Order::new(&Js(fields)).map_err(|errors| Error::invalid_options(&errors))?;
        to_js(&order)
    }

    /// Where a stored order stands: `{ status: "open" | "paid" | "pending", orderId, invoiceId,
    /// until?, redirectUrl? }`.
    #[wasm_bindgen(js_name = orderStatus, unchecked_return_type = "OrderStatusAnswer")]
    pub fn order_status(&self, #[wasm_bindgen(js_name = order, unchecked_param_type = "Order")] stored: JsValue) -> Result<JsValue, Error> {
        to_js(&self.0.order_status(&order(stored)?))
    }

    /// The cart changed: `{ order, status }`; `order` is null (nothing changed) when the order
    /// already cost that, or when it is `paid` or `pending` (its amount stays: `status` says why).
    #[wasm_bindgen(js_name = setAmount, unchecked_return_type = "{ order: Order | null; status: OrderStatusName }")]
    pub fn set_amount(
        &self,
        #[wasm_bindgen(js_name = order, unchecked_param_type = "Order")] stored: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ amountCentis: number; currency: string }")] amount: JsValue,
    ) -> Result<JsValue, Error> {
        let mut order = order(stored)?;
        let before = order.version;
        let status = match order.set_amount(&Js(amount)).map_err(|errors| under("amount", errors))? {
            AmountChange::Locked(status) => status,
            AmountChange::Changed | AmountChange::Unchanged => "open",
        };
        to_js(&changed(&order, before).field("status", status))
    }

    /// Initiate sale for a stored order: `body` is the page's parsed JSON as it came (typed
    /// `unknown`: this call checks it, `InitiateSaleRequest` is its shape); `accessTokenIssued`
    /// whether this server issued its `session.accessToken` (look it up first). Answers
    /// `{ status, body, order }`: send `status` and `body` (`paid`, `pending`, or a new invoice
    /// signed for the order's amount); store `order` unless it is null.
    #[wasm_bindgen(js_name = initiateSale, unchecked_return_type = "Reply<InitiateSaleAnswer> & { order: Order | null }")]
    pub fn initiate_sale(
        &self,
        #[wasm_bindgen(js_name = order, unchecked_param_type = "Order")] stored: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] body: JsValue,
        #[wasm_bindgen(unchecked_param_type = "InitiateSaleOptions")] options: JsValue,
    ) -> Result<JsValue, Error> {
        let mut order = order(stored)?;
        let options = read(INITIATE_OPTIONS, options)?;
        let before = order.version;
        let reply = self.0.initiate_sale(&mut order, &Js(body), options.flag("accessTokenIssued") == Some(true));
        to_js(&reply_with(reply, &order, before))
    }

    /// Check sale, as the gateway asks it at `POST …/sale/{invoiceId}/check`, for the stored
    /// order that holds `invoiceId`: `body` is the gateway's parsed JSON as it came (typed
    /// `unknown`: this call checks it, `CheckSaleRequest` is its shape); `savedCards` the
    /// `{ clientCardId, serverCardId }` of this order's payer's stored cards (for a sale by card
    /// reference). Answers `{ status, body, order }`: send `status` and `body`; store `order`
    /// unless it is null.
    #[wasm_bindgen(js_name = checkSale, unchecked_return_type = "Reply<CheckSaleAnswer> & { order: Order | null }")]
    pub fn check_sale(
        &self,
        #[wasm_bindgen(js_name = order, unchecked_param_type = "Order")] stored: JsValue,
        #[wasm_bindgen(js_name = invoiceId, unchecked_param_type = "string")] invoice_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckSaleOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, Error> {
        let mut order = order(stored)?;
        let invoice_id = text_argument(&invoice_id, "invoiceId")?;
        let options = read_optional(CHECK_OPTIONS, options)?;
        let cards: Vec<(&str, &str)> = match options.get("savedCards") {
            Some(Got::List(cards)) => cards
                .iter()
                .filter_map(|card| match card {
                    Got::Record(card) => Some((card.text("clientCardId")?, card.text("serverCardId")?)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let before = order.version;
        let reply = self.0.check_sale(&mut order, &invoice_id, &Js(body), &cards, now(&options));
        to_js(&reply_with(reply, &order, before))
    }

    /// Settles the invoice `invoiceId` of a stored order when the page could not learn its
    /// outcome (and only then: settling a sale the payer is still paying voids it): `{ order,
    /// state }`. `VOIDED`: the gateway never asked check sale and never will be answered, so it
    /// is not charged; `CONFIRMED`: the gateway holds a sale: ask it ([`Self::reconcile`]);
    /// `APPROVED`, `DECLINED`: already known.
    #[wasm_bindgen(unchecked_return_type = "{ order: Order | null; state: InvoiceState }")]
    pub fn settle(
        &self,
        #[wasm_bindgen(js_name = order, unchecked_param_type = "Order")] stored: JsValue,
        #[wasm_bindgen(js_name = invoiceId, unchecked_param_type = "string")] invoice_id: JsValue,
    ) -> Result<JsValue, Error> {
        let mut order = order(stored)?;
        let invoice_id = text_argument(&invoice_id, "invoiceId")?;
        let before = order.version;
        let state = self
            .0
            .settle(&mut order, &invoice_id)
            .ok_or_else(|| Error::invalid_argument("invoiceId", "the order has no invoice of that id"))?;
        to_js(&changed(&order, before).field("state", state))
    }

    /// The sale-status requests to send to `gateway` (`"sandbox"`, `"production"` or a URL) for a
    /// stored order: `[{ invoiceId, request: { method, url, headers, body } }]`, one for each
    /// confirmed invoice whose sale is not final. Give each answer to [`Self::apply_status`].
    #[wasm_bindgen(unchecked_return_type = "Array<{ invoiceId: string; request: StatusRequest }>")]
    pub fn reconcile(
        &self,
        #[wasm_bindgen(js_name = order, unchecked_param_type = "Order")] stored: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] gateway: JsValue,
    ) -> Result<JsValue, Error> {
        let order = order(stored)?;
        let gateway = gateway_argument(&gateway)?;
        let calls: Vec<Record> = self
            .0
            .reconcile(&gateway, &order)
            .into_iter()
            .map(|(invoice_id, request)| Record::default().field("invoiceId", invoice_id).field("request", request_record(&request)))
            .collect();
        to_js(&calls)
    }

    /// The gateway's answer (`httpStatus`, the body's text) to the status request of
    /// `invoiceId`, applied to a stored order: `{ order, state }`. `state` is the sale's
    /// (`APPROVED` and `DECLINED` recorded for good, `PROCESSING`, `REDIRECT_REQUEST`),
    /// `AMOUNT_MISMATCH` (approved for another amount than signed: not this order's payment;
    /// nothing recorded), `NO_SUCH_SALE` (the gateway holds no sale of the token check sale
    /// brought, and the sale's lifetime after check sale has passed, `now` by `options.now` or
    /// the clock: recorded as declined, never charged), or null (no usable answer: ask again).
    #[wasm_bindgen(js_name = applyStatus, unchecked_return_type = "{ order: Order | null; state: SaleState | 'AMOUNT_MISMATCH' | 'NO_SUCH_SALE' | null }")]
    pub fn apply_status(
        &self,
        #[wasm_bindgen(js_name = order, unchecked_param_type = "Order")] stored: JsValue,
        #[wasm_bindgen(js_name = invoiceId, unchecked_param_type = "string")] invoice_id: JsValue,
        #[wasm_bindgen(js_name = httpStatus, unchecked_param_type = "number")] http_status: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ now?: number }")] options: Option<JsValue>,
    ) -> Result<JsValue, Error> {
        let mut order = order(stored)?;
        let invoice_id = text_argument(&invoice_id, "invoiceId")?;
        let http_status = http_status_argument(&http_status)?;
        let options = read_optional(NOW_OPTION, options)?;
        let before = order.version;
        let state = match self.0.apply_status(&mut order, &invoice_id, http_status, &text_argument(&body, "body")?, now(&options)) {
            StatusRead::State(state) => state.to_got(),
            StatusRead::AmountMismatch => "AMOUNT_MISMATCH".into(),
            StatusRead::NoSuchSale => "NO_SUCH_SALE".into(),
            StatusRead::NoAnswer => Got::Null,
        };
        let mut answer = changed(&order, before);
        answer.set("state", state);
        to_js(&answer)
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
        to_js(&Merchant::read_status(http_status_argument(&http_status)?, &text_argument(&body, "body")?))
    }

    /// The /api/v2/sale `control` of `{ endpointId | endpointGroupId, clientOrderId, amount,
    /// currency, email }`, `amount` in major units as the form sends it (`"10.42"`).
    #[wasm_bindgen(js_name = v2SaleControl)]
    pub fn v2_sale_control(
        &self,
        #[wasm_bindgen(unchecked_param_type = "V2SaleControlRequest")] request: JsValue,
    ) -> Result<String, Error> {
        // The first problem in the message and at `path`, every one on `errors`.
        self.0
            .v2_sale_control(&Js(request), YearMonth::LATEST)
            .map_err(|errors| Error::invalid_options(&errors).with_code(ErrorCode::RequestInvalid))
    }

    /// The /api/v2/status `control` of `{ login?, clientOrderId, orderId }` (the merchant's own
    /// login when none is given).
    #[wasm_bindgen(js_name = v2StatusControl)]
    pub fn v2_status_control(
        &self,
        #[wasm_bindgen(unchecked_param_type = "V2StatusControlRequest")] request: JsValue,
    ) -> Result<String, Error> {
        let request = read(STATUS_CONTROL, request)?;
        let text = |key: &str| request.text(key).unwrap_or_default();
        self.0
            .v2_status_control(request.text("login"), text("clientOrderId"), text("orderId"))
            .ok_or_else(|| Error::invalid_argument("login", "no login given, and the Merchant has none"))
    }

    /// The /api/v2/status request of `{ clientOrderId, orderId, login?, endpointId? }` (the
    /// merchant's own login and endpoint when none is given) to `gateway` ("sandbox",
    /// "production" or its URL), for `fetch(url, { method, headers, body })`.
    #[wasm_bindgen(js_name = v2StatusRequest, unchecked_return_type = "StatusRequest")]
    pub fn v2_status_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "V2StatusRequestFields")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] gateway: JsValue,
    ) -> Result<JsValue, Error> {
        let request = read_tables(&[STATUS_CONTROL, V2_ENDPOINT], request)?;
        let gateway = gateway_argument(&gateway)?;
        let text = |key: &str| request.text(key).unwrap_or_default();
        let built =
            self.0.v2_status_request(&gateway, request.text("endpointId"), request.text("login"), text("clientOrderId"), text("orderId"));
        match built {
            Some(built) => to_js(&request_record(&built)),
            None if request.text("login").or(self.0.login()).is_none() => {
                Err(Error::invalid_argument("login", "no login given, and the Merchant has none"))
            }
            None => Err(Error::invalid_argument("endpointId", "no endpointId given, and the Merchant has none")),
        }
    }

    /// The gateway's answer (`httpStatus`, the body's text) to the /api/v2/status request of
    /// `sale` (`{ clientOrderId, orderId, amount, currency }`, as signed): `{ kind: "status",
    /// status, final, paid, … }`, `{ kind: "refused", … }` or `{ kind: "unusable" }`. Ship only
    /// on `paid`: approved, naming the `clientOrderId`, for the amount and currency signed.
    #[wasm_bindgen(js_name = readV2Status, unchecked_return_type = "V2StatusRead")]
    pub fn read_v2_status(
        &self,
        #[wasm_bindgen(js_name = httpStatus, unchecked_param_type = "number")] http_status: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
        #[wasm_bindgen(unchecked_param_type = "V2SaleSigned")] sale: JsValue,
    ) -> Result<JsValue, Error> {
        let http_status = http_status_argument(&http_status)?;
        let body = text_argument(&body, "body")?;
        let checked = walk(&[V2_SALE], &Js(sale), READING);
        if !checked.errors.is_empty() {
            return Err(under("sale", checked.errors));
        }
        let text = |key: &str| checked.record.text(key).unwrap_or_default();
        // What was signed must be a v2 sale's amount and currency, or no answer could match it.
        let Some(exponent) = currency_exponent(text("currency")) else {
            return Err(Error::invalid_argument("sale.currency", "must be an ISO 4217 code with minor units, in upper case, such as EUR"));
        };
        let Some(amount_centis) = minor_units(text("amount"), exponent) else {
            return Err(Error::invalid_argument(
                "sale.amount",
                "must be the amount signed, in major units with at most the currency's decimals, such as \"10.42\"",
            ));
        };
        let signed =
            V2Sale { client_order_id: text("clientOrderId"), order_id: text("orderId"), amount_centis, currency: text("currency") };
        let read = Merchant::read_v2_status(http_status, &body, &signed);
        let is_final = read.is_final();
        let read = match read {
            V2StatusRead::Status { status, paid, amount_centis, currency, redirect_url, html } => Record::default()
                .field("kind", "status")
                .field("status", status)
                .field("final", is_final)
                .field("paid", paid)
                .field("amountCentis", amount_centis)
                .field("currency", currency)
                .field("redirectUrl", redirect_url)
                .field("html", html),
            V2StatusRead::Refused { error_message, error_code } => {
                Record::default().field("kind", "refused").field("errorMessage", error_message).field("errorCode", error_code)
            }
            V2StatusRead::Unusable => Record::default().field("kind", "unusable"),
        };
        to_js(&read)
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
    pub fn session_signature(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SessionSignatureFields")] fields: JsValue,
    ) -> Result<String, Error> {
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

/// The HTTP status of a gateway's answer, or `argument.invalid`.
/// `gateway`: "sandbox", "production" or the gateway's URL.
fn gateway_argument(value: &JsValue) -> Result<Gateway, Error> {
    Gateway::parse(&text_argument(value, "gateway")?).map_err(|error| Error::new(error.code, error.message).at("gateway"))
}

/// A request to send, as `{ method, url, headers, body }` (`StatusRequest`).
fn request_record(request: &HttpRequest) -> Record {
    let mut headers = Record::default();
    for (name, value) in request.headers {
        headers.set(name, (*value).into());
    }
    Record::default().field("method", request.method).field("url", &request.url).field("headers", headers).field("body", &request.body)
}

fn http_status_argument(value: &JsValue) -> Result<u16, Error> {
    value
        .as_f64()
        .filter(|status| status.fract() == 0.0 && (100.0..=599.0).contains(status))
        .map(|status| status as u16)
        .ok_or_else(|| Error::invalid_argument("httpStatus", "must be the HTTP status, a whole number from 100 to 599"))
}

/// The endpoint and the login: what a `Merchant` shows of itself.
impl ToGot for NodeMerchant {
    fn to_got(&self) -> connpay_core::value::Got {
        Record::default().field("endpointId", self.0.endpoint_id()).field("login", self.0.login()).to_got()
    }
}
