//! One declaration per vendor: [`ApiClient`] says what the shared builder needs to know about an
//! API (its name, environment variables, authentication), and `api_client!` writes it, the
//! request hook and the constructors every vendor's `Client` has (`new`, `builder`, `from_env`,
//! `builder_from_env`) from a few lines in the vendor's module:
//!
//! ```ignore
//! crate::api_client! {
//!     name: "Wapikit",
//!     api_key_env: "WAPIKIT_API_KEY",
//!     base_url_env: "WAPIKIT_BASE_URL",
//!     auth: crate::Auth::Header("x-access-token"), // optional: without it, the document decides
//!     env_headers: [PHONE_ENV = "WAPIKIT_PHONE" => "x-phone"], // optional
//! }
//! ```

use crate::auth::Auth;
use crate::runtime::Runtime;

/// What the shared [`ClientBuilder`](crate::ClientBuilder) needs to know about an API's client.
///
/// Each vendor module implements it for its `Client` with one `api_client!` declaration.
pub trait ApiClient: Sized {
    /// The API's name, for messages.
    const NAME: &'static str;
    /// The base URL used when none is configured.
    const DEFAULT_BASE_URL: &'static str;
    /// The environment variable holding the API key, read by `from_env`.
    const API_KEY_ENV: &'static str;
    /// The environment variable that overrides the base URL, read by `from_env`.
    const BASE_URL_ENV: &'static str;
    /// How requests carry the API key: the scheme the vendor's declaration fixes for every
    /// request, or [`Auth::FromDocument`] when each operation's document decides.
    const AUTH: Auth;
    /// Optional headers `from_env` sets from environment variables: (variable, header name).
    #[doc(hidden)]
    const ENV_HEADERS: &'static [(&'static str, &'static str)] = &[];

    /// Assembles the client (called by the builder; hidden: a user builds with `builder()`).
    #[doc(hidden)]
    fn from_parts(base_url: String, http: reqwest::Client, runtime: Runtime) -> Self;
}

/// Declares the vendor module's `Client` (generated) as an [`ApiClient`], with its request hook,
/// its `API_KEY_ENV` and `BASE_URL_ENV` constants and its four constructors.
macro_rules! api_client {
    (
        name: $name:literal,
        api_key_env: $key_env:literal,
        base_url_env: $url_env:literal,
        $(auth: $auth:expr,)?
        $(env_headers: [$($env_const:ident = $env:literal => $header:literal),* $(,)?],)?
    ) => {
        $($(
            #[doc = concat!("The environment variable `from_env` sends as the `", $header, "` header (optional).")]
            pub const $env_const: &str = $env;
        )*)?
        #[doc = concat!("The environment variable holding the ", $name, " API key.")]
        pub const API_KEY_ENV: &str = $key_env;
        #[doc = concat!("The environment variable that overrides the ", $name, " base URL (optional).")]
        pub const BASE_URL_ENV: &str = $url_env;

        impl $crate::ApiClient for Client {
            const NAME: &'static str = $name;
            const DEFAULT_BASE_URL: &'static str = DEFAULT_BASE_URL;
            const API_KEY_ENV: &'static str = API_KEY_ENV;
            const BASE_URL_ENV: &'static str = BASE_URL_ENV;
            const AUTH: $crate::Auth = $crate::vendor::auth_or_document!($($auth)?);
            $(const ENV_HEADERS: &'static [(&'static str, &'static str)] = &[$(($env, $header)),*];)?

            fn from_parts(baseurl: String, client: reqwest::Client, inner: $crate::runtime::Runtime) -> Self {
                Client { baseurl, client, inner }
            }
        }

        $crate::runtime::impl_client_hooks!(Client);

        impl Client {
            #[doc = concat!("A client for the ", $name, " API with default settings, authenticating with `api_key`.")]
            pub fn new(api_key: impl Into<String>) -> Result<Self, $crate::BuildError> {
                Self::builder(api_key).build()
            }

            /// A builder for a client authenticating with `api_key`.
            pub fn builder(api_key: impl Into<String>) -> $crate::ClientBuilder<Self> {
                $crate::ClientBuilder::new(api_key)
            }

            #[doc = concat!(
                "A client configured from `", $key_env, "`, and optionally `", $url_env, "`",
                $($(", `", $env, "`",)*)?
                " (values trimmed; an empty variable counts as unset)."
            )]
            pub fn from_env() -> Result<Self, $crate::BuildError> {
                Self::builder_from_env()?.build()
            }

            /// A builder configured from the environment, as [`Client::from_env`], to adjust further.
            pub fn builder_from_env() -> Result<$crate::ClientBuilder<Self>, $crate::BuildError> {
                $crate::ClientBuilder::from_env()
            }
        }
    };
}
pub(crate) use api_client;

/// The `auth:` of an `api_client!` declaration, or [`Auth::FromDocument`] without one: each
/// operation's document then decides.
macro_rules! auth_or_document {
    () => {
        $crate::Auth::FromDocument
    };
    ($auth:expr) => {
        $auth
    };
}
pub(crate) use auth_or_document;
