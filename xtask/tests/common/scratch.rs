//! Scratch copies of the workspace, shared by the tests of `xtask` and of `drift` (which
//! includes this file by path).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use workspace::Layout;

/// The workspace this test was built in: the nearest ancestor of the crate with a `specs/`.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("specs/sources.toml").is_file())
        .expect("the crate sits in the workspace")
        .to_path_buf()
}

/// The vendors `specs/sources.toml` lists, in name order.
pub fn vendors(root: &Path) -> Vec<String> {
    let sources = Layout::new(root).sources().expect("specs/sources.toml reads");
    sources.vendors().into_iter().map(String::from).collect()
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

/// A scratch workspace that builds the client crate: the real `specs/` and `generated-client/`,
/// `Cargo.lock`, and the root manifest with `members` as the workspace's members.
pub fn client_workspace(members: &[&str]) -> tempfile::TempDir {
    let workspace = workspace_root();
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    copy_dir(&workspace.join("specs"), &root.join("specs"));
    copy_dir(&workspace.join("generated-client"), &root.join("generated-client"));
    std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");
    let manifest = std::fs::read_to_string(workspace.join("Cargo.toml")).expect("Cargo.toml");
    let line = manifest.lines().find(|l| l.starts_with("members = ")).expect("workspace members");
    let listed = members.iter().map(|member| format!("{member:?}")).collect::<Vec<_>>().join(", ");
    std::fs::write(root.join("Cargo.toml"), manifest.replace(line, &format!("members = [{listed}]")))
        .expect("write Cargo.toml");
    dir
}

/// A scratch workspace: the real `specs/`, and, with `with_generated`, every committed
/// generated file.
pub fn scratch_workspace(with_generated: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let (from, to) = (Layout::new(workspace_root()), Layout::new(dir.path()));
    copy_dir(&from.specs(), &to.specs());
    if with_generated {
        for vendor in vendors(from.root()) {
            let target = to.generated_source(&vendor);
            std::fs::create_dir_all(target.parent().expect("vendor dir")).expect("create dir");
            std::fs::copy(from.generated_source(&vendor), &target).expect("copy generated file");
        }
        copy_dir(&from.generated_tests_dir(), &to.generated_tests_dir());
    }
    dir
}
