//! Degradations: what the generator could not type, made smaller instead of refused.
//!
//! A document that parses as OpenAPI always generates. What cannot be typed degrades at the
//! smallest scope (one schema becomes `serde_json::Value`, one body raw bytes, one parameter
//! a string), and each degradation is a typed value (kind, file, location, note) that the
//! xtask counts and prints, one line each. A strict vendor (`strict = true` in
//! `specs/sources.toml`) turns the first degradation into an error ([`Degradation::error`]).

use std::fmt;

/// What was degraded; the corpus report counts degradations by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DegradeKind {
    /// A schema typify or progenitor refuses became `serde_json::Value`.
    Schema,
    /// A schema with an OpenAPI 3.1 keyword that has no 3.0 form became `serde_json::Value`.
    Schema31,
    /// A request body in a media type the generator does not type became raw bytes, sent with
    /// its own `Content-Type`.
    RawBody,
    /// A vendor JSON media type (`application/vnd.api+json`) is read and sent as JSON.
    JsonMediaType,
    /// A query parameter style progenitor does not encode is encoded by the client crate.
    ParameterStyle,
    /// An `operationId` another operation already has got a derived one.
    DuplicateOperationId,
    /// A path parameter that is not in the path was dropped, or one the path names but no
    /// parameter declares was declared as a string.
    PathParameter,
    /// A keyword that is not OpenAPI 3.0 as written (a wrong type, `null`, a missing
    /// `responses`) was dropped or defaulted.
    Tolerated,
    /// An operation progenitor fails on even with its schemas degraded has its smallest
    /// callable shape: parameters as strings, bodies and answers as any JSON value.
    OperationUntyped,
    /// An operation was left out: by a `[[skip]]` entry, or because even its smallest shape
    /// fails.
    OperationLeftOut,
}

impl DegradeKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [DegradeKind; 10] = [
        DegradeKind::Schema,
        DegradeKind::Schema31,
        DegradeKind::RawBody,
        DegradeKind::JsonMediaType,
        DegradeKind::ParameterStyle,
        DegradeKind::DuplicateOperationId,
        DegradeKind::PathParameter,
        DegradeKind::Tolerated,
        DegradeKind::OperationUntyped,
        DegradeKind::OperationLeftOut,
    ];

    /// The kind's name in notes and reports (`schema`, `raw-body`, ...).
    pub fn word(self) -> &'static str {
        match self {
            DegradeKind::Schema => "schema",
            DegradeKind::Schema31 => "3.1-schema",
            DegradeKind::RawBody => "raw-body",
            DegradeKind::JsonMediaType => "json-media-type",
            DegradeKind::ParameterStyle => "parameter-style",
            DegradeKind::DuplicateOperationId => "duplicate-operation-id",
            DegradeKind::PathParameter => "path-parameter",
            DegradeKind::Tolerated => "tolerated",
            DegradeKind::OperationUntyped => "operation-untyped",
            DegradeKind::OperationLeftOut => "operation-left-out",
        }
    }

    /// The kind a [`word`](Self::word) names.
    pub fn from_word(word: &str) -> Option<DegradeKind> {
        DegradeKind::ALL.into_iter().find(|kind| kind.word() == word)
    }

    /// Whether this kind turns a schema into `serde_json::Value` (typed coverage counts these).
    pub fn is_untyped_schema(self) -> bool {
        matches!(self, DegradeKind::Schema | DegradeKind::Schema31)
    }
}

/// One thing the generator degraded instead of refusing the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Degradation {
    /// What was degraded.
    pub kind: DegradeKind,
    /// The document it is in.
    pub file: String,
    /// Where: a JSON pointer (`#/components/schemas/Tag`), with `:line:column` when known, or
    /// an operation (`POST /things (createThing)`).
    pub location: String,
    /// The operation as `METHOD /path`, when the degradation is inside one (for the
    /// `[[skip]]` entry a strict vendor is shown).
    pub operation: Option<String>,
    /// What was done and why, on one line.
    pub note: String,
}

impl fmt::Display for Degradation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "degraded ({}): {}: {}: {}", self.kind.word(), self.file, self.location, self.note)
    }
}
