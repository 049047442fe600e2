//! Constrained strings decode what the server sends: a string with a `pattern` or length
//! bounds is a newtype whose `FromStr` checks them, and typify's `Deserialize` goes through
//! `FromStr`, so an answer holding one value that breaks the document's rule (an id shorter than
//! documented, a code in another pattern) failed to decode as a whole, and everything else in
//! it was lost. This pass makes such a `Deserialize` take the string as it is; `FromStr` and
//! `TryFrom` still check, so a value built for a request is held to the document's rules.
//!
//! A newtype that is a variant of an untagged enum keeps its check: there the check is what
//! picks the variant.
//!
//! Before:
//!
//! ```ignore
//! impl<'de> ::serde::Deserialize<'de> for AccountId {
//!     fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
//!     where D: ::serde::Deserializer<'de> {
//!         ::std::string::String::deserialize(deserializer)?
//!             .parse()
//!             .map_err(|e: self::error::ConversionError| <D::Error as ::serde::de::Error>::custom(e.to_string()))
//!     }
//! }
//! ```
//!
//! After:
//!
//! ```ignore
//! impl<'de> ::serde::Deserialize<'de> for AccountId {
//!     fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
//!     where D: ::serde::Deserializer<'de> {
//!         ::std::string::String::deserialize(deserializer).map(Self)
//!     }
//! }
//! ```

use std::collections::HashSet;

use super::syntax::{SerdeAttrs, module_items, type_name};

/// Makes the `Deserialize` of every constrained string newtype of the `types` module take
/// the string as sent; returns how many it changed.
pub(crate) fn apply(file: &mut syn::File) -> usize {
    let Some(items) = module_items(&mut file.items, "types") else { return 0 };
    let newtypes: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(def) => match &def.fields {
                syn::Fields::Unnamed(fields)
                    if fields.unnamed.len() == 1
                        && fields.unnamed.first().is_some_and(|field| is_string(&field.ty)) =>
                {
                    Some(def.ident.to_string())
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    let variants: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(def) if SerdeAttrs::of(&def.attrs).untagged => Some(def),
            _ => None,
        })
        .flat_map(|def| def.variants.iter().flat_map(|variant| variant.fields.iter()))
        .filter_map(|field| type_name(&field.ty))
        .collect();
    let mut changed = 0;
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(name) = type_name(&imp.self_ty) else { continue };
        let deserialize = imp.trait_.as_ref().and_then(|(path, _)| path.segments.last());
        if deserialize.is_none_or(|segment| segment.ident != "Deserialize")
            || !newtypes.contains(&name)
            || variants.contains(&name)
        {
            continue;
        }
        for member in &mut imp.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            if method.sig.ident == "deserialize" && parses(&method.block) {
                method.block = syn::parse_quote!({ ::std::string::String::deserialize(deserializer).map(Self) });
                changed += 1;
            }
        }
    }
    changed
}

fn is_string(ty: &syn::Type) -> bool {
    type_name(ty).is_some_and(|name| name == "String")
}

/// Whether `block` is typify's `String::deserialize(deserializer)?.parse().map_err(..)`.
fn parses(block: &syn::Block) -> bool {
    let [syn::Stmt::Expr(syn::Expr::MethodCall(map_err), None)] = block.stmts.as_slice() else { return false };
    let syn::Expr::MethodCall(parse) = map_err.receiver.as_ref() else { return false };
    map_err.method == "map_err"
        && parse.method == "parse"
        && matches!(parse.receiver.as_ref(), syn::Expr::Try(tried) if matches!(tried.expr.as_ref(), syn::Expr::Call(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constrained_string_decodes_as_sent_unless_it_picks_a_variant() {
        let deserialize = |name: &str| -> syn::Item {
            let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
            syn::parse_quote! {
                impl<'de> ::serde::Deserialize<'de> for #ident {
                    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                    where D: ::serde::Deserializer<'de> {
                        ::std::string::String::deserialize(deserializer)?
                            .parse()
                            .map_err(|e: self::error::ConversionError| <D::Error as ::serde::de::Error>::custom(e.to_string()))
                    }
                }
            }
        };
        let (account, code) = (deserialize("AccountId"), deserialize("Code"));
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct AccountId(::std::string::String);
                pub struct Code(::std::string::String);
                #[serde(untagged)]
                pub enum Reference { Code(Code), Other(i64) }
                #account
                #code
            }
        };
        assert_eq!(apply(&mut file), 1);
        let out = prettyplease::unparse(&file);
        assert!(out.contains("::std::string::String::deserialize(deserializer).map(Self)"), "{out}");
        assert_eq!(out.matches(".parse()").count(), 1, "the variant's check stays: {out}");
    }
}
