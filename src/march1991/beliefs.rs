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

/// Random beliefs: each dimension -1, 0 or +1 with probability 1/3.
pub fn random_beliefs(m: u32, rng: &mut impl Draw) -> Beliefs {
    let mut b = Beliefs::default();
    for d in 0..m {
        match rng.below(3) {
            0 => b.known |= 1 << d,
            1 => {}
            _ => {
                b.known |= 1 << d;
                b.positive |= 1 << d;
            }
        }
    }
    b
}

/// March's stage 1 for one person: the action (belief, or a fair coin where the belief is 0)
/// and its performance, action x reality summed over the `m` dimensions.
#[inline]
pub fn act(b: &Beliefs, reality: u64, m: u32, rng: &mut impl Draw) -> (u64, i32) {
    let mask = mask_of(m);
    let coins = if b.known & mask == mask {
        0
    } else {
        rng.bits()
    };
    let action = ((b.known & b.positive) | (!b.known & coins)) & mask;
    let wrong = ((action ^ reality) & mask).count_ones() as i32;
    (action, m as i32 - 2 * wrong)
}

/// March's stage 2 for one person: where the code is non-zero and the belief differs, with
/// probability `p1` the belief moves one step toward the code (an opposite belief becomes 0).
#[inline]
pub fn socialize(b: &mut Beliefs, code: &Beliefs, mask: u64, p1: f64, rng: &mut impl Draw) {
    let mut differ = b.differs_from(code, mask) & code.known;
    while differ != 0 {
        let bit = differ & differ.wrapping_neg();
        differ &= differ - 1;
        if rng.chance(p1) {
            if b.known & bit != 0 {
                b.known &= !bit;
            } else {
                b.known |= bit;
                b.positive = (b.positive & !bit) | (code.positive & bit);
            }
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

    #[test]
    fn differs_from_treats_zero_and_opposite_as_different() {
        let code = Beliefs::from_values(&[1, 1, 0, -1]);
        let b = Beliefs::from_values(&[1, -1, 0, 0]);
        assert_eq!(b.differs_from(&code, 0b1111), 0b1010);
        assert_eq!(code.differs_from(&code, 0b1111), 0);
    }
}
