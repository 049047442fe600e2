//! `specs/sources.toml`: the list of vendored documents and where upstream publishes them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The parsed `specs/sources.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    /// One entry per vendored document, in file order.
    #[serde(rename = "source", default)]
    pub sources: Vec<Source>,
    /// Upstream discovery indexes, used by `cargo xtask drift` to find pages we do not vendor.
    #[serde(rename = "index", default)]
    pub indexes: Vec<Index>,
    /// Operations the generator leaves out of a vendor's client, each with its reason.
    #[serde(rename = "skip", default)]
    pub skips: Vec<SkipEntry>,
    /// Per-vendor settings (`[[vendor]] name = "periskope", strict = true`).
    #[serde(rename = "vendor", default)]
    pub settings: Vec<VendorSettings>,
}

/// How one vendor is generated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorSettings {
    /// The vendor module the settings are for.
    pub name: String,
    /// Whether a degradation (a schema typed as `serde_json::Value`, a raw body, ...) stops
    /// `cargo xtask regen` with exit 2 instead of being a note: a new upstream construct is
    /// then looked at rather than accepted.
    #[serde(default)]
    pub strict: bool,
}

/// One operation left out of a vendor's client (`cargo xtask regen` prints it; drift still
/// compares the vendored text, which keeps the operation).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkipEntry {
    /// The vendor module the operation belongs to.
    pub vendor: String,
    /// The operation as `METHOD /path`, e.g. `POST /members/invite`.
    pub operation: String,
    /// Why it is left out.
    pub reason: String,
}

/// One vendored OpenAPI document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Vendor module the document belongs to (`periskope`, `wapikit`).
    pub vendor: String,
    /// Path of the vendored document, relative to `specs/`.
    pub file: PathBuf,
    /// How upstream publishes the document.
    pub kind: SourceKind,
    /// Where upstream publishes the document.
    pub url: String,
    /// Whose words the document's descriptions, summaries and examples are (`prose = "own"`:
    /// ours, the facts upstream's; the default: upstream's text).
    #[serde(default)]
    pub prose: Prose,
}

/// Whose words a vendored document's prose is.
///
/// A document of ours written from upstream's facts (`prose = "own"`) states upstream's paths,
/// parameters, schemas and status codes exactly, in descriptions, summaries and examples of our
/// own; `cargo xtask drift` then compares the facts only, and `--update` leaves the document to
/// be edited by hand rather than vendoring upstream's text into it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Prose {
    /// The document is upstream's text (verbatim, or the subset of a whole file).
    #[default]
    Upstream,
    /// The document is ours: upstream's facts in our words.
    Own,
}

/// An upstream list of every docs page (Periskope's `llms.txt`).
///
/// A page is in a vendored group when its URL starts with `pages` followed by one of `groups`;
/// `cargo xtask drift` reports listed pages of those groups that no `[[source]]` vendors, and
/// vendored pages the index no longer lists.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// Vendor the index belongs to.
    pub vendor: String,
    /// Where upstream publishes the index (a Markdown list of links).
    pub url: String,
    /// The URL prefix every page of the index shares, ending in `/`.
    pub pages: String,
    /// The groups we vendor from, relative to `pages`, each ending in `/` (`members/`).
    pub groups: Vec<String>,
    /// Pages of those groups deliberately left unvendored, relative to `pages` and without
    /// `.md` (`members/delete-member`); they are not reported as new.
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// How upstream publishes a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A Markdown page embedding the whole OpenAPI document in a four-backtick fence.
    DocsPage,
    /// A whole OpenAPI file from which selected operations are vendored.
    OpenapiDocument,
}

impl Sources {
    /// Reads and checks a `sources.toml` (the layout's is [`crate::Layout::sources_toml`]).
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let sources: Sources = toml::from_str(&text).map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))?;
        for source in &sources.sources {
            let valid = !source.vendor.is_empty()
                && source.vendor.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                bail!(
                    "{}: vendor `{}` must be a lowercase Rust module name (letters, digits, `_`)",
                    path.display(),
                    source.vendor
                );
            }
        }
        for skip in &sources.skips {
            if !sources.sources.iter().any(|source| source.vendor == skip.vendor) {
                bail!(
                    "{}: the [[skip]] of `{}` names vendor `{}`, which has no [[source]]",
                    path.display(),
                    skip.operation,
                    skip.vendor
                );
            }
        }
        for settings in &sources.settings {
            if !sources.sources.iter().any(|source| source.vendor == settings.name) {
                bail!("{}: the [[vendor]] `{}` has no [[source]]", path.display(), settings.name);
            }
        }
        for index in &sources.indexes {
            if !index.pages.ends_with('/') || index.groups.iter().any(|group| !group.ends_with('/')) {
                bail!(
                    "{}: the [[index]] at {} must give `pages` and every `groups` entry with a trailing `/`",
                    path.display(),
                    index.url
                );
            }
        }
        Ok(sources)
    }

    /// The documents of each vendor, vendors in name order, documents in file order.
    pub fn by_vendor(&self) -> BTreeMap<&str, Vec<&Source>> {
        let mut map: BTreeMap<&str, Vec<&Source>> = BTreeMap::new();
        for source in &self.sources {
            map.entry(source.vendor.as_str()).or_default().push(source);
        }
        for docs in map.values_mut() {
            docs.sort_by(|a, b| a.file.cmp(&b.file));
        }
        map
    }

    /// Whether `vendor` is strict (`[[vendor]] strict = true`).
    pub fn is_strict(&self, vendor: &str) -> bool {
        self.settings.iter().any(|settings| settings.name == vendor && settings.strict)
    }

    /// The vendors' module names, in name order.
    pub fn vendors(&self) -> Vec<&str> {
        self.by_vendor().into_keys().collect()
    }
}
