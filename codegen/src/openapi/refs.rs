//! The one `$ref` resolver: local references only, at most [`MAX_REF_HOPS`] links in a chain.

use serde_json::Value;

/// The longest `$ref` chain followed; a longer one is taken for a cycle. Real documents chain
/// two or three references; the bound keeps a cycle from hanging any tool.
pub const MAX_REF_HOPS: usize = 32;

/// Why a `$ref` does not lead to a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    /// The reference names another file or a URL.
    #[error("`$ref: {0}` points outside the document; only local references are supported")]
    External(String),
    /// The reference is local, but nothing is there.
    #[error("`$ref: {0}` points to nothing; define it or fix the reference")]
    Dangling(String),
    /// The chain starting at this reference is longer than [`MAX_REF_HOPS`].
    #[error("a `$ref` chain does not end (a reference cycle)")]
    Cycle(String),
}

/// The value one reference (`#/components/schemas/Member`) names, without following further.
pub fn target<'a>(doc: &'a Value, reference: &str) -> Result<&'a Value, RefError> {
    let pointer = reference.strip_prefix('#').ok_or_else(|| RefError::External(reference.to_string()))?;
    doc.pointer(pointer).ok_or_else(|| RefError::Dangling(reference.to_string()))
}

/// Follows `value`'s `$ref` chain to the value it ends at (`value` itself when it is no
/// reference).
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Result<&'a Value, RefError> {
    let mut current = value;
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else { return Ok(current) };
        current = target(doc, reference)?;
    }
    match current.get("$ref").and_then(Value::as_str) {
        None => Ok(current),
        Some(_) => {
            let first = value.get("$ref").and_then(Value::as_str).unwrap_or_default();
            Err(RefError::Cycle(first.to_string()))
        }
    }
}

/// [`resolve`] for documents `crate::load::prepare` has validated, where every reference
/// resolves: a reference that does not is left as it is, so that callers describing or
/// sampling a pristine document see an unresolved node rather than fail.
pub fn resolve_or_self<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    resolve(doc, value).unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn follows_chains_and_names_what_fails() {
        let doc = json!({ "components": { "schemas": {
            "A": { "$ref": "#/components/schemas/B" },
            "B": { "type": "string" },
            "C": { "$ref": "#/components/schemas/D" },
            "D": { "$ref": "#/components/schemas/C" },
        } } });
        let a = json!({ "$ref": "#/components/schemas/A" });
        assert_eq!(resolve(&doc, &a), Ok(&json!({ "type": "string" })));
        let c = json!({ "$ref": "#/components/schemas/C" });
        assert_eq!(resolve(&doc, &c), Err(RefError::Cycle("#/components/schemas/C".into())));
        let missing = json!({ "$ref": "#/components/schemas/Z" });
        assert_eq!(resolve(&doc, &missing), Err(RefError::Dangling("#/components/schemas/Z".into())));
        let external = json!({ "$ref": "other.yaml#/X" });
        assert_eq!(resolve(&doc, &external), Err(RefError::External("other.yaml#/X".into())));
        assert_eq!(resolve_or_self(&doc, &missing), &missing);
    }
}
