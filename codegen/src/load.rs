//! Reading one OpenAPI document from YAML text, with errors that point into the file.

use serde_json::Value;

use crate::{Error, SpecFile};

/// The largest document read, so that a runaway file fails fast instead of exhausting memory.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

/// One parsed document: the raw JSON value (for merging) and the file it came from.
pub(crate) struct Document<'a> {
    pub file: &'a SpecFile,
    pub value: Value,
}

/// Parses `file` as an OpenAPI 3.0.x document.
///
/// The text is read twice: once into a JSON value, which the merge step works on, and once
/// into `openapiv3::OpenAPI`, so that a document of the wrong shape is reported with the
/// line and column where the YAML stops matching OpenAPI.
pub(crate) fn load(file: &SpecFile) -> Result<Document<'_>, Error> {
    if file.text.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::Invalid {
            file: file.path.clone(),
            location: String::new(),
            message: format!(
                "the document is {:.1} MiB, over the {} MiB limit; an OpenAPI document this large is not a \
                 vendored spec (check that the right file was saved)",
                file.text.len() as f64 / (1024.0 * 1024.0),
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            ),
        });
    }
    let value: Value = serde_yaml_ng::from_str(&file.text).map_err(|err| yaml_error(file, &err))?;
    if !value.is_object() {
        return Err(Error::Invalid {
            file: file.path.clone(),
            location: String::new(),
            message: "the document is not a YAML mapping; expected an OpenAPI 3.0 document".into(),
        });
    }
    let version = value.get("openapi").and_then(Value::as_str);
    match version {
        Some(v) if v.starts_with("3.0.") => {}
        other => {
            let found = match (other, value.get("swagger")) {
                (Some(v), _) => format!("`openapi: {v}`"),
                (None, Some(v)) => format!("`swagger: {}`", display_scalar(v)),
                (None, None) => "no `openapi` field".to_string(),
            };
            return Err(Error::Invalid {
                file: file.path.clone(),
                location: String::new(),
                message: format!(
                    "found {found}, but only OpenAPI 3.0.x is supported; convert the document to OpenAPI 3.0"
                ),
            });
        }
    }
    serde_yaml_ng::from_str::<openapiv3::OpenAPI>(&file.text).map_err(|err| yaml_error(file, &err))?;
    Ok(Document { file, value })
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(crate) fn yaml_error(file: &SpecFile, err: &serde_yaml_ng::Error) -> Error {
    let location = err.location().map(|loc| format!(":{}:{}", loc.line(), loc.column())).unwrap_or_default();
    // The YAML library appends " at line L column C" to some messages; the location is
    // already in front, so drop the repetition.
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
    Error::Invalid { file: file.path.clone(), location, message }
}
