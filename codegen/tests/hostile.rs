//! Hostile input: oversized documents, injection through names and descriptions, and
//! determinism. (The broader corpus of broken documents is `tests/cases/`.)

use std::path::Path;
use std::str::FromStr;

use codegen::{SpecFile, Vendor};
use proc_macro2::{TokenStream, TokenTree};

fn case_file(case: &str, name: &str) -> SpecFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases").join(case).join(name);
    SpecFile { path: name.to_string(), text: std::fs::read_to_string(path).expect("case file") }
}

fn generate(files: &[SpecFile]) -> Result<codegen::Generated, codegen::Error> {
    codegen::generate(
        Vendor { name: "case", documents: files, referenced: &[], fixes: None, skip: &[], strict: false },
        "cargo test",
    )
}

#[test]
fn a_50_mb_document_is_refused_before_parsing() {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx-padding:\n");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(
            "  - aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
        );
    }
    let err = generate(&[SpecFile { path: "huge.yaml".into(), text }]).expect_err("too large");
    let message = err.to_string();
    assert!(message.starts_with("huge.yaml: the document is 50.0 MiB, over the 8 MiB limit"), "{message}");
}

/// Every identifier in `source`, outside literals and doc comments (which are literals in
/// `#[doc = "..."]` attributes once tokenized), and the names of the functions it defines.
fn identifiers(source: &str) -> (Vec<String>, Vec<String>) {
    fn walk(tokens: TokenStream, idents: &mut Vec<String>, functions: &mut Vec<String>) {
        let mut after_fn = false;
        for token in tokens {
            match token {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    if after_fn {
                        functions.push(name.clone());
                    }
                    after_fn = name == "fn";
                    idents.push(name);
                }
                TokenTree::Group(group) => {
                    after_fn = false;
                    walk(group.stream(), idents, functions);
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => after_fn = false,
            }
        }
    }
    let (mut idents, mut functions) = (Vec::new(), Vec::new());
    walk(TokenStream::from_str(source).expect("the output tokenizes"), &mut idents, &mut functions);
    (idents, functions)
}

#[test]
fn names_and_descriptions_cannot_inject_code() {
    let generated = generate(&[case_file("hostile-names", "a.yaml")]).expect("hostile names still generate");
    let file = syn::parse_file(&generated.source).expect("the output parses");
    let (idents, functions) = identifiers(&generated.source);
    // The spec tries to define these functions through descriptions, titles, URLs, property
    // names, enum values and operation ids; none may become an identifier of its own.
    for injected in [
        "pwned",
        "injected_from_info",
        "injected_summary",
        "injected_description",
        "injected_property",
        "injected_name",
        "injected_enum",
        "injected_opid",
        "injected_response",
        "url_injected",
        "v",
    ] {
        assert!(!functions.iter().any(|f| f == injected), "`fn {injected}` became code");
    }
    assert!(!idents.iter().any(|i| i == "pwned" || i.starts_with("injected_")), "hostile text became an identifier");
    // No attribute other than the generator's own: `#[test]` and `#[cfg(any())]` stay text.
    for ident in ["test", "cfg"] {
        assert!(!idents.iter().any(|i| i == ident), "`#[{ident}]` became an attribute");
    }
    assert!(file.items.len() > 3);
    // Doc comments carry the hostile text verbatim, as text.
    assert!(generated.source.contains("fn injected_summary() {}"));
}

#[test]
fn output_does_not_depend_on_document_order_or_run() {
    let a = case_file("repeated-equal-components", "a.yaml");
    let b = case_file("repeated-equal-components", "b.yaml");
    let first = generate(&[a.clone(), b.clone()]).expect("generates").source;
    let again = generate(&[a.clone(), b.clone()]).expect("generates").source;
    let reversed = generate(&[b, a]).expect("generates").source;
    assert_eq!(first, again);
    assert_eq!(first, reversed);
}
