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

/// Runs `replicates` replicates of the bundled March scenario with `sets` applied, through
/// the library, and returns each run's outcomes (in `runs.csv` order).
pub fn march_runs(sets: &[&str], replicates: u64, seed: u64) -> Vec<Vec<f64>> {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    let model = load("classic/march1991", &overrides)
        .unwrap()
        .scenario
        .build_model();
    (0..replicates)
        .map(|r| {
            model
                .simulate(replicate_seed(seed, r))
                .outcomes
                .into_iter()
                .map(|o| o.unwrap())
                .collect()
        })
        .collect()
}

/// One outcome column of `march_runs`.
pub fn column(runs: &[Vec<f64>], k: usize) -> Vec<f64> {
    runs.iter().map(|r| r[k]).collect()
}
