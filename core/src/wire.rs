//! The declaration every JSON wire object shares.

/// Declares a wire object: camelCase keys as in the spec, unknown keys refused, absent fields
/// omitted from the JSON. Every field is optional in the model so that an object can be read
/// whole and every missing required field reported at once; the spec's necessity lives in the
/// validators.
macro_rules! wire_object {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $field_doc:literal])* $field:ident: $ty:ty,)* }) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name {
            $(
                $(#[doc = $field_doc])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }
    };
}
