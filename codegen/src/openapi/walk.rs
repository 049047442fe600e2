//! What each node of a document is, by its position, and the one walk over every schema.

use serde_json::Value;

/// What a node of an OpenAPI document is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Header,
    Schema,
}

/// What the node at `path` (the unescaped tokens of its JSON pointer) is read as; `None` for
/// the nodes in between (`paths`, `responses`, `properties`, ...) and everything else.
pub(crate) fn kind_of(path: &[String]) -> Option<Kind> {
    // The kinds of every prefix of the path, from the root: each depends on its parent's and
    // grandparent's, so the path is read once.
    let mut kinds: Vec<Option<Kind>> = Vec::with_capacity(path.len());
    for end in 1..=path.len() {
        let parent = end.checked_sub(2).and_then(|i| kinds.get(i)).copied().flatten();
        let grandparent = end.checked_sub(3).and_then(|i| kinds.get(i)).copied().flatten();
        kinds.push(kind_at(&path[..end], parent, grandparent));
    }
    kinds.last().copied().flatten()
}

/// The kind of the node at `path`, given its parent's and grandparent's.
fn kind_at(path: &[String], parent: Option<Kind>, grandparent: Option<Kind>) -> Option<Kind> {
    let last = |n: usize| path.len().checked_sub(n).and_then(|i| path.get(i)).map(String::as_str);
    // Schema keywords first, and only where they are keywords: a property may be named
    // `responses`, `content` or `properties`, and the keywords of its schema are not schemas.
    match (last(2), last(1)) {
        (Some("properties" | "allOf" | "oneOf" | "anyOf" | "prefixItems" | "patternProperties" | "$defs"), Some(_))
            if grandparent == Some(Kind::Schema) =>
        {
            return Some(Kind::Schema);
        }
        (_, Some("items" | "additionalProperties" | "not")) if parent == Some(Kind::Schema) => {
            return Some(Kind::Schema);
        }
        (_, Some("schema")) if matches!(parent, Some(Kind::Parameter | Kind::MediaType | Kind::Header)) => {
            return Some(Kind::Schema);
        }
        _ => {}
    }
    // Any other key of a schema is a keyword (`type`, `nullable`), never a node of another
    // kind; so is a key of a schema keyword's map that is not a schema (`properties` itself).
    if parent == Some(Kind::Schema) || grandparent == Some(Kind::Schema) {
        return None;
    }
    match (path.len(), last(3), last(2), last(1)) {
        (2, _, Some("paths"), _) => Some(Kind::PathItem),
        (3, _, _, Some(method)) if path[0] == "paths" && super::is_method(method) => Some(Kind::Operation),
        (3, Some("components"), Some("schemas"), _) => Some(Kind::Schema),
        (3, Some("components"), Some("responses"), _) => Some(Kind::Response),
        (3, Some("components"), Some("parameters"), _) => Some(Kind::Parameter),
        (3, Some("components"), Some("requestBodies"), _) => Some(Kind::RequestBody),
        (3, Some("components"), Some("headers"), _) => Some(Kind::Header),
        (_, _, Some("parameters"), _) => Some(Kind::Parameter),
        (_, _, _, Some("requestBody")) => Some(Kind::RequestBody),
        (_, _, Some("responses"), _) => Some(Kind::Response),
        (_, _, Some("content"), _) => Some(Kind::MediaType),
        (_, _, Some("headers"), _) => Some(Kind::Header),
        _ => None,
    }
}

/// Whether the walk goes below `key`: examples are data and extensions are the vendor's.
pub(crate) fn is_walked(key: &str) -> bool {
    key != "example" && key != "examples" && !key.starts_with("x-")
}

/// Calls `visit` on every schema of `doc` with its path (unescaped pointer tokens), outermost
/// first; the walk goes on below each schema as `visit` left it.
pub(crate) fn schemas_mut<E>(
    doc: &mut Value,
    visit: &mut impl FnMut(&[String], &mut Value) -> Result<(), E>,
) -> Result<(), E> {
    fn walk<E>(
        node: &mut Value,
        path: &mut Vec<String>,
        visit: &mut impl FnMut(&[String], &mut Value) -> Result<(), E>,
    ) -> Result<(), E> {
        if path.len() > 256 {
            return Ok(());
        }
        if kind_of(path) == Some(Kind::Schema) {
            visit(path, node)?;
        }
        match node {
            Value::Object(object) => {
                for (key, value) in object.iter_mut().filter(|(key, _)| is_walked(key)) {
                    path.push(key.clone());
                    walk(value, path, visit)?;
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    path.push(index.to_string());
                    walk(item, path, visit)?;
                    path.pop();
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(doc, &mut Vec::new(), visit)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::openapi::tokens;

    #[test]
    fn kinds_by_position() {
        let kind = |pointer: &str| kind_of(&tokens(pointer));
        assert_eq!(kind("/paths/~1x"), Some(Kind::PathItem));
        assert_eq!(kind("/paths/~1x/get"), Some(Kind::Operation));
        assert_eq!(kind("/paths/~1x/get/responses/200"), Some(Kind::Response));
        assert_eq!(kind("/paths/~1x/get/responses/200/content/text~1plain"), Some(Kind::MediaType));
        assert_eq!(kind("/components/schemas/A/properties/responses"), Some(Kind::Schema));
        assert_eq!(kind("/components/schemas/A/properties"), None);
        assert_eq!(kind("/components/schemas/A/properties/properties"), Some(Kind::Schema));
        assert_eq!(kind("/components/schemas/A/properties/properties/nullable"), None);
        assert_eq!(kind("/components/schemas/A/properties/properties/properties/x"), Some(Kind::Schema));
        assert_eq!(kind("/components/schemas/A/properties/items/items"), Some(Kind::Schema));
        assert_eq!(kind("/components/schemas/A/properties/p/schema"), None);
        assert_eq!(kind("/paths/~1x/get/parameters/0/schema"), Some(Kind::Schema));
        assert_eq!(kind("/paths/~1x/get/parameters/0/schema/oneOf/1"), Some(Kind::Schema));
        assert_eq!(kind("/info"), None);
    }

    #[test]
    fn visits_every_schema_outermost_first() {
        let mut doc = json!({
            "paths": {"/x": {"get": {"parameters": [{"schema": {"type": "string"}}], "responses": {"200": {
                "content": {"a/b": {"schema": {"items": {"type": "integer"}}, "example": {"schema": {}}}}
            }}}}},
            "components": {"schemas": {"A": {"properties": {"p": {}}, "x-ext": {"schema": {}}}}},
        });
        let mut seen = Vec::new();
        schemas_mut(&mut doc, &mut |path: &[String], _: &mut Value| -> Result<(), ()> {
            seen.push(path.join("/"));
            Ok(())
        })
        .expect("the walk does not fail");
        assert_eq!(
            seen,
            [
                "paths//x/get/parameters/0/schema",
                "paths//x/get/responses/200/content/a/b/schema",
                "paths//x/get/responses/200/content/a/b/schema/items",
                "components/schemas/A",
                "components/schemas/A/properties/p",
            ]
        );
    }
}
