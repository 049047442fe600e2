//! How long each step of the generator took, for the regeneration bench.

use std::time::{Duration, Instant};

/// How long each step of one [`generate_timed`](crate::generate_timed) call took, in the order
/// the steps ran.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// `(step, time)`: `load`, `merge`, `fixes`, `validate`, `spec passes`, `progenitor` (with
    /// the typed parse of the merged document), `parse` (progenitor's tokens into a syntax
    /// tree), one step per Rust pass (named as in the crate documentation's table, without
    /// `rust::`) and `print`.
    pub steps: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// The time of one step (zero when it did not run).
    pub fn step(&self, name: &str) -> Duration {
        self.steps.iter().filter(|(step, _)| *step == name).map(|(_, time)| *time).sum()
    }

    /// The time of all steps together.
    pub fn total(&self) -> Duration {
        self.steps.iter().map(|(_, time)| *time).sum()
    }
}

/// Records the time since the previous lap under a step name.
pub(crate) struct Stopwatch {
    last: Instant,
    pub timings: Timings,
}

impl Stopwatch {
    pub fn start() -> Self {
        Stopwatch { last: Instant::now(), timings: Timings::default() }
    }

    pub fn lap(&mut self, step: &'static str) {
        let now = Instant::now();
        self.timings.steps.push((step, now - self.last));
        self.last = now;
    }
}
