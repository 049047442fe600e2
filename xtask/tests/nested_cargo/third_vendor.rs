//! A vendor is a spec, a line in `specs/sources.toml` and a few lines of Rust: a third vendor is
//! added end to end to a copy of the workspace (a small spec written for this test, its sources
//! entry, a module of at most 15 hand-written lines and its line in `lib.rs`), then
//! `cargo xtask regen` generates its client, and the copy compiles and calls it over loopback.

use crate::common::{client_workspace, text, workspace_root, xtask};

#[test]
fn a_third_vendor_is_a_spec_a_sources_entry_and_a_short_module() {
    let workspace = workspace_root();
    let fixtures = workspace.join("xtask/tests/fixtures/third_vendor");
    let dir = client_workspace(&["generated-client"]);
    let root = dir.path();

    // The spec and its sources entry.
    std::fs::create_dir_all(root.join("specs/greetings")).expect("create dir");
    std::fs::copy(fixtures.join("greetings.yaml"), root.join("specs/greetings/greetings.yaml")).expect("copy spec");
    let mut sources = std::fs::read_to_string(root.join("specs/sources.toml")).expect("sources.toml");
    sources.push_str(
        "\n[[source]]\nvendor = \"greetings\"\nfile = \"greetings/greetings.yaml\"\nkind = \"openapi-document\"\nurl = \"https://greetings.invalid/openapi.yaml\"\n",
    );
    std::fs::write(root.join("specs/sources.toml"), sources).expect("write sources.toml");

    // The hand-written module, and its line in lib.rs.
    let module = std::fs::read_to_string(fixtures.join("mod.rs")).expect("mod.rs");
    assert!(module.lines().count() <= 15, "the vendor module has {} lines", module.lines().count());
    std::fs::create_dir_all(root.join("generated-client/src/greetings")).expect("create dir");
    std::fs::write(root.join("generated-client/src/greetings/mod.rs"), module).expect("write mod.rs");
    let lib_path = root.join("generated-client/src/lib.rs");
    let lib = std::fs::read_to_string(&lib_path).expect("lib.rs");
    std::fs::write(&lib_path, format!("{lib}\npub mod greetings;\n")).expect("write lib.rs");

    let out = xtask(root, &["regen"]);
    assert!(out.status.success(), "regen failed: {}{}", text(&out.stdout), text(&out.stderr));
    assert!(root.join("generated-client/src/greetings/generated.rs").is_file(), "{}", text(&out.stdout));

    std::fs::copy(fixtures.join("loopback.rs"), root.join("generated-client/tests/greetings_loopback.rs"))
        .expect("copy the loopback test");
    let out = crate::cargo(root)
        .args(["test", "-p", "periskope-wapikit", "--test", "greetings_loopback", "--message-format", "short"])
        .args(crate::CLIENT_FEATURES)
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
