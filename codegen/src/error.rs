//! The generator's one error type.

use crate::degrade::{Degradation, DegradeKind};

/// Why a vendor's documents could not be turned into code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A document is not valid YAML, or not an OpenAPI 3.0 document.
    #[error("{file}{location}: {message}")]
    Invalid {
        /// The document.
        file: String,
        /// `:line:column` when known, otherwise empty.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// Two documents define the same operation or component differently.
    #[error("{item} is defined differently in {first} and {second}; make the two definitions equal or keep only one")]
    Conflict {
        /// The operation (`POST /members/invite`) or component (`#/components/schemas/Member`).
        item: String,
        /// The document that defined it first.
        first: String,
        /// The document that defined it again.
        second: String,
    },
    /// An operation uses something the generator cannot turn into code.
    #[error("{file}: {operation}: {message}{skip}")]
    Unsupported {
        /// The document the operation comes from.
        file: String,
        /// The operation, e.g. `POST /members/invite (inviteMembers)`.
        operation: String,
        /// What is wrong and what to do.
        message: String,
        /// `; ` and the `[[skip]]` entry of `specs/sources.toml` that would leave the operation
        /// out, or empty when skipping cannot help.
        skip: String,
    },
    /// Progenitor failed or panicked.
    #[error("{files}: {location}: progenitor could not generate code: {message}; {advice}")]
    Generator {
        /// The vendor's documents.
        files: String,
        /// The smallest part that fails on its own: a schema by JSON pointer with its text, or
        /// an operation (`POST /things (listThings)`), or `(whole document)`.
        location: String,
        /// Progenitor's error or panic message.
        message: String,
        /// What to do about it.
        advice: String,
    },
    /// A fix no longer applies: its target selects nothing, or it changes nothing.
    #[error("{file}: {fix}: {message}; upstream changed or fixed this, so delete the fix (or retarget it)")]
    ObsoleteFix {
        /// The fixes document.
        file: String,
        /// The fix, by its `x-fix` id and the first sentence of its description.
        fix: String,
        /// What happened.
        message: String,
    },
    /// No documents were given.
    #[error("vendor `{0}` has no documents; list its specs in specs/sources.toml")]
    NoDocuments(String),
    /// A strict vendor's document needs a degradation (see [`crate::Degradation`]).
    #[error("{file}: {location}: {note} (a {} degradation, refused because the vendor is strict); {advice}", kind.word())]
    Degraded {
        /// The document.
        file: String,
        /// The JSON pointer (with `:line:column` when known) or operation.
        location: String,
        /// What would have been degraded.
        kind: DegradeKind,
        /// What the degradation would have done.
        note: String,
        /// The fix or `[[skip]]` entry that lets the vendor generate.
        advice: String,
    },
}

/// What kind of error an [`Error`] is, for tools that count refusals (`cargo xtask corpus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// Not YAML or JSON, not OpenAPI 3.0/3.1, too large, or a node of the wrong shape.
    Invalid,
    /// Two documents define one item differently.
    Conflict,
    /// An operation uses something the generator cannot turn into code.
    Unsupported,
    /// Progenitor failed or panicked even after degrading.
    Generator,
    /// A fix no longer applies.
    ObsoleteFix,
    /// No documents were given.
    NoDocuments,
    /// A strict vendor needs a degradation.
    Degraded,
}

impl ErrorKind {
    /// The kind's name in reports.
    pub fn word(self) -> &'static str {
        match self {
            ErrorKind::Invalid => "invalid document",
            ErrorKind::Conflict => "conflicting documents",
            ErrorKind::Unsupported => "unsupported construct",
            ErrorKind::Generator => "progenitor failure",
            ErrorKind::ObsoleteFix => "obsolete fix",
            ErrorKind::NoDocuments => "no documents",
            ErrorKind::Degraded => "degradation refused (strict)",
        }
    }

    /// Every kind.
    pub const ALL: [ErrorKind; 7] = [
        ErrorKind::Invalid,
        ErrorKind::Conflict,
        ErrorKind::Unsupported,
        ErrorKind::Generator,
        ErrorKind::ObsoleteFix,
        ErrorKind::NoDocuments,
        ErrorKind::Degraded,
    ];

    /// The kind a [`word`](Self::word) names.
    pub fn from_word(word: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|kind| kind.word() == word)
    }
}

impl Error {
    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::Generator { .. } => ErrorKind::Generator,
            Error::ObsoleteFix { .. } => ErrorKind::ObsoleteFix,
            Error::NoDocuments(_) => ErrorKind::NoDocuments,
            Error::Degraded { .. } => ErrorKind::Degraded,
        }
    }
}

impl Degradation {
    /// The error a strict vendor gets instead of this degradation: the file, the location,
    /// what is wrong, and the fix (or the `[[skip]]` entry) that would let it generate.
    pub fn error(&self, vendor: &str) -> Error {
        let skip = self.operation.as_deref().map(|operation| skip_entry(vendor, operation)).unwrap_or_default();
        Error::Degraded {
            file: self.file.clone(),
            location: self.location.clone(),
            kind: self.kind,
            note: self.note.clone(),
            advice: format!(
                "correct it with a fix in specs/fixes/{vendor}.overlay.yaml (or drop `strict = true` from the \
                 vendor in specs/sources.toml to accept the degradation){skip}"
            ),
        }
    }
}

/// The `[[skip]]` entry that would leave `operation` (`POST /things`) of `vendor` out, as the
/// end of an error's advice.
pub(crate) fn skip_entry(vendor: &str, operation: &str) -> String {
    format!(
        "; to leave the operation out instead, add to specs/sources.toml:\n[[skip]]\nvendor = \"{vendor}\"\noperation = \
         \"{operation}\"\nreason = \"<why it is left out>\""
    )
}
