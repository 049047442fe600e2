//! A key in the query never shows in a log line: the client redacts it from the URL of a
//! failed request before logging the failure (reqwest's message holds the URL). Alone in its
//! binary: another test sending requests on another thread while this one's subscriber is set
//! can leave the client's log lines unrecorded.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use periskope_wapikit::internals::{Declared, FromDocument, Probe};
use periskope_wapikit::{Auth, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k3y-0f-the-pr0be";

/// A vendor that declares a query key for every request, whatever its document says.
struct DeclaresQuery;

impl Declared for DeclaresQuery {
    const AUTH: Auth = Auth::Query("api_key");
}

fn probe<D: Declared>(base_url: &str) -> Probe<D> {
    Probe::<D>::builder(KEY).base_url(base_url).retry(RetryPolicy::never()).build().expect("the probe builds")
}

/// Every span and event as text.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl tracing::Subscriber for Logs {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        if let Ok(mut text) = self.0.lock() {
            span.record(&mut Fields(&mut text));
            text.push('\n');
        }
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        if let Ok(mut text) = self.0.lock() {
            values.record(&mut Fields(&mut text));
            text.push('\n');
        }
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if let Ok(mut text) = self.0.lock() {
            event.record(&mut Fields(&mut text));
            text.push('\n');
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn a_query_key_never_shows_in_a_log_line() {
    let logs = Logs::default();
    let _guard = tracing::subscriber::set_default(logs.clone());
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    probe::<FromDocument>(&server.uri()).get("/things", Some(Auth::Query("api_key"))).await.expect("a call");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let base = format!("http://{}", closed.local_addr().expect("its address"));
    drop(closed);
    let _ = probe::<DeclaresQuery>(&base).get("/things", None).await.expect_err("connection refused");
    let text = logs.0.lock().expect("the logs").clone();
    // reqwest's message of a failed request holds its URL, which the client redacted first.
    assert!(text.contains("error="), "the failure was logged:\n{text}");
    assert!(!text.contains(KEY), "the key leaked:\n{text}");
}
