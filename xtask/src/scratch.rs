//! Scratch copies of the checkout, for the commands and tests that build or regenerate a copy
//! instead of the checkout itself (`cargo xtask bench`, `cargo xtask corpus`, the xtask's and
//! drift's tests). One helper for the job, so every copy leaves out the same things.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::Layout;

/// The client crate's features for a scratch copy that builds the two APIs (the semver and
/// third-vendor checks, the build benchmark): both, and TLS through rustls with `ring` (the
/// builds are about the generated code, and `ring` spares every cold target directory the C
/// build of `aws-lc-rs`).
pub const CLIENT_FEATURES: [&str; 3] = ["--no-default-features", "--features", "periskope,wapikit,rustls-ring"];

/// The features of a copy that adds vendor modules of its own (the corpus check, the golden
/// cases): the runtime with `ring`, without the two APIs, whose modules (Wapikit's is 40,000
/// lines) every such copy would otherwise check again.
pub const SCRATCH_FEATURES: [&str; 3] = ["--no-default-features", "--features", "rustls-ring"];

/// The declaration of the vendor `module` made from Wapikit's (`generated-client/src/wapikit/
/// mod.rs`, `template`): its names replaced, and without its `auth:`, so that the module's
/// document decides its authentication.
pub fn vendor_module(template: &str, module: &str) -> String {
    template
        .replace("WAPIKIT", &module.to_uppercase())
        .replace("Wapikit", module)
        .replace("wapikit", module)
        .lines()
        .filter(|line| !line.trim_start().starts_with("auth:"))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Copies the directory tree `from` to `to`, leaving out version control and build output
/// (`.git`, and `target` or any name starting with it). A file `to` holds already with the same
/// bytes is left as it is, so that a copy kept between runs does not make Cargo rebuild it.
pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    copy_tree_except(from, to, &[])
}

/// [`copy_tree`], leaving out also the files at `except` (paths under `from`).
fn copy_tree_except(from: &Path, to: &Path, except: &[std::path::PathBuf]) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let name = entry.file_name();
        if name == ".git" || name.to_string_lossy().starts_with("target") {
            continue;
        }
        let (source, target) = (entry.path(), to.join(&name));
        if except.contains(&source) {
            continue;
        }
        if entry.file_type().with_context(|| format!("cannot stat {}", source.display()))?.is_dir() {
            copy_tree_except(&source, &target, except)?;
        } else {
            let bytes = std::fs::read(&source).with_context(|| format!("cannot read {}", source.display()))?;
            write_if_changed(&target, &bytes)?;
        }
    }
    Ok(())
}

/// Gives the client crate of the workspace copy at `workspace` a feature of its own, named
/// after `name` and always on (the `periskope` feature turns it on). Cargo names a workspace
/// member's artifacts after its path relative to the workspace, the same in every copy, so
/// copies sharing a target directory would otherwise take each other's builds as fresh (its
/// record of the files lists the other copy's, unchanged since).
pub fn own_artifacts(layout: &Layout, workspace: &Path, name: &str) -> Result<()> {
    let manifest = "generated-client/Cargo.toml";
    let text = std::fs::read_to_string(layout.root().join(manifest)).context("cannot read the client's Cargo.toml")?;
    let always_on = "\nperiskope = []\n";
    if !text.contains(always_on) {
        bail!("generated-client/Cargo.toml no longer has `periskope = []`, where a copy's own feature goes");
    }
    let feature: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let own = format!("\nperiskope = [\"copy-{feature}\"]\ncopy-{feature} = []\n");
    write_if_changed(&workspace.join(manifest), text.replacen(always_on, &own, 1).as_bytes())
}

/// Writes `contents` to `path` unless it holds them already (creating its folder), so that
/// Cargo, which goes by the files' times, does not rebuild what did not change.
pub fn write_if_changed(path: &Path, contents: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|held| held == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

/// Makes `to` a workspace that builds the client crate: the checkout's `specs/`,
/// `generated-client/` and `Cargo.lock` (so the same dependency versions build), and its root
/// manifest (so the same profile) with `members` as the workspace's members.
pub fn client_workspace(layout: &Layout, to: &Path, members: &[&str]) -> Result<()> {
    client_workspace_except(layout, to, members, &[])
}

/// [`client_workspace`] without the files at `except` (relative to the checkout's root), which
/// the caller writes itself: a copy kept between runs then gets each file written once per
/// run at most, and keeps the times of those that did not change.
pub fn client_workspace_except(layout: &Layout, to: &Path, members: &[&str], except: &[&str]) -> Result<()> {
    let root = layout.root();
    let except: Vec<std::path::PathBuf> = except.iter().map(|path| root.join(path)).collect();
    copy_tree_except(&layout.specs(), &to.join("specs"), &except)?;
    copy_tree_except(&layout.client(), &to.join("generated-client"), &except)?;
    let lock = std::fs::read(root.join("Cargo.lock")).context("cannot read Cargo.lock")?;
    write_if_changed(&to.join("Cargo.lock"), &lock)?;
    let manifest_path = root.join("Cargo.toml");
    let manifest =
        std::fs::read_to_string(&manifest_path).with_context(|| format!("cannot read {}", manifest_path.display()))?;
    let Some(line) = manifest.lines().find(|line| line.starts_with("members = ")) else {
        bail!("{} has no `members = [...]` line to point at the client crate", manifest_path.display());
    };
    let listed = members.iter().map(|member| format!("{member:?}")).collect::<Vec<_>>().join(", ");
    let manifest = manifest.replace(line, &format!("members = [{listed}]"));
    write_if_changed(&to.join("Cargo.toml"), manifest.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_leaves_out_version_control_and_build_output() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        for path in ["a/b.txt", ".git/HEAD", "target/debug/x", "target-other/y", "c.txt"] {
            let path = from.join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
            std::fs::write(&path, "text").expect("write");
        }
        copy_tree(&from, &to).expect("copy");
        let mut names: Vec<String> = std::fs::read_dir(&to)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into())
            .collect();
        names.sort();
        assert_eq!(names, ["a", "c.txt"]);
        assert_eq!(std::fs::read_to_string(to.join("a/b.txt")).expect("copied"), "text");
    }
}
