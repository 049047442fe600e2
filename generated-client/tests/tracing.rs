//! The client's tracing output: one span per request with the method, path, status, latency
//! and the server's trace id; retries logged; never the API key or a body.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use periskope_wapikit::{RetryPolicy, periskope};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "psk-tracing-secret-123";

/// Records every span's fields and every event as one line of text each.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Capture {
    fn push(&self, line: String) {
        if let Ok(mut lines) = self.lines.lock() {
            lines.push(line);
        }
    }

    fn text(&self) -> String {
        self.lines.lock().map(|lines| lines.join("\n")).unwrap_or_default()
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = Line(format!("span {}:", span.metadata().name()));
        span.record(&mut line);
        self.push(line.0);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = Line("record:".to_string());
        values.record(&mut line);
        self.push(line.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Line(format!("event {}:", event.metadata().level()));
        event.record(&mut line);
        self.push(line.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn each_request_is_traced_without_secrets_or_bodies() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-periskope-trace-id", "trace-7")
                .set_body_json(json!({ "addedMembers": [], "errors": [] })),
        )
        .mount(&server)
        .await;
    let client = periskope::Client::builder(KEY)
        .base_url(format!("{}/v1", server.uri()))
        .retry(
            RetryPolicy::default()
                .backoff(Duration::from_millis(10), Duration::from_millis(10))
                .retry_non_idempotent(true),
        )
        .build()
        .expect("client builds");
    client
        .invite_members(periskope::types::InviteMembersBody::builder(vec!["secret.person@example.com".to_string()]))
        .send()
        .await
        .expect("the retry succeeds");

    let text = capture.text();
    for expected in [
        "span http_request: api=\"Periskope\" operation=\"invite_members\" method=POST path=\"/v1/members/invite\"",
        "event DEBUG: message=response status=503",
        "event WARN: message=retrying reason=server answered 503 Service Unavailable wait_ms=",
        "event DEBUG: message=response status=200",
        "record: attempts=2",
        "record: latency_ms=",
        "record: status=200",
        "record: trace_id=\"trace-7\"",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains(KEY) && !text.contains("secret"), "a secret leaked:\n{text}");
    assert!(!text.contains("example.com") && !text.contains("addedMembers"), "a body leaked:\n{text}");
}
