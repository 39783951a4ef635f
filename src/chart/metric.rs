//! One metric of `bands.csv` over time (`orgsim plot DIR --metric NAME`), drawn as the
//! model's time chart with the metric's declared title and axis.

use super::PlotOptions;
use super::capacity::lifecycle_time_chart;
use super::captions::{metric_title, replicates_text, spread, titles};
use super::columns::readable;
use super::data::Results;
use super::knowledge::march_time_chart;
use super::style::Palette;
use super::time_chart::TimeChart;

/// The plan of `metric`'s chart.
pub(super) fn prepare(
    results: &Results,
    opts: &PlotOptions,
    pal: &Palette,
    metric: &str,
) -> TimeChart {
    let model = if results.scenarios.iter().any(|s| s.model == "lifecycle") {
        "lifecycle"
    } else {
        "march1991"
    };
    let n_text = replicates_text(results, model);
    let (title, subtitle) = titles(
        opts,
        &metric_title(results, metric),
        readable(&spread(&n_text, results.band_kind)),
    );
    if model == "lifecycle" {
        lifecycle_time_chart(results, pal, metric, title, subtitle, false)
    } else {
        march_time_chart(results, pal, metric, title, subtitle)
    }
}
