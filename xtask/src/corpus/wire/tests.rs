//! Unit tests of the wire check's verdicts.

use serde_json::json;

use super::*;

#[test]
fn unmet_security_reported_on_the_request_as_a_whole_is_an_auth_failure() {
    let call = json!({
        "call": "sent", "status": 422, "failure": { "kind": "status" },
        "request_violations": ["request: Invalid security scheme used"], "response_violations": [],
    });
    let verdict = verdict(&call, "examples", false);
    assert_eq!(verdict.level, Level::NotAccepted);
    assert_eq!(verdict.cause.map(|(cause, _)| cause), Some("auth: a security scheme the request does not satisfy"));
}

/// A request Prism routed to another operation whose path differs only in a parameter's
/// name (or a path with a query or a fragment in it) fails for the document's reason, refused
/// or answered with the other operation's answer.
#[test]
fn a_path_identical_but_for_a_parameter_name_is_the_documents_failure() {
    let rejected = json!({
        "call": "sent", "status": 422, "failure": { "kind": "status" },
        "request_violations": ["request.query: Request query must have required property 'tag_id'"],
        "response_violations": [],
    });
    let operation = |request: &str| json!({ "request": request, "method": "m", "covered": true, "calls": [rejected] });
    // Answered with the other operation's answer (no content), which does not decode.
    let undecoded = json!({
        "request": "GET /roles/{role}", "method": "m", "covered": true, "calls": [{
            "call": "sent", "status": 200, "failure": { "kind": "decode", "message": "EOF while parsing" },
            "request_violations": [], "response_violations": [],
        }],
    });
    let operations = [
        operation("GET /roles/{name}"),
        undecoded,
        operation("GET /boards/{board_id}/items"),
        operation("GET /boards/{board_id_tags}/items"),
        operation("GET /buckets?id={id}"),
        operation("GET /connectors/{id}#id"),
        operation("GET /other/{id}"),
    ];
    let result = judge(&operations, "examples", false, &[]);
    let whose: Vec<(&str, &str)> = result.failures.iter().map(|f| (f.operation.as_str(), f.whose.word())).collect();
    assert_eq!(
        whose,
        [
            ("GET /roles/{name} (m)", "the document's"),
            ("GET /roles/{role} (m)", "the document's"),
            ("GET /boards/{board_id}/items (m)", "the document's"),
            ("GET /boards/{board_id_tags}/items (m)", "the document's"),
            ("GET /buckets?id={id} (m)", "the document's"),
            ("GET /connectors/{id}#id (m)", "the document's"),
            ("GET /other/{id} (m)", "ours"),
        ]
    );
    assert_eq!(result.accepted, 1, "the refused requests were still not accepted");
}

/// With examples, an answer that breaks its schema is the document's example, but where the
/// document has none the mock served a sample of the generator's: that one is ours.
#[test]
fn a_sampled_answer_that_breaks_its_schema_is_ours() {
    let broken = json!({
        "call": "sent", "status": 500, "failure": { "kind": "status", "prism_error": "https://stoplight.io/prism/errors#VIOLATIONS" },
        "request_violations": [], "response_violations": ["response.body.id: must match pattern"],
    });
    let operation = |request: &str| json!({ "request": request, "method": "m", "covered": true, "calls": [broken] });
    let operations = [operation("GET /notes/{id}"), operation("GET /tags")];
    let sampled = [
        "/paths/~1notes~1{id}/get/responses/200/content/application~1json/example".to_string(),
        // An error status's sample is not the answer Prism served.
        "/paths/~1tags/get/responses/404/content/application~1json/example".to_string(),
    ];
    let result = judge(&operations, "examples", false, &sampled);
    let causes: Vec<(&str, &str)> = result.failures.iter().map(|f| (f.cause, f.whose.word())).collect();
    assert_eq!(
        causes,
        [
            ("an answer the generator sampled (the document has no example) breaks the schema", "ours"),
            ("the document's example breaks its own schema", "the document's"),
        ]
    );
    assert_eq!((result.accepted, result.decoded), (2, 0));
    let dynamic = judge(&operations, "dynamic", false, &sampled);
    assert!(dynamic.failures.iter().all(|f| f.whose == Whose::Prism), "{:?}", dynamic.failures);
}

/// A call that panicked (the harness caught it, and sent the document's other calls) is the
/// generated client's defect.
#[test]
fn a_call_that_panicked_is_ours() {
    let call = json!({ "call": "panicked", "message": "called `Result::unwrap()` on an `Err` value" });
    let verdict = verdict(&call, "dynamic", false);
    assert_eq!(verdict.level, Level::NotAccepted);
    assert_eq!(verdict.cause, Some(("the client panicked", Whose::Ours)));
    assert!(verdict.message.contains("unwrap"), "{}", verdict.message);
}

/// A call Prism did not answer before the client's timeout, Prism running, is Prism's; one that
/// found no server while Prism ran is ours, unless Prism had stopped.
#[test]
fn a_timeout_is_prisms_and_a_lost_connection_ours_unless_prism_stopped() {
    let failed = |kind: &str| json!({ "call": "sent", "failure": { "kind": kind, "message": "m" } });
    let cause = |call: &Value, stopped: bool| verdict(call, "dynamic", stopped).cause;
    let prism = Some(("Prism did not answer within the client's timeout", Whose::Prism));
    assert_eq!(cause(&failed("timeout"), false), prism);
    assert_eq!(cause(&failed("transport"), false), Some(("transport", Whose::Ours)));
    assert_eq!(cause(&failed("transport"), true), Some(("Prism stopped while answering", Whose::Prism)));
}
