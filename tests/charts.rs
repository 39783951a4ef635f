//! Charts: every chart renders from a small output directory, PNGs decode at the asked size,
//! SVGs carry their titles, axis labels and legend entries, and thin or empty results still
//! render (without bands, with a note) instead of failing.

use std::fs;
use std::path::Path;

use orgsim::chart::{self, Format, PlacedText, PlotOptions, Theme};

use crate::util::orgsim;

/// The standard charts of a life-cycle run of several scenarios.
pub(crate) const LIFECYCLE_CHARTS: [&str; 5] = [
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

pub(crate) fn svg(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("the SVG exists");
    assert!(text.starts_with("<svg"), "{} is not an SVG", path.display());
    text
}

/// A small life-cycle run: baseline and dual-system-early (launched at year 3), 12 years;
/// written by the CLI as a user would.
pub(crate) fn small_run(dir: &Path, replicates: &str) -> std::path::PathBuf {
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

/// The text each chart of `dir` lays out at `size`.
pub(crate) fn layout(
    dir: &Path,
    size: (u32, u32),
    opts: PlotOptions,
) -> Vec<(String, Vec<PlacedText>)> {
    chart::text_layout(dir, &PlotOptions { size, ..opts }).expect("the charts lay out")
}

/// `--band pi` shades where 80% of runs fall instead of the 95% CI of the mean, and every
/// time chart says which band it draws; the comparison chart names its two intervals apart.
#[test]
fn time_charts_draw_either_band_and_say_which() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), "4");
    orgsim(dir.path())
        .args([
            "plot", "out", "--band", "pi", "--format", "svg", "-o", "pi", "-q",
        ])
        .assert()
        .success();
    let ci = svg(&out.join("innovation_capacity.svg"));
    let pi = svg(&dir.path().join("pi/innovation_capacity.svg"));
    assert!(ci.contains("95% confidence band") && !ci.contains("80% of runs"));
    assert!(pi.contains("the band where 80% of runs fall"), "subtitle");
    assert!(pi.contains("10th to 90th percentile"), "note");
    assert!(!pi.contains("95% confidence"));
    for chart in ["two_systems", "dashboard", "innovation_capacity_per_100"] {
        let text = svg(&dir.path().join(format!("pi/{chart}.svg")));
        assert!(
            text.contains("80% of runs") && !text.contains("95% confidence"),
            "{chart}"
        );
    }
    let comparison = svg(&out.join("comparison.svg"));
    assert!(comparison.contains("95% confidence interval"));
    assert!(comparison.contains("Thin line: the 10th to 90th percentile"));
    orgsim(dir.path())
        .args(["plot", "out", "--band", "sd"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("'sd'"));
}
