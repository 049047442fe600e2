//! A client of a vendor declared with a scheme of the test's choice ([`Declared`]), built by the
//! real [`ClientBuilder`], with one operation whose `send()` is what the code generator writes
//! for an operation that requires a scheme: the call of `crate::auth::apply`, the client's
//! `exec` hook, the response dispatch. The tests of authentication (`tests/auth.rs`) send it to
//! loopback servers with schemes neither vendor's document uses; the generated code of each
//! scheme is tested by the golden cases' loopback tests (`codegen/tests/cases/security-*`).

use std::fmt;
use std::marker::PhantomData;

use progenitor_client::{OperationInfo, ResponseValue};

use crate::error::{in_operation, invalid_request};
use crate::runtime::Runtime;
use crate::{ApiClient, Auth, ClientBuilder, Error};

/// The scheme a probe's vendor declares in its `api_client!` (`auth:`), or
/// [`Auth::FromDocument`] for a vendor that declares none.
pub trait Declared {
    /// The declared scheme.
    const AUTH: Auth;
}

/// A vendor that declares no scheme: each operation's document decides.
#[derive(Debug)]
pub struct FromDocument;

impl Declared for FromDocument {
    const AUTH: Auth = Auth::FromDocument;
}

/// A client of a vendor declared with `D`'s scheme.
pub struct Probe<D> {
    base_url: String,
    http: reqwest::Client,
    runtime: Runtime,
    declared: PhantomData<fn() -> D>,
}

impl<D: Declared> ApiClient for Probe<D> {
    const NAME: &'static str = "Probe";
    const DEFAULT_BASE_URL: &'static str = "http://127.0.0.1:9";
    const API_KEY_ENV: &'static str = "PROBE_API_KEY";
    const BASE_URL_ENV: &'static str = "PROBE_BASE_URL";
    const AUTH: Auth = D::AUTH;

    fn from_parts(base_url: String, http: reqwest::Client, runtime: Runtime) -> Self {
        Probe { base_url, http, runtime, declared: PhantomData }
    }
}

impl<D> fmt::Debug for Probe<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Probe").field("base_url", &self.base_url).field("runtime", &self.runtime).finish()
    }
}

impl<D: Declared> Probe<D> {
    /// A builder for a probe authenticating with `api_key`.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder<Self> {
        ClientBuilder::new(api_key)
    }

    /// The operation `probe`: `GET <base URL><path>` for an operation whose document requires
    /// `scheme` (`None`: one that requires no credentials, whose `send()` makes no call), with
    /// any JSON as its success body.
    pub async fn get(&self, path: &str, scheme: Option<Auth>) -> Result<ResponseValue<serde_json::Value>, Error> {
        const OPERATION: &str = "probe";
        let mut request = self.http.get(format!("{}{path}", self.base_url)).build().map_err(in_operation(OPERATION))?;
        if let Some(scheme) = scheme {
            crate::auth::apply(&self.runtime, &mut request, OPERATION, scheme).map_err(invalid_request(OPERATION))?;
        }
        let info = OperationInfo { operation_id: OPERATION };
        let response = self.runtime.execute(&self.http, request, &info).await.map_err(in_operation(OPERATION))?;
        match response.status().as_u16() {
            200..=299 => crate::response::decode(response).await,
            _ => Err(crate::response::undeclared_error(response).await),
        }
    }
}
