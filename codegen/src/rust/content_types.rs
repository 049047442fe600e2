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

use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::index::{Index, builder_impl_mut};
use crate::openapi;
use crate::spec::media_types::CONTENT_TYPE_EXTENSION;

/// Applies the pass. An operation the index does not have is a generator bug: the
/// request would go out with the wrong `Content-Type`, so it is an error, not a note.
pub(crate) fn apply(file: &mut syn::File, doc: &Value, index: &Index) -> Result<(), String> {
    for operation in openapi::operations(doc) {
        let Some(media) = operation.operation.get(CONTENT_TYPE_EXTENSION).and_then(Value::as_str) else { continue };
        let id = operation.id().unwrap_or_default();
        let item =
            index.operation(id).ok_or_else(|| format!("{} ({id}): no method to send `{media}`", operation.label()))?;
        let imp = builder_impl_mut(file, &item.builder)
            .ok_or_else(|| format!("{} ({id}): no builder `{}` to send `{media}`", operation.label(), item.builder))?;
        SetContentType { media }.visit_item_impl_mut(imp);
    }
    Ok(())
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
