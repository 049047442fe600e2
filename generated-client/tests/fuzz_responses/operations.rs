//! The generated operations, as their `send()`s handle a response: the table codegen writes
//! into `tests/generated/<vendor>_operations.rs` from the generated `send()`s, so that it
//! cannot drift from them.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;

use periskope_wapikit::Error;
use periskope_wapikit::ResponseValue;
use periskope_wapikit::internals::{declared_error, decode, undeclared_error};
use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::case::Case;
use crate::checks::{Outcome, check};

// Generated files keep the generator's formatting.
#[rustfmt::skip]
#[path = "../generated/periskope_operations.rs"]
mod periskope;
#[rustfmt::skip]
#[path = "../generated/wapikit_operations.rs"]
mod wapikit;

/// The outcome of one case, as a boxed future (the table holds operations of many types).
type Run = for<'a> fn(&'a Case) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

/// One generated operation, as its `send()` handles a response.
pub struct Operation {
    pub id: &'static str,
    pub method: Method,
    /// The statuses whose JSON body the operation documents (decoded as its error type); 200
    /// is the only success status, and any other status is an undeclared error.
    pub declared: &'static [u16],
    /// Whether bytes decode as the operation's success type, and as its error type.
    pub success_decodes: fn(&[u8]) -> bool,
    pub error_decodes: fn(&[u8]) -> bool,
    /// Takes a case through the operation's response handling and checks the outcome.
    pub run: Run,
}

impl Operation {
    /// The row of the operation `id` (`method path`), whose `send()` decodes the statuses
    /// `success` as `T` and `declared` as `E` (called by the generated tables).
    pub fn new<T, E>(id: &'static str, method: &str, path: &str, success: &[u16], declared: &'static [u16]) -> Self
    where
        T: DeserializeOwned + PartialEq + Debug + 'static,
        E: DeserializeOwned + PartialEq + Debug + 'static,
    {
        // `dispatch` and the cases assume one success status; an operation with more needs
        // both to learn about it.
        assert_eq!(success, [200], "{id} ({method} {path}): the fuzzing handles 200 as the only success status");
        Operation {
            id,
            method: Method::from_bytes(method.as_bytes()).expect("a generated method is a method"),
            declared,
            success_decodes: decodes::<T>,
            error_decodes: decodes::<E>,
            run: |case| Box::pin(check::<T, E>(case)),
        }
    }
}

/// Every generated operation of both vendors.
pub static OPERATIONS: LazyLock<Vec<Operation>> =
    LazyLock::new(|| periskope::operations().into_iter().chain(wapikit::operations()).collect());

fn decodes<T: DeserializeOwned>(bytes: &[u8]) -> bool {
    serde_json::from_slice::<T>(bytes).is_ok()
}

/// Runs case `case` as operation number `case.operation` of [`OPERATIONS`].
pub async fn run(case: &Case) -> Outcome {
    (OPERATIONS[case.operation].run)(case).await
}

/// What every generated `send()` does with a response (the same `match`).
pub async fn dispatch<T: DeserializeOwned, E: DeserializeOwned>(
    declared: &[u16],
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    match response.status().as_u16() {
        200 => decode(response).await,
        status if declared.contains(&status) => Err(declared_error(response).await),
        _ => Err(undeclared_error(response).await),
    }
}
