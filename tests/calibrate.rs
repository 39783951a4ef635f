//! Calibration: recovers parameters from observations simulated at hidden values, its
//! calibrated scenario reproduces the observations, the posterior does not depend on the
//! thread count, and bad files are refused with the file, the path, the value and what is
//! allowed.

use std::path::Path;

use orgsim::calibrate::{self, metric::Metric, simulate::simulate};
use orgsim::model::Stop;
use orgsim::rng::replicate_seed;
use orgsim::scenario::{Override, load};

use crate::util::orgsim;

/// A small firm, a few years: the hidden truth's scenario without its free values.
const FIRM: &str = r#"{"extends": "baseline", "name": "client", "years": 5,
  "organization": {"capacity": 200}}"#;

/// The hidden values and their prior ranges.
const TRUTH: [(&str, f64, f64, f64); 3] = [
    ("organization.growth_rate", 0.9, 0.2, 1.8),
    ("people.quit_rate_disengaged", 0.3, 0.05, 0.6),
    ("people.baseline_engagement", 0.55, 0.2, 0.8),
];

/// (metric, year, relative or absolute sd)
const OBSERVED: [(&str, f64, f64); 4] = [
    ("headcount", 3.0, 0.1),
    ("headcount", 5.0, 0.1),
    ("attrition", 5.0, 0.025),
    ("engaged_share", 5.0, 0.04),
];

/// Each observation's mean over 20 replicates of the firm at the hidden values.
fn observations(dir: &Path) -> Vec<(String, f64, f64, f64)> {
    std::fs::write(dir.join("client.json"), FIRM).unwrap();
    let sets: Vec<Override> = TRUTH
        .iter()
        .map(|(p, v, _, _)| Override::parse(&format!("{p}={v}")).unwrap())
        .collect();
    let scenario = load(dir.join("client.json").to_str().unwrap(), &sets)
        .unwrap()
        .scenario;
    let metrics: Vec<Metric> = OBSERVED
        .iter()
        .map(|o| Metric::parse(o.0).unwrap())
        .collect();
    let n = 20;
    let mut sums = vec![0.0; OBSERVED.len()];
    for r in 0..n {
        let trace = simulate(
            &scenario,
            replicate_seed(99, r),
            &metrics,
            5.0,
            &Stop::never(),
        )
        .unwrap();
        for (k, o) in OBSERVED.iter().enumerate() {
            sums[k] += trace.value(k, &metrics[k], o.1) / n as f64;
        }
    }
    OBSERVED
        .iter()
        .zip(sums)
        .map(|(o, v)| {
            let sd = if o.0 == "headcount" { o.2 * v } else { o.2 };
            (o.0.to_string(), o.1, v, sd)
        })
        .collect()
}

fn calibration_file(
    dir: &Path,
    observed: &[(String, f64, f64, f64)],
    extra: &str,
) -> std::path::PathBuf {
    let obs: Vec<String> = observed
        .iter()
        .map(|(m, y, v, sd)| {
            format!(r#"{{"metric": "{m}", "year": {y}, "value": {v}, "sd": {sd}}}"#)
        })
        .collect();
    let free: Vec<String> = TRUTH
        .iter()
        .map(|(p, _, a, b)| format!(r#"{{"path": "{p}", "range": {{"from": {a}, "to": {b}}}}}"#))
        .collect();
    let text = format!(
        r#"{{"base": "client.json", "observed": [{}], "free": [{}], "seed": 5, "base_uncertainty": false{extra}}}"#,
        obs.join(", "),
        free.join(", ")
    );
    let path = dir.join("calibration.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn calibration_recovers_hidden_parameters_and_its_scenario_reproduces_the_observations() {
    let dir = tempfile::tempdir().unwrap();
    let observed = observations(dir.path());
    let file = calibration_file(
        dir.path(),
        &observed,
        r#", "particles": 80, "generations": 8"#,
    );
    let cal = calibrate::read(&file).unwrap();
    let fit = calibrate::fit(&cal, None, &()).unwrap();
    let summary = calibrate::summarize(&cal, &fit);
    for ((path, truth, _, _), p) in TRUTH.iter().zip(&summary.parameters) {
        assert_eq!(&p.path, path);
        assert!(
            (p.median - truth).abs() <= 0.25 * truth,
            "{path}: posterior median {} is not within a quarter of {truth}",
            p.median
        );
        assert!(
            p.interval.0 <= *truth && *truth <= p.interval.1,
            "{path}: 90% interval {:?} misses {truth}",
            p.interval
        );
    }
    // The calibrated scenario, run as `orgsim run` runs it (each replicate draws from the
    // posterior), reproduces every observation within its sd.
    let scenario = calibrate::calibrated_scenario(&cal, &fit, &summary);
    let path = dir.path().join("calibrated.json");
    std::fs::write(&path, serde_json::to_string(&scenario).unwrap()).unwrap();
    let calibrated = load(path.to_str().unwrap(), &[]).unwrap().scenario;
    assert_eq!(calibrated.uncertainty.len(), 3);
    let metrics: Vec<Metric> = OBSERVED
        .iter()
        .map(|o| Metric::parse(o.0).unwrap())
        .collect();
    let n = 40;
    let mut means = vec![0.0; OBSERVED.len()];
    for r in 0..n {
        let seed = replicate_seed(7, r);
        let drawn = calibrated.draw_uncertain(seed).unwrap().scenario;
        let trace = simulate(&drawn, seed, &metrics, 5.0, &Stop::never()).unwrap();
        for (k, o) in OBSERVED.iter().enumerate() {
            means[k] += trace.value(k, &metrics[k], o.1) / n as f64;
        }
    }
    for ((m, y, v, sd), mean) in observed.iter().zip(&means) {
        assert!(
            (mean - v).abs() <= *sd,
            "{m} at year {y}: the calibrated scenario gives {mean}, observed {v} ± {sd}"
        );
    }
}

#[test]
fn the_posterior_is_identical_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.json"), FIRM).unwrap();
    let observed = vec![
        ("headcount".to_string(), 3.0, 60.0, 6.0),
        ("attrition".to_string(), 3.0, 0.15, 0.03),
    ];
    let file = calibration_file(
        dir.path(),
        &observed,
        r#", "particles": 20, "generations": 3"#,
    );
    let cal = calibrate::read(&file).unwrap();
    let one = calibrate::fit(&cal, Some(1), &()).unwrap();
    let three = calibrate::fit(&cal, Some(3), &()).unwrap();
    assert_eq!(one.generations.len(), 3);
    assert_eq!(one.simulations, three.simulations);
    for (a, b) in one.particles.iter().zip(&three.particles) {
        assert_eq!(a.theta, b.theta);
        assert_eq!(a.weight.to_bits(), b.weight.to_bits());
        assert_eq!(a.distance.to_bits(), b.distance.to_bits());
    }
}

#[test]
fn the_command_writes_its_files_and_a_scenario_that_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.json"), FIRM).unwrap();
    // An integer parameter (capacity) among the free ones: its draws and median are whole.
    std::fs::write(
        dir.path().join("calibration.json"),
        r#"{"base": "client.json", "particles": 20, "generations": 2,
            "observed": [{"metric": "headcount", "year": 3, "value": 60, "sd": 6}],
            "free": [
              {"path": "organization.growth_rate", "range": {"from": 0.2, "to": 1.8}},
              {"path": "organization.capacity", "range": {"from": 100, "to": 400}}]}"#,
    )
    .unwrap();
    let out = orgsim(dir.path())
        .args(["calibrate", "calibration.json", "--out", "cal"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Identifiability"), "{text}");
    assert!(
        text.contains("NOT identified") || text.contains("narrowed") || text.contains("pinned")
    );
    for f in [
        "posterior.csv",
        "parameters.csv",
        "fit.csv",
        "calibrated.json",
        "manifest.json",
        "calibration.png",
        "calibration.svg",
    ] {
        assert!(dir.path().join("cal").join(f).is_file(), "{f}");
    }
    let posterior = std::fs::read_to_string(dir.path().join("cal/posterior.csv")).unwrap();
    assert_eq!(posterior.lines().count(), 21);
    assert!(posterior.starts_with("particle,weight,organization.growth_rate,"));
    // The calibrated scenario runs, and its runs record the posterior draws.
    orgsim(dir.path())
        .args([
            "run",
            "cal/calibrated.json",
            "-n",
            "3",
            "--out",
            "run",
            "-q",
            "--no-charts",
        ])
        .assert()
        .success();
    let runs = std::fs::read_to_string(dir.path().join("run/runs.csv")).unwrap();
    let header = runs.lines().next().unwrap();
    assert!(
        header.contains(",organization.capacity,organization.growth_rate,"),
        "{header}"
    );
    let calibrated = std::fs::read_to_string(dir.path().join("cal/calibrated.json")).unwrap();
    let calibrated: serde_json::Value = serde_json::from_str(&calibrated).unwrap();
    assert!(calibrated["organization"]["capacity"].is_u64());
    let draws = calibrated["uncertainty"]["organization.capacity"]["empirical"]
        .as_array()
        .unwrap();
    assert_eq!(draws.len(), 20);
    assert!(draws.iter().all(|d| d.as_f64().unwrap().fract() == 0.0));
    // A second calibration into the same directory replaces it.
    orgsim(dir.path())
        .args([
            "calibrate",
            "calibration.json",
            "--out",
            "cal",
            "-q",
            "--no-charts",
        ])
        .assert()
        .success();
    assert!(!dir.path().join("cal/calibration.png").exists());
}

#[test]
fn bad_calibration_files_name_file_path_value_and_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.json"), FIRM).unwrap();
    let ok_free = r#"[{"path": "organization.growth_rate", "range": {"from": 0.2, "to": 1.5}}]"#;
    let ok_obs = r#"[{"metric": "headcount", "year": 3, "value": 60, "sd": 6}]"#;
    let cases: [(String, &[&str]); 6] = [
        (
            format!(
                r#"{{"base": "client.json", "observed": [{{"metric": "headcont", "year": 3, "value": 60, "sd": 6}}], "free": {ok_free}}}"#
            ),
            &[
                "bad.json",
                "observed[0].metric",
                "\"headcont\"",
                "did you mean `headcount`",
                "attrition",
            ],
        ),
        (
            format!(
                r#"{{"base": "client.json", "observed": [{{"metric": "headcount", "year": 9, "value": 60, "sd": 6}}], "free": {ok_free}}}"#
            ),
            &["bad.json", "observed[0].year = 9", "last year, 5"],
        ),
        (
            format!(
                r#"{{"base": "client.json", "observed": {ok_obs}, "free": [{{"path": "organization.growth_rate", "range": {{"from": 0.5, "to": 0.5}}}}]}}"#
            ),
            &["bad.json", "free[0].range", "empty range"],
        ),
        (
            format!(
                r#"{{"base": "client.json", "observed": {ok_obs}, "free": [{{"path": "organization.grwth_rate", "range": {{"from": 0.2, "to": 1}}}}]}}"#
            ),
            &[
                "bad.json",
                "free[0].path",
                "did you mean `organization.growth_rate`",
            ],
        ),
        (
            format!(
                r#"{{"base": "client.json", "observed": {ok_obs}, "free": [{{"path": "people.quit_rate_engaged", "range": {{"from": 0.2, "to": 1.4}}}}]}}"#
            ),
            &["bad.json", "free[0].range", "to 1.4", "probability"],
        ),
        (
            format!(
                r#"{{"base": "client.json", "observed": [{{"metric": "headcount", "year": 3, "value": 60, "sd": 0}}], "free": {ok_free}}}"#
            ),
            &["observed[0].sd = 0", "above 0"],
        ),
    ];
    for (text, wanted) in cases {
        std::fs::write(dir.path().join("bad.json"), &text).unwrap();
        let out = orgsim(dir.path())
            .args(["calibrate", "bad.json", "--out", "x", "-q"])
            .assert()
            .failure()
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(out).unwrap();
        for w in wanted {
            assert!(err.contains(w), "{text}\n{err}\nlacks {w}");
        }
        assert!(!dir.path().join("x").exists(), "nothing is written");
    }
}

/// A calibration stopped (SIGINT, SIGTERM) or killed (SIGKILL) at any moment leaves its
/// directory as the previous calibration left it, and nothing beside it but what the next
/// run removes; stopped, it exits with status 130.
#[test]
fn a_stopped_or_killed_calibration_leaves_the_previous_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.json"), FIRM).unwrap();
    let observed = vec![("headcount".to_string(), 3.0, 60.0, 6.0)];
    calibration_file(
        dir.path(),
        &observed,
        r#", "particles": 20, "generations": 1"#,
    );
    orgsim(dir.path())
        .args(["calibrate", "calibration.json", "--out", "cal", "-q"])
        .assert()
        .success();
    // Each file's name and a hash of its bytes; the lock file a killed process leaves is
    // taken over by the next one and is not part of the result.
    let snapshot = |d: &Path| -> Vec<(String, u64)> {
        use std::hash::{Hash, Hasher};
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_name() != ".orgsim-lock")
            .map(|e| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::fs::read(e.path()).unwrap().hash(&mut h);
                (e.file_name().to_string_lossy().into_owned(), h.finish())
            })
            .collect();
        v.sort();
        v
    };
    let mut before = snapshot(&dir.path().join("cal"));
    let mut stopped = 0;
    // A longer fit, stopped at different moments (from the start to well into the fit).
    calibration_file(
        dir.path(),
        &observed,
        r#", "particles": 100, "generations": 8, "tolerance": 0.05"#,
    );
    for (i, (sig, after_ms)) in [
        ("INT", 50),
        ("TERM", 400),
        ("KILL", 900),
        ("INT", 1500),
        ("KILL", 150),
    ]
    .into_iter()
    .enumerate()
    {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_orgsim"))
            .current_dir(dir.path())
            .args(["calibrate", "calibration.json", "--out", "cal", "-q"])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(after_ms));

        let _ = std::process::Command::new("kill")
            .args([format!("-{sig}"), child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        if status.success() {
            // It finished before the signal: its result replaced the previous one whole.
            before = snapshot(&dir.path().join("cal"));
            continue;
        }
        stopped += 1;
        if sig != "KILL" {
            assert_eq!(status.code(), Some(130), "attempt {i}: {sig}");
        }
        assert_eq!(
            snapshot(&dir.path().join("cal")),
            before,
            "attempt {i}: {sig} after {after_ms} ms"
        );
    }
    assert!(
        stopped >= 3,
        "only {stopped} attempts stopped a fit before it finished"
    );
    // The next calibration cleans up whatever a kill left beside the directory.
    calibration_file(
        dir.path(),
        &observed,
        r#", "particles": 20, "generations": 1"#,
    );
    orgsim(dir.path())
        .args(["calibrate", "calibration.json", "--out", "cal", "-q"])
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["cal", "calibration.json", "client.json"]);
    assert_eq!(snapshot(&dir.path().join("cal")).len(), before.len());
}
