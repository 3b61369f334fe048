//! ISO 3166 country codes and ISO 4217 currencies as the gateway's fields need them: whether a
//! code exists, and a currency's number of decimals. Kept as packed sorted strings rather than
//! through the `isocountry` and `iso_currency` crates, whose generated `match`es cost the browser
//! build about 20 KB of WebAssembly before wasm-opt; the tests check these tables against both crates.

/// Every ISO 3166-1 alpha-2 code, sorted, two letters each.
const ALPHA2: &str = "\
    ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCN\
    COCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHM\
    HNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMK\
    MLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURW\
    SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVI\
    VNVUWFWSYEYTZAZMZW";

/// Every ISO 3166-1 alpha-3 code, sorted, three letters each.
const ALPHA3: &str = "\
    ABWAFGAGOAIAALAALBANDAREARGARMASMATAATFATGAUSAUTAZEBDIBELBENBESBFABGDBGRBHRBHSBIHBLMBLRBLZBMUBOL\
    BRABRBBRNBTNBVTBWACAFCANCCKCHECHLCHNCIVCMRCODCOGCOKCOLCOMCPVCRICUBCUWCXRCYMCYPCZEDEUDJIDMADNKDOM\
    DZAECUEGYERIESHESPESTETHFINFJIFLKFRAFROFSMGABGBRGEOGGYGHAGIBGINGLPGMBGNBGNQGRCGRDGRLGTMGUFGUMGUY\
    HKGHMDHNDHRVHTIHUNIDNIMNINDIOTIRLIRNIRQISLISRITAJAMJEYJORJPNKAZKENKGZKHMKIRKNAKORKWTLAOLBNLBRLBY\
    LCALIELKALSOLTULUXLVAMACMAFMARMCOMDAMDGMDVMEXMHLMKDMLIMLTMMRMNEMNGMNPMOZMRTMSRMTQMUSMWIMYSMYTNAM\
    NCLNERNFKNGANICNIUNLDNORNPLNRUNZLOMNPAKPANPCNPERPHLPLWPNGPOLPRIPRKPRTPRYPSEPYFQATREUROURUSRWASAU\
    SDNSENSGPSGSSHNSJMSLBSLESLVSMRSOMSPMSRBSSDSTPSURSVKSVNSWESWZSXMSYCSYRTCATCDTGOTHATJKTKLTKMTLSTON\
    TTOTUNTURTUVTWNTZAUGAUKRUMIURYUSAUZBVATVCTVENVGBVIRVNMVUTWLFWSMYEMZAFZMBZWE";

/// Every ISO 4217 currency, sorted: the code, then its minor-unit digits (`-` for none: metals,
/// funds and testing codes).
const CURRENCIES: &str = "\
    AED2AFN2ALL2AMD2AOA2ARS2AUD2AWG2AZN2BAM2BBD2BDT2BGN2BHD3BIF0BMD2BND2BOB2BOV2BRL2BSD2BTN2BWP2BYN2\
    BZD2CAD2CDF2CHE2CHF2CHW2CLF4CLP0CNY2COP2COU2CRC2CUC2CUP2CVE2CZK2DJF0DKK2DOP2DZD2EGP2ERN2ETB2EUR2\
    FJD2FKP2GBP2GEL2GHS2GIP2GMD2GNF0GTQ2GYD2HKD2HNL2HRK2HTG2HUF2IDR2ILS2INR2IQD3IRR2ISK0JMD2JOD3JPY0\
    KES2KGS2KHR2KMF0KPW2KRW0KWD3KYD2KZT2LAK2LBP2LKR2LRD2LSL2LYD3MAD2MDL2MGA2MKD2MMK2MNT2MOP2MRU2MUR2\
    MVR2MWK2MXN2MXV2MYR2MZN2NAD2NGN2NIO2NOK2NPR2NZD2OMR3PAB2PEN2PGK2PHP2PKR2PLN2PYG0QAR2RON2RSD2RUB2\
    RWF0SAR2SBD2SCR2SDG2SEK2SGD2SHP2SLE2SLL2SOS2SRD2SSP2STN2SVC2SYP2SZL2THB2TJS2TMT2TND3TOP2TRY2TTD2\
    TWD2TZS2UAH2UGX0USD2USN2UYI0UYU2UYW4UZS2VED2VES2VND0VUV0WST2XAD2XAF0XAG-XAU-XBA-XBB-XBC-XBD-XCD2\
    XCG2XDR-XOF0XPD-XPF0XPT-XSU-XTS-XUA-XXX-YER2ZAR2ZMW2ZWG2ZWL2";

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case, as the gateway wants).
pub fn is_country_alpha2(code: &str) -> bool {
    find(ALPHA2, 2, code).is_some()
}

/// Whether `code` is an assigned ISO 3166-1 alpha-3 code (upper case).
pub fn is_country_alpha3(code: &str) -> bool {
    find(ALPHA3, 3, code).is_some()
}

/// A currency's decimals: `None` when `code` is no ISO 4217 code (upper case), `Some(None)` for a
/// currency without minor units (gold, the SDR, testing codes).
pub fn currency_exponent(code: &str) -> Option<Option<u32>> {
    let entry = find(CURRENCIES, 4, code)?;
    Some(char::from(entry[3]).to_digit(10))
}

/// The `width`-byte entry of `table` that starts with `code` (a few hundred entries: a scan is
/// as fast as a search here, and smaller).
fn find<'a>(table: &'a str, width: usize, code: &str) -> Option<&'a [u8]> {
    let key = code.as_bytes();
    if key.len() != width.min(3) {
        return None;
    }
    table.as_bytes().chunks_exact(width).find(|entry| entry.starts_with(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use iso_currency::IntoEnumIterator;

    fn all_codes(length: u32) -> impl Iterator<Item = String> {
        (0..26u32.pow(length)).map(move |mut n| {
            (0..length)
                .map(|_| {
                    let letter = char::from(b'A' + (n % 26) as u8);
                    n /= 26;
                    letter
                })
                .collect()
        })
    }

    #[test]
    fn countries_agree_with_isocountry_for_every_code() {
        for code in all_codes(2) {
            assert_eq!(is_country_alpha2(&code), isocountry::CountryCode::for_alpha2(&code).is_ok(), "{code}");
        }
        for code in all_codes(3) {
            assert_eq!(is_country_alpha3(&code), isocountry::CountryCode::for_alpha3(&code).is_ok(), "{code}");
        }
        for wrong in ["", "us", "Us", "U", "USAA", "DE ", "ÄÄ"] {
            assert!(!is_country_alpha2(wrong) && !is_country_alpha3(wrong), "{wrong}");
        }
    }

    #[test]
    fn currencies_agree_with_iso_currency_for_every_code() {
        for code in all_codes(3) {
            let expected = iso_currency::Currency::from_code(&code).map(|currency| currency.exponent().map(u32::from));
            assert_eq!(currency_exponent(&code), expected, "{code}");
        }
        assert_eq!(iso_currency::Currency::iter().count(), CURRENCIES.len() / 4);
        assert_eq!(
            (currency_exponent("EUR"), currency_exponent("JPY"), currency_exponent("BHD")),
            (Some(Some(2)), Some(Some(0)), Some(Some(3)))
        );
        assert_eq!((currency_exponent("XAU"), currency_exponent("eur"), currency_exponent("EURO")), (Some(None), None, None));
    }
}
