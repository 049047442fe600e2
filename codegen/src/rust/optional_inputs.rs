//! The setter of an optional string enum takes the enum, its text or an `Option` of it
//! (`crate::OptionalInput`), as a required argument of the enum takes the enum or its text.
//!
//! Typify's setter of an `Option<MemberRole>` field takes `T: TryInto<Option<MemberRole>>`, so
//! `.role("admin")` does not compile while `builder("admin")` of a required role does. This
//! pass rewrites the setters of optional string enums (the enums `rust::open_enums` opens, which
//! also gives each one its `OptionalInput` impls for the enum, `&str` and `String`). It runs
//! before `constructors` and `required_inputs`, whose arguments take what the setters take.
//!
//! Before:
//!
//! ```ignore
//! pub fn role<T>(mut self, value: T) -> Self
//! where T: TryInto<Option<super::MemberRole>>, T::Error: Display
//! { self.role = value.try_into().map_err(..); self }
//! ```
//!
//! After:
//!
//! ```ignore
//! pub fn role<T>(mut self, value: T) -> Self
//! where T: crate::OptionalInput<super::MemberRole>
//! { self.role = crate::OptionalInput::into_optional(value).map_err(..); self }
//! ```

use super::syntax::{module_items, setter_target, type_name, type_parts};

/// Rewrites the setters of every optional string enum in `types::builder`.
pub(crate) fn apply(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, "types") else { return };
    let names: Vec<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(def) if super::open_enums::string_values(def).is_some() => Some(def.ident.to_string()),
            _ => None,
        })
        .collect();
    let Some(builders) = module_items(types, "builder") else { return };
    for item in builders.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        for member in &mut imp.items {
            if let syn::ImplItem::Fn(setter) = member {
                optional_setter(setter, &names);
            }
        }
    }
}

/// A builder setter of an optional open enum (`fn role<T>(..) where T: TryInto<Option<super::MemberRole>>`)
/// takes what `crate::OptionalInput<MemberRole>` covers: an `Option` of it, the enum, or its text.
fn optional_setter(setter: &mut syn::ImplItemFn, enums: &[String]) {
    let Some(target) = setter_target(&setter.sig) else { return };
    let Some((outer, args)) = type_parts(&target) else { return };
    let [inner] = args.as_slice() else { return };
    if outer != "Option" {
        return;
    }
    if !type_name(inner).is_some_and(|name| enums.contains(&name)) {
        return;
    }
    let Some(param) = setter.sig.generics.type_params().next().map(|param| param.ident.clone()) else { return };
    let optional = crate::client_paths::parse(crate::client_paths::OPTIONAL_INPUT);
    let bound: syn::WherePredicate = syn::parse_quote!(#param: #optional<#inner>);
    if let Some(clause) = setter.sig.generics.where_clause.as_mut() {
        clause.predicates = std::iter::once(bound).collect();
    }
    struct Call<'a>(&'a syn::Path);
    impl syn::visit_mut::VisitMut for Call<'_> {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::MethodCall(call) = expr
                && call.method == "try_into"
                && call.args.is_empty()
                && matches!(call.receiver.as_ref(), syn::Expr::Path(path) if path.path.is_ident("value"))
            {
                let optional = self.0;
                *expr = syn::parse_quote!(#optional::into_optional(value));
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    syn::visit_mut::VisitMut::visit_block_mut(&mut Call(&optional), &mut setter.block);
}
