//! `runs.csv` of `orgsim run`: one row per run, `scenario,replicate,seed,` then the model's
//! run-level outcomes (reals; empty where a run does not define one), then the value each
//! uncertain parameter took in that run (one column per path, named by the path). A sweep's
//! `runs.csv` has its own module (`sweep::files::runs`).

use std::path::Path;

use crate::model::Outputs;

use super::read::{CsvRows, FileError};
use crate::numbers::{ascii, push_opt};

/// The header (with its newline).
pub fn header(outputs: &Outputs, drawn: &[String]) -> String {
    let drawn: String = drawn.iter().map(|p| format!(",{p}")).collect();
    format!(
        "scenario,replicate,seed,{}{drawn}\n",
        outputs.outcome_names().join(",")
    )
}

/// The row of one run (with its newline).
pub fn row(
    scenario: &str,
    replicate: u64,
    seed: u64,
    outcomes: &[Option<f64>],
    drawn: &[Option<f64>],
) -> String {
    let mut text = Vec::with_capacity(scenario.len() + 48 + 24 * (outcomes.len() + drawn.len()));
    super::push_run_key(&mut text, scenario, replicate, seed);
    for (i, v) in outcomes.iter().chain(drawn).enumerate() {
        if i > 0 {
            text.push(b',');
        }
        push_opt(&mut text, *v);
    }
    text.push(b'\n');
    ascii(text)
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
    /// The values its uncertain parameters took, in the order of the paths read.
    pub drawn: Vec<Option<f64>>,
}

/// Reads the `runs.csv` at `path` of a model with `outputs` whose runs drew the uncertain
/// parameters at `drawn` (paths, as in the header), strictly.
pub fn read(path: &Path, outputs: &Outputs, drawn: &[String]) -> Result<Vec<RunsRow>, FileError> {
    let mut rows = CsvRows::open(path, header(outputs, drawn).trim_end())?;
    let n = outputs.outcomes.len();
    let mut out = Vec::new();
    while rows.next_row()? {
        out.push(RunsRow {
            scenario: rows.text(0).to_string(),
            replicate: rows.count(1)?,
            seed: rows.count(2)?,
            outcomes: (3..3 + n).map(|i| rows.real(i)).collect::<Result<_, _>>()?,
            drawn: (3 + n..3 + n + drawn.len())
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
        let drawn = ["people.p_spot".to_string()];
        let text = header(&outputs, &drawn)
            + &row(
                "m",
                1,
                99,
                &outcomes[..outputs.outcomes.len()],
                &[Some(0.5)],
            );
        std::fs::write(&path, &text).unwrap();
        let rows = read(&path, &outputs, &drawn).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].outcomes, outcomes[..outputs.outcomes.len()]);
        assert_eq!(rows[0].drawn, [Some(0.5)]);
        std::fs::write(&path, text.replace("0.25", "0.2.5")).unwrap();
        let e = read(&path, &outputs, &drawn).unwrap_err().to_string();
        assert!(
            e.contains("line 2: equilibrium_knowledge `0.2.5` is not a number"),
            "{e}"
        );
    }
}
