//! Sends `multipart/form-data` bodies, which progenitor cannot: the operations
//! `spec::request_bodies` marks with `x-codegen-multipart`.
//!
//! Progenitor was given the multipart body as JSON of the typed struct `types::<Op>Multipart`
//! (its file fields are `crate::multipart::FilePart`). This pass:
//!
//! - implements `crate::multipart::ToForm` for that struct, one part per field: file fields
//!   as file parts, the others as text (or JSON for objects);
//! - when the operation's method sends another body (JSON, say), copies the method and its
//!   builder under the name the spec pass chose (`<op>_multipart`), with the multipart type as
//!   its body;
//! - makes the builder send `.multipart(..)` instead of `.json(&body)`.
//!
//! Before (progenitor's builder):
//!
//! ```ignore
//! pub fn import_contacts(&self) -> builder::ImportContacts<'_> { .. }
//! // in `send()`:
//! let request = client.client.post(url).json(&body).build()?;
//! ```
//!
//! After:
//!
//! ```ignore
//! pub fn import_contacts(&self) -> builder::ImportContacts<'_> { .. }
//! pub fn import_contacts_multipart(&self) -> builder::ImportContactsMultipart<'_> { .. }
//! // in `ImportContactsMultipart::send()`:
//! let request = client
//!     .client
//!     .post(url)
//!     .multipart(crate::multipart::ToForm::to_form(&body).map_err(crate::error::invalid_request("import_contacts"))?)
//!     .build()?;
//! impl crate::multipart::ToForm for types::ImportContactsMultipart {
//!     fn to_form(&self) -> Result<reqwest::multipart::Form, String> {
//!         let form = reqwest::multipart::Form::new();
//!         let form = crate::multipart::add_files(form, "file", &self.file)?;
//!         Ok(form)
//!     }
//! }
//! ```

use quote::{format_ident, quote};
use serde_json::Value;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use super::index::{Index, builder_impl_mut, client_methods};
use super::nullable::json_name;
use super::syntax::{self, Paths, is_local, is_named};
use crate::client_paths::{ADD_FILES, ADD_VALUE, FILE_PART, TO_FORM, parse as parse_path};
use crate::openapi;
use crate::spec::request_bodies::MULTIPART_EXTENSION;

/// One operation to send as multipart.
struct Target {
    /// The operation's `operationId`.
    id: String,
    /// The multipart body type in `types`.
    body_type: String,
    /// The extra method sending multipart, when `method` sends another body.
    extra_method: Option<String>,
}

/// Applies the pass; a marked operation it cannot find is a generator bug (the body would not
/// be sent as multipart), and an error naming it.
pub(crate) fn apply(file: &mut syn::File, doc: &Value, index: &mut Index) -> Result<(), String> {
    let targets: Vec<Target> = openapi::operations(doc)
        .filter_map(|operation| {
            let extension = operation.operation.get(MULTIPART_EXTENSION)?;
            Some(Target {
                id: operation.id()?.to_string(),
                body_type: extension.get("type")?.as_str()?.to_string(),
                extra_method: extension.get("method").and_then(Value::as_str).map(String::from),
            })
        })
        .collect();
    for target in &targets {
        send_as_multipart(file, target, index)
            .map_err(|why| format!("operation `{}`: multipart/form-data is not sent: {why}", target.id))?;
    }
    // The `Error::InvalidRequest`s added here name their operation, as the others do.
    super::responses::attach_operations(file);
    Ok(())
}

fn send_as_multipart(file: &mut syn::File, target: &Target, index: &mut Index) -> Result<(), String> {
    let body_type = format_ident!("{}", target.body_type);
    let to_form = form_impl(file, &body_type)?;
    let item = index.operation(&target.id).ok_or("progenitor generated no method for it")?.clone();
    let builder = match &target.extra_method {
        None => item.builder.clone(),
        Some(extra) => {
            let builder = copy_operation(file, &item.function, &item.builder, extra, &body_type)?;
            index.add(&target.id, format_ident!("{extra}"), builder.clone());
            builder
        }
    };
    let imp = builder_impl_mut(file, &builder).ok_or("its builder has no methods")?;
    SendMultipart.visit_item_impl_mut(imp);
    file.items.push(to_form);
    Ok(())
}

/// `impl ToForm for types::<body_type>`, one statement per field of the generated struct.
fn form_impl(file: &mut syn::File, body_type: &syn::Ident) -> Result<syn::Item, String> {
    let types = module_items(file, "types").ok_or("progenitor generated no `types` module")?;
    let fields = types
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(def) if def.ident == *body_type => match &def.fields {
                syn::Fields::Named(named) => Some(named.named.clone()),
                _ => None,
            },
            _ => None,
        })
        .ok_or_else(|| format!("`types::{body_type}` is not a struct with named fields"))?;
    let (add_files, add_value, to_form) = (parse_path(ADD_FILES), parse_path(ADD_VALUE), parse_path(TO_FORM));
    let parts = fields.iter().filter_map(|field| {
        let ident = field.ident.as_ref()?;
        let name = json_name(field)?;
        let ty = &field.ty;
        let file_part = FILE_PART.rsplit("::").next().unwrap_or(FILE_PART);
        let add = if Paths::of(|paths| paths.visit_type(ty)).contains(file_part) { &add_files } else { &add_value };
        Some(quote! { let form = #add(form, #name, &self.#ident)?; })
    });
    Ok(syn::parse_quote! {
        impl #to_form for types::#body_type {
            fn to_form(&self) -> ::std::result::Result<reqwest::multipart::Form, ::std::string::String> {
                let form = reqwest::multipart::Form::new();
                #(#parts)*
                Ok(form)
            }
        }
    })
}

fn module_items<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    syntax::module_items(&mut file.items, name)
}

/// Copies `Client::<method>` as `Client::<extra>` and its builder as the builder of that name,
/// with `body_type` as the body; returns the new builder's name.
fn copy_operation(
    file: &mut syn::File,
    method: &syn::Ident,
    builder: &syn::Ident,
    extra: &str,
    body_type: &syn::Ident,
) -> Result<syn::Ident, String> {
    let original = client_methods(file).find(|f| f.sig.ident == *method).cloned().ok_or("no client method")?;
    let extra_ident = format_ident!("{extra}");
    let new_builder = format_ident!("{}", heck::ToUpperCamelCase::to_upper_camel_case(extra));
    let docs = original.attrs.iter().filter(|attr| attr.path().is_ident("doc"));
    let note = format!(
        "The request body is `multipart/form-data`: [`types::{body_type}`]; [`Client::{method}`] sends the \
         operation's other body."
    );
    let copy: syn::ImplItemFn = syn::parse_quote! {
        #(#docs)*
        #[doc = ""]
        #[doc = #note]
        pub fn #extra_ident(&self) -> builder::#new_builder<'_> {
            builder::#new_builder::new(self)
        }
    };
    let client = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Impl(imp) if imp.trait_.is_none() && is_named(&imp.self_ty, "Client") => Some(imp),
            _ => None,
        })
        .ok_or("no `impl Client`")?;
    client.items.push(syn::ImplItem::Fn(copy));

    let items = module_items(file, "builder").ok_or("no `builder` module")?;
    let mut copies = Vec::new();
    for item in items.iter() {
        match item {
            syn::Item::Struct(def) if def.ident == *builder => {
                let mut def = def.clone();
                def.ident = new_builder.clone();
                def.attrs.retain(|attr| !attr.path().is_ident("doc"));
                let doc = format!("Builder for [`Client::{extra}`](super::Client::{extra})");
                def.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
                if let syn::Fields::Named(fields) = &mut def.fields {
                    for field in &mut fields.named {
                        if field.ident.as_ref().is_some_and(|i| i == "body") {
                            field.ty = syn::parse_quote!(Result<types::builder::#body_type, String>);
                        }
                    }
                }
                copies.push(syn::Item::Struct(def));
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() && is_named(&imp.self_ty, &builder.to_string()) => {
                let mut imp = imp.clone();
                imp.self_ty = Box::new(syn::parse_quote!(#new_builder<'a>));
                retype_body(&mut imp, body_type);
                copies.push(syn::Item::Impl(imp));
            }
            _ => {}
        }
    }
    if copies.len() != 2 {
        return Err(format!("its builder `{builder}` is not one struct and one impl"));
    }
    items.extend(copies);
    Ok(new_builder)
}

/// Gives a copied builder `body_type` as its body: new `body` and `body_map` setters, the
/// field's initial value, and its conversion in `send()`.
fn retype_body(imp: &mut syn::ItemImpl, body_type: &syn::Ident) {
    imp.items
        .retain(|member| !matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "body" || f.sig.ident == "body_map"));
    let setters: [syn::ImplItemFn; 2] = [
        syn::parse_quote! {
            /// Sets the request body: the body type or its builder.
            pub fn body<V>(mut self, value: V) -> Self
            where
                V: std::convert::TryInto<types::#body_type>,
                <V as std::convert::TryInto<types::#body_type>>::Error: std::fmt::Display,
            {
                self.body = value
                    .try_into()
                    .map(From::from)
                    .map_err(|s| format!("conversion to `{}` for body failed: {}", stringify!(#body_type), s));
                self
            }
        },
        syn::parse_quote! {
            /// Changes the request body's builder with `f`.
            pub fn body_map<F>(mut self, f: F) -> Self
            where
                F: std::ops::FnOnce(types::builder::#body_type) -> types::builder::#body_type,
            {
                self.body = self.body.map(f);
                self
            }
        },
    ];
    imp.items.extend(setters.into_iter().map(syn::ImplItem::Fn));
    struct Retype<'a>(&'a syn::Ident);
    impl VisitMut for Retype<'_> {
        fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
            if matches!(&field.member, syn::Member::Named(name) if name == "body") && field.colon_token.is_some() {
                field.expr = syn::parse_quote!(Ok(::std::default::Default::default()));
            }
            syn::visit_mut::visit_field_value_mut(self, field);
        }
        fn visit_local_mut(&mut self, local: &mut syn::Local) {
            let is_body = matches!(&local.pat, syn::Pat::Ident(pat) if pat.ident == "body");
            if is_body && let Some(init) = &mut local.init {
                let body_type = self.0;
                *init.expr = syn::parse_quote! {
                    body.and_then(|v| types::#body_type::try_from(v).map_err(|e| e.to_string()))
                        .map_err(Error::InvalidRequest)?
                };
            }
            syn::visit_mut::visit_local_mut(self, local);
        }
    }
    Retype(body_type).visit_item_impl_mut(imp);
}

/// In `send()`: the body goes out as `.multipart(..)`, and a `Content-Type` header set for the
/// copied operation's other body is dropped (reqwest sets multipart's, with the boundary).
struct SendMultipart;

impl VisitMut for SendMultipart {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        let replacement = match &*expr {
            syn::Expr::MethodCall(call) if sends_body(call) => Some(multipart_call(&call.receiver)),
            syn::Expr::Try(tried) => match tried.expr.as_ref() {
                syn::Expr::MethodCall(call) if sends_body(call) => Some(multipart_call(&call.receiver)),
                _ => None,
            },
            syn::Expr::MethodCall(call) if sets_content_type(call) => Some((*call.receiver).clone()),
            _ => None,
        };
        if let Some(replacement) = replacement {
            *expr = replacement;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// `.json(&body)`, `.form_urlencoded(&body)` or `.body(body)`.
fn sends_body(call: &syn::ExprMethodCall) -> bool {
    let method = call.method.to_string();
    call.args.len() == 1
        && call.args.first().is_some_and(|arg| match method.as_str() {
            "json" | "form_urlencoded" => matches!(arg, syn::Expr::Reference(_)) && is_local(arg, "body"),
            "body" => matches!(arg, syn::Expr::Path(_)) && is_local(arg, "body"),
            _ => false,
        })
}

/// `.header(::reqwest::header::CONTENT_TYPE, ..)`.
fn sets_content_type(call: &syn::ExprMethodCall) -> bool {
    call.method == "header"
        && call.args.first().is_some_and(|arg| matches!(arg, syn::Expr::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == "CONTENT_TYPE")))
}

fn multipart_call(receiver: &syn::Expr) -> syn::Expr {
    let to_form = parse_path(TO_FORM);
    syn::parse_quote! {
        #receiver.multipart(#to_form::to_form(&body).map_err(Error::InvalidRequest)?)
    }
}
