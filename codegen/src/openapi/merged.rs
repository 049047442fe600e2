//! The one document every tool works on: a vendor's documents merged, with the file each item
//! came from (`crate::load` makes it).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{is_method, tokens};
use crate::Degradation;

/// A vendor's documents merged into one, and the file each item came from.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged document.
    pub value: Value,
    /// Keyed by operation (`"POST /members/invite"`), component (`"#/components/schemas/Member"`),
    /// path-level key or top-level key.
    pub origins: BTreeMap<String, String>,
    /// The first document, which stands for items no document owns alone.
    pub first_file: String,
    /// The vendor's module name (`periskope`), for messages.
    pub vendor: String,
    /// Names the passes changed so that they make distinct Rust identifiers: the name in the
    /// document → the name on the wire, which the generated code's strings get back.
    pub renamed: BTreeMap<String, String>,
    /// What the steps so far degraded instead of refusing (see [`crate::Degradation`]).
    pub degradations: Vec<Degradation>,
}

impl Merged {
    /// The file that defines the item at `pointer` (a JSON pointer into the merged document).
    pub fn file_of(&self, pointer: &str) -> &str {
        let key = match tokens(pointer).as_slice() {
            [paths, path, method, ..] if paths == "paths" && is_method(method) => {
                format!("{} {path}", method.to_uppercase())
            }
            [components, section, name, ..] if components == "components" => {
                super::child(&format!("#/components/{section}"), name)
            }
            _ => String::new(),
        };
        self.origins.get(&key).map_or(self.first_file.as_str(), String::as_str)
    }
}
