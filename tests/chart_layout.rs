//! Chart layout: time axes end where the run ends, no text is cut or off the canvas with
//! one to five scenarios, phase shares are drawn as shares, scenario titles name the lines,
//! and the console and the charts agree on the peak of the mean curve.

use std::fs;
use std::path::{Path, PathBuf};

use orgsim::chart::{self, PlacedText, PlotOptions};

use crate::charts::{LIFECYCLE_CHARTS, layout, small_run, svg};
use crate::util::orgsim;

/// Runs `scenarios` for `years` years with `replicates` replicates into `dir/name`.
fn run_into(dir: &Path, name: &str, scenarios: &[&str], replicates: &str, years: &str) -> PathBuf {
    let years = format!("years={years}");
    let mut args = vec!["run"];
    args.extend_from_slice(scenarios);
    args.extend([
        "-n",
        replicates,
        "--set",
        &years,
        "-o",
        name,
        "-q",
        "--no-charts",
    ]);
    orgsim(dir).args(&args).assert().success();
    dir.join(name)
}

#[test]
fn every_time_axis_ends_where_the_run_ends() {
    // 13 years: round ticks would run to 14 or 15; the last tick must say 13.
    let dir = tempfile::tempdir().unwrap();
    let out = run_into(
        dir.path(),
        "out",
        &["baseline", "dual-system-early"],
        "2",
        "13",
    );
    for (chart, texts) in layout(&out, (1600, 900), PlotOptions::default()) {
        if chart == "comparison" {
            continue;
        }
        // Each panel's x ticks run from 0 to its last tick, left to right.
        let mut ticks: Vec<&PlacedText> = texts.iter().filter(|t| t.role == "x tick").collect();
        ticks.sort_by_key(|t| (t.bounds.1, t.bounds.0));
        let mut panels: Vec<Vec<&str>> = Vec::new();
        for t in ticks {
            if t.text == "0" || panels.is_empty() {
                panels.push(Vec::new());
            }
            panels.last_mut().unwrap().push(&t.text);
        }
        assert!(!panels.is_empty(), "{chart}: no time axis");
        for ticks in &panels {
            assert_eq!(ticks.last(), Some(&"13"), "{chart}: ticks {ticks:?}");
        }
    }
    // March (1991): periods, to the longest run's last period.
    orgsim(dir.path())
        .args([
            "run",
            "classic/march1991",
            "-n",
            "5",
            "-o",
            "m",
            "-q",
            "--no-charts",
        ])
        .assert()
        .success();
    let bands = fs::read_to_string(dir.path().join("m/bands.csv")).unwrap();
    let last: u64 = bands
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse::<u64>().unwrap())
        .max()
        .unwrap();
    let (_, texts) = &layout(&dir.path().join("m"), (1600, 900), PlotOptions::default())[0];
    let end = texts
        .iter()
        .filter(|t| t.role == "x tick")
        .max_by_key(|t| t.bounds.0)
        .unwrap();
    assert_eq!(end.text, last.to_string());
}

#[test]
fn no_text_is_cut_or_off_the_canvas_with_one_three_or_five_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let runs = [
        run_into(dir.path(), "one", &["dual-system-early"], "2", "12"),
        run_into(
            dir.path(),
            "three",
            &["baseline", "task-forces", "dual-system"],
            "2",
            "12",
        ),
        // The longest bundled name as the reference, in the comparison's title.
        run_into(
            dir.path(),
            "five",
            &[
                "bite-sized-leadership",
                "baseline",
                "task-forces",
                "dual-system-early",
                "culture-war",
            ],
            "2",
            "12",
        ),
    ];
    // Display titles, one as long as a title may be (80 characters).
    let path = runs[2].join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let long = "Everyday leadership: protected time, hackfests and follow-up from year 8 onwards";
    assert_eq!(long.chars().count(), 80);
    manifest["scenarios"][0]["title"] = long.into();
    manifest["scenarios"][3]["title"] = "The dual system from year 3, onboarded".into();
    fs::write(&path, manifest.to_string()).unwrap();
    for out in &runs {
        for size in [(1600, 900), (1200, 675)] {
            for (chart, texts) in layout(out, size, PlotOptions::default()) {
                let at = format!("{} {chart} at {}x{}", out.display(), size.0, size.1);
                for t in &texts {
                    assert!(!t.text.contains('\u{2026}'), "{at}: cut: {:?}", t.text);
                    let (x0, y0, x1, y1) = t.bounds;
                    assert!(
                        x0 >= 0 && y0 >= 0 && x1 <= size.0 as i32 && y1 <= size.1 as i32,
                        "{at}: off the canvas: {t:?}"
                    );
                    // Never smaller than the smallest text size (20 px at 1600x900).
                    let min = (20.0 * f64::from(size.0) / 1600.0).max(12.0);
                    assert!(t.px >= min - 0.01, "{at}: too small: {t:?}");
                }
                // Tick labels on one axis do not run into each other.
                let ticks: Vec<&PlacedText> = texts
                    .iter()
                    .filter(|t| t.role == "x tick" || t.role == "y tick")
                    .collect();
                for (i, a) in ticks.iter().enumerate() {
                    for b in &ticks[i + 1..] {
                        let (a0, b0) = (a.bounds, b.bounds);
                        let overlap = a0.0 < b0.2 && b0.0 < a0.2 && a0.1 < b0.3 && b0.1 < a0.3;
                        assert!(!overlap, "{at}: tick labels overlap: {a:?} / {b:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn phase_shares_are_drawn_as_shares() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "2");
    orgsim(dir.path())
        .args(["plot", "out", "--metric", "phase=dual", "--format", "svg"])
        .assert()
        .success();
    let text = svg(&out.join("phase=dual.svg"));
    assert!(
        text.contains("Share of replicates in the dual phase"),
        "no title"
    );
    // The y axis runs from 0 to 1 whatever the data.
    let (_, texts) = &layout(
        &out,
        (1600, 900),
        PlotOptions {
            metric: Some("phase=dual".into()),
            ..PlotOptions::default()
        },
    )[0];
    let y: Vec<&str> = texts
        .iter()
        .filter(|t| t.role == "y tick")
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(y.first(), Some(&"0.0"), "{y:?}");
    assert_eq!(y.last(), Some(&"1.0"), "{y:?}");
}

#[test]
fn scenario_titles_name_the_lines_and_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "2");
    // Titles as a scenario's optional `title` field writes them into the manifest.
    let path = out.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    manifest["scenarios"][0]["title"] = "Doing nothing".into();
    manifest["scenarios"][1]["title"] = "A dual system from year 3".into();
    fs::write(&path, manifest.to_string()).unwrap();
    orgsim(dir.path())
        .args(["plot", "out", "--format", "svg", "-o", "titled"])
        .assert()
        .success();
    let titled = dir.path().join("titled");
    for chart in LIFECYCLE_CHARTS {
        let text = svg(&titled.join(format!("{chart}.svg")));
        assert!(
            text.contains("A dual system from year 3"),
            "{chart}.svg does not use the title"
        );
        assert!(
            !text.contains(">\ndual-system-early\n<") && !text.contains("dual-system-early:"),
            "{chart}.svg still names the scenario by its file name"
        );
    }
    let comparison = svg(&titled.join("comparison.svg"));
    assert!(comparison.contains("against \u{201c}Doing nothing\u{201d}"));
    // `--scenarios` still takes the names.
    orgsim(dir.path())
        .args([
            "plot",
            "out",
            "--scenarios",
            "dual-system-early",
            "-o",
            "sub",
        ])
        .assert()
        .success();
    // A blank title is no title.
    manifest["scenarios"][1]["title"] = "  ".into();
    manifest["scenarios"][0]["title"] = serde_json::Value::Null;
    fs::write(&path, manifest.to_string()).unwrap();
    chart::plot_dir(&out, &PlotOptions::default()).unwrap();
    let text = svg(&out.join("innovation_capacity.svg"));
    assert!(text.contains(">\ndual-system-early\n<") && text.contains(">\nbaseline\n<"));
}

#[test]
fn console_chart_and_bands_agree_on_the_peak_of_the_mean_curve() {
    let dir = tempfile::tempdir().unwrap();
    let output = orgsim(dir.path())
        .args([
            "run", "baseline", "-n", "6", "--set", "years=10", "-o", "out",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    // The highest weekly mean of innovation_capacity in bands.csv, and its year.
    let bands = fs::read_to_string(dir.path().join("out/bands.csv")).unwrap();
    let (year, peak) = bands
        .lines()
        .filter(|l| l.contains(",innovation_capacity,"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[2].parse::<f64>().unwrap(), f[5].parse::<f64>().unwrap())
        })
        .fold((0.0, f64::MIN), |a, b| if b.1 > a.1 { b } else { a });
    let line = stdout
        .lines()
        .find(|l| l.contains("peak of the mean curve: capacity/yr"))
        .unwrap_or_else(|| panic!("no peak of the mean curve in\n{stdout}"));
    let printed: f64 = line.split_whitespace().nth(6).unwrap().parse().unwrap();
    assert!((printed - peak).abs() < 0.01 * peak, "{line} vs {peak}");
    assert!(line.ends_with(&format!("in year {year:.1}")), "{line}");
    let chart = svg(&dir.path().join("out/innovation_capacity.svg"));
    let label = format!(
        "baseline: peak of the mean curve, {} a year in year {year:.1}",
        peak.round()
    );
    assert!(chart.contains(&label), "the chart lacks {label:?}");
    // The console's peak_capacity row says what its mean is.
    let row = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("peak_capacity "))
        .unwrap();
    assert!(row.contains("mean of run peaks"), "{row}");
}
