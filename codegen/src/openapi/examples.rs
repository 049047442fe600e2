//! The examples of a document: what the example contract tests and lint check against the
//! schemas.

use serde_json::{Map, Value};

use super::{child, is_json, operations, resolve_or_self};

/// Which message of an operation an example shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    Request,
    /// A response, by status (`200`, `4XX`, `default`).
    Response(String),
}

/// One example found in a document.
#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub operation_id: String,
    pub role: Role,
    /// Where the example is: a JSON pointer into the merged document.
    pub pointer: String,
    /// The schema the example is for.
    pub schema: Value,
    /// The example's name (`Invite Members`), `example`, or `property examples`.
    pub name: String,
    pub value: Value,
}

/// Every request and response example of every operation: media type `example` and
/// `examples`, a body schema's own `example`, and an instance composed of the body schema's
/// property `example`s (so those are checked too).
pub(crate) fn collect_examples(doc: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    for operation in operations(doc) {
        let operation_id = operation.id().unwrap_or_default().to_string();
        let base = operation.pointer();
        let mut bodies = Vec::new();
        if let Some(body) = operation.operation.get("requestBody") {
            bodies.push((Role::Request, format!("{base}/requestBody"), body));
        }
        if let Some(responses) = operation.operation.get("responses").and_then(Value::as_object) {
            for (status, response) in responses {
                bodies.push((Role::Response(status.clone()), child(&format!("{base}/responses"), status), response));
            }
        }
        for (role, pointer, body) in bodies {
            let Some(content) = body.get("content").and_then(Value::as_object) else { continue };
            for (media, media_type) in content.iter().filter(|(media, _)| is_json(media)) {
                let media_pointer = child(&format!("{pointer}/content"), media);
                let schema = media_type.get("schema").cloned().unwrap_or(Value::Null);
                let mut push = |pointer: String, name: &str, value: Value| {
                    out.push(Example {
                        operation_id: operation_id.clone(),
                        role: role.clone(),
                        pointer,
                        schema: schema.clone(),
                        name: name.to_string(),
                        value,
                    });
                };
                if let Some(value) = media_type.get("example") {
                    push(format!("{media_pointer}/example"), "example", value.clone());
                }
                for (name, example) in media_type.get("examples").and_then(Value::as_object).into_iter().flatten() {
                    // A named example may be a `$ref` to `components/examples`.
                    if let Some(value) = resolve_or_self(doc, example).get("value") {
                        push(
                            format!("{}/value", child(&format!("{media_pointer}/examples"), name)),
                            name,
                            value.clone(),
                        );
                    }
                }
                let resolved = resolve_or_self(doc, &schema);
                if let Some(value) = resolved.get("example") {
                    push(format!("{media_pointer}/schema/example"), "schema example", value.clone());
                } else if let Some(value) = compose(doc, &schema, 0) {
                    push(format!("{media_pointer}/schema"), "property examples", value);
                }
            }
        }
    }
    out
}

/// An instance built from property `example`s; `None` when the schema has none at all.
fn compose(doc: &Value, schema: &Value, depth: usize) -> Option<Value> {
    if depth > 16 {
        return None;
    }
    let schema = resolve_or_self(doc, schema);
    if let Some(example) = schema.get("example") {
        return Some(example.clone());
    }
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        // An empty list is a valid instance when the items have no examples.
        let item = schema.get("items").and_then(|items| compose(doc, items, depth + 1));
        return Some(Value::Array(item.into_iter().collect()));
    }
    let properties = schema.get("properties").and_then(Value::as_object)?;
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let mut object = Map::new();
    let mut from_examples = false;
    for (name, property) in properties {
        match compose(doc, property, depth + 1) {
            Some(value) => {
                from_examples |= !value.as_array().is_some_and(Vec::is_empty);
                object.insert(name.clone(), value);
            }
            // Without a value for a required property the instance would be invalid.
            None if required.contains(&name.as_str()) => return None,
            None => {}
        }
    }
    from_examples.then_some(Value::Object(object))
}
