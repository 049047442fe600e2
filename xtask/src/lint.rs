//! `cargo xtask lint`: defects of the pristine specs, and whether the fixes cover each.

use std::process::ExitCode;

use anyhow::Result;
use xtask::Layout;

/// Prints every finding; exits 1 when one is not covered by a fix.
pub fn run(layout: &Layout) -> Result<ExitCode> {
    let mut uncovered = 0;
    let mut total = 0;
    for vendor in layout.read_vendors()? {
        let findings = codegen::lint(vendor.input())
            .map_err(|err| anyhow::anyhow!("cannot lint the {} specs: {err}", vendor.name))?;
        for finding in &findings {
            let status = match &finding.fixed_by {
                Some(id) => format!("fixed by `{id}`"),
                None => "NOT FIXED".to_string(),
            };
            println!("{}#{}: {status}: {}", finding.file, finding.pointer, finding.message);
        }
        total += findings.len();
        uncovered += findings.iter().filter(|f| !f.covered()).count();
    }
    println!("{total} finding(s) in the pristine specs, {} covered by fixes, {uncovered} not", total - uncovered);
    if uncovered > 0 {
        println!("add a fix to specs/fixes/<vendor>.overlay.yaml for each finding marked NOT FIXED");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
