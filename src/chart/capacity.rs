//! The innovation capacity chart (expected innovations a year) and its per-100-employees
//! variant: one line per scenario with its band, the first scenario's phases behind, the
//! interventions, and (absolute capacity only) the peak of the mean curve.

use super::PlotOptions;
use super::captions::{
    band_note, is_percent, metric_axis, provenance, replicates_text, scenario_legend, spread,
    titles,
};
use super::data::Results;
use super::series::{horizon, intervention_lines, scenario_lines};
use super::style::Palette;
use super::time_chart::TimeChart;

/// The capacity chart's plan (per 100 employees if `per_100`).
pub(super) fn prepare(
    results: &Results,
    opts: &PlotOptions,
    pal: &Palette,
    per_100: bool,
) -> TimeChart {
    let metric = if per_100 {
        "innovation_capacity_per_100"
    } else {
        "innovation_capacity"
    };
    let n_text = replicates_text(results, "lifecycle");
    let (title, subtitle) = if per_100 {
        titles(
            opts,
            "Innovation capacity per 100 employees",
            "How much innovation the setting of an average employee supports: expected innovations a year for every 100 people".into(),
        )
    } else {
        titles(
            opts,
            "Innovation capacity over the organization\u{2019}s life",
            format!(
                "Expected innovations a year \u{b7} {}",
                spread(&n_text, results.band_kind)
            ),
        )
    };
    // The absolute curve's peak is the story's turning point; per 100 it is the founding.
    lifecycle_time_chart(results, pal, metric, title, subtitle, !per_100)
}

/// A life-cycle metric over the years: each scenario's line, the first scenario's phases,
/// every intervention, and the peak marked if `mark_peak`.
pub(super) fn lifecycle_time_chart(
    results: &Results,
    pal: &Palette,
    metric: &str,
    title: String,
    subtitle: String,
    mark_peak: bool,
) -> TimeChart {
    let lines = scenario_lines(results, pal, "lifecycle", metric);
    let first = results.of_model("lifecycle").next().map(|(_, s)| s);
    let phases = first
        .map(|f| results.phase_spans(&f.name, &results.columns.label_names("phase"), 0.25))
        .unwrap_or_default();
    let horizon = horizon(results, "lifecycle", &lines);
    let n_text = replicates_text(results, "lifecycle");
    let mut notes = vec![band_note(&lines, &n_text, "week", results.band_kind)];
    if mark_peak && lines.iter().any(|l| l.peak.is_some()) {
        notes.push(if lines.iter().all(|l| l.band.is_empty()) {
            "Marked: the run\u{2019}s peak (peak_capacity in runs.csv).".to_string()
        } else {
            "Marked: the peak of the mean curve (the highest weekly mean in bands.csv). Each run\u{2019}s own peak, peak_capacity in runs.csv, is higher: noise lifts it.".to_string()
        });
    }
    if let Some(f) = first
        && !phases.is_empty()
    {
        notes.push(format!(
            "Background: the life-cycle phases of \u{201c}{}\u{201d} (the phase most of its replicates are in). Vertical lines: interventions. {}.",
            f.display(),
            provenance(results)
        ));
    }
    // A phase share is drawn as what it is, a share from 0 to 1.
    let y_fixed = metric.starts_with("phase=").then_some((0.0, 1.0));
    TimeChart {
        title,
        subtitle,
        xlabel: "Years since founding".into(),
        ylabel: metric_axis(results, metric),
        percent: is_percent(results, metric),
        legend: scenario_legend(results, pal, "lifecycle"),
        lines,
        phases,
        phase_titles: results.columns.labels("phase").1,
        highlight: None,
        vlines: intervention_lines(results, pal, horizon.unwrap_or(0.0), true, true),
        notes,
        mark_peak,
        y_floor: Some(0.0),
        y_fixed,
        x_end: horizon,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Theme;
    use crate::chart::fixture::{band, marker, results, scenario};

    #[test]
    fn the_capacity_chart_marks_the_peak_and_each_intervention() {
        let x: Vec<f64> = (0..=20).map(f64::from).collect();
        let mean: Vec<f64> = x.iter().map(|y| 10.0 * y - 0.5 * y * y).collect();
        let mut remedy = scenario(1, "dual-system", 20.0, 2);
        remedy.interventions = vec![marker("Dual operating system", 10.0, None, None)];
        let r = results(
            vec![scenario(0, "baseline", 20.0, 2), remedy],
            vec![
                ("baseline", "innovation_capacity", band(&x, &mean, true)),
                ("dual-system", "innovation_capacity", band(&x, &mean, true)),
                (
                    "baseline",
                    "innovation_capacity_per_100",
                    band(&x, &mean, true),
                ),
            ],
        );
        let pal = Palette::of(Theme::Light);
        let t = prepare(&r, &PlotOptions::default(), &pal, false);
        assert_eq!(t.lines.len(), 2);
        assert!(t.mark_peak);
        assert_eq!(t.lines[0].peak, Some((10.0, 50.0)));
        assert_eq!(t.x_end, Some(20.0));
        assert_eq!(t.y_floor, Some(0.0));
        assert_eq!(t.vlines.len(), 1);
        assert_eq!(
            t.vlines[0].label.as_deref(),
            Some("dual-system: Dual operating system from year 10")
        );
        assert!(
            t.notes
                .iter()
                .any(|n| n.starts_with("Marked: the peak of the mean curve"))
        );
        assert!(t.subtitle.contains("mean of 2 replicates per scenario"));
        // Per 100 employees: no peak marked; a title given replaces the chart's.
        let opts = PlotOptions {
            title: Some("Acme".into()),
            ..PlotOptions::default()
        };
        let t = prepare(&r, &opts, &pal, true);
        assert!(!t.mark_peak && t.title == "Acme");
        assert_eq!(t.lines.len(), 1);
    }
}
