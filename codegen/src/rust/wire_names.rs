//! The wire names back: `spec::rust_names` renamed colliding property names and enum values
//! in the document (`isGlobal` → `isGlobal~2`) so that typify gives them distinct identifiers;
//! here every string of the generated code (serde renames, `Display` and `FromStr` arms,
//! builder messages, docs) gets the wire name again, and only the identifiers stay distinct.
//!
//! Before: `#[serde(rename = "isGlobal~2")] pub is_global_2: bool`;
//! after: `#[serde(rename = "isGlobal")] pub is_global_2: bool`.
//!
//! The new names occur nowhere else in the document, so a string that holds one got it from
//! the renaming.

use std::collections::BTreeMap;

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use quote::ToTokens;
use serde_json::{Map, Value};

/// Puts the wire names of `renamed` (new → wire) back into the string literals of `file`.
pub(crate) fn apply(file: &mut syn::File, renamed: &BTreeMap<String, String>) -> syn::Result<()> {
    if renamed.is_empty() {
        return Ok(());
    }
    let tokens = restore(file.to_token_stream(), renamed);
    *file = syn::parse2(tokens)?;
    Ok(())
}

fn restore(tokens: TokenStream, renamed: &BTreeMap<String, String>) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let mut restored = Group::new(group.delimiter(), restore(group.stream(), renamed));
                restored.set_span(group.span());
                TokenTree::Group(restored)
            }
            TokenTree::Literal(literal) => {
                let Ok(string) = syn::parse_str::<syn::LitStr>(&literal.to_string()) else {
                    return TokenTree::Literal(literal);
                };
                let value = string.value();
                let restored = restore_str(&value, renamed);
                if restored == value {
                    return TokenTree::Literal(literal);
                }
                let mut replaced = Literal::string(&restored);
                replaced.set_span(literal.span());
                TokenTree::Literal(replaced)
            }
            other => other,
        })
        .collect()
}

/// `text` with every new name of `renamed` replaced by its wire name.
fn restore_str(text: &str, renamed: &BTreeMap<String, String>) -> String {
    // Longest names first, so that `a~2` inside `a~2~3` is not replaced on its own.
    let mut by_length: Vec<(&String, &String)> = renamed.iter().collect();
    by_length.sort_by_key(|(new, _)| std::cmp::Reverse(new.len()));
    by_length.iter().fold(text.to_string(), |text, (new, wire)| text.replace(*new, wire))
}

/// Puts the wire names of `renamed` back into every string and object key of a JSON value
/// (the document the mock test serves, and JSON bodies in generated code).
pub(crate) fn restore_json(value: &mut Value, renamed: &BTreeMap<String, String>) {
    if renamed.is_empty() {
        return;
    }
    match value {
        Value::String(text) => *text = restore_str(text, renamed),
        Value::Array(items) => items.iter_mut().for_each(|item| restore_json(item, renamed)),
        Value::Object(object) => {
            *object = std::mem::take(object)
                .into_iter()
                .map(|(key, mut value)| {
                    restore_json(&mut value, renamed);
                    (restore_str(&key, renamed), value)
                })
                .collect::<Map<String, Value>>();
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restores_strings_and_keeps_identifiers() {
        let mut file: syn::File = syn::parse_quote! {
            /// The `isGlobal~2` flag.
            pub struct Filter {
                #[serde(rename = "isGlobal~2")]
                pub is_global_2: bool,
            }
            fn message() -> String { format!("error converting supplied value for isGlobal~2: {}", 1) }
        };
        let renamed = BTreeMap::from([("isGlobal~2".to_string(), "isGlobal".to_string())]);
        apply(&mut file, &renamed).expect("the restored file parses");
        let text = prettyplease::unparse(&file);
        assert!(text.contains(r#"#[serde(rename = "isGlobal")]"#), "{text}");
        assert!(text.contains("pub is_global_2: bool"), "{text}");
        assert!(text.contains("supplied value for isGlobal:"), "{text}");
        assert!(text.contains("The `isGlobal` flag"), "{text}");
        assert!(!text.contains('~'), "{text}");
    }

    #[test]
    fn restores_json_keys_and_strings() {
        let mut value = serde_json::json!({ "required": ["isGlobal~2"], "properties": { "isGlobal~2": {} }, "n": 1 });
        let renamed = BTreeMap::from([("isGlobal~2".to_string(), "is\"Global".to_string())]);
        restore_json(&mut value, &renamed);
        assert_eq!(
            value,
            serde_json::json!({ "required": ["is\"Global"], "properties": { "is\"Global": {} }, "n": 1 })
        );
    }
}
