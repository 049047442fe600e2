//! The example contract: a generated test per example of the document that decodes it into the
//! generated Rust type and checks that encoding it again gives the same JSON (no field dropped,
//! renamed or invented; nulls kept).
//!
//! Before: `responses: {200: {content: {application/json: {example: {name: a}}}}}` on
//! `getThing`. After, in `tests/generated/<vendor>_examples.rs`:
//!
//! ```text
//! #[test]
//! fn get_thing_response_200_example() {
//!     crate::common::assert_round_trip::<periskope_wapikit::<vendor>::types::Thing>("<file>#<pointer>", r#"{"name": "a"}"#);
//! }
//! ```

use std::collections::{BTreeSet, HashMap};

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;

use super::index::Index;
use super::syntax::{setter_target, type_parts};
use crate::client_paths::{self, ASSERT_ROUND_TRIP, CLIENT_CRATE};
use crate::openapi::{Example, Merged, Role};

/// The Rust types an operation's messages decode into, read off the generated builder.
#[derive(Default)]
struct OperationTypes {
    body: Option<syn::Type>,
    success: Option<syn::Type>,
    error: Option<syn::Type>,
}

/// The inherent and trait impls of the generated `builder` module, by the last segment of
/// their type's path, each list in item order; built once per file, so that looking up every
/// operation costs the number of items plus the number of operations, not their product.
fn builder_impls(file: &syn::File) -> HashMap<String, Vec<&syn::ItemImpl>> {
    let mut impls: HashMap<String, Vec<&syn::ItemImpl>> = HashMap::new();
    let Some(builder) = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
        return impls;
    };
    for item in builder {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(self_ty) = imp.self_ty.as_ref() else { continue };
        if let Some(last) = self_ty.path.segments.last() {
            impls.entry(last.ident.to_string()).or_default().push(imp);
        }
    }
    impls
}

fn operation_types(builders: &HashMap<String, Vec<&syn::ItemImpl>>, builder: Option<&str>) -> OperationTypes {
    let mut types = OperationTypes::default();
    for imp in builder.and_then(|builder| builders.get(builder)).into_iter().flatten() {
        for member in &imp.items {
            let syn::ImplItem::Fn(function) = member else { continue };
            if function.sig.ident == "body" {
                types.body = setter_target(&function.sig);
            } else if function.sig.ident == "send"
                && let syn::ReturnType::Type(_, ty) = &function.sig.output
            {
                let args = generic_args(ty);
                types.success = args.first().and_then(|rv| generic_args(rv).first().cloned());
                types.error = args.get(1).and_then(|e| generic_args(e).first().cloned());
            }
        }
    }
    types
}

/// Makes `types::X` paths absolute: `<client crate>::<vendor>::types::X`.
pub(super) struct Absolute<'a>(pub(super) &'a str);

impl VisitMut for Absolute<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() && path.segments.first().is_some_and(|s| s.ident == "types") {
            let krate = format_ident!("{CLIENT_CRATE}");
            let vendor = format_ident!("{}", self.0);
            let rest = &path.segments;
            *path = syn::parse_quote!(#krate::#vendor::#rest);
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// The source of the vendor's example-contract test file for `examples` (collected from the
/// document before the passes), and notes on examples it could not place.
pub(crate) fn apply(
    vendor: &str,
    file: &syn::File,
    merged: &Merged,
    examples: &[Example],
    index: &Index,
) -> syn::Result<(syn::File, Vec<String>)> {
    let mut notes = Vec::new();
    let mut names = BTreeSet::new();
    let mut tests: Vec<TokenStream> = Vec::new();
    let assert_round_trip = client_paths::parse(ASSERT_ROUND_TRIP);
    let builders = builder_impls(file);
    let variants = super::success_variants::variants(&merged.value);
    for example in examples {
        let builder = index.operation(&example.operation_id).map(|operation| operation.builder.to_string());
        let types = operation_types(&builders, builder.as_deref());
        let (ty, role) = match &example.role {
            Role::Request => (types.body, "request".to_string()),
            // An operation with several success bodies: the example's own status has the type.
            Role::Response(status) if variants.contains_key(&example.operation_id) => {
                let ty =
                    variants[&example.operation_id].iter().find(|v| &v.status == status).and_then(|v| match &v.body {
                        super::success_variants::Body::Json(name) => {
                            let name = format_ident!("{name}");
                            Some(syn::parse_quote!(types::#name))
                        }
                        _ => None,
                    });
                (ty.or(types.error.filter(|_| !status.starts_with('2'))), format!("response_{status}"))
            }
            Role::Response(status) if status.starts_with('2') || status == "default" => {
                (types.success, format!("response_{status}"))
            }
            Role::Response(status) => (types.error, format!("response_{status}")),
        };
        let location = format!("{}#{}", merged.file_of(&example.pointer), example.pointer);
        let Some(mut ty) = ty.filter(|ty| !is_unit(ty)) else {
            notes.push(format!("{location}: no generated type takes this example, so it is not checked"));
            continue;
        };
        Absolute(vendor).visit_type_mut(&mut ty);
        let base = format!("{}_{role}_{}", example.operation_id.to_snake_case(), example.name.to_snake_case());
        let mut base: String = base.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base.insert_str(0, "example_");
        }
        let mut name = base.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        let name = format_ident!("{}", name);
        let json = raw_string(&serde_json::to_string_pretty(&example.value).unwrap_or_default());
        tests.push(quote! {
            #[test]
            fn #name() {
                #assert_round_trip::<#ty>(#location, #json);
            }
        });
    }
    let doc = format!(
        " The example contract for the {vendor} API: every example in its specs (after fixes) decodes into \
         the generated type, and encoding it again gives the same JSON."
    );
    let tokens = quote! {
        #![doc = #doc]

        #(#tests)*
    };
    Ok((syn::parse2(tokens)?, notes))
}

/// A raw string literal holding `text`, with enough `#`s that the text cannot end it.
fn raw_string(text: &str) -> proc_macro2::Literal {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}").parse().unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(tuple) if tuple.elems.is_empty())
}

/// The type arguments of the last segment of `ty` (none when it is not a path type).
fn generic_args(ty: &syn::Type) -> Vec<syn::Type> {
    type_parts(ty).map(|(_, args)| args).unwrap_or_default()
}
