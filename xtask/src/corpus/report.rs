//! The printed result of `cargo xtask corpus`: one Markdown table row per document, the
//! totals, every refusal grouped by cause with its message, the compile errors grouped by
//! message, and both generators' time on the largest document we accept.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Outcome;
use super::measure::{Run, Status};

/// Causes of refusal, each recognised by a phrase of the generator's message; the first
/// match wins. A message no phrase matches is counted as `other` and printed all the same.
const CAUSES: &[(&str, &[&str])] = &[
    ("document too large", &["MiB limit"]),
    ("not UTF-8", &["is not UTF-8"]),
    ("number out of range", &["number out of range"]),
    ("OpenAPI 3.1", &["`openapi: 3.1"]),
    ("not OpenAPI 3", &["only OpenAPI 3.0.x is supported"]),
    ("no operationId", &["has no `operationId`"]),
    ("duplicate operationId", &["operation ids must be unique"]),
    ("several success bodies", &["success responses have different bodies"]),
    ("several request media types", &["the request body offers"]),
    ("error bodies", &["error responses mix bodies", "error responses have different body schemas"]),
    ("JSON content without schema", &["content without a `schema`"]),
    ("name collision", &["all become the Rust field", "all become the Rust"]),
    ("external $ref", &["points outside the document"]),
    ("dangling $ref", &["points to nothing"]),
    ("$ref cycle", &["reference cycle", "only refer to each other"]),
    ("path parameters", &["no path parameter", "does not appear in the path"]),
    ("path item $ref", &["path item given as `$ref`"]),
    // Progenitor's own errors and panics, by construct where the message says which.
    ("multipart body", &["unexpected content type: multipart/"]),
    ("other body media type", &["unexpected content type:", "invalid schema for application/"]),
    ("query parameter style", &["unsupported style of query parameter"]),
    ("value not conforming to its schema", &["value does not conform to the given schema"]),
    ("schema progenitor cannot type", &["invalid (or unexpected) schema", "un-typed enum"]),
    ("$ref progenitor cannot follow", &["progenitor panicked: $ref"]),
    ("progenitor panic", &["progenitor panicked"]),
    ("progenitor error", &["progenitor could not generate code"]),
    (
        "document syntax",
        &[
            "did not find expected",
            "found unexpected",
            "found unknown",
            "found invalid",
            "control character",
            "unacceptable character",
            "while parsing",
            "while scanning",
        ],
    ),
    (
        "document shape",
        &["invalid type", "unknown variant", "missing field", "did not match any variant", "invalid value"],
    ),
];

/// Why we did not generate a document (empty when we did). A `.json` document whose text is
/// valid JSON but that we refuse for its syntax was read with the YAML parser.
pub fn cause(outcome: &Outcome) -> &'static str {
    let run = &outcome.ours;
    let is_json = outcome.file.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    match run.status {
        Status::Generated => "",
        Status::Panicked => "panic",
        Status::Crashed => "crash",
        Status::TimedOut => "time-out",
        Status::Refused => CAUSES
            .iter()
            .find(|(_, phrases)| phrases.iter().any(|phrase| run.message.contains(phrase)))
            .map_or("other", |(cause, _)| match *cause {
                "document syntax" if is_json && outcome.report.version.is_some() => "JSON read as YAML",
                cause => cause,
            }),
    }
}

/// Everything the command prints.
pub fn render(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    table(&mut out, outcomes);
    totals(&mut out, outcomes);
    refusals(&mut out, outcomes);
    compile_errors(&mut out, outcomes);
    timing(&mut out, outcomes);
    out
}

fn seconds(run: &Run) -> String {
    run.time.map_or_else(|| "–".into(), |time| format!("{:.2}", time.as_secs_f64()))
}

fn operations(outcome: &Outcome) -> String {
    outcome.report.operations.map_or_else(|| "?".into(), |n| n.to_string())
}

fn compiles(outcome: &Outcome) -> String {
    match &outcome.compile {
        None => "–".into(),
        Some(errors) if errors.is_empty() => "yes".into(),
        Some(errors) => format!("no ({} errors)", errors.len()),
    }
}

fn table(out: &mut String, outcomes: &[Outcome]) {
    out.push_str(
        "| document | version | operations | KiB | ours | cause | bare progenitor | compiles | ours (s) | bare (s) |\n\
         | --- | --- | ---: | ---: | --- | --- | --- | --- | ---: | ---: |\n",
    );
    for o in outcomes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            o.name(),
            o.report.version.as_deref().unwrap_or("?"),
            operations(o),
            o.bytes.div_ceil(1024),
            o.ours.status.word(),
            cause(o),
            o.bare.status.word(),
            compiles(o),
            seconds(&o.ours),
            seconds(&o.bare),
        );
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 { "–".into() } else { format!("{:.0}%", 100.0 * part as f64 / whole as f64) }
}

fn totals(out: &mut String, outcomes: &[Outcome]) {
    let total = outcomes.len();
    let count = |f: &dyn Fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let version = |prefix: &str| count(&|o| o.report.version.as_deref().is_some_and(|v| v.starts_with(prefix)));
    let (v30, v31) = (version("3.0"), version("3.1"));
    let ours = count(&|o| o.ours.status == Status::Generated);
    let bare = count(&|o| o.bare.status == Status::Generated);
    let checked = count(&|o| o.compile.is_some());
    let compiled = count(&|o| o.compile.as_ref().is_some_and(Vec::is_empty));
    let openapi3 = v30 + v31;
    let compiled3 = count(&|o| {
        o.compile.as_ref().is_some_and(Vec::is_empty)
            && o.report.version.as_deref().is_some_and(|v| v.starts_with("3.0") || v.starts_with("3.1"))
    });
    let ops: usize = outcomes.iter().filter_map(|o| o.report.operations).sum();
    let ops_compiled: usize = outcomes
        .iter()
        .filter(|o| o.compile.as_ref().is_some_and(Vec::is_empty))
        .filter_map(|o| o.report.operations)
        .sum();
    let _ = writeln!(out, "\n## Totals\n");
    let _ = writeln!(
        out,
        "- documents: {total} ({v30} OpenAPI 3.0, {v31} OpenAPI 3.1, {} other or unreadable), {ops} operations",
        total - openapi3
    );
    let _ = writeln!(
        out,
        "- ours: {ours} generated ({}), {} refused",
        percent(ours, total),
        count(&|o| o.ours.status == Status::Refused)
    );
    let _ = writeln!(out, "- bare progenitor: {bare} generated ({})", percent(bare, total));
    let _ = writeln!(out, "- compiles: {compiled} of the {checked} checked");
    let _ = writeln!(
        out,
        "- generated and compiling: {compiled} of {total} documents ({}); {compiled3} of the {openapi3} OpenAPI 3.0/3.1 \
         documents ({}); {ops_compiled} of {ops} operations",
        percent(compiled, total),
        percent(compiled3, openapi3)
    );
    let refused: Vec<&Outcome> = outcomes.iter().filter(|o| o.ours.status == Status::Refused).collect();
    let located = refused.iter().filter(|o| names_file_and_location(o)).count();
    let _ = writeln!(
        out,
        "- refusals naming the file and a location (line:column, operation or JSON pointer): {located} of {}",
        refused.len()
    );
    for status in [Status::Panicked, Status::Crashed, Status::TimedOut] {
        let _ = writeln!(
            out,
            "- {}: ours {}, bare progenitor {}",
            status.word(),
            count(&|o| o.ours.status == status),
            count(&|o| o.bare.status == status)
        );
    }
}

/// Whether a refusal starts with the document's name and then says where: `:line:column`, an
/// operation (`GET /path`) or a JSON pointer (`#/...`).
fn names_file_and_location(outcome: &Outcome) -> bool {
    let Some(rest) = outcome.ours.message.strip_prefix(&outcome.name()) else { return false };
    let line_column = rest.strip_prefix(':').is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    line_column
        || codegen::openapi::METHODS.iter().any(|method| rest.contains(&format!("{} /", method.to_uppercase())))
        || rest.contains("#/")
}

fn refusals(out: &mut String, outcomes: &[Outcome]) {
    let mut by_cause: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes.iter().filter(|o| o.ours.status != Status::Generated) {
        by_cause.entry(cause(o)).or_default().push(o);
    }
    if by_cause.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Not generated, by cause\n\n| cause | documents | operations |\n| --- | ---: | ---: |");
    for (cause, list) in &by_cause {
        let ops: usize = list.iter().filter_map(|o| o.report.operations).sum();
        let _ = writeln!(out, "| {cause} | {} | {ops} |", list.len());
    }
    for (cause, list) in &by_cause {
        let _ = writeln!(out, "\n### {cause}\n");
        for o in list {
            let _ = writeln!(out, "- {} ({} operations): {}", o.name(), operations(o), o.ours.message);
        }
    }
}

fn compile_errors(out: &mut String, outcomes: &[Outcome]) {
    // headline → (occurrences, documents, a sample)
    let mut groups: BTreeMap<&str, (usize, Vec<String>, &str)> = BTreeMap::new();
    for o in outcomes {
        for error in o.compile.iter().flatten() {
            let entry = groups.entry(&error.headline).or_insert((0, Vec::new(), &error.rendered));
            entry.0 += 1;
            if !entry.1.contains(&o.name()) {
                entry.1.push(o.name());
            }
        }
    }
    if groups.is_empty() {
        return;
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let _ = writeln!(
        out,
        "\n## Compile errors in generated code\n\n| error | occurrences | documents |\n| --- | ---: | --- |"
    );
    for (headline, (count, documents, _)) in &groups {
        let _ = writeln!(out, "| {} | {count} | {} |", headline.replace('|', "\\|"), documents.join(", "));
    }
    let _ = writeln!(out, "\nOne sample of each:\n");
    for (headline, (_, _, sample)) in &groups {
        let lines: Vec<&str> = sample.lines().take(16).collect();
        let _ = writeln!(out, "{headline}\n```text\n{}\n```", lines.join("\n"));
    }
}

fn timing(out: &mut String, outcomes: &[Outcome]) {
    let largest = outcomes
        .iter()
        .filter(|o| o.ours.status == Status::Generated && o.bare.status == Status::Generated)
        .max_by_key(|o| o.bytes);
    let Some(o) = largest else { return };
    let (Some(ours), Some(bare)) = (o.ours.time, o.bare.time) else { return };
    let _ = writeln!(
        out,
        "\n## Time on the largest document both generate\n\n{} ({} KiB, {} operations): ours {:.2} s, bare progenitor \
         {:.2} s (parse, generate, print), ratio {:.2}\n",
        o.name(),
        o.bytes.div_ceil(1024),
        operations(o),
        ours.as_secs_f64(),
        bare.as_secs_f64(),
        ours.as_secs_f64() / bare.as_secs_f64().max(f64::EPSILON)
    );
}
