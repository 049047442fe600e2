//! Figure 6 (`--only build`, minutes): what a generated client adds to the build of its crate,
//! against what bare progenitor's client of the same document adds to an equivalent crate.
//!
//! Both crates are members of one copy of the workspace (its lock file and profiles) with one
//! target directory: ours is a vendor module of the client crate, added as `cargo xtask
//! corpus` adds it ([`Crate::add`]); bare progenitor's output (as the corpus runs it) is the
//! only module of `progenitor-build`, a crate with the dependencies that output names. With the
//! dependencies built, each crate is built with and without its module: only `lib.rs` changes
//! between two builds, so cargo rebuilds that crate alone. A module's cost is the difference of
//! the median wall times (builds without incremental compilation, so each compiles the crate
//! from scratch), and the figure is ours / bare progenitor's. Each round builds the
//! four variants, the order reversed every other round. The copy and its target directory stay
//! in `target/bench-build/`, so the dependencies build once per checkout.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};
use xtask::Layout;

use super::{BUILD, Row, time_with_cpu};
use crate::corpus::compile::Crate;
use crate::corpus::measure;
use xtask::scratch::CLIENT_FEATURES;

/// The name of our module in the client crate.
const MODULE: &str = "bench_doc";

/// The command named in the generated header.
const COMMAND: &str = "cargo xtask bench --only build";

/// The manifest of the crate bare progenitor's output is built in: the client crate's
/// dependencies that progenitor's generated code names, with the same versions and features.
const BARE_MANIFEST: &str = r#"[package]
name = "progenitor-build"
version = "0.1.0"
edition.workspace = true
publish = false

[dependencies]
progenitor-client.workspace = true
reqwest = { workspace = true, features = ["form", "json", "multipart", "query", "stream"] }
serde.workspace = true
serde_json.workspace = true
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
uuid = { version = "1", default-features = false, features = ["serde", "std"] }
regress = "0.12"
futures = { version = "0.3", default-features = false, features = ["std"] }
base64 = "0.23"
rand = "0.10"
"#;

/// `progenitor-build`'s `lib.rs` with the module; without it, the file is empty.
const BARE_LIB: &str = "#[allow(unused_imports, unused_mut, clippy::all, clippy::pedantic)]\npub mod generated;\n";

/// The default document: `../shared/reference/wapikit/upstream-spec.openapi.yaml`.
pub(super) fn default_document(layout: &Layout) -> Option<PathBuf> {
    let path = layout.shared()?.join("reference/wapikit/upstream-spec.openapi.yaml");
    path.is_file().then_some(path)
}

/// The four builds of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    OursWithout,
    OursWith,
    BareWithout,
    BareWith,
}

const ORDER: [Variant; 4] = [Variant::OursWithout, Variant::OursWith, Variant::BareWithout, Variant::BareWith];

/// The two crates, in one copy of the workspace.
struct Crates {
    client: Crate,
    bare_lib: PathBuf,
}

impl Crates {
    /// Makes `lib.rs` of the variant's crate declare its module or not.
    fn select(&self, variant: Variant) -> Result<()> {
        match variant {
            Variant::OursWithout => self.client.declare(&[]),
            Variant::OursWith => self.client.declare(&[MODULE.to_string()]),
            Variant::BareWithout => write(&self.bare_lib, ""),
            Variant::BareWith => write(&self.bare_lib, BARE_LIB),
        }
    }

    /// `cargo build` of the variant's crate's library.
    fn build(&self, variant: Variant, release: bool) -> Command {
        let mut command = Command::new(crate::cargo());
        command.args(["build", "--lib"]);
        match variant {
            Variant::OursWithout | Variant::OursWith => command.args(["-p", "periskope-wapikit"]).args(CLIENT_FEATURES),
            Variant::BareWithout | Variant::BareWith => command.args(["-p", "progenitor-build"]),
        };
        if release {
            command.arg("--release");
        }
        // Without incremental compilation, every build compiles the crate from scratch, as a
        // first build or a CI build does (with it, a debug build after the same `lib.rs` would
        // reuse the previous one's work).
        command
            .current_dir(self.client.workspace())
            .env("CARGO_TARGET_DIR", self.client.target())
            .env("CARGO_INCREMENTAL", "0");
        command
    }
}

/// Measures the figure for `document`, in debug and, with `release`, in release.
pub(super) fn build_cost(layout: &Layout, document: &Path, release: bool, rounds: u32) -> Result<Vec<Row>> {
    let text = std::fs::read_to_string(document).with_context(|| format!("cannot read {}", document.display()))?;
    let is_json = document.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    let name = document.file_name().map_or_else(|| document.display().to_string(), |n| n.to_string_lossy().into());
    let operations = measure::operation_count(&text, is_json).unwrap_or_default();

    let (documents, referenced) = measure::documents(document, &text);
    let vendor = codegen::Vendor {
        name: MODULE,
        documents: &documents,
        referenced: &referenced,
        fixes: None,
        skip: &[],
        strict: false,
    };
    let ours = codegen::generate(vendor, COMMAND).map_err(|err| anyhow!("our generator refused {name}: {err}"))?.source;
    let bare = match std::panic::catch_unwind(|| measure::bare_progenitor(&text, is_json)) {
        Ok(Ok(source)) => source,
        Ok(Err(err)) => bail!("bare progenitor cannot generate {name}, so there is nothing to compare with: {err}"),
        Err(_) => bail!(
            "bare progenitor panicked on {name} (its message is above), so there is nothing to compare with; \
             pass `--build-doc FILE` with a document it generates"
        ),
    };
    println!(
        "{name}: {operations} operations; ours {} lines, bare progenitor {} lines",
        ours.lines().count(),
        bare.lines().count()
    );

    let work = layout.root().join("target/bench-build");
    let client = Crate::with_members(layout, &work, &work.join("target"), false, &["progenitor-build"])?;
    let generated = work.join("ours.rs");
    write(&generated, &ours)?;
    client.add(MODULE, &generated)?;
    let bare_dir = client.workspace().join("progenitor-build");
    std::fs::create_dir_all(bare_dir.join("src")).with_context(|| format!("cannot create {}", bare_dir.display()))?;
    write(&bare_dir.join("Cargo.toml"), BARE_MANIFEST)?;
    write(&bare_dir.join("src/generated.rs"), &bare)?;
    let crates = Crates { bare_lib: bare_dir.join("src/lib.rs"), client };
    crates.select(Variant::BareWithout)?;

    let mut rows = Vec::new();
    for release in std::iter::once(false).chain(release.then_some(true)) {
        rows.push(profile(&crates, &name, operations, release, rounds)?);
    }
    Ok(rows)
}

/// The figure in one profile.
fn profile(crates: &Crates, name: &str, operations: usize, release: bool, rounds: u32) -> Result<Row> {
    let (profile, flag) = if release { ("release", " --release") } else { ("debug", "") };
    println!("$ cargo build --lib{flag} of each crate with and without its module, {rounds} round(s), alternating");
    // The dependencies, and the modules once, untimed.
    for variant in [Variant::OursWith, Variant::BareWith] {
        crates.select(variant)?;
        super::time(&mut crates.build(variant, release), "cargo build (dependencies)")?;
    }
    let mut walls: [Vec<f64>; 4] = Default::default();
    let mut cpus: [Vec<f64>; 4] = Default::default();
    for round in 0..rounds {
        let mut order = ORDER;
        if round % 2 == 1 {
            order.reverse();
        }
        for variant in order {
            crates.select(variant)?;
            let timed = time_with_cpu(&mut crates.build(variant, release), &format!("cargo build ({variant:?})"))?;
            println!("  {profile} {variant:?}: {timed}");
            let index = ORDER.iter().position(|v| *v == variant).unwrap_or_default();
            walls[index].push(timed.wall.as_secs_f64());
            cpus[index].extend(timed.cpu);
        }
    }
    let [ours_without, ours_with, bare_without, bare_with] = walls.map(median);
    let (ours, bare) = (ours_with - ours_without, bare_with - bare_without);
    let ratio = ours / bare.max(f64::EPSILON);
    let [cpu_ours_without, cpu_ours_with, cpu_bare_without, cpu_bare_with] = cpus.map(median);
    let cpu_ratio = (cpu_ours_with - cpu_ours_without) / (cpu_bare_with - cpu_bare_without).max(f64::EPSILON);
    println!(
        "bench-result build_{profile} operations={operations} ours_without={ours_without:.2} ours_with={ours_with:.2} \
         bare_without={bare_without:.2} bare_with={bare_with:.2} ours_added={ours:.2} bare_added={bare:.2} \
         ratio={ratio:.3} cpu_ratio={cpu_ratio:.3}"
    );
    if bare < 1.0 {
        println!("  bare progenitor's module adds under a second: the ratio is noise; measure a larger document");
    }
    let measured = format!(
        "{ratio:.2} ({name}, {operations} ops: ours {ours:+.1} s over {ours_without:.1} s, bare progenitor \
         {bare:+.1} s over {bare_without:.1} s; CPU time {cpu_ratio:.2})"
    );
    let figure = if release {
        "6. client build, release: time our module adds / bare progenitor's"
    } else {
        "6. client build, debug: time our module adds / bare progenitor's"
    };
    Ok(Row::new(figure, ratio, BUILD, measured))
}

/// The median of `values` (0 when empty).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn write(path: &Path, contents: &str) -> Result<()> {
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}
