//! `Gateway`, the gateway a checkout or a call goes to, read once and checked: the drop-in's entry
//! point and the gateway calls' both take it.

use connpay_core::gateway;
use wasm_bindgen::prelude::*;

use crate::Error;

/// A checked gateway: `new Gateway("sandbox")`, `new Gateway("production")`, or
/// `new Gateway("https://…")`. Plain http is refused except for localhost and 127.0.0.1.
#[wasm_bindgen]
pub struct Gateway {
    inner: gateway::Gateway,
}

#[wasm_bindgen]
impl Gateway {
    /// Checks a configuration; throws a `ConnPayError` (`gateway.invalid_url`,
    /// `gateway.insecure`) for anything else.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "string")] config: JsValue) -> Result<Gateway, Error> {
        read_gateway(&config).map(|inner| Gateway { inner })
    }

    /// The base URL calls go to, without a trailing slash.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }
}

/// A gateway given as a `Gateway` or as its configuration text. A `Gateway` is read back
/// through its `baseUrl` and checked again, so an imitation object gains nothing.
pub(crate) fn read_gateway(value: &JsValue) -> Result<gateway::Gateway, Error> {
    let config = match value.as_string() {
        Some(text) => Some(text),
        None if value.is_object() => js_sys::Reflect::get(value, &"baseUrl".into()).ok().and_then(|url| url.as_string()),
        None => None,
    };
    let config = config.ok_or_else(|| {
        Error::invalid_argument(
            "gateway",
            "the gateway must be a Gateway, \"sandbox\", \"production\" or an https:// URL (http:// only for localhost and 127.0.0.1)",
        )
    })?;
    gateway::Gateway::parse(&config).map_err(|error| Error::new(error.code, error.message).at("gateway"))
}
