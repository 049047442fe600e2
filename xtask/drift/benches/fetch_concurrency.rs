//! How much concurrent fetching saves: 50 docs pages served by a loopback server that answers
//! each request after 100 ms, fetched one after another (a plain reqwest client in this
//! process: the cost of a sequential check's network part, about 5 s), against the real
//! `cargo xtask drift` (the release binary with `--mirror`, default options: start-up,
//! fetching, extraction, comparison, report). Each round measures both, side by side; the
//! medians and their ratio are printed (`cargo xtask bench` judges it). It asserts nothing
//! about time.
//!
//! Run with `cargo bench -p drift --bench fetch_concurrency` (`cargo xtask bench` runs it
//! too); `FETCH_CONCURRENCY_ROUNDS=N` sets the rounds (default 3). Under `cargo test` it only
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
        println!("fetch_concurrency: run with `cargo bench -p drift --bench fetch_concurrency`");
        return;
    }
    let rounds: usize = std::env::var("FETCH_CONCURRENCY_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(3).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let server = runtime.block_on(MockServer::start());
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("specs/bench")).expect("create specs");

    let mut sources = String::new();
    let mut urls = Vec::new();
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
        let mirror_path = format!("/docs.example.test/api-reference/bench/page-{i}.md");
        urls.push(format!("{}{mirror_path}", server.uri()));
        let mock = Mock::given(method("GET")).and(path(mirror_path));
        runtime.block_on(mock.respond_with(response).mount(&server));
    }
    std::fs::write(root.join("specs/sources.toml"), sources).expect("write sources.toml");

    let mirror = server.uri();
    // The same client set-up as the drift check's (reqwest has no default crypto provider).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("HTTP client");
    // One warm-up of each, so that the first measurement does not pay for loading the binary
    // or opening the first connection.
    drift(root, &mirror);
    sequential(&runtime, &client, &urls[..1]);
    let (mut sequentials, mut drifts) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        sequentials.push(sequential(&runtime, &client, &urls));
        drifts.push(drift(root, &mirror));
    }
    let (sequential, drift) = (median(sequentials), median(drifts));
    let ratio = drift.as_secs_f64() / sequential.as_secs_f64().max(f64::EPSILON);
    let floor = DELAY * PAGES as u32;
    println!(
        "fetch_concurrency: {PAGES} pages, each answered after {} ms, median of {rounds} round(s)",
        DELAY.as_millis()
    );
    println!("  sequential fetch:        {:>6.2} s (floor {:.1} s)", sequential.as_secs_f64(), floor.as_secs_f64());
    println!(
        "  cargo xtask drift:       {:>6.2} s, {ratio:.3} of the sequential fetch (1/{:.1})",
        drift.as_secs_f64(),
        1.0 / ratio.max(f64::EPSILON)
    );
    println!(
        "bench-result fetch_concurrency ratio={ratio:.4} drift_seconds={:.4} sequential_seconds={:.4}",
        drift.as_secs_f64(),
        sequential.as_secs_f64()
    );
    drop(server);
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Fetches every URL one after another, reading each body, and returns the wall-clock time.
fn sequential(runtime: &tokio::runtime::Runtime, client: &reqwest::Client, urls: &[String]) -> Duration {
    let started = Instant::now();
    runtime.block_on(async {
        for url in urls {
            let response = client.get(url).send().await.expect("the page is served");
            assert!(response.status().is_success(), "{url}: {}", response.status());
            std::hint::black_box(response.text().await.expect("the body is read"));
        }
    });
    started.elapsed()
}

/// Runs the check and returns its wall-clock time; the pages match their specs, so it must
/// exit 0.
fn drift(root: &Path, mirror: &str) -> Duration {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_drift"))
        .arg("--root")
        .arg(root)
        .args(["--mirror", mirror])
        .env("CI", "true")
        .output()
        .expect("drift runs");
    let elapsed = started.elapsed();
    assert!(
        out.status.success(),
        "drift failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}
