//! Card brands as a data table, and brand detection by issuer prefix.
//!
//! The table follows the public issuer identification ranges of each network. Each prefix range is a pair of equal-width digit
//! strings, so matching is a byte-wise comparison: no integer parsing, no overflow on long input.

use crate::value::{Got, Record, ToGot};

/// The stable identifier of a card brand, as it appears in the JS API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BrandId {
    /// Visa.
    Visa,
    /// Mastercard, including the 2-series (2221–2720).
    Mastercard,
    /// American Express.
    Amex,
    /// Diners Club.
    Diners,
    /// Discover.
    Discover,
    /// JCB.
    Jcb,
    /// UnionPay.
    Unionpay,
    /// Maestro.
    Maestro,
    /// Mir.
    Mir,
}

impl BrandId {
    /// The identifier as the JS API spells it (`"visa"`, `"amex"`, …).
    pub fn as_str(self) -> &'static str {
        self.brand().id_str
    }

    /// Parses an identifier, ignoring ASCII case (`"Visa"` and `"visa"` are the same brand).
    pub fn parse(text: &str) -> Option<BrandId> {
        BRANDS.iter().find(|brand| brand.id_str.eq_ignore_ascii_case(text)).map(|brand| brand.id)
    }

    /// This brand's row of the table.
    pub fn brand(self) -> &'static Brand {
        // The table holds one row per identifier, in declaration order.
        &BRANDS[self as usize]
    }
}

/// One row of the brand table.
#[derive(Debug, PartialEq, Eq)]
pub struct Brand {
    /// Stable identifier.
    pub id: BrandId,
    id_str: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Allowed numbers of digits, ascending.
    pub lengths: &'static [u8],
    /// Digits in the security code.
    pub cvv_length: u8,
    /// Positions (digit counts) after which a display space goes.
    pub gaps: &'static [u8],
    /// Issuer prefix ranges: `(low, high)`, inclusive, both of the same width.
    pub prefixes: &'static [(&'static str, &'static str)],
    /// Whether a valid number of this brand always passes the Luhn check.
    pub luhn: bool,
}

impl Brand {
    /// The longest number this brand allows.
    pub fn max_length(&self) -> usize {
        self.lengths.last().copied().map_or(0, usize::from)
    }

    /// Whether `length` digits is an allowed length for this brand.
    pub fn allows_length(&self, length: usize) -> bool {
        self.lengths.iter().any(|&allowed| usize::from(allowed) == length)
    }
}

/// Groups of four, with a fifth group for 17–19 digits: the layout of every brand but Amex/Diners.
const GROUPS_OF_FOUR: &[u8] = &[4, 8, 12, 16];

/// The brand table (the networks' public issuer identification ranges). Order matches [`BrandId`]'s declaration order.
pub static BRANDS: [Brand; 9] = [
    Brand {
        id: BrandId::Visa,
        id_str: "visa",
        name: "Visa",
        // Visa issues 13, 16 and 19 digits, and 18-digit Visa numbers are seen in the wild.
        lengths: &[13, 16, 18, 19],
        cvv_length: 3,
        gaps: GROUPS_OF_FOUR,
        prefixes: &[("4", "4")],
        luhn: true,
    },
    Brand {
        id: BrandId::Mastercard,
        id_str: "mastercard",
        name: "Mastercard",
        lengths: &[16],
        cvv_length: 3,
        gaps: GROUPS_OF_FOUR,
        prefixes: &[("51", "55"), ("2221", "2720")],
        luhn: true,
    },
    Brand {
        id: BrandId::Amex,
        id_str: "amex",
        name: "American Express",
        lengths: &[15],
        cvv_length: 4,
        gaps: &[4, 10],
        prefixes: &[("34", "34"), ("37", "37")],
        luhn: true,
    },
    Brand {
        id: BrandId::Diners,
        id_str: "diners",
        name: "Diners Club",
        lengths: &[14, 15, 16, 17, 18, 19],
        cvv_length: 3,
        gaps: &[4, 10],
        prefixes: &[("300", "305"), ("36", "36"), ("38", "39")],
        luhn: true,
    },
    Brand {
        id: BrandId::Discover,
        id_str: "discover",
        name: "Discover",
        lengths: &[16, 17, 18, 19],
        cvv_length: 3,
        gaps: GROUPS_OF_FOUR,
        prefixes: &[("6011", "6011"), ("644", "649"), ("65", "65")],
        luhn: true,
    },
    Brand {
        id: BrandId::Jcb,
        id_str: "jcb",
        name: "JCB",
        lengths: &[16, 17, 18, 19],
        cvv_length: 3,
        gaps: GROUPS_OF_FOUR,
        prefixes: &[("3528", "3589")],
        luhn: true,
    },
    Brand {
        id: BrandId::Unionpay,
        id_str: "unionpay",
        name: "UnionPay",
        lengths: &[14, 15, 16, 17, 18, 19],
        cvv_length: 3,
        gaps: GROUPS_OF_FOUR,
        prefixes: &[("62", "62"), ("81", "81")],
        // Some UnionPay numbers are issued without a valid Luhn check digit.
        luhn: false,
    },
    Brand {
        id: BrandId::Maestro,
        id_str: "maestro",
        name: "Maestro",
        lengths: &[12, 13, 14, 15, 16, 17, 18, 19],
        cvv_length: 3,
        gaps: GROUPS_OF_FOUR,
        // "6" is the least specific prefix of the table: every longer 6… prefix of another
        // brand wins over it by the longest-prefix rule.
        prefixes: &[("50", "50"), ("56", "59"), ("6", "6")],
        luhn: true,
    },
    Brand {
        id: BrandId::Mir,
        id_str: "mir",
        name: "Mir",
        lengths: &[16, 17, 18, 19],
        cvv_length: 3,
        gaps: GROUPS_OF_FOUR,
        prefixes: &[("2200", "2204")],
        luhn: true,
    },
];

/// What the digits typed so far say about the brand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detection {
    /// One brand: either the longest prefix that matches, with no longer prefix of another brand
    /// still possible, or the only brand the digits can still become.
    Brand(&'static Brand),
    /// Several brands are still possible (`"5"` may become Mastercard or Maestro); `max_length`
    /// is the longest number any of them allows.
    Ambiguous {
        /// The longest number any candidate brand allows.
        max_length: usize,
    },
    /// No brand of the table starts this way.
    Unknown,
}

impl Detection {
    /// The detected brand, if exactly one.
    pub fn brand(self) -> Option<&'static Brand> {
        match self {
            Detection::Brand(brand) => Some(brand),
            _ => None,
        }
    }
}

/// How one prefix range relates to the digits typed so far.
enum PrefixMatch {
    /// The digits start with a prefix in the range; the width is the prefix's length.
    Full(usize),
    /// The digits are shorter than the prefix but can still be extended into the range.
    Partial,
    None,
}

fn match_prefix(digits: &[u8], (low, high): (&str, &str)) -> PrefixMatch {
    let width = low.len();
    if digits.len() >= width {
        let head = &digits[..width];
        if low.as_bytes() <= head && head <= high.as_bytes() {
            return PrefixMatch::Full(width);
        }
    } else {
        // The k-digit heads of the numbers in [low, high] are exactly [low[..k], high[..k]].
        let k = digits.len();
        if &low.as_bytes()[..k] <= digits && digits <= &high.as_bytes()[..k] {
            return PrefixMatch::Partial;
        }
    }
    PrefixMatch::None
}

/// Detects the brand of `digits` (ASCII digits only, as typed so far).
///
/// The longest matching issuer prefix wins. An empty input is [`Detection::Ambiguous`]: every
/// brand is still possible.
pub fn detect(digits: &[u8]) -> Detection {
    let mut best_full: Option<(&'static Brand, usize)> = None;
    let mut partial_brands = 0usize;
    let mut last_partial: Option<&'static Brand> = None;
    let mut max_length = 0usize;

    for brand in BRANDS.iter() {
        let mut full_width = None;
        let mut partial = false;
        for &range in brand.prefixes {
            match match_prefix(digits, range) {
                PrefixMatch::Full(width) => full_width = full_width.max(Some(width)),
                PrefixMatch::Partial => partial = true,
                PrefixMatch::None => {}
            }
        }
        if full_width.is_none() && !partial {
            continue;
        }
        max_length = max_length.max(brand.max_length());
        if let Some(width) = full_width {
            if best_full.map_or(true, |(_, best)| width > best) {
                best_full = Some((brand, width));
            }
        }
        if partial {
            partial_brands += 1;
            last_partial = Some(brand);
        }
    }

    match (best_full, last_partial) {
        (None, None) => Detection::Unknown,
        // A partial match is always longer than any full one, so another brand's partial match
        // means a more specific brand may still win: "6" could become Discover's "6011".
        (Some((brand, _)), None) => Detection::Brand(brand),
        (Some((brand, _)), Some(partial)) if partial_brands == 1 && partial.id == brand.id => Detection::Brand(brand),
        (None, Some(only)) if partial_brands == 1 => Detection::Brand(only),
        _ => Detection::Ambiguous { max_length },
    }
}

impl ToGot for BrandId {
    fn to_got(&self) -> Got {
        self.as_str().into()
    }
}

/// `BrandInfo`: the row as JavaScript reads it (its prefixes and Luhn flag stay inside).
impl ToGot for Brand {
    fn to_got(&self) -> Got {
        Record::default()
            .field("id", self.id)
            .field("name", self.name)
            .field("lengths", self.lengths)
            .field("cvvLength", self.cvv_length)
            .field("gaps", self.gaps)
            .to_got()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand_of(number: &str) -> Option<BrandId> {
        detect(number.as_bytes()).brand().map(|brand| brand.id)
    }

    #[test]
    fn table_order_matches_identifiers() {
        for (index, brand) in BRANDS.iter().enumerate() {
            assert_eq!(brand.id as usize, index, "{}", brand.name);
            assert_eq!(BrandId::parse(brand.id_str), Some(brand.id));
        }
    }

    #[test]
    fn prefix_ranges_are_well_formed() {
        for brand in BRANDS.iter() {
            for (low, high) in brand.prefixes {
                assert_eq!(low.len(), high.len(), "{} {low}-{high}", brand.name);
                assert!(low <= high, "{} {low}-{high}", brand.name);
                assert!(low.bytes().chain(high.bytes()).all(|b| b.is_ascii_digit()));
            }
            assert!(brand.lengths.windows(2).all(|pair| pair[0] < pair[1]), "{}", brand.name);
        }
    }

    #[test]
    fn public_test_numbers_get_their_brand() {
        let cases = [
            ("4111111111111111", BrandId::Visa),
            ("4242424242424242", BrandId::Visa),
            ("4012888888881881", BrandId::Visa),
            ("4538977399606732", BrandId::Visa),
            ("4444444444444448", BrandId::Visa),
            ("4444555566661111", BrandId::Visa),
            ("5555555555554444", BrandId::Mastercard),
            ("2223003122003222", BrandId::Mastercard),
            ("378282246310005", BrandId::Amex),
            ("371449635398431", BrandId::Amex),
            ("6011111111111117", BrandId::Discover),
            ("3530111333300000", BrandId::Jcb),
            ("30569309025904", BrandId::Diners),
            ("6200000000000005", BrandId::Unionpay),
            ("2200000000000004", BrandId::Mir),
        ];
        for (number, brand) in cases {
            assert_eq!(brand_of(number), Some(brand), "{number}");
        }
    }

    #[test]
    fn mastercard_two_series_edges() {
        assert_eq!(brand_of("2220"), None);
        assert_eq!(brand_of("2221"), Some(BrandId::Mastercard));
        assert_eq!(brand_of("2720"), Some(BrandId::Mastercard));
        assert_eq!(brand_of("2721"), None);
        assert_eq!(detect(b"2220"), Detection::Unknown);
        assert_eq!(detect(b"2721"), Detection::Unknown);
    }

    #[test]
    fn mir_edges() {
        assert_eq!(brand_of("2199"), None);
        assert_eq!(brand_of("2200"), Some(BrandId::Mir));
        assert_eq!(brand_of("2204"), Some(BrandId::Mir));
        assert_eq!(brand_of("2205"), None);
        assert_eq!(detect(b"2199"), Detection::Unknown);
    }

    #[test]
    fn longest_prefix_wins_over_maestro_six() {
        assert_eq!(brand_of("6011"), Some(BrandId::Discover));
        assert_eq!(brand_of("644"), Some(BrandId::Discover));
        assert_eq!(brand_of("65"), Some(BrandId::Discover));
        assert_eq!(brand_of("62"), Some(BrandId::Unionpay));
        assert_eq!(brand_of("6304"), Some(BrandId::Maestro));
        assert_eq!(brand_of("6012"), Some(BrandId::Maestro));
        assert_eq!(brand_of("50"), Some(BrandId::Maestro));
    }

    #[test]
    fn ambiguous_prefixes_have_no_brand_yet() {
        // "6" may still become Discover or UnionPay; "5" Mastercard or Maestro; "2" Mir or MC.
        for prefix in ["", "2", "22", "3", "5", "6", "60", "601"] {
            assert!(matches!(detect(prefix.as_bytes()), Detection::Ambiguous { .. }), "{prefix:?}");
        }
        assert_eq!(detect(b"6"), Detection::Ambiguous { max_length: 19 });
        assert_eq!(detect(b"22"), Detection::Ambiguous { max_length: 19 });
    }

    #[test]
    fn a_prefix_only_one_brand_can_become_names_that_brand() {
        assert_eq!(brand_of("35"), Some(BrandId::Jcb));
        assert_eq!(brand_of("30"), Some(BrandId::Diners));
        assert_eq!(brand_of("220"), Some(BrandId::Mir));
        assert_eq!(brand_of("222"), Some(BrandId::Mastercard));
        assert_eq!(brand_of("4"), Some(BrandId::Visa));
    }

    #[test]
    fn unknown_prefixes() {
        for prefix in ["1", "7", "9", "0", "306", "3500", "80", "82", "2100"] {
            assert_eq!(detect(prefix.as_bytes()), Detection::Unknown, "{prefix}");
        }
    }

    #[test]
    fn parse_ignores_case_and_rejects_strangers() {
        assert_eq!(BrandId::parse("VISA"), Some(BrandId::Visa));
        assert_eq!(BrandId::parse("Amex"), Some(BrandId::Amex));
        assert_eq!(BrandId::parse("american express"), None);
        assert_eq!(BrandId::parse(""), None);
    }
}
