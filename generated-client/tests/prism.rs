//! Every operation of both APIs against Stoplight Prism, a third-party mock server, serving the
//! vendor's document as the generator saw it (`tests/generated/<vendor>.openapi.json`, written
//! by `cargo xtask regen`). Prism validates each request against the document: a request it
//! rejects (a `sl-violations` header of severity `Error`, or a 4xx) means the client sent what
//! the document forbids, and the test fails naming the operation and Prism's finding. Every
//! answer must decode into the generated type.
//!
//! Two servers per vendor: one answering with the document's examples (`prism mock`), one
//! with responses generated from the schemas (`prism mock -d`), which each call hits
//! [`DYNAMIC_CALLS`] times. The calls themselves are generated (`tests/generated/
//! <vendor>_mock_calls.rs`, the operations' doctest calls), so a new operation is tested
//! without an edit here. Prism, and how each call's result is read, are in `tests/prism/harness.rs`, which
//! the corpus wire check (`cargo xtask corpus --wire`) shares.

use std::io::Write;
use std::path::{Path, PathBuf};

use periskope_wapikit::RetryPolicy;

// The report writer is the corpus wire check's.
#[allow(dead_code)]
#[path = "prism/harness.rs"]
mod harness;

pub use harness::Outcome;
use harness::{Mock, Results};

#[cfg(feature = "periskope")]
#[rustfmt::skip]
#[path = "generated/periskope_mock_calls.rs"]
mod periskope_mock_calls;

#[cfg(feature = "wapikit")]
#[rustfmt::skip]
#[path = "generated/wapikit_mock_calls.rs"]
mod wapikit_mock_calls;

/// How many times each call is sent to the dynamic server, each answer generated afresh.
const DYNAMIC_CALLS: usize = 20;

/// One vendor's generated document, beside the generated calls.
fn document(vendor: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/generated/{vendor}.openapi.json"))
}

/// The summary line of one vendor and mode, and the failures (`request (method): problem`).
struct Report {
    summary: String,
    failures: Vec<String>,
}

/// Judges one vendor's results in one mode: every covered operation's calls must pass.
fn judge(vendor: &str, mode: &str, results: &[Results]) -> Report {
    let mut failures: Vec<String> = Vec::new();
    let mut passed = 0;
    for operation in results {
        let problems: Vec<String> = operation.calls.iter().filter_map(|call| call.problem()).collect();
        if operation.covered && problems.is_empty() {
            passed += 1;
        }
        for problem in problems {
            let line = format!("{} ({}): {problem}", operation.request, operation.method);
            if !failures.contains(&line) {
                failures.push(line);
            }
        }
    }
    let covered = results.iter().filter(|operation| operation.covered).count();
    let requests: usize = results.iter().map(|operation| operation.calls.len()).sum();
    let summary = format!(
        "{vendor}, {mode}: {} operations, {covered} covered, {passed} passed ({requests} requests)",
        results.len()
    );
    Report { summary, failures }
}

/// Prints the summaries (to the test's standard error, so they show without `--nocapture`)
/// and fails with every failure.
fn conclude(mocks: &[&Mock], reports: &[Report]) {
    let mut stderr = std::io::stderr().lock();
    for report in reports {
        let _ = writeln!(stderr, "prism {}", report.summary);
    }
    let failures: Vec<&String> = reports.iter().flat_map(|report| &report.failures).collect();
    if !failures.is_empty() {
        let logs: Vec<String> = mocks.iter().map(|mock| mock.log()).collect();
        panic!(
            "{} call(s) failed against Prism:\n{}\n\nPrism's log:\n{}",
            failures.len(),
            failures.iter().map(|failure| format!("- {failure}")).collect::<Vec<_>>().join("\n"),
            logs.join("\n")
        );
    }
}

/// Runs one vendor's calls against both servers: `$calls` is its generated module, `$client`
/// builds its client for a base URL.
macro_rules! against_prism {
    ($vendor:literal, $calls:ident, $client:expr) => {{
        let document = document($vendor);
        let mut examples = Mock::start(&document, false).unwrap_or_else(|err| panic!("{err}"));
        let mut dynamic = Mock::start(&document, true).unwrap_or_else(|err| panic!("{err}"));
        let operations = $calls::OPERATIONS;
        let send = |client, method| async move { $calls::send(&client, method).await };
        let reports = [
            judge($vendor, "examples", &harness::send_all(&mut examples, operations, 1, $client, send).await),
            judge(
                $vendor,
                &format!("dynamic (-d, {DYNAMIC_CALLS} calls each)"),
                &harness::send_all(&mut dynamic, operations, DYNAMIC_CALLS, $client, send).await,
            ),
        ];
        conclude(&[&examples, &dynamic], &reports);
        assert!(!operations.is_empty(), "the {} document has operations", $vendor);
    }};
}

#[cfg(feature = "periskope")]
#[tokio::test]
async fn every_periskope_operation_is_accepted_by_prism_and_its_answers_decode() {
    against_prism!("periskope", periskope_mock_calls, |base_url: &str| {
        periskope_wapikit::periskope::Client::builder("test-periskope-key")
            .base_url(base_url)
            .retry(RetryPolicy::never())
            .build()
            .expect("client builds")
    });
}

#[cfg(feature = "wapikit")]
#[tokio::test]
async fn every_wapikit_operation_is_accepted_by_prism_and_its_answers_decode() {
    against_prism!("wapikit", wapikit_mock_calls, |base_url: &str| {
        periskope_wapikit::wapikit::Client::builder("test-wapikit-key")
            .base_url(base_url)
            .retry(RetryPolicy::never())
            .build()
            .expect("client builds")
    });
}

/// A document Prism refuses (a `$ref` to a schema it does not define): starting it fails at
/// once (not after the two-minute wait for a slow start), saying so on the first line with
/// Prism's reason.
#[test]
fn a_document_prism_refuses_is_an_error_naming_its_reason() {
    let document = Path::new(env!("CARGO_TARGET_TMPDIR")).join("prism-refused.openapi.json");
    let text = r##"{"openapi": "3.0.3", "info": {"title": "Refused", "version": "1"}, "paths": {"/notes": {"get": {
        "responses": {"200": {"description": "The notes", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Missing"}}}}}}}}}"##;
    std::fs::write(&document, text).expect("write the document");
    let Err(error) = Mock::start(&document, false) else { panic!("Prism served a document with a dangling $ref") };
    let first = error.lines().next().unwrap_or_default();
    assert!(first.starts_with("Prism exited without serving"), "{error}");
    assert!(first.contains("Missing"), "the first line names Prism's reason: {error}");
}

/// Prism stops on an answer whose violation it cannot put in a header (an example breaking a
/// `pattern` written with a character outside Latin-1): it is started again, the operations it
/// left unanswered are sent again and answered, and the one that stops it keeps its failed
/// calls, which the report counts as Prism's stop. A call that panics loses only itself.
#[tokio::test]
async fn a_prism_that_stops_or_a_call_that_panics_loses_only_its_own_operation() {
    let document = Path::new(env!("CARGO_TARGET_TMPDIR")).join("prism-stops.openapi.json");
    let answer = |schema: &str, example: &str| {
        format!(
            r#"{{"get": {{"responses": {{"200": {{"description": "An answer", "content": {{"application/json":
            {{"schema": {schema}, "example": {example}}}}}}}}}}}}}"#
        )
    };
    let text = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "Stops", "version": "1"}}, "paths": {{"/stop": {}, "/note": {}}}}}"#,
        answer(
            r#"{"type": "object", "properties": {"arrow": {"type": "string", "pattern": "^→$"}}}"#,
            r#"{"arrow": "-"}"#
        ),
        answer(r#"{"type": "object"}"#, r#"{"text": "kept"}"#),
    );
    std::fs::write(&document, text).expect("write the document");
    static OPERATIONS: [(&str, &str, bool); 10] = [
        ("note", "GET /note", true),
        ("panic", "GET /panic", true),
        ("stop", "GET /stop", true),
        ("note", "GET /note", true),
        ("note", "GET /note", true),
        ("note", "GET /note", true),
        ("note", "GET /note", true),
        ("note", "GET /note", true),
        ("note", "GET /note", true),
        ("note", "GET /note", true),
    ];
    let send = |base_url: String, path: &'static str| async move {
        assert_ne!(path, "panic", "a defect of the client");
        let (status, failure) = match reqwest::get(format!("{base_url}/{path}")).await {
            Ok(response) => (Some(response.status().as_u16()), None),
            Err(err) => {
                (None, Some(harness::Failure { kind: "transport", message: err.to_string(), prism_error: None }))
            }
        };
        Some(Ok(Outcome { status, request_violations: Vec::new(), response_violations: Vec::new(), failure }))
    };
    let mut mock = Mock::start(&document, false).unwrap_or_else(|err| panic!("{err}"));
    let results = harness::send_all(&mut mock, &OPERATIONS, 2, str::to_string, send).await;
    assert!(mock.stopped(), "Prism stopped on /stop");
    for result in &results {
        let statuses: Vec<Option<u16>> = result
            .calls
            .iter()
            .map(|call| match call {
                harness::Call::Sent(outcome) => outcome.status,
                harness::Call::Panicked { message } if result.method == "panic" => {
                    assert!(message.contains("a defect of the client"), "{message}");
                    Some(0)
                }
                other => panic!("{other:?}"),
            })
            .collect();
        // The operation that stops Prism is sent once more after the restart, and stops it again.
        let expected = match result.method {
            "stop" => vec![None],
            "panic" => vec![Some(0); 2],
            _ => vec![Some(200); 2],
        };
        assert_eq!(statuses, expected, "{}: {:?}\n{}", result.request, result.calls, mock.log());
    }
}
