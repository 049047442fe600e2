//! The part of a whole upstream OpenAPI file that a vendored selection covers.
//!
//! A selection is the set of operations (method and path) in the vendored file; the subset
//! holds upstream's header (`openapi`, `info`, `servers`, `security`, the `tags` the selected
//! operations use, `externalDocs`), those operations, and every component they reference,
//! directly or through other components. Keys keep upstream's order, so the same upstream
//! file always gives the same subset, byte for byte.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use codegen::openapi::{self, child, is_method};

use super::compare::normalize_path;

/// The subset of `upstream` that covers the operations of `vendored`.
pub fn select(vendored: &Value, upstream: &Value) -> Value {
    let selection: BTreeSet<(String, &str)> =
        openapi::operations(vendored).map(|op| (normalize_path(op.path), op.method)).collect();

    let mut paths = Map::new();
    for (path, item) in upstream.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let key = normalize_path(path);
        let Some(item) = item.as_object() else { continue };
        // Keep the selected operations and what the path item says for all of them
        // (parameters, servers, summary); drop the operations we do not vendor.
        let kept: Map<String, Value> = item
            .iter()
            .filter(|(name, _)| {
                let method = name.as_str();
                !is_method(method) || selection.contains(&(key.clone(), method))
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if kept.keys().any(|name| is_method(name)) {
            paths.insert(path.clone(), Value::Object(kept));
        }
    }

    // Collect every `$ref` reachable from the selected paths, following references into
    // components until nothing new turns up.
    let mut referenced = BTreeSet::new();
    let mut pending: Vec<&Value> = paths.values().collect();
    let mut security_lists: Vec<&Value> = upstream.get("security").into_iter().collect();
    while let Some(value) = pending.pop() {
        walk_refs(value, &mut |reference| {
            if referenced.insert(reference.to_string())
                && let Some(target) = reference.strip_prefix('#').and_then(|p| upstream.pointer(p))
            {
                pending.push(target);
            }
        });
    }
    for item in paths.values() {
        for op in item.as_object().into_iter().flatten().map(|(_, op)| op) {
            security_lists.extend(op.get("security"));
        }
    }
    for list in security_lists {
        for requirement in list.as_array().into_iter().flatten() {
            for (name, _) in requirement.as_object().into_iter().flatten() {
                referenced.insert(format!("#{}", child("/components/securitySchemes", name)));
            }
        }
    }

    let mut components = Map::new();
    for (section, entries) in upstream.get("components").and_then(Value::as_object).into_iter().flatten() {
        let mut kept = Map::new();
        for (name, entry) in entries.as_object().into_iter().flatten() {
            let reference = format!("#{}", child(&child("/components", section), name));
            if referenced.contains(&reference) {
                kept.insert(name.clone(), entry.clone());
            }
        }
        if !kept.is_empty() {
            components.insert(section.clone(), Value::Object(kept));
        }
    }

    let used_tags: BTreeSet<&str> = paths
        .values()
        .flat_map(|item| item.as_object().into_iter().flatten())
        .flat_map(|(_, op)| op.get("tags").and_then(Value::as_array).into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    let tags: Vec<Value> = upstream
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|tag| tag.get("name").and_then(Value::as_str).is_some_and(|name| used_tags.contains(name)))
        .cloned()
        .collect();

    let mut out = Map::new();
    for key in ["openapi", "info", "servers", "security"] {
        if let Some(value) = upstream.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if !tags.is_empty() {
        out.insert("tags".into(), Value::Array(tags));
    }
    if let Some(value) = upstream.get("externalDocs") {
        out.insert("externalDocs".into(), value.clone());
    }
    out.insert("paths".into(), Value::Object(paths));
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    Value::Object(out)
}

/// Calls `found` with every `$ref` string inside `value`.
fn walk_refs<'v>(value: &'v Value, found: &mut impl FnMut(&'v str)) {
    match value {
        Value::Object(map) => {
            for (key, entry) in map {
                match (key.as_str(), entry) {
                    ("$ref", Value::String(reference)) => found(reference),
                    _ => walk_refs(entry, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| walk_refs(item, found)),
        _ => {}
    }
}

/// The subset as YAML, under the vendored file's leading comment block (our note of where the
/// file comes from, which upstream does not have).
pub fn to_yaml(subset: &Value, vendored_text: &str) -> anyhow::Result<String> {
    let yaml =
        serde_yaml_ng::to_string(subset).map_err(|err| anyhow::anyhow!("cannot write the subset as YAML: {err}"))?;
    let header: String =
        vendored_text.lines().take_while(|line| line.starts_with('#')).map(|line| format!("{line}\n")).collect();
    Ok(format!("{header}{yaml}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_selected_paths_and_what_they_reference() {
        let upstream: Value = serde_yaml_ng::from_str(
            r##"
openapi: 3.0.0
info: { title: W, version: "1" }
tags: [{ name: A }, { name: B }]
paths:
  /a/{id}:
    get: { tags: [A], responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/X" } } } } } }
    delete: { tags: [B], responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Z" } } } } } }
  /b:
    get: { tags: [B], responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Z" } } } } } }
components:
  schemas:
    Z: { type: string }
    Y: { type: integer }
    X: { type: object, properties: { y: { $ref: "#/components/schemas/Y" } } }
"##,
        )
        .expect("test YAML parses");
        let vendored: Value = serde_yaml_ng::from_str("paths:\n  /a/{other}: { get: {} }\n").expect("test YAML parses");
        let subset = select(&vendored, &upstream);
        let keys = |v: &Value| v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        assert_eq!(keys(&subset), ["openapi", "info", "tags", "paths", "components"]);
        assert_eq!(keys(&subset["paths"]), ["/a/{id}"]);
        assert_eq!(keys(&subset["paths"]["/a/{id}"]), ["get"]);
        assert_eq!(keys(&subset["components"]["schemas"]), ["Y", "X"]);
        assert_eq!(subset["tags"], serde_json::json!([{ "name": "A" }]));
    }
}
