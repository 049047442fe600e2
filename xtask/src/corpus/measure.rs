//! One document, measured in a process of its own (`cargo xtask corpus --one FILE OUT`): our
//! generator and bare progenitor, each timed, with panics caught. The parent reads the
//! `result` file this writes; a crash or a hang of this process loses only this document.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::de::IgnoredAny;
use serde_json::Value;

/// The command named in the generated header.
const COMMAND: &str = "cargo xtask corpus";

/// The last panic's message and location, recorded by the panic hook of this process.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// How one generator fared on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It produced code.
    Generated,
    /// It returned an error.
    Refused,
    /// It panicked (the panic was caught).
    Panicked,
    /// The process measuring the document died before the generator finished.
    Crashed,
    /// The document took longer than the time limit.
    TimedOut,
}

impl Status {
    /// The word used in the `result` file and the table.
    pub fn word(self) -> &'static str {
        match self {
            Status::Generated => "generated",
            Status::Refused => "refused",
            Status::Panicked => "panicked",
            Status::Crashed => "crashed",
            Status::TimedOut => "timed out",
        }
    }

    fn from_word(word: &str) -> Option<Status> {
        [Status::Generated, Status::Refused, Status::Panicked, Status::Crashed, Status::TimedOut]
            .into_iter()
            .find(|status| status.word() == word)
    }
}

/// One generator's run on one document.
#[derive(Debug, Clone)]
pub struct Run {
    /// What happened.
    pub status: Status,
    /// How long it took, when it finished.
    pub time: Option<Duration>,
    /// The error or panic message (empty when generated).
    pub message: String,
}

/// What the measuring process reports about one document.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The document's `openapi` (or `swagger`) version, when it parses.
    pub version: Option<String>,
    /// The number of operations under `paths`, when it parses.
    pub operations: Option<usize>,
    /// Our generator.
    pub ours: Option<Run>,
    /// Bare progenitor.
    pub bare: Option<Run>,
    /// The kind of error ours refused with, when it refused.
    pub error_kind: Option<codegen::ErrorKind>,
    /// How many schemas the document has, when ours generated.
    pub schemas: Option<usize>,
    /// What ours degraded: the kind, the operation (`METHOD /path`, or empty) and the location.
    pub degradations: Vec<(codegen::DegradeKind, String, String)>,
    /// How long degrading took, when ours generated.
    pub degrade_time: Option<Duration>,
}

impl Report {
    /// How many schemas became `serde_json::Value`.
    pub fn untyped_schemas(&self) -> usize {
        self.degradations.iter().filter(|(kind, ..)| kind.is_untyped_schema()).count()
    }

    /// The operations whose request body is raw bytes (each once).
    pub fn raw_body_operations(&self) -> usize {
        let mut operations: Vec<&str> = self
            .degradations
            .iter()
            .filter(|(kind, ..)| *kind == codegen::DegradeKind::RawBody)
            .map(|(_, operation, _)| operation.as_str())
            .collect();
        operations.sort();
        operations.dedup();
        operations.len()
    }
}

/// Measures `file`, writing `OUT/result` line by line as each step ends (so that what was
/// learnt before a crash survives it) and, when we generate, `OUT/generated.rs` with the
/// wire check's `OUT/mock_calls.rs` and `OUT/openapi.json`.
pub fn run(file: &Path, out: &Path, module: &str) -> Result<()> {
    // For the test of the time limit: a document that never finishes, whatever the machine's speed.
    if std::env::var_os("XTASK_CORPUS_SIMULATE_HANG").is_some() {
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let result = out.join("result");
    let mut lines = String::new();
    let mut record = |line: String| -> Result<()> {
        lines.push_str(&line);
        lines.push('\n');
        std::fs::write(&result, &lines).with_context(|| format!("cannot write {}", result.display()))
    };
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let Ok(text) = String::from_utf8(bytes) else {
        let refused = Run { status: Status::Refused, time: None, message: "the file is not UTF-8".into() };
        record(run_line("ours", &refused))?;
        return record(run_line("bare", &refused));
    };
    let is_json = file.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if let Some(outline) = Outline::parse(&text, is_json) {
        let version = outline.openapi.as_ref().or(outline.swagger.as_ref()).map(scalar_text);
        record(format!("version\t{}", version.unwrap_or_else(|| "none".into())))?;
        record(format!("operations\t{}", outline.operations()))?;
    }

    let (documents, referenced) = documents(file, &text);
    let vendor = codegen::Vendor {
        name: module,
        documents: &documents,
        referenced: &referenced,
        fixes: None,
        skip: &[],
        strict: false,
    };
    let mut learnt: Vec<String> = Vec::new();
    let (ours, source) = timed(|| match codegen::generate_timed(vendor, COMMAND) {
        Ok((generated, timings)) => {
            learnt.push(format!("schemas\t{}", generated.schemas));
            learnt.push(format!("degrade-time\t{}", timings.step("degrade").as_micros()));
            for degradation in &generated.degradations {
                let operation = degradation.operation.as_deref().unwrap_or_default();
                learnt.push(format!("degraded\t{}\t{operation}\t{}", degradation.kind.word(), degradation.location));
            }
            Ok((generated.source, generated.mock_calls, generated.mock_document))
        }
        Err(err) => {
            learnt.push(format!("error-kind\t{}", err.kind().word()));
            Err(err)
        }
    });
    for line in learnt {
        record(line)?;
    }
    if let Some((source, mock_calls, mock_document)) = source {
        // The client, and for the wire check its calls and the document they are sent against.
        for (name, text) in [("generated.rs", source), ("mock_calls.rs", mock_calls), ("openapi.json", mock_document)] {
            let path = out.join(name);
            std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    record(run_line("ours", &ours))?;
    let (bare, _) = timed(|| bare_progenitor(&text, is_json));
    record(run_line("bare", &bare))
}

/// The document `file` (whose contents are `text`) and the files it refers to
/// (`$ref: models/X.json`, `$ref: ../models/X.json`), relative to its folder: a vendor's
/// multi-file description often keeps its root in a subfolder next to the shared models, and
/// the maintainer chose the folder being measured.
pub fn documents(file: &Path, text: &str) -> ([codegen::SpecFile; 1], Vec<codegen::SpecFile>) {
    let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let documents = [codegen::SpecFile { path: name, text: text.to_string() }];
    let folder = file.parent().unwrap_or(Path::new("."));
    let referenced = codegen::openapi::read_referenced(&documents, |path| {
        let relative = !Path::new(path).is_absolute();
        Ok::<_, codegen::Error>(relative.then(|| std::fs::read_to_string(folder.join(path)).ok()).flatten())
    })
    .unwrap_or_default();
    (documents, referenced)
}

/// Runs `step`, timing it and turning an error or a panic into a [`Run`].
fn timed<T, E: std::fmt::Display>(step: impl FnOnce() -> Result<T, E>) -> (Run, Option<T>) {
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(step));
    let time = Some(start.elapsed());
    match result {
        Ok(Ok(source)) => (Run { status: Status::Generated, time, message: String::new() }, Some(source)),
        Ok(Err(err)) => (Run { status: Status::Refused, time, message: err.to_string() }, None),
        Err(_) => {
            let message = LAST_PANIC.lock().ok().and_then(|mut last| last.take()).unwrap_or_default();
            (Run { status: Status::Panicked, time, message }, None)
        }
    }
}

/// What a progenitor user does without our generator: parse the document (as JSON when it is
/// a `.json` file), generate with the same interface and tag settings as ours, and print.
pub fn bare_progenitor(text: &str, is_json: bool) -> Result<String, String> {
    let spec: openapiv3::OpenAPI = if is_json {
        serde_json::from_str(text).map_err(|err| format!("not an OpenAPI 3.0 document: {err}"))?
    } else {
        serde_yaml_ng::from_str(text).map_err(|err| format!("not an OpenAPI 3.0 document: {err}"))?
    };
    let mut settings = progenitor::GenerationSettings::new();
    settings.with_interface(progenitor::InterfaceStyle::Builder).with_tag(progenitor::TagStyle::Merged);
    let tokens = progenitor::Generator::new(&settings).generate_tokens(&spec).map_err(|err| err.to_string())?;
    let file: syn::File = syn::parse2(tokens).map_err(|err| format!("the generated code does not parse: {err}"))?;
    Ok(prettyplease::unparse(&file))
}

/// The number of operations of a document, when it parses.
pub fn operation_count(text: &str, is_json: bool) -> Option<usize> {
    Outline::parse(text, is_json).map(|outline| outline.operations())
}

/// What the table says about a document: its version and its operations. Everything else is
/// skipped unread, so a document our generator cannot load (a number out of range, say) is
/// still described.
#[derive(serde::Deserialize)]
struct Outline {
    openapi: Option<Value>,
    swagger: Option<Value>,
    paths: Option<BTreeMap<String, BTreeMap<String, IgnoredAny>>>,
}

impl Outline {
    fn parse(text: &str, is_json: bool) -> Option<Outline> {
        if is_json { serde_json::from_str(text).ok() } else { serde_yaml_ng::from_str(text).ok() }
    }

    /// The HTTP methods under each path item.
    fn operations(&self) -> usize {
        self.paths
            .iter()
            .flatten()
            .map(|(_, item)| item.keys().filter(|key| codegen::openapi::METHODS.contains(&key.as_str())).count())
            .sum()
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `ours\tgenerated\t<microseconds>\t<message on one line>`.
fn run_line(which: &str, run: &Run) -> String {
    let micros = run.time.map_or_else(String::new, |time| time.as_micros().to_string());
    let message = run.message.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{which}\t{}\t{micros}\t{message}", run.status.word())
}

/// Reads what a measuring process wrote; missing lines stay `None`.
pub fn read_report(text: &str) -> Report {
    let mut report = Report::default();
    for line in text.lines() {
        let fields: Vec<&str> = line.splitn(4, '\t').collect();
        match fields.as_slice() {
            ["version", version] => report.version = Some((*version).to_string()),
            ["operations", count] => report.operations = count.parse().ok(),
            ["schemas", count] => report.schemas = count.parse().ok(),
            ["degrade-time", micros] => report.degrade_time = micros.parse().ok().map(Duration::from_micros),
            ["error-kind", kind] => report.error_kind = codegen::ErrorKind::from_word(kind),
            ["degraded", kind, operation, location] => {
                if let Some(kind) = codegen::DegradeKind::from_word(kind) {
                    report.degradations.push((kind, (*operation).to_string(), (*location).to_string()));
                }
            }
            [which @ ("ours" | "bare"), status, micros, message] => {
                let Some(status) = Status::from_word(status) else { continue };
                let time = micros.parse().ok().map(Duration::from_micros);
                let run = Some(Run { status, time, message: (*message).to_string() });
                if *which == "ours" {
                    report.ours = run;
                } else {
                    report.bare = run;
                }
            }
            _ => {}
        }
    }
    report
}
