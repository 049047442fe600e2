//! What every vendor's client carries besides its base URL and HTTP client: the headers
//! that authenticate and configure each request.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// Per-client request settings, applied to every request before it is sent.
///
/// The API key is kept as a sensitive header value and never appears in `Debug` output.
#[derive(Clone)]
pub struct Runtime {
    /// Headers added to every request: authentication first, then the caller's extras.
    headers: HeaderMap,
}

impl Runtime {
    pub(crate) fn new(headers: HeaderMap) -> Self {
        Self { headers }
    }

    /// Adds the client's headers to `request`, replacing any of the same name.
    pub(crate) fn prepare(&self, request: &mut reqwest::Request) {
        for (name, value) in &self.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
    }

    /// The names of the headers added to every request (values are not shown: one is a secret).
    pub fn header_names(&self) -> impl Iterator<Item = &HeaderName> {
        self.headers.keys()
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.headers {
            if value.is_sensitive() {
                map.entry(name, &"<redacted>");
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// Implements the generated client's request hooks with [`Runtime`].
macro_rules! impl_client_hooks {
    ($client:ty) => {
        impl progenitor_client::ClientHooks<$crate::runtime::Runtime> for $client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), progenitor_client::Error<E>> {
                self.inner.prepare(request);
                Ok(())
            }
        }
    };
}
pub(crate) use impl_client_hooks;

/// A header value holding a secret: marked sensitive so that `Debug` hides it.
pub(crate) fn secret_header(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}
