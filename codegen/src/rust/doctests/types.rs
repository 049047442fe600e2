//! What the examples need to know about the generated `types` module: each type's fields or
//! variants, its constructor's arguments, and which types parse from a string.

use std::collections::HashMap;

use super::super::syntax::{SerdeAttrs, type_name};
use super::argument_names;

/// What the generated `types` module defines, by type name.
pub(super) struct TypeIndex {
    pub(super) types: HashMap<String, TypeDef>,
    /// The required fields each struct's `builder(..)` takes, in order (`constructors`).
    pub(super) constructors: HashMap<String, Vec<syn::Ident>>,
    /// Every type the module defines (newtypes and unions too), each `Deserialize`.
    pub(super) names: std::collections::HashSet<String>,
    /// The types parsed from a string (`impl FromStr`, with `TryFrom<&str>` beside it): the
    /// newtypes of constrained strings, and the enums.
    pub(super) parsed: std::collections::HashSet<String>,
}

pub(super) enum TypeDef {
    /// A struct with named fields: `(JSON name, Rust field, type)` each.
    Struct(Vec<(String, syn::Ident, syn::Type)>),
    /// An enum of unit variants: `(JSON value, variant)` each.
    Enum(Vec<(String, syn::Ident)>),
}

impl TypeIndex {
    pub(super) fn new(file: &syn::File) -> Self {
        let mut types = HashMap::new();
        let mut constructors = HashMap::new();
        let (mut names, mut parsed) = (std::collections::HashSet::new(), std::collections::HashSet::new());
        let module = file.items.iter().find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
            _ => None,
        });
        for item in module.map(|(_, items)| items.as_slice()).unwrap_or_default() {
            match item {
                syn::Item::Struct(def) => names.insert(def.ident.to_string()),
                syn::Item::Enum(def) => names.insert(def.ident.to_string()),
                syn::Item::Impl(imp) => match (&imp.trait_, type_name(&imp.self_ty)) {
                    (Some((path, _)), Some(name)) if path.segments.last().is_some_and(|s| s.ident == "FromStr") => {
                        parsed.insert(name)
                    }
                    _ => false,
                },
                _ => false,
            };
            match item {
                syn::Item::Struct(def) => {
                    let syn::Fields::Named(named) = &def.fields else { continue };
                    let mut fields = Vec::new();
                    let mut flattened = false;
                    for field in &named.named {
                        let Some(ident) = field.ident.clone() else { continue };
                        let serde = SerdeAttrs::of(&field.attrs);
                        flattened |= serde.flatten;
                        let name =
                            serde.rename.unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_string());
                        fields.push((name, ident, field.ty.clone()));
                    }
                    if !flattened {
                        types.insert(def.ident.to_string(), TypeDef::Struct(fields));
                    }
                }
                syn::Item::Enum(def) => {
                    if SerdeAttrs::of(&def.attrs).untagged || def.variants.iter().any(|v| !v.fields.is_empty()) {
                        continue;
                    }
                    let variants = def
                        .variants
                        .iter()
                        .map(|variant| {
                            let name =
                                SerdeAttrs::of(&variant.attrs).rename.unwrap_or_else(|| variant.ident.to_string());
                            (name, variant.ident.clone())
                        })
                        .collect();
                    types.insert(def.ident.to_string(), TypeDef::Enum(variants));
                }
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    let Some(name) = type_name(&imp.self_ty) else { continue };
                    for member in &imp.items {
                        if let syn::ImplItem::Fn(builder) = member
                            && builder.sig.ident == "builder"
                        {
                            constructors.insert(name.clone(), argument_names(&builder.sig));
                        }
                    }
                }
                _ => {}
            }
        }
        TypeIndex { types, constructors, names, parsed }
    }

    /// `ty` as an example outside the `types` module writes it: each generated type it names
    /// bare behind `types::` (`Vec<Part>` → `Vec<types::Part>`).
    pub(super) fn qualified(&self, ty: &syn::Type) -> syn::Type {
        struct Qualify<'n>(&'n std::collections::HashSet<String>);
        impl syn::visit_mut::VisitMut for Qualify<'_> {
            fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
                syn::visit_mut::visit_type_path_mut(self, path);
                if let (None, None, Some(ident)) = (&path.qself, path.path.leading_colon, path.path.get_ident())
                    && self.0.contains(&ident.to_string())
                {
                    path.path = syn::parse_quote!(types::#ident);
                }
            }
        }
        let mut ty = ty.clone();
        syn::visit_mut::VisitMut::visit_type_mut(&mut Qualify(&self.names), &mut ty);
        ty
    }
}
