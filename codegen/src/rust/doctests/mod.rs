//! A compiled example in the docs of every operation method (`Client::invite_members`, ...).
//!
//! Progenitor documents each method with an `ignore`d snippet that names placeholders
//! (`.body(body)`). This pass replaces it with a `no_run` doctest that builds the request from
//! the specification's own data, the same data the vendors' curl and TypeScript samples show:
//! the request body's first `examples` entry (or its `example`, or its properties' examples),
//! and each parameter's example, default or first enum value.
//!
//! The Rust is derived from the generated code itself, not from type names written here: the
//! operation builder's setters say which type each value must become, and the `types` module
//! says how (struct builders, enum variants, `Option`, `Nullable`, lists, scalars). A body this
//! pass cannot express with the typed builders is written as `serde_json::from_value(json!(..))`
//! into the body type, so every operation gets an example that compiles.
//!
//! Before, in the docs of `Client::invite_members`:
//!
//! ````text
//! ```ignore
//! let response = client.invite_members()
//!     .body(body)
//!     .send()
//!     .await;
//! ```
//! ````
//!
//! After:
//!
//! ````text
//! # Example
//!
//! ```no_run
//! use periskope_wapikit::periskope::{Client, types};
//!
//! let client = Client::from_env()?;
//!
//! let response = client
//!     .invite_members()
//!     .body(types::InviteMembersBody::builder().emails(vec!["user@example.com".to_string()]))
//!     .send()
//!     .await?;
//! println!("{:?}", response.into_inner());
//! ```
//! ````

mod builders;
mod json_text;
mod text;
mod types;

use std::collections::HashMap;

use crate::rust::index::Index;

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Value, json};

use super::syntax::{doc_string, is_named, return_type_name, set_doc_string, type_parts};
use crate::client_paths::{CLIENT_CRATE, NULLABLE_NAME};
use crate::openapi;
use crate::openapi::samples::{Parameter, parameters, request_example};
use crate::spec::request_bodies::MULTIPART_EXTENSION;
pub(crate) use json_text::pretty_json;
pub(crate) use text::insert_all_json;
use text::{doctest, json_placeholder, replace_snippet};
use types::{TypeDef, TypeIndex};

/// One operation method's call, built from the specification's sample values: its doctest
/// shows it, and the mock test (`rust::mock_calls`) sends it.
pub(crate) struct Call {
    /// The client method, e.g. `invite_members`.
    pub method: syn::Ident,
    /// The request it sends, e.g. `POST /members/invite`.
    pub request: String,
    /// The code, `None` when the samples cannot express the method's inputs.
    pub code: Option<CallCode>,
}

/// The code of a [`Call`]: statements, then an expression that sends the request.
pub(crate) struct CallCode {
    /// Statements the call needs first (a body decoded from JSON), using `?` on errors that
    /// convert into `Box<dyn std::error::Error>`.
    pub prelude: TokenStream,
    /// `client.invite_members(body).send()`, a future of the result, on a `client` in scope.
    pub send: TokenStream,
    /// Whether the code names the vendor module's `types`.
    pub uses_types: bool,
    /// Whether the code names the client crate's `Nullable`.
    pub uses_nullable: bool,
    /// The JSON values shown in `json!` calls: each placeholder (unique across one vendor's
    /// calls) and the value, whose pretty-printed JSON replaces it once the code is formatted.
    pub json: Vec<(String, Value)>,
    /// Whether the answer is a byte stream (which the example does not print).
    pub streamed: bool,
}

/// Replaces the snippet in the docs of each operation method with an example for `vendor`
/// (the client crate's module, e.g. `periskope`), built from the merged document `doc`, and
/// returns each method's call.
pub(crate) fn apply(file: &mut syn::File, doc: &Value, vendor: &str, index: &Index) -> Vec<Call> {
    let types = TypeIndex::new(file);
    let builders = builders::builder_setters(file);
    let streamed = builders::streamed_builders(file);
    let operations: HashMap<(&str, &str), openapi::Operation<'_>> =
        openapi::operations(doc).map(|operation| ((operation.method, operation.path), operation)).collect();
    let mut calls = Vec::new();
    let mut placeholders = 0;
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !is_named(&imp.self_ty, "Client") {
            continue;
        }
        for member in &mut imp.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            let Some(docs) = doc_string(&method.attrs) else { continue };
            let Some(item) = index.by_function(&method.sig.ident.to_string()) else { continue };
            let (http_method, path) = (item.method.to_string(), item.path.clone());
            let request = format!("{} {path}", http_method.to_uppercase());
            let mut example = Example {
                types: &types,
                uses_types: false,
                uses_nullable: false,
                json: Vec::new(),
                placeholders,
                in_body: false,
            };
            let code = operations.get(&(http_method.as_str(), path.as_str())).and_then(|operation| {
                // A builder without setters (an operation without inputs) is still called.
                let setters = return_type_name(&method.sig)
                    .map(|name| builders.get(&name).map(Vec::as_slice).unwrap_or_default())?;
                let parameters = parameters(doc, operation);
                // The extra method of an operation that also takes multipart sends that body.
                let multipart = operation.operation.get(MULTIPART_EXTENSION).filter(|extension| {
                    extension.get("method").and_then(Value::as_str) == Some(method.sig.ident.to_string().as_str())
                });
                let body = match multipart.and_then(|extension| extension.get("schema")) {
                    Some(schema) => {
                        let body =
                            json!({ "requestBody": { "content": { "application/json": { "schema": schema } } } });
                        request_example(doc, &body)
                    }
                    None => request_example(doc, operation.operation),
                };
                let streamed = return_type_name(&method.sig).is_some_and(|name| streamed.contains(&name));
                example
                    .call(&method.sig.ident, &argument_names(&method.sig), setters, &parameters, body)
                    .map(|code| CallCode { streamed, ..code })
            });
            if let Some(code) = &code {
                placeholders += code.json.len();
                if let Some(text) = doctest_code(vendor, code) {
                    set_doc_string(&mut method.attrs, &replace_snippet(&docs, &text));
                }
            }
            calls.push(Call { method: method.sig.ident.clone(), request, code });
        }
    }
    calls
}

/// The doctest of `code`: imports, a client from the environment, the call, and printing the
/// result; `None` when `vendor` is not an identifier (it cannot be a module).
fn doctest_code(vendor: &str, code: &CallCode) -> Option<String> {
    let krate = format_ident!("{CLIENT_CRATE}");
    let module: syn::Ident = syn::parse_str(vendor).ok()?;
    let imports = if code.uses_types { quote!({Client, types}) } else { quote!(Client) };
    let nullable_name = format_ident!("{NULLABLE_NAME}");
    let nullable = code.uses_nullable.then(|| quote!(use #krate::#nullable_name;));
    let CallCode { prelude, send, streamed, .. } = code;
    let show = if *streamed {
        quote!(println!("{}", response.status());)
    } else {
        quote!(println!("{:?}", response.into_inner());)
    };
    let tokens = quote! {
        async fn example() -> Result<(), Box<dyn std::error::Error>> {
            use #krate::#module::#imports;
            #nullable
            let client = Client::from_env()?;
            #prelude
            let response = #send.await?;
            #show
            Ok(())
        }
    };
    let file: syn::File = syn::parse2(tokens).ok()?;
    Some(doctest(&insert_all_json(&prettyplease::unparse(&file), &code.json)))
}

/// Turns JSON values into Rust expressions of given generated types.
struct Example<'t> {
    types: &'t TypeIndex,
    uses_types: bool,
    uses_nullable: bool,
    /// JSON values shown in `json!` calls: placeholder and value.
    json: Vec<(String, Value)>,
    /// How many placeholders earlier calls used, so that this call's are distinct.
    placeholders: usize,
    /// Whether the request body is being written: a `types` value the builders cannot
    /// express then fails the whole body, which is decoded from its JSON instead.
    in_body: bool,
}

/// How a value is used: as a setter's argument (anything that converts into the type), or
/// where exactly the type is needed (inside a list or an `Option`).
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Argument,
    Exact,
}

impl Example<'_> {
    /// The call of `operation` with the parameters' and the body's sample values. `arguments`
    /// are the inputs the operation method takes (`required_inputs`), in order; the other
    /// parameters with a sample value are set with their setters.
    fn call(
        &mut self,
        operation: &syn::Ident,
        arguments: &[syn::Ident],
        setters: &[(syn::Ident, syn::Type)],
        parameters: &[Parameter],
        body: Option<Value>,
    ) -> Option<CallCode> {
        let mut args: Vec<Option<TokenStream>> = vec![None; arguments.len()];
        let mut calls = Vec::new();
        for parameter in parameters {
            let wanted = parameter.name.to_snake_case();
            let Some((setter, ty)) =
                setters.iter().find(|(setter, _)| *setter == wanted || *setter == format!("{wanted}_"))
            else {
                continue;
            };
            match arguments.iter().position(|argument| argument == setter) {
                Some(index) => args[index] = self.argument(&parameter.value, ty),
                None => {
                    if let Some(Some(value)) = self.setter_value(&parameter.value, ty) {
                        calls.push(quote!(.#setter(#value)));
                    }
                }
            }
        }
        let mut prelude = TokenStream::new();
        if let (Some(body), Some((_, ty))) = (&body, setters.iter().find(|(setter, _)| setter == "body")) {
            self.in_body = true;
            let value = self.value(body, ty, Place::Argument);
            self.in_body = false;
            let value = match value {
                Some(Some(value)) => value,
                _ => {
                    // The typed builders cannot express this body: decode the JSON instead.
                    let json = self.json(body)?;
                    self.uses_types |= is_types_path(ty);
                    prelude = quote! { let body: #ty = serde_json::from_value(serde_json::json!(#json))?; };
                    quote!(body)
                }
            };
            match arguments.iter().position(|argument| argument == "body") {
                Some(index) => args[index] = Some(value),
                None => calls.push(quote!(.body(#value))),
            }
        }
        // Every argument needs a value for the call to compile.
        let args = args.into_iter().collect::<Option<Vec<_>>>()?;
        Some(CallCode {
            prelude,
            send: quote!(client.#operation(#(#args),*) #(#calls)* .send()),
            uses_types: self.uses_types,
            uses_nullable: self.uses_nullable,
            json: std::mem::take(&mut self.json),
            streamed: false,
        })
    }

    /// `value` as a setter's argument of type `ty` (a list of strings as an array of `&str`);
    /// `Some(None)` when the setter is best left out.
    fn setter_value(&mut self, value: &Value, ty: &syn::Type) -> Option<Option<TokenStream>> {
        match super::string_lists::array_argument(value, ty) {
            Some(array) => Some(Some(array)),
            None => self.value(value, ty, Place::Argument),
        }
    }

    /// `value` as a required argument of type `ty`: like a setter's, except that a `null`
    /// cannot be left out (`None`).
    fn argument(&mut self, value: &Value, ty: &syn::Type) -> Option<TokenStream> {
        match self.setter_value(value, ty)? {
            Some(value) => Some(value),
            None => self.value(value, ty, Place::Exact).flatten(),
        }
    }

    /// A placeholder for `value` in `json!(..)`, replaced by the pretty-printed JSON after
    /// formatting (the formatter would print the macro's tokens on one line).
    fn json(&mut self, value: &Value) -> Option<TokenStream> {
        // The JSON must also be valid tokens for `json!`, e.g. no `\u` escapes Rust rejects.
        pretty_json(value)?.parse::<TokenStream>().ok()?;
        let placeholder = json_placeholder(self.placeholders + self.json.len());
        let ident = format_ident!("{placeholder}");
        self.json.push((placeholder, value.clone()));
        Some(quote!(#ident))
    }

    /// `value` as an expression of type `ty`; `Some(None)` when the setter is best left out
    /// (`null` for a plain `Option`), `None` when this step cannot express it.
    fn value(&mut self, value: &Value, ty: &syn::Type, place: Place) -> Option<Option<TokenStream>> {
        let (name, args) = type_parts(ty)?;
        let expr = match (name.as_str(), value) {
            ("Option", Value::Null) => match place {
                Place::Argument => return Some(None),
                Place::Exact => quote!(None),
            },
            ("Option", value) => {
                let inner = self.value(value, args.first()?, Place::Exact)??;
                match place {
                    // `Option<T>` converts from `T`.
                    Place::Argument => inner,
                    Place::Exact => quote!(Some(#inner)),
                }
            }
            (NULLABLE_NAME, value) => {
                self.uses_nullable |= value.is_null() || place == Place::Exact;
                let nullable = format_ident!("{NULLABLE_NAME}");
                match value {
                    Value::Null => quote!(#nullable::Null),
                    value => {
                        let inner = self.value(value, args.first()?, Place::Exact)??;
                        match place {
                            // `Nullable<T>` converts from `T`.
                            Place::Argument => inner,
                            Place::Exact => quote!(#nullable::Value(#inner)),
                        }
                    }
                }
            }
            // An empty `vec![]` leaves a generic setter's item type open: it is named.
            ("Vec", Value::Array(items)) if items.is_empty() && place == Place::Argument => {
                let item = self.types.qualified(args.first()?);
                self.uses_types |= is_types_path(&item);
                quote!(Vec::<#item>::new())
            }
            ("Vec", Value::Array(items)) => {
                let item_type = args.first()?;
                let items = items
                    .iter()
                    .map(|item| self.value(item, item_type, Place::Exact).flatten())
                    .collect::<Option<Vec<_>>>()?;
                // The formatter prints a macro's tokens as they are, so items with `?` go into
                // an array, which it formats like any other expression.
                if items.iter().any(|item| item.to_string().contains('?')) {
                    quote!(Vec::from([#(#items),*]))
                } else {
                    quote!(vec![#(#items),*])
                }
            }
            ("String", Value::String(text)) => match place {
                Place::Argument => quote!(#text),
                Place::Exact => quote!(#text.to_string()),
            },
            ("bool", Value::Bool(flag)) => quote!(#flag),
            (int @ ("i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64"), Value::Number(number)) => {
                integer(number, int, place)?
            }
            // Typify's type for an integer whose minimum is at least 1; zero is brought to 1.
            (nonzero @ ("NonZeroU8" | "NonZeroU16" | "NonZeroU32" | "NonZeroU64"), Value::Number(number)) => {
                let positive = number.as_u64().unwrap_or(1).max(1);
                let literal = integer(&positive.into(), &nonzero["NonZero".len()..].to_lowercase(), Place::Exact)?;
                let ty = format_ident!("{nonzero}");
                match place {
                    // The setters' `TryInto<NonZeroU32>` takes a `u32`.
                    Place::Argument => literal,
                    Place::Exact => quote!(::std::num::#ty::try_from(#literal)?),
                }
            }
            (float @ ("f32" | "f64"), Value::Number(number)) => {
                let number = number.as_f64()?;
                let literal =
                    if float == "f32" { Literal::f32_suffixed(number as f32) } else { Literal::f64_suffixed(number) };
                quote!(#literal)
            }
            // The types of other crates by their crate too: a component may be named alike
            // (`types::Value`, `types::DateTime`), and is decoded from its JSON below.
            ("FilePart", Value::String(text)) if in_crate(ty, "crate") => {
                let krate = format_ident!("{CLIENT_CRATE}");
                quote!(#krate::multipart::FilePart::new(#text))
            }
            // A raw body: the sample's text as the bytes (`&'static str` converts into it).
            ("Body", value) if is_reqwest_path(ty) => {
                let text = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                match place {
                    Place::Argument => quote!(#text),
                    Place::Exact => quote!(reqwest::Body::from(#text)),
                }
            }
            ("DateTime", Value::String(text)) if in_crate(ty, "chrono") => {
                quote!(#text.parse::<chrono::DateTime<chrono::Utc>>()?)
            }
            ("Value", value) if in_crate(ty, "serde_json") => {
                let json = self.json(value)?;
                quote!(serde_json::json!(#json))
            }
            ("Map", Value::Object(object)) if object.is_empty() && in_crate(ty, "serde_json") => {
                quote!(serde_json::Map::new())
            }
            (name, value) => match self.named(name, value, place) {
                Some(expr) => expr,
                None => self.decoded(value, ty)?,
            },
        };
        Some(Some(expr))
    }

    /// `value` read by the type's own parser or decoder, where the builders cannot express it:
    /// for a type from another crate (`uuid::Uuid`, `chrono::NaiveDate`, written with a leading
    /// `::`, without type arguments), `"…".parse::<T>()?` for a string, else decoded from its
    /// JSON; for a type of the `types` module outside the request body (a constrained string,
    /// a union), `"…".parse::<T>()?` for a string it parses, else decoded from its JSON. `None` when `ty` is neither.
    fn decoded(&mut self, value: &Value, ty: &syn::Type) -> Option<TokenStream> {
        let syn::Type::Path(path) = ty else { return None };
        let plain = path.path.segments.iter().all(|segment| segment.arguments.is_none());
        let first = path.path.segments.first()?.ident.to_string();
        let last = path.path.segments.last()?.ident.to_string();
        let foreign = path.path.leading_colon.is_some() && first != "std" && first != "serde_json";
        let ours = !self.in_body
            && path.path.leading_colon.is_none()
            && (first == "types" || path.path.segments.len() == 1)
            && self.types.names.contains(&last);
        if !plain || !(foreign || ours) {
            return None;
        }
        let ty: syn::Type = if ours {
            self.uses_types = true;
            let ident = format_ident!("{last}");
            syn::parse_quote!(types::#ident)
        } else {
            ty.clone()
        };
        match value {
            Value::String(text) if foreign || self.types.parsed.contains(&last) => Some(quote!(#text.parse::<#ty>()?)),
            _ => {
                let json = self.json(value)?;
                Some(quote!(serde_json::from_value::<#ty>(serde_json::json!(#json))?))
            }
        }
    }

    /// A value of a type from the `types` module: an enum variant or a struct builder.
    fn named(&mut self, name: &str, value: &Value, place: Place) -> Option<TokenStream> {
        let ident = format_ident!("{name}");
        let expr = match (self.types.types.get(name)?, value) {
            (TypeDef::Enum(variants), Value::String(text)) => {
                let (_, variant) = variants.iter().find(|(json, _)| json == text)?;
                quote!(types::#ident::#variant)
            }
            (TypeDef::Struct(fields), Value::Object(object)) => {
                let required = self.types.constructors.get(name).cloned().unwrap_or_default();
                let mut args = Vec::new();
                for argument in &required {
                    let (json, _, ty) = fields.iter().find(|(_, field, _)| field == argument)?;
                    args.push(self.argument(object.get(json)?, ty)?);
                }
                let mut calls = Vec::new();
                for (key, field_value) in object {
                    let (_, field, ty) = fields.iter().find(|(json, _, _)| json == key)?;
                    if required.contains(field) {
                        continue;
                    }
                    if let Some(arg) = self.setter_value(field_value, ty)? {
                        calls.push(quote!(.#field(#arg)));
                    }
                }
                let builder = quote!(types::#ident::builder(#(#args),*) #(#calls)*);
                match place {
                    // The operation's and the struct builders' setters take a builder as it is.
                    Place::Argument => builder,
                    Place::Exact => quote!(types::#ident::try_from(#builder)?),
                }
            }
            _ => return None,
        };
        self.uses_types = true;
        Some(expr)
    }
}

/// The names of a function's arguments besides `self`: `id`, `body` of
/// `fn update_member<Id, Body>(&self, id: Id, body: Body)`.
fn argument_names(sig: &syn::Signature) -> Vec<syn::Ident> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => match typed.pat.as_ref() {
                syn::Pat::Ident(ident) => Some(ident.ident.clone()),
                _ => None,
            },
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

fn integer(number: &serde_json::Number, ty: &str, place: Place) -> Option<TokenStream> {
    // A sample outside the type's range (an `int32` documented with a 64-bit example) is
    // brought to its nearest bound, so that the call compiles and sends a value of the type.
    let (min, max): (i128, i128) = match ty {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        _ => (0, u64::MAX.into()),
    };
    let value = number.as_i64().map(i128::from).or_else(|| number.as_u64().map(i128::from))?.clamp(min, max);
    // Unsuffixed where it fits an `i32`, the type a literal takes when a generic setter leaves
    // it open; suffixed otherwise.
    let fits_i32 = i32::try_from(value).is_ok();
    let literal = match (place, ty) {
        (Place::Argument, _) if fits_i32 => Literal::i128_unsuffixed(value),
        (_, "i8") => Literal::i8_suffixed(value.try_into().ok()?),
        (_, "i16") => Literal::i16_suffixed(value.try_into().ok()?),
        (_, "i32") => Literal::i32_suffixed(value.try_into().ok()?),
        (_, "i64") => Literal::i64_suffixed(value.try_into().ok()?),
        (_, "u8") => Literal::u8_suffixed(value.try_into().ok()?),
        (_, "u16") => Literal::u16_suffixed(value.try_into().ok()?),
        (_, "u32") => Literal::u32_suffixed(value.try_into().ok()?),
        (_, _) => Literal::u64_suffixed(value.try_into().ok()?),
    };
    Some(quote!(#literal))
}

fn is_reqwest_path(ty: &syn::Type) -> bool {
    in_crate(ty, "reqwest")
}

/// Whether `ty` is a path into `krate` (`::serde_json::Value` into `serde_json`).
fn in_crate(ty: &syn::Type, krate: &str) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.first().is_some_and(|first| first.ident == krate))
}

/// Whether `ty` names a generated type (`types::Contact`, `Vec<types::Contact>`): the example
/// then imports `types`.
fn is_types_path(ty: &syn::Type) -> bool {
    super::syntax::Paths::of(|paths| syn::visit::Visit::visit_type(paths, ty)).starts_with("types")
}

#[cfg(test)]
mod tests;
