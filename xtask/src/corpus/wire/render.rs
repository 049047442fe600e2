//! The wire check's printed part: a row per document, the totals per mode, the examples the
//! mocks served mended, the documents it could not run on, and the failures by cause.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{MODES, Whose, Wire, read};

/// The wire check's part of the printed result: a row per document checked, the totals per
/// mode, the documents it could not run on, and the failures by cause with samples.
pub fn render(out: &mut String, outcomes: &[crate::corpus::Outcome]) {
    let checked: Vec<(String, &Wire)> =
        outcomes.iter().filter_map(|outcome| outcome.wire.as_ref().map(|wire| (outcome.name(), wire))).collect();
    render_checked(out, &checked);
}

/// The wire check's part of the printed result from the reports a kept `--wire` run wrote
/// (`wire-reports/<module>.json` in its copy of the client crate), for a run that was stopped
/// before it printed, or to print them again; the documents are named by their modules.
pub fn render_reports(folder: &Path) -> Result<String> {
    let entries = std::fs::read_dir(folder).with_context(|| format!("cannot read the folder {}", folder.display()))?;
    let mut reports: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    reports.sort();
    let judged: Vec<(String, Wire)> = reports
        .iter()
        .map(|path| (path.file_stem().unwrap_or_default().to_string_lossy().into_owned(), read(path)))
        .collect();
    let checked: Vec<(String, &Wire)> = judged.iter().map(|(name, wire)| (name.clone(), wire)).collect();
    let mut out = String::new();
    render_checked(&mut out, &checked);
    Ok(out)
}

fn render_checked(out: &mut String, checked: &[(String, &Wire)]) {
    if checked.is_empty() {
        return;
    }
    out.push_str(
        "\n## Wire check\n\n| document | operations | covered | examples: accepted | decoded | passed | \
         dynamic: accepted | decoded | passed |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let (mut operations, mut covered) = (0, 0);
    let mut totals = [[0usize; 3]; 2];
    // Per mode: the operations that failed for the document's or Prism's reasons alone.
    let mut not_ours = [0usize; 2];
    // Per cause: the operations in each mode, and a few samples.
    type Counts = ([usize; 2], Vec<String>);
    let mut causes: BTreeMap<(Whose, &str), Counts> = BTreeMap::new();
    let mut not_run = Vec::new();
    let mut mended_examples = Vec::new();
    let mut sampled_answers = 0;
    for (name, wire) in checked {
        let Wire::Ran { operations: ops, covered: cov, modes, mended, sampled } = wire else {
            if let Wire::NotRun(why) = wire {
                not_run.push(format!("- {name}: {why}"));
            }
            continue;
        };
        operations += ops;
        covered += cov;
        sampled_answers += sampled;
        if let Some(first) = mended.first() {
            mended_examples.push((mended.len(), format!("- {name}: {}, such as `{first}`", mended.len())));
        }
        let mut row = format!("| {name} | {ops} | {cov} |");
        for (index, mode) in modes.iter().enumerate() {
            for (slot, figure) in [mode.accepted, mode.decoded, mode.passed].into_iter().enumerate() {
                totals[index][slot] += figure;
                let _ = write!(row, " {figure} |");
            }
            not_ours[index] += mode.failures.iter().filter(|failure| failure.whose != Whose::Ours).count();
            for failure in &mode.failures {
                let entry = causes.entry((failure.whose, failure.cause)).or_default();
                entry.0[index] += 1;
                if entry.1.len() < 3 {
                    let message: String = failure.message.chars().take(400).collect();
                    entry.1.push(format!("{name}: {} ({}): {message}", failure.operation, MODES[index]));
                }
            }
        }
        out.push_str(&row);
        out.push('\n');
    }
    let share = |part: usize| crate::corpus::report::percent(part, operations);
    let _ = writeln!(
        out,
        "\nOperations of the {} documents checked: {operations}; with a call {covered} ({}).",
        checked.len() - not_run.len(),
        share(covered)
    );
    for (index, mode) in MODES.iter().enumerate() {
        let [accepted, decoded, passed] = totals[index];
        let _ = writeln!(
            out,
            "- {mode}: accepted by Prism {accepted} ({}), accepted and answers decoded {decoded} ({}), \
             passed (nothing wrong on either side) {passed} ({}); passed or failed for the document's \
             or Prism's reasons alone {} ({})",
            share(accepted),
            share(decoded),
            share(passed),
            passed + not_ours[index],
            share(passed + not_ours[index])
        );
    }
    if sampled_answers > 0 {
        let _ = writeln!(
            out,
            "\nAnswers the documents give no example of, served as samples of the generator's (the \
             examples mode's answer where Prism would compose one from the schema alone): {sampled_answers}"
        );
    }
    if !mended_examples.is_empty() {
        let total: usize = mended_examples.iter().map(|(count, _)| count).sum();
        let lines: Vec<String> = mended_examples.into_iter().map(|(_, line)| line).collect();
        let _ = writeln!(
            out,
            "\nAnswer examples that break their own schemas, served mended by the mock (the documents' \
             defects; the client is checked on the mended answers): {total}\n{}",
            lines.join("\n")
        );
    }
    if !not_run.is_empty() {
        let _ = writeln!(out, "\nNot checked ({}):\n{}", not_run.len(), not_run.join("\n"));
    }
    if causes.is_empty() {
        return;
    }
    out.push_str(
        "\nOperations that did not pass, by cause (each under its first failing call):\n\n\
         | cause | whose | examples | dynamic |\n| --- | --- | ---: | ---: |\n",
    );
    for ((whose, cause), ([examples, dynamic], _)) in &causes {
        let _ = writeln!(out, "| {cause} | {} | {examples} | {dynamic} |", whose.word());
    }
    for ((_, cause), (_, samples)) in &causes {
        let _ = writeln!(out, "\n### {cause}\n");
        for sample in samples {
            let _ = writeln!(out, "- {}", sample.replace('\n', " "));
        }
    }
}
