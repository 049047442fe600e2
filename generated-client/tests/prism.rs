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
//! without an edit here. Prism is installed by `tests/prism/install.sh`, pinned by
//! `tests/prism/package-lock.json`, into the target directory; it needs Node.js and npm.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::Duration;

use futures::StreamExt;
use periskope_wapikit::{Error, ResponseValue, RetryPolicy};

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

/// How many calls are in flight at once.
const CONCURRENCY: usize = 8;

/// What came back from one call, as the generated calls report it.
pub struct Outcome {
    /// The HTTP status, when there was a response.
    status: Option<u16>,
    /// Prism's request or response violations of severity `Error` (its `sl-violations` header).
    violations: Vec<String>,
    /// Why the call failed: an error status with its body, an answer that does not decode.
    failure: Option<String>,
}

impl<T, E> From<Result<ResponseValue<T>, Error<E>>> for Outcome {
    fn from(result: Result<ResponseValue<T>, Error<E>>) -> Self {
        match result {
            Ok(response) => Outcome {
                status: Some(response.status().as_u16()),
                violations: violations(response.headers()),
                failure: None,
            },
            Err(err) => {
                let failure = match &err {
                    Error::Api(api) => format!("{api}; body: {}", api.text()),
                    Error::Decode(decode) => format!("the answer does not decode: {decode}; body: {}", decode.text()),
                    other => other.to_string(),
                };
                Outcome {
                    status: err.status().map(|status| status.as_u16()),
                    violations: err.headers().map(violations).unwrap_or_default(),
                    failure: Some(failure),
                }
            }
        }
    }
}

/// The violations of severity `Error` in Prism's `sl-violations` header, as `where: message`.
fn violations(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    let Some(header) = headers.get("sl-violations").and_then(|value| value.to_str().ok()) else {
        return Vec::new();
    };
    let Ok(serde_json::Value::Array(found)) = serde_json::from_str(header) else {
        return vec![format!("unreadable sl-violations header: {header}")];
    };
    found
        .iter()
        .filter(|violation| violation["severity"] == "Error")
        .map(|violation| {
            let location: Vec<&str> =
                violation["location"].as_array().into_iter().flatten().filter_map(|part| part.as_str()).collect();
            format!("{}: {}", location.join("."), violation["message"].as_str().unwrap_or_default())
        })
        .collect()
}

/// The `prism` command, installed once per test process by `tests/prism/install.sh`.
fn prism() -> &'static Path {
    static PRISM: OnceLock<PathBuf> = OnceLock::new();
    PRISM.get_or_init(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/prism/install.sh");
        let output = Command::new("sh").arg(&script).stderr(Stdio::inherit()).output().unwrap_or_else(|err| {
            panic!("cannot run {} with `sh` ({err}); the Prism mock tests need a POSIX shell and npm", script.display())
        });
        assert!(
            output.status.success(),
            "{} failed ({}); its message is above. The Prism mock tests need Node.js and npm.",
            script.display(),
            output.status
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        PathBuf::from(stdout.lines().last().expect("install.sh prints the path of prism").trim())
    })
}

/// A running Prism mock server on 127.0.0.1, stopped when dropped.
struct Mock {
    child: Child,
    base_url: String,
    /// Everything Prism printed, for failure messages.
    log: Arc<Mutex<Vec<String>>>,
}

impl Mock {
    /// Starts Prism on `document`, with `--errors` (a request that violates the document gets
    /// an error answer, not a mock), `-d` when `dynamic`.
    fn start(document: &Path, dynamic: bool) -> Mock {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port on 127.0.0.1")
            .port();
        let mut command = Command::new(prism());
        command.args(["mock", "--errors", "-h", "127.0.0.1", "-p", &port.to_string()]);
        if dynamic {
            command.arg("-d");
        }
        let mut child = command
            .arg(document)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", prism().display()));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (ready, listening) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().expect("stdout is piped")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().expect("stderr is piped")),
        ] {
            let (log, ready) = (Arc::clone(&log), ready.clone());
            // Prism logs every request: the pipe is drained for as long as it runs.
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if line.contains("Prism is listening on") {
                        let _ = ready.send(());
                    }
                    log.lock().expect("the log lock").push(line);
                }
            });
        }
        let mock = Mock { child, base_url: format!("http://127.0.0.1:{port}"), log };
        if listening.recv_timeout(Duration::from_secs(120)).is_err() {
            panic!("Prism did not start on {} within 2 minutes; it printed:\n{}", document.display(), mock.log());
        }
        mock
    }

    fn log(&self) -> String {
        self.log.lock().expect("the log lock").join("\n")
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One vendor's generated document, beside the generated calls.
fn document(vendor: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/generated/{vendor}.openapi.json"))
}

/// Why one call failed, or `None` when Prism accepted the request and the answer decoded.
fn problem(result: Option<Result<Outcome, Box<dyn std::error::Error>>>) -> Option<String> {
    let outcome = match result {
        None => return Some("the generated file has no call for it".into()),
        Some(Err(err)) => return Some(format!("the call could not be built: {err}")),
        Some(Ok(outcome)) => outcome,
    };
    if !outcome.violations.is_empty() {
        let status = outcome.status.map(|status| format!(" (status {status})")).unwrap_or_default();
        return Some(format!("Prism found violations{status}: {}", outcome.violations.join("; ")));
    }
    outcome.failure
}

/// The summary line of one vendor and mode, and the failures (`request (method): problem`).
struct Report {
    summary: String,
    failures: Vec<String>,
}

/// Sends each of `operations` `times` times with `send`, at most [`CONCURRENCY`] at once.
async fn check<F, Fut>(
    vendor: &str,
    mode: &str,
    operations: &'static [(&'static str, &'static str, bool)],
    times: usize,
    send: F,
) -> Report
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = Option<Result<Outcome, Box<dyn std::error::Error>>>>,
{
    let calls = operations.iter().flat_map(|&(method, request, _)| std::iter::repeat_n((method, request), times));
    let results: Vec<(&str, &str, Option<String>)> = futures::stream::iter(calls)
        .map(|(method, request)| {
            let call = send(method);
            async move { (method, request, problem(call.await)) }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let mut failures: Vec<String> = Vec::new();
    let mut failed = std::collections::BTreeSet::new();
    for (method, request, problem) in results {
        if let Some(problem) = problem {
            failed.insert(method);
            let line = format!("{request} ({method}): {problem}");
            if !failures.contains(&line) {
                failures.push(line);
            }
        }
    }
    let covered = operations.iter().filter(|(_, _, covered)| *covered).count();
    let passed = operations.iter().filter(|(method, _, covered)| *covered && !failed.contains(method)).count();
    let summary = format!(
        "{vendor}, {mode}: {} operations, {covered} covered, {passed} passed ({} requests)",
        operations.len(),
        operations.len() * times
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
        let examples = Mock::start(&document, false);
        let dynamic = Mock::start(&document, true);
        let on_examples = $client(&examples.base_url);
        let on_dynamic = $client(&dynamic.base_url);
        let operations = $calls::OPERATIONS;
        let reports = [
            check($vendor, "examples", operations, 1, |method| $calls::send(&on_examples, method)).await,
            check($vendor, &format!("dynamic (-d, {DYNAMIC_CALLS} calls each)"), operations, DYNAMIC_CALLS, |method| {
                $calls::send(&on_dynamic, method)
            })
            .await,
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
