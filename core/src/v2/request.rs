//! The /api/v2/sale request (seed `001_…txt`): every parameter, declared once in a table from
//! which the model, the form, the parser and the validator all follow.

use serde::{Deserialize, Serialize};

use crate::browser::BrowserInfo;

/// Whether the seed requires a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Necessity {
    /// Always required.
    Required,
    /// Required or forbidden by another parameter (card or reference, `state` by country, …).
    Conditional,
    /// May be left out.
    Optional,
}

/// What a parameter's text must be, beyond its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Any text without control characters.
    Text,
    /// ASCII digits only.
    Digits,
    /// An amount in major units with `.` (`10.42`), no more decimals than the currency has.
    Amount,
    /// ISO 4217 alphabetic.
    Currency,
    /// ISO 3166 alpha-2.
    Country,
    /// An email address.
    Email,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// An absolute `http://` or `https://` URL.
    Url,
    /// `yyyyMMdd`.
    Date,
    /// The card number: brand, length and Luhn, as the card rules check it.
    CardNumber,
    /// The security code, for the card's brand.
    SecurityCode,
    /// The expiry month, `1`–`12` (sent as two digits).
    Month,
    /// The expiry year, four digits.
    Year,
    /// One of the listed values.
    OneOf(&'static [&'static str]),
}

/// One parameter of /api/v2/sale: its JavaScript key, its form name and the seed's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// The key in the JavaScript request object, and the path in errors.
    pub key: &'static str,
    /// The form field's name in the seed.
    pub wire: &'static str,
    /// Whether it is required.
    pub necessity: Necessity,
    /// The fewest characters.
    pub min: usize,
    /// The most characters (the seed's "Длина").
    pub max: usize,
    /// What the text must be.
    pub rule: Rule,
}

/// Declares the request model and [`PARAMETERS`] from one list, in the seed's order.
macro_rules! v2_parameters {
    ($($(#[doc = $doc:literal])* $field:ident: $key:literal = $wire:literal, $necessity:ident, $min:literal..=$max:literal, $rule:expr;)*) => {
        /// What a page or a merchant's server hands to `buildV2SaleForm`: every parameter of
        /// /api/v2/sale as text (amounts too, in major units, as the seed writes them), the
        /// endpoint that goes into the URL, and the payer's browser data. Every field is optional
        /// in the model so that a request can be read whole and every problem reported at once.
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct V2SaleRequest {
            /// The endpoint (URL path); exactly one of this and `endpoint_group_id`.
            #[serde(rename = "endpointId", default, skip_serializing_if = "Option::is_none")]
            pub endpoint_id: Option<String>,
            /// The endpoint group (URL path `…/sale/group/{id}`).
            #[serde(rename = "endpointGroupId", default, skip_serializing_if = "Option::is_none")]
            pub endpoint_group_id: Option<String>,
            /// The 3-D Secure browser data (`customer_browser_*`), as `collectBrowserInfo` returns it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub browser: Option<BrowserInfo>,
            $(
                $(#[doc = $doc])*
                #[serde(rename = $key, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<String>,
            )*
        }

        /// Every text parameter of /api/v2/sale, in the seed's order (the browser data is
        /// [`BrowserInfo::form_fields`]; `control` is given apart).
        pub const PARAMETERS: &[Parameter] = &[
            $(Parameter { key: $key, wire: $wire, necessity: Necessity::$necessity, min: $min, max: $max, rule: $rule },)*
        ];

        impl V2SaleRequest {
            /// The text parameters' values, in the order of [`PARAMETERS`].
            pub fn values(&self) -> Vec<&Option<String>> {
                vec![$(&self.$field,)*]
            }

            /// The same, to fill in.
            pub(crate) fn values_mut(&mut self) -> Vec<&mut Option<String>> {
                vec![$(&mut self.$field,)*]
            }
        }
    };
}

const TDS_TRANSACTION_STATUSES: &[&str] = &["Y", "N", "U", "A", "C", "D", "R"];

v2_parameters! {
    /// Required: the merchant's order id, 1–128.
    client_order_id: "clientOrderId" = "client_orderid", Required, 1..=128, Rule::Text;
    /// Required: the order's description, up to 64k.
    order_desc: "orderDesc" = "order_desc", Required, 1..=65536, Rule::Text;
    /// Required: major units with `.` (`10.42`), up to 10 characters.
    amount: "amount" = "amount", Required, 1..=10, Rule::Amount;
    /// Required: ISO 4217.
    currency: "currency" = "currency", Required, 3..=3, Rule::Currency;
    /// Required: address line 1, up to 50.
    address1: "address1" = "address1", Required, 1..=50, Rule::Text;
    /// Required: city, up to 50.
    city: "city" = "city", Required, 1..=50, Rule::Text;
    /// Required: postcode, up to 10.
    zip_code: "zipCode" = "zip_code", Required, 1..=10, Rule::Text;
    /// Required: ISO 3166 alpha-2.
    country: "country" = "country", Required, 2..=2, Rule::Country;
    /// Required: full international phone number, up to 15.
    phone: "phone" = "phone", Required, 1..=15, Rule::Text;
    /// Required: email, up to 50.
    email: "email" = "email", Required, 3..=50, Rule::Email;
    /// Required (here or in `browser.ipAddress`): the payer's IP address, up to 45.
    ip_address: "ipAddress" = "ipaddress", Conditional, 3..=45, Rule::IpAddress;
    /// Required unless `recurringPaymentId` is given: 3–4 digits.
    cvv2: "cvv2" = "cvv2", Conditional, 3..=4, Rule::SecurityCode;
    /// With the printed name and expiry, unless a reference is given: the card number.
    credit_card_number: "creditCardNumber" = "credit_card_number", Conditional, 1..=23, Rule::CardNumber;
    /// Instead of the card: a tokenized card, up to 20 digits.
    card_recurring_payment_id: "cardRecurringPaymentId" = "card_recurring_payment_id", Conditional, 1..=20, Rule::Digits;
    /// With the card number: the name printed on the card, up to 128.
    card_printed_name: "cardPrintedName" = "card_printed_name", Conditional, 1..=128, Rule::Text;
    /// With the card number: the expiry month, `1`–`12`.
    expire_month: "expireMonth" = "expire_month", Conditional, 1..=2, Rule::Month;
    /// With the card number: the expiry year, four digits.
    expire_year: "expireYear" = "expire_year", Conditional, 4..=4, Rule::Year;
    /// Required: the payer's first name, up to 50.
    first_name: "firstName" = "first_name", Required, 1..=50, Rule::Text;
    /// Required: the payer's last name, up to 50.
    last_name: "lastName" = "last_name", Required, 1..=50, Rule::Text;
    /// Required for US, CA and AU: the state, 2–3.
    state: "state" = "state", Conditional, 2..=3, Rule::Text;
    /// Optional, instead of the success/fail pair: where the payer returns, up to 1024.
    redirect_url: "redirectUrl" = "redirect_url", Optional, 1..=1024, Rule::Url;
    /// Optional, with `redirectFailUrl`: where the payer returns after success.
    redirect_success_url: "redirectSuccessUrl" = "redirect_success_url", Optional, 1..=1024, Rule::Url;
    /// Optional, with `redirectSuccessUrl`: where the payer returns after a failure.
    redirect_fail_url: "redirectFailUrl" = "redirect_fail_url", Optional, 1..=1024, Rule::Url;
    /// Optional: the last digits of the payer's social security number.
    ssn: "ssn" = "ssn", Optional, 1..=32, Rule::Digits;
    /// Optional: the payer's birthday, `yyyyMMdd`.
    birthday: "birthday" = "birthday", Optional, 8..=8, Rule::Date;
    /// Optional: the payer's mobile number, up to 15.
    cell_phone: "cellPhone" = "cell_phone", Optional, 1..=15, Rule::Text;
    /// Optional: the shop's URL, up to 128.
    site_url: "siteUrl" = "site_url", Optional, 1..=128, Rule::Url;
    /// Optional: what is paid for (an account topped up, …), up to 128.
    purpose: "purpose" = "purpose", Optional, 1..=128, Rule::Text;
    /// Optional: where the gateway posts the result, up to 1024.
    server_callback_url: "serverCallbackUrl" = "server_callback_url", Optional, 1..=1024, Rule::Url;
    /// Optional: the merchant's data, returned with the status, up to 64k.
    merchant_data: "merchantData" = "merchant_data", Optional, 1..=65536, Rule::Text;
    /// Optional: the device id, up to 32.
    dapi_imei: "dapiImei" = "dapi_imei", Optional, 1..=32, Rule::Text;
    /// Optional: the least amount the payer may enter, as `amount`.
    minimum_transaction_amount: "minimumTransactionAmount" = "minimum_transaction_amount", Optional, 1..=10, Rule::Amount;
    /// Optional: the greatest amount the payer may enter, as `amount`.
    maximum_transaction_amount: "maximumTransactionAmount" = "maximum_transaction_amount", Optional, 1..=10, Rule::Amount;
    /// Optional: the customer's level in the CMS, up to 32.
    customer_level: "customerLevel" = "customer_level", Optional, 1..=32, Rule::Text;
    /// Optional: the customer's id in the CMS, up to 10 digits.
    customer_id: "customerId" = "customer_id", Optional, 1..=10, Rule::Digits;
    /// Optional: the merchant's id for the customer, up to 64.
    merchant_customer_identifier: "merchantCustomerIdentifier" = "merchant_customer_identifier", Optional, 1..=64, Rule::Text;
    /// Instead of the card and its CVV: a recurring payment id, up to 20 digits.
    recurring_payment_id: "recurringPaymentId" = "recurring-payment-id", Conditional, 1..=20, Rule::Digits;
    /// Optional 3-D Secure: where the merchant receives the CRes, up to 256.
    tds_areq_notification_url: "tdsAreqNotificationUrl" = "tds_areq_notification_url", Optional, 1..=256, Rule::Url;
    /// For payment institutions: the result's type, `SIMPLE`.
    tds_authentication_result_type: "tdsAuthenticationResultType" = "tds_authentication_result_type", Optional, 1..=6, Rule::OneOf(&["SIMPLE"]);
    /// For payment institutions: `01`–`04` (EMV) or `80`–`99` (directory server).
    tds_authentication_result_authentication_type: "tdsAuthenticationResultAuthenticationType" = "tds_authentication_result_authentication_type", Optional, 2..=2, Rule::OneOf(AUTHENTICATION_TYPES);
    /// For payment institutions: the authentication value, 19–28.
    tds_authentication_result_authentication_value: "tdsAuthenticationResultAuthenticationValue" = "tds_authentication_result_authentication_value", Optional, 19..=28, Rule::Text;
    /// For payment institutions: the XID or dsTransID, 19–36.
    tds_authentication_result_transaction_id: "tdsAuthenticationResultTransactionId" = "tds_authentication_result_transaction_id", Optional, 19..=36, Rule::Text;
    /// For payment institutions: `Y`, `N`, `U`, `A`, `C`, `D` or `R`.
    tds_authentication_result_transaction_status: "tdsAuthenticationResultTransactionStatus" = "tds_authentication_result_transaction_status", Optional, 1..=1, Rule::OneOf(TDS_TRANSACTION_STATUSES);
    /// For payment institutions: `1.0.2`, `2.1.0` or `2.2.0`.
    tds_authentication_result_message_version: "tdsAuthenticationResultMessageVersion" = "tds_authentication_result_message_version", Optional, 5..=5, Rule::OneOf(&["1.0.2", "2.1.0", "2.2.0"]);
}

/// EMV's authentication types `01`–`04` and the directory servers' `80`–`99`.
const AUTHENTICATION_TYPES: &[&str] = &[
    "01", "02", "03", "04", "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93",
    "94", "95", "96", "97", "98", "99",
];

/// The parameter with this JavaScript key.
pub fn parameter(key: &str) -> Option<&'static Parameter> {
    PARAMETERS.iter().find(|parameter| parameter.key == key)
}
