//! The language tables the package ships in `locales/` (one JSON file a language, turned into an
//! importable module by `scripts/package.mjs`): every table has every message key the checkout
//! has, and no other, each a real text.

use connpay_core::checkout::messages::{keys, language, Locale, Messages};

#[test]
fn every_table_has_every_key_and_no_other() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../locales");
    let mut languages = Vec::new();
    for entry in std::fs::read_dir(&folder).expect("the locales folder") {
        let path = entry.unwrap().path();
        let table: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert_eq!(table["locale"], name.as_str(), "{name}: its locale is its file's name");
        assert_eq!(language(&name), name, "{name}: a language, not a region (regions fall back to it)");
        assert!(table["name"].as_str().is_some_and(|own| !own.is_empty()), "{name}: its own name");
        let messages = table["messages"].as_object().unwrap_or_else(|| panic!("{name}: messages"));
        let expected: Vec<&str> = keys().collect();
        let given: Vec<&str> = messages.keys().map(String::as_str).collect();
        let missing: Vec<&&str> = expected.iter().filter(|key| !messages.contains_key(**key)).collect();
        let extra: Vec<&&str> = given.iter().filter(|key| !expected.contains(key)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{name}: missing {missing:?}, not a key {extra:?}");
        for (key, text) in messages {
            let text = text.as_str().unwrap_or_default();
            assert!(!text.is_empty() && text.trim() == text, "{name}: {key}");
            // The time the checkout says in place of `{until}`: where English says it, and only there.
            let english = Messages::new(Locale::En).text(key).to_string();
            assert_eq!(text.matches("{until}").count(), english.matches("{until}").count(), "{name}: {key} and {{until}}");
        }
        languages.push(name);
    }
    languages.sort();
    assert_eq!(languages, ["de", "es", "fr", "it", "kk", "pl", "pt", "ru", "tr", "uk"]);
}
