//! The document the Prism tests serve (`Generated::mock_document`) is the API as it speaks,
//! not the shapes the passes give progenitor: what the passes reshaped comes back.

fn generate(text: &str) -> codegen::Generated {
    let documents = [codegen::SpecFile { path: "api.yaml".into(), text: text.into() }];
    let vendor =
        codegen::Vendor { name: "api", documents: &documents, referenced: &[], fixes: None, skip: &[], strict: false };
    codegen::generate(vendor, "cargo test").unwrap_or_else(|err| panic!("{err}"))
}

/// The mock document of an OpenAPI 3.0 document whose `paths` (and `components`) are `rest`.
fn mock_document(rest: &str) -> serde_json::Value {
    let generated = generate(&format!("openapi: 3.0.3\ninfo: {{title: T, version: \"1\"}}\n{rest}"));
    serde_json::from_str(&generated.mock_document).expect("JSON")
}

#[test]
fn the_mock_document_gives_back_what_the_passes_reshaped() {
    let generated = generate(
        r##"openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /records:
    post:
      operationId: upsertRecords
      requestBody:
        content: {application/x-ndjson: {schema: {type: array, items: {type: object}}}}
      responses: {"204": {description: Stored}}
    put:
      operationId: replaceRecords
      requestBody:
        content: {application/vnd.api+json: {schema: {type: object, properties: {id: {type: string}}}}}
      responses:
        "200":
          description: Replaced
          content: {application/vnd.api+json: {schema: {type: object, properties: {id: {type: string}}}}}
  /jobs:
    post:
      operationId: startJob
      x-code-samples: [{lang: shell, source: {$ref: samples/start.sh}}]
      responses:
        "200":
          description: Done
          content: {application/json: {schema: {$ref: "#/components/schemas/Job"}}}
        "202":
          description: Started
          content: {application/json: {schema: {type: object, properties: {queued: {type: boolean}}}}}
components:
  schemas:
    Job:
      type: object
      properties:
        value:
          anyOf: [{type: string, nullable: true}, {type: number, nullable: true}]
        count: {type: integer, format: uint32}
        rank: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 10.5, exclusiveMaximum: true}
        link: {type: string, format: url}
"##,
    );
    let mock: serde_json::Value = serde_json::from_str(&generated.mock_document).expect("JSON");
    let responses = &mock["paths"]["/jobs"]["post"]["responses"];
    for status in ["200", "202"] {
        assert!(responses[status]["content"]["application/json"]["schema"]["$ref"].is_string(), "{responses}");
    }
    let count = &mock["components"]["schemas"]["Job"]["properties"]["count"];
    assert_eq!(count["minimum"], 0, "an unsigned format bounds the mock's answers: {count}");
    assert_eq!(count["maximum"], u32::MAX, "{count}");
    // An integer's exclusive bounds as the next integers, inclusive, which Prism generates within.
    let rank = &mock["components"]["schemas"]["Job"]["properties"]["rank"];
    assert_eq!((&rank["minimum"], &rank["maximum"]), (&serde_json::json!(1), &serde_json::json!(10)), "{rank}");
    assert!(rank.get("exclusiveMinimum").is_none() && rank.get("exclusiveMaximum").is_none(), "{rank}");
    let link = &mock["components"]["schemas"]["Job"]["properties"]["link"];
    assert_eq!(link["format"], "uri", "the format mock servers generate and check alike: {link}");
    let value = &mock["components"]["schemas"]["Job"]["properties"]["value"];
    assert!(value["anyOf"].is_array() && value.get("oneOf").is_none(), "{value}");
    assert!(!generated.mock_document.contains("x-codegen-any-of"), "{value}");
    assert!(mock["paths"]["/jobs"]["post"].get("x-code-samples").is_none(), "a $ref to a file is gone");
    // Request bodies in the media types the client sends them with.
    let records = &mock["paths"]["/records"];
    let media = |method: &str| -> Vec<String> {
        records[method]["requestBody"]["content"].as_object().expect("content").keys().cloned().collect()
    };
    assert_eq!(media("post"), ["application/x-ndjson"], "{records}");
    assert_eq!(media("put"), ["application/vnd.api+json"], "{records}");
    // Answers in the vendor JSON type they are declared in (the client decodes them as JSON).
    let answer = &records["put"]["responses"]["200"];
    assert!(answer["content"]["application/vnd.api+json"]["schema"].is_object(), "{answer}");
    assert!(!generated.mock_document.contains("x-codegen-response-media"), "{answer}");
    assert!(generated.source.contains("\"application/x-ndjson\""), "the client sends the raw body's type");
    // What the client decodes: one of the types at a time.
    assert!(generated.source.contains("#[serde(untagged)]"), "the union is an enum");
}

/// A multipart body whose component is named as no Rust type is (`create`) is given back as a
/// reference to that component, not to the type made of it (`Create`), which the document
/// does not define and a mock server refuses to start on.
#[test]
fn a_multipart_body_refers_to_its_component_by_the_documents_name() {
    let mock = mock_document(
        r##"paths:
  /campaigns:
    post:
      operationId: createCampaign
      requestBody:
        content: {multipart/form-data: {schema: {$ref: "#/components/schemas/create"}}}
      responses: {"204": {description: Created}}
components:
  schemas:
    create:
      type: object
      properties:
        image: {type: string, format: binary}
        title: {type: string}
"##,
    );
    let content = &mock["paths"]["/campaigns"]["post"]["requestBody"]["content"];
    assert_eq!(content["multipart/form-data"]["schema"]["$ref"], "#/components/schemas/create", "{content}");
    let text = mock.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1).filter_map(|rest| rest.split('"').next()) {
        assert!(mock["components"]["schemas"].get(reference).is_some(), "`{reference}` is not defined: {content}");
    }
}

/// An example whose value holds `$ref`s the document does not resolve (to files beside it, as
/// event examples kept in files; to a `#/definitions` of a JSON Schema quoted as an example) is
/// left out of the mock document, which a mock server could not start on, and so are the
/// references to it; the examples that resolve stay.
#[test]
fn an_example_referring_to_a_file_outside_is_left_out() {
    let mock = mock_document(
        r##"paths:
  /sync:
    get:
      operationId: sync
      responses:
        "200":
          description: The events
          content:
            application/json:
              schema: {type: object, properties: {events: {type: array, items: {type: object}}}}
              examples:
                outside: {value: {events: [{$ref: "../examples/m.presence.yaml"}]}}
                inside: {value: {events: [{type: m.typing}]}}
                quoted: {$ref: "#/components/examples/Quoted"}
components:
  examples:
    Quoted: {value: {events: [{$ref: "#/definitions/base"}]}}
"##,
    );
    let examples = &mock["paths"]["/sync"]["get"]["responses"]["200"]["content"]["application/json"]["examples"];
    assert!(examples.get("outside").is_none() && examples.get("quoted").is_none(), "{examples}");
    assert!(mock["components"]["examples"].get("Quoted").is_none(), "{}", mock["components"]);
    assert_eq!(examples["inside"]["value"]["events"][0]["type"], "m.typing", "{examples}");
}

/// An answer example that breaks its own schema (a count written as a string, a state outside
/// its `enum`, a required property missing, one a closed object does not declare, a date-time
/// that is not one) is served brought in
/// line with the schema, a named example kept under `components/examples` too, and every one
/// changed is listed in `x-mended-examples` for the wire check to report as the document's;
/// examples that fit (a `null` where the schema is nullable among them) stay as written.
#[test]
fn an_answer_example_breaking_its_schema_is_served_mended_and_listed() {
    let mock = mock_document(
        r##"paths:
  /jobs:
    get:
      operationId: listJobs
      responses:
        "200":
          description: The jobs
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
              example: {count: "3", state: paused, note: null, colour: red}
              examples:
                fits: {value: {id: j1, count: 3, state: done, note: null}}
                kept: {$ref: "#/components/examples/Late"}
    post:
      operationId: createJob
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Job"}, example: {count: "3"}}}
      responses: {"204": {description: Created}}
components:
  examples:
    Late: {value: {id: j2, count: 1.5, state: done}}
  schemas:
    Job:
      type: object
      additionalProperties: false
      required: [id, count, state]
      properties:
        id: {type: string}
        count: {type: integer}
        state: {type: string, enum: [queued, done]}
        note: {type: string, nullable: true}
        at: {type: string, format: date-time, example: "2024-05-01 10:00"}
"##,
    );
    let content = &mock["paths"]["/jobs"]["get"]["responses"]["200"]["content"]["application/json"];
    let example = &content["example"];
    assert_eq!(example["count"], 3, "{example}");
    assert_eq!(example["state"], "queued", "{example}");
    assert!(example["id"].is_string() && example["note"].is_null(), "{example}");
    assert!(example.get("colour").is_none(), "a closed object keeps the properties it names: {example}");
    assert_eq!(
        content["examples"]["fits"]["value"],
        serde_json::json!({"id": "j1", "count": 3, "state": "done", "note": null})
    );
    assert!(content["examples"]["kept"]["value"]["count"].is_i64(), "{content}");
    let at = &mock["components"]["schemas"]["Job"]["properties"]["at"]["example"];
    assert_eq!(at, "2025-01-01T00:00:00Z", "{at}");
    let request = &mock["paths"]["/jobs"]["post"]["requestBody"]["content"]["application/json"]["example"];
    assert_eq!(request["count"], "3", "a request's example is not what a mock answers with: {request}");
    let listed: Vec<&str> =
        mock["x-mended-examples"].as_array().expect("the list").iter().filter_map(|p| p.as_str()).collect();
    assert_eq!(
        listed,
        [
            "/paths/~1jobs/get/responses/200/content/application~1json/example",
            "/paths/~1jobs/get/responses/200/content/application~1json/examples/kept",
            "/components/schemas/Job/properties/at/example",
        ],
        "{}",
        mock["x-mended-examples"]
    );
}

/// An answer the document gives no example of is served a sample of the generator's, which
/// follows the schema's `pattern`, `format` and required properties where a mock composing one
/// would not, whole however deep its parts nest (`allOf` of `allOf`), and is listed in
/// `x-sampled-examples`; one that has an example (its own or its
/// schema's) is left alone, and so is one whose schema nests without end (a tree whose nodes
/// hold optional nodes), which no whole sample fits; a sample holding a property named `$ref`,
/// which a mock server would follow as a reference, is left out.
#[test]
fn an_answer_without_an_example_is_served_a_sample_and_listed() {
    let mock = mock_document(
        r##"paths:
  /vaults:
    get:
      operationId: listVaults
      responses:
        "200":
          description: The vaults
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Vault"}}}}
        "404":
          description: None
          content: {application/json: {schema: {type: object, properties: {message: {type: string}}}, example: {message: gone}}}
  /links:
    get:
      operationId: getLinks
      responses:
        "200":
          description: A link object, whose property is named `$ref`
          content: {application/json: {schema: {type: object, required: [$ref], properties: {$ref: {type: string}}}}}
  /tree:
    get:
      operationId: getTree
      responses:
        "200":
          description: The tree
          content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}
components:
  schemas:
    Vault:
      type: object
      required: [id, created, category, labels, owner, tags, updated]
      properties:
        id: {type: string, pattern: '^[\da-z]{26}$'}
        created: {type: string, format: date-time}
        category: {$ref: "#/components/schemas/Category"}
        labels: {additionalProperties: {type: string}}
        owner: {allOf: [{}, {$ref: "#/components/schemas/CategoryBase"}]}
        tags: {items: {type: string}}
    Category:
      allOf:
        - {$ref: "#/components/schemas/CategoryBase"}
        - {type: object, properties: {note: {type: string}}}
    CategoryBase:
      allOf:
        - {type: object, required: [name], properties: {name: {type: string}}}
    Node:
      type: object
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
"##,
    );
    let vaults = &mock["paths"]["/vaults"]["get"]["responses"];
    let vault = &vaults["200"]["content"]["application/json"]["example"][0];
    let id = vault["id"].as_str().unwrap_or_else(|| panic!("no id: {vaults}"));
    assert!(id.len() == 26 && id.chars().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()), "{id}");
    assert_eq!(vault["created"], "2025-01-01T00:00:00Z", "{vault}");
    assert!(vault["category"]["name"].is_string(), "nested parts are sampled whole: {vault}");
    assert_eq!(vault["labels"], serde_json::json!({}), "a map without `type` is an object: {vault}");
    assert!(vault["owner"]["name"].is_string(), "a part any value fits adds nothing: {vault}");
    assert!(vault["tags"][0].is_string(), "a list without `type` is a list: {vault}");
    assert!(vault.get("updated").is_some(), "a required name the schema does not define is there: {vault}");
    assert_eq!(vaults["404"]["content"]["application/json"]["example"], serde_json::json!({"message": "gone"}));
    let links = &mock["paths"]["/links"]["get"]["responses"]["200"]["content"]["application/json"];
    assert!(links.get("example").is_none(), "a sample a mock would read as a reference is left out: {links}");
    let tree = &mock["paths"]["/tree"]["get"]["responses"]["200"]["content"]["application/json"];
    assert!(tree.get("example").is_none(), "{tree}");
    assert_eq!(
        mock["x-sampled-examples"],
        serde_json::json!(["/paths/~1vaults/get/responses/200/content/application~1json/example"])
    );
}

/// Query parameters in a style progenitor does not encode keep that style in the mock
/// document (the client encodes them so), with nothing of the generator's own marking left.
#[test]
fn a_query_parameter_keeps_its_style() {
    let mock = mock_document(
        r##"paths:
  /search:
    get:
      operationId: search
      parameters:
        - {name: ids, in: query, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object, properties: {a: {type: string}}}}
        - {name: tags, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - {name: page, in: query, schema: {type: integer}}
      responses: {"204": {description: Found}}
"##,
    );
    let parameters = &mock["paths"]["/search"]["get"]["parameters"];
    let style = |index: usize| (parameters[index]["style"].clone(), parameters[index]["explode"].clone());
    assert_eq!(style(0), (serde_json::json!("form"), serde_json::json!(false)), "{parameters}");
    assert_eq!(style(1), (serde_json::json!("deepObject"), serde_json::json!(true)), "{parameters}");
    assert_eq!(style(2), (serde_json::json!("pipeDelimited"), serde_json::json!(false)), "{parameters}");
    assert!(parameters[3].get("style").is_none(), "{parameters}");
    assert!(!mock.to_string().contains("x-codegen-style"), "{parameters}");
}

/// An answer header whose value is an object (a pagination summary) is left out of the mock
/// document, on which Prism would stop; scalar headers stay.
#[test]
fn an_answer_header_holding_an_object_is_left_out() {
    let mock = mock_document(
        r##"paths:
  /items:
    get:
      operationId: listItems
      responses:
        "200":
          description: The items
          headers:
            X-Pagination: {$ref: "#/components/headers/X-Pagination"}
            X-Total: {schema: {type: integer}}
          content: {application/json: {schema: {type: array, items: {type: string}}}}
        "429": {$ref: "#/components/responses/TooMany"}
components:
  headers:
    X-Pagination: {schema: {type: object, properties: {page: {type: string}}}}
  responses:
    TooMany:
      description: Slow down
      headers:
        X-Pagination: {$ref: "#/components/headers/X-Pagination"}
        Retry-After: {schema: {type: integer}}
"##,
    );
    let headers = &mock["paths"]["/items"]["get"]["responses"]["200"]["headers"];
    assert!(headers.get("X-Pagination").is_none() && headers.get("X-Total").is_some(), "{headers}");
    let headers = &mock["components"]["responses"]["TooMany"]["headers"];
    assert!(headers.get("X-Pagination").is_none() && headers.get("Retry-After").is_some(), "{headers}");
}

/// A required name an object schema does not describe gets a schema any value fits, so that a
/// mock composing answers from the schemas gives it a value; one its `allOf` part describes,
/// a closed object's and a union member's of `required` alone are left as they are.
#[test]
fn a_required_name_no_schema_describes_is_described_as_any_value() {
    let mock = mock_document(
        r##"paths:
  /wallets:
    get:
      operationId: listWallets
      responses:
        "200":
          description: The wallets
          content: {application/json: {schema: {$ref: "#/components/schemas/Wallet"}}}
components:
  schemas:
    Wallet:
      type: object
      required: [id, balance]
      properties: {id: {type: string}}
    Named:
      allOf:
        - {type: object, properties: {name: {type: string}}}
        - {type: object, required: [name], properties: {note: {type: string}}}
    Closed:
      type: object
      additionalProperties: false
      required: [code]
      properties: {id: {type: string}}
    Either:
      type: object
      properties: {a: {type: string}, b: {type: string}}
      oneOf: [{required: [a]}, {required: [b]}]
"##,
    );
    let schemas = &mock["components"]["schemas"];
    assert_eq!(schemas["Wallet"]["properties"]["balance"], serde_json::json!({}), "{}", schemas["Wallet"]);
    assert_eq!(schemas["Wallet"]["properties"]["id"]["type"], "string");
    assert!(schemas["Named"]["allOf"][1]["properties"].get("name").is_none(), "{}", schemas["Named"]);
    assert!(schemas["Closed"]["properties"].get("code").is_none(), "{}", schemas["Closed"]);
    assert!(schemas["Either"].to_string().matches("properties").count() == 1, "{}", schemas["Either"]);
}
