//! Running progenitor: its settings, catching its panics, and naming the operation it fails on.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::{Map, Value};

use crate::client_paths::{FILE_PART, RUNTIME};
use crate::error::skip_entry;
use crate::openapi::{self, child};
use crate::spec::request_bodies::FILE_PART_EXTENSION;

fn settings(spec: &openapiv3::OpenAPI) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    // The component standing for a multipart file part (see `spec::request_bodies`) is the
    // client crate's type, not one of typify's.
    if let Some(name) = spec.extensions.get(FILE_PART_EXTENSION).and_then(Value::as_str) {
        settings.with_replacement(name, FILE_PART, std::iter::empty());
    }
    let runtime: TokenStream = RUNTIME.parse().unwrap_or_default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        .with_inner_type(runtime)
        .with_hooks(HooksMode::Expected)
        // A map's entries in key order, not a hash's: a `ValidationError`'s `fields` print,
        // compare and serialize the same on every run.
        .with_map_type("::std::collections::BTreeMap");
    settings
}

thread_local! {
    /// Set while progenitor runs on this thread, so its panics are reported as errors, not printed.
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Runs progenitor, turning an error or a panic into its message.
pub(crate) fn run(spec: &openapiv3::OpenAPI) -> Result<TokenStream, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET_PANICS.with(|quiet| quiet.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| Generator::new(&settings(spec)).generate_tokens(spec)));
    QUIET_PANICS.with(|quiet| quiet.set(false));
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(err)) => Err(err.to_string()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(format!("progenitor panicked: {message}"))
        }
    }
}

/// What progenitor fails on, found without regenerating the whole document per operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Culprit {
    /// `#/components/schemas/Flag/properties/on` or `POST /things (listThings)`.
    pub location: String,
    /// What to do about it.
    pub advice: String,
}

/// The longest schema text quoted in a message.
const MAX_QUOTED: usize = 160;

/// Finds the smallest part of `doc` that progenitor rejects on its own: a component schema
/// (and in it the property, item or member that fails), else an operation (and in it the
/// inline schema that fails).
///
/// Each probe is a small document: the part under test and only the components it refers to,
/// so the search costs about one generation of the whole document, not one per operation.
pub(crate) fn locate_failure(doc: &Value, vendor: &str) -> Option<Culprit> {
    let schemas = doc.pointer("/components/schemas").and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        let pointer = child("/components/schemas", name);
        if schema_fails(doc, schema) {
            return Some(schema_culprit(doc, &pointer, schema));
        }
    }
    for operation in openapi::operations(doc) {
        if !operation_fails(doc, &operation) {
            continue;
        }
        let label = format!("{} ({})", operation.label(), operation.id().unwrap_or("no operationId"));
        // An inline schema of the operation that fails on its own is the construct to name.
        let mut inline = Vec::new();
        inline_schemas(operation.operation, operation.pointer(), &mut inline);
        for (pointer, schema) in inline {
            if schema_fails(doc, schema) {
                let found = schema_culprit(doc, &pointer, schema);
                return Some(Culprit {
                    location: format!("{label}: {}", found.location),
                    advice: format!("{}{}", found.advice, skip_entry(vendor, &operation.label())),
                });
            }
        }
        return Some(Culprit {
            location: label,
            advice: format!("change this operation with a fix{}", skip_entry(vendor, &operation.label())),
        });
    }
    None
}

/// The deepest part of a failing schema (at `pointer`) that still fails on its own, and its
/// pointer.
pub(crate) fn deepest_failing<'a>(doc: &Value, pointer: &str, schema: &'a Value) -> (String, &'a Value) {
    let (mut pointer, mut schema) = (pointer.to_string(), schema);
    'descend: loop {
        for (child_pointer, part, probe) in parts(schema, &pointer) {
            if schema_fails(doc, &probe) {
                pointer = child_pointer;
                schema = part;
                continue 'descend;
            }
        }
        break;
    }
    (pointer, schema)
}

/// Whether progenitor rejects `operation` as the one operation of a document (with the
/// components it refers to).
pub(crate) fn operation_fails(doc: &Value, operation: &openapi::Operation<'_>) -> bool {
    let mut item = Map::new();
    item.insert(operation.method.to_string(), operation.operation.clone());
    if let Some(params) = operation.item.get("parameters") {
        item.insert("parameters".into(), params.clone());
    }
    let mut paths = Map::new();
    paths.insert(operation.path.to_string(), Value::Object(item));
    let paths = Value::Object(paths);
    fails(&probe(doc, paths.clone(), &paths))
}

/// The culprit inside a failing schema: the deepest part that still fails on its own.
fn schema_culprit(doc: &Value, pointer: &str, schema: &Value) -> Culprit {
    let (pointer, schema) = deepest_failing(doc, pointer, schema);
    let quoted = quote(schema);
    Culprit {
        location: format!("#{pointer} (`{quoted}`)"),
        advice: "correct this schema with a fix in specs/fixes/<vendor>.overlay.yaml".into(),
    }
}

/// `schema` as JSON on one line, cut at [`MAX_QUOTED`] characters.
pub(crate) fn quote(schema: &Value) -> String {
    let quoted = schema.to_string();
    if quoted.chars().count() > MAX_QUOTED {
        format!("{}…", quoted.chars().take(MAX_QUOTED).collect::<String>())
    } else {
        quoted
    }
}

/// The sub-schemas of `schema` (properties, items, composition members), each with its
/// pointer and the schema to probe it with: a property or item inside an object or array of
/// its own, since some checks (a default's type) only apply there.
pub(crate) fn parts<'a>(schema: &'a Value, pointer: &str) -> Vec<(String, &'a Value, Value)> {
    let mut out = Vec::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        let at = format!("{pointer}/properties");
        let required = schema.get("required").and_then(Value::as_array);
        for (name, part) in properties {
            let mut probe = serde_json::json!({ "type": "object", "properties": { name.as_str(): part } });
            if required.is_some_and(|names| names.iter().any(|n| n == name)) {
                probe["required"] = serde_json::json!([name]);
            }
            out.push((child(&at, name), part, probe));
        }
    }
    if let Some(part) = schema.get("items").filter(|part| part.is_object()) {
        out.push((format!("{pointer}/items"), part, serde_json::json!({ "type": "array", "items": part })));
    }
    if let Some(part) = schema.get("additionalProperties").filter(|part| part.is_object()) {
        let probe = serde_json::json!({ "type": "object", "additionalProperties": part });
        out.push((format!("{pointer}/additionalProperties"), part, probe));
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (index, part) in schema.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            out.push((format!("{pointer}/{key}/{index}"), part, part.clone()));
        }
    }
    out
}

/// The inline schemas of an operation (`schema` keys, not `$ref`s), with their pointers.
pub(crate) fn inline_schemas<'a>(node: &'a Value, pointer: String, out: &mut Vec<(String, &'a Value)>) {
    match node {
        Value::Object(object) => {
            for (key, value) in object {
                let at = child(&pointer, key);
                if key == "schema" && value.get("$ref").is_none() {
                    out.push((at, value));
                } else if key != "example" && key != "examples" {
                    inline_schemas(value, at, out);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                inline_schemas(item, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Whether progenitor rejects `schema` as the one component of a document (with the
/// components it refers to).
pub(crate) fn schema_fails(doc: &Value, schema: &Value) -> bool {
    const PROBE: &str = "ProbedSchema";
    let mut probe = probe(doc, Value::Object(Map::new()), schema);
    probe["components"]["schemas"][PROBE] = schema.clone();
    fails(&probe)
}

/// A document with `paths` and only the components `root` refers to, directly or not.
pub(crate) fn probe(doc: &Value, paths: Value, root: &Value) -> Value {
    let mut components = Map::new();
    if let Some(schemes) = doc.pointer("/components/securitySchemes") {
        components.insert("securitySchemes".into(), schemes.clone());
    }
    let mut pending = Vec::new();
    references(root, &mut pending);
    let mut seen = std::collections::BTreeSet::new();
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let Ok(target) = openapi::target(doc, &reference) else { continue };
        references(target, &mut pending);
        let tokens = openapi::tokens(reference.trim_start_matches('#'));
        if let [first, section, name] = tokens.as_slice()
            && first == "components"
        {
            let entry = components.entry(section.clone()).or_insert_with(|| Value::Object(Map::new()));
            entry[name.as_str()] = target.clone();
        }
    }
    let mut out = Map::new();
    for key in ["openapi", "info", "servers", "security"] {
        if let Some(value) = doc.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    out.insert("paths".into(), paths);
    out.insert("components".into(), Value::Object(components));
    Value::Object(out)
}

/// Every `$ref` under `node`.
pub(crate) fn references(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                out.push(reference.clone());
            }
            for (key, value) in object {
                if key != "example" && key != "examples" {
                    references(value, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}

pub(crate) fn fails(doc: &Value) -> bool {
    match serde_json::from_value::<openapiv3::OpenAPI>(doc.clone()) {
        Ok(spec) => run(&spec).is_err(),
        Err(_) => true,
    }
}
