//! Semantic comparison of two OpenAPI 3.0 documents, operation by operation.
//!
//! Both documents are JSON values parsed from YAML, so formatting, quoting, comments and key
//! order are gone before anything is compared. `$ref`s are followed on both sides (a
//! reference and an equal inline schema are the same thing), documentation text is compared
//! with whitespace collapsed, and every difference that is left becomes a [`Change`] of one
//! [`Kind`]. Anything the specific rules do not recognise still produces a catch-all change
//! (`schema-changed`, `operation-changed`), so no upstream edit inside an operation goes
//! unreported.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::kinds::Kind;

/// One difference between the vendored and the upstream document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What kind of change it is; gives the id and the level.
    pub kind: Kind,
    /// The operation it belongs to (`POST /members/invite`), `None` for document-level changes.
    pub operation: Option<String>,
    /// A JSON pointer to where the change is, in the upstream document with `$ref`s followed
    /// (for a removal: where the element was).
    pub pointer: String,
    /// One line for a human.
    pub message: String,
}

/// Compares the vendored document `old` with the upstream document `new`.
///
/// Fails only when a `$ref` in either document does not resolve.
pub fn compare(old: &Value, new: &Value) -> Result<Vec<Change>> {
    let mut cmp = Comparer { old, new, out: Vec::new(), operation: None, active: HashSet::new() };
    cmp.document()?;
    Ok(cmp.out)
}

/// The HTTP methods an OpenAPI 3.0 path item can hold, in the order operations are listed.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Keywords that only constrain values; a change to one is `constraint-changed`.
const CONSTRAINTS: [&str; 13] = [
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
];

/// `$ref` chains longer than this are treated as an error (they are cycles in practice).
const MAX_REF_HOPS: usize = 32;

/// Which document a value comes from, for error messages.
#[derive(Debug, Clone, Copy)]
enum Side {
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
enum Dir {
    Request,
    Response,
}

impl Dir {
    fn word(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

/// Where in an operation a schema sits, for messages: the body or parameter it belongs to and
/// the property path inside it (`invite.status`, `addedMember[].email`).
#[derive(Debug, Clone)]
struct Place {
    dir: Dir,
    root: String,
    path: String,
}

impl Place {
    fn new(dir: Dir, root: impl Into<String>) -> Self {
        Place { dir, root: root.into(), path: String::new() }
    }

    fn describe(&self) -> String {
        if self.path.is_empty() { self.root.clone() } else { format!("{} property `{}`", self.dir.word(), self.path) }
    }

    fn property(&self, name: &str) -> Place {
        let path = if self.path.is_empty() { name.to_string() } else { format!("{}.{name}", self.path) };
        Place { path, ..self.clone() }
    }

    fn suffixed(&self, suffix: &str) -> Place {
        Place { path: format!("{}{suffix}", self.path), ..self.clone() }
    }
}

/// One operation of a document.
struct Op<'a> {
    method: &'static str,
    path: &'a str,
    item: &'a Value,
    op: &'a Value,
}

impl Op<'_> {
    fn name(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }

    fn pointer(&self) -> String {
        child(&child("/paths", self.path), self.method)
    }
}

/// One parameter of an operation, after `$ref`s and path-level parameters are resolved.
struct Param<'a> {
    value: &'a Value,
    pointer: String,
    location: String,
    name: String,
}

impl Param<'_> {
    fn describe(&self) -> String {
        format!("{} parameter `{}`", self.location, self.name)
    }

    fn required(&self) -> bool {
        self.location == "path" || flag(self.value, "required")
    }
}

struct Comparer<'a> {
    old: &'a Value,
    new: &'a Value,
    out: Vec<Change>,
    operation: Option<String>,
    /// Pairs of schemas (by address) being compared further up the stack; meeting one again
    /// means a recursive schema, which is then not walked a second time.
    active: HashSet<(usize, usize)>,
}

impl<'a> Comparer<'a> {
    fn push(&mut self, kind: Kind, pointer: String, message: String) {
        self.out.push(Change { kind, operation: self.operation.clone(), pointer, message });
    }

    fn document(&mut self) -> Result<()> {
        let (old, new) = (self.old, self.new);
        if old.get("openapi") != new.get("openapi") {
            let message = format!(
                "openapi version changed from {} to {}",
                scalar(old.get("openapi")),
                scalar(new.get("openapi"))
            );
            self.push(Kind::OpenapiVersionChanged, "/openapi".into(), message);
        }
        let (old_info, new_info) = (old.get("info").unwrap_or(&Value::Null), new.get("info").unwrap_or(&Value::Null));
        for key in ["title", "description", "version"] {
            if !same_text(old_info.get(key), new_info.get(key)) {
                let message = text_change_message(&format!("info.{key}"), old_info.get(key), new_info.get(key));
                self.push(Kind::InfoChanged, child("/info", key), message);
            }
        }

        let old_ops = operations(old, Side::Vendored)?;
        let new_ops = operations(new, Side::Upstream)?;
        for (key, o) in &old_ops {
            match new_ops.get(key) {
                Some(n) => self.operation(o, n)?,
                None => {
                    self.operation = Some(o.name());
                    let message = format!("{} is no longer in the upstream document", o.name());
                    self.push(Kind::EndpointRemoved, o.pointer(), message);
                }
            }
        }
        for (key, n) in &new_ops {
            if !old_ops.contains_key(key) {
                self.operation = Some(n.name());
                let id =
                    n.op.get("operationId").and_then(Value::as_str).map(|id| format!(" ({id})")).unwrap_or_default();
                let message = format!("upstream added {}{id}, which is not vendored", n.name());
                self.push(Kind::EndpointAdded, n.pointer(), message);
            }
        }
        self.operation = None;
        Ok(())
    }

    fn operation(&mut self, o: &Op<'a>, n: &Op<'a>) -> Result<()> {
        self.operation = Some(n.name());
        let ptr = n.pointer();
        let (oo, no) = (o.op, n.op);

        if oo.get("operationId") != no.get("operationId") {
            let message = format!(
                "operationId changed from {} to {}; the generated method is renamed",
                scalar(oo.get("operationId")),
                scalar(no.get("operationId"))
            );
            self.push(Kind::OperationIdChanged, child(&ptr, "operationId"), message);
        }
        self.text(oo, no, "summary", &ptr, Kind::SummaryChanged, "the operation");
        self.text(oo, no, "description", &ptr, Kind::DescriptionChanged, "the operation");
        self.external_docs(oo, no, &ptr, "the operation");
        self.deprecation(oo, no, &ptr, "the operation");
        let tags = |op: &Value| -> BTreeSet<String> {
            op.get("tags").and_then(Value::as_array).into_iter().flatten().map(|t| scalar(Some(t))).collect()
        };
        if tags(oo) != tags(no) {
            let list = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>().join(", ");
            let message = format!("tags changed from [{}] to [{}]", list(tags(oo)), list(tags(no)));
            self.push(Kind::TagsChanged, child(&ptr, "tags"), message);
        }

        self.parameters(o, n)?;
        self.request_body(oo.get("requestBody"), no.get("requestBody"), &child(&ptr, "requestBody"))?;
        self.responses(oo.get("responses"), no.get("responses"), &child(&ptr, "responses"))?;
        self.security(o, n)?;
        self.servers(o, n);
        self.extensions(oo, no, &ptr, "the operation");
        let handled = [
            "operationId",
            "summary",
            "description",
            "externalDocs",
            "deprecated",
            "tags",
            "parameters",
            "requestBody",
            "responses",
            "security",
            "servers",
        ];
        self.others(oo, no, &handled, &ptr, Kind::OperationChanged, "the operation");
        Ok(())
    }

    fn parameters(&mut self, o: &Op<'a>, n: &Op<'a>) -> Result<()> {
        let old = parameters(self.old, o, Side::Vendored)?;
        let new = parameters(self.new, n, Side::Upstream)?;
        for (key, op) in &old {
            let Some(np) = new.get(key) else {
                let message = format!("{} was removed", op.describe());
                self.push(Kind::RequestParameterRemoved, op.pointer.clone(), message);
                continue;
            };
            self.parameter(op, np)?;
        }
        for (key, np) in &new {
            if old.contains_key(key) {
                continue;
            }
            let (kind, how) = if np.required() {
                (Kind::RequestParameterAddedRequired, "required")
            } else {
                (Kind::RequestParameterAddedOptional, "optional")
            };
            let message = format!("{} was added ({how})", np.describe());
            self.push(kind, np.pointer.clone(), message);
        }
        Ok(())
    }

    fn parameter(&mut self, op: &Param<'a>, np: &Param<'a>) -> Result<()> {
        let (ov, nv, ptr) = (op.value, np.value, &np.pointer);
        let what = np.describe();
        if op.name != np.name {
            let message = format!("{} was renamed to `{}`", op.describe(), np.name);
            self.push(Kind::RequestParameterChanged, child(ptr, "name"), message);
        }
        match (op.required(), np.required()) {
            (false, true) => self.push(
                Kind::RequestParameterBecameRequired,
                child(ptr, "required"),
                format!("{what} became required"),
            ),
            (true, false) => self.push(
                Kind::RequestParameterBecameOptional,
                child(ptr, "required"),
                format!("{what} became optional"),
            ),
            _ => {}
        }
        self.text(ov, nv, "description", ptr, Kind::DescriptionChanged, &what);
        self.deprecation(ov, nv, ptr, &what);
        self.examples(ov, nv, ptr, &what);
        let (old_style, new_style) = (parameter_style(op), parameter_style(np));
        if old_style != new_style {
            let message = format!("serialisation of {what} changed from {old_style} to {new_style}");
            self.push(Kind::RequestParameterChanged, ptr.clone(), message);
        }
        match (ov.get("schema"), nv.get("schema")) {
            (Some(os), Some(ns)) => self.schema(os, ns, &child(ptr, "schema"), &Place::new(Dir::Request, &what))?,
            (None, None) => {}
            _ => {
                let message = format!("{what} switched between `schema` and `content`");
                self.push(Kind::RequestParameterChanged, ptr.clone(), message);
            }
        }
        if ov.get("content").is_some() || nv.get("content").is_some() {
            self.content(ov.get("content"), nv.get("content"), &child(ptr, "content"), Dir::Request, &what)?;
        }
        self.extensions(ov, nv, ptr, &what);
        let handled = [
            "name",
            "in",
            "required",
            "description",
            "deprecated",
            "example",
            "examples",
            "style",
            "explode",
            "schema",
            "content",
        ];
        self.others(ov, nv, &handled, ptr, Kind::RequestParameterChanged, &what);
        Ok(())
    }

    fn request_body(&mut self, old: Option<&'a Value>, new: Option<&'a Value>, ptr: &str) -> Result<()> {
        let old = old.map(|v| resolve(self.old, v, Side::Vendored)).transpose()?.map(|(v, _)| v);
        let new = new.map(|v| resolve(self.new, v, Side::Upstream)).transpose()?.map(|(v, _)| v);
        let (ob, nb) = match (old, new) {
            (None, None) => return Ok(()),
            (None, Some(nb)) => {
                let (kind, how) = if flag(nb, "required") {
                    (Kind::RequestBodyAddedRequired, "required")
                } else {
                    (Kind::RequestBodyAddedOptional, "optional")
                };
                self.push(kind, ptr.to_string(), format!("a request body was added ({how})"));
                return Ok(());
            }
            (Some(_), None) => {
                self.push(Kind::RequestBodyRemoved, ptr.to_string(), "the request body was removed".into());
                return Ok(());
            }
            (Some(ob), Some(nb)) => (ob, nb),
        };
        match (flag(ob, "required"), flag(nb, "required")) {
            (false, true) => self.push(
                Kind::RequestBodyBecameRequired,
                child(ptr, "required"),
                "the request body became required".into(),
            ),
            (true, false) => self.push(
                Kind::RequestBodyBecameOptional,
                child(ptr, "required"),
                "the request body became optional".into(),
            ),
            _ => {}
        }
        self.text(ob, nb, "description", ptr, Kind::DescriptionChanged, "the request body");
        self.content(ob.get("content"), nb.get("content"), &child(ptr, "content"), Dir::Request, "request body")?;
        self.extensions(ob, nb, ptr, "the request body");
        self.others(ob, nb, &["required", "description", "content"], ptr, Kind::SchemaChanged, "the request body");
        Ok(())
    }

    fn responses(&mut self, old: Option<&'a Value>, new: Option<&'a Value>, ptr: &str) -> Result<()> {
        let codes = |v: Option<&'a Value>| -> BTreeMap<String, (&'a str, &'a Value)> {
            v.and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(code, _)| !code.starts_with("x-"))
                .map(|(code, response)| (code.to_ascii_uppercase(), (code.as_str(), response)))
                .collect()
        };
        let (old_codes, new_codes) = (codes(old), codes(new));
        for (code, (raw, response)) in &old_codes {
            let Some((new_raw, new_response)) = new_codes.get(code) else {
                let (kind, what) = if is_success(code) {
                    (Kind::ResponseSuccessStatusRemoved, "success")
                } else {
                    (Kind::ResponseErrorStatusRemoved, "error")
                };
                self.push(kind, child(ptr, raw), format!("{what} response {raw} was removed"));
                continue;
            };
            let (or, _) = resolve(self.old, response, Side::Vendored)?;
            let (nr, _) = resolve(self.new, new_response, Side::Upstream)?;
            self.response(or, nr, &child(ptr, new_raw), new_raw)?;
        }
        for (code, (raw, _)) in &new_codes {
            if old_codes.contains_key(code) {
                continue;
            }
            let (kind, what) = if is_success(code) {
                (Kind::ResponseSuccessStatusAdded, "success")
            } else {
                (Kind::ResponseErrorStatusAdded, "error")
            };
            self.push(kind, child(ptr, raw), format!("{what} response {raw} was added"));
        }
        Ok(())
    }

    fn response(&mut self, or: &'a Value, nr: &'a Value, ptr: &str, code: &str) -> Result<()> {
        let what = format!("response {code}");
        self.text(or, nr, "description", ptr, Kind::DescriptionChanged, &what);
        let headers = |v: &'a Value| -> BTreeMap<String, (&'a str, &'a Value)> {
            v.get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, header)| (name.to_ascii_lowercase(), (name.as_str(), header)))
                .collect()
        };
        let (old_headers, new_headers) = (headers(or), headers(nr));
        let headers_ptr = child(ptr, "headers");
        for (key, (name, header)) in &old_headers {
            let Some((new_name, new_header)) = new_headers.get(key) else {
                let message = format!("header `{name}` of {what} was removed");
                self.push(Kind::ResponseHeaderRemoved, child(&headers_ptr, name), message);
                continue;
            };
            let (oh, _) = resolve(self.old, header, Side::Vendored)?;
            let (nh, _) = resolve(self.new, new_header, Side::Upstream)?;
            let header_ptr = child(&headers_ptr, new_name);
            let header_what = format!("header `{new_name}` of {what}");
            self.text(oh, nh, "description", &header_ptr, Kind::DescriptionChanged, &header_what);
            if let (Some(os), Some(ns)) = (oh.get("schema"), nh.get("schema")) {
                self.schema(os, ns, &child(&header_ptr, "schema"), &Place::new(Dir::Response, &header_what))?;
            }
        }
        for (key, (name, _)) in &new_headers {
            if !old_headers.contains_key(key) {
                let message = format!("header `{name}` of {what} was added");
                self.push(Kind::ResponseHeaderAdded, child(&headers_ptr, name), message);
            }
        }
        self.content(
            or.get("content"),
            nr.get("content"),
            &child(ptr, "content"),
            Dir::Response,
            &format!("{what} body"),
        )?;
        self.extensions(or, nr, ptr, &what);
        self.others(or, nr, &["description", "headers", "content", "links"], ptr, Kind::SchemaChanged, &what);
        Ok(())
    }

    /// Compares the media types of a body; `what` names the body ("request body").
    fn content(
        &mut self,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
        ptr: &str,
        dir: Dir,
        what: &str,
    ) -> Result<()> {
        let media = |v: Option<&'a Value>| -> BTreeMap<String, (&'a str, &'a Value)> {
            v.and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, m)| (name.to_ascii_lowercase(), (name.as_str(), m)))
                .collect()
        };
        let (old_media, new_media) = (media(old), media(new));
        let (added, removed) = match dir {
            Dir::Request => (Kind::RequestMediaTypeAdded, Kind::RequestMediaTypeRemoved),
            Dir::Response => (Kind::ResponseMediaTypeAdded, Kind::ResponseMediaTypeRemoved),
        };
        for (key, (name, om)) in &old_media {
            let Some((new_name, nm)) = new_media.get(key) else {
                self.push(removed, child(ptr, name), format!("media type `{name}` of {what} was removed"));
                continue;
            };
            let media_ptr = child(ptr, new_name);
            match (om.get("schema"), nm.get("schema")) {
                (Some(os), Some(ns)) => self.schema(os, ns, &child(&media_ptr, "schema"), &Place::new(dir, what))?,
                (None, None) => {}
                (None, Some(_)) => {
                    let message = format!("{what} ({new_name}) gained a schema");
                    self.push(Kind::SchemaChanged, child(&media_ptr, "schema"), message);
                }
                (Some(_), None) => {
                    let message = format!("{what} ({new_name}) lost its schema");
                    self.push(Kind::SchemaChanged, child(&media_ptr, "schema"), message);
                }
            }
            self.examples(om, nm, &media_ptr, what);
            self.extensions(om, nm, &media_ptr, what);
            self.others(om, nm, &["schema", "example", "examples"], &media_ptr, Kind::SchemaChanged, what);
        }
        for (key, (name, _)) in &new_media {
            if !old_media.contains_key(key) {
                self.push(added, child(ptr, name), format!("media type `{name}` of {what} was added"));
            }
        }
        Ok(())
    }

    fn security(&mut self, o: &Op<'a>, n: &Op<'a>) -> Result<()> {
        let old = requirements(self.old, o.op, Side::Vendored)?;
        let new = requirements(self.new, n.op, Side::Upstream)?;
        if old == new {
            return Ok(());
        }
        let ptr = if n.op.get("security").is_some() { child(&n.pointer(), "security") } else { "/security".into() };
        let describe = |set: &BTreeMap<String, String>| set.values().cloned().collect::<Vec<_>>().join(" or ");
        let message = format!("security changed from {} to {}", describe(&old), describe(&new));
        let kind = if old.keys().all(|key| new.contains_key(key)) {
            Kind::SecurityAlternativeAdded
        } else {
            Kind::SecurityChanged
        };
        self.push(kind, ptr, message);
        Ok(())
    }

    fn servers(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let (old, _) = servers(self.old, o);
        let (new, source) = servers(self.new, n);
        if old != new {
            let list = |set: &BTreeSet<String>| set.iter().map(|url| format!("`{url}`")).collect::<Vec<_>>().join(", ");
            let ptr = match source {
                ServerSource::Operation => child(&n.pointer(), "servers"),
                ServerSource::PathItem => child(&child("/paths", n.path), "servers"),
                ServerSource::Document | ServerSource::Default => "/servers".into(),
            };
            let message = format!("server URL changed from {} to {}", list(&old), list(&new));
            self.push(Kind::ServerUrlChanged, ptr, message);
        }
    }

    /// Compares two schemas, following `$ref`s; `place` says where they sit, for messages.
    fn schema(&mut self, old: &'a Value, new: &'a Value, ptr: &str, place: &Place) -> Result<()> {
        let (o, old_ref) = resolve_schema(self.old, old, Side::Vendored)?;
        let (n, new_ref) = resolve_schema(self.new, new, Side::Upstream)?;
        let key = (std::ptr::from_ref(o) as usize, std::ptr::from_ref(n) as usize);
        let through_ref = old_ref || new_ref;
        if through_ref && !self.active.insert(key) {
            return Ok(());
        }
        let result = self.schema_body(o, n, ptr, place);
        if through_ref {
            self.active.remove(&key);
        }
        result
    }

    fn schema_body(&mut self, o: &'a Value, n: &'a Value, ptr: &str, place: &Place) -> Result<()> {
        let what = place.describe();
        if !o.is_object() || !n.is_object() {
            if o != n {
                self.push(Kind::SchemaChanged, ptr.to_string(), format!("the schema of {what} changed"));
            }
            return Ok(());
        }
        self.text(o, n, "description", ptr, Kind::DescriptionChanged, &what);
        self.text(o, n, "title", ptr, Kind::TitleChanged, &what);
        self.external_docs(o, n, ptr, &what);
        self.examples(o, n, ptr, &what);
        self.deprecation(o, n, ptr, &what);
        self.extensions(o, n, ptr, &what);

        match (flag(o, "nullable"), flag(n, "nullable"), place.dir) {
            (false, true, Dir::Request) => {
                self.push(Kind::RequestNullableAdded, child(ptr, "nullable"), format!("{what} may now be null"))
            }
            (true, false, Dir::Request) => {
                self.push(Kind::RequestNullableRemoved, child(ptr, "nullable"), format!("{what} may no longer be null"))
            }
            (false, true, Dir::Response) => {
                self.push(Kind::ResponseNullableAdded, child(ptr, "nullable"), format!("{what} may now be null"))
            }
            (true, false, Dir::Response) => self.push(
                Kind::ResponseNullableRemoved,
                child(ptr, "nullable"),
                format!("{what} is no longer nullable"),
            ),
            _ => {}
        }

        let (old_type, new_type) = (schema_type(o), schema_type(n));
        if old_type != new_type {
            let message =
                format!("type of {what} changed from {} to {}", old_type.unwrap_or("any"), new_type.unwrap_or("any"));
            self.push(Kind::TypeChanged, child(ptr, "type"), message);
            // Below a type change every keyword means something else; comparing further
            // would only add noise.
            return Ok(());
        }
        if o.get("format") != n.get("format") {
            let message =
                format!("format of {what} changed from {} to {}", scalar(o.get("format")), scalar(n.get("format")));
            self.push(Kind::FormatChanged, child(ptr, "format"), message);
        }
        self.enumeration(o, n, ptr, place);
        for keyword in CONSTRAINTS {
            if o.get(keyword) != n.get(keyword) {
                let message = format!(
                    "{keyword} of {what} changed from {} to {}",
                    scalar(o.get(keyword)),
                    scalar(n.get(keyword))
                );
                self.push(Kind::ConstraintChanged, child(ptr, keyword), message);
            }
        }
        if o.get("default") != n.get("default") {
            let message =
                format!("default of {what} changed from {} to {}", scalar(o.get("default")), scalar(n.get("default")));
            self.push(Kind::DefaultChanged, child(ptr, "default"), message);
        }

        self.properties(o, n, ptr, place)?;
        match (o.get("additionalProperties"), n.get("additionalProperties")) {
            (Some(os @ Value::Object(om)), Some(ns @ Value::Object(nm))) if !om.is_empty() && !nm.is_empty() => {
                self.schema(os, ns, &child(ptr, "additionalProperties"), &place.suffixed("{}"))?;
            }
            (old_ap, new_ap) => {
                if additional_properties(old_ap) != additional_properties(new_ap) {
                    let message = format!("additionalProperties of {what} changed");
                    self.push(Kind::AdditionalPropertiesChanged, child(ptr, "additionalProperties"), message);
                }
            }
        }
        match (o.get("items"), n.get("items")) {
            (Some(oi), Some(ni)) => self.schema(oi, ni, &child(ptr, "items"), &place.suffixed("[]"))?,
            (None, None) => {}
            _ => self.push(Kind::SchemaChanged, child(ptr, "items"), format!("items of {what} changed")),
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            match (o.get(keyword).and_then(Value::as_array), n.get(keyword).and_then(Value::as_array)) {
                (None, None) => {}
                (Some(oa), Some(na)) if oa.len() == na.len() => {
                    let list_ptr = child(ptr, keyword);
                    for (i, (os, ns)) in oa.iter().zip(na).enumerate() {
                        self.schema(
                            os,
                            ns,
                            &child(&list_ptr, &i.to_string()),
                            &place.suffixed(&format!("<{keyword}[{i}]>")),
                        )?;
                    }
                }
                (oa, na) => {
                    let count = |a: Option<&Vec<Value>>| a.map_or(0, Vec::len);
                    let message =
                        format!("{keyword} of {what} changed from {} to {} alternatives", count(oa), count(na));
                    self.push(Kind::SchemaChanged, child(ptr, keyword), message);
                }
            }
        }
        match (o.get("not"), n.get("not")) {
            (Some(os), Some(ns)) => self.schema(os, ns, &child(ptr, "not"), &place.suffixed("<not>"))?,
            (None, None) => {}
            _ => self.push(Kind::SchemaChanged, child(ptr, "not"), format!("`not` of {what} changed")),
        }

        let mut handled = vec![
            "description",
            "title",
            "externalDocs",
            "example",
            "examples",
            "deprecated",
            "nullable",
            "type",
            "format",
            "enum",
            "default",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "oneOf",
            "anyOf",
            "allOf",
            "not",
        ];
        handled.extend(CONSTRAINTS);
        self.others(o, n, &handled, ptr, Kind::SchemaChanged, &what);
        Ok(())
    }

    fn enumeration(&mut self, o: &Value, n: &Value, ptr: &str, place: &Place) {
        let what = place.describe();
        let ptr = child(ptr, "enum");
        match (o.get("enum").and_then(Value::as_array), n.get("enum").and_then(Value::as_array)) {
            (None, None) => {}
            (None, Some(_)) => self.push(Kind::SchemaChanged, ptr, format!("{what} is now restricted to an enum")),
            (Some(_), None) => {
                self.push(Kind::SchemaChanged, ptr, format!("{what} is no longer restricted to an enum"))
            }
            (Some(old), Some(new)) => {
                let (added, removed) = match place.dir {
                    Dir::Request => (Kind::RequestEnumValueAdded, Kind::RequestEnumValueRemoved),
                    Dir::Response => (Kind::ResponseEnumValueAdded, Kind::ResponseEnumValueRemoved),
                };
                for value in old.iter().filter(|v| !new.contains(v)) {
                    self.push(
                        removed,
                        ptr.clone(),
                        format!("enum value {} of {what} was removed", scalar(Some(value))),
                    );
                }
                for value in new.iter().filter(|v| !old.contains(v)) {
                    self.push(added, ptr.clone(), format!("enum value {} was added to {what}", scalar(Some(value))));
                }
            }
        }
    }

    fn properties(&mut self, o: &'a Value, n: &'a Value, ptr: &str, place: &Place) -> Result<()> {
        let old = o.get("properties").and_then(Value::as_object);
        let new = n.get("properties").and_then(Value::as_object);
        if old.is_none() && new.is_none() {
            return Ok(());
        }
        let (old_required, new_required) = (required(o), required(n));
        let props_ptr = child(ptr, "properties");
        let dir = place.dir;
        for (name, os) in old.into_iter().flatten() {
            let prop_ptr = child(&props_ptr, name);
            let prop = place.property(name);
            let Some(ns) = new.and_then(|new| new.get(name)) else {
                let kind = match dir {
                    Dir::Request => Kind::RequestPropertyRemoved,
                    Dir::Response => Kind::ResponsePropertyRemoved,
                };
                self.push(kind, prop_ptr, format!("{} was removed", prop.describe()));
                continue;
            };
            let change = match (dir, old_required.contains(name.as_str()), new_required.contains(name.as_str())) {
                (Dir::Request, false, true) => Some((Kind::RequestPropertyBecameRequired, "became required")),
                (Dir::Request, true, false) => Some((Kind::RequestPropertyBecameOptional, "became optional")),
                (Dir::Response, true, false) => Some((Kind::ResponsePropertyBecameOptional, "became optional")),
                (Dir::Response, false, true) => Some((Kind::ResponsePropertyBecameRequired, "became required")),
                _ => None,
            };
            if let Some((kind, how)) = change {
                self.push(kind, child(ptr, "required"), format!("{} {how}", prop.describe()));
            }
            self.schema(os, ns, &prop_ptr, &prop)?;
        }
        for name in new.into_iter().flatten().map(|(name, _)| name) {
            if old.is_some_and(|old| old.contains_key(name)) {
                continue;
            }
            let prop = place.property(name);
            let (kind, how) = match (dir, new_required.contains(name.as_str())) {
                (Dir::Request, true) => (Kind::RequestPropertyAddedRequired, " as required"),
                (Dir::Request, false) => (Kind::RequestPropertyAddedOptional, " as optional"),
                (Dir::Response, _) => (Kind::ResponsePropertyAdded, ""),
            };
            self.push(kind, child(&props_ptr, name), format!("{} was added{how}", prop.describe()));
        }
        Ok(())
    }

    /// Compares documentation text with whitespace collapsed.
    fn text(&mut self, o: &Value, n: &Value, key: &str, ptr: &str, kind: Kind, what: &str) {
        if !same_text(o.get(key), n.get(key)) {
            let message = text_change_message(&format!("{key} of {what}"), o.get(key), n.get(key));
            self.push(kind, child(ptr, key), message);
        }
    }

    fn external_docs(&mut self, o: &Value, n: &Value, ptr: &str, what: &str) {
        if o.get("externalDocs") != n.get("externalDocs") {
            self.push(Kind::DescriptionChanged, child(ptr, "externalDocs"), format!("externalDocs of {what} changed"));
        }
    }

    fn examples(&mut self, o: &Value, n: &Value, ptr: &str, what: &str) {
        for key in ["example", "examples"] {
            if o.get(key) != n.get(key) {
                self.push(Kind::ExampleChanged, child(ptr, key), format!("{key} of {what} changed"));
            }
        }
    }

    fn deprecation(&mut self, o: &Value, n: &Value, ptr: &str, what: &str) {
        match (flag(o, "deprecated"), flag(n, "deprecated")) {
            (false, true) => {
                self.push(Kind::DeprecationAdded, child(ptr, "deprecated"), format!("{what} became deprecated"))
            }
            (true, false) => {
                self.push(Kind::DeprecationRemoved, child(ptr, "deprecated"), format!("{what} is no longer deprecated"))
            }
            _ => {}
        }
    }

    fn extensions(&mut self, o: &Value, n: &Value, ptr: &str, what: &str) {
        for key in union_keys(o, n) {
            if key.starts_with("x-") && o.get(key) != n.get(key) {
                self.push(Kind::ExtensionChanged, child(ptr, key), format!("{key} of {what} changed"));
            }
        }
    }

    /// The catch-all: any other key whose value differs.
    fn others(&mut self, o: &Value, n: &Value, handled: &[&str], ptr: &str, kind: Kind, what: &str) {
        for key in union_keys(o, n) {
            if handled.contains(&key) || key.starts_with("x-") || key == "$ref" {
                continue;
            }
            if o.get(key) != n.get(key) {
                self.push(kind, child(ptr, key), format!("`{key}` of {what} changed"));
            }
        }
    }
}

/// Every operation of `doc`, keyed by its path template with parameter names erased (so a
/// renamed path parameter is the same endpoint) and its method.
fn operations(doc: &Value, side: Side) -> Result<BTreeMap<(String, &'static str), Op<'_>>> {
    let mut out = BTreeMap::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let (item, _) = resolve(doc, item, side)?;
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.insert((normalize_path(path), method), Op { method, path, item, op });
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
fn parameters<'a>(doc: &'a Value, op: &Op<'a>, side: Side) -> Result<BTreeMap<(String, String), Param<'a>>> {
    let template: Vec<&str> =
        op.path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    let mut out = BTreeMap::new();
    let lists = [
        (op.item.get("parameters"), child(&child("/paths", op.path), "parameters")),
        (op.op.get("parameters"), child(&op.pointer(), "parameters")),
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
fn parameter_style(param: &Param<'_>) -> String {
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
fn requirements(doc: &Value, op: &Value, side: Side) -> Result<BTreeMap<String, String>> {
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

enum ServerSource {
    Operation,
    PathItem,
    Document,
    Default,
}

/// The effective server URLs of an operation, without trailing slashes.
fn servers<'a>(doc: &'a Value, op: &Op<'a>) -> (BTreeSet<String>, ServerSource) {
    let non_empty = |v: Option<&'a Value>| v.and_then(Value::as_array).filter(|a| !a.is_empty());
    let (list, source) = if let Some(list) = non_empty(op.op.get("servers")) {
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

/// Follows `$ref`s (local ones only) to the value they name; also says whether any was followed.
fn resolve<'v>(doc: &'v Value, value: &'v Value, side: Side) -> Result<(&'v Value, bool)> {
    let mut current = value;
    let mut through_ref = false;
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return Ok((current, through_ref));
        };
        current = reference.strip_prefix('#').and_then(|pointer| doc.pointer(pointer)).with_context(|| {
            format!("in {side}, `$ref: {reference}` does not resolve; only local references (`#/components/...`) are supported")
        })?;
        through_ref = true;
    }
    bail!("in {side}, a `$ref` chain is longer than {MAX_REF_HOPS} links; is there a `$ref` cycle?")
}

/// Like [`resolve`], and also unwraps `allOf` with a single member and nothing but
/// documentation beside it: that is how a described `$ref` is often written, and it means the
/// same as the member itself.
fn resolve_schema<'v>(doc: &'v Value, value: &'v Value, side: Side) -> Result<(&'v Value, bool)> {
    let (mut current, mut through_ref) = resolve(doc, value, side)?;
    for _ in 0..MAX_REF_HOPS {
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
fn schema_type(schema: &Value) -> Option<&str> {
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
fn additional_properties(value: Option<&Value>) -> Option<&Value> {
    match value {
        None | Some(Value::Bool(true)) => None,
        Some(Value::Object(map)) if map.is_empty() => None,
        other => other,
    }
}

fn required(schema: &Value) -> BTreeSet<&str> {
    schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn is_success(code: &str) -> bool {
    code.starts_with('2')
}

fn union_keys<'v>(o: &'v Value, n: &'v Value) -> Vec<&'v str> {
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
fn same_text(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::String(a)), Some(Value::String(b))) => a.split_whitespace().eq(b.split_whitespace()),
        (a, b) => a == b,
    }
}

fn text_change_message(what: &str, old: Option<&Value>, new: Option<&Value>) -> String {
    match (old, new) {
        (None, Some(new)) => format!("{what} was added: {}", preview(new)),
        (Some(_), None) => format!("{what} was removed"),
        (_, Some(new)) => format!("{what} changed to {}", preview(new)),
        (_, None) => format!("{what} changed"),
    }
}

/// The start of a text on one line, for messages.
fn preview(value: &Value) -> String {
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
fn scalar(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "none".into(),
        Some(Value::String(s)) => format!("`{s}`"),
        Some(other) => format!("`{other}`"),
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml_ng::from_str(text).expect("test YAML parses")
    }

    fn ids(old: &str, new: &str) -> Vec<&'static str> {
        compare(&yaml(old), &yaml(new)).expect("compares").iter().map(|c| c.kind.id()).collect()
    }

    const BASE: &str = r##"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /things/{id}:
    post:
      operationId: makeThing
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Thing" }
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: { type: string, description: "The  name\n" }
        child: { $ref: "#/components/schemas/Thing" }
"##;

    #[test]
    fn identical_documents_have_no_changes() {
        assert_eq!(ids(BASE, BASE), Vec::<&str>::new());
    }

    #[test]
    fn ref_and_equal_inline_schema_are_the_same() {
        let inline = BASE.replace(
            r##"schema: { $ref: "#/components/schemas/Thing" }
      responses:"##,
            r##"schema:
              type: object
              required: [name]
              properties:
                name: { type: string, description: The name }
                child: { $ref: "#/components/schemas/Thing" }
      responses:"##,
        );
        assert_ne!(inline, BASE);
        assert_eq!(ids(BASE, &inline), Vec::<&str>::new());
    }

    #[test]
    fn renamed_path_parameter_is_the_same_endpoint() {
        let renamed = BASE.replace("/things/{id}", "/things/{thingId}").replace("name: id,", "name: thingId,");
        assert_eq!(ids(BASE, &renamed), vec!["request-parameter-changed"]);
    }

    #[test]
    fn recursive_schema_changes_are_found_once_per_place() {
        let changed = BASE.replace("name: { type: string,", "name: { type: integer,");
        // Once under the request body, once under the response; the recursion through `child`
        // meets the pair being compared and stops.
        assert_eq!(ids(BASE, &changed), vec!["type-changed", "type-changed"]);
    }

    #[test]
    fn dangling_ref_is_an_error() {
        let broken = BASE.replace(
            "#/components/schemas/Thing\" }\n      responses",
            "#/components/schemas/Nope\" }\n      responses",
        );
        let err = compare(&yaml(BASE), &yaml(&broken)).expect_err("dangling ref");
        assert!(err.to_string().contains("#/components/schemas/Nope"), "{err}");
    }

    #[test]
    fn pointers_escape_slashes() {
        assert_eq!(child("/paths", "/a/{b}"), "/paths/~1a~1{b}");
        assert_eq!(normalize_path("/members/{email}/"), "/members/{}");
    }
}
