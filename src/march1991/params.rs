//! The `march` section of a scenario: March's parameters, their defaults and their limits.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::scenario::{FieldError, check_probability, check_range};

/// Parameters of March's (1991) model of mutual learning between a code and its members.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MarchParams {
    /// Number of dimensions of reality (March: 30). Each is +1 or -1. Integer from 1 to 64
    /// (beliefs are packed into 64-bit words).
    #[schemars(range(min = 1, max = 64))]
    pub m: u32,
    /// Number of people in the organization (March: 50). Integer from 1 to 1,000,000.
    #[schemars(range(min = 1, max = 1000000))]
    pub n: u32,
    /// Socialization rate: per period, the probability that a belief differing from a
    /// non-zero code moves one step toward it (March: 0.1 to 0.9).
    #[schemars(range(min = 0, max = 1))]
    pub p1: f64,
    /// Code learning rate: the code adopts the majority view of the people who outperform
    /// it, with probability 1 - (1 - p2)^k on a dimension where the majority is k (March: 0.1,
    /// 0.5, 0.9).
    #[schemars(range(min = 0, max = 1))]
    pub p2: f64,
    /// Turnover: per period, the probability that each person is replaced by a newcomer with
    /// random beliefs (March's Figure 1: 0).
    #[schemars(range(min = 0, max = 1))]
    pub p3: f64,
    /// Turbulence: per period, the probability that each dimension of reality flips sign
    /// (March's Figure 1: 0).
    #[schemars(range(min = 0, max = 1))]
    pub p4: f64,
    /// The most periods a run may take. Runs without turnover or turbulence stop earlier, at
    /// equilibrium; runs with either always run this long. Integer from 1 to 1,000,000.
    #[schemars(range(min = 1, max = 1000000))]
    pub max_periods: u32,
}

impl Default for MarchParams {
    fn default() -> Self {
        MarchParams {
            m: 30,
            n: 50,
            p1: 0.5,
            p2: 0.5,
            p3: 0.0,
            p4: 0.0,
            max_periods: 2000,
        }
    }
}

impl MarchParams {
    /// Checks every value against its documented limits; `prefix` is the JSON path of the
    /// section (for example `march`).
    pub fn validate(&self, prefix: &str) -> Vec<FieldError> {
        let at = |field: &str| format!("{prefix}.{field}");
        let mut errors = Vec::new();
        check_range(&mut errors, at("m"), self.m, 1, 64);
        check_range(&mut errors, at("n"), self.n, 1, 1_000_000);
        check_probability(&mut errors, at("p1"), self.p1);
        check_probability(&mut errors, at("p2"), self.p2);
        check_probability(&mut errors, at("p3"), self.p3);
        check_probability(&mut errors, at("p4"), self.p4);
        check_range(
            &mut errors,
            at("max_periods"),
            self.max_periods,
            1,
            1_000_000,
        );
        errors
    }
}
