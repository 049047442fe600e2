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
/// name (or a path with a query in it) fails for the document's reason.
#[test]
fn a_path_identical_but_for_a_parameter_name_is_the_documents_failure() {
    let rejected = json!({
        "call": "sent", "status": 422, "failure": { "kind": "status" },
        "request_violations": ["request.query: Request query must have required property 'tag_id'"],
        "response_violations": [],
    });
    let operation = |request: &str| json!({ "request": request, "method": "m", "covered": true, "calls": [rejected] });
    let operations = [
        operation("GET /boards/{board_id}/items"),
        operation("GET /boards/{board_id_tags}/items"),
        operation("GET /buckets?id={id}"),
        operation("GET /other/{id}"),
    ];
    let result = judge(&operations, "examples", false);
    let whose: Vec<(&str, &str)> = result.failures.iter().map(|f| (f.operation.as_str(), f.whose.word())).collect();
    assert_eq!(
        whose,
        [
            ("GET /boards/{board_id}/items (m)", "the document's"),
            ("GET /boards/{board_id_tags}/items (m)", "the document's"),
            ("GET /buckets?id={id} (m)", "the document's"),
            ("GET /other/{id} (m)", "ours"),
        ]
    );
    assert_eq!(result.accepted, 0, "the requests were still not accepted");
}
