//! Generated data types are `#[non_exhaustive]`, so that what upstream adds is not a breaking
//! change for Rust callers.
//!
//! A caller who builds a generated struct with a literal, or matches an enum without a
//! wildcard arm, fails to compile the day upstream adds an optional property or an enum value.
//! With `#[non_exhaustive]`, code outside the client crate builds structs with their builders
//! (`Member::builder()`, which every struct has, or serde) and matches enums with a `_` arm;
//! reading fields and matching the known variants work as before. The builders in
//! `types::builder` are left alone: their fields are private already.
//!
//! Before:
//!
//! ```ignore
//! #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
//! pub struct InviteMembersBody { pub emails: Vec<String>, .. }
//! ```
//!
//! After:
//!
//! ```ignore
//! #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
//! #[non_exhaustive]
//! pub struct InviteMembersBody { pub emails: Vec<String>, .. }
//! ```

use super::syntax::module_items;

/// Marks every public struct and enum of the generated `types` module `#[non_exhaustive]`.
pub(crate) fn apply(file: &mut syn::File) {
    let Some(items) = module_items(&mut file.items, "types") else { return };
    for item in items {
        let (vis, attrs) = match item {
            syn::Item::Struct(def) => (&def.vis, &mut def.attrs),
            syn::Item::Enum(def) => (&def.vis, &mut def.attrs),
            _ => continue,
        };
        let marked = attrs.iter().any(|attr| attr.path().is_ident("non_exhaustive"));
        if matches!(vis, syn::Visibility::Public(_)) && !marked {
            attrs.push(syn::parse_quote!(#[non_exhaustive]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_public_structs_and_enums_of_types_only() {
        let mut file: syn::File = syn::parse_str(
            r#"
            pub mod types {
                #[derive(Clone)]
                pub struct Body { pub emails: Vec<String> }
                pub enum Role { Admin }
                #[non_exhaustive]
                pub enum Marked { A }
                struct Private;
                pub mod builder { pub struct Body { emails: Result<Vec<String>, String> } }
            }
            pub struct Client;
            "#,
        )
        .expect("test source parses");
        apply(&mut file);
        let out = prettyplease::unparse(&file);
        assert!(out.contains("#[derive(Clone)]\n    #[non_exhaustive]\n    pub struct Body {"), "{out}");
        assert!(out.contains("#[non_exhaustive]\n    pub enum Role"), "{out}");
        assert_eq!(out.matches("#[non_exhaustive]").count(), 3, "one per public type, none twice: {out}");
        assert!(out.contains("pub mod builder {\n        pub struct Body"), "builders are left alone: {out}");
        assert!(out.contains("}\npub struct Client;"), "{out}");
    }
}
