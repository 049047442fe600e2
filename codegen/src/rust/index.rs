//! The index of what progenitor produced, built once, right after it runs: every operation's
//! `Client` method and builder, read from the document and the syntax tree, never from doc
//! prose or token text.
//!
//! Progenitor names an operation's method `sanitize(operationId, snake_case)` and its builder
//! `sanitize(method, PascalCase)` (`crate::names`); the index computes both from the document's
//! operations (whose ids `spec::operation_ids` made present and distinct in Rust) and checks
//! each against the `Client` impl, so a pass that needs an operation's builder asks the index
//! instead of guessing a name or parsing "Sends a `POST` request to ...". A pass that adds an
//! operation method (`multipart`'s second method) registers it here.

use serde_json::Value;

use super::syntax::{is_named, module_items, return_type_name};
use crate::names::{Case, sanitize};
use crate::openapi;

/// One operation method of the generated `Client`.
#[derive(Debug, Clone)]
pub(crate) struct OperationItem {
    /// The operation's `operationId` in the document progenitor was given.
    pub id: String,
    /// The HTTP method, lower case (`post`).
    pub method: &'static str,
    /// The path template (`/members/{id}`).
    pub path: String,
    /// The `Client` method (`invite_members`).
    pub function: syn::Ident,
    /// The builder it returns, in the `builder` module (`InviteMembers`).
    pub builder: syn::Ident,
}

impl OperationItem {
    /// `POST /members/invite`.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// What progenitor produced, by operation.
#[derive(Debug, Default)]
pub(crate) struct Index {
    operations: Vec<OperationItem>,
}

impl Index {
    /// Reads the operations of `doc` and finds each one's method and builder in `file`; an
    /// operation progenitor made no method for is a generator bug, and an error naming it.
    pub fn build(file: &syn::File, doc: &Value) -> Result<Index, String> {
        let builders: std::collections::BTreeMap<String, String> = client_methods(file)
            .filter_map(|method| Some((method.sig.ident.to_string(), return_type_name(&method.sig)?)))
            .collect();
        let mut operations = Vec::new();
        for operation in openapi::operations(doc) {
            let Some(id) = operation.id() else { continue };
            let function = sanitize(id, Case::Snake);
            let Some(builder) = builders.get(&function) else {
                return Err(format!("{} ({id}): progenitor made no `Client::{function}` for it", operation.label()));
            };
            operations.push(OperationItem {
                id: id.to_string(),
                method: operation.method,
                path: operation.path.to_string(),
                function: syn::Ident::new(&function, proc_macro2::Span::call_site()),
                builder: syn::Ident::new(builder, proc_macro2::Span::call_site()),
            });
        }
        Ok(Index { operations })
    }

    /// The index progenitor's output would give the operations (`id`, method, path), for unit
    /// tests of the passes that read it.
    #[cfg(test)]
    pub fn of(operations: &[(&str, &'static str, &str)]) -> Index {
        let operations = operations
            .iter()
            .map(|(id, method, path)| {
                let function = sanitize(id, Case::Snake);
                let builder = sanitize(&function, Case::Pascal);
                OperationItem {
                    id: id.to_string(),
                    method,
                    path: path.to_string(),
                    function: syn::Ident::new(&function, proc_macro2::Span::call_site()),
                    builder: syn::Ident::new(&builder, proc_macro2::Span::call_site()),
                }
            })
            .collect();
        Index { operations }
    }

    /// Every operation method, in document order (an added one after its operation's).
    pub fn operations(&self) -> &[OperationItem] {
        &self.operations
    }

    /// The operation whose `operationId` is `id` (its first method).
    pub fn operation(&self, id: &str) -> Option<&OperationItem> {
        self.operations.iter().find(|operation| operation.id == id)
    }

    /// The operation method named `function`.
    pub fn by_function(&self, function: &str) -> Option<&OperationItem> {
        self.operations.iter().find(|operation| operation.function == function)
    }

    /// The operation method whose builder is `builder`.
    pub fn by_builder(&self, builder: &str) -> Option<&OperationItem> {
        self.operations.iter().find(|operation| operation.builder == builder)
    }

    /// Records a method a pass added for an operation (`upload_multipart` for `upload`), right
    /// after that operation's first method.
    pub fn add(&mut self, of: &str, function: syn::Ident, builder: syn::Ident) {
        let Some(at) = self.operations.iter().position(|operation| operation.id == of) else { return };
        let added = OperationItem { function, builder, ..self.operations[at].clone() };
        self.operations.insert(at + 1, added);
    }
}

/// The `impl builder::<name>` of the operation builder `builder` in `file` (its setters and
/// `send()`): what a pass rewrites to change how an operation is sent.
pub(crate) fn builder_impl_mut<'a>(file: &'a mut syn::File, builder: &syn::Ident) -> Option<&'a mut syn::ItemImpl> {
    module_items(&mut file.items, "builder")?.iter_mut().find_map(|item| match item {
        syn::Item::Impl(imp) if imp.trait_.is_none() && is_named(&imp.self_ty, &builder.to_string()) => Some(imp),
        _ => None,
    })
}

/// Every operation builder's `impl` in `file`, by builder name, found in one walk: what a pass
/// that rewrites many operations uses (one [`builder_impl_mut`] per operation would walk the
/// module once per operation).
pub(crate) fn builder_impls_mut(file: &mut syn::File) -> std::collections::HashMap<String, &mut syn::ItemImpl> {
    let mut out = std::collections::HashMap::new();
    for item in module_items(&mut file.items, "builder").into_iter().flatten() {
        if let syn::Item::Impl(imp) = item
            && imp.trait_.is_none()
            && let syn::Type::Path(path) = imp.self_ty.as_ref()
            && let Some(last) = path.path.segments.last()
        {
            out.entry(last.ident.to_string()).or_insert(imp);
        }
    }
    out
}

/// The methods of the generated `Client`'s own impl.
pub(crate) fn client_methods(file: &syn::File) -> impl Iterator<Item = &syn::ImplItemFn> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(imp) if imp.trait_.is_none() && is_named(&imp.self_ty, "Client") => Some(imp),
            _ => None,
        })
        .flat_map(|imp| imp.items.iter())
        .filter_map(|member| match member {
            syn::ImplItem::Fn(method) => Some(method),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn client(methods: &str) -> syn::File {
        syn::parse_str(&format!("impl Client {{ {methods} }} pub mod builder {{}}")).expect("test source parses")
    }

    #[test]
    fn finds_each_operation_by_its_rust_names() {
        let doc = json!({ "paths": { "/things/{id}": {
            "get": { "operationId": "getThing" },
            "put": { "operationId": "type" },
        } } });
        let file = client(
            "pub fn get_thing(&self) -> builder::GetThing<'_> { todo!() } \
             pub fn type_(&self) -> builder::Type<'_> { todo!() }",
        );
        let index = Index::build(&file, &doc).expect("every operation has a method");
        let thing = index.operation("getThing").expect("by id");
        assert_eq!((thing.function.to_string(), thing.builder.to_string()), ("get_thing".into(), "GetThing".into()));
        assert_eq!(thing.label(), "GET /things/{id}");
        assert_eq!(index.by_function("type_").map(|item| item.id.as_str()), Some("type"));
        assert_eq!(index.by_builder("Type").map(|item| item.method), Some("put"));
    }

    #[test]
    fn an_operation_without_a_method_is_an_error_naming_it() {
        let doc = json!({ "paths": { "/things": { "post": { "operationId": "makeThing" } } } });
        let err = Index::build(&client(""), &doc).expect_err("no method");
        assert!(err.contains("POST /things (makeThing)") && err.contains("Client::make_thing"), "{err}");
    }
}
