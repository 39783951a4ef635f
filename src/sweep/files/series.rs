//! A sweep's `series.csv`: the kept per-step metrics in long form,
//! `point,replicate,step[,year],metric,value`, in run order.

use std::path::Path;

use crate::output::{CsvRows, FileError, fmt_num, fmt_opt};

/// The header (with its newline).
pub fn header(has_year: bool) -> String {
    let year = if has_year { "year," } else { "" };
    format!("point,replicate,step,{year}metric,value\n")
}

/// The rows of one kept step of a run (each with its newline): one per kept metric.
pub fn rows(
    point: u64,
    replicate: u64,
    step: u64,
    steps_per_year: Option<f64>,
    metrics: &[String],
    values: &[Option<f64>],
) -> String {
    let year = steps_per_year
        .map(|spy| format!("{},", fmt_num(step as f64 / spy)))
        .unwrap_or_default();
    let mut text = String::new();
    for (m, v) in metrics.iter().zip(values) {
        text.push_str(&format!(
            "{point},{replicate},{step},{year}{m},{}\n",
            fmt_opt(*v)
        ));
    }
    text
}

/// One row of `series.csv`, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesRow {
    /// The point.
    pub point: u64,
    /// The replicate.
    pub replicate: u64,
    /// The step.
    pub step: u64,
    /// The step in years (models with calendar time).
    pub year: Option<f64>,
    /// The metric.
    pub metric: String,
    /// Its value (`None` where not finite).
    pub value: Option<f64>,
}

/// Reads the `series.csv` at `path` strictly (with or without its `year` column), handing
/// each row to `f` in file order.
pub fn read(
    path: &Path,
    f: &mut dyn FnMut(SeriesRow) -> Result<(), FileError>,
) -> Result<(), FileError> {
    let has_year = CsvRows::open_any(path)?
        .header()
        .get(3)
        .is_some_and(|h| h == "year");
    let mut rows = CsvRows::open(path, header(has_year).trim_end())?;
    let y = usize::from(has_year);
    while rows.next_row()? {
        f(SeriesRow {
            point: rows.count(0)?,
            replicate: rows.count(1)?,
            step: rows.count(2)?,
            year: if has_year { rows.real(3)? } else { None },
            metric: rows.text(3 + y).to_string(),
            value: rows.real(4 + y)?,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_as_written_with_and_without_years() {
        let metrics = ["innovation_capacity".to_string(), "phase".to_string()];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("series.csv");
        for spy in [Some(52.0), None] {
            let text = header(spy.is_some())
                + &rows(3, 1, 0, spy, &metrics, &[Some(6.5), Some(0.0)])
                + &rows(3, 1, 13, spy, &metrics, &[None, Some(2.0)]);
            std::fs::write(&path, &text).unwrap();
            let mut read_back = Vec::new();
            read(&path, &mut |r| {
                read_back.push(r);
                Ok(())
            })
            .unwrap();
            let row = |step: u64, metric: &str, value| SeriesRow {
                point: 3,
                replicate: 1,
                step,
                year: spy.map(|s| step as f64 / s),
                metric: metric.into(),
                value,
            };
            assert_eq!(
                read_back,
                [
                    row(0, "innovation_capacity", Some(6.5)),
                    row(0, "phase", Some(0.0)),
                    row(13, "innovation_capacity", None),
                    row(13, "phase", Some(2.0)),
                ]
            );
            // A value that is not a number stops the reader with its line.
            std::fs::write(&path, text.replace(",6.5", ",6.5.1")).unwrap();
            let e = read(&path, &mut |_| Ok(())).unwrap_err().to_string();
            assert!(e.contains("line 2: value `6.5.1` is not a number"), "{e}");
        }
    }
}
