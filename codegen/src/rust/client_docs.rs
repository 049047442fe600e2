//! The generated `Client`'s documentation is ours, not the specification's `info` text.
//!
//! Progenitor documents `Client` with the document's title, description and version; upstream
//! descriptions are written for another audience (Periskope's is its Postman collection's
//! welcome text: "Fork the collection…"). This pass replaces them with what a Rust user needs:
//! what the client is, how to construct it and what its methods return.
//!
//! Before:
//!
//! ```ignore
//! /**Client for API - Local
//!
//! #### Welcome to the official Postman collection of Periskope API
//! ...
//! Version: 1.0.0*/
//! pub struct Client { .. }
//! ```
//!
//! After:
//!
//! ```ignore
//! /**A client for the Periskope API (its specification's version 1.0.0).
//!
//! Create one with `Client::new(api_key)`, `Client::from_env()` or `Client::builder(api_key)`. ..*/
//! pub struct Client { .. }
//! ```

use serde_json::Value;

use super::syntax::set_doc_string;

/// Replaces the docs of the generated `Client` for `vendor`, from the merged document `doc`.
pub(crate) fn apply(file: &mut syn::File, doc: &Value, vendor: &str) {
    let version = doc.pointer("/info/version").and_then(Value::as_str).unwrap_or_default();
    let mut name = vendor.to_string();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let version = if version.is_empty() { String::new() } else { format!(" (its specification's version {version})") };
    let text = format!(
        "A client for the {name} API{version}.\n\n\
         Create one with `Client::new(api_key)`, `Client::from_env()` or `Client::builder(api_key)`; \
         the module's documentation says which environment variables and headers it uses. Each \
         method starts one operation: set its parameters and body on the returned builder, then \
         `send()` it, which returns the decoded response as a [`ResponseValue`](crate::ResponseValue) \
         or this module's `Error`."
    );
    for item in &mut file.items {
        if let syn::Item::Struct(def) = item
            && def.ident == "Client"
        {
            set_doc_string(&mut def.attrs, &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_specification_text() {
        let mut file: syn::File = syn::parse_str(
            r#"
            #[derive(Clone, Debug)]
            #[doc = "Client for API - Local\n\n#### Welcome to the official Postman collection\n\nVersion: 1.0.0"]
            pub struct Client { pub(crate) baseurl: String }
            "#,
        )
        .expect("test source parses");
        apply(&mut file, &serde_json::json!({ "info": { "version": "1.0.0" } }), "periskope");
        let out = prettyplease::unparse(&file);
        assert!(out.contains("A client for the Periskope API (its specification's version 1.0.0)."), "{out}");
        assert!(out.contains("[`ResponseValue`](crate::ResponseValue)"), "{out}");
        assert!(!out.contains("Postman") && !out.contains("API - Local"), "{out}");
        assert!(out.contains("#[derive(Clone, Debug)]"), "{out}");
    }
}
