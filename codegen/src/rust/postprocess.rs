//! Edits to progenitor's output, made on the syntax tree before printing.

use syn::visit_mut::VisitMut;

/// Applies every edit to `file`.
///
/// - Drops the `api-version` header progenitor adds to every request: neither upstream API
///   asks for it.
/// - Drops progenitor's `Client::new` and `Client::new_with_client`: the hand-written
///   wrapper constructs clients with authentication, and progenitor's `new` panics when the
///   HTTP client cannot be built.
/// - Adds `DEFAULT_BASE_URL`, the first server of the document (empty when it names none, so
///   that callers must set a base URL).
/// - Routes errors and response decoding through the client crate (see `responses`).
/// - Marks every operation builder `#[must_use]`: a request that is built and never sent
///   (`client.invite_members(body);`) is a warning, not a silent no-op.
pub(crate) fn apply(file: &mut syn::File, default_base_url: Option<&str>) {
    file.items.retain(|item| !is_client_constructor_impl(item));
    if let Some(builders) = super::syntax::module_items(&mut file.items, "builder") {
        for item in builders.iter_mut() {
            if let syn::Item::Struct(def) = item
                && !def.attrs.iter().any(|attr| attr.path().is_ident("must_use"))
            {
                def.attrs.push(
                    syn::parse_quote!(#[must_use = "a request does nothing until it is sent with `.send().await`"]),
                );
            }
        }
    }
    DropApiVersionHeader.visit_file_mut(file);
    super::responses::apply(file);
    let item: syn::Item = match default_base_url {
        Some(url) => syn::parse_quote! {
            /// The base URL of the API, from the first `servers` entry of the specification.
            pub const DEFAULT_BASE_URL: &str = #url;
        },
        None => syn::parse_quote! {
            /// Empty: the specification names no server, so a base URL must be configured.
            pub const DEFAULT_BASE_URL: &str = "";
        },
    };
    file.items.push(item);
}

fn is_client_constructor_impl(item: &syn::Item) -> bool {
    let syn::Item::Impl(imp) = item else { return false };
    if imp.trait_.is_some() {
        return false;
    }
    super::syntax::is_named(&imp.self_ty, "Client")
        && imp.items.iter().any(|member| matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "new_with_client"))
}

struct DropApiVersionHeader;

impl VisitMut for DropApiVersionHeader {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain(|stmt| !is_api_version_append(stmt));
        syn::visit_mut::visit_block_mut(self, block);
    }
}

fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else { return false };
    if call.method != "append" {
        return false;
    }
    // `header_map.append(HeaderName::from_static("api-version"), ..)`.
    call.args.first().is_some_and(|arg| match arg {
        syn::Expr::Call(name) => name.args.iter().any(|arg| super::syntax::is_str(arg, "api-version")),
        arg => super::syntax::is_str(arg, "api-version"),
    })
}
