//! Reading and editing the generated syntax tree: what every pass over it needs.

/// Adds `text` as the docs of an item that has none.
pub(crate) fn add_doc(attrs: &mut Vec<syn::Attribute>, text: &str) {
    if doc_string(attrs).is_none() {
        attrs.insert(0, syn::parse_quote!(#[doc = #text]));
    }
}

/// The item's docs, its `#[doc]` lines joined, when it has any.
pub(crate) fn doc_string(attrs: &[syn::Attribute]) -> Option<String> {
    let docs: Vec<String> = attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(pair) if pair.path.is_ident("doc") => match &pair.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => Some(text.value()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    (!docs.is_empty()).then(|| docs.join("\n"))
}

/// Replaces the item's docs with `docs`.
pub(crate) fn set_doc_string(attrs: &mut Vec<syn::Attribute>, docs: &str) {
    attrs.retain(|attr| !attr.path().is_ident("doc"));
    attrs.insert(0, syn::parse_quote!(#[doc = #docs]));
}

/// The items of the inline module `name` among `items` (`types`, then its `builder`).
pub(crate) fn module_items<'a>(items: &'a mut [syn::Item], name: &str) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The names of the items of a module (structs, enums, aliases, traits, modules, functions).
pub(crate) fn item_names(items: &[syn::Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(def) => Some(def.ident.to_string()),
            syn::Item::Enum(def) => Some(def.ident.to_string()),
            syn::Item::Type(def) => Some(def.ident.to_string()),
            syn::Item::Trait(def) => Some(def.ident.to_string()),
            syn::Item::Mod(def) => Some(def.ident.to_string()),
            syn::Item::Fn(def) => Some(def.sig.ident.to_string()),
            syn::Item::Use(def) => use_name(&def.tree),
            _ => None,
        })
        .collect()
}

/// The name a `use` brings into scope: `ResponseValue` for `use progenitor_client::ResponseValue;`.
fn use_name(tree: &syn::UseTree) -> Option<String> {
    match tree {
        syn::UseTree::Path(path) => use_name(&path.tree),
        syn::UseTree::Name(name) => Some(name.ident.to_string()),
        syn::UseTree::Rename(rename) => Some(rename.rename.to_string()),
        _ => None,
    }
}

/// The `#[serde(...)]` settings the passes need.
#[derive(Default)]
pub(crate) struct SerdeAttrs {
    pub rename: Option<String>,
    pub flatten: bool,
    pub untagged: bool,
}

impl SerdeAttrs {
    pub fn of(attrs: &[syn::Attribute]) -> Self {
        let mut out = SerdeAttrs::default();
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
            // Settings this step does not know are skipped: they never change a field's name.
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    out.rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                } else if meta.path.is_ident("flatten") {
                    out.flatten = true;
                } else if meta.path.is_ident("untagged") {
                    out.untagged = true;
                } else if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
                Ok(())
            });
        }
        out
    }
}

/// `T` in `where V: TryInto<T>` of a setter `fn name<V>(self, value: V) -> Self`.
pub(crate) fn setter_target(sig: &syn::Signature) -> Option<syn::Type> {
    let clause = sig.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(bound) = predicate else { return None };
        bound.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else { return None };
            let last = bound.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
            args.args.iter().find_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => Some(ty.clone()),
                _ => None,
            })
        })
    })
}

/// The last path segment of `ty` and its type arguments: `Option` and `[T]` for
/// `::std::option::Option<T>`.
pub(crate) fn type_parts(ty: &syn::Type) -> Option<(String, Vec<syn::Type>)> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let args = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => Some(ty.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((last.ident.to_string(), args))
}

/// The last segment of a path type: `InviteMembers` for `builder::InviteMembers<'_>`.
pub(crate) fn type_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else { return None };
    Some(path.path.segments.last()?.ident.to_string())
}

/// Whether `ty` is a path type whose last segment is `name`.
pub(crate) fn is_named(ty: &syn::Type, name: &str) -> bool {
    type_name(ty).is_some_and(|found| found == name)
}

/// `builder::InviteMembers` from `fn invite_members(&self) -> builder::InviteMembers<'_>`.
pub(crate) fn return_type_name(sig: &syn::Signature) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = &sig.output else { return None };
    type_name(ty)
}

/// The setter `fn name<V>(mut self, value: V) -> Self where ..` as the type parameter and
/// bounds of an argument `name: Name` that takes what the setter takes: `Id` and
/// `Id: TryInto<String>` for `fn id<V>(..) where V: TryInto<String>`. `in_scope` says whether a
/// name is taken where the argument is declared (a type, another argument); the parameter is named by
/// [`names::type_param`] so that it is none of them, nor a name in its own bounds. `None` for
/// a setter of another shape.
pub(crate) fn setter_argument(
    setter: &syn::ImplItemFn,
    in_scope: impl Fn(&str) -> bool,
) -> Option<(syn::Ident, Vec<syn::WherePredicate>)> {
    let mut params = setter.sig.generics.type_params();
    let param = params.next()?.ident.clone();
    if params.next().is_some() || setter.sig.inputs.len() != 2 {
        return None;
    }
    let mut bounds: Vec<syn::WherePredicate> =
        setter.sig.generics.where_clause.as_ref()?.predicates.iter().cloned().collect();
    let mut named = PathIdents::default();
    for bound in &bounds {
        syn::visit::Visit::visit_where_predicate(&mut named, bound);
    }
    let input = setter.sig.ident.to_string();
    let generic = crate::names::type_param(&input, |name| in_scope(name) || named.0.contains(name));
    for predicate in &mut bounds {
        syn::visit_mut::VisitMut::visit_where_predicate_mut(
            &mut RenameIdent { from: param.clone(), to: generic.clone() },
            predicate,
        );
    }
    Some((generic, bounds))
}

/// The identifiers of every path segment a syntax node names.
#[derive(Default)]
struct PathIdents(std::collections::BTreeSet<String>);

impl<'ast> syn::visit::Visit<'ast> for PathIdents {
    fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
        self.0.insert(segment.ident.to_string());
        syn::visit::visit_path_segment(self, segment);
    }
}

/// Renames one identifier (in a where clause: the setter's `V` to the argument's `Id`).
struct RenameIdent {
    from: syn::Ident,
    to: syn::Ident,
}

impl syn::visit_mut::VisitMut for RenameIdent {
    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if *ident == self.from {
            *ident = self.to.clone();
        }
    }
}

/// The paths a syntax node names, each as its segments' identifiers: what a pass checks
/// instead of matching the node's token text.
#[derive(Default)]
pub(crate) struct Paths(Vec<Vec<String>>);

impl Paths {
    /// The paths in `node`, found by `visit` (`|paths| paths.visit_type(ty)`).
    pub fn of(visit: impl FnOnce(&mut Self)) -> Self {
        let mut paths = Paths::default();
        visit(&mut paths);
        paths
    }

    /// Whether one of the paths ends with the segments of `wanted` (`crate::Nullable` matches
    /// `crate::Nullable` and `::crate::Nullable`; `FilePart` matches `crate::multipart::FilePart`).
    pub fn contains(&self, wanted: &str) -> bool {
        let wanted: Vec<&str> = wanted.split("::").filter(|segment| !segment.is_empty()).collect();
        self.0
            .iter()
            .any(|path| path.len() >= wanted.len() && path[path.len() - wanted.len()..].iter().eq(wanted.iter()))
    }
}

impl Paths {
    /// The last segment of every path (`f64`, `Nullable`, `Range`).
    pub fn last_segments(&self) -> Vec<String> {
        self.0.iter().filter_map(|path| path.last().cloned()).collect()
    }

    /// Whether one of the paths starts with the segment `first` (`types` in `types::Contact`).
    pub fn starts_with(&self, first: &str) -> bool {
        self.0.iter().any(|path| path.first().is_some_and(|segment| segment == first))
    }
}

impl<'ast> syn::visit::Visit<'ast> for Paths {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.0.push(path.segments.iter().map(|segment| segment.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }
}

/// Whether `expr` is the path `name` (a local variable such as `body`), or `&name`.
pub(crate) fn is_local(expr: &syn::Expr, name: &str) -> bool {
    match expr {
        syn::Expr::Path(path) => path.path.is_ident(name),
        syn::Expr::Reference(reference) => is_local(&reference.expr, name),
        _ => false,
    }
}

/// Whether `expr` is the string literal `text`.
pub(crate) fn is_str(expr: &syn::Expr, text: &str) -> bool {
    matches!(expr, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) if lit.value() == text)
}
