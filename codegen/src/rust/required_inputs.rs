//! Required inputs are arguments of the operation method, so that leaving one out is a
//! compile error instead of an `InvalidRequest("id was not initialized")` from `send()`.
//!
//! Progenitor's operation builders start with every input unset and check the required ones
//! in `send()`. This pass makes each input progenitor requires (path parameters, required query
//! and header parameters, and the body, which progenitor sends on every call of an operation
//! that declares one) an argument of the `Client` method and of the builder's `new`, in the
//! builder's field order; the optional ones stay setters. An argument takes what its setter
//! takes (`V: TryInto<T>`, a list of string-likes, a body or its builder): the method calls the
//! setter. The setters stay, to change an input later (`items()` sets `page` on each request).
//! What can still fail at run time, a conversion, names the operation and the input. The
//! method's docs list the arguments and the optional inputs.
//!
//! Before:
//!
//! ```ignore
//! pub fn update_member(&self) -> builder::UpdateMember<'_> {
//!     builder::UpdateMember::new(self)
//! }
//! // builder::UpdateMember:
//! pub fn new(client: &'a super::Client) -> Self {
//!     Self { client: client, id: Err("id was not initialized".to_string()), body: Ok(::std::default::Default::default()) }
//! }
//! pub fn id<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::string::String> {
//!     self.id = value.try_into().map_err(|_| "conversion to `:: std :: string :: String` for id failed".to_string());
//!     self
//! }
//! ```
//!
//! After:
//!
//! ```ignore
//! pub fn update_member<Id, Body>(&self, id: Id, body: Body) -> builder::UpdateMember<'_>
//! where
//!     Id: std::convert::TryInto<::std::string::String>,
//!     Body: std::convert::TryInto<types::Member>,
//!     <Body as std::convert::TryInto<types::Member>>::Error: std::fmt::Display,
//! {
//!     builder::UpdateMember::new(self, id, body)
//! }
//! // builder::UpdateMember:
//! pub fn new<Id, Body>(client: &'a super::Client, id: Id, body: Body) -> Self
//! where /* the same bounds */
//! {
//!     Self { client: client, id: Err(String::new()), body: Err(String::new()) }.id(id).body(body)
//! }
//! pub fn id<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::string::String> {
//!     self.id = value.try_into().map_err(|_| "`update_member`: the `id` argument does not convert to `String`".to_string());
//!     self
//! }
//! ```

use std::collections::HashMap;

use quote::quote;
use syn::visit_mut::VisitMut;

use crate::names::Namespace;

use super::syntax::{
    doc_string, item_names, module_items, return_type_name, set_doc_string, setter_argument, setter_target, type_name,
};

/// One input of an operation builder: its field (and setter) and whether it is required.
struct Input {
    name: syn::Ident,
    required: bool,
}

/// Makes the required inputs of every operation arguments of its method; returns how many
/// operations changed shape.
pub(crate) fn apply(file: &mut syn::File) -> usize {
    // The `Client` method of each operation builder: the operation's name in messages.
    let mut operations: HashMap<String, String> = HashMap::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || type_name(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for member in &imp.items {
            if let syn::ImplItem::Fn(method) = member
                && let Some(builder) = return_type_name(&method.sig)
            {
                operations.insert(builder, method.sig.ident.to_string());
            }
        }
    }
    // Each builder's arguments, as the `new` it now has declares them. Their type parameters
    // are declared on the `Client` method (top level) and on `new` (in `builder`): no type of
    // either module may be spelled like one.
    let mut in_scope = item_names(&file.items);
    in_scope.extend(module_items(&mut file.items, "builder").map(|items| item_names(items)).unwrap_or_default());
    let in_scope = Namespace::of(in_scope);
    let mut arguments: HashMap<String, Arguments> = HashMap::new();
    if let Some(items) = module_items(&mut file.items, "builder") {
        for item in items.iter_mut() {
            let syn::Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() {
                continue;
            }
            let Some(builder) = type_name(&imp.self_ty) else { continue };
            let Some(operation) = operations.get(&builder) else { continue };
            name_operation_in_errors(imp, operation);
            if let Some(found) = require(imp, &in_scope) {
                arguments.insert(builder, found);
            }
        }
    }
    let changed = arguments.values().filter(|found| !found.required.is_empty()).count();
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || type_name(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for member in &mut imp.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            let Some(found) = return_type_name(&method.sig).and_then(|builder| arguments.get(&builder)) else {
                continue;
            };
            if found.required.is_empty() {
                continue;
            }
            let builder_ty = match &method.sig.output {
                syn::ReturnType::Type(_, ty) => ty.as_ref().clone(),
                syn::ReturnType::Default => continue,
            };
            let builder_path = without_lifetimes(&builder_ty);
            let Arguments { generics, inputs, required, .. } = found;
            let names = required.iter();
            let attrs = &method.attrs;
            let ident = &method.sig.ident;
            let vis = &method.vis;
            let where_clause = &generics.where_clause;
            let params = generics.params.iter();
            *method = syn::parse_quote! {
                #(#attrs)*
                #vis fn #ident<#(#params),*>(&self, #(#inputs),*) -> #builder_ty
                #where_clause
                {
                    #builder_path::new(self, #(#names),*)
                }
            };
            if let Some(docs) = doc_string(&method.attrs) {
                set_doc_string(&mut method.attrs, &with_argument_docs(&docs, &found.docs));
            }
        }
    }
    changed
}

/// What `new` takes besides the client, for the method that calls it.
struct Arguments {
    generics: syn::Generics,
    /// `id: Id`, ...
    inputs: Vec<syn::FnArg>,
    /// `id`, ...
    required: Vec<syn::Ident>,
    /// The argument and option lines of the method's docs.
    docs: ArgumentDocs,
}

/// The inputs named in the method's docs: `(name, type shown)` of each argument, and the names
/// of the optional inputs.
struct ArgumentDocs {
    arguments: Vec<(String, String)>,
    optional: Vec<String>,
}

/// Rewrites the builder's `new` to take the required inputs; `None` when it has no `new` of
/// the shape progenitor writes.
fn require(imp: &mut syn::ItemImpl, in_scope: &Namespace) -> Option<Arguments> {
    // This operation's parameters so far, beside the names of the modules (not copied per operation).
    let mut params: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let inputs = inputs_of_new(imp)?;
    let setters: HashMap<String, syn::ImplItemFn> = imp
        .items
        .iter()
        .filter_map(|member| match member {
            syn::ImplItem::Fn(setter) => Some((setter.sig.ident.to_string(), setter.clone())),
            _ => None,
        })
        .collect();
    let mut generics = syn::Generics::default();
    let mut where_clause: syn::WhereClause = syn::parse_quote!(where);
    let mut args: Vec<syn::FnArg> = Vec::new();
    let mut required = Vec::new();
    let mut docs = ArgumentDocs { arguments: Vec::new(), optional: Vec::new() };
    for input in &inputs {
        if !input.required {
            docs.optional.push(input.name.to_string());
            continue;
        }
        // A required input whose setter is not one progenitor writes stays as it is.
        let setter = setters.get(&input.name.to_string())?;
        let (generic, bounds) = setter_argument(setter, |name| in_scope.contains(name) || params.contains(name))?;
        params.insert(generic.to_string());
        generics.params.push(syn::parse_quote!(#generic));
        where_clause.predicates.extend(bounds);
        let name = &input.name;
        args.push(syn::parse_quote!(#name: #generic));
        required.push(name.clone());
        docs.arguments.push((name.to_string(), shown_type(setter)));
    }
    if required.is_empty() {
        return Some(Arguments { generics, inputs: args, required, docs });
    }
    generics.where_clause = Some(where_clause);
    let new = imp.items.iter_mut().find_map(|member| match member {
        syn::ImplItem::Fn(new) if new.sig.ident == "new" => Some(new),
        _ => None,
    })?;
    let syn::Stmt::Expr(syn::Expr::Struct(mut init), None) = new.block.stmts.first()?.clone() else { return None };
    for field in &mut init.fields {
        if let syn::Member::Named(name) = &field.member
            && required.contains(name)
        {
            // Replaced by the setter below before anyone can see it.
            field.expr = syn::parse_quote!(Err(String::new()));
        }
    }
    let client = match new.sig.inputs.first()? {
        syn::FnArg::Typed(client) => client.clone(),
        syn::FnArg::Receiver(_) => return None,
    };
    let attrs = &new.attrs;
    let params = generics.params.iter();
    let wheres = &generics.where_clause;
    let names = required.iter();
    let names_again = required.iter();
    *new = syn::parse_quote! {
        #(#attrs)*
        pub fn new<#(#params),*>(#client, #(#args),*) -> Self
        #wheres
        {
            #init #(.#names(#names_again))*
        }
    };
    Some(Arguments { generics, inputs: args, required, docs })
}

/// The builder's inputs, from the struct literal its `new` returns: `Ok(None)` is an optional
/// input; an `Err(..)` (not set) or a default body builder is one progenitor requires.
fn inputs_of_new(imp: &syn::ItemImpl) -> Option<Vec<Input>> {
    let new = imp.items.iter().find_map(|member| match member {
        syn::ImplItem::Fn(new) if new.sig.ident == "new" && new.sig.inputs.len() == 1 => Some(new),
        _ => None,
    })?;
    let syn::Stmt::Expr(syn::Expr::Struct(init), None) = new.block.stmts.first()? else { return None };
    let mut inputs = Vec::new();
    for field in &init.fields {
        let syn::Member::Named(name) = &field.member else { continue };
        if name == "client" {
            continue;
        }
        // Progenitor starts an optional input as `Ok(None)`, a required one as an error.
        let optional = matches!(&field.expr, syn::Expr::Call(call)
            if matches!(call.func.as_ref(), syn::Expr::Path(ok) if ok.path.is_ident("Ok"))
                && matches!(call.args.first(), Some(syn::Expr::Path(none)) if none.path.is_ident("None")));
        inputs.push(Input { name: name.clone(), required: !optional });
    }
    Some(inputs)
}

/// The type an argument converts into, as the docs show it.
fn shown_type(setter: &syn::ImplItemFn) -> String {
    match setter_target(&setter.sig) {
        Some(ty) => {
            let shown = readable_type(&quote!(#ty).to_string());
            if setter.sig.ident == "body" && shown.starts_with("types::") {
                format!("`{shown}` or its builder")
            } else {
                format!("`{shown}`")
            }
        }
        None => "a list of strings".to_string(),
    }
}

/// `::std::string::String` as `String`, `:: std :: vec :: Vec < i64 >` as `Vec<i64>`.
fn readable_type(tokens: &str) -> String {
    let mut text = tokens.replace(' ', "");
    for prefix in ["::std::string::", "::std::vec::", "::std::option::", "::std::collections::", "std::string::"] {
        text = text.replace(prefix, "");
    }
    text
}

/// The builder type without its lifetime, for calling `new`: `builder::InviteMembers`.
fn without_lifetimes(ty: &syn::Type) -> syn::Path {
    let mut path = match ty {
        syn::Type::Path(path) => path.path.clone(),
        _ => syn::parse_quote!(Self),
    };
    if let Some(last) = path.segments.last_mut() {
        last.arguments = syn::PathArguments::None;
    }
    path
}

/// `docs` with progenitor's "Arguments:" list replaced by the method's arguments and the
/// optional inputs, after the "Sends a `GET` request to `/x`" line.
fn with_argument_docs(docs: &str, inputs: &ArgumentDocs) -> String {
    let described = super::docs::argument_docs(docs);
    let mut kept = Vec::new();
    // Progenitor's list comes last, before the snippet; a description may span lines.
    let mut in_arguments = false;
    for line in docs.lines() {
        in_arguments = (in_arguments || line == "Arguments:") && !line.starts_with("```");
        if !in_arguments {
            kept.push(line);
        }
    }
    // A description's later lines are indented, to stay in its list item.
    let described =
        |name: &str| described.get(name).map(|description| format!(": {}", description.replace('\n', "\n  ")));
    let mut section = String::from("# Arguments\n\n");
    for (name, shown) in &inputs.arguments {
        section.push_str(&format!("- `{name}` ({shown}){}\n", described(name).unwrap_or_default()));
    }
    if !inputs.optional.is_empty() {
        section.push_str("\nOptional, set on the returned builder:\n");
        for name in &inputs.optional {
            section.push_str(&format!("- `{name}`{}\n", described(name).unwrap_or_default()));
        }
    }
    // After the line that says what the method sends, or at the end.
    let at = kept.iter().position(|line| line.starts_with("Sends a `")).map_or(kept.len(), |index| index + 1);
    let mut out: Vec<String> = kept.iter().map(|line| line.to_string()).collect();
    out.insert(at, format!("\n{}", section.trim_end()));
    out.join("\n")
}

/// Puts the operation's name in the messages of the builder's conversions: the setters'
/// "conversion to `T` for id failed" and the body's conversion in `send()`.
fn name_operation_in_errors(imp: &mut syn::ItemImpl, operation: &str) {
    for member in &mut imp.items {
        let syn::ImplItem::Fn(function) = member else { continue };
        let mut messages = OperationMessages { operation, in_send: function.sig.ident == "send" };
        messages.visit_block_mut(&mut function.block);
    }
}

struct OperationMessages<'a> {
    operation: &'a str,
    in_send: bool,
}

impl VisitMut for OperationMessages<'_> {
    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        // Progenitor's "conversion to `T` for name failed", with ": {}" after it for a body.
        let value = lit.value();
        if let Some(rest) = value.strip_prefix("conversion to `")
            && let Some((ty, rest)) = rest.split_once("` for ")
            && let Some((name, tail)) = rest.split_once(" failed")
        {
            let kind = if name == "body" { "the body" } else { &format!("`{name}`") };
            let text = format!("`{}`: {kind} does not convert to `{}`{tail}", self.operation, readable_type(ty));
            *lit = syn::LitStr::new(&text, lit.span());
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        // `send()`'s `types::Body::try_from(builder).map_err(|e| e.to_string())`.
        if self.in_send
            && let syn::Expr::MethodCall(call) = expr
            && call.method == "to_string"
            && call.args.is_empty()
            && matches!(call.receiver.as_ref(), syn::Expr::Path(path) if path.path.is_ident("e"))
        {
            let message = format!("`{}`: the body is not valid: {{e}}", self.operation);
            *expr = syn::parse_quote!(format!(#message));
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // `format!("conversion to `T` for body failed: {}", s)`: the literal is its first token.
        if let Ok(mut args) =
            mac.parse_body_with(syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        {
            for arg in args.iter_mut() {
                self.visit_expr_mut(arg);
            }
            mac.tokens = quote!(#args);
        }
    }
}
