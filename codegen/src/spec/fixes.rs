//! Named corrections of upstream documents, kept apart from the pristine specs.
//!
//! A vendor's fixes are one OpenAPI Overlay 1.0 document: a list of actions, each with a
//! stable name (`x-fix: shared-member-schema`, unique in the file, used in every message,
//! in lint's "fixed by" and in regen's output), an RFC 9535 JSONPath `target`, an `update`
//! (merged into every node the target selects) or `remove: true`, a `description` saying
//! what upstream gets wrong and how we know, and optionally `x-upstream:` the address of the
//! upstream issue. They apply to the vendor's merged document, in order, before validation.
//!
//! A fix must keep earning its place: one whose target selects nothing, or that no longer
//! changes the document (upstream fixed the bug), is an error asking the maintainer to
//! delete it.
//!
//! Before, with the action `{target: "$.components.schemas.Member.properties.name", update:
//! {nullable: true}, description: "..."}`:
//!
//! ```yaml
//! components: {schemas: {Member: {properties: {name: {type: string}}}}}
//! ```
//!
//! After:
//!
//! ```yaml
//! components: {schemas: {Member: {properties: {name: {type: string, nullable: true}}}}}
//! ```

use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::{Error, SpecFile};

/// An Overlay document, as far as the generator uses it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Overlay {
    overlay: String,
    actions: Vec<Action>,
}

#[derive(Deserialize)]
struct Action {
    target: String,
    description: Option<String>,
    update: Option<Value>,
    #[serde(default)]
    remove: bool,
    /// The fix's stable name, used in every message about it.
    #[serde(rename = "x-fix")]
    id: Option<String>,
    /// Where upstream tracks (or shows) the bug, when known.
    #[serde(rename = "x-upstream")]
    upstream: Option<String>,
}

/// One fix: an Overlay action with its stable name, checked and ready to apply.
pub(crate) struct Fix {
    /// The `x-fix` id, e.g. `shared-member-schema`.
    pub id: String,
    /// `fix `id` (first sentence of the description)`, for messages.
    pub name: String,
    upstream: Option<String>,
    target: String,
    path: JsonPath,
    change: Change,
}

enum Change {
    Update(Value),
    Remove,
}

/// Reads the vendor's fixes; every action needs an `x-fix` id (unique in the file), a
/// description, a valid JSONPath target and an `update` or `remove: true`.
pub(crate) fn parse(fixes: &SpecFile) -> Result<Vec<Fix>, Error> {
    let overlay: Overlay =
        serde_yaml_ng::from_str(&fixes.text).map_err(|err| crate::openapi::yaml_error(fixes, &err))?;
    if !overlay.overlay.starts_with("1.") {
        return Err(invalid(fixes, format!("overlay version `{}` is not supported; use 1.0.0", overlay.overlay)));
    }
    let mut parsed: Vec<Fix> = Vec::new();
    for (index, action) in overlay.actions.into_iter().enumerate() {
        let Some(id) = action.id.filter(|id| !id.is_empty()) else {
            return Err(invalid(
                fixes,
                format!(
                    "action {} (target `{}`) has no `x-fix` id; name it (e.g. `x-fix: member-role-enum`) so that \
                     messages and lint can refer to it",
                    index + 1,
                    action.target
                ),
            ));
        };
        if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err(invalid(
                fixes,
                format!("`x-fix: {id}` is not a fix id; use lowercase letters, digits and `-`"),
            ));
        }
        if parsed.iter().any(|fix| fix.id == id) {
            return Err(invalid(fixes, format!("`x-fix: {id}` names two actions; fix ids must be unique")));
        }
        let description = action.description.as_deref().unwrap_or("").trim();
        if description.is_empty() {
            return Err(invalid(
                fixes,
                format!("fix `{id}` has no `description`; say what upstream gets wrong and how we know"),
            ));
        }
        let name = format!("fix `{id}` ({})", first_sentence(description));
        if let Some(url) = &action.upstream
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(invalid(
                fixes,
                format!("{name}: `x-upstream: {url}` is not a URL; give the upstream issue's address"),
            ));
        }
        let path = JsonPath::parse(&action.target).map_err(|err| {
            invalid(fixes, format!("{name}: target `{}` is not valid JSONPath: {err}", action.target))
        })?;
        let change = match (action.remove, action.update) {
            (true, _) => Change::Remove,
            (false, Some(update)) => Change::Update(update),
            (false, None) => return Err(invalid(fixes, format!("{name} has neither `update` nor `remove: true`"))),
        };
        parsed.push(Fix { id, name, upstream: action.upstream, target: action.target, path, change });
    }
    Ok(parsed)
}

/// Applies `fixes` to `doc`, returning one line per applied fix.
pub(crate) fn apply(doc: &mut Value, fixes: &SpecFile) -> Result<Vec<String>, Error> {
    parse(fixes)?.iter().map(|fix| fix.apply(doc, fixes)).collect()
}

impl Fix {
    /// Applies the fix to `doc` (the fixes came from `file`); the note says which fix it was.
    /// A fix that selects nothing or changes nothing is an error asking to delete it.
    pub(crate) fn apply(&self, doc: &mut Value, file: &SpecFile) -> Result<String, Error> {
        let pointers: Vec<String> =
            self.path.query_located(doc).locations().map(|location| location.to_json_pointer()).collect();
        if pointers.is_empty() {
            return Err(self.obsolete(file, "selects nothing"));
        }
        match &self.change {
            Change::Remove => remove(doc, &pointers),
            Change::Update(update) => {
                let mut changed = false;
                for pointer in &pointers {
                    if let Some(node) = doc.pointer_mut(pointer) {
                        let before = node.clone();
                        merge(node, update);
                        changed |= *node != before;
                    }
                }
                if !changed {
                    return Err(self.obsolete(file, "no longer changes anything"));
                }
            }
        }
        Ok(match &self.upstream {
            Some(url) => format!("applied {}, upstream: {url}", self.name),
            None => format!("applied {}", self.name),
        })
    }

    fn obsolete(&self, file: &SpecFile, what: &str) -> Error {
        Error::ObsoleteFix {
            file: file.path.clone(),
            fix: self.name.clone(),
            message: format!("target `{}` {what}", self.target),
        }
    }
}

/// Overlay merge rules: objects merge key by key, recursively; an array target gets the
/// update appended (its items, when the update is an array); anything else is replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => merge(existing, value),
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(items)) => target.extend(items.iter().cloned()),
        (Value::Array(target), item) => target.push(item.clone()),
        (target, update) => *target = update.clone(),
    }
}

/// Removes the nodes at `pointers`; array items from the highest index down, so earlier
/// removals do not shift later ones.
fn remove(doc: &mut Value, pointers: &[String]) {
    let mut sorted: Vec<(&str, &str)> = pointers.iter().filter_map(|p| p.rsplit_once('/')).collect();
    sorted.sort_by(|(parent_a, last_a), (parent_b, last_b)| {
        parent_b.cmp(parent_a).then_with(|| index_of(last_b).cmp(&index_of(last_a)))
    });
    for (parent, last) in sorted {
        let key = crate::openapi::unescape(last);
        match doc.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.shift_remove(&key);
            }
            Some(Value::Array(items)) => {
                if let Ok(index) = key.parse::<usize>()
                    && index < items.len()
                {
                    items.remove(index);
                }
            }
            _ => {}
        }
    }
}

fn index_of(token: &str) -> usize {
    token.parse().unwrap_or(0)
}

/// The first sentence of a description, cut to a readable length, for one-line messages.
fn first_sentence(text: &str) -> String {
    const MAX: usize = 72;
    let line = text.trim().lines().next().unwrap_or("");
    let sentence = line.find(". ").map_or(line, |end| &line[..end]).trim_end_matches('.');
    if sentence.chars().count() <= MAX {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

fn invalid(fixes: &SpecFile, message: String) -> Error {
    Error::Invalid { file: fixes.path.clone(), location: String::new(), message }
}
