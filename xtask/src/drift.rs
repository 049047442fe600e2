//! `cargo xtask drift OPTIONS`: runs the `drift` program of the checkout (`xtask/drift/`,
//! `cargo run -p drift`, built on first use) and passes its exit code on, so that
//! `cargo xtask regen` on a fresh clone never builds the HTTP stack.

use std::ffi::OsString;
use std::process::ExitCode;

use anyhow::{Context, Result};
use xtask::Layout;

/// Runs `cargo run -p drift -- --root ROOT OPTIONS`: the drift program of the checkout that
/// holds the current directory (else of the one it acts on), never of the one this xtask was
/// built in.
pub fn run(layout: &Layout, options: &[OsString]) -> Result<ExitCode> {
    let cargo = crate::cargo();
    let here = std::env::current_dir().ok().and_then(|cwd| Layout::containing(&cwd));
    let manifest = here.as_ref().unwrap_or(layout).root().join("Cargo.toml");
    let status = std::process::Command::new(&cargo)
        .args(["run", "--package", "drift", "--manifest-path"])
        .arg(&manifest)
        .arg("--")
        .arg("--root")
        .arg(layout.root())
        .args(options)
        .status()
        .with_context(|| format!("cannot run `{} run --package drift`", cargo.to_string_lossy()))?;
    // A drift killed by a signal has no code; 2 says it could not check.
    Ok(status.code().and_then(|code| u8::try_from(code).ok()).map_or(ExitCode::from(2), ExitCode::from))
}
