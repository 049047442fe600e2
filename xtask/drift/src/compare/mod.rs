//! Semantic comparison of two OpenAPI 3.0 documents, operation by operation.
//!
//! Both documents are JSON values parsed from YAML, so formatting, quoting, comments and key
//! order are gone before anything is compared. `$ref`s are followed on both sides (a
//! reference and an equal inline schema are the same thing), documentation text is compared
//! with whitespace collapsed, and every difference that is left becomes a [`Change`] of one
//! [`Kind`]. Anything the specific rules do not recognise still produces a catch-all change
//! (`schema-changed`, `operation-changed`), so no upstream edit inside an operation goes
//! unreported.
mod parts;
mod schema;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use anyhow::Result;
use codegen::openapi::{Operation, child};
use serde_json::Value;

use super::kinds::Kind;
use crate::accept::Accepted;
pub use parts::normalize_path;
use parts::{
    Dir, Param, Place, ServerSource, Side, flag, is_success, operations, parameter_style, parameters, requirements,
    resolve, same_text, scalar, servers, text_change_message,
};

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
    /// Set when `specs/accepted-drift.toml` acknowledges the change; the comparer leaves it
    /// `None`.
    pub accepted: Option<Accepted>,
}

/// Compares the vendored document `old` with the upstream document `new`.
///
/// Fails only when a `$ref` in either document does not resolve.
pub fn compare(old: &Value, new: &Value) -> Result<Vec<Change>> {
    let mut cmp = Comparer { old, new, out: Vec::new(), operation: None, active: HashSet::new() };
    cmp.document()?;
    Ok(cmp.out)
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
        self.out.push(Change { kind, operation: self.operation.clone(), pointer, message, accepted: None });
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
                    self.operation = Some(o.label());
                    let message = format!("{} is no longer in the upstream document", o.label());
                    self.push(Kind::EndpointRemoved, o.pointer(), message);
                }
            }
        }
        for (key, n) in &new_ops {
            if !old_ops.contains_key(key) {
                self.operation = Some(n.label());
                let id = n
                    .operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(|id| format!(" ({id})"))
                    .unwrap_or_default();
                let message = format!("upstream added {}{id}, which is not vendored", n.label());
                self.push(Kind::EndpointAdded, n.pointer(), message);
            }
        }
        self.operation = None;
        Ok(())
    }

    fn operation(&mut self, o: &Operation<'a>, n: &Operation<'a>) -> Result<()> {
        self.operation = Some(n.label());
        let ptr = n.pointer();
        let (oo, no) = (o.operation, n.operation);

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

    fn parameters(&mut self, o: &Operation<'a>, n: &Operation<'a>) -> Result<()> {
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

    fn security(&mut self, o: &Operation<'a>, n: &Operation<'a>) -> Result<()> {
        let old = requirements(self.old, o.operation, Side::Vendored)?;
        let new = requirements(self.new, n.operation, Side::Upstream)?;
        if old == new {
            return Ok(());
        }
        let ptr =
            if n.operation.get("security").is_some() { child(&n.pointer(), "security") } else { "/security".into() };
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

    fn servers(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
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
}
