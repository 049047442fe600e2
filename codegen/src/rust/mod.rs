//! Passes over the Rust syntax tree progenitor generates, in the order
//! [`generate`](crate::generate) runs them: `postprocess` (with `responses`), `nullable`,
//! `docs` (with `doctests`), `open_enums`, `examples`.

pub(crate) mod docs;
mod doctests;
pub(crate) mod examples;
pub(crate) mod nullable;
pub(crate) mod open_enums;
pub(crate) mod postprocess;
mod responses;
mod syntax;
