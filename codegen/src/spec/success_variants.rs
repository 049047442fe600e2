//! Several success bodies in one operation: one typed value per status.
//!
//! Progenitor gives each operation one success type and panics on two (`200` with one body and
//! `201` with another, or a body next to a body-less `204`). This pass keeps every documented
//! body: each inline JSON body becomes a component (`<OperationId>Response<status>`), the
//! statuses and their bodies are recorded on the operation as `x-success-variants`, and every
//! success response is shown to progenitor as one raw body. The Rust pass
//! `rust::success_variants` then gives the operation an enum with one variant per status
//! (`Status200(types::CreateThingResponse200)`, `Status204`) and decodes each status into its
//! own variant, so the caller gets a typed value and the status says which one it is.
//!
//! Before:
//!
//! ```yaml
//! responses:
//!   "200": {content: {application/json: {schema: {properties: {ok: {type: boolean}}}}}}
//!   "201": {content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
//!   "204": {description: nothing}
//! ```
//!
//! After:
//!
//! ```yaml
//! responses:
//!   "200": {content: {application/octet-stream: {}}}
//!   "201": {content: {application/octet-stream: {}}}
//!   "204": {content: {application/octet-stream: {}}}
//! x-success-variants:
//!   - {status: "200", body: json, schema: CreateThingResponse200}
//!   - {status: "201", body: json, schema: Thing}
//!   - {status: "204", body: none}
//! components: {schemas: {CreateThingResponse200: {properties: {ok: {type: boolean}}}}}
//! ```

use serde_json::{Map, Value, json};

use super::OpRef;
use crate::Error;
use crate::names::free_component;
use crate::openapi::{self, Merged, child, is_json};

/// The extension this pass writes on an operation, and `rust::success_variants` reads.
pub(crate) const EXTENSION: &str = "x-success-variants";

/// Runs the pass over every operation; returns one note per operation it reshapes.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    let operations: Vec<(String, OpRef)> = openapi::operations(&merged.value)
        .map(|operation| (operation.pointer(), OpRef::new(merged, &operation)))
        .collect();
    let mut notes = Vec::new();
    for (pointer, op) in operations {
        let doc = &merged.value;
        let Some(responses) = doc.pointer(&format!("{pointer}/responses")).and_then(Value::as_object) else {
            continue;
        };
        let mut success: Vec<(String, Value)> = Vec::new();
        for (status, response) in responses {
            if status.starts_with('2') {
                success.push((status.clone(), op.resolve(doc, response)?));
            }
        }
        let bodies: Vec<Body> = success.iter().map(|(_, response)| Body::of(response)).collect();
        let distinct = bodies.iter().enumerate().filter(|(index, body)| !bodies[..*index].contains(body)).count();
        if distinct < 2 {
            continue;
        }
        let mut variants = Vec::new();
        let mut listed = Vec::new();
        for ((status, response), body) in success.iter().zip(bodies) {
            let variant = match body {
                Body::None => json!({ "status": status, "body": "none" }),
                Body::Raw => json!({ "status": status, "body": "raw" }),
                Body::Json(schema) => {
                    let name = match schema.get("$ref").and_then(Value::as_str) {
                        Some(reference) => match reference.strip_prefix("#/components/schemas/") {
                            Some(name) if !name.contains('/') => openapi::unescape(name),
                            _ => component_for(&mut merged.value, &op, status, schema.clone()),
                        },
                        None => component_for(&mut merged.value, &op, status, schema.clone()),
                    };
                    json!({ "status": status, "body": "json", "schema": name })
                }
            };
            listed.push(format!("{status}: {}", describe(&variant)));
            variants.push(variant);
            let mut shown = response.clone();
            shown["content"] = json!({ "application/octet-stream": {} });
            if let Some(slot) = merged.value.pointer_mut(&child(&format!("{pointer}/responses"), status)) {
                *slot = shown;
            }
        }
        if let Some(operation) = merged.value.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            operation.insert(EXTENSION.into(), Value::Array(variants));
        }
        notes.push(format!(
            "{} ({}): the success responses have different bodies ({}); `send()` returns one enum with a \
             variant per status",
            op.label,
            op.id,
            listed.join(", ")
        ));
    }
    Ok(notes)
}

/// What one success response carries.
#[derive(PartialEq)]
enum Body {
    None,
    Raw,
    Json(Value),
}

impl Body {
    fn of(response: &Value) -> Body {
        let Some(content) = response.get("content").and_then(Value::as_object).filter(|c| !c.is_empty()) else {
            return Body::None;
        };
        match content.iter().find(|(media, _)| is_json(media)) {
            Some((_, media)) => Body::Json(media.get("schema").cloned().unwrap_or(Value::Object(Map::new()))),
            None => Body::Raw,
        }
    }
}

fn describe(variant: &Value) -> String {
    match variant["body"].as_str() {
        Some("json") => format!("`{}`", variant["schema"].as_str().unwrap_or_default()),
        Some("raw") => "a non-JSON body".into(),
        _ => "no body".into(),
    }
}

/// Stores an inline success schema as the component `<OperationId>Response<status>`.
fn component_for(doc: &mut Value, op: &OpRef, status: &str, schema: Value) -> String {
    let base = format!("{}Response{}", super::error_bodies::pascal(&op.id), status.to_ascii_lowercase());
    let name = free_component(doc, &[base]);
    if !doc["components"].is_object() {
        doc["components"] = json!({});
    }
    if !doc["components"]["schemas"].is_object() {
        doc["components"]["schemas"] = json!({});
    }
    doc["components"]["schemas"][name.as_str()] = schema;
    name
}
