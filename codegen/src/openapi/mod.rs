//! One model of OpenAPI 3.0 for every tool of the workspace: the HTTP methods, JSON pointers,
//! the one `$ref` resolver, the operations of a document, parsing a document with errors at
//! `file:line:column`, and [`Merged`], the one document (a vendor's files merged) that
//! generating, linting and drift checking all start from (`crate::load` makes it; this model
//! runs no pass).
//!
//! Documents are `serde_json::Value`s, not typed models: the passes over them must keep what
//! no typed model knows (extensions, upstream mistakes a fix corrects), and progenitor gets its
//! typed `openapiv3::OpenAPI` only at the end.

mod examples;
mod external;
mod locate;
mod merged;
mod parse;
mod pattern_sample;
mod pointer;
mod refs;
pub(crate) mod samples;
mod shape;
mod swagger2;
mod tolerate;
mod walk;
mod wide_numbers;

pub(crate) use examples::{Example, Role, collect_examples};
pub use external::{FileReference, read_referenced, referenced_files};
pub(crate) use external::{Library, inline_external};
pub use merged::Merged;
pub use parse::{
    MAX_DOCUMENT_BYTES, Parsed, check_version, is_json_text, is_openapi_31, json_error, parse, read_value, shape_error,
    yaml_error, yaml_location,
};
pub(crate) use parse::{operation_of, tolerated};
pub use pointer::{child, escape, tokens, unescape};
pub use refs::{MAX_REF_HOPS, RefError, resolve, resolve_or_self, target};
use serde_json::Value;
pub(crate) use shape::untyped;
pub use shape::{ShapeError, typed};
pub(crate) use tolerate::tolerate;
pub(crate) use walk::{Kind, is_walked, kind_of, schemas_mut};

/// The keywords that document a schema without constraining its values.
pub(crate) const ANNOTATIONS: &[&str] = &[
    "title",
    "summary",
    "description",
    "default",
    "example",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "xml",
];

/// Whether `schema` lets any value through: it says nothing but [`ANNOTATIONS`], `nullable`
/// and extensions (`{}`, `{description: ..}`).
pub(crate) fn says_nothing(schema: &Value) -> bool {
    schema.as_object().is_some_and(|object| {
        object.keys().all(|key| key == "nullable" || key.starts_with("x-") || ANNOTATIONS.contains(&key.as_str()))
    })
}

/// The HTTP methods that can key an operation in a path item, in the order the OpenAPI
/// specification lists them (and operations are visited).
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Whether `key` of a path item names an operation.
pub fn is_method(key: &str) -> bool {
    METHODS.contains(&key)
}

/// One operation of a document: a path × a method.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'a> {
    /// The path template, e.g. `/members/{id}`.
    pub path: &'a str,
    /// The lower-case method, one of [`METHODS`].
    pub method: &'static str,
    /// The path item holding the operation (its `parameters` apply to every method).
    pub item: &'a Value,
    /// The operation object.
    pub operation: &'a Value,
}

impl<'a> Operation<'a> {
    /// The `operationId`, when there is one.
    pub fn id(&self) -> Option<&'a str> {
        self.operation.get("operationId").and_then(Value::as_str)
    }

    /// `POST /members/invite`: how messages and the merge step name the operation.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    /// The JSON pointer of the operation object, e.g. `/paths/~1members~1invite/post`.
    pub fn pointer(&self) -> String {
        child(&child("/paths", self.path), self.method)
    }

    /// The parameters that apply: the path item's, then the operation's own, as written
    /// (`$ref`s are not followed).
    pub fn parameters(&self) -> impl Iterator<Item = &'a Value> + 'a {
        [self.item.get("parameters"), self.operation.get("parameters")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
    }
}

/// Every operation of `doc`, paths in document order and methods in [`METHODS`] order.
pub fn operations(doc: &Value) -> impl Iterator<Item = Operation<'_>> {
    doc.get("paths").and_then(Value::as_object).into_iter().flatten().flat_map(|(path, item)| {
        METHODS.iter().filter_map(move |method| {
            item.get(*method).map(|operation| Operation { path: path.as_str(), method, item, operation })
        })
    })
}

/// Whether a media type is JSON (`application/json`, with or without parameters).
pub fn is_json(media: &str) -> bool {
    media == "application/json" || media.starts_with("application/json;")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn operations_come_with_their_path_level_parameters() {
        let doc = json!({ "paths": {
            "/b/{id}": {
                "parameters": [{ "name": "id", "in": "path" }],
                "post": { "operationId": "postB", "parameters": [{ "name": "q", "in": "query" }] },
                "get": { "operationId": "getB" },
                "summary": "not an operation",
            },
            "/a": { "delete": {} },
        } });
        let found: Vec<(String, Option<&str>, String, Vec<&str>)> = operations(&doc)
            .map(|op| {
                let names = op.parameters().filter_map(|p| p["name"].as_str()).collect();
                (op.label(), op.id(), op.pointer(), names)
            })
            .collect();
        assert_eq!(
            found,
            [
                ("GET /b/{id}".to_string(), Some("getB"), "/paths/~1b~1{id}/get".to_string(), vec!["id"]),
                ("POST /b/{id}".to_string(), Some("postB"), "/paths/~1b~1{id}/post".to_string(), vec!["id", "q"]),
                ("DELETE /a".to_string(), None, "/paths/~1a/delete".to_string(), vec![]),
            ]
        );
    }
}
