//! Helpers shared by the integration tests.

use std::path::Path;

use assert_cmd::Command;
use orgsim::rng::replicate_seed;
use orgsim::scenario::{Override, load};

/// The `orgsim` binary, run inside `dir`.
pub fn orgsim(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("orgsim").expect("the orgsim binary is built");
    cmd.current_dir(dir).env_remove("RUST_LOG");
    cmd
}

/// Mean and standard error of a sample.
#[derive(Clone, Copy, Debug)]
pub struct Estimate {
    pub mean: f64,
    pub se: f64,
}

pub fn estimate(values: &[f64]) -> Estimate {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Estimate {
        mean,
        se: (var / n).sqrt(),
    }
}

/// Whether `a` exceeds `b` by more than `z` standard errors of the difference.
pub fn clearly_greater(a: Estimate, b: Estimate, z: f64) -> bool {
    a.mean - b.mean > z * (a.se * a.se + b.se * b.se).sqrt()
}

/// Runs `replicates` replicates of the bundled March scenario with `sets` applied and returns
/// each run's outcomes (in `runs.csv` order; March defines them all).
pub fn march_runs(sets: &[&str], replicates: u64, seed: u64) -> Vec<Vec<f64>> {
    runs("classic/march1991", sets, replicates, seed)
        .into_iter()
        .map(|r| r.outcomes.into_iter().map(|o| o.unwrap()).collect())
        .collect()
}

/// One outcome column of `march_runs`.
pub fn column(runs: &[Vec<f64>], k: usize) -> Vec<f64> {
    runs.iter().map(|r| r[k]).collect()
}

/// Runs `replicates` replicates of a bundled or file scenario with `sets` applied, through
/// the library, in parallel (results in replicate order).
pub fn runs(
    spec: &str,
    sets: &[&str],
    replicates: u64,
    seed: u64,
) -> Vec<orgsim::model::RunRecord> {
    use rayon::prelude::*;
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    let model = load(spec, &overrides).unwrap().scenario.build_model();
    (0..replicates)
        .into_par_iter()
        .map(|r| model.simulate(replicate_seed(seed, r)))
        .collect()
}

/// Index of a column of the life-cycle series.
pub fn col(name: &str) -> usize {
    orgsim::lifecycle::observe::SERIES
        .iter()
        .position(|c| c.column.name == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// Index of a life-cycle run-level outcome.
pub fn outcome(name: &str) -> usize {
    orgsim::lifecycle::observe::OUTCOMES
        .iter()
        .position(|c| c.column.name == name)
        .unwrap_or_else(|| panic!("no outcome {name}"))
}

/// Mean of column `c` over weeks `from..to` (years) of one run.
pub fn window_mean(run: &orgsim::model::RunRecord, c: usize, from_year: f64, to_year: f64) -> f64 {
    let (a, b) = ((from_year * 52.0) as usize, (to_year * 52.0) as usize);
    let values: Vec<f64> = run.series.column(c).skip(a).take(b - a).collect();
    values.iter().sum::<f64>() / values.len() as f64
}
