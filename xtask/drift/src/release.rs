//! The release half of `--update`: the client crate's next version, from what the drift means
//! for Rust users, and a dated `CHANGELOG.md` entry listing the classified changes.
//!
//! The bump follows semver for a 0.x crate the way Cargo reads it (`0.y` is the compatibility
//! range): a breaking change bumps the minor version while 0.x (the major after 1.0), an
//! addition the patch while 0.x (the minor after), documentation alone the patch.

use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use semver::Version;
use xtask::{Layout, write_atomic};

use crate::kinds::{Kind, Level};
use crate::report::Report;

/// What a change means for the client's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// Only documentation (doc comments) changes.
    Docs,
    /// Something new or different that existing code keeps compiling and working with.
    Addition,
    /// Existing code can stop compiling or working.
    Breaking,
}

impl Effect {
    /// The effect of one kind of change.
    pub fn of(kind: Kind) -> Effect {
        match kind {
            _ if kind.level() == Level::Breaking => Effect::Breaking,
            Kind::SummaryChanged
            | Kind::DescriptionChanged
            | Kind::TitleChanged
            | Kind::ExampleChanged
            | Kind::ExtensionChanged
            | Kind::TagsChanged
            | Kind::InfoChanged => Effect::Docs,
            _ => Effect::Addition,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Effect::Docs => "documentation only",
            Effect::Addition => "additions",
            Effect::Breaking => "breaking",
        }
    }
}

/// The version after `current` for changes whose strongest effect is `effect`.
pub fn next_version(current: &Version, effect: Effect) -> Version {
    let (major, minor, patch) = (current.major, current.minor, current.patch);
    match (effect, major) {
        (Effect::Breaking, 0) => Version::new(0, minor + 1, 0),
        (Effect::Breaking, _) => Version::new(major + 1, 0, 0),
        (Effect::Addition, 0) | (Effect::Docs, _) => Version::new(major, minor, patch + 1),
        (Effect::Addition, _) => Version::new(major, minor + 1, 0),
    }
}

/// Bumps `generated-client/Cargo.toml` (and its line in `Cargo.lock`) by what the vendored
/// changes of `report` mean for users, and adds a `CHANGELOG.md` entry dated `date`. Nothing
/// happens when no vendored document changed.
pub fn release(layout: &Layout, report: &Report, date: &str) -> Result<()> {
    // Index changes and stale acknowledgements do not reach the generated code.
    let changes: Vec<_> = report
        .entries
        .iter()
        .filter(|e| e.kind != "index" && e.kind != "accepted-drift")
        .flat_map(|e| e.changes.iter().map(move |c| (e, c)))
        .filter(|(_, c)| c.accepted.is_none())
        .collect();
    let Some(effect) = changes.iter().map(|(_, c)| Effect::of(c.kind)).max() else { return Ok(()) };

    let manifest = layout.client_manifest();
    let text = std::fs::read_to_string(&manifest).with_context(|| format!("cannot read {}", manifest.display()))?;
    let (name, current) = package_version(&text).with_context(|| layout.relative(&manifest))?;
    let next = next_version(&current, effect);
    let line = format!("version = \"{current}\"");
    let Some(at) = text.find(&line) else {
        bail!("{}: no `{line}` line to bump; set the version on a line of its own", layout.relative(&manifest));
    };
    let bumped = format!("{}version = \"{next}\"{}", &text[..at], &text[at + line.len()..]);
    write_atomic(&manifest, &bumped)?;
    println!("{}: {name} {current} -> {next} ({})", layout.relative(&manifest), effect.name());

    let lock = layout.root().join("Cargo.lock");
    if let Ok(text) = std::fs::read_to_string(&lock) {
        let entry = format!("name = \"{name}\"\nversion = \"{current}\"\n");
        if text.contains(&entry) {
            write_atomic(&lock, &text.replacen(&entry, &format!("name = \"{name}\"\nversion = \"{next}\"\n"), 1))?;
        }
    }

    let mut entry = format!("## [{next}] - {date}\n");
    for title in ["Added", "Changed", "Deprecated", "Removed"] {
        let lines: Vec<String> = changes
            .iter()
            .filter(|(_, c)| section(c.kind) == title)
            .map(|(e, c)| {
                let breaking = if Effect::of(c.kind) == Effect::Breaking { "**Breaking:** " } else { "" };
                let operation = c.operation.as_deref().map(|op| format!("`{op}`: ")).unwrap_or_default();
                format!("- {breaking}{}: {operation}{} (`{}`)\n", e.vendor, c.message, c.kind.id())
            })
            .collect();
        if !lines.is_empty() {
            let _ = write!(entry, "\n### {title}\n\n{}", lines.concat());
        }
    }
    let changelog = layout.changelog();
    let current_log = match std::fs::read_to_string(&changelog) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => new_changelog(&name),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", changelog.display())),
    };
    write_atomic(&changelog, &insert_entry(&current_log, &entry))?;
    println!("{}: added the {next} entry", layout.relative(&changelog));
    Ok(())
}

/// The Keep a Changelog section a change is listed under.
fn section(kind: Kind) -> &'static str {
    match kind.id() {
        "deprecation-added" => "Deprecated",
        id if id.contains("-added") => "Added",
        id if id.contains("-removed") => "Removed",
        _ => "Changed",
    }
}

/// The package name and version of a manifest.
fn package_version(manifest: &str) -> Result<(String, Version)> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        package: Package,
    }
    #[derive(serde::Deserialize)]
    struct Package {
        name: String,
        version: String,
    }
    let parsed: Manifest = toml::from_str(manifest).context("not a package manifest with a version")?;
    let version = Version::parse(&parsed.package.version)
        .with_context(|| format!("`version = \"{}\"` is not a semver version", parsed.package.version))?;
    Ok((parsed.package.name, version))
}

fn new_changelog(name: &str) -> String {
    format!(
        "# Changelog\n\nAll notable changes to `{name}` are listed here. The format is based on\n\
         [Keep a Changelog](https://keepachangelog.com/en/1.1.0/), and the crate follows\n\
         [Semantic Versioning](https://semver.org/spec/v2.0.0.html). Entries are written by\n\
         `cargo xtask drift --update` from the classified upstream changes.\n\n## [Unreleased]\n"
    )
}

/// `entry` inserted before the newest release (after `## [Unreleased]` and what it holds).
fn insert_entry(changelog: &str, entry: &str) -> String {
    let releases =
        changelog.match_indices("\n## [").map(|(i, _)| i + 1).find(|&i| !changelog[i..].starts_with("## [Unreleased]"));
    match releases {
        Some(at) => format!("{}{entry}\n{}", &changelog[..at], &changelog[at..]),
        None => format!("{}\n{entry}", changelog.trim_end_matches('\n').to_string() + "\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_by_effect() {
        let v = |text: &str| Version::parse(text).expect("version");
        assert_eq!(next_version(&v("0.1.3"), Effect::Breaking), v("0.2.0"));
        assert_eq!(next_version(&v("0.1.3"), Effect::Addition), v("0.1.4"));
        assert_eq!(next_version(&v("0.1.3"), Effect::Docs), v("0.1.4"));
        assert_eq!(next_version(&v("1.2.3"), Effect::Breaking), v("2.0.0"));
        assert_eq!(next_version(&v("1.2.3"), Effect::Addition), v("1.3.0"));
        assert_eq!(next_version(&v("1.2.3"), Effect::Docs), v("1.2.4"));
    }

    #[test]
    fn entries_go_after_unreleased_and_before_the_newest_release() {
        let log = "# Changelog\n\n## [Unreleased]\n\n- pending\n\n## [0.1.0] - 2026-01-01\n\n- first\n";
        let out = insert_entry(log, "## [0.1.1] - 2026-02-01\n\n### Changed\n\n- x\n");
        assert_eq!(
            out,
            "# Changelog\n\n## [Unreleased]\n\n- pending\n\n## [0.1.1] - 2026-02-01\n\n### Changed\n\n- x\n\n\
             ## [0.1.0] - 2026-01-01\n\n- first\n"
        );
        let fresh = insert_entry(&new_changelog("c"), "## [0.1.1] - 2026-02-01\n");
        assert!(fresh.ends_with("## [Unreleased]\n\n## [0.1.1] - 2026-02-01\n"), "{fresh}");
    }
}
