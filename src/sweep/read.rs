//! What `analyze` needs from a finished sweep's files, read through their modules
//! (`files::points`, `files::runs`, `files::design`), strictly: a line that does not have
//! the shape the sweep wrote (a damaged or hand-edited file) stops the analysis with the
//! file and line, rather than turning into a missing or wrong number.

use std::collections::BTreeMap;
use std::path::Path;

use super::SweepError;
use super::files::{design, points, runs};
use crate::output::FileError;

/// The hint for a file that is not there.
fn missing(path: &Path, e: FileError) -> SweepError {
    if path.exists() {
        e.into()
    } else {
        SweepError::Io {
            path: path.to_path_buf(),
            message: format!(
                "{}: is this a finished sweep's directory? (`orgsim status DIR`)",
                e.message
            ),
        }
    }
}

/// `points.csv`: per point, the axes' values, and per outcome the mean across replicates
/// (NaN where undefined) and its 95% interval.
pub struct PointTable {
    /// Per point, each axis's value as written.
    pub labels: Vec<Vec<String>>,
    /// Per outcome, per point: the mean.
    pub means: BTreeMap<String, Vec<f64>>,
    /// Per outcome, per point: the interval, when there is one.
    pub cis: BTreeMap<String, Vec<Option<(f64, f64)>>>,
}

/// Reads `points.csv` of a sweep with `axes`, `outcomes` and `n_points` points (from its
/// manifest): every point has one line per outcome, in any order.
pub fn read_points(
    dir: &Path,
    axes: &[String],
    outcomes: &[String],
    n_points: usize,
) -> Result<PointTable, SweepError> {
    let path = dir.join("points.csv");
    let mut table = PointTable {
        labels: vec![Vec::new(); n_points],
        means: outcomes
            .iter()
            .map(|o| (o.clone(), vec![f64::NAN; n_points]))
            .collect(),
        cis: outcomes
            .iter()
            .map(|o| (o.clone(), vec![None; n_points]))
            .collect(),
    };
    let index: BTreeMap<&str, usize> = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| (o.as_str(), i))
        .collect();
    let mut seen = vec![false; n_points * outcomes.len()];
    let at = |line: u64, what: String| FileError::new(&path, format!("line {line}: {what}"));
    points::read(&path, axes, &mut |line, row| {
        let p = match usize::try_from(row.point) {
            Ok(p) if p < n_points => p,
            _ => {
                return Err(at(
                    line,
                    format!(
                        "point `{}` is not 0 to {}",
                        row.point,
                        n_points.saturating_sub(1)
                    ),
                ));
            }
        };
        let Some(&o) = index.get(row.outcome.as_str()) else {
            return Err(at(
                line,
                format!("`{}` is not an outcome of this sweep", row.outcome),
            ));
        };
        if std::mem::replace(&mut seen[p * outcomes.len() + o], true) {
            return Err(at(
                line,
                format!("point {p}, outcome {} appears twice", row.outcome),
            ));
        }
        if table.labels[p].is_empty() {
            table.labels[p] = row.labels;
        } else if table.labels[p] != row.labels {
            return Err(at(
                line,
                format!("point {p}'s values differ from its other lines"),
            ));
        }
        let name = &outcomes[o];
        table
            .means
            .get_mut(name)
            .expect("every outcome has a column")[p] = row.mean.unwrap_or(f64::NAN);
        table.cis.get_mut(name).expect("every outcome has a column")[p] = row.ci;
        Ok(())
    })
    .map_err(|e| missing(&path, e))?;
    if let Some(i) = seen.iter().position(|s| !s) {
        return Err(SweepError::Analysis(format!(
            "{}: point {} has no line for outcome {} (the file is cut short or was edited)",
            path.display(),
            i / outcomes.len(),
            outcomes[i % outcomes.len()]
        )));
    }
    Ok(table)
}

/// `design.csv`: each point's position in [0, 1] on each of `k` axes.
pub fn read_unit(dir: &Path, n: usize, k: usize) -> Result<Vec<Vec<f64>>, SweepError> {
    let path = dir.join("design.csv");
    design::read(&path, n, k).map_err(|e| missing(&path, e))
}

/// Per outcome, the share of runs (in `runs.csv`) whose value is near zero: within 1% of
/// the largest absolute value of any run. Undefined values are not counted.
pub fn near_zero_shares(
    dir: &Path,
    axes: &[String],
    outcomes: &[String],
) -> Result<BTreeMap<String, f64>, SweepError> {
    let path = dir.join("runs.csv");
    // Two passes over the file: the largest values, then the counts (memory does not grow
    // with the runs).
    let mut largest = vec![0.0f64; outcomes.len()];
    runs::read(&path, axes, outcomes, &mut |row| {
        for (l, v) in largest.iter_mut().zip(&row.outcomes) {
            if let Some(v) = v {
                *l = l.max(v.abs());
            }
        }
        Ok(())
    })
    .map_err(|e| missing(&path, e))?;
    let mut near = vec![0u64; outcomes.len()];
    let mut defined = vec![0u64; outcomes.len()];
    runs::read(&path, axes, outcomes, &mut |row| {
        for (i, v) in row.outcomes.iter().enumerate() {
            if let Some(v) = v {
                defined[i] += 1;
                near[i] += u64::from(v.abs() <= 0.01 * largest[i]);
            }
        }
        Ok(())
    })?;
    Ok(outcomes
        .iter()
        .enumerate()
        .filter(|&(i, _)| defined[i] > 0)
        .map(|(i, o)| (o.clone(), near[i] as f64 / defined[i] as f64))
        .collect())
}
