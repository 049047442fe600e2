//! Walking Wapikit's invite list page by page as one stream of invites, against a server on
//! 127.0.0.1 (and another list, and one whose answer may leave its page state out): three
//! pages in order, the last page recognised, errors surfaced, a stream used
//! without pinning, a walk cut short by its bound of pages reported, a server that ignores
//! `page` stopped without repeating items, and a deadline for the whole walk.

#![cfg(feature = "wapikit")]

use std::time::{Duration, Instant};

use futures::StreamExt;
use periskope_wapikit::{DEFAULT_MAX_PAGES, PaginationErrorKind, RetryPolicy, wapikit};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

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

/// A list that never ends: every page full, answered as the page asked for (after `delay`), with
/// a total always further away.
struct Endless {
    delay: Duration,
}

impl Respond for Endless {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page = request.url.query_pairs().find(|(key, _)| key == "page").and_then(|(_, value)| value.parse().ok());
        let body = json!({
            "invites": [invite("a@x.com"), invite("b@x.com")],
            "paginationMeta": { "page": page.unwrap_or(0_i64), "per_page": 2, "total": i64::MAX }
        });
        ResponseTemplate::new(200).set_body_json(body).set_delay(self.delay)
    }
}

async fn endless(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(Endless { delay }).mount(&server).await;
    server
}

#[tokio::test]
async fn the_stream_is_used_without_pinning() {
    let server = MockServer::start().await;
    serve_page(&server, 1, &["a@x.com", "b@x.com"], 3).await;
    serve_page(&server, 2, &["c@x.com"], 3).await;
    let client = client(&server);
    let mut invites = client.get_organization_invites(1, 2).items();
    fn unpin_and_send<S: Unpin + Send>(_: &S) {}
    unpin_and_send(&invites);
    let mut emails = Vec::new();
    while let Some(invite) = invites.next().await {
        emails.push(invite.expect("every page succeeds").email);
    }
    assert_eq!(emails, ["a@x.com", "b@x.com", "c@x.com"]);
    assert!(!invites.truncated(), "the walk reached the last page");
}

#[tokio::test]
async fn a_walk_cut_short_by_the_bound_it_was_given_says_so() {
    let server = endless(Duration::ZERO).await;
    let client = client(&server);
    let mut invites = client.get_organization_invites(1, 2).items_within(5);
    let mut count = 0;
    while let Some(invite) = invites.next().await {
        invite.expect("a bound you chose is not an error");
        count += 1;
    }
    assert_eq!(count, 10);
    assert!(invites.truncated(), "the list went on after page 5");
    assert_eq!(pages_requested(&server).await.len(), 5);

    // Within a bound the list fits in, nothing is cut.
    let short = MockServer::start().await;
    serve_page(&short, 1, &["a@x.com", "b@x.com"], 3).await;
    serve_page(&short, 2, &["c@x.com"], 3).await;
    let short_client = self::client(&short);
    let mut invites = short_client.get_organization_invites(1, 2).items_within(2);
    while invites.next().await.is_some() {}
    assert!(!invites.truncated());
}

#[tokio::test]
async fn items_that_reach_the_page_bound_end_with_an_error() {
    let server = endless(Duration::ZERO).await;
    let client = client(&server);
    let mut invites = client.get_organization_invites(1, 2).items();
    let mut count = 0;
    let last = loop {
        match invites.next().await.expect("the stream ends with an error, not silently") {
            Ok(_) => count += 1,
            Err(err) => break err,
        }
    };
    assert_eq!(count, 2 * DEFAULT_MAX_PAGES, "every page's items came first");
    assert_eq!(last.operation(), Some("get_organization_invites"));
    match &last {
        wapikit::Error::Pagination(err) => {
            assert_eq!(err.kind(), PaginationErrorKind::PageLimit { pages: DEFAULT_MAX_PAGES })
        }
        other => panic!("a page-limit error, not {other:?}"),
    }
    assert!(last.to_string().starts_with("get_organization_invites: the list has more than 1000 pages"), "{last}");
    assert!(invites.next().await.is_none(), "nothing follows the error");
    assert!(invites.truncated());
}

#[tokio::test]
async fn a_server_that_ignores_page_stops_the_walk_without_repeating_items() {
    // Page 1 whatever the page asked for, full, of a list of 10.
    let server = MockServer::start().await;
    let body = json!({
        "invites": [invite("a@x.com"), invite("b@x.com")],
        "paginationMeta": { "page": 1, "per_page": 2, "total": 10 }
    });
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let client = client(&server);
    let results: Vec<_> = client.get_organization_invites(1, 2).items().collect().await;
    assert_eq!(results.len(), 3, "page 1's invites once, then the error: {results:?}");
    let emails: Vec<_> = results[..2].iter().map(|invite| invite.as_ref().expect("page 1").email.as_str()).collect();
    assert_eq!(emails, ["a@x.com", "b@x.com"]);
    let err = results[2].as_ref().expect_err("page 2 is answered as page 1");
    assert_eq!(err.operation(), Some("get_organization_invites"));
    match err {
        wapikit::Error::Pagination(err) => {
            assert_eq!(err.kind(), PaginationErrorKind::PageMismatch { requested: 2, answered: 1 })
        }
        other => panic!("a page-mismatch error, not {other:?}"),
    }
    assert!(
        err.to_string().contains("get_organization_invites: asked for page 2, the server answered page 1"),
        "{err}"
    );
    assert_eq!(pages_requested(&server).await, ["1", "2"], "the walk stops at the first wrong page");
}

#[tokio::test]
async fn the_whole_walk_has_a_deadline() {
    // Each page is quick enough for a call (the client's timeout is 30 s), but the list never
    // ends: the walk's own deadline stops it.
    let server = endless(Duration::from_millis(150)).await;
    let client = client(&server);
    let started = Instant::now();
    let walk = client.get_organization_invites(1, 2).items().timeout(Duration::from_millis(700)).collect::<Vec<_>>();
    let results = tokio::time::timeout(Duration::from_secs(20), walk).await.expect("the walk ends by its deadline");
    let elapsed = started.elapsed();
    let (last, items) = results.split_last().expect("at least the error");
    assert!(!items.is_empty() && items.iter().all(Result::is_ok), "pages before the deadline: {items:?}");
    let err = last.as_ref().expect_err("the deadline ends the walk");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.operation(), Some("get_organization_invites"));
    assert!(err.to_string().contains("did not finish within 700ms"), "{err}");
    assert!(elapsed >= Duration::from_millis(700) && elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn every_paged_list_walks_its_pages() {
    let server = MockServer::start().await;
    for (page, labels) in [(1, ["vip", "new"].as_slice()), (2, ["old"].as_slice())] {
        let tags: Vec<Value> =
            labels.iter().map(|label| json!({ "label": label, "uniqueId": format!("tag-{label}") })).collect();
        Mock::given(method("GET"))
            .and(path("/api/organization/tags"))
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "tags": tags,
                "paginationMeta": { "page": page, "per_page": 2, "total": 3 }
            })))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let labels: Vec<String> =
        client.get_organization_tags(1, 2).items().map(|tag| tag.expect("a tag").label).collect().await;
    assert_eq!(labels, ["vip", "new", "old"]);
}

#[tokio::test]
async fn an_answer_without_its_page_state_is_the_last_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "messages": [] })))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut messages = client.get_messages().items();
    assert!(messages.next().await.is_none(), "no messages, and no second request");
    assert_eq!(pages_requested(&server).await, ["1"]);
    assert!(!messages.truncated());
}

#[tokio::test]
async fn a_walk_needs_no_page_argument() {
    let server = MockServer::start().await;
    serve_page(&server, 1, &["a@x.com", "b@x.com"], 3).await;
    serve_page(&server, 2, &["c@x.com"], 3).await;
    let client = client(&server);
    let emails: Vec<String> =
        client.get_organization_invites_items(2).map(|invite| invite.expect("an invite").email).collect().await;
    assert_eq!(emails, ["a@x.com", "b@x.com", "c@x.com"]);
    assert_eq!(pages_requested(&server).await, ["1", "2"]);
}
