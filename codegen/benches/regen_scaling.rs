//! How the whole generator scales with the size of the specification: synthetic OpenAPI 3.0
//! APIs of 100, 1,000 and 5,000 operations, built here in memory, each run through
//! `codegen::generate` (load, merge, fixes, validate, progenitor, post-processing,
//! prettyplease). Prints the time per spec, the time per operation, the time of each step and
//! the ratio of the time per operation at the largest size to that at the smallest; it
//! asserts nothing about time.
//!
//! The shapes are the ones the vendored specs use, repeated: per resource a list operation
//! with query parameters (one of them an enum), create with a `$ref` body and examples, get and
//! delete with a path parameter, and update with an inline body of nullable fields (three-state
//! `Nullable` fields); nested objects, arrays, enums, date-times, nullable fields and error
//! responses sharing one error schema. Like Periskope, the API arrives as many documents (ten
//! resources each) that repeat `info`, `servers` and the shared components, plus an overlay of
//! fixes.
//!
//! Run with `cargo bench -p codegen --bench regen_scaling` (`cargo xtask bench` runs it too).
//! `REGEN_SCALING_SIZES=100,1000` picks other sizes and `REGEN_SCALING_ROUNDS=N` the rounds
//! (default 3; every round runs every size once, in turn, so a busy moment of a shared
//! machine hits all sizes alike; the median round counts); `REGEN_SCALING_DUMP=DIR` writes the
//! generated sources there. Under `cargo test` it only says how to run it.

use std::time::Duration;

use codegen::{SpecFile, Timings, Vendor};
use serde_json::{Value, json};

/// Operations per resource: list, create, get, update, delete.
const OPERATIONS_PER_RESOURCE: usize = 5;
/// Resources per document.
const RESOURCES_PER_DOCUMENT: usize = 10;
const DEFAULT_SIZES: [usize; 3] = [100, 1_000, 5_000];

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("regen_scaling: run with `cargo bench -p codegen --bench regen_scaling`");
        return;
    }
    let sizes = env_list("REGEN_SCALING_SIZES").unwrap_or_else(|| DEFAULT_SIZES.to_vec());
    let rounds = env_list("REGEN_SCALING_ROUNDS").and_then(|r| r.first().copied()).unwrap_or(3).max(1);
    let specs: Vec<Spec> = sizes.iter().map(|&n| Spec::new(n)).collect();

    // A warm-up run, so that the first measurement does not pay for page faults and caches.
    if let Some(first) = specs.first() {
        first.run();
    }
    let mut runs: Vec<Vec<(Timings, usize)>> = specs.iter().map(|_| Vec::new()).collect();
    for _ in 0..rounds {
        for (spec, runs) in specs.iter().zip(&mut runs) {
            runs.push(spec.run());
        }
    }

    println!(
        "regen_scaling: whole pipeline per spec, median of {rounds} round(s), {} core(s)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "  {:>6} {:>5} {:>9} {:>10} {:>8} {:>8} {:>11} {:>12} {:>10}",
        "ops", "docs", "input KiB", "output KiB", "total s", "us/op", "progenitor", "syn+print", "our steps"
    );
    let mut rows = Vec::new();
    for (spec, runs) in specs.iter().zip(&runs) {
        let (timings, output) = median(runs);
        let per_op = |d: Duration| d.as_secs_f64() * 1e6 / spec.operations as f64;
        println!(
            "  {:>6} {:>5} {:>9} {:>10} {:>8.3} {:>8.1} {:>11.1} {:>12.1} {:>10.1}",
            spec.operations,
            spec.documents.len(),
            spec.bytes() / 1024,
            output / 1024,
            timings.total().as_secs_f64(),
            per_op(timings.total()),
            per_op(progenitor(&timings)),
            per_op(syntax(&timings)),
            per_op(ours(&timings)),
        );
        rows.push((spec.operations, timings));
    }
    println!("  (us per operation: progenitor; syn parsing its output and prettyplease printing; the rest)");

    // Every step of the generator in its own column, in the order it ran (the Rust passes by
    // the names of `rust::PASSES`).
    let steps: Vec<&str> =
        rows.first().map(|(_, t)| t.steps.iter().map(|(step, _)| *step).collect()).unwrap_or_default();
    let width = |step: &str| step.len().max(10) + 1;
    println!("  per step, us per operation:");
    println!("  {:>6} {}", "ops", steps.iter().map(|s| format!("{s:>w$}", w = width(s))).collect::<String>());
    for (operations, timings) in &rows {
        let cells: String = steps
            .iter()
            .map(|step| {
                format!("{:>w$.1}", timings.step(step).as_secs_f64() * 1e6 / *operations as f64, w = width(step))
            })
            .collect();
        println!("  {operations:>6} {cells}");
    }
    // Each step's time per operation at every size after the first, as a multiple of the one
    // at the size before: a step that does not grow faster than the spec stays near 1 (a
    // little above, as the working set outgrows the caches); a quadratic one grows with it.
    for pair in rows.windows(2) {
        let [(before_ops, before), (ops, timings)] = pair else { continue };
        let cells: String = steps
            .iter()
            .map(|step| {
                let now = timings.step(step).as_secs_f64() / *ops as f64;
                let then = before.step(step).as_secs_f64() / *before_ops as f64;
                format!("{:>w$.2}x", now / then.max(f64::EPSILON), w = width(step) - 1)
            })
            .collect();
        println!("  {:>6} {cells}", format!("/{before_ops}"));
    }

    let (Some((small_ops, small)), Some((large_ops, large))) = (rows.first(), rows.last()) else { return };
    let per_op = |t: Duration, n: usize| t.as_secs_f64() / n as f64;
    let growth = |part: fn(&Timings) -> Duration| {
        per_op(part(large), *large_ops) / per_op(part(small), *small_ops).max(f64::EPSILON)
    };
    let ratio = growth(Timings::total);
    let (progenitor_ratio, syntax_ratio, ours_ratio) = (growth(progenitor), growth(syntax), growth(ours));
    let largest = large.total().as_secs_f64();
    // The one line `cargo xtask bench` reads and judges against its bars.
    println!(
        "bench-result regen_scaling small_ops={small_ops} large_ops={large_ops} per_op_ratio={ratio:.4} \
         progenitor_ratio={progenitor_ratio:.4} syntax_ratio={syntax_ratio:.4} ours_ratio={ours_ratio:.4} \
         large_seconds={largest:.4}"
    );
}

/// Comma-separated numbers from an environment variable.
fn env_list(name: &str) -> Option<Vec<usize>> {
    let text = std::env::var(name).ok()?;
    let list: Vec<usize> = text.split(',').filter_map(|n| n.trim().replace('_', "").parse().ok()).collect();
    (!list.is_empty()).then_some(list)
}

/// The run whose total time is the median, with its output size.
fn median(runs: &[(Timings, usize)]) -> (Timings, usize) {
    let mut sorted: Vec<&(Timings, usize)> = runs.iter().collect();
    sorted.sort_by_key(|(t, _)| t.total());
    sorted.get(sorted.len() / 2).map(|run| (*run).clone()).unwrap_or_default()
}

fn progenitor(timings: &Timings) -> Duration {
    timings.step("progenitor")
}

/// syn parsing progenitor's tokens and prettyplease printing the result.
fn syntax(timings: &Timings) -> Duration {
    timings.step("parse") + timings.step("print")
}

/// Everything else: our own steps.
fn ours(timings: &Timings) -> Duration {
    timings.total().saturating_sub(progenitor(timings) + syntax(timings))
}

/// One synthetic API: its documents and its fixes.
struct Spec {
    operations: usize,
    documents: Vec<SpecFile>,
    fixes: SpecFile,
}

impl Spec {
    fn new(operations: usize) -> Self {
        let resources = operations.div_ceil(OPERATIONS_PER_RESOURCE).max(1);
        let documents = (0..resources)
            .collect::<Vec<_>>()
            .chunks(RESOURCES_PER_DOCUMENT)
            .enumerate()
            .map(|(n, chunk)| SpecFile {
                path: format!("specs/bench/part-{n:04}.yaml"),
                text: serde_yaml_ng::to_string(&document(chunk)).expect("the synthetic document serialises"),
            })
            .collect();
        let fixes = SpecFile { path: "specs/fixes/bench.overlay.yaml".into(), text: FIXES.into() };
        Spec { operations: resources * OPERATIONS_PER_RESOURCE, documents, fixes }
    }

    fn bytes(&self) -> usize {
        self.documents.iter().map(|d| d.text.len()).sum()
    }

    /// Generates the API; returns the timings and the size of the output in bytes.
    fn run(&self) -> (Timings, usize) {
        let vendor = Vendor {
            name: "bench",
            documents: &self.documents,
            referenced: &[],
            fixes: Some(&self.fixes),
            skip: &[],
            strict: false,
        };
        let (generated, timings) =
            codegen::generate_timed(vendor, "cargo bench").unwrap_or_else(|err| panic!("generation failed: {err}"));
        if let Some(dir) = std::env::var_os("REGEN_SCALING_DUMP") {
            let dir = std::path::Path::new(&dir);
            let write = |name: String, text: &str| {
                std::fs::write(dir.join(&name), text).unwrap_or_else(|err| panic!("cannot write {name}: {err}"));
            };
            write(format!("generated-{}.rs", self.operations), &generated.source);
            write(format!("tests-{}.rs", self.operations), &generated.tests);
        }
        let output = std::hint::black_box(&generated).source.len() + generated.tests.len();
        (timings, output)
    }
}

const FIXES: &str = "overlay: 1.0.0
info:
  title: Bench fixes
  version: 1.0.0
actions:
  - x-fix: error-description
    target: $.components.schemas.Error
    description: The error schema has no description upstream.
    update:
      description: What went wrong.
  - x-fix: error-details-not-required
    target: $.components.schemas.Error.required[?@ == 'details']
    description: Upstream requires `details`, which it does not define.
    remove: true
";

/// Nouns for resource names, so that type names look like an API's.
const NOUNS: [&str; 12] =
    ["order", "invoice", "contact", "ticket", "message", "label", "member", "phone", "queue", "task", "note", "chat"];

fn resource_name(i: usize) -> (String, String) {
    let noun = NOUNS[i % NOUNS.len()];
    let snake = format!("{noun}_{i}");
    let pascal = format!("{}{}{i}", noun[..1].to_ascii_uppercase(), &noun[1..]);
    (snake, pascal)
}

/// One document holding the given resources, with the shared parts every document repeats.
fn document(resources: &[usize]) -> Value {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": { "type": "string", "example": "not_found" },
                "message": { "type": "string", "example": "The resource does not exist" },
                "request_id": { "type": "string", "nullable": true }
            }
        }),
    );
    for &i in resources {
        let (snake, pascal) = resource_name(i);
        add_resource(&mut paths, &mut schemas, &snake, &pascal);
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Bench API", "version": "1.0.0", "description": "A synthetic API for the benchmarks." },
        "servers": [{ "url": "https://api.example.test/v1" }],
        "security": [{ "bearerAuth": [] }],
        "tags": [{ "name": "bench" }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearerAuth": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas
        }
    })
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

fn add_resource(
    paths: &mut serde_json::Map<String, Value>,
    schemas: &mut serde_json::Map<String, Value>,
    snake: &str,
    pascal: &str,
) {
    let status = format!("{pascal}Status");
    let record = pascal.to_string();
    let create = format!("{pascal}Create");
    let list = format!("{pascal}List");
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });

    schemas.insert(
        status.clone(),
        json!({ "type": "string", "enum": ["active", "archived", "pending"], "description": "Where it stands." }),
    );
    let record_example = json!({
        "id": "3f2a8c1e-5b7d-4e9f-a1c3-9d8e7f6a5b4c",
        "name": format!("First {snake}"),
        "status": "active",
        "created_at": "2025-01-02T03:04:05Z",
        "description": null,
        "metadata": { "owner": { "id": "u1", "email": "owner@example.test" }, "labels": ["vip"] },
        "tags": ["a", "b"],
        "count": 3,
        "score": null
    });
    schemas.insert(
        record.clone(),
        json!({
            "type": "object",
            "description": format!("A {snake}."),
            "required": ["id", "name", "status", "created_at", "description", "score"],
            "properties": {
                "id": { "type": "string", "format": "uuid" },
                "name": { "type": "string", "maxLength": 200 },
                "status": reference(&status),
                "created_at": { "type": "string", "format": "date-time" },
                "description": { "type": "string", "nullable": true },
                "metadata": {
                    "type": "object",
                    "properties": {
                        "owner": {
                            "type": "object",
                            "required": ["id"],
                            "properties": {
                                "id": { "type": "string" },
                                "email": { "type": "string", "format": "email" }
                            }
                        },
                        "labels": { "type": "array", "items": { "type": "string" } }
                    }
                },
                "tags": { "type": "array", "items": { "type": "string" } },
                "count": { "type": "integer", "format": "int64", "minimum": 0 },
                "score": { "type": "number", "format": "double", "nullable": true }
            }
        }),
    );
    schemas.insert(
        create.clone(),
        json!({
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": { "type": "string", "example": format!("New {snake}") },
                "status": reference(&status),
                "description": { "type": "string", "nullable": true },
                "metadata": {
                    "type": "object",
                    "properties": {
                        "labels": { "type": "array", "items": { "type": "string" }, "example": ["vip"] },
                        "priority": { "type": "string", "enum": ["low", "normal", "high"] }
                    }
                }
            }
        }),
    );
    schemas.insert(
        list.clone(),
        json!({
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": { "type": "array", "items": reference(&record) },
                "next_cursor": { "type": "string", "nullable": true }
            }
        }),
    );

    let id_param = json!({
        "name": "id", "in": "path", "required": true,
        "schema": { "type": "string", "format": "uuid" },
        "example": "3f2a8c1e-5b7d-4e9f-a1c3-9d8e7f6a5b4c"
    });
    let json_body = |schema: Value| json!({ "application/json": { "schema": schema } });
    paths.insert(
        format!("/{snake}s"),
        json!({
            "get": {
                "operationId": format!("list_{snake}s"),
                "summary": format!("List {snake}s"),
                "tags": ["bench"],
                "parameters": [
                    { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 20 } },
                    { "name": "cursor", "in": "query", "schema": { "type": "string" } },
                    { "name": "status", "in": "query", "schema": reference(&status) }
                ],
                "responses": {
                    "200": { "description": "A page", "content": json_body(reference(&list)) },
                    "400": error_response("Bad request"),
                    "401": error_response("Unauthorized")
                }
            },
            "post": {
                "operationId": format!("create_{snake}"),
                "summary": format!("Create a {snake}"),
                "tags": ["bench"],
                "requestBody": {
                    "required": true,
                    "content": { "application/json": {
                        "schema": reference(&create),
                        "examples": { "Create": { "value": { "name": format!("New {snake}"), "status": "pending", "description": null } } }
                    } }
                },
                "responses": {
                    "201": { "description": "Created", "content": { "application/json": {
                        "schema": reference(&record), "example": record_example.clone()
                    } } },
                    "400": error_response("Bad request"),
                    "422": error_response("Invalid")
                }
            }
        }),
    );
    paths.insert(
        format!("/{snake}s/{{id}}"),
        json!({
            "get": {
                "operationId": format!("get_{snake}"),
                "summary": format!("Get a {snake}"),
                "tags": ["bench"],
                "parameters": [id_param.clone()],
                "responses": {
                    "200": { "description": "Found", "content": { "application/json": {
                        "schema": reference(&record), "example": record_example
                    } } },
                    "404": error_response("Not found")
                }
            },
            "patch": {
                "operationId": format!("update_{snake}"),
                "summary": format!("Update a {snake}"),
                "tags": ["bench"],
                "parameters": [id_param.clone()],
                "requestBody": {
                    "content": { "application/json": { "schema": {
                        "type": "object",
                        "properties": {
                            "name": { "type": "string" },
                            "description": { "type": "string", "nullable": true, "description": "Null clears it" },
                            "labels": { "type": "array", "items": { "type": "string" }, "nullable": true }
                        }
                    } } }
                },
                "responses": {
                    "200": { "description": "Updated", "content": json_body(reference(&record)) },
                    "404": error_response("Not found")
                }
            },
            "delete": {
                "operationId": format!("delete_{snake}"),
                "summary": format!("Delete a {snake}"),
                "tags": ["bench"],
                "parameters": [id_param],
                "responses": {
                    "204": { "description": "Deleted" },
                    "404": error_response("Not found")
                }
            }
        }),
    );
}
