//! The derives of every generated type checked against its final field types.
//!
//! Typify chooses each type's derives from its schema; the passes after it change field types
//! (`Nullable<T>`, an open enum's `Unknown(String)`, a schema degraded to `serde_json::Value`).
//! A derived `Eq`, `Hash`, `Ord` or `PartialOrd` whose field type does not implement the trait
//! does not compile. This pass, last, drops such a derive, with a note, and does so again for
//! every type holding one that lost it, until nothing changes.
//!
//! Before: `#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)] pub struct Range {
//! pub low: f64 }`. After: `#[derive(Clone, Debug, PartialEq, PartialOrd)] pub struct Range { pub low: f64 }`.

use std::collections::{BTreeMap, BTreeSet};

use super::syntax::{Paths, module_items};

/// The derives this pass checks.
const CHECKED: [&str; 4] = ["Eq", "Hash", "Ord", "PartialOrd"];

/// The types (by last path segment) that lack a checked trait, whatever their arguments.
fn lacks(ty: &str, derive: &str) -> bool {
    match ty {
        "f64" | "f32" => derive != "PartialOrd",
        "Value" | "Map" => true,
        "Nullable" => matches!(derive, "Ord" | "PartialOrd"),
        _ => false,
    }
}

/// Drops the derives that the types' fields cannot carry; returns a note per type changed.
pub(crate) fn apply(file: &mut syn::File) -> Vec<String> {
    let Some(types) = module_items(&mut file.items, "types") else { return Vec::new() };
    // Each type's derives and the last segments of the types its fields name.
    let mut derives: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in types.iter() {
        let (ident, attrs, named) = match item {
            syn::Item::Struct(def) => {
                (&def.ident, &def.attrs, Paths::of(|paths| syn::visit::Visit::visit_fields(paths, &def.fields)))
            }
            syn::Item::Enum(def) => (
                &def.ident,
                &def.attrs,
                Paths::of(|paths| {
                    def.variants.iter().for_each(|variant| syn::visit::Visit::visit_fields(paths, &variant.fields))
                }),
            ),
            _ => continue,
        };
        derives.insert(
            ident.to_string(),
            derived(attrs).into_iter().filter(|name| CHECKED.contains(&name.as_str())).collect(),
        );
        fields.insert(ident.to_string(), named.last_segments());
    }
    let mut dropped: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    loop {
        let mut changed = false;
        for (name, names) in &fields {
            for derive in derives.get(name).cloned().unwrap_or_default() {
                // A generated type carries what it still derives; any other type is judged by
                // its name (`f64`, `serde_json::Value`, `crate::Nullable`).
                let unsupported = names.iter().any(|field| match derives.get(field) {
                    Some(has) => !has.contains(&derive),
                    None => lacks(field, &derive),
                });
                if unsupported {
                    derives.get_mut(name).map(|has| has.remove(&derive));
                    dropped.entry(name.clone()).or_default().insert(derive);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut notes = Vec::new();
    for item in types.iter_mut() {
        let (ident, attrs) = match item {
            syn::Item::Struct(def) => (def.ident.to_string(), &mut def.attrs),
            syn::Item::Enum(def) => (def.ident.to_string(), &mut def.attrs),
            _ => continue,
        };
        let Some(gone) = dropped.get(&ident) else { continue };
        for attr in attrs.iter_mut().filter(|attr| attr.path().is_ident("derive")) {
            let Ok(paths) =
                attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            let kept = paths
                .iter()
                .filter(|path| !path.segments.last().is_some_and(|last| gone.contains(&last.ident.to_string())));
            *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        }
        let list = gone.iter().map(|derive| format!("`{derive}`")).collect::<Vec<_>>().join(", ");
        notes.push(format!("`types::{ident}` does not derive {list}: a field's type does not implement it"));
    }
    notes
}

/// The last segments of the paths of `#[derive(..)]` attributes.
fn derived(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
        let paths = attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated);
        out.extend(paths.into_iter().flatten().filter_map(|path| Some(path.segments.last()?.ident.to_string())));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn drops_what_a_field_cannot_carry_and_what_follows_from_it() {
        let mut file: syn::File = syn::parse_str(
            "pub mod types {
                #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
                pub struct Range { pub low: f64 }
                #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
                pub enum Bound { Range(Range), Open }
                #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
                pub struct Name { pub text: ::std::string::String }
            }",
        )
        .expect("test source parses");
        let notes = super::apply(&mut file);
        let out = prettyplease::unparse(&file);
        assert!(out.contains("#[derive(Clone, Debug, PartialEq, PartialOrd)]\n    pub struct Range"), "{out}");
        assert!(out.contains("#[derive(Clone, Debug, PartialEq, PartialOrd)]\n    pub enum Bound"), "{out}");
        assert!(
            out.contains("#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]\n    pub struct Name"),
            "{out}"
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
    }
}
