//! Open enums: a string enum decodes a value it does not know into a variant that keeps it.
//!
//! Typify turns `enum: [admin, member]` into a closed Rust enum, so the day upstream answers
//! `"role": "owner"` the whole response fails to decode and every other value in it is lost.
//! This pass gives every string enum of the `types` module an `Unknown(String)` variant that
//! serde falls back to (an untagged variant is tried after the named ones) and that encodes
//! back to the raw value, so a response round-trips unchanged.
//!
//! Every string enum is made open, not only those reachable from a response (except the
//! tags that tell a union's members apart, `rust::union_tags`): an enum used in
//! a request today can appear in a response tomorrow, and opening one costs a request nothing,
//! because `FromStr` and `TryFrom<&str>` still accept only the known values (a typo in a
//! request is still caught, and the error lists the allowed values). An unknown value can
//! still be sent on purpose by naming the variant: `MemberRole::Unknown("owner".into())`.
//!
//! Before:
//!
//! ```ignore
//! #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
//! pub enum MemberRole {
//!     #[serde(rename = "admin")]
//!     Admin,
//!     #[serde(rename = "member")]
//!     Member,
//! }
//! impl ::std::fmt::Display for MemberRole { /* match *self { .. } */ }
//! impl ::std::str::FromStr for MemberRole { /* .., _ => Err("invalid value".into()) */ }
//! ```
//!
//! After:
//!
//! ```ignore
//! #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
//! pub enum MemberRole {
//!     #[serde(rename = "admin")]
//!     Admin,
//!     #[serde(rename = "member")]
//!     Member,
//!     /// A value this client does not know, kept as received ..
//!     #[serde(untagged)]
//!     Unknown(::std::string::String),
//! }
//! impl MemberRole {
//!     pub fn as_str(&self) -> &str { match self { Self::Admin => "admin", .., Self::Unknown(value) => value } }
//! }
//! impl ::std::fmt::Display for MemberRole { /* f.write_str(self.as_str()) */ }
//! impl ::std::str::FromStr for MemberRole {
//!     /* .., _ => Err(format!("invalid value {value:?} for `MemberRole`: expected one of {}", "\"admin\", \"member\"").into()) */
//! }
//! ```

use quote::format_ident;

use super::syntax::{SerdeAttrs, module_items};

/// Opens every string enum of the generated `types` module.
pub(crate) fn apply(file: &mut syn::File) {
    let Some(items) = module_items(&mut file.items, "types") else { return };
    // The tags of a union's members stay closed (`rust::union_tags`), with the same impls.
    let tags = super::union_tags::tags(items);
    let mut opened = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(def) = item else { continue };
        let Some(values) = string_values(def) else { continue };
        let unknown = (!tags.contains(&def.ident.to_string())).then(|| unknown_variant(def));
        if let Some(unknown) = &unknown {
            open(def, unknown);
        }
        opened.push((def.ident.clone(), values, unknown));
    }
    // Typify's `Display` and `FromStr` are replaced, by impls placed right after the enum:
    // the first cannot print the new variant, the second should name the allowed values.
    for item in std::mem::take(items) {
        let replaced = opened.iter().any(|(name, _, _)| is_trait_impl_for(&item, &["Display", "FromStr"], name));
        if replaced {
            continue;
        }
        let own = match &item {
            syn::Item::Enum(def) => opened.iter().find(|(name, _, _)| *name == def.ident),
            _ => None,
        };
        let own = own.map(|(name, values, unknown)| impls(name, values, unknown.as_ref()));
        items.push(item);
        items.extend(own.into_iter().flatten());
    }
}

/// `(JSON value, variant)` for each variant of a serde-derived enum of unit variants with no
/// enum-level serde settings (those would change how its values look on the wire).
pub(crate) fn string_values(def: &syn::ItemEnum) -> Option<Vec<(String, syn::Ident)>> {
    let derives = derives(&def.attrs);
    let serde = ["Serialize", "Deserialize"].iter().all(|name| derives.iter().any(|derive| derive == name));
    if !serde || def.variants.is_empty() || def.attrs.iter().any(|attr| attr.path().is_ident("serde")) {
        return None;
    }
    def.variants
        .iter()
        .map(|variant| {
            if !matches!(variant.fields, syn::Fields::Unit) {
                return None;
            }
            Some((
                SerdeAttrs::of(&variant.attrs).rename.unwrap_or_else(|| variant.ident.to_string()),
                variant.ident.clone(),
            ))
        })
        .collect()
}

/// The last path segment of every derive of `attrs`.
fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
        let paths = attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated);
        for path in paths.into_iter().flatten() {
            if let Some(last) = path.segments.last() {
                out.push(last.ident.to_string());
            }
        }
    }
    out
}

/// `Unknown`, or the first of `UnknownValue`, `UnknownValue2`, .. no variant is named yet.
fn unknown_variant(def: &syn::ItemEnum) -> syn::Ident {
    let taken = |name: &str| def.variants.iter().any(|variant| variant.ident == name);
    let name = ["Unknown".to_string(), "UnknownValue".to_string()]
        .into_iter()
        .chain((2..).map(|n| format!("UnknownValue{n}")))
        .find(|name| !taken(name))
        .unwrap_or_default();
    format_ident!("{name}")
}

/// Drops `Copy` (a `String` is not), adds the fallback variant and says so in the docs.
fn open(def: &mut syn::ItemEnum, unknown: &syn::Ident) {
    for attr in def.attrs.iter_mut().filter(|attr| attr.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept = paths.into_iter().filter(|path| !path.is_ident("Copy"));
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    let name = &def.ident;
    let enum_doc = format!(
        "A value this client does not know decodes as [`{name}::{unknown}`] and encodes back unchanged; \
         `FromStr` and `TryFrom<&str>` accept the known values only."
    );
    // After the existing doc lines, so that the summary line stays first.
    let at = def.attrs.iter().rposition(|attr| attr.path().is_ident("doc")).map_or(0, |index| index + 1);
    def.attrs.insert(at, syn::parse_quote!(#[doc = #enum_doc]));
    def.attrs.insert(at, syn::parse_quote!(#[doc = ""]));
    let variant_doc = "A value this client does not know (upstream added it after this client was generated), \
                       kept as received so that it is sent back unchanged.";
    def.variants.push(syn::parse_quote! {
        #[doc = #variant_doc]
        #[serde(untagged)]
        #unknown(::std::string::String)
    });
}

fn is_trait_impl_for(item: &syn::Item, traits: &[&str], name: &syn::Ident) -> bool {
    let syn::Item::Impl(imp) = item else { return false };
    let Some((path, _)) = &imp.trait_ else { return false };
    let is_trait = path.segments.last().is_some_and(|last| traits.iter().any(|name| last.ident == name));
    let is_for = matches!(imp.self_ty.as_ref(), syn::Type::Path(ty) if ty.path.is_ident(name));
    is_trait && is_for
}

/// `as_str`, `Display`, a `FromStr` whose error lists the allowed values, comparison with
/// text (`role == "admin"`), and what an optional setter of the enum takes besides an
/// `Option` of it: the enum or its text (`.role("admin")`, as a required argument takes).
/// `unknown`: the fallback variant, `None` for a closed enum (a union's tag).
fn impls(name: &syn::Ident, values: &[(String, syn::Ident)], unknown: Option<&syn::Ident>) -> Vec<syn::Item> {
    let (texts, variants): (Vec<&String>, Vec<&syn::Ident>) = values.iter().map(|(text, ident)| (text, ident)).unzip();
    let allowed = texts.iter().map(|text| format!("{text:?}")).collect::<Vec<_>>().join(", ");
    // The allowed values are an argument, not part of the format string: they may hold braces.
    let error = format!("invalid value {{value:?}} for `{name}`: expected one of {{}}");
    let (as_str_doc, unknown_arm) = match unknown {
        Some(unknown) => (
            format!(
                "The value as it is sent and received: the known values' JSON names, or the text an \
                 [`{unknown}`](Self::{unknown}) value holds."
            ),
            Some(quote::quote!(Self::#unknown(value) => value.as_str(),)),
        ),
        None => ("The value as it is sent and received.".to_string(), None),
    };
    let optional = crate::client_paths::parse(crate::client_paths::OPTIONAL_INPUT);
    let items: [syn::Item; 8] = [
        syn::parse_quote! {
            impl #name {
                #[doc = #as_str_doc]
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#variants => #texts,)*
                        #unknown_arm
                    }
                }
            }
        },
        syn::parse_quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        },
        syn::parse_quote! {
            impl ::std::str::FromStr for #name {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    match value {
                        #(#texts => Ok(Self::#variants),)*
                        _ => Err(format!(#error, #allowed).into()),
                    }
                }
            }
        },
        syn::parse_quote! {
            impl ::std::cmp::PartialEq<str> for #name {
                fn eq(&self, other: &str) -> bool {
                    self.as_str() == other
                }
            }
        },
        syn::parse_quote! {
            impl ::std::cmp::PartialEq<&str> for #name {
                fn eq(&self, other: &&str) -> bool {
                    self.as_str() == *other
                }
            }
        },
        syn::parse_quote! {
            impl #optional<#name> for #name {
                fn into_optional(self) -> ::std::result::Result<::std::option::Option<#name>, ::std::string::String> {
                    Ok(Some(self))
                }
            }
        },
        syn::parse_quote! {
            impl #optional<#name> for &str {
                fn into_optional(self) -> ::std::result::Result<::std::option::Option<#name>, ::std::string::String> {
                    self.parse().map(Some).map_err(|err: self::error::ConversionError| err.to_string())
                }
            }
        },
        syn::parse_quote! {
            impl #optional<#name> for ::std::string::String {
                fn into_optional(self) -> ::std::result::Result<::std::option::Option<#name>, ::std::string::String> {
                    self.parse().map(Some).map_err(|err: self::error::ConversionError| err.to_string())
                }
            }
        },
    ];
    Vec::from(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened(source: &str) -> String {
        let mut file: syn::File = syn::parse_str(source).expect("test source parses");
        apply(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn adds_the_fallback_variant_and_rewrites_display_and_from_str() {
        let out = opened(
            r#"
            pub mod types {
                ///A role.
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, PartialEq)]
                pub enum Role {
                    #[serde(rename = "admin")]
                    Admin,
                    Unknown,
                }
                impl ::std::fmt::Display for Role {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { match *self { Self::Admin => f.write_str("admin"), Self::Unknown => f.write_str("Unknown") } }
                }
                impl ::std::str::FromStr for Role {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> { Err("invalid value".into()) }
                }
                impl ::std::convert::TryFrom<&str> for Role {
                    type Error = self::error::ConversionError;
                    fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> { value.parse() }
                }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(untagged)]
                pub enum Either { A(i64), B(String) }
            }
            "#,
        );
        assert!(
            out.contains("#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Eq, PartialEq)]"),
            "{out}"
        );
        // A variant named `Unknown` already exists, so the fallback takes the next name.
        assert!(out.contains("#[serde(untagged)]\n        UnknownValue(::std::string::String),"), "{out}");
        assert!(out.contains("Self::Admin => \"admin\","), "{out}");
        assert!(out.contains("Self::UnknownValue(value) => value.as_str(),"), "{out}");
        assert!(out.contains("f.write_str(self.as_str())"), "{out}");
        assert!(out.contains("\"Unknown\" => Ok(Self::Unknown),"), "{out}");
        assert!(
            out.contains(
                r#""invalid value {value:?} for `Role`: expected one of {}",
                            "\"admin\", \"Unknown\""
"#
            ),
            "{out}"
        );
        assert!(!out.contains("match *self") && !out.contains("\"invalid value\""), "typify's impls are gone: {out}");
        assert!(out.contains("impl ::std::convert::TryFrom<&str> for Role"), "other impls stay: {out}");
        assert_eq!(out.matches("(::std::string::String)").count(), 1, "the untagged enum is left alone: {out}");
        assert!(out.contains("///A role.\n    ///\n    ///A value this client does not know"), "{out}");
    }
}
