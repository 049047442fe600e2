//! Hostile responses through the real `send()`: a loopback server answers every operation with
//! raw HTTP/1.1 of any kind (odd status lines, garbage headers, wrong or broken framing, bodies
//! that are not what the operation documents). No call may panic, each must give `Ok` or one of
//! the crate's errors for the status that was sent, and no error may show the API key, which
//! every request carries. `tests/fuzz_responses/` takes the same handling through a million
//! in-memory cases; this checks the path through reqwest and hyper.
//!
//! `FUZZ_LOOPBACK_CASES` (default 300) and `FUZZ_SEED` change the run; a failing case prints
//! how to run it alone (`FUZZ_SEED=… FUZZ_CASE=…`).

use std::fmt::Debug;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use periskope_wapikit::{Error, Nullable, ResponseValue, RetryPolicy, periskope, wapikit};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PERISKOPE_KEY: &str = "psk-loopback-secret-1357";
const WAPIKIT_KEY: &str = "wk-loopback-secret-2468";
const OPERATIONS: usize = 5;

/// A body each operation decodes.
const SUCCESS_BODIES: [&str; OPERATIONS] = [
    r#"{"addedMembers":[],"errors":[{"email":"x@example.com","error":{"message":"already a member"}}]}"#,
    "[]",
    r#"{"invites":[],"paginationMeta":{"page":1,"per_page":10,"total":0}}"#,
    r#"{"invite":{"uniqueId":"<string>","email":"<string>","accessLevel":"Owner","createdAt":"2023-11-07T05:31:56Z","status":"Pending","organizationName":"<string>"}}"#,
    r#"{"data":{"member":{"accessLevel":"Owner","createdAt":"2023-11-07T05:31:56Z","email":"a@b.c","name":"A","roles":[],"uniqueId":"m"}}}"#,
];

const ERROR_BODIES: &[&str] = &[
    r#"{"message":"Rate limit exceeded","remaining":0,"reset":1763450000}"#,
    r#"{"error":"Unauthorized"}"#,
    r#""Unauthorized access""#,
    r#"{"code":"VALIDATION_ERROR","fields":{"{x-phone}":{"message":"Missing Header: {x-phone}"}},"message":"Validation Error","name":"Validation Error","status":422}"#,
    "<html><body>Bad gateway</body></html>",
    "upstream down\nmore",
];

// Shared with the in-memory fuzzing, which uses parts this file does not.
#[allow(dead_code)]
#[path = "common/fuzz.rs"]
mod fuzz;
use fuzz::{Reproduce, Rng, env_number};

/// One raw response, and the status a client that parses it must report.
#[derive(Debug)]
struct RawCase {
    operation: usize,
    bytes: Vec<u8>,
    /// The status code on a well-formed status line; `None` for one no client should accept.
    status: Option<u16>,
}

fn status_line(rng: &mut Rng) -> (Vec<u8>, Option<u16>) {
    if rng.percent(12) {
        let garbage: &[&[u8]] = &[
            b"HTTP/1.1 20 OK\r\n",
            b"HTTP/1.1 2000 OK\r\n",
            b"HTTP/1.1 abc OK\r\n",
            b"HTTP/9.9 200 OK\r\n",
            b"ICY 200 OK\r\n",
            b"\r\n",
            b"",
            b"HTTP/1.1 000 Zero\r\n",
            b"HTTP/1.1 099 Low\r\n",
            b"\xff\xfe\x00\x01\r\n",
        ];
        return (rng.pick(garbage).to_vec(), None);
    }
    let code = match rng.below(8) {
        0..=3 => 200,
        4 => *rng.pick(&[400, 401, 404, 422, 429]),
        5 => *rng.pick(&[500, 502, 503, 504]),
        6 => *rng.pick(&[101, 201, 204, 206, 301, 302, 304, 307, 308, 418]),
        _ => 100 + rng.below(900) as u16,
    };
    let reason = rng.pick(&["OK", "", "Weird \u{e9}", "Too Many Requests"]);
    let version = if rng.percent(90) { "1.1" } else { "1.0" };
    (format!("HTTP/{version} {code} {reason}\r\n").into_bytes(), Some(code))
}

fn header_lines(rng: &mut Rng, redirect_to: &str) -> Vec<u8> {
    let names = [
        "Content-Type",
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "x-periskope-trace-id",
        "X-Request-Id",
        "Location",
        "Content-Encoding",
        "Set-Cookie",
        "X-Hostile",
    ];
    let values: &[&[u8]] = &[
        b"application/json",
        b"text/plain",
        b"text/html; charset=iso-8859-1",
        b"0",
        b"1",
        b"-1",
        b"18446744073709551615",
        b"18446744073709551616",
        b"1e9",
        b"Wed, 21 Oct 2015 07:28:00 GMT",
        b"Fri, 31 Dec 9999 23:59:59 GMT",
        b"gzip",
        b"caf\xe9",
        b"\xff\xfe",
        b"",
        b"   ",
    ];
    let mut lines = Vec::new();
    for _ in 0..rng.below(6) {
        let name = rng.pick(&names);
        lines.extend_from_slice(name.as_bytes());
        lines.extend_from_slice(b": ");
        if *name == "Location" {
            lines.extend_from_slice(redirect_to.as_bytes());
        } else {
            let value = *rng.pick(values);
            lines.extend_from_slice(value);
        }
        lines.extend_from_slice(b"\r\n");
    }
    match rng.below(20) {
        0 => lines.extend_from_slice(b"No-Colon-Here\r\n"),
        1 => lines.extend_from_slice(b"X-Folded: a\r\n continued\r\n"),
        2 => lines.extend_from_slice(format!("X-Long: {}\r\n", "a".repeat(1 << 16)).as_bytes()),
        3 => (0..200).for_each(|i| lines.extend_from_slice(format!("X-Many-{i}: 1\r\n").as_bytes())),
        4 => lines.extend_from_slice(b"X-Bare-Lf: 1\n"),
        _ => {}
    }
    lines
}

fn body(rng: &mut Rng, operation: usize) -> Vec<u8> {
    let mut body = match rng.below(10) {
        0..=4 => SUCCESS_BODIES[operation].as_bytes().to_vec(),
        5 | 6 => rng.pick(ERROR_BODIES).as_bytes().to_vec(),
        7 => rng.pick(&SUCCESS_BODIES).as_bytes().to_vec(),
        8 => (0..rng.below(512)).map(|_| rng.next() as u8).collect(),
        _ => "[".repeat(*rng.pick(&[0, 129, 5000])).into_bytes(),
    };
    if rng.percent(15) && !body.is_empty() {
        let at = rng.below(body.len());
        body[at] ^= 1 << rng.below(8);
    }
    body
}

fn raw_case(rng: &mut Rng, redirect_to: &str) -> RawCase {
    let operation = rng.below(OPERATIONS);
    let (mut bytes, status) = status_line(rng);
    bytes.extend(header_lines(rng, redirect_to));
    let body = body(rng, operation);
    match rng.below(10) {
        // The framing a server should send.
        0..=4 => {
            bytes.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            bytes.extend_from_slice(&body);
        }
        5 => {
            bytes.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
            for piece in body.chunks(1 + rng.below(64)) {
                bytes.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                bytes.extend_from_slice(piece);
                bytes.extend_from_slice(b"\r\n");
            }
            if rng.percent(70) {
                bytes.extend_from_slice(b"0\r\n\r\n");
            }
        }
        // A length that is wrong, twice given, or not a number.
        6 => {
            let wrong = *rng.pick(&[0, body.len() / 2, body.len() + 10, 1 << 40]);
            bytes.extend_from_slice(format!("Content-Length: {wrong}\r\n\r\n").as_bytes());
            bytes.extend_from_slice(&body);
        }
        7 => {
            let header =
                rng.pick(&["Content-Length: -1", "Content-Length: 12abc", "Content-Length: 18446744073709551616"]);
            bytes.extend_from_slice(format!("Content-Length: {}\r\n{header}\r\n\r\n", body.len()).as_bytes());
            bytes.extend_from_slice(&body);
        }
        8 => {
            bytes.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\nzz\r\n");
            bytes.extend_from_slice(&body);
        }
        // No length: the body ends when the connection closes.
        _ => {
            bytes.extend_from_slice(b"Connection: close\r\n\r\n");
            bytes.extend_from_slice(&body);
        }
    }
    RawCase { operation, bytes, status }
}

/// Reads one request (head and `Content-Length` body) from `stream`, giving up after a second.
async fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut request = Vec::new();
    let read = async {
        let mut buffer = [0u8; 4096];
        loop {
            let Ok(n) = stream.read(&mut buffer).await else { return };
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&request);
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|line| {
                        let (name, value) = line.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                if request.len() >= end + 4 + length {
                    return;
                }
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), read).await;
    request
}

/// A server that answers every request with `answer(request)`, then closes the connection, and
/// keeps every request it received.
async fn serve(
    answer: impl Fn(&[u8]) -> Vec<u8> + Send + Sync + 'static,
) -> (SocketAddr, Arc<Mutex<Vec<Vec<u8>>>>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let addr = listener.local_addr().expect("the listener's address");
    let received = Arc::new(Mutex::new(Vec::new()));
    let answer = Arc::new(answer);
    let log = Arc::clone(&received);
    let server = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (answer, log) = (Arc::clone(&answer), Arc::clone(&log));
            tokio::spawn(async move {
                let request = read_request(&mut stream).await;
                let response = answer(&request);
                // In two writes, so that a client cannot count on one read holding the head.
                let split = response.len() / 2;
                let _ = stream.write_all(&response[..split]).await;
                let _ = stream.write_all(&response[split..]).await;
                let _ = stream.shutdown().await;
                log.lock().expect("the log is not poisoned").push(request);
            });
        }
    });
    (addr, received, server)
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .backoff(Duration::from_millis(1), Duration::from_millis(4))
        .max_elapsed(Duration::from_millis(300))
}

fn clients(addr: SocketAddr) -> (periskope::Client, wapikit::Client) {
    let periskope = periskope::Client::builder(PERISKOPE_KEY)
        .base_url(format!("http://{addr}/v1"))
        .timeout(Duration::from_secs(5))
        .retry(quick_retries())
        .build()
        .expect("the Periskope client builds");
    let wapikit = wapikit::Client::builder(WAPIKIT_KEY)
        .base_url(format!("http://{addr}/api"))
        .timeout(Duration::from_secs(5))
        .retry(quick_retries())
        .build()
        .expect("the Wapikit client builds");
    (periskope, wapikit)
}

/// How a call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    Api,
    Decode,
    Transport,
    Timeout,
}

/// Calls operation number `operation` and checks the outcome against the status sent.
async fn call(
    operation: usize,
    periskope: &periskope::Client,
    wapikit: &wapikit::Client,
    sent: Option<u16>,
) -> Outcome {
    use periskope::types as p;
    use wapikit::types as w;
    match operation {
        0 => {
            let body = p::InviteMembersBody::builder(vec!["test@example.com".to_string()]);
            check(periskope.invite_members(body).send().await, sent)
        }
        1 => {
            let body = p::UpdateMemberAccessBody::builder(vec!["test@example.com".to_string()]).labels(Nullable::Null);
            check(periskope.update_member_access(body).send().await, sent)
        }
        2 => check(wapikit.get_organization_invites(1, 10).send().await, sent),
        3 => {
            let body = w::CreateNewOrganizationInviteSchema::builder(
                w::UserPermissionLevelEnum::Member,
                "new.member@example.com",
            );
            check(wapikit.create_organization_invite(body).send().await, sent)
        }
        _ => {
            let body = w::UpdateOrganizationMemberSchema::builder().access_level(w::UserPermissionLevelEnum::Owner);
            check(wapikit.update_organization_member_by_id("member-1", body).send().await, sent)
        }
    }
}

fn check<T: Debug, E: Debug>(result: Result<ResponseValue<T>, Error<E>>, sent: Option<u16>) -> Outcome {
    let reported = |status: reqwest::StatusCode| {
        assert_eq!(Some(status.as_u16()), sent, "the client reports a status that was not sent: {result:?}");
    };
    let outcome = match &result {
        Ok(value) => {
            reported(value.status());
            assert_eq!(value.status(), 200);
            Outcome::Ok
        }
        Err(Error::Api(err)) => {
            reported(err.status());
            assert_ne!(err.status(), 200, "a 200 is not an error status");
            Outcome::Api
        }
        Err(Error::Decode(err)) => {
            reported(err.status());
            Outcome::Decode
        }
        Err(Error::Transport(_)) => Outcome::Transport,
        Err(Error::Timeout(_)) => Outcome::Timeout,
        Err(other) => panic!("a response gave an error of another kind: {other:?}"),
    };
    if let Err(err) = &result {
        let mut rendered = vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")];
        let mut source = std::error::Error::source(err);
        while let Some(inner) = source {
            rendered.push(inner.to_string());
            source = inner.source();
        }
        for text in rendered {
            assert!(!text.contains(PERISKOPE_KEY) && !text.contains(WAPIKIT_KEY), "a key leaked: {text}");
            assert!(!text.contains("secret"), "part of a key leaked: {text}");
        }
    }
    outcome
}

#[tokio::test]
async fn raw_hostile_answers_through_send() {
    let cases = env_number("FUZZ_LOOPBACK_CASES").unwrap_or(300);
    let seed = env_number("FUZZ_SEED").unwrap_or(0x00C0_FFEE);
    let only = env_number("FUZZ_CASE");
    let range = match only {
        Some(case) => case..case + 1,
        None => 0..cases,
    };
    let mut tally = vec![[0u32; 5]; OPERATIONS];
    // One server and one pair of clients for all cases (building a client loads the TLS roots);
    // the server answers every request with the current case's bytes.
    let current = Arc::new(Mutex::new(Vec::new()));
    let answer = Arc::clone(&current);
    let (addr, _, server) = serve(move |_| answer.lock().expect("not poisoned").clone()).await;
    let (periskope, wapikit) = clients(addr);
    for case in range {
        let _reproduce = Reproduce { seed, case, what: "loopback", target: "--test hostile_responses" };
        let mut rng = Rng(seed ^ case.wrapping_mul(0xD1B5_4A32_D192_ED03));
        // Redirects go back to the same server (and loop), to a closed port, or nowhere.
        let redirect_to = *rng.pick(&["/v1/members/invite", "/api/elsewhere", "http://127.0.0.1:9/", "::not a url::"]);
        let raw = raw_case(&mut rng, redirect_to);
        if only.is_some() {
            eprintln!("{}", String::from_utf8_lossy(&raw.bytes));
        }
        *current.lock().expect("not poisoned") = raw.bytes.clone();
        let outcome = call(raw.operation, &periskope, &wapikit, raw.status).await;
        let index = [Outcome::Ok, Outcome::Api, Outcome::Decode, Outcome::Transport, Outcome::Timeout]
            .iter()
            .position(|known| *known == outcome)
            .unwrap_or_default();
        tally[raw.operation][index] += 1;
    }
    server.abort();
    eprintln!("loopback hostile answers (Ok, Api, Decode, Transport, Timeout) per operation: {tally:?}");
    if only.is_none() && cases >= 200 {
        for counts in &tally {
            assert!(counts[0] > 0 && counts[1] > 0 && counts[2] > 0 && counts[3] > 0, "{tally:?}");
        }
    }
}

/// A redirect to another origin is not followed: reqwest would drop `Authorization` on the
/// way, but not Wapikit's `x-access-token`. One within the origin is followed.
#[tokio::test]
async fn redirects_leave_the_key_at_home() {
    let (elsewhere, reached, elsewhere_server) =
        serve(|_| b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec()).await;
    let away = format!("http://{elsewhere}/api/organization/members/member-1");
    let (addr, _, server) = serve(move |request| {
        let moved = request.starts_with(b"POST /api/moved") || request.starts_with(b"POST /v1/moved");
        if moved {
            let body = SUCCESS_BODIES[4];
            return format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len()).into_bytes();
        }
        let to = if request.starts_with(b"POST /api/organization/members/same") { "/api/moved" } else { away.as_str() };
        format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: {to}\r\nContent-Length: 0\r\n\r\n").into_bytes()
    })
    .await;
    let (periskope, wapikit) = clients(addr);
    let update = |id: &str| {
        let body = wapikit::types::UpdateOrganizationMemberSchema::builder()
            .access_level(wapikit::types::UserPermissionLevelEnum::Owner);
        wapikit.update_organization_member_by_id(id.to_string(), body)
    };

    let err = update("member-1").send().await.expect_err("a redirect elsewhere is an error");
    let api = err.api_error().expect("an error status");
    assert_eq!(api.status(), 307);
    assert_eq!(
        api.headers().get("location").map(|value| value.as_bytes()),
        Some(format!("http://{elsewhere}/api/organization/members/member-1").as_bytes())
    );
    let invite = periskope
        .invite_members(periskope::types::InviteMembersBody::builder(vec!["test@example.com".to_string()]))
        .send()
        .await;
    assert_eq!(invite.expect_err("a redirect elsewhere is an error").status().map(|s| s.as_u16()), Some(307));
    assert!(reached.lock().expect("not poisoned").is_empty(), "the request went to the other origin");

    let moved = update("same").send().await.expect("a redirect within the origin is followed");
    assert!(moved.into_inner().data.is_some());
    server.abort();
    elsewhere_server.abort();
}
