//! The drift report and its four renderings: text, Markdown, JSON and GitHub annotations.

use std::fmt::Write as _;
use std::io::IsTerminal;

use clap::ValueEnum;
use serde::Serialize;

use super::compare::Change;
use super::kinds::Level;

/// Version of the JSON output's schema; bumped on any incompatible change (see `DRIFT.md`).
pub const JSON_VERSION: u32 = 1;

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable, coloured on a terminal.
    Text,
    /// A Markdown section, e.g. for a pull request or issue body.
    Markdown,
    /// A stable, versioned JSON document (schema in `xtask/drift/DRIFT.md`).
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// What was checked: a vendored document or a discovery index.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The vendor it belongs to.
    pub vendor: String,
    /// `docs-page`, `openapi-document` or `index`.
    pub kind: &'static str,
    /// The vendored file relative to the workspace root (`specs/...`); `None` for an index.
    pub file: Option<String>,
    /// The upstream URL.
    pub url: String,
    /// Why it could not be checked.
    pub error: Option<String>,
    /// What changed, sorted.
    pub changes: Vec<Change>,
}

impl Entry {
    fn status(&self) -> &'static str {
        match (&self.error, self.changes.is_empty()) {
            (Some(_), _) => "error",
            (None, true) => "unchanged",
            (None, false) => "drift",
        }
    }

    fn label(&self) -> String {
        match &self.file {
            Some(file) => file.clone(),
            None => format!("index {}", self.url),
        }
    }
}

/// Everything one run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Sources first, in `specs/sources.toml` order, then indexes.
    pub entries: Vec<Entry>,
}

impl Report {
    /// How many entries could not be checked.
    pub fn errors(&self) -> usize {
        self.entries.iter().filter(|e| e.error.is_some()).count()
    }

    /// The highest level among the changes not acknowledged in `specs/accepted-drift.toml`.
    pub fn max_level(&self) -> Option<Level> {
        self.open_changes().map(|(_, c)| c.kind.level()).max()
    }

    fn changes(&self) -> impl Iterator<Item = (&Entry, &Change)> {
        self.entries.iter().flat_map(|e| e.changes.iter().map(move |c| (e, c)))
    }

    /// The changes that count: those not acknowledged.
    fn open_changes(&self) -> impl Iterator<Item = (&Entry, &Change)> {
        self.changes().filter(|(_, c)| c.accepted.is_none())
    }

    fn count(&self, level: Level) -> usize {
        self.open_changes().filter(|(_, c)| c.kind.level() == level).count()
    }

    fn accepted(&self) -> usize {
        self.changes().filter(|(_, c)| c.accepted.is_some()).count()
    }

    /// Entries with at least one change that counts.
    fn drifted(&self) -> usize {
        self.entries.iter().filter(|e| e.changes.iter().any(|c| c.accepted.is_none())).count()
    }

    fn summary(&self) -> String {
        let mut text = format!(
            "{} breaking, {} warning, {} info in {} of {} checked",
            self.count(Level::Breaking),
            self.count(Level::Warning),
            self.count(Level::Info),
            self.drifted(),
            self.entries.len() - self.errors(),
        );
        if self.accepted() > 0 {
            let _ = write!(text, "; {} accepted (specs/accepted-drift.toml)", self.accepted());
        }
        if self.errors() > 0 {
            let _ = write!(text, "; {} could not be checked", self.errors());
        }
        text
    }

    /// Renders the report; errors also go to stderr so that they show in any log.
    pub fn render(&self, format: Format) -> String {
        for entry in &self.entries {
            if let Some(error) = &entry.error {
                eprintln!("error: {}: {error}", entry.label());
            }
        }
        match format {
            Format::Text => self.text(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()),
            Format::Markdown => self.markdown(),
            Format::Json => self.json(),
            Format::Github => self.github(),
        }
    }

    fn text(&self, color: bool) -> String {
        let paint =
            |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() };
        let mut out = String::new();
        for entry in &self.entries {
            match (&entry.error, entry.changes.len()) {
                (Some(_), _) => {
                    let _ = writeln!(out, "{}: could not be checked (see the error above)", entry.label());
                }
                (None, 0) => {
                    let _ = writeln!(out, "{}: no drift", entry.label());
                }
                (None, n) => {
                    let noun = if n == 1 { "change" } else { "changes" };
                    let url = if entry.url.is_empty() { String::new() } else { format!(" ({})", entry.url) };
                    let _ = writeln!(out, "{}: {n} {noun} upstream{url}", paint("1", &entry.label()));
                    for change in &entry.changes {
                        let level = change.kind.level();
                        let (style, name) = match (level, &change.accepted) {
                            (_, Some(_)) => ("2", "accepted"),
                            (Level::Breaking, None) => ("1;31", level.name()),
                            (Level::Warning, None) => ("33", level.name()),
                            (Level::Info, None) => ("36", level.name()),
                        };
                        let operation = change.operation.as_deref().map(|op| format!("{op}: ")).unwrap_or_default();
                        let _ = writeln!(
                            out,
                            "  {} {} {operation}{}",
                            paint(style, &format!("{name:<8}")),
                            change.kind.id(),
                            change.message
                        );
                        if !change.pointer.is_empty() {
                            let _ = writeln!(out, "           {}", paint("2", &format!("at {}", change.pointer)));
                        }
                        if let Some(accepted) = &change.accepted {
                            let _ = writeln!(out, "           accepted on {}: {}", accepted.date, accepted.reason);
                        }
                    }
                }
            }
        }
        let _ = writeln!(out, "drift: {}", self.summary());
        out
    }

    fn markdown(&self) -> String {
        let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
        let mut out = String::from("## Upstream API drift\n\n");
        if self.drifted() == 0 && self.errors() == 0 {
            let accepted = match self.accepted() {
                0 => String::new(),
                n => format!("; {n} accepted in `specs/accepted-drift.toml`"),
            };
            let _ = writeln!(
                out,
                "No drift: every vendored document matches upstream ({} checked{accepted}).",
                self.entries.len()
            );
            return out;
        }
        let _ = writeln!(out, "**{}.**\n", self.summary());
        for entry in self.entries.iter().filter(|e| !e.changes.is_empty()) {
            let title = entry.file.as_deref().map_or_else(|| "discovery index".to_string(), |f| format!("`{f}`"));
            let _ = writeln!(out, "### {title}\n");
            if !entry.url.is_empty() {
                let _ = writeln!(out, "Upstream: <{}>\n", entry.url);
            }
            out.push_str("| Level | Id | Operation | Change |\n| --- | --- | --- | --- |\n");
            for change in &entry.changes {
                let operation = change.operation.as_deref().map(|op| format!("`{op}`")).unwrap_or_default();
                let pointer =
                    if change.pointer.is_empty() { String::new() } else { format!("<br>`{}`", change.pointer) };
                let (level, accepted) = match &change.accepted {
                    Some(accepted) => ("accepted", format!("<br>accepted on {}: {}", accepted.date, accepted.reason)),
                    None => (change.kind.level().name(), String::new()),
                };
                let _ = writeln!(
                    out,
                    "| {level} | `{}` | {} | {}{}{} |",
                    change.kind.id(),
                    cell(&operation),
                    cell(&change.message),
                    cell(&pointer),
                    cell(&accepted)
                );
            }
            out.push('\n');
        }
        if self.errors() > 0 {
            out.push_str("### Could not check\n\n");
            for entry in &self.entries {
                if let Some(error) = &entry.error {
                    let _ = writeln!(out, "- {} (<{}>): {}", entry.label(), entry.url, cell(error));
                }
            }
            out.push('\n');
        }
        if self.drifted() > 0 {
            out.push_str(
                "Run `cargo xtask drift --update` to vendor upstream's text and regenerate the client, \
                 then review the generated-code diff.\n",
            );
        }
        out
    }

    fn json(&self) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            version: u32,
            summary: Summary,
            sources: Vec<Source<'a>>,
            changes: Vec<JsonChange<'a>>,
        }
        #[derive(Serialize)]
        struct Summary {
            checked: usize,
            drifted: usize,
            errors: usize,
            breaking: usize,
            warning: usize,
            info: usize,
            accepted: usize,
        }
        #[derive(Serialize)]
        struct JsonAccepted<'a> {
            date: &'a str,
            reason: &'a str,
        }
        #[derive(Serialize)]
        struct Source<'a> {
            vendor: &'a str,
            kind: &'a str,
            file: Option<&'a str>,
            url: &'a str,
            status: &'a str,
            error: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct JsonChange<'a> {
            id: &'a str,
            level: Level,
            file: Option<&'a str>,
            url: &'a str,
            operation: Option<&'a str>,
            pointer: &'a str,
            message: &'a str,
            accepted: Option<JsonAccepted<'a>>,
        }
        let document = Document {
            version: JSON_VERSION,
            summary: Summary {
                checked: self.entries.len() - self.errors(),
                drifted: self.drifted(),
                errors: self.errors(),
                breaking: self.count(Level::Breaking),
                warning: self.count(Level::Warning),
                info: self.count(Level::Info),
                accepted: self.accepted(),
            },
            sources: self
                .entries
                .iter()
                .map(|e| Source {
                    vendor: &e.vendor,
                    kind: e.kind,
                    file: e.file.as_deref(),
                    url: &e.url,
                    status: e.status(),
                    error: e.error.as_deref(),
                })
                .collect(),
            changes: self
                .changes()
                .map(|(e, c)| JsonChange {
                    id: c.kind.id(),
                    level: c.kind.level(),
                    file: e.file.as_deref(),
                    url: &e.url,
                    operation: c.operation.as_deref(),
                    pointer: &c.pointer,
                    message: &c.message,
                    accepted: c.accepted.as_ref().map(|a| JsonAccepted { date: &a.date, reason: &a.reason }),
                })
                .collect(),
        };
        // Serialising plain structs of strings and numbers cannot fail.
        let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
        out.push('\n');
        out
    }

    fn github(&self) -> String {
        let mut out = String::new();
        for (entry, change) in self.open_changes() {
            let command = match change.kind.level() {
                Level::Breaking => "error",
                Level::Warning => "warning",
                Level::Info => "notice",
            };
            let file = entry.file.as_deref().map(|f| format!("file={},", property(f))).unwrap_or_default();
            let operation = change.operation.as_deref().map(|op| format!("{op}: ")).unwrap_or_default();
            let pointer = if change.pointer.is_empty() { String::new() } else { format!(" (at {})", change.pointer) };
            let _ = writeln!(
                out,
                "::{command} {file}title={}::{}",
                property(&format!("API drift: {}", change.kind.id())),
                data(&format!("{operation}{}{pointer}", change.message))
            );
        }
        for entry in &self.entries {
            if let Some(error) = &entry.error {
                let file = entry.file.as_deref().map(|f| format!("file={},", property(f))).unwrap_or_default();
                let _ = writeln!(out, "::error {file}title=API drift check failed::{}", data(error));
            }
        }
        let _ = writeln!(out, "drift: {}", self.summary());
        out
    }
}

/// Escapes the message of a workflow command.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
