//! Knowledge and the environment (March 1991, nested): the organization's code, the reality it
//! tries to match, how the code learns, how reality drifts faster every year, and the market
//! performance that follows from what the firm knows and how reliably it delivers.

use super::params::LifecycleParams;
use super::weekly_probability;
use crate::march1991::{Beliefs, learn_code, score};
use crate::rng::{Draw, SimRng};

/// The code, reality and market performance.
#[derive(Clone, Debug, PartialEq)]
pub struct Knowledge {
    /// The organizational code (March).
    pub code: Beliefs,
    /// Reality: bit d set where dimension d is +1.
    pub reality: u64,
    /// Market performance: efficiency x knowledge smoothed over about a year, 0 to 1.
    pub market: f64,
}

impl Knowledge {
    /// A blank code facing a reality of `m` random signs (one draw per dimension).
    pub fn new(m: u32, rng: &mut SimRng) -> Knowledge {
        let mut reality = 0u64;
        for d in 0..m {
            if rng.next_u64() >> 63 == 1 {
                reality |= 1 << d;
            }
        }
        Knowledge {
            code: Beliefs::default(),
            reality,
            market: 0.0,
        }
    }

    /// The code's score: the sum of code x reality over the dimensions.
    pub fn code_score(&self) -> i32 {
        score(&self.code, self.reality)
    }

    /// Knowledge as reported: the code's score / m, in [-1, 1].
    pub fn share(&self, m: u32) -> f64 {
        f64::from(self.code_score()) / f64::from(m)
    }

    /// March's stage 3: the code learns from the actions of a superior group at this week's
    /// rate ([`learning_rate`]).
    pub fn learn(
        &mut self,
        params: &LifecycleParams,
        fear: f64,
        superior: impl Iterator<Item = u64>,
        rng: &mut SimRng,
    ) {
        let rate = learning_rate(params, fear);
        learn_code(&mut self.code, params.knowledge.m, rate, superior, rng);
    }

    /// The end of a week `years` after founding: each dimension of reality flips with the
    /// week's drift probability (March's stage 4), and market performance moves 1/52 of the
    /// way toward efficiency x (0.5 + 0.5 knowledge) (a lag of about a year).
    pub fn week_end(
        &mut self,
        params: &LifecycleParams,
        years: f64,
        efficiency: f64,
        rng: &mut SimRng,
    ) {
        let drift = (params.environment.drift_per_year * pace(params, years)).min(1.0);
        let flip = weekly_probability(drift);
        if flip > 0.0 {
            for d in 0..params.knowledge.m {
                if rng.chance(flip) {
                    self.reality ^= 1 << d;
                }
            }
        }
        let knowledge = self.share(params.knowledge.m);
        let target = efficiency * (0.5 + 0.5 * knowledge.clamp(0.0, 1.0));
        self.market += (target - self.market) / 52.0;
    }
}

/// How much faster the environment changes than at founding, `years` after it: drift and the
/// opportunity rate both grow by this factor (accelerating change).
pub fn pace(params: &LifecycleParams, years: f64) -> f64 {
    libm::exp(params.environment.acceleration * years)
}

/// March's p2 this week: fear makes the organization learn less from what people find.
pub fn learning_rate(params: &LifecycleParams, fear: f64) -> f64 {
    params.knowledge.code_learning_rate * (1.0 - 0.5 * fear)
}
