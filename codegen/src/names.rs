//! The one owner of the Rust names the generator emits.
//!
//! Every Rust identifier comes from one of three places, and each has one rule here:
//!
//! - **Typify's casing** ([`sanitize`]): how typify (and progenitor, which calls it) turns a
//!   document name into an identifier: a component key or an inline schema's name into a type
//!   (`Case::Pascal`), a property into a field (`Case::Snake`), an enum value into a variant.
//!   It is a copy of typify's own function, so the generator can tell in advance which Rust
//!   name a document name gets; it is the only casing function the generator uses for Rust
//!   names.
//! - **One suffix rule** ([`first_free`]): a name that is taken gets the first free number,
//!   `Name2`, `Name3`, … Every pass that adds an item asks for its name here, checked against
//!   the **Rust** names of the namespace the item lives in ([`Namespace`]), never against
//!   document keys alone.
//! - **Type parameters** ([`type_param`]): a generic argument named after an input (`Id` for
//!   `id`) is never spelled like a type in scope: `IdArg` when it would be, or when it is not
//!   an identifier.
//!
//! Names a convention reserves take precedence over names a document adds later: every
//! struct's builder is `<Type>Builder` in `types::builder`, whatever schemas the document has
//! (a schema named `XBuilder` is a type in `types`, its own builder `XBuilderBuilder`), so no
//! upstream addition renames an existing public item.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// The identifier case typify uses for a kind of name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// Struct fields, methods.
    Snake,
    /// Types and enum variants.
    Pascal,
}

/// Typify's `sanitize` (typify-impl 0.8, `util.rs`): the Rust name it gives a document name in
/// `case`: `isGlobal` → `is_global`, `Etc/GMT-1` → `EtcGmt1`, `self` → `Self_`.
pub(crate) fn sanitize(input: &str, case: Case) -> String {
    let to_case = |text: &str| match case {
        Case::Snake => text.to_snake_case(),
        Case::Pascal => text.to_pascal_case(),
    };
    let out = match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => to_case(&input.replace('\'', "").replace(|c: char| !is_xid_continue(c), "-")),
    };
    let prefix = to_case("x");
    let out = match out.chars().next() {
        None => prefix,
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    if is_keyword(&out) { format!("{out}_") } else { out }
}

/// The Rust type typify makes of a component key or a suggested name: `invite_members-body`
/// → `InviteMembersBody`.
pub(crate) fn type_name(name: &str) -> String {
    sanitize(name, Case::Pascal)
}

/// `base` when `taken` says it is free, else the first free of `base2`, `base3`, …: the one
/// suffix rule for every name the generator adds.
pub(crate) fn first_free(base: &str, mut taken: impl FnMut(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2u32..).map(|n| format!("{base}{n}")).find(|name| !taken(name)).unwrap_or_else(|| base.to_string())
}

/// The Rust names of one namespace (the items of a module, the fields of a struct): what is
/// taken, and a free name for what is added.
#[derive(Debug, Default, Clone)]
pub(crate) struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace holding `names`.
    pub fn of<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        Namespace { taken: names.into_iter().map(Into::into).collect() }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `wanted`, or the first free name after it ([`first_free`]), and returns it.
    pub fn claim(&mut self, wanted: &str) -> String {
        let name = first_free(wanted, |name| self.taken.contains(name));
        self.taken.insert(name.clone());
        name
    }
}

/// A key for a component the generator adds: the first of `candidates` whose Rust type is
/// free among the document's components, else the first free name after the first
/// ([`first_free`]). Candidates are written as their Rust names (`InviteMembersError`).
pub(crate) fn free_component(doc: &serde_json::Value, candidates: &[String]) -> String {
    let keys = doc.pointer("/components/schemas").and_then(serde_json::Value::as_object);
    let mut types = Namespace::of(keys.into_iter().flatten().flat_map(|(key, _)| [key.clone(), type_name(key)]));
    match candidates.iter().find(|candidate| !types.contains(&type_name(candidate)) && !types.contains(candidate)) {
        Some(free) => free.clone(),
        None => types.claim(candidates.first().map(String::as_str).unwrap_or("Generated")),
    }
}

/// Names that are in scope in every generated module without being declared there (the
/// standard prelude's types and traits): a type parameter spelled like one would shadow it
/// (`Default::default()` for a field named `default`).
const PRELUDE: [&str; 33] = [
    "Self",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "AsRef",
];

/// The type parameter of an argument named `input` (`Id` for `id`, `PerPage` for
/// `per_page`); `taken` says whether a name is a type in scope (of the module, or in the
/// argument's own bounds). A parameter is never spelled like one: `BodyArg` next to a type
/// `Body`, `Arg2fa` for an input `_2fa` that is not an identifier, `BodyArg2` when `BodyArg`
/// is taken too.
pub(crate) fn type_param(input: &str, taken: impl Fn(&str) -> bool) -> syn::Ident {
    let camel = input.trim_start_matches("r#").to_pascal_case();
    let is_ident = |name: &str| syn::parse_str::<syn::Ident>(name).is_ok();
    let in_scope = |name: &str| taken(name) || PRELUDE.contains(&name) || !is_ident(name);
    let base = if !is_ident(&camel) || camel == "Self" {
        format!("Arg{}", camel.replace(|c: char| !c.is_alphanumeric() && c != '_', ""))
    } else if in_scope(&camel) {
        format!("{camel}Arg")
    } else {
        camel
    };
    syn::Ident::new(&first_free(&base, in_scope), proc_macro2::Span::call_site())
}

/// The words typify does not take as identifiers (it appends `_`).
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typify_names() {
        assert_eq!(sanitize("+1", Case::Snake), "plus1");
        assert_eq!(sanitize("isGlobal", Case::Snake), "is_global");
        assert_eq!(sanitize("isGlobal~2", Case::Snake), "is_global_2");
        assert_eq!(sanitize("Etc/GMT~minus~1", Case::Pascal), "EtcGmtMinus1");
        assert_eq!(sanitize("self", Case::Pascal), "Self_");
        assert_eq!(sanitize("@timestamp", Case::Pascal), "Timestamp");
        assert_eq!(type_name("invite_members-body"), "InviteMembersBody");
    }

    #[test]
    fn one_suffix_rule() {
        let mut names = Namespace::of(["Thing", "Thing2"]);
        assert_eq!(names.claim("Thing"), "Thing3");
        assert_eq!(names.claim("Other"), "Other");
        assert_eq!(names.claim("Other"), "Other2");
        assert!(names.contains("Thing") && names.contains("Other2"));
    }

    #[test]
    fn type_parameters_are_never_types_in_scope() {
        let types = Namespace::of(["App", "BodyArg"]);
        let taken = |name: &str| types.contains(name);
        assert_eq!(type_param("id", taken), "Id");
        assert_eq!(type_param("per_page", taken), "PerPage");
        assert_eq!(type_param("app", taken), "AppArg");
        assert_eq!(type_param("body", |name| name == "Body" || types.contains(name)), "BodyArg2");
        assert_eq!(type_param("_2fa", taken), "Arg2fa");
        assert_eq!(type_param("self", taken), "ArgSelf");
        assert_eq!(type_param("r#type", taken), "Type");
        assert_eq!(type_param("string", taken), "StringArg");
        assert_eq!(type_param("default", taken), "DefaultArg");
    }
}
