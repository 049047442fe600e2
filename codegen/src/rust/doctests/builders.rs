//! What the examples need to know about the operation builders: their setters and which ones
//! answer with a byte stream.

use std::collections::HashMap;

use super::super::syntax::{setter_target, type_name};

/// For each operation builder (`builder::InviteMembers`), its setters and the type each
/// converts its argument into (`body` → `types::InviteMembersBody`).
pub(super) fn builder_setters(file: &syn::File) -> HashMap<String, Vec<(syn::Ident, syn::Type)>> {
    let mut out: HashMap<String, Vec<(syn::Ident, syn::Type)>> = HashMap::new();
    let module = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
        _ => None,
    });
    for item in module.map(|(_, items)| items.as_slice()).unwrap_or_default() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(name) = type_name(&imp.self_ty) else { continue };
        for member in &imp.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            if let Some(target) =
                setter_target(&method.sig).or_else(|| super::super::string_lists::list_setter_target(&method.sig))
            {
                out.entry(name.clone()).or_default().push((method.sig.ident.clone(), target));
            }
        }
    }
    out
}

/// The operation builders whose `send()` answers with a byte stream.
pub(super) fn streamed_builders(file: &syn::File) -> std::collections::HashSet<String> {
    let module = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
        _ => None,
    });
    let mut out = std::collections::HashSet::new();
    for item in module.map(|(_, items)| items.as_slice()).unwrap_or_default() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(name) = type_name(&imp.self_ty) else { continue };
        for member in &imp.items {
            if let syn::ImplItem::Fn(send) = member
                && send.sig.ident == "send"
                && super::super::syntax::Paths::of(|paths| {
                    syn::visit::Visit::visit_return_type(paths, &send.sig.output)
                })
                .contains("ByteStream")
            {
                out.insert(name.clone());
            }
        }
    }
    out
}
