//! A body that breaks a rule its schema states is refused before it is sent: `minProperties`
//! and `maxProperties` of an object (for example "at least one of `labels` and `orgPhones`",
//! written `minProperties: 2` next to one required property), which typify does not check.
//!
//! The check sits in the builder's conversion into the type (`TryFrom<XBuilder> for X`), so a
//! request with such a body fails in `send()` with `Error::InvalidRequest` naming the operation,
//! and nothing is sent. A property counts when it is sent: set, or set to `null`.
//!
//! Before (in `types::builder`):
//!
//! ```ignore
//! fn try_from(value: UpdateBuilder) -> Result<Self, ConversionError> {
//!     Ok(Self { emails: value.emails?, labels: value.labels?, org_phones: value.org_phones? })
//! }
//! ```
//!
//! After:
//!
//! ```ignore
//! fn try_from(value: UpdateBuilder) -> Result<Self, ConversionError> {
//!     let value = Self { emails: value.emails?, labels: value.labels?, org_phones: value.org_phones? };
//!     let sent = serde_json::to_value(&value).ok().and_then(|v| v.as_object().map(|o| o.len())).unwrap_or(0);
//!     if sent < 2 { return Err("`Update` needs at least 2 properties (..)".into()); }
//!     Ok(value)
//! }
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use super::syntax::{module_items, type_name};
use crate::names;
use crate::openapi;

/// The property-count rule of one generated type.
struct Rule {
    min: Option<u64>,
    max: Option<u64>,
    /// What to set, for the message: its optional properties.
    optional: Vec<String>,
}

/// Adds the checks; returns a note per type checked.
pub(crate) fn apply(file: &mut syn::File, doc: &Value) -> Vec<String> {
    let rules = rules(doc);
    if rules.is_empty() {
        return Vec::new();
    }
    let mut notes = Vec::new();
    let Some(types) = module_items(&mut file.items, "types") else { return notes };
    let Some(builders) = module_items(types, "builder") else { return notes };
    for item in builders.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let is_try_from = imp
            .trait_
            .as_ref()
            .is_some_and(|(path, _)| path.segments.last().is_some_and(|last| last.ident == "TryFrom"));
        let Some(name) = type_name(&imp.self_ty).filter(|_| is_try_from) else { continue };
        let Some(rule) = rules.get(&name) else { continue };
        for member in &mut imp.items {
            let syn::ImplItem::Fn(function) = member else { continue };
            let Some(syn::Stmt::Expr(syn::Expr::Call(ok), None)) = function.block.stmts.last() else { continue };
            let Some(value) = ok.args.first().cloned() else { continue };
            let mut checks: Vec<syn::Stmt> = Vec::new();
            let wanted = if rule.optional.is_empty() {
                String::new()
            } else {
                format!(
                    " (set {})",
                    rule.optional.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(" or ")
                )
            };
            if let Some(min) = rule.min {
                let message = format!("`{name}` needs at least {min} of its properties sent{wanted}, and has {{}}");
                checks.push(syn::parse_quote! {
                    if sent < #min as usize {
                        return Err(format!(#message, sent).into());
                    }
                });
            }
            if let Some(max) = rule.max {
                let message = format!("`{name}` takes at most {max} properties, and has {{}}");
                checks.push(syn::parse_quote! {
                    if sent > #max as usize {
                        return Err(format!(#message, sent).into());
                    }
                });
            }
            let last = function.block.stmts.len() - 1;
            function.block.stmts.truncate(last);
            function.block.stmts.push(syn::parse_quote!(let value = #value;));
            function.block.stmts.push(syn::parse_quote! {
                let sent = ::serde_json::to_value(&value).ok().and_then(|json| json.as_object().map(|object| object.len())).unwrap_or(0);
            });
            function.block.stmts.extend(checks);
            function.block.stmts.push(syn::Stmt::Expr(syn::parse_quote!(Ok(value)), None));
            notes.push(format!("`types::{name}`: its property count is checked before it is sent"));
        }
    }
    notes
}

/// The rules of the document's object schemas, by the Rust type typify makes of them: the
/// components, and the inline JSON request bodies (`<OperationId>Body`, or their title).
fn rules(doc: &Value) -> BTreeMap<String, Rule> {
    let mut out = BTreeMap::new();
    let mut add = |name: String, schema: &Value| {
        let (min, max) =
            (schema.get("minProperties").and_then(Value::as_u64), schema.get("maxProperties").and_then(Value::as_u64));
        if min.is_none() && max.is_none() {
            return;
        }
        let required: Vec<&str> =
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let optional = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, _)| name.clone())
            .filter(|name| !required.contains(&name.as_str()))
            .collect();
        out.insert(name, Rule { min, max, optional });
    };
    for (key, schema) in doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
        add(names::type_name(key), schema);
    }
    for operation in openapi::operations(doc) {
        let (Some(id), Some(schema)) =
            (operation.id(), operation.operation.pointer("/requestBody/content/application~1json/schema"))
        else {
            continue;
        };
        if schema.get("$ref").is_some() {
            continue;
        }
        let name = match schema.get("title").and_then(Value::as_str) {
            Some(title) => names::type_name(title),
            None => names::type_name(&format!("{id}-body")),
        };
        add(name, schema);
    }
    out
}
