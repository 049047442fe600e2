//! Externally tagged unions decode a value whose object has properties besides its tag.
//!
//! Typify makes a `oneOf` of objects that each require one property of their own
//! (`[{required: [git], properties: {git: ..}}, {required: [repository], ..}]`) an externally
//! tagged enum, `enum Source { Git(..), Repository(..) }`, whose derived `Deserialize` wants an
//! object of exactly one key. The document allows more (its members are not closed), and a
//! server that adds a property to that object would make the whole answer fail to decode. This
//! pass replaces the derived `Deserialize` with one that reads the object and decodes the
//! member of the first variant key it holds, leaving other keys aside; encoding is unchanged.
//!
//! After (the derive lists `Serialize` only):
//!
//! ```ignore
//! impl<'de> ::serde::Deserialize<'de> for Source {
//!     fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         let mut object = <::serde_json::Map<String, ::serde_json::Value>>::deserialize(deserializer)?;
//!         if let Some(value) = object.remove("git") { return from_value(value).map(Self::Git).map_err(..) }
//!         ..
//!         Err(custom("expected an object with one of the keys `git`, `repository`"))
//!     }
//! }
//! ```

use super::syntax::{SerdeAttrs, module_items};

/// Rewrites every externally tagged enum of newtype variants in the `types` module; returns
/// how many.
pub(crate) fn apply(file: &mut syn::File) -> usize {
    let Some(items) = module_items(&mut file.items, "types") else { return 0 };
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(def) = item else { continue };
        let Some(keys) = variant_keys(def) else { continue };
        if !drop_derived_deserialize(def) {
            continue;
        }
        impls.push(deserialize_impl(&def.ident, &keys));
    }
    let count = impls.len();
    items.extend(impls);
    count
}

/// `(JSON key, variant)` of an enum serde tags externally (no enum-level `serde` settings)
/// whose variants each hold one value; `None` for any other enum.
fn variant_keys(def: &syn::ItemEnum) -> Option<Vec<(String, syn::Ident)>> {
    if def.variants.is_empty() || def.attrs.iter().any(|attr| attr.path().is_ident("serde")) {
        return None;
    }
    def.variants
        .iter()
        .map(|variant| match &variant.fields {
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => Some((
                SerdeAttrs::of(&variant.attrs).rename.unwrap_or_else(|| variant.ident.to_string()),
                variant.ident.clone(),
            )),
            _ => None,
        })
        .collect()
}

/// Takes `Deserialize` out of the enum's derives; whether it was there.
fn drop_derived_deserialize(def: &mut syn::ItemEnum) -> bool {
    let mut found = false;
    for attr in def.attrs.iter_mut().filter(|attr| attr.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let is_deserialize = |path: &syn::Path| path.segments.last().is_some_and(|last| last.ident == "Deserialize");
        found |= paths.iter().any(is_deserialize);
        let kept = paths.into_iter().filter(|path| !is_deserialize(path));
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    found
}

fn deserialize_impl(name: &syn::Ident, keys: &[(String, syn::Ident)]) -> syn::Item {
    let (texts, variants): (Vec<&String>, Vec<&syn::Ident>) = keys.iter().map(|(text, ident)| (text, ident)).unzip();
    let expected = format!(
        "expected an object with one of the keys {}",
        texts.iter().map(|text| format!("`{text}`")).collect::<Vec<_>>().join(", ")
    );
    syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let mut object = <::serde_json::Map<::std::string::String, ::serde_json::Value> as ::serde::Deserialize>::deserialize(deserializer)?;
                #(
                    if let ::std::option::Option::Some(value) = object.remove(#texts) {
                        return ::serde_json::from_value(value)
                            .map(Self::#variants)
                            .map_err(<D::Error as ::serde::de::Error>::custom);
                    }
                )*
                ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(#expected))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_externally_tagged_enum_gets_a_deserialize_that_skips_other_keys() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub enum Source {
                    #[serde(rename = "git")]
                    Git(GitSource),
                    Repository(RepositorySource),
                }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(untagged)]
                pub enum Either { A(i64), B(String) }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum Kind { Small, Large }
            }
        };
        assert_eq!(apply(&mut file), 1, "only the externally tagged enum of newtype variants");
        let out = prettyplease::unparse(&file);
        assert!(out.contains("#[derive(::serde::Serialize, Clone, Debug)]\n    pub enum Source"), "{out}");
        assert!(out.contains("impl<'de> ::serde::Deserialize<'de> for Source"), "{out}");
        assert!(out.contains("object.remove(\"git\")") && out.contains("object.remove(\"Repository\")"), "{out}");
        assert!(!out.contains("for Either") && !out.contains("for Kind"), "{out}");
    }
}
