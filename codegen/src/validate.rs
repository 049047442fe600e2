//! Checks progenitor relies on, made before calling it so that a bad document gives an error
//! naming the file and the operation instead of a panic, and the one rewrite that lets
//! progenitor accept operations whose error responses have different body schemas.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::Error;
use crate::merge::{METHODS, Merged, escape_pointer};

/// Where an operation lives, for messages: `"POST /members/invite"`, its id and its file.
struct OpRef<'a> {
    label: String,
    id: String,
    file: &'a str,
}

/// Validates `merged` and rewrites the error responses progenitor cannot represent.
///
/// Returns one note per rewrite, for the maintainer to see.
pub(crate) fn validate_and_rewrite(merged: &mut Merged) -> Result<Vec<String>, Error> {
    check_operation_ids(merged)?;
    check_references(merged, &merged.value, String::new())?;
    check_reference_cycles(merged)?;
    check_field_names(merged, &merged.value, String::new())?;
    let mut notes = Vec::new();
    let operations = operation_pointers(&merged.value);
    let mut merged_errors: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for (path, method) in operations {
        let label = format!("{} {path}", method.to_uppercase());
        let file = merged.origins.get(&label).map(String::as_str).unwrap_or("<unknown file>");
        let id = merged.value["paths"][&path][&method]["operationId"].as_str().unwrap_or_default().to_string();
        let op = OpRef { label, id, file };
        check_request_body(&merged.value, &path, &method, &op)?;
        check_path_parameters(&merged.value, &path, &method, &op)?;
        check_responses(&mut merged.value, &path, &method, &op, &mut merged_errors, &mut notes)?;
    }
    Ok(notes)
}

/// Every operation needs an `operationId`, unique across the vendor's documents.
fn check_operation_ids(merged: &Merged) -> Result<(), Error> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let Some(paths) = merged.value.get("paths").and_then(Value::as_object) else { return Ok(()) };
    for (path, item) in paths {
        if item.get("$ref").is_some() {
            return Err(Error::Unsupported {
                file: String::new(),
                operation: path.clone(),
                message: "a path item given as `$ref` is not supported; inline the path item".into(),
            });
        }
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let label = format!("{} {path}", method.to_uppercase());
            let file = merged.origins.get(&label).cloned().unwrap_or_default();
            match operation.get("operationId").and_then(Value::as_str) {
                None | Some("") => {
                    return Err(Error::Unsupported {
                        file,
                        operation: label,
                        message: "the operation has no `operationId`; every operation needs one to name its method"
                            .into(),
                    });
                }
                Some(id) => {
                    if let Some(first) = seen.insert(id.to_string(), format!("{label} in {file}")) {
                        return Err(Error::Unsupported {
                            file,
                            operation: label,
                            message: format!(
                                "operationId `{id}` is also used by {first}; operation ids must be unique"
                            ),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

fn operation_pointers(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if item.get(method).is_some() {
                    out.push((path.clone(), method.to_string()));
                }
            }
        }
    }
    out
}

/// Every `$ref` must point inside the document, at something that exists.
fn check_references(merged: &Merged, node: &Value, pointer: String) -> Result<(), Error> {
    match node {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                let target = reference.strip_prefix('#');
                let message = match target {
                    None => Some(format!(
                        "`$ref: {reference}` points outside the document; only local references are supported"
                    )),
                    Some(target) if merged.value.pointer(target).is_none() => {
                        Some(format!("`$ref: {reference}` points to nothing; define it or fix the reference"))
                    }
                    Some(_) => None,
                };
                if let Some(message) = message {
                    return Err(Error::Invalid {
                        file: merged.file_of(&pointer).to_string(),
                        location: String::new(),
                        message: format!("{message} (at #{pointer})"),
                    });
                }
            }
            for (key, child) in object {
                // Examples are data: a `$ref` key in one is not a reference.
                if key != "example" && key != "examples" {
                    check_references(merged, child, format!("{pointer}/{}", escape_pointer(key)))?;
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_references(merged, child, format!("{pointer}/{index}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Properties whose names become the same Rust field (`foo-bar`, `foo_bar`, `FooBar`) would
/// make a struct that does not compile.
fn check_field_names(merged: &Merged, node: &Value, pointer: String) -> Result<(), Error> {
    match node {
        Value::Object(object) => {
            if let Some(Value::Object(properties)) = object.get("properties") {
                let mut fields: BTreeMap<String, Vec<&str>> = BTreeMap::new();
                for name in properties.keys() {
                    fields.entry(heck::ToSnakeCase::to_snake_case(name.as_str())).or_default().push(name);
                }
                if let Some((field, names)) = fields.iter().find(|(_, names)| names.len() > 1) {
                    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                    return Err(Error::Invalid {
                        file: merged.file_of(&pointer).to_string(),
                        location: String::new(),
                        message: format!(
                            "properties {} all become the Rust field `{field}` (at #{pointer}/properties); rename or \
                             remove all but one with a fix",
                            names.join(", ")
                        ),
                    });
                }
            }
            for (key, child) in object {
                if key != "example" && key != "examples" {
                    check_field_names(merged, child, format!("{pointer}/{}", escape_pointer(key)))?;
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_field_names(merged, child, format!("{pointer}/{index}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Component schemas that are nothing but references to each other define no type.
fn check_reference_cycles(merged: &Merged) -> Result<(), Error> {
    let Some(schemas) = merged.value.pointer("/components/schemas").and_then(Value::as_object) else { return Ok(()) };
    for name in schemas.keys() {
        let mut seen = vec![name.clone()];
        let mut current = &schemas[name];
        while let Some(next) =
            current.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            let next = next.replace("~1", "/").replace("~0", "~");
            if seen.contains(&next) {
                seen.push(next);
                return Err(Error::Invalid {
                    file: merged.file_of(&format!("/components/schemas/{}", escape_pointer(name))).to_string(),
                    location: String::new(),
                    message: format!(
                        "schemas {} only refer to each other in a cycle and define no type; give one of them a definition",
                        seen.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" → ")
                    ),
                });
            }
            let Some(schema) = schemas.get(&next) else { break };
            seen.push(next);
            current = schema;
        }
    }
    Ok(())
}

/// Every `{name}` in the path template needs a declared path parameter, and every declared
/// path parameter a place in the template.
fn check_path_parameters(doc: &Value, path: &str, method: &str, op: &OpRef<'_>) -> Result<(), Error> {
    let item = &doc["paths"][path];
    let mut declared = Vec::new();
    for list in [&item["parameters"], &item[method]["parameters"]] {
        for parameter in list.as_array().into_iter().flatten() {
            let parameter = resolve(doc, parameter, op)?;
            if parameter.get("in").and_then(Value::as_str) == Some("path")
                && let Some(name) = parameter.get("name").and_then(Value::as_str)
            {
                declared.push(name.to_string());
            }
        }
    }
    let in_template: Vec<&str> =
        path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    let unsupported = |message: String| Error::Unsupported {
        file: op.file.to_string(),
        operation: format!("{} ({})", op.label, op.id),
        message,
    };
    if let Some(name) = in_template.iter().find(|name| !declared.iter().any(|d| d == *name)) {
        return Err(unsupported(format!(
            "the path has `{{{name}}}`, but no path parameter `{name}` is declared; declare it"
        )));
    }
    if let Some(name) = declared.iter().find(|name| !in_template.contains(&name.as_str())) {
        return Err(unsupported(format!(
            "path parameter `{name}` does not appear in the path; remove it or fix its name"
        )));
    }
    Ok(())
}

/// Progenitor handles one media type per request body.
fn check_request_body(doc: &Value, path: &str, method: &str, op: &OpRef<'_>) -> Result<(), Error> {
    let body = &doc["paths"][path][method]["requestBody"];
    let body = resolve(doc, body, op)?;
    let Some(content) = body.get("content").and_then(Value::as_object) else { return Ok(()) };
    if content.len() > 1 {
        let media: Vec<&str> = content.keys().map(String::as_str).collect();
        return Err(Error::Unsupported {
            file: op.file.to_string(),
            operation: format!("{} ({})", op.label, op.id),
            message: format!(
                "the request body offers {} media types ({}); the generator supports one: remove the others with a fix",
                media.len(),
                media.join(", ")
            ),
        });
    }
    Ok(())
}

/// What progenitor makes of one response body.
#[derive(Clone, PartialEq)]
enum Body {
    /// No content: `()`.
    None,
    /// A non-JSON media type: a byte stream.
    Raw,
    /// `application/json` with this schema.
    Json(Value),
}

impl Body {
    fn describe(&self) -> String {
        match self {
            Body::None => "no body".into(),
            Body::Raw => "a non-JSON body".into(),
            Body::Json(schema) => match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => format!("`{reference}`"),
                None => "an inline schema".into(),
            },
        }
    }
}

fn check_responses(
    doc: &mut Value,
    path: &str,
    method: &str,
    op: &OpRef<'_>,
    merged_errors: &mut BTreeMap<Vec<String>, String>,
    notes: &mut Vec<String>,
) -> Result<(), Error> {
    let responses = doc["paths"][path][method].get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut success: Vec<(String, Body)> = Vec::new();
    let mut errors: Vec<(String, Body)> = Vec::new();
    for (status, response) in &responses {
        let response = resolve(doc, response, op)?;
        let body = body_of(&response, status, op)?;
        let class = status.chars().next().unwrap_or('?');
        if status == "default" {
            success.push((status.clone(), body.clone()));
            errors.push((status.clone(), body));
        } else if class == '2' {
            success.push((status.clone(), body));
        } else if class == '4' || class == '5' {
            errors.push((status.clone(), body));
        }
    }
    // Progenitor ignores `default` for success when a `2XX` range is declared.
    if success.iter().any(|(s, _)| s.eq_ignore_ascii_case("2XX")) {
        success.retain(|(s, _)| s != "default");
    }

    if distinct(&success).len() > 1 {
        return Err(Error::Unsupported {
            file: op.file.to_string(),
            operation: format!("{} ({})", op.label, op.id),
            message: format!(
                "the success responses have different bodies ({}); the generator supports one success body type \
                 per operation: make them share one schema",
                listing(&success)
            ),
        });
    }

    let kinds = distinct(&errors);
    if kinds.len() > 1 {
        if kinds.iter().any(|b| !matches!(b, Body::Json(_))) {
            return Err(Error::Unsupported {
                file: op.file.to_string(),
                operation: format!("{} ({})", op.label, op.id),
                message: format!(
                    "the error responses mix bodies that cannot share one type ({}); give every error response \
                     a JSON body, or none",
                    listing(&errors)
                ),
            });
        }
        let name = merge_error_schemas(doc, &errors, op, merged_errors)?;
        let statuses: Vec<&str> = errors.iter().map(|(s, _)| s.as_str()).collect();
        notes.push(format!(
            "{} ({}): error responses {} have {} different schemas; they share the merged schema `{name}`",
            op.label,
            op.id,
            statuses.join(", "),
            kinds.len()
        ));
        let target = json!({ "$ref": format!("#/components/schemas/{name}") });
        for (status, _) in &errors {
            set_json_schema(doc, path, method, status, target.clone(), op)?;
        }
    } else if let Some(Body::Json(schema)) = kinds.first() {
        // Progenitor names every inline response schema `<OperationId>Response`; an inline
        // error schema would collide with an inline success schema, so it gets its own name.
        if schema.get("$ref").is_none() && !success.is_empty() {
            let name = unused_name(doc, &[format!("{}Error", pascal(&op.id)), format!("{}ErrorBody", pascal(&op.id))]);
            schemas_mut(doc).insert(name.clone(), schema.clone());
            let target = json!({ "$ref": format!("#/components/schemas/{name}") });
            for (status, _) in &errors {
                set_json_schema(doc, path, method, status, target.clone(), op)?;
            }
        }
    }
    Ok(())
}

fn distinct(bodies: &[(String, Body)]) -> Vec<Body> {
    let mut out: Vec<Body> = Vec::new();
    for (_, body) in bodies {
        if !out.contains(body) {
            out.push(body.clone());
        }
    }
    out
}

fn listing(bodies: &[(String, Body)]) -> String {
    bodies.iter().map(|(status, body)| format!("{status}: {}", body.describe())).collect::<Vec<_>>().join(", ")
}

/// Follows a `$ref` to `#/components/<section>/<name>`, repeatedly.
fn resolve(doc: &Value, value: &Value, op: &OpRef<'_>) -> Result<Value, Error> {
    let mut current = value.clone();
    for _ in 0..32 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else { return Ok(current) };
        let Some(pointer) = reference.strip_prefix('#') else {
            return Err(Error::Unsupported {
                file: op.file.to_string(),
                operation: format!("{} ({})", op.label, op.id),
                message: format!(
                    "`$ref: {reference}` points outside the document; only local references are supported"
                ),
            });
        };
        current = doc.pointer(pointer).cloned().ok_or_else(|| Error::Unsupported {
            file: op.file.to_string(),
            operation: format!("{} ({})", op.label, op.id),
            message: format!("`$ref: {reference}` points to nothing; define it or fix the reference"),
        })?;
    }
    Err(Error::Unsupported {
        file: op.file.to_string(),
        operation: format!("{} ({})", op.label, op.id),
        message: "a `$ref` chain does not end (a reference cycle)".into(),
    })
}

fn body_of(response: &Value, status: &str, op: &OpRef<'_>) -> Result<Body, Error> {
    let Some(content) = response.get("content").and_then(Value::as_object) else { return Ok(Body::None) };
    let json = content.iter().find(|(media, _)| *media == "application/json" || media.starts_with("application/json;"));
    match json {
        Some((_, media)) => match media.get("schema") {
            Some(schema) => Ok(Body::Json(schema.clone())),
            None => Err(Error::Unsupported {
                file: op.file.to_string(),
                operation: format!("{} ({})", op.label, op.id),
                message: format!("response {status} has `application/json` content without a `schema`; add one"),
            }),
        },
        None if content.is_empty() => Ok(Body::None),
        None => Ok(Body::Raw),
    }
}

/// Builds one object schema holding every property of the given error schemas.
///
/// A property is required in the merged schema only when every source schema requires it,
/// so any of the bodies deserializes into it; the status tells the caller which one came.
fn merge_error_schemas(
    doc: &mut Value,
    errors: &[(String, Body)],
    op: &OpRef<'_>,
    merged_errors: &mut BTreeMap<Vec<String>, String>,
) -> Result<String, Error> {
    let mut key: Vec<String> = Vec::new();
    let mut sources: Vec<(String, Value)> = Vec::new();
    for (status, body) in errors {
        let Body::Json(schema) = body else { continue };
        let schema_key = schema.to_string();
        if !key.contains(&schema_key) {
            key.push(schema_key);
            sources.push((status.clone(), resolve(doc, schema, op)?));
        }
    }
    key.sort();
    if let Some(name) = merged_errors.get(&key) {
        return Ok(name.clone());
    }

    let cannot = |why: String| Error::Unsupported {
        file: op.file.to_string(),
        operation: format!("{} ({})", op.label, op.id),
        message: format!(
            "the error responses have different body schemas ({}) and they cannot be merged into one type: {why}; \
             make the error responses share one schema",
            listing(errors)
        ),
    };
    let mut properties = Map::new();
    let mut required: Option<Vec<String>> = None;
    for (status, schema) in &sources {
        let is_object = schema.get("type").is_none_or(|t| t == "object");
        let composed = ["allOf", "oneOf", "anyOf"].iter().any(|k| schema.get(*k).is_some());
        if !is_object || composed || schema.get("properties").is_none() {
            return Err(cannot(format!("the {status} schema is not a plain object with properties")));
        }
        for (prop, prop_schema) in schema["properties"].as_object().into_iter().flatten() {
            match properties.get(prop) {
                Some(existing) if existing != prop_schema => {
                    return Err(cannot(format!("property `{prop}` has different schemas")));
                }
                Some(_) => {}
                None => {
                    properties.insert(prop.clone(), prop_schema.clone());
                }
            }
        }
        let this_required: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        required = Some(match required {
            None => this_required,
            Some(previous) => previous.into_iter().filter(|r| this_required.contains(r)).collect(),
        });
    }
    let names: Vec<String> = errors
        .iter()
        .map(|(status, body)| match body {
            Body::Json(schema) => match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => format!("{status}: `{}`", reference.rsplit('/').next().unwrap_or(reference)),
                None => format!("{status}: inline"),
            },
            other => format!("{status}: {}", other.describe()),
        })
        .collect();
    let mut merged = Map::new();
    merged.insert("type".into(), json!("object"));
    merged.insert(
        "description".into(),
        json!(format!(
            "The body of an error response. Merged by the generator from the declared error bodies \
             ({}); the response status tells which one the server sent.",
            names.join("; ")
        )),
    );
    let required = required.unwrap_or_default();
    if !required.is_empty() {
        merged.insert("required".into(), json!(required));
    }
    merged.insert("properties".into(), Value::Object(properties));

    let candidates = if merged_errors.is_empty() {
        vec!["ErrorResponse".to_string(), format!("{}Error", pascal(&op.id))]
    } else {
        vec![format!("{}Error", pascal(&op.id)), format!("{}ErrorResponse", pascal(&op.id))]
    };
    let name = unused_name(doc, &candidates);
    schemas_mut(doc).insert(name.clone(), Value::Object(merged));
    merged_errors.insert(key, name.clone());
    Ok(name)
}

/// Replaces the JSON schema of one response, inlining a `$ref`'d response first so the
/// shared component stays as written.
fn set_json_schema(
    doc: &mut Value,
    path: &str,
    method: &str,
    status: &str,
    schema: Value,
    op: &OpRef<'_>,
) -> Result<(), Error> {
    let pointer = format!("/paths/{}/{method}/responses/{}", escape_pointer(path), escape_pointer(status));
    let current = doc.pointer(&pointer).cloned().unwrap_or(Value::Null);
    let mut response = resolve(doc, &current, op)?;
    if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
        for (media, media_type) in content.iter_mut() {
            if media == "application/json" || media.starts_with("application/json;") {
                media_type["schema"] = schema.clone();
            }
        }
    }
    if let Some(slot) = doc.pointer_mut(&pointer) {
        *slot = response;
    }
    Ok(())
}

fn schemas_mut(doc: &mut Value) -> &mut Map<String, Value> {
    let components = &mut doc["components"];
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let schemas = &mut components["schemas"];
    if !schemas.is_object() {
        *schemas = Value::Object(Map::new());
    }
    match schemas {
        Value::Object(map) => map,
        _ => unreachable!("made an object above"),
    }
}

fn unused_name(doc: &Value, candidates: &[String]) -> String {
    let taken = |name: &str| doc.pointer(&format!("/components/schemas/{}", escape_pointer(name))).is_some();
    if let Some(free) = candidates.iter().find(|c| !taken(c)) {
        return free.clone();
    }
    let base = candidates.first().map(String::as_str).unwrap_or("Generated");
    (2..).map(|n| format!("{base}{n}")).find(|c| !taken(c)).unwrap_or_default()
}

/// `inviteMembers` → `InviteMembers`, `get-org_invites` → `GetOrgInvites`.
pub(crate) fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}
