//! Makes hostile cases from a seed: statuses, headers and bodies, the bodies starting from the
//! documented examples of the vendored specs and the example contract.

use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use crate::case::{Case, Hint};
use crate::fuzz::Rng;
use crate::operations::{OPERATIONS, Operation};
use periskope_wapikit::DEFAULT_MAX_RESPONSE_SIZE;

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
pub struct Corpus {
    documents: Vec<Value>,
    /// For each operation, the documents that decode as its success type, and as its error type.
    successes: Vec<Vec<Value>>,
    errors: Vec<Vec<Value>>,
}

impl Corpus {
    pub fn load() -> Self {
        let mut documents = Vec::new();
        for spec in ["periskope/invite-members.yaml", "periskope/update-member-access.yaml", "wapikit/wapikit.yaml"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(spec);
            let text = std::fs::read_to_string(&path).expect("the vendored spec is readable");
            let spec: Value = serde_yaml_ng::from_str(&text).expect("the vendored spec parses");
            collect_examples(&spec, &mut documents);
        }
        // The example contract's documents, which include the ones the specs give property by
        // property.
        for contract in [
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/generated/periskope_examples.rs")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/generated/wapikit_examples.rs")),
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

pub fn generate(rng: &mut Rng, corpus: &Corpus) -> Case {
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
