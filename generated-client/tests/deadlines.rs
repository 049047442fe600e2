//! Deadlines and backoff against a real HTTP server on 127.0.0.1: the client's `timeout` bounds
//! the whole call, retries and waits included; `attempt_timeout` bounds each attempt; and the
//! server's wait is a floor on the backoff, never a replacement for it.
//!
//! Times are asserted only as generous bounds relative to the waits involved (a wait the client
//! must not make is seconds long, a bound is a fraction of it), or as lower bounds that a timer
//! cannot undercut.

#![cfg(feature = "wapikit")]

use std::time::{Duration, Instant};

use periskope_wapikit::{RetryPolicy, wapikit};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(
    server: &MockServer,
    configure: impl FnOnce(
        periskope_wapikit::ClientBuilder<wapikit::Client>,
    ) -> periskope_wapikit::ClientBuilder<wapikit::Client>,
) -> wapikit::Client {
    configure(wapikit::Client::builder("test-key").base_url(format!("{}/api", server.uri())))
        .build()
        .expect("client builds")
}

async fn list_invites(client: &wapikit::Client) -> Result<(), wapikit::Error> {
    client.get_organization_invites(1, 10).send().await.map(drop)
}

async fn arrivals(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording is on").len()
}

#[tokio::test]
async fn the_timeout_bounds_the_whole_call_retry_waits_included() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "4"))
        .mount(&server)
        .await;
    let client = client(&server, |builder| builder.timeout(Duration::from_secs(1)));
    let started = Instant::now();
    let err = list_invites(&client).await.expect_err("429 every time");
    let took = started.elapsed();
    // Waiting as asked would take 4 s (8 s with the second retry): the wait would pass the 1 s
    // deadline, so the client returns the 429 at once instead.
    assert!(took < Duration::from_secs(3), "the call took {took:?}, beyond its 1 s deadline");
    assert_eq!(err.status().map(|status| status.as_u16()), Some(429), "{err:?}");
    assert_eq!(arrivals(&server).await, 1, "no retry whose wait passes the deadline");
}

#[tokio::test]
async fn a_retry_gets_only_what_is_left_of_the_deadline() {
    // Every answer is a 503 after 1.2 s. Each attempt alone fits in the 2 s timeout, so a
    // per-attempt timeout would make all three and answer 503 after 3.6 s. Under a deadline the
    // second attempt has at most 0.8 s left and times out.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_millis(1200)))
        .mount(&server)
        .await;
    let quick = RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(20));
    let client = client(&server, |builder| builder.timeout(Duration::from_secs(2)).retry(quick));
    let err = list_invites(&client).await.expect_err("503 every time");
    assert!(err.is_timeout(), "the deadline ends the second attempt: {err:?}");
    assert_eq!(arrivals(&server).await, 2);
}

#[tokio::test]
async fn the_attempt_timeout_bounds_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client =
        client(&server, |builder| builder.timeout(Duration::from_secs(60)).attempt_timeout(Duration::from_millis(300)));
    let started = Instant::now();
    let err = list_invites(&client).await.expect_err("the server is too slow");
    let took = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(took < Duration::from_secs(5), "the call took {took:?}; the attempt limit is 300 ms");
    assert_eq!(arrivals(&server).await, 1, "a timed-out request may have been processed: not sent again");
}

#[tokio::test]
async fn a_reset_time_in_the_past_still_backs_off() {
    // The server's clock is ahead of ours: its reset time has already passed here, so its wait
    // is zero. The client must still wait its backoff between attempts.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("x-ratelimit-reset", "1000000001"))
        .mount(&server)
        .await;
    let backoff = Duration::from_millis(200);
    let policy = RetryPolicy::default().max_attempts(3).backoff(backoff, backoff);
    let client = client(&server, |builder| builder.retry(policy));
    let started = Instant::now();
    list_invites(&client).await.expect_err("429 every time");
    let took = started.elapsed();
    assert_eq!(arrivals(&server).await, 3, "three attempts");
    // Each of the two waits is at least half the backoff (the jitter's lower end); a timer
    // never fires early, so this lower bound holds on any machine.
    assert!(took >= backoff, "three attempts in {took:?}: no backoff between them");
}
