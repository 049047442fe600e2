//! One enum per operation with several success bodies, decoded by status (the Rust half of
//! `spec::success_variants`, which records the statuses as `x-success-variants` and shows
//! progenitor one raw success body).
//!
//! Before, in `builder::CreateThing::send`:
//!
//! ```text
//! pub async fn send(self) -> Result<ResponseValue<ByteStream>, Error<()>> {
//!     ..
//!     200u16 => Ok(ResponseValue::stream(response)),
//!     204u16 => Ok(ResponseValue::stream(response)),
//! ```
//!
//! After, with `pub enum CreateThingSuccess { Status200(CreateThingResponse200), Status204 }`
//! in `types`:
//!
//! ```text
//! pub async fn send(self) -> Result<ResponseValue<types::CreateThingSuccess>, Error<()>> {
//!     ..
//!     200u16 => crate::response::decode::<types::CreateThingResponse200, _>(response)
//!         .await?
//!         .map(types::CreateThingSuccess::Status200),
//!     204u16 => Ok(ResponseValue::new(types::CreateThingSuccess::Status204, status, headers)),
//! ```

use std::collections::{BTreeMap, HashSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::index::Index;
use crate::client_paths::{self, DECODE};
use crate::openapi;
use crate::spec::success_variants::EXTENSION;

/// One success status of an operation and what its body decodes into.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    /// `200`, `2XX`.
    pub status: String,
    /// What the body decodes into.
    pub body: Body,
}

/// What one success status carries.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// No body.
    None,
    /// A non-JSON body, left as a byte stream.
    Raw,
    /// The name of the generated type in `types`.
    Json(String),
}

/// The operations `spec::success_variants` reshaped: operation id → variants.
pub(crate) fn variants(doc: &Value) -> BTreeMap<String, Vec<Variant>> {
    let mut out = BTreeMap::new();
    for operation in openapi::operations(doc) {
        let (Some(id), Some(list)) = (operation.id(), operation.operation.get(EXTENSION).and_then(Value::as_array))
        else {
            continue;
        };
        let variants = list
            .iter()
            .map(|variant| Variant {
                status: variant["status"].as_str().unwrap_or_default().to_string(),
                body: match variant["body"].as_str() {
                    Some("json") => Body::Json(crate::names::type_name(variant["schema"].as_str().unwrap_or_default())),
                    Some("raw") => Body::Raw,
                    _ => Body::None,
                },
            })
            .collect();
        out.insert(id.to_string(), variants);
    }
    out
}

/// Adds the enums and rewrites the operations' `send()`; an error names a body type the
/// generated code lacks.
pub(crate) fn apply(file: &mut syn::File, doc: &Value, index: &Index) -> Result<(), String> {
    let operations = variants(doc);
    if operations.is_empty() {
        return Ok(());
    }
    let Some(types) = module_items(file, "types") else { return Err("the generated code has no `types`".into()) };
    let defined: HashSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut enums = Vec::new();
    let mut rewrites = BTreeMap::new();
    for (id, variants) in &operations {
        for variant in variants {
            if let Body::Json(name) = &variant.body
                && !defined.contains(name)
            {
                return Err(format!("operation `{id}`: the success body type `types::{name}` was not generated"));
            }
        }
        let builder = index
            .operation(id)
            .map(|operation| operation.builder.to_string())
            .ok_or_else(|| format!("operation `{id}`: progenitor made no method for it"))?;
        let name = crate::names::first_free(&format!("{builder}Success"), |name| defined.contains(name));
        enums.extend(enum_items(id, &name, variants));
        rewrites.insert(builder, (format_ident!("{name}"), variants.clone()));
    }
    types.extend(enums);
    if let Some(builders) = module_items(file, "builder") {
        for item in builders.iter_mut() {
            let syn::Item::Impl(imp) = item else { continue };
            let Some(builder) = super::syntax::type_name(&imp.self_ty) else { continue };
            let Some((name, variants)) = rewrites.get(&builder) else { continue };
            for member in &mut imp.items {
                if let syn::ImplItem::Fn(function) = member
                    && function.sig.ident == "send"
                {
                    Rewrite { name, variants }.visit_impl_item_fn_mut(function);
                }
            }
        }
    }
    Ok(())
}

fn module_items<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

fn variant_ident(status: &str) -> syn::Ident {
    format_ident!("Status{}", status.to_ascii_lowercase())
}

/// The enum of one operation's success bodies (and its `Debug` when a body is raw).
fn enum_items(id: &str, name: &str, variants: &[Variant]) -> Vec<syn::Item> {
    let ident = format_ident!("{name}");
    let doc =
        format!("The success responses of `{id}`, one variant per documented status, each with its decoded body.");
    let raw = variants.iter().any(|variant| matches!(variant.body, Body::Raw));
    let arms = variants.iter().map(|variant| {
        let v = variant_ident(&variant.status);
        let status = &variant.status;
        match &variant.body {
            Body::None => {
                let text = format!("`{status}`, without a body.");
                quote!(#[doc = #text] #v)
            }
            Body::Raw => {
                let text = format!("`{status}`, with a non-JSON body to read as bytes.");
                quote!(#[doc = #text] #v(::progenitor_client::ByteStream))
            }
            Body::Json(ty) => {
                let text = format!("`{status}`, with its JSON body.");
                let ty = format_ident!("{ty}");
                quote!(#[doc = #text] #v(#ty))
            }
        }
    });
    let derive = if raw { quote!() } else { quote!(#[derive(Clone, Debug, PartialEq)]) };
    let mut tokens: TokenStream = quote! {
        #[doc = #doc]
        #derive
        pub enum #ident { #(#arms),* }
    };
    if raw {
        // A byte stream has no `Debug`; the enum still needs one, for `ResponseValue`.
        let cases = variants.iter().map(|variant| {
            let v = variant_ident(&variant.status);
            let label = v.to_string();
            match variant.body {
                Body::None => quote!(Self::#v => f.write_str(#label)),
                Body::Raw => quote!(Self::#v(_) => f.debug_tuple(#label).field(&"<byte stream>").finish()),
                Body::Json(_) => quote!(Self::#v(body) => f.debug_tuple(#label).field(body).finish()),
            }
        });
        tokens.extend(quote! {
            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self { #(#cases),* }
                }
            }
        });
    }
    syn::parse2::<syn::File>(tokens).map(|file| file.items).unwrap_or_default()
}

/// Rewrites one `send()`: its return type and its success arms.
struct Rewrite<'a> {
    name: &'a syn::Ident,
    variants: &'a [Variant],
}

impl VisitMut for Rewrite<'_> {
    /// Progenitor asks for JSON only when the success body is JSON; with a raw body shown to it
    /// the request would not, so a JSON variant gets the `Accept` header back.
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let json = self.variants.iter().any(|variant| matches!(variant.body, Body::Json(_)));
        let built = block.stmts.iter().position(|stmt| {
            matches!(stmt, syn::Stmt::Local(local) if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "request"))
        });
        if let (true, Some(index)) = (json, built) {
            block.stmts.insert(
                index + 1,
                syn::parse_quote! {
                    request.headers_mut().insert(
                        ::reqwest::header::ACCEPT,
                        ::reqwest::header::HeaderValue::from_static("application/json"),
                    );
                },
            );
        }
        syn::visit_mut::visit_block_mut(self, block);
    }

    fn visit_return_type_mut(&mut self, output: &mut syn::ReturnType) {
        let name = self.name;
        let syn::ReturnType::Type(_, ty) = output else { return };
        let syn::Type::Path(path) = ty.as_mut() else { return };
        let Some(last) = path.path.segments.last_mut() else { return };
        let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else { return };
        if let Some(syn::GenericArgument::Type(success)) = args.args.first_mut() {
            *success = syn::parse_quote!(ResponseValue<types::#name>);
        }
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        let Some(status) = status_of(&arm.pat) else { return };
        let Some(variant) = self.variants.iter().find(|v| v.status.eq_ignore_ascii_case(&status)) else { return };
        let name = self.name;
        let v = variant_ident(&variant.status);
        let decode = client_paths::parse(DECODE);
        *arm.body = match &variant.body {
            Body::Json(ty) => {
                let ty = format_ident!("{ty}");
                syn::parse_quote!(#decode::<types::#ty, _>(response).await?.map(types::#name::#v))
            }
            Body::Raw => syn::parse_quote!(ResponseValue::stream(response).map(types::#name::#v)),
            Body::None => syn::parse_quote!({
                let status = response.status();
                let headers = response.headers().clone();
                Ok(ResponseValue::new(types::#name::#v, status, headers))
            }),
        };
    }
}

/// `200` for the pattern `200u16`, `2XX` for `200u16..=299u16`.
fn status_of(pat: &syn::Pat) -> Option<String> {
    let number = |expr: &syn::Expr| match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(int), .. }) => int.base10_parse::<u16>().ok(),
        _ => None,
    };
    match pat {
        syn::Pat::Lit(lit) => number(&syn::Expr::Lit(lit.clone())).map(|code| code.to_string()),
        syn::Pat::Range(range) => range.start.as_deref().and_then(number).map(|start| format!("{}XX", start / 100)),
        _ => None,
    }
}
