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

use quote::format_ident;
use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::index::{Index, builder_impl_mut};
use crate::client_paths::{QUERY_STYLE, STYLED_QUERY, parse as parse_path};
use crate::openapi::{self, resolve_or_self};
use crate::spec::parameter_styles::STYLE_EXTENSION;

/// Applies the pass. A marked parameter that is not where the index says is a generator bug:
/// the query would go out in the wrong style, so it is an error, not a note.
pub(crate) fn apply(file: &mut syn::File, doc: &Value, index: &Index) -> Result<(), String> {
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
        let id = operation.id().unwrap_or_default();
        let label = operation.label();
        let item = index.operation(id).ok_or_else(|| format!("{label} ({id}): no method for its styled query"))?;
        let imp = builder_impl_mut(file, &item.builder)
            .ok_or_else(|| format!("{label} ({id}): no builder `{}` for its styled query", item.builder))?;
        let mut visitor = Restyle { styled: &styled, found: 0 };
        visitor.visit_item_impl_mut(imp);
        if visitor.found < styled.len() {
            return Err(format!(
                "{label} ({id}): {} styled query parameter(s) not found",
                styled.len() - visitor.found
            ));
        }
    }
    Ok(())
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
