//! Three-state fields: absent, `null`, or a value.
//!
//! For a property that is `nullable` and not `required`, `null` and leaving the field out can
//! mean different things (Periskope: `labels: null` clears access, a missing `labels` leaves
//! it alone). Typify gives such a property a plain `Option`, which cannot send `null`. This
//! step rewrites those fields, and their builder setters, to `crate::Nullable<T>`, which the
//! client crate defines: `Absent` (left out), `Null`, or `Value(T)`.

use std::collections::HashMap;

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::syntax::{SerdeAttrs, module_items};
use crate::client_paths::{self, NULLABLE, NULLABLE_IS_ABSENT};
use crate::openapi;

/// A nullable, non-required property: the generated struct and the property's JSON name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    pub type_name: String,
    pub property: String,
}

/// Every nullable, non-required property of a component schema or a request body schema.
fn targets(doc: &Value) -> Vec<Target> {
    let mut out = Vec::new();
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            collect(&name.to_upper_camel_case(), schema, &mut out);
        }
    }
    for operation in openapi::operations(doc) {
        let Some(id) = operation.id() else { continue };
        let Some(content) = operation.operation.pointer("/requestBody/content").and_then(Value::as_object) else {
            continue;
        };
        for media in content.values() {
            if let Some(schema) = media.get("schema") {
                collect(&format!("{id}-body").to_upper_camel_case(), schema, &mut out);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn collect(type_name: &str, schema: &Value, out: &mut Vec<Target>) {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else { return };
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for (property, property_schema) in properties {
        let nullable = property_schema.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        if nullable && !required.contains(&property.as_str()) {
            out.push(Target { type_name: type_name.to_string(), property: property.clone() });
        }
    }
}

/// Rewrites the nullable, optional properties of `doc` in the generated `types` module;
/// returns a note for each one it could not find.
///
/// The `next_page` of a page that progenitor's pagination reads (`x-dropshot-pagination`)
/// stays an `Option`, with a note: the generated `stream()` passes it on as the next
/// request's `page_token`.
pub(crate) fn apply(file: &mut syn::File, doc: &Value) -> Vec<String> {
    let pages = pages(doc);
    let (kept, targets): (Vec<Target>, Vec<Target>) = targets(doc).into_iter().partition(|t| pages.contains(t));
    let kept = kept.into_iter().map(|page| {
        format!(
            "`{}.{}` stays an `Option`: the paginated operations' `stream()` reads it",
            page.type_name, page.property
        )
    });
    let missing = rewrite(file, &targets).into_iter().map(|missing| {
        format!(
            "`{}.{}` is nullable and optional, but it is not a field of a named schema or request body, so it \
             stays an `Option` and `null` cannot be sent; move it into a component schema with a fix",
            missing.type_name, missing.property
        )
    });
    kept.chain(missing).collect()
}

/// The `next_page` field of every component schema a paginated operation (dropshot's
/// `x-dropshot-pagination`, which progenitor turns into a `stream()`) answers with.
fn pages(doc: &Value) -> Vec<Target> {
    let mut out = Vec::new();
    for operation in openapi::operations(doc) {
        if operation.operation.get("x-dropshot-pagination").is_none() {
            continue;
        }
        let responses = operation.operation.get("responses").and_then(Value::as_object).into_iter().flatten();
        for (_, response) in responses.filter(|(status, _)| status.starts_with('2')) {
            let response = openapi::resolve_or_self(doc, response);
            let content = response.get("content").and_then(Value::as_object).into_iter().flatten();
            for reference in content.filter_map(|(_, media)| media.pointer("/schema/$ref").and_then(Value::as_str)) {
                if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                    let type_name = openapi::unescape(name).to_upper_camel_case();
                    out.push(Target { type_name, property: "next_page".into() });
                }
            }
        }
    }
    out
}

/// Rewrites the targeted fields in the generated `types` module; returns the targets it
/// could not find, so they can be reported.
///
/// The structs and the builder items are indexed by name once, so the cost grows with the
/// number of targets plus the number of items, not with their product.
fn rewrite(file: &mut syn::File, targets: &[Target]) -> Vec<Target> {
    let Some(types) = module_items(&mut file.items, "types") else { return targets.to_vec() };
    // The first struct of each name, as a search from the top would find it.
    let mut structs: HashMap<String, usize> = HashMap::new();
    for (index, item) in types.iter().enumerate() {
        if let syn::Item::Struct(s) = item {
            structs.entry(s.ident.to_string()).or_insert(index);
        }
    }
    let builder_index = types.iter().position(|item| is_module(item, "builder"));
    let builder_by_name = builder_index
        .and_then(|index| module_items(std::slice::from_mut(&mut types[index]), "builder"))
        .map(|items| builder_items_by_name(items))
        .unwrap_or_default();

    let mut missing = Vec::new();
    // The fields made `Nullable`, by type: their `Default`s are rewritten in one walk after.
    let mut defaulted: HashMap<String, Vec<syn::Ident>> = HashMap::new();
    for target in targets {
        // Typify wraps a nullable object schema `X` as `X(Option<XInner>)`.
        let inner = Target { type_name: format!("{}Inner", target.type_name), property: target.property.clone() };
        let found = [target, &inner].into_iter().find_map(|candidate| {
            let index = *structs.get(&candidate.type_name)?;
            let syn::Item::Struct(strukt) = &mut types[index] else { return None };
            rewrite_struct_field(strukt, candidate).map(|ident| (candidate, ident))
        });
        let Some((found, field_ident)) = found else {
            missing.push(target.clone());
            continue;
        };
        if let Some(index) = builder_index
            && let Some(builder) = module_items(std::slice::from_mut(&mut types[index]), "builder")
        {
            let items = builder_by_name.get(&found.type_name).map(Vec::as_slice).unwrap_or_default();
            rewrite_builder(builder, items, &found.type_name, &field_ident);
        }
        defaulted.entry(found.type_name.clone()).or_default().push(field_ident);
    }
    if let Some(index) = builder_index
        && let Some(builder) = module_items(std::slice::from_mut(&mut types[index]), "builder")
    {
        defaults_as_nullable(builder, &defaulted);
    }
    defaults_as_nullable(types, &defaulted);
    missing
}

fn is_module(item: &syn::Item, name: &str) -> bool {
    matches!(item, syn::Item::Mod(module) if module.ident == name && module.content.is_some())
}

/// The builder module's structs and inherent impls by type name, each list in item order.
fn builder_items_by_name(items: &[syn::Item]) -> HashMap<String, Vec<usize>> {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        let name = match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Impl(imp) if imp.trait_.is_none() => match imp.self_ty.as_ref() {
                syn::Type::Path(p) => p.path.get_ident().map(ToString::to_string),
                _ => None,
            },
            _ => None,
        };
        if let Some(name) = name {
            by_name.entry(name).or_default().push(index);
        }
    }
    by_name
}

/// Finds the field of `strukt` (the struct named by `target`) for `target`'s property, makes
/// it a `Nullable`, and returns its identifier.
fn rewrite_struct_field(strukt: &mut syn::ItemStruct, target: &Target) -> Option<syn::Ident> {
    let syn::Fields::Named(fields) = &mut strukt.fields else { return None };
    let field = fields.named.iter_mut().find(|field| json_name(field).as_deref() == Some(target.property.as_str()))?;
    if !to_nullable(&mut field.ty) {
        return None;
    }
    let rename = serde_rename(field);
    field.attrs.retain(|attr| !attr.path().is_ident("serde"));
    let attr: syn::Attribute = match rename {
        Some(rename) => syn::parse_quote! {
            #[serde(rename = #rename, default, skip_serializing_if = #NULLABLE_IS_ABSENT)]
        },
        None => syn::parse_quote! {
            #[serde(default, skip_serializing_if = #NULLABLE_IS_ABSENT)]
        },
    };
    field.attrs.push(attr);
    field.ident.clone()
}

/// The builder's field holds `Result<Option<T>, String>` and its setter takes
/// `T: TryInto<Option<T>>`; both become `Nullable`. `indices` are the builder items named
/// `type_name` (see `builder_items_by_name`).
fn rewrite_builder(items: &mut [syn::Item], indices: &[usize], type_name: &str, field_ident: &syn::Ident) {
    for &index in indices {
        let Some(item) = items.get_mut(index) else { continue };
        match item {
            syn::Item::Struct(s) if s.ident == type_name => {
                if let syn::Fields::Named(fields) = &mut s.fields
                    && let Some(field) = fields.named.iter_mut().find(|f| f.ident.as_ref() == Some(field_ident))
                    && let Some(inner) = first_generic_arg(&mut field.ty)
                {
                    to_nullable(inner);
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() && type_path_is(&imp.self_ty, type_name) => {
                for member in &mut imp.items {
                    let syn::ImplItem::Fn(function) = member else { continue };
                    if function.sig.ident != *field_ident {
                        continue;
                    }
                    let Some(where_clause) = &mut function.sig.generics.where_clause else { continue };
                    for predicate in &mut where_clause.predicates {
                        let syn::WherePredicate::Type(predicate) = predicate else { continue };
                        for bound in &mut predicate.bounds {
                            if let syn::TypeParamBound::Trait(bound) = bound
                                && let Some(last) = bound.path.segments.last_mut()
                                && last.ident == "TryInto"
                                && let syn::PathArguments::AngleBracketed(args) = &mut last.arguments
                                && let Some(syn::GenericArgument::Type(ty)) = args.args.first_mut()
                            {
                                to_nullable(ty);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// In `impl Default for <type>` among `items`, each of `fields[type]`'s default value (typify's
/// `defaults::<fn>()`, an `Option`) becomes a `Nullable` (`Nullable::from`, `Value` or
/// `Absent`), as the field now is.
fn defaults_as_nullable(items: &mut [syn::Item], fields: &HashMap<String, Vec<syn::Ident>>) {
    struct Wrap<'a>(&'a [syn::Ident]);
    impl syn::visit_mut::VisitMut for Wrap<'_> {
        fn visit_field_value_mut(&mut self, value: &mut syn::FieldValue) {
            if !matches!(&value.member, syn::Member::Named(name) if self.0.contains(name)) {
                return;
            }
            let nullable = client_paths::parse(NULLABLE);
            let wrap = |expr: &mut syn::Expr| {
                if let syn::Expr::Call(call) = expr
                    && let syn::Expr::Path(function) = call.func.as_ref()
                    && function.path.segments.iter().any(|segment| segment.ident == "defaults")
                {
                    *expr = syn::parse_quote!(#nullable::from(#call));
                }
            };
            match &mut value.expr {
                // A builder's field: `Ok(defaults::x())`.
                syn::Expr::Call(call) if matches!(call.func.as_ref(), syn::Expr::Path(path) if path.path.is_ident("Ok")) =>
                {
                    call.args.iter_mut().for_each(wrap);
                }
                expr => wrap(expr),
            }
        }
    }
    for item in items.iter_mut() {
        if let syn::Item::Impl(imp) = item
            && imp
                .trait_
                .as_ref()
                .is_some_and(|(path, _)| path.segments.last().is_some_and(|last| last.ident == "Default"))
            && let syn::Type::Path(path) = imp.self_ty.as_ref()
            && let Some(fields) = path.path.get_ident().and_then(|name| fields.get(&name.to_string()))
        {
            syn::visit_mut::VisitMut::visit_item_impl_mut(&mut Wrap(fields), imp);
        }
    }
}

fn type_path_is(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident(name))
}

/// `Option<T>` (any path ending in `Option`) becomes `crate::Nullable<T>`.
fn to_nullable(ty: &mut syn::Type) -> bool {
    let syn::Type::Path(path) = ty else { return false };
    let Some(last) = path.path.segments.last() else { return false };
    if last.ident != "Option" {
        return false;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return false };
    let Some(syn::GenericArgument::Type(inner)) = args.args.first() else { return false };
    let nullable = client_paths::parse(NULLABLE);
    *ty = syn::parse_quote!(#nullable<#inner>);
    true
}

fn first_generic_arg(ty: &mut syn::Type) -> Option<&mut syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &mut path.path.segments.last_mut()?.arguments else { return None };
    match args.args.first_mut()? {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    }
}

/// The JSON name of a field: its serde `rename`, or its identifier.
pub(crate) fn json_name(field: &syn::Field) -> Option<String> {
    serde_rename(field)
        .or_else(|| field.ident.as_ref().map(|ident| ident.to_string().trim_start_matches("r#").to_string()))
}

fn serde_rename(field: &syn::Field) -> Option<String> {
    SerdeAttrs::of(&field.attrs).rename
}
