//! A tiny seeded random-number generator with a stable, documented output stream.
//!
//! `idc simulate` must give the same walks for the same seed on any machine and with any
//! future build, so the generator is written out here instead of taken from a crate whose
//! stream may change between versions. It is SplitMix64 (Steele, Lea and Flood, "Fast
//! splittable pseudorandom number generators", OOPSLA 2014; the reference code is
//! `splitmix64.c` by Sebastiano Vigna), exactly as `docs/simulate.md` describes:
//!
//! ```text
//! state  = state + 0x9E3779B97F4A7C15          (wrapping)
//! z      = state
//! z      = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 (wrapping)
//! z      = (z ^ (z >> 27)) * 0x94D049BB133111EB (wrapping)
//! output = z ^ (z >> 31)
//! ```
//!
//! An index below `n` is drawn without bias by rejection: with
//! `limit = 2^64 - 1 - ((2^64 - 1) mod n)` (a multiple of `n`), outputs `x >= limit` are
//! discarded and the first `x < limit` gives `x mod n`.

/// The SplitMix64 generator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose state starts at `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64-bit output.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniformly drawn index in `0..n`, by rejection (see the module documentation).
    ///
    /// # Panics
    /// If `n` is 0 (there is nothing to draw from).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0): nothing to draw from");
        let limit = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < limit {
                return x % n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference outputs of `splitmix64.c` for the seed 1234567.
    #[test]
    fn matches_the_reference_stream() {
        let mut rng = SplitMix64::new(1_234_567);
        let got: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
        assert_eq!(
            got,
            vec![
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = SplitMix64::new(7);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            seen[rng.below(7) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| (800..1200).contains(&c)), "{seen:?}");
    }

    #[test]
    fn below_rejects_the_biased_tail() {
        // With n = 2^63 + 1, limit = 2^63 + 1: about half the outputs are rejected, and
        // every accepted one is below n.
        let n = (1u64 << 63) + 1;
        let mut rng = SplitMix64::new(1);
        for _ in 0..100 {
            assert!(rng.below(n) < n);
        }
    }
}
