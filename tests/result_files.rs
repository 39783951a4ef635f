//! Result files are read only through their modules, strictly: a value that does not parse
//! as its column's type stops the reader with the file, line, column and value (it is not
//! skipped or read as zero), and what is written reads back as the numbers that were
//! written.

use std::fs;
use std::path::Path;

use orgsim::chart::{self, Format, PlotOptions};
use orgsim::output::{FileCheck, read_bands, read_comparison, runs};

use crate::util::orgsim;

/// Rewrites `name` in the run directory `dir` with `change`, and records its new check in
/// the manifest, so only the reader can object.
fn edit(dir: &Path, name: &str, change: impl Fn(&str) -> String) {
    let path = dir.join(name);
    let text = change(&fs::read_to_string(&path).unwrap());
    fs::write(&path, &text).unwrap();
    let manifest_path = dir.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest["checksums"][name] = serde_json::to_value(FileCheck::of(text.as_bytes())).unwrap();
    fs::write(&manifest_path, manifest.to_string()).unwrap();
}

fn two_march_scenarios(dir: &Path) -> std::path::PathBuf {
    fs::write(
        dir.join("fast.json"),
        r#"{"extends": "classic/march1991", "name": "fast", "march": {"p1": 0.9}}"#,
    )
    .unwrap();
    orgsim(dir)
        .args([
            "run",
            "classic/march1991",
            "fast.json",
            "-n",
            "4",
            "-o",
            "m",
        ])
        .args(["-q", "--no-charts"])
        .assert()
        .success();
    dir.join("m")
}

#[test]
fn a_damaged_number_stops_the_charts_with_its_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = two_march_scenarios(dir.path());
    let opts = PlotOptions {
        formats: vec![Format::Svg],
        ..PlotOptions::default()
    };
    // A difference of comparison.csv that is not a number (an earlier reader skipped the
    // row without a word).
    let pristine = tempfile::tempdir().unwrap();
    for f in fs::read_dir(&out).unwrap() {
        let f = f.unwrap();
        fs::copy(f.path(), pristine.path().join(f.file_name())).unwrap();
    }
    edit(&out, "comparison.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
        cells[9] = "12x".into();
        lines[1] = cells.join(",");
        lines.join("\n") + "\n"
    });
    let e = chart::plot_dir(&out, &opts).unwrap_err().to_string();
    assert!(
        e.contains("comparison.csv: line 2: difference `12x` is not a number"),
        "{e}"
    );
    // A mean of bands.csv.
    let out = pristine.path();
    edit(out, "bands.csv", |t| t.replacen(",4,0.0,", ",4,x,", 1));
    let e = chart::plot_dir(out, &opts).unwrap_err().to_string();
    assert!(e.contains("bands.csv: line 2: mean `x"), "{e}");
}

#[test]
fn files_read_back_as_the_numbers_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = two_march_scenarios(dir.path());
    let outputs = orgsim::scenario::load("classic/march1991", &[])
        .unwrap()
        .scenario
        .build_model()
        .outputs();
    let rows = runs::read(&out.join("runs.csv"), &outputs, &[]).unwrap();
    assert_eq!(rows.len(), 8);
    // Replicate r of both scenarios shares its seed.
    assert_eq!(rows[1].seed, rows[5].seed);
    let summary = orgsim::output::read_summary(&out.join("summary.json")).unwrap();
    let mean = summary.scenarios[1].outcomes[0].summary.unwrap().mean;
    let by_hand = rows[4..]
        .iter()
        .map(|r| r.outcomes[0].unwrap())
        .sum::<f64>()
        / 4.0;
    assert!((mean - by_hand).abs() < 1e-12, "{mean} {by_hand}");
    let comparisons = read_comparison(&out.join("comparison.csv")).unwrap();
    let knowledge = comparisons
        .iter()
        .find(|c| c.outcome == "equilibrium_knowledge")
        .unwrap();
    assert_eq!((knowledge.scenario.as_str(), knowledge.n), ("fast", 4));
    assert_eq!(knowledge.scenario_mean, Some(mean));
    let mut n = 0;
    let metrics = read_bands(&out.join("bands.csv"), &|m| m == "knowledge", &mut |r| {
        assert_eq!(r.metric, "knowledge");
        assert_eq!(r.n, 4);
        n += 1;
    })
    .unwrap();
    assert!(
        n > 0 && metrics.contains(&"knowledge".to_string()),
        "{metrics:?}"
    );
}
