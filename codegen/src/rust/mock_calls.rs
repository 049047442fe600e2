//! The mock calls: a generated test file per vendor with one call per operation method, the
//! call its doctest shows (`rust::doctests` builds both), which the client crate's
//! `tests/prism.rs` sends to a Prism mock server serving the vendor's document.
//!
//! In `tests/generated/<vendor>_mock_calls.rs`:
//!
//! ```text
//! pub const OPERATIONS: &[(&str, &str, bool)] = &[("invite_members", "POST /members/invite", true)];
//!
//! pub async fn send(client: &Client, method: &str) -> Option<Result<crate::Outcome, Box<dyn std::error::Error>>> {
//!     Some(match method {
//!         "invite_members" => call_invite_members(client).await,
//!         _ => return None,
//!     })
//! }
//!
//! async fn call_invite_members(client: &Client) -> Result<crate::Outcome, Box<dyn std::error::Error>> {
//!     let response = client.invite_members().body(types::InviteMembersBody::builder().emails(..)).send().await;
//!     Ok(response.into())
//! }
//! ```
//!
//! A method whose inputs the samples cannot express is listed with `false` and has no call, so
//! that the test reports it as not covered.

use std::collections::BTreeMap;

use quote::{format_ident, quote};
use serde_json::Value;

use super::doctests::{Call, insert_all_json};
use crate::client_paths::{self, CLIENT_CRATE, MOCK_OUTCOME, NULLABLE_NAME};

/// The formatted source of `vendor`'s mock-call test file for `calls`, with the wire names of
/// `renamed` restored.
pub(crate) fn apply(vendor: &str, calls: &[Call], renamed: &BTreeMap<String, String>) -> syn::Result<String> {
    let krate = format_ident!("{CLIENT_CRATE}");
    let module: syn::Ident = syn::parse_str(vendor)?;
    let outcome = client_paths::parse(MOCK_OUTCOME);
    let coded = || calls.iter().filter_map(|call| call.code.as_ref().map(|code| (call, code)));
    let types = coded().any(|(_, code)| code.uses_types).then(|| quote!(use #krate::#module::types;));
    let nullable_name = format_ident!("{NULLABLE_NAME}");
    let nullable = coded().any(|(_, code)| code.uses_nullable).then(|| quote!(use #krate::#nullable_name;));
    let listed = calls.iter().map(|call| {
        let name = method_name(&call.method);
        let request = &call.request;
        let covered = call.code.is_some();
        quote!((#name, #request, #covered))
    });
    let arms = coded().map(|(call, _)| {
        let name = method_name(&call.method);
        let function = format_ident!("call_{name}");
        quote!(#name => #function(client).await,)
    });
    let functions = coded().map(|(call, code)| {
        let function = format_ident!("call_{}", method_name(&call.method));
        let doc = format!(" `{}`: `{}`.", call.request, method_name(&call.method));
        let (prelude, send) = (&code.prelude, &code.send);
        quote! {
            #[doc = #doc]
            async fn #function(client: &Client) -> Result<#outcome, Box<dyn std::error::Error>> {
                #prelude
                let response = #send.await;
                Ok(response.into())
            }
        }
    });
    let doc = format!(
        " One call per operation method of the {vendor} API, built from the specification's sample values like \
         the method's doctest: `tests/prism.rs` sends each to a Prism mock server serving `{vendor}.openapi.json`."
    );
    let tokens = quote! {
        #![doc = #doc]

        use #krate::#module::Client;
        #types
        #nullable

        /// Every operation method: its name, the request it sends, and whether this file has a call for it.
        pub const OPERATIONS: &[(&str, &str, bool)] = &[#(#listed),*];

        /// Sends the call of the operation method `method`; `None` when this file has none.
        pub async fn send(client: &Client, method: &str) -> Option<Result<#outcome, Box<dyn std::error::Error>>> {
            Some(match method {
                #(#arms)*
                _ => return None,
            })
        }

        #(#functions)*
    };
    let mut file: syn::File = syn::parse2(tokens)?;
    super::wire_names::apply(&mut file, renamed)?;
    // The JSON bodies are inserted after formatting (see `doctests`), so their names are
    // restored here.
    let json: Vec<(String, Value)> = coded()
        .flat_map(|(_, code)| code.json.iter())
        .map(|(placeholder, value)| {
            let mut value = value.clone();
            super::wire_names::restore_json(&mut value, renamed);
            (placeholder.clone(), value)
        })
        .collect();
    Ok(insert_all_json(&prettyplease::unparse(&file), &json))
}

/// The method's name without the raw-identifier prefix (`r#type` → `type`).
fn method_name(method: &syn::Ident) -> String {
    method.to_string().trim_start_matches("r#").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rust::doctests::CallCode;

    /// A body sample with an integer beyond `i32` (written `_i64` for `json!`) and a renamed
    /// property keeps both in the mock call: the values travel as JSON values, not as text.
    #[test]
    fn a_body_keeps_its_wide_integers_and_wire_names() {
        let placeholder = format_ident!("__json_0__");
        let code = CallCode {
            prelude: quote!(let body: types::Thing = serde_json::from_value(serde_json::json!(#placeholder))?;),
            send: quote!(client.create_thing(body).send()),
            uses_types: true,
            uses_nullable: false,
            json: vec![("__json_0__".into(), serde_json::json!({ "size_2": 4294967296_u64 }))],
            streamed: false,
        };
        let call = Call { method: format_ident!("create_thing"), request: "POST /things".into(), code: Some(code) };
        let renamed: BTreeMap<String, String> = [("size_2".to_string(), "size".to_string())].into_iter().collect();
        let out = apply("demo", &[call], &renamed).expect("the file is built");
        assert!(out.contains("\"size\": 4294967296_i64"), "{out}");
        assert!(!out.contains("json!(null)"), "{out}");
    }
}
