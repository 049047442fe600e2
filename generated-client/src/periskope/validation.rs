//! Periskope's validation failure body: 422 `VALIDATION_ERROR`.
//!
//! The specification documents no error responses at all; the body's shape comes from what the
//! API sends: `{ code, fields: { <field>: { message, value? } }, message, name, status }`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{ApiError, Error};

/// A request Periskope rejected as invalid (HTTP 422, code `VALIDATION_ERROR`): which fields
/// are wrong, and why.
///
/// ```no_run
/// # async fn example(client: periskope_wapikit::periskope::Client) {
/// use periskope_wapikit::periskope::{ValidationError, types};
///
/// let result = client
///     .invite_members()
///     .body(types::InviteMembersBody::builder().emails(vec!["not-an-email".to_string()]))
///     .send()
///     .await;
/// if let Err(err) = result {
///     match ValidationError::from_error(&err) {
///         Some(invalid) => {
///             for (field, problem) in &invalid.fields {
///                 eprintln!("{field}: {}", problem.message);
///             }
///         }
///         None => eprintln!("{err}"),
///     }
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ValidationError {
    /// `VALIDATION_ERROR`.
    pub code: String,
    /// A summary of what is wrong.
    pub message: String,
    /// `Validation Error`.
    #[serde(default)]
    pub name: String,
    /// The HTTP status, 422.
    #[serde(default)]
    pub status: u16,
    /// Each invalid field (for a header, its name in braces, e.g. `{x-phone}`) and what is wrong
    /// with it.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldError>,
}

/// What is wrong with one field of a rejected request.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct FieldError {
    /// What is wrong, e.g. `Missing Header: {x-phone}`.
    pub message: String,
    /// The value the API received, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

impl ValidationError {
    /// The validation failure `error` carries, when it is a 422 response with this body.
    pub fn from_error<E>(error: &Error<E>) -> Option<Self> {
        Self::from_api_error(error.api_error()?)
    }

    /// The validation failure an error response carries, when it is a 422 with this body.
    pub fn from_api_error<E>(error: &ApiError<E>) -> Option<Self> {
        if error.status() != reqwest::StatusCode::UNPROCESSABLE_ENTITY {
            return None;
        }
        error.json()
    }
}
