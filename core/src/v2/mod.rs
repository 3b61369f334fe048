//! /api/v2/sale (seed `001_…txt`): the form a merchant's server, or a page with a `control` from
//! that server, posts to the gateway. The model and its table of parameters, the validation, the
//! form-urlencoded body, the signing string's parts, and the parsers of the form and of the
//! gateway's answer. The signature itself is in `sign`, behind the `server` feature.

mod check;
mod form;
mod request;
mod response;
mod validate;

pub use check::{check_v2_sale, BROWSER, PARAMETERS as V2_PARAMETERS, ROUTE_AND_BROWSER};
pub use form::{currency_exponent, minor_units, parse_v2_sale_form, ControlParts, ParsedV2Sale, V2SaleForm};
pub use request::{parameter, Necessity, Parameter, Rule, V2SaleRequest, PARAMETERS};
pub use response::{parse_v2_response, V2Response, V2ResponseError, V2ResponseType};
pub use validate::{validate_v2_sale, wire_name};
