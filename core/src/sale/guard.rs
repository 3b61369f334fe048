//! One checkout, one sale: the rules that keep a payer from being charged twice.

use crate::ErrorCode;

/// The sale state of one checkout.
#[derive(Clone, Debug, Default)]
pub struct SaleGuard {
    in_flight: bool,
    accepted: bool,
    /// Invoices whose perform sale got no clear answer: it may have been processed, so it is
    /// never sent again; the page must check the sale's status instead.
    uncertain: Vec<String>,
}

/// How a perform sale ended, as far as the guard cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaleEnd {
    /// The gateway accepted the sale.
    Accepted,
    /// The gateway refused it with its error JSON: nothing was charged.
    Rejected,
    /// No answer, or an answer that is not the spec's: it may have been processed.
    Uncertain,
}

impl SaleGuard {
    /// Claims the checkout for a sale of `invoice_id`, or says why not.
    pub fn begin(&mut self, invoice_id: &str) -> Result<(), ErrorCode> {
        if self.in_flight {
            Err(ErrorCode::SaleInFlight)
        } else if self.accepted {
            Err(ErrorCode::SaleAlreadyAccepted)
        } else if self.uncertain.iter().any(|invoice| invoice == invoice_id) {
            Err(ErrorCode::SaleOutcomeUnknown)
        } else {
            self.in_flight = true;
            Ok(())
        }
    }

    /// Releases the checkout after the sale of `invoice_id` ended as `end`.
    pub fn finish(&mut self, invoice_id: &str, end: SaleEnd) {
        self.in_flight = false;
        match end {
            SaleEnd::Accepted => self.accepted = true,
            SaleEnd::Rejected => {}
            SaleEnd::Uncertain => self.uncertain.push(invoice_id.to_string()),
        }
    }

    /// Whether a sale is being sent now.
    pub fn in_flight(&self) -> bool {
        self.in_flight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sale_at_a_time() {
        let mut guard = SaleGuard::default();
        assert_eq!(guard.begin("INV1"), Ok(()));
        assert!(guard.in_flight());
        assert_eq!(guard.begin("INV1"), Err(ErrorCode::SaleInFlight));
        assert_eq!(guard.begin("INV2"), Err(ErrorCode::SaleInFlight));
        guard.finish("INV1", SaleEnd::Accepted);
        assert!(!guard.in_flight());
        assert_eq!(guard.begin("INV2"), Err(ErrorCode::SaleAlreadyAccepted));
    }

    #[test]
    fn a_rejected_sale_may_be_sent_again() {
        let mut guard = SaleGuard::default();
        guard.begin("INV1").unwrap();
        guard.finish("INV1", SaleEnd::Rejected);
        assert_eq!(guard.begin("INV1"), Ok(()));
    }

    #[test]
    fn an_uncertain_invoice_is_never_sent_again() {
        let mut guard = SaleGuard::default();
        guard.begin("INV1").unwrap();
        guard.finish("INV1", SaleEnd::Uncertain);
        assert_eq!(guard.begin("INV1"), Err(ErrorCode::SaleOutcomeUnknown));
        // A new invoice from the merchant's server is a new sale.
        assert_eq!(guard.begin("INV2"), Ok(()));
    }
}
