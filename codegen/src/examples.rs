//! The examples of a document, and the example contract: a generated test per example that
//! decodes it into the generated Rust type and checks that encoding it again gives the same
//! JSON (no field dropped, renamed or invented; nulls kept).

use std::collections::{BTreeSet, HashMap};

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};
use syn::visit_mut::VisitMut;

use crate::merge::{METHODS, Merged, escape_pointer};

/// Which message of an operation an example shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    Request,
    /// A response, by status (`200`, `4XX`, `default`).
    Response(String),
}

/// One example found in a document.
#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub operation_id: String,
    pub role: Role,
    /// Where the example is: a JSON pointer into the merged document.
    pub pointer: String,
    /// The schema the example is for.
    pub schema: Value,
    /// The example's name (`Invite Members`), `example`, or `property examples`.
    pub name: String,
    pub value: Value,
}

/// Every request and response example of every operation: media type `example` and
/// `examples`, a body schema's own `example`, and an instance composed of the body schema's
/// property `example`s (so those are checked too).
pub(crate) fn collect(doc: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return out };
    for (path, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let operation_id = operation.get("operationId").and_then(Value::as_str).unwrap_or_default().to_string();
            let base = format!("/paths/{}/{method}", escape_pointer(path));
            let mut bodies = Vec::new();
            if let Some(body) = operation.get("requestBody") {
                bodies.push((Role::Request, format!("{base}/requestBody"), body));
            }
            if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    bodies.push((
                        Role::Response(status.clone()),
                        format!("{base}/responses/{}", escape_pointer(status)),
                        response,
                    ));
                }
            }
            for (role, pointer, body) in bodies {
                let Some(content) = body.get("content").and_then(Value::as_object) else { continue };
                for (media, media_type) in content {
                    if media != "application/json" && !media.starts_with("application/json;") {
                        continue;
                    }
                    let media_pointer = format!("{pointer}/content/{}", escape_pointer(media));
                    let schema = media_type.get("schema").cloned().unwrap_or(Value::Null);
                    let mut push = |pointer: String, name: &str, value: Value| {
                        out.push(Example {
                            operation_id: operation_id.clone(),
                            role: role.clone(),
                            pointer,
                            schema: schema.clone(),
                            name: name.to_string(),
                            value,
                        });
                    };
                    if let Some(value) = media_type.get("example") {
                        push(format!("{media_pointer}/example"), "example", value.clone());
                    }
                    for (name, example) in media_type.get("examples").and_then(Value::as_object).into_iter().flatten() {
                        if let Some(value) = example.get("value") {
                            push(
                                format!("{media_pointer}/examples/{}/value", escape_pointer(name)),
                                name,
                                value.clone(),
                            );
                        }
                    }
                    let resolved = resolve(doc, &schema);
                    if let Some(value) = resolved.get("example") {
                        push(format!("{media_pointer}/schema/example"), "schema example", value.clone());
                    } else if let Some(value) = compose(doc, &schema, 0) {
                        push(format!("{media_pointer}/schema"), "property examples", value);
                    }
                }
            }
        }
    }
    out
}

/// Follows `$ref`s to local schemas (a bounded number of times, for cycles).
pub(crate) fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut current = schema;
    for _ in 0..32 {
        match current.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => match doc.pointer(pointer) {
                Some(target) => current = target,
                None => return current,
            },
            None => return current,
        }
    }
    current
}

/// An instance built from property `example`s; `None` when the schema has none at all.
fn compose(doc: &Value, schema: &Value, depth: usize) -> Option<Value> {
    if depth > 16 {
        return None;
    }
    let schema = resolve(doc, schema);
    if let Some(example) = schema.get("example") {
        return Some(example.clone());
    }
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        // An empty list is a valid instance when the items have no examples.
        let item = schema.get("items").and_then(|items| compose(doc, items, depth + 1));
        return Some(Value::Array(item.into_iter().collect()));
    }
    let properties = schema.get("properties").and_then(Value::as_object)?;
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let mut object = Map::new();
    let mut from_examples = false;
    for (name, property) in properties {
        match compose(doc, property, depth + 1) {
            Some(value) => {
                from_examples |= !value.as_array().is_some_and(Vec::is_empty);
                object.insert(name.clone(), value);
            }
            // Without a value for a required property the instance would be invalid.
            None if required.contains(&name.as_str()) => return None,
            None => {}
        }
    }
    from_examples.then_some(Value::Object(object))
}

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

fn operation_types(builders: &HashMap<String, Vec<&syn::ItemImpl>>, operation_id: &str) -> OperationTypes {
    let builder_name = operation_id.to_string().replace(['-', ' ', '.'], "_");
    let builder_name = heck::ToUpperCamelCase::to_upper_camel_case(builder_name.as_str());
    let mut types = OperationTypes::default();
    for imp in builders.get(&builder_name).into_iter().flatten() {
        for member in &imp.items {
            let syn::ImplItem::Fn(function) = member else { continue };
            if function.sig.ident == "body" {
                types.body = try_into_target(&function.sig);
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

/// `X` from a `V: TryInto<X>` bound.
fn try_into_target(sig: &syn::Signature) -> Option<syn::Type> {
    for predicate in &sig.generics.where_clause.as_ref()?.predicates {
        let syn::WherePredicate::Type(predicate) = predicate else { continue };
        for bound in &predicate.bounds {
            if let syn::TypeParamBound::Trait(bound) = bound
                && let Some(last) = bound.path.segments.last()
                && last.ident == "TryInto"
                && let syn::PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(syn::GenericArgument::Type(ty)) = args.args.first()
            {
                return Some(ty.clone());
            }
        }
    }
    None
}

fn generic_args(ty: &syn::Type) -> Vec<syn::Type> {
    let syn::Type::Path(path) = ty else { return Vec::new() };
    let Some(last) = path.path.segments.last() else { return Vec::new() };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return Vec::new() };
    args.args
        .iter()
        .filter_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        })
        .collect()
}

/// Makes `types::X` paths absolute: `periskope_wapikit::<vendor>::types::X`.
struct Absolute<'a>(&'a str);

impl VisitMut for Absolute<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() && path.segments.first().is_some_and(|s| s.ident == "types") {
            let vendor = format_ident!("{}", self.0);
            let rest = &path.segments;
            *path = syn::parse_quote!(periskope_wapikit::#vendor::#rest);
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// The source of the vendor's example-contract test file, and notes on examples it could
/// not place.
pub(crate) fn contract_tests(
    vendor: &str,
    file: &syn::File,
    merged: &Merged,
    examples: &[Example],
) -> syn::Result<(syn::File, Vec<String>)> {
    let mut notes = Vec::new();
    let mut names = BTreeSet::new();
    let mut tests: Vec<TokenStream> = Vec::new();
    let builders = builder_impls(file);
    for example in examples {
        let types = operation_types(&builders, &example.operation_id);
        let (ty, role) = match &example.role {
            Role::Request => (types.body, "request".to_string()),
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
                crate::common::assert_round_trip::<#ty>(#location, #json);
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
