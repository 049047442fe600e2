//! What the generator is given: a vendor's documents, the files they refer to, its fixes and
//! `[[skip]]` entries, as plain text and names (no paths are opened here).

/// One OpenAPI document as read from disk.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// The path shown in messages and in the generated header, e.g. `specs/periskope/invite-members.yaml`.
    pub path: String,
    /// The document's YAML (or JSON) text.
    pub text: String,
}

/// One vendor's input: its pristine documents and, optionally, its fixes.
#[derive(Debug, Clone, Copy)]
pub struct Vendor<'a> {
    /// The vendor's module name (`periskope`), used in messages and the header.
    pub name: &'a str,
    /// The pristine upstream documents, merged in order.
    pub documents: &'a [SpecFile],
    /// The files the documents refer to (`$ref: ../models/Member.json`), with paths resolved
    /// against the referring document (see [`crate::openapi::referenced_files`]); their schemas become
    /// components of the referring document.
    pub referenced: &'a [SpecFile],
    /// The vendor's fixes: an OpenAPI Overlay 1.0 document applied to the merged documents.
    pub fixes: Option<&'a SpecFile>,
    /// Operations to leave out, from the vendor's `[[skip]]` entries in `specs/sources.toml`.
    pub skip: &'a [Skip],
    /// Whether a degradation is an error (`strict = true` in `specs/sources.toml`, or
    /// `cargo xtask regen --strict`) instead of a note.
    pub strict: bool,
}

/// An operation a vendor leaves out of its client on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The operation as `METHOD /path`, e.g. `POST /members/invite`.
    pub operation: String,
    /// Why it is left out (printed by `regen`).
    pub reason: String,
}
