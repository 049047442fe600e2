//! Unit tests of the sample values.

use serde_json::json;

use super::*;

#[test]
fn a_union_is_sampled_by_its_first_member_with_its_discriminator_value() {
    let doc = json!({ "components": { "schemas": {
        "Text": { "type": "object", "required": ["body"], "properties": { "body": { "type": "string" } } },
        "Image": { "type": "object", "required": ["url"], "properties": { "url": { "type": "string", "format": "uri" } } },
    } } });
    let schema = json!({
        "type": "object",
        "required": ["kind"],
        "properties": { "kind": { "type": "string" } },
        "oneOf": [{ "$ref": "#/components/schemas/Text" }, { "$ref": "#/components/schemas/Image" }],
        "discriminator": { "propertyName": "kind", "mapping": { "text": "#/components/schemas/Text" } },
    });
    assert_eq!(placeholder(&doc, &schema, "data"), json!({ "kind": "text", "body": "<body>" }));
    let tree = json!({ "components": { "schemas": {
        "Node": { "anyOf": [{ "$ref": "#/components/schemas/Node" }, { "type": "string" }] },
    } } });
    let node = json!({ "$ref": "#/components/schemas/Node" });
    assert_eq!(placeholder(&tree, &node, "node"), Value::Null, "a union that holds itself ends");
    let id = json!({ "type": "string", "format": "uuid" });
    assert_eq!(placeholder(&doc, &id, "id"), json!("00000000-0000-4000-8000-000000000000"));
}

/// What a document writes loosely is brought in line with the schema, so that the call
/// built from it is one the server accepts.
#[test]
fn a_sample_fits_its_schema() {
    let doc = json!({});
    let number = json!({ "type": "number" });
    assert_eq!(conform(&doc, &number, json!("1.01"), "amount"), json!(1.01), "a number written as a string");
    let flag = json!({ "type": "boolean" });
    assert_eq!(conform(&doc, &flag, json!("false"), "flag"), json!(false));
    let count = json!({ "type": "integer", "minimum": 5 });
    assert_eq!(conform(&doc, &count, json!("many"), "count"), json!(5), "not a number: a sample of the type");
    let tags = json!({ "type": "array", "items": { "type": "integer" } });
    assert_eq!(conform(&doc, &tags, json!("7"), "tags"), json!([7]), "a scalar where a list is expected");
    let kind = json!({ "type": "string", "enum": ["a", "b"] });
    assert_eq!(conform(&doc, &kind, json!("c"), "kind"), json!("a"), "not among the enum's values");
    let slug = json!({ "type": "string", "pattern": "^[a-z0-9_]+$", "minLength": 8 });
    assert_eq!(placeholder(&doc, &slug, "app_id"), json!("appidappid"), "a placeholder that fits the pattern");
    assert_eq!(conform(&doc, &slug, json!("Not A Slug"), "app_id"), json!("appidappid"));
    let operation = json!({ "requestBody": { "content": { "application/json": { "schema": {
        "type": "object",
        "required": ["name", "kind"],
        "properties": {
            "id": { "type": "string", "readOnly": true },
            "kind": { "type": "string", "readOnly": true },
            "name": { "type": "string" },
        },
        "example": { "id": "x1", "kind": "k", "name": "n" },
    } } } } });
    assert_eq!(
        request_example(&doc, &operation),
        Some(json!({ "kind": "k", "name": "n" })),
        "a read-only property is not sent, unless required"
    );
    let order = json!({
        "type": "object",
        "required": ["id", "address"],
        "properties": {
            "id": { "type": "integer" },
            "address": { "type": "object", "required": ["zip"], "properties": {
                "zip": { "type": "number" }, "city": { "type": "string" },
            } },
        },
    });
    assert_eq!(
        conform(&doc, &order, json!({ "address": { "zip": "78751", "city": "Austin" } }), "body"),
        json!({ "address": { "zip": 78751.0, "city": "Austin" }, "id": 1 }),
        "nested properties fit their schemas, and the required ones are there"
    );
    let version = json!({ "type": "string", "pattern": "^(v3|v4)$" });
    assert_eq!(placeholder(&doc, &version, "apiVersion"), json!("v3"), "a pattern that lists its values");
    let id = json!({ "type": "string", "pattern": "^adr_[a-zA-Z0-9]+$" });
    assert_eq!(placeholder(&doc, &id, "adr_id"), json!("adr_abc123"), "a pattern's literal prefix");
    let interval = json!({ "type": "integer", "minimum": 0, "exclusiveMinimum": true });
    assert_eq!(conform(&doc, &interval, json!(0), "interval"), json!(1), "above an exclusive minimum");
    let ratio = json!({ "type": "number", "minimum": 0, "maximum": 1 });
    assert_eq!(conform(&doc, &ratio, json!(3), "ratio"), json!(0), "within the bounds");
    let variations = json!({ "type": "array", "minItems": 2, "items": { "type": "string" } });
    assert_eq!(conform(&doc, &variations, json!(["a"]), "variations"), json!(["a", "a"]), "as many items as required");
    let free = json!({ "type": "string" });
    assert_eq!(placeholder(&doc, &free, "name"), json!("<name>"), "without rules the placeholder shows");
    let messages =
        json!({ "type": "array", "items": { "type": "object", "properties": { "role": { "type": "string" } } } });
    assert_eq!(
        conform(&doc, &messages, json!("[{\"role\": \"user\"}]"), "messages"),
        json!([{ "role": "user" }]),
        "a list written as its JSON text"
    );
    let listeners = json!({ "type": "object", "additionalProperties": {
        "type": "object", "required": ["pass"], "properties": { "pass": { "type": "string" } },
    } });
    assert_eq!(
        conform(&doc, &listeners, json!({ "pass": "apps/a" }), "listeners"),
        json!({ "pass": { "pass": "<pass>" } }),
        "a map's values fit its `additionalProperties`"
    );
    let check = json!({
        "type": "object",
        "properties": { "amount": { "type": "number" }, "message": { "type": "string" }, "logo": { "type": "string" } },
        "oneOf": [{ "required": ["message"] }, { "required": ["logo"] }],
    });
    assert_eq!(
        conform(&doc, &check, json!({ "amount": 1.5 }), "body"),
        json!({ "amount": 1.5, "message": "<message>" }),
        "a union's first member's required properties, when the value fits none"
    );
    assert_eq!(conform(&doc, &check, json!({ "logo": "l" }), "body"), json!({ "logo": "l" }), "it fits one");
    let tools = json!({ "type": "array", "items": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } } });
    assert_eq!(conform(&doc, &tools, json!("null"), "tools"), json!([{ "name": "<name>" }]), "not an object: a sample");
}

#[test]
fn an_optional_content_type_header_beside_a_body_is_not_sampled() {
    let doc = json!({ "paths": { "/upload": { "post": {
        "parameters": [
            { "name": "Content-Type", "in": "header", "schema": { "type": "string" }, "example": "image/png" },
            { "name": "X-Trace", "in": "header", "schema": { "type": "string" }, "example": "t1" },
        ],
        "requestBody": { "content": { "application/octet-stream": { "schema": { "type": "string" } } } },
        "responses": {},
    } } } });
    let operation = super::super::operations(&doc).next().expect("the operation");
    let names: Vec<String> = parameters(&doc, &operation).into_iter().map(|parameter| parameter.name).collect();
    assert_eq!(names, ["X-Trace"], "the body's media type says what is sent");
}

/// A documented example that breaks its `format` (a URI with `<token>` in it, a date-time
/// with a space) is replaced by a sample, also behind a one-part `allOf`; one that fits stays.
#[test]
fn an_example_breaking_its_format_is_replaced() {
    let doc = json!({ "components": { "schemas": {
        "Url": { "type": "string", "format": "uri", "pattern": "^https?://.*$" },
    } } });
    let url = json!({ "allOf": [{ "$ref": "#/components/schemas/Url" }] });
    assert_eq!(conform(&doc, &url, json!("https://api.example.com/v1/<token>"), "url"), json!("https://example.com/"));
    assert_eq!(
        conform(&doc, &url, json!("https://api.example.com/v1/abc"), "url"),
        json!("https://api.example.com/v1/abc")
    );
    let at = json!({ "type": "string", "format": "date-time" });
    assert_eq!(conform(&doc, &at, json!("2024-05-01 10:00:00"), "at"), json!("2025-01-01T00:00:00Z"));
    assert_eq!(conform(&doc, &at, json!("2024-05-01T10:00:00Z"), "at"), json!("2024-05-01T10:00:00Z"));
    let id = json!({ "type": "string", "format": "uuid" });
    assert_eq!(conform(&doc, &id, json!("not-a-uuid"), "id"), json!("00000000-0000-4000-8000-000000000000"));
    // A duration is ISO 8601's, as JSON Schema says, not a Go one (`1h`).
    let ttl = json!({ "type": "string", "format": "duration" });
    assert_eq!(conform(&doc, &ttl, json!("1h"), "ttl"), json!("PT1H"));
    assert_eq!(conform(&doc, &ttl, json!("P1DT12H"), "ttl"), json!("P1DT12H"));
    assert_eq!(placeholder(&doc, &ttl, "ttl"), json!("PT1H"));
}

/// A sample of a schema nested deeper than the bound leaves the cut-off parts out (an empty
/// list, an absent optional property) instead of writing `null` where a value is required.
#[test]
fn a_sample_cut_off_by_depth_leaves_the_parts_out() {
    let doc = json!({ "components": { "schemas": {
        "Node": { "type": "object", "properties": {
            "name": { "type": "string" },
            "children": { "type": "array", "items": { "$ref": "#/components/schemas/Node" } },
            "parent": { "$ref": "#/components/schemas/Node" },
        } },
    } } });
    let sample = placeholder(&doc, &json!({ "$ref": "#/components/schemas/Node" }), "node");
    assert!(!sample.to_string().contains("null"), "{sample}");
    assert_eq!(sample["name"], json!("<name>"));
}

/// An `allOf` part that requires a property another part defines (`required: [recurring]`
/// beside a `$ref` to the schema holding `recurring: {type: boolean}`) does not replace that
/// part's value with one of any type, whichever part comes first.
#[test]
fn a_part_requiring_what_another_defines_keeps_its_value() {
    let doc = json!({ "components": { "schemas": {
        "Base": { "type": "object", "properties": { "recurring": { "type": "boolean", "example": false } } },
    } } });
    let requiring = json!({ "type": "object", "required": ["recurring", "value"], "properties": { "value": { "type": "string" } } });
    let base = json!({ "$ref": "#/components/schemas/Base" });
    for parts in [vec![base.clone(), requiring.clone()], vec![requiring, base]] {
        let schema = json!({ "allOf": parts });
        assert_eq!(placeholder(&doc, &schema, "threshold"), json!({ "recurring": false, "value": "<value>" }));
    }
}

/// An example giving one item where its schema wants a list (Okta's bundle `entitlements:
/// {role: ..}`) is read as a list of that item, whatever the item is.
#[test]
fn one_item_where_a_list_is_expected_becomes_a_list_of_it() {
    let doc = json!({});
    let roles =
        json!({ "type": "array", "items": { "type": "object", "properties": { "role": { "type": "string" } } } });
    assert_eq!(conform(&doc, &roles, json!({ "role": "admin" }), "entitlements"), json!([{ "role": "admin" }]));
    let tags = json!({ "type": "array", "items": { "type": "string" } });
    assert_eq!(conform(&doc, &tags, json!("vip"), "tags"), json!(["vip"]));
}
