//! The perform-sale request (spec `000_…txt`), every field, nested as the spec nests them.
//!
//! Every field is optional in the model so that a request can be read whole and every missing
//! required field reported at once by [`super::validate`]; the spec's necessity lives there.

wire_object! {
    /// The JSON body of `POST {gateway}/paynet/dapi/v1/sale/{endpointId}/{invoiceId}`.
    PerformSaleRequest {
        /// Required: the payer and their device.
        consumer: Consumer,
        /// Required: the tokens from consumer authentication and initiate sale.
        session: Session,
        /// Required: a card, or a reference to a stored card.
        source_of_funds: SourceOfFunds,
        /// Required: amount and currency.
        transaction: Transaction,
        /// Optional: where the payer is.
        location: Location,
        /// Optional: billing address and phone.
        billing: Billing,
        /// Optional: order description.
        order: Order,
    }
}

wire_object! {
    /// `consumer`.
    Consumer {
        /// Required.
        device: Device,
        /// Required, 3–128.
        email: String,
        /// Optional, `ddMMyyyy`.
        birth_day: String,
        /// Optional, IPv4 addresses of 7–15 characters.
        ip_addresses: Vec<String>,
    }
}

wire_object! {
    /// `consumer.device`.
    Device {
        /// Required, 1–50.
        serial_number: String,
        /// Optional, 14–16 digits.
        imei: String,
    }
}

wire_object! {
    /// `session`: each value 32–128 characters, all required.
    Session {
        /// From consumer authentication.
        access_token: String,
        /// From initiate sale.
        nonce: String,
        /// From initiate sale.
        signature: String,
    }
}

wire_object! {
    /// `sourceOfFunds`: exactly one of `card` and `reference`.
    SourceOfFunds {
        /// A card typed by the payer.
        card: Card,
        /// A card stored earlier, by its reference.
        reference: CardReference,
    }
}

wire_object! {
    /// `sourceOfFunds.card`.
    Card {
        /// Required: PAN, 9–19 digits.
        number: String,
        /// Required: 3–4 digits.
        security_code: String,
        /// Required.
        expiry: Expiry,
        /// Required.
        holder: Holder,
    }
}

wire_object! {
    /// `sourceOfFunds.card.expiry`.
    Expiry {
        /// Required, 1–12.
        month: u32,
        /// Required, four digits.
        year: u32,
    }
}

wire_object! {
    /// `sourceOfFunds.card.holder`: first and last name, or the printed name.
    Holder {
        /// 1–50.
        first_name: String,
        /// 1–50.
        last_name: String,
        /// 1–50, instead of first + last name.
        printed_name: String,
    }
}

wire_object! {
    /// `sourceOfFunds.reference`.
    CardReference {
        /// Required, 1–128.
        client_card_id: String,
        /// Required, 3–4 digits.
        security_code: String,
    }
}

wire_object! {
    /// `transaction`.
    Transaction {
        /// Required: minor units (1.00 EUR = 100).
        amount_centis: u64,
        /// Required: ISO 4217 alphabetic code.
        currency: String,
    }
}

wire_object! {
    /// `location`.
    Location {
        /// −90 to +90.
        lat: f64,
        /// −180 to +180.
        lng: f64,
    }
}

wire_object! {
    /// `billing`.
    Billing {
        /// The billing address.
        address: Address,
        /// 1–20.
        phone: String,
    }
}

wire_object! {
    /// `billing.address`.
    Address {
        /// 1–100.
        city: String,
        /// ISO 3166 alpha-3.
        country: String,
        /// 1–10.
        postcode_zip: String,
        /// 2–3.
        state: String,
        /// 1–50.
        street: String,
        /// 1–50.
        street2: String,
    }
}

wire_object! {
    /// `order`.
    Order {
        /// Up to 128.
        description: String,
        /// Up to 128.
        site_url: String,
        /// Up to 128.
        purpose: String,
    }
}

/// The two path parameters of perform sale and sale status, from initiate sale.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaleRoute {
    /// The merchant's endpoint id.
    pub endpoint_id: Option<String>,
    /// The invoice id.
    pub invoice_id: Option<String>,
}

impl PerformSaleRequest {
    /// The body as it goes on the wire: the card number as bare digits (a formatted
    /// `4111 1111 1111 1111` is accepted from the form), and the payer-typed texts trimmed.
    pub fn normalized(&self) -> PerformSaleRequest {
        let mut body = self.clone();
        let trim = |text: &mut Option<String>| {
            if let Some(value) = text {
                *value = value.trim().to_string();
            }
        };
        if let Some(card) = body.source_of_funds.as_mut().and_then(|source| source.card.as_mut()) {
            if let Some(number) = card.number.as_mut() {
                *number = number.chars().filter(char::is_ascii_digit).collect();
            }
            trim(&mut card.security_code);
            if let Some(holder) = card.holder.as_mut() {
                trim(&mut holder.first_name);
                trim(&mut holder.last_name);
                trim(&mut holder.printed_name);
            }
        }
        if let Some(reference) = body.source_of_funds.as_mut().and_then(|source| source.reference.as_mut()) {
            trim(&mut reference.security_code);
        }
        body
    }
}

wire_object! {
    /// What a page hands to perform sale: the body's fields and, beside them, the two ids that
    /// go into the URL. Declared apart from [`PerformSaleRequest`] because serde cannot refuse
    /// unknown keys across a flattened struct; [`PerformSaleCall::split`] separates the two.
    PerformSaleCall {
        /// Required: the endpoint id from initiate sale (URL path).
        endpoint_id: String,
        /// Required: the invoice id from initiate sale (URL path).
        invoice_id: String,
        /// See [`PerformSaleRequest::consumer`].
        consumer: Consumer,
        /// See [`PerformSaleRequest::session`].
        session: Session,
        /// See [`PerformSaleRequest::source_of_funds`].
        source_of_funds: SourceOfFunds,
        /// See [`PerformSaleRequest::transaction`].
        transaction: Transaction,
        /// See [`PerformSaleRequest::location`].
        location: Location,
        /// See [`PerformSaleRequest::billing`].
        billing: Billing,
        /// See [`PerformSaleRequest::order`].
        order: Order,
    }
}

impl PerformSaleCall {
    /// The route and the JSON body.
    pub fn split(self) -> (SaleRoute, PerformSaleRequest) {
        let route = SaleRoute { endpoint_id: self.endpoint_id, invoice_id: self.invoice_id };
        let body = PerformSaleRequest {
            consumer: self.consumer,
            session: self.session,
            source_of_funds: self.source_of_funds,
            transaction: self.transaction,
            location: self.location,
            billing: self.billing,
            order: self.order,
        };
        (route, body)
    }
}
