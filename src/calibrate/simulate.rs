//! The one function through which calibration runs a simulation: a scenario and a seed in,
//! the observed metrics at each year out. Everything else in calibration only reads its
//! results, so a different runner can take its place here alone.

use crate::lifecycle::LifecycleModel;
use crate::lifecycle::people::Flags;
use crate::model::{Model, Stop};
use crate::scenario::Scenario;

use super::metric::{ENGAGED_THRESHOLD, Metric, series};

/// Weeks in the year a metric averages.
const WEEKS: usize = 52;

/// What one simulation shows of the firm, week by week, for the metrics asked.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Per metric, its per-step column's values (empty for derived metrics).
    columns: Vec<Vec<f64>>,
    headcount: Vec<f64>,
    managers: Vec<f64>,
    exits: Vec<f64>,
    engaged: Vec<f64>,
}

impl Trace {
    /// `metric` over the 52 weeks before `year` (at least 1, within the run).
    pub fn value(&self, k: usize, metric: &Metric, year: f64) -> f64 {
        let end = ((year * 52.0).round() as usize).min(self.headcount.len() - 1);
        let start = end + 1 - WEEKS.min(end);
        let mean = |v: &[f64]| v[start..=end].iter().sum::<f64>() / (end + 1 - start) as f64;
        match metric {
            Metric::Column(..) => mean(&self.columns[k]),
            Metric::Attrition => {
                let exits: f64 = self.exits[start..=end].iter().sum();
                exits / mean(&self.headcount).max(1.0)
            }
            Metric::Growth => {
                self.headcount[end] / self.headcount[end.saturating_sub(WEEKS)].max(1.0) - 1.0
            }
            Metric::ManagerShare => {
                let shares: f64 = (start..=end)
                    .map(|s| self.managers[s] / self.headcount[s].max(1.0))
                    .sum();
                shares / (end + 1 - start) as f64
            }
            Metric::EngagedShare => mean(&self.engaged),
        }
    }
}

/// Runs `scenario` (a life-cycle scenario whose uncertain values are already drawn) with
/// `seed` for `years`, and records what `metrics` need; `None` if `stop` is requested.
pub fn simulate(
    scenario: &Scenario,
    seed: u64,
    metrics: &[Metric],
    years: f64,
    stop: &Stop,
) -> Option<Trace> {
    let mut params = scenario.lifecycle_params();
    params.years = years;
    let model = LifecycleModel::new(
        params,
        scenario
            .interventions
            .iter()
            .flat_map(|i| i.build())
            .collect(),
    );
    let cols = series();
    let at = |name: &str| cols.iter().position(|c| c.name == name).expect("a column");
    let (hc, mg, ex) = (at("headcount"), at("managers"), at("exits"));
    let engaged_needed = metrics.contains(&Metric::EngagedShare);
    let mut trace = Trace {
        columns: vec![Vec::new(); metrics.len()],
        ..Trace::default()
    };
    let mut row = vec![0.0; cols.len()];
    let mut state = model.init_until(seed, stop)?;
    let steps = (years * 52.0).round() as u64;
    for step in 0..=steps {
        if step > 0 {
            if stop.requested() {
                crate::model::free_in_background(state);
                return None;
            }
            model.step(&mut state);
        }
        model.observe(&state, &mut row);
        trace.headcount.push(row[hc]);
        trace.managers.push(row[mg]);
        trace.exits.push(row[ex]);
        for (k, m) in metrics.iter().enumerate() {
            if let Metric::Column(i, _) = m {
                trace.columns[k].push(row[*i]);
            }
        }
        if engaged_needed {
            let (mut n, mut engaged) = (0u32, 0u32);
            for p in &state.people.hot {
                if p.flags.contains(Flags::ALIVE) {
                    n += 1;
                    engaged += u32::from(p.engagement >= ENGAGED_THRESHOLD);
                }
            }
            trace.engaged.push(f64::from(engaged) / f64::from(n.max(1)));
        }
    }
    Some(trace)
}
