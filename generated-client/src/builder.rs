//! Building a client: API key, base URL, timeouts, headers, HTTP client, retries, size limit.

use std::marker::PhantomData;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::auth::Credentials;
use crate::response::DEFAULT_MAX_RESPONSE_SIZE;
use crate::retry::RetryPolicy;
use crate::runtime::Runtime;
use crate::vendor::ApiClient;

/// How long to wait for a connection before giving up.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole call may take: every attempt, and the waits between retries.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The `User-Agent` sent by default: this crate's name and version.
pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Why a client could not be built.
///
/// Messages never contain the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The API key is empty or holds characters its scheme cannot carry: not allowed in an HTTP
    /// header, or in a cookie, or control characters.
    #[error(
        "the {vendor} API key is empty or contains characters not allowed in an HTTP header (or, for a key sent \
         in a cookie, `\"`, `,`, `;`, `\\` or a space)"
    )]
    InvalidApiKey {
        /// The API the key is for.
        vendor: &'static str,
    },
    /// A credential given to the builder for a security scheme is empty or holds control
    /// characters.
    #[error("the credential for security scheme `{scheme}` is empty or contains control characters")]
    InvalidCredential {
        /// The scheme's name, as given.
        scheme: String,
    },
    /// A header name or value given to the builder is not valid HTTP.
    #[error("header `{name}` has an invalid name or value")]
    InvalidHeader {
        /// The header's name as given.
        name: String,
    },
    /// The base URL is not an absolute `http` or `https` URL.
    #[error("base URL `{url}` is not valid: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A required environment variable is not set, or is empty.
    #[error("environment variable {0} is not set or empty; set it to your API key")]
    MissingEnv(&'static str),
    /// An environment variable holds a value the client cannot use.
    #[error("environment variable {name} {problem}")]
    InvalidEnv {
        /// The variable's name.
        name: &'static str,
        /// What is wrong with its value (the value itself is not repeated: it may be a key).
        problem: String,
    },
    /// The base URL is `https`, but this crate was built without a TLS backend: enable one of
    /// its features `rustls-aws-lc-rs`, `rustls-ring` or `native-tls`.
    #[error(
        "base URL `{url}` needs HTTPS, but periskope-wapikit was built without a TLS backend: enable one of its \
         features `rustls-aws-lc-rs`, `rustls-ring` or `native-tls` (or give an http:// base URL, or your own \
         `reqwest::Client` with `http_client`)"
    )]
    NoTlsBackend {
        /// The base URL as given.
        url: String,
    },
    /// The HTTP client could not be created (for example, no TLS backend could start).
    #[error("cannot create the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

/// Whether one of the crate's TLS features is on, so that the client it builds can speak HTTPS.
const HAS_TLS_BACKEND: bool = cfg!(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring", feature = "native-tls"));

/// Configures and builds a vendor's `Client`.
///
/// ```
/// # fn main() -> Result<(), periskope_wapikit::BuildError> {
/// use std::time::Duration;
/// use periskope_wapikit::periskope;
///
/// let client = periskope::Client::builder("my-api-key")
///     .base_url("http://127.0.0.1:8080/v1")
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// # let _ = client;
/// # Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder<C> {
    api_key: String,
    base_url: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    attempt_timeout: Option<Duration>,
    user_agent: String,
    headers: Vec<(String, String)>,
    credentials: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    max_response_size: usize,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("user_agent", &self.user_agent)
            .field("headers", &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("credentials", &self.credentials.iter().map(|(scheme, _)| scheme).collect::<Vec<_>>())
            .field("retry", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .finish_non_exhaustive()
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    pub(crate) fn new(api_key: impl Into<String>) -> Self {
        Self {
            api_key: api_key.into(),
            base_url: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            attempt_timeout: None,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            headers: Vec::new(),
            credentials: Vec::new(),
            http: None,
            retry: RetryPolicy::default(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            client: PhantomData,
        }
    }

    /// Reads the API key, an optional base URL and the vendor's optional headers from its
    /// environment variables.
    ///
    /// Values are trimmed (a key read from a secret file keeps its trailing newline), and an
    /// empty variable counts as unset, as docker-compose writes `NAME=` for an unset one.
    pub(crate) fn from_env() -> Result<Self, BuildError> {
        let api_key = env_value(C::API_KEY_ENV)?.ok_or(BuildError::MissingEnv(C::API_KEY_ENV))?;
        let not_a_header =
            |name| BuildError::InvalidEnv { name, problem: "holds characters not allowed in an HTTP header".into() };
        if !C::AUTH.accepts(&api_key) {
            return Err(not_a_header(C::API_KEY_ENV));
        }
        let mut builder = Self::new(api_key);
        for &(name, header) in C::ENV_HEADERS {
            if let Some(value) = env_value(name)? {
                HeaderValue::from_str(&value).map_err(|_| not_a_header(name))?;
                builder = builder.header(header, value);
            }
        }
        if let Some(url) = env_value(C::BASE_URL_ENV)? {
            check_base_url(&url).map_err(|err| BuildError::InvalidEnv {
                name: C::BASE_URL_ENV,
                problem: format!("is not a usable base URL: {err}"),
            })?;
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// Sends requests to `url` instead of the API's default base URL, e.g. a proxy or a test server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The deadline of a whole call (default 30 s): every attempt, the waits between retries
    /// and reading the response. A retry whose wait would pass it is not made; the last
    /// response or error is returned at once.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long one attempt may take, reading the response included (default: no limit of its
    /// own, only what is left of [`timeout`](Self::timeout)). An attempt that times out is an
    /// [`Error::Timeout`](crate::Error::Timeout), retried only when the connection was never
    /// made, since the server may have processed the request.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Adds a header to every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The credential sent for the document's security scheme `scheme` (its name in
    /// `components.securitySchemes`) in place of the API key: for an operation that requires
    /// two schemes at once (an application id next to a key, a team id next to a token), each
    /// scheme without a credential of its own is sent the key. Like the key, it never shows in
    /// `Debug` output, logs or errors. A vendor that fixes its scheme (`auth:` in its
    /// declaration) sends only its key.
    pub fn credential(mut self, scheme: impl Into<String>, value: impl Into<String>) -> Self {
        self.credentials.push((scheme.into(), value.into()));
        self
    }

    /// Uses the caller's own `reqwest::Client` (its connect timeout, user agent and redirect
    /// policy then apply instead of this builder's, which follows redirects only within the
    /// origin so that no key header travels elsewhere). The builder's
    /// [`timeout`](Self::timeout) and [`attempt_timeout`](Self::attempt_timeout) still bound
    /// every call.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// When to send a request again (default: [`RetryPolicy::default`]); use
    /// [`RetryPolicy::never`] to turn retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body the client reads, in bytes (default 10 MiB); a larger success
    /// body is an [`Error::Decode`](crate::Error::Decode), a larger error body is cut.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`BuildError::NoTlsBackend`] for an `https` base URL (the default) when the
    /// crate was built without a TLS feature and no [`http_client`](Self::http_client) is given.
    pub fn build(self) -> Result<C, BuildError> {
        let base_url = self.base_url.unwrap_or_else(|| C::DEFAULT_BASE_URL.to_string());
        let scheme = check_base_url(&base_url)?;
        // reqwest would build a client and fail every call with "scheme is not http"; a client
        // of the caller's may have TLS through their own reqwest features.
        if !HAS_TLS_BACKEND && self.http.is_none() && scheme == "https" {
            return Err(BuildError::NoTlsBackend { url: base_url });
        }
        let (mut credentials, mut headers) =
            Credentials::new(self.api_key.trim(), C::AUTH).ok_or(BuildError::InvalidApiKey { vendor: C::NAME })?;
        for (scheme, value) in &self.credentials {
            credentials = credentials
                .with_named(scheme, value.trim())
                .map_err(|scheme| BuildError::InvalidCredential { scheme })?;
        }
        for (name, value) in &self.headers {
            let invalid = || BuildError::InvalidHeader { name: name.clone() };
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let header_value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            headers.insert(header_name, header_value);
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                install_tls_provider();
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .user_agent(self.user_agent)
                    .redirect(same_origin_redirects())
                    .build()?
            }
        };
        let timeouts = (self.timeout, self.attempt_timeout);
        let runtime = Runtime::new(C::NAME, (credentials, headers), timeouts, self.retry, self.max_response_size);
        Ok(C::from_parts(base_url.trim_end_matches('/').to_string(), http, runtime))
    }
}

/// The trimmed value of environment variable `name`; `None` when it is unset or empty.
pub(crate) fn env_value(name: &'static str) -> Result<Option<String>, BuildError> {
    match std::env::var(name) {
        Ok(value) => {
            let value = value.trim();
            Ok((!value.is_empty()).then(|| value.to_string()))
        }
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(BuildError::InvalidEnv { name, problem: "is not valid UTF-8".into() })
        }
    }
}

/// Makes `ring` the process's rustls crypto provider when the `rustls-ring` feature chose it:
/// reqwest's rustls without a provider of its own uses the process default. A provider the
/// application installed first stays.
pub(crate) fn install_tls_provider() {
    // rustls 0.23.48 deprecates `crypto::ring::default_provider` ("no support for post-quantum
    // algorithms") and offers no other way to the ring provider in 0.23: it cannot be assembled
    // by hand (its random source and key loader are private), and rustls still makes its own
    // crate-feature default with this call under `allow(deprecated)`. The non-deprecated
    // `ClientConfig::builder()` installs that default too, but panics when `aws-lc-rs` is also
    // on in the build. (rustls's next major version moves the provider to a `rustls-ring` crate.)
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Follows redirects (at most 10) only within the scheme, host and port the request went to.
///
/// On the way to another origin reqwest drops `Authorization`, but not the other headers that
/// carry a key (Wapikit's `x-access-token`), so such a redirect is returned as the response
/// (an [`Error::Api`](crate::Error::Api) with the 3xx status and its `Location` header).
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().last().is_some_and(|previous| previous.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// Checks that `url` can be a base URL; returns its scheme.
fn check_base_url(url: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl { url: url.to_string(), reason: reason.to_string() };
    let parsed = reqwest::Url::parse(url).map_err(|err| invalid(&err.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL takes no query or fragment"));
    }
    Ok(parsed.scheme().to_string())
}
