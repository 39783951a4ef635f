//! The summary table printed after a run: each outcome's mean with its 95% CI.

use orgsim::engine::Trajectory;
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
            "  {:<width$}  {:>10}  {:>23}  {}\n",
            "outcome", "mean", "95% CI", "what the mean is"
        ));
        for o in &s.outcomes {
            let (mean, ci) = match &o.summary {
                None => ("-".to_string(), "(undefined)".to_string()),
                Some(x) => (
                    human(x.mean),
                    x.ci.map_or("(one replicate)".into(), |(lo, hi)| {
                        format!("[{}, {}]", human(lo), human(hi))
                    }),
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
                format!("  {:<width$}  {:>10}  {:>23}  {what}", o.name, mean, ci).trim_end(),
            );
            out.push('\n');
        }
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
/// window, as "reference -> scenario", the difference and the ratio with their 95% CIs.
pub fn render_comparisons(comparisons: &[Comparison], headline: &[String]) -> String {
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
        "\nPaired comparisons (replicate r of each scenario shares its seed; 95% CIs; all \
         outcomes in comparison.csv).\nThe years after a remedy starts come first: the whole \
         run also counts the years before it.\n",
    );
    let mut ordered: Vec<&Comparison> = comparisons
        .iter()
        .filter(|c| c.window != "whole run")
        .collect();
    ordered.extend(comparisons.iter().filter(|c| c.window == "whole run"));
    for c in ordered {
        if !all_pairs && c.versus != first {
            continue;
        }
        out.push_str(&format!("\n{} vs {}, {}\n", c.scenario, c.versus, c.window));
        out.push_str(&format!(
            "  {:<width$}  {:>21}  {:>28}  {:>26}\n",
            "outcome", "reference -> this", "difference [95% CI]", "ratio [95% CI]"
        ));
        for (name, p) in &c.outcomes {
            if !headline.contains(name) {
                continue;
            }
            let Some(p) = p else { continue };
            let diff = match p.difference.1 {
                Some((lo, hi)) => {
                    format!("{} [{}, {}]", signed(p.difference.0), human(lo), human(hi))
                }
                None => signed(p.difference.0),
            };
            // A ratio against a reference near zero says nothing a client should quote.
            let near_zero = p.versus_mean.abs() < 1e-3 * p.mean.abs()
                || p.ratio.is_some_and(|(r, _)| r.abs() > 100.0);
            let ratio = match p.ratio {
                _ if near_zero => "(reference near 0)".into(),
                Some((r, Some((lo, hi)))) => {
                    format!("x{} [{}, {}]", human(r), human(lo), human(hi))
                }
                Some((r, None)) => format!("x{}", human(r)),
                None => "-".into(),
            };
            out.push_str(&format!(
                "  {:<width$}  {:>21}  {:>28}  {:>26}\n",
                name,
                format!("{} -> {}", human(p.versus_mean), human(p.mean)),
                diff,
                ratio
            ));
        }
    }
    out
}
