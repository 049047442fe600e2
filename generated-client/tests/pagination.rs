//! Walking Wapikit's invite list page by page as one stream of invites, against a server on
//! 127.0.0.1: three pages in order, the last page recognised, errors surfaced, and a server
//! that never stops bounded.

#![cfg(feature = "wapikit")]

use futures::StreamExt;
use periskope_wapikit::{RetryPolicy, wapikit};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> wapikit::Client {
    wapikit::Client::builder("k")
        .base_url(format!("{}/api", server.uri()))
        .retry(RetryPolicy::never())
        .build()
        .expect("client builds")
}

fn invite(email: &str) -> Value {
    json!({
        "uniqueId": format!("invite-{email}"),
        "email": email,
        "accessLevel": "Member",
        "createdAt": "2025-11-18T05:09:07Z",
        "status": "Pending",
        "organizationName": "Dunder Mifflin"
    })
}

/// Answers page `page` of a list of `total` invites with `emails` on it.
async fn serve_page(server: &MockServer, page: u32, emails: &[&str], total: u32) {
    let body = json!({
        "invites": emails.iter().map(|email| invite(email)).collect::<Vec<_>>(),
        "paginationMeta": { "page": page, "per_page": 2, "total": total }
    });
    Mock::given(method("GET"))
        .and(path("/api/organization/invites"))
        .and(query_param("page", page.to_string()))
        .and(query_param("per_page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

async fn pages_requested(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.expect("recording is on");
    requests
        .iter()
        .map(|request| {
            request
                .url
                .query_pairs()
                .find(|(key, _)| key == "page")
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn three_pages_become_one_stream_of_items() {
    let server = MockServer::start().await;
    serve_page(&server, 1, &["a@x.com", "b@x.com"], 5).await;
    serve_page(&server, 2, &["c@x.com", "d@x.com"], 5).await;
    serve_page(&server, 3, &["e@x.com"], 5).await;
    let client = client(&server);
    let invites: Vec<_> = client.get_organization_invites(7, 2).items().collect().await;
    let emails: Vec<String> = invites.into_iter().map(|invite| invite.expect("every page succeeds").email).collect();
    assert_eq!(emails, ["a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com"]);
    assert_eq!(pages_requested(&server).await, ["1", "2", "3"], "the walk starts at page 1 and stops at the last");
}

#[tokio::test]
async fn a_full_last_page_is_recognised_by_the_total() {
    let server = MockServer::start().await;
    serve_page(&server, 1, &["a@x.com", "b@x.com"], 4).await;
    serve_page(&server, 2, &["c@x.com", "d@x.com"], 4).await;
    let client = client(&server);
    let invites: Vec<_> = client.get_organization_invites(1, 2).items().collect().await;
    assert_eq!(invites.len(), 4);
    assert_eq!(pages_requested(&server).await, ["1", "2"], "no request for a page after the total");
}

#[tokio::test]
async fn an_error_is_surfaced_and_ends_the_stream() {
    let server = MockServer::start().await;
    serve_page(&server, 1, &["a@x.com", "b@x.com"], 6).await;
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "message": "Unauthorized" })))
        .mount(&server)
        .await;
    serve_page(&server, 3, &["e@x.com", "f@x.com"], 6).await;
    let client = client(&server);
    let results: Vec<_> = client.get_organization_invites(1, 2).items().collect().await;
    assert_eq!(results.len(), 3, "two invites, then the error: {results:?}");
    assert!(results[..2].iter().all(Result::is_ok));
    let err = results[2].as_ref().expect_err("page 2 fails");
    assert_eq!(err.status().map(|status| status.as_u16()), Some(401));
    assert_eq!(pages_requested(&server).await, ["1", "2"], "no page is fetched after an error");
}

#[tokio::test]
async fn a_server_that_never_ends_is_bounded() {
    // Every page full, and a total that is always further away.
    let server = MockServer::start().await;
    let body = json!({
        "invites": [invite("a@x.com"), invite("b@x.com")],
        "paginationMeta": { "page": 1, "per_page": 2, "total": i64::MAX }
    });
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let client = client(&server);
    let invites: Vec<_> = client.get_organization_invites(1, 2).items_within(5).collect().await;
    assert_eq!(invites.len(), 10);
    assert_eq!(pages_requested(&server).await.len(), 5);
}
