//! The document the mock serves (`Generated::mock_document`): the merged document as
//! progenitor reads it, with what the passes reshaped for progenitor given back as the API
//! speaks it (wire names, multipart bodies, success bodies, media types, query styles), what a
//! mock server cannot start on left out, and answers it can serve: the document's examples
//! brought in line with their schemas, and samples where it has none.

use serde_json::{Map, Value};

use crate::openapi::Merged;

/// The document the mock serves: `merged` as progenitor reads it, with the wire names of
/// `spec::rust_names` restored and `generated_by` as its first key (`x-generated-by`), as
/// pretty-printed JSON.
pub(crate) fn document(merged: &Merged, generated_by: &str) -> String {
    let mut value = merged.value.clone();
    super::wire_names::restore_json(&mut value, &merged.renamed);
    restore_multipart(&mut value);
    restore_success_variants(&mut value);
    restore_content_types(&mut value);
    restore_response_media(&mut value);
    restore_query_styles(&mut value);
    drop_structured_response_headers(&mut value);
    drop_outside_references(&mut value);
    drop_examples_with_dangling_references(&mut value);
    formats_a_mock_reads(&mut value);
    describe_required_names(&mut value);
    let mut mended = mend_examples(&mut value);
    let mut sampled = sample_answers(&mut value);
    // A sample of a property named `$ref` (a link object's) reads as a reference to a mock.
    drop_examples_with_dangling_references(&mut value);
    mended.retain(|pointer| value.pointer(pointer).is_some());
    sampled.retain(|pointer| value.pointer(pointer).is_some());
    let mut object = Map::new();
    object.insert("x-generated-by".into(), Value::from(generated_by));
    for (key, list) in [(MENDED_EXAMPLES, mended), (SAMPLED_EXAMPLES, sampled)] {
        if !list.is_empty() {
            object.insert(key.into(), Value::from(list));
        }
    }
    match value {
        Value::Object(rest) => object.extend(rest),
        other => return serde_json::to_string_pretty(&other).unwrap_or_default() + "\n",
    }
    serde_json::to_string_pretty(&Value::Object(object)).unwrap_or_default() + "\n"
}

/// Gives the success responses that `spec::success_variants` showed progenitor as raw bytes
/// their JSON bodies and body-less statuses back, so that the mock answers as the API does
/// (and as the client, asking for JSON, decodes each status).
fn restore_success_variants(doc: &mut Value) {
    for (pointer, variants) in marked(doc, crate::spec::success_variants::EXTENSION) {
        for variant in variants.as_array().into_iter().flatten() {
            let Some(status) = variant.get("status").and_then(Value::as_str) else { continue };
            let Some(response) = doc.pointer_mut(&format!("{pointer}/responses/{status}")) else { continue };
            match (variant.get("body").and_then(Value::as_str), variant.get("schema").and_then(Value::as_str)) {
                (Some("json"), Some(name)) => {
                    let schema = serde_json::json!({ "$ref": crate::openapi::child("#/components/schemas", name) });
                    response["content"] = serde_json::json!({ "application/json": { "schema": schema } });
                }
                (Some("none"), _) => {
                    if let Some(response) = response.as_object_mut() {
                        response.remove("content");
                    }
                }
                _ => {}
            }
        }
    }
}

/// Gives every request body that `spec::media_types` showed progenitor as JSON (a vendor JSON
/// type) or as raw bytes (a media type progenitor does not take) the media type the client
/// sends it with, so that the mock checks the request's `Content-Type` against the API's.
fn restore_content_types(doc: &mut Value) {
    for (pointer, media) in marked(doc, crate::spec::media_types::CONTENT_TYPE_EXTENSION) {
        let Some(media) = media.as_str().map(String::from) else { continue };
        let Some(content) = doc.pointer_mut(&format!("{pointer}/requestBody/content")).and_then(Value::as_object_mut)
        else {
            continue;
        };
        // A vendor JSON type stood in as `application/json`, a raw body as the only entry.
        let stand_in =
            if content.contains_key("application/json") { "application/json" } else { "application/octet-stream" };
        if let Some(entry) = content.shift_remove(stand_in) {
            content.insert(media, entry);
        }
    }
}

/// Gives every answer that `spec::media_types` showed progenitor as JSON its vendor JSON type
/// back (`application/vnd.api+json`), so that the mock answers a request that accepts only
/// that type (a declared `Accept` parameter) as the API does.
fn restore_response_media(doc: &mut Value) {
    let extension = crate::spec::media_types::RESPONSE_MEDIA_EXTENSION;
    let pointers: Vec<String> = crate::openapi::operations(doc).map(|operation| operation.pointer()).collect();
    for pointer in pointers {
        let Some(responses) = doc.pointer_mut(&format!("{pointer}/responses")).and_then(Value::as_object_mut) else {
            continue;
        };
        for response in responses.values_mut().filter_map(Value::as_object_mut) {
            let Some(Value::String(media)) = response.shift_remove(extension) else { continue };
            if let Some(Value::Object(content)) = response.get_mut("content") {
                *content = std::mem::take(content)
                    .into_iter()
                    .map(|(key, entry)| if key == "application/json" { (media.clone(), entry) } else { (key, entry) })
                    .collect();
            }
        }
    }
}

/// Removes the examples (an `example`, an entry of `examples`) whose values hold a `$ref` the
/// document does not resolve: a file beside it (Matrix writes events as `$ref`s to example
/// files) or a pointer to nothing (a JSON Schema quoted as an example, with its own
/// `#/definitions`). The generator takes an example's value as it is, but a mock server
/// resolves every `$ref` it finds and cannot start on one that points nowhere.
fn drop_examples_with_dangling_references(doc: &mut Value) {
    fn dangles(doc: &Value, value: &Value) -> bool {
        match value {
            Value::Object(object) => object.iter().any(|(key, value)| match (key.as_str(), value) {
                ("$ref", Value::String(target)) => crate::openapi::target(doc, target).is_err(),
                _ => dangles(doc, value),
            }),
            Value::Array(items) => items.iter().any(|item| dangles(doc, item)),
            _ => false,
        }
    }
    fn find(doc: &Value, value: &Value, at: &str, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    let here = crate::openapi::child(at, key);
                    if key == "example" && dangles(doc, child) {
                        out.push((at.to_string(), key.clone()));
                    } else if key == "examples" && child.is_object() {
                        for (name, example) in child.as_object().into_iter().flatten() {
                            if dangles(doc, example) {
                                out.push((here.clone(), name.clone()));
                            }
                        }
                    } else {
                        find(doc, child, &here, out);
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    find(doc, item, &crate::openapi::child(at, &index.to_string()), out);
                }
            }
            _ => {}
        }
    }
    // Again until none is left: an example of `components` removed leaves the references to
    // it dangling.
    loop {
        let mut found = Vec::new();
        find(doc, doc, "", &mut found);
        if found.is_empty() {
            break;
        }
        for (parent, key) in found {
            if let Some(Value::Object(object)) = doc.pointer_mut(&parent) {
                object.shift_remove(&key);
            }
        }
    }
}

/// Gives every query parameter that `spec::parameter_styles` showed progenitor as exploded form
/// its `style` and `explode` back (`x-codegen-style: FormUnexploded` → `style: form, explode:
/// false`), so that the mock reads the query as the client encodes it and the API expects it.
fn restore_query_styles(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(style)) = object.shift_remove(crate::spec::parameter_styles::STYLE_EXTENSION) {
                let (style, explode) = match style.as_str() {
                    "DeepObject" => ("deepObject", true),
                    "PipeDelimited" => ("pipeDelimited", false),
                    "SpaceDelimited" => ("spaceDelimited", false),
                    _ => ("form", false),
                };
                object.insert("style".into(), Value::from(style));
                object.insert("explode".into(), Value::from(explode));
            }
            object.values_mut().for_each(restore_query_styles);
        }
        Value::Array(items) => items.iter_mut().for_each(restore_query_styles),
        _ => {}
    }
}

/// Removes the answer headers whose value is an object or a list (`X-Pagination: {type:
/// object}`): Prism stops with a `TypeError` on the first answer it composes with one, leaving
/// every later call unanswered, and the client reads no answer header by its schema.
fn drop_structured_response_headers(doc: &mut Value) {
    let snapshot = doc.clone();
    let structured = |header: &Value| {
        let header = crate::openapi::resolve_or_self(&snapshot, header);
        let schema = header.get("schema").map(|schema| crate::openapi::resolve_or_self(&snapshot, schema));
        header.get("content").is_some()
            || schema.is_some_and(|schema| {
                matches!(schema.get("type").and_then(Value::as_str), Some("object" | "array"))
                    || schema.get("properties").is_some()
            })
    };
    let mut responses: Vec<String> = crate::openapi::operations(&snapshot)
        .flat_map(|operation| {
            let pointer = operation.pointer();
            let statuses = operation.operation.get("responses").and_then(Value::as_object).into_iter().flatten();
            statuses.map(move |(status, _)| crate::openapi::child(&format!("{pointer}/responses"), status))
        })
        .collect();
    let components = snapshot.pointer("/components/responses").and_then(Value::as_object).into_iter().flatten();
    responses.extend(components.map(|(name, _)| crate::openapi::child("/components/responses", name)));
    for pointer in responses {
        if let Some(Value::Object(headers)) = doc.pointer_mut(&format!("{pointer}/headers")) {
            headers.retain(|_, header| !structured(header));
        }
    }
}

/// The mock document's list of the examples it changed (JSON pointers), for the wire check to
/// report as the document's defects.
pub const MENDED_EXAMPLES: &str = "x-mended-examples";

/// The mock document's list of the answers it was given a sample of (JSON pointers), for the
/// wire check to tell a sample of ours that breaks its schema from the document's example.
pub const SAMPLED_EXAMPLES: &str = "x-sampled-examples";

/// Gives each JSON answer of an operation for which the document has no example (neither the
/// media type's nor its schema's) a sample (`samples::answer`): a mock composing one from the
/// schema alone ignores a `pattern`, a `format` or which member of a union is meant, and the
/// client would be checked on an answer no server of the API sends. Returns the pointers of the
/// samples given.
fn sample_answers(doc: &mut Value) -> Vec<String> {
    use crate::openapi::{is_json, resolve_or_self, samples};
    let mut found = Vec::new();
    for operation in crate::openapi::operations(doc) {
        let responses = operation.operation.get("responses").and_then(Value::as_object).into_iter().flatten();
        for (status, response) in responses {
            let content = response.get("content").and_then(Value::as_object).into_iter().flatten();
            for (media, entry) in content.filter(|(media, _)| is_json(media)) {
                let Some(schema) = entry.get("schema") else { continue };
                let documented = ["example", "examples"].iter().any(|key| entry.get(*key).is_some())
                    || resolve_or_self(doc, schema).get("example").is_some();
                if documented {
                    continue;
                }
                if let Some(value) = samples::answer(doc, schema) {
                    let at = ["responses", status, "content", media]
                        .into_iter()
                        .fold(operation.pointer(), |at, key| crate::openapi::child(&at, key));
                    found.push((at, value));
                }
            }
        }
    }
    let mut sampled = Vec::new();
    for (at, value) in found {
        if let Some(Value::Object(entry)) = doc.pointer_mut(&at) {
            entry.insert("example".into(), value);
            sampled.push(at + "/example");
        }
    }
    sampled
}

/// Brings the answer examples a mock server serves in line with their schemas where the
/// document's own break them (`samples::mended`: a string where an integer is declared, a value
/// outside its `enum` or `format`, a required property missing): what the wire check proves is
/// then the client decoding the API's answers, not the document's care with its examples.
/// Returns the pointers of the examples changed: each operation's answer examples, and every
/// schema's own `example` (what a mock composes an answer of where a media type has none).
fn mend_examples(doc: &mut Value) -> Vec<String> {
    use crate::openapi::{Role, collect_examples, samples};
    let snapshot = doc.clone();
    let mut mended = Vec::new();
    let answers = collect_examples(&snapshot)
        .into_iter()
        .filter(|example| example.role != Role::Request && example.name != "property examples");
    for example in answers {
        let Some(value) = samples::mended(&snapshot, &example.schema, &example.value) else { continue };
        // A named example that is a `$ref` to `components/examples` is given its value here.
        let (at, value) = match example.pointer.strip_suffix("/value") {
            Some(entry) if doc.pointer(&example.pointer).is_none() => {
                (entry.to_string(), serde_json::json!({ "value": value }))
            }
            _ => (example.pointer, value),
        };
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = value;
            mended.push(at);
        }
    }
    let _ = crate::openapi::schemas_mut(doc, &mut |path: &[String], schema: &mut Value| -> Result<(), ()> {
        let Some(example) = schema.get("example") else { return Ok(()) };
        if let Some(value) = samples::mended(&snapshot, &schema.clone(), example) {
            schema["example"] = value;
            mended.push(path.iter().fold(String::new(), |at, key| crate::openapi::child(&at, key)) + "/example");
        }
        Ok(())
    });
    mended
}

/// Removes the extensions (`x-…`) that refer outside the document (code samples kept in files
/// beside it, say): the generator reads no extension of a vendor's, but a mock server resolves
/// every `$ref` it finds and cannot start when one points to a file that is not there. Gives
/// back, too, the `anyOf` that `spec::schema_shapes` read as `oneOf`.
fn drop_outside_references(value: &mut Value) {
    fn refers_outside(value: &Value) -> bool {
        match value {
            Value::Object(object) => object.iter().any(|(key, value)| {
                (key == "$ref" && value.as_str().is_some_and(|target| !target.starts_with('#')))
                    || refers_outside(value)
            }),
            Value::Array(items) => items.iter().any(refers_outside),
            _ => false,
        }
    }
    match value {
        Value::Object(object) => {
            object.retain(|key, value| !(key.starts_with("x-") && refers_outside(value)));
            // A `oneOf` that `spec::schema_shapes` made of an `anyOf`, given back.
            if object.shift_remove(crate::spec::schema_shapes::ANY_OF_EXTENSION).is_some()
                && let Some(members) = object.shift_remove("oneOf")
            {
                object.insert("anyOf".into(), members);
            }
            object.values_mut().for_each(drop_outside_references);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_outside_references),
        _ => {}
    }
}

/// Gives every integer of a sized `format` (`uint32`, which the client holds as `u32`; `int32`,
/// an `i32`) the bounds its type has where it states none (`minimum: 0, maximum: 4294967295`): a
/// mock reads no such format and would answer numbers no server of the API sends (Svix's
/// `int32`s answered with ten-digit numbers). A string of `format: url` becomes `format: uri`.
fn formats_a_mock_reads(value: &mut Value) {
    let _ = crate::openapi::schemas_mut(value, &mut |_: &[String], schema: &mut Value| -> Result<(), ()> {
        let Some(object) = schema.as_object_mut() else { return Ok(()) };
        // `url` is no format of JSON Schema's: a mock generates text for it that its own
        // validator (which reads `url`) refuses; `uri` is the one both read.
        if object.get("format").and_then(Value::as_str) == Some("url") {
            object.insert("format".into(), Value::from("uri"));
        }
        let range = match object.get("format").and_then(Value::as_str) {
            Some("int8") => Some((i64::from(i8::MIN), Some(i64::from(i8::MAX)))),
            Some("uint8") => Some((0, Some(i64::from(u8::MAX)))),
            Some("int16") => Some((i64::from(i16::MIN), Some(i64::from(i16::MAX)))),
            Some("uint16") => Some((0, Some(i64::from(u16::MAX)))),
            Some("int" | "int32") => Some((i64::from(i32::MIN), Some(i64::from(i32::MAX)))),
            Some("uint" | "uint32") => Some((0, Some(i64::from(u32::MAX)))),
            Some("uint64") => Some((0, None)),
            _ => None,
        };
        if let Some((min, max)) = range
            && object.get("type").and_then(Value::as_str) == Some("integer")
        {
            for (bound, value) in [("minimum", Some(min)), ("maximum", max)] {
                if let Some(value) = value
                    && !object.contains_key(bound)
                {
                    object.insert(bound.into(), Value::from(value));
                }
            }
        }
        Ok(())
    });
}

/// Gives each name an object schema with `properties` requires but neither it nor its parts
/// describe (Lago's wallets require a `balance` they never define) a schema any value fits
/// (`{}`), which JSON Schema reads the same: a mock composes no value for a property it has no
/// schema of, so its generated answers would break the schema's own `required`. A closed
/// object (`additionalProperties: false`), which no value fits then, is left as it is, and so
/// is a schema of `required` alone (a union member saying which of its holder's properties
/// must be there).
fn describe_required_names(doc: &mut Value) {
    let snapshot = doc.clone();
    let _ = crate::openapi::schemas_mut(doc, &mut |path: &[String], schema: &mut Value| -> Result<(), ()> {
        // An `allOf` part's holder, whose other parts may describe what the part requires.
        let holder = match path {
            [outer @ .., all_of, _] if all_of == "allOf" => {
                snapshot.pointer(&outer.iter().fold(String::new(), |at, key| crate::openapi::child(&at, key)))
            }
            _ => None,
        };
        let described = |name: &str| {
            [Some(&*schema), holder]
                .into_iter()
                .flatten()
                .any(|schema| crate::openapi::samples::property_schema(&snapshot, schema, name, 0).is_some())
        };
        let undescribed: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|name| !described(name))
            .map(str::to_string)
            .collect();
        let Some(object) = schema.as_object_mut() else { return Ok(()) };
        if object.get("additionalProperties") == Some(&Value::Bool(false)) {
            return Ok(());
        }
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            for name in undescribed {
                properties.insert(name, Value::Object(Map::new()));
            }
        }
        Ok(())
    });
}

/// Gives every operation the generator sends as multipart its `multipart/form-data` body back
/// (progenitor was given the body's type as JSON, `spec::request_bodies`), so that the mock
/// checks the request the client sends: beside the JSON body when a second method sends it,
/// in its place otherwise.
fn restore_multipart(doc: &mut Value) {
    for (pointer, extension) in marked(doc, crate::spec::request_bodies::MULTIPART_EXTENSION) {
        // The component's reference as the document names it (`create`), not the Rust type
        // made of it (`Create`).
        let Some(schema) = extension.get("schema").cloned() else { continue };
        let Some(operation) = doc.pointer_mut(&pointer) else { continue };
        let multipart = serde_json::json!({ "schema": schema });
        let Some(content) = operation.pointer_mut("/requestBody/content").and_then(Value::as_object_mut) else {
            continue;
        };
        if extension.get("method").is_none() {
            content.clear();
        }
        content.insert("multipart/form-data".into(), multipart);
    }
}

/// Each operation that a pass marked with `extension`: its pointer and the extension's value.
fn marked(doc: &Value, extension: &str) -> Vec<(String, Value)> {
    crate::openapi::operations(doc)
        .filter_map(|operation| Some((operation.pointer(), operation.operation.get(extension)?.clone())))
        .collect()
}
