//! `Client::from_env` as containers set the environment: an empty variable is unset, values are
//! trimmed, and an error names the variable at fault. Requests go to a server on 127.0.0.1.
//!
//! The environment belongs to the whole process, so this file holds one test that sets the
//! variables case by case; no other test runs in this binary.

#![cfg(all(feature = "periskope", feature = "wapikit"))]

mod common;

use common::invite_members;
use periskope_wapikit::periskope::ClientInfo;
use periskope_wapikit::{BuildError, periskope, wapikit};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VARIABLES: [&str; 5] =
    ["PERISKOPE_API_KEY", "PERISKOPE_PHONE", "PERISKOPE_BASE_URL", "WAPIKIT_API_KEY", "WAPIKIT_BASE_URL"];

/// Sets exactly `pairs` among the variables the clients read.
fn set_env(pairs: &[(&str, &str)]) {
    for name in VARIABLES {
        // SAFETY: this binary's only test runs on one thread, and the variables are set
        // between calls, while no other thread reads the environment.
        unsafe { std::env::remove_var(name) };
    }
    for (name, value) in pairs {
        // SAFETY: as above.
        unsafe { std::env::set_var(name, value) };
    }
}

fn build_error<C: std::fmt::Debug>(result: Result<C, BuildError>) -> String {
    result.expect_err("the configuration is refused").to_string()
}

#[tokio::test(flavor = "current_thread")]
async fn empty_variables_are_unset_values_are_trimmed_and_errors_name_the_variable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/members/invite"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "addedMembers": [], "errors": [] })))
        .mount(&server)
        .await;
    let base_url = format!("{}/v1", server.uri());

    // A key from a secret file (trailing newline) and an empty phone, as docker-compose writes it.
    set_env(&[("PERISKOPE_API_KEY", "psk-from-file\n"), ("PERISKOPE_PHONE", ""), ("PERISKOPE_BASE_URL", &base_url)]);
    let client = periskope::Client::from_env().expect("a trimmed key and an empty phone are fine");
    invite_members(&client, "a@example.com").await.expect("the call succeeds");
    let received = server.received_requests().await.expect("recording is on");
    let headers = &received.last().expect("one request").headers;
    assert_eq!(headers.get("authorization").map(|v| v.as_bytes()), Some(&b"Bearer psk-from-file"[..]));
    assert!(headers.get("x-phone").is_none(), "an empty PERISKOPE_PHONE sends no x-phone header");

    // A phone with surrounding blanks is sent trimmed.
    set_env(&[("PERISKOPE_API_KEY", "k"), ("PERISKOPE_PHONE", " 919876512340 "), ("PERISKOPE_BASE_URL", &base_url)]);
    let client = periskope::Client::from_env().expect("builds");
    invite_members(&client, "a@example.com").await.expect("the call succeeds");
    let received = server.received_requests().await.expect("recording is on");
    let headers = &received.last().expect("a second request").headers;
    assert_eq!(headers.get("x-phone").map(|v| v.as_bytes()), Some(&b"919876512340"[..]));

    // An empty base URL means the default one.
    set_env(&[("WAPIKIT_API_KEY", "wk"), ("WAPIKIT_BASE_URL", "")]);
    let client = wapikit::Client::from_env().expect("an empty base URL is the default");
    assert_eq!(client.baseurl(), wapikit::DEFAULT_BASE_URL);
    // Both vendors have the same four constructors.
    let builder = wapikit::Client::builder_from_env().expect("a builder from the environment");
    let client = builder.timeout(std::time::Duration::from_secs(5)).build().expect("builds");
    assert_eq!(client.baseurl(), wapikit::DEFAULT_BASE_URL);
    set_env(&[("PERISKOPE_API_KEY", "k"), ("PERISKOPE_BASE_URL", "  ")]);
    assert_eq!(periskope::Client::from_env().expect("builds").baseurl(), periskope::DEFAULT_BASE_URL);

    // Errors name the variable at fault, and never repeat a key.
    set_env(&[("PERISKOPE_API_KEY", "")]);
    let message = build_error(periskope::Client::from_env());
    assert!(message.contains("PERISKOPE_API_KEY") && message.contains("not set or empty"), "{message}");
    set_env(&[]);
    assert!(build_error(wapikit::Client::from_env()).contains("WAPIKIT_API_KEY"));
    set_env(&[("WAPIKIT_API_KEY", "wk-secret\u{7}bell")]);
    let message = build_error(wapikit::Client::from_env());
    assert!(message.contains("WAPIKIT_API_KEY") && message.contains("not allowed"), "{message}");
    assert!(!message.contains("wk-secret"), "{message}");
    set_env(&[("WAPIKIT_API_KEY", "wk"), ("WAPIKIT_BASE_URL", "ftp://example.com")]);
    let message = build_error(wapikit::Client::from_env());
    assert!(message.contains("WAPIKIT_BASE_URL") && message.contains("http or https"), "{message}");
    set_env(&[("PERISKOPE_API_KEY", "k"), ("PERISKOPE_PHONE", "91\u{1}98")]);
    let message = build_error(periskope::Client::from_env());
    assert!(message.contains("PERISKOPE_PHONE"), "{message}");
    set_env(&[]);
}
