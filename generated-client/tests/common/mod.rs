//! Helpers shared by the loopback tests: the vendored specs' documented examples.

#![allow(dead_code)]

use std::path::Path;

use serde_json::{Map, Value};

/// A vendored spec, parsed, e.g. `spec("periskope/invite-members.yaml")`.
pub fn spec(relative: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(relative);
    let text = std::fs::read_to_string(&path).expect("the vendored spec is readable");
    serde_yaml_ng::from_str(&text).expect("the vendored spec parses")
}

/// The value at a JSON pointer, which must exist.
pub fn at<'v>(value: &'v Value, pointer: &str) -> &'v Value {
    value.pointer(pointer).unwrap_or_else(|| panic!("{pointer} is in the spec"))
}

/// An instance built from the `example` of every property of an object schema (and the
/// `example` of the schema itself where it has one).
pub fn example_from_schema(schema: &Value) -> Value {
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => Value::Array(vec![example_from_schema(&schema["items"])]),
        _ => {
            let mut object = Map::new();
            for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
                object.insert(name.clone(), example_from_schema(property));
            }
            Value::Object(object)
        }
    }
}
