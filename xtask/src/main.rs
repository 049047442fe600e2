//! Maintainer commands for the workspace: `cargo xtask regen` and friends.
//!
//! Exit codes: 0 when all is well, 1 when a check found a difference, 2 when the input could
//! not be processed (nothing is written in that case).

//!
//! Each command is one file: `regen` is in the library (`src/regen.rs`, which
//! `cargo xtask drift --update` runs too), the others are modules of this binary.

mod bench;
mod corpus;
mod drift;
mod lint;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::Layout;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer commands for the Periskope and Wapikit client workspace")]
struct Cli {
    /// Checkout to work on (defaults to the one that holds the current directory, never the
    /// one this xtask was built from: clones sharing a target dir each act on themselves).
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
        /// Treat every vendor as strict: a degradation (a schema typed as `serde_json::Value`,
        /// a raw body, ...) is an error with exit 2, as for `strict = true` in sources.toml.
        #[arg(long)]
        strict: bool,
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
    /// Measure the generator on a folder of real OpenAPI documents (see xtask/src/corpus/REAL_WORLD.md).
    Corpus(corpus::CorpusArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = Layout::locate(cli.root).and_then(|layout| match cli.command {
        Command::Regen { check, strict } => xtask::regen::run(&layout, check, strict),
        Command::Lint => lint::run(&layout),
        Command::Drift { options } => drift::run(&layout, &options),
        Command::Bench(args) => bench::run(&layout, &args),
        Command::Corpus(args) => corpus::run(&layout, &args),
    });
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// `cargo`, as the cargo that started this xtask names it.
fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The checkout this xtask was compiled in, for its own unit tests (the commands act on the
/// checkout of the current directory, [`Layout::locate`]).
#[cfg(test)]
fn built_from() -> std::path::PathBuf {
    let manifest_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(std::path::PathBuf::from).unwrap_or(manifest_dir)
}
