//! /api/v2/sale: the form a merchant's server, or a page with a `control` from
//! that server, posts to the gateway. Its table of parameters and their validation, the
//! form-urlencoded body, the signing string's parts, and the parsers of the form and of the
//! gateway's answer. The signature itself is in `sign`, behind the `server` feature.

mod form;
mod request;
mod response;

pub use form::{browser_form_fields, currency_exponent, minor_units, parse_v2_sale_form, ControlParts, ParsedV2Sale, V2SaleForm};
pub use request::{check_v2_sale, wire_name, BROWSER, PARAMETERS, ROUTE_AND_BROWSER};
pub use response::{parse_v2_response, parse_v2_status, V2Response, V2ResponseError, V2ResponseType, V2StatusAnswer, V2StatusBody};
