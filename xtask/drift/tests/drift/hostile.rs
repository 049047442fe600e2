//! Hostile upstreams: an upstream (or whatever answers in its name) that redirects in circles
//! or to another host, drips its answer a byte at a time, never ends its body, sends binary or
//! mis-encoded content, or floods its headers. Each costs bounded time (short `--timeout`)
//! and memory (`--max-body-bytes`, enforced while the body streams), exits 2 with a message
//! naming the URL, and writes nothing even with `--update`. No assertion depends on how long
//! anything took.
//!
//! The cases, counted for SECURITY.md (the tests in `errors.rs` cover a silent server, HTML
//! instead of Markdown and a `Content-Length` over the limit):
//!
//! 1. a redirect to the same URL;
//! 2. a two-page redirect loop;
//! 3. an endless chain of new redirect URLs;
//! 4. a redirect to another host;
//! 5. a redirect to a `file:` URL;
//! 6. a body that drips in a byte at a time;
//! 7. a header block that drips in and never ends;
//! 8. an endless chunked body;
//! 9. an endless body without a length;
//! 10. a body shorter than its `Content-Length`;
//! 11. a flood of response headers;
//! 12. an image content type;
//! 13. an HTML page labelled `application/octet-stream` (the label is judged by the bytes, see
//!     `octet_stream_text_is_compared_normally`);
//! 14. a charset other than UTF-8;
//! 15. bytes that are not UTF-8;
//! 16. a compressed body nobody asked for.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::raw_server::{RawServer, Reply};
use super::support::{
    Run, Upstream, assert_could_not_check, drift, mirror_path, parse_yaml, scratch, set, snapshot, to_yaml,
};

const INVITE: &str = "periskope/invite-members.yaml";
const WAPIKIT: &str = "wapikit/wapikit.yaml";

/// Runs `drift --update` against `mirror` and checks: exit 2, every needle in stderr, nothing
/// written, no panic, and the other sources still checked and reported.
fn assert_refused(root: &Path, mirror: &str, extra: &[&str], needles: &[&str]) -> Run {
    let before = snapshot(root);
    let mut args = vec!["--mirror", mirror, "--retries", "0"];
    args.extend_from_slice(extra);
    assert_could_not_check(root, &before, &args, needles)
}

/// A scratch workspace whose upstream serves everything unchanged, plus `file`'s mirror path.
async fn wiremock_upstream(file: &str) -> (tempfile::TempDir, Upstream, String) {
    let dir = scratch(true);
    let upstream = Upstream::start(dir.path()).await;
    upstream.serve_unchanged().await;
    let page = mirror_path(&upstream.source(file).url);
    (dir, upstream, page)
}

fn redirect(location: &str) -> ResponseTemplate {
    ResponseTemplate::new(302).insert_header("location", location)
}

async fn mount(server: &MockServer, at: &str, template: ResponseTemplate) {
    Mock::given(method("GET")).and(path(at)).respond_with(template).with_priority(1).mount(server).await;
}

#[tokio::test]
async fn redirect_to_the_same_url_is_a_loop() {
    let (dir, upstream, page) = wiremock_upstream(INVITE).await;
    mount(&upstream.server, &page, redirect(&page)).await;
    assert_refused(dir.path(), &upstream.mirror(), &[], &["invite-members.md", "redirect loop"]);
}

#[tokio::test]
async fn two_page_redirect_loop_exits_2() {
    let (dir, upstream, page) = wiremock_upstream(INVITE).await;
    let other = page.replace("invite-members", "invite-members-moved");
    mount(&upstream.server, &page, redirect(&other)).await;
    mount(&upstream.server, &other, redirect(&page)).await;
    assert_refused(dir.path(), &upstream.mirror(), &[], &["redirect loop", "invite-members.md was already requested"]);
}

/// Redirects every request to a URL never seen before (`?hop=N+1`).
struct EndlessChain;

impl Respond for EndlessChain {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let hop: u32 = request
            .url
            .query_pairs()
            .find(|(key, _)| key == "hop")
            .and_then(|(_, value)| value.parse().ok())
            .unwrap_or(0);
        redirect(&format!("{}?hop={}", request.url.path(), hop + 1))
    }
}

#[tokio::test]
async fn endless_redirect_chain_stops_after_five() {
    let (dir, upstream, page) = wiremock_upstream(WAPIKIT).await;
    Mock::given(method("GET")).and(path(page.as_str())).respond_with(EndlessChain).mount(&upstream.server).await;
    assert_refused(dir.path(), &upstream.mirror(), &[], &["more than 5 redirects", "?hop=6"]);
    let requests = upstream.server.received_requests().await.unwrap_or_default();
    let hops = requests.iter().filter(|r| r.url.path() == page).count();
    assert_eq!(hops, 6, "the first request and five redirects");
}

#[tokio::test]
async fn redirect_to_another_host_is_not_followed() {
    let (dir, upstream, page) = wiremock_upstream(INVITE).await;
    // Another server serves the right page, so following the redirect would succeed.
    let elsewhere = MockServer::start().await;
    let body = upstream.body_for(INVITE, &upstream.vendored_text(INVITE));
    mount(&elsewhere, &page, ResponseTemplate::new(200).set_body_raw(body, "text/markdown")).await;
    mount(&upstream.server, &page, redirect(&format!("{}{page}", elsewhere.uri()))).await;
    assert_refused(dir.path(), &upstream.mirror(), &[], &["redirected to another host", "specs/sources.toml"]);
    let reached = elsewhere.received_requests().await.unwrap_or_default();
    assert!(reached.is_empty(), "the other host was asked: {reached:?}");
}

#[tokio::test]
async fn redirect_to_a_file_url_is_refused() {
    let (dir, upstream, page) = wiremock_upstream(INVITE).await;
    mount(&upstream.server, &page, redirect("file:///etc/passwd")).await;
    assert_refused(dir.path(), &upstream.mirror(), &[], &["file:///etc/passwd", "not followed"]);
}

#[tokio::test]
async fn redirect_on_the_same_host_is_followed() {
    // Not hostile: a page that moved within its host is still checked.
    let (dir, upstream, page) = wiremock_upstream(INVITE).await;
    let moved = page.replace("invite-members", "members-invite");
    let body = upstream.body_for(INVITE, &upstream.vendored_text(INVITE));
    mount(&upstream.server, &page, ResponseTemplate::new(301).insert_header("location", moved.as_str())).await;
    mount(&upstream.server, &moved, ResponseTemplate::new(200).set_body_raw(body, "text/markdown")).await;
    let run = drift(dir.path(), &["--mirror", &upstream.mirror()]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

/// A workspace and a raw server that serves everything unchanged, except `file`'s page, which
/// gets `reply`.
async fn raw_upstream(file: &str, reply: Reply) -> (tempfile::TempDir, RawServer) {
    let dir = scratch(true);
    let upstream = Upstream::start(dir.path()).await;
    let mut routes: HashMap<String, Reply> =
        upstream.unchanged().into_iter().map(|(url, mime, body)| (mirror_path(&url), Reply::ok(mime, body))).collect();
    routes.insert(mirror_path(&upstream.source(file).url), reply);
    (dir, RawServer::start(routes))
}

const HEAD_200: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/markdown; charset=utf-8\r\n";

#[tokio::test]
async fn slow_drip_body_hits_the_deadline() {
    // Headers at once, then the body a byte at a time: each byte resets no timer, the one
    // deadline for the whole request ends it.
    let head = format!("{HEAD_200}Content-Length: 1000000\r\n\r\n").into_bytes();
    let drip = Reply::Forever { head, chunk: b"#".to_vec(), pause: Duration::from_millis(20) };
    let (dir, server) = raw_upstream(INVITE, drip).await;
    assert_refused(
        dir.path(),
        &server.uri(),
        &["--timeout", "1"],
        &["invite-members.md", "no complete response within 1.0 s"],
    );
}

#[tokio::test]
async fn slow_drip_headers_hit_the_deadline() {
    let head = b"HTTP/1.1 200 OK\r\n".to_vec();
    let drip = Reply::Forever { head, chunk: b"X-Drip: 1\r\n".to_vec(), pause: Duration::from_millis(20) };
    let (dir, server) = raw_upstream(INVITE, drip).await;
    assert_refused(dir.path(), &server.uri(), &["--timeout", "1"], &["invite-members.md", "no complete response"]);
}

#[tokio::test]
async fn endless_chunked_body_stops_at_the_limit() {
    let head = format!("{HEAD_200}Transfer-Encoding: chunked\r\n\r\n").into_bytes();
    let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
    chunk.extend(std::iter::repeat_n(b'#', 64 * 1024));
    chunk.extend_from_slice(b"\r\n");
    let endless = Reply::Forever { head, chunk, pause: Duration::ZERO };
    let (dir, server) = raw_upstream(INVITE, endless).await;
    assert_refused(
        dir.path(),
        &server.uri(),
        &["--max-body-bytes", "1000000", "--timeout", "30"],
        &["invite-members.md", "larger than 1000000 bytes"],
    );
}

#[tokio::test]
async fn endless_body_without_a_length_stops_at_the_limit() {
    // No length and no chunking: the body ends when the connection closes, which it never does.
    let head = format!("{HEAD_200}Connection: close\r\n\r\n").into_bytes();
    let endless = Reply::Forever { head, chunk: vec![b'#'; 64 * 1024], pause: Duration::ZERO };
    let (dir, server) = raw_upstream(WAPIKIT, endless).await;
    assert_refused(
        dir.path(),
        &server.uri(),
        &["--max-body-bytes", "1000000", "--timeout", "30"],
        &["wapikit.yaml", "larger than 1000000 bytes"],
    );
}

#[tokio::test]
async fn body_shorter_than_its_length_exits_2() {
    let mut bytes = format!("{HEAD_200}Content-Length: 100000\r\nConnection: close\r\n\r\n").into_bytes();
    bytes.extend_from_slice(b"# Invite Members\n\nThe page stops here");
    let (dir, server) = raw_upstream(INVITE, Reply::Bytes(bytes)).await;
    assert_refused(dir.path(), &server.uri(), &[], &["invite-members.md", "while reading the body"]);
}

#[tokio::test]
async fn header_flood_exits_2() {
    let mut head = String::from(HEAD_200);
    for i in 0..500 {
        head.push_str(&format!("X-Flood-{i}: {}\r\n", "f".repeat(64)));
    }
    head.push_str("Content-Length: 2\r\n\r\nok");
    let (dir, server) = raw_upstream(INVITE, Reply::Bytes(head.into_bytes())).await;
    assert_refused(dir.path(), &server.uri(), &[], &["invite-members.md"]);
}

/// Serves the right page for `file`, with `content_type` and extra headers.
async fn serve_page_as(file: &str, content_type: &str, headers: &[(&str, &str)], needles: &[&str]) {
    let (dir, upstream, page) = wiremock_upstream(file).await;
    let body = upstream.body_for(file, &upstream.vendored_text(file));
    let mut template = ResponseTemplate::new(200).set_body_raw(body, content_type);
    for (name, value) in headers {
        template = template.insert_header(*name, *value);
    }
    mount(&upstream.server, &page, template).await;
    assert_refused(dir.path(), &upstream.mirror(), &[], needles);
}

#[tokio::test]
async fn image_content_type_exits_2() {
    serve_page_as(INVITE, "image/png", &[], &["invite-members.md", "Content-Type `image/png`", "not text"]).await;
}

#[tokio::test]
async fn octet_stream_html_exits_2() {
    let (dir, upstream, page) = wiremock_upstream(INVITE).await;
    let html = "<!DOCTYPE html>\n<html><body><h1>Sign in</h1></body></html>\n";
    mount(&upstream.server, &page, ResponseTemplate::new(200).set_body_raw(html, "application/octet-stream")).await;
    assert_refused(dir.path(), &upstream.mirror(), &[], &["invite-members.md", "got an HTML page"]);
}

/// Upstream text labelled `application/octet-stream` (as S3 serves YAML) is judged by its
/// bytes: the same text is no drift, and a changed text is compared like any other.
#[tokio::test]
async fn octet_stream_text_is_compared_normally() {
    for file in [INVITE, WAPIKIT] {
        let (dir, upstream, page) = wiremock_upstream(file).await;
        let text = upstream.vendored_text(file);
        let body = upstream.body_for(file, &text);
        let octets = |body: String| ResponseTemplate::new(200).set_body_raw(body, "application/octet-stream");
        mount(&upstream.server, &page, octets(body)).await;
        let run = drift(dir.path(), &["--mirror", &upstream.mirror(), "--format", "json"]);
        assert_eq!(run.code, Some(0), "{file} served as octet-stream\n{run:?}");

        let mut doc = parse_yaml(&text);
        set(&mut doc, "/info/title", "Reworded upstream".into());
        let changed = to_yaml(&doc);
        upstream.server.reset().await;
        upstream.serve_unchanged().await;
        mount(&upstream.server, &page, octets(upstream.body_for(file, &changed))).await;
        let run = drift(dir.path(), &["--mirror", &upstream.mirror(), "--format", "json"]);
        assert_eq!(run.code, Some(1), "{file} changed, served as octet-stream\n{run:?}");
        let ids: Vec<String> = run.changes().into_iter().map(|(_, id, _)| id).collect();
        assert_eq!(ids, ["info-changed"], "{file}\n{run:?}");
    }
}

#[tokio::test]
async fn charset_other_than_utf8_exits_2() {
    serve_page_as(INVITE, "text/markdown; charset=utf-16", &[], &["charset `utf-16`", "expected UTF-8"]).await;
}

#[tokio::test]
async fn invalid_utf8_exits_2() {
    let (dir, upstream, page) = wiremock_upstream(INVITE).await;
    let mut body = upstream.body_for(INVITE, &upstream.vendored_text(INVITE)).into_bytes();
    // An ASCII byte, so that everything before it is still whole UTF-8.
    let at = (body.len() / 2..body.len()).find(|&i| body[i].is_ascii()).expect("an ASCII byte");
    body[at] = 0xff;
    mount(&upstream.server, &page, ResponseTemplate::new(200).set_body_raw(body, "text/markdown; charset=utf-8")).await;
    let offset = format!("invalid byte at offset {at}");
    assert_refused(dir.path(), &upstream.mirror(), &[], &["invite-members.md", "not UTF-8 text", &offset]);
}

#[tokio::test]
async fn unrequested_compression_exits_2() {
    // The client asks for no encoding and decodes none, so a gzip bomb stays a few bytes.
    serve_page_as(INVITE, "text/markdown", &[("content-encoding", "gzip")], &["Content-Encoding `gzip`"]).await;
}
