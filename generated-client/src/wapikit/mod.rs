//! The Wapikit API (`https://api.wapikit.com/api`).
//!
//! Requests carry the API key in the `x-access-token` header.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use periskope_wapikit::wapikit::{Client, types};
//!
//! let client = Client::new("my-api-key")?;
//! let invite = client
//!     .create_organization_invite()
//!     .body(
//!         types::CreateNewOrganizationInviteSchema::builder()
//!             .email("new.member@example.com")
//!             .access_level(types::UserPermissionLevelEnum::Member),
//!     )
//!     .send()
//!     .await?;
//! println!("{:?}", invite.into_inner());
//! # Ok(()) }
//! ```

#[allow(unused_imports, unused_mut, unreachable_pub, clippy::all, clippy::pedantic)]
#[rustfmt::skip]
mod generated;

pub use generated::*;

use reqwest::header::{HeaderName, HeaderValue};

use crate::builder::{BuildError, ClientBuilder, Vendor};
use crate::runtime::{Runtime, impl_client_hooks};

/// The environment variable holding the Wapikit API key.
pub const API_KEY_ENV: &str = "WAPIKIT_API_KEY";
/// The environment variable that overrides the base URL (optional).
pub const BASE_URL_ENV: &str = "WAPIKIT_BASE_URL";

impl Vendor for Client {
    const NAME: &'static str = "Wapikit";
    const DEFAULT_BASE_URL: &'static str = DEFAULT_BASE_URL;
    const API_KEY_ENV: &'static str = API_KEY_ENV;
    const BASE_URL_ENV: &'static str = BASE_URL_ENV;

    fn auth_header(api_key: &str) -> Option<(HeaderName, HeaderValue)> {
        crate::builder::api_key_header("x-access-token", api_key)
    }

    fn from_parts(baseurl: String, client: reqwest::Client, inner: Runtime) -> Self {
        Client { baseurl, client, inner }
    }
}

impl_client_hooks!(Client);

impl Client {
    /// A client for the Wapikit API with default settings, authenticating with `api_key`.
    pub fn new(api_key: impl Into<String>) -> Result<Self, BuildError> {
        Self::builder(api_key).build()
    }

    /// A builder for a client authenticating with `api_key`.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder<Self> {
        ClientBuilder::new(api_key)
    }

    /// A client configured from `WAPIKIT_API_KEY`, and optionally `WAPIKIT_BASE_URL`.
    pub fn from_env() -> Result<Self, BuildError> {
        ClientBuilder::from_env()?.build()
    }
}
