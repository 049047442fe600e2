//! Helpers shared by the xtask's integration tests: the workspace, scratch copies of it, and
//! running the real binary.

#![allow(dead_code)]

mod scratch;

use std::path::Path;
use std::process::{Command, Output};

// Each test binary uses a different part of these.
#[allow(unused_imports)]
pub use scratch::{
    client_workspace, copy_dir, fixed_client_workspace, scratch_workspace, vendors, workspace_root, write_if_changed,
};

/// Runs the real `xtask` binary on `root`.
pub fn xtask(root: &Path, args: &[&str]) -> Output {
    xtask_with_env(root, args, &[])
}

/// Runs the real `xtask` binary on `root` with extra environment variables.
pub fn xtask_with_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(args).arg("--root").arg(root);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("xtask runs")
}

/// Runs the real `xtask` binary in `dir` without `--root`, as `cargo xtask` runs it there.
pub fn xtask_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(dir).output().expect("xtask runs")
}

/// The case's `skip.txt` (`METHOD /path: reason` a line) as `[[skip]]` entries of `vendor`.
pub fn skip_entries(case: &Path, vendor: &str) -> String {
    let text = std::fs::read_to_string(case.join("skip.txt")).unwrap_or_default();
    text.lines()
        .filter_map(|line| line.split_once(": "))
        .map(|(operation, reason)| {
            format!("\n[[skip]]\nvendor = \"{vendor}\"\noperation = \"{operation}\"\nreason = \"{reason}\"\n")
        })
        .collect()
}

/// The folders of the generator's golden cases (`codegen/tests/cases/*/`), in name order.
pub fn case_dirs() -> Vec<std::path::PathBuf> {
    let cases = workspace_root().join("codegen/tests/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&cases)
        .expect("codegen/tests/cases is readable")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
