//! Helpers shared by the loopback tests: the vendored specs' documented examples, and the
//! calls many tests make. The fuzzing's generator is in `fuzz.rs`, which the response fuzzing
//! takes in too.

#![allow(dead_code)]

use std::path::Path;

#[cfg(feature = "periskope")]
use periskope_wapikit::periskope;
#[cfg(feature = "wapikit")]
use periskope_wapikit::wapikit;
use serde_json::{Map, Value};

/// A vendored spec, parsed, e.g. `spec("periskope/invite-members.yaml")`.
pub fn spec(relative: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(relative);
    let text = std::fs::read_to_string(&path).expect("the vendored spec is readable");
    serde_yaml_ng::from_str(&text).expect("the vendored spec parses")
}

/// Invites `email` through Periskope's `invite_members`.
#[cfg(feature = "periskope")]
pub async fn invite_members(
    client: &periskope::Client,
    email: &str,
) -> Result<periskope_wapikit::ResponseValue<periskope::types::InviteMembersResponse>, periskope::Error> {
    let body = periskope::types::InviteMembersBody::builder(vec![email.to_string()]);
    client.invite_members(body).send().await
}

/// Invites `email` as a member through Wapikit's `create_organization_invite`.
#[cfg(feature = "wapikit")]
pub async fn invite_member(
    client: &wapikit::Client,
    email: &str,
) -> Result<periskope_wapikit::ResponseValue<wapikit::types::CreateInviteResponseSchema>, wapikit::Error> {
    let body = wapikit::types::CreateNewOrganizationInviteSchema::builder(
        wapikit::types::UserPermissionLevelEnum::Member,
        email,
    );
    client.create_organization_invite(body).send().await
}

/// The value at a JSON pointer, which must exist.
pub fn at<'v>(value: &'v Value, pointer: &str) -> &'v Value {
    value.pointer(pointer).unwrap_or_else(|| panic!("{pointer} is in the spec"))
}

/// An instance built from the `example` of every property of an object schema (and the
/// `example` of the schema itself where it has one).
pub fn example_from_schema(schema: &Value) -> Value {
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => Value::Array(vec![example_from_schema(&schema["items"])]),
        _ => {
            let mut object = Map::new();
            for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
                object.insert(name.clone(), example_from_schema(property));
            }
            Value::Object(object)
        }
    }
}

/// The example contract: `json` decodes into `T`, and encoding the result gives the same
/// JSON back (no field dropped, renamed or invented, nulls kept). Timestamps compare as
/// instants, since the same instant has several RFC 3339 spellings.
pub fn assert_round_trip<T>(location: &str, json: &str)
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let original: Value = serde_json::from_str(json).expect("the example is JSON");
    let decoded: T = serde_json::from_value(original.clone())
        .unwrap_or_else(|err| panic!("{location}: the example does not decode into the generated type: {err}"));
    let encoded = serde_json::to_value(&decoded).expect("the generated type encodes");
    if let Some(difference) = difference(&original, &encoded, String::new()) {
        panic!("{location}: the example changes on a round trip through the generated type: {difference}");
    }
}

/// The first place where `a` and `b` differ, as a JSON pointer and the two values.
fn difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let here = format!("{at}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(u), Some(v)) => {
                        if let Some(found) = difference(u, v, here) {
                            return Some(found);
                        }
                    }
                    (Some(u), None) => return Some(format!("{here}: {u} was dropped")),
                    (None, Some(v)) => return Some(format!("{here}: {v} was invented")),
                    (None, None) => {}
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (u, v))| difference(u, v, format!("{at}/{i}")))
        }
        (Value::String(x), Value::String(y)) if same_instant(x, y) => None,
        _ if a == b => None,
        _ => Some(format!("{at}: {a} became {b}")),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
