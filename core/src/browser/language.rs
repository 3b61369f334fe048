//! BCP 47 language tags (RFC 5646 §2.1): the shape check, and the cut to /api/v2/sale's 8 characters.

/// The language sent when the browser reports none, or one that cannot be cut to a valid tag of
/// at most 8 characters (such as a long private-use tag).
pub const DEFAULT_LANGUAGE: &str = "en";

/// /api/v2/sale's limit for `customer_browser_accept_language`.
pub const MAX_LANGUAGE_LENGTH: usize = 8;

/// The tag, or its longest prefix that ends at a subtag boundary, fits in 8 characters and is
/// still a well-formed tag (`zh-Hant-TW` → `zh-Hant`); [`DEFAULT_LANGUAGE`] when none does.
pub fn fit_language(tag: &str) -> String {
    let tag = tag.trim();
    let subtags: Vec<&str> = tag.split('-').collect();
    (1..=subtags.len())
        .rev()
        .map(|count| subtags[..count].join("-"))
        .find(|prefix| prefix.len() <= MAX_LANGUAGE_LENGTH && is_well_formed(prefix))
        .unwrap_or_else(|| DEFAULT_LANGUAGE.to_string())
}

/// Where the parser is in `language-extlang-script-region-variant-extension-privateuse`.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Stage {
    Language,
    Extlang,
    Script,
    Region,
    Variant,
    Extension,
}

/// Whether `tag` is a well-formed `langtag` or `privateuse` tag of RFC 5646 (case-insensitive).
/// Grandfathered tags are not accepted: browsers report none of them.
pub fn is_well_formed(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let Some(first) = subtags.next() else { return false };
    if first.eq_ignore_ascii_case("x") {
        return private_use(subtags);
    }
    if !alpha(first) || !(2..=8).contains(&first.len()) {
        return false;
    }
    // An extlang may only follow a 2–3 letter language, at most three of them.
    let mut stage = if first.len() <= 3 { Stage::Language } else { Stage::Extlang };
    let mut extlangs = 0;
    // A singleton opens an extension, which needs at least one subtag of 2–8 characters.
    let mut open_extension = false;
    while let Some(subtag) = subtags.next() {
        let len = subtag.len();
        if len == 1 && alphanumeric(subtag) {
            if open_extension {
                return false;
            }
            if subtag.eq_ignore_ascii_case("x") {
                return private_use(subtags);
            }
            stage = Stage::Extension;
            open_extension = true;
            continue;
        }
        if stage == Stage::Extension {
            if !((2..=8).contains(&len) && alphanumeric(subtag)) {
                return false;
            }
            open_extension = false;
            continue;
        }
        stage = if stage <= Stage::Language && len == 3 && alpha(subtag) && extlangs < 3 {
            extlangs += 1;
            Stage::Language
        } else if stage <= Stage::Extlang && len == 4 && alpha(subtag) {
            Stage::Script
        } else if stage <= Stage::Script && ((len == 2 && alpha(subtag)) || (len == 3 && digits(subtag))) {
            Stage::Region
        } else if variant(subtag) {
            Stage::Variant
        } else {
            return false;
        };
    }
    !open_extension
}

/// `x-…`: one or more subtags of 1–8 letters or digits.
fn private_use<'a>(subtags: impl Iterator<Item = &'a str>) -> bool {
    let mut count = 0;
    for subtag in subtags {
        if !(1..=8).contains(&subtag.len()) || !alphanumeric(subtag) {
            return false;
        }
        count += 1;
    }
    count > 0
}

/// 5–8 letters or digits, or a digit and three letters or digits.
fn variant(subtag: &str) -> bool {
    alphanumeric(subtag) && ((5..=8).contains(&subtag.len()) || (subtag.len() == 4 && subtag.as_bytes()[0].is_ascii_digit()))
}

fn alpha(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphabetic())
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn alphanumeric(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_cut_to_eight_characters_at_a_subtag_boundary() {
        for (given, sent) in [
            ("en", "en"),
            ("en-US", "en-US"),
            ("ru-RU", "ru-RU"),
            ("zh-Hant-TW", "zh-Hant"),
            ("sgn-BE-FR", "sgn-BE"),
            ("x-private-tag-long", DEFAULT_LANGUAGE),
            ("", DEFAULT_LANGUAGE),
            ("  de-CH  ", "de-CH"),
            ("es-419", "es-419"),
            ("sr-Latn-RS", "sr-Latn"),
            ("de-CH-1996", "de-CH"),
            ("en-US-u-ca-gregory", "en-US"),
            ("zh-yue-HK", "zh-yue"),
            ("x-klingn", "x-klingn"),
            ("en_US", DEFAULT_LANGUAGE),
            ("*", DEFAULT_LANGUAGE),
            ("-", DEFAULT_LANGUAGE),
            ("e", DEFAULT_LANGUAGE),
            ("english", "english"),
            ("123", DEFAULT_LANGUAGE),
            ("ру", DEFAULT_LANGUAGE),
        ] {
            assert_eq!(fit_language(given), sent, "{given:?}");
            assert!(sent.len() <= MAX_LANGUAGE_LENGTH && is_well_formed(sent));
        }
    }

    #[test]
    fn the_shape_follows_rfc_5646() {
        for tag in [
            "en",
            "EN-us",
            "zh-Hant-TW",
            "sgn-BE",
            "de-CH-1996",
            "sl-rozaj-biske",
            "en-US-u-ca-gregory",
            "x-whatever",
            "en-a-bbb-x-a-ccc",
            "zh-cmn-Hans-CN",
            "hy-Latn-IT-arevela",
            "es-419",
            "qaa-Qaaa-QM-x-southern",
        ] {
            assert!(is_well_formed(tag), "{tag}");
        }
        for tag in [
            "",
            "x",
            "en-",
            "-en",
            "a",
            "en-u",
            "en-u-x-a",
            "en-a-b-c",
            "toolonglanguage",
            "en-US-US",
            "de-419-DE",
            "en--US",
            "1en",
            "en-abcdefghi",
            "x-abcdefghi",
            "en-Latn-Latn",
            "ab-abc-abc-abc-abc",
        ] {
            assert!(!is_well_formed(tag), "{tag}");
        }
    }
}
