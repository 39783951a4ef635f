//! Reading a finished sweep's files back for `analyze`, strictly: a line that does not have
//! the shape the sweep wrote (a damaged or hand-edited file) stops the analysis with the
//! file and line, rather than turning into a missing or wrong number.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use super::SweepError;

/// `file: line n: what`.
fn at(path: &Path, line: usize, what: impl std::fmt::Display) -> SweepError {
    SweepError::Analysis(format!("{}: line {line}: {what}", path.display()))
}

fn open(path: &Path) -> Result<std::io::BufReader<std::fs::File>, SweepError> {
    let file = std::fs::File::open(path).map_err(|e| SweepError::Io {
        path: path.to_path_buf(),
        message: format!("{e}: is this a finished sweep's directory? (`orgsim status DIR`)"),
    })?;
    Ok(std::io::BufReader::new(file))
}

/// Reads `path` line by line (numbered from 1), stopping at the first error.
fn each_line(
    path: &Path,
    mut f: impl FnMut(usize, &str) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    for (i, line) in open(path)?.lines().enumerate() {
        let line = line.map_err(|e| at(path, i + 1, e))?;
        f(i + 1, &line)?;
    }
    Ok(())
}

/// An optional number: empty is undefined; anything else must be a finite number.
fn number(path: &Path, line: usize, column: &str, text: &str) -> Result<Option<f64>, SweepError> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(at(path, line, format!("{column} `{text}` is not a number"))),
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
    let k = axes.len();
    let header = format!("point,{},outcome,n,mean,sd,ci_low,ci_high", axes.join(","));
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
    each_line(&path, |line, text| {
        if line == 1 {
            return if text == header {
                Ok(())
            } else {
                Err(at(
                    &path,
                    1,
                    format!("the header is `{text}`; this sweep's is `{header}`"),
                ))
            };
        }
        let f: Vec<&str> = text.split(',').collect();
        if f.len() != k + 7 {
            return Err(at(
                &path,
                line,
                format!("{} fields where the header has {}", f.len(), k + 7),
            ));
        }
        let p = match f[0].parse::<usize>() {
            Ok(p) if p < n_points => p,
            _ => {
                return Err(at(
                    &path,
                    line,
                    format!(
                        "point `{}` is not 0 to {}",
                        f[0],
                        n_points.saturating_sub(1)
                    ),
                ));
            }
        };
        let Some(&o) = index.get(f[k + 1]) else {
            return Err(at(
                &path,
                line,
                format!("`{}` is not an outcome of this sweep", f[k + 1]),
            ));
        };
        if std::mem::replace(&mut seen[p * outcomes.len() + o], true) {
            return Err(at(
                &path,
                line,
                format!("point {p}, outcome {} appears twice", f[k + 1]),
            ));
        }
        let labels: Vec<String> = f[1..=k].iter().map(|s| s.to_string()).collect();
        if table.labels[p].is_empty() {
            table.labels[p] = labels;
        } else if table.labels[p] != labels {
            return Err(at(
                &path,
                line,
                format!("point {p}'s values differ from its other lines"),
            ));
        }
        let n = f[k + 2]
            .parse::<u64>()
            .map_err(|_| at(&path, line, format!("n `{}` is not a count", f[k + 2])))?;
        let mean = number(&path, line, "mean", f[k + 3])?;
        number(&path, line, "sd", f[k + 4])?;
        let lo = number(&path, line, "ci_low", f[k + 5])?;
        let hi = number(&path, line, "ci_high", f[k + 6])?;
        if (n == 0) != mean.is_none() {
            return Err(at(&path, line, format!("n = {n} with mean `{}`", f[k + 3])));
        }
        let name = &outcomes[o];
        table
            .means
            .get_mut(name)
            .expect("every outcome has a column")[p] = mean.unwrap_or(f64::NAN);
        table.cis.get_mut(name).expect("every outcome has a column")[p] = lo.zip(hi);
        Ok(())
    })?;
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
    let mut rows = Vec::with_capacity(n);
    each_line(&path, |line, text| {
        if line == 1 {
            return Ok(());
        }
        let f: Vec<&str> = text.split(',').collect();
        if f.len() != k + 1 || f[0].parse::<usize>().ok() != Some(rows.len()) {
            return Err(at(
                &path,
                line,
                format!("expected point {} and {k} coordinates", rows.len()),
            ));
        }
        let row = f[1..]
            .iter()
            .map(|x| match x.parse::<f64>() {
                Ok(u) if (0.0..=1.0).contains(&u) => Ok(u),
                _ => Err(at(
                    &path,
                    line,
                    format!("`{x}` is not a position in [0, 1]"),
                )),
            })
            .collect::<Result<Vec<f64>, _>>()?;
        if rows.len() == n {
            return Err(at(&path, line, format!("more than {n} points")));
        }
        rows.push(row);
        Ok(())
    })?;
    if rows.len() != n {
        return Err(SweepError::Analysis(format!(
            "{}: {} points where the sweep has {n}",
            path.display(),
            rows.len()
        )));
    }
    Ok(rows)
}

/// Per outcome, the share of runs (in `runs.csv`) whose value is near zero: within 1% of
/// the largest absolute value of any run. Undefined values are not counted.
pub fn near_zero_shares(
    dir: &Path,
    outcomes: &[String],
) -> Result<BTreeMap<String, f64>, SweepError> {
    let path = dir.join("runs.csv");
    let mut columns: Vec<usize> = Vec::new();
    let mut width = 0;
    // Two passes over the file: the largest values, then the counts (memory does not grow
    // with the runs).
    let mut largest = vec![0.0f64; outcomes.len()];
    let mut near = vec![0u64; outcomes.len()];
    let mut defined = vec![0u64; outcomes.len()];
    for pass in 0..2 {
        each_line(&path, |line, text| {
            let f: Vec<&str> = text.split(',').collect();
            if line == 1 {
                width = f.len();
                columns = outcomes
                    .iter()
                    .map(|o| f.iter().position(|h| h == o))
                    .collect::<Option<Vec<usize>>>()
                    .ok_or_else(|| at(&path, 1, "the header lacks some of the outcomes"))?;
                return Ok(());
            }
            if f.len() != width {
                return Err(at(
                    &path,
                    line,
                    format!("{} fields where the header has {width}", f.len()),
                ));
            }
            for (i, &c) in columns.iter().enumerate() {
                let Some(v) = number(&path, line, &outcomes[i], f[c])? else {
                    continue;
                };
                if pass == 0 {
                    largest[i] = largest[i].max(v.abs());
                } else {
                    defined[i] += 1;
                    near[i] += u64::from(v.abs() <= 0.01 * largest[i]);
                }
            }
            Ok(())
        })?;
    }
    Ok(outcomes
        .iter()
        .enumerate()
        .filter(|&(i, _)| defined[i] > 0)
        .map(|(i, o)| (o.clone(), near[i] as f64 / defined[i] as f64))
        .collect())
}
