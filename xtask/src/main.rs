//! Maintainer commands for the workspace: `cargo xtask regen` and friends.
//!
//! Exit codes: 0 when all is well, 1 when a check found a difference, 2 when the input could
//! not be processed (nothing is written in that case).

mod bench;
mod corpus;
mod lint;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use workspace::Layout;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer commands for the Periskope and Wapikit client workspace")]
struct Cli {
    /// Workspace root to work on (defaults to the checkout this xtask was built from).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated-client/` from the vendored specs (offline).
    Regen {
        /// Write nothing; print a diff and exit 1 if the committed code is stale.
        #[arg(long)]
        check: bool,
    },
    /// Report defects of the pristine specs and whether the fixes cover each (offline).
    Lint,
    /// Compare the vendored specs with upstream's docs and classify every change (network).
    ///
    /// Runs the `drift` program of this workspace (`cargo run -p drift`, built on first use);
    /// `cargo xtask drift --help` lists its options.
    #[command(disable_help_flag = true)]
    Drift {
        /// The options of `cargo xtask drift`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "OPTIONS")]
        options: Vec<OsString>,
    },
    /// Run the benchmarks and print each figure against its bar (see BENCHMARKS.md).
    Bench(bench::BenchArgs),
    /// Measure the generator on a folder of real OpenAPI documents (see codegen/REAL_WORLD.md).
    Corpus(corpus::CorpusArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let layout = Layout::new(cli.root.clone().unwrap_or_else(default_root));
    let result = match cli.command {
        Command::Regen { check } => workspace::regen::run(&layout, check),
        Command::Lint => lint::run(&layout),
        Command::Drift { options } => drift(cli.root.as_deref(), &options),
        Command::Bench(args) => bench::run(&layout, &args),
        Command::Corpus(args) => corpus::run(&layout, &args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// The workspace this xtask was compiled in: its manifest sits in `<root>/xtask`.
fn default_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}

/// `cargo`, as the cargo that started this xtask names it.
fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Runs `cargo run -p drift -- OPTIONS` in the workspace this xtask was built from, and passes
/// its exit code on.
fn drift(root: Option<&Path>, options: &[OsString]) -> Result<ExitCode> {
    let cargo = cargo();
    let manifest = default_root().join("Cargo.toml");
    let mut command = std::process::Command::new(&cargo);
    command.args(["run", "--package", "drift", "--manifest-path"]).arg(&manifest).arg("--");
    if let Some(root) = root {
        command.arg("--root").arg(root);
    }
    let status = command
        .args(options)
        .status()
        .with_context(|| format!("cannot run `{} run --package drift`", cargo.to_string_lossy()))?;
    // A drift killed by a signal has no code; 2 says it could not check.
    Ok(status.code().and_then(|code| u8::try_from(code).ok()).map_or(ExitCode::from(2), ExitCode::from))
}
