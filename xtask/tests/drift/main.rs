//! Drives the real `xtask drift` binary against a loopback server that stands in for every
//! upstream host (`--mirror`); no test reaches the internet, and none depends on timing.
//!
//! One test binary, split by topic: `changes` (every change kind with its id and level),
//! `errors` (exit 2 and nothing written), `update` (`--update`, formatting-only rewrites) and
//! `report` (no drift, the discovery index, output formats).

mod changes;
mod errors;
mod report;
mod support;
mod update;
