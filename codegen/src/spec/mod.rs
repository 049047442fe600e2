//! Passes over the OpenAPI document, one file each. `load::prepare` runs the first four
//! (merge, fixes, skip, validate); [`generate`](crate::generate) runs the rest,
//! in the order [`PASSES`] lists them, before progenitor sees the document. The table of all
//! passes is in the crate documentation.

pub(crate) mod all_of;
pub(crate) mod discriminators;
pub(crate) mod error_bodies;
pub(crate) mod fixes;
pub(crate) mod media_types;
pub(crate) mod merge;
pub(crate) mod openapi31;
pub(crate) mod operation_ids;
pub(crate) mod parameter_styles;
pub(crate) mod path_parameters;
pub(crate) mod request_bodies;
pub(crate) mod rust_names;
pub(crate) mod schema_shapes;
pub(crate) mod skip;
pub(crate) mod success_bodies;
pub(crate) mod success_variants;
pub(crate) mod type_names;
pub(crate) mod validate;

use serde_json::Value;

use crate::Error;
use crate::openapi::{Merged, Operation, resolve};

/// The passes [`generate`](crate::generate) runs after `prepare`, in order, by module name
/// (`openapi31` is `spec::openapi31`): each takes the document and returns one note per change
/// it made.
pub(crate) const PASSES: &[(&str, Pass)] = &[
    ("openapi31", openapi31::apply),
    ("schema_shapes", schema_shapes::apply),
    ("all_of", all_of::apply),
    ("discriminators", discriminators::apply),
    ("operation_ids", operation_ids::apply),
    ("path_parameters", path_parameters::apply),
    ("parameter_styles", parameter_styles::apply),
    ("rust_names", rust_names::apply),
    ("media_types", media_types::apply),
    ("request_bodies", request_bodies::apply),
    ("success_bodies", success_bodies::apply),
    ("success_variants", success_variants::apply),
    ("error_bodies", error_bodies::apply),
    ("type_names", type_names::apply),
];

/// A pass over the prepared document.
pub(crate) type Pass = fn(&mut Merged) -> Result<Vec<String>, Error>;

/// Where an operation lives, for messages: `"POST /members/invite"`, its id and its file.
pub(crate) struct OpRef {
    pub vendor: String,
    pub label: String,
    pub id: String,
    pub file: String,
}

impl OpRef {
    pub fn new(merged: &Merged, operation: &Operation<'_>) -> Self {
        let label = operation.label();
        let file = merged.origins.get(&label).map(String::as_str).unwrap_or("<unknown file>").to_string();
        OpRef { vendor: merged.vendor.clone(), label, id: operation.id().unwrap_or_default().to_string(), file }
    }

    /// The error for something about this operation the generator cannot handle.
    pub fn unsupported(&self, message: String) -> Error {
        Error::Unsupported {
            file: self.file.clone(),
            operation: format!("{} ({})", self.label, self.id),
            message,
            skip: crate::error::skip_entry(&self.vendor, &self.label),
        }
    }

    /// `value` with its `$ref` chain followed; a reference that does not resolve is an error
    /// naming this operation.
    pub fn resolve(&self, doc: &Value, value: &Value) -> Result<Value, Error> {
        resolve(doc, value).cloned().map_err(|err| self.unsupported(err.to_string()))
    }
}
