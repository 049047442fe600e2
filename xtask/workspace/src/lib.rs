//! What the maintainer programs (`xtask` and `drift`) share about this repository: where
//! everything lives ([`Layout`]), the list of vendored documents ([`Sources`]), writing a file
//! atomically ([`write_atomic`]) and regenerating the client ([`regen`]).
//!
//! Errors are `anyhow` errors whose text names the file and says what to do.

mod layout;
pub mod regen;
mod sources;
mod write;

pub use layout::{Layout, VendorFiles};
pub use sources::{Index, Source, SourceKind, Sources};
pub use write::{normalize_newlines, write_atomic};
