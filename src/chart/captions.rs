//! The words charts share: titles (or the user's), what the lines and bands are, how many
//! replicates, where the results came from, a metric's title and axis, the scenarios' legend.

use super::PlotOptions;
use super::columns::{column_axis, column_title, is_share};
use super::data::{BandKind, Results};
use super::frame::{LegendItem, Sample};
use super::series::Line;
use super::style::{Dash, Palette};

/// A `phase=NAME` metric of `bands.csv` (the share of replicates in that phase): the
/// phase's name, and its declared title where the name alone does not say what it means.
fn phase_share(results: &Results, metric: &str) -> Option<String> {
    let name = metric.strip_prefix("phase=")?;
    let (labels, titles) = results.columns.labels("phase");
    let title = labels
        .iter()
        .position(|l| l == name)
        .and_then(|k| titles.get(k))
        .map(|t| t.to_lowercase())
        .filter(|t| *t != name.replace('_', " "));
    let name = name.replace('_', " ");
    Some(match title {
        Some(t) => format!("{name} phase ({t})"),
        None => format!("{name} phase"),
    })
}

pub(super) fn metric_title(results: &Results, metric: &str) -> String {
    if let Some(phase) = phase_share(results, metric) {
        return format!("Share of replicates in the {phase}");
    }
    column_title(&results.columns, metric)
}

pub(super) fn metric_axis(results: &Results, metric: &str) -> String {
    if phase_share(results, metric).is_some() {
        return "Share of replicates (0\u{2013}1)".into();
    }
    column_axis(&results.columns, metric)
}

pub(super) fn is_percent(results: &Results, metric: &str) -> bool {
    is_share(&results.columns, metric)
}

pub(super) fn titles(opts: &PlotOptions, title: &str, subtitle: String) -> (String, String) {
    (
        opts.title.clone().unwrap_or_else(|| title.to_string()),
        opts.subtitle.clone().unwrap_or(subtitle),
    )
}

pub(super) fn replicates_text(results: &Results, model: &str) -> String {
    let ns: Vec<u64> = results.of_model(model).map(|(_, s)| s.replicates).collect();
    match (ns.iter().min(), ns.iter().max()) {
        (Some(a), Some(b)) if a == b => format!("{a} replicate{}", if *a == 1 { "" } else { "s" }),
        (Some(a), Some(b)) => format!("{a}\u{2013}{b} replicates"),
        _ => "no replicates".into(),
    }
}

/// What the lines and bands are, for a subtitle: "mean of 50 replicates per scenario, with
/// its 95% confidence band" (or the band where 80% of runs fall), or, with one replicate,
/// that there is no band.
pub(super) fn spread(n_text: &str, kind: BandKind) -> String {
    if n_text == "1 replicate" {
        "a single replicate per scenario, so no confidence band".into()
    } else {
        format!("mean of {n_text} per scenario, {}", kind.subtitle())
    }
}

pub(super) fn provenance(results: &Results) -> String {
    let mut s = format!(
        "orgsim {}",
        results
            .version
            .as_deref()
            .unwrap_or(env!("CARGO_PKG_VERSION"))
    );
    if let Some(seed) = results.seed {
        s += &format!(", seed {seed}");
    }
    s
}

/// Notes on what the lines and bands show, or why there are no bands. `step` names one
/// step of the time axis ("week", "period").
pub(super) fn band_note(lines: &[Line], n_text: &str, step: &str, kind: BandKind) -> String {
    let bin = lines.iter().map(|l| l.bin).max().unwrap_or(1);
    let averaged = if bin > 1 {
        format!(" (each point averages {bin} {step}s)")
    } else {
        String::new()
    };
    if lines.is_empty() {
        "No results to draw.".into()
    } else if lines.iter().all(|l| l.band.is_empty()) {
        format!(
            "Lines: {n_text}{averaged}; with a single replicate no confidence band can be drawn."
        )
    } else {
        format!(
            "Lines: mean of {n_text} per scenario{averaged}; {}.",
            kind.note()
        )
    }
}

pub(super) fn scenario_legend(results: &Results, pal: &Palette, model: &str) -> Vec<LegendItem> {
    results
        .of_model(model)
        .map(|(i, s)| LegendItem {
            label: s.display().to_string(),
            color: pal.scenario(i),
            dash: Dash::scenario(i),
            sample: Sample::Line,
        })
        .collect()
}
