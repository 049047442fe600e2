//! Built without a TLS feature (`.ci/run` runs this file with `--no-default-features --features
//! periskope`; with a TLS feature on it holds no test), a client refuses an `https` base URL
//! when it is built, naming the features to enable, instead of building and then failing every
//! call with "scheme is not http"; an `http` base URL still works, against a server on 127.0.0.1.

#![cfg(all(
    feature = "periskope",
    not(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring", feature = "native-tls"))
))]

use periskope_wapikit::{BuildError, periskope};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn an_https_base_url_is_refused_when_the_client_is_built() {
    let default_url = periskope::Client::new("k");
    let given_url = periskope::Client::builder("k").base_url("HTTPS://proxy.example/v1").build();
    for built in [default_url, given_url] {
        let err = built.expect_err("no TLS backend to speak HTTPS with");
        assert!(matches!(err, BuildError::NoTlsBackend { .. }), "{err:?}");
        let message = err.to_string();
        for feature in ["`rustls-aws-lc-rs`", "`rustls-ring`", "`native-tls`"] {
            assert!(message.contains(feature), "{message}");
        }
    }
    let message = periskope::Client::new("k").expect_err("refused").to_string();
    assert!(message.contains("base URL `https://api.periskope.app/v1` needs HTTPS"), "{message}");
}

#[tokio::test]
async fn an_http_base_url_still_builds_and_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/members/invite"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "addedMembers": [], "errors": [] })))
        .mount(&server)
        .await;
    let client = periskope::Client::builder("k").base_url(format!("{}/v1", server.uri())).build().expect("http builds");
    let body = periskope::types::InviteMembersBody::builder(["a@example.com"]);
    let invited = client.invite_members(body).send().await.expect("the call reaches the loopback server");
    assert!(invited.into_inner().added_members.is_empty());
}

#[test]
fn a_client_of_your_own_is_trusted_with_https() {
    // Its reqwest may have TLS through the application's own reqwest features.
    let client = periskope::Client::builder("k").http_client(reqwest::Client::new()).build();
    assert!(client.is_ok(), "{client:?}");
}
