//! `cargo xtask corpus --wire`: every operation of each document that compiles, sent through its
//! generated client to Stoplight Prism serving the document as the generator saw it.
//!
//! For a batch of compiled modules, the copy of the client crate gets a test target
//! `tests/wire.rs`: the Prism harness the client's own Prism test uses
//! (`generated-client/tests/prism/harness.rs`), each module's generated calls (the doctest calls,
//! built from the document's sample values) and one test per module. Each test starts Prism twice
//! on the module's document, with `--errors` (a request that breaks the document is answered with
//! an error): once answering with the document's examples, once with answers generated from the
//! schemas (`-d`, each call sent `--wire-calls` times), and writes every call's result as JSON.
//! This module reads those results and judges each operation in each mode:
//!
//! - **covered**: the generated file has a call for it;
//! - **accepted**: every call was built and sent, and Prism found nothing wrong with the
//!   request (no violation located in the request, no error answer of its validation);
//! - **decoded**: accepted, and every answer decoded into the generated type;
//! - **passed**: decoded, and Prism found nothing wrong with its own answer either.
//!
//! An operation that did not pass counts once, under the cause of its first call that did not,
//! with whose the cause is: ours (the client or the calls), the document's (upstream's examples
//! that break its own schemas, answers it only documents as errors), or Prism's (no answer it
//! can give, answers it generates against the schema).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use xtask::Layout;

use super::compile::{Crate, write};

/// The two ways Prism answers.
pub const MODES: [&str; 2] = ["examples", "dynamic"];

/// Whose a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Whose {
    /// The generated client or its calls.
    Ours,
    /// The document: its examples or its responses.
    Document,
    /// Prism's own limits.
    Prism,
}

impl Whose {
    pub fn word(self) -> &'static str {
        match self {
            Whose::Ours => "ours",
            Whose::Document => "the document's",
            Whose::Prism => "Prism's",
        }
    }
}

/// One operation that did not pass in one mode.
#[derive(Debug, Clone)]
pub struct Failure {
    /// `METHOD /path (method)`.
    pub operation: String,
    /// The cause, in general terms.
    pub cause: &'static str,
    /// Whose it is.
    pub whose: Whose,
    /// What the call said.
    pub message: String,
}

/// One document in one mode.
#[derive(Debug, Clone, Default)]
pub struct ModeResult {
    pub accepted: usize,
    pub decoded: usize,
    pub passed: usize,
    pub failures: Vec<Failure>,
}

/// One document's wire check.
#[derive(Debug, Clone)]
pub enum Wire {
    /// The check ran: operations, covered, each mode's results ([`MODES`] order), and the
    /// answer examples that break their own schemas, which the mock served mended (pointers),
    /// and how many answers without an example it served a sample of the generator's for.
    Ran { operations: usize, covered: usize, modes: [ModeResult; 2], mended: Vec<String>, sampled: usize },
    /// The check could not run for this document: why.
    NotRun(String),
}

/// Runs the wire check on `modules` (already added to `krate` and compiling, best just built
/// together by its check), in batches of `batch`; `outputs/<module>/` holds each module's
/// `mock_calls.rs` and `openapi.json`.
pub fn run(
    layout: &Layout,
    krate: &Crate,
    modules: &[String],
    outputs: &Path,
    batch: usize,
    dynamic_calls: usize,
) -> Result<BTreeMap<String, Wire>> {
    let prism = install_prism(layout)?;
    let tests = krate.workspace().join("generated-client/tests");
    let reports = krate.workspace().join("wire-reports");
    std::fs::create_dir_all(tests.join("wire")).context("cannot create the wire test folder")?;
    std::fs::create_dir_all(&reports).context("cannot create the wire report folder")?;
    for module in modules {
        for (from, to) in
            [("mock_calls.rs", format!("{module}_mock_calls.rs")), ("openapi.json", format!("{module}.openapi.json"))]
        {
            let from = outputs.join(module).join(from);
            std::fs::copy(&from, tests.join("wire").join(&to))
                .with_context(|| format!("cannot copy {}", from.display()))?;
        }
    }
    let mut results = BTreeMap::new();
    for chunk in modules.chunks(batch.max(1)) {
        eprintln!("wire check: {}", chunk.join(", "));
        let mut pending = chunk.to_vec();
        while !pending.is_empty() {
            match run_batch(krate, &tests, &reports, &prism, &pending, dynamic_calls)? {
                Ok(()) => {
                    for module in pending.drain(..) {
                        let wire = read(&reports.join(format!("{module}.json")));
                        results.insert(module, wire);
                    }
                }
                // The calls of one module did not build: find it by building each alone.
                Err(message) if pending.len() > 1 => {
                    let mut rest = Vec::new();
                    for module in pending.drain(..) {
                        match run_batch(krate, &tests, &reports, &prism, std::slice::from_ref(&module), 0)? {
                            Ok(()) => rest.push(module),
                            Err(message) => {
                                results.insert(module, Wire::NotRun(message));
                            }
                        }
                    }
                    if rest.is_empty() {
                        eprintln!("wire check: no module of the batch builds alone: {message}");
                    }
                    pending = rest;
                }
                Err(message) => {
                    results.insert(pending.remove(0), Wire::NotRun(message));
                }
            }
        }
    }
    Ok(results)
}

/// Builds the wire test for `modules` and runs it (`dynamic_calls` 0: only builds it). `Err`
/// with the compiler's first error when the test does not build.
fn run_batch(
    krate: &Crate,
    tests: &Path,
    reports: &Path,
    prism: &Path,
    modules: &[String],
    dynamic_calls: usize,
) -> Result<Result<(), String>> {
    krate.declare(modules)?;
    write(&tests.join("wire.rs"), &test_source(modules))?;
    let test = |filter: Option<&str>| {
        let mut command = krate.cargo();
        command
            .args(["test", "-p", "periskope-wapikit", "--test", "wire", "--message-format", "short"])
            .args(xtask::scratch::SCRATCH_FEATURES)
            .env("PRISM", prism)
            .env("WIRE_REPORTS", reports)
            .env("WIRE_DYNAMIC_CALLS", dynamic_calls.to_string())
            // A debug build of a large client's calls takes more stack than a test thread's 2 MiB.
            .env("RUST_MIN_STACK", (256usize << 20).to_string());
        match filter {
            None => command.arg("--no-run"),
            Some(module) => command.args(["--", "--exact", module, "--test-threads", "1"]),
        };
        command.output().context("cannot run `cargo test` in the copy of the client crate")
    };
    let output = test(None)?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("could not compile") {
        let first = stderr.lines().find(|line| line.contains("error")).unwrap_or("the wire test does not build");
        return Ok(Err(format!("the generated calls do not build: {first}")));
    }
    // One process per module: one that crashes (a stack overflow aborts the process) takes no
    // other module's report with it.
    for module in modules.iter().filter(|_| dynamic_calls > 0) {
        let output = test(Some(module))?;
        if !output.status.success() {
            // A test that ended without its report is reported when the report is read.
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            let said: Vec<&str> = stdout
                .lines()
                .chain(stderr.lines())
                .filter(|line| line.contains("panicked") || line.contains("fatal"))
                .collect();
            eprintln!("{module}: {}", said.join("\n"));
        }
    }
    Ok(Ok(()))
}

/// The test target: the harness, each module's calls and a test per module.
fn test_source(modules: &[String]) -> String {
    let mut source = String::from(
        "//! Written by `cargo xtask corpus --wire`: each module's generated calls against Prism.\n\
         #![recursion_limit = \"1024\"]\n\
         #![allow(missing_docs, dead_code, unused_imports, clippy::all)]\n\
         #[path = \"prism/harness.rs\"]\nmod harness;\npub use harness::Outcome;\n\n\
         fn dynamic_calls() -> usize {\n    \
         std::env::var(\"WIRE_DYNAMIC_CALLS\").ok().and_then(|n| n.parse().ok()).unwrap_or(3)\n}\n\n\
         fn reports() -> std::path::PathBuf {\n    \
         std::env::var_os(\"WIRE_REPORTS\").expect(\"WIRE_REPORTS names the report folder\").into()\n}\n",
    );
    for module in modules {
        source.push_str(&format!(
            r#"
#[rustfmt::skip]
#[path = "wire/{module}_mock_calls.rs"]
mod {module}_calls;

#[tokio::test]
async fn {module}() {{
    let document = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wire/{module}.openapi.json");
    let report = reports().join("{module}.json");
    let start = |dynamic| harness::Mock::start(&document, dynamic).unwrap_or_else(|err| {{
        let _ = std::fs::write(&report, serde_json::json!({{ "error": err }}).to_string());
        panic!("{{err}}")
    }});
    let (mut examples, mut dynamic) = (start(false), start(true));
    let client = |base_url: &str| {{
        periskope_wapikit::{module}::Client::builder("test-key")
            .base_url(base_url)
            .retry(periskope_wapikit::RetryPolicy::never())
            .build()
            .expect("client builds")
    }};
    let send = |client, method| async move {{ {module}_calls::send(&client, method).await }};
    let operations = {module}_calls::OPERATIONS;
    let from_examples = harness::send_all(&mut examples, operations, 1, client, send).await;
    let from_dynamic = harness::send_all(&mut dynamic, operations, dynamic_calls(), client, send).await;
    let log = format!("{{}}\n{{}}", examples.log(), dynamic.log());
    let exited = [examples.stopped(), dynamic.stopped()];
    harness::report(&report, &document, "{module}", &from_examples, &from_dynamic, exited, &log);
}}
"#
        ));
    }
    source
}

/// Installs the pinned Prism (once, into the workspace's target directory) and returns its path.
fn install_prism(layout: &Layout) -> Result<PathBuf> {
    let script = layout.client().join("tests/prism/install.sh");
    let output = Command::new("sh")
        .arg(&script)
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {} with `sh`", script.display()))?;
    if !output.status.success() {
        bail!("{} failed ({}); the wire check needs Node.js and npm to install Prism", script.display(), output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let path = stdout.lines().last().map(str::trim).unwrap_or_default();
    if path.is_empty() {
        bail!("{} printed no path", script.display());
    }
    Ok(PathBuf::from(path))
}

/// Reads and judges one module's report.
fn read(path: &Path) -> Wire {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => return Wire::NotRun(format!("the wire test wrote no report ({err}); it ended early")),
    };
    let Ok(report) = serde_json::from_str::<Value>(&text) else {
        return Wire::NotRun(format!("{} is not JSON", path.display()));
    };
    if let Some(error) = report["error"].as_str() {
        return Wire::NotRun(error.lines().next().unwrap_or(error).to_string());
    }
    let examples = report["examples"].as_array().cloned().unwrap_or_default();
    let operations = examples.len();
    let covered = examples.iter().filter(|operation| operation["covered"] == true).count();
    let list = |key: &str| -> Vec<String> {
        report[key].as_array().into_iter().flatten().filter_map(Value::as_str).map(String::from).collect()
    };
    let sampled = list("sampled_examples");
    let modes = MODES.map(|mode| {
        let exited = report["prism_exited"][mode] == true;
        judge(report[mode].as_array().map(Vec::as_slice).unwrap_or_default(), mode, exited, &sampled)
    });
    Wire::Ran { operations, covered, modes, mended: list("mended_examples"), sampled: sampled.len() }
}

/// Judges each operation of one mode; `sampled` are the pointers of the answers the mock
/// document was given a sample of (its `x-sampled-examples`).
fn judge(operations: &[Value], mode: &str, prism_exited: bool, sampled: &[String]) -> ModeResult {
    let mut result = ModeResult::default();
    let requests: Vec<&str> = operations.iter().filter_map(|operation| operation["request"].as_str()).collect();
    for operation in operations {
        let name = format!(
            "{} ({})",
            operation["request"].as_str().unwrap_or_default(),
            operation["method"].as_str().unwrap_or_default()
        );
        let calls = operation["calls"].as_array().map(Vec::as_slice).unwrap_or_default();
        let verdicts: Vec<Verdict> = calls.iter().map(|call| verdict(call, mode, prism_exited)).collect();
        let level = verdicts.iter().map(|verdict| verdict.level).min().unwrap_or(Level::NotAccepted);
        let covered = operation["covered"] == true;
        if covered && level >= Level::Accepted {
            result.accepted += 1;
        }
        if covered && level >= Level::Decoded {
            result.decoded += 1;
        }
        if covered && level == Level::Passed {
            result.passed += 1;
        } else if let Some(first) = verdicts.into_iter().find(|verdict| verdict.level < Level::Passed) {
            let (mut cause, mut whose) = first.cause.unwrap_or(("no call", Whose::Ours));
            // A request Prism matched to another operation of the same path (refused, or answered
            // with that operation's answer, which does not decode): the document's.
            let request = operation["request"].as_str().unwrap_or_default();
            let elsewhere = first.level == Level::NotAccepted || cause == NOT_DECODED;
            if elsewhere && covered && is_ambiguous(request, &requests) {
                (cause, whose) = (AMBIGUOUS_PATH, Whose::Document);
            }
            // An answer the example breaks where the document has none is the generator's sample.
            if (cause, whose) == answer_breaks_schema(mode) && whose == Whose::Document && has_sampled(request, sampled)
            {
                (cause, whose) = (SAMPLE_BREAKS_SCHEMA, Whose::Ours);
            }
            result.failures.push(Failure { operation: name, cause, whose, message: first.message });
        }
    }
    result
}

/// An answer that came back but does not decode into its type.
const NOT_DECODED: &str = "answer does not decode";

const SAMPLE_BREAKS_SCHEMA: &str = "an answer the generator sampled (the document has no example) breaks the schema";

/// Whether an answer of `request`'s operation (`GET /a/{id}`) was given a sample (`sampled`:
/// pointers into the mock document). With `--errors` Prism answers a broken example with a 500,
/// so which success's answer it was is not known: any sampled success counts.
fn has_sampled(request: &str, sampled: &[String]) -> bool {
    let Some((method, path)) = request.split_once(' ') else { return false };
    let operation = codegen::openapi::child(&codegen::openapi::child("/paths", path), &method.to_lowercase());
    // The success Prism answers with: an error status's sample is not what it served.
    let responses = format!("{operation}/responses/2");
    sampled.iter().any(|pointer| pointer.starts_with(&responses))
}

/// Paths OpenAPI forbids, which Prism routes to the first operation they match.
const AMBIGUOUS_PATH: &str =
    "a path identical to another but for a parameter's name, or with a query or fragment in it (OpenAPI forbids both)";

/// Whether `request` (`GET /a/{id}`) has a path with a query or a fragment in it (`/a/{id}#id`,
/// which the client cannot send), or one that another of `requests` has but for its
/// parameters' names (`GET /a/{name}`).
fn is_ambiguous(request: &str, requests: &[&str]) -> bool {
    fn template(request: &str) -> String {
        let mut out = String::new();
        let mut in_name = false;
        for c in request.chars() {
            match c {
                '{' => in_name = true,
                '}' => {
                    in_name = false;
                    out.push_str("{}");
                }
                c if !in_name => out.push(c),
                _ => {}
            }
        }
        out
    }
    let own = template(request);
    request.contains(['?', '#']) || requests.iter().any(|other| *other != request && template(other) == own)
}

/// How far one call got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    NotAccepted,
    Accepted,
    Decoded,
    Passed,
}

struct Verdict {
    level: Level,
    cause: Option<(&'static str, Whose)>,
    message: String,
}

/// The problem types of Prism's validation: the request broke the document.
const VALIDATION: [(&str, &str); 5] = [
    ("UNPROCESSABLE_ENTITY", "request rejected by validation"),
    ("UNAUTHORIZED", "auth: a security scheme the request does not satisfy"),
    ("NO_PATH_MATCHED_ERROR", "path: no operation matches the request's path"),
    ("NO_METHOD_MATCHED_ERROR", "path: no operation matches the request's method"),
    ("INVALID_CONTENT_TYPE", "body media type"),
];

/// Judges one call.
fn verdict(call: &Value, mode: &str, prism_exited: bool) -> Verdict {
    let not_accepted =
        |cause, message: String| Verdict { level: Level::NotAccepted, cause: Some((cause, Whose::Ours)), message };
    match call["call"].as_str() {
        Some("missing") => return not_accepted("no call", "the generated file has no call for it".into()),
        Some("not-built") => {
            return not_accepted("call not built from the sample values", text(&call["message"]));
        }
        Some("panicked") => return not_accepted("the client panicked", text(&call["message"])),
        _ => {}
    }
    let request: Vec<&str> =
        call["request_violations"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let response: Vec<&str> =
        call["response_violations"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let failure = &call["failure"];
    let status = call["status"].as_u64();
    let message = text(&failure["message"]);
    if let Some(first) = request.first() {
        let cause = match first.split(['.', ':']).nth(1) {
            // Prism reports unmet security as a violation of the request as a whole.
            _ if first.contains("security scheme") => "auth: a security scheme the request does not satisfy",
            Some("query") => "query parameter",
            Some("path") => "path parameter",
            Some("header") => "header",
            Some("body") => "request body",
            _ => "request, elsewhere",
        };
        return not_accepted(cause, request.join("; "));
    }
    let prism_error = failure["prism_error"].as_str().unwrap_or_default();
    if let Some((_, cause)) = VALIDATION.iter().find(|(kind, _)| prism_error.ends_with(kind)) {
        return not_accepted(cause, message);
    }
    if status == Some(406) && prism_error.ends_with("NOT_ACCEPTABLE") {
        return not_accepted("accepted media type", message);
    }
    // With `--errors`, an answer of Prism's that breaks the document becomes its error answer.
    if !response.is_empty() && prism_error.ends_with("VIOLATIONS") {
        return Verdict {
            level: Level::Accepted,
            cause: Some(answer_breaks_schema(mode)),
            message: response.join("; "),
        };
    }
    match failure["kind"].as_str() {
        Some("invalid-request") => return not_accepted("refused by the client before sending", message),
        // Prism crashed (it had stopped by the end): the calls it left unanswered are its.
        Some("timeout" | "transport") if prism_exited => {
            let cause = ("Prism stopped while answering", Whose::Prism);
            return Verdict { level: Level::NotAccepted, cause: Some(cause), message };
        }
        // A server that takes longer than the client waits (Prism's generator composing an
        // answer without end: PayPal subscriptions' with generated answers).
        Some("timeout") => {
            let cause = ("Prism did not answer within the client's timeout", Whose::Prism);
            return Verdict { level: Level::NotAccepted, cause: Some(cause), message };
        }
        Some("transport") => return not_accepted("transport", message),
        // An answer that breaks the document does not decode for that reason.
        Some("decode") if response.is_empty() => {
            return Verdict { level: Level::Accepted, cause: Some((NOT_DECODED, Whose::Ours)), message };
        }
        Some("decode") => {
            let message = format!("{}; {message}", response.join("; "));
            return Verdict { level: Level::Accepted, cause: Some(answer_breaks_schema(mode)), message };
        }
        Some(_) if !prism_error.is_empty() => {
            let cause = ("Prism could not answer", Whose::Prism);
            return Verdict { level: Level::Accepted, cause: Some(cause), message };
        }
        Some(_) => {
            // An error status the document defines, chosen by Prism as its answer.
            let cause = ("answered with a documented error status", Whose::Document);
            return Verdict { level: Level::Accepted, cause: Some(cause), message };
        }
        None => {}
    }
    if !response.is_empty() {
        return Verdict {
            level: Level::Decoded,
            cause: Some(answer_breaks_schema(mode)),
            message: response.join("; "),
        };
    }
    Verdict { level: Level::Passed, cause: None, message: String::new() }
}

/// Prism's answer breaks the document's schema: with examples, the document's example is wrong;
/// with generated answers, Prism generated it wrong.
fn answer_breaks_schema(mode: &str) -> (&'static str, Whose) {
    if mode == "examples" {
        ("the document's example breaks its own schema", Whose::Document)
    } else {
        ("Prism's generated answer breaks the schema", Whose::Prism)
    }
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

mod render;
pub use render::{render, render_reports};

#[cfg(test)]
mod tests;
