//! String-list setters take any iterable of anything that converts into a `String`.
//!
//! Typify's builder setter for a `Vec<String>` field takes `T: TryInto<Vec<String>>`, so
//! `.emails(["a@x.com"])` does not compile and callers write `vec!["a@x.com".to_string()]`.
//! This pass rewrites the setters of the `types::builder` structs whose field is a list of
//! strings (or an optional one) to take `IntoIterator<Item = impl Into<String>>`; a
//! `Vec<String>` still fits, so no existing call breaks. Setters of three-state
//! (`Nullable`) fields keep their signature: they must also accept `Nullable::Null`.
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
//! ```

use super::syntax::{module_items, setter_target};

/// Rewrites the string-list setters of the generated `types::builder` module.
pub(crate) fn apply(file: &mut syn::File) {
    let Some(builders) = module_items(&mut file.items, "types").and_then(|items| module_items(items, "builder")) else {
        return;
    };
    for item in builders {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        for member in &mut imp.items {
            if let syn::ImplItem::Fn(setter) = member
                && let Some(optional) = setter_target(&setter.sig).as_ref().and_then(string_list)
            {
                rewrite(setter, optional);
            }
        }
    }
}

/// For `Vec<String>`, `Some(false)`; for `Option<Vec<String>>`, `Some(true)`; otherwise `None`.
/// The docs pass uses it too, to show such setters called with an array of `&str`.
pub(crate) fn string_list(ty: &syn::Type) -> Option<bool> {
    match single_arg(ty, "Option") {
        Some(inner) => is_strings(inner).then_some(true),
        None => is_strings(ty).then_some(false),
    }
}

/// `["a", "b"]` for a JSON array of strings set with a string-list setter of type `ty`: how
/// the docs pass writes such values in its examples.
pub(crate) fn array_argument(value: &serde_json::Value, ty: &syn::Type) -> Option<proc_macro2::TokenStream> {
    string_list(ty)?;
    let texts = value.as_array()?.iter().map(serde_json::Value::as_str).collect::<Option<Vec<_>>>()?;
    Some(quote::quote!([#(#texts),*]))
}

fn is_strings(ty: &syn::Type) -> bool {
    single_arg(ty, "Vec").is_some_and(|item| matches!(item, syn::Type::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == "String" && last.arguments.is_none())))
}

/// `T` when `ty` is a path ending in `name<T>`.
fn single_arg<'t>(ty: &'t syn::Type, name: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last().filter(|last| last.ident == name)?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        syn::GenericArgument::Type(ty) if args.args.len() == 1 => Some(ty),
        _ => None,
    }
}

/// The setter keeps its name, docs and the field it sets (typify names the two alike).
fn rewrite(setter: &mut syn::ImplItemFn, optional: bool) {
    let name = &setter.sig.ident;
    let list = quote::quote!(value.into_iter().map(::std::convert::Into::into).collect());
    let value = if optional { quote::quote!(Some(#list)) } else { list };
    let attrs = &setter.attrs;
    *setter = syn::parse_quote! {
        #(#attrs)*
        pub fn #name<I>(mut self, value: I) -> Self
        where
            I: ::std::iter::IntoIterator,
            I::Item: ::std::convert::Into<::std::string::String>,
        {
            self.#name = Ok(#value);
            self
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_list_setters_take_any_iterable_of_strings() {
        let mut file: syn::File = syn::parse_str(
            r#"
            pub mod types {
                pub mod builder {
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
        assert!(out.contains("Some(value.into_iter().map(::std::convert::Into::into).collect()),"), "{out}");
        assert_eq!(out.matches("I::Item: ::std::convert::Into<::std::string::String>").count(), 2, "{out}");
        assert!(out.contains("pub fn labels<T>") && out.contains("pub fn sizes<T>"), "other setters stay: {out}");
    }
}
