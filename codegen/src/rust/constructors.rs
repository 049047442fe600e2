//! Required fields are arguments of a struct's `builder(..)`, so that leaving one out is a
//! compile error instead of "no value supplied for emails" from `send()`.
//!
//! The generated structs are `#[non_exhaustive]`, so callers outside the crate build them with
//! their builders. Typify's builders start from `Default`, every required field an error until
//! its setter is called. This pass gives each struct with required fields a `builder` that
//! takes them, in field order, each as its setter takes it (a list of string-likes, a value or
//! anything that converts into it); the optional fields stay setters, and the builder has no
//! `Default` any more. A struct without required fields keeps `builder()`.
//!
//! Each builder is named after the type it builds with `Builder` added
//! (`types::builder::InviteMembersBodyBuilder`), so that neither rustdoc nor a compiler
//! message shows `From<InviteMembersBody> for InviteMembersBody`.
//!
//! Before:
//!
//! ```ignore
//! impl InviteMembersBody {
//!     pub fn builder() -> builder::InviteMembersBody { Default::default() }
//! }
//! // types::builder:
//! pub struct InviteMembersBody { emails: Result<Vec<String>, String>, role: Result<Option<MemberRole>, String> }
//! }
//! // types::builder:
//! impl Default for InviteMembersBody {
//!     fn default() -> Self { Self { emails: Err("no value supplied for emails".to_string()), role: Ok(Default::default()) } }
//! }
//! ```
//!
//! After:
//!
//! ```ignore
//! impl InviteMembersBody {
//!     pub fn builder<Emails>(emails: Emails) -> builder::InviteMembersBodyBuilder
//!     where
//!         Emails: ::std::iter::IntoIterator,
//!         Emails::Item: ::std::convert::Into<::std::string::String>,
//!     {
//!         builder::InviteMembersBodyBuilder::new(emails)
//!     }
//! }
//! // types::builder:
//! pub struct InviteMembersBodyBuilder { emails: Result<Vec<String>, String>, role: Result<Option<MemberRole>, String> }
//! impl InviteMembersBodyBuilder {
//!     pub(super) fn new<Emails>(emails: Emails) -> Self where /* the same bounds */ {
//!         Self { emails: Err(String::new()), role: Ok(Default::default()) }.emails(emails)
//!     }
//! }
//! ```

use std::collections::HashMap;

use quote::format_ident;
use syn::visit_mut::VisitMut;

use super::syntax::{item_names, module_items, setter_argument, type_name};
use crate::names::Namespace;

/// What a struct's constructor takes: its generics, arguments and the required fields.
struct Constructor {
    params: Vec<syn::Ident>,
    bounds: Vec<syn::WherePredicate>,
    fields: Vec<syn::Ident>,
}

/// Gives every generated struct with required fields a `builder(..)` that takes them; returns
/// how many structs changed shape.
pub(crate) fn apply(file: &mut syn::File) -> usize {
    let Some(types) = module_items(&mut file.items, "types") else { return 0 };
    // A type parameter of `builder(..)` (declared in `types`) or of `new(..)` (in
    // `types::builder`) must not be spelled like a type of either module.
    let mut in_scope = item_names(types);
    let Some(builders) = module_items(types, "builder") else { return 0 };
    in_scope.extend(item_names(builders));
    let in_scope = Namespace::of(in_scope);
    let constructors = builder_constructors(builders, &in_scope);
    for item in types.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(name) = type_name(&imp.self_ty) else { continue };
        let Some(constructor) = constructors.get(&name) else { continue };
        for member in &mut imp.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            if method.sig.ident != "builder" || !method.sig.inputs.is_empty() {
                continue;
            }
            let Constructor { params, bounds, fields } = constructor;
            // The bounds name the types as `types::builder` sees them (`super::MemberRole`).
            let bounds = bounds.iter().cloned().map(|mut bound| {
                syn::visit_mut::VisitMut::visit_where_predicate_mut(&mut FromParent, &mut bound);
                bound
            });
            let output = &method.sig.output;
            let attrs = &method.attrs;
            let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
            let list = fields.iter().map(|field| format!("`{field}`")).collect::<Vec<_>>().join(", ");
            let docs = format!(
                "A builder for [`{name}`], from its required fields ({list}): set the others with its \
                 setters, then pass it to a setter that takes this type, or convert it with `try_into()`."
            );
            *method = syn::parse_quote! {
                #[doc = #docs]
                #(#attrs)*
                pub fn builder<#(#params),*>(#(#fields: #params),*) #output
                where #(#bounds),*
                {
                    builder::#ident::new(#(#fields),*)
                }
            };
        }
    }
    let changed = constructors.len();
    rename_builders(file);
    changed
}

/// Names every builder in `types::builder` `<Type>Builder`, and every path to it: `builder::X`
/// in `types`, `types::builder::X` elsewhere (the operation builders' body setters), `X` in
/// `types::builder` itself. The convention takes precedence over the document (see
/// `crate::names`): a schema named `XBuilder` does not change `X`'s builder, it gets
/// `XBuilderBuilder`; all are renamed at once, so no two builders share a name.
fn rename_builders(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, "types") else { return };
    let Some(builders) = module_items(types, "builder") else { return };
    let names: HashMap<String, syn::Ident> = builders
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(def) => Some(def.ident.to_string()),
            _ => None,
        })
        .map(|name| {
            let renamed = format_ident!("{name}Builder");
            (name, renamed)
        })
        .collect();
    let mut renamer = RenameBuilders { names: &names, modules: Vec::new() };
    renamer.visit_file_mut(file);
}

/// The visitor of [`rename_builders`]; `modules` is the path of the module it is in.
struct RenameBuilders<'a> {
    names: &'a HashMap<String, syn::Ident>,
    modules: Vec<String>,
}

impl RenameBuilders<'_> {
    fn in_module(&self, path: &[&str]) -> bool {
        self.modules.iter().map(String::as_str).eq(path.iter().copied())
    }
}

impl VisitMut for RenameBuilders<'_> {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        self.modules.push(module.ident.to_string());
        syn::visit_mut::visit_item_mod_mut(self, module);
        self.modules.pop();
    }

    fn visit_item_struct_mut(&mut self, def: &mut syn::ItemStruct) {
        if self.in_module(&["types", "builder"])
            && let Some(renamed) = self.names.get(&def.ident.to_string())
        {
            def.ident = renamed.clone();
        }
        syn::visit_mut::visit_item_struct_mut(self, def);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let idents: Vec<String> = path.segments.iter().map(|segment| segment.ident.to_string()).collect();
        let at = if self.in_module(&["types", "builder"]) && path.leading_colon.is_none() && idents.len() == 1 {
            Some(0)
        } else {
            idents.windows(2).position(|pair| pair[0] == "builder").and_then(|index| {
                let from_types = index > 0 && idents[index - 1] == "types";
                let in_types = index == 0 && self.in_module(&["types"]);
                (from_types || in_types).then_some(index + 1)
            })
        };
        if let Some(at) = at
            && let Some(renamed) = idents.get(at).and_then(|name| self.names.get(name))
        {
            path.segments[at].ident = renamed.clone();
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// For each builder in `types::builder` with required fields: drops its `Default` and adds
/// `pub(super) fn new(..)` that takes those fields.
fn builder_constructors(builders: &mut Vec<syn::Item>, in_scope: &Namespace) -> HashMap<String, Constructor> {
    let mut initial: HashMap<String, syn::ExprStruct> = HashMap::new();
    builders.retain(|item| {
        let Some((name, init)) = default_impl(item) else { return true };
        let required = init.fields.iter().any(|field| is_unset(&field.expr));
        if required {
            initial.insert(name, init);
        }
        !required
    });
    let mut out = HashMap::new();
    for item in builders.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(name) = type_name(&imp.self_ty) else { continue };
        let Some(mut init) = initial.remove(&name) else { continue };
        let setters: HashMap<String, &syn::ImplItemFn> = imp
            .items
            .iter()
            .filter_map(|member| match member {
                syn::ImplItem::Fn(setter) => Some((setter.sig.ident.to_string(), setter)),
                _ => None,
            })
            .collect();
        let mut constructor = Constructor { params: Vec::new(), bounds: Vec::new(), fields: Vec::new() };
        // This struct's parameters so far, beside the names of the modules (not copied per struct).
        let mut params: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for field in &mut init.fields {
            let syn::Member::Named(field_name) = &field.member else { continue };
            if !is_unset(&field.expr) {
                continue;
            }
            // Every typify builder field has a setter of this shape; were one missing, the
            // field would stay unset and `try_from` would say so, as before.
            let Some((param, bounds)) = setters
                .get(&field_name.to_string())
                .and_then(|s| setter_argument(s, |name| in_scope.contains(name) || params.contains(name)))
            else {
                continue;
            };
            field.expr = syn::parse_quote!(Err(String::new()));
            params.insert(param.to_string());
            constructor.params.push(param);
            constructor.bounds.extend(bounds);
            constructor.fields.push(field_name.clone());
        }
        let Constructor { params, bounds, fields } = &constructor;
        let doc =
            format!("The builder with its required fields set; [`{name}::builder`](super::{name}::builder) calls it.");
        // A signature that does not parse leaves the struct with its plain `builder()`.
        let Ok(new) = syn::parse2::<syn::ImplItem>(quote::quote! {
            #[doc = #doc]
            pub(super) fn new<#(#params),*>(#(#fields: #params),*) -> Self
            where #(#bounds),*
            {
                #init #(.#fields(#fields))*
            }
        }) else {
            continue;
        };
        imp.items.insert(0, new);
        out.insert(name, constructor);
    }
    out
}

/// `impl Default for X { fn default() -> Self { Self { .. } } }` as `X` and the struct literal.
fn default_impl(item: &syn::Item) -> Option<(String, syn::ExprStruct)> {
    let syn::Item::Impl(imp) = item else { return None };
    let (path, _) = imp.trait_.as_ref()?;
    if path.segments.last()?.ident != "Default" {
        return None;
    }
    let syn::ImplItem::Fn(default) = imp.items.first()? else { return None };
    let syn::Stmt::Expr(syn::Expr::Struct(init), None) = default.block.stmts.first()? else { return None };
    Some((type_name(&imp.self_ty)?, init.clone()))
}

/// Typify's initial value of a required field: `Err("no value supplied for x".to_string())`.
fn is_unset(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Call(call) if matches!(call.func.as_ref(), syn::Expr::Path(path) if path.path.is_ident("Err")))
}

/// Rewrites `super::X` (a type as `types::builder` names it) to `X` (as `types` names it).
struct FromParent;

impl syn::visit_mut::VisitMut for FromParent {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && path.segments.len() > 1
            && path.segments.first().is_some_and(|first| first.ident == "super")
        {
            path.segments = path.segments.iter().skip(1).cloned().collect();
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}
