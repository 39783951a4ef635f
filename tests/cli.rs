//! The command line end to end, in temporary directories, as a new user would use it.

use predicates::prelude::*;

use crate::util::orgsim;

const FILES: [&str; 6] = [
    "timeseries.csv",
    "runs.csv",
    "bands.csv",
    "summary.json",
    "manifest.json",
    "comparison.csv",
];

#[test]
fn run_with_no_arguments_writes_the_default_results() {
    let dir = tempfile::tempdir().unwrap();
    orgsim(dir.path())
        .args(["run", "--replicates", "4"])
        .assert()
        .success()
        .stdout(predicate::str::contains("peak_capacity"))
        .stdout(predicate::str::contains("95% CI of the mean"))
        .stdout(predicate::str::contains("80% of runs"))
        .stdout(predicate::str::contains("Paired comparisons"))
        .stdout(predicate::str::contains(
            "dual-system vs baseline, years 10-15",
        ))
        .stdout(predicate::str::contains("Wrote 6 result files"))
        .stdout(predicate::str::contains(
            "Charts: innovation_capacity.png, innovation_capacity_per_100.png, two_systems.png, \
             dashboard.png, comparison.png (and .svg).",
        ));
    let out = dir
        .path()
        .join("results/baseline-vs-task-forces-vs-dual-system");
    for f in FILES {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let comparison = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert!(comparison.starts_with(orgsim::output::comparison_header()));
    assert!(
        comparison.contains("years 10-15,10.0,15.0,dual-system,baseline,mean_capacity_per_100,4,")
    );
    assert!(
        comparison
            .lines()
            .next()
            .unwrap()
            .ends_with(",difference_p10,difference_p90")
    );
    // Against a baseline near zero no ratio is written; against a reference far from zero,
    // one is.
    let row = |prefix: &str| -> Vec<String> {
        let line = comparison.lines().find(|l| l.starts_with(prefix)).unwrap();
        line.split(',').map(str::to_string).collect()
    };
    let near_zero = row("years 10-15,10.0,15.0,dual-system,baseline,final_capacity,");
    assert_eq!(near_zero.len(), 17);
    assert!(
        near_zero[12..15].iter().all(String::is_empty),
        "{near_zero:?}"
    );
    let (p10, p90): (f64, f64) = (
        near_zero[15].parse().unwrap(),
        near_zero[16].parse().unwrap(),
    );
    assert!(p10 <= p90);
    let far = row("whole run,0.0,20.0,dual-system,baseline,final_headcount,");
    assert!(!far[12].is_empty(), "{far:?}");
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"prediction_level\": 0.8"));
    assert!(summary.contains("\"difference_p90\""));
    // Nothing temporary is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !FILES.contains(&n.as_str()))
        .filter(|n| {
            let chart = n.trim_end_matches(".png").trim_end_matches(".svg");
            !(orgsim::chart::CHARTS.contains(&chart)
                && (n.ends_with(".png") || n.ends_with(".svg")))
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    for chart in [
        "innovation_capacity",
        "innovation_capacity_per_100",
        "two_systems",
        "dashboard",
        "comparison",
    ] {
        for ext in ["png", "svg"] {
            assert!(
                out.join(format!("{chart}.{ext}")).is_file(),
                "{chart}.{ext} missing"
            );
        }
    }
}

#[test]
fn run_a_file_with_overrides_and_read_every_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.json"),
        r#"{"extends": "classic/march1991", "replicates": 7, "march": {"p1": 0.9},
            "title": "Fast socialization"}"#,
    )
    .unwrap();
    orgsim(dir.path())
        .args([
            "run",
            "mine.json",
            "--out",
            "o",
            "--set",
            "march.p2=0.9",
            "-q",
        ])
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let o = dir.path().join("o");
    let runs = std::fs::read_to_string(o.join("runs.csv")).unwrap();
    let lines: Vec<&str> = runs.lines().collect();
    assert_eq!(
        lines[0],
        "scenario,replicate,seed,equilibrium_knowledge,periods,reached_equilibrium"
    );
    assert_eq!(lines.len(), 8);
    assert!(lines[1].starts_with("mine,0,"));
    let ts = std::fs::read_to_string(o.join("timeseries.csv")).unwrap();
    assert!(ts.starts_with("scenario,replicate,seed,step,knowledge,mean_individual_knowledge\n"));
    let bands = std::fs::read_to_string(o.join("bands.csv")).unwrap();
    assert!(bands.starts_with("scenario,step,metric,n,mean,sd,ci_low,ci_high,p10,p90\n"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(o.join("summary.json")).unwrap()).unwrap();
    let k = &summary["scenarios"]["mine"]["outcomes"]["equilibrium_knowledge"];
    assert_eq!(k["n"], 7);
    assert!(k["ci_low"].as_f64().unwrap() <= k["mean"].as_f64().unwrap());
    // The manifest holds the fully resolved scenario: extends, file and --set applied.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(o.join("manifest.json")).unwrap()).unwrap();
    let sc = &manifest["scenarios"][0];
    assert_eq!(sc["march"]["p1"], 0.9);
    assert_eq!(sc["march"]["p2"], 0.9);
    assert_eq!(sc["march"]["n"], 50);
    assert_eq!(sc["replicates"], 7);
    assert_eq!(sc["title"], "Fast socialization");
    assert_eq!(manifest["seed"], 1991);
    assert!(manifest["command_line"].as_array().unwrap().len() > 3);
}

/// Every column of every CSV file holds one kind of value (integers, reals or text), so tools
/// that infer a column's type from its first rows read the rest (tests/python/check_outputs.py
/// checks the types with pandas and polars themselves).
#[test]
fn every_csv_column_holds_one_kind_of_value() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &[
            "run",
            "baseline",
            "dual-system",
            "-n",
            "2",
            "--set",
            "years=12",
            "--out",
            "l",
        ][..],
        &["run", "classic/march1991", "-n", "30", "--out", "m"][..],
    ] {
        orgsim(dir.path())
            .args(args)
            .args(["-q", "--no-charts"])
            .assert()
            .success();
    }
    let kind = |field: &str| {
        if field.parse::<i64>().is_ok() {
            "integer"
        } else if field.parse::<f64>().is_ok() && field.contains(['.', 'e']) {
            "real"
        } else {
            "text"
        }
    };
    let mut checked = 0;
    for sub in ["l", "m"] {
        for entry in std::fs::read_dir(dir.path().join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "csv") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines = text.lines();
            let header: Vec<&str> = lines.next().unwrap().split(',').collect();
            let mut kinds: Vec<Option<&str>> = vec![None; header.len()];
            for line in lines {
                // Labels such as "whole run" hold no commas.
                for (c, field) in line.split(',').enumerate() {
                    if field.is_empty() {
                        continue;
                    }
                    let k = kind(field);
                    let first = *kinds[c].get_or_insert(k);
                    assert_eq!(
                        first,
                        k,
                        "{}: column {} holds {first} and {k} ({field})",
                        path.display(),
                        header[c]
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 7, "timeseries, runs, bands (twice) and comparison");
}

#[test]
fn manifest_reruns_exactly() {
    // The resolved scenario in the manifest, saved as a file, reproduces the results.
    let dir = tempfile::tempdir().unwrap();
    orgsim(dir.path())
        .args([
            "run",
            "classic/march1991",
            "-n",
            "5",
            "--set",
            "march.p1=0.3",
            "--out",
            "a",
            "-q",
        ])
        .assert()
        .success();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("a/manifest.json")).unwrap())
            .unwrap();
    std::fs::write(
        dir.path().join("again.json"),
        manifest["scenarios"][0].to_string(),
    )
    .unwrap();
    orgsim(dir.path())
        .args(["run", "again.json", "--out", "b", "-q"])
        .assert()
        .success();
    let read = |d: &str| std::fs::read(dir.path().join(d).join("runs.csv")).unwrap();
    assert_eq!(read("a"), read("b"));
}

#[test]
fn scenarios_lists_the_bundled_ones_and_matches_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    orgsim(dir.path())
        .arg("scenarios")
        .assert()
        .success()
        .stdout(predicate::str::contains("classic/march1991"))
        .stdout(predicate::str::contains("March (1991)"));
    // Every file under scenarios/ is bundled, and every bundled scenario is a file there.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut on_disk = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if p.file_name().unwrap() != "sweeps" {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "json") {
                let rel = p.strip_prefix(&root).unwrap().with_extension("");
                on_disk.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    on_disk.sort();
    let mut bundled: Vec<String> = orgsim::scenario::BUNDLED
        .iter()
        .map(|b| b.name.to_string())
        .collect();
    bundled.sort();
    assert_eq!(on_disk, bundled);
}

#[test]
fn schema_is_json_that_describes_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = orgsim(dir.path()).arg("schema").assert().success();
    let schema: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    for key in [
        "model",
        "name",
        "seed",
        "replicates",
        "march",
        "extends",
        "title",
        "years",
        "organization",
        "interventions",
    ] {
        assert!(schema["properties"][key].is_object(), "{key} missing");
    }
    let text = schema.to_string();
    assert!(text.contains("Socialization rate"));
}

#[test]
fn validate_accepts_good_files_and_reports_each_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("good.json"),
        r#"{"model": "march1991", "march": {"p1": 0.2}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad.json"),
        r#"{"model": "march1991", "march": {"p2": -1}}"#,
    )
    .unwrap();
    orgsim(dir.path())
        .args(["validate", "good.json", "classic/march1991"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: good.json"));
    orgsim(dir.path())
        .args(["validate", "good.json", "bad.json"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "bad.json: march.p2 = -1: must be a probability in [0, 1]",
        ))
        .stderr(predicate::str::contains("1 of 2 scenario(s) failed"));
}

#[test]
fn every_command_has_full_help() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [&["run", "--help"][..], &["validate", "--help"], &["--help"]] {
        orgsim(dir.path())
            .args(cmd)
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
    orgsim(dir.path())
        .args(["run", "--help"])
        .assert()
        .stdout(predicate::str::contains(
            "Results are identical for any number",
        ));
}

#[test]
fn show_prints_a_bundled_scenario_to_copy() {
    let dir = tempfile::tempdir().unwrap();
    let out = orgsim(dir.path())
        .args(["show", "baseline"])
        .assert()
        .success();
    std::fs::write(dir.path().join("mine.json"), &out.get_output().stdout).unwrap();
    orgsim(dir.path())
        .args(["validate", "mine.json"])
        .assert()
        .success();
    orgsim(dir.path())
        .args(["show", "nope"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a bundled scenario"));
}

#[test]
fn a_file_name_that_is_not_a_valid_name_becomes_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("my scenario p1=0.9.json"),
        r#"{"years": 1}"#,
    )
    .unwrap();
    orgsim(dir.path())
        .args(["validate", "my scenario p1=0.9.json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(my-scenario-p1-0.9)"));
}

/// With uncertain parameters (the bundled baseline has some), the console says which of them
/// each effect depends on most; with `--no-uncertainty` there is nothing to rank.
#[test]
fn the_console_ranks_the_uncertain_parameters_an_effect_depends_on() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| -> String {
        let mut args = vec![
            "run",
            "baseline",
            "dual-system-early",
            "-n",
            "8",
            "--set",
            "years=8",
            "--no-charts",
            "-o",
            "out",
        ];
        args.extend_from_slice(extra);
        let out = orgsim(dir.path()).args(&args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let with = run(&[]);
    let heading = "the effect depends most on (rank correlation";
    assert!(with.contains(heading), "{with}");
    let row = with
        .lines()
        .skip_while(|l| !l.contains(heading))
        .find(|l| l.trim_start().starts_with("mean_capacity_per_100"))
        .unwrap();
    // "outcome  path +0.62, path -0.31, ...": each correlation within [-1, 1].
    for item in row.split(", ") {
        let rho: f64 = item.rsplit(' ').next().unwrap().parse().unwrap();
        assert!((-1.0..=1.0).contains(&rho), "{row}");
    }
    assert!(!run(&["--no-uncertainty"]).contains(heading));
}
