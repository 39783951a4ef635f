//! The knowledge chart of March (1991) results: the code's knowledge over periods, one line
//! per scenario with its band.

use super::PlotOptions;
use super::captions::{
    band_note, is_percent, metric_axis, provenance, replicates_text, scenario_legend, spread,
    titles,
};
use super::data::Results;
use super::series::{horizon, scenario_lines};
use super::style::Palette;
use super::time_chart::TimeChart;

/// The knowledge chart's plan.
pub(super) fn prepare(results: &Results, opts: &PlotOptions, pal: &Palette) -> TimeChart {
    let n_text = replicates_text(results, "march1991");
    let (title, subtitle) = titles(
        opts,
        "Knowledge of the organizational code",
        format!(
            "March (1991) model \u{b7} {}",
            spread(&n_text, results.band_kind)
        ),
    );
    march_time_chart(results, pal, "knowledge", title, subtitle)
}

/// A March (1991) metric over periods: each scenario's line with its band.
pub(super) fn march_time_chart(
    results: &Results,
    pal: &Palette,
    metric: &str,
    title: String,
    subtitle: String,
) -> TimeChart {
    let lines = scenario_lines(results, pal, "march1991", metric);
    let x_end = horizon(results, "march1991", &lines);
    let n_text = replicates_text(results, "march1991");
    let notes = vec![
        band_note(&lines, &n_text, "period", results.band_kind),
        format!(
            "A run that reached equilibrium keeps its final value in later periods. {}.",
            provenance(results)
        ),
    ];
    TimeChart {
        title,
        subtitle,
        xlabel: "Period".into(),
        ylabel: metric_axis(results, metric),
        percent: is_percent(results, metric),
        legend: scenario_legend(results, pal, "march1991"),
        lines,
        phases: Vec::new(),
        phase_titles: Vec::new(),
        highlight: None,
        vlines: Vec::new(),
        notes,
        mark_peak: false,
        y_floor: None,
        y_fixed: metric.starts_with("phase=").then_some((0.0, 1.0)),
        x_end,
    }
}
