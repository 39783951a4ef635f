//! Every source of randomness in orgsim: one named, portable generator, seeded per run.
//!
//! All randomness flows through [`SimRng`]. It wraps Xoshiro256++ (a named generator whose
//! output is fixed by its specification, unlike `rand::rngs::StdRng`), and implements the few
//! draws the models need with our own arithmetic, so results do not change when a dependency
//! changes how it maps bits to numbers. Seeds for replicates and for independent streams are
//! derived with SplitMix64-style mixing, so they depend only on the numbers that key them,
//! never on the order in which runs execute or on the number of threads.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The draws every model needs, written once on top of 64 random bits, so that a sequential
/// [`SimRng`] and a counter-based [`Stream`] give the same mapping from bits to numbers and
/// one implementation of a rule serves both. The arithmetic is ours, not a dependency's, so
/// results do not change when a dependency changes how it maps bits to numbers.
pub trait Draw {
    /// The next 64 uniformly random bits.
    fn bits(&mut self) -> u64;

    /// A uniform draw from `[0, 1)`, with 53 bits of precision.
    #[inline]
    fn uniform(&mut self) -> f64 {
        (self.bits() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p` (`p <= 0` is never, `p >= 1` is always).
    #[inline]
    fn chance(&mut self, p: f64) -> bool {
        // Certain outcomes consume no randomness and cannot be affected by rounding.
        if p <= 0.0 {
            false
        } else if p >= 1.0 {
            true
        } else {
            self.uniform() < p
        }
    }

    /// A uniform integer in `0..n` (Lemire's multiply-and-reject method, unbiased): the high
    /// word of a draw times `n`, drawn again while the low word is below 2^64 mod n. That
    /// remainder (a division) is computed only when the low word is below `n`, since it is
    /// less than `n`: the same draws and results, rarely a division.
    ///
    /// # Panics
    /// If `n` is 0.
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        let mut product = u128::from(self.bits()) * u128::from(n);
        if (product as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (product as u64) < threshold {
                product = u128::from(self.bits()) * u128::from(n);
            }
        }
        (product >> 64) as u64
    }
}

/// The random-number generator of one simulation run (sequential draws).
#[derive(Clone, Debug)]
pub struct SimRng(Xoshiro256PlusPlus);

impl SimRng {
    /// A generator whose whole stream is fixed by `seed`.
    pub fn from_seed(seed: u64) -> Self {
        SimRng(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// The next 64 uniformly random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// One draw from a distribution of `rand_distr` (uncertain parameters, calibration
    /// priors and kernels): distributions are drawn with `rand_distr`, not by hand, with the
    /// version pinned by `Cargo.lock`. Its normal ziggurat calls `exp` and `ln` in its rare
    /// wedge and tail steps (beyond about 3.4 sd), through `num-traits`, whose `std` maths
    /// another dependency switches on: those few draws may differ in the last bits between
    /// platforms; every other draw is arithmetic and square roots.
    pub fn sample<D: rand_distr::Distribution<f64>>(&mut self, distribution: &D) -> f64 {
        distribution.sample(&mut self.0)
    }
}

impl Draw for SimRng {
    #[inline]
    fn bits(&mut self) -> u64 {
        self.0.next_u64()
    }
}

/// A counter-based stream: draw k of the stream keyed by `key` is `wymix(key + k * GAMMA)`,
/// where wymix(s) folds the 128-bit product s x (s XOR 0xe7037ed1a0b428db) to 64 bits (high
/// XOR low). This is Wang Yi's wyrand (as in the `fastrand` crate and Go's runtime) read as a
/// counter-based generator; one multiplication per draw, about half the instructions of
/// SplitMix64's finalizer. Streams keyed by (run, step, agent) let agents be updated in parallel with
/// results that do not depend on scheduling.
#[derive(Clone, Copy, Debug)]
pub struct Stream {
    state: u64,
}

impl Stream {
    /// wyrand's increment.
    const GAMMA: u64 = 0xa076_1d64_78bd_642f;

    /// The stream keyed by `key` (typically from [`stream_seed`]).
    #[inline]
    pub fn new(key: u64) -> Self {
        Stream { state: key }
    }

    /// Draws a slot's stream may make: [`Stream::slot`] gives slot i the draws
    /// `SLOT_DRAWS * i + 1 ..= SLOT_DRAWS * (i + 1)` of the stream keyed by `key`.
    pub const SLOT_DRAWS: u64 = 128;

    /// The stream of slot `slot` under `key` (for example the employees of one week): a
    /// block of [`Stream::SLOT_DRAWS`] consecutive draws of the stream keyed by `key`, so the
    /// slots' draws are distinct outputs of one wyrand sequence, without a mix per slot to
    /// key them.
    #[inline]
    pub fn slot(key: u64, slot: u64) -> Self {
        Stream {
            state: key.wrapping_add(slot.wrapping_mul(Self::SLOT_DRAWS.wrapping_mul(Self::GAMMA))),
        }
    }

    /// The stream of the slot `n` slots after the one this stream (not yet drawn from) is
    /// for: `Stream::slot(key, i).slots_on(n)` is `Stream::slot(key, i + n)` (one addition,
    /// for a pass over consecutive slots).
    #[inline]
    pub fn slots_on(self, n: u64) -> Self {
        Stream {
            state: self
                .state
                .wrapping_add(n.wrapping_mul(Self::SLOT_DRAWS.wrapping_mul(Self::GAMMA))),
        }
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(Self::GAMMA);
        let t = u128::from(self.state) * u128::from(self.state ^ 0xe703_7ed1_a0b4_28db);
        (t >> 64) as u64 ^ t as u64
    }
}

/// `true` with probability `p`, from 32 uniformly random bits `r` (r / 2^32 < p, compared
/// exactly): the probability is p rounded up to a multiple of 2^-32, an error below 2.4e-10;
/// `p <= 0` is never, `p >= 1` always. Half a 64-bit draw, for the many small weekly
/// probabilities (quitting, launching).
#[inline]
pub fn chance32(r: u32, p: f64) -> bool {
    f64::from(r) < p * 4_294_967_296.0
}

impl Draw for Stream {
    #[inline]
    fn bits(&mut self) -> u64 {
        self.next_u64()
    }
}

/// SplitMix64's finalizer: a bijective mix of 64 bits with good avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of replicate `replicate` in an invocation whose seed is `base`.
///
/// Every scenario of one invocation uses the same replicate seeds (common random numbers), so
/// replicate r of scenario A and replicate r of scenario B are paired runs.
///
/// Seeds have 53 bits, so that every tool reads them exactly from a CSV file (R and
/// JavaScript hold numbers as doubles, which are exact only up to 2^53).
pub fn replicate_seed(base: u64, replicate: u64) -> u64 {
    stream_seed(base, &[replicate]) >> 11
}

/// A seed keyed by `base` and a sequence of integers (for example run, step and agent), for
/// counter-based streams that must not depend on execution order.
pub fn stream_seed(base: u64, keys: &[u64]) -> u64 {
    const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = mix64(base ^ GOLDEN);
    for (i, &k) in keys.iter().enumerate() {
        h = mix64(h ^ mix64(k.wrapping_add((i as u64 + 1).wrapping_mul(GOLDEN))));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the generator's first outputs: if a dependency update changes them, every
    /// published result would silently change, so this must fail loudly instead.
    #[test]
    fn value_stability() {
        let mut rng = SimRng::from_seed(42);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                15021278609987233951,
                5881210131331364753,
                18149643915985481100
            ]
        );
        assert_eq!(replicate_seed(1991, 0), 5128076231972459952 >> 11);
        assert_eq!(replicate_seed(1991, 1), 16631133002489281158 >> 11);
    }

    #[test]
    fn replicate_seeds_differ_and_depend_on_base() {
        let seeds: std::collections::BTreeSet<u64> =
            (0..10_000).map(|r| replicate_seed(7, r)).collect();
        assert_eq!(seeds.len(), 10_000);
        assert!(seeds.iter().all(|&s| s < 1 << 53));
        assert_ne!(replicate_seed(7, 3), replicate_seed(8, 3));
    }

    #[test]
    fn uniform_and_below_are_in_range_and_unbiased_enough() {
        let mut rng = SimRng::from_seed(1);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            let u = rng.uniform();
            assert!((0.0..1.0).contains(&u));
            counts[rng.below(3) as usize] += 1;
        }
        // Each count is Binomial(30000, 1/3): sd about 82, so 500 is over 6 sd.
        for c in counts {
            assert!((c as i64 - 10_000).abs() < 500, "{counts:?}");
        }
    }

    /// `below` computes 2^64 mod n only when it can matter: the same numbers, from the same
    /// draws, as Lemire's method computing it every time (where rejections are frequent
    /// too, just above 2^63).
    #[test]
    fn below_matches_lemires_method_draw_for_draw() {
        let reference = |rng: &mut SimRng, n: u64| {
            let threshold = n.wrapping_neg() % n;
            loop {
                let product = u128::from(rng.bits()) * u128::from(n);
                if (product as u64) >= threshold {
                    return (product >> 64) as u64;
                }
            }
        };
        let (mut a, mut b) = (SimRng::from_seed(8), SimRng::from_seed(8));
        for n in [
            1,
            2,
            3,
            7,
            1000,
            (1 << 32) + 1,
            (1 << 63) + 1,
            u64::MAX - 1,
            u64::MAX,
        ] {
            for _ in 0..2000 {
                assert_eq!(a.below(n), reference(&mut b, n), "below({n})");
            }
            assert_eq!(a.next_u64(), b.next_u64(), "below({n}): as many draws");
        }
    }

    #[test]
    fn streams_are_pinned_and_keyed() {
        let mut s = Stream::new(stream_seed(1, &[2, 3]));
        let a = s.next_u64();
        assert_eq!(a, Stream::new(stream_seed(1, &[2, 3])).next_u64());
        assert_ne!(a, Stream::new(stream_seed(1, &[3, 2])).next_u64());
        // wyrand's first output from state 0.
        assert_eq!(Stream::new(0).next_u64(), 1233057930238600590);
        // A slot's stream continues the key's stream at draw SLOT_DRAWS x slot.
        let mut keyed = Stream::new(99);
        for _ in 0..2 * Stream::SLOT_DRAWS {
            keyed.next_u64();
        }
        assert_eq!(Stream::slot(99, 2).next_u64(), keyed.next_u64());
        assert_eq!(
            Stream::slot(99, 0).slots_on(2).next_u64(),
            Stream::slot(99, 2).next_u64()
        );
    }

    /// The draws of neighbouring slots (the weekly update's streams) are uniform and
    /// uncorrelated, within a slot and across slots.
    #[test]
    fn slot_streams_are_uniform_and_independent() {
        let n = 200_000;
        let key = stream_seed(7, &[3]);
        let unit = |x: u64| (x >> 11) as f64 / (1u64 << 53) as f64;
        let draws: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let mut s = Stream::slot(key, i);
                [unit(s.next_u64()), unit(s.next_u64())]
            })
            .collect();
        let mean = |f: &dyn Fn(usize) -> f64| (0..n as usize).map(f).sum::<f64>() / n as f64;
        // The mean of a uniform has sd 0.289 / sqrt(n) = 0.00065; the mean of a product of
        // two independent centred uniforms has sd 0.083 / sqrt(n) = 0.00019.
        for k in [0, 1] {
            let m = mean(&|i| draws[i][k]);
            assert!((m - 0.5).abs() < 0.004, "draw {k}: mean {m}");
        }
        let within = mean(&|i| (draws[i][0] - 0.5) * (draws[i][1] - 0.5));
        let across = mean(&|i| (draws[i][0] - 0.5) * (draws[(i + 1) % n as usize][0] - 0.5));
        let next = mean(&|i| (draws[i][1] - 0.5) * (draws[(i + 1) % n as usize][0] - 0.5));
        for c in [within, across, next] {
            assert!(c.abs() < 0.0012, "correlation {c}");
        }
        // Every tenth of [0, 1) gets its share (binomial sd about 134 of 20,000).
        let mut bins = [0u32; 10];
        for d in &draws {
            bins[(d[0] * 10.0) as usize] += 1;
        }
        assert!(bins.iter().all(|&b| b.abs_diff(20_000) < 700), "{bins:?}");
    }

    #[test]
    fn chance32_is_exact_at_the_edges() {
        assert!(!chance32(0, 0.0));
        assert!(!chance32(0, -1.0));
        assert!(chance32(u32::MAX, 1.0));
        assert!(!chance32(0, f64::NAN));
        // p is rounded up to a multiple of 2^-32: the smallest positive p fires only for 0.
        assert!(chance32(0, 1e-300));
        assert!(!chance32(1, 1e-300));
        let step = 1.0 / 4_294_967_296.0;
        assert!(chance32(2, 3.0 * step) && !chance32(3, 3.0 * step));
        assert!(chance32(u32::MAX, 1.0 - step / 2.0));
        assert!(!chance32(u32::MAX, 1.0 - step));
    }

    #[test]
    fn chance_extremes_consume_nothing() {
        let mut a = SimRng::from_seed(5);
        let mut b = a.clone();
        assert!(!a.chance(0.0));
        assert!(a.chance(1.0));
        assert_eq!(a.next_u64(), b.next_u64());
    }
}
