//! Every path the generated code names in the client crate (`generated-client`), in one place:
//! the generated code is compiled inside that crate, so these items must exist there with
//! exactly these names.

/// The client crate as its users name it (doctests, the example-contract tests).
pub const CLIENT_CRATE: &str = "periskope_wapikit";

/// The three-state field type (`Absent`, `Null`, `Value(T)`), by its name in the crate root.
pub const NULLABLE_NAME: &str = "Nullable";
/// [`NULLABLE_NAME`] as the generated code names it.
pub const NULLABLE: &str = "crate::Nullable";
/// What the setter of a three-state list of strings takes (a list of string-likes, an `Option`
/// of one, or a `Nullable`): `fn into_nullable_strings(self) -> Nullable<Vec<String>>`.
pub const NULLABLE_STRING_LIST: &str = "crate::NullableStringList";
/// What the setter of an optional string enum takes (an `Option` of it, the enum, or its
/// text): `fn into_optional(self) -> Result<Option<T>, String>`.
pub const OPTIONAL_INPUT: &str = "crate::OptionalInput";
/// The serde `skip_serializing_if` predicate that leaves absent fields out.
pub const NULLABLE_IS_ABSENT: &str = "crate::Nullable::is_absent";

/// The type every generated `Client` carries for the hand-written runtime (authentication,
/// default headers); the client crate defines it and implements `ClientHooks` with it.
pub const RUNTIME: &str = "crate::runtime::Runtime";

/// How a request carries the client's key: `crate::Auth::{Bearer, Basic, Header(name),
/// Query(name), Cookie(name)}`.
pub const AUTH: &str = "crate::Auth";
/// Adds the client's key to a request as an operation's scheme says (nothing when the vendor
/// fixes its own): `fn(&Runtime, &mut reqwest::Request, Auth) -> Result<(), String>`.
pub const APPLY_AUTH: &str = "crate::auth::apply";

/// The client crate's error type, generic over the documented error body.
pub const ERROR: &str = "crate::Error";
/// Attaches the operation to a `reqwest::Error` where the generated `send()` meets one:
/// `fn(&'static str) -> impl FnOnce(reqwest::Error) -> Error<E>`.
pub const IN_OPERATION: &str = "crate::error::in_operation";
/// Attaches the operation to an input refused before sending (a conversion's message, or a
/// header value HTTP does not allow): `fn(&'static str) -> impl FnOnce(M) -> Error<E>`.
pub const INVALID_REQUEST: &str = "crate::error::invalid_request";
/// Decodes a success body: `async fn(reqwest::Response) -> Result<ResponseValue<T>, Error<E>>`.
pub const DECODE: &str = "crate::response::decode";
/// An error response with a documented JSON body: `async fn(reqwest::Response) -> Error<E>`.
pub const DECLARED_ERROR: &str = "crate::response::declared_error";
/// Any other error response: `async fn(reqwest::Response) -> Error<E>`.
pub const UNDECLARED_ERROR: &str = "crate::response::undeclared_error";

/// A `101 Switching Protocols` response, upgraded (a websocket):
/// `async fn(reqwest::Response) -> Result<ResponseValue<reqwest::Upgraded>, Error<E>>`.
pub const UPGRADE: &str = "crate::response::upgrade";

/// A file sent as one part of a `multipart/form-data` body (the type of every binary property
/// of a multipart body).
pub const FILE_PART: &str = "crate::multipart::FilePart";
/// The trait a multipart body type implements to become a `reqwest::multipart::Form`:
/// `fn to_form(&self) -> Result<reqwest::multipart::Form, String>`.
pub const TO_FORM: &str = "crate::multipart::ToForm";
/// Adds a field's file parts (`FilePart`, `Option<FilePart>`, `Vec<FilePart>`) to a form:
/// `fn(Form, &str, &impl Files) -> Result<Form, String>`.
pub const ADD_FILES: &str = "crate::multipart::add_files";
/// A query parameter in a style progenitor does not encode:
/// `Styled::new(name: &str, style: Style, value: &T)`, passed to `RequestBuilder::query`.
pub const STYLED_QUERY: &str = "crate::query::Styled";
/// A form-urlencoded body, encoded as OpenAPI's default form style (lists repeat their name).
pub const FORM_BODY: &str = "crate::query::Form";
/// The styles of [`STYLED_QUERY`]: `crate::query::Style::{DeepObject, FormUnexploded, PipeDelimited, SpaceDelimited}`.
pub const QUERY_STYLE: &str = "crate::query::Style";
/// Adds any other field's value to a form, as text (scalars, one part per array item) or JSON
/// (objects): `fn(Form, &str, &impl Serialize) -> Result<Form, String>`.
pub const ADD_VALUE: &str = "crate::multipart::add_value";

/// The example-contract tests' helper, in the client crate's `tests/common` module:
/// `fn assert_round_trip<T>(location: &str, json: &str)`.
pub const ASSERT_ROUND_TRIP: &str = "crate::common::assert_round_trip";
/// The response fuzzing's row of its operation table (`tests/fuzz_responses/operations.rs`):
/// `fn new<T, E>(id, method, path, success: &[u16], declared: &[u16]) -> Operation`.
pub const OPERATION_ROW: &str = "crate::operations::Operation::new";

/// The Prism mock test's result of one call, in the client crate's `tests/prism.rs`: a type
/// with `From<Result<ResponseValue<T>, Error<E>>>` for every `T` and `E`.
pub const MOCK_OUTCOME: &str = "crate::Outcome";

/// `path` as a syntax tree; the constants above are valid paths, so the fallback (the client
/// crate's root) is never taken.
pub fn parse(path: &str) -> syn::Path {
    syn::parse_str(path).unwrap_or_else(|_| syn::parse_quote!(crate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_parses() {
        for path in [
            NULLABLE,
            NULLABLE_IS_ABSENT,
            NULLABLE_STRING_LIST,
            RUNTIME,
            AUTH,
            APPLY_AUTH,
            ERROR,
            IN_OPERATION,
            INVALID_REQUEST,
            DECODE,
            DECLARED_ERROR,
            UNDECLARED_ERROR,
            ASSERT_ROUND_TRIP,
            MOCK_OUTCOME,
            OPERATION_ROW,
            FILE_PART,
            TO_FORM,
            ADD_FILES,
            ADD_VALUE,
            UPGRADE,
        ] {
            assert!(syn::parse_str::<syn::Path>(path).is_ok(), "{path}");
        }
        assert!(syn::parse_str::<syn::Ident>(CLIENT_CRATE).is_ok());
    }
}
