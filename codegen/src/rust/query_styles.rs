//! Encodes the query parameters `spec::parameter_styles` marked with `x-codegen-style` through
//! the client crate's general encoder, instead of progenitor's exploded form.
//!
//! Before (in the builder's `send()`):
//!
//! ```ignore
//! .query(&progenitor_client::QueryParam::new("filter", &filter))
//! ```
//!
//! After:
//!
//! ```ignore
//! .query(&crate::query::Styled::new("filter", crate::query::Style::DeepObject, &filter))
//! ```

use heck::ToSnakeCase;
use quote::format_ident;
use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::syntax::{self, is_named, return_type_name};
use crate::client_paths::{QUERY_STYLE, STYLED_QUERY, parse as parse_path};
use crate::openapi::{self, resolve_or_self};
use crate::spec::parameter_styles::STYLE_EXTENSION;

/// Applies the pass; returns a note for each marked parameter it could not find.
pub(crate) fn apply(file: &mut syn::File, doc: &Value) -> Vec<String> {
    let mut notes = Vec::new();
    for operation in openapi::operations(doc) {
        let styled: Vec<(String, String)> = operation
            .parameters()
            .map(|parameter| resolve_or_self(doc, parameter))
            .filter_map(|parameter| {
                let style = parameter.get(STYLE_EXTENSION)?.as_str()?;
                Some((parameter.get("name")?.as_str()?.to_string(), style.to_string()))
            })
            .collect();
        if styled.is_empty() {
            continue;
        }
        let Some(method) = operation.id().map(ToSnakeCase::to_snake_case) else { continue };
        let Some(builder) = builder_of(file, &method) else {
            notes.push(format!("`{method}`: its styled query parameters are not encoded: no such method"));
            continue;
        };
        let Some(items) = syntax::module_items(&mut file.items, "builder") else { continue };
        let mut visitor = Restyle { styled: &styled, found: 0 };
        for item in items.iter_mut() {
            if let syn::Item::Impl(imp) = item
                && imp.trait_.is_none()
                && is_named(&imp.self_ty, &builder)
            {
                visitor.visit_item_impl_mut(imp);
            }
        }
        if visitor.found < styled.len() {
            notes.push(format!("`{method}`: {} styled query parameter(s) not found", styled.len() - visitor.found));
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

struct Restyle<'a> {
    /// (wire name, style variant).
    styled: &'a [(String, String)],
    found: usize,
}

impl VisitMut for Restyle<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        let syn::Expr::Path(function) = &*call.func else { return };
        let segments: Vec<String> = function.path.segments.iter().map(|s| s.ident.to_string()).collect();
        if !segments.ends_with(&["QueryParam".to_string(), "new".to_string()]) || call.args.len() != 2 {
            return;
        }
        let Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. })) = call.args.first() else { return };
        let Some((_, style)) = self.styled.iter().find(|(wire, _)| *wire == name.value()) else { return };
        let (styled, style_enum) = (parse_path(STYLED_QUERY), parse_path(QUERY_STYLE));
        let variant = format_ident!("{style}");
        let value = &call.args[1];
        *call = syn::parse_quote! { #styled::new(#name, #style_enum::#variant, #value) };
        self.found += 1;
    }
}
