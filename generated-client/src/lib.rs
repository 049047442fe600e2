//! Typed Rust clients for the Periskope and Wapikit WhatsApp business APIs.
//!
//! Each API is a module behind a cargo feature of the same name (both on by default):
//! [`periskope`] and [`wapikit`]. Each module has its own `Client`, declared once as an
//! [`ApiClient`] (name, environment variables, the [`Auth`] scheme it fixes, or none when each
//! operation's OpenAPI `security` decides) and built from an API key with
//! the same four constructors: `Client::new`, `Client::builder`, `Client::from_env` and
//! `Client::builder_from_env`. One method per operation returns a request builder whose
//! `send()` performs the call.
//!
//! Every `send()` returns the module's `Error` (this crate's [`Error`] with the API's documented
//! error body): a timeout, a transport failure, an error status with its decoded body and text
//! ([`ApiError`]), or a success body that cannot be decoded ([`DecodeError`]). Requests are
//! retried as the client's [`RetryPolicy`] allows, each response's rate-limit headers are
//! readable with [`ResponseExt`], and every request is traced as a `tracing` span.
//!
//! The client runs on Tokio, inside a runtime with its I/O and time drivers (`#[tokio::main]`,
//! `#[tokio::test]`, or `tokio::runtime::Builder` with `enable_all()`). A call made outside any
//! Tokio runtime (from `futures::executor::block_on`, say) sends nothing and returns an
//! [`Error::Transport`] whose message says `no Tokio runtime`; inside a runtime without the time
//! or I/O driver, Tokio panics with a message naming the driver to enable.
//!
//! The operation methods and types are generated from the vendored OpenAPI documents by
//! `cargo xtask regen`; construction, authentication, retries and errors are written by hand.

#![warn(missing_docs)]

mod auth;
mod builder;
mod error;
mod headers;
#[cfg(feature = "__internals")]
#[doc(hidden)]
pub mod internals;
mod lists;
pub mod multipart;
mod nullable;
mod optional;
// Only Wapikit's lists are paginated so far.
#[cfg(feature = "wapikit")]
mod pages;
pub mod query;
mod response;
mod retry;
mod runtime;
mod vendor;

pub use auth::Auth;
pub use builder::{BuildError, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use error::{
    ApiError, DecodeError, Error, InvalidRequestError, PaginationError, PaginationErrorKind, TransportError,
};
pub use headers::{RateLimit, ResponseExt};
pub use lists::{NullableStringList, StringList};
pub use nullable::Nullable;
pub use optional::OptionalInput;
#[cfg(feature = "wapikit")]
pub use pages::{DEFAULT_MAX_PAGES, DEFAULT_WALK_TIMEOUT, Items};
pub use progenitor_client::ResponseValue;
pub use response::DEFAULT_MAX_RESPONSE_SIZE;
pub use retry::RetryPolicy;
pub use runtime::Runtime;
pub use vendor::ApiClient;

#[cfg(feature = "periskope")]
pub mod periskope;
#[cfg(feature = "wapikit")]
pub mod wapikit;

/// The crate README's example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The workspace README's example ("Using the client"), compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct WorkspaceReadmeDoctests;
