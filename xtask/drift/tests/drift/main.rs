//! Drives the real `drift` binary (`cargo xtask drift`) against a loopback server that stands in for every
//! upstream host (`--mirror`); no test reaches the internet, and none depends on timing.
//!
//! One test binary, split by topic: `changes` (every change kind with its id and level),
//! `errors` (exit 2 and nothing written), `hostile` (upstreams that misbehave on purpose or by
//! accident: redirect loops, slow drips, endless bodies, binary or mis-encoded content),
//! `update` (`--update`, formatting-only rewrites), `prose` (a document of ours, `prose = "own"`,
//! and ours against upstream's published Wapikit file when a copy is beside the checkout) and
//! `report` (no drift, the discovery index, output formats).

mod accept;
mod changes;
#[path = "../../../tests/common/scratch.rs"]
mod common;
mod errors;
mod hostile;
mod prose;
mod raw_server;
mod report;
mod support;
mod update;
