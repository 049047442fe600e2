//! Sample values from a document for the operation examples in the generated docs: each
//! parameter's documented value, the request body's example, and placeholders where the
//! document gives none.

use serde_json::{Map, Value};

use super::{Operation, child, resolve_or_self as resolve};

/// One parameter of an operation with the value its example uses.
pub(crate) struct Parameter {
    pub name: String,
    pub value: Value,
}

/// The parameters to set in the example: every required one, and optional ones for which
/// the specification gives an example, a default or enum values.
pub(crate) fn parameters(doc: &Value, operation: &Operation<'_>) -> Vec<Parameter> {
    let mut out = Vec::new();
    for parameter in operation.parameters() {
        let parameter = resolve(doc, parameter);
        let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
        let required = parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
        let schema = parameter.get("schema").map(|schema| resolve(doc, schema)).unwrap_or(&Value::Null);
        let documented = parameter
            .get("example")
            .or_else(|| schema.get("example"))
            .or_else(|| schema.get("default"))
            .or_else(|| schema.get("enum").and_then(|values| values.get(0)))
            .cloned();
        let value = match documented {
            Some(value) => value,
            None if required => placeholder(doc, schema, name),
            None => continue,
        };
        out.push(Parameter { name: name.to_string(), value });
    }
    out
}

/// The JSON request body of the example: the first named example, the media type's or the
/// schema's `example`, or one composed from the schema; required properties it lacks are added.
pub(crate) fn request_example(doc: &Value, operation: &Value) -> Option<Value> {
    let media = operation.pointer("/requestBody/content/application~1json")?;
    let schema = media.get("schema").map(|schema| resolve(doc, schema)).unwrap_or(&Value::Null);
    let named = media
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|examples| examples.values().next())
        .map(|example| resolve(doc, example))
        .and_then(|example| example.get("value"));
    let mut example = named
        .or_else(|| media.get("example"))
        .or_else(|| schema.get("example"))
        .cloned()
        .unwrap_or_else(|| placeholder(doc, schema, "body"));
    if let (Value::Object(object), Some(required)) = (&mut example, schema.get("required").and_then(Value::as_array)) {
        for name in required.iter().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                let property = schema.pointer(&child("/properties", name)).unwrap_or(&Value::Null);
                object.insert(name.to_string(), placeholder(doc, resolve(doc, property), name));
            }
        }
    }
    Some(example)
}

/// A value for `schema` where the specification gives no example: its `example`, default or
/// first enum value, its properties' examples, or a plain value of its type.
fn placeholder(doc: &Value, schema: &Value, name: &str) -> Value {
    let schema = resolve(doc, schema);
    if let Some(value) = ["example", "default"].iter().find_map(|key| schema.get(*key)) {
        return value.clone();
    }
    if let Some(first) = schema.get("enum").and_then(|values| values.get(0)) {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") | Some("number") => Value::from(1),
        Some("boolean") => Value::Bool(true),
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            Value::Array(vec![placeholder(doc, items, name)])
        }
        Some("object") | None if schema.get("properties").is_some() => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let properties = schema["properties"].as_object().into_iter().flatten();
            let shown = |(property, property_schema): &(&String, &Value)| {
                required.contains(&property.as_str()) || resolve(doc, property_schema).get("example").is_some()
            };
            // Required properties and those with examples; all of them when that is none.
            let mut chosen: Vec<(&String, &Value)> = properties.clone().filter(shown).collect();
            if chosen.is_empty() {
                chosen = properties.collect();
            }
            let object = chosen
                .into_iter()
                .map(|(property, property_schema)| (property.clone(), placeholder(doc, property_schema, property)))
                .collect();
            Value::Object(object)
        }
        Some("object") => Value::Object(Map::new()),
        _ => Value::String(match schema.get("format").and_then(Value::as_str) {
            Some("email") => "user@example.com".to_string(),
            Some("date-time") => "2025-01-01T00:00:00Z".to_string(),
            Some("date") => "2025-01-01".to_string(),
            _ if name.to_lowercase().ends_with("email") => "user@example.com".to_string(),
            _ => format!("<{name}>"),
        }),
    }
}
