//! Reading one OpenAPI document, with errors that point into the file (`file:line:column`).

use serde_json::Value;

use super::locate::locate;
use super::shape::ShapeError;
use super::tolerate::{Repair, drop_empty_references, tolerate};
use crate::{Degradation, DegradeKind, Error, SpecFile};

/// The largest document read, so that a runaway file fails fast instead of exhausting memory.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

/// One parsed document: the raw JSON value (for merging) and the file it came from.
#[derive(Debug)]
pub struct Parsed<'a> {
    /// The file the document was read from.
    pub file: &'a SpecFile,
    /// The document.
    pub value: Value,
    /// What tolerant reading repaired (see `openapi::tolerate`).
    pub degradations: Vec<Degradation>,
}

/// Parses `file` as an OpenAPI 3.0.x or 3.1.x document.
///
/// A document that starts with `{` is read as JSON (YAML parsers refuse some valid JSON, such
/// as the surrogate-pair escape `"\ud83d\udc4d"`), everything else as YAML. A 3.0 document
/// is then read as `openapiv3::OpenAPI`, so that one of the wrong shape is reported at the line
/// and column of the node that does not fit; a 3.1 document gets the same check once
/// `spec::openapi31` has converted it.
pub fn parse(file: &SpecFile) -> Result<Parsed<'_>, Error> {
    let invalid = |location: String, message: String| Error::Invalid { file: file.path.clone(), location, message };
    if file.text.len() > MAX_DOCUMENT_BYTES {
        return Err(invalid(
            String::new(),
            format!(
                "the document is {:.1} MiB, over the {} MiB limit; an OpenAPI document this large is not a \
                 vendored spec (check that the right file was saved)",
                file.text.len() as f64 / (1024.0 * 1024.0),
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            ),
        ));
    }
    let mut value = read_value(file)?;
    check_version(&value).map_err(|message| invalid(String::new(), message))?;
    let repairs = if is_openapi_31(&value) {
        drop_empty_references(&mut value)
    } else {
        tolerate(&mut value).map_err(|err| shape_error(file, &err))?.1
    };
    let degradations = repairs.into_iter().map(|repair| tolerated(file, repair)).collect();
    Ok(Parsed { file, value, degradations })
}

/// The JSON or YAML value of `file` (an OpenAPI document or a file one refers to), with
/// syntax errors at `file:line:column`.
pub fn read_value(file: &SpecFile) -> Result<Value, Error> {
    if is_json_text(file) {
        serde_json::from_str(&file.text).map_err(|err| json_error(file, &err))
    } else {
        match serde_yaml_ng::from_str(&file.text) {
            Ok(value) => Ok(value),
            // An integer beyond 64 bits: read again with it as a float.
            Err(err) if err.to_string().contains("number out of range") => {
                super::wide_numbers::from_yaml(&file.text).map_err(|err| yaml_error(file, &err))
            }
            Err(err) => Err(yaml_error(file, &err)),
        }
    }
}

/// Whether `file` is read as JSON: its text starts with `{` (JSON documents always do, and
/// YAML ones practically never).
pub fn is_json_text(file: &SpecFile) -> bool {
    file.text.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

/// Whether a parsed document says it is OpenAPI 3.1.
pub fn is_openapi_31(value: &Value) -> bool {
    value.get("openapi").and_then(Value::as_str).is_some_and(|version| version.starts_with("3.1."))
}

/// Checks that a parsed document is a mapping that says it is OpenAPI 3.0.x or 3.1.x (`3.0.3`;
/// a bare `3.0` is not a version the specification publishes); the error says what was found.
pub fn check_version(value: &Value) -> Result<(), String> {
    if !value.is_object() {
        return Err("the document is not a YAML mapping; expected an OpenAPI 3.0 or 3.1 document".into());
    }
    match value.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") || version.starts_with("3.1.") => Ok(()),
        other => {
            let found = match (other, value.get("swagger")) {
                (Some(version), _) => format!("`openapi: {version}`"),
                (None, Some(Value::String(version))) => format!("`swagger: {version}`"),
                (None, Some(version)) => format!("`swagger: {version}`"),
                (None, None) => "no `openapi` field".to_string(),
            };
            Err(format!(
                "found {found}, but only OpenAPI 3.0.x and 3.1.x are supported; convert the document to OpenAPI 3.0"
            ))
        }
    }
}

/// A node of `file` that tolerant reading repaired, as a degradation at its
/// `file:line:column` and JSON pointer.
pub(crate) fn tolerated(file: &SpecFile, repair: Repair) -> Degradation {
    // A node the repair added is not in the text: its parent is.
    let parent = repair.pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
    let line = locate(&file.text, is_json_text(file), &repair.pointer)
        .or_else(|| locate(&file.text, is_json_text(file), parent))
        .map(|(line, column)| format!(":{line}:{column}"))
        .unwrap_or_default();
    let operation = operation_of(&repair.pointer);
    Degradation {
        kind: DegradeKind::Tolerated,
        file: format!("{}{line}", file.path),
        location: format!("#{}", repair.pointer),
        operation,
        note: repair.note,
    }
}

/// `POST /things` when `pointer` is inside that operation.
pub(crate) fn operation_of(pointer: &str) -> Option<String> {
    match super::tokens(pointer).as_slice() {
        [paths, path, method, ..] if paths == "paths" && super::is_method(method) => {
            Some(format!("{} {path}", method.to_uppercase()))
        }
        _ => None,
    }
}

/// A node of `file` that is not OpenAPI 3.0, at its `file:line:column` and JSON pointer.
pub fn shape_error(file: &SpecFile, err: &ShapeError) -> Error {
    let location = locate(&file.text, is_json_text(file), &err.pointer)
        .map(|(line, column)| format!(":{line}:{column}"))
        .unwrap_or_default();
    let at = if err.pointer.is_empty() { "the document".to_string() } else { format!("#{}", err.pointer) };
    Error::Invalid {
        file: file.path.clone(),
        location,
        message: format!("{at} is not valid OpenAPI 3.0: {}", err.message),
    }
}

/// A JSON syntax error in `file` as the generator's error, at `file:line:column`.
pub fn json_error(file: &SpecFile, err: &serde_json::Error) -> Error {
    let mut message = err.to_string();
    if let Some(idx) = message.find(" at line ") {
        message.truncate(idx);
    }
    let location = if err.line() > 0 { format!(":{}:{}", err.line(), err.column()) } else { String::new() };
    Error::Invalid { file: file.path.clone(), location, message }
}

/// A YAML error as `(line, column)` (1-based, when the parser knows them) and a message
/// without the location the parser repeats at its end; alias and nesting bombs say so.
pub fn yaml_location(err: &serde_yaml_ng::Error) -> (Option<(usize, usize)>, String) {
    let mut message = err.to_string();
    if let Some(idx) = message.find(" at line ") {
        message.truncate(idx);
    }
    if message.contains("repetition limit exceeded") {
        message.push_str(
            " (the document repeats YAML aliases too much, as a \"billion laughs\" document does); it is refused \
             rather than expanded",
        );
    } else if message.contains("recursion limit exceeded") {
        message.push_str(" (the document nests too deeply); it is refused rather than read");
    }
    (err.location().map(|loc| (loc.line(), loc.column())), message)
}

/// A YAML error in `file` as the generator's error, at `file:line:column`.
pub fn yaml_error(file: &SpecFile, err: &serde_yaml_ng::Error) -> Error {
    let (location, message) = yaml_location(err);
    let location = location.map(|(line, column)| format!(":{line}:{column}")).unwrap_or_default();
    Error::Invalid { file: file.path.clone(), location, message }
}
