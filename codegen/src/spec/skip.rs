//! Operations a vendor's `specs/sources.toml` leaves out on purpose, each with a reason.
//!
//! The default is strict: an operation the generator cannot handle stops `regen` with exit 2,
//! and the error shows the `[[skip]]` entry that would leave it out. With the entry, the
//! operation is removed from the merged document before validation (the vendored text stays
//! as upstream publishes it, so `cargo xtask drift` still compares it), and `regen` prints it.
//! An entry naming an operation the documents do not have is an error, so skips never outlive
//! their operation.
//!
//! Before, with `[[skip]] vendor = "case", operation = "POST /upload", reason = "multipart"`:
//!
//! ```yaml
//! paths: {/upload: {post: {operationId: upload}, get: {operationId: listUploads}}}
//! ```
//!
//! After (and the note "left out POST /upload (upload): multipart"):
//!
//! ```yaml
//! paths: {/upload: {get: {operationId: listUploads}}}
//! ```

use serde_json::Value;

use crate::openapi::{self, Merged};
use crate::{Error, Skip};

/// Removes the skipped operations from `merged`; returns one note per operation left out.
pub(crate) fn apply(merged: &mut Merged, vendor: &str, skips: &[Skip]) -> Result<Vec<String>, Error> {
    let mut notes = Vec::new();
    for skip in skips {
        let unusable = |message: String| Error::Invalid {
            file: "specs/sources.toml".into(),
            location: String::new(),
            message: format!("the [[skip]] of {vendor} `{}`: {message}", skip.operation),
        };
        if skip.reason.trim().is_empty() {
            return Err(unusable("has no `reason`; say why the operation is left out".into()));
        }
        let found = openapi::operations(&merged.value)
            .find(|operation| operation.label() == skip.operation)
            .map(|operation| (operation.path.to_string(), operation.method, operation.id().map(str::to_string)));
        let Some((path, method, id)) = found else {
            return Err(unusable(
                "names no operation of the documents (write it as `METHOD /path`, e.g. `POST /members/invite`); \
                 if upstream removed it, delete the entry"
                    .into(),
            ));
        };
        let paths = merged.value.get_mut("paths").and_then(Value::as_object_mut);
        if let Some(item) = paths.and_then(|paths| paths.get_mut(&path)).and_then(Value::as_object_mut) {
            item.shift_remove(method);
            if !item.keys().any(|key| openapi::is_method(key))
                && let Some(Value::Object(paths)) = merged.value.get_mut("paths")
            {
                // A path item with no operation left generates nothing; dropping it keeps its
                // path-level parameters from being checked against a path nobody calls.
                paths.shift_remove(&path);
            }
        }
        let id = id.map(|id| format!(" ({id})")).unwrap_or_default();
        notes.push(format!("left out {}{id}: {}", skip.operation, skip.reason.trim()));
    }
    Ok(notes)
}
