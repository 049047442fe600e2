//! Passes over the Rust syntax tree progenitor generates, one file each, run by
//! [`generate`](crate::generate) in the order [`PASSES`] lists them. The table of all passes
//! is in the crate documentation.

pub(crate) mod auth;
pub(crate) mod client_docs;
pub(crate) mod constructors;
pub(crate) mod content_types;
pub(crate) mod derives;
pub(crate) mod docs;
mod doctests;
pub(crate) mod examples;
pub(crate) mod external_tags;
pub(crate) mod index;
pub(crate) mod lenient_strings;
pub(crate) mod mock_calls;
pub(crate) mod mock_document;
pub(crate) mod multipart;
pub(crate) mod non_exhaustive;
pub(crate) mod nullable;
pub(crate) mod object_rules;
pub(crate) mod open_enums;
pub(crate) mod operation_table;
pub(crate) mod optional_inputs;
pub(crate) mod postprocess;
pub(crate) mod query_styles;
pub(crate) mod required_inputs;
mod responses;
pub(crate) mod runtime_calls;
pub(crate) mod string_lists;
pub(crate) mod success_variants;
mod syntax;
pub(crate) mod uninhabited;
pub(crate) mod union_tags;
pub(crate) mod wire_names;

use crate::openapi::{Example, Merged};

/// What every Rust pass reads and rewrites.
pub(crate) struct Context<'a> {
    /// The generated client: progenitor's output as the passes before rewrote it.
    pub file: syn::File,
    /// The vendor's example-contract tests, empty until `examples` writes them.
    pub tests: syn::File,
    /// The vendor's operation table for the client's response fuzzing, empty until
    /// `operation_table` writes it.
    pub operations: syn::File,
    /// What progenitor produced, by operation: each one's method and builder.
    pub index: index::Index,
    /// The document progenitor was given (after the document passes), with the vendor's name,
    /// the file each item came from and the names `spec::rust_names` changed.
    pub document: &'a Merged,
    /// The examples as the documents (with fixes) give them, before the document passes.
    pub examples: &'a [Example],
    /// The URL of the document's first server, when it names one.
    pub base_url: Option<&'a str>,
    /// Each operation method's call, as `docs` (with `doctests`) built its example.
    pub calls: Vec<doctests::Call>,
    /// The formatted mock-call test file, empty until `mock_calls` writes it.
    pub mock_calls: String,
}

/// One Rust pass: a note per change worth reading, or the message of a generator bug (the
/// pipeline names the pass and the vendor's files around it).
pub(crate) type Run = fn(&mut Context<'_>) -> Result<Vec<String>, String>;

/// A row of [`PASSES`].
pub(crate) struct Pass {
    /// The pass's module, as the crate documentation names it (`postprocess` is `rust::postprocess`).
    pub name: &'static str,
    /// Why the pass runs where it does in the order.
    #[allow(dead_code, reason = "documentation kept with the row it explains")]
    pub why_here: &'static str,
    pub run: Run,
}

/// The Rust passes, in the order they run.
pub(crate) const PASSES: &[Pass] = &[
    Pass {
        name: "postprocess",
        why_here: "first: it drops progenitor's constructors and routes every `send()` through the client crate \
                   (`responses`), the form every later pass reads and rewrites",
        run: |cx| {
            postprocess::apply(&mut cx.file, cx.base_url);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "success_variants",
        why_here: "rewrites the `send()`s `postprocess` left; before `docs`, so that its enums are documented, and \
                   before `operation_table`, which reads their success type",
        run: |cx| success_variants::apply(&mut cx.file, &cx.document.value, &cx.index).map(|()| Vec::new()),
    },
    Pass {
        name: "runtime_calls",
        why_here: "replaces progenitor runtime calls inside the `send()`s `postprocess` rewrote, before `multipart` \
                   copies any of them",
        run: |cx| Ok(runtime_calls::apply(&mut cx.file)),
    },
    Pass {
        name: "content_types",
        why_here: "sets the `Content-Type` of degraded bodies inside the `send()`s `postprocess` rewrote, before \
                   `multipart` copies any of them",
        run: |cx| content_types::apply(&mut cx.file, &cx.document.value, &cx.index).map(|()| Vec::new()),
    },
    Pass {
        name: "query_styles",
        why_here: "encodes styled query parameters inside the `send()`s `postprocess` rewrote, before `multipart` \
                   copies any of them",
        run: |cx| query_styles::apply(&mut cx.file, &cx.document.value, &cx.index).map(|()| Vec::new()),
    },
    Pass {
        name: "multipart",
        why_here: "copies methods and builders; before `nullable` and `docs`, so that the copies get three-state \
                   fields and docs like the others",
        run: |cx| multipart::apply(&mut cx.file, &cx.document.value, &mut cx.index).map(|()| Vec::new()),
    },
    Pass {
        name: "auth",
        why_here: "adds a statement to every `send()` `postprocess` rewrote, after `multipart` copied them, so \
                   that each method of an operation reads the index for its own builder",
        run: |cx| auth::apply(&mut cx.file, &cx.document.value, &cx.index),
    },
    Pass {
        name: "nullable",
        why_here: "makes fields and setters `Nullable`; before `docs`, which documents the final signatures, and \
                   `string_lists`, which rewrites the three-state list setters it writes",
        run: |cx| Ok(nullable::apply(&mut cx.file, &cx.document.value)),
    },
    Pass {
        name: "string_lists",
        why_here: "after `nullable`, whose three-state list setters it rewrites too; before `constructors` and \
                   `required_inputs`, whose arguments take what the rewritten setters take",
        run: |cx| {
            string_lists::apply(&mut cx.file);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "optional_inputs",
        why_here: "before `constructors` and `required_inputs`, whose arguments take what the setters take (a \
                   required nullable enum's argument too)",
        run: |cx| {
            optional_inputs::apply(&mut cx.file);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "constructors",
        why_here: "after `string_lists`, so that a required list field's argument takes any list of strings; \
                   before `docs`, whose examples call `builder(..)` with the required fields",
        run: |cx| {
            constructors::apply(&mut cx.file);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "required_inputs",
        why_here: "after `string_lists` and `multipart`, whose setters its arguments call; before `docs`, whose \
                   examples pass the required inputs as the method's arguments",
        run: |cx| {
            required_inputs::apply(&mut cx.file);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "docs",
        why_here: "after every pass that adds methods and types, so that each gets docs (with `rust::doctests`, \
                   the example of each operation method)",
        run: |cx| {
            cx.calls = docs::apply(&mut cx.file, &cx.document.value, &cx.document.vendor, &cx.index);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "client_docs",
        why_here: "after `docs`, which leaves documented items alone: the `Client`'s docs are replaced, not added",
        run: |cx| {
            client_docs::apply(&mut cx.file, &cx.document.value, &cx.document.vendor);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "open_enums",
        why_here: "shapes the public types, on documented items: the `Unknown` variant it adds brings its own docs",
        run: |cx| {
            open_enums::apply(&mut cx.file);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "lenient_strings",
        why_here: "on typify's `Deserialize` impls, which no pass before it rewrites",
        run: |cx| {
            let changed = lenient_strings::apply(&mut cx.file);
            Ok((changed > 0)
                .then(|| format!("{changed} constrained string type(s) decode what the server sends; `FromStr` checks"))
                .into_iter()
                .collect())
        },
    },
    Pass {
        name: "external_tags",
        why_here: "on typify's `Deserialize` derives, which no pass before it rewrites",
        run: |cx| {
            let changed = external_tags::apply(&mut cx.file);
            Ok((changed > 0)
                .then(|| {
                    format!("{changed} externally tagged union(s) decode an object with other keys besides the tag")
                })
                .into_iter()
                .collect())
        },
    },
    Pass {
        name: "uninhabited",
        why_here: "reads typify's types as the passes before it left them; changes nothing",
        run: |cx| Ok(uninhabited::notes(&mut cx.file)),
    },
    Pass {
        name: "non_exhaustive",
        why_here: "after every pass that adds data types, so that all of them are marked",
        run: |cx| {
            non_exhaustive::apply(&mut cx.file);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "operation_table",
        why_here: "reads the final `send()`s, after `responses` and `success_variants` wrote them",
        run: |cx| {
            cx.operations = operation_table::apply(&mut cx.file, &cx.document.vendor, &cx.index);
            Ok(Vec::new())
        },
    },
    Pass {
        name: "examples",
        why_here: "names the public types as the client exports them, so after every pass that shapes them",
        run: |cx| {
            let (tests, notes) = examples::apply(&cx.document.vendor, &cx.file, cx.document, cx.examples, &cx.index)
                .map_err(|err| format!("the generated tests do not parse: {err}"))?;
            cx.tests = tests;
            Ok(notes)
        },
    },
    Pass {
        name: "mock_calls",
        why_here: "prints its file itself, JSON bodies inserted after formatting, so it restores the wire names \
                   itself and can run anywhere after `docs`",
        run: |cx| {
            cx.mock_calls = mock_calls::apply(&cx.document.vendor, &cx.calls, &cx.document.renamed)
                .map_err(|err| format!("the generated mock calls do not parse: {err}"))?;
            Ok(Vec::new())
        },
    },
    Pass {
        name: "object_rules",
        why_here: "after `constructors`, which leaves the builders' conversions as typify wrote them; any time \
                   before printing, since no other pass reads the conversions",
        run: |cx| Ok(object_rules::apply(&mut cx.file, &cx.document.value)),
    },
    Pass {
        name: "derives",
        why_here: "after every pass that changes a field's type (`nullable`, `open_enums`), so that it checks the \
                   final fields; before `wire_names`, which only restores strings",
        run: |cx| Ok(derives::apply(&mut cx.file)),
    },
    Pass {
        name: "wire_names",
        why_here: "last: puts the wire names back into every string of the client and of the example tests, after \
                   every pass that writes strings from the document's (renamed) names",
        run: |cx| {
            for target in [&mut cx.file, &mut cx.tests] {
                wire_names::apply(target, &cx.document.renamed).map_err(|err| {
                    format!("the generated code does not parse once the wire names are restored: {err}")
                })?;
            }
            Ok(Vec::new())
        },
    },
];
