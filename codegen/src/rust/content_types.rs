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

use heck::ToSnakeCase;
use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::syntax::{self, is_named, return_type_name};
use crate::openapi;
use crate::spec::media_types::CONTENT_TYPE_EXTENSION;

/// Applies the pass; returns a note for each marked operation it could not find.
pub(crate) fn apply(file: &mut syn::File, doc: &Value) -> Vec<String> {
    let targets: Vec<(String, String)> = openapi::operations(doc)
        .filter_map(|operation| {
            let media = operation.operation.get(CONTENT_TYPE_EXTENSION)?.as_str()?;
            Some((operation.id()?.to_snake_case(), media.to_string()))
        })
        .collect();
    let mut notes = Vec::new();
    for (method, media) in targets {
        let Some(builder) = builder_of(file, &method) else {
            notes.push(format!("`{method}`: its `Content-Type` {media} is not sent: no such method"));
            continue;
        };
        let Some(items) = syntax::module_items(&mut file.items, "builder") else { continue };
        for item in items.iter_mut() {
            if let syn::Item::Impl(imp) = item
                && imp.trait_.is_none()
                && is_named(&imp.self_ty, &builder)
            {
                SetContentType { media: &media }.visit_item_impl_mut(imp);
            }
        }
    }
    notes
}

/// The builder type `Client::<method>` returns.
fn builder_of(file: &syn::File, method: &str) -> Option<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(imp) if imp.trait_.is_none() && is_named(&imp.self_ty, "Client") => Some(imp),
            _ => None,
        })
        .flat_map(|imp| imp.items.iter())
        .find_map(|member| match member {
            syn::ImplItem::Fn(f) if f.sig.ident == method => return_type_name(&f.sig),
            _ => None,
        })
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
