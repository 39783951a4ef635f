//! Uncertain parameters: each replicate's draws are paired across the scenarios of a run,
//! recorded in runs.csv, identical for any thread count, switched off by --no-uncertainty,
//! and bad entries are refused with the file, the path, the value and what is allowed.

use std::path::Path;

use crate::util::orgsim;

const BASE: &str = r#"{
  "model": "lifecycle", "name": "firm", "years": 3, "replicates": 6,
  "organization": {"capacity": 120},
  "uncertainty": {
    "management.rule_growth": {"triangular": [0.2, 0.3, 0.45]},
    "people.quit_rate_engaged": {"lognormal": [0.08, 0.4]},
    "organization.founders": {"uniform": [10, 20]},
    "leadership.spot_rate": {"empirical": [0.1, 0.2, 0.3]}
  }
}"#;

const REMEDY: &str = r#"{"extends": "firm.json", "name": "remedy",
  "interventions": [{"kind": "autonomy", "start_year": 1}]}"#;

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("firm.json"), BASE).unwrap();
    std::fs::write(dir.path().join("remedy.json"), REMEDY).unwrap();
    dir
}

/// runs.csv as rows of fields, with its header.
fn runs(dir: &Path, out: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(dir.join(out).join("runs.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

/// `orgsim run ARGS --out OUT -q --no-charts` in `dir`, which must succeed.
fn run_into(dir: &Path, out: &str, args: &[&str]) {
    orgsim(dir)
        .arg("run")
        .args(args)
        .args(["--out", out, "-q", "--no-charts"])
        .assert()
        .success();
}

const PATHS: [&str; 4] = [
    "leadership.spot_rate",
    "management.rule_growth",
    "organization.founders",
    "people.quit_rate_engaged",
];

#[test]
fn draws_are_paired_across_scenarios_recorded_and_vary_across_replicates() {
    let dir = setup();
    run_into(dir.path(), "o", &["firm.json", "remedy.json"]);
    let (header, rows) = runs(dir.path(), "o");
    assert_eq!(header[header.len() - 4..], PATHS.map(String::from));
    let drawn = |row: &Vec<String>| row[row.len() - 4..].to_vec();
    let (firm, remedy): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r[0] == "firm");
    assert_eq!(firm.len(), 6);
    for (a, b) in firm.iter().zip(&remedy) {
        assert_eq!(a[1], b[1], "same replicate");
        assert_eq!(
            drawn(a),
            drawn(b),
            "replicate {} draws the same values",
            a[1]
        );
    }
    // Replicates draw different values, inside each distribution's support.
    let growth: Vec<f64> = firm
        .iter()
        .map(|r| r[r.len() - 3].parse().unwrap())
        .collect();
    assert!(growth.iter().all(|g| (0.2..=0.45).contains(g)));
    assert!(growth.windows(2).any(|w| w[0] != w[1]));
    for r in &firm {
        let founders: f64 = r[r.len() - 2].parse().unwrap();
        assert_eq!(founders.fract(), 0.0, "an integer field gets whole numbers");
        assert!((10.0..=20.0).contains(&founders));
        let spot = &r[r.len() - 4];
        assert!(["0.1", "0.2", "0.3"].contains(&spot.as_str()), "{spot}");
    }
    // A remedy branches from the same history: up to its start (year 1, week 52) every
    // replicate of the remedy is the replicate of the firm, week by week.
    let ts_text = std::fs::read_to_string(dir.path().join("o/timeseries.csv")).unwrap();
    let weeks = |scenario: &str| -> Vec<String> {
        ts_text
            .lines()
            .filter(|l| l.starts_with(&format!("{scenario},")))
            .filter(|l| l.split(',').nth(3).unwrap().parse::<u32>().unwrap() <= 52)
            .map(|l| l.split_once(',').unwrap().1.to_string())
            .collect()
    };
    assert_eq!(weeks("firm").len(), 6 * 53);
    assert_eq!(weeks("firm"), weeks("remedy"));
    // The model ran with the draws: the first week's headcount is the drawn founders.
    let ts = std::fs::read_to_string(dir.path().join("o/timeseries.csv")).unwrap();
    let hc = ts
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == "headcount")
        .unwrap();
    for r in &firm {
        let first = ts
            .lines()
            .find(|l| l.starts_with(&format!("firm,{},", r[1])))
            .unwrap();
        let founders: f64 = r[r.len() - 2].parse().unwrap();
        assert_eq!(first.split(',').nth(hc).unwrap(), format!("{founders:.0}"));
    }
}

#[test]
fn draws_are_identical_on_any_number_of_threads() {
    let dir = setup();
    for t in ["1", "3"] {
        run_into(
            dir.path(),
            &format!("t{t}"),
            &["firm.json", "remedy.json", "--threads", t],
        );
    }
    for f in ["runs.csv", "timeseries.csv", "bands.csv"] {
        assert_eq!(
            std::fs::read(dir.path().join("t1").join(f)).unwrap(),
            std::fs::read(dir.path().join("t3").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn no_uncertainty_runs_the_written_values() {
    let dir = setup();
    run_into(dir.path(), "o", &["firm.json", "--no-uncertainty"]);
    let (header, _) = runs(dir.path(), "o");
    assert!(
        !header.iter().any(|h| PATHS.contains(&h.as_str())),
        "{header:?}"
    );
    let manifest = std::fs::read_to_string(dir.path().join("o/manifest.json")).unwrap();
    assert!(!manifest.contains("\"uncertainty\""));
}

/// `--set` on an uncertain parameter pins it: every run takes the value set (the draw used to
/// replace it silently), while the other uncertain parameters are still drawn.
#[test]
fn a_set_value_pins_an_uncertain_parameter() {
    let dir = setup();
    run_into(
        dir.path(),
        "o",
        &[
            "firm.json",
            "--set",
            "management.rule_growth=0.6",
            "--set",
            "years=1",
        ],
    );
    let (header, rows) = runs(dir.path(), "o");
    assert!(
        !header.iter().any(|h| h == "management.rule_growth"),
        "pinned, so not drawn: {header:?}"
    );
    let spot = header
        .iter()
        .position(|h| h == "leadership.spot_rate")
        .expect("still drawn");
    let mut drawn: Vec<&str> = rows.iter().map(|r| r[spot].as_str()).collect();
    drawn.sort();
    drawn.dedup();
    assert!(drawn.len() > 1, "{drawn:?}");
    // The resolved scenario the runs took: the value set, and no draw for it.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/manifest.json")).unwrap())
            .unwrap();
    let firm = &manifest["scenarios"][0];
    assert_eq!(firm["management"]["rule_growth"], 0.6, "{firm}");
    assert!(
        firm["uncertainty"].get("management.rule_growth").is_none(),
        "{firm}"
    );
    assert!(
        firm["uncertainty"].get("leadership.spot_rate").is_some(),
        "{firm}"
    );
}

#[test]
fn bad_uncertainty_names_file_path_value_and_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"{"management.rule_grwth": {"uniform": [0.1, 0.2]}}"#,
            &[
                "bad.json",
                "uncertainty[\"management.rule_grwth\"]",
                "did you mean `management.rule_growth`",
            ][..],
        ),
        (
            r#"{"people.quit_rate_engaged": {"uniform": [0.1, 1.5]}}"#,
            &[
                "bad.json",
                "{\"uniform\": [0.1, 1.5]}",
                "high end 1.5",
                "probability in [0, 1]",
            ][..],
        ),
        (
            r#"{"management.rule_growth": {"triangular": [0.3, 0.2, 0.4]}}"#,
            &["low <= mode <= high"][..],
        ),
        (
            r#"{"years": {"uniform": [5, 10]}}"#,
            &["cannot be uncertain"][..],
        ),
        (
            r#"{"management.rule_growth": {"empirical": []}}"#,
            &["at least one value"][..],
        ),
        (
            r#"{"management.rule_growth": {"beta": [1, 2]}}"#,
            &["bad.json", "unknown variant `beta`"][..],
        ),
    ];
    for (uncertainty, wanted) in cases {
        std::fs::write(
            dir.path().join("bad.json"),
            format!(r#"{{"extends": "baseline", "uncertainty": {uncertainty}}}"#),
        )
        .unwrap();
        let out = orgsim(dir.path())
            .args(["validate", "bad.json"])
            .assert()
            .failure()
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(out).unwrap();
        for w in wanted {
            assert!(err.contains(w), "{uncertainty}: {err} lacks {w}");
        }
    }
}

#[test]
fn an_extending_file_replaces_or_removes_inherited_distributions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.json"),
        r#"{"extends": "baseline", "uncertainty": {
             "leadership.spot_rate": {"empirical": [0.2, 0.3]},
             "management.rule_growth": null,
             "leadership.fear": {"uniform": [0.1, 0.3]}}}"#,
    )
    .unwrap();
    let base = orgsim::scenario::load("baseline", &[]).unwrap().scenario;
    let mine = orgsim::scenario::load(dir.path().join("mine.json").to_str().unwrap(), &[])
        .unwrap()
        .scenario;
    use orgsim::scenario::Distribution;
    assert!(matches!(
        base.uncertainty["leadership.spot_rate"],
        Distribution::Triangular(_)
    ));
    assert_eq!(
        mine.uncertainty["leadership.spot_rate"],
        Distribution::Empirical(vec![0.2, 0.3])
    );
    assert!(!mine.uncertainty.contains_key("management.rule_growth"));
    assert!(base.uncertainty.contains_key("management.rule_growth"));
    assert!(mine.uncertainty.contains_key("leadership.fear"));
    assert_eq!(mine.uncertainty.len(), base.uncertainty.len());
}
