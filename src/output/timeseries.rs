//! `timeseries.csv`: every step of every run, one row per (scenario, replicate, step):
//! `scenario,replicate,seed,step[,year],` then the model's per-step columns (counts without
//! a decimal point, categorical columns as their labels).

use std::path::Path;

use crate::model::{Outputs, Series};

use super::read::{CsvRows, FileError};
use crate::numbers::{push_count, push_int, push_num};

/// The header (with its newline).
pub fn header(outputs: &Outputs) -> String {
    let mut header = String::from("scenario,replicate,seed,step,");
    if outputs.steps_per_year.is_some() {
        header.push_str("year,");
    }
    header.push_str(&outputs.series_names().join(","));
    header.push('\n');
    header
}

/// How each per-step column is written (a label, a count, a real), worked out once per
/// invocation from the model's declarations rather than once per run.
pub struct RowFormat<'a> {
    outputs: &'a Outputs,
    labels: Vec<Option<&'static [&'static str]>>,
    counts: Vec<bool>,
    /// `step,[year,]` of the first steps, written once rather than once a run, and where
    /// each step's text ends in it.
    steps: Vec<u8>,
    ends: Vec<usize>,
}

impl<'a> RowFormat<'a> {
    /// The format of a model with `outputs`, whose runs have about `rows` rows (longer runs
    /// are written too, their later steps' columns formatted as they come).
    pub fn new(outputs: &'a Outputs, rows: usize) -> RowFormat<'a> {
        let mut steps = Vec::with_capacity(rows * 24);
        let ends = (0..rows)
            .map(|step| {
                push_step(&mut steps, step, outputs.steps_per_year);
                steps.len()
            })
            .collect();
        RowFormat {
            outputs,
            labels: outputs.labels(),
            counts: outputs.is_count(),
            steps,
            ends,
        }
    }

    /// The rows of one run (each with its newline, ASCII), formatted where the run finished so the
    /// writer only concatenates: `scenario,replicate,seed,` written once, every field
    /// appended in place (no `format!` or allocation per field).
    pub fn rows(&self, scenario: &str, replicate: u64, seed: u64, series: &Series) -> Vec<u8> {
        let mut prefix = Vec::with_capacity(scenario.len() + 48);
        super::push_run_key(&mut prefix, scenario, replicate, seed);
        let columns = self.outputs.series.len();
        let rows = series.values.len() / columns.max(1);
        let mut text = Vec::with_capacity(rows * (prefix.len() + 16 + 12 * columns));
        for (step, row) in series.values.chunks_exact(columns).enumerate() {
            text.extend_from_slice(&prefix);
            match self.ends.get(step) {
                Some(&end) => {
                    let start = step.checked_sub(1).map_or(0, |s| self.ends[s]);
                    text.extend_from_slice(&self.steps[start..end]);
                }
                None => push_step(&mut text, step, self.outputs.steps_per_year),
            }
            let cells = row.iter().zip(&self.labels).zip(&self.counts);
            for (i, ((&v, l), &count)) in cells.enumerate() {
                if i > 0 {
                    text.push(b',');
                }
                match l {
                    Some(names) => {
                        let label = names.get(v as usize).copied().unwrap_or("");
                        text.extend_from_slice(label.as_bytes());
                    }
                    None if count => push_count(&mut text, v),
                    None => push_num(&mut text, v),
                }
            }
            text.push(b'\n');
        }
        text
    }
}

/// Appends `step,` and, for models with calendar time, `year,`.
fn push_step(out: &mut Vec<u8>, step: usize, steps_per_year: Option<f64>) {
    push_int(out, step as u64);
    out.push(b',');
    if let Some(spy) = steps_per_year {
        push_num(out, step as f64 / spy);
        out.push(b',');
    }
}

/// One row of `timeseries.csv`, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeseriesRow {
    /// The scenario's name.
    pub scenario: String,
    /// The replicate.
    pub replicate: u64,
    /// The run's seed.
    pub seed: u64,
    /// The step.
    pub step: u64,
    /// The step in years (models with calendar time).
    pub year: Option<f64>,
    /// The per-step columns, as the run observed them: a categorical column's label as its
    /// index among the labels; `None` where a value is not finite.
    pub values: Vec<Option<f64>>,
}

/// Reads the `timeseries.csv` at `path` of a model with `outputs`, strictly, handing each
/// row to `f` in file order (a row at a time: the file can be large).
pub fn read(
    path: &Path,
    outputs: &Outputs,
    f: &mut dyn FnMut(TimeseriesRow) -> Result<(), FileError>,
) -> Result<(), FileError> {
    let mut rows = CsvRows::open(path, header(outputs).trim_end())?;
    let first = if outputs.steps_per_year.is_some() {
        5
    } else {
        4
    };
    let labels = outputs.labels();
    while rows.next_row()? {
        let values = labels
            .iter()
            .enumerate()
            .map(|(c, l)| match l {
                None => rows.real(first + c),
                Some(names) => {
                    let text = rows.text(first + c);
                    match names.iter().position(|n| *n == text) {
                        Some(i) => Ok(Some(i as f64)),
                        None if text.is_empty() => Ok(None),
                        None => Err(rows.error(format!(
                            "{} `{text}` is not one of {}",
                            outputs.series[c].name,
                            names.join(", ")
                        ))),
                    }
                }
            })
            .collect::<Result<_, _>>()?;
        f(TimeseriesRow {
            scenario: rows.text(0).to_string(),
            replicate: rows.count(1)?,
            seed: rows.count(2)?,
            step: rows.count(3)?,
            year: if first == 5 { rows.real(4)? } else { None },
            values,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Override, load};

    #[test]
    fn what_is_written_reads_back_as_the_run_observed_it() {
        let over = [
            Override::parse("years=1").unwrap(),
            Override::parse("organization.capacity=30").unwrap(),
        ];
        let scenario = load("baseline", &over).unwrap().scenario;
        let model = scenario.build_model();
        let outputs = model.outputs();
        let run = model.simulate(5);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("timeseries.csv");
        // Fewer cached step columns than rows: the later ones are formatted as they come.
        let rows = RowFormat::new(&outputs, 10).rows("b", 2, 5, &run.series);
        let text = header(&outputs) + std::str::from_utf8(&rows).unwrap();
        std::fs::write(&path, &text).unwrap();
        let mut read_back = Vec::new();
        read(&path, &outputs, &mut |r| {
            assert_eq!((r.scenario.as_str(), r.replicate, r.seed), ("b", 2, 5));
            assert_eq!(r.year, Some(r.step as f64 / 52.0));
            read_back.extend(r.values.iter().map(|v| v.unwrap_or(f64::NAN)));
            Ok(())
        })
        .unwrap();
        assert_eq!(read_back, run.series.values);
        // A label that is not the column's is refused, naming line, column and value.
        std::fs::write(&path, text.replacen(",entrepreneurial", ",startup", 1)).unwrap();
        let e = read(&path, &outputs, &mut |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2: phase `startup` is not one of"), "{e}");
    }
}
