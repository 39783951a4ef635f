//! `runs.csv` of `orgsim run`: one row per run, `scenario,replicate,seed,` then the model's
//! run-level outcomes (reals; empty where a run does not define one). A sweep's `runs.csv`
//! has its own module (`sweep::files::runs`).

use crate::model::Outputs;

use super::csv::fmt_opt;

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
