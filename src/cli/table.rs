//! The summary table printed after a run: each outcome's mean with its 95% confidence
//! interval and, beside it, the range where 80% of runs fall; and the paired comparisons,
//! led by the difference in the outcome's units.

use orgsim::engine::{Drivers, Trajectory};
use orgsim::model::Column;
use orgsim::numbers::{human, human_signed as signed};
use orgsim::output::{Comparison, ScenarioSummary};

/// The table for every scenario; `window` says what span the outcomes cover, `outcomes` are
/// the model's outcome declarations (each says what its mean across runs is).
pub fn render(scenarios: &[ScenarioSummary], window: &str, outcomes: &[Column]) -> String {
    let width = scenarios
        .iter()
        .flat_map(|s| s.outcomes.iter().map(|o| o.name.len()))
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = String::new();
    for s in scenarios {
        out.push_str(&format!(
            "\n{} ({} model, {} replicates, outcomes over the {})\n",
            s.name,
            s.model,
            human(s.replicates as f64),
            window
        ));
        out.push_str(&format!(
            "  {:<width$}  {:>10}  {:>23}  {:>23}  {}\n",
            "outcome", "mean", "95% CI of the mean", "80% of runs", "what the mean is"
        ));
        for o in &s.outcomes {
            let (mean, ci, pi) = match &o.summary {
                None => ("-".to_string(), "(undefined)".to_string(), String::new()),
                Some(x) => (
                    human(x.mean),
                    x.ci.map_or("(one replicate)".into(), |(lo, hi)| {
                        format!("[{}, {}]", human(lo), human(hi))
                    }),
                    format!("{} to {}", human(x.p10), human(x.p90)),
                ),
            };
            let mut what = outcomes
                .iter()
                .find(|c| c.name == o.name)
                .map_or(String::new(), |c| c.mean_title.to_string());
            // An outcome some runs leave undefined (a collapse that never came) is a mean
            // of the others: say of how many.
            let n = o.summary.as_ref().map_or(0, |x| x.n as u64);
            if n < s.replicates {
                what = format!(
                    "{what}{}in {} of {} runs",
                    if what.is_empty() { "" } else { ", " },
                    human(n as f64),
                    human(s.replicates as f64)
                );
            }
            out.push_str(
                format!(
                    "  {:<width$}  {:>10}  {:>23}  {:>23}  {what}",
                    o.name, mean, ci, pi
                )
                .trim_end(),
            );
            out.push('\n');
        }
    }
    if !scenarios.is_empty() {
        out.push_str(
            "  (95% CI of the mean: how well the replicates pin down the mean; it narrows as \
             replicates grow.\n   80% of runs: the 10th to 90th percentile of the runs \
             themselves, where one more run would fall\n   four times in five; it does not \
             narrow with more replicates)\n",
        );
    }
    out
}

/// Each scenario's mean trajectory: a few years, key columns, the most frequent phase.
pub fn render_trajectories(trajectories: &[Trajectory]) -> String {
    let mut out = String::new();
    for t in trajectories {
        out.push_str(&format!(
            "\n{}: mean trajectory across replicates\n  {:>5}",
            t.scenario, "year"
        ));
        let short: Vec<String> = t.columns.iter().map(|c| short_column(c)).collect();
        for c in &short {
            out.push_str(&format!("  {c:>14}"));
        }
        out.push('\n');
        for (year, values) in &t.rows {
            out.push_str(&format!("  {:>5}", human(*year)));
            for v in values {
                let text = v.parse::<f64>().map(human).unwrap_or_else(|_| v.clone());
                out.push_str(&format!("  {text:>14}"));
            }
            out.push('\n');
        }
        if let Some(p) = &t.peak {
            out.push_str(&format!(
                "  peak of the mean curve: {} {} in year {:.1}\n",
                short_column(&p.column),
                human(p.value),
                p.year
            ));
        }
    }
    if !trajectories.is_empty() {
        out.push_str(
            "  (density: share of discretionary time taken by process; leaders: share of staff \
             who led or\n   contributed to an initiative in the last 13 weeks; capacity/yr: \
             innovation capacity, expected\n   completed initiatives a year; capacity/100: the \
             same per 100 employees; phase \"dual\": both\n   management and leadership strong, \
             not the intervention. Peak of the mean curve: the highest weekly\n   mean across \
             replicates, as in bands.csv and marked on the capacity chart; peak_capacity \
             below\n   is the mean of each run's own peak, higher because week-to-week noise \
             lifts each run's maximum)\n",
        );
    }
    out
}

/// A trajectory column's short name.
fn short_column(c: &str) -> String {
    c.replace("innovation_capacity_per_100", "capacity/100")
        .replace("innovation_capacity", "capacity/yr")
        .replace("process_density", "density")
        .replace("leadership_share", "leaders")
}

/// The paired comparisons, headline outcomes only: each scenario against the first, per
/// window, led by the mean paired difference in the outcome's units with its 95% CI, then
/// where 80% of the paired differences fall, the two means, and a ratio only where the
/// reference is far from zero. `outcomes` are the model's outcome declarations (units);
/// `drivers`, aligned with `comparisons`, say which uncertain parameters each effect depends
/// on most (empty without uncertain parameters).
pub fn render_comparisons(
    comparisons: &[Comparison],
    drivers: &[Vec<Drivers>],
    headline: &[String],
    outcomes: &[Column],
) -> String {
    if comparisons.is_empty() {
        return String::new();
    }
    let width = headline.iter().map(|h| h.len()).max().unwrap_or(7).max(7);
    // With many scenarios, the console shows each against the first only.
    let scenarios: std::collections::BTreeSet<&str> =
        comparisons.iter().map(|c| c.versus.as_str()).collect();
    let first = comparisons[0].versus.clone();
    let all_pairs = scenarios.len() <= 3;
    let mut out = String::from(
        "\nPaired comparisons: this scenario minus the reference, replicate by replicate \
         (replicate r of each\nscenario shares its seed); all outcomes in comparison.csv. \
         The years after a remedy starts come\nfirst: the whole run also counts the years \
         before it.\n",
    );
    let mut ordered: Vec<usize> = (0..comparisons.len())
        .filter(|&i| comparisons[i].window != "whole run")
        .collect();
    ordered.extend((0..comparisons.len()).filter(|&i| comparisons[i].window == "whole run"));
    let mut any_drivers = false;
    for i in ordered {
        let c = &comparisons[i];
        if !all_pairs && c.versus != first {
            continue;
        }
        out.push_str(&format!("\n{} vs {}, {}\n", c.scenario, c.versus, c.window));
        out.push_str(&format!(
            "  {:<width$}  {:>10}  {:>22}  {:>22}  {:>21}  {:>8}  {}\n",
            "outcome",
            "difference",
            "95% CI of the mean",
            "80% of runs",
            "reference -> this",
            "ratio",
            "measured as"
        ));
        for (name, p) in &c.outcomes {
            if !headline.contains(name) {
                continue;
            }
            let Some(p) = p else { continue };
            let ci = p.difference.1.map_or("(one pair)".into(), |(lo, hi)| {
                format!("[{}, {}]", signed(lo), signed(hi))
            });
            let (lo, hi) = p.difference_spread;
            let pi = format!("{} to {}", signed(lo), signed(hi));
            let ratio = match p.shown_ratio() {
                Some((r, _)) => format!("x{}", human(r)),
                None => "-".into(),
            };
            let unit = outcomes
                .iter()
                .find(|o| o.name == name)
                .map_or(String::new(), Column::label);
            out.push_str(
                format!(
                    "  {:<width$}  {:>10}  {:>22}  {:>22}  {:>21}  {:>8}  {unit}",
                    name,
                    signed(p.difference.0),
                    ci,
                    pi,
                    format!("{} -> {}", human(p.versus_mean), human(p.mean)),
                    ratio,
                )
                .trim_end(),
            );
            out.push('\n');
        }
        let strongest: Vec<String> = drivers
            .get(i)
            .into_iter()
            .flatten()
            .filter(|d| headline.contains(&d.outcome) && !d.correlations.is_empty())
            .map(|d| {
                let top: Vec<String> = d
                    .correlations
                    .iter()
                    .take(3)
                    .map(|(path, rho)| format!("{path} {rho:+.2}"))
                    .collect();
                format!("    {:<width$}  {}\n", d.outcome, top.join(", "))
            })
            .collect();
        if !strongest.is_empty() {
            any_drivers = true;
            out.push_str(
                "  the effect depends most on (rank correlation of each run's draw with its paired difference):\n",
            );
            out.extend(strongest);
        }
    }
    if any_drivers {
        out.push_str(
            "  (rank correlation: Spearman's, from -1 to +1, of an uncertain parameter's draw with \
             the replicates' paired\n   differences; the three strongest per outcome. runs.csv \
             holds each run's draws and outcomes)\n",
        );
    }
    out.push_str(&format!(
        "  (difference: mean of the paired differences; 95% CI of the mean: how well the \
         replicates pin it down;\n   80% of runs: the 10th to 90th percentile of the \
         replicates' own differences. Ratio of the means only\n   where the reference is far \
         from zero: its 95% CI excludes 0 and it is at least {} of the larger mean)\n",
        if orgsim::stats::RATIO_MIN_SHARE == 0.1 {
            "a tenth".to_string()
        } else {
            human(orgsim::stats::RATIO_MIN_SHARE)
        }
    ));
    out
}
