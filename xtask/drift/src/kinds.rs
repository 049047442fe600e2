//! The catalogue of change kinds: every kind has a stable kebab-case id and a fixed level.
//!
//! The ids are part of the JSON output's contract (see `xtask/drift/DRIFT.md`): rename one only
//! together with a bump of the output's `version`.

use clap::ValueEnum;
use serde::Serialize;

/// How much a change matters to users of the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Documentation or an addition that existing code does not notice.
    Info,
    /// Behaviour may change, or code may need attention after regenerating.
    Warning,
    /// Existing requests or response handling can fail, or generated code changes incompatibly.
    Breaking,
}

impl Level {
    /// The lowercase name used in every output format.
    pub fn name(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Breaking => "breaking",
        }
    }
}

macro_rules! kinds {
    ($($variant:ident => $id:literal, $level:ident, $doc:literal;)*) => {
        /// One kind of change between the vendored and the upstream document.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $(#[doc = $doc] $variant,)*
        }

        impl Kind {
            /// Every kind, in catalogue order.
            #[cfg_attr(not(test), allow(dead_code))]
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            /// The stable kebab-case id.
            pub fn id(self) -> &'static str {
                match self {
                    $(Kind::$variant => $id,)*
                }
            }

            /// The level every change of this kind has.
            pub fn level(self) -> Level {
                match self {
                    $(Kind::$variant => Level::$level,)*
                }
            }

            /// What the kind means, one sentence.
            #[cfg_attr(not(test), allow(dead_code))]
            pub fn doc(self) -> &'static str {
                match self {
                    $(Kind::$variant => $doc,)*
                }
            }
        }
    };
}

kinds! {
    // Endpoints and pages.
    EndpointAdded => "endpoint-added", Info, "A docs page's document has an operation that the vendored copy lacks.";
    EndpointRemoved => "endpoint-removed", Breaking, "A vendored operation is gone upstream.";
    OperationIdChanged => "operation-id-changed", Breaking, "The operationId, and with it the generated method name, changed.";
    PageAdded => "page-added", Info, "The discovery index lists a page of a vendored group that we do not vendor (a new endpoint).";
    PageRemoved => "page-removed", Warning, "The discovery index no longer lists a vendored page.";
    // Acknowledgements (`specs/accepted-drift.toml`).
    AcceptedDriftStale => "accepted-drift-stale", Warning, "An acknowledgement in `specs/accepted-drift.toml` matches no change any more (upstream changed again, or the change was vendored); delete it.";
    // Parameters.
    RequestParameterAddedRequired => "request-parameter-added-required", Breaking, "A required parameter was added; existing calls lack it.";
    RequestParameterAddedOptional => "request-parameter-added-optional", Info, "An optional parameter was added.";
    RequestParameterRemoved => "request-parameter-removed", Warning, "A parameter was removed; clients still send it and its generated argument goes away.";
    RequestParameterBecameRequired => "request-parameter-became-required", Breaking, "An optional parameter became required.";
    RequestParameterBecameOptional => "request-parameter-became-optional", Info, "A required parameter became optional.";
    RequestParameterChanged => "request-parameter-changed", Warning, "How a parameter is serialised changed (style, explode, content and similar).";
    // Request bodies.
    RequestBodyAddedRequired => "request-body-added-required", Breaking, "A required request body was added.";
    RequestBodyAddedOptional => "request-body-added-optional", Info, "An optional request body was added.";
    RequestBodyRemoved => "request-body-removed", Warning, "The request body was removed.";
    RequestBodyBecameRequired => "request-body-became-required", Breaking, "The request body became required.";
    RequestBodyBecameOptional => "request-body-became-optional", Info, "The request body became optional.";
    RequestMediaTypeAdded => "request-media-type-added", Info, "The request body accepts a new media type.";
    RequestMediaTypeRemoved => "request-media-type-removed", Breaking, "The request body no longer accepts a media type.";
    // Request properties.
    RequestPropertyAddedRequired => "request-property-added-required", Breaking, "A required request property was added; existing requests lack it.";
    RequestPropertyAddedOptional => "request-property-added-optional", Info, "An optional request property was added.";
    RequestPropertyRemoved => "request-property-removed", Warning, "A request property was removed; clients may still send it.";
    RequestPropertyBecameRequired => "request-property-became-required", Breaking, "An optional request property became required.";
    RequestPropertyBecameOptional => "request-property-became-optional", Info, "A required request property became optional.";
    // Response properties.
    ResponsePropertyAdded => "response-property-added", Info, "A response property was added.";
    ResponsePropertyRemoved => "response-property-removed", Breaking, "A response property was removed; code reading it breaks.";
    ResponsePropertyBecameOptional => "response-property-became-optional", Breaking, "A required response property became optional; deserialising a response without it fails.";
    ResponsePropertyBecameRequired => "response-property-became-required", Info, "An optional response property became required.";
    // Schemas.
    TypeChanged => "type-changed", Breaking, "A schema's type changed.";
    FormatChanged => "format-changed", Warning, "A schema's format changed (the generated Rust type may change).";
    RequestEnumValueAdded => "request-enum-value-added", Info, "A request enum accepts a new value.";
    RequestEnumValueRemoved => "request-enum-value-removed", Breaking, "A request enum no longer accepts a value clients may send.";
    ResponseEnumValueAdded => "response-enum-value-added", Warning, "A response enum has a new value; the generated (open) Rust enum decodes it as `Unknown` until regenerated.";
    ResponseEnumValueRemoved => "response-enum-value-removed", Info, "A response enum value is no longer sent.";
    RequestNullableAdded => "request-nullable-added", Info, "A request value may now be null.";
    RequestNullableRemoved => "request-nullable-removed", Breaking, "A request value may no longer be null.";
    ResponseNullableAdded => "response-nullable-added", Breaking, "A response value may now be null; deserialising into a non-optional type fails.";
    ResponseNullableRemoved => "response-nullable-removed", Info, "A response value is no longer null.";
    ConstraintChanged => "constraint-changed", Warning, "A validation keyword (minLength, maximum, pattern, maxItems and similar) changed.";
    DefaultChanged => "default-changed", Warning, "A default value changed.";
    AdditionalPropertiesChanged => "additional-properties-changed", Warning, "Whether an object allows other properties changed.";
    SchemaChanged => "schema-changed", Warning, "Another structural schema change (composition, enum restriction, readOnly and similar).";
    // Responses.
    ResponseSuccessStatusAdded => "response-success-status-added", Warning, "A new success status code; the generated return type may change.";
    ResponseSuccessStatusRemoved => "response-success-status-removed", Breaking, "A success status code is gone.";
    ResponseErrorStatusAdded => "response-error-status-added", Info, "A new error status code is documented.";
    ResponseErrorStatusRemoved => "response-error-status-removed", Warning, "An error status code is no longer documented.";
    ResponseMediaTypeAdded => "response-media-type-added", Info, "A response offers a new media type.";
    ResponseMediaTypeRemoved => "response-media-type-removed", Breaking, "A response no longer offers a media type.";
    ResponseHeaderAdded => "response-header-added", Info, "A response header was added.";
    ResponseHeaderRemoved => "response-header-removed", Warning, "A response header was removed.";
    // Security and servers.
    SecurityChanged => "security-changed", Breaking, "The security requirements changed so that a requirement clients meet is no longer accepted.";
    SecurityAlternativeAdded => "security-alternative-added", Info, "A new alternative security requirement is accepted; the old ones still are.";
    ServerUrlChanged => "server-url-changed", Warning, "The server URL (the client's default base URL) changed.";
    // Documentation and metadata.
    SummaryChanged => "summary-changed", Info, "An operation's summary changed.";
    DescriptionChanged => "description-changed", Info, "A description (or externalDocs) changed.";
    TitleChanged => "title-changed", Info, "A schema's title changed.";
    ExampleChanged => "example-changed", Info, "An example changed.";
    ExtensionChanged => "extension-changed", Info, "A vendor extension (`x-...`, e.g. code samples) changed.";
    TagsChanged => "tags-changed", Info, "An operation's tags changed.";
    DeprecationAdded => "deprecation-added", Warning, "An operation, parameter or property became deprecated.";
    DeprecationRemoved => "deprecation-removed", Info, "An operation, parameter or property is no longer deprecated.";
    InfoChanged => "info-changed", Info, "The document's info (title, description, version) changed.";
    OpenapiVersionChanged => "openapi-version-changed", Info, "The document's `openapi` version changed (still 3.0).";
    OperationChanged => "operation-changed", Warning, "Another operation field (callbacks and similar) changed.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in Kind::ALL {
            let id = kind.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(
                id.split('-').all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase())),
                "{id} is not kebab-case"
            );
        }
    }

    #[test]
    fn drift_md_documents_every_kind() {
        let doc = include_str!("../DRIFT.md");
        for kind in Kind::ALL {
            let row = format!("| `{}` | {} |", kind.id(), kind.level().name());
            assert!(doc.contains(&row), "xtask/drift/DRIFT.md lacks the row `{row} ...` for {kind:?}: {}", kind.doc());
        }
    }
}
