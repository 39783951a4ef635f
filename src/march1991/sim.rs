//! One run of March's model: the period's four stages (act, socialize, code learns, turnover
//! and drift), the equilibrium test and the outputs.

use super::beliefs::{
    Beliefs, Socialization, act, learn_code, mask_of, random_beliefs, score, socialize,
};
use super::params::MarchParams;
use crate::model::{Column, Kind, Model, Outputs, Reporter, Series, columns, position};
use crate::rng::{Draw, SimRng};

/// A period as the per-period columns see it.
pub struct Period<'a> {
    model: &'a MarchModel,
    state: &'a MarchState,
}

/// A finished run as the run-level outcomes see it.
pub struct Finished<'a> {
    model: &'a MarchModel,
    state: &'a MarchState,
    last: &'a [f64],
}

const KNOWLEDGE_RANGE: (Option<f64>, Option<f64>) = (Some(-1.0), Some(1.0));

/// `knowledge`: how well the organizational code matches reality. The life-cycle model nests
/// March's code and reports the same column.
pub const KNOWLEDGE: Column = Column {
    name: "knowledge",
    title: "Knowledge",
    unit: "\u{2212}1 to 1",
    axis: "Knowledge of the code (\u{2212}1 to 1)",
    kind: Kind::Real,
    range: KNOWLEDGE_RANGE,
    description: "the code's score / m: (correct - incorrect non-zero code entries) / m, in [-1, 1]",
    mean_title: "",
};

/// A per-period column and how it is computed from the period.
pub type PeriodColumn = Reporter<fn(&Period) -> f64>;
/// A run-level outcome and how it is computed from the finished run.
pub type RunOutcome = Reporter<fn(&Finished) -> Option<f64>>;

/// Per-period output columns, each beside its computation.
pub const SERIES: &[PeriodColumn] = &[
    Reporter {
        column: KNOWLEDGE,
        value: |p| f64::from(score(&p.state.code, p.state.reality)) / f64::from(p.model.params.m),
    },
    Reporter {
        column: Column {
            name: "mean_individual_knowledge",
            title: "Individual knowledge",
            unit: "\u{2212}1 to 1",
            axis: "Mean individual knowledge (\u{2212}1 to 1)",
            kind: Kind::Real,
            range: KNOWLEDGE_RANGE,
            description: "mean over people of (belief x reality summed over dimensions) / m",
            mean_title: "",
        },
        value: |p| {
            let total: i64 = p
                .state
                .people
                .iter()
                .map(|b| i64::from(score(b, p.state.reality)))
                .sum();
            total as f64 / (f64::from(p.model.params.m) * p.state.people.len() as f64)
        },
    },
];

/// Run-level outcomes, each beside its computation.
pub const OUTCOMES: &[RunOutcome] = &[
    Reporter {
        column: Column {
            name: "equilibrium_knowledge",
            title: "Equilibrium knowledge",
            unit: "\u{2212}1 to 1",
            axis: "Knowledge of the code (\u{2212}1 to 1)",
            kind: Kind::Real,
            range: KNOWLEDGE_RANGE,
            description: "`knowledge` at the last period (at equilibrium when reached)",
            mean_title: "mean of the code's final knowledge",
        },
        value: |f| Some(f.last[position(SERIES, "knowledge")]),
    },
    Reporter {
        column: Column {
            name: "periods",
            title: "Periods to equilibrium",
            unit: "",
            axis: "Periods",
            kind: Kind::Count,
            range: (Some(0.0), None),
            description: "periods run",
            mean_title: "mean periods run (to equilibrium or the limit)",
        },
        value: |f| Some(f.state.period as f64),
    },
    Reporter {
        column: Column {
            name: "reached_equilibrium",
            title: "Reached equilibrium",
            unit: "",
            axis: "Runs at equilibrium",
            kind: Kind::Share,
            range: (Some(0.0), Some(1.0)),
            description: "1 if the run ended at equilibrium, 0 if it reached `max_periods`",
            mean_title: "share of runs that reached equilibrium",
        },
        value: |f| {
            let p = &f.model.params;
            let reached = p.p3 == 0.0 && p.p4 == 0.0 && f.model.at_equilibrium(f.state);
            Some(if reached { 1.0 } else { 0.0 })
        },
    },
];

/// Names of the run-level outcomes (the comparison table shows all of them).
const OUTCOME_NAMES: &[&str] = &["equilibrium_knowledge", "periods", "reached_equilibrium"];

/// March's model with fixed parameters.
#[derive(Clone, Debug)]
pub struct MarchModel {
    params: MarchParams,
    mask: u64,
    /// p1, prepared for drawing.
    socialization: Socialization,
}

/// The state of one run.
#[derive(Clone, Debug)]
pub struct MarchState {
    /// The run's random-number generator.
    pub rng: SimRng,
    /// Reality: bit d set where dimension d is +1.
    pub reality: u64,
    /// The organizational code.
    pub code: Beliefs,
    /// Each person's beliefs.
    pub people: Vec<Beliefs>,
    /// Periods completed.
    pub period: u64,
    /// Scratch: each person's action this period (bit set = acts +1).
    actions: Vec<u64>,
    /// Scratch: each person's performance this period.
    performance: Vec<i32>,
}

impl MarchModel {
    /// A model with `params` (already validated: `1 <= m <= 64`).
    pub fn new(params: MarchParams) -> Self {
        let mask = mask_of(params.m);
        let socialization = Socialization::new(params.p1);
        MarchModel {
            params,
            mask,
            socialization,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &MarchParams {
        &self.params
    }

    fn random_beliefs(&self, rng: &mut SimRng) -> Beliefs {
        random_beliefs(self.params.m, rng)
    }

    /// Stage 1: each person acts on their beliefs, tossing a fair coin where a belief is 0.
    fn act(&self, s: &mut MarchState) {
        for (i, b) in s.people.iter().enumerate() {
            let (action, performance) = act(b, s.reality, self.mask, &mut s.rng);
            s.actions[i] = action;
            s.performance[i] = performance;
        }
    }

    /// Stage 2: socialization toward the code as it was at the start of the period.
    fn socialize(&self, s: &mut MarchState) {
        let code = s.code;
        for b in &mut s.people {
            socialize(b, &code, self.mask, &self.socialization, &mut s.rng);
        }
    }

    /// Stage 3: the code learns from everyone who outperformed it.
    fn learn(&self, s: &mut MarchState, code_score: i32) {
        let superior = s
            .performance
            .iter()
            .zip(&s.actions)
            .filter(|&(&p, _)| p > code_score)
            .map(|(_, &a)| a);
        learn_code(
            &mut s.code,
            self.params.m,
            self.params.p2,
            superior,
            &mut s.rng,
        );
    }

    /// Stage 4: turnover (p3) replaces people with newcomers; turbulence (p4) flips reality.
    fn turnover_and_drift(&self, s: &mut MarchState) {
        if self.params.p3 > 0.0 {
            for i in 0..s.people.len() {
                if s.rng.chance(self.params.p3) {
                    s.people[i] = self.random_beliefs(&mut s.rng);
                }
            }
        }
        if self.params.p4 > 0.0 {
            for d in 0..self.params.m {
                if s.rng.chance(self.params.p4) {
                    s.reality ^= 1 << d;
                }
            }
        }
    }

    /// Equilibrium: every belief equals the code and nobody could outperform it. When all
    /// beliefs equal the code, a person's best possible score is the code's score plus the
    /// number of zero beliefs, so nobody can outperform exactly when the code has no zeros.
    pub fn at_equilibrium(&self, s: &MarchState) -> bool {
        s.code.known & self.mask == self.mask
            && s.people
                .iter()
                .all(|b| b.differs_from(&s.code, self.mask) == 0)
    }
}

impl Model for MarchModel {
    type State = MarchState;

    fn outputs(&self) -> Outputs {
        Outputs {
            series: columns(SERIES),
            outcomes: columns(OUTCOMES),
            steps_per_year: None,
            headline: OUTCOME_NAMES,
            trajectory: &[],
            curve_peak: None,
        }
    }

    fn init(&self, seed: u64) -> MarchState {
        let mut rng = SimRng::from_seed(seed);
        let mut reality = 0u64;
        for d in 0..self.params.m {
            if rng.next_u64() >> 63 == 1 {
                reality |= 1 << d;
            }
        }
        let n = self.params.n as usize;
        let people = (0..n).map(|_| self.random_beliefs(&mut rng)).collect();
        MarchState {
            rng,
            reality,
            code: Beliefs::default(),
            people,
            period: 0,
            actions: vec![0; n],
            performance: vec![0; n],
        }
    }

    fn horizon(&self) -> u64 {
        u64::from(self.params.max_periods)
    }

    fn step(&self, s: &mut MarchState) {
        let code_score = score(&s.code, s.reality);
        self.act(s);
        self.socialize(s);
        self.learn(s, code_score);
        self.turnover_and_drift(s);
        s.period += 1;
    }

    fn observe(&self, s: &MarchState, row: &mut [f64]) {
        let period = Period {
            model: self,
            state: s,
        };
        for (slot, r) in row.iter_mut().zip(SERIES) {
            *slot = (r.value)(&period);
        }
    }

    /// Only runs without turnover and turbulence have an absorbing equilibrium; the others
    /// always run to `max_periods`.
    fn finished(&self, s: &MarchState) -> bool {
        self.params.p3 == 0.0 && self.params.p4 == 0.0 && self.at_equilibrium(s)
    }

    fn outcomes(&self, s: &MarchState, series: &Series) -> Vec<Option<f64>> {
        let finished = Finished {
            model: self,
            state: s,
            last: series.row(series.rows() - 1),
        };
        OUTCOMES.iter().map(|o| (o.value)(&finished)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Simulate;

    fn model(p1: f64, p2: f64) -> MarchModel {
        MarchModel::new(MarchParams {
            p1,
            p2,
            ..MarchParams::default()
        })
    }

    #[test]
    fn socialization_moves_one_step_toward_the_code() {
        let m = MarchModel::new(MarchParams {
            m: 3,
            n: 1,
            p1: 1.0,
            ..MarchParams::default()
        });
        let mut s = m.init(1);
        s.code = Beliefs::from_values(&[1, 1, 0]);
        s.people[0] = Beliefs::from_values(&[-1, 0, 1]);
        m.socialize(&mut s);
        // Opposite -> 0, zero -> code, and no change where the code is 0.
        assert_eq!(s.people[0], Beliefs::from_values(&[0, 1, 1]));
        m.socialize(&mut s);
        assert_eq!(s.people[0], Beliefs::from_values(&[1, 1, 1]));
    }

    #[test]
    fn code_takes_the_superior_majority_with_p2_one() {
        let m = MarchModel::new(MarchParams {
            m: 2,
            n: 3,
            p2: 1.0,
            ..MarchParams::default()
        });
        let mut s = m.init(1);
        s.code = Beliefs::default();
        // Two superior people acting (+1, -1) and one acting (+1, +1); one inferior.
        s.actions = vec![0b01, 0b01, 0b11];
        s.performance = vec![1, 1, 1];
        m.learn(&mut s, 0);
        // Dimension 0: k = 3 -> +1. Dimension 1: k = -1 -> -1.
        assert_eq!(s.code, Beliefs::from_values(&[1, -1]));
    }

    #[test]
    fn a_run_reaches_an_absorbing_equilibrium() {
        let m = model(0.5, 0.5);
        let run = m.simulate(3);
        let reached = run.outcomes[2].unwrap();
        assert_eq!(reached, 1.0);
        let periods = run.outcomes[1].unwrap() as usize;
        assert_eq!(run.series.rows(), periods + 1);
        // At equilibrium the code's score equals every person's.
        let last = run.series.row(periods);
        assert_eq!(last[0], last[1]);
    }

    #[test]
    fn runs_are_reproducible_from_the_seed() {
        let m = model(0.3, 0.7);
        assert_eq!(m.simulate(11), m.simulate(11));
        assert_ne!(m.simulate(11), m.simulate(12));
    }
}
