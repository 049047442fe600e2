//! String-list setters take any list of anything that converts into a `String`.
//!
//! Typify's builder setter for a `Vec<String>` field, and progenitor's setter for a list
//! parameter, take `T: TryInto<Vec<String>>`, so `.emails(["a@x.com"])` does not compile and
//! callers write `vec!["a@x.com".to_string()]`. This pass rewrites every setter whose field (in
//! `types::builder` and in the operation builders) is a list of strings:
//!
//! - a list, or an optional one (`Option<Vec<String>>`, and an optional list parameter), takes
//!   `IntoIterator<Item = impl Into<String>>`;
//! - a three-state list (`Nullable<Vec<String>>`) takes the client crate's
//!   `NullableStringList`: a list of string-likes, an `Option` of one, or a `Nullable`, so that
//!   `Nullable::Null` still sends `null`.
//!
//! A `Vec<String>` still fits each, so no existing call breaks.
//!
//! Before:
//!
//! ```ignore
//! pub fn emails<T>(mut self, value: T) -> Self
//! where
//!     T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
//!     T::Error: ::std::fmt::Display,
//! {
//!     self.emails = value.try_into().map_err(|e| format!("error converting supplied value for emails: {e}"));
//!     self
//! }
//! pub fn labels<T>(mut self, value: T) -> Self
//! where
//!     T: ::std::convert::TryInto<crate::Nullable<::std::vec::Vec<::std::string::String>>>,
//!     T::Error: ::std::fmt::Display,
//! { .. }
//! ```
//!
//! After:
//!
//! ```ignore
//! pub fn emails<I>(mut self, value: I) -> Self
//! where
//!     I: ::std::iter::IntoIterator,
//!     I::Item: ::std::convert::Into<::std::string::String>,
//! {
//!     self.emails = Ok(value.into_iter().map(::std::convert::Into::into).collect());
//!     self
//! }
//! pub fn labels<L>(mut self, value: L) -> Self
//! where
//!     L: crate::NullableStringList,
//! {
//!     self.labels = Ok(crate::NullableStringList::into_nullable_strings(value));
//!     self
//! }
//! ```

use std::collections::HashMap;

use super::syntax::{Paths, module_items, type_name};
use crate::client_paths::{NULLABLE_NAME, NULLABLE_STRING_LIST, parse as parse_path};

/// Rewrites the string-list setters of the generated `types::builder` module and of the
/// operation builders.
pub(crate) fn apply(file: &mut syn::File) {
    if let Some(builders) = module_items(&mut file.items, "types").and_then(|items| module_items(items, "builder")) {
        rewrite_module(builders);
    }
    if let Some(operations) = module_items(&mut file.items, "builder") {
        rewrite_module(operations);
    }
}

/// The kind of string list a field holds.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum StringList {
    /// `Vec<String>`.
    Plain,
    /// `Option<Vec<String>>`.
    Optional,
    /// `Nullable<Vec<String>>`.
    Nullable,
}

/// Rewrites the setters of the builders among `items`, each by the type of the field it sets
/// (`field: Result<T, String>`).
fn rewrite_module(items: &mut [syn::Item]) {
    let mut fields: HashMap<(String, String), StringList> = HashMap::new();
    for item in items.iter() {
        let syn::Item::Struct(def) = item else { continue };
        for field in &def.fields {
            let Some(ident) = &field.ident else { continue };
            if let Some(list) = single_arg(&field.ty, "Result").and_then(string_list) {
                fields.insert((def.ident.to_string(), ident.to_string()), list);
            }
        }
    }
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(builder) = type_name(&imp.self_ty) else { continue };
        for member in &mut imp.items {
            let syn::ImplItem::Fn(setter) = member else { continue };
            let key = (builder.clone(), setter.sig.ident.to_string());
            if let Some(list) = fields.get(&key)
                && super::syntax::setter_target(&setter.sig).is_some()
            {
                rewrite(setter, *list);
            }
        }
    }
}

/// Which string list `ty` is, if it is one. The docs pass uses it too, to show such setters
/// called with an array of `&str`.
pub(crate) fn string_list(ty: &syn::Type) -> Option<StringList> {
    if let Some(inner) = single_arg(ty, "Option") {
        return is_strings(inner).then_some(StringList::Optional);
    }
    if let Some(inner) = single_arg(ty, NULLABLE_NAME) {
        return is_strings(inner).then_some(StringList::Nullable);
    }
    is_strings(ty).then_some(StringList::Plain)
}

/// The field type a rewritten string-list setter sets: `Vec<String>` for one that takes any
/// `IntoIterator` of strings, `Nullable<Vec<String>>` for one that takes a `NullableStringList`.
pub(crate) fn list_setter_target(sig: &syn::Signature) -> Option<syn::Type> {
    let clause = sig.generics.where_clause.as_ref()?;
    let bounds = Paths::of(|paths| syn::visit::Visit::visit_where_clause(paths, clause));
    if bounds.contains(NULLABLE_STRING_LIST) {
        let nullable_type = parse_path(crate::client_paths::NULLABLE);
        Some(syn::parse_quote!(#nullable_type<::std::vec::Vec<::std::string::String>>))
    } else if bounds.contains("std::iter::IntoIterator")
        && bounds.contains("std::convert::Into")
        && bounds.contains("std::string::String")
    {
        Some(syn::parse_quote!(::std::vec::Vec<::std::string::String>))
    } else {
        None
    }
}

/// `["a", "b"]` for a JSON array of strings set with a string-list setter of type `ty`: how
/// the docs pass writes such values in its examples.
pub(crate) fn array_argument(value: &serde_json::Value, ty: &syn::Type) -> Option<proc_macro2::TokenStream> {
    string_list(ty)?;
    let texts = value.as_array()?.iter().map(serde_json::Value::as_str).collect::<Option<Vec<_>>>()?;
    Some(match texts.is_empty() {
        // `[]` leaves the setter's item type open: a generic setter cannot infer it.
        true => quote::quote!(Vec::<String>::new()),
        false => quote::quote!([#(#texts),*]),
    })
}

fn is_strings(ty: &syn::Type) -> bool {
    single_arg(ty, "Vec").is_some_and(|item| matches!(item, syn::Type::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == "String" && last.arguments.is_none())))
}

/// The first type argument when `ty` is a path ending in `name<T, ..>`.
fn single_arg<'t>(ty: &'t syn::Type, name: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last().filter(|last| last.ident == name)?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    }
}

/// The setter keeps its name, docs and the field it sets (both generators name the two alike).
fn rewrite(setter: &mut syn::ImplItemFn, list: StringList) {
    let name = &setter.sig.ident;
    let attrs = &setter.attrs;
    let collected = quote::quote!(value.into_iter().map(::std::convert::Into::into).collect());
    *setter = match list {
        StringList::Plain | StringList::Optional => {
            let value = if list == StringList::Optional { quote::quote!(Some(#collected)) } else { collected };
            syn::parse_quote! {
                #(#attrs)*
                pub fn #name<I>(mut self, value: I) -> Self
                where
                    I: ::std::iter::IntoIterator,
                    I::Item: ::std::convert::Into<::std::string::String>,
                {
                    self.#name = Ok(#value);
                    self
                }
            }
        }
        StringList::Nullable => {
            let nullable_list = parse_path(NULLABLE_STRING_LIST);
            syn::parse_quote! {
                #(#attrs)*
                pub fn #name<L>(mut self, value: L) -> Self
                where
                    L: #nullable_list,
                {
                    self.#name = Ok(#nullable_list::into_nullable_strings(value));
                    self
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_list_setters_take_any_list_of_strings() {
        let mut file: syn::File = syn::parse_str(
            r#"
            pub mod types {
                pub mod builder {
                    pub struct Body {
                        emails: ::std::result::Result<::std::vec::Vec<::std::string::String>, ::std::string::String>,
                        tags: ::std::result::Result<::std::option::Option<::std::vec::Vec<::std::string::String>>, ::std::string::String>,
                        labels: ::std::result::Result<crate::Nullable<::std::vec::Vec<::std::string::String>>, ::std::string::String>,
                        sizes: ::std::result::Result<::std::vec::Vec<i64>, ::std::string::String>,
                    }
                    impl Body {
                        ///Sets `emails`.
                        pub fn emails<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>, T::Error: ::std::fmt::Display
                        { self.emails = value.try_into().map_err(|e| format!("{e}")); self }
                        pub fn tags<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<::std::option::Option<::std::vec::Vec<::std::string::String>>>, T::Error: ::std::fmt::Display
                        { self.tags = value.try_into().map_err(|e| format!("{e}")); self }
                        pub fn labels<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<crate::Nullable<::std::vec::Vec<::std::string::String>>>, T::Error: ::std::fmt::Display
                        { self.labels = value.try_into().map_err(|e| format!("{e}")); self }
                        pub fn sizes<T>(mut self, value: T) -> Self
                        where T: ::std::convert::TryInto<::std::vec::Vec<i64>>, T::Error: ::std::fmt::Display
                        { self.sizes = value.try_into().map_err(|e| format!("{e}")); self }
                    }
                }
            }
            pub mod builder {
                pub struct ListThings<'a> {
                    client: &'a super::Client,
                    kinds: Result<Option<::std::vec::Vec<::std::string::String>>, String>,
                }
                impl<'a> ListThings<'a> {
                    pub fn kinds<V>(mut self, value: V) -> Self
                    where V: std::convert::TryInto<::std::vec::Vec<::std::string::String>>
                    { self.kinds = value.try_into().map(Some).map_err(|_| "no".to_string()); self }
                }
            }
            "#,
        )
        .expect("test source parses");
        apply(&mut file);
        let out = prettyplease::unparse(&file);
        assert!(out.contains("///Sets `emails`.\n            pub fn emails<I>(mut self, value: I) -> Self"), "{out}");
        assert!(
            out.contains(
                "self.emails = Ok(\n                    value.into_iter().map(::std::convert::Into::into).collect(),"
            ),
            "{out}"
        );
        assert_eq!(
            out.matches("Some(value.into_iter().map(::std::convert::Into::into).collect())").count(),
            2,
            "{out}"
        );
        assert_eq!(out.matches("I::Item: ::std::convert::Into<::std::string::String>").count(), 3, "{out}");
        assert!(out.contains("pub fn labels<L>(mut self, value: L) -> Self\n            where\n                L: crate::NullableStringList,"), "{out}");
        assert!(
            out.contains(
                "self.labels = Ok(\n                    crate::NullableStringList::into_nullable_strings(value),"
            ),
            "{out}"
        );
        assert!(out.contains("pub fn sizes<T>"), "other setters stay: {out}");
    }
}
