//! Sample values from a document for the operation examples in the generated docs: each
//! parameter's documented value, the request body's example, and placeholders where the
//! document gives none.

use serde_json::{Map, Value};

use self::strings::{fits_string, sample_string};
use super::{Operation, resolve_or_self as resolve};

mod strings;

/// One parameter of an operation with the value its example uses.
pub(crate) struct Parameter {
    pub name: String,
    pub value: Value,
}

/// The parameters to set in the example: every required one, and optional ones for which
/// the specification gives an example, a default or enum values. An optional `Content-Type`
/// header beside a request body is left out: the body's media type says what is sent (OpenAPI
/// ignores such a parameter), and a sample of another type would contradict it.
pub(crate) fn parameters(doc: &Value, operation: &Operation<'_>) -> Vec<Parameter> {
    let mut out = Vec::new();
    for parameter in operation.parameters() {
        let parameter = resolve(doc, parameter);
        let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
        let required = parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
        let header = parameter.get("in").and_then(Value::as_str) == Some("header");
        if header
            && !required
            && name.eq_ignore_ascii_case("content-type")
            && operation.operation.get("requestBody").is_some()
        {
            continue;
        }
        let schema = parameter.get("schema").map(|schema| resolve(doc, schema)).unwrap_or(&Value::Null);
        let documented = first_named_example(doc, parameter)
            .or_else(|| parameter.get("example"))
            .or_else(|| schema.get("example"))
            .or_else(|| schema.get("default"))
            .or_else(|| schema.get("enum").and_then(|values| values.get(0)))
            .cloned();
        let value = match documented {
            Some(value) => conform(doc, schema, value, name),
            None if required => placeholder(doc, schema, name),
            None => continue,
        };
        out.push(Parameter { name: name.to_string(), value });
    }
    out
}

/// The JSON request body of the example: the first named example, the media type's or the
/// schema's `example`, or one composed from the schema; required properties it lacks are added.
pub(crate) fn request_example(doc: &Value, operation: &Value) -> Option<Value> {
    let body = resolve(doc, operation.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    // The JSON media type (`application/json`, `…+json`, with parameters or not), else the
    // only one there is (a form, say): what the typed body setter sends.
    let json = content.iter().find(|(media, _)| {
        let essence = media.split(';').next().unwrap_or_default().trim();
        essence == "application/json" || essence.ends_with("+json")
    });
    let (_, media) = json.or_else(|| (content.len() == 1).then(|| content.iter().next()).flatten())?;
    let schema = media.get("schema").map(|schema| resolve(doc, schema)).unwrap_or(&Value::Null);
    let named = first_named_example(doc, media);
    let example = named.or_else(|| media.get("example")).or_else(|| schema.get("example")).cloned();
    let example = example.unwrap_or_else(|| placeholder(doc, schema, "body"));
    let mut example = conform(doc, schema, example, "body");
    drop_read_only(doc, schema, &mut example, 0);
    Some(example)
}

/// Removes from a request sample the properties the schema marks `readOnly` (the server's own,
/// such as `id` or `created_at`, which a request must not send), unless they are required.
fn drop_read_only(doc: &Value, schema: &Value, value: &mut Value, depth: usize) {
    if depth > MAX_SAMPLE_DEPTH {
        return;
    }
    let schema = resolve(doc, schema);
    match value {
        Value::Object(object) => {
            let required = required_names(doc, schema, true, 0);
            object.retain(|name, _| {
                required.contains(name)
                    || !property_schema(doc, schema, name, 0)
                        .is_some_and(|property| property.get("readOnly") == Some(&Value::Bool(true)))
            });
            for (name, item) in object.iter_mut() {
                if let Some(property) = property_schema(doc, schema, name, 0) {
                    drop_read_only(doc, property, item, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                items.iter_mut().for_each(|item| drop_read_only(doc, item_schema, item, depth + 1));
            }
        }
        _ => {}
    }
}

/// The parts of a composed schema (`allOf`, `oneOf`, `anyOf`), resolved.
fn parts<'d>(doc: &'d Value, schema: &'d Value) -> impl Iterator<Item = &'d Value> {
    ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter_map(|key| schema.get(key)?.as_array())
        .flatten()
        .map(|part| resolve(doc, part))
}

/// The schema of property `name` of `schema`, its own or a part's (resolved).
pub(crate) fn property_schema<'d>(doc: &'d Value, schema: &'d Value, name: &str, depth: usize) -> Option<&'d Value> {
    if depth > MAX_SAMPLE_DEPTH {
        return None;
    }
    let own =
        schema.get("properties").and_then(|properties| properties.get(name)).map(|property| resolve(doc, property));
    own.or_else(|| parts(doc, schema).find_map(|part| property_schema(doc, part, name, depth + 1)))
}

/// The names `schema` requires, its own and its `allOf` parts', and with `unions` those its
/// `oneOf` and `anyOf` members require too.
fn required_names(doc: &Value, schema: &Value, unions: bool, depth: usize) -> Vec<String> {
    if depth > MAX_SAMPLE_DEPTH {
        return Vec::new();
    }
    let own = schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    let mut names: Vec<String> = own.map(str::to_string).collect();
    let keys: &[&str] = if unions { &["allOf", "oneOf", "anyOf"] } else { &["allOf"] };
    for part in keys.iter().filter_map(|key| schema.get(*key)?.as_array()).flatten() {
        names.extend(required_names(doc, resolve(doc, part), unions, depth + 1));
    }
    names
}

/// The value of the first of the named `examples` of a parameter or a media type.
fn first_named_example<'d>(doc: &'d Value, holder: &'d Value) -> Option<&'d Value> {
    let examples = holder.get("examples")?.as_object()?;
    resolve(doc, examples.values().next()?).get("value")
}

/// A value for `schema` where the specification gives no example: its `example`, default or
/// first enum value, its properties' examples, or a plain value of its type.
fn placeholder(doc: &Value, schema: &Value, name: &str) -> Value {
    sample(doc, schema, name, 0)
}

/// How deep a sample goes into nested and recursive schemas (a tree node's children, a union
/// that contains itself): deeper parts are left out.
const MAX_SAMPLE_DEPTH: usize = 12;

/// [`placeholder`] at `depth` levels of nesting.
fn sample(doc: &Value, schema: &Value, name: &str, depth: usize) -> Value {
    if depth > MAX_SAMPLE_DEPTH {
        CUT.set(true);
        return Value::Null;
    }
    let placeholder = |doc: &Value, schema: &Value, name: &str| sample(doc, schema, name, depth + 1);
    let schema = resolve(doc, schema);
    if let Some(value) = ["example", "default"].iter().find_map(|key| schema.get(*key)) {
        return conform(doc, &without_examples(schema), value.clone(), name);
    }
    if let Some(first) = schema.get("enum").and_then(|values| values.get(0)) {
        return first.clone();
    }
    // A union: its first member (with the discriminator's value for it), merged with what the
    // schema itself says; an intersection: every part merged.
    let first_member = ["oneOf", "anyOf"].iter().find_map(|key| schema.get(*key)?.as_array()?.first());
    let parts: Vec<&Value> = match (first_member, schema.get("allOf").and_then(Value::as_array)) {
        (Some(member), _) => vec![member],
        (None, Some(parts)) => parts.iter().collect(),
        (None, None) => Vec::new(),
    };
    if !parts.is_empty() {
        let mut own = schema.clone();
        if let Some(own) = own.as_object_mut() {
            for key in ["oneOf", "anyOf", "allOf", "discriminator"] {
                own.remove(key);
            }
        }
        let mut merged = if own.get("properties").is_some() { placeholder(doc, &own, name) } else { Value::Null };
        // A part any value fits (`allOf: [{}, {$ref: User}]`) adds nothing.
        for part in parts.into_iter().filter(|part| !super::says_nothing(resolve(doc, part))) {
            match (&mut merged, placeholder(doc, part, name)) {
                // A name a part requires but leaves to another part to define keeps the value
                // of the part that defines it (a boolean, not the part's any-type value).
                (Value::Object(into), Value::Object(from)) => {
                    for (key, value) in from {
                        if !into.contains_key(&key) || property_schema(doc, resolve(doc, part), &key, 0).is_some() {
                            into.insert(key, value);
                        }
                    }
                }
                (into @ Value::Null, value) => *into = value,
                _ => {}
            }
        }
        // The holder's own `required`, of properties its parts define (or none does).
        if let Value::Object(object) = &mut merged {
            for required in required_names(doc, schema, false, 0) {
                if !object.contains_key(&required) {
                    let property = property_schema(doc, schema, &required, 0).unwrap_or(&Value::Null);
                    object.insert(required.clone(), placeholder(doc, property, &required));
                }
            }
        }
        if let (Value::Object(object), Some(discriminator)) = (&mut merged, schema.get("discriminator"))
            && let Some(property) = discriminator.get("propertyName").and_then(Value::as_str)
            && let Some(reference) = first_member.and_then(|member| member.get("$ref")).and_then(Value::as_str)
        {
            let mapped = discriminator.get("mapping").and_then(Value::as_object).and_then(|mapping| {
                mapping.iter().find(|(_, target)| target.as_str() == Some(reference)).map(|(key, _)| key.clone())
            });
            let value = mapped.unwrap_or_else(|| reference.rsplit('/').next().unwrap_or(reference).to_string());
            object.insert(property.to_string(), Value::String(value));
        }
        return merged;
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") | Some("number") => bounded_number(schema),
        Some("boolean") => Value::Bool(true),
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            // An item cut off by the depth bound (`null`) is left out: the list is empty.
            let item = placeholder(doc, items, name);
            sized_list(schema, if item.is_null() && !nullable(doc, items) { Vec::new() } else { vec![item] })
        }
        Some("object") | None if schema.get("properties").is_some() => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let properties = schema["properties"].as_object().into_iter().flatten();
            let shown = |(property, property_schema): &(&String, &Value)| {
                required.contains(&property.as_str()) || resolve(doc, property_schema).get("example").is_some()
            };
            // Required properties and those with examples; all of them when that is none.
            let mut chosen: Vec<(&String, &Value)> = properties.clone().filter(shown).collect();
            if chosen.is_empty() {
                chosen = properties.collect();
            }
            // A property cut off by the depth bound (`null`) is left out, unless it is required.
            let mut object: Map<String, Value> = chosen
                .into_iter()
                .map(|(property, property_schema)| {
                    (property, property_schema, placeholder(doc, property_schema, property))
                })
                .filter(|(property, property_schema, value)| {
                    !value.is_null() || required.contains(&property.as_str()) || nullable(doc, property_schema)
                })
                .map(|(property, _, value)| (property.clone(), value))
                .collect();
            // A required name the schema does not define: a value of any type.
            for name in required {
                if !object.contains_key(name) {
                    object.insert(name.to_string(), placeholder(doc, &Value::Null, name));
                }
            }
            Value::Object(object)
        }
        // A map (`additionalProperties`, with `type: object` or without a type): an empty one.
        Some("object") => Value::Object(Map::new()),
        None if schema.get("additionalProperties").is_some_and(|others| others != &Value::Bool(false)) => {
            Value::Object(Map::new())
        }
        // A list without a type (`items` alone).
        None if schema.get("items").is_some() => {
            let item = placeholder(doc, &schema["items"], name);
            sized_list(schema, if item.is_null() { Vec::new() } else { vec![item] })
        }
        _ => Value::String(sample_string(schema, name)),
    }
}

/// Whether `schema` allows `null`.
fn nullable(doc: &Value, schema: &Value) -> bool {
    resolve(doc, schema).get("nullable") == Some(&Value::Bool(true))
}

/// Whether `number` is within the bounds of `schema` (`minimum`, `maximum`, exclusive or not:
/// OpenAPI 3.0's booleans).
pub(crate) fn fits_number(schema: &Map<String, Value>, number: f64) -> bool {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    let above =
        bound("minimum").is_none_or(|min| if exclusive("exclusiveMinimum") { number > min } else { number >= min });
    let below =
        bound("maximum").is_none_or(|max| if exclusive("exclusiveMaximum") { number < max } else { number <= max });
    above && below
}

/// A number for `schema`: its lower bound (one above it when exclusive), else 1, kept under
/// its upper bound.
fn bounded_number(schema: &Value) -> Value {
    let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
    let step = if integer { 1.0 } else { 0.5 };
    let exclusive = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    let mut number = match schema.get("minimum").and_then(Value::as_f64) {
        Some(min) if exclusive("exclusiveMinimum") => min + step,
        Some(min) => min,
        None => 1.0,
    };
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
        && !schema.as_object().is_none_or(|schema| fits_number(schema, number))
    {
        number = if exclusive("exclusiveMaximum") { max - step } else { max };
    }
    match (integer, schema.get("minimum")) {
        // The document's own bound, as written, when it fits.
        (_, Some(min)) if min.as_f64() == Some(number) => min.clone(),
        (true, _) => Value::from(number as i64),
        (false, _) => serde_json::Number::from_f64(number).map_or(Value::from(1), Value::Number),
    }
}

/// `items` brought to the list's `minItems` (the first repeated) and `maxItems`.
fn sized_list(schema: &Value, mut items: Vec<Value>) -> Value {
    let bound = |key: &str| schema.get(key).and_then(Value::as_u64).map(|n| n.min(64) as usize);
    if let (Some(min), Some(first)) = (bound("minItems"), items.first().cloned()) {
        while items.len() < min {
            items.push(first.clone());
        }
    }
    if let Some(max) = bound("maxItems") {
        items.truncate(max);
    }
    Value::Array(items)
}

/// `schema` without its `example` and `default`, so that a sample made for it when its own
/// example does not fit is made from its type.
fn without_examples(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(object) = schema.as_object_mut() {
        object.remove("example");
        object.remove("default");
    }
    schema
}

/// How many values (objects, lists, scalars) a sampled answer may hold.
const ANSWER_VALUES: usize = 20_000;

/// A sample answer for `schema`, for a mock server to serve where the document gives no
/// example: the sample of the fewest levels the depth bound does not cut. `None` when that takes
/// more than [`MAX_SAMPLE_DEPTH`] levels or [`ANSWER_VALUES`] values (a recursive or very wide
/// schema), since a sample the depth bound cuts would break its schema.
pub(crate) fn answer(doc: &Value, schema: &Value) -> Option<Value> {
    fn values(value: &Value) -> usize {
        match value {
            Value::Object(object) => 1 + object.values().map(values).sum::<usize>(),
            Value::Array(items) => 1 + items.iter().map(values).sum::<usize>(),
            _ => 1,
        }
    }
    for levels in 1..=MAX_SAMPLE_DEPTH {
        CUT.set(false);
        let value = sample(doc, schema, "value", MAX_SAMPLE_DEPTH - levels);
        if values(&value) > ANSWER_VALUES {
            return None;
        }
        if !CUT.get() {
            return Some(value);
        }
    }
    None
}

thread_local! {
    /// Whether a [`sample`] reached the depth bound since [`answer`] last cleared it.
    static CUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A documented answer example brought in line with `schema` (see [`conform`]), for a mock
/// server to answer with: `None` when it fits as it is.
pub(crate) fn mended(doc: &Value, schema: &Value, value: &Value) -> Option<Value> {
    let mended = conform(doc, schema, value.clone(), "value");
    (mended != *value).then_some(mended)
}

/// A documented sample value brought in line with its schema, where the document writes it
/// loosely: a number or boolean written as a string (`"1.01"` for a `number`) is read as one, a
/// scalar or object where a list is expected becomes a list of it, and a value the schema rejects (not
/// among its `enum`, breaking its `pattern` or `format`, of another type) is replaced by a
/// sample.
fn conform(doc: &Value, schema: &Value, value: Value, name: &str) -> Value {
    let schema = resolve(doc, schema);
    if value.is_null() && nullable(doc, schema) {
        return value;
    }
    // A one-part `allOf` without a type of its own (`{allOf: [{$ref: Url}], example: ..}`) is its part.
    if schema.get("type").is_none()
        && let Some([part]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice)
    {
        return conform(doc, part, value, name);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(&value)
    {
        return sample(doc, schema, name, 0);
    }
    let kind = schema.get("type").and_then(Value::as_str);
    // A list or object written as its JSON text (`"[{\"role\": \"user\"}]"`).
    if let (Some("array" | "object"), Value::String(text)) = (kind, &value)
        && let Ok(parsed @ (Value::Array(_) | Value::Object(_))) = serde_json::from_str::<Value>(text)
    {
        return conform(doc, schema, parsed, name);
    }
    if let (Some("integer" | "number"), Some(number)) = (kind, value.as_f64())
        && !schema.as_object().is_none_or(|schema| fits_number(schema, number))
    {
        return bounded_number(schema);
    }
    let parsed = match (kind, &value) {
        (Some("integer"), Value::Number(number)) if number.is_i64() || number.is_u64() => return value,
        (Some("integer"), Value::String(text)) => text.trim().parse::<i64>().ok().map(Value::from),
        (Some("number"), Value::Number(_)) | (Some("boolean"), Value::Bool(_)) => return value,
        (Some("number"), Value::String(text)) => {
            text.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number)
        }
        (Some("boolean"), Value::String(text)) => text.trim().parse::<bool>().ok().map(Value::Bool),
        (Some("string"), Value::String(text)) => fits_string(schema, text).then_some(value.clone()),
        (Some("string"), Value::Number(_) | Value::Bool(_)) => {
            let text = value.to_string();
            fits_string(schema, &text).then_some(Value::String(text))
        }
        (Some("array"), Value::Array(items)) => {
            let items_schema = schema.get("items").unwrap_or(&Value::Null);
            let mut items: Vec<Value> =
                items.iter().map(|item| conform(doc, items_schema, item.clone(), name)).collect();
            if items.is_empty() && schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) > 0 {
                items.push(sample(doc, items_schema, name, 0));
            }
            return sized_list(schema, items);
        }
        // One item where a list is expected (a scalar, or an object: Okta's `entitlements`).
        (Some("array"), item) if !item.is_null() => {
            let items_schema = schema.get("items").unwrap_or(&Value::Null);
            return Value::Array(vec![conform(doc, items_schema, value.clone(), name)]);
        }
        (Some("integer" | "number" | "boolean" | "string" | "array" | "object"), _) if !value.is_object() => None,
        // An object: each property in line with its schema, the required ones it lacks added.
        (Some("object") | None, Value::Object(object)) => {
            let mut object = object.clone();
            // A closed object (`additionalProperties: false`, no parts) keeps the properties it names.
            let composed = ["allOf", "oneOf", "anyOf"].iter().any(|key| schema.get(*key).is_some());
            if schema.get("additionalProperties") == Some(&Value::Bool(false)) && !composed {
                object.retain(|property, _| property_schema(doc, schema, property, 0).is_some());
            }
            // A property the schema does not name takes its `additionalProperties` schema.
            let others = schema.get("additionalProperties").filter(|others| others.is_object());
            for (property, item) in object.iter_mut() {
                if let Some(property_schema) = property_schema(doc, schema, property, 0).or(others) {
                    *item = conform(doc, property_schema, item.take(), property);
                }
            }
            let mut wanted = required_names(doc, schema, false, 0);
            // A union none of whose members the value fits by their required properties: those of
            // its first member are added too.
            let members: Vec<&Value> = ["oneOf", "anyOf"]
                .iter()
                .filter_map(|key| schema.get(*key)?.as_array())
                .flatten()
                .map(|member| resolve(doc, member))
                .collect();
            let fits =
                |member: &&Value| required_names(doc, member, false, 0).iter().all(|name| object.contains_key(name));
            if let Some(first) = members.first().filter(|_| !members.iter().any(fits)) {
                wanted.extend(required_names(doc, first, false, 0));
            }
            for required in wanted {
                if !object.contains_key(&required) {
                    let property_schema = property_schema(doc, schema, &required, 0).unwrap_or(&Value::Null);
                    let value = placeholder(doc, property_schema, &required);
                    object.insert(required, value);
                }
            }
            return Value::Object(object);
        }
        _ => return value,
    };
    parsed.unwrap_or_else(|| sample(doc, schema, name, 0))
}

#[cfg(test)]
mod tests;
