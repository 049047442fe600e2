//! `cargo xtask bench`: runs the benchmarks of `BENCHMARKS.md` and prints each figure next to
//! its bar. Every figure is a ratio of two things measured side by side in one run, because
//! the machine is shared and noisy; nothing here is a test, and no test asserts a time.
//!
//! - regeneration scaling: `cargo bench -p codegen --bench regen_scaling`;
//! - check mode: `cargo xtask regen --check` against `cargo xtask --help`, measured here;
//! - cold start (`--cold`, minutes): the first `cargo xtask regen` after `cargo clean`
//!   against building an empty binary that depends only on progenitor, with the same profile
//!   (the floor is a member of a copy of the workspace), measured here;
//! - drift fetching: `cargo bench -p drift --bench fetch_concurrency`;
//! - client overhead: `cargo bench -p periskope-wapikit --bench client_overhead`;
//! - client build (`--only build`, minutes): what our generated module adds to the client
//!   crate's build against what bare progenitor's output adds to an equivalent crate, for one
//!   document (`--build-doc`), measured here (`build.rs`).
//!
//! One output format: each bench prints its own table (passed through as it runs) and one
//! `bench-result NAME key=value ...` line that this command reads. The bars live here, once
//! each ([`Bar`]); the command ends with the summary table and exits 1 when a figure misses
//! its bar.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use xtask::Layout;

mod build;

/// Options of `cargo xtask bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Also measure the cold start (two clean builds; takes minutes).
    #[arg(long)]
    pub cold: bool,
    /// Measure only these figures (comma-separated); `cold` here implies `--cold`.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FIGURES")]
    pub only: Vec<Figure>,
    /// Rounds of the check-mode and regeneration measurements (the median counts).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub rounds: u32,
    /// The document of the build figure (default `../shared/reference/wapikit/upstream-spec.openapi.yaml`).
    #[arg(long, value_name = "FILE")]
    pub build_doc: Option<PathBuf>,
    /// Also time release builds in the build figure (minutes more).
    #[arg(long)]
    pub build_release: bool,
    /// Rounds of the build figure (the median counts).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub build_rounds: u32,
}

/// The figures of `BENCHMARKS.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Figure {
    /// Regeneration time at 100, 1,000 and 5,000 operations.
    Scaling,
    /// `cargo xtask regen --check` against `cargo xtask --help`.
    Check,
    /// First `cargo xtask regen` after `cargo clean` against an empty progenitor build.
    Cold,
    /// The drift check against fetching the same pages one after another.
    Drift,
    /// The generated client against hand-written reqwest code.
    Client,
    /// What our module adds to the client crate's build against bare progenitor's (only when asked).
    Build,
}

/// A bar a figure must meet.
#[derive(Debug, Clone, Copy)]
enum Bar {
    /// The figure is at most this.
    AtMost(f64),
    /// The figure is at least this.
    AtLeast(f64),
    /// The figure, in seconds, is under this.
    UnderSeconds(f64),
}

impl Bar {
    fn met(self, value: f64) -> bool {
        match self {
            Bar::AtMost(bar) => value <= bar,
            Bar::AtLeast(bar) => value >= bar,
            Bar::UnderSeconds(bar) => value < bar,
        }
    }
}

impl std::fmt::Display for Bar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bar::AtMost(bar) if *bar < 1.0 => write!(f, "≤ 1/{:.0} ({bar:.3})", 1.0 / bar),
            Bar::AtMost(bar) => write!(f, "≤ {bar}"),
            Bar::AtLeast(bar) => write!(f, "≥ {bar}"),
            Bar::UnderSeconds(bar) => write!(f, "< {bar} s"),
        }
    }
}

/// The bars, each stated here once (BENCHMARKS.md shows them in the summary table).
const SCALING_LARGEST: Bar = Bar::UnderSeconds(5.0);
const SCALING_PER_OPERATION: Bar = Bar::AtMost(1.5);
const CHECK: Bar = Bar::AtMost(1.2);
const COLD: Bar = Bar::AtMost(1.5);
const DRIFT: Bar = Bar::AtMost(1.0 / 8.0);
const CLIENT: Bar = Bar::AtLeast(0.95);
const BUILD: Bar = Bar::AtMost(1.5);

/// One line of the summary.
struct Row {
    figure: &'static str,
    measured: String,
    bar: Bar,
    met: bool,
}

impl Row {
    /// A figure whose `value` is judged against `bar`; `measured` says what was measured.
    fn new(figure: &'static str, value: f64, bar: Bar, measured: String) -> Self {
        Row { figure, measured, bar, met: bar.met(value) }
    }
}

/// Runs the benchmarks; see the module documentation.
pub fn run(layout: &Layout, args: &BenchArgs) -> Result<ExitCode> {
    let root = layout.root();
    let wanted = |figure: Figure| {
        if args.only.is_empty() {
            figure != Figure::Build && (figure != Figure::Cold || args.cold)
        } else {
            args.only.contains(&figure)
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut rows = Vec::new();
    if wanted(Figure::Scaling) {
        rows.extend(scaling(root, args.rounds)?);
    }
    if wanted(Figure::Check) {
        rows.push(check_mode(root, args.rounds)?);
    }
    if wanted(Figure::Cold) {
        rows.push(cold_start(root)?);
    }
    if wanted(Figure::Drift) {
        rows.push(drift_fetching(root)?);
    }
    if wanted(Figure::Client) {
        rows.push(client_overhead(root)?);
    }
    if wanted(Figure::Build) {
        let document = args.build_doc.clone().or_else(|| build::default_document(layout)).context(
            "the build figure needs a document: pass `--build-doc FILE` (no ../shared/reference/wapikit/upstream-spec.openapi.yaml)",
        )?;
        rows.extend(build::build_cost(layout, &document, args.build_release, args.build_rounds)?);
    }

    println!("\n{}", table(&rows, cores));
    let missed = rows.iter().filter(|row| !row.met).count();
    if missed > 0 {
        println!("{missed} figure(s) over the bar; BENCHMARKS.md says why and what is left");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The summary as a Markdown table, ready for `BENCHMARKS.md`.
fn table(rows: &[Row], cores: usize) -> String {
    let mut out = format!("`cargo xtask bench` on {cores} core(s):\n\n");
    out.push_str("| figure | measured | bar | result |\n| --- | --- | --- | --- |\n");
    for row in rows {
        let result = if row.met { "met" } else { "missed" };
        let _ = writeln!(out, "| {} | {} | {} | {result} |", row.figure, row.measured, row.bar);
    }
    out
}

/// Runs a command, passing its output through as it comes, and returns its stdout lines.
fn run_passing_through(command: &mut Command, what: &str) -> Result<Vec<String>> {
    println!("$ {what}");
    let mut child =
        command.stdout(Stdio::piped()).spawn().with_context(|| format!("cannot start `{what}` (is cargo on PATH?)"))?;
    let mut lines = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.with_context(|| format!("cannot read the output of `{what}`"))?;
            println!("{line}");
            lines.push(line);
        }
    }
    let status = child.wait().with_context(|| format!("`{what}` did not finish"))?;
    if !status.success() {
        bail!("`{what}` failed ({status}); its output is above");
    }
    Ok(lines)
}

/// The `key=value` fields of the `bench-result NAME ...` line a bench printed.
fn result_fields(lines: &[String], name: &str) -> Option<Vec<(String, f64)>> {
    let prefix = format!("bench-result {name} ");
    let line = lines.iter().rev().find_map(|line| line.strip_prefix(&prefix))?;
    Some(
        line.split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .filter_map(|(key, value)| value.parse().ok().map(|value| (key.to_string(), value)))
            .collect(),
    )
}

fn field(fields: &[(String, f64)], key: &str) -> Option<f64> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}

fn scaling(root: &Path, rounds: u32) -> Result<Vec<Row>> {
    let what = "cargo bench -p codegen --bench regen_scaling";
    let lines = run_passing_through(
        Command::new(crate::cargo())
            .args(["bench", "-p", "codegen", "--bench", "regen_scaling"])
            .env("REGEN_SCALING_ROUNDS", rounds.to_string())
            .current_dir(root),
        what,
    )?;
    let fields = result_fields(&lines, "regen_scaling")
        .with_context(|| format!("`{what}` printed no `bench-result regen_scaling` line"))?;
    let get = |key: &str| field(&fields, key).with_context(|| format!("`{what}` reported no `{key}`"));
    let (seconds, ratio) = (get("large_seconds")?, get("per_op_ratio")?);
    let (small, large) = (get("small_ops")?, get("large_ops")?);
    let measured = format!(
        "{ratio:.2} ({large:.0} / {small:.0} ops; progenitor {:.2}, syn+prettyplease {:.2}, our steps {:.2})",
        get("progenitor_ratio")?,
        get("syntax_ratio")?,
        get("ours_ratio")?
    );
    Ok(vec![
        Row::new(
            "1. regeneration, largest synthetic spec",
            seconds,
            SCALING_LARGEST,
            format!("{seconds:.2} s for {large:.0} operations"),
        ),
        Row::new("1. regeneration, time per operation, largest / smallest", ratio, SCALING_PER_OPERATION, measured),
    ])
}

/// Wall time of one command; it must exit 0.
fn time(command: &mut Command, what: &str) -> Result<Duration> {
    let started = Instant::now();
    let output = command.output().with_context(|| format!("cannot start `{what}`"))?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        bail!(
            "`{what}` failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(elapsed)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn check_mode(root: &Path, rounds: u32) -> Result<Row> {
    println!("$ cargo xtask --help / cargo xtask regen --check, {rounds} rounds each, alternating");
    let help = || {
        let mut command = Command::new(crate::cargo());
        command.args(["xtask", "--help"]).current_dir(root);
        command
    };
    let check = || {
        let mut command = Command::new(crate::cargo());
        command.args(["xtask", "regen", "--check"]).current_dir(root);
        command
    };
    // Builds the xtask if needed, and warms the file cache for both.
    time(&mut help(), "cargo xtask --help")?;
    time(&mut check(), "cargo xtask regen --check")
        .context("the committed client must be fresh for this figure; run `cargo xtask regen`")?;
    // The check answers from its stamp when nothing changed since the last check (the
    // pre-commit case); without the stamp it generates everything, as after an edit.
    let stamp = xtask::regen::check_stamp(&Layout::new(root));
    let (mut helps, mut checks, mut fulls) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds.max(3) {
        helps.push(time(&mut help(), "cargo xtask --help")?);
        checks.push(time(&mut check(), "cargo xtask regen --check")?);
        let _ = std::fs::remove_file(&stamp);
        fulls.push(time(&mut check(), "cargo xtask regen --check")?);
    }
    let (help, check, full) = (median(helps), median(checks), median(fulls));
    let ratio = check.as_secs_f64() / help.as_secs_f64().max(f64::EPSILON);
    let full_ratio = full.as_secs_f64() / help.as_secs_f64().max(f64::EPSILON);
    println!(
        "  --help {:.3} s, regen --check {:.3} s unchanged, {:.3} s generating everything (medians), ratios {ratio:.2} and {full_ratio:.2}",
        help.as_secs_f64(),
        check.as_secs_f64(),
        full.as_secs_f64()
    );
    let measured = format!(
        "{ratio:.2} unchanged ({:.2} s / {:.2} s); {full_ratio:.2} generating everything ({:.2} s)",
        check.as_secs_f64(),
        help.as_secs_f64(),
        full.as_secs_f64()
    );
    Ok(Row::new("2. `regen --check` / `cargo xtask --help`", ratio, CHECK, measured))
}

/// A scratch directory that is removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The first `cargo xtask regen` after `cargo clean`, against the floor: an empty binary whose
/// only dependency is the generator's progenitor. The floor is a member of the same copy of
/// the workspace, so both builds use the workspace's profile and lock file; each has its own
/// fresh target directory under the system's temporary directory.
fn cold_start(root: &Path) -> Result<Row> {
    let scratch = Scratch(std::env::temp_dir().join(format!("xtask-bench-cold-{}", std::process::id())));
    let dir = &scratch.0;
    let _ = std::fs::remove_dir_all(dir);
    let workspace = dir.join("workspace");
    xtask::scratch::copy_tree(root, &workspace)?;
    add_floor_member(&workspace)?;

    println!("$ cargo build -p progenitor-floor (empty binary depending on progenitor), cold, own target dir");
    let floor = time_with_cpu(
        Command::new(crate::cargo())
            .args(["build", "-p", "progenitor-floor"])
            .env("CARGO_TARGET_DIR", dir.join("floor-target"))
            .current_dir(&workspace),
        "cargo build -p progenitor-floor",
    )?;
    println!("  {floor}");
    println!("$ cargo clean && cargo xtask regen, same copy, own target dir");
    let target = dir.join("workspace-target");
    time(
        Command::new(crate::cargo()).arg("clean").env("CARGO_TARGET_DIR", &target).current_dir(&workspace),
        "cargo clean",
    )?;
    let ours = time_with_cpu(
        Command::new(crate::cargo()).args(["xtask", "regen"]).env("CARGO_TARGET_DIR", &target).current_dir(&workspace),
        "cargo xtask regen (cold)",
    )?;
    println!("  {ours}");
    let ratio = ours.wall.as_secs_f64() / floor.wall.as_secs_f64().max(f64::EPSILON);
    let cpu = match (ours.cpu, floor.cpu) {
        (Some(ours), Some(floor)) => {
            format!("; CPU time {:.2} ({ours:.0} s / {floor:.0} s)", ours / floor.max(f64::EPSILON))
        }
        _ => String::new(),
    };
    let measured = format!("{ratio:.2} ({:.0} s / {:.0} s){cpu}", ours.wall.as_secs_f64(), floor.wall.as_secs_f64());
    Ok(Row::new("3. cold `cargo xtask regen` / empty progenitor build, same profile", ratio, COLD, measured))
}

/// Wall time and, where Linux reports it, CPU time of one command and everything it ran.
struct Timed {
    wall: Duration,
    /// User and system seconds of the command's process tree.
    cpu: Option<f64>,
}

impl std::fmt::Display for Timed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1} s", self.wall.as_secs_f64())?;
        match self.cpu {
            Some(cpu) => write!(f, " ({cpu:.1} s of CPU)"),
            None => Ok(()),
        }
    }
}

/// [`time`], with the CPU time the command's process tree used: on a shared machine that is
/// the part other jobs cannot inflate, so it is printed next to the wall time.
fn time_with_cpu(command: &mut Command, what: &str) -> Result<Timed> {
    let before = children_cpu_seconds();
    let wall = time(command, what)?;
    let cpu = children_cpu_seconds().zip(before).map(|(after, before)| after - before);
    Ok(Timed { wall, cpu })
}

/// User and system time of this process's finished children and their reaped descendants
/// (`cutime` and `cstime` of `/proc/self/stat`, in clock ticks of 1/100 s), in seconds;
/// `None` off Linux.
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces; `cutime`
    // and `cstime` are fields 16 and 17 of the line, the 14th and 15th after the name.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Adds `progenitor-floor`, an empty binary depending on the workspace's progenitor, as a member
/// of the workspace at `workspace`.
fn add_floor_member(workspace: &Path) -> Result<()> {
    let floor = workspace.join("progenitor-floor");
    std::fs::create_dir_all(floor.join("src")).with_context(|| format!("cannot create {}", floor.display()))?;
    let manifest = "[package]\nname = \"progenitor-floor\"\nversion = \"0.1.0\"\nedition.workspace = true\n\
                    publish = false\n\n[dependencies]\nprogenitor.workspace = true\n";
    std::fs::write(floor.join("Cargo.toml"), manifest).context("cannot write the floor crate")?;
    std::fs::write(floor.join("src/main.rs"), "fn main() {}\n").context("cannot write the floor crate")?;
    let root_manifest = workspace.join("Cargo.toml");
    let text = std::fs::read_to_string(&root_manifest).context("cannot read the copied Cargo.toml")?;
    if !text.contains("members = [") {
        bail!("{}: no `members = [` line to add the floor crate to", root_manifest.display());
    }
    let text = text.replacen("members = [", "members = [\"progenitor-floor\", ", 1);
    std::fs::write(&root_manifest, text).context("cannot write the copied Cargo.toml")
}

fn drift_fetching(root: &Path) -> Result<Row> {
    let what = "cargo bench -p drift --bench fetch_concurrency";
    let lines = run_passing_through(
        Command::new(crate::cargo()).args(["bench", "-p", "drift", "--bench", "fetch_concurrency"]).current_dir(root),
        what,
    )?;
    let fields = result_fields(&lines, "fetch_concurrency")
        .with_context(|| format!("`{what}` printed no `bench-result fetch_concurrency` line"))?;
    let get = |key: &str| field(&fields, key).with_context(|| format!("`{what}` reported no `{key}`"));
    let ratio = get("ratio")?;
    let measured = format!(
        "{ratio:.3} = 1/{:.1} ({:.2} s / {:.2} s)",
        1.0 / ratio.max(f64::EPSILON),
        get("drift_seconds")?,
        get("sequential_seconds")?
    );
    Ok(Row::new("4. drift check / sequential fetch (50 pages × 100 ms)", ratio, DRIFT, measured))
}

fn client_overhead(root: &Path) -> Result<Row> {
    let what = "cargo bench -p periskope-wapikit --bench client_overhead";
    let lines = run_passing_through(
        Command::new(crate::cargo())
            .args(["bench", "-p", "periskope-wapikit", "--bench", "client_overhead"])
            .current_dir(root),
        what,
    )?;
    let fields = result_fields(&lines, "client_overhead")
        .with_context(|| format!("`{what}` printed no `bench-result client_overhead` line"))?;
    let ratio = field(&fields, "ratio").with_context(|| format!("`{what}` reported no `ratio`"))?;
    let rss = field(&fields, "peak_rss_kib").map(|kib| format!(", peak RSS {kib:.0} KiB")).unwrap_or_default();
    Ok(Row::new("5. generated client / hand-written reqwest, req/s", ratio, CLIENT, format!("{ratio:.2}{rss}")))
}
