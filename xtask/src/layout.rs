//! Where everything lives in the repository, and reading the vendored files from there.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::sources::Sources;

/// The repository's layout: every path the maintainer programs read or write, from one root.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    /// The layout of the checkout at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Layout { root: root.into() }
    }

    /// The checkout to work on: `root` when it is given (`--root DIR`), else the checkout
    /// that holds the current directory.
    ///
    /// Never the checkout the program was built in: two clones that share one
    /// `CARGO_TARGET_DIR` run one binary, and each must act on itself.
    pub fn locate(root: Option<PathBuf>) -> Result<Self> {
        if let Some(root) = root {
            return Ok(Layout::new(root));
        }
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        Layout::containing(&cwd).with_context(|| {
            format!(
                "{} is not inside a checkout of this repository (no specs/sources.toml next to a Cargo.toml in \
                 it or above it); run the command from the checkout, or pass `--root DIR`",
                cwd.display()
            )
        })
    }

    /// The checkout that holds `dir`: the nearest of `dir` and its ancestors with a
    /// `Cargo.toml` and a `specs/sources.toml`.
    pub fn containing(dir: &Path) -> Option<Self> {
        dir.ancestors()
            .find(|dir| dir.join("Cargo.toml").is_file() && dir.join("specs/sources.toml").is_file())
            .map(Layout::new)
    }

    /// The checkout's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `README.md`: the top README, whose operation table `regen` keeps.
    pub fn readme(&self) -> PathBuf {
        self.root.join("README.md")
    }

    /// `specs/`: the vendored documents.
    pub fn specs(&self) -> PathBuf {
        self.root.join("specs")
    }

    /// `specs/sources.toml`: the list of vendored documents and their upstream URLs.
    pub fn sources_toml(&self) -> PathBuf {
        self.specs().join("sources.toml")
    }

    /// A vendored document, from its path relative to `specs/` (as `sources.toml` gives it).
    pub fn spec(&self, file: &Path) -> PathBuf {
        self.specs().join(file)
    }

    /// `specs/fixes/<vendor>.overlay.yaml`: the vendor's corrections.
    pub fn fixes(&self, vendor: &str) -> PathBuf {
        self.specs().join("fixes").join(format!("{vendor}.overlay.yaml"))
    }

    /// `generated-client/`: the client crate.
    pub fn client(&self) -> PathBuf {
        self.root.join("generated-client")
    }

    /// `generated-client/Cargo.toml`: the client crate's manifest.
    pub fn client_manifest(&self) -> PathBuf {
        self.client().join("Cargo.toml")
    }

    /// `generated-client/CHANGELOG.md`: the client crate's release notes.
    pub fn changelog(&self) -> PathBuf {
        self.client().join("CHANGELOG.md")
    }

    /// `generated-client/src/`: one directory per vendor module.
    pub fn client_src(&self) -> PathBuf {
        self.client().join("src")
    }

    /// `generated-client/src/<vendor>/generated.rs`: the vendor's generated client.
    pub fn generated_source(&self, vendor: &str) -> PathBuf {
        self.client_src().join(vendor).join("generated.rs")
    }

    /// `generated-client/tests/generated/`: the generated example contract tests.
    pub fn generated_tests_dir(&self) -> PathBuf {
        self.client().join("tests/generated")
    }

    /// `generated-client/tests/generated/<vendor>_examples.rs`: the vendor's example contract.
    pub fn generated_tests(&self, vendor: &str) -> PathBuf {
        self.generated_tests_dir().join(format!("{vendor}_examples.rs"))
    }

    /// `generated-client/tests/generated/<vendor>_mock_calls.rs`: one call per operation method,
    /// which `tests/prism.rs` sends to a Prism mock server.
    pub fn generated_mock_calls(&self, vendor: &str) -> PathBuf {
        self.generated_tests_dir().join(format!("{vendor}_mock_calls.rs"))
    }

    /// `generated-client/tests/generated/<vendor>.openapi.json`: the vendor's document as the
    /// generator sees it (fixes and passes applied), which the Prism mock server serves.
    pub fn generated_mock_document(&self, vendor: &str) -> PathBuf {
        self.generated_tests_dir().join(format!("{vendor}.openapi.json"))
    }

    /// `generated-client/tests/generated/<vendor>_operations.rs`: the vendor's operation table
    /// for the response fuzzing.
    pub fn generated_operations(&self, vendor: &str) -> PathBuf {
        self.generated_tests_dir().join(format!("{vendor}_operations.rs"))
    }

    /// `target/xtask/`: state the maintainer programs keep between runs (never committed).
    pub fn state_dir(&self) -> PathBuf {
        self.root.join("target/xtask")
    }

    /// `target/nested-cargo/`: the one target directory of the cargo runs inside the tests
    /// (scratch copies of the client crate), so their dependencies build once per checkout.
    pub fn nested_target(&self) -> PathBuf {
        self.root.join("target/nested-cargo")
    }

    /// `../shared/`: the folder next to the checkout that the maintainers share (reference
    /// documents such as `reference/wapikit/upstream-spec.openapi.yaml`), when it exists.
    pub fn shared(&self) -> Option<PathBuf> {
        let shared = self.root.parent()?.join("shared");
        shared.is_dir().then_some(shared)
    }

    /// `path` relative to the root, with `/` separators, for messages and generated headers.
    pub fn relative(&self, path: &Path) -> String {
        let Ok(rel) = path.strip_prefix(&self.root) else { return path.display().to_string() };
        rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }

    /// Reads and checks `specs/sources.toml`.
    pub fn sources(&self) -> Result<Sources> {
        Sources::load(&self.sources_toml())
    }

    /// Reads every vendor's documents and fixes, vendors in name order.
    pub fn read_vendors(&self) -> Result<Vec<VendorFiles>> {
        let sources = self.sources()?;
        let mut vendors = Vec::new();
        for (vendor, docs) in sources.by_vendor() {
            let mut documents = Vec::new();
            for doc in docs {
                let path = self.spec(&doc.file);
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {} (listed in specs/sources.toml)", path.display()))?;
                documents.push(codegen::SpecFile { path: self.relative(&path), text });
            }
            let fixes_path = self.fixes(vendor);
            let fixes = match std::fs::read_to_string(&fixes_path) {
                Ok(text) => Some(codegen::SpecFile { path: self.relative(&fixes_path), text }),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
                Err(err) => return Err(err).with_context(|| format!("cannot read {}", fixes_path.display())),
            };
            let skip = sources
                .skips
                .iter()
                .filter(|skip| skip.vendor == vendor)
                .map(|skip| codegen::Skip { operation: skip.operation.clone(), reason: skip.reason.clone() })
                .collect();
            let referenced = self.read_referenced(&documents)?;
            let strict = sources.is_strict(vendor);
            vendors.push(VendorFiles { name: vendor.to_string(), documents, referenced, fixes, skip, strict });
        }
        if vendors.is_empty() {
            bail!("specs/sources.toml lists no documents; add a [[source]] entry per vendored spec");
        }
        Ok(vendors)
    }

    /// The files `documents` refer to (`$ref: ../models/Member.json`), read relative to the
    /// referring file, and the files those refer to in turn. Only files under `specs/` are
    /// read; one that is missing or outside is left for the generator to report, naming the
    /// reference.
    fn read_referenced(&self, documents: &[codegen::SpecFile]) -> Result<Vec<codegen::SpecFile>> {
        codegen::openapi::read_referenced(documents, |path| {
            if !path.starts_with("specs/") {
                return Ok(None);
            }
            match std::fs::read_to_string(self.root.join(path)) {
                Ok(text) => Ok(Some(text)),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(err) => {
                    Err(anyhow::Error::new(err).context(format!("cannot read {path} (a document refers to it)")))
                }
            }
        })
    }
}

/// One vendor's documents and fixes, read from `specs/`.
pub struct VendorFiles {
    /// The vendor's module name.
    pub name: String,
    /// The pristine documents listed in `specs/sources.toml`.
    pub documents: Vec<codegen::SpecFile>,
    /// The files the documents refer to, under `specs/`.
    pub referenced: Vec<codegen::SpecFile>,
    /// `specs/fixes/<vendor>.overlay.yaml`, when there is one.
    pub fixes: Option<codegen::SpecFile>,
    /// The operations its `[[skip]]` entries leave out.
    pub skip: Vec<codegen::Skip>,
    /// Whether a degradation is an error for this vendor (`[[vendor]] strict = true`).
    pub strict: bool,
}

impl VendorFiles {
    /// The generator's view of these files.
    pub fn input(&self) -> codegen::Vendor<'_> {
        codegen::Vendor {
            name: &self.name,
            documents: &self.documents,
            referenced: &self.referenced,
            fixes: self.fixes.as_ref(),
            skip: &self.skip,
            strict: self.strict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_use_forward_slashes_and_keep_outside_paths() {
        let layout = Layout::new("/repo");
        assert_eq!(layout.relative(&layout.generated_source("wapikit")), "generated-client/src/wapikit/generated.rs");
        assert_eq!(layout.relative(&layout.fixes("periskope")), "specs/fixes/periskope.overlay.yaml");
        assert_eq!(layout.relative(Path::new("/elsewhere/x.yaml")), "/elsewhere/x.yaml");
    }

    #[test]
    fn the_checkout_is_the_nearest_folder_with_a_manifest_and_sources() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outer = dir.path().join("outer");
        let inner = outer.join("nested/clone");
        for root in [&outer, &inner] {
            std::fs::create_dir_all(root.join("specs")).expect("create dir");
            std::fs::write(root.join("Cargo.toml"), "").expect("write");
            std::fs::write(root.join("specs/sources.toml"), "").expect("write");
        }
        let found = |dir: &Path| Layout::containing(dir).map(|layout| layout.root().to_path_buf());
        assert_eq!(found(&inner.join("specs")), Some(inner.clone()));
        assert_eq!(found(&outer.join("nested")), Some(outer.clone()));
        assert_eq!(found(dir.path()), None);
    }
}
