//! Scratch copies of the workspace, shared by the tests of `xtask` and of `drift` (which
//! includes this file by path).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use xtask::Layout;

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

/// Copies a directory tree (without `.git` and build output).
pub fn copy_dir(from: &Path, to: &Path) {
    xtask::scratch::copy_tree(from, to).unwrap_or_else(|err| panic!("{err:#}"));
}

/// A scratch workspace that builds the client crate: the real `specs/` and `generated-client/`,
/// `Cargo.lock`, and the root manifest with `members` as the workspace's members.
pub fn client_workspace(members: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    xtask::scratch::client_workspace(&Layout::new(workspace_root()), dir.path(), members)
        .unwrap_or_else(|err| panic!("{err:#}"));
    dir
}

/// A scratch workspace like [`client_workspace`], kept between runs at a fixed path,
/// `target/nested-cargo/scratch/<name>`: each file is written only when it changed, so a warm
/// run rebuilds only what did. The files at `except` (relative to the workspace root) are the
/// caller's to write (with [`write_if_changed`]), from the checkout's text.
pub fn fixed_client_workspace(name: &str, members: &[&str], except: &[&str]) -> PathBuf {
    let layout = Layout::new(workspace_root());
    let dir = layout.nested_target().join("scratch").join(name);
    let except: Vec<&str> = except.iter().copied().chain(["generated-client/Cargo.toml"]).collect();
    xtask::scratch::client_workspace_except(&layout, &dir, members, &except).unwrap_or_else(|err| panic!("{err:#}"));
    xtask::scratch::own_artifacts(&layout, &dir, name).unwrap_or_else(|err| panic!("{err:#}"));
    dir
}

/// Writes `contents` to `path` unless it holds them already.
pub fn write_if_changed(path: &Path, contents: impl AsRef<[u8]>) {
    xtask::scratch::write_if_changed(path, contents.as_ref()).unwrap_or_else(|err| panic!("{err:#}"));
}

/// A scratch workspace: the real `specs/`, the root `Cargo.toml` and `README.md` (whose
/// operation table `regen` keeps), and, with `with_generated`, every committed generated file.
pub fn scratch_workspace(with_generated: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let (from, to) = (Layout::new(workspace_root()), Layout::new(dir.path()));
    copy_dir(&from.specs(), &to.specs());
    for file in ["Cargo.toml", "README.md"] {
        std::fs::copy(from.root().join(file), to.root().join(file)).expect("copy a file of the root");
    }
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
