// What the in-process response fuzzing (`tests/fuzz_responses/`) and the loopback one
// (`tests/hostile_responses.rs`) share: the seeded generator, the `FUZZ_*` knobs and the note
// a failing case prints. Both take it in with `#[path]`.

/// SplitMix64: a small, fast generator that gives the same cases on every machine.
pub struct Rng(pub u64);

impl Rng {
    /// The generator for case `case` of a run seeded with `seed`.
    pub fn new(seed: u64, case: u64) -> Self {
        let mut rng = Rng(seed ^ case.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    pub fn percent(&mut self, chance: u64) -> bool {
        self.next() % 100 < chance
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A number from the environment, `_` allowed as a digit separator (`FUZZ_CASES=1_000_000`).
pub fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().replace('_', "").parse().ok()
}

/// Prints how to run a failing case alone.
pub struct Reproduce {
    pub seed: u64,
    pub case: u64,
    /// What a case is, for the message ("loopback").
    pub what: &'static str,
    /// The cargo test target that holds the test (`--test hostile_responses`).
    pub target: &'static str,
}

impl Drop for Reproduce {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "{} case {} failed; run it alone with FUZZ_SEED={} FUZZ_CASE={} \
                 cargo test -p periskope-wapikit {} -- --nocapture",
                self.what, self.case, self.seed, self.case, self.target
            );
        }
    }
}
