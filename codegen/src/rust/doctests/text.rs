//! The doctest's text around the formatted call: the JSON of `json!` calls put in after
//! formatting (the formatter prints a macro's tokens on one line), the function around the
//! example hidden, progenitor's `ignore` snippet replaced.

use serde_json::Value;

/// `formatted` with every JSON placeholder of `json` replaced by its value's pretty-printed
/// JSON (`json_text`, as `json!` takes it).
pub(crate) fn insert_all_json(formatted: &str, json: &[(String, Value)]) -> String {
    json.iter().fold(formatted.to_string(), |text, (placeholder, value)| {
        insert_json(&text, placeholder, &super::pretty_json(value).unwrap_or_default())
    })
}

pub(super) fn json_placeholder(index: usize) -> String {
    format!("__json_{index}__")
}

/// `formatted` with `placeholder` replaced by the lines of `json`, indented like the line
/// the placeholder is on.
fn insert_json(formatted: &str, placeholder: &str, json: &str) -> String {
    let mut out = String::new();
    for line in formatted.lines() {
        if line.contains(placeholder) {
            let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
            let json = json.lines().collect::<Vec<_>>().join(&format!("\n{indent}"));
            out.push_str(&line.replace(placeholder, &json));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// `docs` with progenitor's `ignore` snippet replaced by `code` (or `code` appended).
pub(super) fn replace_snippet(docs: &str, code: &str) -> String {
    let example = format!("# Example\n\n```no_run\n{code}```");
    if let Some(start) = docs.find("```ignore")
        && let Some(length) = docs[start + 3..].find("```")
    {
        let end = start + 3 + length + 3;
        return format!("{}{example}{}", &docs[..start], &docs[end..]);
    }
    format!("{}\n\n{example}", docs.trim_end())
}

/// The doctest text from the formatted `async fn example() { .. }`: the body shown, the
/// function around it hidden, a blank line after the imports and after the client.
pub(super) fn doctest(formatted: &str) -> String {
    let lines: Vec<&str> = formatted.lines().collect();
    let mut out = String::from("# async fn example() -> Result<(), Box<dyn std::error::Error>> {\n");
    let body = lines.get(1..lines.len().saturating_sub(2)).unwrap_or_default();
    for (index, line) in body.iter().enumerate() {
        let line = line.strip_prefix("    ").unwrap_or(line);
        out.push_str(line);
        out.push('\n');
        let next = body.get(index + 1).map(|next| next.trim_start()).unwrap_or_default();
        let ends_imports = line.starts_with("use ") && !next.starts_with("use ");
        if ends_imports || line.starts_with("let client = ") {
            out.push('\n');
        }
    }
    out.push_str("# Ok(())\n# }\n");
    out
}
