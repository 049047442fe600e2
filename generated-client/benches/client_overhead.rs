//! Client overhead: requests per second of the generated client against the same request
//! written by hand with reqwest, through one shared `reqwest::Client`, and the heap each uses.
//!
//! An in-process HTTP/1.1 server on loopback (hyper, keep-alive, on its own thread) answers
//! every POST with the 200 example of Periskope's invite-members operation. The generated side
//! calls `periskope::Client::invite_members(body).send()` with the default retry policy;
//! the hand-written side sends the same POST with `reqwest::Client::post(..).header(..).json(..)`
//! and decodes the same type with `.json()`. Many short rounds alternate the order (generated
//! first, then hand-written first), so that both sides of a pair meet the same load on a shared
//! machine, and each ratio is the median of the per-pair ratios: with 20 ms rounds it stays
//! within about ±0.01 from run to run where 250 ms rounds varied by ±0.05.
//!
//! ```sh
//! cargo bench -p periskope-wapikit --bench client_overhead
//! ```
//!
//! `BENCH_ROUNDS` (default 250), `BENCH_ROUND_MS` (default 20) and `BENCH_CONCURRENCY`
//! (in-flight requests, default `1,8`) change the run; `BENCH_ONLY=generated` (or
//! `hand-written`) with `BENCH_REQUESTS=n` sends n requests from one side only, for a profiler. Started without `--bench`, as
//! `cargo test --benches` does, it makes two short rounds as a smoke test. The last line,
//! `bench-result client_overhead ratio=X.XXXX peak_rss_kib=N`, gives the lowest ratio over the
//! concurrencies and the peak memory, for `cargo xtask bench` to read.

use std::alloc::{GlobalAlloc, Layout, System};
use std::convert::Infallible;
use std::hint::black_box;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use periskope_wapikit::periskope::{self, types};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use tokio::task::JoinSet;

const API_KEY: &str = "psk-bench-key";

// Counting every allocation costs both sides the same, and tells how much heap each one uses.
#[global_allocator]
static ALLOCATOR: Counting = Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting allocations, bytes allocated, bytes in use and their peak.
struct Counting;

impl Counting {
    fn grew(bytes: usize) {
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED.fetch_add(bytes as u64, Relaxed);
        let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
        PEAK.fetch_max(live, Relaxed);
    }
}

// SAFETY: every call is passed on unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are those `System.alloc` needs.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            Self::grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            Self::grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`, as the caller guarantees.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` is valid as the caller guarantees.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                Self::grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        new
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Generated,
    HandWritten,
}

/// Both sides' clients, sharing one `reqwest::Client`.
struct Clients {
    generated: periskope::Client,
    http: reqwest::Client,
    url: String,
    auth: HeaderValue,
}

impl Clients {
    async fn call(&self, side: Side) {
        match side {
            Side::Generated => {
                let response = self.generated.invite_members(invite_body()).send().await;
                black_box(response.expect("the generated call succeeds").into_inner());
            }
            Side::HandWritten => {
                black_box(self.hand_written().await.expect("the hand-written call succeeds"));
            }
        }
    }

    /// The same request as `invite_members().send()`, as one would write it with reqwest.
    async fn hand_written(&self) -> reqwest::Result<types::InviteMembersResponse> {
        self.http
            .post(&self.url)
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .json(&invite_body())
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }
}

/// The request body both sides send, built for every request as a caller would.
fn invite_body() -> types::InviteMembersBody {
    types::InviteMembersBody::builder(["test@example.com"])
        .labels(vec!["Sales".to_string()])
        .org_phones(vec!["918824248940".to_string()])
        .role(types::MemberRole::Member)
        .try_into()
        .expect("the body has every required field")
}

/// The invite-members 200 example from the vendored spec, as JSON.
fn invite_example() -> Bytes {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/periskope/invite-members.yaml");
    let text = std::fs::read_to_string(&path).expect("the vendored spec is readable");
    let spec: serde_json::Value = serde_yaml_ng::from_str(&text).expect("the vendored spec parses");
    let example = spec
        .pointer("/paths/~1members~1invite/post/responses/200/content/application~1json/examples/200 OK/value")
        .expect("the spec has the invite-members 200 example");
    Bytes::from(serde_json::to_vec(example).expect("the example encodes"))
}

/// Starts a keep-alive HTTP/1.1 server on its own thread that reads each request's body and
/// answers `body` as JSON.
fn start_server(body: Bytes) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.set_nonblocking(true).expect("a non-blocking listener");
    let addr = listener.local_addr().expect("the listener's address");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let _ = stream.set_nodelay(true);
                let body = body.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: hyper::Request<Incoming>| {
                        let body = body.clone();
                        async move {
                            let _ = request.into_body().collect().await;
                            let mut response = hyper::Response::new(Full::new(body));
                            response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let connection = hyper::server::conn::http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service);
                    let _ = connection.await;
                });
            }
        });
    });
    addr
}

/// What one round of one side measured.
struct Round {
    per_second: f64,
    allocations_per_request: f64,
    bytes_per_request: f64,
    /// The most heap in use during the round, above what was in use when it started.
    peak_heap: usize,
    /// CPU time of the client's thread per request, in nanoseconds: unlike requests per
    /// second, it hardly changes when other processes take the machine's cores.
    cpu_per_request: Option<f64>,
}

async fn round(clients: &Arc<Clients>, side: Side, concurrency: usize, length: Duration) -> Round {
    let live = LIVE.load(Relaxed);
    PEAK.store(live, Relaxed);
    let (allocations, allocated) = (ALLOCATIONS.load(Relaxed), ALLOCATED.load(Relaxed));
    let cpu = thread_cpu_ns();
    let started = Instant::now();
    let deadline = started + length;
    let mut workers = JoinSet::new();
    for _ in 0..concurrency {
        let clients = Arc::clone(clients);
        workers.spawn(async move {
            let mut requests = 0u64;
            while Instant::now() < deadline {
                clients.call(side).await;
                requests += 1;
            }
            requests
        });
    }
    let mut requests = 0;
    while let Some(done) = workers.join_next().await {
        requests += done.expect("a worker finishes");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let count = requests.max(1) as f64;
    Round {
        per_second: requests as f64 / elapsed,
        allocations_per_request: (ALLOCATIONS.load(Relaxed) - allocations) as f64 / count,
        bytes_per_request: (ALLOCATED.load(Relaxed) - allocated) as f64 / count,
        peak_heap: PEAK.load(Relaxed).saturating_sub(live),
        cpu_per_request: cpu.zip(thread_cpu_ns()).map(|(before, after)| (after - before) as f64 / count),
    }
}

/// The CPU time this thread has run, in nanoseconds, where Linux's `/proc` tells it.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) { (values[middle - 1] + values[middle]) / 2.0 } else { values[middle] }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|value| value.trim().parse().ok()).unwrap_or(default)
}

/// The peak resident set of the whole process (`VmHWM`), in KiB, where Linux reports it.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()
}

fn kib(bytes: f64) -> String {
    format!("{:.1} KiB", bytes / 1024.0)
}

/// Measures one concurrency; returns the median ratio.
async fn compare(clients: &Arc<Clients>, concurrency: usize, rounds: usize, length: Duration) -> f64 {
    // Warm both sides up: connections opened, pools filled, caches warm.
    for side in [Side::Generated, Side::HandWritten] {
        round(clients, side, concurrency, Duration::from_millis(200)).await;
    }
    let (mut generated, mut hand_written) = (Vec::new(), Vec::new());
    for index in 0..rounds {
        let order = if index.is_multiple_of(2) {
            [Side::Generated, Side::HandWritten]
        } else {
            [Side::HandWritten, Side::Generated]
        };
        for side in order {
            let measured = round(clients, side, concurrency, length).await;
            match side {
                Side::Generated => generated.push(measured),
                Side::HandWritten => hand_written.push(measured),
            }
        }
    }
    let ratios: Vec<f64> = generated.iter().zip(&hand_written).map(|(a, b)| a.per_second / b.per_second).collect();
    let lowest = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ratio = median(ratios);
    let rate = |rounds: &[Round]| median(rounds.iter().map(|r| r.per_second).collect());
    println!(
        "concurrency {concurrency}: generated {:.0} req/s, hand-written {:.0} req/s, ratio {ratio:.3} \
         (median of {rounds} paired rounds of {} ms, {lowest:.3}..{highest:.3})",
        rate(&generated),
        rate(&hand_written),
        length.as_millis()
    );
    let cpu = |rounds: &[Round]| {
        let values: Option<Vec<f64>> = rounds.iter().map(|r| r.cpu_per_request).collect();
        values.map(median)
    };
    if let (Some(a), Some(b)) = (cpu(&generated), cpu(&hand_written)) {
        println!(
            "  client thread CPU per request: generated {:.1} µs, hand-written {:.1} µs (hand-written/generated {:.3})",
            a / 1000.0,
            b / 1000.0,
            b / a
        );
    }
    let allocations = |rounds: &[Round]| median(rounds.iter().map(|r| r.allocations_per_request).collect());
    let bytes = |rounds: &[Round]| median(rounds.iter().map(|r| r.bytes_per_request).collect());
    println!(
        "  heap per request (client and server): generated {:.1} allocations / {}, hand-written {:.1} / {}",
        allocations(&generated),
        kib(bytes(&generated)),
        allocations(&hand_written),
        kib(bytes(&hand_written))
    );
    let peak = |rounds: &[Round]| kib(rounds.iter().map(|r| r.peak_heap).max().unwrap_or(0) as f64);
    println!(
        "  peak heap in use (client and server, above idle): generated {}, hand-written {}",
        peak(&generated),
        peak(&hand_written)
    );
    ratio
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let rounds = if full { env_or("BENCH_ROUNDS", 250usize) } else { 2 };
    let length = Duration::from_millis(if full { env_or("BENCH_ROUND_MS", 20u64) } else { 100 });
    let concurrencies: Vec<usize> = std::env::var("BENCH_CONCURRENCY")
        .unwrap_or_else(|_| "1,8".to_string())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .filter(|n| *n > 0)
        .collect();

    let example = invite_example();
    let expected: types::InviteMembersResponse = serde_json::from_slice(&example).expect("the example decodes");
    let addr = start_server(example);
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("a reqwest client");
    let generated = periskope::Client::builder(API_KEY)
        .base_url(format!("http://{addr}/v1"))
        .http_client(http.clone())
        .build()
        .expect("the generated client builds");
    let auth = HeaderValue::from_str(&format!("Bearer {API_KEY}")).expect("a header value");
    let clients = Arc::new(Clients { generated, http, url: format!("http://{addr}/v1/members/invite"), auth });

    // Both sides share one thread, and the server has the other core.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    if let Ok(only) = std::env::var("BENCH_ONLY") {
        // One side alone, for a profiler: `BENCH_ONLY=generated|hand-written BENCH_REQUESTS=n`.
        let side = if only == "generated" { Side::Generated } else { Side::HandWritten };
        let requests = env_or("BENCH_REQUESTS", 10_000u64);
        runtime.block_on(async {
            for _ in 0..requests {
                clients.call(side).await;
            }
        });
        return;
    }
    let worst = runtime.block_on(async {
        let sent = clients.generated.invite_members(invite_body()).send().await;
        assert_eq!(sent.expect("the generated call succeeds").into_inner(), expected);
        assert_eq!(clients.hand_written().await.expect("the hand-written call succeeds"), expected);
        let mut worst = f64::INFINITY;
        for concurrency in concurrencies {
            worst = worst.min(compare(&clients, concurrency, rounds, length).await);
        }
        worst
    });
    // The one line `cargo xtask bench` reads and judges against its bar.
    let rss = peak_rss().map(|kib| format!(" peak_rss_kib={kib}")).unwrap_or_default();
    println!("bench-result client_overhead ratio={worst:.4}{rss}");
}
