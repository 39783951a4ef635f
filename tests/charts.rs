//! Charts: every chart renders from a small output directory, PNGs decode at the asked size,
//! SVGs carry their titles, axis labels and legend entries, and thin or empty results still
//! render (without bands, with a note) instead of failing.

use std::fs;
use std::path::{Path, PathBuf};

use orgsim::chart::{self, Format, PlacedText, PlotOptions, Theme};

use crate::util::orgsim;

/// The standard charts of a life-cycle run of several scenarios.
const LIFECYCLE_CHARTS: [&str; 5] = [
    "innovation_capacity",
    "innovation_capacity_per_100",
    "two_systems",
    "dashboard",
    "comparison",
];

/// Width, height and the first pixel of a PNG file.
fn png_info(path: &Path) -> (u32, u32, [u8; 3]) {
    let decoder = png::Decoder::new(fs::File::open(path).expect("the PNG exists"));
    let mut reader = decoder.read_info().expect("a valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("the PNG decodes");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    (info.width, info.height, [buf[0], buf[1], buf[2]])
}

fn svg(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("the SVG exists");
    assert!(text.starts_with("<svg"), "{} is not an SVG", path.display());
    text
}

/// A small life-cycle run: baseline and dual-system-early (launched at year 3), 12 years;
/// written by the CLI as a user would.
fn small_run(dir: &Path, replicates: &str) -> std::path::PathBuf {
    orgsim(dir)
        .args([
            "run",
            "baseline",
            "dual-system-early",
            "-n",
            replicates,
            "--set",
            "years=12",
            "-o",
            "out",
            "-q",
        ])
        .assert()
        .success();
    dir.join("out")
}

#[test]
fn a_run_writes_every_chart_as_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "4");
    for name in LIFECYCLE_CHARTS {
        let (w, h, _) = png_info(&out.join(format!("{name}.png")));
        assert_eq!((w, h), (1600, 900), "{name}.png");
        svg(&out.join(format!("{name}.svg")));
    }
    // No March chart for life-cycle results.
    assert!(!out.join("knowledge.png").exists());

    let capacity = svg(&out.join("innovation_capacity.svg"));
    for text in [
        "Innovation capacity over the organization",
        "Years since founding",
        "Expected innovations per year",
        "baseline",
        "dual-system",
        // Phases of the first scenario, labelled, and the intervention's start.
        "Entrepreneurial",
        "dual-system-early: Dual operating system, onboarding from year 3",
        "95% confidence interval",
    ] {
        assert!(
            capacity.contains(text),
            "innovation_capacity.svg lacks {text:?}"
        );
    }
    let two = svg(&out.join("two_systems.svg"));
    for text in [
        "Two systems: management and leadership",
        "Management: process density",
        "Leadership: share of employees leading",
        "Level (0 to 1)",
        "Years since founding",
        "baseline",
        "dual-system",
    ] {
        assert!(two.contains(text), "two_systems.svg lacks {text:?}");
    }
    let dashboard = svg(&out.join("dashboard.svg"));
    for text in [
        "Headcount",
        "Process density",
        "Leadership share",
        "Engagement",
        "Efficiency",
        "Knowledge",
        "Active initiatives",
        "Innovation capacity",
        "Years since founding",
        "baseline",
        "dual-system",
    ] {
        assert!(dashboard.contains(text), "dashboard.svg lacks {text:?}");
    }
    let comparison = svg(&out.join("comparison.svg"));
    for text in [
        "What each scenario changes against \u{201c}baseline\u{201d}",
        "Paired difference, scenario minus reference",
        // Each row labelled once: the scenario, and the whole run and the five years after
        // the intervention starts.
        ">\ndual-system-early\n<",
        ">\nwhole run\n<",
        ">\nyears 3\u{2013}8\n<",
        "Innovations completed",
    ] {
        assert!(comparison.contains(text), "comparison.svg lacks {text:?}");
    }
    // Numbers are formatted for people: thousands separated, no trailing ".0" on counts.
    assert!(dashboard.contains(">\n1,000\n<") || dashboard.contains(">\n2,000\n<"));
    assert!(!dashboard.contains(">\n1000\n<") && !dashboard.contains("1000.0"));
}

#[test]
fn plot_redraws_with_a_new_title_theme_size_and_subset() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "3");
    let light = png_info(&out.join("innovation_capacity.png")).2;
    orgsim(dir.path())
        .args([
            "plot",
            "out",
            "--title",
            "Workshop: the dual system",
            "--theme",
            "dark",
            "--size",
            "800x450",
            "--scenarios",
            "dual-system-early",
            "--format",
            "png,svg",
            "-o",
            "redrawn",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("innovation_capacity.png"));
    let redrawn = dir.path().join("redrawn");
    let (w, h, dark) = png_info(&redrawn.join("innovation_capacity.png"));
    assert_eq!((w, h), (800, 450));
    // The dark theme's background is dark, the light one's white.
    assert_eq!(light, [255, 255, 255]);
    assert!(dark.iter().all(|&c| c < 60), "dark background {dark:?}");
    let text = svg(&redrawn.join("innovation_capacity.svg"));
    assert!(text.contains("Workshop: the dual system"));
    assert!(text.contains("dual-system-early"));
    assert!(
        !text.contains(">\nbaseline\n<"),
        "baseline was not selected"
    );
    // One scenario: nothing to compare.
    assert!(!redrawn.join("comparison.png").exists());
    // The original charts are untouched.
    assert_eq!(png_info(&out.join("innovation_capacity.png")).0, 1600);
}

#[test]
fn charts_are_redrawn_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "2");
    let before = fs::read(out.join("dashboard.png")).unwrap();
    let opts = PlotOptions {
        charts: Some(vec!["dashboard".into()]),
        ..PlotOptions::default()
    };
    let written = chart::plot_dir(&out, &opts).unwrap();
    assert_eq!(written.len(), 2);
    assert_eq!(fs::read(out.join("dashboard.png")).unwrap(), before);
}

/// Titles, units, axis labels and phase names come from the declarations `manifest.json`
/// carries (its `columns`), not from the chart code; a manifest without them (results of an
/// older orgsim) draws with the declarations compiled in, byte for byte.
#[test]
fn charts_read_titles_and_units_from_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "2");
    let manifest_path = out.join("manifest.json");
    let original = fs::read_to_string(&manifest_path).unwrap();
    let svgs = |names: &[&str]| -> Vec<String> {
        names
            .iter()
            .map(|n| svg(&out.join(format!("{n}.svg"))))
            .collect()
    };
    let names = ["innovation_capacity", "dashboard", "comparison"];
    let drawn = svgs(&names);

    // Without the section: the compiled declarations, the same charts.
    let mut manifest: serde_json::Value = serde_json::from_str(&original).unwrap();
    let columns = manifest.as_object_mut().unwrap().remove("columns");
    assert!(columns.is_some(), "manifest.json declares its columns");
    fs::write(&manifest_path, manifest.to_string()).unwrap();
    chart::plot_dir(&out, &PlotOptions::default()).unwrap();
    assert_eq!(svgs(&names), drawn);

    // Renamed in the manifest: the charts follow.
    let mut manifest: serde_json::Value = serde_json::from_str(&original).unwrap();
    for c in manifest["columns"]["series"].as_array_mut().unwrap() {
        match c["name"].as_str().unwrap() {
            "innovation_capacity" => {
                c["title"] = "Renamed capacity".into();
                c["axis"] = "Renamed axis".into();
            }
            "headcount" => c["unit"] = "renamed unit".into(),
            "phase" => c["label_titles"][0] = "Renamed phase".into(),
            _ => {}
        }
    }
    for c in manifest["columns"]["outcomes"].as_array_mut().unwrap() {
        if c["name"] == "final_headcount" {
            c["title"] = "Renamed outcome".into();
        }
    }
    fs::write(&manifest_path, manifest.to_string()).unwrap();
    chart::plot_dir(&out, &PlotOptions::default()).unwrap();
    let [capacity, dashboard, comparison]: [String; 3] = svgs(&names).try_into().unwrap();
    for text in ["Renamed axis", "Renamed phase"] {
        assert!(
            capacity.contains(text),
            "innovation_capacity.svg lacks {text}"
        );
    }
    assert!(!capacity.contains("Expected innovations per year"));
    for text in ["Renamed capacity", "renamed unit"] {
        assert!(dashboard.contains(text), "dashboard.svg lacks {text}");
    }
    assert!(comparison.contains("Renamed outcome (employees)"));
}

#[test]
fn one_metric_can_be_drawn_and_unknown_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "2");
    let opts = PlotOptions {
        metric: Some("headcount".into()),
        formats: vec![Format::Svg],
        theme: Theme::Print,
        ..PlotOptions::default()
    };
    let written = chart::plot_dir(&out, &opts).unwrap();
    assert_eq!(written, vec![out.join("headcount.svg")]);
    let text = svg(&written[0]);
    assert!(text.contains("Headcount") && text.contains("Employees"));

    let err = chart::plot_dir(
        &out,
        &PlotOptions {
            metric: Some("headcont".into()),
            ..PlotOptions::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("no metric `headcont`") && err.contains("headcount"),
        "{err}"
    );
    let err = chart::plot_dir(
        &out,
        &PlotOptions {
            scenarios: Some(vec!["dual".into()]),
            ..PlotOptions::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("no scenario `dual`") && err.contains("dual-system-early"),
        "{err}"
    );
    orgsim(dir.path())
        .args(["plot", "out", "--size", "1600"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("WIDTHxHEIGHT"));
    orgsim(dir.path())
        .args(["plot", "nowhere"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "nowhere is not a results directory written by `orgsim run`",
        ));
    let err = chart::plot_dir(
        &out,
        &PlotOptions {
            charts: Some(vec!["knowledge".into()]),
            ..PlotOptions::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("no `knowledge` chart") && err.contains("March"),
        "{err}"
    );
    orgsim(dir.path())
        .args(["plot", "out", "--chart", "dashbord"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("no chart `dashbord`"))
        .stderr(predicates::str::contains("dashboard"));
}

#[test]
fn a_reordered_reference_negates_the_paired_differences() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "3");
    let opts = PlotOptions {
        charts: Some(vec!["comparison".into()]),
        ..PlotOptions::default()
    };
    // Each row's difference, as drawn: the first number of each "+x [a to b]".
    let differences = |opts: &PlotOptions| -> Vec<String> {
        layout(&out, (1600, 900), opts.clone())[0]
            .1
            .iter()
            .filter(|t| t.text.contains(" to ") || t.text.contains('\u{b1}'))
            .map(|t| t.text.split(' ').next().unwrap().to_string())
            .collect()
    };
    let forward = differences(&opts);
    let reversed_opts = PlotOptions {
        scenarios: Some(vec!["dual-system-early".into(), "baseline".into()]),
        ..opts
    };
    let reversed = differences(&reversed_opts);
    assert!(!forward.is_empty());
    assert_eq!(forward.len(), reversed.len());
    let negate = |d: &str| match d.chars().next() {
        Some('+') => d.replacen('+', "\u{2212}", 1),
        Some('\u{2212}') => d.replacen('\u{2212}', "+", 1),
        _ => d.to_string(),
    };
    for (f, r) in forward.iter().zip(&reversed) {
        assert_eq!(&negate(f), r, "{forward:?} / {reversed:?}");
    }
    chart::plot_dir(
        &out,
        &PlotOptions {
            formats: vec![Format::Svg],
            out: Some(dir.path().join("reversed")),
            ..reversed_opts
        },
    )
    .unwrap();
    let reversed = svg(&dir.path().join("reversed/comparison.svg"));
    assert!(reversed.contains("against \u{201c}dual-system-early\u{201d}"));
    assert!(reversed.contains(">\nbaseline\n<"));
}

#[test]
fn a_single_replicate_renders_without_bands_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "1");
    for name in LIFECYCLE_CHARTS {
        assert_eq!(png_info(&out.join(format!("{name}.png"))).0, 1600);
    }
    let text = svg(&out.join("innovation_capacity.svg"));
    assert!(
        text.contains("no confidence band"),
        "no note on the missing band"
    );
    assert!(!text.contains("shaded bands"));
    let comparison = svg(&out.join("comparison.svg"));
    assert!(
        comparison.contains("no interval"),
        "a difference of one pair has no CI"
    );
}

#[test]
fn empty_results_render_a_message_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let bands = "scenario,step,year,metric,n,mean,sd,ci_low,ci_high,p10,p90\n";
    fs::write(out.join("bands.csv"), bands).unwrap();
    // The manifest vouches for the file with its checksum, as a run's does.
    let check = serde_json::to_string(&orgsim::output::FileCheck::of(bands.as_bytes())).unwrap();
    fs::write(
        out.join("manifest.json"),
        format!(
            r#"{{"orgsim_version":"0.1.0","run_id":"0","seed":1,"scenarios":[
            {{"model":"lifecycle","name":"empty","replicates":0,"interventions":[]}}],
            "files":["bands.csv","manifest.json"],"checksums":{{"bands.csv":{check}}}}}"#
        ),
    )
    .unwrap();
    let written = chart::plot_dir(out, &PlotOptions::default()).unwrap();
    assert_eq!(written.len(), 8, "four charts in two formats");
    let text = svg(&out.join("innovation_capacity.svg"));
    assert!(text.contains("No data to draw"));
    assert_eq!(png_info(&out.join("dashboard.png")).0, 1600);
}

#[test]
fn march_results_draw_knowledge_over_periods() {
    let dir = tempfile::tempdir().unwrap();
    orgsim(dir.path())
        .args(["run", "classic/march1991", "-n", "20", "-o", "m", "-q"])
        .assert()
        .success();
    let out = dir.path().join("m");
    assert_eq!(png_info(&out.join("knowledge.png")).0, 1600);
    let text = svg(&out.join("knowledge.svg"));
    for t in [
        "Knowledge of the organizational code",
        "Period",
        "march1991",
        "95%",
    ] {
        assert!(text.contains(t), "knowledge.svg lacks {t:?}");
    }
    assert!(!out.join("innovation_capacity.png").exists());
}

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

/// The text each chart of `dir` lays out at `size`.
fn layout(dir: &Path, size: (u32, u32), opts: PlotOptions) -> Vec<(String, Vec<PlacedText>)> {
    chart::text_layout(dir, &PlotOptions { size, ..opts }).expect("the charts lay out")
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
