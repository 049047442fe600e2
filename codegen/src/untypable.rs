//! Schemas and operations progenitor refuses or panics on, degraded at the smallest scope
//! instead of refusing the document. [`generate`](crate::generate) runs this only when
//! progenitor fails on the whole document, then runs progenitor again.
//!
//! Every bad schema is found in one pass: the component schemas are probed in halves (a
//! document with a half and only the components it refers to), and only a half that fails is
//! halved again, so the probes grow with the number of bad schemas; the bad ones are then
//! degraded components referred to before those that refer to them, so a schema fails for
//! itself and not for a neighbour already degraded. In a failing schema the deepest part that fails on its own (a property, an item,
//! a member) becomes `{}`, which typify types as `serde_json::Value`, and the schema is
//! probed again; its other parts stay typed. Then each operation that still fails is probed
//! the same way through its inline schemas, and one that fails with all of them degraded is
//! left out. The time grows with the number of schemas probed and degraded, never with a
//! regeneration per operation.
//!
//! Before (typify refuses a `default` that does not fit its schema):
//!
//! ```yaml
//! Settings: {type: object, properties: {name: {type: string}, level: {type: integer, format: uint8, default: 300}}}
//! ```
//!
//! After (and the note "degraded (schema): a.yaml: #/components/schemas/Settings/properties/level:
//! progenitor cannot type `{...}`; it is `serde_json::Value`"):
//!
//! ```yaml
//! Settings: {type: object, properties: {name: {type: string}, level: {}}}
//! ```

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::generator::{
    deepest_failing, fails, inline_schemas, operation_fails, probe, quote, references, schema_fails,
};
use crate::names::{Case, sanitize};
use crate::openapi::{self, Merged, child, escape, unescape};
use crate::{Degradation, DegradeKind};

/// The most parts of one schema or operation degraded before the whole of it is.
const MAX_PARTS: usize = 16;

/// Degrades what progenitor fails on; returns one degradation per schema or operation.
pub(crate) fn apply(merged: &mut Merged) -> Vec<Degradation> {
    let mut out = Vec::new();
    if components_fail(&merged.value) {
        let order = referents_first(&merged.value);
        let mut failing = Vec::new();
        bisect(&merged.value, &order, &mut failing);
        for name in failing {
            degrade_schema(merged, &child("/components/schemas", &name), None, &mut out);
        }
    }
    let operations: Vec<(String, String)> = openapi::operations(&merged.value)
        .map(|operation| (operation.path.to_string(), operation.method.to_string()))
        .collect();
    for (path, method) in operations {
        let Some(operation) = find(&merged.value, &path, &method) else { continue };
        if !operation_fails(&merged.value, &operation) {
            continue;
        }
        let label = operation.label();
        let id = operation.id().unwrap_or("no operationId").to_string();
        let pointer = operation.pointer();
        let mut inline = Vec::new();
        inline_schemas(operation.operation, pointer.clone(), &mut inline);
        let inline: Vec<String> = inline.into_iter().map(|(at, _)| at).collect();
        for at in inline {
            degrade_schema(merged, &at, Some(&label), &mut out);
        }
        if find(&merged.value, &path, &method).is_some_and(|operation| operation_fails(&merged.value, &operation)) {
            untype_operation(merged, &path, &method, &label, &id, &mut out);
        }
    }
    out
}

/// Rewrites an operation progenitor fails on even with its inline schemas degraded into the
/// smallest callable shape ([`minimal_operation`]), or, should even that fail, leaves it out;
/// one degradation either way.
fn untype_operation(merged: &mut Merged, path: &str, method: &str, label: &str, id: &str, out: &mut Vec<Degradation>) {
    let Some(operation) = find(&merged.value, path, method) else { return };
    let minimal = minimal_operation(&merged.value, &operation);
    let pointer = operation.pointer();
    let file = merged.file_of(&pointer).to_string();
    let original = merged.value.pointer(&pointer).cloned();
    if let Some(slot) = merged.value.pointer_mut(&pointer) {
        *slot = minimal;
    }
    let location = format!("{label} ({id})");
    if !find(&merged.value, path, method).is_some_and(|operation| operation_fails(&merged.value, &operation)) {
        out.push(Degradation {
            kind: DegradeKind::OperationUntyped,
            file,
            location,
            operation: Some(label.to_string()),
            note: "progenitor fails on this operation even with its schemas as `serde_json::Value`; its method \
                   takes its parameters as strings and its body and answer as any JSON value (other bodies as \
                   bytes)"
                .into(),
        });
        return;
    }
    if let (Some(slot), Some(original)) = (merged.value.pointer_mut(&pointer), original) {
        *slot = original;
    }
    if let Some(item) = merged.value.pointer_mut(&child("/paths", path)).and_then(Value::as_object_mut) {
        item.shift_remove(method);
    }
    out.push(Degradation {
        kind: DegradeKind::OperationLeftOut,
        file,
        location,
        operation: Some(label.to_string()),
        note: "progenitor fails on this operation even in its smallest callable shape (parameters as strings, \
               bodies untyped); left out"
            .into(),
    });
}

/// The smallest callable shape of `operation`: its path, query and header parameters (the
/// path item's too, as the operation sees them) as required-or-not strings, one per Rust name;
/// a JSON request body or answer as any JSON value; other bodies as the earlier passes left
/// them (raw bytes with their media type); its id, tags and docs.
fn minimal_operation(doc: &Value, operation: &openapi::Operation<'_>) -> Value {
    let mut out = Map::new();
    for key in ["operationId", "tags", "summary", "description", "deprecated"] {
        if let Some(value) = operation.operation.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if let Some(content_type) = operation.operation.get(crate::spec::media_types::CONTENT_TYPE_EXTENSION) {
        out.insert(crate::spec::media_types::CONTENT_TYPE_EXTENSION.into(), content_type.clone());
    }
    // The operation's own parameters override the path item's of the same name and place.
    let mut parameters: Vec<Value> = Vec::new();
    let mut rust_names: BTreeSet<(String, String)> = BTreeSet::new();
    let resolved: Vec<&Value> =
        operation.parameters().map(|parameter| openapi::resolve_or_self(doc, parameter)).collect();
    for (index, parameter) in resolved.iter().enumerate() {
        let (Some(name), Some(place)) =
            (parameter.get("name").and_then(Value::as_str), parameter.get("in").and_then(Value::as_str))
        else {
            continue;
        };
        let overridden = resolved[index + 1..].iter().any(|later| {
            later.get("name").and_then(Value::as_str) == Some(name)
                && later.get("in").and_then(Value::as_str) == Some(place)
        });
        if overridden || !["path", "query", "header"].contains(&place) {
            continue;
        }
        if !rust_names.insert((place.to_string(), sanitize(name, Case::Snake))) {
            continue;
        }
        let required = place == "path" || parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
        parameters.push(json!({ "name": name, "in": place, "required": required, "schema": { "type": "string" } }));
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    let untyped_content = |content: &Value| -> Map<String, Value> {
        // The first media type (the earlier passes made it the one that is sent).
        let mut media_types = Map::new();
        if let Some((media, body)) = content.as_object().and_then(|content| content.iter().next()) {
            let body = if openapi::is_json(media) { json!({ "schema": {} }) } else { body.clone() };
            media_types.insert(media.clone(), body);
        }
        media_types
    };
    if let Some(body) = operation.operation.get("requestBody").map(|body| openapi::resolve_or_self(doc, body)) {
        let mut minimal = json!({ "content": untyped_content(body.get("content").unwrap_or(&Value::Null)) });
        if body.get("required").and_then(Value::as_bool) == Some(true) {
            minimal["required"] = json!(true);
        }
        out.insert("requestBody".into(), minimal);
    }
    let mut responses = Map::new();
    for (status, response) in operation.operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let response = openapi::resolve_or_self(doc, response);
        let description = response.get("description").cloned().unwrap_or_else(|| json!(""));
        let mut minimal = json!({ "description": description });
        if let Some(content) =
            response.get("content").filter(|content| content.as_object().is_some_and(|c| !c.is_empty()))
        {
            minimal["content"] = Value::Object(untyped_content(content));
        }
        responses.insert(status.clone(), minimal);
    }
    out.insert("responses".into(), Value::Object(responses));
    Value::Object(out)
}

/// The operation at `path` and `method`.
fn find<'a>(doc: &'a Value, path: &str, method: &str) -> Option<openapi::Operation<'a>> {
    openapi::operations(doc).find(|operation| operation.path == path && operation.method == method)
}

/// Degrades the parts of the schema at `pointer` that fail, deepest first, until it passes.
fn degrade_schema(merged: &mut Merged, pointer: &str, operation: Option<&str>, out: &mut Vec<Degradation>) {
    for round in 0..=MAX_PARTS {
        let Some(schema) = merged.value.pointer(pointer) else { return };
        if !schema_fails(&merged.value, schema) {
            return;
        }
        // Past the limit the whole schema goes, so that nothing that fails is left.
        let (at, part) = if round == MAX_PARTS {
            (pointer.to_string(), schema)
        } else {
            deepest_failing(&merged.value, pointer, schema)
        };
        let quoted = quote(part);
        // A parameter is text on the wire: untyped, it is a string.
        let is_parameter = at.contains("/parameters/") && at.ends_with("/schema");
        let (stub, what) = if is_parameter {
            (json!({ "type": "string" }), "`String`")
        } else {
            (openapi::untyped(part), "`serde_json::Value`")
        };
        let file = merged.file_of(&at).to_string();
        let Some(node) = merged.value.pointer_mut(&at) else { return };
        *node = stub;
        out.push(Degradation {
            kind: DegradeKind::Schema,
            file,
            location: format!("#{at}"),
            operation: operation.map(str::to_string),
            note: format!("progenitor cannot type `{quoted}`; it is {what}"),
        });
        if at == pointer {
            return;
        }
    }
}

/// The components of `names` that fail with the components they refer to, found by halving:
/// a half that generates holds none, so the probes grow with the number of failing schemas
/// (times the logarithm of the number of components), not with the number of components.
/// A schema that fails only through one it refers to is found too; `degrade_schema` then
/// finds it passing once that one is degraded.
fn bisect(doc: &Value, names: &[String], out: &mut Vec<String>) {
    if names.is_empty() {
        return;
    }
    let roots: Vec<Value> =
        names.iter().map(|name| json!({ "$ref": format!("#/components/schemas/{}", escape(name)) })).collect();
    if !fails(&probe(doc, Value::Object(Map::new()), &Value::Array(roots))) {
        return;
    }
    if let [only] = names {
        out.push(only.clone());
        return;
    }
    let (first, second) = names.split_at(names.len() / 2);
    bisect(doc, first, out);
    bisect(doc, second, out);
}

/// Whether progenitor fails on the components alone (a document without paths).
fn components_fail(doc: &Value) -> bool {
    let mut probe = doc.clone();
    probe["paths"] = Value::Object(Map::new());
    fails(&probe)
}

/// The component schemas' names, each after the components it refers to (cycles in
/// document order).
fn referents_first(doc: &Value) -> Vec<String> {
    let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) else { return Vec::new() };
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    for name in schemas.keys() {
        visit(schemas, name, &mut seen, &mut order);
    }
    order
}

fn visit(schemas: &Map<String, Value>, name: &str, seen: &mut BTreeSet<String>, order: &mut Vec<String>) {
    if !seen.insert(name.to_string()) {
        return;
    }
    let Some(schema) = schemas.get(name) else { return };
    let mut refs = Vec::new();
    references(schema, &mut refs);
    for reference in refs {
        if let Some(target) = reference.strip_prefix("#/components/schemas/") {
            visit(schemas, &unescape(target), seen, order);
        }
    }
    order.push(name.to_string());
}

/// How many schemas `doc` has for typed coverage: its component schemas and the inline
/// schemas of its operations.
pub(crate) fn count_schemas(doc: &Value) -> usize {
    let components = doc.pointer("/components/schemas").and_then(Value::as_object).map_or(0, Map::len);
    let inline: usize = openapi::operations(doc)
        .map(|operation| {
            let mut found = Vec::new();
            inline_schemas(operation.operation, operation.pointer(), &mut found);
            found.len()
        })
        .sum();
    components + inline
}

/// Degrades each `allOf` of a component whose parts lead back, through `$ref`s, to that
/// component: typify merges an `allOf` by following its parts' references, and on such a cycle
/// it recurses until the stack overflows, which aborts the process (no panic to catch). Each
/// becomes `serde_json::Value`, one degradation each; run before progenitor sees the document.
pub(crate) fn recursive_merges(merged: &mut Merged) -> Vec<Degradation> {
    let Some(schemas) = merged.value.pointer("/components/schemas").and_then(Value::as_object) else {
        return Vec::new();
    };
    let component = |reference: &str| reference.strip_prefix("#/components/schemas/").map(unescape);
    let graph: std::collections::BTreeMap<String, BTreeSet<String>> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut refs = Vec::new();
            merged_references(schema, &mut refs, 0);
            (name.clone(), refs.iter().filter_map(|reference| component(reference)).collect())
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(graph.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut found: Vec<String> = Vec::new();
    for (name, schema) in schemas {
        let mut nodes = Vec::new();
        all_ofs(schema, child("/components/schemas", name), &mut nodes, 0);
        for (pointer, parts) in nodes {
            let mut refs = Vec::new();
            merged_references(parts, &mut refs, 0);
            if refs.iter().filter_map(|reference| component(reference)).any(|target| reaches(&target, name)) {
                found.push(pointer);
            }
        }
    }
    let mut out = Vec::new();
    // Inner nodes first, so that an outer pointer still leads to its node.
    found.sort_by_key(|pointer| std::cmp::Reverse(pointer.len()));
    for pointer in found {
        let file = merged.file_of(&pointer).to_string();
        let Some(node) = merged.value.pointer_mut(&pointer) else { continue };
        *node = openapi::untyped(node);
        out.push(Degradation {
            kind: DegradeKind::Schema,
            file,
            location: format!("#{pointer}"),
            operation: None,
            note: "an `allOf` whose parts lead back to the schema holding it, which typify cannot merge (it would \
                   recurse without end); it is `serde_json::Value`"
                .into(),
        });
    }
    out
}

/// The references typify follows when it merges `node`: its own `$ref` and those of its
/// `allOf`/`oneOf`/`anyOf` members, and of theirs (not those of its properties or items, which
/// a merge only reaches for a property both sides define).
fn merged_references(node: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    match node {
        Value::Array(items) => items.iter().for_each(|item| merged_references(item, out, depth + 1)),
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                out.push(reference.clone());
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                if let Some(members) = object.get(key) {
                    merged_references(members, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The `allOf` nodes in `node` (at `pointer`) that typify merges, each with its parts.
fn all_ofs<'a>(node: &'a Value, pointer: String, out: &mut Vec<(String, &'a Value)>, depth: usize) {
    if depth > 64 {
        return;
    }
    match node {
        Value::Object(object) => {
            // One part and only documentation beside it is no merge (`allOf: [$ref]` is the 3.0
            // way to write a nullable reference, recursive or not): typify merges two or more
            // parts, or one part with keywords of the schema beside it.
            let documentation = [
                "allOf",
                "nullable",
                "description",
                "title",
                "example",
                "examples",
                "default",
                "readOnly",
                "writeOnly",
                "deprecated",
            ];
            let merges = |parts: &&Value| {
                parts.as_array().is_some_and(|parts| parts.len() > 1)
                    || object.keys().any(|key| !documentation.contains(&key.as_str()) && !key.starts_with("x-"))
            };
            if let Some(parts) = object.get("allOf").filter(merges) {
                out.push((pointer.clone(), parts));
            }
            for (key, value) in object.iter().filter(|(key, _)| openapi::is_walked(key)) {
                all_ofs(value, child(&pointer, key), out, depth + 1);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                all_ofs(item, format!("{pointer}/{index}"), out, depth + 1);
            }
        }
        _ => {}
    }
}
