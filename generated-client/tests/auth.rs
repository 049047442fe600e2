//! Authentication as it reaches a loopback server, for every scheme the client sends: bearer,
//! basic, an API key in a header, the query or a cookie; none for an operation that requires
//! none; a vendor's declared scheme over the document's; and a key in the query that never
//! shows in an error, `Debug` output or a log line.
//!
//! Periskope and Wapikit declare their schemes (bearer, `x-access-token`), which their own
//! tests check on the wire. The other schemes go through `internals::Probe`: a client built by
//! the real builder whose operation's `send()` is what the code generator writes for an
//! operation that requires a scheme. The generated code of each scheme is checked by the
//! golden cases `codegen/tests/cases/security-*`, whose `loopback.rs` runs against their
//! generated clients (`cargo test -p xtask --test nested_cargo`).

use std::fmt::Write as _;

use base64::Engine as _;
use periskope_wapikit::internals::{Declared, FromDocument, Probe};
use periskope_wapikit::{Auth, BuildError, Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k3y-0f-the-pr0be";

/// A vendor that declares a query key for every request, whatever its document says.
struct DeclaresQuery;

impl Declared for DeclaresQuery {
    const AUTH: Auth = Auth::Query("api_key");
}

/// A vendor that declares basic credentials for every request.
struct DeclaresBasic;

impl Declared for DeclaresBasic {
    const AUTH: Auth = Auth::Basic;
}

fn probe<D: Declared>(key: &str, base_url: &str) -> Probe<D> {
    Probe::<D>::builder(key).base_url(base_url).retry(RetryPolicy::never()).build().expect("the probe builds")
}

async fn answering_ok() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 1 })))
        .mount(&server)
        .await;
    server
}

/// What a server received with the one request it got.
#[derive(Debug, Default, PartialEq)]
struct Seen {
    authorization: Option<String>,
    cookie: Option<String>,
    query: Option<String>,
    x_api_key: Option<String>,
}

async fn received(server: &MockServer) -> Seen {
    let requests = server.received_requests().await.expect("requests are recorded");
    assert_eq!(requests.len(), 1, "one request");
    let request = &requests[0];
    let header = |name: &str| request.headers.get(name).map(|value| value.to_str().expect("ASCII").to_string());
    Seen {
        authorization: header("authorization"),
        cookie: header("cookie"),
        query: request.url.query().map(str::to_string),
        x_api_key: header("x-api-key"),
    }
}

#[tokio::test]
async fn each_scheme_reaches_the_server_as_it_says() {
    let basic = |pair: &str| format!("Basic {}", base64::prelude::BASE64_STANDARD.encode(pair));
    let cases = [
        (Auth::Bearer, KEY, Seen { authorization: Some(format!("Bearer {KEY}")), ..Seen::default() }),
        (
            Auth::Basic,
            "aladdin:open sesame",
            Seen { authorization: Some(basic("aladdin:open sesame")), ..Seen::default() },
        ),
        (Auth::Basic, "sk_live_123", Seen { authorization: Some(basic("sk_live_123:")), ..Seen::default() }),
        (Auth::Header("x-api-key"), KEY, Seen { x_api_key: Some(KEY.to_string()), ..Seen::default() }),
        (Auth::Query("api_key"), KEY, Seen { query: Some(format!("api_key={KEY}")), ..Seen::default() }),
        (Auth::Cookie("session_id"), KEY, Seen { cookie: Some(format!("session_id={KEY}")), ..Seen::default() }),
    ];
    for (scheme, key, expected) in cases {
        let server = answering_ok().await;
        let client = probe::<FromDocument>(key, &server.uri());
        let answer = client.get("/things", Some(scheme)).await.expect("the call succeeds");
        assert_eq!(answer.into_inner()["count"], 1);
        assert_eq!(received(&server).await, expected, "{scheme:?}");
    }
}

#[tokio::test]
async fn an_operation_that_requires_no_credentials_sends_none() {
    let server = answering_ok().await;
    let client = probe::<FromDocument>(KEY, &server.uri());
    client.get("/things", None).await.expect("the call succeeds");
    assert_eq!(received(&server).await, Seen::default());
}

#[tokio::test]
async fn a_declared_scheme_overrides_the_document_on_every_request() {
    for scheme in [Some(Auth::Bearer), Some(Auth::Cookie("session_id")), None] {
        let server = answering_ok().await;
        probe::<DeclaresQuery>(KEY, &server.uri()).get("/things", scheme).await.expect("the call succeeds");
        assert_eq!(received(&server).await, Seen { query: Some(format!("api_key={KEY}")), ..Seen::default() });

        let server = answering_ok().await;
        probe::<DeclaresBasic>("user:pw", &server.uri()).get("/things", scheme).await.expect("the call succeeds");
        let authorization = received(&server).await.authorization;
        assert_eq!(authorization.as_deref(), Some("Basic dXNlcjpwdw=="), "{scheme:?}");
    }
}

#[tokio::test]
async fn a_query_key_is_appended_to_the_operations_own_query() {
    let server = MockServer::start().await;
    Mock::given(query_param("page", "2"))
        .and(query_param("api_key", "a key&more"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = probe::<FromDocument>("a key&more", &server.uri());
    client.get("/things?page=2", Some(Auth::Query("api_key"))).await.expect("the call succeeds");
}

/// Every way `err` shows itself, for a search for the key.
fn shown(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}");
    if let Error::Transport(transport) | Error::Timeout(transport) = err {
        let _ = write!(text, "\n{:?}", transport.url());
    }
    text
}

#[tokio::test]
async fn a_query_key_never_shows_in_an_error() {
    // An error status.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string("boom")).mount(&server).await;
    let err = probe::<FromDocument>(KEY, &server.uri()).get("/things", Some(Auth::Query("api_key"))).await;
    let err = err.expect_err("a 500");
    assert_eq!(err.status().map(|status| status.as_u16()), Some(500));
    assert!(!shown(&err).contains(KEY), "{}", shown(&err));

    // No server: the URL of the connection that failed is shown, its key redacted; for a key the
    // document asks for and for one the vendor declares.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let base = format!("http://{}", closed.local_addr().expect("its address"));
    drop(closed);
    let errors = [
        probe::<FromDocument>(KEY, &base).get("/things?page=2", Some(Auth::Query("api_key"))).await,
        probe::<DeclaresQuery>(KEY, &base).get("/things?page=2", None).await,
    ];
    for err in errors {
        let err = err.expect_err("connection refused");
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        let text = shown(&err);
        assert!(!text.contains(KEY), "{text}");
        assert!(text.contains("page=2&api_key=redacted"), "{text}");
        assert!(err.to_string().contains("connection refused") && err.to_string().contains("/things"), "{err}");
    }
}

#[tokio::test]
async fn a_query_key_never_shows_in_the_error_of_a_body_that_breaks_off() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    let server = tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"count\"";
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.shutdown().await;
    });
    let err = probe::<FromDocument>(KEY, &base).get("/things", Some(Auth::Query("api_key"))).await;
    let err = err.expect_err("the body breaks off");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let text = shown(&err);
    assert!(!text.contains(KEY) && text.contains("api_key=redacted"), "{text}");
    server.await.expect("the server ends");
}

#[test]
fn the_key_never_shows_in_debug_output() {
    let document = probe::<FromDocument>(KEY, "http://127.0.0.1:9");
    let declared = probe::<DeclaresQuery>(KEY, "http://127.0.0.1:9");
    for text in
        [format!("{document:?}"), format!("{declared:?}"), format!("{:?}", Probe::<DeclaresBasic>::builder(KEY))]
    {
        assert!(!text.contains(KEY) && text.contains("redacted"), "{text}");
    }
    assert!(format!("{declared:?}").contains("Query(\"api_key\")"), "the scheme is shown: {declared:?}");
}

#[tokio::test]
async fn a_key_a_scheme_cannot_carry_is_refused_with_a_message_that_hides_it() {
    // The document's scheme is checked when the operation is sent, and the error names it.
    let client = probe::<FromDocument>("semi;colon", "http://127.0.0.1:9");
    let err = client.get("/things", Some(Auth::Cookie("session_id"))).await.expect_err("refused before sending");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(err.operation(), Some("probe"));
    let text = shown(&err);
    assert!(text.contains("`session_id` cookie") && !text.contains("semi;colon"), "{text}");
    let err = client.get("/things", Some(Auth::Query("api_key"))).await.expect_err("nothing listens on port 9");
    assert!(!matches!(err, Error::InvalidRequest(_)), "a query carries any key: {err:?}");

    // A declared scheme, or an empty key or one with control characters, when the client is built.
    for key in ["", "  ", "line\nbreak"] {
        let err = Probe::<FromDocument>::builder(key).build().expect_err("refused");
        assert!(matches!(err, BuildError::InvalidApiKey { vendor: "Probe" }), "{err:?}");
    }
    let err = Probe::<DeclaresQuery>::builder("tab\tkey").build().expect_err("refused");
    assert!(!err.to_string().contains("tab\tkey"), "{err}");
}
