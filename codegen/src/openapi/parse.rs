//! Reading one OpenAPI document, with errors that point into the file (`file:line:column`).

use serde_json::Value;

use crate::{Error, SpecFile};

/// The largest document read, so that a runaway file fails fast instead of exhausting memory.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

/// One parsed document: the raw JSON value (for merging) and the file it came from.
#[derive(Debug)]
pub struct Parsed<'a> {
    /// The file the document was read from.
    pub file: &'a SpecFile,
    /// The document.
    pub value: Value,
}

/// Parses `file` as an OpenAPI 3.0.x document.
///
/// The text is read twice: once into a JSON value, which the passes work on, and once into
/// `openapiv3::OpenAPI`, so that a document of the wrong shape is reported with the line and
/// column where the YAML stops matching OpenAPI.
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
    let value: Value = serde_yaml_ng::from_str(&file.text).map_err(|err| yaml_error(file, &err))?;
    check_version(&value).map_err(|message| invalid(String::new(), message))?;
    serde_yaml_ng::from_str::<openapiv3::OpenAPI>(&file.text).map_err(|err| yaml_error(file, &err))?;
    Ok(Parsed { file, value })
}

/// Checks that a parsed document is a mapping that says it is OpenAPI 3.0.x (`3.0.3`; a bare
/// `3.0` is not a version the specification publishes); the error says what was found.
pub fn check_version(value: &Value) -> Result<(), String> {
    if !value.is_object() {
        return Err("the document is not a YAML mapping; expected an OpenAPI 3.0 document".into());
    }
    match value.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => Ok(()),
        other => {
            let found = match (other, value.get("swagger")) {
                (Some(version), _) => format!("`openapi: {version}`"),
                (None, Some(Value::String(version))) => format!("`swagger: {version}`"),
                (None, Some(version)) => format!("`swagger: {version}`"),
                (None, None) => "no `openapi` field".to_string(),
            };
            Err(format!("found {found}, but only OpenAPI 3.0.x is supported; convert the document to OpenAPI 3.0"))
        }
    }
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
