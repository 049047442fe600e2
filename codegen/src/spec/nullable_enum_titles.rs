//! A nullable enum keeps the name of its inner type apart from its own.
//!
//! Typify turns a component `Urgency` with `enum: [high, low, null]` into a newtype
//! `Urgency(Option<UrgencyInner>)` around an enum of the values, and names that inner enum
//! after the schema's `title` when there is one. A title that reads as the component's own
//! name (`title: Urgency Level` on `UrgencyLevel`) names both types the same, and the output
//! does not compile (the name is defined twice, the newtype holds itself). This pass drops
//! such a title, so that the inner enum is `UrgencyLevelInner`; the title is documentation
//! only, the component keeps its description.

use heck::ToUpperCamelCase;
use serde_json::Value;

use crate::Error;
use crate::openapi::Merged;

/// Drops the `title` of each component enum that allows `null` and whose title names the
/// component itself; one note per title dropped.
pub(crate) fn apply(merged: &mut Merged) -> Result<Vec<String>, Error> {
    let mut notes = Vec::new();
    let Some(schemas) = merged.value.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else {
        return Ok(notes);
    };
    for (name, schema) in schemas.iter_mut() {
        let allows_null =
            schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.contains(&Value::Null));
        let title = schema.get("title").and_then(Value::as_str).map(ToUpperCamelCase::to_upper_camel_case);
        if !allows_null || title.as_deref() != Some(name.to_upper_camel_case().as_str()) {
            continue;
        }
        if let Some(object) = schema.as_object_mut() {
            object.remove("title");
        }
        let type_name = name.to_upper_camel_case();
        notes.push(format!(
            "schema `{name}`: its title is dropped, so that the enum of its non-null values is `{type_name}Inner` \
             instead of a second `{type_name}`"
        ));
    }
    Ok(notes)
}
