//! An operation with `security: []` next to one under the document's API key, against a
//! loopback server: the first carries no credentials at all.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_security_none`, which declares no `auth:`:
//! the document decides.)

use periskope_wapikit::case_security_none::Client;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn an_operation_without_security_sends_no_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 0 })))
        .mount(&server)
        .await;
    let client = Client::builder("k-none-1").base_url(server.uri()).build().expect("client builds");
    client.list_things().send().await.expect("the call succeeds");
    client.get_health().send().await.expect("the call succeeds");
    let requests = server.received_requests().await.expect("requests are recorded");
    let things = requests.iter().find(|request| request.url.path() == "/things").expect("GET /things");
    assert_eq!(things.headers.get("x-api-key").map(|value| value.as_bytes()), Some(&b"k-none-1"[..]));
    let health = requests.iter().find(|request| request.url.path() == "/health").expect("GET /health");
    for name in ["x-api-key", "authorization", "cookie"] {
        assert!(health.headers.get(name).is_none(), "GET /health sent `{name}`");
    }
    assert_eq!(health.url.query(), None, "GET /health sent a query");
}
