//! `timeseries.csv`: every step of every run, one row per (scenario, replicate, step):
//! `scenario,replicate,seed,step[,year],` then the model's per-step columns (counts without
//! a decimal point, categorical columns as their labels).

use crate::model::{Outputs, Series};

use super::csv::{fmt_count, fmt_num};

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

/// The rows of one run (each with its newline), formatted where the run finished so the
/// writer only concatenates.
pub fn rows(
    scenario: &str,
    replicate: u64,
    seed: u64,
    series: &Series,
    outputs: &Outputs,
) -> String {
    let labels = outputs.labels();
    let counts = outputs.is_count();
    let mut text = String::new();
    for (step, row) in series.values.chunks_exact(outputs.series.len()).enumerate() {
        text.push_str(&format!("{scenario},{replicate},{seed},{step},"));
        if let Some(spy) = outputs.steps_per_year {
            text.push_str(&fmt_num(step as f64 / spy));
            text.push(',');
        }
        for (i, ((&v, l), &count)) in row.iter().zip(&labels).zip(&counts).enumerate() {
            if i > 0 {
                text.push(',');
            }
            match l {
                Some(names) => text.push_str(names.get(v as usize).copied().unwrap_or("")),
                None if count => text.push_str(&fmt_count(v)),
                None => text.push_str(&fmt_num(v)),
            }
        }
        text.push('\n');
    }
    text
}
