//! Query parameters in the styles progenitor does not encode (`deepObject`, `form` without
//! `explode`, `pipeDelimited`, `spaceDelimited`), encoded by one general encoder: the generated
//! code passes `Styled::new(name, style, &value)` to `reqwest::RequestBuilder::query`.
//!
//! The value is first turned into JSON (as its type serializes), then into `name=value` pairs:
//!
//! | style | `{"a": 1, "b": "x"}` | `[1, 2]` |
//! | --- | --- | --- |
//! | `deepObject` | `name[a]=1&name[b]=x` | `name=1&name=2` |
//! | `form`, not exploded | `name=a,1,b,x` | `name=1,2` |
//! | `pipeDelimited` | `name=a\|1\|b\|x` | `name=1\|2` |
//! | `spaceDelimited` | `name=a 1 b x` | `name=1 2` |
//!
//! A nested object under `deepObject` nests the brackets (`name[a][b]=1`); an absent value
//! (`None`) sends nothing.
//!
//! A form-urlencoded request body ([`Form`]) is encoded the same way, each property in
//! OpenAPI's default for a form (`style: form`, `explode: true`): a list repeats its name
//! (`ids=1&ids=2`), an object sends its properties (`a=1&b=x`).

use serde::ser::{Error as _, Serialize, SerializeSeq, Serializer};
use serde_json::Value;

/// How a query parameter is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `name[key]=value` for each property.
    DeepObject,
    /// `name=a,b` (`style: form, explode: false`).
    FormUnexploded,
    /// `name=a|b`.
    PipeDelimited,
    /// `name=a b`.
    SpaceDelimited,
}

/// One query parameter, encoded in its style when serialized.
pub struct Styled<'a, T: ?Sized> {
    name: &'a str,
    style: Style,
    value: &'a T,
}

impl<'a, T: ?Sized> Styled<'a, T> {
    /// The parameter `name` with `value`, in `style`.
    pub fn new(name: &'a str, style: Style, value: &'a T) -> Self {
        Styled { name, style, value }
    }
}

impl<T: Serialize + ?Sized> Serialize for Styled<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.value).map_err(S::Error::custom)?;
        let pairs = pairs(self.name, self.style, &value);
        let mut seq = serializer.serialize_seq(Some(pairs.len()))?;
        for pair in &pairs {
            seq.serialize_element(pair)?;
        }
        seq.end()
    }
}

/// A form-urlencoded request body: the generated code passes `Form(&body)` to
/// `reqwest::RequestBuilder::form`.
pub struct Form<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Form<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.0).map_err(S::Error::custom)?;
        let Value::Object(properties) = value else {
            return Err(S::Error::custom("a form body must be an object"));
        };
        let pairs: Vec<(String, String)> =
            properties.iter().flat_map(|(name, value)| exploded_form(name, value)).collect();
        let mut seq = serializer.serialize_seq(Some(pairs.len()))?;
        for pair in &pairs {
            seq.serialize_element(pair)?;
        }
        seq.end()
    }
}

/// The pairs of one form property (`style: form`, `explode: true`).
fn exploded_form(name: &str, value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            items.iter().filter(|item| !item.is_null()).map(|item| (name.to_string(), scalar(item))).collect()
        }
        Value::Object(object) => object
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(key, value)| (key.clone(), scalar(value)))
            .collect(),
        other => vec![(name.to_string(), scalar(other))],
    }
}

/// The `(name, value)` pairs of `value` in `style`.
pub fn pairs(name: &str, style: Style, value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match (style, value) {
        (_, Value::Null) => {}
        (Style::DeepObject, Value::Object(_)) => deep(name, value, &mut out),
        (Style::DeepObject, Value::Array(items)) => {
            out.extend(items.iter().filter(|item| !item.is_null()).map(|item| (name.to_string(), scalar(item))));
        }
        (_, Value::Object(object)) => {
            let parts: Vec<String> =
                object.iter().filter(|(_, v)| !v.is_null()).flat_map(|(k, v)| [k.clone(), scalar(v)]).collect();
            out.push((name.to_string(), parts.join(separator(style))));
        }
        (_, Value::Array(items)) => {
            let parts: Vec<String> = items.iter().filter(|item| !item.is_null()).map(scalar).collect();
            out.push((name.to_string(), parts.join(separator(style))));
        }
        (_, scalar_value) => out.push((name.to_string(), scalar(scalar_value))),
    }
    out
}

fn deep(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(object) => {
            for (key, value) in object {
                deep(&format!("{prefix}[{key}]"), value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| deep(prefix, item, out)),
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

fn separator(style: Style) -> &'static str {
    match style {
        Style::DeepObject | Style::FormUnexploded => ",",
        Style::PipeDelimited => "|",
        Style::SpaceDelimited => " ",
    }
}

/// A scalar as text: strings as they are, everything else as JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn encodes_each_style() {
        let object = json!({"a": 1, "b": {"c": "x"}, "d": null});
        let deep = pairs("filter", Style::DeepObject, &object);
        assert_eq!(deep, [("filter[a]".into(), "1".into()), ("filter[b][c]".into(), "x".into())]);
        let list = json!([1, "two"]);
        assert_eq!(pairs("ids", Style::PipeDelimited, &list), [("ids".into(), "1|two".into())]);
        assert_eq!(pairs("ids", Style::SpaceDelimited, &list), [("ids".into(), "1 two".into())]);
        assert_eq!(pairs("ids", Style::FormUnexploded, &list), [("ids".into(), "1,two".into())]);
        assert!(pairs("ids", Style::DeepObject, &Value::Null).is_empty());
    }

    #[test]
    fn encodes_a_form_body_exploded() {
        let body = json!({"scope": "read:all", "types": ["otp", "oob"], "hint": {"channel": "sms"}, "gone": null});
        let request = reqwest::Client::new().post("http://127.0.0.1/").form(&Form(&body)).build().expect("it encodes");
        let encoded = request.body().and_then(reqwest::Body::as_bytes).expect("a body in memory");
        assert_eq!(encoded, b"scope=read%3Aall&types=otp&types=oob&channel=sms");
    }
}
