//! The generator: vendored OpenAPI documents in, formatted Rust source out.
//!
//! [`generate`] is the one entry point. It is pure (no file system, no network), so the
//! xtask and the tests call the same code. The steps:
//!
//! 1. parse each YAML document, reporting errors as `file:line:column`;
//! 2. merge a vendor's documents into one API, rejecting conflicting definitions, and apply
//!    the vendor's fixes (an OpenAPI Overlay; see the `fixes` module);
//! 3. validate what progenitor relies on (OpenAPI 3.0.x, unique operation ids, one success
//!    body type per operation) and merge differing error bodies into one schema;
//! 4. generate with progenitor's builder interface, catching any panic it still raises;
//! 5. edit the syntax tree (see `postprocess`) and print it with prettyplease.

mod docs;
mod examples;
mod fixes;
mod lint;
mod load;
mod merge;
mod nullable;
mod postprocess;
mod responses;
mod validate;

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::time::{Duration, Instant};

pub use lint::{Finding, lint};
pub use load::MAX_DOCUMENT_BYTES;
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::Value;

/// One OpenAPI document as read from disk.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// The path shown in messages and in the generated header, e.g. `specs/periskope/invite-members.yaml`.
    pub path: String,
    /// The document's YAML (or JSON) text.
    pub text: String,
}

/// The output for one vendor.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The formatted Rust source of the vendor's `generated.rs`.
    pub source: String,
    /// The formatted Rust source of the vendor's example-contract test file: one test per
    /// example in the specs, decoding it into the generated type and encoding it back.
    pub tests: String,
    /// What the generator changed on the way, one line each, for the maintainer to read.
    pub notes: Vec<String>,
}

/// Why a vendor's documents could not be turned into code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A document is not valid YAML, or not an OpenAPI 3.0 document.
    #[error("{file}{location}: {message}")]
    Invalid {
        /// The document.
        file: String,
        /// `:line:column` when known, otherwise empty.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// Two documents define the same operation or component differently.
    #[error("{item} is defined differently in {first} and {second}; make the two definitions equal or keep only one")]
    Conflict {
        /// The operation (`POST /members/invite`) or component (`#/components/schemas/Member`).
        item: String,
        /// The document that defined it first.
        first: String,
        /// The document that defined it again.
        second: String,
    },
    /// An operation uses something the generator cannot turn into code.
    #[error("{file}: {operation}: {message}")]
    Unsupported {
        /// The document the operation comes from.
        file: String,
        /// The operation, e.g. `POST /members/invite (inviteMembers)`.
        operation: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// Progenitor failed or panicked.
    #[error(
        "{files}: {operation}: progenitor could not generate code: {message}; change this operation to avoid the construct"
    )]
    Generator {
        /// The vendor's documents.
        files: String,
        /// The operation that fails on its own, when one does.
        operation: String,
        /// Progenitor's error or panic message.
        message: String,
    },
    /// A fix no longer applies: its target selects nothing, or it changes nothing.
    #[error("{file}: {fix}: {message}; upstream changed or fixed this, so delete the fix (or retarget it)")]
    ObsoleteFix {
        /// The fixes document.
        file: String,
        /// The fix, by number and the first sentence of its description.
        fix: String,
        /// What happened.
        message: String,
    },
    /// No documents were given.
    #[error("vendor `{0}` has no documents; list its specs in specs/sources.toml")]
    NoDocuments(String),
}

/// One vendor's input: its pristine documents and, optionally, its fixes.
#[derive(Debug, Clone, Copy)]
pub struct Vendor<'a> {
    /// The vendor's module name (`periskope`), used in messages and the header.
    pub name: &'a str,
    /// The pristine upstream documents, merged in order.
    pub documents: &'a [SpecFile],
    /// The vendor's fixes: an OpenAPI Overlay 1.0 document applied to the merged documents.
    pub fixes: Option<&'a SpecFile>,
}

/// How long each step of one [`generate_timed`] call took, in the order the steps ran.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// `(step, time)`: `load`, `merge`, `fixes`, `validate`, `progenitor` (with the typed
    /// parse of the merged document), `parse` (progenitor's tokens into a syntax tree),
    /// `postprocess`, `nullable`, `docs`, `examples` and `print`.
    pub steps: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// The time of one step (zero when it did not run).
    pub fn step(&self, name: &str) -> Duration {
        self.steps.iter().filter(|(step, _)| *step == name).map(|(_, time)| *time).sum()
    }

    /// The time of all steps together.
    pub fn total(&self) -> Duration {
        self.steps.iter().map(|(_, time)| *time).sum()
    }
}

/// Records the time since the previous lap under a step name.
struct Stopwatch {
    last: Instant,
    timings: Timings,
}

impl Stopwatch {
    fn lap(&mut self, step: &'static str) {
        let now = Instant::now();
        self.timings.steps.push((step, now - self.last));
        self.last = now;
    }
}

/// Generates the Rust source for one vendor from its documents.
///
/// `command` is the command the generated header names as the one that regenerates the file.
pub fn generate(vendor: Vendor<'_>, command: &str) -> Result<Generated, Error> {
    generate_timed(vendor, command).map(|(generated, _)| generated)
}

/// [`generate`], also saying how long each step took (for `codegen/benches/regen_scaling.rs`).
pub fn generate_timed(vendor: Vendor<'_>, command: &str) -> Result<(Generated, Timings), Error> {
    let mut watch = Stopwatch { last: Instant::now(), timings: Timings::default() };
    if vendor.documents.is_empty() {
        return Err(Error::NoDocuments(vendor.name.to_string()));
    }
    // The output must not depend on the order the documents were listed or found in.
    let sorted = sorted_documents(vendor.documents);
    let files = sorted.as_slice();
    let vendor_name = vendor.name;
    let docs = files.iter().map(load::load).collect::<Result<Vec<_>, _>>()?;
    watch.lap("load");
    let mut merged = merge::merge(&docs)?;
    watch.lap("merge");
    let mut notes = match vendor.fixes {
        Some(fixes) => fixes::apply(&mut merged.value, fixes)?,
        None => Vec::new(),
    };
    watch.lap("fixes");
    notes.extend(validate::validate_and_rewrite(&mut merged)?);
    watch.lap("validate");

    let file_list = files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>().join(", ");
    let spec: openapiv3::OpenAPI = serde_json::from_value(merged.value.clone()).map_err(|err| Error::Invalid {
        file: file_list.clone(),
        location: String::new(),
        message: format!("the merged document is not valid OpenAPI: {err}"),
    })?;
    let tokens = run_progenitor(&spec).map_err(|message| Error::Generator {
        files: file_list.clone(),
        operation: failing_operation(&merged.value).unwrap_or_else(|| "(no single operation)".into()),
        message,
    })?;
    watch.lap("progenitor");

    let mut file: syn::File = syn::parse2(tokens).map_err(|err| Error::Generator {
        files: file_list.clone(),
        operation: "(whole document)".into(),
        message: format!("the generated code does not parse: {err}"),
    })?;
    watch.lap("parse");
    let base_url = spec.servers.first().map(|server| server.url.as_str());
    postprocess::apply(&mut file, base_url);
    watch.lap("postprocess");
    for missing in nullable::apply(&mut file, &nullable::targets(&merged.value)) {
        notes.push(format!(
            "`{}.{}` is nullable and optional, but it is not a field of a named schema or request body, so it \
             stays an `Option` and `null` cannot be sent; move it into a component schema with a fix",
            missing.type_name, missing.property
        ));
    }
    watch.lap("nullable");
    docs::apply(&mut file, &merged.value, vendor_name);
    watch.lap("docs");

    let fixes_note = vendor.fixes.map(|f| format!(" with the fixes in {}", f.path)).unwrap_or_default();
    let header = format!("// @generated by `{command}` from {file_list}{fixes_note}; do not edit by hand.\n");
    let examples = examples::collect(&merged.value);
    let (tests_file, example_notes) =
        examples::contract_tests(vendor_name, &file, &merged, &examples).map_err(|err| Error::Generator {
            files: file_list.clone(),
            operation: "(example contract tests)".into(),
            message: format!("the generated tests do not parse: {err}"),
        })?;
    notes.extend(example_notes);
    watch.lap("examples");
    let source = format!(
        "{header}// The {vendor_name} API client, generated with progenitor.\n\n{}",
        prettyplease::unparse(&file)
    );
    let tests = format!("{header}\n{}", prettyplease::unparse(&tests_file));
    watch.lap("print");
    Ok((Generated { source, tests, notes }, watch.timings))
}

/// The type every generated `Client` carries for the hand-written runtime (authentication,
/// default headers); the client crate defines it and implements `ClientHooks` with it.
pub const RUNTIME_TYPE: &str = "crate::runtime::Runtime";

fn sorted_documents(documents: &[SpecFile]) -> Vec<SpecFile> {
    let mut sorted = documents.to_vec();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    sorted
}

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    let runtime: TokenStream = RUNTIME_TYPE.parse().unwrap_or_default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        .with_inner_type(runtime)
        .with_hooks(HooksMode::Expected);
    settings
}

thread_local! {
    /// Set while progenitor runs on this thread, so its panics are reported as errors, not printed.
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Runs progenitor, turning an error or a panic into its message.
fn run_progenitor(spec: &openapiv3::OpenAPI) -> Result<TokenStream, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET_PANICS.with(|quiet| quiet.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| Generator::new(&settings()).generate_tokens(spec)));
    QUIET_PANICS.with(|quiet| quiet.set(false));
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(err)) => Err(err.to_string()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(format!("progenitor panicked: {message}"))
        }
    }
}

/// Finds the first operation that progenitor rejects on its own, to name it in the error.
fn failing_operation(doc: &Value) -> Option<String> {
    let paths = doc.get("paths")?.as_object()?;
    for (path, item) in paths {
        for method in merge::METHODS {
            let Some(operation) = item.get(method) else { continue };
            let mut single = doc.clone();
            let mut only_item = serde_json::Map::new();
            only_item.insert(method.to_string(), operation.clone());
            if let Some(params) = item.get("parameters") {
                only_item.insert("parameters".into(), params.clone());
            }
            let mut only_path = serde_json::Map::new();
            only_path.insert(path.clone(), Value::Object(only_item));
            single["paths"] = Value::Object(only_path);
            let fails = match serde_json::from_value::<openapiv3::OpenAPI>(single) {
                Ok(spec) => run_progenitor(&spec).is_err(),
                Err(_) => true,
            };
            if fails {
                let id = operation.get("operationId").and_then(Value::as_str).unwrap_or("no operationId");
                return Some(format!("{} {path} ({id})", method.to_uppercase()));
            }
        }
    }
    None
}
