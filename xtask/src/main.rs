//! Maintainer commands for the workspace: `cargo xtask regen` and friends.
//!
//! Exit codes: 0 when all is well, 1 when a check found a difference, 2 when the input could
//! not be processed (nothing is written in that case).

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
    Drift(drift::DriftArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(default_root);
    let result = match cli.command {
        Command::Regen { check } => regen::run(&root, check),
        Command::Lint => lint::run(&root),
        Command::Drift(args) => drift::run(&root, &args),
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
