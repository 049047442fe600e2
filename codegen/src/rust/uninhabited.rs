//! Types no value fits: typify makes an enum without variants (`pub enum Score {}`) of a schema
//! whose parts contradict each other (an `allOf` of two different `enum`s of one property, say),
//! and an operation that sends or answers one cannot. The document passes rewrite the shapes
//! known to cause this (`spec::schema_shapes`); any left is named in a note, so that the
//! vendor's fixes can repair its schema.

use super::syntax::module_items;

/// One note naming the variantless enums of the generated `types` module, if there are any.
pub(crate) fn notes(file: &mut syn::File) -> Vec<String> {
    let Some(items) = module_items(&mut file.items, "types") else { return Vec::new() };
    let names: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(def) if def.variants.is_empty() => Some(format!("`{}`", def.ident)),
            _ => None,
        })
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "{} type(s) no value fits (their schemas' parts contradict each other; what sends or answers one fails): {}; \
         repair the schemas with a fix",
        names.len(),
        names.join(", ")
    )]
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_variantless_enum_is_named() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum Score {}
                pub enum Kind { A }
            }
        };
        let notes = super::notes(&mut file);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].starts_with("1 type(s) no value fits") && notes[0].contains("`Score`"), "{notes:?}");
    }
}
