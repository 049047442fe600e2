//! Each operation sends the client's key as its document's `security` says: the first
//! requirement the client can satisfy (one scheme it sends, or `{}`, none) is the operation's,
//! taken from its own `security` or else the document's; `security: []`, or no `security`
//! anywhere, means no credentials. The builder's `send()` tells the client crate which scheme
//! applies; a vendor whose `api_client!` declares `auth:` overrides it there, on every request.
//!
//! | scheme in `components.securitySchemes` | sent as |
//! | --- | --- |
//! | `type: http, scheme: bearer`, `oauth2`, `openIdConnect` | `crate::Auth::Bearer` (the key is the token) |
//! | `type: http, scheme: basic` | `crate::Auth::Basic` (the key written `user:password`) |
//! | `type: apiKey, in: header` / `query` / `cookie` | `crate::Auth::Header` / `Query` / `Cookie` with its `name` |
//!
//! A requirement that names several schemes (an application id and a key) sends each, under
//! its name in `components.securitySchemes`: the client sends the credential set for that name
//! (`ClientBuilder::credential`), else its key; schemes sent the same way (two bearer schemes)
//! are sent once. A requirement with another `http` scheme, a `mutualTLS` scheme or one the
//! document does not define is skipped, with a note; when no requirement is left the operation
//! sends no credentials, and the note says so.
//!
//! Before (in the builder's `send()`), for `security: [{bearerAuth: []}]`:
//!
//! ```ignore
//! let mut request = client.client.post(url).json(&body).build().map_err(..)?;
//! let info = OperationInfo { operation_id: "invite_members" };
//! ```
//!
//! After:
//!
//! ```ignore
//! let mut request = client.client.post(url).json(&body).build().map_err(..)?;
//! crate::auth::apply(&client.inner, &mut request, "bearerAuth", crate::Auth::Bearer)
//!     .map_err(crate::error::invalid_request("invite_members"))?;
//! let info = OperationInfo { operation_id: "invite_members" };
//! ```

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::index::{Index, builder_impls_mut};
use crate::client_paths::{APPLY_AUTH, AUTH, INVALID_REQUEST, parse as parse_path};
use crate::openapi::{self, resolve_or_self};

/// A scheme the client crate sends (`crate::Auth`'s variants).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scheme {
    Bearer,
    Basic,
    Header(String),
    Query(String),
    Cookie(String),
}

impl Scheme {
    fn tokens(&self) -> TokenStream {
        let auth = parse_path(AUTH);
        match self {
            Scheme::Bearer => quote!(#auth::Bearer),
            Scheme::Basic => quote!(#auth::Basic),
            Scheme::Header(name) => quote!(#auth::Header(#name)),
            Scheme::Query(name) => quote!(#auth::Query(#name)),
            Scheme::Cookie(name) => quote!(#auth::Cookie(#name)),
        }
    }
}

/// Applies the pass: one call per `send()` of an operation that requires a scheme, and a note
/// per `security` list a requirement of which is skipped.
pub(crate) fn apply(file: &mut syn::File, doc: &Value, index: &Index) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    let global = doc.get("security").map(|security| choose(doc, security));
    if let Some((chosen, skipped)) = &global {
        notes.extend(note("`security` (of every operation without its own)", chosen, skipped));
    }
    let mut schemes: BTreeMap<String, Chosen> = BTreeMap::new();
    for operation in openapi::operations(doc) {
        let Some(id) = operation.id() else { continue };
        let chosen = match operation.operation.get("security") {
            Some(own) => {
                let (chosen, skipped) = choose(doc, own);
                notes.extend(note(&format!("{} ({id})", operation.label()), &chosen, &skipped));
                chosen
            }
            None => global.as_ref().map(|(chosen, _)| chosen.clone()).unwrap_or_default(),
        };
        if !chosen.is_empty() {
            schemes.insert(id.to_string(), chosen);
        }
    }
    let mut builders = builder_impls_mut(file);
    for item in index.operations() {
        let Some(scheme) = schemes.get(&item.id) else { continue };
        let label = format!("{} ({})", item.label(), item.id);
        let imp = builders
            .get_mut(&item.builder.to_string())
            .ok_or_else(|| format!("{label}: no builder `{}` to send its credentials", item.builder))?;
        let send = imp
            .items
            .iter_mut()
            .find_map(|member| match member {
                syn::ImplItem::Fn(method) if method.sig.ident == "send" => Some(method),
                _ => None,
            })
            .ok_or_else(|| format!("{label}: `{}` has no `send()` to send its credentials", item.builder))?;
        insert_apply(&mut send.block, scheme).map_err(|why| format!("{label}: `{}::send`: {why}", item.builder))?;
    }
    Ok(notes)
}

/// The schemes of the requirement an operation sends, each with its name in
/// `components.securitySchemes`; empty: no credentials.
type Chosen = Vec<(String, Scheme)>;

/// The note for a `security` list (`what`) some of whose requirements are skipped.
fn note(what: &str, chosen: &Chosen, skipped: &[String]) -> Option<String> {
    if skipped.is_empty() {
        return None;
    }
    let sends: Vec<String> = chosen
        .iter()
        .map(|(name, scheme)| match scheme {
            Scheme::Bearer => format!("`{name}` as a bearer token"),
            Scheme::Basic => format!("`{name}` as basic credentials"),
            Scheme::Header(header) => format!("`{name}` in the `{header}` header"),
            Scheme::Query(parameter) => format!("`{name}` in the `{parameter}` query parameter"),
            Scheme::Cookie(cookie) => format!("`{name}` in the `{cookie}` cookie"),
        })
        .collect();
    let sends =
        if sends.is_empty() { "sends no credentials".to_string() } else { format!("sends {}", sends.join(" and ")) };
    Some(format!("{what}: {sends}; skipped what the client cannot satisfy: {}", skipped.join(", ")))
}

/// The schemes of the first requirement of `security` the client can satisfy (empty: no
/// credentials, for `{}`, an empty list or none it can satisfy), and why each requirement
/// before it was skipped. A requirement of several schemes sends each (the client's key, or
/// the credential set for that scheme's name); schemes sent the same way (two bearer
/// schemes) are sent once.
fn choose(doc: &Value, security: &Value) -> (Chosen, Vec<String>) {
    let mut skipped = Vec::new();
    for requirement in security.as_array().into_iter().flatten() {
        let Some(names) = requirement.as_object() else {
            skipped.push(format!("`{requirement}` (not a requirement object)"));
            continue;
        };
        let mut chosen: Chosen = Vec::new();
        let mut refused = Vec::new();
        for name in names.keys() {
            match scheme(doc, name) {
                Ok(scheme) if chosen.iter().any(|(_, sent)| *sent == scheme) => {}
                Ok(scheme) => chosen.push((name.clone(), scheme)),
                Err(why) => refused.push(format!("`{name}` ({why})")),
            }
        }
        if refused.is_empty() {
            return (chosen, skipped);
        }
        if names.len() > 1 {
            let all: Vec<String> = names.keys().map(|name| format!("`{name}`")).collect();
            skipped.push(format!("{} (together; {})", all.join(" + "), refused.join(", ")));
        } else {
            skipped.extend(refused);
        }
    }
    (Vec::new(), skipped)
}

/// The scheme `name` of `components.securitySchemes`, or why the client cannot send it.
fn scheme(doc: &Value, name: &str) -> Result<Scheme, String> {
    let defined = doc
        .pointer("/components/securitySchemes")
        .and_then(|schemes| schemes.get(name))
        .ok_or("not in `components.securitySchemes`")?;
    let defined = resolve_or_self(doc, defined);
    let field = |key: &str| defined.get(key).and_then(Value::as_str).unwrap_or_default();
    match field("type") {
        "http" => match field("scheme").to_ascii_lowercase().as_str() {
            "bearer" => Ok(Scheme::Bearer),
            "basic" => Ok(Scheme::Basic),
            other => Err(format!("http `{other}`, which the client does not send")),
        },
        "oauth2" | "openIdConnect" => Ok(Scheme::Bearer),
        "apiKey" => {
            let key_name = field("name");
            match field("in") {
                "header" if is_token(key_name) => Ok(Scheme::Header(key_name.to_ascii_lowercase())),
                "query" if !key_name.is_empty() => Ok(Scheme::Query(key_name.to_string())),
                "cookie" if is_token(key_name) => Ok(Scheme::Cookie(key_name.to_string())),
                place => Err(format!("an API key in `{place}` named `{key_name}`, which HTTP cannot carry there")),
            }
        }
        "mutualTLS" => Err("a TLS client certificate, which the client does not configure".into()),
        other => Err(format!("of type `{other}`, which the client does not send")),
    }
}

/// Whether `text` is an HTTP token (a header or cookie name).
fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Inserts the calls that apply each of `chosen` before the `OperationInfo` of `block` (a
/// `send()`), where `request` is built and `client` holds the runtime; a call's error names the
/// operation as the `OperationInfo` does.
fn insert_apply(block: &mut syn::Block, chosen: &[(String, Scheme)]) -> Result<(), String> {
    let (at, operation) = block
        .stmts
        .iter()
        .enumerate()
        .find_map(|(at, stmt)| Some((at, operation_info(stmt)?)))
        .ok_or("no `OperationInfo`")?;
    if !sends_request_of_client(block) {
        return Err("no `client.exec(request, ..)`".into());
    }
    let (apply, invalid_request) = (parse_path(APPLY_AUTH), parse_path(INVALID_REQUEST));
    for (offset, (name, scheme)) in chosen.iter().enumerate() {
        let scheme = scheme.tokens();
        let call: syn::Stmt = syn::parse_quote! {
            #apply(&client.inner, &mut request, #name, #scheme).map_err(#invalid_request(#operation))?;
        };
        block.stmts.insert(at + offset, call);
    }
    Ok(())
}

/// The `operation_id` of `let info = OperationInfo { operation_id: ".." };`.
fn operation_info(stmt: &syn::Stmt) -> Option<syn::LitStr> {
    let syn::Stmt::Local(local) = stmt else { return None };
    let syn::Expr::Struct(info) = local.init.as_ref()?.expr.as_ref() else { return None };
    if !info.path.is_ident("OperationInfo") {
        return None;
    }
    info.fields.iter().find_map(|field| match (&field.member, &field.expr) {
        (syn::Member::Named(name), syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. }))
            if name == "operation_id" =>
        {
            Some(id.clone())
        }
        _ => None,
    })
}

/// Whether `block` sends `request` with `client.exec(request, ..)`, the names the inserted
/// call uses.
fn sends_request_of_client(block: &mut syn::Block) -> bool {
    struct Find(bool);
    impl VisitMut for Find {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            let is = |expr: &syn::Expr, name: &str| matches!(expr, syn::Expr::Path(path) if path.path.is_ident(name));
            if call.method == "exec"
                && is(&call.receiver, "client")
                && call.args.first().is_some_and(|a| is(a, "request"))
            {
                self.0 = true;
            }
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    let mut find = Find(false);
    // The crate enables syn's mutable visitor only; the walk changes nothing.
    find.visit_block_mut(&mut block.clone());
    find.0
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(security: Value) -> Value {
        json!({
            "components": { "securitySchemes": {
                "bearer": { "type": "http", "scheme": "Bearer" },
                "basic": { "type": "http", "scheme": "basic" },
                "digest": { "type": "http", "scheme": "digest" },
                "header": { "type": "apiKey", "in": "header", "name": "X-Api-Key" },
                "query": { "type": "apiKey", "in": "query", "name": "api_key" },
                "cookie": { "type": "apiKey", "in": "cookie", "name": "session" },
                "oauth": { "type": "oauth2", "flows": {} },
                "oidc": { "type": "openIdConnect", "openIdConnectUrl": "https://example.com" },
                "tls": { "type": "mutualTLS" },
                "badHeader": { "type": "apiKey", "in": "header", "name": "x key" },
            } },
            "security": security,
        })
    }

    fn chosen(security: Value) -> (Option<Scheme>, Vec<String>) {
        let doc = doc(security);
        let (chosen, skipped) = choose(&doc, &doc["security"]);
        assert!(chosen.len() <= 1, "{chosen:?}");
        (chosen.into_iter().next().map(|(_, scheme)| scheme), skipped)
    }

    #[test]
    fn each_kind_of_scheme_becomes_the_client_crates() {
        let cases = [
            ("bearer", Scheme::Bearer),
            ("basic", Scheme::Basic),
            ("header", Scheme::Header("x-api-key".into())),
            ("query", Scheme::Query("api_key".into())),
            ("cookie", Scheme::Cookie("session".into())),
            ("oauth", Scheme::Bearer),
            ("oidc", Scheme::Bearer),
        ];
        for (name, expected) in cases {
            assert_eq!(chosen(json!([{ name: [] }])), (Some(expected), Vec::new()), "{name}");
        }
    }

    #[test]
    fn the_first_requirement_the_client_can_satisfy_is_used() {
        let (scheme, skipped) = chosen(
            json!([{ "digest": [] }, { "header": [], "tls": [] }, { "tls": [] }, { "nope": [] }, { "query": [] }, { "bearer": [] }]),
        );
        assert_eq!(scheme, Some(Scheme::Query("api_key".into())));
        assert_eq!(skipped.len(), 4, "{skipped:?}");
        assert!(skipped[0].contains("`digest` (http `digest`"), "{skipped:?}");
        assert!(skipped[1].contains("`header` + `tls` (together; `tls` (a TLS client certificate"), "{skipped:?}");
        assert!(skipped[2].contains("TLS client certificate"), "{skipped:?}");
        assert!(skipped[3].contains("`nope` (not in `components.securitySchemes`)"), "{skipped:?}");
    }

    #[test]
    fn a_requirement_of_several_schemes_sends_each_once() {
        let doc = doc(json!([{ "header": [], "query": [], "bearer": [], "oauth": [] }]));
        let (chosen, skipped) = choose(&doc, &doc["security"]);
        let names: Vec<&str> = chosen.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["header", "query", "bearer"], "`oauth` is a bearer token too: sent once");
        assert!(skipped.is_empty());
    }

    #[test]
    fn no_credentials_for_an_empty_list_an_empty_requirement_or_none_satisfiable() {
        assert_eq!(chosen(json!([])), (None, Vec::new()));
        assert_eq!(chosen(json!([{}, { "bearer": [] }])), (None, Vec::new()));
        let (scheme, skipped) = chosen(json!([{ "badHeader": [] }]));
        assert_eq!(scheme, None);
        assert!(skipped[0].contains("`x key`"), "{skipped:?}");
    }

    #[test]
    fn the_call_goes_before_the_operation_info_and_names_its_operation() {
        let mut block: syn::Block = syn::parse_quote!({
            let Self { client } = self;
            let mut request = client.client.get(url).build()?;
            let info = OperationInfo { operation_id: "list_things" };
            let result = client.exec(request, &info).await;
        });
        insert_apply(&mut block, &[("key".into(), Scheme::Query("api_key".into()))]).expect("inserted");
        let text = quote!(#block).to_string();
        assert!(
            text.contains(
                "crate :: auth :: apply (& client . inner , & mut request , \"key\" , crate :: Auth :: Query (\"api_key\")) . \
                 map_err (crate :: error :: invalid_request (\"list_things\")) ? ; let info"
            ),
            "{text}"
        );
        let mut unusual: syn::Block = syn::parse_quote!({
            let info = OperationInfo { operation_id: "x" };
        });
        assert_eq!(
            insert_apply(&mut unusual, &[("token".into(), Scheme::Bearer)]),
            Err("no `client.exec(request, ..)`".into())
        );
    }
}
