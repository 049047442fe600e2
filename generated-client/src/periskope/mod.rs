//! The Periskope API (`https://api.periskope.app/v1`).
//!
//! Requests carry `Authorization: Bearer <api key>`; chat, message and phone endpoints also
//! need the `x-phone` header, set with [`ClientBuilder::phone`](crate::ClientBuilder::phone).
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use periskope_wapikit::periskope::{Client, types};
//!
//! let client = Client::new("my-api-key")?;
//! let invited = client
//!     .invite_members()
//!     .body(types::InviteMembersBody::builder().emails(vec!["test@example.com".to_string()]))
//!     .send()
//!     .await?;
//! println!("{:?}", invited.into_inner());
//! # Ok(()) }
//! ```

#[allow(unused_imports, unused_mut, unreachable_pub, clippy::all, clippy::pedantic)]
#[rustfmt::skip]
mod generated;

pub use generated::*;

use reqwest::header::{HeaderName, HeaderValue};

use crate::builder::{BuildError, ClientBuilder, Vendor};
use crate::runtime::{Runtime, impl_client_hooks};

/// The environment variable holding the Periskope API key.
pub const API_KEY_ENV: &str = "PERISKOPE_API_KEY";
/// The environment variable holding the phone for the `x-phone` header (optional).
pub const PHONE_ENV: &str = "PERISKOPE_PHONE";
/// The environment variable that overrides the base URL (optional).
pub const BASE_URL_ENV: &str = "PERISKOPE_BASE_URL";

impl Vendor for Client {
    const NAME: &'static str = "Periskope";
    const DEFAULT_BASE_URL: &'static str = DEFAULT_BASE_URL;
    const API_KEY_ENV: &'static str = API_KEY_ENV;
    const BASE_URL_ENV: &'static str = BASE_URL_ENV;

    fn auth_header(api_key: &str) -> Option<(HeaderName, HeaderValue)> {
        crate::builder::bearer(api_key)
    }

    fn from_parts(baseurl: String, client: reqwest::Client, inner: Runtime) -> Self {
        Client { baseurl, client, inner }
    }
}

impl_client_hooks!(Client);

impl Client {
    /// A client for the Periskope API with default settings, authenticating with `api_key`.
    pub fn new(api_key: impl Into<String>) -> Result<Self, BuildError> {
        Self::builder(api_key).build()
    }

    /// A builder for a client authenticating with `api_key`.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder<Self> {
        ClientBuilder::new(api_key)
    }

    /// A client configured from `PERISKOPE_API_KEY`, and optionally `PERISKOPE_PHONE` and
    /// `PERISKOPE_BASE_URL` (values trimmed; an empty variable counts as unset).
    pub fn from_env() -> Result<Self, BuildError> {
        Self::builder_from_env()?.build()
    }

    /// A builder configured from the environment, as [`Client::from_env`], to adjust further.
    pub fn builder_from_env() -> Result<ClientBuilder<Self>, BuildError> {
        let mut builder = ClientBuilder::from_env()?;
        if let Some(phone) = crate::builder::env_value(PHONE_ENV)? {
            if reqwest::header::HeaderValue::from_str(&phone).is_err() {
                let problem = "holds characters not allowed in an HTTP header".into();
                return Err(BuildError::InvalidEnv { name: PHONE_ENV, problem });
            }
            builder = builder.phone(phone);
        }
        Ok(builder)
    }
}

impl ClientBuilder<Client> {
    /// Sends `x-phone: <phone>` with every request: the connected phone number with country
    /// code, digits only (`919876512340`), or a phone id (`phone-xxxxxxxxxxxx`).
    pub fn phone(self, phone: impl Into<String>) -> Self {
        self.header("x-phone", phone)
    }
}
