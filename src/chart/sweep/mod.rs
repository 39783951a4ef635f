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

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(labels: &[[&str; 2]], means: &[f64]) -> GridView {
        GridView {
            axes: vec!["march.p1".into(), "march.p2".into()],
            labels: labels
                .iter()
                .map(|l| l.iter().map(|v| v.to_string()).collect())
                .collect(),
            means: means.to_vec(),
            cis: vec![None; means.len()],
            outcome: "equilibrium_knowledge".into(),
            outcome_title: "equilibrium knowledge".into(),
        }
    }

    #[test]
    fn a_tornado_ranks_its_bars_and_its_axis_takes_in_zero() {
        let bars = [
            SensitivityBar {
                parameter: "a".into(),
                main: (0.2, 0.1, 0.3),
                second: None,
            },
            SensitivityBar {
                parameter: "b".into(),
                main: (0.6, 0.5, 0.7),
                second: Some((0.4, -0.1, 0.5)),
            },
        ];
        let t = tornado::prepare("T", "S", "x", ("ST", "S1"), &bars, &PlotOptions::default());
        let plan = format!(
            "{:?}",
            t.bars.iter().map(|b| &b.parameter).collect::<Vec<_>>()
        );
        assert_eq!(plan, r#"["b", "a"]"#);
        assert_eq!(t.range, (-0.1, 0.7));
    }

    #[test]
    fn grid_charts_plan_lines_per_value_and_cells_per_pair() {
        let v = grid(
            &[["0.1", "0.5"], ["0.2", "0.5"], ["0.1", "0.9"]],
            &[0.8, 0.7, f64::NAN],
        );
        let e = effects::prepare(&v, "sub", &PlotOptions::default());
        let lines = e.lines.as_ref().expect("a numeric first axis");
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0].iter().map(|p| p.0).collect::<Vec<_>>(),
            vec![0.1, 0.2]
        );
        assert_eq!(e.y, (0.7, 0.8));
        let h = heatmap::prepare(&v, "sub", &PlotOptions::default());
        assert_eq!(h.cols, vec!["0.1", "0.2"]);
        assert_eq!(h.cells[0], vec![Some(0.8), Some(0.7)]);
        assert!(h.cells[1][0].is_some_and(f64::is_nan));
        assert_eq!(h.cells[1][1], None);
        assert_eq!(h.range, (0.7, 0.8));
        let words = grid(&[["low", "0.5"]], &[1.0]);
        assert!(
            effects::prepare(&words, "sub", &PlotOptions::default())
                .lines
                .is_err()
        );
    }
}
