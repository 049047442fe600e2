//! Comparing two schemas, and the documentation keywords (text, external docs, examples,
//! deprecation, extensions) every object of a document shares.

use anyhow::Result;
use codegen::openapi::child;
use serde_json::Value;

use super::Comparer;
use super::parts::{
    Dir, Place, Side, additional_properties, flag, required, resolve_schema, same_text, scalar, schema_type,
    text_change_message, union_keys,
};
use crate::kinds::Kind;

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

impl<'a> Comparer<'a> {
    /// Compares two schemas, following `$ref`s; `place` says where they sit, for messages.
    pub(super) fn schema(&mut self, old: &'a Value, new: &'a Value, ptr: &str, place: &Place) -> Result<()> {
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

    pub(super) fn schema_body(&mut self, o: &'a Value, n: &'a Value, ptr: &str, place: &Place) -> Result<()> {
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

    pub(super) fn enumeration(&mut self, o: &Value, n: &Value, ptr: &str, place: &Place) {
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

    pub(super) fn properties(&mut self, o: &'a Value, n: &'a Value, ptr: &str, place: &Place) -> Result<()> {
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
    pub(super) fn text(&mut self, o: &Value, n: &Value, key: &str, ptr: &str, kind: Kind, what: &str) {
        if !same_text(o.get(key), n.get(key)) {
            let message = text_change_message(&format!("{key} of {what}"), o.get(key), n.get(key));
            self.push(kind, child(ptr, key), message);
        }
    }

    pub(super) fn external_docs(&mut self, o: &Value, n: &Value, ptr: &str, what: &str) {
        if o.get("externalDocs") != n.get("externalDocs") {
            self.push(Kind::DescriptionChanged, child(ptr, "externalDocs"), format!("externalDocs of {what} changed"));
        }
    }

    pub(super) fn examples(&mut self, o: &Value, n: &Value, ptr: &str, what: &str) {
        for key in ["example", "examples"] {
            if o.get(key) != n.get(key) {
                self.push(Kind::ExampleChanged, child(ptr, key), format!("{key} of {what} changed"));
            }
        }
    }

    pub(super) fn deprecation(&mut self, o: &Value, n: &Value, ptr: &str, what: &str) {
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

    pub(super) fn extensions(&mut self, o: &Value, n: &Value, ptr: &str, what: &str) {
        for key in union_keys(o, n) {
            if key.starts_with("x-") && o.get(key) != n.get(key) {
                self.push(Kind::ExtensionChanged, child(ptr, key), format!("{key} of {what} changed"));
            }
        }
    }

    /// The catch-all: any other key whose value differs.
    pub(super) fn others(&mut self, o: &Value, n: &Value, handled: &[&str], ptr: &str, kind: Kind, what: &str) {
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
