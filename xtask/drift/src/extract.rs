//! Getting OpenAPI documents out of what upstream serves: the fenced YAML of a Markdown docs
//! page, a whole YAML file, and the links of a discovery index.

use std::ops::Range;

use anyhow::{Result, anyhow, bail};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_json::Value;

use codegen::openapi::{self, is_method};

/// The OpenAPI document embedded in a docs page.
#[derive(Debug)]
pub struct FencedDocument {
    /// The YAML between the fence lines, each line with its newline (upstream's text, verbatim
    /// apart from CRLF line ends becoming LF).
    pub yaml: String,
    /// Line of the page on which the YAML starts (1-based), for error locations.
    pub first_line: usize,
    /// The method named by the fence's info string, lowercase (`post`).
    pub method: String,
    /// The path named by the fence's info string (`/members/invite`).
    pub path: String,
}

/// Where a YAML text came from, for error locations: a URL or file, and how many lines of
/// that resource come before the text.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The URL or file path shown in messages.
    pub name: &'a str,
    /// Lines before the YAML text in that resource.
    pub line_offset: usize,
}

struct Fence {
    info: String,
    range: Range<usize>,
    text: String,
}

/// Finds the one fence whose info string is `yaml METHOD /path` in a Markdown page.
///
/// The page is parsed as CommonMark, so a fence inside another fence (code samples in a
/// description) is text, not a fence. No such fence, two of them, or one that is never
/// closed (a truncated page) is an error naming the URL and line.
pub fn openapi_fence(url: &str, page: &str) -> Result<FencedDocument> {
    let mut fences = Vec::new();
    let mut current: Option<Fence> = None;
    for (event, range) in Parser::new(page).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                current = Some(Fence { info: info.to_string(), range, text: String::new() });
            }
            Event::Text(text) => {
                if let Some(fence) = current.as_mut() {
                    fence.text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => fences.extend(current.take()),
            _ => {}
        }
    }

    let line_of = |offset: usize| page[..offset].matches('\n').count() + 1;
    let openapi: Vec<(&Fence, String, String)> = fences
        .iter()
        .filter_map(|fence| {
            let mut words = fence.info.split_whitespace();
            let (lang, method, path) = (words.next()?, words.next()?, words.next()?);
            let method = method.to_ascii_lowercase();
            let is_openapi = matches!(lang, "yaml" | "yml") && is_method(&method) && path.starts_with('/');
            is_openapi.then(|| (fence, method, path.to_string()))
        })
        .collect();

    let (fence, method, path) = match openapi.as_slice() {
        [one] => one,
        [] => {
            let seen: Vec<String> =
                fences.iter().map(|f| format!("`{}` at line {}", f.info.trim(), line_of(f.range.start))).collect();
            let seen = if seen.is_empty() { "no fenced code block at all".into() } else { seen.join(", ") };
            bail!(
                "{url}: no ````yaml METHOD /path```` fence with the OpenAPI document (found {seen}); \
                 check that the URL in specs/sources.toml still serves the page's Markdown"
            );
        }
        many => {
            let lines: Vec<String> = many.iter().map(|(f, _, _)| line_of(f.range.start).to_string()).collect();
            bail!(
                "{url}: {} ````yaml METHOD /path```` fences (lines {}); expected exactly one OpenAPI document \
                 per page, so the page layout has changed and this tool needs updating",
                many.len(),
                lines.join(", ")
            );
        }
    };

    let start_line = line_of(fence.range.start);
    if !fence_is_closed(&page[fence.range.clone()]) {
        bail!(
            "{url}:{start_line}: the ````{}```` fence opened here is never closed; the page looks truncated, \
             try again later",
            fence.info.trim()
        );
    }
    Ok(FencedDocument {
        yaml: fence.text.replace("\r\n", "\n"),
        first_line: start_line + 1,
        method: method.clone(),
        path: path.clone(),
    })
}

/// Whether the source of a fenced code block ends with a closing fence at least as long as the
/// opening one (CommonMark lets an unclosed fence run to the end of the document).
fn fence_is_closed(block: &str) -> bool {
    let strip = |line: &str| line.trim_start_matches(|c: char| c == '>' || c.is_whitespace()).trim_end().to_string();
    let mut lines = block.trim_end_matches(['\n', '\r']).lines();
    let Some(opening) = lines.next().map(strip) else { return false };
    let Some(marker) = opening.chars().next().filter(|c| *c == '`' || *c == '~') else { return false };
    let width = opening.chars().take_while(|c| *c == marker).count();
    let Some(closing) = lines.last().map(strip) else { return false };
    closing.len() >= width && closing.chars().all(|c| c == marker)
}

/// Whether a response is an HTML page rather than the Markdown or YAML asked for.
pub fn looks_like_html(content_type: Option<&str>, body: &str) -> bool {
    let html_type = content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("text/html"));
    let start: String = body.trim_start().chars().take(15).collect::<String>().to_ascii_lowercase();
    html_type || start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// Reads an OpenAPI document the way the generator does (`codegen::openapi`): JSON as JSON,
/// YAML as YAML, the version checked, and a 3.1 document rewritten into 3.0 by the generator's
/// own conversion ([`codegen::convert_openapi31`]), so that it compares with a vendored 3.0
/// file on what it means.
///
/// With `check_shape`, the document must also be valid OpenAPI 3.0 as the generator's model
/// reads it (`openapi::typed`), reported where it goes wrong.
pub fn parse_openapi(text: &str, origin: Origin<'_>, check_shape: bool) -> Result<Value> {
    let mut value = read_openapi(text, origin)?;
    to_openapi30(&mut value, origin.name).map_err(|err| located(err, origin, ""))?;
    if check_shape {
        let file = codegen::SpecFile { path: origin.name.to_string(), text: text.to_string() };
        openapi::typed(&value).map_err(|err| located(openapi::shape_error(&file, &err), origin, ""))?;
    }
    Ok(value)
}

/// Rewrites a 3.1 document into 3.0 with the generator's conversion, keeping the version it
/// declares: upstream moving to 3.1 is a change to report, the rest of the rewrite is not.
pub fn to_openapi30(value: &mut Value, name: &str) -> Result<(), codegen::Error> {
    let declared = value.get("openapi").cloned();
    codegen::convert_openapi31(value, name)?;
    if let (Some(declared), Some(object)) = (declared, value.as_object_mut()) {
        object.insert("openapi".into(), declared);
    }
    Ok(())
}

/// Reads an OpenAPI document as it is written (JSON as JSON, YAML as YAML, the version
/// checked), a 3.1 document left in 3.1.
pub fn read_openapi(text: &str, origin: Origin<'_>) -> Result<Value> {
    let file = codegen::SpecFile { path: origin.name.to_string(), text: text.to_string() };
    let syntax = if openapi::is_json_text(&file) { "invalid JSON" } else { "invalid YAML" };
    let value = openapi::read_value(&file).map_err(|err| located(err, origin, syntax))?;
    check_version(&value, origin)?;
    Ok(value)
}

/// Checks that a parsed document says it is OpenAPI 3.0.x or 3.1.x, with the generator's rule.
fn check_version(value: &Value, origin: Origin<'_>) -> Result<()> {
    openapi::check_version(value).map_err(|message| {
        anyhow!("{}: {message}; if upstream moved to another version, the generator must follow first", origin.name)
    })
}

/// The generator's error about the text at `origin`, at `name:line:column` of the page or file
/// (the fence's lines counted in), `what` went wrong first.
fn located(err: codegen::Error, origin: Origin<'_>, what: &str) -> anyhow::Error {
    let what = if what.is_empty() { String::new() } else { format!("{what}: ") };
    match err {
        codegen::Error::Invalid { location, message, .. } => {
            let shifted = location
                .strip_prefix(':')
                .and_then(|rest| rest.split_once(':'))
                .and_then(|(line, column)| {
                    Some(format!(":{}:{column}", line.parse::<usize>().ok()? + origin.line_offset))
                })
                .unwrap_or(location);
            anyhow!("{}{shifted}: {what}{message}", origin.name)
        }
        other => anyhow!("{}: {what}{other}", origin.name),
    }
}

/// The link targets of a Markdown index such as `llms.txt`, with their link text.
pub fn index_links(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => current = Some((dest_url.to_string(), String::new())),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, title)) = current.as_mut() {
                    title.push_str(&text);
                }
            }
            Event::End(TagEnd::Link) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "> ## Documentation Index\n> see llms.txt\n\n# Invite\n\n## OpenAPI\n\n\
                        ````yaml POST /members/invite\nopenapi: 3.0.3\ndescription: |\n  ```js\n  x\n  ```\n````";

    #[test]
    fn finds_the_fence_and_keeps_inner_fences_as_text() {
        let doc = openapi_fence("u", PAGE).expect("one fence");
        assert_eq!(doc.yaml, "openapi: 3.0.3\ndescription: |\n  ```js\n  x\n  ```\n");
        assert_eq!((doc.method.as_str(), doc.path.as_str(), doc.first_line), ("post", "/members/invite", 9));
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        let truncated = &PAGE[..PAGE.len() - 4];
        let err = openapi_fence("u", truncated).expect_err("unclosed");
        assert!(err.to_string().contains("u:8: the ````yaml POST /members/invite```` fence"), "{err}");
    }

    #[test]
    fn two_fences_are_an_error() {
        let twice = format!("{PAGE}\n\n{}", &PAGE[PAGE.find("````").unwrap_or(0)..]);
        let err = openapi_fence("u", &twice).expect_err("two fences");
        assert!(err.to_string().contains("2 ````yaml METHOD /path```` fences (lines 8, 16)"), "{err}");
    }

    #[test]
    fn yaml_errors_point_into_the_page() {
        let err = parse_openapi("openapi: 3.0.3\ninfo: [\n", Origin { name: "u", line_offset: 8 }, true)
            .expect_err("bad yaml");
        assert!(err.to_string().starts_with("u:11:1: invalid YAML"), "{err}");
    }

    #[test]
    fn index_links_are_found() {
        let links = index_links("# Docs\n\n## API\n\n- [Invite](https://d/api/members/invite.md): Invite\n");
        assert_eq!(links, vec![("https://d/api/members/invite.md".to_string(), "Invite".to_string())]);
    }
}
