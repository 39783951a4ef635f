//! Sweeps end to end, as a researcher runs them: byte-identical files for any thread count,
//! shards in separate processes merged into the unsharded files, resuming after a kill, the
//! analysis, and clear refusals of bad input.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use crate::util::orgsim;

const FILES: [&str; 4] = ["runs.csv", "points.csv", "series.csv", "manifest.json"];

/// A March grid of 2 x 3 points; `replicates` each; knowledge kept every 5 periods.
fn write_sweep(dir: &Path, name: &str, replicates: u64) {
    fs::write(
        dir.join(format!("{name}.json")),
        format!(
            r#"{{
  "base": "classic/march1991",
  "axes": [
    {{ "path": "march.p1", "values": [0.1, 0.9] }},
    {{ "path": "march.p2", "range": {{ "from": 0.1, "to": 0.9, "step": 0.4 }} }}
  ],
  "replicates": {replicates},
  "seed": 5,
  "keep": {{ "metrics": ["knowledge"], "stride": 5 }}
}}"#
        ),
    )
    .unwrap();
}

fn same_files(a: &Path, b: &Path) {
    for f in FILES {
        let (x, y) = (fs::read(a.join(f)).unwrap(), fs::read(b.join(f)).unwrap());
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn sweep_files_are_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), "grid", 40);
    for (threads, out) in [("1", "one"), ("2", "two"), ("5", "five")] {
        orgsim(dir.path())
            .args(["sweep", "grid.json", "-j", threads, "-o", out, "-q"])
            .assert()
            .success();
    }
    same_files(&dir.path().join("one"), &dir.path().join("two"));
    same_files(&dir.path().join("one"), &dir.path().join("five"));
    let runs = fs::read_to_string(dir.path().join("one/runs.csv")).unwrap();
    assert!(runs.starts_with("point,march.p1,march.p2,replicate,seed,equilibrium_knowledge"));
    assert_eq!(runs.lines().count(), 1 + 6 * 40);
    // Common random numbers: replicate 3 has the same seed at every point.
    let seeds: std::collections::BTreeSet<&str> = runs
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(3) == Some("3"))
        .map(|l| l.split(',').nth(4).unwrap())
        .collect();
    assert_eq!(seeds.len(), 1);
    let points = fs::read_to_string(dir.path().join("one/points.csv")).unwrap();
    assert!(points.contains("0,0.1,0.1,equilibrium_knowledge,40,"));
    assert!(
        points.contains("5,0.9,0.9,"),
        "the grid's last point: p1 0.9, p2 0.9"
    );
    let series = fs::read_to_string(dir.path().join("one/series.csv")).unwrap();
    assert!(series.starts_with("point,replicate,step,metric,value\n0,0,0,knowledge,"));
    assert!(series.contains("\n0,0,5,knowledge,"));
    assert!(
        !series.contains("\n0,0,3,knowledge,"),
        "stride 5 keeps steps 0, 5, 10, ..."
    );
    // Nothing of the run's machinery is left.
    let left: Vec<String> = fs::read_dir(dir.path().join("one"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !FILES.contains(&n.as_str()))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn three_shards_in_three_processes_merge_into_the_unsharded_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d, "grid", 30);
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "whole", "-q"])
        .assert()
        .success();
    // Shard 0 by flags, shard 1 as a Slurm array task, shard 2 as a Kubernetes indexed job.
    orgsim(d)
        .args([
            "sweep",
            "grid.json",
            "--tasks",
            "3",
            "--task",
            "0",
            "-o",
            "s0",
            "-q",
        ])
        .assert()
        .success();
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "s1", "-q"])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .assert()
        .success();
    orgsim(d)
        .args(["sweep", "grid.json", "--tasks", "3", "-o", "s2", "-q"])
        .env("JOB_COMPLETION_INDEX", "2")
        .assert()
        .success();
    orgsim(d)
        .args(["status", "s0", "s1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not complete"))
        .stdout(predicate::str::contains(
            "shard 0 of 3: 60 of 60 runs (done)",
        ))
        .stdout(predicate::str::contains(
            "Not in these directories: shard 2 of 3",
        ));
    // Refusals: a missing shard, a shard given twice, a shard of another sweep.
    orgsim(d)
        .args(["merge", "s0", "s1", "-o", "merged"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("shard 2 of 3 missing"));
    orgsim(d)
        .args(["merge", "s0", "s1", "s1", "s2", "-o", "merged"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("given twice"));
    write_sweep(d, "other", 31);
    orgsim(d)
        .args([
            "sweep",
            "other.json",
            "--tasks",
            "3",
            "--task",
            "2",
            "-o",
            "x2",
            "-q",
        ])
        .assert()
        .success();
    orgsim(d)
        .args(["merge", "s0", "s1", "x2", "-o", "merged"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("different sweep"));
    assert!(
        !d.join("merged/runs.csv").exists(),
        "nothing written on refusal"
    );
    orgsim(d)
        .args(["merge", "s2", "s0", "s1", "-o", "merged"])
        .assert()
        .success()
        .stdout(predicate::str::contains("180 runs"));
    same_files(&d.join("whole"), &d.join("merged"));
    orgsim(d)
        .args(["status", "s0", "s1", "s2"])
        .assert()
        .success();
    orgsim(d)
        .args(["status", "merged"])
        .assert()
        .success()
        .stdout(predicate::str::contains("finished: 180 runs"));
    // A directory holding one shard does not take another shard of a different split.
    orgsim(d)
        .args([
            "sweep",
            "grid.json",
            "--tasks",
            "2",
            "--task",
            "0",
            "-o",
            "s0",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("this task is shard 0 of 2"));
    orgsim(d)
        .args(["merge", "s0", "s1", "s2", "-o", "s2"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("is one of the shard directories"));
    // A task out of range.
    orgsim(d)
        .args([
            "sweep",
            "grid.json",
            "--tasks",
            "3",
            "--task",
            "3",
            "-o",
            "bad",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("shards are 0 to 2"));
}

#[test]
fn a_killed_sweep_resumes_to_the_files_of_an_uninterrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Big enough to be killed part way: 6 points x 6,000 replicates.
    write_sweep(d, "grid", 6_000);
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "clean", "-q"])
        .assert()
        .success();
    let bin = assert_cmd::cargo::cargo_bin("orgsim");
    let mut child = std::process::Command::new(&bin)
        .current_dir(d)
        .args(["sweep", "grid.json", "-o", "killed", "-q"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(600));
    child.kill().unwrap();
    child.wait().unwrap();
    // A crash in the middle of writing: a torn line after the last commit.
    if let Some(journal) = fs::read_dir(d.join("killed"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("journal-"))
    {
        let mut f = fs::OpenOptions::new().append(true).open(journal).unwrap();
        std::io::Write::write_all(&mut f, b"r,999999,12,0.5").unwrap();
    }
    assert!(
        !d.join("killed/runs.csv").exists() || d.join("killed/manifest.json").exists(),
        "no partial file is taken for a finished one"
    );
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "killed"])
        .assert()
        .success();
    same_files(&d.join("clean"), &d.join("killed"));
    // Run again: finished, nothing to do, files untouched.
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "killed"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ran 0"));
    same_files(&d.join("clean"), &d.join("killed"));
}

#[test]
fn analyze_estimates_sobol_indices_and_draws_grids() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("sobol.json"),
        r#"{
  "base": "classic/march1991",
  "axes": [
    { "path": "march.p1", "range": { "from": 0.1, "to": 0.9 } },
    { "path": "march.p2", "range": { "from": 0.1, "to": 0.9 } },
    { "path": "march.p3", "distribution": { "uniform": [0.0, 0.0] } }
  ],
  "design": "sobol",
  "points": 64,
  "replicates": 20
}"#,
    )
    .unwrap();
    orgsim(d)
        .args(["sweep", "sobol.json", "-o", "s", "-q"])
        .assert()
        .success();
    orgsim(d)
        .args(["analyze", "s", "--outcome", "equilibrium_knowledge"])
        .assert()
        .success()
        .stdout(predicate::str::contains("total Sobol indices"))
        .stdout(predicate::str::contains("tornado.png"));
    let csv = fs::read_to_string(d.join("s/sensitivity.csv")).unwrap();
    assert!(csv.starts_with("outcome,parameter,method,index,estimate,ci_low,ci_high,warning\n"));
    for axis in ["march.p1", "march.p2", "march.p3"] {
        for index in ["S1", "ST"] {
            assert!(
                csv.contains(&format!("equilibrium_knowledge,{axis},sobol,{index},")),
                "{axis} {index}"
            );
        }
    }
    // p3 is fixed at 0 (a zero-width distribution): its total index is 0.
    let st3: f64 = csv
        .lines()
        .find(|l| l.starts_with("equilibrium_knowledge,march.p3,sobol,ST,"))
        .and_then(|l| l.split(',').nth(4))
        .unwrap()
        .parse()
        .unwrap();
    assert!(st3.abs() < 1e-12, "ST of a constant input: {st3}");
    let png = png::Decoder::new(fs::File::open(d.join("s/tornado.png")).unwrap());
    assert_eq!(png.read_info().unwrap().info().width, 1600);

    // A Latin hypercube: standardized regression coefficients; the constant p3 gets 0.
    let lhs = fs::read_to_string(d.join("sobol.json"))
        .unwrap()
        .replace(r#""design": "sobol""#, r#""design": "lhs""#)
        .replace(r#""uniform": [0.0, 0.0]"#, r#""uniform": [0.0, 0.05]"#);
    fs::write(d.join("lhs.json"), lhs).unwrap();
    orgsim(d)
        .args(["sweep", "lhs.json", "-o", "l", "-q"])
        .assert()
        .success();
    orgsim(d)
        .args(["analyze", "l", "--outcome", "equilibrium_knowledge"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "standardized regression coefficient",
        ));
    let csv = fs::read_to_string(d.join("l/sensitivity.csv")).unwrap();
    assert!(csv.contains("equilibrium_knowledge,march.p1,regression,src,"));
    assert!(csv.contains("equilibrium_knowledge,(all),regression,r2,"));

    write_sweep(d, "grid", 10);
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "g", "-q"])
        .assert()
        .success();
    orgsim(d)
        .args(["analyze", "g", "--format", "svg"])
        .assert()
        .success();
    let svg = fs::read_to_string(d.join("g/effects.svg")).unwrap();
    assert!(svg.contains("march.p1") && svg.contains("march.p2:"));
    assert!(d.join("g/heatmap.svg").exists());
}

#[test]
fn bad_sweep_files_are_refused_with_the_path_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases = [
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p_1", "values": [0.1]}]}"#,
            "unknown field `p_1`, expected one of",
        ),
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p1", "values": ["high"]}]}"#,
            "march.p1",
        ),
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p1", "values": [1.5]}]}"#,
            "march.p1 = 1.5: must be a probability in [0, 1]",
        ),
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p1", "range": {"from": 0.1, "to": 0.9}}]}"#,
            "axes[0]: range of `march.p1`: a grid needs a `step`",
        ),
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p1", "range": {"from": 0, "to": 1}}], "design": "random", "points": 1000000, "replicates": 10}"#,
            "--max-runs",
        ),
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p1", "values": [0.1]}], "replicate": 3}"#,
            "unknown field `replicate`",
        ),
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p1", "values": [0.1]}], "points": 50}"#,
            "points: 50: a grid design takes every combination",
        ),
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p1", "range": {"from": 0.1, "to": 1.2}}], "design": "lhs", "points": 5}"#,
            "axes[0].range.to = 1.2",
        ),
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p_1", "values": [0.1]}]}"#,
            "did you mean `p1`?",
        ),
        (
            r#"{"base": "classic/march1991", "axes": [{"path": "march.p1", "values": [0.1]}], "design": "sobel"}"#,
            "design: unknown variant `sobel`",
        ),
    ];
    for (i, (text, message)) in cases.iter().enumerate() {
        let name = format!("bad{i}.json");
        fs::write(d.join(&name), text).unwrap();
        orgsim(d)
            .args(["sweep", &name, "-o", "out"])
            .assert()
            .failure()
            .stderr(predicate::str::contains(&name))
            .stderr(predicate::str::contains(*message));
    }
    assert!(
        !d.join("out").exists(),
        "nothing written for a bad sweep file"
    );
    // Results of one sweep are not overwritten by another.
    write_sweep(d, "a", 5);
    write_sweep(d, "b", 6);
    orgsim(d)
        .args(["sweep", "a.json", "-o", "r", "-q"])
        .assert()
        .success();
    let before = fs::read(d.join("r/runs.csv")).unwrap();
    orgsim(d)
        .args(["sweep", "b.json", "-o", "r", "-q"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("a different sweep"));
    assert_eq!(fs::read(d.join("r/runs.csv")).unwrap(), before);
}
