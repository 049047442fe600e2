//! Authentication: the schemes a request carries the client's key with ([`Auth`]), and where
//! each is applied.
//!
//! A vendor either fixes one scheme for every request in its `api_client!` declaration
//! (Periskope's `auth: crate::Auth::Bearer`), which overrides its document, or declares none
//! ([`Auth::FromDocument`]): then each operation sends the key as its OpenAPI document's
//! `security` says. The generated `send()` of such an operation calls [`apply`] with each scheme
//! its requirement names (the code generator's `rust::auth` writes the calls); an operation that
//! needs no credentials (`security: []`, or no `security` anywhere) makes no call and sends no
//! key. A scheme is sent the credential set for its name with
//! [`ClientBuilder::credential`](crate::ClientBuilder::credential), else the client's key: an
//! operation that requires two schemes at once (an application id and a key) sends both.
//!
//! No key or credential shows in `Debug` output, logs or error text: header values are marked
//! sensitive, and one sent in the query is replaced by `redacted` in the URL of every error
//! and response the client hands on ([`Credentials::redact_error`],
//! [`Credentials::redact_response`]).

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use reqwest::header::{COOKIE, HeaderMap, HeaderName, HeaderValue};

use crate::runtime::{Runtime, secret_header};

/// How requests carry the API key.
///
/// OAuth 2 and OpenID Connect access tokens are [`Bearer`](Auth::Bearer) tokens: the client
/// sends the token it is given and does not run the flows that obtain one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// The key as it is, in the header of this (lower-case) name.
    Header(&'static str),
    /// `Authorization: Basic <base64 of the key>`, the key written `user:password`; a key
    /// without `:` is a user name with an empty password (`<key>:`).
    Basic,
    /// The key in the query parameter of this name (`?api_key=<key>`); URLs in errors and
    /// `Debug` output show its value as `redacted`.
    Query(&'static str),
    /// The key in the cookie of this name (`Cookie: <name>=<key>`).
    Cookie(&'static str),
    /// No scheme of the vendor's own: each operation sends the key as its document's
    /// `security` says, or sends none when it needs none.
    FromDocument,
}

/// What a URL shows instead of a key sent in its query.
pub(crate) const REDACTED: &str = "redacted";

impl Auth {
    /// The header that carries `key` under this scheme, marked sensitive; `None` for a scheme
    /// that is not a header ([`Query`](Auth::Query), [`FromDocument`](Auth::FromDocument)) or a
    /// key the header cannot hold.
    pub(crate) fn header(self, key: &str) -> Option<(HeaderName, HeaderValue)> {
        if key.is_empty() {
            return None;
        }
        match self {
            Auth::Bearer => Some((reqwest::header::AUTHORIZATION, secret_header(&format!("Bearer {key}"))?)),
            Auth::Header(name) => Some((HeaderName::from_bytes(name.as_bytes()).ok()?, secret_header(key)?)),
            Auth::Basic => {
                let pair = if key.contains(':') { key.to_string() } else { format!("{key}:") };
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                Some((reqwest::header::AUTHORIZATION, secret_header(&format!("Basic {encoded}"))?))
            }
            Auth::Cookie(name) => {
                if !is_token(name) || !key.bytes().all(is_cookie_octet) {
                    return None;
                }
                Some((COOKIE, secret_header(&format!("{name}={key}"))?))
            }
            Auth::Query(_) | Auth::FromDocument => None,
        }
    }

    /// Whether `key` can be the client's key under this scheme. A header or cookie takes
    /// visible ASCII only; basic credentials and a query parameter are encoded, so only
    /// control characters are refused. With [`FromDocument`](Auth::FromDocument) each operation's
    /// scheme checks the key when the request is sent.
    pub(crate) fn accepts(self, key: &str) -> bool {
        match self {
            Auth::Bearer | Auth::Header(_) | Auth::Cookie(_) => self.header(key).is_some(),
            Auth::Basic | Auth::Query(_) | Auth::FromDocument => !key.is_empty() && !key.chars().any(char::is_control),
        }
    }

    /// Where the key goes, for messages: never the key itself.
    fn place(self) -> String {
        match self {
            Auth::Bearer | Auth::Basic => "the `Authorization` header".into(),
            Auth::Header(name) => format!("the `{name}` header"),
            Auth::Query(name) => format!("the `{name}` query parameter"),
            Auth::Cookie(name) => format!("the `{name}` cookie"),
            Auth::FromDocument => "the request".into(),
        }
    }
}

/// Whether `text` is an HTTP token (a header or cookie name).
fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether `byte` may appear in a cookie value (RFC 6265 `cookie-octet`).
fn is_cookie_octet(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// The client's key, the credentials set for schemes by name, and the scheme its vendor fixes,
/// kept by the [`Runtime`].
#[derive(Clone)]
pub(crate) struct Credentials {
    key: String,
    named: BTreeMap<String, String>,
    fixed: Auth,
}

impl Credentials {
    /// The credentials of a client of a vendor declared with `fixed`, and the headers that
    /// carry them on every request (those of a fixed header scheme; none otherwise). `None`
    /// when `fixed` cannot carry `key`.
    pub(crate) fn new(key: &str, fixed: Auth) -> Option<(Credentials, HeaderMap)> {
        if !fixed.accepts(key) {
            return None;
        }
        let mut headers = HeaderMap::new();
        if let Some((name, value)) = fixed.header(key) {
            headers.insert(name, value);
        }
        Some((Credentials { key: key.to_string(), named: BTreeMap::new(), fixed }, headers))
    }

    /// These credentials with `value` sent for the scheme `name` in place of the key; `Err`
    /// with the scheme's name when the value is empty or holds a control character.
    pub(crate) fn with_named(mut self, name: &str, value: &str) -> Result<Credentials, String> {
        if value.is_empty() || value.chars().any(char::is_control) {
            return Err(name.to_string());
        }
        self.named.insert(name.to_string(), value.to_string());
        Ok(self)
    }

    /// What the client adds to every request itself: a key a fixed [`Auth::Query`] puts in the
    /// query (a fixed header scheme is among the client's headers already).
    pub(crate) fn add_fixed(&self, request: &mut reqwest::Request) {
        if let Auth::Query(name) = self.fixed {
            request.url_mut().query_pairs_mut().append_pair(name, &self.key);
        }
    }

    /// Adds the credential of the scheme `named` (the one set for it, else the key) to
    /// `request` as `scheme` says; the message of an error says where it could not go, and never
    /// holds it.
    fn add(&self, request: &mut reqwest::Request, named: &str, scheme: Auth) -> Result<(), String> {
        let (value, what) = match self.named.get(named) {
            Some(value) => (value, format!("the `{named}` credential")),
            None => (&self.key, "the API key".to_string()),
        };
        match scheme {
            Auth::FromDocument => Ok(()),
            // Encoded: a query parameter carries any value the builder accepted.
            Auth::Query(name) => {
                request.url_mut().query_pairs_mut().append_pair(name, value);
                Ok(())
            }
            _ => {
                let (name, value) = scheme.header(value).ok_or_else(|| {
                    let allowed = match scheme {
                        Auth::Cookie(_) => "visible ASCII other than `\"`, `,`, `;` and `\\`",
                        _ => "visible ASCII and spaces",
                    };
                    format!("{what} cannot be sent in {}, which takes {allowed} only", scheme.place())
                })?;
                // A cookie joins those the request has; any other scheme is the only value of its header.
                match request.headers().get(&name).filter(|_| name == COOKIE).and_then(|v| v.to_str().ok()) {
                    Some(cookies) => {
                        let joined = secret_header(&format!("{cookies}; {}", value.to_str().unwrap_or_default()))
                            .ok_or_else(|| format!("{what} cannot be sent in {}", scheme.place()))?;
                        request.headers_mut().insert(name, joined);
                    }
                    None => {
                        request.headers_mut().insert(name, value);
                    }
                }
                Ok(())
            }
        }
    }

    /// Whether `value` is the key or a credential.
    fn is_secret(&self, value: &str) -> bool {
        value == self.key || self.named.values().any(|named| named == value)
    }

    /// `url` with the value of every query parameter that holds the key or a credential
    /// replaced by [`REDACTED`]; `None` when no parameter holds one.
    fn redacted(&self, url: &reqwest::Url) -> Option<reqwest::Url> {
        url.query()?;
        if !url.query_pairs().any(|(_, value)| self.is_secret(&value)) {
            return None;
        }
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if self.is_secret(&value) { REDACTED.to_string() } else { value.into_owned() };
                (name.into_owned(), value)
            })
            .collect();
        let mut url = url.clone();
        url.query_pairs_mut().clear().extend_pairs(pairs);
        Some(url)
    }

    /// `err` with the key redacted from its URL, which its `Debug` output shows.
    pub(crate) fn redact_error(&self, mut err: reqwest::Error) -> reqwest::Error {
        if let Some(url) = err.url_mut()
            && let Some(redacted) = self.redacted(url)
        {
            *url = redacted;
        }
        err
    }

    /// `response` with the key redacted from its URL, from which the errors made while reading
    /// its body take theirs. A response whose URL holds no key is returned as it is.
    pub(crate) fn redact_response(&self, response: reqwest::Response) -> reqwest::Response {
        let Some(redacted) = self.redacted(response.url()) else { return response };
        // reqwest gives a response its URL only through this builder extension.
        use reqwest::ResponseBuilderExt as _;
        let Ok(carrier) = http::Response::builder().url(redacted).body(()) else { return response };
        let mut rebuilt = http::Response::<reqwest::Body>::from(response);
        rebuilt.extensions_mut().extend(carrier.into_parts().0.extensions);
        reqwest::Response::from(rebuilt)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("scheme", &self.fixed)
            .field("key", &"<redacted>")
            .field("named", &self.named.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Adds the credential of the document's scheme `named` (the one set for it, else the client's
/// key) to `request` as `scheme` says, unless the vendor fixes a scheme of its own, which the
/// client adds to every request instead (called by the generated `send()` of an operation whose
/// document requires `scheme`). The error names where the credential could not go; the
/// generated code attaches the operation.
#[allow(dead_code, reason = "called by the generated code of operations that declare their security")]
pub(crate) fn apply(
    runtime: &Runtime,
    request: &mut reqwest::Request,
    named: &str,
    scheme: Auth,
) -> Result<(), String> {
    let credentials = runtime.credentials();
    if credentials.fixed != Auth::FromDocument {
        return Ok(());
    }
    credentials.add(request, named, scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::GET, reqwest::Url::parse(url).expect("a URL"))
    }

    #[test]
    fn basic_credentials_are_the_key_in_base64_and_a_bare_key_is_a_user() {
        let (_, value) = Auth::Basic.header("aladdin:open sesame").expect("a header");
        assert_eq!(value.to_str().expect("ASCII"), "Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(value.is_sensitive());
        let (_, value) = Auth::Basic.header("sk_live").expect("a header");
        assert_eq!(
            value.to_str().expect("ASCII"),
            format!("Basic {}", base64::prelude::BASE64_STANDARD.encode("sk_live:"))
        );
    }

    #[test]
    fn a_cookie_joins_the_cookies_a_request_has() {
        let (credentials, _) = Credentials::new("k1", Auth::FromDocument).expect("a valid key");
        let mut sent = request("http://127.0.0.1/");
        sent.headers_mut().insert(COOKIE, HeaderValue::from_static("theme=dark"));
        credentials.add(&mut sent, "session", Auth::Cookie("session")).expect("a cookie");
        assert_eq!(sent.headers()[COOKIE], "theme=dark; session=k1");
        assert!(sent.headers()[COOKIE].is_sensitive());
    }

    #[test]
    fn a_key_a_cookie_cannot_hold_is_an_error_without_the_key() {
        let (credentials, _) = Credentials::new("a;b", Auth::FromDocument).expect("a key without control characters");
        let err = credentials
            .add(&mut request("http://127.0.0.1/"), "session", Auth::Cookie("session"))
            .expect_err("refused");
        assert!(err.contains("`session` cookie") && !err.contains("a;b"), "{err}");
        assert!(Credentials::new("a;b", Auth::Cookie("session")).is_none(), "a fixed cookie refuses it when built");
    }

    #[test]
    fn only_the_value_that_is_the_key_is_redacted() {
        let (credentials, _) = Credentials::new("s3cr3t key", Auth::FromDocument).expect("a valid key");
        let mut sent = request("http://127.0.0.1/things?page=2");
        credentials.add(&mut sent, "key", Auth::Query("api_key")).expect("a query key");
        assert_eq!(sent.url().query(), Some("page=2&api_key=s3cr3t+key"));
        let redacted = credentials.redacted(sent.url()).expect("the key is in the query");
        assert_eq!(redacted.as_str(), "http://127.0.0.1/things?page=2&api_key=redacted");
        assert!(credentials.redacted(&reqwest::Url::parse("http://127.0.0.1/?page=2").expect("a URL")).is_none());
        assert!(!format!("{credentials:?}").contains("s3cr3t"));
    }

    #[test]
    fn a_credential_set_for_a_scheme_is_sent_in_place_of_the_key_and_redacted() {
        let (credentials, _) = Credentials::new("k3y", Auth::FromDocument).expect("a valid key");
        let credentials = credentials.with_named("appId", "app-42").expect("a valid credential");
        let mut sent = request("http://127.0.0.1/things");
        credentials.add(&mut sent, "appId", Auth::Query("app")).expect("the credential");
        credentials.add(&mut sent, "apiKey", Auth::Header("x-api-key")).expect("the key");
        assert_eq!(sent.url().query(), Some("app=app-42"));
        assert_eq!(sent.headers()["x-api-key"], "k3y");
        let redacted = credentials.redacted(sent.url()).expect("a credential is in the query");
        assert_eq!(redacted.query(), Some("app=redacted"));
        assert!(!format!("{credentials:?}").contains("app-42"));
        assert_eq!(credentials.with_named("teamId", "a\nb").err().as_deref(), Some("teamId"));
    }
}
