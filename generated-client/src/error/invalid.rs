//! A request refused before it was sent: [`InvalidRequestError`], and [`invalid_request`], with
//! which the generated operations attach their name to it.

use std::fmt;

use super::Error;

/// A request refused before it was sent: an input that does not convert to the type the API
/// takes, a body that is not valid, a header value HTTP does not allow, or a request reqwest
/// could not build.
///
/// Its message names the operation and the input, e.g. ``get_organization_invites`: `page` does
/// not convert to `i64``.
#[derive(Debug)]
pub struct InvalidRequestError {
    operation: Option<&'static str>,
    message: String,
}

impl InvalidRequestError {
    /// `message` about a request of `operation`.
    pub(crate) fn new(operation: Option<&'static str>, message: String) -> Self {
        Self { operation, message }
    }

    /// The operation whose request was refused, e.g. `get_organization_invites`; `None` only for
    /// a header value converted with `?` outside an operation.
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }
}

impl fmt::Display for InvalidRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InvalidRequestError {}

/// What a generated `send()` refuses an input with: the message of a conversion that failed
/// (which names the operation and the input), or a header value HTTP does not allow.
pub(crate) trait InvalidInput {
    /// The message, naming `operation`.
    fn message(self, operation: &'static str) -> String;
}

impl InvalidInput for String {
    fn message(self, operation: &'static str) -> String {
        let named = format!("`{operation}`");
        if self.starts_with(&named) { self } else { format!("{named}: {self}") }
    }
}

impl InvalidInput for reqwest::header::InvalidHeaderValue {
    fn message(self, operation: &'static str) -> String {
        format!("`{operation}`: a header parameter has a value HTTP does not allow: {self}")
    }
}

/// What the generated operations map an input they cannot send with: an
/// [`Error::InvalidRequest`] of `operation`.
pub(crate) fn invalid_request<M: InvalidInput, E>(operation: &'static str) -> impl FnOnce(M) -> Error<E> {
    move |input| Error::InvalidRequest(InvalidRequestError::new(Some(operation), input.message(operation)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::transport;

    #[test]
    fn every_refusal_names_its_operation() {
        let converted: Error = invalid_request("op")("`op`: `page` does not convert to `i64`".to_string());
        assert_eq!(converted.operation(), Some("op"));
        assert_eq!(converted.to_string(), "invalid request: `op`: `page` does not convert to `i64`");
        let unnamed: Error = invalid_request("op")("cannot add the file part".to_string());
        assert_eq!(unnamed.to_string(), "invalid request: `op`: cannot add the file part");
        let header = reqwest::header::HeaderValue::from_str("a\nb").expect_err("a newline is not allowed");
        let header: Error = invalid_request("op")(header);
        assert_eq!(header.operation(), Some("op"));
        assert!(header.to_string().contains("`op`: a header parameter"), "{header}");
        crate::builder::install_tls_provider();
        let unbuilt = reqwest::Client::new().get("not a URL").build().expect_err("not a URL");
        let unbuilt: Error = transport(Some("op"), unbuilt);
        assert!(matches!(unbuilt, Error::InvalidRequest(_)), "{unbuilt:?}");
        assert_eq!(unbuilt.operation(), Some("op"));
    }
}
