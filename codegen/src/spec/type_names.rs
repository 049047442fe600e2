//! Every type typify makes gets a Rust name of its own: the names are claimed before
//! progenitor runs, in `crate::names`' namespace of the `types` module.
//!
//! Typify names a component after its key and an inline schema after where it sits (its
//! `title` when it has one): the property `inner` of `Thing` is `ThingInner`, the items of a
//! list `ThingTagsItem`, a nullable enum's values `ThingKindInner`, the JSON body of the
//! operation `pay` `PayBody`, its answer `PayResponse`. Two such names can be one Rust name:
//! a component `ThingInner` next to that property, two inline answers of one operation, two
//! components `foo_bar` and `FooBar`. Typify then either defines the name twice (the code
//! does not compile) or, worse, gives the second schema the first one's type.
//!
//! This pass predicts those names the way typify forms them ([`crate::names::sanitize`]),
//! components first (their names take precedence: a component is what a user names), then
//! the inline schemas of components and operations in document order. A component whose Rust
//! name another component has gets a new key (every `$ref` follows); an inline schema whose
//! name is taken by a different schema gets a `title` with the first free name
//! ([`crate::names::first_free`]). Equal inline schemas may share a name: typify makes them
//! one type. One note per rename.
//!
//! Before:
//!
//! ```yaml
//! Thing: {type: object, properties: {inner: {type: object, properties: {a: {type: string}}}}}
//! ThingInner: {type: object, properties: {b: {type: integer}}}
//! ```
//!
//! After (and a note):
//!
//! ```yaml
//! Thing: {type: object, properties: {inner: {title: ThingInner2, type: object, properties: {a: {type: string}}}}}
//! ThingInner: {type: object, properties: {b: {type: integer}}}
//! ```

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::Error;
use crate::names::{Case, first_free, sanitize, type_name};
use crate::openapi::{self, Merged, child};

/// How deep the walk goes into nested inline schemas: far deeper than any real document, and
/// a bound, so a pathological one cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Claims a distinct Rust name for every type typify will make of the document.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    let mut notes = hoist_nullable_unions(&mut merged.value);
    notes.extend(rename_components(&mut merged.value));
    let mut claims = Claims::default();
    let keys: Vec<String> = component_keys(&merged.value);
    for key in &keys {
        claims.names.insert(type_name(key), None);
    }
    for key in &keys {
        let pointer = child("/components/schemas", key);
        if let Some(schema) = merged.value.pointer_mut(&pointer) {
            claims.visit(schema, &type_name(key), true, &pointer, 0);
        }
    }
    inherited_properties(&mut merged.value, &keys, &mut claims);
    let operations: Vec<(String, String)> = openapi::operations(&merged.value)
        .filter_map(|operation| Some((operation.pointer(), operation.id()?.to_string())))
        .collect();
    for (pointer, id) in operations {
        for (at, name) in operation_schemas(&merged.value, &pointer, &id) {
            if let Some(schema) = merged.value.pointer_mut(&at) {
                claims.visit(schema, &name, false, &at, 0);
            }
        }
    }
    notes.append(&mut claims.notes);
    Ok(notes)
}

/// Moves the union of each nullable component union (`{nullable: true, anyOf: [..]}`) into a
/// component of its own, `<Key>Inner`, which the component refers to as a nullable `allOf`.
/// Progenitor wraps a nullable union in a `oneOf` with `null`, and typify names the union after
/// the component itself: a type that would hold itself (`struct Stop(Option<Stop>)` next to
/// `enum Stop`).
fn hoist_nullable_unions(doc: &mut Value) -> Vec<String> {
    let mut notes = Vec::new();
    for key in component_keys(doc) {
        let pointer = child("/components/schemas", &key);
        let Some(object) = doc.pointer(&pointer).and_then(Value::as_object) else { continue };
        let nullable = object.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        let union = ["oneOf", "anyOf", "not"].iter().any(|keyword| object.contains_key(*keyword))
            || object.get("allOf").and_then(Value::as_array).is_some_and(|parts| parts.len() > 1);
        if !(nullable && union) {
            continue;
        }
        let inner_key = first_free(&format!("{}Inner", type_name(&key)), |name| {
            component_keys(doc).iter().any(|other| type_name(other) == name)
        });
        let mut inner = object.clone();
        inner.remove("nullable");
        inner.remove("title");
        let mut outer = serde_json::Map::new();
        if let Some(description) = object.get("description") {
            outer.insert("description".into(), description.clone());
        }
        outer.insert("nullable".into(), Value::Bool(true));
        outer.insert(
            "allOf".into(),
            serde_json::json!([{ "$ref": format!("#{}", child("/components/schemas", &inner_key)) }]),
        );
        if let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
            schemas.insert(key.clone(), Value::Object(outer));
            schemas.insert(inner_key.clone(), Value::Object(inner));
        }
        notes.push(format!(
            "#{pointer}: a nullable union; its members are the component `{inner_key}`, which `{}` holds as an `Option`",
            type_name(&key)
        ));
    }
    notes
}

/// The schemas of the operation at `pointer` (its parameters', JSON request body's and JSON
/// answers'), each as the pointer where it is written (through a `$ref` to
/// `components/parameters`, `requestBodies` or `responses`) and the name typify gives it by its
/// place (`<id>-<parameter>`, `<id>-body`, `<id>-response`).
fn operation_schemas(doc: &Value, pointer: &str, id: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let parameters = doc.pointer(&child(pointer, "parameters")).and_then(Value::as_array).map_or(0, Vec::len);
    for index in 0..parameters {
        let at = written_at(doc, format!("{pointer}/parameters/{index}"));
        let Some(name) = doc.pointer(&at).and_then(|parameter| parameter.get("name")).and_then(Value::as_str) else {
            continue;
        };
        out.push((format!("{at}/schema"), type_name(&format!("{id}-{name}"))));
    }
    let body = written_at(doc, child(pointer, "requestBody"));
    for media in json_media(doc, &child(&body, "content")) {
        out.push((child(&child(&body, "content"), &media) + "/schema", type_name(&format!("{id}-body"))));
    }
    let statuses: Vec<String> = doc
        .pointer(&child(pointer, "responses"))
        .and_then(Value::as_object)
        .map(|responses| responses.keys().cloned().collect())
        .unwrap_or_default();
    for status in statuses {
        let response = written_at(doc, child(&child(pointer, "responses"), &status));
        for media in json_media(doc, &child(&response, "content")) {
            let at = child(&child(&response, "content"), &media) + "/schema";
            out.push((at, type_name(&format!("{id}-response"))));
        }
    }
    out
}

/// Where the node at `pointer` is written: the target of its local `$ref`s, followed.
fn written_at(doc: &Value, mut pointer: String) -> String {
    for _ in 0..MAX_DEPTH {
        match doc.pointer(&pointer).and_then(|node| node.get("$ref")).and_then(Value::as_str) {
            Some(target) if target.starts_with('#') => pointer = target[1..].to_string(),
            _ => break,
        }
    }
    pointer
}

/// The JSON media types of the `content` map at `pointer`.
fn json_media(doc: &Value, pointer: &str) -> Vec<String> {
    let content = doc.pointer(pointer).and_then(Value::as_object);
    content.into_iter().flat_map(|content| content.keys()).filter(|media| openapi::is_json(media)).cloned().collect()
}

/// The inline schemas a component inherits through an `allOf` part that is a `$ref`: typify
/// merges the referenced component's properties into the component, and names an inline
/// property schema after the component (`CashFlowReport` + `constraints` →
/// `CashFlowReportConstraints`), which may be another component's name. Such a schema gets the
/// name it has in the component that defines it (`BaseReportConstraints`) as its `title`, so
/// that both places make one type of it.
fn inherited_properties(doc: &mut Value, keys: &[String], claims: &mut Claims) {
    let mut titles: BTreeMap<String, String> = BTreeMap::new();
    for key in keys {
        let mut stack: Vec<(String, usize)> = vec![(key.clone(), 0)];
        let own = type_name(key);
        while let Some((current, depth)) = stack.pop() {
            let Some(schema) = doc.pointer(&child("/components/schemas", &current)) else { continue };
            let parts = schema.get("allOf").and_then(Value::as_array).cloned().unwrap_or_default();
            for part in parts {
                let Some(target) =
                    part.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/"))
                else {
                    continue;
                };
                let target = openapi::unescape(target);
                if depth < 8 {
                    stack.push((target.clone(), depth + 1));
                }
                let Some(properties) = doc
                    .pointer(&child(&child("/components/schemas", &target), "properties"))
                    .and_then(Value::as_object)
                else {
                    continue;
                };
                for (property, value) in properties {
                    let Some(object) = value.as_object() else { continue };
                    if object.contains_key("$ref") || object.contains_key("title") || !is_named(object) {
                        continue;
                    }
                    let field = sanitize(property, Case::Snake);
                    let inherited = type_name(&format!("{own}_{field}"));
                    let taken_by_other =
                        matches!(claims.names.get(&inherited), Some(claim) if claim.as_ref() != Some(&identity(value)));
                    if !taken_by_other {
                        continue;
                    }
                    let pointer = child(&child(&child("/components/schemas", &target), "properties"), property);
                    let name = type_name(&format!("{}_{field}", type_name(&target)));
                    titles.entry(pointer).or_insert(name);
                }
            }
        }
    }
    for (pointer, name) in titles {
        let Some(schema) = doc.pointer_mut(&pointer) else { continue };
        let name = match claims.names.get(&name) {
            Some(Some(claim)) if *claim == identity(schema) => name,
            None => name,
            Some(_) => first_free(&name, |candidate| claims.names.contains_key(candidate)),
        };
        claims.names.insert(name.clone(), Some(identity(schema)));
        set_title(schema, name.clone());
        claims.notes.push(format!(
            "#{pointer}: a component that inherits this property through `allOf` would name its type like another \
             type; it is `{name}` wherever it is used (a `title` added)"
        ));
    }
}

/// The keys of `components.schemas`, in document order.
fn component_keys(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default()
}

/// Gives each component whose Rust name another component has a key of its own (the first
/// free Rust name), and points every `$ref` to it at the new key. The one that keeps the name
/// is the one spelled as it (`FooBar` over `foo_bar`), else the first in document order.
fn rename_components(doc: &mut Value) -> Vec<String> {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    // A key already spelled as its Rust name keeps it (a component added upstream later, in
    // another spelling, does not rename it); then document order.
    let mut keys = component_keys(doc);
    keys.sort_by_key(|key| *key != type_name(key));
    for key in keys {
        let rust = type_name(&key);
        if taken.contains_key(&rust) {
            let new = first_free(&rust, |name| taken.contains_key(name) || doc_has_component(doc, name));
            taken.insert(new.clone(), new.clone());
            renames.push((key, new));
        } else {
            taken.insert(rust, key);
        }
    }
    if renames.is_empty() {
        return Vec::new();
    }
    let mut notes = Vec::new();
    if let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        let map: BTreeMap<&str, &str> = renames.iter().map(|(old, new)| (old.as_str(), new.as_str())).collect();
        *schemas = std::mem::take(schemas)
            .into_iter()
            .map(|(key, value)| (map.get(key.as_str()).map_or(key, |new| new.to_string()), value))
            .collect();
    }
    let references: BTreeMap<String, String> = renames
        .iter()
        .map(|(old, new)| {
            (format!("#{}", child("/components/schemas", old)), format!("#{}", child("/components/schemas", new)))
        })
        .collect();
    repoint(doc, &references, 0);
    for (old, new) in renames {
        notes.push(format!(
            "the component `{old}` would be the Rust type `{}`, as an earlier component is; it is `{new}`",
            type_name(&old)
        ));
    }
    notes
}

fn doc_has_component(doc: &Value, key: &str) -> bool {
    doc.pointer(&child("/components/schemas", key)).is_some()
}

/// Rewrites every `$ref` that `references` maps (examples and extensions are data, not
/// references).
fn repoint(node: &mut Value, references: &BTreeMap<String, String>, depth: usize) {
    if depth > 4 * MAX_DEPTH {
        return;
    }
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && let Some(new) = references.get(target.as_str())
            {
                *target = new.clone();
            }
            for (key, value) in map.iter_mut() {
                if openapi::is_walked(key) {
                    repoint(value, references, depth + 1);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| repoint(item, references, depth + 1)),
        _ => {}
    }
}

/// The Rust names of the `types` module claimed so far: a component's (`None`) or an inline
/// schema's (the schema, so that an equal one may share it).
#[derive(Default)]
struct Claims {
    names: BTreeMap<String, Option<Value>>,
    notes: Vec<String>,
}

impl Claims {
    /// The inline schemas of an operation, named as progenitor asks typify to name them.
    /// One schema named `name` (already a Rust name) by its place; `component` when it is a
    /// component (its name is claimed already), then its inline parts.
    fn visit(&mut self, schema: &mut Value, name: &str, component: bool, pointer: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(object) = schema.as_object() else { return };
        if object.contains_key("$ref") {
            return;
        }
        let nullable = object.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        let title = object.get("title").and_then(Value::as_str).map(type_name);
        let null_value =
            object.get("enum").and_then(Value::as_array).is_some_and(|values| values.contains(&Value::Null));
        // The type's own name: a component's key; an inline schema's title, else its place.
        // A component that allows `null` is a newtype of an `Option` of an inner type, named
        // by its title, else `<Key>Inner`; an inline enum with a `null` value is an `Option`
        // of `<Name>Inner`.
        // A title that names the component itself would name the inner type like the newtype
        // (`Currency(Option<Currency>)`): it is dropped, and the inner type is `<Key>Inner`.
        let title = match title {
            Some(title) if component && (nullable || null_value) && title == name => {
                if let Some(object) = schema.as_object_mut() {
                    object.shift_remove("title");
                }
                self.notes.push(format!(
                    "#{pointer}: the title names the component itself; it is dropped, so that the type of its \
                     non-null values is `{name}Inner` instead of a second `{name}`"
                ));
                None
            }
            title => title,
        };
        // A one-part `allOf` is its part's type, which typify names by the part's own title, else
        // as it would name the holder (a title on the holder is not read).
        if !component && let Some(part) = sole_part_mut(schema) {
            self.visit(part, name, false, &format!("{pointer}/allOf/0"), depth + 1);
            return;
        }
        let Some(object) = schema.as_object() else { return };
        let (base, suffix) = match (component, nullable || null_value) {
            (true, true) => match &title {
                Some(title) => (Some(title.clone()), ""),
                None => (Some(name.to_string()), "Inner"),
            },
            (true, false) => (None, ""),
            (false, _) => {
                (Some(title.clone().unwrap_or_else(|| name.to_string())), if null_value { "Inner" } else { "" })
            }
        };
        let own = match base {
            Some(base) if is_named(object) => self.claim(schema, &base, suffix, pointer),
            Some(base) => format!("{base}{suffix}"),
            None => name.to_string(),
        };
        let Some(object) = schema.as_object_mut() else { return };
        self.visit_properties(object, &own, pointer, depth);
        if let Some(value) = object.get_mut("additionalProperties").filter(|value| value.is_object()) {
            self.visit(value, &format!("{own}Value"), false, &format!("{pointer}/additionalProperties"), depth + 1);
        }
        if let Some(items) = object.get_mut("items") {
            self.visit(items, &format!("{own}Item"), false, &format!("{pointer}/items"), depth + 1);
        }
        if let Some(Value::Array(parts)) = object.get_mut("allOf") {
            // Typify merges the parts into one type: their properties are its properties.
            for (index, part) in parts.iter_mut().enumerate() {
                if let Some(part) = part.as_object_mut() {
                    self.visit_properties(part, &own, &format!("{pointer}/allOf/{index}"), depth);
                }
            }
        }
        // A union's members: typify names a member by its title when it has one (how it names
        // an untitled one is not predicted here, so those are left as they are).
        for keyword in ["oneOf", "anyOf"] {
            let Some(Value::Array(members)) = object.get_mut(keyword) else { continue };
            for (index, member) in members.iter_mut().enumerate() {
                if let Some(title) = member.get("title").and_then(Value::as_str).map(type_name) {
                    self.visit(member, &title, false, &format!("{pointer}/{keyword}/{index}"), depth + 1);
                }
            }
        }
    }

    /// The properties of `object` (at `pointer`), each named `<Own><Property>` as typify names
    /// a struct's inline property types.
    fn visit_properties(&mut self, object: &mut Map<String, Value>, own: &str, pointer: &str, depth: usize) {
        let Some(Value::Object(properties)) = object.get_mut("properties") else { return };
        for (property, value) in properties.iter_mut() {
            let at = child(&format!("{pointer}/properties"), property);
            let child_name = type_name(&format!("{own}_{}", sanitize(property, Case::Snake)));
            self.visit(value, &child_name, false, &at, depth + 1);
        }
    }

    /// Claims `base` + `suffix` for the inline `schema`; when a different schema has it, the
    /// schema gets a `title` with the first free base (`{base}{n}`, so that typify's name is
    /// `{base}{n}{suffix}`). Returns the name the type gets.
    fn claim(&mut self, schema: &mut Value, base: &str, suffix: &str, pointer: &str) -> String {
        let wanted = format!("{base}{suffix}");
        let key = identity(named_schema(schema));
        match self.names.get(&wanted) {
            None => {
                self.names.insert(wanted.clone(), Some(key));
                return wanted;
            }
            Some(Some(claimed)) if *claimed == key => return wanted,
            Some(_) => {}
        }
        let title = first_free(base, |name| name == base || self.names.contains_key(&format!("{name}{suffix}")));
        let free = format!("{title}{suffix}");
        set_title(schema, title);
        // The schema that carries the title now (a nullable union's is a part of it).
        self.names.insert(free.clone(), Some(identity(named_schema(schema))));
        self.notes.push(format!(
            "#{pointer}: typify would name this schema `{wanted}`, a name another type has; it is `{free}` in Rust \
             (a `title` added)"
        ));
        free
    }
}

/// Whether typify makes a named type (a struct, an enum, a newtype) of an inline schema, as
/// opposed to a native one (`String`, `Vec<T>`, a map, `serde_json::Value`).
fn is_named(object: &Map<String, Value>) -> bool {
    let has = |key: &str| object.contains_key(key);
    let several = |key: &str| object.get(key).and_then(Value::as_array).is_some_and(|parts| parts.len() > 1);
    let properties = object.get("properties").and_then(Value::as_object).is_some_and(|map| !map.is_empty());
    let constrained_string = object.get("type").and_then(Value::as_str) == Some("string")
        && (has("pattern") || has("minLength") || has("maxLength"));
    let untitled_named_part =
        sole_part(object).and_then(Value::as_object).is_some_and(|part| !part.contains_key("title") && is_named(part));
    properties
        || has("enum")
        || several("oneOf")
        || several("anyOf")
        || several("allOf")
        || constrained_string
        || untitled_named_part
}

/// The inline part of a one-part `allOf` that says nothing else (`{nullable: true, allOf:
/// [{properties: ..}]}`): typify makes the holder that part's type, named by the part's
/// `title`, else by the holder's place.
fn sole_part(object: &Map<String, Value>) -> Option<&Value> {
    let Some(Value::Array(parts)) = object.get("allOf") else { return None };
    // What the holder may say besides and still be its part's type (typify reads these as
    // annotations; any other keyword makes it merge the two).
    let annotations_only = object.keys().all(|key| {
        matches!(key.as_str(), "allOf" | "type" | "nullable")
            || key.starts_with("x-")
            || crate::openapi::ANNOTATIONS.contains(&key.as_str())
    });
    match parts.as_slice() {
        [part @ Value::Object(inline)] if annotations_only && !inline.contains_key("$ref") => Some(part),
        _ => None,
    }
}

fn sole_part_mut(schema: &mut Value) -> Option<&mut Value> {
    sole_part(schema.as_object()?)?;
    schema.pointer_mut("/allOf/0")
}

/// The schema whose title names `schema`'s type: its sole part's, followed.
fn named_schema(schema: &Value) -> &Value {
    let mut schema = schema;
    for _ in 0..MAX_DEPTH {
        match schema.as_object().and_then(sole_part) {
            Some(part) => schema = part,
            None => break,
        }
    }
    schema
}

/// Names `schema`'s type `title`. Progenitor moves the title of a nullable `oneOf`, `anyOf`,
/// `allOf` or `not` to a wrapper and names the inner type by its place, so such a schema
/// becomes a nullable `allOf` of one titled part: the same type, named. A one-part `allOf`
/// holder's title goes on its part, the schema typify names.
fn set_title(schema: &mut Value, title: String) {
    if let Some(part) = sole_part_mut(schema) {
        return set_title(part, title);
    }
    let Some(object) = schema.as_object_mut() else { return };
    let nullable = object.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    let composite = ["oneOf", "anyOf", "allOf", "not"].iter().any(|key| object.contains_key(*key));
    if !(nullable && composite) {
        object.insert("title".into(), Value::String(title));
        return;
    }
    let mut inner = std::mem::take(object);
    inner.remove("nullable");
    inner.insert("title".into(), Value::String(title));
    if let Some(description) = inner.get("description").cloned() {
        object.insert("description".into(), description);
    }
    object.insert("nullable".into(), Value::Bool(true));
    object.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
}

/// The schema as compared for sharing a name: without its `title`, which this pass may add.
fn identity(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(object) = schema.as_object_mut() {
        object.remove("title");
    }
    schema
}
