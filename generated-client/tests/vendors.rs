//! Every vendor `specs/sources.toml` lists is wired into this crate the same way: a cargo
//! feature, a module in `lib.rs` declared with `api_client!`, and its generated example tests.
//! The list comes from `sources.toml`, so a new vendor cannot be half-added.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn vendors() -> BTreeSet<String> {
    #[derive(serde::Deserialize)]
    struct Sources {
        source: Vec<Source>,
    }
    #[derive(serde::Deserialize)]
    struct Source {
        vendor: String,
    }
    let sources: Sources = toml::from_str(&read("../specs/sources.toml")).expect("specs/sources.toml parses");
    sources.source.into_iter().map(|source| source.vendor).collect()
}

#[test]
fn every_listed_vendor_has_a_feature_a_declared_module_and_its_example_tests() {
    let vendors = vendors();
    assert!(!vendors.is_empty());
    let manifest = read("Cargo.toml");
    let lib = read("src/lib.rs");
    let examples = read("tests/examples.rs");
    let fuzzed = read("tests/fuzz_responses/operations.rs");
    for vendor in &vendors {
        assert!(manifest.contains(&format!("\n{vendor} = [")), "Cargo.toml has no `{vendor}` feature");
        assert!(
            lib.contains(&format!("#[cfg(feature = \"{vendor}\")]\npub mod {vendor};")),
            "src/lib.rs does not declare `pub mod {vendor}` behind its feature"
        );
        let module = read(&format!("src/{vendor}/mod.rs"));
        assert!(module.contains("crate::vendor::api_client! {"), "src/{vendor}/mod.rs does not declare its client");
        assert!(
            examples.contains(&format!("#[path = \"generated/{vendor}_examples.rs\"]")),
            "tests/examples.rs does not run the {vendor} example tests"
        );
        assert!(
            fuzzed.contains(&format!("#[path = \"../generated/{vendor}_operations.rs\"]")),
            "tests/fuzz_responses/operations.rs does not fuzz the {vendor} operations"
        );
    }
    let default = manifest.lines().find(|line| line.starts_with("default = ")).expect("default features");
    for vendor in &vendors {
        assert!(default.contains(&format!("\"{vendor}\"")), "`{vendor}` is not a default feature");
    }
}
