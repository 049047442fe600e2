//! Sends the `Content-Type` `spec::media_types` recorded for an operation whose body
//! progenitor was given as raw bytes or as JSON (`x-codegen-content-type`): progenitor's
//! builder sends `application/octet-stream` or `application/json`.
//!
//! Before (in the builder's `send()`):
//!
//! ```ignore
//! .header(CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")).body(body)
//! .json(&body)
//! ```
//!
//! After:
//!
//! ```ignore
//! .header(CONTENT_TYPE, HeaderValue::from_static("application/jwt")).body(body)
//! .header(CONTENT_TYPE, HeaderValue::from_static("application/vnd.api+json")).json(&body)
//! ```
//!
//! Likewise the `Accept` of an operation whose answers `spec::media_types` showed progenitor as
//! JSON in place of a vendor JSON type (`x-codegen-response-media`): progenitor asks for
//! `application/json` alone, which a server that answers only in the declared type may refuse
//! with a 406. It asks for the declared types, and JSON when an answer is declared in it:
//! `application/vnd.api+json, application/json`.

use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::index::{Index, builder_impl_mut};
use crate::openapi;
use crate::spec::media_types::{CONTENT_TYPE_EXTENSION, RESPONSE_MEDIA_EXTENSION};

/// Applies the pass. An operation the index does not have is a generator bug: the
/// request would go out with the wrong `Content-Type`, so it is an error, not a note.
pub(crate) fn apply(file: &mut syn::File, doc: &Value, index: &Index) -> Result<(), String> {
    for operation in openapi::operations(doc) {
        let media = operation.operation.get(CONTENT_TYPE_EXTENSION).and_then(Value::as_str);
        let accept = accept(operation.operation);
        if media.is_none() && accept.is_none() {
            continue;
        }
        let id = operation.id().unwrap_or_default();
        let what = media.or(accept.as_deref()).unwrap_or_default();
        let item =
            index.operation(id).ok_or_else(|| format!("{} ({id}): no method to send `{what}`", operation.label()))?;
        let imp = builder_impl_mut(file, &item.builder)
            .ok_or_else(|| format!("{} ({id}): no builder `{}` to send `{what}`", operation.label(), item.builder))?;
        if let Some(media) = media {
            SetContentType { media }.visit_item_impl_mut(imp);
        }
        if let Some(accept) = &accept {
            SetAccept { accept }.visit_item_impl_mut(imp);
        }
    }
    Ok(())
}

/// The `Accept` of an operation with an answer in a vendor JSON type: each answer's declared
/// JSON type once, successes' first (`None` when no answer has a vendor type).
fn accept(operation: &Value) -> Option<String> {
    let mut responses: Vec<(&String, &Value)> = operation.get("responses").and_then(Value::as_object)?.iter().collect();
    responses.sort_by_key(|(status, _)| !status.starts_with('2'));
    let mut types: Vec<&str> = Vec::new();
    let mut vendor = false;
    for (_, response) in responses {
        let declared = match response.get(RESPONSE_MEDIA_EXTENSION).and_then(Value::as_str) {
            Some(media) => {
                vendor = true;
                Some(media)
            }
            None => response
                .get("content")
                .and_then(Value::as_object)
                .and_then(|content| content.keys().find(|media| *media == "application/json"))
                .map(String::as_str),
        };
        if let Some(media) = declared.filter(|media| !types.contains(media)) {
            types.push(media);
        }
    }
    vendor.then(|| types.join(", "))
}

/// Replaces the `application/json` of the builder's `Accept` header (progenitor's `.header(ACCEPT,
/// …)`, or the `headers_mut().insert(ACCEPT, …)` of `rust::success_variants`).
struct SetAccept<'a> {
    accept: &'a str,
}

impl VisitMut for SetAccept<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        let names_accept = |expr: &syn::Expr| matches!(expr, syn::Expr::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "ACCEPT"));
        if (call.method == "header" || call.method == "insert") && call.args.first().is_some_and(names_accept) {
            let accept = self.accept;
            if let Some(value) = call.args.iter_mut().nth(1) {
                *value = syn::parse_quote!(::reqwest::header::HeaderValue::from_static(#accept));
            }
        }
    }
}

struct SetContentType<'a> {
    media: &'a str,
}

impl VisitMut for SetContentType<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method == "json" {
            let receiver = &call.receiver;
            let media = self.media;
            *call.receiver = syn::parse_quote! {
                #receiver.header(
                    ::reqwest::header::CONTENT_TYPE,
                    ::reqwest::header::HeaderValue::from_static(#media),
                )
            };
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if lit.value() == "application/octet-stream" {
            *lit = syn::LitStr::new(self.media, lit.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::accept;

    #[test]
    fn accept_names_each_declared_json_type_once_successes_first() {
        let vendor = super::RESPONSE_MEDIA_EXTENSION;
        let operation = json!({ "responses": {
            "400": { "content": { "application/json": {} } },
            "200": { "content": { "application/json": {} }, vendor: "application/vnd.api+json" },
            "404": { "content": { "application/json": {} } },
        }});
        assert_eq!(accept(&operation).as_deref(), Some("application/vnd.api+json, application/json"));
        let plain = json!({ "responses": { "200": { "content": { "application/json": {} } } } });
        assert_eq!(accept(&plain), None, "progenitor's `application/json` stays");
    }
}
