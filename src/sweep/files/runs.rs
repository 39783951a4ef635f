//! A sweep's `runs.csv`: one row per run, `point,<axes>,replicate,seed,<outcomes>`, in run
//! order.

use std::path::Path;

use crate::output::{CsvRows, FileError, fmt_opt};

/// The header (with its newline).
pub fn header(axes: &[String], outcomes: &[String]) -> String {
    format!(
        "point,{},replicate,seed,{}\n",
        axes.join(","),
        outcomes.join(",")
    )
}

/// The row of one run (with its newline); `labels` are the point's axis values as text,
/// joined by commas.
pub fn row(
    point: u64,
    labels: &str,
    replicate: u64,
    seed: u64,
    outcomes: &[Option<f64>],
) -> String {
    let mut text = format!("{point},{labels},{replicate},{seed}");
    for o in outcomes {
        text.push(',');
        text.push_str(&fmt_opt(*o));
    }
    text.push('\n');
    text
}

/// One row of `runs.csv`, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRow {
    /// The point.
    pub point: u64,
    /// The point's axis values, as written.
    pub labels: Vec<String>,
    /// The replicate.
    pub replicate: u64,
    /// The run's seed.
    pub seed: u64,
    /// Its outcomes (`None` where undefined).
    pub outcomes: Vec<Option<f64>>,
}

/// Reads the `runs.csv` at `path` of a sweep with `axes` and `outcomes`, strictly, handing
/// each row to `f` in file order.
pub fn read(
    path: &Path,
    axes: &[String],
    outcomes: &[String],
    f: &mut dyn FnMut(RunRow) -> Result<(), FileError>,
) -> Result<(), FileError> {
    let mut rows = CsvRows::open(path, header(axes, outcomes).trim_end())?;
    let k = axes.len();
    while rows.next_row()? {
        f(RunRow {
            point: rows.count(0)?,
            labels: (1..=k).map(|i| rows.text(i).to_string()).collect(),
            replicate: rows.count(k + 1)?,
            seed: rows.count(k + 2)?,
            outcomes: (k + 3..k + 3 + outcomes.len())
                .map(|i| rows.real(i))
                .collect::<Result<_, _>>()?,
        })?;
    }
    Ok(())
}
