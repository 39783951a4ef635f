//! A golden run: a fixed scenario and seed give exactly the pinned `runs.csv`. If a change
//! alters these bytes, every published result may have changed: review it deliberately
//! (`INSTA_UPDATE=always cargo test` rewrites the snapshot) and say why in the commit.

use crate::util::orgsim;

#[test]
fn golden_march_runs_csv() {
    let dir = tempfile::tempdir().unwrap();
    orgsim(dir.path())
        .args([
            "run",
            "classic/march1991",
            "-n",
            "12",
            "--seed",
            "20260101",
            "--out",
            "g",
            "-q",
        ])
        .assert()
        .success();
    let runs = std::fs::read_to_string(dir.path().join("g/runs.csv")).unwrap();
    insta::assert_snapshot!("march1991_runs_csv", runs);
}

/// A short life-cycle run: its numbers pass through `exp`, `log` and `pow` (growth, density,
/// the weekly probabilities, innovation capacity), which come from the pure-Rust `libm`
/// crate, so these bytes are the same on every 64-bit platform.
#[test]
fn golden_lifecycle_runs_csv() {
    let dir = tempfile::tempdir().unwrap();
    orgsim(dir.path())
        .args([
            "run",
            "dual-system",
            "-n",
            "3",
            "--seed",
            "20261130",
            "--set",
            "years=4",
            "--set",
            "interventions[0].start_year=2",
            // The model's own bytes, at the written parameter values (the bundled scenarios'
            // uncertain parameters are tested in tests/uncertainty.rs).
            "--no-uncertainty",
            "--out",
            "g",
            "--no-charts",
            "-q",
        ])
        .assert()
        .success();
    let runs = std::fs::read_to_string(dir.path().join("g/runs.csv")).unwrap();
    insta::assert_snapshot!("lifecycle_runs_csv", runs);
}
