//! What the maintainer programs (`cargo xtask` and `cargo xtask drift`, the `drift` crate in
//! `xtask/drift/`) share about this repository: where everything lives ([`Layout`], found from
//! the current directory), the list of vendored documents ([`Sources`]), writing a file
//! atomically ([`write_atomic`]), scratch copies of the checkout ([`scratch`]) and the
//! regeneration of the client ([`regen`], the `cargo xtask regen` command, which
//! `cargo xtask drift --update` runs too) with the README's operation table ([`readme`]).
//!
//! The other commands live in the binary, one file each (`src/main.rs` lists them).
//! Errors are `anyhow` errors whose text names the file and says what to do.

mod layout;
pub mod readme;
pub mod regen;
pub mod scratch;
mod sources;
mod write;

pub use layout::{Layout, VendorFiles};
pub use sources::{Index, Prose, Source, SourceKind, Sources};
pub use write::{normalize_newlines, write_atomic};
