//! The page's only way into the simulation: runs a scenario's replicates in memory and
//! summarizes what the page draws (bands of a few columns, phase shares, outcomes), pairs two
//! runs' outcomes, and draws charts with the code of `orgsim plot`.
//!
//! Everything the server asks of the model goes through this file, so pointing the page at
//! another runner is a change here alone.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::chart::{Format, Marker, PlotOptions, Theme};
use crate::engine::{RunPlan, run};
use crate::lifecycle::observe::{PHASE_TITLES, PHASES};
use crate::model::{Column, Kind, Outputs, RunRecord, Simulate, Stop};
use crate::output::InterventionView;
use crate::runner::{Finish, Job, Pool, Progress, Replicates, Runner, build_models};
use crate::scenario::Scenario;
use crate::stats::{paired, summarize};

/// The per-step columns the page draws (the chart of the two systems, capacity, headcount
/// and efficiency).
pub const SHOWN: &[&str] = &[
    "innovation_capacity",
    "process_density",
    "leadership_share",
    "headcount",
    "efficiency",
];

/// At most this many points per line: consecutive weeks are averaged (as the PNG charts do).
pub const MAX_POINTS: usize = 260;

/// One column's mean over time with its 95% confidence interval.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Band {
    /// The column's name.
    pub name: String,
    /// Mean across replicates at each point.
    pub mean: Vec<f64>,
    /// Lower end of the 95% confidence interval of the mean (the mean with one replicate).
    pub low: Vec<f64>,
    /// Upper end.
    pub high: Vec<f64>,
}

/// An outcome across replicates.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// The outcome's name.
    pub name: String,
    /// Replicates where it is defined.
    pub n: usize,
    /// Mean across them.
    pub mean: Option<f64>,
    /// 95% confidence interval of the mean.
    pub ci: Option<(f64, f64)>,
}

/// A span of years.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Span {
    /// What it is: a phase's title, or "Both systems strong".
    pub label: String,
    /// From (years).
    pub from: f64,
    /// To (years).
    pub to: f64,
}

/// What one run of the page gives.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SimResult {
    /// Replicates run.
    pub replicates: u32,
    /// The seed replicate r's seed derives from.
    pub seed: u64,
    /// The time axis (years) of every band.
    pub years: Vec<f64>,
    /// The shown columns, in [`SHOWN`] order.
    pub bands: Vec<Band>,
    /// The modal phase over time.
    pub phases: Vec<Span>,
    /// The years most replicates are in the phase with both systems strong.
    pub dual_window: Vec<Span>,
    /// The scenario's interventions.
    pub markers: Vec<Marker>,
    /// Every outcome's summary, in the model's order.
    pub outcomes: Vec<Outcome>,
    /// Per outcome, its value in each replicate (for paired comparisons).
    #[serde(skip)]
    pub per_replicate: Vec<Vec<Option<f64>>>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// A paired comparison of one outcome: this run minus the reference, replicate by replicate.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PairedRow {
    /// The outcome.
    pub name: String,
    /// Pairs where both runs define it.
    pub n: usize,
    /// The reference's mean.
    pub reference: f64,
    /// This run's mean.
    pub this: f64,
    /// Mean paired difference.
    pub difference: f64,
    /// Its 95% confidence interval.
    pub ci: Option<(f64, f64)>,
}

/// The life-cycle model's declared output columns.
pub fn outputs() -> Outputs {
    crate::scenario::load("baseline", &[])
        .expect("the bundled baseline loads")
        .scenario
        .build_model()
        .outputs()
}

/// A column's description for the page.
pub fn column_json(c: &Column) -> serde_json::Value {
    serde_json::json!({
        "name": c.name,
        "title": c.title,
        "unit": c.unit,
        "axis": c.axis,
        "share": c.kind == Kind::Share,
        "description": c.description,
        "mean_title": c.mean_title,
    })
}

/// What the page keeps of one replicate: the shown columns (then the phase), and the
/// outcomes.
type Kept = (Vec<Vec<f64>>, Vec<Option<f64>>);

/// The page's progress: counts finished replicates, and carries its stop button.
struct Counted<'a> {
    stop: &'a Stop,
    done: &'a AtomicU64,
}

impl Progress for Counted<'_> {
    fn run_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    fn stop(&self) -> Stop {
        self.stop.clone()
    }
}

/// Runs `replicates` replicates of `scenario` (replicate r seeded by
/// `replicate_seed(seed, r)`, as `orgsim run` seeds them), counting finished replicates in
/// `done`. Returns `None` if `stop` was requested before every replicate finished.
pub fn simulate(
    scenario: &Scenario,
    replicates: u32,
    seed: u64,
    stop: &Stop,
    done: &AtomicU64,
) -> Option<SimResult> {
    let started = std::time::Instant::now();
    let mut scenario_r = scenario.clone();
    scenario_r.replicates = replicates;
    let scenarios = std::slice::from_ref(&scenario_r);
    let (models, outputs) = build_models(scenarios).ok()?;
    let spy = outputs.steps_per_year.unwrap_or(1.0);
    let col = |name: &str| outputs.series.iter().position(|c| c.name == name);
    let shown: Vec<usize> = SHOWN.iter().filter_map(|n| col(n)).collect();
    let phase = col("phase");
    // The runner `orgsim run` uses (so each replicate draws the scenario's uncertain
    // parameters from its own seed, as there); each replicate keeps only the shown columns
    // and its phase, in replicate order.
    let pool = Pool::new(None).ok()?;
    let counter = Counted { stop, done };
    let runner = Runner {
        pool: &pool,
        models: &models,
        draw_from: Some(scenarios),
        progress: &counter,
        ahead: pool.threads() * 8,
    };
    let keep = |_: &Job, _: Option<&Scenario>, _: &dyn Simulate, record: &mut RunRecord| {
        let mut kept: Vec<Vec<f64>> = shown
            .iter()
            .map(|&c| record.series.column(c).collect())
            .collect();
        if let Some(p) = phase {
            kept.push(record.series.column(p).collect());
        }
        (kept, std::mem::take(&mut record.outcomes))
    };
    let mut runs: Vec<Kept> = Vec::with_capacity(replicates as usize);
    let finish = runner
        .run(
            &Replicates::new(scenarios, seed),
            0,
            &keep,
            &mut |_, _, kept| -> Result<(), ()> {
                runs.push(kept);
                Ok(())
            },
        )
        .ok()?;
    if finish != Finish::Done || stop.requested() || runs.is_empty() {
        return None;
    }
    let steps = runs.iter().map(|r| r.0[0].len()).min().unwrap_or(0);
    let chunk = steps.div_ceil(MAX_POINTS).max(1);
    let points: Vec<(usize, usize)> = (0..steps)
        .step_by(chunk)
        .map(|a| (a, (a + chunk).min(steps)))
        .collect();
    let years: Vec<f64> = points
        .iter()
        .map(|&(a, b)| (a + b - 1) as f64 / 2.0 / spy)
        .collect();
    // A point is the mean of its weeks in each replicate; the band is across replicates.
    let band_of = |k: usize, map: &dyn Fn(f64) -> f64| -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut out = (Vec::new(), Vec::new(), Vec::new());
        for &(a, b) in &points {
            let mut cell: Vec<f64> = runs
                .iter()
                .map(|r| r.0[k][a..b].iter().map(|&v| map(v)).sum::<f64>() / (b - a) as f64)
                .collect();
            let s = summarize(&mut cell).expect("at least one replicate");
            let (lo, hi) = s.ci.unwrap_or((s.mean, s.mean));
            out.0.push(s.mean);
            out.1.push(lo);
            out.2.push(hi);
        }
        out
    };
    let bands = shown
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let (mean, low, high) = band_of(k, &|v| v);
            Band {
                name: outputs.series[c].name.to_string(),
                mean,
                low,
                high,
            }
        })
        .collect();
    let (phases, dual_window) = match phase {
        Some(_) => {
            let k = shown.len();
            let shares: Vec<Vec<f64>> = (0..PHASES.len())
                .map(|p| band_of(k, &|v| f64::from(u8::from(v as usize == p))).0)
                .collect();
            phase_spans(&years, &shares)
        }
        None => (Vec::new(), Vec::new()),
    };
    let n_out = outputs.outcomes.len();
    let per_replicate: Vec<Vec<Option<f64>>> = (0..n_out)
        .map(|o| runs.iter().map(|r| r.1.get(o).copied().flatten()).collect())
        .collect();
    let outcomes = outputs
        .outcomes
        .iter()
        .zip(&per_replicate)
        .map(|(c, values)| {
            let mut v: Vec<f64> = values.iter().flatten().copied().collect();
            let s = summarize(&mut v);
            Outcome {
                name: c.name.to_string(),
                n: s.map_or(0, |s| s.n),
                mean: s.map(|s| s.mean),
                ci: s.and_then(|s| s.ci),
            }
        })
        .collect();
    Some(SimResult {
        replicates,
        seed,
        years,
        bands,
        phases,
        dual_window,
        markers: markers(scenario),
        outcomes,
        per_replicate,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The modal phase's spans (spans shorter than half a year join their neighbour) and the
/// spans where more than half of the replicates are in the phase with both systems strong.
fn phase_spans(years: &[f64], shares: &[Vec<f64>]) -> (Vec<Span>, Vec<Span>) {
    let mut spans: Vec<(usize, f64, f64)> = Vec::new();
    for (i, &x) in years.iter().enumerate() {
        let best = (0..shares.len())
            .max_by(|&a, &b| shares[a][i].total_cmp(&shares[b][i]).then(b.cmp(&a)))
            .unwrap_or(0);
        match spans.last_mut() {
            Some(last) if last.0 == best => last.2 = x,
            Some(last) => {
                last.2 = x;
                spans.push((best, x, x));
            }
            None => spans.push((best, 0.0, x)),
        }
    }
    if let (Some(last), Some(&end)) = (spans.last_mut(), years.last()) {
        last.2 = end;
    }
    let mut merged: Vec<(usize, f64, f64)> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(last) if last.0 == s.0 || s.2 - s.1 < 0.5 => last.2 = s.2,
            _ => merged.push(s),
        }
    }
    let phases = merged
        .into_iter()
        .map(|(p, from, to)| Span {
            label: PHASE_TITLES[p].to_string(),
            from,
            to,
        })
        .collect();
    let dual = PHASES.iter().position(|p| *p == "dual").unwrap_or(2);
    let mut window: Vec<Span> = Vec::new();
    let mut open: Option<f64> = None;
    for (i, &x) in years.iter().enumerate() {
        let on = shares[dual][i] > 0.5;
        match (on, open) {
            (true, None) => open = Some(x),
            (false, Some(from)) => {
                window.push(Span {
                    label: "Both systems strong".into(),
                    from,
                    to: x,
                });
                open = None;
            }
            _ => {}
        }
    }
    if let (Some(from), Some(&to)) = (open, years.last()) {
        window.push(Span {
            label: "Both systems strong".into(),
            from,
            to,
        });
    }
    (phases, window)
}

/// The scenario's interventions that are switched on, as markers.
fn markers(scenario: &Scenario) -> Vec<Marker> {
    let doc = scenario.resolved_json();
    let years = doc.get("years").and_then(|v| v.as_f64());
    let views: Vec<InterventionView> = doc
        .get("interventions")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    views
        .iter()
        .filter_map(|v| crate::chart::marker(v, years))
        .collect()
}

/// `this` against `reference`, replicate by replicate, for the named outcomes (both runs
/// must have the same seed and replicates, which the caller checks).
pub fn compare(reference: &SimResult, this: &SimResult, outcomes: &[&str]) -> Vec<PairedRow> {
    let names = outputs().outcome_names();
    outcomes
        .iter()
        .filter_map(|name| {
            let o = names.iter().position(|n| n == name)?;
            let p = paired(reference.per_replicate.get(o)?, this.per_replicate.get(o)?)?;
            Some(PairedRow {
                name: name.to_string(),
                n: p.n,
                reference: p.versus_mean,
                this: p.mean,
                difference: p.difference.0,
                ci: p.difference.1,
            })
        })
        .collect()
}

/// Draws one chart of `orgsim plot` for `scenarios` (the first is the reference; every one
/// runs with its replicates and seed, so they are paired), into `dir` (a fresh directory),
/// and returns the chart's bytes.
pub fn draw_chart(
    scenarios: Vec<Scenario>,
    chart: &str,
    format: Format,
    theme: Theme,
    size: (u32, u32),
    dir: &Path,
) -> Result<Vec<u8>, String> {
    let (replicates, seed) = scenarios
        .first()
        .map(|s| (s.replicates, s.seed))
        .ok_or("no scenario to draw")?;
    let scenarios = scenarios
        .into_iter()
        .map(|mut s| {
            s.replicates = replicates;
            s
        })
        .collect();
    let plan = RunPlan {
        scenarios,
        seed,
        threads: None,
        out_dir: dir.to_path_buf(),
        command_line: vec!["orgsim".into(), "serve".into()],
        window: None,
        charts: Some(PlotOptions {
            size,
            theme,
            charts: Some(vec![chart.to_string()]),
            formats: vec![format],
            ..PlotOptions::default()
        }),
    };
    let report = run(&plan, &()).map_err(|e| e.to_string())?;
    let file = report
        .charts
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == format.extension()))
        .ok_or_else(|| format!("the run drew no {chart} chart"))?;
    std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_join_short_flickers_and_the_window_needs_a_majority() {
        let years: Vec<f64> = (0..12).map(|i| f64::from(i) * 0.25).collect();
        // Entrepreneurial to year 0.75, a flicker of growth (a quarter) at 1, both systems from
        // 1.25 (60% of replicates), bureaucratic from 2.
        // Per point, the share of replicates in each phase.
        let at = |i: usize| -> [f64; 4] {
            match i {
                0..=3 => [1.0, 0.0, 0.0, 0.0],
                4 => [0.0, 1.0, 0.0, 0.0],
                5..=7 => [0.0, 0.0, 0.6, 0.4],
                _ => [0.0, 0.0, 0.0, 1.0],
            }
        };
        let shares: Vec<Vec<f64>> = (0..4)
            .map(|p| (0..12).map(|i| at(i)[p]).collect())
            .collect();
        let (phases, window) = phase_spans(&years, &shares);
        let labels: Vec<&str> = phases.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Entrepreneurial", "Both systems", "Bureaucratic"]);
        assert_eq!(
            (phases[0].from, phases[0].to, phases[2].to),
            (0.0, 1.25, 2.75)
        );
        assert_eq!(window.len(), 1);
        assert_eq!((window[0].from, window[0].to), (1.25, 2.0));
    }

    #[test]
    fn markers_leave_out_switched_off_interventions() {
        let on = crate::scenario::load("task-forces", &[]).unwrap().scenario;
        let m = markers(&on);
        assert_eq!(m.len(), 1);
        assert_eq!(
            (m[0].label.as_str(), m[0].start, m[0].every),
            ("Task force", 6.0, Some(3.0))
        );
        let over = [crate::scenario::Override::parse("interventions[0].enabled=false").unwrap()];
        let off = crate::scenario::load("task-forces", &over)
            .unwrap()
            .scenario;
        assert!(markers(&off).is_empty());
    }
}
