//! Names that collide in Rust get distinct identifiers and keep their wire names, against a
//! server on 127.0.0.1: `isGlobal` and `is_global` are two fields, `ASC` and `asc` two
//! variants, `Etc/GMT+1` and `Etc/GMT-1` two variants, each sent and read as written.

use periskope_wapikit::case_colliding_rust_names::{Client, types};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn colliding_names_keep_their_wire_names() {
    let server = MockServer::start().await;
    let wire = json!({ "isGlobal": true, "is_global": false, "+1": 1, "-1": -1, "order": "asc", "zone": "Etc/GMT-1" });
    Mock::given(method("POST"))
        .and(path("/filters"))
        .and(body_json(wire.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "isGlobal": false, "is_global": true, "order": "ASC", "zone": "Etc/GMT+1",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("test-key").base_url(server.uri()).build().expect("client builds");
    let body = types::Filter::builder(true)
        .is_global(false)
        .plus1(1)
        .minus1(-1)
        .order(types::Order::Asc2)
        .zone(types::Zone::EtcGmtMinus1);
    let filter = client.create_filter(body).send().await.expect("the call succeeds").into_inner();
    assert!(!filter.is_global_2);
    assert_eq!(filter.is_global, Some(true));
    assert_eq!(filter.order, Some(types::Order::Asc));
    assert_eq!(filter.zone, Some(types::Zone::EtcGmt1));
    assert_eq!(types::Order::Asc2.to_string(), "asc");
    assert_eq!("Etc/GMT-1".parse::<types::Zone>().expect("a known zone"), types::Zone::EtcGmtMinus1);
}
