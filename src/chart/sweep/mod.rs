//! Charts of a sweep's analysis: a tornado of sensitivity indices, and for grids the outcome
//! across one or two axes (lines with bands, and a heatmap), in the style of the run charts.

use std::path::{Path, PathBuf};

use super::{ChartError, PlotOptions, save};

mod effects;
mod heatmap;
mod tornado;

pub use tornado::tornado;

/// One parameter's bar in a tornado chart: the main index (estimate, low, high) and an
/// optional second one drawn thinner beneath it.
#[derive(Clone, Debug)]
pub struct SensitivityBar {
    /// The parameter's path.
    pub parameter: String,
    /// (estimate, low, high) of the main index.
    pub main: (f64, f64, f64),
    /// (estimate, low, high) of the second index.
    pub second: Option<(f64, f64, f64)>,
}

/// A grid sweep's outcome at each point, for the grid charts.
#[derive(Clone, Debug)]
pub struct GridView {
    /// The axes' paths (one or two are charted).
    pub axes: Vec<String>,
    /// Per point, the axes' values as text.
    pub labels: Vec<Vec<String>>,
    /// Per point, the outcome's mean across replicates.
    pub means: Vec<f64>,
    /// Per point, the 95% CI of the mean.
    pub cis: Vec<Option<(f64, f64)>>,
    /// The outcome's name.
    pub outcome: String,
    /// The outcome's title in running text (from its declaration, see
    /// [`super::outcome_title`]).
    pub outcome_title: String,
}

/// Draws a grid sweep's outcome: `effects` (the outcome against the first axis, one line per
/// value of the second) and, for two axes, `heatmap`.
pub fn grid_charts(
    dir: &Path,
    view: &GridView,
    subtitle: &str,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, ChartError> {
    let mut files = save(
        &effects::prepare(view, subtitle, opts),
        dir,
        "effects",
        opts,
    )?;
    if view.axes.len() == 2 {
        files.extend(save(
            &heatmap::prepare(view, subtitle, opts),
            dir,
            "heatmap",
            opts,
        )?);
    }
    Ok(files)
}

impl GridView {
    /// The distinct values of axis `a`, in first-seen order.
    pub fn distinct(&self, a: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in &self.labels {
            if let Some(v) = l.get(a)
                && !out.contains(v)
            {
                out.push(v.clone());
            }
        }
        out
    }
}

/// A title in running text as a label: its first letter capitalized.
fn readable_outcome(title: &str) -> String {
    let mut ch = title.chars();
    ch.next()
        .map(|f| f.to_uppercase().collect::<String>() + ch.as_str())
        .unwrap_or_default()
}
