//! Sensitivity analysis of a finished sweep (`orgsim analyze DIR`): Sobol first-order and
//! total indices with bootstrap confidence intervals (Saltelli designs), Morris mu* and
//! sigma (Morris designs), and, for grids, the outcome over the axes (lines and a heatmap).

use std::path::{Path, PathBuf};

use super::SweepError;
use super::sensitivity::{self, Estimator, MOSTLY_ZERO_SHARE, warning};
use crate::chart::{self, GridView, PlotOptions, SensitivityBar};
use crate::numbers::{brief, number};

/// What `analyze` wrote.
#[derive(Clone, Debug)]
pub struct AnalysisReport {
    /// The design analysed.
    pub design: String,
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Outcomes left out (undefined at some point, or constant), with why.
    pub skipped: Vec<String>,
    /// Why some estimates cannot be taken at face value (their codes are in the `warning`
    /// column of `sensitivity.csv`).
    pub warnings: Vec<String>,
    /// A short text summary for the console.
    pub summary: String,
}

/// The outcomes `analyze` charts by default, in order of preference: life-cycle capacity
/// summed over the run comes first, as capacity at the end is near zero in most runs of
/// an organization that bureaucratizes (flagged `mostly_zero`).
const PREFERRED: [&str; 4] = [
    "capacity_auc",
    "final_capacity",
    "mean_capacity_per_100",
    "equilibrium_knowledge",
];

/// Analyses the finished sweep in `dir`: writes `sensitivity.csv` and the charts. `outcome`
/// picks the outcome charted (default: the sweep file's `outcome`, else the first of a
/// preferred list that varies and is not near zero in most runs).
pub fn analyze(
    dir: &Path,
    outcome: Option<&str>,
    opts: &PlotOptions,
) -> Result<AnalysisReport, SweepError> {
    let manifest_path = dir.join("manifest.json");
    let manifest = match super::files::manifest::read(&manifest_path) {
        Ok(Some(m)) => m,
        Ok(None) => {
            return Err(SweepError::Analysis(format!(
                "{} holds the results of `orgsim run`, not of a sweep",
                dir.display()
            )));
        }
        Err(e) if !manifest_path.exists() => {
            return Err(SweepError::Io {
                path: manifest_path,
                message: format!(
                    "{}: is this a finished sweep's directory? (`orgsim status DIR`)",
                    e.message
                ),
            });
        }
        Err(e) => return Err(SweepError::Analysis(e.to_string())),
    };
    let columns = chart::Columns::from_manifest(manifest.columns.as_ref());
    let design = manifest.design.map_or("grid", |d| d.name()).to_string();
    let axes: Vec<String> = manifest.axes.clone();
    let outcomes: Vec<String> = manifest.outcomes.clone();
    let n_points = manifest.points;
    // The manifest sizes what is read: bounded as the sweep file was.
    if n_points == 0
        || n_points > super::spec::limits::POINTS
        || axes.is_empty()
        || axes.len() > super::spec::limits::AXES
        || outcomes.is_empty()
    {
        return Err(SweepError::Analysis(format!(
            "{}: {n_points} points, {} axes and {} outcomes: a sweep has 1 to {} points, 1 to {} axes and at least one outcome",
            manifest_path.display(),
            axes.len(),
            outcomes.len(),
            super::spec::limits::POINTS,
            super::spec::limits::AXES
        )));
    }
    let n_points = n_points as usize;
    let name = if manifest.name.is_empty() {
        "sweep".to_string()
    } else {
        manifest.name.clone()
    };
    let seed = manifest.seed();
    // points.csv: per point and outcome, the mean (and CI) across replicates.
    let super::read::PointTable { labels, means, cis } =
        super::read::read_points(dir, &axes, &outcomes, n_points)?;
    let near_zero = super::read::near_zero_shares(dir, &axes, &outcomes)?;
    let mostly_zero = |o: &str| near_zero.get(o).is_some_and(|&s| s > MOSTLY_ZERO_SHARE);
    let k = axes.len();
    let usable = |o: &str| -> Result<&Vec<f64>, String> {
        let v = &means[o];
        if v.iter().any(|x| !x.is_finite()) {
            return Err(format!("{o}: undefined at some points"));
        }
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        if hi - lo <= 1e-12 * hi.abs().max(1.0) {
            return Err(format!("{o}: the same at every point"));
        }
        Ok(v)
    };
    // With a reference, a model outcome's name means its paired difference.
    let paired = |o: String| {
        let diff = format!("{o}{}", super::finalize::DIFF);
        if manifest.reference.is_some() && !outcomes.contains(&o) && outcomes.contains(&diff) {
            diff
        } else {
            o
        }
    };
    let chosen = outcome
        .map(str::to_string)
        .or_else(|| manifest.outcome().map(str::to_string))
        .map(paired);
    let charted = match chosen {
        Some(o) if outcomes.contains(&o) => o,
        Some(o) => {
            return Err(SweepError::Analysis(format!(
                "no outcome `{o}` in this sweep; the outcomes are: {}",
                outcomes.join(", ")
            )));
        }
        None => {
            let good = |o: &str| outcomes.iter().any(|x| x == o) && usable(o).is_ok();
            PREFERRED
                .iter()
                .map(|s| paired(s.to_string()))
                .chain(outcomes.iter().cloned())
                .find(|o| good(o) && !mostly_zero(o))
                .or_else(|| outcomes.iter().find(|o| good(o)).cloned())
                .unwrap_or_default()
        }
    };
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    let mut summary = String::new();
    let subtitle_base = format!(
        "{name}: {design} design, {} points",
        number(n_points as f64, 0)
    );
    let zero_warning = |o: &str| {
        format!(
            "{o} is near zero (within 1% of its largest value) in {:.0}% of the runs, so its variance comes from a few runs and every estimate on it is fragile ({}); an outcome summed over the run, such as capacity_auc, varies more evenly",
            100.0 * near_zero.get(o).copied().unwrap_or(0.0),
            warning::MOSTLY_ZERO
        )
    };
    if design == "grid" {
        if charted.is_empty() {
            return Err(SweepError::Analysis(
                "no outcome varies across the grid".into(),
            ));
        }
        if mostly_zero(&charted) {
            warnings.push(zero_warning(&charted));
        }
        let view = GridView {
            axes: axes.clone(),
            labels: labels.clone(),
            means: means[&charted].clone(),
            cis: cis[&charted].clone(),
            outcome: charted.clone(),
            outcome_title: chart::outcome_title(&columns, &charted),
        };
        let replicates = manifest.replicates;
        files.extend(
            chart::grid_charts(
                dir,
                &view,
                &format!(
                    "{subtitle_base}, {} replicates each",
                    number(replicates as f64, 0)
                ),
                opts,
            )
            .map_err(|e| SweepError::Analysis(e.to_string()))?,
        );
        summary = grid_table(&view);
        return Ok(AnalysisReport {
            design,
            files,
            skipped,
            warnings,
            summary,
        });
    }
    // One estimator per design: each outcome's values at every point give its rows of
    // sensitivity.csv and the bars of its tornado chart.
    let estimator: Estimator = match design.as_str() {
        "sobol" => sensitivity::sobol(&axes, n_points, seed, &mut warnings)?,
        "morris" => sensitivity::morris(
            &axes,
            super::read::read_unit(dir, n_points, k)?,
            &mut warnings,
        ),
        "random" | "lhs" => {
            let unit = super::read::read_unit(dir, n_points, k)?;
            sensitivity::regression(&axes, &labels, &unit, &mut warnings)
        }
        other => {
            return Err(SweepError::Analysis(format!(
                "a `{other}` design has no sensitivity estimator; points.csv holds every point's outcomes"
            )));
        }
    };
    let mut others_flagged = Vec::new();
    for o in &outcomes {
        let f = match usable(o) {
            Ok(f) => f,
            Err(why) => {
                skipped.push(why);
                continue;
            }
        };
        let Some(mut e) = estimator(o, f) else {
            skipped.push(format!(
                "{o}: the regression is singular (a constant parameter?)"
            ));
            continue;
        };
        if mostly_zero(o) {
            e.flags.push(warning::MOSTLY_ZERO);
        }
        rows.extend(e.finished_rows());
        if *o == charted {
            if mostly_zero(o) {
                warnings.push(zero_warning(o));
            }
            warnings.extend(e.notes.iter().cloned());
            summary = format!("{}: {}", e.summary, ranked(&e.bars));
            files.extend(
                chart::tornado(
                    dir,
                    "tornado",
                    &format!("What drives {}", chart::outcome_title(&columns, o)),
                    &format!("{subtitle_base} \u{b7} {}", e.method),
                    e.xlabel,
                    e.names,
                    &e.bars,
                    opts,
                )
                .map_err(|e| SweepError::Analysis(e.to_string()))?,
            );
        } else if e.flagged() {
            others_flagged.push(o.clone());
        }
    }
    if !others_flagged.is_empty() {
        warnings.push(format!(
            "estimates on {} other outcome{} are flagged too ({}): see the `warning` column of sensitivity.csv",
            others_flagged.len(),
            if others_flagged.len() == 1 { "" } else { "s" },
            others_flagged.join(", ")
        ));
    }
    let path = dir.join("sensitivity.csv");
    let text = super::files::sensitivity::text(&rows);
    crate::output::write_atomic(&path, text.as_bytes()).map_err(|e| SweepError::Io {
        path: path.clone(),
        message: e.to_string(),
    })?;
    files.insert(0, path);
    Ok(AnalysisReport {
        design,
        files,
        skipped,
        warnings,
        summary,
    })
}

/// A grid's outcome as a table: one row per value of the second axis (if any), one column
/// per value of the first.
fn grid_table(view: &GridView) -> String {
    let (axes, labels) = (&view.axes, &view.labels);
    let cols = view.distinct(0);
    let rows = if axes.len() >= 2 {
        view.distinct(1)
    } else {
        vec![String::new()]
    };
    let cell = |c: &str, r: &str| -> String {
        (0..labels.len())
            .find(|&i| labels[i][0] == c && (axes.len() < 2 || labels[i][1] == r))
            .map(|i| brief(view.means[i]))
            .unwrap_or_default()
    };
    let head = if axes.len() >= 2 {
        format!("{} \\ {}", axes[1], axes[0])
    } else {
        axes[0].clone()
    };
    let w = head
        .len()
        .max(rows.iter().map(String::len).max().unwrap_or(0));
    let mut text = format!("{}, mean across replicates:\n{head:>w$}", view.outcome);
    for c in &cols {
        text.push_str(&format!(" {c:>8}"));
    }
    text.push('\n');
    for r in &rows {
        text.push_str(&format!("{r:>w$}"));
        for c in &cols {
            text.push_str(&format!(" {:>8}", cell(c, r)));
        }
        text.push('\n');
    }
    text.trim_end().to_string()
}

fn ranked(bars: &[SensitivityBar]) -> String {
    let mut b: Vec<&SensitivityBar> = bars.iter().collect();
    b.sort_by(|x, y| y.main.0.total_cmp(&x.main.0));
    b.iter()
        .map(|x| format!("{} {}", x.parameter, brief(x.main.0)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finished two-axis random sweep written by hand: `final_capacity` is zero in 7 of 8
    /// runs, `mean_capacity_per_100` varies.
    fn fake_sweep(dir: &Path) {
        std::fs::write(
            dir.join("manifest.json"),
            r#"{"kind": "sweep", "design": "random", "name": "t", "axes": ["a", "b"],
                "outcomes": ["final_capacity", "mean_capacity_per_100"], "points": 8,
                "replicates": 1, "sweep": {"seed": 3}}"#,
        )
        .unwrap();
        let mut points = String::from("point,a,b,outcome,n,mean,sd,ci_low,ci_high\n");
        let mut runs =
            String::from("point,a,b,replicate,seed,final_capacity,mean_capacity_per_100\n");
        let mut design = String::from("point,unit:a,unit:b\n");
        for p in 0..8 {
            let (a, b) = (p as f64 / 8.0, ((p * 5) % 8) as f64 / 8.0);
            let fc = if p == 7 { 40.0 } else { 0.0 };
            let m = 3.0 * a + b + 0.1 * (p % 3) as f64;
            points.push_str(&format!("{p},{a},{b},final_capacity,1,{fc},,,\n"));
            points.push_str(&format!("{p},{a},{b},mean_capacity_per_100,1,{m},,,\n"));
            runs.push_str(&format!("{p},{a},{b},0,1,{fc},{m}\n"));
            design.push_str(&format!("{p},{a},{b}\n"));
        }
        std::fs::write(dir.join("points.csv"), points).unwrap();
        std::fs::write(dir.join("runs.csv"), runs).unwrap();
        std::fs::write(dir.join("design.csv"), design).unwrap();
    }

    #[test]
    fn the_default_outcome_varies_and_near_zero_outcomes_are_flagged() {
        let dir = tempfile::tempdir().unwrap();
        fake_sweep(dir.path());
        let opts = PlotOptions {
            formats: vec![crate::chart::Format::Svg],
            ..PlotOptions::default()
        };
        let report = analyze(dir.path(), None, &opts).unwrap();
        // final_capacity comes first in the outcomes and the preferred list, but is zero in
        // most runs: the default is the outcome that varies.
        assert!(
            report.summary.starts_with("mean_capacity_per_100:"),
            "{}",
            report.summary
        );
        let rows =
            super::super::files::sensitivity::read(&dir.path().join("sensitivity.csv")).unwrap();
        assert!(!rows.is_empty());
        for row in rows {
            let has = |code: &str| row.warnings.iter().any(|w| w == code);
            assert!(has(warning::SMALL_N), "8 points, 2 axes: {row:?}");
            assert_eq!(
                has(warning::MOSTLY_ZERO),
                row.outcome == "final_capacity",
                "{row:?}"
            );
        }
        // Asked for, it is analysed, with the warning on the console.
        let report = analyze(dir.path(), Some("final_capacity"), &opts).unwrap();
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.contains("in 88% of the runs")),
            "{:?}",
            report.warnings
        );
    }

    #[test]
    fn a_damaged_points_file_stops_the_analysis_with_its_line() {
        let opts = PlotOptions {
            formats: vec![crate::chart::Format::Svg],
            ..PlotOptions::default()
        };
        // Each change acts on the lines of a good file (line 1 is the header).
        type Change = fn(&mut Vec<String>);
        let damage: [(&str, Change); 6] = [
            ("line 4: mean `0.8x` is not a number", |l| {
                l[3] = l[3].replace(",1,0,,,", ",1,0.8x,,,")
            }),
            (
                "point 2 has no line for outcome mean_capacity_per_100",
                |l| {
                    l.remove(6);
                },
            ),
            (
                "line 4: point 0, outcome final_capacity appears twice",
                |l| l[3] = l[1].clone(),
            ),
            ("line 2: 8 fields", |l| l[1] = l[1].replacen(",,,", ",,", 1)),
            ("line 2: point `9` is not 0 to 7", |l| {
                l[1].replace_range(0..1, "9")
            }),
            ("line 1: the header", |l| {
                l[0] = l[0].replacen("a,b", "b,a", 1)
            }),
        ];
        for (expected, change) in damage {
            let dir = tempfile::tempdir().unwrap();
            fake_sweep(dir.path());
            let path = dir.path().join("points.csv");
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            change(&mut lines);
            let changed = lines.join("\n") + "\n";
            assert_ne!(changed, text, "{expected}");
            std::fs::write(&path, changed).unwrap();
            let e = analyze(dir.path(), None, &opts).unwrap_err().to_string();
            assert!(
                e.contains("points.csv") && e.contains(expected),
                "{expected}: {e}"
            );
            assert!(!dir.path().join("sensitivity.csv").exists());
        }
    }
}
