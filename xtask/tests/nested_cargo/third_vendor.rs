//! A vendor is a spec, a line in `specs/sources.toml` and a few lines of Rust: a third vendor is
//! added end to end to a copy of the workspace (a small spec written for this test, its sources
//! entry, a module of at most 15 hand-written lines and its line in `lib.rs`), then
//! `cargo xtask regen` generates its client, and the copy compiles and calls it over loopback.

use crate::common::{fixed_client_workspace, text, workspace_root, write_if_changed, xtask};

#[test]
fn a_third_vendor_is_a_spec_a_sources_entry_and_a_short_module() {
    let workspace = workspace_root();
    let fixtures = workspace.join("xtask/tests/fixtures/third_vendor");
    // A copy kept between runs; the two files this test rewrites come from the checkout.
    let (lib_file, sources_file) = ("generated-client/src/lib.rs", "specs/sources.toml");
    let dir = fixed_client_workspace("third-vendor", &["generated-client"], &[lib_file, sources_file]);
    let root = dir.as_path();

    // The spec and its sources entry.
    let spec = std::fs::read(fixtures.join("greetings.yaml")).expect("read spec");
    write_if_changed(&root.join("specs/greetings/greetings.yaml"), spec);
    let mut sources = std::fs::read_to_string(workspace.join(sources_file)).expect("sources.toml");
    sources.push_str(
        "\n[[source]]\nvendor = \"greetings\"\nfile = \"greetings/greetings.yaml\"\nkind = \"openapi-document\"\nurl = \"https://greetings.invalid/openapi.yaml\"\n",
    );
    write_if_changed(&root.join(sources_file), sources);

    // The hand-written module, and its line in lib.rs.
    let module = std::fs::read_to_string(fixtures.join("mod.rs")).expect("mod.rs");
    assert!(module.lines().count() <= 15, "the vendor module has {} lines", module.lines().count());
    write_if_changed(&root.join("generated-client/src/greetings/mod.rs"), module);
    let lib = std::fs::read_to_string(workspace.join(lib_file)).expect("lib.rs");
    write_if_changed(&root.join(lib_file), format!("{lib}\npub mod greetings;\n"));

    let out = xtask(root, &["regen"]);
    assert!(out.status.success(), "regen failed: {}{}", text(&out.stdout), text(&out.stderr));
    assert!(root.join("generated-client/src/greetings/generated.rs").is_file(), "{}", text(&out.stdout));

    let loopback = std::fs::read(fixtures.join("loopback.rs")).expect("read the loopback test");
    write_if_changed(&root.join("generated-client/tests/greetings_loopback.rs"), loopback);
    let out = crate::cargo(root)
        .args(["test", "-p", "periskope-wapikit", "--test", "greetings_loopback", "--message-format", "short"])
        .args(xtask::scratch::CLIENT_FEATURES)
        .env_remove("GREETINGS_API_KEY")
        .output()
        .expect("cargo runs");
    let stdout = text(&out.stdout);
    assert!(
        out.status.success(),
        "the third vendor does not compile or its call fails:\n{}\n{stdout}",
        text(&out.stderr)
    );
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
}
