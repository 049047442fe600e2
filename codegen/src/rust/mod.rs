//! Passes over the Rust syntax tree progenitor generates, in the order
//! [`generate`](crate::generate) runs them: `postprocess` (with `responses`), `success_variants`,
//! `runtime_calls`, `multipart`, `nullable`, `docs` (with `doctests`), `client_docs`, `open_enums`,
//! `non_exhaustive`, `string_lists`, `operation_table`, `examples`, `wire_names`.

pub(crate) mod client_docs;
pub(crate) mod docs;
mod doctests;
pub(crate) mod examples;
pub(crate) mod multipart;
pub(crate) mod non_exhaustive;
pub(crate) mod nullable;
pub(crate) mod open_enums;
pub(crate) mod operation_table;
pub(crate) mod postprocess;
mod responses;
pub(crate) mod runtime_calls;
pub(crate) mod string_lists;
pub(crate) mod success_variants;
mod syntax;
pub(crate) mod wire_names;
