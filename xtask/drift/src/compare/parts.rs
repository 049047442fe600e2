//! The comparer's helpers: where a value sits (side, direction, place), the operations and
//! parameters of a document keyed for matching, effective security and servers, `$ref`s
//! followed through the one resolver of `codegen::openapi`, and message formatting.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use anyhow::{Result, anyhow};
use codegen::openapi::{self, METHODS, Operation, child};
use serde_json::Value;

/// Which document a value comes from, for error messages.
#[derive(Debug, Clone, Copy)]
pub(super) enum Side {
    Vendored,
    Upstream,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Vendored => "the vendored document",
            Side::Upstream => "the upstream document",
        })
    }
}

/// Whether a schema describes what the client sends or what it receives: the same edit can
/// be harmless in one direction and breaking in the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    Request,
    Response,
}

impl Dir {
    pub(super) fn word(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

/// Where in an operation a schema sits, for messages: the body or parameter it belongs to and
/// the property path inside it (`invite.status`, `addedMember[].email`).
#[derive(Debug, Clone)]
pub(super) struct Place {
    pub(super) dir: Dir,
    pub(super) root: String,
    pub(super) path: String,
}

impl Place {
    pub(super) fn new(dir: Dir, root: impl Into<String>) -> Self {
        Place { dir, root: root.into(), path: String::new() }
    }

    pub(super) fn describe(&self) -> String {
        if self.path.is_empty() { self.root.clone() } else { format!("{} property `{}`", self.dir.word(), self.path) }
    }

    pub(super) fn property(&self, name: &str) -> Place {
        let path = if self.path.is_empty() { name.to_string() } else { format!("{}.{name}", self.path) };
        Place { path, ..self.clone() }
    }

    pub(super) fn suffixed(&self, suffix: &str) -> Place {
        Place { path: format!("{}{suffix}", self.path), ..self.clone() }
    }
}
/// One parameter of an operation, after `$ref`s and path-level parameters are resolved.
pub(super) struct Param<'a> {
    pub(super) value: &'a Value,
    pub(super) pointer: String,
    pub(super) location: String,
    pub(super) name: String,
}

impl Param<'_> {
    pub(super) fn describe(&self) -> String {
        format!("{} parameter `{}`", self.location, self.name)
    }

    pub(super) fn required(&self) -> bool {
        self.location == "path" || flag(self.value, "required")
    }
}

/// Every operation of `doc`, keyed by its path template with parameter names erased (so a
/// renamed path parameter is the same endpoint) and its method.
pub(super) fn operations(doc: &Value, side: Side) -> Result<BTreeMap<(String, &'static str), Operation<'_>>> {
    let mut out: BTreeMap<_, _> =
        openapi::operations(doc).map(|op| ((normalize_path(op.path), op.method), op)).collect();
    // A path item may itself be a `$ref`; its operations are those of the item it names.
    let paths = doc.get("paths").and_then(Value::as_object).into_iter().flatten();
    for (path, item) in paths.filter(|(_, item)| item.get("$ref").is_some()) {
        let (item, _) = resolve(doc, item, side)?;
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.insert((normalize_path(path), method), Operation { path, method, item, operation });
            }
        }
    }
    Ok(out)
}

/// A path template with its parameter names erased and no trailing slash: `/members/{}`.
pub fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// The parameters of an operation (path-level ones overridden by operation-level ones), keyed
/// by location and name; path parameters are keyed by their position in the template.
pub(super) fn parameters<'a>(
    doc: &'a Value,
    op: &Operation<'a>,
    side: Side,
) -> Result<BTreeMap<(String, String), Param<'a>>> {
    let template: Vec<&str> =
        op.path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    let mut out = BTreeMap::new();
    let lists = [
        (op.item.get("parameters"), child(&child("/paths", op.path), "parameters")),
        (op.operation.get("parameters"), child(&op.pointer(), "parameters")),
    ];
    for (list, list_ptr) in lists {
        for (i, raw) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
            let (value, _) = resolve(doc, raw, side)?;
            let name = value.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            let location = value.get("in").and_then(Value::as_str).unwrap_or_default().to_string();
            let key = match location.as_str() {
                "path" => template.iter().position(|t| *t == name).map_or_else(|| name.clone(), |i| format!("#{i}")),
                "header" => name.to_ascii_lowercase(),
                _ => name.clone(),
            };
            let pointer = child(&list_ptr, &i.to_string());
            out.insert((location.clone(), key), Param { value, pointer, location, name });
        }
    }
    Ok(out)
}

/// A parameter's `style` and `explode` with OpenAPI's defaults filled in, so that spelling
/// out a default is not a change.
pub(super) fn parameter_style(param: &Param<'_>) -> String {
    let default_style = match param.location.as_str() {
        "query" | "cookie" => "form",
        _ => "simple",
    };
    let style = param.value.get("style").and_then(Value::as_str).unwrap_or(default_style);
    let explode = param.value.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
    format!("style={style}, explode={explode}")
}

/// The effective security requirements of an operation, canonicalised: each requirement maps
/// a canonical form (scheme definitions and sorted scopes) to a readable description.
pub(super) fn requirements(doc: &Value, op: &Value, side: Side) -> Result<BTreeMap<String, String>> {
    let list = op.get("security").or_else(|| doc.get("security")).and_then(Value::as_array);
    let mut out = BTreeMap::new();
    for requirement in list.into_iter().flatten() {
        let mut parts = Vec::new();
        let mut names = Vec::new();
        for (name, scopes) in requirement.as_object().into_iter().flatten() {
            let scheme = match doc.pointer(&child("/components/securitySchemes", name)) {
                Some(scheme) => resolve(doc, scheme, side)?.0,
                None => &Value::Null,
            };
            let mut canonical = serde_json::Map::new();
            for key in ["type", "scheme", "in", "name", "flows", "openIdConnectUrl"] {
                if let Some(value) = scheme.get(key) {
                    let value = match (key, value) {
                        ("scheme", Value::String(s)) => Value::String(s.to_ascii_lowercase()),
                        ("name", Value::String(s)) if scheme.get("in").and_then(Value::as_str) == Some("header") => {
                            Value::String(s.to_ascii_lowercase())
                        }
                        _ => value.clone(),
                    };
                    canonical.insert(key.to_string(), value);
                }
            }
            let mut scopes: Vec<String> = scopes.as_array().into_iter().flatten().map(|s| scalar(Some(s))).collect();
            scopes.sort();
            let kind = [scheme.get("type"), scheme.get("scheme").or_else(|| scheme.get("name"))]
                .into_iter()
                .flatten()
                .map(|v| scalar(Some(v)))
                .collect::<Vec<_>>()
                .join(" ");
            names.push(if kind.is_empty() { format!("`{name}`") } else { format!("`{name}` ({kind})") });
            parts.push(serde_json::json!([canonical, scopes]).to_string());
        }
        parts.sort();
        names.sort();
        let description = if names.is_empty() { "no authentication".to_string() } else { names.join(" + ") };
        out.insert(parts.join(","), description);
    }
    if out.is_empty() {
        out.insert(String::new(), "no authentication".into());
    }
    Ok(out)
}

pub(super) enum ServerSource {
    Operation,
    PathItem,
    Document,
    Default,
}

/// The effective server URLs of an operation, without trailing slashes.
pub(super) fn servers<'a>(doc: &'a Value, op: &Operation<'a>) -> (BTreeSet<String>, ServerSource) {
    let non_empty = |v: Option<&'a Value>| v.and_then(Value::as_array).filter(|a| !a.is_empty());
    let (list, source) = if let Some(list) = non_empty(op.operation.get("servers")) {
        (list, ServerSource::Operation)
    } else if let Some(list) = non_empty(op.item.get("servers")) {
        (list, ServerSource::PathItem)
    } else if let Some(list) = non_empty(doc.get("servers")) {
        (list, ServerSource::Document)
    } else {
        return (BTreeSet::from(["/".to_string()]), ServerSource::Default);
    };
    let urls = list
        .iter()
        .map(|server| {
            let url = server.get("url").and_then(Value::as_str).unwrap_or_default();
            url.trim_end_matches('/').to_string()
        })
        .collect();
    (urls, source)
}

/// Follows `$ref`s with the one resolver of `codegen::openapi`; also says whether any was
/// followed.
pub(super) fn resolve<'v>(doc: &'v Value, value: &'v Value, side: Side) -> Result<(&'v Value, bool)> {
    let target = openapi::resolve(doc, value).map_err(|err| anyhow!("in {side}, {err}"))?;
    Ok((target, value.get("$ref").is_some()))
}

/// Like [`resolve`], and also unwraps `allOf` with a single member and nothing but
/// documentation beside it: that is how a described `$ref` is often written, and it means the
/// same as the member itself.
pub(super) fn resolve_schema<'v>(doc: &'v Value, value: &'v Value, side: Side) -> Result<(&'v Value, bool)> {
    let (mut current, mut through_ref) = resolve(doc, value, side)?;
    for _ in 0..openapi::MAX_REF_HOPS {
        let Some(members) = current.get("allOf").and_then(Value::as_array).filter(|m| m.len() == 1) else { break };
        let only_docs = current
            .as_object()
            .into_iter()
            .flatten()
            .all(|(key, _)| matches!(key.as_str(), "allOf" | "description" | "title" | "example" | "externalDocs"));
        if !only_docs {
            break;
        }
        let (inner, inner_ref) = resolve(doc, &members[0], side)?;
        current = inner;
        through_ref |= inner_ref;
    }
    Ok((current, through_ref))
}

/// The type of a schema, inferred from its keywords when `type` is left out.
pub(super) fn schema_type(schema: &Value) -> Option<&str> {
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        return Some(t);
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        Some("object")
    } else if schema.get("items").is_some() {
        Some("array")
    } else {
        None
    }
}

/// `additionalProperties` normalised: absent, `true` and `{}` all allow anything.
pub(super) fn additional_properties(value: Option<&Value>) -> Option<&Value> {
    match value {
        None | Some(Value::Bool(true)) => None,
        Some(Value::Object(map)) if map.is_empty() => None,
        other => other,
    }
}

pub(super) fn required(schema: &Value) -> BTreeSet<&str> {
    schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

pub(super) fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

pub(super) fn is_success(code: &str) -> bool {
    code.starts_with('2')
}

pub(super) fn union_keys<'v>(o: &'v Value, n: &'v Value) -> Vec<&'v str> {
    let mut keys: Vec<&str> = o.as_object().into_iter().flatten().map(|(k, _)| k.as_str()).collect();
    for (key, _) in n.as_object().into_iter().flatten() {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    keys
}

/// Documentation text is equal when it has the same words: re-wrapping, YAML block styles and
/// trailing newlines do not change what a reader sees.
pub(super) fn same_text(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::String(a)), Some(Value::String(b))) => a.split_whitespace().eq(b.split_whitespace()),
        (a, b) => a == b,
    }
}

pub(super) fn text_change_message(what: &str, old: Option<&Value>, new: Option<&Value>) -> String {
    match (old, new) {
        (None, Some(new)) => format!("{what} was added: {}", preview(new)),
        (Some(_), None) => format!("{what} was removed"),
        (_, Some(new)) => format!("{what} changed to {}", preview(new)),
        (_, None) => format!("{what} changed"),
    }
}

/// The start of a text on one line, for messages.
pub(super) fn preview(value: &Value) -> String {
    const MAX: usize = 60;
    let text = match value {
        Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    };
    if text.chars().count() > MAX {
        format!("\"{}…\"", text.chars().take(MAX).collect::<String>())
    } else {
        format!("\"{text}\"")
    }
}

/// A scalar for messages: strings in backticks, absent as `none`.
pub(super) fn scalar(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "none".into(),
        Some(Value::String(s)) => format!("`{s}`"),
        Some(other) => format!("`{other}`"),
    }
}
