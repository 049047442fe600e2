//! Unit tests of the doctest renderer: a typed body through the builders, JSON where they cannot.

use super::*;

fn example_for(source: &str, spec: &Value) -> String {
    let mut file: syn::File = syn::parse_str(source).expect("test source parses");
    let index = crate::rust::index::Index::build(&file, spec).expect("the test source has every operation");
    apply(&mut file, spec, "demo", &index);
    let syn::Item::Impl(imp) = &file.items[0] else { panic!("the first item is the client impl") };
    let syn::ImplItem::Fn(method) = &imp.items[0] else { panic!("the client has a method") };
    doc_string(&method.attrs).expect("the method has docs")
}

const SOURCE: &str = r#"
    impl Client {
        #[doc = "Create a thing\n\nSends a `POST` request to `/things/{id}`\n\n```ignore\nlet response = client.create_thing()\n    .body(body)\n    .send()\n    .await;\n```"]
        pub fn create_thing(&self) -> builder::CreateThing<'_> { builder::CreateThing::new(self) }
    }
    pub mod types {
        pub struct Thing {
            pub name: ::std::string::String,
            #[serde(rename = "tagList", default, skip_serializing_if = "crate::Nullable::is_absent")]
            pub tag_list: crate::Nullable<::std::vec::Vec<::std::string::String>>,
            pub kind: ::std::option::Option<Kind>,
            pub size: ::std::option::Option<i64>,
            pub parts: ::std::vec::Vec<Part>,
        }
        pub struct Part { pub weight: f64 }
        pub enum Kind { #[serde(rename = "big-one")] BigOne, Small }
    }
    pub mod builder {
        impl<'a> CreateThing<'a> {
            pub fn id<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::string::String> { self }
            pub fn dry_run<V>(mut self, value: V) -> Self where V: std::convert::TryInto<bool> { self }
            pub fn body<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::Thing> { self }
        }
    }
"#;

#[test]
fn builds_the_body_with_the_typed_builders() {
    let spec = serde_json::json!({ "paths": { "/things/{id}": {
        "parameters": [{ "in": "path", "name": "id", "required": true, "schema": { "type": "string" } }],
        "post": { "operationId": "create_thing",
            "parameters": [{ "in": "query", "name": "dryRun", "schema": { "type": "boolean" } }],
            "requestBody": { "content": { "application/json": {
                "schema": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } },
                "examples": { "First": { "value": {
                    "tagList": null, "kind": "big-one", "size": 3, "parts": [{ "weight": 1.5 }]
                } } }
            } } }
        }
    } } });
    let docs = example_for(SOURCE, &spec);
    assert!(
        docs.starts_with("Create a thing\n\nSends a `POST` request to `/things/{id}`\n\n# Example\n\n```no_run\n"),
        "{docs}"
    );
    assert!(!docs.contains("```ignore"), "{docs}");
    for expected in [
        "use periskope_wapikit::demo::{Client, types};\nuse periskope_wapikit::Nullable;\n\n",
        "let client = Client::from_env()?;\n\n",
        ".id(\"<id>\")",
        ".tag_list(Nullable::Null)",
        ".kind(types::Kind::BigOne)",
        ".size(3i64)",
        "Vec::from([\n                    types::Part::try_from(types::Part::builder().weight(1.5f64))?,\n                ]),",
        ".name(\"<name>\")",
        "# Ok(())\n# }\n```",
    ] {
        assert!(docs.contains(expected), "missing {expected:?} in:\n{docs}");
    }
    assert!(!docs.contains("dry_run"), "an optional parameter without an example is left out:\n{docs}");
}

#[test]
fn falls_back_to_json_for_a_body_the_builders_cannot_express() {
    let spec = serde_json::json!({ "paths": { "/things/{id}": { "post": { "operationId": "create_thing",
        "requestBody": { "content": { "application/json": { "example": { "name": "a", "unknown": 1 } } } }
    } } } });
    let docs = example_for(SOURCE, &spec);
    assert!(
        docs.contains("let body: types::Thing = serde_json::from_value(serde_json::json!({\n    \"name\": \"a\",\n"),
        "{docs}"
    );
    assert!(docs.contains(".body(body)"), "{docs}");
}

/// A sample integer compiles as the type it is for: brought into the type's range, and
/// suffixed where a generic setter would otherwise give an unsuffixed literal `i32`.
#[test]
fn an_integer_sample_fits_its_type() {
    let render = |value: serde_json::Value, ty: &str, place: Place| {
        let number = value.as_number().expect("a number").clone();
        super::integer(&number, ty, place).map(|tokens| tokens.to_string())
    };
    assert_eq!(render(serde_json::json!(3), "i64", Place::Argument).as_deref(), Some("3"));
    assert_eq!(render(serde_json::json!(10_000_000_000u64), "i64", Place::Argument).as_deref(), Some("10000000000i64"));
    assert_eq!(render(serde_json::json!(10_000_000_000u64), "i32", Place::Exact).as_deref(), Some("2147483647i32"));
    assert_eq!(render(serde_json::json!(-5), "u16", Place::Argument).as_deref(), Some("0"));
}

/// An empty list sample names its item type: a generic setter cannot infer it from `vec![]`
/// or `[]` ("type annotations needed").
#[test]
fn an_empty_list_names_its_item_type() {
    let source = SOURCE.replace(
        "pub fn dry_run<V>(mut self, value: V) -> Self where V: std::convert::TryInto<bool> { self }",
        "pub fn labels<I>(mut self, value: I) -> Self where I: ::std::iter::IntoIterator, I::Item: ::std::convert::Into<::std::string::String> { self }",
    );
    let spec = serde_json::json!({ "paths": { "/things/{id}": { "post": { "operationId": "create_thing",
        "parameters": [{ "in": "query", "name": "labels", "example": [], "schema": { "type": "array", "items": { "type": "string" } } }],
        "requestBody": { "content": { "application/json": { "example": { "name": "a", "parts": [] } } } }
    } } } });
    let docs = example_for(&source, &spec);
    assert!(docs.contains(".labels(Vec::<String>::new())"), "{docs}");
    assert!(docs.contains(".parts(Vec::<types::Part>::new())"), "{docs}");
}

/// An integer whose minimum is 1 is typify's `NonZeroU32`: the sample is a `u32` (zero
/// brought to 1), which the setter converts; inside a list, the type's own `try_from`.
#[test]
fn a_non_zero_integer_sample_is_positive() {
    let source = SOURCE.replace(
        "pub fn dry_run<V>(mut self, value: V) -> Self where V: std::convert::TryInto<bool> { self }",
        "pub fn count<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::num::NonZeroU32> { self }
         pub fn sizes<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::vec::Vec<::std::num::NonZeroU64>> { self }",
    );
    let spec = serde_json::json!({ "paths": { "/things/{id}": { "post": { "operationId": "create_thing",
        "parameters": [
            { "in": "query", "name": "count", "example": 0, "schema": { "type": "integer", "minimum": 1 } },
            { "in": "query", "name": "sizes", "example": [7], "schema": { "type": "array", "items": { "type": "integer", "minimum": 1 } } }
        ]
    } } } });
    let docs = example_for(&source, &spec);
    assert!(docs.contains(".count(1u32)"), "{docs}");
    assert!(docs.contains("::std::num::NonZeroU64::try_from(7u64)?"), "{docs}");
}

/// A component named like another crate's type (`Value`, `DateTime`) is the component: its
/// sample goes through its builder or its JSON, never `serde_json::json!` or `chrono`'s parser.
#[test]
fn a_component_named_like_a_foreign_type_is_the_component() {
    let source = r#"
        impl Client {
            #[doc = "Set a value"]
            pub fn set_value(&self) -> builder::SetValue<'_> { builder::SetValue::new(self) }
        }
        pub mod types {
            pub struct Value { pub key: ::std::string::String }
            pub struct DateTime(::std::string::String);
        }
        pub mod builder {
            impl<'a> SetValue<'a> {
                pub fn at<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::DateTime> { self }
                pub fn body<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::Value> { self }
            }
        }
    "#;
    let spec = serde_json::json!({ "paths": { "/values": { "put": { "operationId": "set_value",
        "parameters": [{ "in": "query", "name": "at", "example": "2025-01-01T00:00:00Z", "schema": { "type": "string" } }],
        "requestBody": { "content": { "application/json": { "example": { "key": "k" } } } }
    } } } });
    let docs = example_for(source, &spec);
    assert!(docs.contains(".body(types::Value::builder().key(\"k\"))"), "{docs}");
    assert!(docs.contains(".at(serde_json::from_value::<types::DateTime>("), "{docs}");
    assert!(!docs.contains("chrono"), "{docs}");
}
