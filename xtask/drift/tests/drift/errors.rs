//! What cannot be checked exits 2 and writes nothing, even with `--update`; and what a
//! retry can fix is retried.

use std::time::Duration;

use wiremock::ResponseTemplate;

use super::support::{Run, Upstream, assert_could_not_check, docs_page, drift, fixture, scratch, snapshot};

const INVITE: &str = "periskope/invite-members.yaml";
const WAPIKIT: &str = "wapikit/wapikit.yaml";

/// Serves everything unchanged except `file`, which gets `template`; runs `drift --update`
/// with `extra` arguments; checks exit 2, that every file is as before, and that stderr holds
/// every `needle`.
async fn assert_cannot_check(file: &str, template: ResponseTemplate, extra: &[&str], needles: &[&str]) -> Run {
    let dir = scratch(true);
    let root = dir.path();
    let before = snapshot(root);
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let url = upstream.source(file).url.clone();
    upstream.respond(&url, template).await;

    let mirror = upstream.mirror();
    let mut args = vec!["--mirror", mirror.as_str()];
    args.extend_from_slice(extra);
    assert_could_not_check(root, &before, &args, needles)
}

fn markdown(body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into(), "text/markdown; charset=utf-8")
}

#[tokio::test]
async fn upstream_404_exits_2() {
    assert_cannot_check(
        INVITE,
        ResponseTemplate::new(404),
        &[],
        &[
            "specs/periskope/invite-members.yaml",
            "/docs.periskope.app/api-reference/members/invite-members.md",
            "HTTP 404",
            "update specs/sources.toml",
        ],
    )
    .await;
}

#[tokio::test]
async fn upstream_500_is_retried_then_exits_2() {
    let run = assert_cannot_check(
        WAPIKIT,
        ResponseTemplate::new(500),
        &["--retries", "1"],
        &["specs/wapikit/wapikit.yaml", "HTTP 500 Internal Server Error after 2 attempts", "try again later"],
    )
    .await;
    assert!(run.stderr.contains("raw.githubusercontent.com/wapikit/wapikit"), "{run:?}");
}

#[tokio::test]
async fn timeout_exits_2() {
    // The server answers long after the client gave up; no assertion depends on how long
    // anything took.
    let slow = markdown("never read").set_delay(Duration::from_secs(60));
    assert_cannot_check(INVITE, slow, &["--timeout", "0.3"], &["no complete response within 0.3 s", "raise --timeout"])
        .await;
}

#[tokio::test]
async fn html_instead_of_markdown_exits_2() {
    let html = ResponseTemplate::new(200).set_body_raw(fixture("error-page.html"), "text/html; charset=utf-8");
    assert_cannot_check(INVITE, html, &[], &["got an HTML page (Content-Type: text/html; charset=utf-8)", "`.md`"])
        .await;
}

#[tokio::test]
async fn html_without_content_type_is_still_recognised() {
    let html = ResponseTemplate::new(200).set_body_raw(fixture("error-page.html"), "text/plain");
    assert_cannot_check(INVITE, html, &[], &["got an HTML page"]).await;
}

#[tokio::test]
async fn truncated_page_exits_2() {
    let dir = scratch(false);
    let upstream = Upstream::start(dir.path()).await;
    let page = upstream.body_for(INVITE, &upstream.vendored_text(INVITE));
    let cut = page.len() * 2 / 3;
    let cut = (0..=cut).rev().find(|i| page.is_char_boundary(*i)).unwrap_or(0);
    assert_cannot_check(INVITE, markdown(&page[..cut]), &[], &["fence opened here is never closed", "truncated"]).await;
}

#[tokio::test]
async fn truncated_yaml_inside_a_closed_fence_exits_2() {
    let dir = scratch(false);
    let upstream = Upstream::start(dir.path()).await;
    let yaml = upstream.vendored_text(INVITE);
    // Cut inside a quoted scalar, so the YAML cannot parse.
    let cut = yaml.find("'2025-").expect("the invite spec has a quoted timestamp") + 6;
    let page = docs_page("Invite Members", "POST /members/invite", &format!("{}\n", &yaml[..cut]));
    let run = assert_cannot_check(INVITE, markdown(page), &[], &["invalid YAML"]).await;
    // The location is `URL:line:column` in the page, not in the fence: the YAML starts on
    // line 15 and the stream ends on the line of the closing fence.
    let line = 15 + yaml[..cut].matches('\n').count() + 1;
    assert!(run.stderr.contains(&format!("invite-members.md:{line}:")), "expected line {line}\n{run:?}");
}

#[tokio::test]
async fn missing_fence_exits_2() {
    assert_cannot_check(
        INVITE,
        markdown(fixture("page-without-fence.md")),
        &[],
        &["no ````yaml METHOD /path```` fence", "found `bash` at line"],
    )
    .await;
}

#[tokio::test]
async fn two_fences_exit_2() {
    let dir = scratch(false);
    let upstream = Upstream::start(dir.path()).await;
    let yaml = upstream.vendored_text(INVITE);
    let page = format!(
        "{}\n\n````yaml POST /members/invite\n{yaml}````\n",
        docs_page("Invite", "POST /members/invite", &yaml)
    );
    assert_cannot_check(INVITE, markdown(page), &[], &["2 ````yaml METHOD /path```` fences"]).await;
}

#[tokio::test]
async fn unsupported_openapi_version_exits_2() {
    let dir = scratch(false);
    let upstream = Upstream::start(dir.path()).await;
    let yaml = upstream.vendored_text(INVITE).replace("openapi: 3.0.3", "openapi: 3.2.0");
    let page = upstream.body_for(INVITE, &yaml);
    assert_cannot_check(INVITE, markdown(page), &[], &["found `openapi: 3.2.0`", "only OpenAPI 3.0.x and 3.1.x"]).await;
}

#[tokio::test]
async fn fence_naming_another_operation_exits_2() {
    let dir = scratch(false);
    let upstream = Upstream::start(dir.path()).await;
    let page = docs_page("Invite", "DELETE /members/invite", &upstream.vendored_text(INVITE));
    assert_cannot_check(INVITE, markdown(page), &[], &["the fence names `DELETE /members/invite`"]).await;
}

#[tokio::test]
async fn oversized_body_exits_2() {
    // Just over the default limit of 16 MiB.
    let body = "x".repeat(16 * 1024 * 1024 + 1);
    assert_cannot_check(
        WAPIKIT,
        ResponseTemplate::new(200).set_body_raw(body, "application/yaml"),
        &[],
        &["larger than 16777216 bytes"],
    )
    .await;
}

#[tokio::test]
async fn oversized_body_is_refused_at_a_smaller_limit() {
    let dir = scratch(false);
    let upstream = Upstream::start(dir.path()).await;
    let page = upstream.body_for(INVITE, &upstream.vendored_text(INVITE));
    assert_cannot_check(INVITE, markdown(page), &["--max-body-bytes", "1000"], &["larger than 1000 bytes"]).await;
}

#[tokio::test]
async fn unreachable_host_exits_2() {
    let dir = scratch(false);
    let root = dir.path();
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let run = drift(root, &["--mirror", &format!("http://127.0.0.1:{port}"), "--retries", "0"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("cannot connect"), "{run:?}");
}

#[tokio::test]
async fn transient_503_is_retried_and_succeeds() {
    let dir = scratch(false);
    let root = dir.path();
    let upstream = Upstream::start(root).await;
    upstream.serve_unchanged().await;
    let url = upstream.source(WAPIKIT).url.clone();
    wiremock::Mock::given(wiremock::matchers::path(super::support::mirror_path(&url)))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&upstream.server)
        .await;
    let run = drift(root, &["--mirror", &upstream.mirror()]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let requests = upstream.server.received_requests().await.unwrap_or_default();
    let attempts = requests.iter().filter(|r| r.url.path() == super::support::mirror_path(&url)).count();
    assert_eq!(attempts, 2, "one 503, one retry");
}

#[tokio::test]
async fn broken_vendored_file_exits_2_before_fetching() {
    let dir = scratch(false);
    let root = dir.path();
    let spec = root.join("specs").join(INVITE);
    let text = std::fs::read_to_string(&spec).expect("read spec");
    std::fs::write(&spec, text.replace("operationId: inviteMembers", "operationId: [inviteMembers")).expect("write");
    let run = drift(root, &["--mirror", "http://127.0.0.1:9"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("specs/periskope/invite-members.yaml:"), "{run:?}");
    assert!(run.stderr.contains("invalid YAML"), "{run:?}");
}
