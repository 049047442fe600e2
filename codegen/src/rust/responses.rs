//! Routes the generated operations' errors and response decoding through the client crate's
//! hand-written code, so that every `send()` returns the crate's own error type.
//!
//! Progenitor's `send()` returns `progenitor_client::Error<E>` and decodes bodies with
//! `ResponseValue::from_response`, which reads any amount of data and, when a body does not
//! decode, drops the status. The edits:
//!
//! - the generated module's `Error` becomes `pub type Error<E = X> = crate::Error<E>`, where
//!   `X` is the error body the operations document (`()` when they document none or differ);
//! - success bodies decode with `crate::response::decode` (size limit; status and text kept);
//! - documented error responses become `crate::response::declared_error` (the status, the
//!   decoded body when it fits, the text), other statuses `crate::response::undeclared_error`;
//! - the `pre` and `post` hook calls are dropped: their errors are progenitor's type, and the
//!   client does its per-request work (headers, retries, tracing) in the `exec` hook;
//! - a `reqwest::Error` gets the operation where it is made: `.build()?` and `result?` become
//!   `.build().map_err(crate::error::in_operation("invite_members"))?` and
//!   `result.map_err(crate::error::in_operation("invite_members"))?`, so a transport failure or
//!   timeout names its operation without any state outside the call;
//! - so does an input refused before sending: `.map_err(Error::InvalidRequest)` and a header
//!   value's `.try_into()?` become `.map_err(crate::error::invalid_request("invite_members"))`
//!   ([`attach_operations`] runs again after the passes that add such calls).

use quote::quote;
use syn::visit_mut::VisitMut;

use super::syntax::type_parts;
use crate::client_paths::{
    DECLARED_ERROR, DECODE, ERROR, IN_OPERATION, INVALID_REQUEST, UNDECLARED_ERROR, parse as parse_path,
};

/// Applies the edits to `file`.
pub(crate) fn apply(file: &mut syn::File) {
    let default_error = common_error_body(file);
    for item in &mut file.items {
        if let syn::Item::Use(item_use) = item {
            drop_progenitor_error(&mut item_use.tree);
        }
    }
    let error_type: syn::Path = parse_path(ERROR);
    let alias: syn::Item = syn::parse_quote! {
        /// The error of this API's operations: the client crate's error type, with the error
        /// body the specification documents as `E`.
        pub type Error<E = #default_error> = #error_type<E>;
    };
    file.items.push(alias);
    RouteResponses.visit_file_mut(file);
}

/// The `E` of `Error<E>` that every operation's `send()` returns, or `()` when they differ.
fn common_error_body(file: &mut syn::File) -> syn::Type {
    struct Collect(Vec<syn::Type>);
    impl VisitMut for Collect {
        fn visit_impl_item_fn_mut(&mut self, method: &mut syn::ImplItemFn) {
            if method.sig.ident == "send"
                && let syn::ReturnType::Type(_, ty) = &method.sig.output
                && let Some(error) = generic_args(ty, "Result").and_then(|args| args.get(1).cloned())
                && let Some(body) = generic_args(&error, "Error").and_then(|args| args.first().cloned())
            {
                self.0.push(body);
            }
        }
    }
    let mut collect = Collect(Vec::new());
    collect.visit_file_mut(file);
    let unit: syn::Type = syn::parse_quote!(());
    let Some(first) = collect.0.first() else { return unit };
    // Type equality: syn's types compare only with its `extra-traits` feature, which the
    // workspace does not build; their token text is equal exactly when the types are.
    let first_tokens = quote!(#first).to_string();
    if collect.0.iter().all(|ty| quote!(#ty).to_string() == first_tokens) { first.clone() } else { unit }
}

/// The type arguments of `ty` when it is `name<...>`.
fn generic_args(ty: &syn::Type, name: &str) -> Option<Vec<syn::Type>> {
    type_parts(ty).filter(|(last, _)| last == name).map(|(_, args)| args)
}

/// Removes `Error` from `use progenitor_client::{..., Error, ...}`.
fn drop_progenitor_error(tree: &mut syn::UseTree) {
    let syn::UseTree::Path(path) = tree else { return };
    if path.ident != "progenitor_client" {
        return;
    }
    if let syn::UseTree::Group(group) = path.tree.as_mut() {
        group.items = std::mem::take(&mut group.items)
            .into_iter()
            .filter(|item| !matches!(item, syn::UseTree::Name(name) if name.ident == "Error"))
            .collect();
    }
}

struct RouteResponses;

impl VisitMut for RouteResponses {
    fn visit_impl_item_fn_mut(&mut self, method: &mut syn::ImplItemFn) {
        attach_operation(method);
        syn::visit_mut::visit_impl_item_fn_mut(self, method);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain(|stmt| !is_pre_or_post_hook(stmt));
        syn::visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let Some(replacement) = route(expr) {
            *expr = replacement;
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// The `operation_id` of the `OperationInfo` a `send()` builds.
fn operation_id(block: &syn::Block) -> Option<String> {
    struct Find(Option<String>);
    impl VisitMut for Find {
        fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
            if let syn::Member::Named(name) = &field.member
                && name == "operation_id"
                && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. }) = &field.expr
            {
                self.0 = Some(id.value());
            }
        }
    }
    let mut find = Find(None);
    // The crate enables syn's mutable visitor only; the walk changes nothing.
    find.visit_block_mut(&mut block.clone());
    find.0
}

/// Attaches the operation to the errors of every `send()` in `file` that does not name it yet:
/// for passes that add `.map_err(Error::InvalidRequest)` after this one ran.
pub(super) fn attach_operations(file: &mut syn::File) {
    struct Sends;
    impl VisitMut for Sends {
        fn visit_impl_item_fn_mut(&mut self, method: &mut syn::ImplItemFn) {
            attach_operation(method);
            syn::visit_mut::visit_impl_item_fn_mut(self, method);
        }
    }
    Sends.visit_file_mut(file);
}

fn attach_operation(method: &mut syn::ImplItemFn) {
    if method.sig.ident == "send"
        && let Some(id) = operation_id(&method.block)
    {
        AttachOperation(id).visit_block_mut(&mut method.block);
    }
}

/// Rewrites the `?`s on a `reqwest::Error` in a `send()` (`.build()?` and `result?`), on a header
/// value (`.try_into()?`) and the `Error::InvalidRequest` of a refused input to attach the
/// operation id. An expression rewritten once is not matched again.
struct AttachOperation(String);

impl VisitMut for AttachOperation {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let id = &self.0;
        if path_string(expr).as_deref() == Some("Error::InvalidRequest") {
            let invalid = parse_path(INVALID_REQUEST);
            *expr = syn::parse_quote!(#invalid(#id));
            return;
        }
        let syn::Expr::Try(tried) = expr else { return };
        let attach = match tried.expr.as_ref() {
            // Progenitor's name for the result of `exec`: `result`, or `_result` (with as many
            // underscores as make it unique) when an input is named `result`.
            syn::Expr::Path(path)
                if path.path.get_ident().is_some_and(|ident| ident.to_string().trim_start_matches('_') == "result") =>
            {
                IN_OPERATION
            }
            syn::Expr::MethodCall(call) if call.method == "build" && call.args.is_empty() => IN_OPERATION,
            syn::Expr::MethodCall(call) if call.method == "try_into" && call.args.is_empty() => INVALID_REQUEST,
            _ => return,
        };
        let (inner, attach) = (&tried.expr, parse_path(attach));
        *tried.expr = syn::parse_quote!(#inner.map_err(#attach(#id)));
    }
}

/// `client.pre(&mut request, &info).await?;` and `client.post(&result, &info).await?;`.
fn is_pre_or_post_hook(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::Try(tried), Some(_)) = stmt else { return false };
    let syn::Expr::Await(awaited) = tried.expr.as_ref() else { return false };
    let syn::Expr::MethodCall(call) = awaited.base.as_ref() else { return false };
    call.method == "pre" || call.method == "post"
}

/// The replacement for one of progenitor's response-handling calls, if `expr` is one.
fn route(expr: &syn::Expr) -> Option<syn::Expr> {
    let syn::Expr::Call(call) = expr else { return None };
    let callee = path_string(&call.func)?;
    let arg = call.args.first()?;
    match callee.as_str() {
        // `Error::ErrorResponse(ResponseValue::from_response(response).await?)` and the
        // `empty`/`stream` forms, for documented error statuses.
        "Error::ErrorResponse" => {
            let (constructor, response) = response_value_call(arg)?;
            let target = parse_path(if constructor == "from_response" { DECLARED_ERROR } else { UNDECLARED_ERROR });
            Some(syn::parse_quote!(#target(#response).await))
        }
        // `Error::UnexpectedResponse(response)`, for statuses the operation does not document.
        "Error::UnexpectedResponse" => {
            let target = parse_path(UNDECLARED_ERROR);
            Some(syn::parse_quote!(#target(#arg).await))
        }
        // `ResponseValue::from_response(response)` for documented success statuses.
        "ResponseValue::from_response" => {
            let target = parse_path(DECODE);
            Some(syn::parse_quote!(#target(#arg)))
        }
        _ => None,
    }
}

/// `ResponseValue::<constructor>(<response>)`, possibly followed by `.await` and `?`.
fn response_value_call(expr: &syn::Expr) -> Option<(String, syn::Expr)> {
    let mut inner = expr;
    loop {
        match inner {
            syn::Expr::Try(tried) => inner = &tried.expr,
            syn::Expr::Await(awaited) => inner = &awaited.base,
            _ => break,
        }
    }
    let syn::Expr::Call(call) = inner else { return None };
    let callee = path_string(&call.func)?;
    let constructor = callee.strip_prefix("ResponseValue::")?;
    Some((constructor.to_string(), call.args.first()?.clone()))
}

fn path_string(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::Path(path) = expr else { return None };
    Some(path.path.segments.iter().map(|segment| segment.ident.to_string()).collect::<Vec<_>>().join("::"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(source: &str) -> String {
        let mut file: syn::File = syn::parse_str(source).expect("test source parses");
        apply(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn routes_decoding_and_errors_through_the_client_crate() {
        let out = edited(
            r#"
            pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
            impl<'a> Op<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ErrorBody>> {
                    let page = page.map_err(Error::InvalidRequest)?;
                    header_map.append("x-a", value.to_string().try_into()?);
                    let request = client.client.get(url).build()?;
                    let info = OperationInfo { operation_id: "op_id" };
                    client.pre(&mut request, &info).await?;
                    let result = client.exec(request, &info).await;
                    client.post(&result, &info).await?;
                    let response = result?;
                    match response.status().as_u16() {
                        200u16 => ResponseValue::from_response(response).await,
                        400u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                        404u16 => Err(Error::ErrorResponse(ResponseValue::empty(response))),
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
            "#,
        );
        assert!(out.contains("pub use progenitor_client::{ByteStream, ClientInfo, ResponseValue};"), "{out}");
        assert!(out.contains("pub type Error<E = types::ErrorBody> = crate::Error<E>;"), "{out}");
        assert!(out.contains("200u16 => crate::response::decode(response).await"), "{out}");
        assert!(out.contains(r#"let response = result.map_err(crate::error::in_operation("op_id"))?;"#), "{out}");
        assert!(out.contains(".build()\n            .map_err(crate::error::in_operation(\"op_id\"))?;"), "{out}");
        assert!(out.contains(r#"page.map_err(crate::error::invalid_request("op_id"))?;"#), "{out}");
        assert!(
            out.contains(".try_into()\n                    .map_err(crate::error::invalid_request(\"op_id\"))?"),
            "{out}"
        );
        assert!(out.contains("Err(crate::response::declared_error(response).await)"), "{out}");
        assert!(out.contains("404u16 => Err(crate::response::undeclared_error(response).await)"), "{out}");
        assert!(out.contains("_ => Err(crate::response::undeclared_error(response).await)"), "{out}");
        assert!(!out.contains("client.pre(") && !out.contains("client.post("), "{out}");
        assert!(!out.contains("ErrorResponse(") && !out.contains("from_response"), "{out}");
    }

    #[test]
    fn attaching_again_changes_nothing() {
        let mut file: syn::File = syn::parse_quote! {
            impl Op {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    let body = body.map_err(Error::InvalidRequest)?;
                    let request = client.client.post(url).build()?;
                    let info = OperationInfo { operation_id: "op_id" };
                    let response = result?;
                    todo!()
                }
            }
        };
        apply(&mut file);
        let once = prettyplease::unparse(&file);
        attach_operations(&mut file);
        assert_eq!(prettyplease::unparse(&file), once);
        assert_eq!(once.matches("\"op_id\")").count(), 3, "{once}");
    }

    #[test]
    fn differing_error_bodies_default_to_unit() {
        let out = edited(
            r#"
            impl A { pub async fn send(self) -> Result<ResponseValue<()>, Error<types::A>> { todo!() } }
            impl B { pub async fn send(self) -> Result<ResponseValue<()>, Error<types::B>> { todo!() } }
            "#,
        );
        assert!(out.contains("pub type Error<E = ()> = crate::Error<E>;"), "{out}");
    }
}
