//! `multipart/form-data` request bodies: the file parts ([`FilePart`]) and the conversion of a
//! generated multipart body type into a form ([`ToForm`]).
//!
//! An operation whose body is `multipart/form-data` takes a generated body type whose file
//! fields are [`FilePart`]s and whose other fields are typed values; the generated code
//! implements [`ToForm`] for it, and `send()` sends the form.

use reqwest::multipart::{Form, Part};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A file sent as one part of a `multipart/form-data` body: its bytes, the file name the
/// server sees (the field's name when none is set) and its media type
/// (`application/octet-stream` when none is set).
///
/// ```
/// use periskope_wapikit::multipart::FilePart;
///
/// let csv = FilePart::new("name,phone\nAda,+441234\n").file_name("contacts.csv").content_type("text/csv");
/// assert_eq!(csv.bytes(), b"name,phone\nAda,+441234\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilePart {
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file part holding `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        FilePart { bytes: bytes.into(), file_name: None, content_type: None }
    }

    /// Sets the file name the server sees.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's media type, e.g. `text/csv`.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    #[allow(dead_code, reason = "called by the generated code of vendors with multipart operations")]
    fn to_part(&self, field: &str) -> Result<Part, String> {
        let part = Part::bytes(self.bytes.clone()).file_name(self.file_name.clone().unwrap_or_else(|| field.into()));
        let media_type = self.content_type.as_deref().unwrap_or("application/octet-stream");
        part.mime_str(media_type).map_err(|err| format!("field `{field}`: `{media_type}` is not a media type: {err}"))
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

/// A generated multipart body type, as the form `send()` sends.
pub trait ToForm {
    /// The form: one part per file and per value of the body's fields.
    fn to_form(&self) -> Result<Form, String>;
}

/// The file parts of one field: a [`FilePart`], an optional one, or a list.
#[allow(dead_code, reason = "called by the generated code of vendors with multipart operations")]
pub(crate) trait Files {
    fn files(&self) -> Vec<&FilePart>;
}

impl Files for FilePart {
    fn files(&self) -> Vec<&FilePart> {
        vec![self]
    }
}

impl<T: Files> Files for Option<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.as_ref().map(Files::files).unwrap_or_default()
    }
}

impl Files for Vec<FilePart> {
    fn files(&self) -> Vec<&FilePart> {
        self.iter().collect()
    }
}

/// Adds each file of the field `name` as a part.
#[allow(dead_code, reason = "called by the generated code of vendors with multipart operations")]
pub(crate) fn add_files(mut form: Form, name: &str, files: &impl Files) -> Result<Form, String> {
    for file in files.files() {
        form = form.part(name.to_string(), file.to_part(name)?);
    }
    Ok(form)
}

/// Adds the field `name`: nothing when absent or `null`, a text part for a string, number or
/// boolean, one part per item of a list, and a JSON part for an object.
#[allow(dead_code, reason = "called by the generated code of vendors with multipart operations")]
pub(crate) fn add_value(form: Form, name: &str, value: &impl Serialize) -> Result<Form, String> {
    let value = serde_json::to_value(value).map_err(|err| format!("field `{name}`: {err}"))?;
    match value {
        Value::Array(items) => items.into_iter().try_fold(form, |form, item| add_one(form, name, item)),
        other => add_one(form, name, other),
    }
}

#[allow(dead_code, reason = "called by the generated code of vendors with multipart operations")]
fn add_one(form: Form, name: &str, value: Value) -> Result<Form, String> {
    let name = name.to_string();
    Ok(match value {
        Value::Null => form,
        Value::String(text) => form.text(name, text),
        Value::Bool(_) | Value::Number(_) => form.text(name, value.to_string()),
        Value::Array(_) | Value::Object(_) => {
            let part = Part::text(value.to_string()).mime_str("application/json").map_err(|err| err.to_string())?;
            form.part(name, part)
        }
    })
}
