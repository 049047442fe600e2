//! `cargo xtask drift` (this program, run by the xtask as `cargo run -p drift`): compares the
//! vendored specs with what upstream publishes today, classifies every change, and with
//! `--update` vendors upstream's text and regenerates.
//!
//! The steps: read every vendored file; fetch every upstream URL and discovery index
//! concurrently; extract each OpenAPI document (the fenced YAML of a docs page, or the
//! vendored operations of a whole file); compare semantically; print the report. Nothing is
//! written unless `--update` is given and every source could be checked. `xtask/drift/DRIFT.md`
//! documents the change catalogue, the JSON schema and the exit codes.

mod accept;
mod compare;
mod extract;
mod fetch;
mod kinds;
mod release;
mod report;
mod subset;
mod update;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use codegen::openapi::{self, child};
use compare::Change;
use extract::Origin;
use fetch::Fetched;
use kinds::{Kind, Level};
use report::{Entry, Format, Report};
use serde_json::Value;
use xtask::{Index, Layout, Prose, Source, SourceKind};

/// Options of `cargo xtask drift`.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask drift",
    about = "Compare the vendored specs with upstream's docs and classify every change (network)"
)]
pub struct DriftArgs {
    /// Checkout to work on (defaults to the one that holds the current directory).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The lowest change level that makes the command exit 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Level::Info)]
    pub fail_on: Level,
    /// Rewrite drifted vendored files with upstream's text, regenerate the client, bump its
    /// version and add a changelog entry.
    #[arg(long, conflicts_with = "accept")]
    pub update: bool,
    /// Acknowledge every change found in `specs/accepted-drift.toml` without taking it (and drop
    /// acknowledgements that match nothing any more).
    #[arg(long, requires = "reason")]
    pub accept: bool,
    /// With `--accept`: why the changes are not taken (written next to each entry).
    #[arg(long, value_name = "TEXT", requires = "accept")]
    pub reason: Option<String>,
    /// Fetch every `https://HOST/PATH` from `BASE_URL/HOST/PATH` instead (tests, offline mirrors).
    #[arg(long, value_name = "BASE_URL")]
    pub mirror: Option<String>,
    /// Time limit for each request, in seconds, from connecting to the end of the body.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    pub timeout: Duration,
    /// Extra attempts after a connect error, HTTP 429 or 5xx.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,
    /// Largest response body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: u64,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= 3600.0 => Ok(Duration::from_secs_f64(secs)),
        _ => Err(format!("`{text}` is not a number of seconds between 0 and 3600 (e.g. 30 or 0.5)")),
    }
}

/// A vendored document as read from `specs/`.
struct Vendored {
    path: PathBuf,
    text: String,
    value: Value,
}

/// What `--update` does with one entry of the report.
enum Update {
    /// Nothing to write: an index, or a source that could not be checked.
    Nothing,
    /// Write upstream's text (a docs page's fence, a whole file's subset) to the path.
    Write(PathBuf, String),
    /// The document at the path is ours (`prose = "own"`): a maintainer takes the changes.
    ByHand(PathBuf),
}

/// Whether a change is about wording only: descriptions, summaries, examples, external docs and
/// the document's description. For a document whose prose is our own (`prose = "own"`) these
/// are not drift. A schema's `title` (it can name a generated type), an extension (it can carry
/// facts), tags and the info's title and version are facts, and stay drift.
fn is_wording(change: &Change) -> bool {
    match change.kind {
        Kind::SummaryChanged | Kind::DescriptionChanged | Kind::ExampleChanged => true,
        Kind::InfoChanged => change.pointer == "/info/description",
        _ => false,
    }
}

/// What checking one source produced.
struct Checked {
    changes: Vec<Change>,
    /// The upstream document the changes were found against.
    upstream: Value,
    /// What `--update` writes: upstream's fenced YAML, or the upstream subset.
    upstream_text: String,
}

fn main() -> ExitCode {
    let args = DriftArgs::parse();
    match Layout::locate(args.root.clone()).and_then(|layout| run(&layout, &args)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the check; see the module documentation.
pub fn run(layout: &Layout, args: &DriftArgs) -> Result<ExitCode> {
    let sources = layout.sources()?;
    if sources.sources.is_empty() {
        bail!("specs/sources.toml lists no documents; add a [[source]] entry per vendored spec");
    }
    // A vendored file that does not parse is our bug, not upstream's: stop before fetching.
    let vendored: Vec<Vendored> = sources.sources.iter().map(|s| load_vendored(layout, s)).collect::<Result<_>>()?;
    let accepted_path = layout.spec(Path::new(accept::FILE));
    let acceptances = accept::load(&accepted_path)?;
    if let Some(mirror) = &args.mirror
        && !(mirror.starts_with("http://") || mirror.starts_with("https://"))
    {
        bail!("--mirror {mirror}: expected an http:// or https:// base URL");
    }

    let mut urls: Vec<String> = Vec::new();
    for url in sources.sources.iter().map(|s| &s.url).chain(sources.indexes.iter().map(|i| &i.url)) {
        if !urls.contains(url) {
            urls.push(url.clone());
        }
    }
    let options = fetch::Options {
        mirror: args.mirror.clone(),
        timeout: args.timeout,
        retries: args.retries,
        backoff: Duration::from_millis(250),
        jobs: args.jobs as usize,
        max_body_bytes: args.max_body_bytes,
    };
    let fetched = fetch::fetch_all(&urls, &options)?;
    let by_url: HashMap<&str, &Result<Fetched>> = urls.iter().map(String::as_str).zip(&fetched).collect();
    let fetched_for = |url: &str| -> Result<&Fetched> {
        match by_url.get(url) {
            Some(Ok(fetched)) => Ok(fetched),
            Some(Err(err)) => Err(anyhow!("{err:#}")),
            None => Err(anyhow!("{url} was never fetched")),
        }
    };

    let mut report = Report::default();
    // Per entry: the upstream document, and what `--update` would write.
    let mut upstream_docs: Vec<Option<Value>> = Vec::new();
    let mut updates: Vec<Update> = Vec::new();
    for (source, vendored) in sources.sources.iter().zip(&vendored) {
        let result = fetched_for(&source.url).and_then(|fetched| check_source(source, vendored, fetched));
        let (changes, error) = match result {
            Ok(mut checked) => {
                upstream_docs.push(Some(checked.upstream));
                if source.prose == Prose::Own {
                    // Our words are not upstream's: only the facts are compared, and the
                    // document is edited by hand rather than overwritten with upstream's text.
                    checked.changes.retain(|change| !is_wording(change));
                    updates.push(Update::ByHand(vendored.path.clone()));
                } else {
                    updates.push(Update::Write(vendored.path.clone(), checked.upstream_text));
                }
                (sorted(checked.changes), None)
            }
            Err(err) => {
                upstream_docs.push(None);
                updates.push(Update::Nothing);
                (Vec::new(), Some(format!("{err:#}")))
            }
        };
        let kind = match source.kind {
            SourceKind::DocsPage => "docs-page",
            SourceKind::OpenapiDocument => "openapi-document",
        };
        let file = Some(layout.relative(&vendored.path));
        report.entries.push(Entry {
            vendor: source.vendor.clone(),
            kind,
            file,
            url: source.url.clone(),
            error,
            changes,
        });
    }
    for index in &sources.indexes {
        upstream_docs.push(None);
        updates.push(Update::Nothing);
        let result = fetched_for(&index.url).and_then(|fetched| check_index(index, &sources.sources, fetched));
        let (changes, error) = match result {
            Ok(changes) => (sorted(changes), None),
            Err(err) => (Vec::new(), Some(format!("{err:#}"))),
        };
        report.entries.push(Entry {
            vendor: index.vendor.clone(),
            kind: "index",
            file: None,
            url: index.url.clone(),
            error,
            changes,
        });
    }

    let fingerprints = accept::fingerprints(&report, &upstream_docs);
    let matched = accept::mark(&mut report, &fingerprints, &acceptances);

    print!("{}", report.render(args.format));
    if report.errors() > 0 {
        if args.update || args.accept {
            eprintln!("nothing was written: fix the errors above, or try again later if upstream was unreachable");
        }
        return Ok(ExitCode::from(2));
    }

    if let Some(reason) = args.reason.as_deref().filter(|_| args.accept) {
        let (added, dropped) = accept::record(&accepted_path, &report, &fingerprints, &acceptances, &matched, reason)?;
        println!(
            "{}: {added} change(s) acknowledged, {dropped} stale acknowledgement(s) removed",
            layout.relative(&accepted_path)
        );
        return Ok(ExitCode::SUCCESS);
    }

    let mut remaining = report.max_level();
    if args.update {
        // A document is rewritten when a change in it is not acknowledged; one whose prose is
        // ours is left for a maintainer to edit, and its changes are not released.
        let drifted = |entry: &Entry| entry.changes.iter().any(|c| c.accepted.is_none());
        let mut writes: Vec<(PathBuf, String)> = Vec::new();
        let mut written = Report::default();
        let mut by_hand: Vec<&Entry> = Vec::new();
        for (entry, update) in report.entries.iter().zip(updates).filter(|(entry, _)| drifted(entry)) {
            match update {
                Update::Write(path, text) => {
                    writes.push((path, text));
                    written.entries.push(entry.clone());
                }
                Update::ByHand(path) => {
                    println!(
                        "{} is not updated: its prose is our own (`prose = \"own\"` in specs/sources.toml), so \
                         upstream's text is never written into it; take the changes above into it by hand and run \
                         `cargo xtask regen`, or acknowledge them with `--accept`",
                        layout.relative(&path)
                    );
                    by_hand.push(entry);
                }
                Update::Nothing => {}
            }
        }
        if writes.is_empty() {
            if by_hand.is_empty() {
                println!("no vendored document needs updating");
            }
        } else {
            let code = update::apply(layout, &writes, &written)?;
            if code != ExitCode::SUCCESS {
                return Ok(code);
            }
        }
        // Index changes need a maintainer's decision (vendor the new page or not), stale
        // acknowledgements a deletion, and the changes of a document of ours an edit; they are
        // what is left after an update.
        remaining = report
            .entries
            .iter()
            .filter(|e| e.kind == "index" || e.kind == "accepted-drift")
            .chain(by_hand)
            .flat_map(|e| &e.changes)
            .filter(|c| c.accepted.is_none())
            .map(|c| c.kind.level())
            .max();
    }
    Ok(match remaining {
        Some(level) if level >= args.fail_on => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}

fn load_vendored(layout: &Layout, source: &Source) -> Result<Vendored> {
    let path = layout.spec(&source.file);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {} (listed in specs/sources.toml)", path.display()))?;
    let name = layout.relative(&path);
    let value = extract::parse_openapi(&text, Origin { name: &name, line_offset: 0 }, false)?;
    Ok(Vendored { path, text, value })
}

fn check_source(source: &Source, vendored: &Vendored, fetched: &Fetched) -> Result<Checked> {
    let from = fetched.fetched_from.as_str();
    if extract::looks_like_html(fetched.content_type.as_deref(), &fetched.body) {
        let expected = match source.kind {
            SourceKind::DocsPage => "the Markdown page (docs pages end in `.md`)",
            SourceKind::OpenapiDocument => "the YAML document",
        };
        bail!(
            "GET {from}: got an HTML page (Content-Type: {}) instead of {expected}; the host may be serving an \
             error or login page, or the URL in specs/sources.toml is wrong",
            fetched.content_type.as_deref().unwrap_or("none")
        );
    }
    match source.kind {
        SourceKind::DocsPage => {
            let fence = extract::openapi_fence(from, &fetched.body)?;
            let origin = Origin { name: from, line_offset: fence.first_line - 1 };
            let upstream = extract::parse_openapi(&fence.yaml, origin, true)?;
            // The info string names the page's operation; a document without it is not the
            // page we think it is.
            let pointer = child(&child("/paths", &fence.path), &fence.method);
            if upstream.pointer(&pointer).is_none() {
                bail!(
                    "{from}: the fence names `{} {}`, but the document in it has no such operation",
                    fence.method.to_ascii_uppercase(),
                    fence.path
                );
            }
            let changes =
                compare::compare(&vendored.value, &upstream).with_context(|| format!("cannot compare with {from}"))?;
            Ok(Checked { changes, upstream, upstream_text: fence.yaml })
        }
        SourceKind::OpenapiDocument => {
            let upstream = extract::read_openapi(&fetched.body, Origin { name: from, line_offset: 0 })?;
            let subset = subset::select(&vendored.value, &upstream);
            // Only the vendored operations must be valid: an odd corner elsewhere in
            // upstream's file is not ours to fail on. A 3.1 upstream is compared in the 3.0
            // form the generator converts it to, and vendored as published.
            let mut compared = subset.clone();
            extract::to_openapi30(&mut compared, from).map_err(|err| anyhow!("{err}"))?;
            openapi::typed(&compared).map_err(|err| {
                anyhow!(
                    "{from}: the operations we vendor do not form a valid OpenAPI 3.0 document: #{}: {}",
                    err.pointer,
                    err.message
                )
            })?;
            let changes =
                compare::compare(&vendored.value, &compared).with_context(|| format!("cannot compare with {from}"))?;
            let upstream_text = subset::to_yaml(&subset, &vendored.text)?;
            Ok(Checked { changes, upstream: compared, upstream_text })
        }
    }
}

/// Compares the pages an index lists in the vendored groups with the pages we vendor.
fn check_index(index: &Index, sources: &[Source], fetched: &Fetched) -> Result<Vec<Change>> {
    let from = fetched.fetched_from.as_str();
    if extract::looks_like_html(fetched.content_type.as_deref(), &fetched.body) {
        bail!(
            "GET {from}: got an HTML page instead of the Markdown index; check the [[index]] URL in specs/sources.toml"
        );
    }
    let links = extract::index_links(&fetched.body);
    if links.is_empty() {
        bail!("{from}: the index has no links; if upstream changed its format, this check needs updating");
    }
    let origin = index.url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    let page = |url: &str| -> Option<String> {
        let url = if url.starts_with('/') { format!("{origin}{url}") } else { url.to_string() };
        let url = url.split(['#', '?']).next().unwrap_or_default();
        let url = url.strip_suffix(".md").unwrap_or(url).trim_end_matches('/');
        let rel = url.strip_prefix(&index.pages)?;
        index.groups.iter().any(|group| rel.starts_with(group.as_str())).then(|| rel.to_string())
    };
    let listed: BTreeMap<String, (String, String)> =
        links.into_iter().filter_map(|(url, title)| page(&url).map(|rel| (rel, (url, title)))).collect();
    let vendored: BTreeMap<String, &Source> = sources
        .iter()
        .filter(|s| s.kind == SourceKind::DocsPage && s.vendor == index.vendor)
        .filter_map(|s| page(&s.url).map(|rel| (rel, s)))
        .collect();

    let mut changes = Vec::new();
    for (rel, (url, title)) in &listed {
        if !vendored.contains_key(rel) && !index.ignore.contains(rel) {
            changes.push(Change {
                kind: Kind::PageAdded,
                operation: None,
                pointer: String::new(),
                accepted: None,
                message: format!(
                    "upstream lists `{rel}` (\"{title}\", {url}), which is not vendored; add a [[source]] for it \
                     to specs/sources.toml, or list it in the index's `ignore`"
                ),
            });
        }
    }
    for (rel, source) in &vendored {
        if !listed.contains_key(rel) {
            changes.push(Change {
                kind: Kind::PageRemoved,
                operation: None,
                pointer: String::new(),
                accepted: None,
                message: format!(
                    "the index no longer lists `{rel}` (vendored as specs/{}); the page may be deprecated or moved",
                    source.file.display()
                ),
            });
        }
    }
    Ok(changes)
}

/// Changes in a stable order: by operation, then pointer, then kind.
fn sorted(mut changes: Vec<Change>) -> Vec<Change> {
    changes.sort_by(|a, b| {
        (&a.operation, &a.pointer, a.kind, &a.message).cmp(&(&b.operation, &b.pointer, b.kind, &b.message))
    });
    changes.dedup();
    changes
}
