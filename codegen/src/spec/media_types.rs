//! Media types progenitor does not type, made ones it does, each a degradation:
//!
//! - a vendor JSON type (`application/vnd.api+json`, `application/problem+json`) of a request
//!   or response is JSON: progenitor is given `application/json`, and `x-codegen-content-type`
//!   makes `rust::content_types` send the vendor's type as the request's `Content-Type`;
//! - a request body in a media type progenitor does not take (`application/jwt`, `image/*`,
//!   a multipart body whose schema is not an object with properties) is raw bytes: progenitor
//!   is given `application/octet-stream` with a binary schema (the method takes any
//!   `Into<reqwest::Body>`), and `rust::content_types` sends the real `Content-Type`;
//! - a `text/plain` or `application/octet-stream` body whose schema is not the plain string
//!   progenitor asks for gets that schema (the text or bytes are sent as given);
//! - an `encoding` map (per-part headers of a multipart or form body) is dropped: the parts are
//!   sent with their default types;
//! - a `204`, `205` or `304` answer declared with a body has none (HTTP allows none): its
//!   `content` is dropped, and the operation's answer for it is `()`.
//!
//! Before:
//!
//! ```yaml
//! /tokens: {post: {operationId: verify, requestBody: {content: {application/jwt: {schema: {type: string}}}}}}
//! ```
//!
//! After (and the note "degraded (raw-body): ...: the application/jwt request body is raw
//! bytes, sent with `Content-Type: application/jwt`"):
//!
//! ```yaml
//! /tokens:
//!   post:
//!     operationId: verify
//!     requestBody: {content: {application/octet-stream: {schema: {type: string, format: binary}}}}
//!     x-codegen-content-type: application/jwt
//! ```

use serde_json::{Map, Value, json};

use crate::openapi::{self, Merged, child, is_json, resolve_or_self};
use crate::{Degradation, DegradeKind, Error};

/// The operation extension naming the `Content-Type` the request is sent with.
pub(crate) const CONTENT_TYPE_EXTENSION: &str = "x-codegen-content-type";

/// The response extension naming the vendor JSON type an answer is declared in, which this
/// pass showed progenitor as `application/json` (the mock document gives it back).
pub(crate) const RESPONSE_MEDIA_EXTENSION: &str = "x-codegen-response-media";

const OCTET_STREAM: &str = "application/octet-stream";

/// The media type without its parameters, in lower case.
fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or(media).trim().to_ascii_lowercase()
}

/// Whether `media` is JSON by a structured-syntax suffix (`application/vnd.api+json`).
fn is_vendor_json(media: &str) -> bool {
    let essence = essence(media);
    essence.ends_with("+json") || essence == "text/json"
}

/// Whether progenitor takes `media` as a request body as it is (or `spec::request_bodies`
/// makes it one it takes).
fn is_taken(media: &str) -> bool {
    is_json(media)
        || ["application/x-www-form-urlencoded", OCTET_STREAM, "text/plain", "text/x-markdown", "multipart/form-data"]
            .contains(&essence(media).as_str())
}

/// Runs the pass over every operation; returns no notes (each change is a degradation).
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    let targets: Vec<(String, String)> =
        openapi::operations(&merged.value).map(|operation| (operation.pointer(), operation.label())).collect();
    for (pointer, label) in targets {
        request(merged, &pointer, &label);
        responses(merged, &pointer, &label);
    }
    Ok(Vec::new())
}

fn degrade(merged: &mut Merged, kind: DegradeKind, pointer: &str, label: &str, note: String) {
    let file = merged.file_of(pointer).to_string();
    merged.degradations.push(Degradation {
        kind,
        file,
        location: format!("#{pointer}"),
        operation: Some(label.to_string()),
        note,
    });
}

/// The request body of the operation at `pointer`.
fn request(merged: &mut Merged, pointer: &str, label: &str) {
    let Some(body) = merged.value.pointer(&child(pointer, "requestBody")) else { return };
    let mut body = resolve_or_self(&merged.value, body).clone();
    let Some(content) = body.get("content").and_then(Value::as_object).cloned() else { return };
    let at = child(&child(pointer, "requestBody"), "content");
    let mut changed = false;
    let mut content_type = None;
    let mut new_content = Map::new();
    let has_json = content.keys().any(|media| is_json(media));
    for (media, mut entry) in content.clone() {
        let media_at = child(&at, &media);
        if let Some(object) = entry.as_object_mut()
            && object.shift_remove("encoding").is_some()
        {
            changed = true;
            let note = format!("the {media} body's `encoding` (per-part headers) is dropped; parts are sent as typed");
            degrade(merged, DegradeKind::Tolerated, &media_at, label, note);
        }
        let essence = essence(&media);
        let schema = entry.get("schema").map(|schema| resolve_or_self(&merged.value, schema).clone());
        if is_vendor_json(&media) && !has_json {
            changed = true;
            content_type = Some(media.clone());
            let note = format!("the {media} request body is typed as JSON and sent with `Content-Type: {media}`");
            degrade(merged, DegradeKind::JsonMediaType, &media_at, label, note);
            new_content.insert("application/json".into(), entry);
            continue;
        }
        let plain_string = |format: Option<&str>| {
            schema.as_ref().is_some_and(|schema| {
                let keys = schema.as_object().map(|o| o.keys().filter(|k| !is_doc(k)).count()).unwrap_or(0);
                schema.get("type").and_then(Value::as_str) == Some("string")
                    && schema.get("format").and_then(Value::as_str) == format
                    && keys == if format.is_some() { 2 } else { 1 }
            })
        };
        if (essence == "text/plain" || essence == "text/x-markdown") && !plain_string(None) {
            changed = true;
            entry["schema"] = json!({ "type": "string" });
            let note = format!("the {media} request body's schema is not a plain string; the body is sent as text");
            degrade(merged, DegradeKind::RawBody, &media_at, label, note);
        } else if essence == OCTET_STREAM && !plain_string(Some("binary")) {
            changed = true;
            entry["schema"] = json!({ "type": "string", "format": "binary" });
            let note = format!("the {media} request body's schema is not binary; the body is sent as raw bytes");
            degrade(merged, DegradeKind::RawBody, &media_at, label, note);
        }
        new_content.insert(media, entry);
    }
    // A body no media type of which progenitor takes is raw bytes in the first one.
    let multipart_untyped = |media: &str, entry: &Value| {
        essence(media) == "multipart/form-data"
            && !entry.get("schema").is_some_and(|schema| super::request_bodies::is_object(&merged.value, schema))
    };
    if !new_content.keys().any(|media| is_taken(media) && !multipart_untyped(media, &new_content[media]))
        && let Some(media) = new_content.keys().next().cloned()
    {
        changed = true;
        let note = format!("the {media} request body is raw bytes, sent with `Content-Type: {media}`");
        degrade(merged, DegradeKind::RawBody, &child(&at, &media), label, note);
        content_type = Some(media);
        new_content = Map::new();
        new_content.insert(OCTET_STREAM.into(), json!({ "schema": { "type": "string", "format": "binary" } }));
    }
    if !changed {
        return;
    }
    body["content"] = Value::Object(new_content);
    if let Some(operation) = merged.value.pointer_mut(pointer) {
        operation["requestBody"] = body;
        if let Some(media) = content_type {
            operation[CONTENT_TYPE_EXTENSION] = json!(media);
        }
    }
}

fn is_doc(key: &str) -> bool {
    matches!(key, "description" | "title" | "example" | "examples") || key.starts_with("x-")
}

/// The responses of the operation at `pointer`: vendor JSON read as JSON, `encoding` dropped.
fn responses(merged: &mut Merged, pointer: &str, label: &str) {
    // `204`, `205` and `304` answers have no body in HTTP, whatever the document declares.
    let bodiless: Vec<(String, Value)> = merged
        .value
        .pointer(&child(pointer, "responses"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(status, _)| matches!(status.as_str(), "204" | "205" | "304"))
        .map(|(status, response)| (status.clone(), resolve_or_self(&merged.value, response).clone()))
        .filter(|(_, response)| response.get("content").is_some())
        .collect();
    for (status, mut response) in bodiless {
        let at = child(&child(pointer, "responses"), &status);
        if let Some(object) = response.as_object_mut() {
            object.shift_remove("content");
        }
        if let Some(node) = merged.value.pointer_mut(&at) {
            *node = response;
        }
        let note = format!("the {status} response declares a body, which HTTP does not allow; it is read as none");
        degrade(merged, DegradeKind::Tolerated, &child(&at, "content"), label, note);
    }
    let Some(responses) = merged.value.pointer(&child(pointer, "responses")).and_then(Value::as_object) else {
        return;
    };
    let mut changes = Vec::new();
    for (status, response) in responses {
        let response = resolve_or_self(&merged.value, response);
        let Some(content) = response.get("content").and_then(Value::as_object) else { continue };
        let has_json = content.keys().any(|media| is_json(media));
        let vendor = content.keys().find(|media| is_vendor_json(media)).filter(|_| !has_json).cloned();
        let encoded: Vec<String> =
            content.iter().filter(|(_, entry)| entry.get("encoding").is_some()).map(|(m, _)| m.clone()).collect();
        if vendor.is_some() || !encoded.is_empty() {
            changes.push((status.clone(), response.clone(), vendor, encoded));
        }
    }
    for (status, mut response, vendor, encoded) in changes {
        let at = child(&child(&child(pointer, "responses"), &status), "content");
        let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else { continue };
        for media in &encoded {
            if let Some(entry) = content.get_mut(media).and_then(Value::as_object_mut) {
                entry.shift_remove("encoding");
            }
        }
        let mut notes = Vec::new();
        if let Some(media) = &vendor {
            // The vendor type takes JSON's place, where it was.
            let renamed: Map<String, Value> = std::mem::take(content)
                .into_iter()
                .map(|(key, value)| if key == *media { ("application/json".to_string(), value) } else { (key, value) })
                .collect();
            *content = renamed;
            response[RESPONSE_MEDIA_EXTENSION] = json!(media);
            notes.push((
                DegradeKind::JsonMediaType,
                child(&at, media),
                format!("the {status} response in {media} is decoded as JSON"),
            ));
        }
        for media in encoded {
            let note = format!("the {status} response's {media} `encoding` is dropped");
            notes.push((DegradeKind::Tolerated, child(&at, &media), note));
        }
        if let Some(node) = merged.value.pointer_mut(&child(&child(pointer, "responses"), &status)) {
            *node = response;
        }
        for (kind, at, note) in notes {
            degrade(merged, kind, &at, label, note);
        }
    }
}
