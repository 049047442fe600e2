//! Fetching upstream documents: concurrently, with a timeout, a body size limit and bounded
//! retries, from upstream or from a mirror.
//!
//! An upstream host is not trusted to behave: every request has one deadline from connecting
//! to the last byte of the body (so a slow drip of headers or body ends with it), the body
//! limit is enforced while the body streams in (so an endless body costs at most the limit),
//! redirects are followed only within the same host and at most a few times, and a body must
//! be text: a binary content type, a non-UTF-8 charset, a content encoding we did not ask for
//! or bytes that are not UTF-8 are errors naming the URL.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use reqwest::{StatusCode, Url, redirect};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// The `User-Agent` of every request: names the tool so upstream can tell who is asking.
pub const USER_AGENT: &str =
    concat!("openapi-clients-xtask-drift/", env!("CARGO_PKG_VERSION"), " (cargo xtask drift; API docs drift check)");

/// The longest wait between two attempts, whatever `Retry-After` asks for.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// The most redirects followed for one request; docs hosts need one or two at most.
pub const MAX_REDIRECTS: usize = 5;

/// How to fetch.
#[derive(Debug, Clone)]
pub struct Options {
    /// Fetch `https://HOST/PATH` from `{mirror}/HOST/PATH` instead.
    pub mirror: Option<String>,
    /// Limit for one request, from connecting to the end of the body.
    pub timeout: Duration,
    /// Extra attempts after a connect error, a 429 or a 5xx.
    pub retries: u32,
    /// Pause before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// Requests in flight at once.
    pub jobs: usize,
    /// Largest body accepted, in bytes.
    pub max_body_bytes: u64,
}

/// A successfully fetched document.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL that was actually requested (the mirror's, with `--mirror`).
    pub fetched_from: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body as text.
    pub body: String,
}

/// Fetches every URL concurrently; the results come back in the order of `urls`.
///
/// Fails as a whole only when no HTTP client or runtime can be built; each URL's own failure
/// is in its result.
pub fn fetch_all(urls: &[String], options: &Options) -> Result<Vec<Result<Fetched>>> {
    // reqwest is built without a default crypto provider (aws-lc would double the cold build
    // time); installing ring's fails only when a provider is already installed, which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(options.timeout)
        .connect_timeout(options.timeout.min(Duration::from_secs(10)))
        .redirect(redirect::Policy::custom(|attempt| match redirect_refusal(attempt.previous(), attempt.url()) {
            Some(refusal) => attempt.error(refusal),
            None => attempt.follow(),
        }))
        .build()
        .context("cannot build the HTTP client")?;
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
    let progress = Progress::new(urls.len());
    runtime.block_on(async {
        let limit = Arc::new(Semaphore::new(options.jobs.max(1)));
        let mut tasks = JoinSet::new();
        for (i, url) in urls.iter().enumerate() {
            let (client, limit, options, url) = (client.clone(), limit.clone(), options.clone(), url.clone());
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await;
                let started = Instant::now();
                let result = fetch_one(&client, &url, &options).await;
                (i, url, started.elapsed(), result)
            });
        }
        let mut results: Vec<Option<Result<Fetched>>> = urls.iter().map(|_| None).collect();
        while let Some(joined) = tasks.join_next().await {
            let (i, url, elapsed, result) = joined.context("a fetch task failed")?;
            progress.done(&url, elapsed, &result);
            results[i] = Some(result);
        }
        Ok(results.into_iter().map(|r| r.unwrap_or_else(|| Err(anyhow!("the fetch never finished")))).collect())
    })
}

/// The URL to request for an upstream URL: itself, or its place on the mirror.
pub fn target_url(url: &str, mirror: Option<&str>) -> Result<String> {
    let Some(mirror) = mirror else { return Ok(url.to_string()) };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .with_context(|| format!("{url} is not an http(s) URL, so it has no place on the mirror"))?;
    Ok(format!("{}/{rest}", mirror.trim_end_matches('/')))
}

async fn fetch_one(client: &reqwest::Client, url: &str, options: &Options) -> Result<Fetched> {
    let target = target_url(url, options.mirror.as_deref())?;
    let mut attempt = 0;
    loop {
        let retry_left = attempt < options.retries;
        let backoff = options.backoff.saturating_mul(2u32.saturating_pow(attempt)).min(MAX_RETRY_WAIT);
        let response = match client.get(&target).send().await {
            Ok(response) => response,
            Err(err) if err.is_connect() && retry_left => {
                attempt += 1;
                tokio::time::sleep(backoff).await;
                continue;
            }
            Err(err) => return Err(request_error(&target, &err, options, attempt)),
        };
        let status = response.status();
        if (status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()) && retry_left {
            let wait = retry_after(&response).unwrap_or(backoff).min(MAX_RETRY_WAIT);
            attempt += 1;
            tokio::time::sleep(wait).await;
            continue;
        }
        if !status.is_success() {
            let attempts = if attempt == 0 { String::new() } else { format!(" after {} attempts", attempt + 1) };
            let hint = match status {
                StatusCode::NOT_FOUND | StatusCode::GONE => {
                    "upstream moved or removed it; find the new URL (the docs index lists every page) and update specs/sources.toml"
                }
                StatusCode::TOO_MANY_REQUESTS => "upstream is rate limiting; try again later",
                s if s.is_server_error() => "upstream has a problem; try again later",
                _ => "check the URL in specs/sources.toml",
            };
            // A redirect the client did not follow: one without a usable `Location`, or to a
            // URL that is not http(s), which the redirect policy never sees.
            if status.is_redirection() {
                let location = response.headers().get(LOCATION).map(|v| String::from_utf8_lossy(v.as_bytes()));
                let location = location.as_deref().unwrap_or("nowhere (no Location header)");
                bail!(
                    "GET {target}: HTTP {status}, a redirect to {location} that was not followed (only http(s) \
                     redirects on the same host are); {hint}"
                );
            }
            bail!("GET {target}: HTTP {status}{attempts}; {hint}");
        }
        let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        check_text(&target, &response, content_type.as_deref())?;
        let body = read_body(response, &target, options).await?;
        return Ok(Fetched { fetched_from: target, content_type, body });
    }
}

/// Reads a body of at most `max_body_bytes`, refusing early when `Content-Length` says more.
async fn read_body(mut response: reqwest::Response, target: &str, options: &Options) -> Result<String> {
    let max = options.max_body_bytes;
    let too_big = || {
        anyhow!(
            "GET {target}: the body is larger than {max} bytes (--max-body-bytes); \
             this is not the document expected, check the URL in specs/sources.toml"
        )
    };
    if response.content_length().is_some_and(|len| len > max) {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| request_error(target, &err, options, 0).context("while reading the body"))?
    {
        if (bytes.len() + chunk.len()) as u64 > max {
            return Err(too_big());
        }
        bytes.extend_from_slice(&chunk);
    }
    let mut text = String::from_utf8(bytes).map_err(|err| {
        anyhow!("GET {target}: the body is not UTF-8 text (invalid byte at offset {})", err.utf8_error().valid_up_to())
    })?;
    if text.starts_with('\u{feff}') {
        text.remove(0);
    }
    Ok(text)
}

/// Why a redirect is not followed.
#[derive(Debug)]
pub struct RedirectRefused(String);

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RedirectRefused {}

/// Whether to refuse a redirect to `next`, given the URLs requested so far (the first is the
/// original request): only http(s) on the original host and port, no downgrade from https,
/// no URL twice, at most [`MAX_REDIRECTS`]. A document that moved to another host must be
/// re-pointed in `specs/sources.toml` by a maintainer, not followed silently.
pub fn redirect_refusal(previous: &[Url], next: &Url) -> Option<RedirectRefused> {
    let first = previous.first()?;
    let last = previous.last().unwrap_or(first);
    let refuse = |why: String| Some(RedirectRefused(why));
    if !matches!(next.scheme(), "http" | "https") {
        return refuse(format!("redirected to {next}, which is not an http(s) URL; refused"));
    }
    if last.scheme() == "https" && next.scheme() == "http" {
        return refuse(format!("redirected from https to plain http ({next}); refused"));
    }
    // An upgrade from http to https changes the default port, not the host.
    let upgrade =
        first.scheme() == "http" && next.scheme() == "https" && first.port().is_none() && next.port().is_none();
    if next.host_str() != first.host_str()
        || (next.port_or_known_default() != first.port_or_known_default() && !upgrade)
    {
        return refuse(format!(
            "redirected to another host ({next}); refused: if the document moved, check the new URL and update \
             specs/sources.toml"
        ));
    }
    if previous.contains(next) {
        return refuse(format!("redirect loop: {next} was already requested"));
    }
    if previous.len() > MAX_REDIRECTS {
        return refuse(format!("more than {MAX_REDIRECTS} redirects (the last to {next}); refused"));
    }
    None
}

/// Refuses a response whose headers say it is not UTF-8 text: a binary content type, another
/// charset, or a content encoding (compression) we did not ask for and do not decode.
///
/// `application/octet-stream` says nothing about the content (S3 buckets and servers without
/// a YAML type label everything so), so it is judged by the bytes like a missing type: they
/// must be UTF-8, the page must not be HTML, and the text must then read as Markdown or YAML.
fn check_text(target: &str, response: &reqwest::Response, content_type: Option<&str>) -> Result<()> {
    if let Some(encoding) = response.headers().get(CONTENT_ENCODING) {
        let encoding = String::from_utf8_lossy(encoding.as_bytes());
        if !encoding.trim().eq_ignore_ascii_case("identity") {
            bail!(
                "GET {target}: the body is sent with Content-Encoding `{encoding}`, which was not asked for; \
                 expected plain text"
            );
        }
    }
    let Some(content_type) = content_type else { return Ok(()) };
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    let text = match kind {
        "text" => true,
        "application" | "binary" if subtype == "octet-stream" => true,
        "application" => {
            matches!(subtype, "yaml" | "x-yaml" | "json" | "markdown" | "x-markdown")
                || subtype.ends_with("+json")
                || subtype.ends_with("+yaml")
        }
        _ => false,
    };
    if !text {
        bail!(
            "GET {target}: got Content-Type `{content_type}`, which is not text; expected Markdown or YAML, \
             check the URL in specs/sources.toml"
        );
    }
    for parameter in parts {
        if let Some((name, value)) = parameter.split_once('=')
            && name.trim().eq_ignore_ascii_case("charset")
        {
            let charset = value.trim().trim_matches('"');
            if !charset.eq_ignore_ascii_case("utf-8") && !charset.eq_ignore_ascii_case("us-ascii") {
                bail!("GET {target}: the body is in charset `{charset}`; expected UTF-8");
            }
        }
    }
    Ok(())
}

fn request_error(target: &str, err: &reqwest::Error, options: &Options, attempt: u32) -> anyhow::Error {
    let attempts = if attempt == 0 { String::new() } else { format!(" after {} attempts", attempt + 1) };
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<RedirectRefused>() {
            return anyhow!("GET {target}: {refused}");
        }
        source = cause.source();
    }
    if err.is_timeout() {
        anyhow!(
            "GET {target}: no complete response within {:.1} s{attempts}; upstream may be slow or down, \
             try again later or raise --timeout",
            options.timeout.as_secs_f64()
        )
    } else if err.is_connect() {
        anyhow!("GET {target}: cannot connect{attempts}: {}; check the network and try again", error_chain(err))
    } else {
        anyhow!("GET {target}: {}{attempts}", error_chain(err))
    }
}

/// reqwest's error with its sources, which say what really went wrong.
fn error_chain(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `Retry-After` in seconds (the HTTP-date form is rare for docs hosts and is ignored).
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// One line per finished fetch on a terminal; silent in CI and when stderr is redirected.
struct Progress {
    enabled: bool,
    total: usize,
    done: std::cell::Cell<usize>,
}

impl Progress {
    fn new(total: usize) -> Self {
        let enabled = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Progress { enabled, total, done: std::cell::Cell::new(0) }
    }

    fn done(&self, url: &str, elapsed: Duration, result: &Result<Fetched>) {
        self.done.set(self.done.get() + 1);
        if !self.enabled {
            return;
        }
        let outcome = match result {
            Ok(fetched) => format!("{} KiB", fetched.body.len().div_ceil(1024)),
            Err(_) => "failed".into(),
        };
        eprintln!("[{}/{}] {url} ({outcome}, {:.1} s)", self.done.get(), self.total, elapsed.as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirror_maps_host_and_path() {
        let url = "https://docs.periskope.app/api-reference/members/invite-members.md";
        assert_eq!(
            target_url(url, Some("http://127.0.0.1:9/")).ok().as_deref(),
            Some("http://127.0.0.1:9/docs.periskope.app/api-reference/members/invite-members.md")
        );
        assert_eq!(target_url(url, None).ok().as_deref(), Some(url));
        assert!(target_url("ftp://x/y", Some("http://m")).is_err());
    }

    fn url(text: &str) -> Url {
        Url::parse(text).expect("a valid URL")
    }

    fn refusal(chain: &[&str], next: &str) -> Option<String> {
        let previous: Vec<Url> = chain.iter().map(|u| url(u)).collect();
        redirect_refusal(&previous, &url(next)).map(|r| r.to_string())
    }

    #[test]
    fn redirects_stay_on_the_host() {
        let start = "https://docs.example.test/a.md";
        assert_eq!(refusal(&[start], "https://docs.example.test/b.md"), None);
        // Upgrading to https on the same host is fine; the port is the scheme's default.
        assert_eq!(refusal(&["http://docs.example.test/a.md"], "https://docs.example.test/b.md"), None);
        let other = refusal(&[start], "https://evil.example.test/a.md").unwrap_or_default();
        assert!(other.contains("another host"), "{other}");
        let port = refusal(&["http://127.0.0.1:8080/a"], "http://127.0.0.1:8081/a").unwrap_or_default();
        assert!(port.contains("another host"), "{port}");
        let down = refusal(&[start], "http://docs.example.test/a.md").unwrap_or_default();
        assert!(down.contains("from https to plain http"), "{down}");
        let scheme = refusal(&[start], "file:///etc/passwd").unwrap_or_default();
        assert!(scheme.contains("not an http(s) URL"), "{scheme}");
    }

    #[test]
    fn redirect_loops_and_long_chains_are_refused() {
        let a = "https://docs.example.test/a.md";
        let b = "https://docs.example.test/b.md";
        assert!(refusal(&[a, b], a).unwrap_or_default().contains("redirect loop"));
        let chain: Vec<String> = (0..=MAX_REDIRECTS).map(|i| format!("https://docs.example.test/{i}")).collect();
        let chain: Vec<&str> = chain.iter().map(String::as_str).collect();
        assert!(refusal(&chain, "https://docs.example.test/next").unwrap_or_default().contains("more than 5"));
        assert_eq!(refusal(&chain[..MAX_REDIRECTS], "https://docs.example.test/next"), None);
    }
}
