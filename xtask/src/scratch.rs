//! Scratch copies of the checkout, for the commands and tests that build or regenerate a copy
//! instead of the checkout itself (`cargo xtask bench`, `cargo xtask corpus`, the xtask's and
//! drift's tests). One helper for the job, so every copy leaves out the same things.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::Layout;

/// Copies the directory tree `from` to `to`, leaving out version control and build output
/// (`.git`, and `target` or any name starting with it).
pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let name = entry.file_name();
        if name == ".git" || name.to_string_lossy().starts_with("target") {
            continue;
        }
        let (source, target) = (entry.path(), to.join(&name));
        if entry.file_type().with_context(|| format!("cannot stat {}", source.display()))?.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            std::fs::copy(&source, &target)
                .with_context(|| format!("cannot copy {} to {}", source.display(), target.display()))?;
        }
    }
    Ok(())
}

/// Makes `to` a workspace that builds the client crate: the checkout's `specs/`,
/// `generated-client/` and `Cargo.lock` (so the same dependency versions build), and its root
/// manifest (so the same profile) with `members` as the workspace's members.
pub fn client_workspace(layout: &Layout, to: &Path, members: &[&str]) -> Result<()> {
    let root = layout.root();
    copy_tree(&layout.specs(), &to.join("specs"))?;
    copy_tree(&layout.client(), &to.join("generated-client"))?;
    std::fs::copy(root.join("Cargo.lock"), to.join("Cargo.lock"))
        .with_context(|| format!("cannot copy {} to {}", root.join("Cargo.lock").display(), to.display()))?;
    let manifest_path = root.join("Cargo.toml");
    let manifest =
        std::fs::read_to_string(&manifest_path).with_context(|| format!("cannot read {}", manifest_path.display()))?;
    let Some(line) = manifest.lines().find(|line| line.starts_with("members = ")) else {
        bail!("{} has no `members = [...]` line to point at the client crate", manifest_path.display());
    };
    let listed = members.iter().map(|member| format!("{member:?}")).collect::<Vec<_>>().join(", ");
    let manifest = manifest.replace(line, &format!("members = [{listed}]"));
    let target = to.join("Cargo.toml");
    std::fs::write(&target, manifest).with_context(|| format!("cannot write {}", target.display()))
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
