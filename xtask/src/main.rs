//! Maintainer commands for the workspace: `cargo xtask regen` and friends.
//!
//! Exit codes: 0 when all is well, 1 when a check found a difference, 2 when the input could
//! not be processed (nothing is written in that case).

mod bench;
#[cfg(feature = "drift")]
mod drift;
mod lint;
mod regen;
mod sources;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    #[cfg(feature = "drift")]
    Drift(drift::DriftArgs),
    /// Compare the vendored specs with upstream's docs and classify every change (network).
    ///
    /// This build of the xtask has no HTTP stack; the command rebuilds it with the `drift`
    /// feature and runs there (`cargo xtask drift --help` lists the options).
    #[cfg(not(feature = "drift"))]
    #[command(disable_help_flag = true)]
    Drift {
        /// The options of `cargo xtask drift`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "OPTIONS")]
        options: Vec<std::ffi::OsString>,
    },
    /// Run the benchmarks and print each figure against its bar (see BENCHMARKS.md).
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(default_root);
    let result = match cli.command {
        Command::Regen { check } => regen::run(&root, check),
        Command::Lint => lint::run(&root),
        #[cfg(feature = "drift")]
        Command::Drift(args) => drift::run(&root, &args),
        #[cfg(not(feature = "drift"))]
        Command::Drift { .. } => with_drift_feature(),
        Command::Bench(args) => bench::run(&root, &args),
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

/// Runs this very command line again in a build of the xtask with the `drift` feature (built
/// on first use), and passes on its exit code.
#[cfg(not(feature = "drift"))]
fn with_drift_feature() -> anyhow::Result<ExitCode> {
    use anyhow::Context;

    // Set for the rebuilt xtask, so that a build without the feature cannot loop.
    const GUARD: &str = "XTASK_DRIFT_REBUILT";
    if std::env::var_os(GUARD).is_some() {
        anyhow::bail!(
            "the xtask was rebuilt for `drift` but still lacks the `drift` feature; run `cargo run -p xtask --features drift -- drift`"
        );
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let status = std::process::Command::new(&cargo)
        .args(["run", "--package", "xtask", "--features", "drift", "--manifest-path"])
        .arg(&manifest)
        .arg("--")
        .args(std::env::args_os().skip(1))
        .env(GUARD, "1")
        .status()
        .with_context(|| {
            format!("cannot run `{} run --features drift` to build `cargo xtask drift`", cargo.to_string_lossy())
        })?;
    Ok(status.code().and_then(|code| u8::try_from(code).ok()).map_or(ExitCode::from(2), ExitCode::from))
}
