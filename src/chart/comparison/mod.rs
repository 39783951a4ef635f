//! The comparison chart: each scenario's paired difference from the first, per outcome, as a
//! forest plot. Rows are labelled once, at the left of each row of panels (the scenario in
//! its colour, and the window), so the numbers beside each interval carry only numbers; a
//! number that does not fit is set smaller, then as "difference ± half-width", and only then
//! left out (the footnote says so), never cut.

mod layout;

use super::PlotOptions;
use super::captions::{provenance, titles};
use super::columns::Columns;
use super::data::{ComparisonRow, Results, ScenarioInfo};
use super::frame::{LegendItem, Sample};
use super::style::{Dash, Palette};
use crate::numbers::{decimals_for_value, number, signed};

pub(super) use layout::draw;

/// The chart's outcomes, in order, where present: the effect on innovation, then its cost
/// (delivery time lost, efficiency) and on size. Each run's own peak is left to
/// `comparison.csv`: a remedy's re-seating jumps make it a poor summary of its effect.
const MAIN_OUTCOMES: &[&str] = &[
    "mean_capacity_per_100",
    "capacity_auc",
    "cumulative_innovations",
    "delivery_person_weeks_lost",
    "mean_efficiency",
    "final_headcount",
    "equilibrium_knowledge",
    "periods",
];

/// Tick labels, row labels and numbers, at the design size.
const TICK: f64 = 21.0;

/// One row of every panel: a compared scenario over one window.
#[derive(Clone)]
struct Slot<'a> {
    scenario: &'a ScenarioInfo,
    window: String,
    /// Whether it is the scenario's first row (which carries its name).
    first: bool,
}

/// How a row's numbers are written: "+3.2 [+1.1 to +5.3]", or, where that does not fit,
/// "+3.2 ± 2.1" (the intervals are symmetric: mean ± t x standard error).
#[derive(Clone, Copy, PartialEq)]
enum Form {
    Bracket,
    PlusMinus,
}

fn numbers(r: &ComparisonRow, form: Form) -> String {
    let d = decimals_for_value(
        r.difference
            .abs()
            .max(r.ci.map_or(0.0, |(a, b)| (b - a) / 2.0)),
    );
    match (r.ci, form) {
        (None, _) => format!("{} (no interval)", signed(r.difference, d)),
        (Some((a, b)), Form::Bracket) => format!(
            "{} [{} to {}]",
            signed(r.difference, d),
            signed(a, d),
            signed(b, d)
        ),
        (Some((a, b)), Form::PlusMinus) => {
            // The half-width with two significant figures of its own where it is much
            // smaller than the difference (0.042 ± 0.00030, not ± 0.000).
            let half = (b - a) / 2.0;
            let dh = d.max(decimals_for_value(half));
            format!("{} \u{b1} {}", signed(r.difference, d), number(half, dh))
        }
    }
}

/// The span a row draws: its difference, its 95% CI and where 80% of its runs fall.
fn extent(r: &ComparisonRow) -> (f64, f64) {
    [r.ci, r.pi]
        .into_iter()
        .flatten()
        .fold((r.difference, r.difference), |(lo, hi), (a, b)| {
            (lo.min(a), hi.max(b))
        })
}

/// Whether an interval is symmetric about its difference (so "±" states it exactly).
fn symmetric(r: &ComparisonRow) -> bool {
    r.ci.is_none_or(|(a, b)| {
        let half = (b - a) / 2.0;
        ((r.difference - a) - half).abs() <= 1e-9 * half.abs().max(r.difference.abs()).max(1e-300)
    })
}

/// What the comparison chart draws.
pub(super) enum Comparison<'a> {
    /// No scenarios: a message under the title.
    NoScenarios { title: String },
    /// No paired comparisons: a message under the header.
    NoPairs {
        title: String,
        subtitle: String,
        notes: Vec<String>,
    },
    /// The forest plot.
    Pairs(Pairs<'a>),
}

/// The forest plot's data: each compared scenario's rows per window and outcome.
pub(super) struct Pairs<'a> {
    /// The compared scenarios, in order.
    others: Vec<&'a ScenarioInfo>,
    /// Their paired comparisons with the reference.
    rows: Vec<ComparisonRow>,
    /// One slot per scenario and window.
    slots: Vec<Slot<'a>>,
    /// The outcomes drawn, one panel each.
    outcomes: Vec<String>,
    columns: &'a Columns,
    /// Title and subtitle when every row is over the run's window, and when windows differ.
    headers: [(String, String); 2],
    notes: Vec<String>,
    /// The compared scenarios, for a legend when their names do not fit beside the rows.
    legend: Vec<LegendItem>,
}

/// The comparison chart's plan: the first scenario is the reference.
pub(super) fn prepare<'a>(
    results: &'a Results,
    opts: &PlotOptions,
    pal: &Palette,
) -> Comparison<'a> {
    let Some(reference) = results.scenarios.first() else {
        return Comparison::NoScenarios {
            title: opts.title.clone().unwrap_or_default(),
        };
    };
    let others: Vec<&ScenarioInfo> = results.scenarios.iter().skip(1).collect();
    let rows: Vec<ComparisonRow> = others
        .iter()
        .flat_map(|s| results.paired(&s.name, &reference.name))
        .collect();
    // The run's outcome window is the first one comparison.csv lists for each pair.
    let window = rows
        .first()
        .map(|r| r.window.clone())
        .unwrap_or_else(|| "whole run".into());
    // One slot per scenario and window: the run's window first, then the years after the
    // scenario's first intervention (where the remedy's effect is), as comparison.csv has them.
    let mut all_slots: Vec<Slot> = Vec::new();
    for s in &others {
        all_slots.push(Slot {
            scenario: s,
            window: window.clone(),
            first: true,
        });
        for r in rows
            .iter()
            .filter(|r| r.scenario == s.name && r.window != window)
        {
            if !all_slots
                .iter()
                .any(|x| x.scenario.name == s.name && x.window == r.window)
            {
                all_slots.push(Slot {
                    scenario: s,
                    window: r.window.clone(),
                    first: false,
                });
            }
        }
    }
    let mut outcomes: Vec<String> = MAIN_OUTCOMES
        .iter()
        .filter(|o| rows.iter().any(|r| &r.outcome == *o))
        .map(|o| o.to_string())
        .collect();
    if outcomes.is_empty() {
        for r in &rows {
            if !outcomes.contains(&r.outcome) && outcomes.len() < 6 {
                outcomes.push(r.outcome.clone());
            }
        }
    }
    let n = rows.iter().map(|r| r.n).max().unwrap_or(0);
    let pairs = format!("{n} pair{}", if n == 1 { "" } else { "s" });
    let interval = if rows.iter().any(|r| r.pi.is_some()) {
        "dot and thick bar: mean and its 95% confidence interval; thin line: where 80% of runs\u{2019} differences fall"
    } else if rows.iter().any(|r| r.ci.is_some()) {
        "with its 95% confidence interval"
    } else {
        "no confidence interval from a single pair"
    };
    let header = |windows_differ: bool| {
        titles(
            opts,
            &format!(
                "What each scenario changes against \u{201c}{}\u{201d}",
                reference.display()
            ),
            format!(
                "Paired difference, scenario minus reference, {interval} \u{b7} {window}{} \u{b7} {pairs}",
                if windows_differ {
                    ", and the 5 years after each intervention starts"
                } else {
                    ""
                }
            ),
        )
    };
    let mut notes = vec![
        "A thick bar (95% CI of the mean) that does not cross the zero line is a difference unlikely to be chance (5% level).".to_string(),
        format!(
            "Each replicate of every scenario shares its seed, so differences are paired. {}.",
            provenance(results)
        ),
    ];
    if rows.iter().any(|r| r.pi.is_some()) {
        notes.insert(
            1,
            "Thin line: the 10th to 90th percentile of the replicates\u{2019} own paired differences, where one more pair of runs would fall four times in five; it does not narrow as replicates grow.".to_string(),
        );
    }
    if outcomes.is_empty() || others.is_empty() {
        let (title, subtitle) = header(false);
        return Comparison::NoPairs {
            title,
            subtitle,
            notes,
        };
    }
    let legend: Vec<LegendItem> = others
        .iter()
        .map(|s| LegendItem {
            label: s.display().to_string(),
            color: pal.scenario(s.index),
            dash: Dash::Solid,
            sample: Sample::Line,
        })
        .collect();
    Comparison::Pairs(Pairs {
        headers: [header(false), header(true)],
        others,
        rows,
        slots: all_slots,
        outcomes,
        columns: &results.columns,
        notes,
        legend,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Theme;
    use crate::chart::fixture::{comparison, results, scenario};

    #[test]
    fn rows_come_per_scenario_and_window_and_panels_in_the_main_outcomes_order() {
        let pal = Palette::of(Theme::Light);
        let none = results(Vec::new(), Vec::new());
        assert!(matches!(
            prepare(&none, &PlotOptions::default(), &pal),
            Comparison::NoScenarios { .. }
        ));
        let mut r = results(
            vec![
                scenario(0, "baseline", 20.0, 10),
                scenario(1, "dual-system", 20.0, 10),
                scenario(2, "task-forces", 20.0, 10),
            ],
            Vec::new(),
        );
        assert!(matches!(
            prepare(&r, &PlotOptions::default(), &pal),
            Comparison::NoPairs { .. }
        ));
        r.comparisons = vec![
            comparison("dual-system", "baseline", "whole run", "capacity_auc"),
            comparison(
                "dual-system",
                "baseline",
                "whole run",
                "mean_capacity_per_100",
            ),
            comparison("dual-system", "baseline", "years 10-15", "capacity_auc"),
            comparison("task-forces", "baseline", "whole run", "capacity_auc"),
            comparison("task-forces", "baseline", "whole run", "unlisted"),
        ];
        let Comparison::Pairs(p) = prepare(&r, &PlotOptions::default(), &pal) else {
            panic!("paired comparisons draw a forest plot");
        };
        let slots: Vec<(&str, &str, bool)> = p
            .slots
            .iter()
            .map(|s| (s.scenario.name.as_str(), s.window.as_str(), s.first))
            .collect();
        assert_eq!(
            slots,
            vec![
                ("dual-system", "whole run", true),
                ("dual-system", "years 10-15", false),
                ("task-forces", "whole run", true),
            ]
        );
        assert_eq!(p.outcomes, vec!["mean_capacity_per_100", "capacity_auc"]);
        assert!(
            p.headers[1]
                .1
                .contains("and the 5 years after each intervention starts")
        );
        assert!(!p.headers[0].1.contains("5 years after"));
        assert_eq!(p.legend.len(), 2);
    }

    #[test]
    fn numbers_are_written_as_an_interval_or_plus_minus() {
        let r = comparison("b", "a", "whole run", "capacity_auc");
        assert_eq!(numbers(&r, Form::Bracket), "+10 [+8 to +12]");
        assert_eq!(numbers(&r, Form::PlusMinus), "+10 \u{b1} 2.0");
        assert!(symmetric(&r));
        let lopsided = ComparisonRow {
            ci: Some((8.0, 14.0)),
            ..r.clone()
        };
        assert!(!symmetric(&lopsided));
        let single = ComparisonRow { ci: None, ..r };
        assert_eq!(numbers(&single, Form::Bracket), "+10 (no interval)");
    }
}
