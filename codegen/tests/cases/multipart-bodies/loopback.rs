//! The multipart operations of this case against a loopback server: the server receives a
//! well-formed `multipart/form-data` body with the typed fields and the files; the JSON body of the
//! same operation stays reachable. (Compiled and run by
//! `xtask/tests/nested_cargo/accepted_cases.rs` inside a copy of the client crate where this case
//! is the vendor module `case_multipart_bodies`.)

use periskope_wapikit::case_multipart_bodies::{Client, types};
use periskope_wapikit::multipart::FilePart;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "received": 1 })))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder("key").base_url(server.uri()).build().expect("client builds")
}

/// One part of a multipart body: its headers (lower-case names) and its content.
#[derive(Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    content: Vec<u8>,
}

/// Splits a multipart body on the boundary of its `Content-Type`, failing on anything that is
/// not well-formed: a missing boundary, a missing closing delimiter, a part without
/// `Content-Disposition: form-data; name=..`.
fn parts(request: &wiremock::Request) -> Vec<Part> {
    let content_type = request.headers.get("content-type").expect("a content type").to_str().expect("ascii");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart/form-data: {content_type}"));
    let body = request.body.as_slice();
    let (open, close) = (format!("--{boundary}\r\n"), format!("\r\n--{boundary}--\r\n"));
    assert!(body.starts_with(open.as_bytes()), "the body opens with the boundary");
    assert!(body.ends_with(close.as_bytes()), "the body closes with the final boundary");
    let inner = &body[open.len()..body.len() - close.len()];
    let mut out = Vec::new();
    for chunk in split(inner, format!("\r\n--{boundary}\r\n").as_bytes()) {
        let (head, content) = split_once(chunk, b"\r\n\r\n").expect("a part has headers and content");
        let mut part = Part { name: String::new(), file_name: None, content_type: None, content: content.to_vec() };
        for line in std::str::from_utf8(head).expect("headers are text").split("\r\n") {
            let (key, value) = line.split_once(": ").expect("a header line");
            match key.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    assert!(value.starts_with("form-data; "), "{value}");
                    for attribute in value.split("; ").skip(1) {
                        let (key, quoted) = attribute.split_once('=').expect("key=value");
                        let unquoted = quoted.trim_matches('"').to_string();
                        match key {
                            "name" => part.name = unquoted,
                            "filename" => part.file_name = Some(unquoted),
                            other => panic!("unexpected attribute {other}"),
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.to_string()),
                other => panic!("unexpected part header {other}"),
            }
        }
        assert!(!part.name.is_empty(), "every part is named");
        out.push(part);
    }
    out
}

fn split_once<'a>(bytes: &'a [u8], separator: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    let at = bytes.windows(separator.len()).position(|window| window == separator)?;
    Some((&bytes[..at], &bytes[at + separator.len()..]))
}

fn split<'a>(mut bytes: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    while let Some((first, rest)) = split_once(bytes, separator) {
        out.push(first);
        bytes = rest;
    }
    out.push(bytes);
    out
}

#[tokio::test]
async fn a_multipart_only_operation_sends_files_and_typed_fields() {
    let server = server().await;
    let result = client(&server)
        .upload_attachments(
            "conv 1",
            types::AttachmentUpload::builder(
                "holiday, day 1",
                vec![
                    FilePart::new("first file").file_name("a.txt").content_type("text/plain"),
                    FilePart::new(vec![0u8, 159, 146, 150]).file_name("b.bin"),
                ],
            )
            .thumbnail(FilePart::new("png bytes"))
            .priority(3)
            .kind(types::AttachmentUploadKind::Document)
            .meta(
                types::AttachmentUploadMeta::try_from(
                    types::AttachmentUploadMeta::builder().source("camera".to_string()),
                )
                .expect("the metadata builds"),
            ),
        )
        .send()
        .await
        .expect("the call succeeds");
    assert_eq!(result.into_inner().received, 1);

    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/conversations/conv%201/attachments");
    let parts = parts(&requests[0]);
    let summary: Vec<(&str, Option<&str>, Option<&str>, &[u8])> = parts
        .iter()
        .map(|p| (p.name.as_str(), p.file_name.as_deref(), p.content_type.as_deref(), p.content.as_slice()))
        .collect();
    assert_eq!(
        summary,
        [
            ("caption", None, None, &b"holiday, day 1"[..]),
            ("files", Some("a.txt"), Some("text/plain"), &b"first file"[..]),
            ("files", Some("b.bin"), Some("application/octet-stream"), &[0u8, 159, 146, 150][..]),
            ("kind", None, None, &b"document"[..]),
            ("meta", None, Some("application/json"), &br#"{"source":"camera"}"#[..]),
            ("priority", None, None, &b"3"[..]),
            ("thumbnail", Some("thumbnail"), Some("application/octet-stream"), &b"png bytes"[..]),
        ]
    );
}

#[tokio::test]
async fn an_operation_with_json_and_multipart_offers_both() {
    let server = server().await;
    let client = client(&server);
    client
        .import_contacts_multipart(
            types::ImportContactsMultipart::builder(
                FilePart::new("name\nAda\n").file_name("contacts.csv").content_type("text/csv"),
            )
            .list_ids(vec!["l1".to_string(), "l2".to_string()]),
        )
        .dry_run(true)
        .send()
        .await
        .expect("the multipart call succeeds");
    client
        .import_contacts(types::ContactList::builder(["Ada"]))
        .send()
        .await
        .expect("the JSON call succeeds");

    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2, "the refused call sent nothing");
    let multipart = &requests[0];
    assert_eq!(multipart.url.query(), Some("dryRun=true"));
    let parts = parts(multipart);
    let names: Vec<(&str, &[u8])> = parts.iter().map(|p| (p.name.as_str(), p.content.as_slice())).collect();
    assert_eq!(names, [("file", &b"name\nAda\n"[..]), ("listIds", &b"l1"[..]), ("listIds", &b"l2"[..])]);
    assert_eq!(parts[0].content_type.as_deref(), Some("text/csv"));
    let json = &requests[1];
    assert_eq!(json.headers.get("content-type").expect("content type"), "application/json");
    assert_eq!(json.body_json::<serde_json::Value>().expect("JSON"), serde_json::json!({ "contacts": ["Ada"] }));
}

/// A multipart body written as an `allOf` of objects is one typed body with every part's
/// properties, sent as multipart (it was raw bytes, sent without a boundary).
#[tokio::test]
async fn a_multipart_body_written_as_all_of_is_typed() {
    let server = server().await;
    let body = types::CampaignUpload::builder(FilePart::new("banner bytes").file_name("banner.png"), "spring")
        .description("for the season".to_string());
    client(&server).create_campaign(body).send().await.expect("the call succeeds");

    let requests = server.received_requests().await.expect("recording is on");
    let parts = parts(&requests[0]);
    let summary: Vec<(&str, Option<&str>, &[u8])> =
        parts.iter().map(|p| (p.name.as_str(), p.file_name.as_deref(), p.content.as_slice())).collect();
    assert_eq!(
        summary,
        [
            ("banner", Some("banner.png"), &b"banner bytes"[..]),
            ("description", None, &b"for the season"[..]),
            ("name", None, &b"spring"[..]),
        ]
    );
}
