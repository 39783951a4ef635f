//! Beliefs packed into bit masks: one word says which dimensions are known (non-zero), the
//! other which of those are +1. The code is stored the same way; reality is a sign mask.

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
