//! The sandbox's demo saved cards, for sales by card reference (perform sale's
//! `sourceOfFunds.reference`, check sale's `serverCardId`). The sandbox plays both sides, so one
//! table serves both: the merchant server reads the ids (the page's `clientCardId` → its own
//! `serverCardId`), the gateway's vault reads the card filed under the server id.
//!
//! These cards are the sandbox's, offered to every payer. A real shop keeps saved cards per payer
//! and looks only among the cards of the payer who holds the invoice's access token: that is why
//! the merchant library's lookup is given the invoice.

use connpay_core::card::{CardInput, HolderInput, Input};

/// One demo saved card: the id each side knows it by, and the card the gateway's vault holds.
#[derive(Debug, PartialEq, Eq)]
pub struct SavedCard {
    /// The page's id of the card: `sourceOfFunds.reference.clientCardId`.
    pub client_card_id: &'static str,
    /// The merchant server's id of the card, which the gateway's vault files it under:
    /// `sourceOfFunds.reference.serverCardId` of the check-sale answer.
    pub server_card_id: &'static str,
    /// The card number, digits only.
    pub number: &'static str,
    /// The expiry, `MM/YYYY`.
    pub expiry: &'static str,
    /// The name printed on the card.
    pub holder: &'static str,
}

/// Every demo saved card: two brands, so that a page shows each with its own.
pub const SAVED_CARDS: &[SavedCard] = &[
    SavedCard {
        client_card_id: "sandbox-visa-1111",
        server_card_id: "srv-visa-1111",
        number: "4111111111111111",
        expiry: "12/2040",
        holder: "SANDBOX PAYER",
    },
    SavedCard {
        client_card_id: "sandbox-mastercard-4444",
        server_card_id: "srv-mastercard-4444",
        number: "5555555555554444",
        expiry: "12/2040",
        holder: "SANDBOX PAYER",
    },
];

/// The merchant's lookup: the server id of the card the page calls `client_card_id`.
pub fn server_card_id(client_card_id: &str) -> Option<&'static str> {
    SAVED_CARDS.iter().find(|card| card.client_card_id == client_card_id).map(|card| card.server_card_id)
}

/// The gateway's vault: the card filed under `server_card_id`.
pub fn stored(server_card_id: &str) -> Option<&'static SavedCard> {
    SAVED_CARDS.iter().find(|card| card.server_card_id == server_card_id)
}

impl SavedCard {
    /// The card with the security code the payer typed for it: what the gateway checks, as it
    /// checks a card sent in full, before paying with it. Only the stored card's brand tells how
    /// long the code must be.
    pub fn with_code<'a>(&'a self, security_code: &'a str) -> CardInput<'a> {
        CardInput {
            number: Input::Text(self.number),
            expiry: Input::Text(self.expiry),
            cvv: Input::Text(security_code),
            holder: HolderInput { first_name: Input::Absent, last_name: Input::Absent, printed_name: Input::Text(self.holder) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connpay_core::card::{validate_card, BrandId};

    #[test]
    fn each_demo_card_is_valid_and_found_by_its_ids_only() {
        let mut brands = Vec::new();
        for card in SAVED_CARDS {
            let checked = validate_card(card.with_code("123"), crate::today());
            assert!(checked.valid, "{card:?}: {checked:?}");
            brands.push(checked.number.brand);
            assert_eq!(server_card_id(card.client_card_id), Some(card.server_card_id));
            assert_eq!(stored(card.server_card_id), Some(card));
            // Each side knows the card by its own id: the other's finds nothing.
            assert_eq!((server_card_id(card.server_card_id), stored(card.client_card_id)), (None, None));
        }
        assert_eq!(brands, [Some(BrandId::Visa), Some(BrandId::Mastercard)]);
        assert_eq!((server_card_id("sandbox-visa-2222"), stored("srv-visa-2222")), (None, None));
    }
}
