//! A sampled sweep's `design.csv`: each point's position in [0, 1] on each axis (the unit
//! coordinates its values came from), `point,unit:<axis>,...`.

use std::path::Path;

use crate::output::{CsvRows, FileError, fmt_num};

/// The whole file's text.
pub fn text(axes: &[String], unit: &[Vec<f64>]) -> String {
    let mut text = format!(
        "point,{}\n",
        axes.iter()
            .map(|p| format!("unit:{p}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    for (i, row) in unit.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|&u| fmt_num(u)).collect();
        text.push_str(&format!("{i},{}\n", cells.join(",")));
    }
    text
}

/// Reads the `design.csv` at `path` of a sweep with `n` points and `k` axes, strictly.
pub fn read(path: &Path, n: usize, k: usize) -> Result<Vec<Vec<f64>>, FileError> {
    let mut rows = CsvRows::open_any(path)?;
    let header = rows.header();
    if header.len() != k + 1
        || header[0] != "point"
        || !header[1..].iter().all(|h| h.starts_with("unit:"))
    {
        return Err(FileError::new(
            path,
            format!(
                "line 1: the header is `{}`, where a design of {k} axes has `point` and {k} `unit:` columns",
                header.join(",")
            ),
        ));
    }
    let mut out = Vec::with_capacity(n);
    while rows.next_row()? {
        if rows.text(0).parse::<usize>().ok() != Some(out.len()) {
            return Err(rows.error(format!("expected point {} and {k} coordinates", out.len())));
        }
        if out.len() == n {
            return Err(rows.error(format!("more than {n} points")));
        }
        let row = (1..=k)
            .map(|i| match rows.real(i)? {
                Some(u) if (0.0..=1.0).contains(&u) => Ok(u),
                _ => Err(rows.error(format!("`{}` is not a position in [0, 1]", rows.text(i)))),
            })
            .collect::<Result<Vec<f64>, _>>()?;
        out.push(row);
    }
    if out.len() != n {
        return Err(FileError::new(
            path,
            format!("{} points where the sweep has {n}", out.len()),
        ));
    }
    Ok(out)
}
