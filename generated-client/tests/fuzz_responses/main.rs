//! Hostile responses: every generated operation's response handling, fed arbitrary statuses,
//! headers and bodies, must give `Ok` or one of the crate's errors and never panic.
//!
//! Each case builds a `reqwest::Response` in memory, so a million cases need no network, and
//! takes it through what `send()` does once a server has answered: the retry decision, the
//! runtime's `finish`, the operation's dispatch (success, documented error status, anything
//! else: [`OPERATIONS`], the table codegen writes from the generated `send()`s into
//! `tests/generated/<vendor>_operations.rs`) and every accessor of the result.
//! The outcome is then checked against what the status, the body and the size limit say it
//! must be. `tests/hostile_responses.rs` sends raw responses through the real `send()` over
//! loopback, where requests carry the API key.
//!
//! It calls the runtime's crate-private steps (`decode`, `declared_error`, `finish`, the retry
//! decision) through `periskope_wapikit::internals`, which the `__internals` feature opens for
//! this crate's own tests only. Its parts, by job: [`operations`]
//! lists the generated operations and their types, [`case`] is one hostile response built in
//! memory, [`generate`] makes cases from the specs' examples and a seed, and [`checks`] runs a
//! case and checks its outcome.
//!
//! `FUZZ_CASES` (default 2 000 per operation, so that each operation reaches every way of
//! ending) sets the number of cases and `FUZZ_SEED` the run's seed; a failing case prints how
//! to run it alone (`FUZZ_SEED=… FUZZ_CASE=…`). The long run:
//!
//! ```sh
//! FUZZ_CASES=1000000 cargo test -p periskope-wapikit --release --test fuzz_responses -- --nocapture
//! ```

mod case;
mod checks;
mod generate;
mod operations;

use std::fmt;
use std::time::Instant;

use checks::{OUTCOMES, Outcome};
use fuzz::{Reproduce, Rng, env_number};
use generate::{Corpus, generate};
use operations::{OPERATIONS, run};

// The seeded generator and the failure note the loopback fuzzing uses too.
#[allow(dead_code)]
#[path = "../common/fuzz.rs"]
mod fuzz;

/// The key the renderings of every outcome are searched for.
const API_KEY: &str = "psk-hostile-secret-4242";
/// Cases per operation by default: the rarest outcome (a timeout, under 1 %) then ends at
/// least one case of every operation.
const DEFAULT_CASES_PER_OPERATION: u64 = 2_000;
const DEFAULT_SEED: u64 = 0x00C0_FFEE;

/// How many cases of each operation ended each way.
struct Tally(Vec<[u64; OUTCOMES.len()]>);

impl Tally {
    fn add(&mut self, operation: usize, outcome: Outcome) {
        let index = OUTCOMES.iter().position(|known| *known == outcome).unwrap_or_default();
        self.0[operation][index] += 1;
    }

    /// Fails when a way of ending was never reached: the cases would then test less than they
    /// claim.
    fn assert_reached_everything(&self) {
        for (operation, counts) in OPERATIONS.iter().zip(&self.0) {
            for (outcome, count) in OUTCOMES.iter().zip(counts) {
                let documented = !operation.declared.is_empty();
                if *count == 0 && (*outcome != Outcome::ApiWithBody || documented) {
                    panic!("no case of {} ended as {outcome:?}:\n{self}", operation.id);
                }
            }
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (operation, counts) in OPERATIONS.iter().zip(&self.0) {
            write!(f, "  {:<34}", operation.id)?;
            for (outcome, count) in OUTCOMES.iter().zip(counts) {
                write!(f, " {outcome:?} {count}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[test]
fn every_operation_survives_hostile_responses() {
    let per_default = DEFAULT_CASES_PER_OPERATION * OPERATIONS.len() as u64;
    let cases = env_number("FUZZ_CASES").unwrap_or(per_default);
    let seed = env_number("FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let only = env_number("FUZZ_CASE");
    let corpus = Corpus::load();
    let started = Instant::now();
    let range = match only {
        Some(case) => case..case + 1,
        None => 0..cases,
    };
    // Each case is its seed and number alone, so the range is split over the machine's cores
    // and the tallies added up: the same cases as one thread, in a fraction of the time.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let chunk = (range.end - range.start).div_ceil(threads).max(1);
    let mut tally = Tally(vec![[0; OUTCOMES.len()]; OPERATIONS.len()]);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (range.start..range.end)
            .step_by(chunk as usize)
            .map(|first| {
                let cases = first..(first + chunk).min(range.end);
                let corpus = &corpus;
                scope.spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
                    let mut tally = Tally(vec![[0; OUTCOMES.len()]; OPERATIONS.len()]);
                    for case in cases {
                        let _reproduce =
                            Reproduce { seed, case, what: "hostile response", target: "--test fuzz_responses" };
                        let input = generate(&mut Rng::new(seed, case), corpus);
                        if only.is_some() {
                            eprintln!("{input:#?}");
                        }
                        let outcome = runtime.block_on(run(&input));
                        tally.add(input.operation, outcome);
                    }
                    tally
                })
            })
            .collect();
        for worker in workers {
            let part = worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (sum, counts) in tally.0.iter_mut().zip(part.0) {
                for (sum, count) in sum.iter_mut().zip(counts) {
                    *sum += count;
                }
            }
        }
    });
    eprintln!(
        "{} hostile responses (seed {seed}) in {:.1?}, no panic:\n{tally}",
        range.end - range.start,
        started.elapsed()
    );
    // Fewer cases than the default may leave a rare outcome of some operation unreached.
    if only.is_none() && cases >= per_default {
        tally.assert_reached_everything();
    }
}
