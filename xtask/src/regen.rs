//! `cargo xtask regen [--check]`: the vendored specs → `generated-client/src/<vendor>/generated.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::sources::Sources;

/// The command named in generated headers and in stale-check messages.
pub const COMMAND: &str = "cargo xtask regen";

/// Regenerates every generated file, or with `check` only compares.
///
/// Everything is generated in memory first, so an error in any spec leaves every file as it
/// was. Returns exit code 1 when `check` finds a difference.
pub fn run(root: &Path, check: bool) -> Result<ExitCode> {
    if check && stamp::unchanged_since_last_check(root) {
        println!(
            "generated code is up to date (specs, fixes, generated files and generator unchanged since the last check)"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let expected = generate_all(root)?;
    let existing = existing_generated_files(root)?;

    let mut stale = Vec::new();
    for (path, contents) in &expected {
        let current = std::fs::read_to_string(path).ok();
        if current.as_deref().map(normalize_newlines) != Some(normalize_newlines(contents)) {
            stale.push(path.clone());
            if check {
                print_diff(root, path, current.as_deref().unwrap_or(""), contents);
            }
        }
    }
    let orphans: Vec<&PathBuf> = existing.iter().filter(|path| !expected.contains_key(*path)).collect();

    if check {
        for orphan in &orphans {
            println!("{} is generated but no spec produces it any more", relative(root, orphan));
        }
        if stale.is_empty() && orphans.is_empty() {
            stamp::record(root);
            println!("generated code is up to date");
            return Ok(ExitCode::SUCCESS);
        }
        println!("generated code is stale: run `{COMMAND}` and commit the result");
        return Ok(ExitCode::from(1));
    }

    for path in &stale {
        write_atomic(path, &expected[path])?;
        println!("updated {}", relative(root, path));
    }
    for orphan in orphans {
        std::fs::remove_file(orphan).with_context(|| format!("cannot remove {}", orphan.display()))?;
        println!("removed {} (no spec produces it any more)", relative(root, orphan));
    }
    if stale.is_empty() {
        println!("generated code is up to date");
    }
    stamp::record(root);
    Ok(ExitCode::SUCCESS)
}

/// One vendor's documents and fixes, read from `specs/`.
pub struct VendorFiles {
    /// The vendor's module name.
    pub name: String,
    /// The pristine documents listed in `specs/sources.toml`.
    pub documents: Vec<codegen::SpecFile>,
    /// `specs/fixes/<vendor>.overlay.yaml`, when there is one.
    pub fixes: Option<codegen::SpecFile>,
}

impl VendorFiles {
    /// The generator's view of these files.
    pub fn input(&self) -> codegen::Vendor<'_> {
        codegen::Vendor { name: &self.name, documents: &self.documents, fixes: self.fixes.as_ref() }
    }
}

/// Reads every vendor's documents and fixes.
pub fn read_vendors(root: &Path) -> Result<Vec<VendorFiles>> {
    let sources = Sources::load(root)?;
    let mut vendors = Vec::new();
    for (vendor, docs) in sources.by_vendor() {
        let mut documents = Vec::new();
        for doc in docs {
            let path = root.join("specs").join(&doc.file);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {} (listed in specs/sources.toml)", path.display()))?;
            documents.push(codegen::SpecFile { path: relative(root, &path), text });
        }
        let fixes_path = root.join("specs/fixes").join(format!("{vendor}.overlay.yaml"));
        let fixes = match std::fs::read_to_string(&fixes_path) {
            Ok(text) => Some(codegen::SpecFile { path: relative(root, &fixes_path), text }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => return Err(err).with_context(|| format!("cannot read {}", fixes_path.display())),
        };
        vendors.push(VendorFiles { name: vendor.to_string(), documents, fixes });
    }
    if vendors.is_empty() {
        bail!("specs/sources.toml lists no documents; add a [[source]] entry per vendored spec");
    }
    Ok(vendors)
}

/// Generates every vendor's files in memory (the vendors in parallel): output path → contents.
fn generate_all(root: &Path) -> Result<BTreeMap<PathBuf, String>> {
    let vendors = read_vendors(root)?;
    let results: Vec<Result<codegen::Generated, codegen::Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            vendors.iter().map(|vendor| scope.spawn(move || codegen::generate(vendor.input(), COMMAND))).collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(codegen::Error::Generator {
                        files: String::new(),
                        operation: "(whole document)".into(),
                        message: "the generator stopped unexpectedly".into(),
                    })
                })
            })
            .collect()
    });
    let mut out = BTreeMap::new();
    for (vendor, result) in vendors.iter().zip(results) {
        let name = &vendor.name;
        let generated = result.map_err(|err| {
            anyhow::anyhow!(
                "cannot generate the {name} client: {err}\nNo file was written; fix the spec and run `{COMMAND}` again."
            )
        })?;
        for note in &generated.notes {
            println!("{name}: {note}");
        }
        out.insert(root.join("generated-client/src").join(name).join("generated.rs"), generated.source);
        out.insert(root.join("generated-client/tests/generated").join(format!("{name}_examples.rs")), generated.tests);
    }
    Ok(out)
}

/// A fingerprint of everything a check depends on, so that `regen --check` with nothing
/// changed (the common case in a pre-commit hook) answers without generating.
mod stamp {
    use std::hash::{DefaultHasher, Hash, Hasher};
    use std::path::{Path, PathBuf};

    fn stamp_path(root: &Path) -> PathBuf {
        root.join("target/xtask/regen-check.stamp")
    }

    /// The specs, the fixes, `sources.toml`, every generated file and the generator binary
    /// itself (its size and modification time), hashed; `None` when anything cannot be read.
    fn fingerprint(root: &Path) -> Option<String> {
        let mut hasher = DefaultHasher::new();
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in ["specs", "generated-client/src", "generated-client/tests/generated"] {
            collect(&root.join(dir), &mut files);
        }
        files.retain(|path| {
            let name = path.to_string_lossy();
            name.ends_with(".yaml")
                || name.ends_with(".yml")
                || name.ends_with(".json")
                || name.ends_with(".toml")
                || name.ends_with("generated.rs")
                || name.contains("tests/generated/")
        });
        files.sort();
        for path in &files {
            path.hash(&mut hasher);
            std::fs::read(path).ok()?.hash(&mut hasher);
        }
        let exe = std::env::current_exe().ok()?;
        let meta = std::fs::metadata(&exe).ok()?;
        (exe, meta.len(), meta.modified().ok()?).hash(&mut hasher);
        Some(format!("{:016x}", hasher.finish()))
    }

    fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    /// Whether the last successful check or regeneration saw exactly what is there now.
    pub(super) fn unchanged_since_last_check(root: &Path) -> bool {
        match (fingerprint(root), std::fs::read_to_string(stamp_path(root))) {
            (Some(now), Ok(last)) => now == last.trim(),
            _ => false,
        }
    }

    /// Records the current state as checked. A stamp that cannot be written only costs the
    /// next check its shortcut, so failures are ignored.
    pub(super) fn record(root: &Path) {
        if let Some(now) = fingerprint(root) {
            let path = stamp_path(root);
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = super::write_atomic(&path, &format!("{now}\n"));
        }
    }
}

/// Every generated file on disk: `generated-client/src/<dir>/generated.rs` and
/// `generated-client/tests/generated/*.rs`.
fn existing_generated_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in list_dir(&root.join("generated-client/src"))? {
        let candidate = entry.join("generated.rs");
        if candidate.is_file() {
            out.push(candidate);
        }
    }
    for entry in list_dir(&root.join("generated-client/tests/generated"))? {
        if entry.extension().is_some_and(|ext| ext == "rs") && entry.is_file() {
            out.push(entry);
        }
    }
    out.sort();
    Ok(out)
}

fn list_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("cannot list {}", dir.display())),
    };
    entries.map(|entry| entry.map(|e| e.path()).with_context(|| format!("cannot list {}", dir.display()))).collect()
}

/// Writes `contents` to `path` through a temporary file and a rename, so a reader (or a
/// crash) never sees a half-written file. Returns whether the file changed.
pub fn write_atomic(path: &Path, contents: &str) -> Result<bool> {
    if let Ok(current) = std::fs::read_to_string(path)
        && normalize_newlines(&current) == normalize_newlines(contents)
    {
        return Ok(false);
    }
    let dir = path.parent().with_context(|| format!("{} has no parent directory", path.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = write_then_rename(&tmp, path, contents).with_context(|| format!("cannot write {}", path.display()));
    if written.is_err() {
        // The original file is untouched; only the temporary file may be left behind.
        let _ = std::fs::remove_file(&tmp);
    }
    written.map(|()| true)
}

/// The test hook behind `XTASK_SIMULATE_WRITE_FAILURE=N`: the N-th file write of this process
/// fails half-way through its temporary file, as a full disk or a kill would leave it.
const SIMULATE_WRITE_FAILURE: &str = "XTASK_SIMULATE_WRITE_FAILURE";

fn write_then_rename(tmp: &Path, path: &Path, contents: &str) -> std::io::Result<()> {
    static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let count = WRITES.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    let fail_at = std::env::var(SIMULATE_WRITE_FAILURE).ok().and_then(|n| n.parse::<usize>().ok());
    if fail_at == Some(count) {
        let half = contents.len() / 2;
        std::fs::write(tmp, &contents.as_bytes()[..half])?;
        return Err(std::io::Error::other(format!("simulated failure ({SIMULATE_WRITE_FAILURE}={count})")));
    }
    std::fs::write(tmp, contents)?;
    std::fs::rename(tmp, path)
}

fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn print_diff(root: &Path, path: &Path, old: &str, new: &str) {
    let name = relative(root, path);
    let old = normalize_newlines(old);
    let new = normalize_newlines(new);
    let diff = similar::TextDiff::from_lines(&old, &new);
    print!("{}", diff.unified_diff().context_radius(3).header(&format!("a/{name}"), &format!("b/{name}")));
}

/// `path` relative to the workspace root, with `/` separators, for messages.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
