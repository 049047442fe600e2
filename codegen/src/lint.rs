//! Defects of the pristine upstream documents: examples that do not match their schema,
//! `required` names the schema does not define, allowed values given in prose only, and the
//! same inline schema written out more than once.
//!
//! The fixes are replayed one at a time on the pristine documents, checking again after each:
//! a finding that disappears is covered by the fix that made it go (and that no later fix
//! brings back); one that stays, or that a fix introduces, is not covered.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::openapi::{Merged, child, collect_examples, resolve_or_self as resolve};
use crate::{Error, Vendor, spec};

/// One defect found in a vendor's documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The document, e.g. `specs/periskope/invite-members.yaml`.
    pub file: String,
    /// A JSON pointer into that document.
    pub pointer: String,
    /// What is wrong, in one line.
    pub message: String,
    /// The `x-fix` id of the fix that corrects it, when one does.
    pub fixed_by: Option<String>,
}

impl Finding {
    /// Whether one of the vendor's fixes corrects it.
    pub fn covered(&self) -> bool {
        self.fixed_by.is_some()
    }
}

/// Lints the vendor's pristine documents and says which fix covers each finding.
pub fn lint(vendor: Vendor<'_>) -> Result<Vec<Finding>, Error> {
    let prepared = crate::load::prepare(vendor)?;
    // The fixes change values, not where items come from: every stage shares the origins.
    let mut current = Merged { value: prepared.pristine().clone(), ..prepared.document.clone() };
    let before = check(&current);
    let mut now: BTreeSet<(String, String)> = before.iter().cloned().collect();
    // The fix after which nothing more is wrong at a pointer; a finding whose message only
    // changes on the way (a hint that no longer applies) is fixed where its pointer clears.
    let mut fixed_at: BTreeMap<String, String> = BTreeMap::new();
    // The fix after which a finding's exact message is gone, for pointers that never clear.
    let mut fixed_by: BTreeMap<(String, String), String> = BTreeMap::new();
    if let Some(file) = vendor.fixes {
        for fix in spec::fixes::parse(file)? {
            fix.apply(&mut current.value, file)?;
            let next: BTreeSet<(String, String)> = check(&current).into_iter().collect();
            let pointers = |set: &BTreeSet<(String, String)>| -> BTreeSet<String> {
                set.iter().map(|(pointer, _)| pointer.clone()).collect()
            };
            let (was, is) = (pointers(&now), pointers(&next));
            for cleared in was.difference(&is) {
                fixed_at.insert(cleared.clone(), fix.id.clone());
            }
            for flagged in is.difference(&was) {
                fixed_at.remove(flagged);
            }
            for gone in now.difference(&next) {
                fixed_by.insert(gone.clone(), fix.id.clone());
            }
            for back in next.difference(&now) {
                fixed_by.remove(back);
            }
            now = next;
        }
    }
    let before_set: BTreeSet<&(String, String)> = before.iter().collect();
    let mut findings: Vec<Finding> = before
        .iter()
        .map(|finding| Finding {
            file: current.file_of(&finding.0).to_string(),
            pointer: finding.0.clone(),
            message: finding.1.clone(),
            fixed_by: if now.contains(finding) {
                None
            } else {
                fixed_at.get(&finding.0).or_else(|| fixed_by.get(finding)).cloned()
            },
        })
        .collect();
    for (pointer, message) in now.iter().filter(|item| !before_set.contains(item)) {
        findings.push(Finding {
            file: vendor.fixes.map_or_else(|| current.file_of(pointer).to_string(), |f| f.path.clone()),
            pointer: pointer.clone(),
            message: format!("{message} (introduced by the fixes)"),
            fixed_by: None,
        });
    }
    Ok(findings)
}

/// Every defect of the merged document, as (JSON pointer, message), in document order.
fn check(merged: &Merged) -> Vec<(String, String)> {
    let doc = &merged.value;
    let mut out = Vec::new();
    for example in collect_examples(doc) {
        let mut problems = Vec::new();
        validate(doc, &example.schema, &example.value, "", &mut problems);
        let label = match example.name.as_str() {
            "property examples" => "the property examples".to_string(),
            "example" | "schema example" => "the example".to_string(),
            name => format!("example `{name}`"),
        };
        for (at, problem) in problems {
            out.push((format!("{}{at}", example.pointer), format!("{label} does not match its schema: {problem}")));
        }
    }
    walk(doc, String::new(), &mut out);
    duplicates(merged, &mut out);
    out
}

/// Checks `value` against `schema`, collecting (pointer within the value, problem).
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    let schema = resolve(doc, schema);
    let nullable = schema.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    if value.is_null() {
        if !nullable && schema.get("type").is_some() {
            out.push((at.to_string(), format!("`{}` is null, but the schema is not nullable", display(at))));
        }
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        out.push((at.to_string(), format!("`{}` is {value}, which is not one of the enum values", display(at))));
    }
    let expected = schema.get("type").and_then(Value::as_str);
    let fits = match expected {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        _ => true,
    };
    if !fits {
        out.push((
            at.to_string(),
            format!("`{}` is {}, but the schema says {}", display(at), kind(value), expected.unwrap_or("")),
        ));
        return;
    }
    match value {
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    validate(doc, item_schema, item, &format!("{at}/{index}"), out);
                }
            }
        }
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let open = schema.get("additionalProperties").is_some_and(|a| a != &Value::Bool(false));
            for (name, item) in object {
                let here = child(at, name);
                match properties.and_then(|p| p.get(name)) {
                    Some(property) => validate(doc, property, item, &here, out),
                    None if properties.is_some() && !open => {
                        let hint = properties
                            .and_then(|p| p.keys().find(|known| similar(known, name)))
                            .map(|known| format!(" (it defines `{known}`)"))
                            .unwrap_or_default();
                        out.push((here, format!("property `{name}` is not defined by the schema{hint}")));
                    }
                    None => {}
                }
            }
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
            {
                if !object.contains_key(name) && properties.is_some_and(|p| p.contains_key(name)) {
                    out.push((at.to_string(), format!("required property `{name}` is missing")));
                }
            }
        }
        _ => {}
    }
}

/// Two property names that look like the same name: a plural, or a different case.
fn similar(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || format!("{a}s") == b || format!("{b}s") == a
}

fn display(at: &str) -> &str {
    if at.is_empty() { "the value" } else { at }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Schema-level checks on every node: `required` names that are not defined, and allowed
/// values given in prose only.
fn walk(node: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(object) => {
            let composed = ["allOf", "anyOf", "oneOf"].iter().any(|k| object.contains_key(*k));
            if let (Some(Value::Array(required)), Some(Value::Object(properties))) =
                (object.get("required"), object.get("properties"))
                && !composed
            {
                for (index, name) in required.iter().enumerate() {
                    if let Some(name) = name.as_str()
                        && !properties.contains_key(name)
                    {
                        let defined: Vec<&str> = properties.keys().map(String::as_str).collect();
                        out.push((
                            format!("{pointer}/required/{index}"),
                            format!(
                                "`required` names `{name}`, which the schema does not define (it defines: {})",
                                if defined.is_empty() { "nothing".to_string() } else { defined.join(", ") }
                            ),
                        ));
                    }
                }
            }
            if object.get("type").and_then(Value::as_str) == Some("string")
                && !object.contains_key("enum")
                && let Some(description) = object.get("description").and_then(Value::as_str)
                && let Some(values) = prose_enum(description)
            {
                out.push((
                    pointer.clone(),
                    format!("the description lists the allowed values ({values}), but the schema has no `enum`"),
                ));
            }
            for (key, value) in object {
                walk(value, child(&pointer, key), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(child, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// The values a description lists as allowed ("Allowed values are `a` or `b`"), if it does.
fn prose_enum(description: &str) -> Option<String> {
    let lower = description.to_lowercase();
    let marker = ["allowed values", "possible values", "must be one of", "one of the following"]
        .iter()
        .find_map(|m| lower.find(m))?;
    let rest = &description[marker..];
    let mut values: Vec<&str> = Vec::new();
    for value in rest.split('`').skip(1).step_by(2).filter(|v| !v.is_empty()) {
        if !values.contains(&value) {
            values.push(value);
        }
    }
    (values.len() >= 2).then(|| values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "))
}

/// Inline object schemas with the same shape (ignoring descriptions and examples) written
/// out at more than one place; nested copies inside a reported pair are not reported again.
fn duplicates(merged: &Merged, out: &mut Vec<(String, String)>) {
    let mut shapes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    collect_shapes(&merged.value, String::new(), &mut shapes);
    let mut groups: Vec<Vec<String>> = shapes.into_values().filter(|pointers| pointers.len() > 1).collect();
    groups.sort_by_key(|pointers| pointers.first().map(|p| p.len()).unwrap_or(0));
    let mut reported: Vec<String> = Vec::new();
    for pointers in groups {
        let nested = |p: &String| reported.iter().any(|r| p.starts_with(&format!("{r}/")));
        if pointers.iter().all(nested) {
            continue;
        }
        let first = &pointers[0];
        for other in &pointers[1..] {
            out.push((
                other.clone(),
                format!(
                    "this inline schema repeats the one at {}#{first}; define it once under `components/schemas` \
                     and `$ref` it",
                    merged.file_of(first)
                ),
            ));
        }
        reported.extend(pointers);
    }
}

fn collect_shapes(node: &Value, pointer: String, shapes: &mut BTreeMap<String, Vec<String>>) {
    match node {
        Value::Object(object) => {
            let in_components = pointer.starts_with("/components/schemas/") && pointer.matches('/').count() == 3;
            let properties = object.get("properties").and_then(Value::as_object).map_or(0, |p| p.len());
            if properties >= 3 && !in_components {
                shapes.entry(shape(node)).or_default().push(pointer.clone());
            }
            for (key, value) in object {
                if key != "example" && key != "examples" {
                    collect_shapes(value, child(&pointer, key), shapes);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_shapes(child, format!("{pointer}/{index}"), shapes);
            }
        }
        _ => {}
    }
}

/// A canonical text of a schema's structure: keys sorted, documentation dropped.
fn shape(node: &Value) -> String {
    match node {
        Value::Object(object) => {
            let mut keys: Vec<&String> = object
                .keys()
                .filter(|k| !matches!(k.as_str(), "description" | "example" | "examples" | "title"))
                .collect();
            keys.sort();
            let parts: Vec<String> = keys.iter().map(|k| format!("{k:?}:{}", shape(&object[k.as_str()]))).collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(shape).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}
