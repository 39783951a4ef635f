//! A sweep's `points.csv`: per point and outcome, `point,<axes>,outcome,n,mean,sd,ci_low,
//! ci_high` (mean across the point's replicates, standard deviation, 95% CI of the mean).

use std::path::Path;

use crate::output::{CsvRows, FileError, fmt_num, fmt_opt};
use crate::stats::Welford;

/// The header (with its newline).
pub fn header(axes: &[String]) -> String {
    format!(
        "point,{},outcome,n,mean,sd,ci_low,ci_high\n",
        axes.join(",")
    )
}

/// The row of one point's outcome (with its newline), from its statistics across
/// replicates; `labels` are the point's axis values as text, joined by commas.
pub fn row(point: u64, labels: &str, outcome: &str, stats: &Welford) -> String {
    match stats.mean() {
        None => format!("{point},{labels},{outcome},0,,,,\n"),
        Some(mean) => {
            let ci = stats.ci();
            format!(
                "{point},{labels},{outcome},{},{},{},{},{}\n",
                stats.n(),
                fmt_num(mean),
                fmt_opt(stats.sd()),
                fmt_opt(ci.map(|c| c.0)),
                fmt_opt(ci.map(|c| c.1))
            )
        }
    }
}

/// One row of `points.csv`, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct PointRow {
    /// The point (as written: the caller checks its range).
    pub point: u64,
    /// The point's axis values, as written.
    pub labels: Vec<String>,
    /// The outcome.
    pub outcome: String,
    /// Replicates where it is defined.
    pub n: u64,
    /// Their mean (`None` when n = 0).
    pub mean: Option<f64>,
    /// Their standard deviation.
    pub sd: Option<f64>,
    /// The 95% confidence interval of the mean.
    pub ci: Option<(f64, f64)>,
}

/// Reads the `points.csv` at `path` of a sweep with `axes`, strictly, handing each row and
/// its line number to `f` in file order.
pub fn read(
    path: &Path,
    axes: &[String],
    f: &mut dyn FnMut(u64, PointRow) -> Result<(), FileError>,
) -> Result<(), FileError> {
    let mut rows = CsvRows::open(path, header(axes).trim_end())?;
    let k = axes.len();
    while rows.next_row()? {
        let point = rows
            .text(0)
            .parse::<u64>()
            .map_err(|_| rows.error(format!("point `{}` is not a point number", rows.text(0))))?;
        let (lo, hi) = (rows.real(k + 5)?, rows.real(k + 6)?);
        let row = PointRow {
            point,
            labels: (1..=k).map(|i| rows.text(i).to_string()).collect(),
            outcome: rows.text(k + 1).to_string(),
            n: rows.count(k + 2)?,
            mean: rows.real(k + 3)?,
            sd: rows.real(k + 4)?,
            ci: lo.zip(hi),
        };
        if (row.n == 0) != row.mean.is_none() {
            return Err(rows.error(format!("n = {} with mean `{}`", row.n, rows.text(k + 3))));
        }
        f(rows.line(), row)?;
    }
    Ok(())
}
