//! What only the development build says (the `development` feature, the package's `development`
//! export condition): warnings on the console about mistakes that do not throw. The production
//! build has none of this code or its words.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(message: &str);
}

/// Warns the page's developer on the console. Native builds (the crate's own tests) have no
/// console: nothing is said there.
pub(crate) fn warn(message: &str) {
    if cfg!(target_arch = "wasm32") {
        console_warn(&["connpay-checkout: ", message].concat());
    }
}

/// A `locale` the module has no table for: the checkout speaks English, and says why.
pub(crate) fn no_table_for(tag: &str) {
    warn(&format!(
        "no table for locale \"{tag}\": the checkout speaks English. Import the language's table \
         (connpay-checkout/locales/<language>) and pass it as locale, or in locales."
    ));
}
