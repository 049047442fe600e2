//! Does what we generated compile inside the client crate? Each generated file becomes a vendor
//! module of a copy of `generated-client` (as `xtask/tests/nested_cargo/accepted_cases.rs` does for
//! the accepted test cases), checked in batches with `cargo check`; each error is attributed to the
//! module its primary span is in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use serde_json::Value;
use xtask::Layout;

/// One compiler error in a module of ours.
#[derive(Debug, Clone)]
pub struct CompileError {
    /// `error[E0308]: mismatched types`.
    pub headline: String,
    /// The compiler's rendered message, for a sample.
    pub rendered: String,
}

/// A copy of the client crate to add generated modules to.
pub struct Crate {
    /// Whether the compile check builds (code generation too), for the wire check to run on.
    build: bool,
    workspace: PathBuf,
    target: PathBuf,
    lib: String,
    template: String,
}

impl Crate {
    /// Copies the client crate (with the workspace manifest and lock file, so that the same
    /// dependency versions build) into `work`; `target` is Cargo's target directory. With
    /// `build`, the check is a build, whose library the wire check's test then links.
    pub fn new(layout: &Layout, work: &Path, target: &Path, build: bool) -> Result<Crate> {
        Crate::with_members(layout, work, target, build, &[])
    }

    /// [`Crate::new`], with `extra` members in the copied workspace besides the client crate
    /// (crates the caller writes into [`Crate::workspace`] before running cargo).
    pub fn with_members(layout: &Layout, work: &Path, target: &Path, build: bool, extra: &[&str]) -> Result<Crate> {
        let workspace = work.join("workspace");
        let members: Vec<&str> = std::iter::once("generated-client").chain(extra.iter().copied()).collect();
        xtask::scratch::client_workspace_except(layout, &workspace, &members, &["generated-client/Cargo.toml"])?;
        // This run's own artifacts, whatever other copies built in the same target directory.
        let name = work.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        xtask::scratch::own_artifacts(layout, &workspace, &name)?;
        let src = workspace.join("generated-client/src");
        let lib = std::fs::read_to_string(src.join("lib.rs")).context("cannot read generated-client/src/lib.rs")?;
        let template = std::fs::read_to_string(src.join("wapikit/mod.rs"))
            .context("cannot read generated-client/src/wapikit/mod.rs, the template of a vendor module")?;
        Ok(Crate { build, workspace, target: target.to_path_buf(), lib, template })
    }

    /// Adds `generated` as module `module`, with a `mod.rs` made from Wapikit's.
    pub fn add(&self, module: &str, generated: &Path) -> Result<()> {
        let dir = self.workspace.join("generated-client/src").join(module);
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        std::fs::copy(generated, dir.join("generated.rs"))
            .with_context(|| format!("cannot copy {}", generated.display()))?;
        write(&dir.join("mod.rs"), &xtask::scratch::vendor_module(&self.template, module))
    }

    /// Checks `modules` (already added) in batches of `batch`; returns each module's errors
    /// (empty when it compiles). A failing batch is checked again without the modules that
    /// had errors, so that the others are known to compile on their own.
    pub fn check(&self, modules: &[String], batch: usize) -> Result<BTreeMap<String, Vec<CompileError>>> {
        let mut results = BTreeMap::new();
        for chunk in modules.chunks(batch.max(1)) {
            let mut pending: Vec<String> = chunk.to_vec();
            while !pending.is_empty() {
                let (ok, errors, unattributed) = self.check_once(&pending)?;
                if ok {
                    results.extend(pending.drain(..).map(|module| (module, Vec::new())));
                    break;
                }
                if errors.is_empty() {
                    // Nothing points into a module: blame the whole batch with what was said.
                    let error =
                        CompileError { headline: "the batch failed outside any module".into(), rendered: unattributed };
                    results.extend(pending.drain(..).map(|module| (module, vec![error.clone()])));
                    break;
                }
                pending.retain(|module| !errors.contains_key(module));
                results.extend(errors);
            }
        }
        Ok(results)
    }

    /// One `cargo check` of the client crate with exactly `modules` added: whether it passed,
    /// the errors by module, and the text of errors that point into no module.
    fn check_once(&self, modules: &[String]) -> Result<(bool, BTreeMap<String, Vec<CompileError>>, String)> {
        self.declare(modules)?;
        let cargo = crate::cargo();
        let output = self
            .cargo()
            .args([if self.build { "build" } else { "check" }, "--lib", "-p", "periskope-wapikit"])
            .args(["--message-format", "json"])
            .args(xtask::scratch::SCRATCH_FEATURES)
            // What the wire check's test target builds the library with: the client's
            // dev-dependency on itself adds `__internals`, and the same features reuse this build.
            .args(if self.build { &["--features", "__internals"][..] } else { &[] })
            .output()
            .with_context(|| format!("cannot run `{} check`", cargo.to_string_lossy()))?;
        let wanted: BTreeSet<&str> = modules.iter().map(String::as_str).collect();
        let mut errors: BTreeMap<String, Vec<CompileError>> = BTreeMap::new();
        let mut unattributed = String::new();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
            if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
                continue;
            }
            let message = &message["message"];
            let rendered = message["rendered"].as_str().unwrap_or_default().to_string();
            let module = primary_file(message).and_then(|file| module_of(&file, &wanted));
            match module {
                Some(module) => {
                    let headline = match message["code"]["code"].as_str() {
                        Some(code) => format!("error[{code}]: {}", message["message"].as_str().unwrap_or_default()),
                        None => format!("error: {}", message["message"].as_str().unwrap_or_default()),
                    };
                    errors.entry(module).or_default().push(CompileError { headline, rendered });
                }
                None => unattributed.push_str(&rendered),
            }
        }
        if !output.status.success() && errors.is_empty() && unattributed.is_empty() {
            unattributed = String::from_utf8_lossy(&output.stderr).into_owned();
        }
        Ok((output.status.success(), errors, unattributed))
    }
    /// Writes the client crate's `lib.rs` declaring exactly `modules` (added already) after
    /// its own items.
    pub fn declare(&self, modules: &[String]) -> Result<()> {
        let mut lib = self.lib.clone();
        for module in modules {
            lib.push_str(&format!("\n#[allow(missing_docs)]\npub mod {module};\n"));
        }
        write(&self.workspace.join("generated-client/src/lib.rs"), &lib)
    }

    /// The copy's workspace folder.
    pub fn workspace(&self) -> &Path {
        &self.workspace
    }

    /// Cargo's target directory.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// `cargo` in the copy, with its target directory, without debug information (the
    /// generated modules are large, and nobody debugs them here) and without incremental state, the same for every build of
    /// the copy so that the wire check's test reuses the library the check built.
    pub fn cargo(&self) -> Command {
        let mut command = Command::new(crate::cargo());
        command
            .current_dir(&self.workspace)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            // Each copy's library is built once per batch: nothing for incremental reuse.
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_PROFILE_TEST_DEBUG", "0");
        command
    }
}

/// The file of the primary span of a compiler message.
fn primary_file(message: &Value) -> Option<String> {
    let spans = message["spans"].as_array()?;
    let primary = spans.iter().find(|span| span["is_primary"] == true).or_else(|| spans.first())?;
    primary["file_name"].as_str().map(str::to_string)
}

/// `generated-client/src/<module>/generated.rs` → `<module>`, when it is one of `modules`.
fn module_of(file: &str, modules: &BTreeSet<&str>) -> Option<String> {
    let rest = file.split("src/").nth(1)?;
    let module = rest.split('/').next()?;
    modules.contains(module).then(|| module.to_string())
}

/// Writes `contents` to `path` unless it holds them already (see
/// [`xtask::scratch::write_if_changed`]).
pub fn write(path: &Path, contents: &str) -> Result<()> {
    xtask::scratch::write_if_changed(path, contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTES: &str = r#"openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes:
    get:
      operationId: listNotes
      responses:
        "200":
          description: The notes
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"#;

    /// Two modules in one batch, one with an error of ours appended: the error is attributed
    /// to that module alone, and the other, checked again without it, compiles.
    #[test]
    fn a_compile_error_is_attributed_to_its_module() {
        let layout = Layout::new(crate::built_from());
        let dir = tempfile::tempdir().expect("temp dir");
        let documents = [codegen::SpecFile { path: "notes.yaml".into(), text: NOTES.into() }];
        let krate = Crate::new(&layout, dir.path(), &layout.nested_target(), false).expect("copy of the client crate");
        for (module, extra) in [("doc_bad", "\npub fn broken() -> u32 { \"not a number\" }\n"), ("doc_good", "")] {
            let vendor = codegen::Vendor {
                name: module,
                documents: &documents,
                referenced: &[],
                fixes: None,
                skip: &[],
                strict: false,
            };
            let source = codegen::generate(vendor, "cargo test").expect("the document generates").source;
            let path = dir.path().join(format!("{module}.rs"));
            write(&path, &format!("{source}{extra}")).expect("write generated file");
            krate.add(module, &path).expect("add module");
        }
        let results = krate.check(&["doc_bad".into(), "doc_good".into()], 8).expect("cargo check runs");
        assert!(results["doc_good"].is_empty(), "{:?}", results["doc_good"]);
        let headlines: Vec<&str> = results["doc_bad"].iter().map(|error| error.headline.as_str()).collect();
        assert_eq!(headlines, ["error[E0308]: mismatched types"], "{:?}", results["doc_bad"]);
        assert!(results["doc_bad"][0].rendered.contains("doc_bad/generated.rs"), "{:?}", results["doc_bad"]);
    }
}
