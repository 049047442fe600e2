//! The printed result of `cargo xtask corpus`: one Markdown table row per document, the
//! totals, typed coverage (schemas typed, raw bodies, degradations by kind, the time degrading
//! took), every refusal grouped by the kind of its typed error with its message, the compile
//! errors grouped by message, and both generators' time on the largest document we accept.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Outcome;
use super::measure::{Run, Status};

/// Why we did not generate a document (empty when we did): the kind of the generator's
/// typed error ([`codegen::ErrorKind`]), or how the run ended.
pub fn cause(outcome: &Outcome) -> &'static str {
    match outcome.ours.status {
        Status::Generated => "",
        Status::Panicked => "panic",
        Status::Crashed => "crash",
        Status::TimedOut => "time-out",
        Status::Refused => outcome.report.error_kind.map_or("unreadable file", codegen::ErrorKind::word),
    }
}

/// Everything the command prints.
pub fn render(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    table(&mut out, outcomes);
    totals(&mut out, outcomes);
    coverage(&mut out, outcomes);
    refusals(&mut out, outcomes);
    compile_errors(&mut out, outcomes);
    timing(&mut out, outcomes);
    super::wire::render(&mut out, outcomes);
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
        "| document | version | operations | KiB | ours | cause | typed | raw bodies | degraded | bare progenitor | \
         compiles | ours (s) | bare (s) |\n\
         | --- | --- | ---: | ---: | --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: |\n",
    );
    for o in outcomes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            o.name(),
            o.report.version.as_deref().unwrap_or("?"),
            operations(o),
            o.bytes.div_ceil(1024),
            o.ours.status.word(),
            cause(o),
            typed(o),
            o.report.schemas.map_or_else(|| "–".into(), |_| o.report.raw_body_operations().to_string()),
            o.report.schemas.map_or_else(|| "–".into(), |_| o.report.degradations.len().to_string()),
            o.bare.status.word(),
            compiles(o),
            seconds(&o.ours),
            seconds(&o.bare),
        );
    }
}

/// The share of the document's schemas that became real types rather than `serde_json::Value`.
fn typed(outcome: &Outcome) -> String {
    match outcome.report.schemas {
        Some(schemas) => percent(schemas.saturating_sub(outcome.report.untyped_schemas()), schemas),
        None => "–".into(),
    }
}

/// Typed coverage over every generated document, the degradations by kind, and the time
/// degrading took against the number of schemas degraded.
fn coverage(out: &mut String, outcomes: &[Outcome]) {
    let generated: Vec<&Outcome> = outcomes.iter().filter(|o| o.report.schemas.is_some()).collect();
    if generated.is_empty() {
        return;
    }
    let schemas: usize = generated.iter().filter_map(|o| o.report.schemas).sum();
    let untyped: usize = generated.iter().map(|o| o.report.untyped_schemas()).sum();
    let raw: usize = generated.iter().map(|o| o.report.raw_body_operations()).sum();
    let degraded = generated.iter().filter(|o| !o.report.degradations.is_empty()).count();
    let _ = writeln!(out, "\n## Typed coverage\n");
    let _ = writeln!(
        out,
        "- schemas typed: {} of {schemas} ({}) in the {} generated documents; {untyped} became `serde_json::Value`",
        schemas - untyped.min(schemas),
        percent(schemas - untyped.min(schemas), schemas),
        generated.len()
    );
    let _ = writeln!(out, "- operations with a raw request body: {raw}");
    let _ = writeln!(out, "- documents with a degradation: {degraded} of {}", generated.len());
    let mut by_kind: BTreeMap<codegen::DegradeKind, (usize, usize)> = BTreeMap::new();
    for o in &generated {
        let mut kinds: Vec<codegen::DegradeKind> = o.report.degradations.iter().map(|(kind, ..)| *kind).collect();
        for kind in &kinds {
            by_kind.entry(*kind).or_default().0 += 1;
        }
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            by_kind.entry(kind).or_default().1 += 1;
        }
    }
    if !by_kind.is_empty() {
        let _ = writeln!(out, "\n| degradation | occurrences | documents |\n| --- | ---: | ---: |");
        for (kind, (count, documents)) in &by_kind {
            let _ = writeln!(out, "| {} | {count} | {documents} |", kind.word());
        }
    }
    let timed: Vec<(usize, f64)> = generated
        .iter()
        .filter(|o| o.report.untyped_schemas() > 0)
        .filter_map(|o| Some((o.report.untyped_schemas(), o.report.degrade_time?.as_secs_f64())))
        .collect();
    if !timed.is_empty() {
        let _ = writeln!(out, "\nTime spent degrading schemas (the probes that find them):\n");
        for o in generated.iter().filter(|o| o.report.untyped_schemas() > 0) {
            let _ = writeln!(
                out,
                "- {}: {} schemas degraded of {} in {:.2} s",
                o.name(),
                o.report.untyped_schemas(),
                o.report.schemas.unwrap_or(0),
                o.report.degrade_time.map_or(0.0, |time| time.as_secs_f64())
            );
        }
    }
}

pub fn percent(part: usize, whole: usize) -> String {
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
