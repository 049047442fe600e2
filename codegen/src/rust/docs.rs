//! Documentation for every public item of the generated code, so that the client crate can
//! require docs on every public item: items the specification says nothing about (builder
//! methods, enum variants, properties without a description) get a line that says what they
//! are. The example in each operation method's docs is written by `doctests`, which runs first.
//!
//! Before: `pub struct Member { pub name: String }` (no docs). After:
//!
//! ```text
//! pub struct Member {
//!     /// The `name` property.
//!     pub name: String,
//! }
//! ```

use std::collections::HashMap;

use heck::ToSnakeCase;
use serde_json::Value;

use super::doctests;
use super::index::Index;
use super::syntax::{SerdeAttrs, add_doc, doc_string, return_type_name, type_name};

/// Documents every undocumented public item of `file`, and replaces the snippet in the docs of
/// each operation method with an example for `vendor` (the client crate's module, e.g.
/// `periskope`), built from the merged document `doc`; returns each operation method's call
/// (for `rust::mock_calls`).
pub(crate) fn apply(file: &mut syn::File, doc: &Value, vendor: &str, index: &Index) -> Vec<doctests::Call> {
    let calls = doctests::apply(file, doc, vendor, index);
    fill_missing_docs(file);
    calls
}

/// Gives each undocumented public item of the generated modules a doc line.
fn fill_missing_docs(file: &mut syn::File) {
    // What the operation methods' docs say about each builder setter ("- `page`: ...").
    let mut arguments: HashMap<String, HashMap<String, String>> = HashMap::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        for member in &imp.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            if let (Some(builder), Some(docs)) = (return_type_name(&method.sig), doc_string(&method.attrs)) {
                arguments.insert(builder, argument_docs(&docs));
            }
        }
    }
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else { continue };
        let Some((_, items)) = module.content.as_mut() else { continue };
        match module.ident.to_string().as_str() {
            "types" => document_types(items),
            "builder" => document_operation_builders(items, &arguments),
            _ => {}
        }
    }
}

/// `name` → description from an operation method's list of inputs: progenitor's
/// "- `page`: number of records", and `required_inputs`' "- `page` (`i64`): number of records".
/// A description of several lines goes on to the next entry, blank line, heading, code block
/// or list of optional inputs.
pub(crate) fn argument_docs(docs: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in docs.lines() {
        let entry = line.strip_prefix("- `").and_then(|rest| rest.split_once('`'));
        let ends = entry.is_some()
            || line.trim().is_empty()
            || ["```", "#", "Optional, set on"].iter().any(|start| line.starts_with(start));
        if ends && let Some((name, lines)) = current.take() {
            out.insert(name, lines.join("\n"));
        }
        match entry {
            Some((name, rest)) => {
                let rest = match rest.strip_prefix(" (") {
                    Some(typed) => typed.split_once("): ").map(|(_, description)| description),
                    None => rest.strip_prefix(": "),
                };
                current = rest.map(|description| (name.to_string(), vec![description.trim().to_string()]));
            }
            None => {
                if let Some((_, lines)) = current.as_mut() {
                    lines.push(line.trim().to_string());
                }
            }
        }
    }
    if let Some((name, lines)) = current {
        out.insert(name, lines.join("\n"));
    }
    out
}

/// The data types: fields, variants, `builder()`, and the builders in `types::builder`.
fn document_types(items: &mut [syn::Item]) {
    let mut field_docs: HashMap<(String, String), String> = HashMap::new();
    for item in items.iter_mut() {
        match item {
            syn::Item::Struct(def) => {
                let syn::Fields::Named(named) = &mut def.fields else { continue };
                for field in &mut named.named {
                    let Some(ident) = &field.ident else { continue };
                    let name = ident.to_string();
                    let json = SerdeAttrs::of(&field.attrs)
                        .rename
                        .unwrap_or_else(|| name.trim_start_matches("r#").to_string());
                    match doc_string(&field.attrs) {
                        Some(docs) => {
                            field_docs.insert((def.ident.to_string(), name), docs);
                        }
                        None => add_doc(&mut field.attrs, &format!("The `{json}` property.")),
                    }
                }
            }
            syn::Item::Enum(def) => {
                for variant in &mut def.variants {
                    let json = SerdeAttrs::of(&variant.attrs).rename.unwrap_or_else(|| variant.ident.to_string());
                    add_doc(&mut variant.attrs, &format!("`{json}`"));
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(name) = type_name(&imp.self_ty) else { continue };
                for member in &mut imp.items {
                    if let syn::ImplItem::Fn(method) = member
                        && method.sig.ident == "builder"
                    {
                        add_doc(
                            &mut method.attrs,
                            &format!(
                                "A builder for [`{name}`]: set its fields, then pass it to a setter that takes this \
                                 type, or convert it with `try_into()`."
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    for item in items.iter_mut() {
        let syn::Item::Mod(module) = item else { continue };
        let Some((_, builders)) = module.content.as_mut().filter(|_| module.ident == "builder") else { continue };
        let built = built_types(builders);
        for builder in builders {
            match builder {
                syn::Item::Struct(def) => {
                    let Some(name) = built.get(&def.ident.to_string()) else { continue };
                    add_doc(
                        &mut def.attrs,
                        &format!(
                            "A builder for [`{name}`](super::{name}), from [`{name}::builder`](super::{name}::builder)."
                        ),
                    );
                }
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    let Some(name) = type_name(&imp.self_ty).and_then(|builder| built.get(&builder)) else {
                        continue;
                    };
                    for member in &mut imp.items {
                        let syn::ImplItem::Fn(method) = member else { continue };
                        let field = method.sig.ident.to_string();
                        let text = match field_docs.get(&(name.clone(), field.clone())) {
                            Some(docs) => format!("Sets `{field}`: {}", first_line(docs)),
                            None => format!("Sets `{field}`."),
                        };
                        add_doc(&mut method.attrs, &text);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The type each builder in `types::builder` builds, by the builder's name, from its
/// `impl TryFrom<InviteMembersBodyBuilder> for super::InviteMembersBody`.
fn built_types(builders: &[syn::Item]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for item in builders {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((path, _)) = &imp.trait_ else { continue };
        let Some(last) = path.segments.last().filter(|last| last.ident == "TryFrom") else { continue };
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else { continue };
        let Some(syn::GenericArgument::Type(from)) = args.args.first() else { continue };
        if let (Some(builder), Some(built)) = (type_name(from), type_name(&imp.self_ty)) {
            out.insert(builder, built);
        }
    }
    out
}

/// The operation builders' `new`, parameter setters and `body_map`.
fn document_operation_builders(items: &mut [syn::Item], arguments: &HashMap<String, HashMap<String, String>>) {
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(name) = type_name(&imp.self_ty) else { continue };
        let described = arguments.get(&name);
        let operation = name.to_snake_case();
        for member in &mut imp.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            let setter = method.sig.ident.to_string();
            let text = match setter.as_str() {
                "new" => {
                    format!("Starts the request; [`Client::{operation}`](super::Client::{operation}) does the same.")
                }
                "body_map" => "Changes the request body's builder with `f`.".to_string(),
                "body" => match described.and_then(|docs| docs.get("body")) {
                    Some(description) => {
                        format!("Sets the request body ({description}): the body type or its builder.")
                    }
                    None => "Sets the request body: the body type or its builder.".to_string(),
                },
                _ => match described.and_then(|docs| docs.get(&setter)) {
                    Some(description) => format!("Sets `{setter}`: {description}"),
                    None => format!("Sets `{setter}`."),
                },
            };
            add_doc(&mut method.attrs, &text);
        }
    }
}

fn first_line(docs: &str) -> &str {
    docs.trim().lines().next().unwrap_or_default()
}
