//! Beliefs packed into bit masks: one word says which dimensions are known (non-zero), the
//! other which of those are +1. The code is stored the same way; reality is a sign mask.
//!
//! March's stages are written here once, generic over the random source, and used by both
//! the `march1991` model and the life-cycle model's knowledge submodel.

use crate::rng::Draw;

/// A vector of beliefs in {-1, 0, +1} over at most 64 dimensions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Beliefs {
    /// Bit d is set where the belief on dimension d is non-zero.
    pub known: u64,
    /// Bit d is set where the belief on dimension d is +1 (only meaningful where known).
    pub positive: u64,
}

impl Beliefs {
    /// Builds beliefs from values in {-1, 0, +1}.
    pub fn from_values(values: &[i8]) -> Self {
        let mut b = Beliefs::default();
        for (d, &v) in values.iter().enumerate() {
            if v != 0 {
                b.known |= 1 << d;
            }
            if v > 0 {
                b.positive |= 1 << d;
            }
        }
        b
    }

    /// The belief on dimension `d` as -1, 0 or +1.
    pub fn value(&self, d: u32) -> i8 {
        if self.known >> d & 1 == 0 {
            0
        } else if self.positive >> d & 1 == 1 {
            1
        } else {
            -1
        }
    }

    /// Dimensions (within `mask`) where these beliefs are not equal to `other`.
    #[inline]
    pub fn differs_from(&self, other: &Beliefs, mask: u64) -> u64 {
        let equal = !(self.known ^ other.known) & (!self.known | !(self.positive ^ other.positive));
        !equal & mask
    }

    /// Number of zero beliefs within `mask`.
    #[inline]
    pub fn zeros(&self, mask: u64) -> u32 {
        (!self.known & mask).count_ones()
    }
}

/// A mask of the first `m` dimensions.
pub fn mask_of(m: u32) -> u64 {
    if m >= 64 { u64::MAX } else { (1u64 << m) - 1 }
}

/// The five beliefs a byte `v < 243` gives (its base-3 digits, least significant first:
/// 0 is -1, 1 is 0, 2 is +1), as (known, positive) masks of five bits.
const FIVE_BELIEFS: [(u8, u8); 243] = {
    let mut table = [(0u8, 0u8); 243];
    let mut v = 0;
    while v < 243 {
        let (mut x, mut known, mut positive) = (v, 0u8, 0u8);
        let mut digit = 0;
        while digit < 5 {
            match x % 3 {
                0 => known |= 1 << digit,
                1 => {}
                _ => {
                    known |= 1 << digit;
                    positive |= 1 << digit;
                }
            }
            x /= 3;
            digit += 1;
        }
        table[v] = (known, positive);
        v += 1;
    }
    table
};

/// Random beliefs: each dimension -1, 0 or +1 with probability 1/3, independently. Five
/// dimensions at a time from one byte: each 64-bit draw is read as eight bytes, lowest first;
/// a byte below 243 = 3^5 is uniform on 0..243 and gives the next five dimensions its base-3
/// digits (least significant first: 0 is -1, 1 is 0, 2 is +1); a byte of 243 or more is
/// skipped. Once all `m` dimensions have beliefs the rest of the draw is unused (about one
/// draw for m = 30, where one draw per dimension would be thirty).
pub fn random_beliefs(m: u32, rng: &mut impl Draw) -> Beliefs {
    let mut b = Beliefs::default();
    let mut d = 0;
    while d < m {
        let mut bits = rng.bits();
        for _ in 0..8 {
            let byte = (bits & 0xff) as usize;
            bits >>= 8;
            if let Some(&(known, positive)) = FIVE_BELIEFS.get(byte) {
                b.known |= u64::from(known) << d;
                b.positive |= u64::from(positive) << d;
                d += 5;
                if d >= m {
                    break;
                }
            }
        }
    }
    let mask = mask_of(m);
    Beliefs {
        known: b.known & mask,
        positive: b.positive & mask,
    }
}

/// March's stage 1 for one person: the action (belief, or a fair coin where the belief is 0)
/// and its performance, action x reality summed over the dimensions in `mask` (the first m,
/// [`mask_of`]). The coins are one 64-bit draw, made only if some belief is 0.
#[inline]
pub fn act(b: &Beliefs, reality: u64, mask: u64, rng: &mut impl Draw) -> (u64, i32) {
    let coins = if b.known & mask == mask {
        0
    } else {
        rng.bits()
    };
    let action = ((b.known & b.positive) | (!b.known & coins)) & mask;
    // `action` is within the mask already; `reality & mask` is the same for everyone.
    let wrong = (action ^ (reality & mask)).count_ones() as i32;
    (action, mask.count_ones() as i32 - 2 * wrong)
}

/// A socialization probability p1 prepared for drawing by skipping: `any[k]` is the
/// probability 1 - (1 - p1)^k that at least one of k differing beliefs moves, as a threshold
/// for 64 random bits r (r < any[k] with probability any[k] / 2^64).
#[derive(Clone, Debug, PartialEq)]
pub struct Socialization {
    p1: f64,
    /// Whether 0 < p1 < 1 (anything else draws nothing).
    uncertain: bool,
    /// Whether the processor has BMI2's bit deposit (which picks the j-th set bit in one
    /// instruction; the moves are the same without it).
    pdep: bool,
    any: [u64; 65],
    /// `r << zoom` spreads the values below any[64] over the whole 64 bits.
    zoom: u32,
    /// Where to start looking for [`Socialization::first`]: `start[b]` is its value at the
    /// smallest r of bucket b, r << zoom >> 59 (a lower bound for the bucket).
    start: [u8; 32],
}

impl Socialization {
    /// Prepares `p1` (64 multiplications, no library maths, so the same on every platform).
    pub fn new(p1: f64) -> Self {
        Socialization::for_dims(p1, 64)
    }

    /// Prepares `p1` for beliefs over `m` dimensions: the same as [`Socialization::new`] for
    /// up to m differing beliefs (m multiplications); any[k] for k > m (never read) is
    /// 2^64 - 1.
    pub fn for_dims(p1: f64, m: u32) -> Self {
        let m = m.clamp(1, 64) as usize;
        let mut any = [u64::MAX; 65];
        any[0] = 0;
        let stay_one = 1.0 - p1.min(1.0);
        let mut stay = 1.0;
        for a in &mut any[1..=m] {
            stay *= stay_one;
            // Exact to the 53 bits of the probability; saturates at 2^64 - 1.
            *a = if p1 > 0.0 {
                ((1.0 - stay) * 18_446_744_073_709_551_616.0) as u64
            } else {
                0
            };
        }
        // `any` rises: each `stay` is the last times a factor of at most 1, rounded.
        let zoom = any[m].leading_zeros().min(63);
        let mut start = [0; 32];
        let mut k = 0;
        for (b, first) in (0u64..).zip(&mut start) {
            // The smallest r in bucket b is at least this.
            let low = (b << 59) >> zoom;
            while k < 64 && any[k + 1] <= low {
                k += 1;
            }
            *first = k as u8;
        }
        Socialization {
            p1,
            uncertain: p1 > 0.0 && p1 < 1.0,
            pdep: has_pdep(),
            any,
            zoom,
            start,
        }
    }

    /// For 64 random bits `r` below any[n] (so at least one of n differing beliefs moves),
    /// which of them moves first: the smallest j with r < any[j + 1], that is the number of k
    /// in 1..=64 with any[k] <= r (`any` rises, and any[n] > r makes it less than n). Found
    /// from the table of buckets and a step or two up.
    #[inline(always)]
    fn first(&self, r: u64) -> usize {
        // r < any[n] <= the last threshold prepared, so shifting it by `zoom` loses no bits.
        let mut j = usize::from(self.start[((r << self.zoom) >> 59) as usize]);
        while self.any[j + 1] <= r {
            j += 1;
        }
        j
    }

    /// The probability p1.
    pub fn p1(&self) -> f64 {
        self.p1
    }
}

/// March's stage 2 for one person: where the code is non-zero and the belief differs, with
/// probability p1 the belief moves one step toward the code (an opposite belief becomes 0).
///
/// Each differing dimension moves independently with probability p1, drawn by skipping
/// rather than one draw per dimension: with n differing dimensions left (in ascending order),
/// one 64-bit draw r decides whether any of them moves (r / 2^64 < 1 - (1 - p1)^n) and, if
/// so, which comes first (the smallest j with r / 2^64 < 1 - (1 - p1)^(j+1), a geometric draw
/// by inversion); the dimensions after it are drawn afresh the same way. So a person draws
/// once when anything differs, plus once per belief that moves; p1 <= 0 and p1 >= 1 draw
/// nothing.
#[inline]
pub fn socialize(
    b: &mut Beliefs,
    code: &Beliefs,
    mask: u64,
    s: &Socialization,
    rng: &mut impl Draw,
) {
    let differ = b.differs_from(code, mask) & code.known;
    if differ == 0 {
        return;
    }
    let moving = if !s.uncertain {
        if s.p1 <= 0.0 {
            return;
        }
        differ
    } else {
        let r = rng.bits();
        let n = differ.count_ones() as usize;
        if r >= s.any[n] {
            // Nothing moves (by far the most common outcome).
            return;
        }
        #[cfg(target_arch = "x86_64")]
        if s.pdep {
            // SAFETY: `pdep` is set only where the processor has BMI2.
            unsafe { moving_after_pdep(differ, n, r, s, rng) }
        } else {
            moving_after(differ, n, r, s, rng)
        }
        #[cfg(not(target_arch = "x86_64"))]
        moving_after(differ, n, r, s, rng)
    };
    // Opposite beliefs become 0; zero beliefs take the code's value.
    let opposite = moving & b.known;
    let zero = moving & !b.known;
    b.known = (b.known & !opposite) | zero;
    b.positive = (b.positive & !zero) | (code.positive & zero);
}

/// Whether this processor has BMI2's `pdep` (one instruction; microcoded and slower on AMD Zen 1 and 2, which have it too).
fn has_pdep() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("bmi2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The beliefs that move among the `n` dimensions of `rest`, given the first draw `r`
/// (below `any[n]`, so at least one moves).
#[cold]
#[inline(never)]
fn moving_after(rest: u64, n: usize, r: u64, s: &Socialization, rng: &mut impl Draw) -> u64 {
    moving(rest, n, r, s, rng, |rest, j| {
        let mut rest = rest;
        for _ in 0..j {
            rest &= rest - 1;
        }
        rest & rest.wrapping_neg()
    })
}

/// [`moving_after`] with BMI2's bit deposit picking the j-th set bit (the same bit).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
#[inline]
fn moving_after_pdep(rest: u64, n: usize, r: u64, s: &Socialization, rng: &mut impl Draw) -> u64 {
    // SAFETY (of the intrinsic): this function is compiled for BMI2.
    moving(rest, n, r, s, rng, |rest, j| {
        std::arch::x86_64::_pdep_u64(1 << j, rest)
    })
}

/// [`moving_after`]'s loop; `nth(rest, j)` is the j-th lowest set bit of `rest` (j below its
/// number of set bits).
#[inline(always)]
fn moving(
    mut rest: u64,
    mut n: usize,
    mut r: u64,
    s: &Socialization,
    rng: &mut impl Draw,
    nth: impl Fn(u64, u32) -> u64,
) -> u64 {
    let mut moving = 0;
    loop {
        // The first to move is the j-th of the remaining n.
        let j = s.first(r);
        let bit = nth(rest, j as u32);
        moving |= bit;
        // The dimensions after it, drawn afresh.
        rest &= (bit << 1).wrapping_neg();
        n -= j + 1;
        if n == 0 {
            return moving;
        }
        r = rng.bits();
        if r >= s.any[n] {
            return moving;
        }
    }
}

/// March's stage 3: the code adopts, on each of the `m` dimensions, the majority action k of
/// the superior group (given by their actions), with probability 1 - (1 - p2)^|k|, where the
/// code differs from sign(k).
pub fn learn_code(
    code: &mut Beliefs,
    m: u32,
    p2: f64,
    superior_actions: impl Iterator<Item = u64>,
    rng: &mut impl Draw,
) {
    let mut plus = [0i32; 64];
    let mut superior = 0i32;
    for mut a in superior_actions {
        superior += 1;
        while a != 0 {
            plus[a.trailing_zeros() as usize] += 1;
            a &= a - 1;
        }
    }
    if superior == 0 {
        return;
    }
    for d in 0..m {
        let k = 2 * plus[d as usize] - superior;
        if k == 0 {
            continue;
        }
        let bit = 1u64 << d;
        let sign_positive = k > 0;
        let agrees = code.known & bit != 0 && (code.positive & bit != 0) == sign_positive;
        if agrees {
            continue;
        }
        if rng.chance(1.0 - libm::pow(1.0 - p2, f64::from(k.unsigned_abs()))) {
            code.known |= bit;
            if sign_positive {
                code.positive |= bit;
            } else {
                code.positive &= !bit;
            }
        }
    }
}

/// Sum over dimensions of belief x reality: correct non-zero beliefs minus incorrect ones.
/// `reality` has bit d set where dimension d is +1.
#[inline]
pub fn score(beliefs: &Beliefs, reality: u64) -> i32 {
    let wrong = (beliefs.positive ^ reality) & beliefs.known;
    let right = beliefs.known & !wrong;
    right.count_ones() as i32 - wrong.count_ones() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_counts_right_minus_wrong_and_ignores_zeros() {
        let b = Beliefs::from_values(&[1, -1, 0, 1]);
        // reality: +1, +1, -1, +1 -> right on 0 and 3, wrong on 1, zero on 2.
        let reality = 0b1011;
        assert_eq!(score(&b, reality), 1);
        assert_eq!(b.zeros(0b1111), 1);
        assert_eq!(b.value(1), -1);
        assert_eq!(b.value(2), 0);
    }

    /// Draws that return given 64-bit words in turn.
    struct Words(Vec<u64>);

    impl Draw for Words {
        fn bits(&mut self) -> u64 {
            self.0.remove(0)
        }
    }

    /// Beliefs come five at a time from the bytes of each draw, lowest first: a byte below
    /// 243 gives its base-3 digits (0 is -1, 1 is 0, 2 is +1), a byte of 243 or more is
    /// skipped, and what is left of the last draw is unused.
    #[test]
    fn random_beliefs_read_five_base_3_digits_from_each_byte_below_243() {
        // Bytes, lowest first (digits least significant first): 255 and 243 skipped, then
        // 0 (-1 x 5), 242 (+1 x 5), 196 = 1 + 2 x 3 + 0 x 9 + 1 x 27 + 2 x 81 (0, +1, -1, 0,
        // +1), 121 = 1 + 3 + 9 + 27 + 81 (0 x 5), 244 skipped, 5 = 2 + 1 x 3 (+1, 0, -1, -1,
        // -1); the next draw's 7 = 1 + 2 x 3 gives the last three (0, +1, -1).
        let first = u64::from_le_bytes([255, 243, 0, 242, 196, 121, 244, 5]);
        let second = u64::from_le_bytes([7, 0, 0, 0, 0, 0, 0, 0]);
        let mut words = Words(vec![first, second, 0]);
        let b = random_beliefs(28, &mut words);
        let mut want = vec![-1; 5];
        want.extend([1; 5]);
        want.extend([0, 1, -1, 0, 1]);
        want.extend([0; 5]);
        want.extend([1, 0, -1, -1, -1]);
        want.extend([0, 1, -1]);
        let got: Vec<i8> = (0..28).map(|d| b.value(d)).collect();
        assert_eq!(got, want);
        assert_eq!(b.known >> 28, 0, "nothing beyond m");
        assert_eq!(words.0, [0], "two draws for 28 dimensions here");
        assert_eq!(random_beliefs(0, &mut words), Beliefs::default());
        assert_eq!(words.0, [0], "no draw for no dimensions");
    }

    /// Each belief is -1, 0 or +1 with probability 1/3, independently of its neighbours (in
    /// the same byte, across bytes and across draws): chi-square statistics of 30,000 people's
    /// 64 beliefs against the uniform, each below its 0.999 quantile.
    #[test]
    fn random_beliefs_are_each_value_with_probability_a_third() {
        let (m, n) = (64, 30_000);
        let mut rng = crate::rng::SimRng::from_seed(1991);
        let mut counts = vec![[0u32; 3]; m as usize];
        let pairs = [(0, 1), (4, 5), (39, 40), (62, 63)];
        let mut joint = [[0u32; 9]; 4];
        let value = |b: &Beliefs, d: u32| (b.value(d) + 1) as usize;
        for _ in 0..n {
            let b = random_beliefs(m, &mut rng);
            for d in 0..m {
                counts[d as usize][value(&b, d)] += 1;
            }
            for (k, &(x, y)) in pairs.iter().enumerate() {
                joint[k][3 * value(&b, x) + value(&b, y)] += 1;
            }
        }
        let chi2 = |cells: &[u32]| {
            let expected = f64::from(n) / cells.len() as f64;
            cells
                .iter()
                .map(|&c| (f64::from(c) - expected).powi(2) / expected)
                .sum::<f64>()
        };
        // 64 dimensions x 2 degrees of freedom: the 0.999 quantile of chi-square(128) is 183.2.
        let each: f64 = counts.iter().map(|c| chi2(c)).sum();
        assert!(
            each < 183.2,
            "chi-square {each} over the dimensions: {counts:?}"
        );
        // Pairs: 4 x 8 degrees of freedom; the 0.999 quantile of chi-square(32) is 62.5.
        let both: f64 = joint.iter().map(|c| chi2(c)).sum();
        assert!(both < 62.5, "chi-square {both} over pairs: {joint:?}");
        // Fewer dimensions than a byte's five: nothing beyond m.
        for m in [1, 7, 30] {
            let b = random_beliefs(m, &mut rng);
            assert_eq!((b.known | b.positive) & !mask_of(m), 0);
            assert_eq!(b.positive & !b.known, 0);
        }
    }

    /// Skipping draws each differing belief independently with probability p1: the share of
    /// moves on every dimension, the spread of the number moved and the joint moves of pairs
    /// match independent Bernoulli draws, for a small and a large p1.
    #[test]
    fn socialization_moves_each_differing_belief_independently_with_probability_p1() {
        let m = 30;
        let mask = mask_of(m);
        let code = Beliefs {
            known: mask,
            positive: mask,
        };
        let mut rng = crate::rng::SimRng::from_seed(4);
        for p1 in [0.03, 0.3] {
            let s = Socialization::new(p1);
            let trials = 100_000;
            let mut per_dim = [0u32; 30];
            let (mut sum, mut sum2, mut pair, mut ends) = (0.0, 0.0, 0u32, 0u32);
            for t in 0..trials {
                // Alternately all beliefs 0 (they take the code's +1) or all -1 (they become 0).
                let start = if t % 2 == 0 {
                    Beliefs::default()
                } else {
                    Beliefs {
                        known: mask,
                        positive: 0,
                    }
                };
                let mut b = start;
                socialize(&mut b, &code, mask, &s, &mut rng);
                let moved = (b.known ^ start.known) & mask;
                if t % 2 == 0 {
                    assert_eq!(
                        b.positive & moved,
                        moved,
                        "zero beliefs take the code's value"
                    );
                }
                for (d, c) in per_dim.iter_mut().enumerate() {
                    *c += (moved >> d & 1) as u32;
                }
                let k = f64::from(moved.count_ones());
                sum += k;
                sum2 += k * k;
                pair += (moved & 0b11 == 0b11) as u32;
                ends += (moved & (1 | 1 << 29) == (1 | 1 << 29)) as u32;
            }
            let n = f64::from(trials);
            let sd = (p1 * (1.0 - p1) / n).sqrt();
            for (d, &c) in per_dim.iter().enumerate() {
                let share = f64::from(c) / n;
                assert!(
                    (share - p1).abs() < 5.0 * sd,
                    "p1 {p1}, dimension {d}: {share}"
                );
            }
            let mean = sum / n;
            let var = sum2 / n - mean * mean;
            let expected = 30.0 * p1 * (1.0 - p1);
            assert!(
                (mean - 30.0 * p1).abs() < 0.02 * 30.0 * p1,
                "p1 {p1}: mean {mean}"
            );
            assert!(
                (var / expected - 1.0).abs() < 0.05,
                "p1 {p1}: variance {var}"
            );
            let both = p1 * p1;
            let sd2 = (both * (1.0 - both) / n).sqrt();
            for (name, c) in [("0 and 1", pair), ("0 and 29", ends)] {
                let share = f64::from(c) / n;
                assert!((share - both).abs() < 5.0 * sd2, "p1 {p1}, {name}: {share}");
            }
        }
    }

    #[test]
    fn certain_socialization_draws_nothing() {
        let mask = mask_of(4);
        let code = Beliefs::from_values(&[1, -1, 1, 0]);
        let mut rng = crate::rng::SimRng::from_seed(9);
        let untouched = rng.clone();
        let mut b = Beliefs::from_values(&[-1, 0, 1, 1]);
        socialize(&mut b, &code, mask, &Socialization::new(0.0), &mut rng);
        assert_eq!(b, Beliefs::from_values(&[-1, 0, 1, 1]));
        socialize(&mut b, &code, mask, &Socialization::new(1.0), &mut rng);
        assert_eq!(b, Beliefs::from_values(&[0, -1, 1, 1]));
        assert_eq!(rng.next_u64(), untouched.clone().next_u64());
    }

    #[test]
    fn differs_from_treats_zero_and_opposite_as_different() {
        let code = Beliefs::from_values(&[1, 1, 0, -1]);
        let b = Beliefs::from_values(&[1, -1, 0, 0]);
        assert_eq!(b.differs_from(&code, 0b1111), 0b1010);
        assert_eq!(code.differs_from(&code, 0b1111), 0);
    }

    /// The first belief to move is the smallest j with r < any[j + 1] (as found by
    /// bisection), for every p1 from tiny to nearly 1 and draws across the whole range, at
    /// the edges of the thresholds too.
    #[test]
    fn the_first_mover_is_the_bisections() {
        let bisect = |s: &Socialization, r: u64, n: usize| {
            let (mut j, mut len) = (0, n);
            while len > 1 {
                let half = len / 2;
                if r >= s.any[j + half] {
                    j += half;
                }
                len -= half;
            }
            j
        };
        let mut rng = crate::rng::SimRng::from_seed(5);
        let mut checked = 0;
        let cases = [1e-12, 1e-6, 0.002, 0.02, 0.027, 0.05, 0.3, 0.7, 0.999]
            .into_iter()
            .flat_map(|p1| [(p1, 64), (p1, 30), (p1, 7)]);
        for (p1, m) in cases {
            let s = Socialization::for_dims(p1, m);
            let m = m as usize;
            assert_eq!(s.any[..=m], Socialization::new(p1).any[..=m]);
            for n in 1..=m {
                if s.any[n] == 0 {
                    continue;
                }
                let mut draws: Vec<u64> = (0..200).map(|_| rng.bits() % s.any[n]).collect();
                for k in 1..=n {
                    draws.extend([s.any[k - 1], s.any[k] - 1, s.any[k].saturating_sub(2)]);
                }
                for r in draws.into_iter().filter(|&r| r < s.any[n]) {
                    assert_eq!(s.first(r), bisect(&s, r, n), "p1 {p1}, n {n}, r {r}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 80_000);
    }
}
