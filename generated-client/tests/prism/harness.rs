//! Generated calls against Stoplight Prism, shared by `tests/prism.rs` (every operation of both
//! vendors must pass) and the corpus wire check (`cargo xtask corpus --wire` writes a test that
//! includes this file beside each document's generated calls, and reads the report [`report`]
//! writes).
//!
//! Prism serves a document and validates each request against it: a request it rejects (a
//! `sl-violations` header entry of severity `Error` located in the request, or a 4xx of its
//! validation) means the client sent what the document forbids. It also reports where its
//! answer does not fit the document (a violation located in the response), which is the
//! document's own defect when the answer is one of its examples. Prism is installed by
//! `tests/prism/install.sh`, pinned by `tests/prism/package-lock.json`, into the target
//! directory; `PRISM` names an installed `prism` command instead.

use std::io::{BufRead, BufReader};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::Duration;

use futures::{FutureExt, StreamExt};
use periskope_wapikit::{Error, ResponseValue};

/// How many calls are in flight at once.
const CONCURRENCY: usize = 8;

/// What came back from one call, as the generated calls report it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    /// The HTTP status, when there was a response.
    pub status: Option<u16>,
    /// Prism's violations of severity `Error` located in the request, as `where: message`.
    pub request_violations: Vec<String>,
    /// Prism's violations of severity `Error` located in its answer.
    pub response_violations: Vec<String>,
    /// Why the call failed, when it did.
    pub failure: Option<Failure>,
}

/// A call that returned an error.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Failure {
    /// `status` (an error status), `decode` (an answer that does not fit its type), or the
    /// client's other kinds: `invalid-request`, `timeout`, `transport`, `pagination`.
    pub kind: &'static str,
    /// The error's message, with the body for a status or a decode failure.
    pub message: String,
    /// The `type` of Prism's problem document (`https://stoplight.io/prism/errors#...`), when
    /// the answer is one.
    pub prism_error: Option<String>,
}

impl<T, E> From<Result<ResponseValue<T>, Error<E>>> for Outcome {
    fn from(result: Result<ResponseValue<T>, Error<E>>) -> Self {
        let (status, headers, failure, problem) = match result {
            Ok(response) => (Some(response.status().as_u16()), Some(response.headers().clone()), None, None),
            Err(err) => {
                let (kind, message, body) = match &err {
                    Error::Api(api) => ("status", format!("{api}; body: {}", api.text()), api.text().to_string()),
                    Error::Decode(decode) => (
                        "decode",
                        format!("the answer does not decode: {decode}; body: {}", decode.text()),
                        decode.text().to_string(),
                    ),
                    Error::InvalidRequest(_) => ("invalid-request", err.to_string(), String::new()),
                    Error::Timeout(_) => ("timeout", err.to_string(), String::new()),
                    Error::Pagination(_) => ("pagination", err.to_string(), String::new()),
                    _ => ("transport", err.to_string(), String::new()),
                };
                // Prism's own error answers are problem documents with a `type` of its site.
                let problem = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .filter(|problem| problem["type"].as_str().is_some_and(|kind| kind.contains("stoplight.io/prism")));
                let prism_error = problem.as_ref().and_then(|problem| problem["type"].as_str().map(str::to_string));
                let status = err.status().map(|status| status.as_u16());
                (status, err.headers().cloned(), Some(Failure { kind, message, prism_error }), problem)
            }
        };
        let mut found: Vec<serde_json::Value> = headers
            .as_ref()
            .and_then(|headers| headers.get("sl-violations"))
            .map(|header| {
                let text = String::from_utf8_lossy(header.as_bytes());
                match serde_json::from_str(&text) {
                    Ok(serde_json::Value::Array(found)) => found,
                    // Prism cuts a long list short ("Too many violations!"), in practice the
                    // response's: counted there, without its details.
                    _ => vec![serde_json::json!({
                        "severity": "Error",
                        "location": ["response"],
                        "message": format!("unreadable sl-violations header: {}", text.chars().take(200).collect::<String>()),
                    })],
                }
            })
            .unwrap_or_default();
        // With `--errors`, what Prism finds comes in its error answer's `validation` instead.
        if let Some(serde_json::Value::Array(validation)) = problem.map(|mut problem| problem["validation"].take()) {
            found.extend(validation);
        }
        let (request_violations, response_violations) = violations(&found);
        Outcome { status, request_violations, response_violations, failure }
    }
}

/// The violations of severity `Error` among Prism's findings, as `where: message`: those
/// located in the request (`request.body.name: ...`), then those in the response.
fn violations(found: &[serde_json::Value]) -> (Vec<String>, Vec<String>) {
    let (mut request, mut response) = (Vec::new(), Vec::new());
    for violation in found.iter().filter(|violation| violation["severity"] == "Error") {
        let mut location: Vec<&str> =
            violation["location"].as_array().into_iter().flatten().filter_map(|part| part.as_str()).collect();
        // Findings in the response say so; those of a 422's body start at the request's part.
        let in_response = location.first() == Some(&"response");
        if !in_response && location.first() != Some(&"request") {
            location.insert(0, "request");
        }
        let line = format!("{}: {}", location.join("."), violation["message"].as_str().unwrap_or_default());
        // The header and an error answer's body may both carry a finding.
        let into = if in_response { &mut response } else { &mut request };
        if !into.contains(&line) {
            into.push(line);
        }
    }
    (request, response)
}

/// One call's result: no call generated, a call that could not be built, or what came back.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "call")]
pub enum Call {
    /// The generated file has no call for the operation.
    Missing,
    /// The call's inputs could not be built from the document's sample values.
    NotBuilt { message: String },
    /// The call panicked (a defect of the generated client); the other calls are still sent.
    Panicked { message: String },
    /// The request went out; this came back.
    Sent(Outcome),
}

impl Call {
    fn from_send(result: std::thread::Result<Option<Result<Outcome, Box<dyn std::error::Error>>>>) -> Call {
        match result {
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|text| text.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                Call::Panicked { message }
            }
            Ok(None) => Call::Missing,
            Ok(Some(Err(err))) => Call::NotBuilt { message: err.to_string() },
            Ok(Some(Ok(outcome))) => Call::Sent(outcome),
        }
    }

    /// Why the call does not pass, or `None` when Prism accepted the request, found nothing
    /// wrong with its own answer, and the answer decoded.
    pub fn problem(&self) -> Option<String> {
        let outcome = match self {
            Call::Missing => return Some("the generated file has no call for it".into()),
            Call::NotBuilt { message } => return Some(format!("the call could not be built: {message}")),
            Call::Panicked { message } => return Some(format!("the client panicked: {message}")),
            Call::Sent(outcome) => outcome,
        };
        let violations: Vec<&String> = outcome.request_violations.iter().chain(&outcome.response_violations).collect();
        if !violations.is_empty() {
            let status = outcome.status.map(|status| format!(" (status {status})")).unwrap_or_default();
            let joined: Vec<&str> = violations.iter().map(|line| line.as_str()).collect();
            return Some(format!("Prism found violations{status}: {}", joined.join("; ")));
        }
        outcome.failure.as_ref().map(|failure| failure.message.clone())
    }
}

/// The results of one operation method in one mode.
#[derive(Debug, serde::Serialize)]
pub struct Results {
    /// The method's name.
    pub method: &'static str,
    /// `METHOD /path`.
    pub request: &'static str,
    /// Whether the generated file has a call for it.
    pub covered: bool,
    /// Each call's result, in the order they came back.
    pub calls: Vec<Call>,
}

/// Sends each of `operations` (`(method, request, covered)`, as the generated files list them)
/// `times` times with `send`, on a client `client` makes for the mock's base URL, at most
/// [`CONCURRENCY`] at once; the results in the operations' order. A call that panics (a
/// defect of the generated client) is [`Call::Panicked`]: the other calls are still sent.
///
/// Prism stops on some answers it composes (a violation message it cannot put in a header),
/// which would leave every later call unanswered: when it has stopped, it is started again (at
/// most [`RESTARTS`] times) and each operation the stop left unanswered (no call answered) is
/// sent again, one at a time. An operation that stops it again keeps its failed calls, counted
/// as Prism's ([`Mock::stopped`]).
pub async fn send_all<C, F, Fut>(
    mock: &mut Mock,
    operations: &'static [(&'static str, &'static str, bool)],
    times: usize,
    client: impl Fn(&str) -> C,
    send: F,
) -> Vec<Results>
where
    C: Clone,
    F: Fn(C, &'static str) -> Fut,
    Fut: std::future::Future<Output = Option<Result<Outcome, Box<dyn std::error::Error>>>>,
{
    let first = client(&mock.base_url);
    let calls =
        operations.iter().enumerate().flat_map(|(index, &(method, ..))| std::iter::repeat_n((index, method), times));
    let sent: Vec<(usize, Call)> = futures::stream::iter(calls)
        .map(|(index, method)| {
            let call = AssertUnwindSafe(send(first.clone(), method)).catch_unwind();
            async move { (index, Call::from_send(call.await)) }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let mut results: Vec<Results> = operations
        .iter()
        .map(|&(method, request, covered)| Results { method, request, covered, calls: Vec::new() })
        .collect();
    for (index, call) in sent {
        results[index].calls.push(call);
    }
    // The operations sent again since the last start; one that stops Prism is not sent again.
    let mut tried = vec![false; results.len()];
    loop {
        // A call left unanswered may come back before Prism has exited.
        let stopped = mock.has_exited()
            || (results.iter().any(Results::unanswered) && mock.exits_within(Duration::from_secs(2)).await);
        if !stopped || mock.restarts >= RESTARTS || mock.restart().is_err() {
            break;
        }
        let again = client(&mock.base_url);
        for (index, result) in results.iter_mut().enumerate() {
            if tried[index] || !result.unanswered() {
                continue;
            }
            tried[index] = true;
            let mut calls = Vec::with_capacity(times);
            for _ in 0..times {
                let call = Call::from_send(AssertUnwindSafe(send(again.clone(), result.method)).catch_unwind().await);
                let lost = call.lost();
                calls.push(call);
                // It stopped Prism again: the other calls would find no server either.
                if lost {
                    break;
                }
            }
            result.calls = calls;
            if result.unanswered() && mock.exits_within(Duration::from_secs(5)).await {
                break;
            }
        }
    }
    results
}

/// How many times [`send_all`] starts a stopped Prism again, per mock.
pub const RESTARTS: usize = 5;

impl Results {
    /// Whether no call was answered: each failed in transport (Prism had stopped). Calls that
    /// timed out found it running, only slow: sending them again would only wait again.
    fn unanswered(&self) -> bool {
        !self.calls.is_empty() && self.calls.iter().all(Call::lost)
    }
}

impl Call {
    /// Whether the call found no server to answer it (a failure in transport).
    fn lost(&self) -> bool {
        matches!(self, Call::Sent(Outcome { failure: Some(Failure { kind: "transport", .. }), .. }))
    }
}

/// Writes one document's results, both modes, as JSON to `path` (what the corpus wire check
/// reads), with the examples the served `document` lists as mended (its `x-mended-examples`:
/// the document's examples that break their own schemas) and as sampled (its
/// `x-sampled-examples`: answers the document has no example of).
/// `exited` says, per mode, whether Prism stopped during the calls ([`Mock::stopped`]: a crash;
/// the calls it did not answer failed for that).
pub fn report(
    path: &Path,
    document: &Path,
    module: &str,
    examples: &[Results],
    dynamic: &[Results],
    exited: [bool; 2],
    prism_log: &str,
) {
    let served: serde_json::Value =
        std::fs::read_to_string(document).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
    let report = serde_json::json!({
        "module": module,
        "mended_examples": served["x-mended-examples"],
        "sampled_examples": served["x-sampled-examples"],
        "examples": examples,
        "dynamic": dynamic,
        "prism_exited": { "examples": exited[0], "dynamic": exited[1] },
        "prism_log": prism_log,
    });
    let text = serde_json::to_string(&report).expect("the report serialises");
    std::fs::write(path, text).unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
}

/// The `prism` command: `PRISM` when set, else installed once per test process by
/// `tests/prism/install.sh`.
fn prism() -> &'static Path {
    static PRISM: OnceLock<PathBuf> = OnceLock::new();
    PRISM.get_or_init(|| {
        if let Some(installed) = std::env::var_os("PRISM") {
            return PathBuf::from(installed);
        }
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
pub struct Mock {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// Everything Prism printed, for failure messages (each start's, in order).
    log: Arc<Mutex<Vec<String>>>,
    document: PathBuf,
    dynamic: bool,
    /// How many times it was started again after it stopped.
    restarts: usize,
}

impl Mock {
    /// Starts Prism on `document`, with `--errors` (a request that violates the document gets
    /// an error answer, not a mock), `-d` (answers generated from the schemas) when `dynamic`.
    pub fn start(document: &Path, dynamic: bool) -> Result<Mock, String> {
        Mock::start_logging(document, dynamic, Arc::new(Mutex::new(Vec::new())))
    }

    /// Starts Prism again on the same document (on another port), after it stopped.
    fn restart(&mut self) -> Result<(), String> {
        let log = Arc::clone(&self.log);
        log.lock().expect("the log lock").push("(Prism stopped; started again)".into());
        let mut started = Mock::start_logging(&self.document, self.dynamic, log)?;
        started.restarts = self.restarts + 1;
        // The stopped child is waited for when the old value drops.
        *self = started;
        Ok(())
    }

    fn start_logging(document: &Path, dynamic: bool, log: Arc<Mutex<Vec<String>>>) -> Result<Mock, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|err| format!("no free port on 127.0.0.1: {err}"))?
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
            .map_err(|err| format!("cannot start {}: {err}", prism().display()))?;
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
        let base_url = format!("http://127.0.0.1:{port}");
        let mut mock = Mock { child, base_url, log, document: document.to_path_buf(), dynamic, restarts: 0 };
        // Either it says it listens, or it exits (both pipes close, dropping the senders).
        drop(ready);
        match listening.recv_timeout(Duration::from_secs(120)) {
            Ok(()) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = mock.child.kill();
                return Err(format!(
                    "Prism did not start on {} within 2 minutes; it printed:\n{}",
                    document.display(),
                    mock.log()
                ));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // It exited: its reason (its `fatal` line, else its last) on the first line, which
                // is what a one-line report shows. Its usage text, which it may print first on
                // the other pipe, names `fatal` too, as a log level.
                let log = mock.log();
                let fatal = |line: &&str| line.contains("[CLI]") && line.contains("fatal");
                let reason = log.lines().find(fatal).or_else(|| log.lines().last());
                return Err(format!(
                    "Prism exited without serving {}: {}\nit printed:\n{log}",
                    document.display(),
                    reason.unwrap_or("(nothing)").trim()
                ));
            }
        }
        Ok(mock)
    }

    /// Whether Prism has stopped (now, or at any time: it was started again).
    pub fn stopped(&mut self) -> bool {
        self.restarts > 0 || self.has_exited()
    }

    /// Whether the running Prism has exited.
    fn has_exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Whether Prism exits within `wait` (a call it left unanswered may come back before it
    /// has exited).
    async fn exits_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        while tokio::time::Instant::now() < deadline {
            if self.has_exited() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.has_exited()
    }

    /// Everything Prism printed so far.
    pub fn log(&self) -> String {
        self.log.lock().expect("the log lock").join("\n")
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
