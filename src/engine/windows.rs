//! The spans of a run over which outcomes are computed and compared: the whole run (or
//! `--window`), then, for each compared scenario with interventions, the five years from its
//! first intervention; and the paired comparisons over them.

use super::{EngineError, RunPlan};
use crate::model::Outputs;
use crate::output::Comparison;
use crate::scenario::show_number;
use crate::stats::{differences, paired, rank_correlation};

/// A span of the run over which outcomes are computed.
pub(super) struct OutcomeWindow {
    pub(super) label: String,
    /// Steps `from..=to`; `None` for the whole run.
    pub(super) steps: Option<(usize, usize)>,
    pub(super) years: (f64, f64),
    /// Compared scenarios this window is reported for (`None`: all).
    pub(super) only: Option<Vec<usize>>,
}

/// Steps `from..=to` of a run with `steps_per_year` steps a year for the years `from` to
/// `to` since founding: the one conversion `--window`, the comparison windows and a sweep's
/// `window` share.
pub fn year_steps(from: f64, to: f64, steps_per_year: f64) -> (usize, usize) {
    let step = |y: f64| (y * steps_per_year).round() as usize;
    (step(from), step(to))
}

/// The whole run (or `--window`), then, for each compared scenario with interventions, the
/// five years from its first intervention.
pub(super) fn windows(
    plan: &RunPlan,
    outputs: &Outputs,
) -> Result<Vec<OutcomeWindow>, EngineError> {
    let longest = plan
        .scenarios
        .iter()
        .map(|s| s.horizon_steps())
        .max()
        .unwrap_or(0) as usize;
    let Some(spy) = outputs.steps_per_year else {
        if let Some((from, to)) = plan.window {
            return Err(EngineError::BadWindow {
                from,
                to,
                message: "this model counts abstract periods, not years; windows need a model with calendar time (lifecycle)".into(),
            });
        }
        return Ok(vec![OutcomeWindow {
            label: "whole run".into(),
            steps: None,
            years: (0.0, 0.0),
            only: None,
        }]);
    };
    let last_year = longest as f64 / spy;
    let mut out = vec![match plan.window {
        None => OutcomeWindow {
            label: "whole run".into(),
            steps: None,
            years: (0.0, last_year),
            only: None,
        },
        Some((from, to)) => {
            if !(0.0..last_year).contains(&from) || to <= from {
                return Err(EngineError::BadWindow {
                    from,
                    to,
                    message: format!(
                        "must be FROM:TO years with 0 <= FROM < TO, FROM before the end of the run ({last_year} years)"
                    ),
                });
            }
            let to = to.min(last_year);
            OutcomeWindow {
                label: format!("years {}-{}", show_number(from), show_number(to)),
                steps: Some(year_steps(from, to, spy)),
                years: (from, to),
                only: None,
            }
        }
    }];
    for (k, sc) in plan.scenarios.iter().enumerate().skip(1) {
        let Some(start) = sc.first_intervention_year() else {
            continue;
        };
        if start >= last_year {
            continue;
        }
        let end = (start + 5.0).min(last_year);
        let steps = Some(year_steps(start, end, spy));
        if out[0].steps == steps {
            continue;
        }
        if let Some(w) = out.iter_mut().skip(1).find(|w| w.steps == steps) {
            w.only.get_or_insert_with(Vec::new).push(k);
        } else {
            out.push(OutcomeWindow {
                label: format!("years {}-{}", show_number(start), show_number(end)),
                steps,
                years: (start, end),
                only: Some(vec![k]),
            });
        }
    }
    Ok(out)
}

/// Every scenario against every one listed before it (the first is the reference most
/// tables read), on paired replicates, in each window: `values[w][s][k]` holds outcome k of
/// scenario s in window w, in replicate order.
pub(super) fn comparisons(
    plan: &RunPlan,
    outputs: &Outputs,
    windows: &[OutcomeWindow],
    values: &[Vec<Vec<Vec<Option<f64>>>>],
) -> Vec<Comparison> {
    let mut comparisons = Vec::new();
    for (w, win) in windows.iter().enumerate() {
        for k in 1..plan.scenarios.len() {
            if win.only.as_ref().is_some_and(|only| !only.contains(&k)) {
                continue;
            }
            for v in 0..k {
                comparisons.push(Comparison {
                    scenario: plan.scenarios[k].name.clone(),
                    versus: plan.scenarios[v].name.clone(),
                    window: win.label.clone(),
                    from_year: win.years.0,
                    to_year: win.years.1,
                    outcomes: outputs
                        .outcomes
                        .iter()
                        .enumerate()
                        .map(|(o, name)| {
                            (
                                name.name.to_string(),
                                paired(&values[w][v][o], &values[w][k][o]),
                            )
                        })
                        .collect(),
                });
            }
        }
    }
    comparisons
}

/// Which uncertain parameters one outcome's paired effect depends on most: Spearman's rank
/// correlation of each parameter's draw with the replicates' paired differences, strongest
/// first (console only; `runs.csv` holds the draws and outcomes to recompute it).
#[derive(Clone, Debug, PartialEq)]
pub struct Drivers {
    /// The outcome.
    pub outcome: String,
    /// (parameter path, rank correlation), by decreasing strength.
    pub correlations: Vec<(String, f64)>,
}

/// For every comparison [`comparisons`] makes, in its order, each outcome's [`Drivers`]:
/// empty where the scenarios have no uncertain parameters. `drawn[s][r]` holds replicate r of
/// scenario s's value of each of `paths`; the compared scenario's draws are used, or the
/// reference's where the compared scenario does not draw that parameter.
pub(super) fn drivers(
    plan: &RunPlan,
    outputs: &Outputs,
    windows: &[OutcomeWindow],
    values: &[Vec<Vec<Vec<Option<f64>>>>],
    drawn: &[Vec<Vec<Option<f64>>>],
    paths: &[String],
) -> Vec<Vec<Drivers>> {
    let mut out = Vec::new();
    for (w, win) in windows.iter().enumerate() {
        for k in 1..plan.scenarios.len() {
            if win.only.as_ref().is_some_and(|only| !only.contains(&k)) {
                continue;
            }
            for v in 0..k {
                if paths.is_empty() {
                    out.push(Vec::new());
                    continue;
                }
                let column = |s: usize, p: usize| -> Vec<Option<f64>> {
                    drawn[s]
                        .iter()
                        .map(|r| r.get(p).copied().flatten())
                        .collect()
                };
                let per_outcome = outputs
                    .outcomes
                    .iter()
                    .enumerate()
                    .map(|(o, c)| {
                        let effect = differences(&values[w][v][o], &values[w][k][o]);
                        let mut correlations: Vec<(String, f64)> = paths
                            .iter()
                            .enumerate()
                            .filter_map(|(p, path)| {
                                rank_correlation(&column(k, p), &effect)
                                    .or_else(|| rank_correlation(&column(v, p), &effect))
                                    .map(|rho| (path.clone(), rho))
                            })
                            .collect();
                        correlations.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
                        Drivers {
                            outcome: c.name.to_string(),
                            correlations,
                        }
                    })
                    .collect();
                out.push(per_outcome);
            }
        }
    }
    out
}
