//! `cargo xtask drift` is the `drift` program of this workspace, run the ordinary way: the
//! xtask calls `$CARGO run --package drift -- OPTIONS` and passes its exit code on. A stand-in
//! for cargo records what it was asked to run, so the test needs neither a nested build nor
//! the network.

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use common::{text, workspace_root};

#[test]
fn drift_runs_the_drift_package_with_the_options_and_passes_the_exit_code_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("args.txt");
    let cargo = dir.path().join("cargo");
    let script = format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexit 3\n", log.display());
    std::fs::write(&cargo, script).expect("write the stand-in");
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).expect("make it executable");

    let root = dir.path().join("checkout");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(&root)
        .args(["drift", "--format", "json", "--help"])
        .env("CARGO", &cargo)
        .output()
        .expect("xtask runs");
    assert_eq!(out.status.code(), Some(3), "the exit code was not passed on\n{}", text(&out.stderr));

    let args = std::fs::read_to_string(&log).expect("the stand-in ran");
    let manifest = workspace_root().join("Cargo.toml");
    let expected = [
        "run",
        "--package",
        "drift",
        "--manifest-path",
        &manifest.display().to_string(),
        "--",
        "--root",
        &root.display().to_string(),
        "--format",
        "json",
        "--help",
    ];
    assert_eq!(args.lines().collect::<Vec<_>>(), expected);
}
