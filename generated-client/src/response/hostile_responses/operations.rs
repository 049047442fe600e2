//! The generated operations, as their `send()`s handle a response, and the check that this
//! list is the one codegen writes into each vendor module.

use progenitor_client::ResponseValue;
use reqwest::Method;
use serde::de::DeserializeOwned;

use super::case::Case;
use super::checks::{Outcome, check};
use crate::response::{declared_error, decode, undeclared_error};
use crate::{Error, periskope, wapikit};

/// One generated operation, as its `send()` handles a response.
pub(super) struct Operation {
    pub(super) id: &'static str,
    pub(super) method: Method,
    /// The statuses whose JSON body the operation documents (decoded as its error type); 200
    /// is the only success status, and any other status is an undeclared error.
    pub(super) declared: &'static [u16],
    /// Whether bytes decode as the operation's success type, and as its error type.
    pub(super) success_decodes: fn(&[u8]) -> bool,
    pub(super) error_decodes: fn(&[u8]) -> bool,
    /// The two types' names, to compare with the generated table.
    pub(super) success_type: fn() -> &'static str,
    pub(super) error_type: fn() -> &'static str,
}

const PERISKOPE_DECLARED: &[u16] = &[422];
const WAPIKIT_DECLARED: &[u16] = &[400, 401, 404, 429];

/// Every generated operation (the test `the_table_matches_the_generated_dispatch` fails when
/// the generated code says otherwise); [`run`] maps each index to its types.
pub(super) static OPERATIONS: [Operation; 5] = [
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
pub(super) async fn run(case: &Case) -> Outcome {
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
pub(super) async fn dispatch<T: DeserializeOwned, E: DeserializeOwned>(
    declared: &[u16],
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    match response.status().as_u16() {
        200 => decode(response).await,
        status if declared.contains(&status) => Err(declared_error(response).await),
        _ => Err(undeclared_error(response).await),
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
    assert_eq!(
        table, generated,
        "update OPERATIONS in src/response/hostile_responses/operations.rs to the generated operations"
    );
}
