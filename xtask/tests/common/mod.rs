//! Helpers shared by the xtask's integration tests: the workspace, scratch copies of it, and
//! running the real binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace this test was built in.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

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

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A scratch workspace: the real `specs/`, and, with `with_generated`, every committed
/// generated file.
pub fn scratch_workspace(with_generated: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = workspace_root();
    copy_dir(&root.join("specs"), &dir.path().join("specs"));
    if with_generated {
        for vendor in ["periskope", "wapikit"] {
            let rel = format!("generated-client/src/{vendor}");
            std::fs::create_dir_all(dir.path().join(&rel)).expect("create dir");
            std::fs::copy(root.join(&rel).join("generated.rs"), dir.path().join(&rel).join("generated.rs"))
                .expect("copy generated file");
        }
        copy_dir(&root.join("generated-client/tests/generated"), &dir.path().join("generated-client/tests/generated"));
    }
    dir
}
