//! Alternative security requirements against a loopback server: each operation sends
//! the first the client can satisfy (the key and the application id, each in its header, the
//! id set with `.credential`; `listReports` its own bearer token), and `listTickets`, with none
//! it can satisfy, sends no credentials; `listAgents`, whose requirement names two bearer
//! schemes, sends the key once as the bearer token.
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
    let client = Client::builder("alt-k3y")
        .credential("appId", "app-7")
        .base_url(server.uri())
        .build()
        .expect("client builds");
    client.list_things().send().await.expect("the call succeeds");
    client.list_reports().send().await.expect("the call succeeds");
    client.list_tickets().send().await.expect("the call succeeds");
    client.list_agents().send().await.expect("the call succeeds");
    let requests = server.received_requests().await.expect("requests are recorded");
    let at = |path: &str| requests.iter().find(|request| request.url.path() == path).expect("the request");
    let authorization = |path: &str| at(path).headers.get("authorization").map(|value| value.as_bytes().to_vec());
    let header = |path: &str, name: &str| at(path).headers.get(name).map(|value| value.as_bytes().to_vec());
    assert_eq!(header("/things", "x-api-key"), Some(b"alt-k3y".to_vec()));
    assert_eq!(header("/things", "x-app-id"), Some(b"app-7".to_vec()));
    assert_eq!((at("/things").url.query(), authorization("/things")), (None, None));
    assert!(!format!("{client:?}").contains("app-7"), "a credential never shows in Debug output");
    assert_eq!(at("/reports").url.query(), None);
    assert_eq!(authorization("/reports"), Some(b"Bearer alt-k3y".to_vec()));
    assert_eq!((at("/tickets").url.query(), authorization("/tickets")), (None, None));
    assert!(at("/tickets").headers.get("x-api-key").is_none());
    assert_eq!((at("/agents").url.query(), authorization("/agents")), (None, Some(b"Bearer alt-k3y".to_vec())));
}

#[tokio::test]
async fn each_scheme_without_a_credential_of_its_own_is_sent_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "count": 0 })))
        .mount(&server)
        .await;
    let client = Client::builder("only-k3y").base_url(server.uri()).build().expect("client builds");
    client.list_things().send().await.expect("the call succeeds");
    let requests = server.received_requests().await.expect("requests are recorded");
    for name in ["x-api-key", "x-app-id"] {
        assert_eq!(requests[0].headers.get(name).map(|value| value.as_bytes()), Some(&b"only-k3y"[..]), "{name}");
    }
    let refused =
        Client::builder("k").credential("appId", "tab\tid").base_url(server.uri()).build().expect_err("refused");
    assert!(refused.to_string().contains("`appId`") && !refused.to_string().contains("tab"), "{refused}");
}
