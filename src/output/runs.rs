//! `runs.csv` of `orgsim run`: one row per run, `scenario,replicate,seed,` then the model's
//! run-level outcomes (reals; empty where a run does not define one). A sweep's `runs.csv`
//! has its own module (`sweep::files::runs`).

use std::path::Path;

use crate::model::Outputs;

use super::read::{CsvRows, FileError};
use crate::numbers::fmt_opt;

/// The header (with its newline).
pub fn header(outputs: &Outputs) -> String {
    format!(
        "scenario,replicate,seed,{}\n",
        outputs.outcome_names().join(",")
    )
}

/// The row of one run (with its newline).
pub fn row(scenario: &str, replicate: u64, seed: u64, outcomes: &[Option<f64>]) -> String {
    let mut text = format!("{scenario},{replicate},{seed},");
    for (i, v) in outcomes.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&fmt_opt(*v));
    }
    text.push('\n');
    text
}

/// One row of `runs.csv`, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct RunsRow {
    /// The scenario's name.
    pub scenario: String,
    /// The replicate.
    pub replicate: u64,
    /// The run's seed.
    pub seed: u64,
    /// Its outcomes, in the model's order (`None` where undefined).
    pub outcomes: Vec<Option<f64>>,
}

/// Reads the `runs.csv` at `path` of a model with `outputs`, strictly.
pub fn read(path: &Path, outputs: &Outputs) -> Result<Vec<RunsRow>, FileError> {
    let mut rows = CsvRows::open(path, header(outputs).trim_end())?;
    let mut out = Vec::new();
    while rows.next_row()? {
        out.push(RunsRow {
            scenario: rows.text(0).to_string(),
            replicate: rows.count(1)?,
            seed: rows.count(2)?,
            outcomes: (3..3 + outputs.outcomes.len())
                .map(|i| rows.real(i))
                .collect::<Result<_, _>>()?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_as_written() {
        let outputs = crate::scenario::load("classic/march1991", &[])
            .unwrap()
            .scenario
            .build_model()
            .outputs();
        let outcomes = [Some(0.25), None, Some(3.0)];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.csv");
        let text = header(&outputs) + &row("m", 1, 99, &outcomes[..outputs.outcomes.len()]);
        std::fs::write(&path, &text).unwrap();
        let rows = read(&path, &outputs).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].outcomes, outcomes[..outputs.outcomes.len()]);
        std::fs::write(&path, text.replace("0.25", "0.2.5")).unwrap();
        let e = read(&path, &outputs).unwrap_err().to_string();
        assert!(
            e.contains("line 2: equilibrium_knowledge `0.2.5` is not a number"),
            "{e}"
        );
    }
}
