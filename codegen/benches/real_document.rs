//! Our generator against bare progenitor on one real document: the price of everything we do
//! over what a progenitor user gets. Bare progenitor parses the document into
//! `openapiv3::OpenAPI` (as JSON when its text starts with `{`, as YAML otherwise), generates
//! with the same builder interface and tag style as ours, parses the tokens with syn and
//! prints with prettyplease; ours is the whole of `codegen::generate_timed`. The two run
//! alternately, `REAL_DOCUMENT_ROUNDS` rounds (default 5), and the medians count; the bench
//! prints their ratio and our steps, and asserts nothing about time.
//!
//! Real documents are not committed (`codegen/REAL_WORLD.md` says where each comes from), so
//! the document is named by `REAL_DOCUMENT=path/to/oxide.json`; the files it refers to
//! (`$ref: models/X.json`) are read from its folder. Run with
//! `REAL_DOCUMENT=... cargo bench -p codegen --bench real_document` (`cargo xtask bench
//! --document PATH` runs it too). Without `REAL_DOCUMENT`, or under `cargo test`, it only says
//! how to run it.

use std::path::Path;
use std::time::{Duration, Instant};

use codegen::{SpecFile, Timings, Vendor};

fn main() {
    let document = std::env::var_os("REAL_DOCUMENT");
    let (true, Some(document)) = (std::env::args().any(|arg| arg == "--bench"), document) else {
        println!("real_document: run with `REAL_DOCUMENT=path cargo bench -p codegen --bench real_document`");
        return;
    };
    let rounds: usize = std::env::var("REAL_DOCUMENT_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(5).max(1);
    let path = Path::new(&document);
    let text = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let name = path.file_name().map_or_else(|| "document".into(), |n| n.to_string_lossy().into_owned());
    let documents = [SpecFile { path: name.clone(), text }];
    let folder = path.parent().unwrap_or(Path::new("."));
    let referenced = codegen::openapi::read_referenced(&documents, |relative| {
        Ok::<_, codegen::Error>(std::fs::read_to_string(folder.join(relative)).ok())
    })
    .unwrap_or_else(|err| panic!("cannot read the files {name} refers to: {err}"));
    let vendor =
        Vendor { name: "bench", documents: &documents, referenced: &referenced, fixes: None, skip: &[], strict: false };

    let mut ours: Vec<(Duration, Timings)> = Vec::new();
    let mut bare: Vec<Duration> = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        let (_, timings) = codegen::generate_timed(vendor, "cargo bench")
            .unwrap_or_else(|err| panic!("{name} does not generate: {err}"));
        ours.push((start.elapsed(), timings));
        let start = Instant::now();
        bare_progenitor(&documents[0]).unwrap_or_else(|err| panic!("bare progenitor fails on {name}: {err}"));
        bare.push(start.elapsed());
    }
    ours.sort_by_key(|(time, _)| *time);
    bare.sort();
    let (ours_time, timings) = &ours[ours.len() / 2];
    let bare_time = bare[bare.len() / 2];
    let ratio = ours_time.as_secs_f64() / bare_time.as_secs_f64().max(f64::EPSILON);
    println!(
        "real_document: {name} ({} KiB), median of {rounds} alternating round(s), {} core(s)",
        documents[0].text.len() / 1024,
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "  ours {:.3} s, bare progenitor {:.3} s, ratio {ratio:.3}",
        ours_time.as_secs_f64(),
        bare_time.as_secs_f64()
    );
    println!("  our steps in the median run, ms:");
    for (step, time) in &timings.steps {
        println!("  {step:>22} {:>9.1}", time.as_secs_f64() * 1e3);
    }
    println!(
        "bench-result real_document ratio={ratio:.4} ours_seconds={:.4} bare_seconds={:.4}",
        ours_time.as_secs_f64(),
        bare_time.as_secs_f64()
    );
}

/// What a progenitor user does without our generator.
fn bare_progenitor(file: &SpecFile) -> Result<String, String> {
    let spec: openapiv3::OpenAPI = if file.text.trim_start().starts_with('{') {
        serde_json::from_str(&file.text).map_err(|err| err.to_string())?
    } else {
        serde_yaml_ng::from_str(&file.text).map_err(|err| err.to_string())?
    };
    let mut settings = progenitor::GenerationSettings::new();
    settings.with_interface(progenitor::InterfaceStyle::Builder).with_tag(progenitor::TagStyle::Merged);
    let tokens = progenitor::Generator::new(&settings).generate_tokens(&spec).map_err(|err| err.to_string())?;
    let file: syn::File = syn::parse2(tokens).map_err(|err| err.to_string())?;
    Ok(prettyplease::unparse(&file))
}
