//! Swagger 2 leftovers in an OpenAPI 3 document, read as what they meant.
//!
//! - Parameters `in: formData` (Swagger 2's form fields) become the properties of the
//!   operation's request body: `application/x-www-form-urlencoded`, or `multipart/form-data`
//!   when one of them is a `type: file` (a binary string part). A field's `type`, `format`,
//!   `items`, `enum`, `default` and `description` become its schema. An operation that has a
//!   request body already keeps it, and the fields are dropped.
//! - A parameter without `in` (common where parameters live in a file of their own) is a path
//!   parameter when the path has `{name}`, else a query parameter.
//!
//! Each change is a [`Repair`], so a strict vendor stops at it and any other gets a note.
//!
//! Before: `parameters: [{in: formData, name: file, type: file, required: true}]`.
//! After: `requestBody: {content: {multipart/form-data: {schema: {type: object, required:
//! [file], properties: {file: {type: string, format: binary}}}}}}`.

use serde_json::{Map, Value, json};

use super::pointer::child;
use super::tolerate::Repair;

/// The keywords of a Swagger 2 parameter that describe its value.
const SCHEMA_KEYWORDS: [&str; 12] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "description",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "collectionFormat",
];

/// Reads every operation's Swagger 2 parameters as OpenAPI 3.
pub(crate) fn parameters(doc: &mut Value) -> Vec<Repair> {
    let mut repairs = Vec::new();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return repairs };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        let item_pointer = child("/paths", path);
        if let Some(Value::Array(list)) = item.get_mut("parameters") {
            locate(list, path, &format!("{item_pointer}/parameters"), &mut repairs);
        }
        for (method, operation) in item.iter_mut().filter(|(key, _)| super::is_method(key)) {
            let Some(operation) = operation.as_object_mut() else { continue };
            let pointer = child(&item_pointer, method);
            if let Some(Value::Array(list)) = operation.get_mut("parameters") {
                locate(list, path, &format!("{pointer}/parameters"), &mut repairs);
            }
            form_body(operation, &pointer, &mut repairs);
        }
    }
    repairs
}

/// Gives every parameter of `list` without `in` the place its name has in `path`.
fn locate(list: &mut [Value], path: &str, pointer: &str, repairs: &mut Vec<Repair>) {
    for (index, parameter) in list.iter_mut().enumerate() {
        let Some(parameter) = parameter.as_object_mut() else { continue };
        if parameter.contains_key("in") || parameter.contains_key("$ref") {
            continue;
        }
        let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
        let place = if path.contains(&format!("{{{name}}}")) { "path" } else { "query" };
        let note = format!("the parameter `{name}` does not say where it goes (`in`); read as a {place} parameter");
        parameter.insert("in".into(), json!(place));
        if place == "path" {
            parameter.insert("required".into(), json!(true));
        }
        repairs.push(Repair { pointer: format!("{pointer}/{index}"), note });
    }
}

/// Moves the operation's `in: formData` parameters into a form request body.
fn form_body(operation: &mut Map<String, Value>, pointer: &str, repairs: &mut Vec<Repair>) {
    let Some(Value::Array(list)) = operation.get_mut("parameters") else { return };
    let is_form = |parameter: &Value| parameter.get("in").and_then(Value::as_str) == Some("formData");
    if !list.iter().any(is_form) {
        return;
    }
    let fields: Vec<Value> = list.iter().filter(|parameter| is_form(parameter)).cloned().collect();
    list.retain(|parameter| !is_form(parameter));
    let names: Vec<&str> = fields.iter().filter_map(|field| field.get("name").and_then(Value::as_str)).collect();
    let listed = names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
    if operation.contains_key("requestBody") {
        let note = format!("Swagger 2 form parameters ({listed}) next to a request body; dropped");
        repairs.push(Repair { pointer: format!("{pointer}/parameters"), note });
        return;
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut multipart = false;
    for field in &fields {
        let Some(name) = field.get("name").and_then(Value::as_str) else { continue };
        let mut schema: Map<String, Value> = SCHEMA_KEYWORDS
            .iter()
            .filter(|keyword| **keyword != "collectionFormat")
            .filter_map(|keyword| Some((keyword.to_string(), field.get(*keyword)?.clone())))
            .collect();
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            multipart = true;
            schema.insert("type".into(), json!("string"));
            schema.insert("format".into(), json!("binary"));
        }
        if !schema.contains_key("type") {
            schema.insert("type".into(), json!("string"));
        }
        if field.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(json!(name));
        }
        properties.insert(name.to_string(), Value::Object(schema));
    }
    let media = if multipart { "multipart/form-data" } else { "application/x-www-form-urlencoded" };
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = Value::Array(required.clone());
    }
    let mut body = json!({ "content": { media: { "schema": schema } } });
    if !required.is_empty() {
        body["required"] = json!(true);
    }
    operation.insert("requestBody".into(), body);
    let note = format!("Swagger 2 form parameters ({listed}) are read as a `{media}` request body");
    repairs.push(Repair { pointer: format!("{pointer}/requestBody"), note });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_parameters_become_a_body_and_parameters_find_their_place() {
        let mut doc = json!({ "paths": { "/files/{id}": { "post": { "parameters": [
            { "in": "formData", "name": "file", "type": "file", "required": true },
            { "in": "formData", "name": "note", "type": "string" },
            { "name": "id", "schema": { "type": "string" } },
            { "name": "q", "schema": { "type": "string" } },
        ] } } } });
        let repairs = parameters(&mut doc);
        assert_eq!(repairs.len(), 3, "{repairs:?}");
        let operation = &doc["paths"]["/files/{id}"]["post"];
        let schema = &operation["requestBody"]["content"]["multipart/form-data"]["schema"];
        assert_eq!(schema["properties"]["file"], json!({ "type": "string", "format": "binary" }));
        assert_eq!(schema["required"], json!(["file"]));
        assert_eq!(operation["parameters"][0]["in"], "path");
        assert_eq!(operation["parameters"][1]["in"], "query");
    }
}
