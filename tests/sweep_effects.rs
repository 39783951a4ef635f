//! Sweeps that measure an effect: every run paired with a reference on its own seed, outcomes
//! over a window of years computed as `orgsim run --window` computes them, the paired
//! differences through `runs.csv`, `points.csv` and `analyze`, resuming and sharding with the
//! reference runs, and clear refusals of a bad reference or window.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use orgsim::sweep::{SweepError, SweepPlan, read_sweep, run_sweep};
use predicates::prelude::*;

use crate::util::orgsim;

const FILES: [&str; 4] = ["runs.csv", "points.csv", "series.csv", "manifest.json"];

/// A small, quick dual system (150 people, 12 years, launched at year 10), and a 2 x 2 grid
/// over it measured against the base without its interventions over years 9 to 12.
fn write_sweep(dir: &Path, replicates: u64) {
    fs::write(
        dir.join("quick.json"),
        r#"{ "extends": "dual-system", "name": "quick", "years": 12, "organization": { "capacity": 150 } }"#,
    )
    .unwrap();
    fs::write(
        dir.join("effect.json"),
        format!(
            r#"{{
  "base": "quick.json",
  "reference": "base-without-interventions",
  "window": {{ "from": 9, "to": 12 }},
  "axes": [
    {{ "path": "interventions[0].guiding_coalition.seats", "values": [10, 40] }},
    {{ "path": "leadership.spot_rate", "values": [0.2, 0.3] }}
  ],
  "replicates": {replicates},
  "seed": 5,
  "keep": {{ "metrics": ["innovation_capacity"], "stride": 52 }}
}}"#
        ),
    )
    .unwrap();
}

fn same_files(a: &Path, b: &Path) {
    for f in FILES {
        assert!(
            fs::read(a.join(f)).unwrap() == fs::read(b.join(f)).unwrap(),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// `runs.csv` as a header and rows of fields.
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let head = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (head, rows)
}

fn field(head: &[String], row: &[String], name: &str) -> Option<f64> {
    let i = head
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {head:?}"));
    row[i].parse().ok()
}

#[test]
fn a_reference_runs_on_each_runs_seed_over_the_window_that_run_uses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The base measured against itself: every difference is exactly zero, so the reference
    // runs on the run's own seed and takes the point's values of the axes.
    fs::write(
        d.join("self.json"),
        r#"{ "base": "baseline", "reference": "baseline", "window": { "from": 10, "to": 20 },
             "axes": [ { "path": "leadership.spot_rate", "values": [0.2, 0.3] } ],
             "replicates": 2, "seed": 5 }"#,
    )
    .unwrap();
    orgsim(d)
        .args(["sweep", "self.json", "-o", "self", "-q"])
        .assert()
        .success();
    let (head, rows) = table(&d.join("self/runs.csv"));
    assert_eq!(rows.len(), 4);
    let diffs: Vec<&String> = head.iter().filter(|h| h.ends_with("_diff")).collect();
    assert!(diffs.len() > 5, "{head:?}");
    for row in &rows {
        for name in &diffs {
            if let Some(v) = field(&head, row, name) {
                assert_eq!(v, 0.0, "{name} in {row:?}");
            }
        }
    }
    // The dual system against the base without its interventions (the baseline): the
    // reference's values are `orgsim run baseline --window 10:20`'s, seed for seed, and each
    // difference is the run's value minus them.
    fs::write(
        d.join("dual.json"),
        r#"{ "base": "dual-system", "reference": "base-without-interventions",
             "window": { "from": 10, "to": 20 },
             "axes": [ { "path": "interventions[0].guiding_coalition.seats", "values": [40] } ],
             "replicates": 2, "seed": 5 }"#,
    )
    .unwrap();
    orgsim(d)
        .args(["sweep", "dual.json", "-o", "dual", "-q"])
        .assert()
        .success();
    for (scenario, out) in [("baseline", "base"), ("dual-system", "own")] {
        orgsim(d)
            .args([
                "run", scenario, "--window", "10:20", "-n", "2", "--seed", "5", "-o", out, "-q",
            ])
            .assert()
            .success();
    }
    let (head, rows) = table(&d.join("dual/runs.csv"));
    let (run_head, base_rows) = table(&d.join("base/runs.csv"));
    let (_, own_rows) = table(&d.join("own/runs.csv"));
    let mut compared = 0;
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(row[3], base_rows[r][2], "replicate {r}'s seed");
        for name in [
            "capacity_auc",
            "mean_capacity_per_100",
            "cumulative_innovations",
        ] {
            let reference = field(&run_head, &base_rows[r], name).unwrap();
            let own = field(&run_head, &own_rows[r], name).unwrap();
            assert_eq!(field(&head, row, &format!("{name}_ref")), Some(reference));
            let diff = field(&head, row, &format!("{name}_diff")).unwrap();
            assert!((diff - (own - reference)).abs() <= 1e-9 * own.abs().max(1.0));
            compared += 1;
        }
    }
    assert_eq!(compared, 6);
    let manifest = fs::read_to_string(d.join("dual/manifest.json")).unwrap();
    assert!(manifest.contains(r#""reference": "base-without-interventions""#));
    assert!(manifest.contains("capacity_auc_diff") && manifest.contains("paired differences"));
    let points = fs::read_to_string(d.join("dual/points.csv")).unwrap();
    assert!(points.contains("\n0,40,capacity_auc_diff,2,"), "{points}");
}

#[test]
fn analyze_ranks_the_axes_by_their_effect_on_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d, 1);
    fs::write(
        d.join("morris.json"),
        r#"{ "base": "quick.json", "reference": "base-without-interventions",
             "window": { "from": 9, "to": 12 }, "outcome": "capacity_auc",
             "axes": [
               { "path": "interventions[0].guiding_coalition.seats", "range": { "from": 5, "to": 80 } },
               { "path": "leadership.spot_rate", "range": { "from": 0.1, "to": 0.4 } }
             ],
             "design": "morris", "points": 4, "replicates": 2, "seed": 3 }"#,
    )
    .unwrap();
    orgsim(d)
        .args(["sweep", "morris.json", "-o", "m", "-q"])
        .assert()
        .success();
    orgsim(d)
        .args(["analyze", "m"])
        .assert()
        .success()
        .stdout(predicate::str::contains("capacity_auc_diff"));
    let sensitivity = fs::read_to_string(d.join("m/sensitivity.csv")).unwrap();
    assert!(
        sensitivity
            .contains("\ncapacity_auc_diff,interventions[0].guiding_coalition.seats,morris,"),
        "{sensitivity}"
    );
    assert!(sensitivity.contains("\ncapacity_auc_ref,leadership.spot_rate,morris,"));
}

/// Stops a sweep once `limit` of its simulations are done (resumed ones included).
struct StopAfter {
    limit: u64,
    seen: AtomicU64,
}

impl orgsim::engine::Progress for StopAfter {
    fn run_done(&self) {
        self.seen.fetch_add(1, Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.seen.load(Ordering::Relaxed) >= self.limit
    }
}

/// A small deterministic generator for stop points and cuts.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn a_sweep_with_a_reference_stopped_or_cut_anywhere_resumes_to_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d, 6);
    orgsim(d)
        .args(["sweep", "effect.json", "-o", "clean", "-q"])
        .assert()
        .success();
    let design = read_sweep(&d.join("effect.json"), u64::MAX).unwrap();
    // 24 runs of two simulations each: stopped after random numbers of simulations (odd
    // ones between a run and its reference), several times over, then finished.
    let mut rng = Lcg(11);
    for trial in 0..6 {
        let out = d.join(format!("stopped{trial}"));
        let plan = SweepPlan {
            out: out.clone(),
            threads: Some(1 + trial % 2),
            shard: (0, 1),
            repair: false,
        };
        let mut limit = 0;
        loop {
            limit += 1 + rng.below(15) as u64;
            let stop = StopAfter {
                limit,
                seen: AtomicU64::new(0),
            };
            match run_sweep(&design, &plan, &stop) {
                Err(SweepError::Cancelled { .. }) => {}
                Ok(report) => {
                    assert!(report.finalized);
                    break;
                }
                Err(e) => panic!("trial {trial}: {e}"),
            }
        }
        same_files(&d.join("clean"), &out);
    }
    // A journal cut at random bytes (a kill in the middle of a write) resumes too.
    let part = d.join("part");
    let plan = SweepPlan {
        out: part.clone(),
        threads: Some(1),
        shard: (0, 1),
        repair: false,
    };
    let stop = StopAfter {
        limit: 40,
        seen: AtomicU64::new(0),
    };
    assert!(matches!(
        run_sweep(&design, &plan, &stop),
        Err(SweepError::Cancelled { .. })
    ));
    let journal = "journal-0-of-1.csv";
    let bytes = fs::read(part.join(journal)).unwrap();
    for n in 0..8 {
        let cut = rng.below(bytes.len() + 1);
        let t = d.join(format!("cut{n}"));
        fs::create_dir_all(&t).unwrap();
        for e in fs::read_dir(&part).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), t.join(e.file_name())).unwrap();
        }
        fs::write(t.join(journal), &bytes[..cut]).unwrap();
        orgsim(d)
            .args(["sweep", "effect.json", "-o", t.to_str().unwrap(), "-q"])
            .assert()
            .success();
        same_files(&d.join("clean"), &t);
    }
    // And a process killed at a random moment.
    let bin = assert_cmd::cargo::cargo_bin("orgsim");
    let mut interrupted = 0;
    for (n, wait) in [60u64, 150, 300].into_iter().enumerate() {
        write_sweep(d, 60);
        if n == 0 {
            orgsim(d)
                .args(["sweep", "effect.json", "-o", "clean60", "-q"])
                .assert()
                .success();
        }
        let out = format!("killed{n}");
        let mut child = std::process::Command::new(&bin)
            .current_dir(d)
            .args(["sweep", "effect.json", "-o", &out, "-q", "-j", "2"])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait));
        child.kill().unwrap();
        child.wait().unwrap();
        if !d.join(&out).join("manifest.json").exists() {
            interrupted += 1;
        }
        orgsim(d)
            .args(["sweep", "effect.json", "-o", &out, "-q"])
            .assert()
            .success();
        same_files(&d.join("clean60"), &d.join(&out));
    }
    assert!(interrupted > 0, "no kill landed before the sweep finished");
}

#[test]
fn two_shards_with_a_named_reference_merge_into_the_unsharded_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d, 5);
    // A reference given as a file, removed before the merge: the shards carry it.
    fs::write(
        d.join("without.json"),
        r#"{ "extends": "baseline", "name": "without", "years": 12, "organization": { "capacity": 150 } }"#,
    )
    .unwrap();
    let text = fs::read_to_string(d.join("effect.json"))
        .unwrap()
        .replace("base-without-interventions", "without.json");
    fs::write(d.join("effect.json"), text).unwrap();
    orgsim(d)
        .args(["sweep", "effect.json", "-o", "whole", "-q"])
        .assert()
        .success();
    for task in ["0", "1"] {
        orgsim(d)
            .args([
                "sweep",
                "effect.json",
                "--tasks",
                "2",
                "--task",
                task,
                "-o",
                &format!("s{task}"),
                "-q",
            ])
            .assert()
            .success();
    }
    fs::remove_file(d.join("without.json")).unwrap();
    fs::remove_file(d.join("quick.json")).unwrap();
    orgsim(d)
        .args(["merge", "s1", "s0", "-o", "merged"])
        .assert()
        .success();
    same_files(&d.join("whole"), &d.join("merged"));
    let runs = fs::read_to_string(d.join("whole/runs.csv")).unwrap();
    assert!(runs.lines().next().unwrap().contains(",capacity_auc_diff,"));
    assert_eq!(runs.lines().count(), 1 + 4 * 5);
}

#[test]
fn a_bad_reference_or_window_is_refused_naming_file_path_value_and_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: [(&str, &[&str]); 7] = [
        (
            r#""base": "dual-system", "reference": "no-such-scenario""#,
            &[
                "bad.json",
                "reference",
                "no-such-scenario",
                "base-without-interventions",
            ],
        ),
        (
            r#""base": "baseline", "reference": "base-without-interventions""#,
            &["bad.json", "reference", "no interventions to remove"],
        ),
        (
            r#""base": "dual-system", "reference": "classic/march1991""#,
            &[
                "bad.json",
                "reference",
                "classic/march1991",
                "same outcomes",
            ],
        ),
        (
            r#""base": "dual-system", "window": { "from": 10, "to": 25 }"#,
            &[
                "bad.json",
                "window.to",
                "25",
                "past the end of the run",
                "up to 20",
            ],
        ),
        (
            r#""base": "dual-system", "window": { "from": 12, "to": 12 }"#,
            &[
                "bad.json",
                "window",
                "from 12 to 12",
                "empty",
                "greater than `from`",
            ],
        ),
        (
            r#""base": "dual-system", "window": { "from": -1, "to": 12 }"#,
            &["bad.json", "window.from", "-1", "0 or more"],
        ),
        (
            r#""base": "classic/march1991", "window": { "from": 1, "to": 5 }, "axes": [ { "path": "march.p1", "values": [0.5] } ]"#,
            &["bad.json", "window", "abstract periods", "life-cycle model"],
        ),
    ];
    for (fields, expected) in cases {
        let axes = if fields.contains("axes") {
            String::new()
        } else {
            r#", "axes": [ { "path": "leadership.spot_rate", "values": [0.2] } ]"#.to_string()
        };
        fs::write(d.join("bad.json"), format!("{{ {fields}{axes} }}")).unwrap();
        let out = orgsim(d)
            .args(["sweep", "bad.json", "-o", "out", "-q"])
            .assert()
            .failure()
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8_lossy(&out);
        for e in expected {
            assert!(err.contains(e), "{fields}: `{e}` not in: {err}");
        }
        assert!(!d.join("out/runs.csv").exists() && !d.join("out/manifest.json").exists());
    }
}

#[test]
fn the_bundled_effect_sweep_pairs_every_point_with_its_base_without_interventions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let design = read_sweep(
        &root.join("scenarios/sweeps/dual-system-effect.json"),
        u64::MAX,
    )
    .unwrap();
    assert_eq!(design.points.len(), 10 * (13 + 1));
    assert_eq!(design.references.len(), design.points.len());
    assert!(
        design
            .references
            .iter()
            .all(|r| r.resolved_json()["interventions"] == serde_json::json!([]))
    );
    // The axes outside `interventions` are set in the reference too.
    for (own, reference) in design.scenarios.iter().zip(&design.references) {
        let (a, b) = (own.resolved_json(), reference.resolved_json());
        assert_eq!(a["leadership"], b["leadership"]);
        assert_eq!(a["management"], b["management"]);
    }
    // Years 10 to 20 of weekly steps.
    assert_eq!(design.window_steps, Some((520, 1040)));
}
