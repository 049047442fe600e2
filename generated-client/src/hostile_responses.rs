//! Hostile responses: every generated operation's response handling, fed arbitrary statuses,
//! headers and bodies, must give `Ok` or one of the crate's errors and never panic.
//!
//! Each case builds a `reqwest::Response` in memory, so a million cases need no network, and
//! takes it through what `send()` does once a server has answered: the retry decision, the
//! runtime's `finish`, the operation's dispatch (success, documented error status, anything
//! else: [`OPERATIONS`], checked against the `operations` table codegen writes into each vendor
//! module) and every accessor of the result.
//! The outcome is then checked against what the status, the body and the size limit say it
//! must be. `tests/hostile_responses.rs` sends raw responses through the real `send()` over
//! loopback, where requests carry the API key.
//!
//! `FUZZ_CASES` (default 10 000) sets the number of cases and `FUZZ_SEED` the run's seed; a
//! failing case prints how to run it alone (`FUZZ_SEED=… FUZZ_CASE=…`). The long run:
//!
//! ```sh
//! FUZZ_CASES=1000000 cargo test -p periskope-wapikit --release --lib hostile_responses -- --nocapture
//! ```

use std::collections::VecDeque;
use std::fmt::{self, Debug};
use std::io::ErrorKind;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::headers::{RateLimit, ResponseExt, parse_retry_after, server_wait};
use crate::periskope;
use crate::response::{DEFAULT_MAX_RESPONSE_SIZE, declared_error, decode, undeclared_error};
use crate::retry::RetryPolicy;
use crate::runtime::finish;
use crate::{Error, wapikit};

/// The key the renderings of every outcome are searched for.
const API_KEY: &str = "psk-hostile-secret-4242";
const DEFAULT_CASES: u64 = 10_000;
const DEFAULT_SEED: u64 = 0x00C0_FFEE;

/// One generated operation, as its `send()` handles a response.
struct Operation {
    id: &'static str,
    method: Method,
    /// The statuses whose JSON body the operation documents (decoded as its error type); 200
    /// is the only success status, and any other status is an undeclared error.
    declared: &'static [u16],
    /// Whether bytes decode as the operation's success type, and as its error type.
    success_decodes: fn(&[u8]) -> bool,
    error_decodes: fn(&[u8]) -> bool,
    /// The two types' names, to compare with the generated table.
    success_type: fn() -> &'static str,
    error_type: fn() -> &'static str,
}

const PERISKOPE_DECLARED: &[u16] = &[422];
const WAPIKIT_DECLARED: &[u16] = &[400, 401, 404, 429];

/// Every generated operation (the test `the_table_matches_the_generated_dispatch` fails when
/// the generated code says otherwise); [`run`] maps each index to its types.
static OPERATIONS: [Operation; 5] = [
    Operation {
        id: "invite_members",
        method: Method::POST,
        declared: PERISKOPE_DECLARED,
        success_decodes: decodes::<periskope::types::InviteMembersResponse>,
        error_decodes: decodes::<periskope::types::ValidationError>,
        success_type: std::any::type_name::<periskope::types::InviteMembersResponse>,
        error_type: std::any::type_name::<periskope::types::ValidationError>,
    },
    Operation {
        id: "update_member_access",
        method: Method::PATCH,
        declared: PERISKOPE_DECLARED,
        success_decodes: decodes::<Vec<periskope::types::Member>>,
        error_decodes: decodes::<periskope::types::ValidationError>,
        success_type: std::any::type_name::<Vec<periskope::types::Member>>,
        error_type: std::any::type_name::<periskope::types::ValidationError>,
    },
    Operation {
        id: "get_organization_invites",
        method: Method::GET,
        declared: WAPIKIT_DECLARED,
        success_decodes: decodes::<wapikit::types::GetOrganizationMemberInvitesResponseSchema>,
        error_decodes: decodes::<wapikit::types::ErrorResponse>,
        success_type: std::any::type_name::<wapikit::types::GetOrganizationMemberInvitesResponseSchema>,
        error_type: std::any::type_name::<wapikit::types::ErrorResponse>,
    },
    Operation {
        id: "create_organization_invite",
        method: Method::POST,
        declared: WAPIKIT_DECLARED,
        success_decodes: decodes::<wapikit::types::CreateInviteResponseSchema>,
        error_decodes: decodes::<wapikit::types::ErrorResponse>,
        success_type: std::any::type_name::<wapikit::types::CreateInviteResponseSchema>,
        error_type: std::any::type_name::<wapikit::types::ErrorResponse>,
    },
    Operation {
        id: "update_organization_member_by_id",
        method: Method::POST,
        declared: WAPIKIT_DECLARED,
        success_decodes: decodes::<wapikit::types::UpdateOrganizationMemberByIdResponse>,
        error_decodes: decodes::<wapikit::types::ErrorResponse>,
        success_type: std::any::type_name::<wapikit::types::UpdateOrganizationMemberByIdResponse>,
        error_type: std::any::type_name::<wapikit::types::ErrorResponse>,
    },
];

fn decodes<T: DeserializeOwned>(bytes: &[u8]) -> bool {
    serde_json::from_slice::<T>(bytes).is_ok()
}

/// Runs case `case` as operation number `case.operation` of [`OPERATIONS`].
async fn run(case: &Case) -> Outcome {
    match case.operation {
        0 => check::<periskope::types::InviteMembersResponse, periskope::types::ValidationError>(case).await,
        1 => check::<Vec<periskope::types::Member>, periskope::types::ValidationError>(case).await,
        2 => {
            check::<wapikit::types::GetOrganizationMemberInvitesResponseSchema, wapikit::types::ErrorResponse>(case)
                .await
        }
        3 => check::<wapikit::types::CreateInviteResponseSchema, wapikit::types::ErrorResponse>(case).await,
        4 => check::<wapikit::types::UpdateOrganizationMemberByIdResponse, wapikit::types::ErrorResponse>(case).await,
        other => unreachable!("operation {other} is not in the table"),
    }
}

/// What every generated `send()` does with a response (the same `match`).
async fn dispatch<T: DeserializeOwned, E: DeserializeOwned>(
    declared: &[u16],
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    match response.status().as_u16() {
        200 => decode(response).await,
        status if declared.contains(&status) => Err(declared_error(response).await),
        _ => Err(undeclared_error(response).await),
    }
}

/// One hostile response, and the client state it meets.
#[derive(Debug)]
struct Case {
    operation: usize,
    status: StatusCode,
    headers: HeaderMap,
    /// The body, as the chunks it arrives in.
    chunks: Vec<Vec<u8>>,
    /// The connection breaks before chunk number `breaks_at` (`chunks.len()`: after the last).
    breaks_at: Option<usize>,
    /// Whether it breaks by timing out rather than by a reset.
    breaks_by_timeout: bool,
    /// The size the body announces (a `Content-Length`), true or not.
    hint: Hint,
    /// The client's size limit; `None` leaves out the runtime's context, as for a response
    /// that did not come through `exec`, and the decoders use the default limit.
    limit: Option<usize>,
    attempt: u32,
    elapsed: Duration,
    retry_non_idempotent: bool,
}

#[derive(Clone, Copy, Debug)]
enum Hint {
    Exact(u64),
    Unknown,
    Range(u64, u64),
}

impl Hint {
    fn size_hint(self) -> SizeHint {
        match self {
            Hint::Exact(length) => SizeHint::with_exact(length),
            Hint::Unknown => SizeHint::new(),
            Hint::Range(lower, upper) => {
                let mut hint = SizeHint::new();
                hint.set_lower(lower);
                hint.set_upper(upper.max(lower));
                hint
            }
        }
    }
}

impl Case {
    fn response(&self) -> reqwest::Response {
        let body = HostileBody {
            chunks: self.chunks.iter().map(|chunk| Bytes::copy_from_slice(chunk)).collect(),
            sent: 0,
            breaks_at: self.breaks_at,
            breaks_by_timeout: self.breaks_by_timeout,
            hint: self.hint,
        };
        let mut response = http::Response::new(reqwest::Body::wrap(body));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        reqwest::Response::from(response)
    }

    fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE)
    }

    /// What reading the body up to the limit must give.
    fn expected_read(&self) -> Read {
        let limit = self.limit();
        let mut bytes = Vec::new();
        for index in 0..=self.chunks.len() {
            if self.breaks_at == Some(index) {
                return Read::Broken;
            }
            let Some(chunk) = self.chunks.get(index) else { break };
            let room = limit - bytes.len();
            if chunk.len() > room {
                bytes.extend_from_slice(&chunk[..room]);
                return Read::Cut(bytes);
            }
            bytes.extend_from_slice(chunk);
        }
        Read::Whole(bytes)
    }
}

enum Read {
    Whole(Vec<u8>),
    Cut(Vec<u8>),
    Broken,
}

/// A response body that arrives in the given chunks, may break off, and may announce a size
/// it does not have.
struct HostileBody {
    chunks: VecDeque<Bytes>,
    sent: usize,
    breaks_at: Option<usize>,
    breaks_by_timeout: bool,
    hint: Hint,
}

impl http_body::Body for HostileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if this.breaks_at == Some(this.sent) {
            this.breaks_at = None;
            this.chunks.clear();
            let kind = if this.breaks_by_timeout { ErrorKind::TimedOut } else { ErrorKind::ConnectionReset };
            return Poll::Ready(Some(Err(std::io::Error::new(kind, "the connection broke"))));
        }
        this.sent += 1;
        Poll::Ready(this.chunks.pop_front().map(|chunk| Ok(Frame::data(chunk))))
    }

    fn size_hint(&self) -> SizeHint {
        self.hint.size_hint()
    }
}

/// How a case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    /// An error status whose documented body decoded.
    ApiWithBody,
    Api,
    DecodeJson,
    TooLarge,
    Transport,
    Timeout,
}

const OUTCOMES: [Outcome; 7] = [
    Outcome::Ok,
    Outcome::ApiWithBody,
    Outcome::Api,
    Outcome::DecodeJson,
    Outcome::TooLarge,
    Outcome::Transport,
    Outcome::Timeout,
];

/// Takes `case` through the response handling of an operation whose success type is `T` and
/// error type `E`, and checks the outcome.
async fn check<T, E>(case: &Case) -> Outcome
where
    T: DeserializeOwned + PartialEq + Debug,
    E: DeserializeOwned + PartialEq + Debug,
{
    let operation = &OPERATIONS[case.operation];
    let status = case.status;

    // What `send()` does once the server has answered: decide on a retry, then `finish`.
    let answered: reqwest::Result<reqwest::Response> = Ok(case.response());
    let policy = RetryPolicy::default().retry_non_idempotent(case.retry_non_idempotent);
    let deadline = crate::DEFAULT_TIMEOUT;
    if let Some((wait, _)) = policy.next_attempt(&operation.method, &answered, case.attempt, case.elapsed, deadline) {
        assert!(matches!(status.as_u16(), 429 | 502 | 503 | 504), "retried a {status}");
        assert!(case.elapsed.checked_add(wait).is_some_and(|end| end <= Duration::from_secs(30)), "waits {wait:?}");
    }
    let finished = match case.limit {
        Some(limit) => finish(&tracing::Span::none(), answered, operation.id, limit, case.attempt, case.elapsed),
        None => answered,
    };
    let response = finished.expect("finish keeps a response a response");
    let result = dispatch::<T, E>(operation.declared, response).await;
    exercise(&result, &case.headers);

    let read = case.expected_read();
    if status != StatusCode::OK {
        let Err(Error::Api(err)) = &result else { panic!("a {status} gave {result:?}") };
        assert_eq!(err.status(), status);
        assert_eq!(err.operation(), case.limit.map(|_| operation.id));
        let text = match &read {
            Read::Whole(bytes) | Read::Cut(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Read::Broken => String::new(),
        };
        assert_eq!(err.text(), text, "the error keeps the text read");
        let body =
            operation.declared.contains(&status.as_u16()).then(|| serde_json::from_str::<E>(&text).ok()).flatten();
        assert_eq!(err.body(), body.as_ref(), "a documented body decodes, any other does not");
        return if body.is_some() { Outcome::ApiWithBody } else { Outcome::Api };
    }
    let announced_too_large = case.hint.size_hint().exact().is_some_and(|length| length > case.limit() as u64);
    match (result, read) {
        (Err(Error::Decode(err)), _) if announced_too_large => {
            assert!(err.is_too_large() && err.text().is_empty(), "{err:?}");
            Outcome::TooLarge
        }
        (result, _) if announced_too_large => panic!("a body announced over the limit gave {result:?}"),
        (Err(Error::Transport(_)), Read::Broken) if !case.breaks_by_timeout => Outcome::Transport,
        (Err(Error::Timeout(_)), Read::Broken) if case.breaks_by_timeout => Outcome::Timeout,
        (Err(Error::Decode(err)), Read::Cut(start)) => {
            assert!(err.is_too_large(), "{err:?}");
            assert_eq!(err.text(), String::from_utf8_lossy(&start));
            Outcome::TooLarge
        }
        (Ok(value), Read::Whole(bytes)) => {
            let expected = serde_json::from_slice::<T>(&bytes).expect("a body that decodes in the client decodes here");
            assert_eq!(*value, expected);
            Outcome::Ok
        }
        (Err(Error::Decode(err)), Read::Whole(bytes)) => {
            assert!(!err.is_too_large(), "{err:?}");
            assert!(serde_json::from_slice::<T>(&bytes).is_err(), "a body that decodes was refused: {err:?}");
            assert_eq!(err.text(), String::from_utf8_lossy(&bytes));
            Outcome::DecodeJson
        }
        (result, _) => panic!("unexpected outcome for a 200: {result:?}"),
    }
}

/// Calls every accessor of the result and renders it every way, none of which may panic or
/// show the API key.
fn exercise<T: Debug, E: Debug>(result: &Result<ResponseValue<T>, Error<E>>, headers: &HeaderMap) {
    let mut rendered = Vec::new();
    let _ = RateLimit::from_headers(headers).reset_after();
    let _ = parse_retry_after(headers);
    for status in [StatusCode::TOO_MANY_REQUESTS, StatusCode::SERVICE_UNAVAILABLE] {
        let _ = server_wait(status, headers);
    }
    match result {
        Ok(value) => {
            let _ = (value.status(), value.headers().len(), value.rate_limit().reset_after(), value.trace_id());
            rendered.push(format!("{:?}", **value));
        }
        Err(err) => {
            rendered.push(err.to_string());
            rendered.push(format!("{err:?}"));
            rendered.push(format!("{err:#?}"));
            let mut source = std::error::Error::source(err);
            while let Some(inner) = source {
                rendered.push(inner.to_string());
                source = inner.source();
            }
            let _ = (err.status(), err.headers().map(HeaderMap::len), err.is_timeout());
            let _ = err.rate_limit().map(|limit| limit.reset_after());
            if let Some(api) = err.api_error() {
                rendered.extend(api.message());
                let _ = (api.json::<Value>(), api.retry_after(), api.trace_id(), api.rate_limit().reset_after());
                let _ = (api.text().len(), api.body().is_some(), api.operation());
                rendered.extend(err.as_validation().map(|invalid| format!("{invalid:?}")));
                let _ = (err.is_rate_limited(), err.retry_after(), err.operation());
            }
            if let Error::Decode(decode) = err {
                let _ = (decode.is_too_large(), decode.text().len(), decode.operation(), decode.status());
            }
        }
    }
    for text in rendered {
        assert!(!text.contains(API_KEY), "the API key shows in {text}");
    }
}

#[path = "../tests/common/rng.rs"]
mod rng;
use rng::Rng;

const HEADER_NAMES: &[&str] = &[
    "content-type",
    "content-length",
    "retry-after",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-periskope-trace-id",
    "x-request-id",
    "transfer-encoding",
    "content-encoding",
    "www-authenticate",
    "set-cookie",
    "location",
];

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "30",
    "-1",
    "+5",
    " 7 ",
    "1.5",
    "1e9",
    "0x1f",
    "999999999",
    "1000000000",
    "1000000001",
    "4102444800",
    "9223372036854775807",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "NaN",
    "٣",
];

const DATES: &[&str] = &[
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Mon, 01 Jan 0001 00:00:00 GMT",
    "Sat, 29 Feb 2020 12:00:00 +9959",
    "Tue, 1 Jul 2003 10:52:37 -2359",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
    "Mon, 32 Foo 2015 25:61:61 GMT",
    "Fri, 31 Dec 262143 23:59:59 GMT",
    "31 Dec 9999 23:59:60 +0000",
];

const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "text/plain; charset=iso-8859-1",
    "text/html",
    "application/problem+json",
    "text/plainjunk",
    ";",
    "*/*",
];

const INVALID_UTF8: &[&[u8]] =
    &[b"\xff\xfe", b"\xc3", b"caf\xe9", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"12\x80", b"\xc0\xaf"];

fn header_value(rng: &mut Rng) -> Vec<u8> {
    match rng.below(9) {
        0 | 1 => rng.pick(NUMBERS).as_bytes().to_vec(),
        2 => rng.pick(DATES).as_bytes().to_vec(),
        3 => rng.pick(CONTENT_TYPES).as_bytes().to_vec(),
        4 => rng.pick(INVALID_UTF8).to_vec(),
        5 => (0..1 + rng.below(40)).map(|_| b'0' + rng.below(10) as u8).collect(),
        6 => vec![*rng.pick(b"9a \t"); 1 + rng.below(8192)],
        // Any byte at all: the ones HTTP does not allow in a header value are refused when the
        // map is built, as a client would never see them.
        7 => (0..rng.below(48)).map(|_| rng.next() as u8).collect(),
        _ => (0..rng.below(48)).map(|_| *rng.pick(b"\t !\"#;=,-./09:AZaz~\x80\xbf\xc3\xe2\xff")).collect(),
    }
}

fn headers(rng: &mut Rng) -> HeaderMap {
    let mut map = HeaderMap::new();
    for _ in 0..rng.below(10) {
        let name = if rng.percent(85) {
            let name = *rng.pick(HEADER_NAMES);
            HeaderName::from_static(name)
        } else {
            let name: Vec<u8> = (0..1 + rng.below(20)).map(|_| *rng.pick(b"abcxyz019-_")).collect();
            match HeaderName::from_bytes(&name) {
                Ok(name) => name,
                Err(_) => continue,
            }
        };
        if let Ok(value) = HeaderValue::from_bytes(&header_value(rng)) {
            map.append(name, value);
        }
    }
    map
}

fn status(rng: &mut Rng, operation: &Operation) -> StatusCode {
    let code = match rng.below(10) {
        0..=3 => 200,
        4 => *rng.pick(if operation.declared.is_empty() { &[422][..] } else { operation.declared }),
        5 => *rng.pick(&[400, 401, 403, 404, 409, 422, 429]),
        6 => *rng.pick(&[500, 502, 503, 504]),
        7 => *rng.pick(&[100, 101, 103, 201, 202, 204, 206, 301, 302, 304, 307, 308]),
        8 => *rng.pick(&[102, 199, 299, 418, 451, 511, 599, 600, 999]),
        _ => 100 + rng.below(900) as u16,
    };
    StatusCode::from_u16(code).expect("100 to 999 is a status")
}

/// Bodies the specs give no example of: Wapikit's success bodies (its docs pages' examples)
/// and the error bodies both APIs send.
const SEEDS: &[&str] = &[
    r#"{"invite":{"uniqueId":"<string>","email":"<string>","accessLevel":"Owner","createdAt":"2023-11-07T05:31:56Z","status":"Pending","organizationName":"<string>"}}"#,
    r#"{"invites":[{"uniqueId":"<string>","email":"<string>","accessLevel":"Member","createdAt":"2023-11-07T05:31:56Z","status":"Redeemed","organizationName":"<string>"}],"paginationMeta":{"page":1,"per_page":10,"total":1}}"#,
    r#"{"data":{"member":{"accessLevel":"Owner","createdAt":"2023-11-07T05:31:56Z","email":"a@b.c","name":"A","roles":[{"name":"r","permissions":[],"uniqueId":"u"}],"uniqueId":"m"}}}"#,
    r#"{"message":"Rate limit exceeded","remaining":0,"reset":1763450000}"#,
    r#"{"error":"Unauthorized"}"#,
    r#"{"code":"VALIDATION_ERROR","fields":{"{x-phone}":{"message":"Missing Header: {x-phone}"}},"message":"Validation Error","name":"Validation Error","status":422}"#,
];

/// The documented examples of both specs, which the bodies start from.
struct Corpus {
    documents: Vec<Value>,
    /// For each operation, the documents that decode as its success type, and as its error type.
    successes: Vec<Vec<Value>>,
    errors: Vec<Vec<Value>>,
}

impl Corpus {
    fn load() -> Self {
        let mut documents = Vec::new();
        for spec in [
            "periskope/invite-members.yaml",
            "periskope/update-member-access.yaml",
            "wapikit/organization-invites.yaml",
        ] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(spec);
            let text = std::fs::read_to_string(&path).expect("the vendored spec is readable");
            let spec: Value = serde_yaml_ng::from_str(&text).expect("the vendored spec parses");
            collect_examples(&spec, &mut documents);
        }
        // The example contract's documents, which include the ones the specs give property by
        // property.
        for contract in [
            include_str!("../tests/generated/periskope_examples.rs"),
            include_str!("../tests/generated/wapikit_examples.rs"),
        ] {
            documents.extend(raw_strings(contract).filter_map(|text| serde_json::from_str::<Value>(text).ok()));
        }
        documents.extend(SEEDS.iter().map(|seed| serde_json::from_str::<Value>(seed).expect("a seed is JSON")));
        // Their parts too: the members inside an invite response are an update's response.
        let mut parts = Vec::new();
        documents.iter().for_each(|document| collect_parts(document, &mut parts));
        documents.extend(parts);
        let matching = |decodes: fn(&[u8]) -> bool| -> Vec<Value> {
            documents.iter().filter(|doc| decodes(doc.to_string().as_bytes())).cloned().collect()
        };
        let successes: Vec<Vec<Value>> = OPERATIONS.iter().map(|op| matching(op.success_decodes)).collect();
        let errors = OPERATIONS.iter().map(|op| matching(op.error_decodes)).collect();
        for (operation, found) in OPERATIONS.iter().zip(&successes) {
            assert!(!found.is_empty(), "no example decodes as the success type of {}", operation.id);
        }
        Corpus { documents, successes, errors }
    }
}

fn collect_examples(value: &Value, found: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            if let Some(example) = map.get("example") {
                found.push(example.clone());
            }
            if let Some(Value::Object(examples)) = map.get("examples") {
                found.extend(examples.values().filter_map(|example| example.get("value")).cloned());
            }
            map.values().for_each(|inner| collect_examples(inner, found));
        }
        Value::Array(items) => items.iter().for_each(|inner| collect_examples(inner, found)),
        _ => {}
    }
}

/// The raw string literals (`r#"…"#`, `r##"…"##`) of a Rust source.
fn raw_strings(source: &str) -> impl Iterator<Item = &str> {
    let mut rest = source;
    std::iter::from_fn(move || {
        let start = rest.find("r#")?;
        let hashes = rest[start + 1..].bytes().take_while(|byte| *byte == b'#').count();
        let open = format!("r{}\"", "#".repeat(hashes));
        let close = format!("\"{}", "#".repeat(hashes));
        let Some(body) = rest[start..].strip_prefix(open.as_str()) else {
            rest = &rest[start + 2..];
            return Some("");
        };
        let end = body.find(close.as_str())?;
        rest = &body[end + close.len()..];
        Some(&body[..end])
    })
}

fn collect_parts(value: &Value, found: &mut Vec<Value>) {
    let inner: Vec<&Value> = match value {
        Value::Object(map) => map.values().collect(),
        Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    };
    for part in inner.into_iter().filter(|part| part.is_object() || part.is_array()) {
        found.push(part.clone());
        collect_parts(part, found);
    }
}

fn random_string(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "a",
        "Z",
        "0",
        " ",
        "\n",
        "\t",
        "\"",
        "\\",
        "/",
        "{",
        "}",
        "é",
        "ß",
        "€",
        "𝄞",
        "😀",
        "\u{202e}",
        "\u{0301}",
        "\u{0000}",
        "\u{ffff}",
        "Rate limit exceeded",
        "VALIDATION_ERROR",
        "<html>",
    ];
    let length = if rng.percent(5) { 200 + rng.below(2000) } else { rng.below(24) };
    (0..length).map(|_| *rng.pick(PIECES)).collect()
}

fn random_scalar(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Bool(rng.percent(50)),
        2 => Value::from(rng.next() as i64),
        3 => Value::from(rng.next()),
        4 => Value::from(f64::from_bits(rng.next()) % 1e300),
        5 => Value::from(-1),
        6 => Value::String(random_string(rng)),
        7 => Value::from(*rng.pick(&["2025-13-45T99:99:99Z", "2025-11-18T05:09:07.481252+00:00", "0000-00-00", ""])),
        8 => Value::from(*rng.pick(&["member", "owner", "admin", "Member", "PENDING", "not-a-uuid"])),
        9 => Value::Array(Vec::new()),
        10 => Value::Object(serde_json::Map::new()),
        _ => Value::from(0),
    }
}

/// An error body in the shapes both APIs use, with fields of any type.
fn error_body(rng: &mut Rng) -> Value {
    if rng.percent(20) {
        return Value::String(random_string(rng));
    }
    let mut body = serde_json::Map::new();
    for key in ["message", "error", "remaining", "reset", "code", "name", "status", "fields"] {
        if rng.percent(50) {
            let value = match key {
                "message" | "error" | "name" if rng.percent(70) => Value::String(random_string(rng)),
                "code" if rng.percent(70) => Value::from("VALIDATION_ERROR"),
                "fields" if rng.percent(70) => {
                    let field = serde_json::json!({ "message": random_string(rng), "value": random_scalar(rng) });
                    serde_json::json!({ random_string(rng): field })
                }
                _ => random_scalar(rng),
            };
            body.insert(key.to_string(), value);
        }
    }
    Value::Object(body)
}

/// Replaces one value somewhere inside `value` with a scalar of any type.
fn confuse(rng: &mut Rng, value: &mut Value) {
    let children = match value {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    };
    if children == 0 || rng.percent(25) {
        *value = random_scalar(rng);
        return;
    }
    let index = rng.below(children);
    match value {
        Value::Object(map) => {
            if rng.percent(10) {
                map.remove(&map.keys().nth(index).cloned().unwrap_or_default());
            } else if let Some(inner) = map.values_mut().nth(index) {
                confuse(rng, inner);
            }
        }
        Value::Array(items) => confuse(rng, &mut items[index]),
        _ => {}
    }
}

/// Changes a few bytes: flips, insertions, deletions, repeats, a cut.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    const INTERESTING: &[u8] = b"\"\\{}[],:0-e.\x00\xff\xc3 ";
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
            1 if at < bytes.len() => bytes[at] = *rng.pick(INTERESTING),
            2 => bytes.insert(at, *rng.pick(INTERESTING)),
            3 => {
                let end = (at + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(64)).min(bytes.len());
                let repeated = bytes[at..end].to_vec();
                bytes.splice(at..at, repeated);
            }
            _ => bytes.truncate(at),
        }
    }
}

fn body(rng: &mut Rng, corpus: &Corpus, operation: usize) -> Vec<u8> {
    let mut document = match rng.below(10) {
        0..=3 => rng.pick(&corpus.successes[operation]).clone(),
        4 if !corpus.errors[operation].is_empty() => rng.pick(&corpus.errors[operation]).clone(),
        4 | 5 => error_body(rng),
        6 | 7 => rng.pick(&corpus.documents).clone(),
        8 => {
            // Not a JSON document at all, or one nested past any parser's patience.
            return match rng.below(6) {
                0 => Vec::new(),
                1 => (0..rng.below(2048)).map(|_| rng.next() as u8).collect(),
                2 => {
                    let depth = *rng.pick(&[127, 128, 129, 1000, 100_000]);
                    let mut nested = "[".repeat(depth);
                    if rng.percent(50) {
                        nested.push_str(&"]".repeat(depth));
                    }
                    nested.into_bytes()
                }
                3 => rng
                    .pick(&[
                        "1e999999",
                        "-0",
                        "18446744073709551616",
                        "\"\\ud800\"",
                        "\"\\u0000\"",
                        "nul",
                        "{\"a\":1,\"a\":2}",
                    ])
                    .as_bytes()
                    .to_vec(),
                4 => random_string(rng).into_bytes(),
                _ => INVALID_UTF8.iter().flat_map(|bytes| bytes.iter().copied()).collect(),
            };
        }
        _ => Value::String(random_string(rng)),
    };
    if rng.percent(25) {
        confuse(rng, &mut document);
    }
    let mut bytes = if rng.percent(80) {
        serde_json::to_vec(&document).expect("a JSON value encodes")
    } else {
        serde_json::to_vec_pretty(&document).expect("a JSON value encodes")
    };
    if rng.percent(20) {
        mutate(rng, &mut bytes);
    }
    if rng.percent(3) {
        // Whitespace around JSON is allowed: a valid body of any size.
        let padding = rng.below(64 * 1024);
        bytes.splice(0..0, std::iter::repeat_n(b' ', padding));
    }
    bytes
}

fn generate(rng: &mut Rng, corpus: &Corpus) -> Case {
    let operation = rng.below(OPERATIONS.len());
    let status = status(rng, &OPERATIONS[operation]);
    let headers = headers(rng);
    let body = body(rng, corpus, operation);
    let length = body.len();
    let mut cuts: Vec<usize> = (0..rng.below(4)).map(|_| rng.below(length + 1)).collect();
    cuts.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain([length]) {
        chunks.push(body[start..cut].to_vec());
        start = cut;
    }
    if length == 0 && rng.percent(50) {
        chunks.clear();
    }
    let breaks_at = rng.percent(10).then(|| rng.below(chunks.len() + 1));
    let breaks_by_timeout = rng.percent(30);
    let length = length as u64;
    let hint = match rng.below(10) {
        0..=4 => Hint::Exact(length),
        5 | 6 => Hint::Unknown,
        7 => Hint::Range(rng.below(length as usize + 1) as u64, length + rng.below(16) as u64),
        _ => Hint::Exact(*rng.pick(&[0, length / 2, length + 1, length * 2, 1 << 40, u64::MAX])),
    };
    let limit = if rng.percent(35) {
        None
    } else {
        let length = length as usize;
        let any = rng.below(2 * length + 2);
        Some(*rng.pick(&[
            0,
            1,
            2,
            16,
            1024,
            length.saturating_sub(1),
            length,
            length + 1,
            any,
            DEFAULT_MAX_RESPONSE_SIZE,
            usize::MAX,
        ]))
    };
    let elapsed = match rng.below(6) {
        0 => Duration::ZERO,
        1 => Duration::from_millis(rng.below(30_000) as u64),
        2 => Duration::from_secs(30),
        3 => Duration::from_secs(365 * 24 * 3600),
        4 => Duration::MAX,
        _ => Duration::from_millis(1),
    };
    Case {
        operation,
        status,
        headers,
        chunks,
        breaks_at,
        breaks_by_timeout,
        hint,
        limit,
        attempt: 1 + rng.below(4) as u32,
        elapsed,
        retry_non_idempotent: rng.percent(50),
    }
}

/// Prints how to run a failing case alone.
struct Reproduce {
    seed: u64,
    case: u64,
}

impl Drop for Reproduce {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "hostile response case {} failed; run it alone with FUZZ_SEED={} FUZZ_CASE={} \
                 cargo test -p periskope-wapikit --lib hostile_responses -- --nocapture",
                self.case, self.seed, self.case
            );
        }
    }
}

/// How many cases of each operation ended each way.
struct Tally([[u64; OUTCOMES.len()]; OPERATIONS.len()]);

impl Tally {
    fn add(&mut self, operation: usize, outcome: Outcome) {
        let index = OUTCOMES.iter().position(|known| *known == outcome).unwrap_or_default();
        self.0[operation][index] += 1;
    }

    /// Fails when a way of ending was never reached: the cases would then test less than they
    /// claim.
    fn assert_reached_everything(&self) {
        for (operation, counts) in OPERATIONS.iter().zip(&self.0) {
            for (outcome, count) in OUTCOMES.iter().zip(counts) {
                let documented = !operation.declared.is_empty();
                if *count == 0 && (*outcome != Outcome::ApiWithBody || documented) {
                    panic!("no case of {} ended as {outcome:?}:\n{self}", operation.id);
                }
            }
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (operation, counts) in OPERATIONS.iter().zip(&self.0) {
            write!(f, "  {:<34}", operation.id)?;
            for (outcome, count) in OUTCOMES.iter().zip(counts) {
                write!(f, " {outcome:?} {count}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().replace('_', "").parse().ok()
}

#[test]
fn every_operation_survives_hostile_responses() {
    let cases = env_number("FUZZ_CASES").unwrap_or(DEFAULT_CASES);
    let seed = env_number("FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let only = env_number("FUZZ_CASE");
    let corpus = Corpus::load();
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    let mut tally = Tally([[0; OUTCOMES.len()]; OPERATIONS.len()]);
    let started = Instant::now();
    let range = match only {
        Some(case) => case..case + 1,
        None => 0..cases,
    };
    for case in range.clone() {
        let _reproduce = Reproduce { seed, case };
        let input = generate(&mut Rng::new(seed, case), &corpus);
        if only.is_some() {
            eprintln!("{input:#?}");
        }
        let outcome = runtime.block_on(run(&input));
        tally.add(input.operation, outcome);
    }
    eprintln!(
        "{} hostile responses (seed {seed}) in {:.1?}, no panic:\n{tally}",
        range.end - range.start,
        started.elapsed()
    );
    if only.is_none() && cases >= 5_000 {
        tally.assert_reached_everything();
    }
}

/// The dispatch [`dispatch`] and [`OPERATIONS`] describe is the one the generated `send()`s
/// perform, as the table codegen writes into each vendor module says: the same operations and
/// methods, the same success and documented error statuses, the same types.
#[test]
fn the_table_matches_the_generated_dispatch() {
    // `alloc::vec::Vec<periskope_wapikit::periskope::types::Member>` and
    // `::std::vec::Vec<types::Member>` both become `Vec<Member>`.
    fn short(type_name: &str) -> String {
        let parts = type_name.split_inclusive(['<', '>', ',', ' ']);
        parts.map(|part| part.rsplit("::").next().unwrap_or(part)).collect::<String>().replace(' ', "")
    }
    let row = |id: &str, method: &str, success: &[u16], declared: &[u16], ok: &str, err: &str| {
        (id.to_string(), method.to_string(), success.to_vec(), declared.to_vec(), short(ok), short(err))
    };
    // Each vendor module defines its own `Operation`, so each list is read on its own.
    let mut generated: Vec<_> = periskope::operations::ALL
        .iter()
        .map(|op| row(op.id, op.method, op.success, op.declared, op.success_type, op.error_type))
        .collect();
    generated.extend(
        wapikit::operations::ALL
            .iter()
            .map(|op| row(op.id, op.method, op.success, op.declared, op.success_type, op.error_type)),
    );
    let mut table: Vec<_> = OPERATIONS
        .iter()
        .map(|op| row(op.id, op.method.as_str(), &[200], op.declared, (op.success_type)(), (op.error_type)()))
        .collect();
    generated.sort();
    table.sort();
    assert_eq!(table, generated, "update OPERATIONS in src/hostile_responses.rs to the generated operations");
}
