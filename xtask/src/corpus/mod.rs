//! `cargo xtask corpus <dir>`: measures the generator on a folder of real OpenAPI documents.
//!
//! Each document is measured in a process of its own (the xtask again, with the hidden
//! `--one`), so that a crash or a hang loses only that document: the process is killed after
//! `--timeout` seconds. It runs our generator and bare progenitor, each timed. What we
//! generate is then checked to compile inside the client crate (see `compile`). The command
//! prints a Markdown table, the totals, typed coverage and the degradations by kind, the
//! refusals by the kind of their typed error with their messages, and the compile errors
//! grouped by message (see `report`).
//!
//! Exit code 0 when our generator neither panicked, crashed nor hung on any document and
//! everything it generated compiles; 1 otherwise (refusals, and whatever bare progenitor does,
//! are the measurement, not a failure); 2 when the folder cannot be read or the compile check
//! cannot run.
//!
//! The figures of the last run over real documents, and how to repeat it, are in
//! `REAL_WORLD.md` beside this file.

pub(crate) mod compile;
pub(crate) mod measure;
mod report;
mod wire;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use xtask::Layout;

use measure::{Report, Run, Status};

/// Options of `cargo xtask corpus`.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// Folder of OpenAPI documents (`*.json`, `*.yaml`, `*.yml`), each measured on its own.
    #[arg(value_name = "DIR", required_unless_present_any = ["one", "wire_reports"])]
    pub dir: Option<PathBuf>,
    /// Another document to measure with the folder's (repeatable).
    #[arg(long, value_name = "FILE")]
    pub also: Vec<PathBuf>,
    /// Seconds one document may take (both generators) before it counts as hung.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub timeout: u64,
    /// Documents measured at the same time (timings are only comparable with 1).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub jobs: usize,
    /// Generated modules per `cargo check`.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub batch: usize,
    /// Do not compile what is generated.
    #[arg(long)]
    pub no_compile: bool,
    /// Cargo's target directory for the compile check (default `<root>/target/corpus`); the
    /// outputs and the copy of the client crate go under its `corpus-work/`.
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// Also send every operation of each document that compiles through its generated client
    /// to Prism serving the document (examples, then generated answers); see `corpus/wire.rs`.
    #[arg(long, conflicts_with = "no_compile")]
    pub wire: bool,
    /// With `--wire`: how many times each call is sent to Prism's generated answers.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=100))]
    pub wire_calls: u64,
    /// Print the wire check again from the reports a kept `--wire` run wrote (the
    /// `wire-reports/` folder of its copy of the client crate), measuring nothing.
    #[arg(long, value_name = "DIR", conflicts_with = "dir")]
    pub wire_reports: Option<PathBuf>,
    /// Keep the outputs and the copy of the client crate (their folder is printed).
    #[arg(long)]
    pub keep: bool,
    /// Measure one document in this process and write the results to OUT (used internally).
    #[arg(long, hide = true, num_args = 3, value_names = ["FILE", "OUT", "MODULE"])]
    pub one: Option<Vec<PathBuf>>,
}

/// One document and everything learnt about it.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The file, as given.
    pub file: PathBuf,
    /// The module its code goes into.
    pub module: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// What the measuring process reported.
    pub report: Report,
    /// Our run; a crash or a hang when the process said nothing about it.
    pub ours: Run,
    /// Bare progenitor's run, likewise.
    pub bare: Run,
    /// The compile errors of what we generated: `None` when not checked.
    pub compile: Option<Vec<compile::CompileError>>,
    /// The wire check: `None` when not run on this document.
    pub wire: Option<wire::Wire>,
}

impl Outcome {
    /// The file name shown in the table.
    pub fn name(&self) -> String {
        self.file.file_name().map_or_else(|| self.file.display().to_string(), |n| n.to_string_lossy().into_owned())
    }
}

/// Runs the command; see the module documentation.
pub fn run(layout: &Layout, args: &CorpusArgs) -> Result<ExitCode> {
    if let Some(one) = &args.one {
        let [file, out, module] = one.as_slice() else { bail!("`--one` takes FILE OUT MODULE") };
        measure::run(file, out, &module.to_string_lossy())?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(folder) = &args.wire_reports {
        print!("{}", wire::render_reports(folder)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut files = match &args.dir {
        Some(dir) => documents_in(dir)?,
        None => Vec::new(),
    };
    files.extend(args.also.iter().cloned());
    if files.is_empty() {
        bail!("no documents to measure: the folder has no *.json, *.yaml or *.yml file");
    }
    let target = args.target_dir.clone().unwrap_or_else(|| layout.root().join("target/corpus"));
    // A folder of this run's own, so that two runs sharing a target directory cannot clobber
    // each other's outputs (Cargo serialises their builds).
    let work = target.join("corpus-work").join(format!("run-{}", std::process::id()));
    let outputs = work.join("outputs");
    if work.exists() {
        std::fs::remove_dir_all(&work).with_context(|| format!("cannot remove {}", work.display()))?;
    }
    let modules = module_names(&files);
    let timeout = Duration::from_secs(args.timeout);

    // Each worker takes the next document; results keep the documents' order.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; files.len()]);
    std::thread::scope(|scope| {
        for _ in 0..args.jobs.max(1) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(file) = files.get(index) else { break };
                    let outcome = measure_in_child(file, &outputs.join(&modules[index]), &modules[index], timeout);
                    eprintln!("measured {} ({})", outcome.name(), outcome.ours.status.word());
                    if let Ok(mut results) = results.lock() {
                        results[index] = Some(outcome);
                    }
                }
            });
        }
    });
    let mut outcomes: Vec<Outcome> = results.into_inner().unwrap_or_default().into_iter().flatten().collect();

    if !args.no_compile {
        let generated: Vec<String> =
            outcomes.iter().filter(|o| o.ours.status == Status::Generated).map(|o| o.module.clone()).collect();
        if !generated.is_empty() {
            eprintln!("compiling {} generated client(s) in batches of {}", generated.len(), args.batch);
            let krate = compile::Crate::new(layout, &work, &target, args.wire)?;
            for module in &generated {
                krate.add(module, &outputs.join(module).join("generated.rs"))?;
            }
            // With `--wire`, each batch is built and its modules that compile go on the wire
            // right away, reusing that build.
            let (mut errors, mut wired) = (std::collections::BTreeMap::new(), std::collections::BTreeMap::new());
            for chunk in generated.chunks(args.batch.max(1)) {
                let found = krate.check(chunk, chunk.len())?;
                if args.wire {
                    // In the batch's order, as the check's last build listed them.
                    let compiled: Vec<String> =
                        chunk.iter().filter(|module| found.get(*module).is_some_and(Vec::is_empty)).cloned().collect();
                    eprintln!("sending every operation of {} client(s) to Prism", compiled.len());
                    let calls = usize::try_from(args.wire_calls).unwrap_or(3);
                    wired.extend(wire::run(layout, &krate, &compiled, &outputs, compiled.len(), calls)?);
                }
                errors.extend(found);
            }
            for outcome in &mut outcomes {
                outcome.compile = errors.remove(&outcome.module);
                outcome.wire = wired.remove(&outcome.module);
            }
        }
    }

    print!("{}", report::render(&outcomes));
    if args.keep {
        println!("\nThe outputs and the copy of the client crate are in {}", work.display());
    } else if work.exists() {
        std::fs::remove_dir_all(&work).with_context(|| format!("cannot remove {}", work.display()))?;
    }
    let broken = outcomes.iter().any(|o| {
        matches!(o.ours.status, Status::Panicked | Status::Crashed | Status::TimedOut)
            || o.compile.as_ref().is_some_and(|errors| !errors.is_empty())
    });
    Ok(if broken { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The documents directly in `dir`, sorted by name.
fn documents_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read the folder {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("cannot read the folder {}", dir.display()))?.path();
        let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
        if path.is_file() && matches!(extension.as_deref(), Some("json" | "yaml" | "yml")) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// A distinct Rust module name per document: `doc_` and its file stem in snake case.
fn module_names(files: &[PathBuf]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for file in files {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let slug: String =
            stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        let base = format!("doc_{slug}");
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// Measures `file` in a child process, killing it after `timeout`.
fn measure_in_child(file: &Path, out: &Path, module: &str, timeout: Duration) -> Outcome {
    let bytes = std::fs::metadata(file).map_or(0, |meta| meta.len());
    let (report, failure) = match spawn_and_wait(file, out, module, timeout) {
        Ok(failure) => {
            let text = std::fs::read_to_string(out.join("result")).unwrap_or_default();
            (measure::read_report(&text), failure)
        }
        Err(err) => (Report::default(), Some((Status::Crashed, format!("{err:#}")))),
    };
    // A generator the process said nothing about was running when it died or was killed
    // (or, for bare progenitor, never started).
    let missing = |status: Option<Run>| {
        status.unwrap_or_else(|| {
            let (status, message) = failure.clone().unwrap_or((Status::Crashed, "no result was written".into()));
            Run { status, time: None, message }
        })
    };
    Outcome {
        file: file.to_path_buf(),
        module: module.to_string(),
        bytes,
        ours: missing(report.ours.clone()),
        bare: missing(report.bare.clone()),
        report,
        compile: None,
        wire: None,
    }
}

/// Runs the measuring process; `Some` says how it ended when it did not end normally.
fn spawn_and_wait(file: &Path, out: &Path, module: &str, timeout: Duration) -> Result<Option<(Status, String)>> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let exe = std::env::current_exe().context("cannot find the xtask executable to run it again")?;
    let stderr_path = out.join("stderr");
    let stderr =
        std::fs::File::create(&stderr_path).with_context(|| format!("cannot create {}", stderr_path.display()))?;
    let mut child = Command::new(exe)
        .args(["corpus", "--one"])
        .arg(file)
        .arg(out)
        .arg(module)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .context("cannot start the xtask to measure a document")?;
    let start = Instant::now();
    loop {
        // The limit is checked first, so that a process still running at it always counts as hung.
        if start.elapsed() >= timeout {
            // Already gone if it exited in between; either way it is waited for.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Some((Status::TimedOut, format!("no result after {} s", timeout.as_secs()))));
        }
        if let Some(status) = child.try_wait().context("cannot wait for the measuring process")? {
            if status.success() {
                return Ok(None);
            }
            let said = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            let last = said.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or_default();
            return Ok(Some((Status::Crashed, format!("the measuring process ended with {status}: {last}"))));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
