//! The TypeScript declarations of every shape the exports take and return, written once in
//! `connpay.d.ts` and emitted into the package's `.d.ts` by wasm-bindgen. Native tests check that
//! the error-code unions list exactly the core's codes and that every request interface has
//! exactly the fields of the core's table, with the table's necessity and type.

use wasm_bindgen::prelude::*;

/// The declarations, as they appear in `connpay_checkout.d.ts`: a real TypeScript file, compiled
/// by `tsc --strict` in `npm test`.
pub const TYPESCRIPT: &str = include_str!("connpay.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT_SECTION: &str = TYPESCRIPT;

/// The validators, written once: the validate entry's are `src/validate.js`'s (over `lean`),
/// the gateway's and v2's are `card`'s; the drop-in's entry has none.
#[cfg(not(all(feature = "checkout", not(feature = "gateway"), not(feature = "v2"))))]
#[wasm_bindgen(typescript_custom_section)]
const VALIDATORS: &str = r#"
/** The brand the digits name, or `null` while several brands (or none) are possible. */
export function detectBrand(value: string): BrandInfo | null;

/** The number's digits in its brand's display groups; anything but digits is dropped. */
export function formatCardNumber(value: string): string;

/**
 * Checks every field of a card at once; the security code against the number's brand. A card
 * that is not an object of fields (`null`, an array, a string…) has no field that is text.
 */
export function validateCard(card: CardInput, today?: YearMonth | Date | null): CardResult;

/**
 * Checks a card number as typed or pasted: spaces and dashes are ignored, anything else is an
 * error; brand by issuer prefix, length by brand, then Luhn.
 */
export function validateCardNumber(value: string): CardNumberResult;

/**
 * Checks a security code: 4 digits for American Express, 3 for other brands, 3 or 4 when the
 * brand is not given. An unrecognised brand id counts as not given.
 */
export function validateCvv(value: string, brandId?: BrandId | null): CvvResult;

/**
 * Checks an expiry (`MM/YY`, `MM / YY`, `MM YY`, `MMYY`, `MM/YYYY`, `YYYY-MM`) against `today`, which
 * defaults to the browser's clock. Throws only when `today` itself is malformed.
 */
export function validateExpiry(value: string, today?: YearMonth | Date | null): ExpiryResult;

/**
 * Checks the holder's name: `{ firstName, lastName }`, `{ printedName }`, or a string (a
 * printed name); `undefined` and `null` are an empty name, anything else (an array, a `Date`, a
 * `String` object) is not text. Every part must be 1–50 characters after trimming, and not
 * digits only (spaces and dashes aside).
 */
export function validateHolder(holder: HolderInput | string): HolderResult;
"#;

/// An entry point built without a `Gateway` (`connpay-checkout/validate`, `…/v2`) declares the
/// same shapes, and some name the main entry point's `Gateway` class.
#[cfg(not(any(feature = "checkout", feature = "gateway")))]
#[wasm_bindgen(typescript_custom_section)]
const GATEWAY_OF_THE_MAIN_ENTRY: &str = r#"/** The class of the package's main entry point, `connpay-checkout`, that the gateway calls take. */
type Gateway = import("./connpay_checkout.js").Gateway;"#;

#[cfg(test)]
mod tests {
    use super::TYPESCRIPT;
    use connpay_core::schema::*;
    use connpay_core::v2::{BROWSER, PARAMETERS, ROUTE_AND_BROWSER};
    use connpay_core::ErrorCode;

    /// Every quoted string in the declarations that looks like an error code (`a.b` or `a.b.c`
    /// in lower case).
    fn declared_codes() -> Vec<&'static str> {
        TYPESCRIPT
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|text| text.contains('.') && text.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'))
            .collect()
    }

    #[test]
    fn the_code_unions_are_exactly_the_core_codes() {
        let mut declared = declared_codes();
        let mut core: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
        declared.sort_unstable();
        core.sort_unstable();
        assert_eq!(declared, core);
    }

    /// An interface's own fields: key, optional, type (`export interface Name { … }`, one field
    /// a line, doc comments skipped).
    fn interface(name: &str) -> Vec<(&'static str, bool, &'static str)> {
        let start = format!("export interface {name} ");
        let body =
            TYPESCRIPT.split(start.as_str()).nth(1).and_then(|rest| rest.split_once('{')).and_then(|(_, rest)| rest.split("\n}").next());
        let body = body.unwrap_or_else(|| panic!("no interface {name}"));
        body.lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("/**") && !line.starts_with('*') && line.contains(':'))
            .map(|line| {
                let (key, kind) = line.split_once(':').unwrap();
                (key.trim_end_matches('?'), key.ends_with('?'), kind.trim().trim_end_matches(';'))
            })
            .collect()
    }

    /// Whether a declared type carries the row's kind.
    fn carries(kind: Kind, declared: &str) -> bool {
        match kind {
            Kind::Text => declared == "string" || declared.starts_with('"'),
            Kind::Integer | Kind::Number => declared == "number",
            Kind::Boolean => declared == "boolean",
            Kind::Object(_) => declared.starts_with(|c: char| c.is_ascii_uppercase()),
            Kind::List(item) => declared.strip_suffix("[]").is_some_and(|inner| carries(item.kind, inner)),
        }
    }

    /// The interface has exactly the tables' fields, in order, each of its kind; with
    /// `necessity`, optional exactly when the table does not require it.
    fn assert_interface(name: &str, tables: &[&[Field]], necessity: bool) {
        let declared = interface(name);
        let rows: Vec<&Field> = tables.iter().flat_map(|table| table.iter()).collect();
        let keys: Vec<&str> = declared.iter().map(|(key, _, _)| *key).collect();
        assert_eq!(keys, rows.iter().map(|row| row.key).collect::<Vec<_>>(), "{name}");
        for ((key, optional, kind), row) in declared.iter().zip(&rows) {
            assert!(carries(row.kind, kind), "{name}.{key}: {kind} for {:?}", row.kind);
            if necessity {
                assert_eq!(*optional, row.necessity != Necessity::Required, "{name}.{key}: optional?");
            }
        }
    }

    #[test]
    fn every_request_interface_has_exactly_its_tables_fields() {
        for (name, table) in [
            ("Device", DEVICE),
            ("Consumer", CONSUMER),
            ("SaleSessionTokens", SESSION),
            ("CardExpiry", EXPIRY),
            ("CardReference", CARD_REFERENCE),
            ("Transaction", TRANSACTION),
            ("GeoLocation", LOCATION),
            ("BillingAddress", ADDRESS),
            ("Billing", BILLING),
            ("Order", ORDER),
            ("StatusTokens", STATUS_SESSION),
            ("PerformSale", SALE_ROUTE),
        ] {
            assert_interface(name, &[table], true);
        }
        // `sourceOfFunds` is a union of the two, `holder` of its two forms: typed apart.
        let body: Vec<_> = PERFORM_SALE.iter().filter(|field| field.key != "sourceOfFunds").copied().collect();
        let declared: Vec<_> = interface("PerformSaleRequest").into_iter().filter(|(key, _, _)| *key != "sourceOfFunds").collect();
        assert_eq!(declared.len(), body.len());
        assert_interface("PerformSaleRequest", &[PERFORM_SALE], false);
        let card: Vec<_> = CARD.iter().filter(|field| field.key != "holder").map(|field| field.key).collect();
        assert_eq!(interface("Card").iter().map(|(key, _, _)| *key).filter(|key| *key != "holder").collect::<Vec<_>>(), card);
        for holder in HOLDER {
            assert!(TYPESCRIPT.contains(&format!("{}: string", holder.key)), "HolderInput lacks {}", holder.key);
        }
        // The v2 request: the route, each parameter with its form name, the browser data.
        let route: Vec<Field> = ROUTE_AND_BROWSER.iter().filter(|field| field.key != "browser").copied().collect();
        let browser: Vec<Field> = ROUTE_AND_BROWSER.iter().filter(|field| field.key == "browser").copied().collect();
        assert_interface("V2SaleRequest", &[&route, PARAMETERS, &browser], false);
        let v2 = TYPESCRIPT.split("export interface V2SaleRequest {").nth(1).and_then(|rest| rest.split("\n}").next()).unwrap();
        for parameter in PARAMETERS {
            assert!(v2.contains(&format!("[{}]", parameter.wire)), "{} lacks its form name", parameter.key);
        }
        // What the module returns or reads leniently: the same fields, necessity aside.
        assert_interface("BrowserInfo", &[BROWSER], false);
        assert_interface("CheckoutSession", &[CHECKOUT_SESSION], false);
        let options: Vec<&str> = interface("CheckoutOptions").into_iter().map(|(key, _, _)| key).collect();
        for field in CHECKOUT_ORDER {
            assert!(options.contains(&field.key), "CheckoutOptions lacks {}", field.key);
        }
    }

    #[test]
    fn the_message_keys_are_the_codes_and_the_cores_notices() {
        let body = TYPESCRIPT.split("export type CheckoutMessageKey =").nth(1).and_then(|rest| rest.split(';').next()).unwrap();
        let declared: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
        let notices: Vec<&str> = connpay_core::checkout::messages::keys().filter(|key| !key.contains('.')).collect();
        assert_eq!(declared, notices);
    }

    #[test]
    fn no_any() {
        assert!(!TYPESCRIPT.split(|c: char| !c.is_alphanumeric()).any(|word| word == "any"));
    }
}
