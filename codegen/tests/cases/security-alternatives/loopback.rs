//! Alternative security requirements against a loopback server: each operation sends
//! the first the client can satisfy (the query key; `listReports` its own bearer token), and
//! `listTickets`, with none it can satisfy, sends no credentials; `listAgents`, whose requirement
//! names two bearer schemes, sends the key once as the bearer token.
//! (Compiled and run by `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client
//! crate where this case is the vendor module `case_security_alternatives`, which declares no `auth:`:
//! the document decides.)

use periskope_wapikit::case_security_alternatives::Client;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn each_operation_sends_the_first_requirement_it_can_satisfy() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 0 })))
        .mount(&server)
        .await;
    let client = Client::builder("alt-k3y").base_url(server.uri()).build().expect("client builds");
    client.list_things().send().await.expect("the call succeeds");
    client.list_reports().send().await.expect("the call succeeds");
    client.list_tickets().send().await.expect("the call succeeds");
    client.list_agents().send().await.expect("the call succeeds");
    let requests = server.received_requests().await.expect("requests are recorded");
    let at = |path: &str| requests.iter().find(|request| request.url.path() == path).expect("the request");
    let authorization = |path: &str| at(path).headers.get("authorization").map(|value| value.as_bytes().to_vec());
    assert_eq!(at("/things").url.query(), Some("key=alt-k3y"));
    assert_eq!(authorization("/things"), None);
    assert_eq!(at("/reports").url.query(), None);
    assert_eq!(authorization("/reports"), Some(b"Bearer alt-k3y".to_vec()));
    assert_eq!((at("/tickets").url.query(), authorization("/tickets")), (None, None));
    assert!(at("/tickets").headers.get("x-api-key").is_none());
    assert_eq!((at("/agents").url.query(), authorization("/agents")), (None, Some(b"Bearer alt-k3y".to_vec())));
}
