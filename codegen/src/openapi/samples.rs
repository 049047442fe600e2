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
        let documented = first_named_example(doc, parameter)
            .or_else(|| parameter.get("example"))
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
    let body = resolve(doc, operation.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    // The JSON media type (`application/json`, `…+json`, with parameters or not), else the
    // only one there is (a form, say): what the typed body setter sends.
    let json = content.iter().find(|(media, _)| {
        let essence = media.split(';').next().unwrap_or_default().trim();
        essence == "application/json" || essence.ends_with("+json")
    });
    let (_, media) = json.or_else(|| (content.len() == 1).then(|| content.iter().next()).flatten())?;
    let schema = media.get("schema").map(|schema| resolve(doc, schema)).unwrap_or(&Value::Null);
    let named = first_named_example(doc, media);
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

/// The value of the first of the named `examples` of a parameter or a media type.
fn first_named_example<'d>(doc: &'d Value, holder: &'d Value) -> Option<&'d Value> {
    let examples = holder.get("examples")?.as_object()?;
    resolve(doc, examples.values().next()?).get("value")
}

/// A value for `schema` where the specification gives no example: its `example`, default or
/// first enum value, its properties' examples, or a plain value of its type.
fn placeholder(doc: &Value, schema: &Value, name: &str) -> Value {
    sample(doc, schema, name, 0)
}

/// How deep a sample goes into nested and recursive schemas (a tree node's children, a union
/// that contains itself): deeper parts are left out.
const MAX_SAMPLE_DEPTH: usize = 12;

/// [`placeholder`] at `depth` levels of nesting.
fn sample(doc: &Value, schema: &Value, name: &str, depth: usize) -> Value {
    if depth > MAX_SAMPLE_DEPTH {
        return Value::Null;
    }
    let placeholder = |doc: &Value, schema: &Value, name: &str| sample(doc, schema, name, depth + 1);
    let schema = resolve(doc, schema);
    if let Some(value) = ["example", "default"].iter().find_map(|key| schema.get(*key)) {
        return value.clone();
    }
    if let Some(first) = schema.get("enum").and_then(|values| values.get(0)) {
        return first.clone();
    }
    // A union: its first member (with the discriminator's value for it), merged with what the
    // schema itself says; an intersection: every part merged.
    let first_member = ["oneOf", "anyOf"].iter().find_map(|key| schema.get(*key)?.as_array()?.first());
    let parts: Vec<&Value> = match (first_member, schema.get("allOf").and_then(Value::as_array)) {
        (Some(member), _) => vec![member],
        (None, Some(parts)) => parts.iter().collect(),
        (None, None) => Vec::new(),
    };
    if !parts.is_empty() {
        let mut own = schema.clone();
        if let Some(own) = own.as_object_mut() {
            for key in ["oneOf", "anyOf", "allOf", "discriminator"] {
                own.remove(key);
            }
        }
        let mut merged = if own.get("properties").is_some() { placeholder(doc, &own, name) } else { Value::Null };
        for part in parts {
            match (&mut merged, placeholder(doc, part, name)) {
                (Value::Object(into), Value::Object(from)) => into.extend(from),
                (into @ Value::Null, value) => *into = value,
                _ => {}
            }
        }
        if let (Value::Object(object), Some(discriminator)) = (&mut merged, schema.get("discriminator"))
            && let Some(property) = discriminator.get("propertyName").and_then(Value::as_str)
            && let Some(reference) = first_member.and_then(|member| member.get("$ref")).and_then(Value::as_str)
        {
            let mapped = discriminator.get("mapping").and_then(Value::as_object).and_then(|mapping| {
                mapping.iter().find(|(_, target)| target.as_str() == Some(reference)).map(|(key, _)| key.clone())
            });
            let value = mapped.unwrap_or_else(|| reference.rsplit('/').next().unwrap_or(reference).to_string());
            object.insert(property.to_string(), Value::String(value));
        }
        return merged;
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") | Some("number") => schema.get("minimum").cloned().unwrap_or_else(|| Value::from(1)),
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
            Some("uuid") => "00000000-0000-4000-8000-000000000000".to_string(),
            Some("uri" | "url") => "https://example.com/".to_string(),
            _ if name.to_lowercase().ends_with("email") => "user@example.com".to_string(),
            _ => format!("<{name}>"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_union_is_sampled_by_its_first_member_with_its_discriminator_value() {
        let doc = json!({ "components": { "schemas": {
            "Text": { "type": "object", "required": ["body"], "properties": { "body": { "type": "string" } } },
            "Image": { "type": "object", "required": ["url"], "properties": { "url": { "type": "string", "format": "uri" } } },
        } } });
        let schema = json!({
            "type": "object",
            "required": ["kind"],
            "properties": { "kind": { "type": "string" } },
            "oneOf": [{ "$ref": "#/components/schemas/Text" }, { "$ref": "#/components/schemas/Image" }],
            "discriminator": { "propertyName": "kind", "mapping": { "text": "#/components/schemas/Text" } },
        });
        assert_eq!(placeholder(&doc, &schema, "data"), json!({ "kind": "text", "body": "<body>" }));
        let tree = json!({ "components": { "schemas": {
            "Node": { "anyOf": [{ "$ref": "#/components/schemas/Node" }, { "type": "string" }] },
        } } });
        let node = json!({ "$ref": "#/components/schemas/Node" });
        assert_eq!(placeholder(&tree, &node, "node"), Value::Null, "a union that holds itself ends");
        let id = json!({ "type": "string", "format": "uuid" });
        assert_eq!(placeholder(&doc, &id, "id"), json!("00000000-0000-4000-8000-000000000000"));
    }
}
