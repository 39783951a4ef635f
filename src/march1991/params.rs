//! The `march` section of a scenario: March's parameters, their defaults and their limits.

use crate::params::param_section;
use crate::scenario::FieldError;

param_section! {
    /// Parameters of March's (1991) model of mutual learning between a code and its members.
    pub struct MarchParams {
        /// Number of dimensions of reality (March: 30). Each is +1 or -1; beliefs are packed
        /// into 64-bit words, hence the upper bound.
        pub m: u32 = 30 => [1, 64] Integer, "integer",
            "dimensions of reality",
            "March (1991)";
        /// Number of people in the organization (March: 50).
        pub n: u32 = 50 => [1, 1000000] Integer, "integer",
            "people",
            "March (1991)";
        /// Socialization rate: per period, the probability that a belief differing from a non-zero
        /// code moves one step toward it (March: 0.1 to 0.9).
        pub p1: f64 = 0.5 => [0, 1] Probability, "probability",
            "socialization rate: probability per period that a differing belief moves one step \
             toward a non-zero code",
            "March's Figure 1 spans 0.1-0.9; 0.5 is its middle";
        /// Code learning rate: the code adopts the majority view of the people who outperform it,
        /// with probability 1 - (1 - p2)^k on a dimension where the majority is k (March: 0.1, 0.5,
        /// 0.9).
        pub p2: f64 = 0.5 => [0, 1] Probability, "probability",
            "code learning rate: 1 - (1 - p2)^k is the probability the code adopts a majority of k \
             superior performers",
            "March uses 0.1, 0.5, 0.9";
        /// Turnover: per period, the probability that each person is replaced by a newcomer with
        /// random beliefs (March's Figure 1: 0).
        pub p3: f64 = 0.0 => [0, 1] Probability, "probability",
            "turnover: probability per period that a person is replaced by a newcomer with random \
             beliefs",
            "March's Figure 1 has no turnover";
        /// Turbulence: per period, the probability that each dimension of reality flips sign
        /// (March's Figure 1: 0).
        pub p4: f64 = 0.0 => [0, 1] Probability, "probability",
            "turbulence: probability per period that a dimension of reality flips",
            "March's Figure 1 has a stable reality";
        /// The most periods a run may take. Runs without turnover or turbulence stop earlier, at
        /// equilibrium; runs with either always run this long.
        pub max_periods: u32 = 2000 => [1, 1000000] Integer, "integer",
            "most periods a run may take",
            "far above the ~110 periods of the slowest Figure-1 cell (p1 = 0.1)";
    }
}

impl MarchParams {
    /// Checks every value against its declared bounds; `prefix` is the JSON path of the
    /// section (for example `march`).
    pub fn validate(&self, prefix: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        self.check_bounds(prefix, &mut errors);
        errors
    }
}
