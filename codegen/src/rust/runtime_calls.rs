//! Calls into progenitor's runtime that return its error type, replaced by ones that return
//! the client crate's: the generated `send()`s return `crate::Error`, and `?` on
//! `progenitor_client::Error` does not convert.
//!
//! - A form-urlencoded body: `.form_urlencoded(&body)?` (progenitor's `RequestBuilderExt`)
//!   becomes reqwest's `.form(&crate::query::Form(&body))`, which encodes lists as OpenAPI's
//!   default form style does (`ids=1&ids=2`; serde_urlencoded alone refuses a list) and
//!   reports a body that cannot be encoded when the request is built (`Error::InvalidRequest`).
//! - An `OPTIONS` or `TRACE` operation: `client.client.options(url)`, which `reqwest::Client`
//!   does not have (it has a method for the other verbs), becomes
//!   `client.client.request(::reqwest::Method::OPTIONS, url)`.
//! - A websocket upgrade (`x-dropshot-websocket`): `ResponseValue::upgrade(response).await`
//!   becomes `crate::response::upgrade(response).await`.
//!
//! Before:
//!
//! ```ignore
//! let request = client.client.post(url).form_urlencoded(&body)?.build()?;
//! match response.status().as_u16() {
//!     101u16 => ResponseValue::upgrade(response).await,
//! }
//! ```
//!
//! After (and the notes "`CreateToken::send`: the form-urlencoded body is encoded by reqwest"
//! and "`StreamEvents::send`: the websocket upgrade returns the client crate's error"):
//!
//! ```ignore
//! let request = client.client.post(url).form(&crate::query::Form(&body)).build()?;
//! match response.status().as_u16() {
//!     101u16 => crate::response::upgrade(response).await,
//! }
//! ```

use syn::visit_mut::VisitMut;

use crate::client_paths::{FORM_BODY, UPGRADE, parse as parse_path};

/// Applies the edits to the `send()` of every operation builder; returns one note per change.
pub(crate) fn apply(file: &mut syn::File) -> Vec<String> {
    let mut visitor = Replace { builder: String::new(), notes: Vec::new() };
    visitor.visit_file_mut(file);
    visitor.notes
}

struct Replace {
    /// The builder whose `impl` is being visited.
    builder: String,
    notes: Vec<String>,
}

impl VisitMut for Replace {
    fn visit_item_impl_mut(&mut self, imp: &mut syn::ItemImpl) {
        if let syn::Type::Path(path) = imp.self_ty.as_ref()
            && let Some(last) = path.path.segments.last()
        {
            self.builder = last.ident.to_string();
        }
        syn::visit_mut::visit_item_impl_mut(self, imp);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Try(tried) = expr
            && let syn::Expr::MethodCall(call) = tried.expr.as_ref()
            && call.method == "form_urlencoded"
        {
            let (receiver, args, form) = (&call.receiver, &call.args, parse_path(FORM_BODY));
            *expr = syn::parse_quote!(#receiver.form(&#form(#args)));
            self.notes.push(format!("`{}::send`: the form-urlencoded body is encoded by reqwest", self.builder));
        } else if let syn::Expr::MethodCall(call) = expr
            && (call.method == "options" || call.method == "trace")
            && call.args.len() == 1
            && matches!(call.receiver.as_ref(), syn::Expr::Field(field) if matches!(&field.member, syn::Member::Named(name) if name == "client"))
        {
            let (receiver, url) = (&call.receiver, &call.args[0]);
            let verb = syn::Ident::new(&call.method.to_string().to_uppercase(), call.method.span());
            *expr = syn::parse_quote!(#receiver.request(::reqwest::Method::#verb, #url));
            self.notes.push(format!("`{}::send`: the {verb} request is built with `request`", self.builder));
        } else if let syn::Expr::Call(call) = expr
            && let syn::Expr::Path(callee) = call.func.as_ref()
            && callee.path.segments.len() == 2
            && callee.path.segments[0].ident == "ResponseValue"
            && callee.path.segments[1].ident == "upgrade"
        {
            let upgrade = parse_path(UPGRADE);
            *call.func = syn::parse_quote!(#upgrade);
            self.notes
                .push(format!("`{}::send`: the websocket upgrade returns the client crate's error", self.builder));
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_both_calls_and_says_so() {
        let mut file: syn::File = syn::parse_str(
            r#"
            impl<'a> CreateToken<'a> {
                pub async fn send(self) -> Result<(), Error> {
                    let request = client.client.post(url).form_urlencoded(&body)?.build()?;
                    match status { 101u16 => ResponseValue::upgrade(response).await, _ => todo!() }
                }
            }
            impl<'a> Probe<'a> {
                pub async fn send(self) -> Result<(), Error> {
                    let request = client.client.options(url).build()?;
                }
            }
            "#,
        )
        .expect("test source parses");
        let notes = apply(&mut file);
        let out = prettyplease::unparse(&file);
        assert!(out.contains("client.client.post(url).form(&crate::query::Form(&body)).build()?"), "{out}");
        assert!(out.contains("101u16 => crate::response::upgrade(response).await"), "{out}");
        assert!(out.contains("client.client.request(::reqwest::Method::OPTIONS, url).build()?"), "{out}");
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].starts_with("`CreateToken::send`"), "{notes:?}");
    }
}
