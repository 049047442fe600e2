//! Whether a document has the shape of OpenAPI 3.0 (what `openapiv3`, and so progenitor,
//! reads), and if not, the deepest node that does not.
//!
//! Most of OpenAPI is read through untagged enums (`$ref` or an object, the kinds of schema),
//! and a parser that fails inside one reports the enum's node, often a whole `paths:` or
//! `components:` entry. Here the failing node is narrowed down to the innermost node that
//! fails on its own (an operation, a response, a schema, ...), so that the error names the
//! property that is wrong.

use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use serde_path_to_error::Segment;

use super::walk::{Kind, is_walked, kind_of};
use super::{child, tokens};

/// A node where the document stops being OpenAPI 3.0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// The node's JSON pointer.
    pub pointer: String,
    /// What the parser said about it.
    pub message: String,
}

/// Reads `value` as `openapiv3::OpenAPI`, or says which node does not fit.
pub fn typed(value: &Value) -> Result<openapiv3::OpenAPI, ShapeError> {
    let err = match read::<openapiv3::OpenAPI>(value) {
        Ok(spec) => return Ok(spec),
        Err(err) => err,
    };
    let mut found = err;
    // Narrow down while an inner node fails on its own: its message is the precise one.
    while let Some(inner) = value.pointer(&found.pointer).and_then(|node| failing_node(node, &found.pointer, 0)) {
        found = inner;
    }
    Err(found)
}

fn read<T: DeserializeOwned>(value: &Value) -> Result<T, ShapeError> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|err| {
        let mut pointer = String::new();
        for segment in err.path().iter() {
            match segment {
                Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                Segment::Map { key } => pointer = child(&pointer, key),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        ShapeError { pointer, message: err.into_inner().to_string() }
    })
}

/// The first node below `node` (at `pointer`) that is not valid by itself as what its
/// position says it is (a path item, operation, parameter, body, response, media type,
/// header or schema).
fn failing_node(node: &Value, pointer: &str, depth: usize) -> Option<ShapeError> {
    if depth > 64 {
        return None;
    }
    let children: Vec<(String, &Value)> = match node {
        Value::Object(object) => {
            object.iter().filter(|(key, _)| is_walked(key)).map(|(key, value)| (child(pointer, key), value)).collect()
        }
        Value::Array(items) => {
            items.iter().enumerate().map(|(index, item)| (format!("{pointer}/{index}"), item)).collect()
        }
        _ => return None,
    };
    for (pointer, value) in children {
        let result = match kind_of(&tokens(&pointer)) {
            Some(Kind::PathItem) => read::<ReferenceOr<openapiv3::PathItem>>(value).map(drop),
            Some(Kind::Operation) => read::<openapiv3::Operation>(value).map(drop),
            Some(Kind::Parameter) => read::<ReferenceOr<openapiv3::Parameter>>(value).map(drop),
            Some(Kind::RequestBody) => read::<ReferenceOr<openapiv3::RequestBody>>(value).map(drop),
            Some(Kind::Response) => read::<ReferenceOr<openapiv3::Response>>(value).map(drop),
            Some(Kind::MediaType) => read::<openapiv3::MediaType>(value).map(drop),
            Some(Kind::Header) => read::<ReferenceOr<openapiv3::Header>>(value).map(drop),
            Some(Kind::Schema) => read::<ReferenceOr<openapiv3::Schema>>(value).map(drop),
            None => match failing_node(value, &pointer, depth + 1) {
                Some(err) => return Some(err),
                None => continue,
            },
        };
        if let Err(mut err) = result {
            err.pointer = format!("{pointer}{}", err.pointer);
            return Some(err);
        }
    }
    None
}

/// The schema any JSON value fits, keeping what documents `schema`.
pub(crate) fn untyped(schema: &Value) -> Value {
    let mut out = Map::new();
    for key in ["title", "description"] {
        if let Some(value) = schema.get(key).filter(|value| value.is_string()) {
            out.insert(key.into(), value.clone());
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_the_innermost_bad_node() {
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "ok": {"type": "string"},
                "bad": {"type": "object", "properties": {"deeper": {"type": "object", "required": true}}},
            }}}},
        });
        let err = typed(&doc).expect_err("a bad schema");
        assert_eq!(err.pointer, "/components/schemas/A/properties/bad/properties/deeper");
        assert!(typed(&json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}})).is_ok());
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
            "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}, "put": {}}},
        });
        let err = typed(&doc).expect_err("an operation without responses");
        assert_eq!(err.pointer, "/paths/~1x/put");
        assert_eq!(err.message, "missing field `responses`");
    }
}
