//! Shared helpers: a scratch copy of the workspace, a loopback "upstream" that serves the
//! vendored documents the way upstream publishes them, and a runner for the real binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xtask::{Index, Layout, Source, SourceKind};

/// A file under `xtask/drift/tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// A scratch workspace with the real `specs/`, and, when the test regenerates, the generated
/// files and what `--update` releases (the client's manifest and changelog, the lock file).
pub fn scratch(with_generated: bool) -> tempfile::TempDir {
    let dir = crate::common::scratch_workspace(with_generated);
    if with_generated {
        let (from, to) = (Layout::new(crate::common::workspace_root()), Layout::new(dir.path()));
        for path in [from.client_manifest(), from.changelog(), from.root().join("Cargo.lock")] {
            let target = to.root().join(path.strip_prefix(from.root()).expect("inside the workspace"));
            std::fs::copy(&path, &target).unwrap_or_else(|err| panic!("cannot copy {}: {err}", path.display()));
        }
    }
    dir
}

/// Makes every source of the scratch workspace at `root` a document of upstream's text, by
/// dropping `prose = "own"` from its `specs/sources.toml`: for tests of what the comparer finds
/// in any text (the catalogue), or of what `--update` writes for such a source.
pub fn prose_from_upstream(root: &Path) {
    let path = root.join("specs/sources.toml");
    let text = std::fs::read_to_string(&path).expect("read sources.toml");
    let changed = text.replace("prose = \"own\"\n", "");
    assert_ne!(changed, text, "specs/sources.toml has no source with `prose = \"own\"` any more");
    std::fs::write(&path, changed).expect("write sources.toml");
}

/// Every file under `root` with its bytes, to prove that a run wrote nothing.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read file");
                out.insert(path.strip_prefix(root).expect("under root").to_path_buf(), bytes);
            }
        }
    }
    out
}

/// The result of one run of the binary.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{}", self.stdout))
    }

    /// `(file, id, level)` of every change in the JSON output.
    pub fn changes(&self) -> Vec<(String, String, String)> {
        let json = self.json();
        json["changes"]
            .as_array()
            .expect("changes array")
            .iter()
            .map(|c| {
                let field = |key: &str| c[key].as_str().unwrap_or_default().to_string();
                (field("file"), field("id"), field("level"))
            })
            .collect()
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {:?}\n--- stdout\n{}\n--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs `drift --update` with `args` and checks that it could not check: exit 2, every
/// needle in stderr, nothing written (every file under `root` as in `before`), no panic, and
/// the other sources still checked and reported.
pub fn assert_could_not_check(
    root: &Path,
    before: &BTreeMap<PathBuf, Vec<u8>>,
    args: &[&str],
    needles: &[&str],
) -> Run {
    let mut all = vec!["--update"];
    all.extend_from_slice(args);
    let run = drift(root, &all);
    assert_eq!(run.code, Some(2), "{run:?}");
    for needle in needles {
        assert!(run.stderr.contains(needle), "`{needle}` not in stderr\n{run:?}");
    }
    assert!(run.stderr.contains("nothing was written"), "{run:?}");
    assert!(!run.stderr.contains("panicked at"), "{run:?}");
    assert_eq!(&snapshot(root), before, "a run that could not check wrote a file");
    assert!(run.stdout.contains("no drift"), "the other sources were not reported\n{run:?}");
    run
}

/// The date every run writes (`--accept`, the changelog): noon UTC on [`TODAY`].
pub const SOURCE_DATE_EPOCH: &str = "1795953600";
/// The date of [`SOURCE_DATE_EPOCH`].
pub const TODAY: &str = "2026-11-29";

/// Runs `drift --root ROOT ARGS...` and waits for it.
pub fn drift(root: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_drift"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env_remove("NO_COLOR")
        .env("CI", "true")
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .output()
        .expect("drift runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The path at which the mirror serves an upstream URL.
pub fn mirror_path(url: &str) -> String {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).expect("http(s) URL");
    format!("/{rest}")
}

/// A docs page the way Periskope serves its Markdown twins.
pub fn docs_page(title: &str, method_path: &str, yaml: &str) -> String {
    format!(
        "> ## Documentation Index\n> Fetch the complete documentation index at: https://docs.periskope.app/llms.txt\n\
         > Use this file to discover all available pages before exploring further.\n\n# {title}\n\n\
         > {title}.\n\n\n\n\n## OpenAPI\n\n````yaml {method_path}\n{yaml}````"
    )
}

/// The first operation of a document as `METHOD /path`, and its summary.
pub fn first_operation(doc: &Value) -> (String, String) {
    let op = codegen::openapi::operations(doc).next().expect("the document has an operation");
    (op.label(), op.operation["summary"].as_str().unwrap_or("Page").to_string())
}

pub fn parse_yaml(text: &str) -> Value {
    serde_yaml_ng::from_str(text).expect("YAML parses")
}

pub fn to_yaml(doc: &Value) -> String {
    serde_yaml_ng::to_string(doc).expect("YAML serialises")
}

/// A loopback server standing in for every upstream host, with `--mirror` layout.
pub struct Upstream {
    pub server: MockServer,
    pub root: PathBuf,
    pub sources: Vec<Source>,
    pub indexes: Vec<Index>,
}

/// Defaults answer with a lower priority than the per-test overrides (1 is the highest).
const DEFAULT_PRIORITY: u8 = 10;

impl Upstream {
    /// Starts the server for the workspace at `root`; nothing is mounted yet.
    pub async fn start(root: &Path) -> Self {
        let parsed = Layout::new(root).sources().expect("specs/sources.toml reads");
        Upstream {
            server: MockServer::start().await,
            root: root.to_path_buf(),
            sources: parsed.sources,
            indexes: parsed.indexes,
        }
    }

    /// The `--mirror` base URL.
    pub fn mirror(&self) -> String {
        self.server.uri()
    }

    pub fn source(&self, file: &str) -> &Source {
        self.sources.iter().find(|s| s.file == Path::new(file)).unwrap_or_else(|| panic!("no source for {file}"))
    }

    /// The vendored text of a source.
    pub fn vendored_text(&self, file: &str) -> String {
        std::fs::read_to_string(self.root.join("specs").join(file)).expect("read vendored file")
    }

    /// The vendored document of a source, parsed.
    pub fn vendored(&self, file: &str) -> Value {
        parse_yaml(&self.vendored_text(file))
    }

    /// What upstream serves for a source whose document is `yaml`.
    pub fn body_for(&self, file: &str, yaml: &str) -> String {
        let source = self.source(file);
        if source.kind == SourceKind::DocsPage {
            let (method_path, title) = first_operation(&parse_yaml(yaml));
            docs_page(&title, &method_path, yaml)
        } else {
            yaml.to_string()
        }
    }

    async fn mount(&self, url: &str, template: ResponseTemplate, priority: u8) {
        Mock::given(method("GET"))
            .and(path(mirror_path(url)))
            .respond_with(template)
            .with_priority(priority)
            .mount(&self.server)
            .await;
    }

    /// Serves `template` for an upstream URL, over any default.
    pub async fn respond(&self, url: &str, template: ResponseTemplate) {
        self.mount(url, template, 1).await;
    }

    /// Serves `body` as Markdown (docs pages and indexes) or YAML for an upstream URL.
    pub async fn serve(&self, url: &str, body: String) {
        let mime = if url.ends_with(".yaml") { "application/yaml" } else { "text/markdown; charset=utf-8" };
        self.respond(url, ResponseTemplate::new(200).set_body_raw(body, mime)).await;
    }

    /// Serves `doc` as upstream's version of the vendored `file`.
    pub async fn serve_doc(&self, file: &str, doc: &Value) {
        let body = self.body_for(file, &to_yaml(doc));
        self.serve(&self.source(file).url.clone(), body).await;
    }

    /// Serves every source exactly as vendored, and every index listing exactly the vendored
    /// pages (plus pages of other groups).
    pub async fn serve_unchanged(&self) {
        for (url, mime, body) in self.unchanged() {
            self.mount(&url, ResponseTemplate::new(200).set_body_raw(body, mime), DEFAULT_PRIORITY).await;
        }
    }

    /// What `serve_unchanged` serves: `(upstream URL, content type, body)` of every source and
    /// index.
    pub fn unchanged(&self) -> Vec<(String, &'static str, String)> {
        let mut out = Vec::new();
        for source in &self.sources {
            let file = source.file.to_string_lossy();
            let body = self.body_for(&file, &self.vendored_text(&file));
            let mime =
                if source.kind == SourceKind::DocsPage { "text/markdown; charset=utf-8" } else { "application/yaml" };
            out.push((source.url.clone(), mime, body));
        }
        for index in &self.indexes {
            out.push((index.url.clone(), "text/plain", self.index_text(index, &[], &[])));
        }
        out
    }

    /// An `llms.txt` listing the vendored pages of `index`, without `drop` (page URLs), with
    /// `extra` (`(title, url)`), and two pages of groups we do not vendor.
    pub fn index_text(&self, index: &Index, drop: &[&str], extra: &[(&str, &str)]) -> String {
        let mut text = String::from("# Periskope\n\n> WhatsApp automation APIs.\n\n## Docs\n\n");
        text.push_str(&format!("- [Get Chats]({}chats/get-chats.md): List chats\n", index.pages));
        for source in self.sources.iter().filter(|s| s.kind == SourceKind::DocsPage && s.vendor == index.vendor) {
            if !drop.contains(&source.url.as_str()) {
                text.push_str(&format!("- [{}]({}): A vendored page\n", source.file.display(), source.url));
            }
        }
        for (title, url) in extra {
            text.push_str(&format!("- [{title}]({url}): An extra page\n"));
        }
        text.push_str(&format!("- [Send Message]({}message/send.md): Send a message\n", index.pages));
        text
    }
}

/// Sets the value at a JSON pointer, creating the last key (or appending with `-`).
pub fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer with a parent");
    let key = codegen::openapi::unescape(key);
    match doc.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent} in the document")) {
        Value::Object(map) => {
            map.insert(key, value);
        }
        Value::Array(items) if key == "-" => items.push(value),
        Value::Array(items) => items[key.parse::<usize>().expect("array index")] = value,
        other => panic!("{parent} is not a container: {other}"),
    }
}

/// Removes the value at a JSON pointer.
pub fn remove(doc: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer with a parent");
    let key = codegen::openapi::unescape(key);
    match doc.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent} in the document")) {
        Value::Object(map) => {
            map.shift_remove(&key).unwrap_or_else(|| panic!("no {pointer} in the document"));
        }
        Value::Array(items) => {
            items.remove(key.parse::<usize>().expect("array index"));
        }
        other => panic!("{parent} is not a container: {other}"),
    }
}
