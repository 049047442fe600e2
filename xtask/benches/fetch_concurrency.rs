//! How much concurrent fetching saves: `cargo xtask drift` on 50 docs pages served by a
//! loopback server that answers each request after 100 ms, once with `--jobs 1` (what a
//! sequential fetch costs, about 5 s) and once with the default concurrency. Prints both
//! wall-clock times and their ratio; it asserts nothing about time.
//!
//! Run with `cargo bench -p xtask --bench fetch_concurrency`. Under `cargo test` it only
//! says how to run it.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAGES: usize = 50;
const DELAY: Duration = Duration::from_millis(100);

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("fetch_concurrency: run with `cargo bench -p xtask --bench fetch_concurrency`");
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let server = runtime.block_on(MockServer::start());
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("specs/bench")).expect("create specs");

    let mut sources = String::new();
    for i in 0..PAGES {
        let yaml = format!(
            "openapi: 3.0.3\ninfo:\n  title: Bench\n  version: 1.0.0\npaths:\n  /page-{i}:\n    get:\n      \
             operationId: page{i}\n      responses:\n        '200':\n          description: OK\n"
        );
        std::fs::write(root.join(format!("specs/bench/page-{i}.yaml")), &yaml).expect("write spec");
        let url = format!("https://docs.example.test/api-reference/bench/page-{i}.md");
        let _ = write!(
            sources,
            "[[source]]\nvendor = \"bench\"\nfile = \"bench/page-{i}.yaml\"\nkind = \"docs-page\"\nurl = \"{url}\"\n\n"
        );
        let page = format!("# Page {i}\n\n## OpenAPI\n\n````yaml GET /page-{i}\n{yaml}````\n");
        let response = ResponseTemplate::new(200).set_body_raw(page, "text/markdown").set_delay(DELAY);
        let mock = Mock::given(method("GET")).and(path(format!("/docs.example.test/api-reference/bench/page-{i}.md")));
        runtime.block_on(mock.respond_with(response).mount(&server));
    }
    std::fs::write(root.join("specs/sources.toml"), sources).expect("write sources.toml");

    let mirror = server.uri();
    // One warm-up run so that the first measurement does not pay for loading the binary.
    drift(root, &mirror, &["--jobs", "50"]);
    let sequential = drift(root, &mirror, &["--jobs", "1"]);
    let default = drift(root, &mirror, &[]);
    let wide = drift(root, &mirror, &["--jobs", "50"]);
    let floor = DELAY * PAGES as u32;
    println!("fetch_concurrency: {PAGES} pages, each answered after {} ms", DELAY.as_millis());
    println!("  --jobs 1 (sequential): {:>6.2} s (floor {:.1} s)", sequential.as_secs_f64(), floor.as_secs_f64());
    println!("  default (--jobs 8):    {:>6.2} s, {:.1}x faster", default.as_secs_f64(), ratio(sequential, default));
    println!("  --jobs 50:             {:>6.2} s, {:.1}x faster", wide.as_secs_f64(), ratio(sequential, wide));
    drop(server);
}

fn ratio(slow: Duration, fast: Duration) -> f64 {
    slow.as_secs_f64() / fast.as_secs_f64().max(f64::EPSILON)
}

/// Runs the check and returns its wall-clock time; the pages match their specs, so it must
/// exit 0.
fn drift(root: &Path, mirror: &str, extra: &[&str]) -> Duration {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(["drift", "--mirror", mirror])
        .args(extra)
        .env("CI", "true")
        .output()
        .expect("xtask runs");
    let elapsed = started.elapsed();
    assert!(
        out.status.success(),
        "xtask drift failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}
