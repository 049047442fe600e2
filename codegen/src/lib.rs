//! The generator: vendored OpenAPI documents in, formatted Rust source out.
//!
//! [`generate`] is the one entry point. It is pure (no file system, no network), so the
//! xtask and the tests call the same code. The steps, in the order [`generate`] runs them:
//!
//! 1. `load::prepare`: parse each document (JSON as JSON, YAML as YAML; errors at
//!    `file:line:column`, shape errors at the innermost node that does not fit), make it
//!    self-contained (`$ref`s to the sibling files of [`Vendor::referenced`] become
//!    components or are inlined, `openapi::referenced_files` says which files to read), merge a
//!    vendor's documents into one (`spec::merge`), apply the vendor's fixes, an OpenAPI
//!    Overlay (`spec::fixes`), leave out the operations its `[[skip]]` entries name
//!    (`spec::skip`, cases `skipped-operation`, `skip-of-missing-operation`), and check what
//!    progenitor relies on (`spec::validate`); a node that is not strictly 3.0 (a boolean
//!    written `0`, a string keyword written as a map, a missing `responses`) is repaired by
//!    `openapi::tolerate` (case `tolerated-keywords`), a `$ref` to nothing where a schema,
//!    response, request body, parameter or header stands is degraded (case
//!    `dangling-references`; anywhere else it is refused, `dangling-link-ref`), and YAML
//!    integers beyond 64 bits are read as floats;
//!
//!    Whatever cannot be typed degrades at the smallest scope instead of refusing the document:
//!    each degradation is a typed [`Degradation`] (kind, file, location, note) in
//!    [`Generated::degradations`] and a `degraded (<kind>): ...` note; for a strict vendor
//!    ([`Vendor::strict`]) the first one is the error ([`Error::Degraded`]), with the fix or the
//!    `[[skip]]` entry;
//! 2. the passes over the OpenAPI document, in the order `spec::PASSES` lists them, each
//!    printing a one-line note per change (`cargo xtask regen` shows them), each with golden
//!    cases under `tests/cases/`:
//!
//!    | pass | what it does | cases |
//!    | --- | --- | --- |
//!    | `spec::openapi31` | OpenAPI 3.1 → 3.0: type arrays with `null` → `nullable`, `null` members of `oneOf`/`anyOf`, `const` → `enum`, `examples` → `example`, numeric exclusive bounds, `$ref` siblings, `webhooks` and `mutualTLS` security schemes left out; a schema with what has no 3.0 form (`prefixItems`, `if`/`then`/`else`) becomes `serde_json::Value` (a degradation) | `openapi-3-1-conversion`, `openapi-3-1-minimal`, `openapi-3-1-tuple`, `security-mutual-tls` |
//!    | `spec::schema_shapes` | shapes progenitor rejects where the intent is clear: `format` on an object, array or boolean dropped, a `default` of the wrong type converted (or dropped), an array's `enum` moved to its `items`, other values of a string `enum` made strings, untyped `enum`s of several types dropped, `$ref`s into another schema hoisted to components; and shapes that decode nothing the servers send: empty unions dropped, an `anyOf` of scalars or of different JSON types read as `oneOf`, a required `writeOnly` property made optional | `schema-shapes`, `answers-as-sent` |
//!    | `spec::all_of` | `allOf` shapes typify merges into a wrong type or one no value fits: `additionalProperties: false` around an `allOf` or union dropped, a holder's `required` moved into the `allOf` part that defines it, a `$ref` with `nullable` or `required` beside it made an `allOf` with them, `nullable` on an `allOf` part moved to the holder when every part says it, else dropped | `answers-as-sent`, `nullable-all-of-part` |
//!    | `spec::discriminators` | a `discriminator`'s values (its `mapping`'s keys, else the member components' names) written into each member's own plain string property as a one-value `enum`, so that the members of a union typify cannot tell apart decode as the one the value names | `discriminated-union` |
//!    | `spec::operation_ids` | an `operationId` for each operation without one, from its method and path (`GET /users/{id}` → `get_users_by_id`), clashes numbered; an id an earlier operation has is replaced the same way (a degradation) | `derived-operation-ids`, `missing-operation-id`, `empty-operation-id`, `duplicate-operation-id`, `strict-duplicate-operation-id` |
//!    | `spec::path_parameters` | a declared path parameter the path lacks is dropped, a `{name}` no parameter declares is declared as a string (degradations) | `path-parameter-not-in-path`, `undeclared-path-parameter` |
//!    | `spec::parameter_styles` | query parameters in styles progenitor does not encode (`deepObject`, unexploded `form`, pipe/space delimited) marked for `rust::query_styles`, an object one as any JSON value; cookie parameters dropped (degradations) | `degraded-bodies-and-parameters` |
//!    | `spec::rust_names` | property names and enum values typify would give one Rust name get distinct ones; `rust::wire_names` puts the wire names back | `colliding-rust-names`, `colliding-property-names`, `duplicate-enum-names`, `keyword-enum-values` |
//!    | `spec::media_types` | vendor `+json` types as JSON, request bodies in media types progenitor does not take as raw bytes with their `Content-Type` (`rust::content_types` sends it), `text/plain`/octet-stream schemas made plain, `encoding` maps dropped (degradations) | `degraded-bodies-and-parameters` |
//!    | `spec::request_bodies` | one request media type per operation (JSON first; the others named in a note); `multipart/form-data` as a typed body with `FilePart` files, sent by a second method `<operation>_multipart` when JSON is also offered | `multipart-bodies`, `two-request-media-types`, `form-urlencoded-body`, `byte-format-body` |
//!    | `spec::success_bodies` | `default` next to a 2xx becomes the `4XX`/`5XX` error body; a JSON body without a schema decodes as any JSON | `default-is-error`, `json-example-without-schema` |
//!    | `spec::success_variants` | several success bodies (two 2xx bodies, a body next to a `204`): each status keeps its type, and `rust::success_variants` makes `send()` return one enum with a variant per status | `two-success-schemas`, `success-and-no-content` |
//!    | `spec::error_bodies` | one error type per operation: body-less or non-JSON error statuses left undeclared (still `Error::Api` with status and text), differing JSON bodies merged into one object, or a `oneOf` when they cannot merge | `merged-error-bodies`, `mixed-error-bodies`, `unmergeable-error-bodies`, `inline-error-and-success` |
//!    | `spec::type_names` | every type typify makes gets a Rust name of its own, claimed in `names`' namespace of `types`: a component whose Rust name an earlier one has gets a new key, an inline schema whose name (`ThingInner`, `PayResponse`) a different schema has gets a `title` with the first free name; a nullable component's title that names the component itself is dropped (its inner type is `<Name>Inner`); the schemas of parameters, bodies and answers behind `$ref`s to `components` are named too; a one-part `allOf` is named where typify names it, on its part | `component-and-inline-type`, `nullable-enum`, `titled-schemas-behind-references`, `nullable-inline-copy-of-a-component` |
//!
//! 3. progenitor, with its builder interface, catching any panic it still raises; when it
//!    fails, `untypable` degrades every part that fails on its own in one pass (a
//!    component schema, deepest failing part first, then an operation's inline schemas, and as
//!    the last resort the operation itself to its smallest callable shape: parameters as
//!    strings, JSON bodies and answers as any value, `degraded (operation-untyped)`), and
//!    progenitor runs again (case `degraded-schemas`); for a strict vendor, or when it still
//!    fails, `generator::locate_failure` names the smallest part that fails on its own, probing
//!    each with only the components it refers to (cases `broken-component`, `invalid-pattern`);
//!    then `rust::index` records each operation's `Client` method and builder (from the
//!    document's ids through `names`, checked against the tree), which the passes below read;
//! 4. the passes over the Rust syntax tree, in the order `rust::PASSES` lists them (each row
//!    there says why it runs where it does):
//!
//!    | pass | what it does |
//!    | --- | --- |
//!    | `rust::postprocess` | constructors, the `api-version` header, `DEFAULT_BASE_URL`, errors and decoding through the client crate (`rust::responses`) |
//!    | `rust::success_variants` | one enum of success bodies by status, where `spec::success_variants` asked for it |
//!    | `rust::runtime_calls` | form bodies and websocket upgrades return the client crate's error |
//!    | `rust::content_types` | a body `spec::media_types` degraded is sent with its own `Content-Type`, and an answer in a vendor JSON type is asked for in it (`Accept`) |
//!    | `rust::query_styles` | query parameters `spec::parameter_styles` marked are encoded by `crate::query::Styled` |
//!    | `rust::multipart` | multipart bodies sent as `multipart/form-data` |
//!    | `rust::auth` | each operation's `send()` applies the scheme of the first `security` requirement the client can satisfy (bearer, basic, API key in a header, query or cookie; OAuth 2 and OpenID Connect as bearer), none for `security: []` (cases `security-*`) |
//!    | `rust::nullable` | three-state fields; a page's `next_page` stays an `Option` |
//!    | `rust::string_lists` | list setters (of body types and of operations, plain, optional or `Nullable`) take any list of string-likes |
//!    | `rust::optional_inputs` | the setter of an optional string enum takes the enum, its text or an `Option` of it |
//!    | `rust::constructors` | a struct's required fields are arguments of its `builder(..)`; builders are named `<Type>Builder` |
//!    | `rust::required_inputs` | an operation's required path and query parameters and body are arguments of its `Client` method |
//!    | `rust::docs` | docs on every item, and with `rust::doctests` a compiled example per operation |
//!    | `rust::client_docs` | the `Client`'s docs |
//!    | `rust::open_enums` | string enums keep values they do not know, except the tags that tell a union's members apart (`rust::union_tags`), which stay closed |
//!    | `rust::lenient_strings` | a string with a `pattern` or length bounds decodes as the server sends it (`FromStr` still checks) |
//!    | `rust::external_tags` | an externally tagged union (members each an object of one property of its own) decodes an object with other properties besides the member's key | `externally-tagged-union` |
//!    | `rust::uninhabited` | a note names each type no value fits (typify's enum without variants) |
//!    | `rust::non_exhaustive` | what upstream adds breaks no caller |
//!    | `rust::operation_table` | the operations' response handling as data, for the client's tests |
//!    | `rust::examples` | the example-contract tests |
//!    | `rust::mock_calls` | the Prism mock test's calls: each operation method's doctest call (the document it serves, `rust::mock_document`, is written next to them) |
//!    | `rust::object_rules` | a body whose schema's `minProperties` or `maxProperties` it breaks is refused in `send()`, naming the operation, before anything is sent |
//!    | `rust::derives` | a derived `Eq`, `Hash`, `Ord` or `PartialOrd` that a field's final type does not implement is dropped, with a note |
//!    | `rust::wire_names` | the wire names of what `spec::rust_names` renamed |
//!
//! 5. printing with prettyplease.
//!
//! [`openapi`] is the model of OpenAPI every step shares (methods, pointers, the `$ref`
//! resolver, operations); `client_paths` names everything the generated code uses from the
//! client crate.

mod client_paths;
mod degrade;
mod error;
mod generator;
mod input;
mod lint;
mod load;
mod names;
pub mod openapi;
mod rust;
mod spec;
mod timings;
mod untypable;

pub use degrade::{Degradation, DegradeKind};
pub use error::{Error, ErrorKind};
pub use input::{Skip, SpecFile, Vendor};
pub use lint::{Finding, lint};
pub use openapi::MAX_DOCUMENT_BYTES;
pub use timings::Timings;

use crate::load::Prepared;
use crate::timings::Stopwatch;

/// One operation method of a generated `Client`, as the index of progenitor's output has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// The `Client` method (`invite_members`).
    pub function: String,
    /// The request it sends: `POST /members/invite`.
    pub request: String,
}

/// The output for one vendor.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The operation methods of the vendor's `Client`, in document order (a second method of an
    /// operation, such as `<operation>_multipart`, after the first).
    pub methods: Vec<Method>,
    /// The formatted Rust source of the vendor's `generated.rs`.
    pub source: String,
    /// The formatted Rust source of the vendor's example-contract test file: one test per
    /// example in the specs, decoding it into the generated type and encoding it back.
    pub tests: String,
    /// The formatted Rust source of the vendor's mock-call test file: one call per operation
    /// method (its doctest's), which the client crate's Prism test sends to a mock server.
    pub mock_calls: String,
    /// The document as the generator saw it (the vendored text merged, fixed and through the
    /// passes, wire names kept), pretty-printed JSON: what the Prism test serves.
    pub mock_document: String,
    /// The formatted Rust source of the vendor's operation table for the client's response
    /// fuzzing (`generated-client/tests/generated/<vendor>_operations.rs`).
    pub operations: String,
    /// What the generator changed on the way, one line each, for the maintainer to read
    /// (the degradations among them).
    pub notes: Vec<String>,
    /// What the generator degraded instead of refusing (empty for a strict vendor).
    pub degradations: Vec<Degradation>,
    /// How many schemas the document has (components and inline schemas of operations), for
    /// typed coverage: the share that did not become `serde_json::Value`.
    pub schemas: usize,
}

/// Rewrites an OpenAPI 3.1 document into the 3.0 form the generator works on, with the
/// generator's own conversion (`spec::openapi31`, as [`generate`] runs it); a 3.0 document is
/// left as it is. `file` names the document in errors (what has no 3.0 form is one, at its
/// JSON pointer). Returns a note saying what changed, for the caller to show or not.
pub fn convert_openapi31(document: &mut serde_json::Value, file: &str) -> Result<Vec<String>, Error> {
    let mut merged = openapi::Merged {
        value: std::mem::take(document),
        origins: Default::default(),
        first_file: file.to_string(),
        vendor: String::new(),
        renamed: Default::default(),
        degradations: Vec::new(),
    };
    let converted = spec::openapi31::apply(&mut merged);
    *document = merged.value;
    converted
}

/// Generates the Rust source for one vendor from its documents.
///
/// `command` is the command the generated header names as the one that regenerates the file.
pub fn generate(vendor: Vendor<'_>, command: &str) -> Result<Generated, Error> {
    generate_timed(vendor, command).map(|(generated, _)| generated)
}

/// [`generate`], also saying how long each step took (for `codegen/benches/regen_scaling.rs`).
pub fn generate_timed(vendor: Vendor<'_>, command: &str) -> Result<(Generated, Timings), Error> {
    let mut watch = Stopwatch::start();
    let Prepared { document: mut merged, files, mut notes, .. } = load::prepare_timed(vendor, &mut watch)?;
    // The examples as the documents (with fixes) give them: the passes below reshape what
    // progenitor sees (a success body shown as raw bytes), not what the examples are.
    let examples = openapi::collect_examples(&merged.value);
    strict_check(vendor, &merged)?;
    for (_, pass) in spec::PASSES {
        notes.extend(pass(&mut merged)?);
    }

    // A 3.1 document is read as 3.0 once converted; what still does not fit is repaired.
    let (mut spec, repairs) = openapi::tolerate(&mut merged.value).map_err(|err| {
        let file = merged.file_of(&err.pointer);
        match vendor.documents.iter().find(|document| document.path == file) {
            Some(document) => openapi::shape_error(document, &err),
            None => openapi::shape_error(&SpecFile { path: files.clone(), text: String::new() }, &err),
        }
    })?;
    for repair in repairs {
        let file = merged.file_of(&repair.pointer).to_string();
        let document = vendor.documents.iter().find(|document| document.path == file);
        let document = document.cloned().unwrap_or(SpecFile { path: file, text: String::new() });
        merged.degradations.push(openapi::tolerated(&document, repair));
    }
    // What typify would recurse on without end (an abort, not an error) is degraded first.
    let recursive = untypable::recursive_merges(&mut merged);
    if !recursive.is_empty() {
        merged.degradations.extend(recursive);
        spec = openapi::typed(&merged.value).map_err(|err| Error::Generator {
            files: files.clone(),
            location: format!("#{}", err.pointer),
            message: err.message,
            advice: "degrading a schema made the document invalid; this is a generator bug".into(),
        })?;
    }
    strict_check(vendor, &merged)?;
    watch.lap("spec passes");
    let mut result = generator::run(&spec);
    if result.is_err() && !vendor.strict {
        // Degrade what progenitor fails on, then generate again.
        let degraded = untypable::apply(&mut merged);
        watch.lap("degrade");
        if !degraded.is_empty() {
            merged.degradations.extend(degraded);
            spec = openapi::typed(&merged.value).map_err(|err| Error::Generator {
                files: files.clone(),
                location: format!("#{}", err.pointer),
                message: err.message,
                advice: "degrading a schema made the document invalid; this is a generator bug".into(),
            })?;
            result = generator::run(&spec);
        }
    }
    let tokens = result.map_err(|message| {
        let culprit = generator::locate_failure(&merged.value, vendor.name).unwrap_or_else(|| generator::Culprit {
            location: "(no single schema or operation)".into(),
            advice: "the parts generate on their own but not together; look for two schemas that become the same \
                     Rust type"
                .into(),
        });
        Error::Generator { files: files.clone(), location: culprit.location, message, advice: culprit.advice }
    })?;
    watch.lap("progenitor");

    let file: syn::File = syn::parse2(tokens).map_err(|err| Error::Generator {
        files: files.clone(),
        location: "(whole document)".into(),
        message: format!("the generated code does not parse: {err}"),
        advice: "this is a generator bug; report it with the document".into(),
    })?;
    let index = rust::index::Index::build(&file, &merged.value).map_err(|message| Error::Generator {
        files: files.clone(),
        location: "(rust::index)".into(),
        message,
        advice: "this is a generator bug; report it with the document".into(),
    })?;
    watch.lap("parse");
    let mut cx = rust::Context {
        file,
        index,
        tests: syn::parse_quote!(),
        operations: syn::parse_quote!(),
        document: &merged,
        examples: &examples,
        base_url: spec.servers.first().map(|server| server.url.as_str()),
        calls: Vec::new(),
        mock_calls: String::new(),
    };
    for pass in rust::PASSES {
        notes.extend((pass.run)(&mut cx).map_err(|message| Error::Generator {
            files: files.clone(),
            location: format!("(rust::{})", pass.name),
            message,
            advice: "this is a generator bug; report it with the document".into(),
        })?);
        watch.lap(pass.name);
    }
    let rust::Context { file, tests: tests_file, mock_calls, operations: operations_file, index, .. } = cx;
    let methods = index
        .operations()
        .iter()
        .map(|operation| Method { function: operation.function.to_string(), request: operation.label() })
        .collect();

    let vendor_name = vendor.name;
    let fixes_note = vendor.fixes.map(|f| format!(" with the fixes in {}", f.path)).unwrap_or_default();
    let header = format!("// @generated by `{command}` from {files}{fixes_note}; do not edit by hand.\n");
    let source = format!(
        "{header}// The {vendor_name} API client, generated with progenitor.\n\n{}",
        prettyplease::unparse(&file)
    );
    let tests = format!("{header}\n{}", prettyplease::unparse(&tests_file));
    let mock_calls = format!("{header}\n{mock_calls}");
    let mock_document = rust::mock_document::document(&merged, header.trim_start_matches("// ").trim_end());
    let operations = format!("{header}\n{}", prettyplease::unparse(&operations_file));
    watch.lap("print");
    let degradations = merged.degradations;
    notes.extend(degradations.iter().map(Degradation::to_string));
    let schemas = untypable::count_schemas(&merged.value);
    Ok((
        Generated { methods, source, tests, mock_calls, mock_document, operations, notes, degradations, schemas },
        watch.timings,
    ))
}

/// For a strict vendor, the first degradation so far as an error.
fn strict_check(vendor: Vendor<'_>, merged: &openapi::Merged) -> Result<(), Error> {
    match merged.degradations.first() {
        Some(degradation) if vendor.strict => Err(degradation.error(vendor.name)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    /// The passes a table of the crate documentation lists, in order: the first backticked
    /// name of each row that starts with `prefix`.
    fn documented(prefix: &str) -> Vec<String> {
        include_str!("lib.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("//!    | `")?.strip_prefix(prefix)?.split('`').next())
            .map(String::from)
            .collect()
    }

    /// The top-level module a source file belongs to: `spec` for `spec/merge.rs`, `lib` for
    /// `lib.rs`, `names` for `names.rs`.
    fn module_of(path: &std::path::Path, src: &std::path::Path) -> String {
        let relative = path.strip_prefix(src).expect("under src");
        let first = relative.components().next().expect("a component").as_os_str().to_string_lossy().into_owned();
        first.trim_end_matches(".rs").to_string()
    }

    /// The `.rs` files under `dir`.
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn no_cycle_between_top_level_modules() {
        use std::collections::{BTreeMap, BTreeSet};
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let modules: BTreeSet<String> = files.iter().map(|path| module_of(path, &src)).collect();
        // A name the crate root re-exports (`crate::Error`) belongs to the module it comes from.
        let mut reexports: BTreeMap<String, String> = BTreeMap::new();
        for line in include_str!("lib.rs").lines() {
            let Some(rest) = line.strip_prefix("pub use ") else { continue };
            let Some((module, names)) = rest.split_once("::") else { continue };
            for name in names.split(|c: char| !c.is_alphanumeric() && c != '_').filter(|name| !name.is_empty()) {
                reexports.insert(name.to_string(), module.to_string());
            }
        }
        /// The first two segments of every `crate::` path and `use` (the root's own paths too,
        /// which name its modules directly), outside `#[cfg(test)]` modules.
        #[derive(Default)]
        struct Paths(Vec<(String, String)>);
        impl<'ast> syn::visit::Visit<'ast> for Paths {
            fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
                if !module.attrs.iter().any(|attr| quote::quote!(#attr).to_string().contains("cfg (test)")) {
                    syn::visit::visit_item_mod(self, module);
                }
            }
            fn visit_path(&mut self, path: &'ast syn::Path) {
                let mut segments = path.segments.iter().map(|segment| segment.ident.to_string());
                if let (Some(first), Some(second)) = (segments.next(), segments.next()) {
                    self.0.push((first, second));
                }
                syn::visit::visit_path(self, path);
            }
            fn visit_use_tree(&mut self, tree: &'ast syn::UseTree) {
                fn names(tree: &syn::UseTree, out: &mut Vec<String>) {
                    match tree {
                        syn::UseTree::Path(path) => out.push(path.ident.to_string()),
                        syn::UseTree::Name(name) => out.push(name.ident.to_string()),
                        syn::UseTree::Rename(rename) => out.push(rename.ident.to_string()),
                        syn::UseTree::Group(group) => group.items.iter().for_each(|tree| names(tree, out)),
                        syn::UseTree::Glob(_) => {}
                    }
                }
                if let syn::UseTree::Path(path) = tree
                    && path.ident == "crate"
                {
                    let mut found = Vec::new();
                    names(&path.tree, &mut found);
                    self.0.extend(found.into_iter().map(|name| ("crate".to_string(), name)));
                }
            }
        }
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for path in &files {
            let from = module_of(path, &src);
            let file = syn::parse_file(&std::fs::read_to_string(path).expect("a source file")).expect("parses");
            let mut paths = Paths::default();
            syn::visit::Visit::visit_file(&mut paths, &file);
            for (first, second) in paths.0 {
                let to = match first.as_str() {
                    "crate" if modules.contains(&second) => second,
                    "crate" => reexports.get(&second).cloned().unwrap_or_else(|| "lib".into()),
                    module if from == "lib" && modules.contains(module) => module.to_string(),
                    _ => continue,
                };
                if to != from {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
        // A cycle is an edge a → b where b reaches a.
        let reaches = |start: &str, goal: &str| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![start.to_string()];
            while let Some(module) = stack.pop() {
                if module == goal {
                    return true;
                }
                if seen.insert(module.clone()) {
                    stack.extend(edges.get(&module).into_iter().flatten().cloned());
                }
            }
            false
        };
        let cycles: Vec<String> = edges
            .iter()
            .flat_map(|(from, tos)| tos.iter().map(move |to| (from, to)))
            .filter(|(from, to)| reaches(to, from))
            .map(|(from, to)| format!("{from} → {to}"))
            .collect();
        assert!(cycles.is_empty(), "edges on a cycle between top-level modules: {cycles:?}");
    }

    #[test]
    fn the_pass_tables_agree_with_the_crate_documentation() {
        let spec: Vec<&str> = crate::spec::PASSES.iter().map(|(name, _)| *name).collect();
        assert_eq!(documented("spec::"), spec, "spec::PASSES and the crate documentation's table");
        let rust: Vec<&str> = crate::rust::PASSES.iter().map(|pass| pass.name).collect();
        assert_eq!(documented("rust::"), rust, "rust::PASSES and the crate documentation's table");
        for pass in crate::rust::PASSES {
            assert!(!pass.why_here.is_empty(), "rust::{} says why it runs where it does", pass.name);
        }
    }
}
