//! The tests that run cargo inside a test: each builds a scratch copy of the client crate
//! (with vendor modules generated from documents of ours, or a caller's program) and compiles
//! or tests it. They are one test binary with one target directory, `target/nested-cargo/`
//! ([`xtask::Layout::nested_target`]), and the client's `rustls-ring` backend (no C build for
//! the TLS library), so a fresh clone builds their dependencies once, not once per test.
//!
//! - `accepted_cases`: every golden case the generator accepts compiles as a vendor module and
//!   answers over loopback; a whole-API document of ours does too;
//! - `corpus`: the real `cargo xtask corpus` on documents of ours, compile check included;
//! - `semver`: what upstream adds does not break a caller's program, what it removes does;
//! - `third_vendor`: a third vendor is a spec, a sources entry and a short module.

#[path = "../common/mod.rs"]
mod common;

mod accepted_cases;
mod corpus;
mod semver;
mod third_vendor;

use std::path::Path;
use std::process::Command;

use xtask::Layout;

/// The shared target directory of the nested builds (the one running this test is locked by
/// cargo, so it cannot be that one).
pub fn nested_target() -> std::path::PathBuf {
    Layout::new(common::workspace_root()).nested_target()
}

/// `cargo` in the scratch workspace `root`, with the shared target directory.
pub fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root).env("CARGO_TARGET_DIR", nested_target());
    command
}
