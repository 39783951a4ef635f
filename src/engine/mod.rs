//! The replicate engine: runs every (scenario, replicate) pair in parallel and streams the
//! results to disk in a fixed order, so the files depend only on the scenarios and the seed.
//!
//! Runs are taken in batches in (scenario, replicate) order; inside a batch rayon runs them on
//! any thread in any order, and `collect` puts them back in order before they are written.
//! Replicate r's seed depends only on the invocation seed and r ([`crate::rng::replicate_seed`]),
//! so neither the thread count nor the scheduling can change a byte of the results. Memory is
//! one batch of runs plus the run-level outcomes: per-step values go straight to
//! `timeseries.csv` and to the disk-backed [`BandStore`].
//!
//! Everything, charts included, is written into a fresh directory beside the output directory,
//! which replaces the output directory as a whole at the end ([`Staging`]), under a lock held
//! for the whole run ([`DirLock`]): a run stopped, failed or killed at any moment leaves the
//! previous contents of its directory as they were. Runs poll the [`crate::model::Stop`] every step, so a
//! stop takes effect within a step at any organization size.

mod progress;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::chart::{ChartError, PlotOptions};
use crate::model::{Outputs, RunRecord, Simulate};
use crate::output::{
    BandStore, COMPARISON_FILE, CheckedFile, Comparison, DirError, DirLock, FILES, FileCheck,
    Manifest, OutcomeSummary, ScenarioSummary, Staging, comparison_csv, comparison_json, fmt_count,
    fmt_num, fmt_opt, new_run_id, summary_json, utc_timestamp,
};
use crate::rng::replicate_seed;
use crate::scenario::{Scenario, show_number};
use crate::stats::{paired, summarize};

pub use progress::Progress;

/// orgsim's version, recorded in every output.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Everything one invocation needs.
#[derive(Clone, Debug)]
pub struct RunPlan {
    /// The scenarios, fully resolved, in the order given.
    pub scenarios: Vec<Scenario>,
    /// The invocation seed: replicate r of every scenario uses `replicate_seed(seed, r)`.
    pub seed: u64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Output directory (created if missing), replaced as a whole by this run's files.
    pub out_dir: PathBuf,
    /// The command line, recorded in the manifest.
    pub command_line: Vec<String>,
    /// Restrict the run-level outcomes to these years (from, to), for models with calendar
    /// time.
    pub window: Option<(f64, f64)>,
    /// The charts to draw into the run's directory (part of its output); `None` for none.
    pub charts: Option<PlotOptions>,
}

/// A scenario's mean trajectory at a few points in time, for the summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// Scenario name.
    pub scenario: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Per point: the year, and per column the mean across replicates (or, for a categorical
    /// column, its most frequent label).
    pub rows: Vec<(f64, Vec<String>)>,
    /// The peak of the mean curve of the model's `curve_peak` column: the first step with
    /// the highest mean across replicates (the `bands.csv` mean a chart marks), not the mean
    /// of each run's own peak.
    pub peak: Option<CurvePeak>,
}

/// The highest point of a mean curve.
#[derive(Clone, Debug, PartialEq)]
pub struct CurvePeak {
    /// The column.
    pub column: String,
    /// When, in years.
    pub year: f64,
    /// The mean across replicates there.
    pub value: f64,
}

/// Accumulates the trajectory of one scenario as runs stream past.
struct TrajectoryAcc {
    steps: Vec<usize>,
    columns: Vec<(usize, Option<&'static [&'static str]>)>,
    /// [point][column]: sum of values, or label counts.
    sums: Vec<Vec<f64>>,
    counts: Vec<Vec<Vec<u32>>>,
    n: Vec<u32>,
    /// The `curve_peak` column, and per step the sum of its values and the runs summed.
    peak: Option<(usize, Vec<f64>, Vec<u32>)>,
}

impl TrajectoryAcc {
    fn new(outputs: &Outputs, horizon: usize) -> Option<TrajectoryAcc> {
        let spy = outputs.steps_per_year?;
        if outputs.trajectory.is_empty() {
            return None;
        }
        let years = horizon as f64 / spy;
        let stride_years = (years / 10.0).ceil().max(1.0);
        let mut steps = Vec::new();
        let mut y = 0.0;
        while y <= years + 1e-9 {
            steps.push((y * spy).round() as usize);
            y += stride_years;
        }
        let labels = outputs.labels();
        let columns = outputs
            .trajectory
            .iter()
            .filter_map(|c| outputs.series.iter().position(|s| s.name == *c))
            .map(|i| (i, labels[i]))
            .collect::<Vec<_>>();
        let k = columns.len();
        let peak = outputs
            .curve_peak
            .and_then(|c| outputs.series.iter().position(|s| s.name == c))
            .map(|i| (i, vec![0.0; horizon + 1], vec![0; horizon + 1]));
        Some(TrajectoryAcc {
            sums: vec![vec![0.0; k]; steps.len()],
            counts: vec![vec![Vec::new(); k]; steps.len()],
            n: vec![0; steps.len()],
            steps,
            columns,
            peak,
        })
    }

    fn add(&mut self, series: &crate::model::Series) {
        if let Some((i, sums, n)) = &mut self.peak {
            for (step, v) in series.column(*i).enumerate().take(sums.len()) {
                sums[step] += v;
                n[step] += 1;
            }
        }
        for (p, &step) in self.steps.iter().enumerate() {
            if step >= series.rows() {
                continue;
            }
            let row = series.row(step);
            self.n[p] += 1;
            for (c, &(i, labels)) in self.columns.iter().enumerate() {
                match labels {
                    None => self.sums[p][c] += row[i],
                    Some(_) => {
                        let v = row[i] as usize;
                        let counts = &mut self.counts[p][c];
                        if counts.len() <= v {
                            counts.resize(v + 1, 0);
                        }
                        counts[v] += 1;
                    }
                }
            }
        }
    }

    fn finish(self, scenario: &str, outputs: &Outputs) -> Trajectory {
        let spy = outputs.steps_per_year.unwrap_or(1.0);
        let rows = self
            .steps
            .iter()
            .enumerate()
            .filter(|&(p, _)| self.n[p] > 0)
            .map(|(p, &step)| {
                let values = self
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(c, &(_, labels))| match labels {
                        None => show_number(self.sums[p][c] / f64::from(self.n[p])),
                        Some(names) => {
                            let counts = &self.counts[p][c];
                            let best = (0..counts.len())
                                .max_by_key(|&v| (counts[v], std::cmp::Reverse(v)));
                            best.and_then(|v| names.get(v)).unwrap_or(&"").to_string()
                        }
                    })
                    .collect();
                (step as f64 / spy, values)
            })
            .collect();
        let peak = self.peak.as_ref().and_then(|(i, sums, n)| {
            let (step, value) = sums
                .iter()
                .zip(n)
                .enumerate()
                .filter(|(_, (_, n))| **n > 0)
                .map(|(step, (sum, n))| (step, sum / f64::from(*n)))
                .filter(|(_, v)| v.is_finite())
                .fold(None, |best: Option<(usize, f64)>, (step, v)| match best {
                    Some(b) if b.1 >= v => Some(b),
                    _ => Some((step, v)),
                })?;
            Some(CurvePeak {
                column: outputs.series[*i].name.to_string(),
                year: step as f64 / spy,
                value,
            })
        });
        Trajectory {
            peak,
            scenario: scenario.to_string(),
            columns: self
                .columns
                .iter()
                .map(|&(i, _)| outputs.series[i].name.to_string())
                .collect(),
            rows,
        }
    }
}

/// What a finished invocation produced.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// Per scenario, its outcomes summarized across replicates.
    pub scenarios: Vec<ScenarioSummary>,
    /// Each scenario against the first, on paired replicates (empty for one scenario).
    pub comparisons: Vec<Comparison>,
    /// Each scenario's mean trajectory (models with calendar time).
    pub trajectories: Vec<Trajectory>,
    /// The span the run-level outcomes cover ("whole run" or "years A-B").
    pub outcomes_window: String,
    /// The result files written, in order.
    pub files: Vec<PathBuf>,
    /// The chart files written, in order.
    pub charts: Vec<PathBuf>,
    /// The run's id, as in its manifest.
    pub run_id: String,
    /// Threads used.
    pub threads: usize,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
}

/// Why an invocation failed. The output directory is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The output directory is held by another process, or cannot be replaced.
    #[error(transparent)]
    Dir(#[from] DirError),
    /// The charts could not be drawn.
    #[error("drawing the charts: {0}")]
    Charts(ChartError),
    /// Reading or writing a file failed.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error (part of the message, so it prints once).
        error: std::io::Error,
    },
    /// Stopped (Ctrl-C, SIGTERM) before finishing; the output directory is as it was.
    #[error("stopped before finishing; the output directory was left as it was")]
    Cancelled,
    /// Scenarios of different models cannot share one set of files.
    #[error(
        "scenario '{first}' and scenario '{other}' use different models; run them in separate invocations"
    )]
    MixedModels {
        /// The first scenario's name.
        first: String,
        /// The scenario whose model differs.
        other: String,
    },
    /// Nothing to run.
    #[error("no scenario to run")]
    Empty,
    /// `--window` asked of a model without calendar time, or outside the run.
    #[error("--window {from}:{to}: {message}")]
    BadWindow {
        /// First year.
        from: f64,
        /// Last year.
        to: f64,
        /// What is wrong.
        message: String,
    },
    /// The thread pool could not start.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why not.
        message: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> EngineError + '_ {
    move |error| EngineError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Runs the plan and replaces `plan.out_dir` with its files.
pub fn run(plan: &RunPlan, progress: &dyn Progress) -> Result<RunReport, EngineError> {
    let started = Instant::now();
    let started_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let first = plan.scenarios.first().ok_or(EngineError::Empty)?;
    let models: Vec<Box<dyn Simulate>> = plan.scenarios.iter().map(|s| s.build_model()).collect();
    let outputs = models[0].outputs();
    for (s, m) in plan.scenarios.iter().zip(&models).skip(1) {
        if m.outputs() != outputs {
            return Err(EngineError::MixedModels {
                first: first.name.clone(),
                other: s.name.clone(),
            });
        }
    }
    let threads = plan.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| EngineError::Threads {
            threads,
            message: e.to_string(),
        })?;

    let windows = windows(plan, &outputs)?;
    let stop = progress.stop();
    let mut lock = DirLock::acquire(&plan.out_dir, true)?;
    let run_id = new_run_id();
    let staging = Staging::new(&lock, &run_id)?;
    let dir = staging.path().to_path_buf();
    let dir = &dir;
    let path = |name: &str| dir.join(name);
    let ts_path = path(FILES[0]);
    let runs_path = path(FILES[1]);
    let mut timeseries = CheckedFile::create(&ts_path).map_err(io_err(&ts_path))?;
    let mut runs = CheckedFile::create(&runs_path).map_err(io_err(&runs_path))?;
    let mut bands =
        BandStore::new(dir, plan.scenarios.len(), outputs.series.len()).map_err(io_err(dir))?;

    let mut header = String::from("scenario,replicate,seed,step,");
    if outputs.steps_per_year.is_some() {
        header.push_str("year,");
    }
    header.push_str(&outputs.series_names().join(","));
    writeln!(timeseries, "{header}").map_err(io_err(&ts_path))?;
    // Uncertainty hook (src/scenario/uncertainty.rs): runs.csv ends with each uncertain
    // parameter's value in that run.
    let drawn_paths = crate::scenario::uncertainty::uncertain_paths(&plan.scenarios);
    let drawn_header: String = drawn_paths.iter().map(|p| format!(",{p}")).collect();
    writeln!(
        runs,
        "scenario,replicate,seed,{}{drawn_header}",
        outputs.outcome_names().join(",")
    )
    .map_err(io_err(&runs_path))?;

    let mut trajectories: Vec<Option<TrajectoryAcc>> = plan
        .scenarios
        .iter()
        .map(|s| TrajectoryAcc::new(&outputs, s.horizon_steps() as usize))
        .collect();
    let total: u64 = plan.scenarios.iter().map(|s| u64::from(s.replicates)).sum();
    progress.start(total);
    // Outcome values per window, scenario and outcome, in replicate order (window 0 is the
    // one the summary reports).
    let mut values: Vec<Vec<Vec<Vec<Option<f64>>>>> =
        vec![vec![vec![Vec::new(); outputs.outcomes.len()]; plan.scenarios.len()]; windows.len()];
    // Jobs are generated lazily, in (scenario, replicate) order, in batches whose size bounds
    // memory (about 64 MiB of per-step values) but does not affect the results.
    let mut jobs = plan
        .scenarios
        .iter()
        .enumerate()
        .flat_map(|(s, sc)| (0..u64::from(sc.replicates)).map(move |r| (s, r)));
    let run_bytes = plan
        .scenarios
        .iter()
        .map(|s| s.horizon_steps() as usize + 1)
        .max()
        .unwrap_or(1)
        * outputs.series.len()
        * 8;
    let batch = ((64usize << 20) / run_bytes.max(1)).clamp(threads, (threads * 8).max(32));
    loop {
        if progress.cancelled() {
            return Err(EngineError::Cancelled);
        }
        let chunk: Vec<(usize, u64)> = jobs.by_ref().take(batch).collect();
        if chunk.is_empty() {
            break;
        }
        // Each worker simulates and also formats its rows, so the writer only concatenates.
        let finished: Vec<Option<Finished>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|&(s, r)| {
                    let seed = replicate_seed(plan.seed, r);
                    // Uncertainty hook (src/scenario/uncertainty.rs): replicate r draws its
                    // uncertain parameters once from its own seed (so replicate r of every
                    // scenario shares them) and runs a model built with them.
                    let drawn = plan.scenarios[s].draw_uncertain(seed);
                    let own = drawn.as_ref().map(|d| d.scenario.build_model());
                    let model = own.as_ref().unwrap_or(&models[s]);
                    let mut record = model.simulate_until(seed, &stop)?;
                    let mut windowed = Vec::with_capacity(windows.len());
                    for (w, win) in windows.iter().enumerate() {
                        let o = match win.steps {
                            None => record.outcomes.clone(),
                            Some((a, b)) => model
                                .window_outcomes(&record.series, a, b)
                                .unwrap_or_else(|| vec![None; outputs.outcomes.len()]),
                        };
                        if w == 0 {
                            record.outcomes = o.clone();
                        }
                        windowed.push(o);
                    }
                    let mut done =
                        Finished::format(&plan.scenarios[s].name, r, seed, record, &outputs);
                    if !drawn_paths.is_empty() {
                        let used = drawn.as_ref().map_or(&plan.scenarios[s], |d| &d.scenario);
                        done.runs.pop();
                        for v in crate::scenario::uncertainty::values_at(used, &drawn_paths) {
                            done.runs.push(',');
                            done.runs.push_str(&fmt_opt(v));
                        }
                        done.runs.push('\n');
                    }
                    done.windowed = windowed;
                    progress.run_done();
                    Some(done)
                })
                .collect()
        });
        let Some(finished) = finished.into_iter().collect::<Option<Vec<Finished>>>() else {
            return Err(EngineError::Cancelled);
        };
        for (&(s, _), done) in chunk.iter().zip(&finished) {
            timeseries
                .write_all(done.timeseries.as_bytes())
                .map_err(io_err(&ts_path))?;
            runs.write_all(done.runs.as_bytes())
                .map_err(io_err(&runs_path))?;
            for (w, outcomes) in done.windowed.iter().enumerate() {
                for (k, v) in outcomes.iter().enumerate() {
                    values[w][s][k].push(*v);
                }
            }
            bands.push(s, &done.record.series).map_err(io_err(dir))?;
            if let Some(t) = &mut trajectories[s] {
                t.add(&done.record.series);
            }
        }
    }
    progress.finish();

    let names: Vec<String> = plan.scenarios.iter().map(|s| s.name.clone()).collect();
    let bands_path = path(FILES[2]);
    let mut bands_file = CheckedFile::create(&bands_path).map_err(io_err(&bands_path))?;
    bands
        .write_csv(
            &mut bands_file,
            &names,
            &outputs.series_names(),
            &outputs.labels(),
            outputs.steps_per_year,
            &stop,
        )
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::Interrupted => EngineError::Cancelled,
            _ => io_err(&bands_path)(e),
        })?;

    let summaries: Vec<ScenarioSummary> = plan
        .scenarios
        .iter()
        .zip(&values[0])
        .map(|(sc, per_outcome)| ScenarioSummary {
            name: sc.name.clone(),
            model: sc.model.name().to_string(),
            replicates: u64::from(sc.replicates),
            outcomes: outputs
                .outcomes
                .iter()
                .zip(per_outcome)
                .map(|(name, v)| OutcomeSummary {
                    name: name.name.to_string(),
                    summary: summarize(&mut v.iter().flatten().copied().collect::<Vec<_>>()),
                })
                .collect(),
        })
        .collect();
    // Every scenario against every one listed before it (the first is the reference most
    // tables read), on paired replicates.
    let mut comparisons = Vec::new();
    for (w, win) in windows.iter().enumerate() {
        for k in 1..plan.scenarios.len() {
            if win.only.as_ref().is_some_and(|only| !only.contains(&k)) {
                continue;
            }
            for v in 0..k {
                comparisons.push(Comparison {
                    scenario: plan.scenarios[k].name.clone(),
                    versus: plan.scenarios[v].name.clone(),
                    window: win.label.clone(),
                    from_year: win.years.0,
                    to_year: win.years.1,
                    outcomes: outputs
                        .outcomes
                        .iter()
                        .enumerate()
                        .map(|(o, name)| {
                            (
                                name.name.to_string(),
                                paired(&values[w][v][o], &values[w][k][o]),
                            )
                        })
                        .collect(),
                });
            }
        }
    }

    let mut checksums: BTreeMap<String, FileCheck> = BTreeMap::new();
    checksums.insert(
        FILES[0].into(),
        timeseries.finish().map_err(io_err(&ts_path))?,
    );
    checksums.insert(FILES[1].into(), runs.finish().map_err(io_err(&runs_path))?);
    checksums.insert(
        FILES[2].into(),
        bands_file.finish().map_err(io_err(&bands_path))?,
    );
    let mut file_names: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
    if !comparisons.is_empty() {
        let comparison_path = path(COMPARISON_FILE);
        checksums.insert(
            COMPARISON_FILE.into(),
            write_whole(&comparison_path, comparison_csv(&comparisons).as_bytes())?,
        );
        file_names.push(COMPARISON_FILE.to_string());
    }
    let summary_path = path(FILES[3]);
    let comparison_section = (!comparisons.is_empty()).then(|| comparison_json(&comparisons));
    checksums.insert(
        FILES[3].into(),
        write_whole(
            &summary_path,
            summary_json(VERSION, &summaries, &windows[0].label, comparison_section).as_bytes(),
        )?,
    );
    let wall_seconds = started.elapsed().as_secs_f64();
    let manifest = Manifest {
        orgsim_version: VERSION.into(),
        kind: "run",
        run_id: run_id.clone(),
        command_line: plan.command_line.clone(),
        seed: plan.seed,
        seed_derivation: "replicate r of every scenario is seeded with \
                          orgsim::rng::replicate_seed(seed, r) (SplitMix64 mixing) and runs \
                          on Xoshiro256++"
            .into(),
        threads,
        started_at: utc_timestamp(started_at),
        wall_seconds,
        files: file_names.clone(),
        checksums,
        window: plan.window.map(|(a, b)| vec![a, b]),
        scenarios: plan.scenarios.iter().map(|s| s.resolved_json()).collect(),
        columns: outputs.to_json(),
    };
    let manifest_path = path(FILES[4]);
    write_whole(&manifest_path, manifest.to_json().as_bytes())?;
    // Charts are part of the run: drawn into the staging directory and listed in its manifest.
    let charts = match &plan.charts {
        Some(opts) => crate::chart::draw_run_charts(dir, opts, &stop).map_err(|e| match e {
            ChartError::Stopped => EngineError::Cancelled,
            e => EngineError::Charts(e),
        })?,
        None => Vec::new(),
    };
    if stop.requested() {
        return Err(EngineError::Cancelled);
    }
    staging.commit(&mut lock)?;
    let in_out = |p: &Path| plan.out_dir.join(p.file_name().unwrap_or_default());
    let files = file_names.iter().map(|n| plan.out_dir.join(n)).collect();
    let charts = charts.iter().map(|p| in_out(p)).collect();
    let trajectories = trajectories
        .into_iter()
        .zip(&plan.scenarios)
        .filter_map(|(t, sc)| t.map(|t| t.finish(&sc.name, &outputs)))
        .collect();
    Ok(RunReport {
        scenarios: summaries,
        comparisons,
        trajectories,
        outcomes_window: windows[0].label.clone(),
        files,
        charts,
        run_id,
        threads,
        wall_seconds,
    })
}

/// One finished run with its rows already formatted.
struct Finished {
    record: RunRecord,
    timeseries: String,
    runs: String,
    /// Its outcomes in each window.
    windowed: Vec<Vec<Option<f64>>>,
}

/// A span of the run over which outcomes are computed.
struct OutcomeWindow {
    label: String,
    /// Steps `from..=to`; `None` for the whole run.
    steps: Option<(usize, usize)>,
    years: (f64, f64),
    /// Compared scenarios this window is reported for (`None`: all).
    only: Option<Vec<usize>>,
}

/// The whole run (or `--window`), then, for each compared scenario with interventions, the
/// five years from its first intervention.
fn windows(plan: &RunPlan, outputs: &Outputs) -> Result<Vec<OutcomeWindow>, EngineError> {
    let longest = plan
        .scenarios
        .iter()
        .map(|s| s.horizon_steps())
        .max()
        .unwrap_or(0) as usize;
    let Some(spy) = outputs.steps_per_year else {
        if let Some((from, to)) = plan.window {
            return Err(EngineError::BadWindow {
                from,
                to,
                message: "this model counts abstract periods, not years; windows need a model with calendar time (lifecycle)".into(),
            });
        }
        return Ok(vec![OutcomeWindow {
            label: "whole run".into(),
            steps: None,
            years: (0.0, 0.0),
            only: None,
        }]);
    };
    let last_year = longest as f64 / spy;
    let step = |y: f64| (y * spy).round() as usize;
    let mut out = vec![match plan.window {
        None => OutcomeWindow {
            label: "whole run".into(),
            steps: None,
            years: (0.0, last_year),
            only: None,
        },
        Some((from, to)) => {
            if !(0.0..last_year).contains(&from) || to <= from {
                return Err(EngineError::BadWindow {
                    from,
                    to,
                    message: format!(
                        "must be FROM:TO years with 0 <= FROM < TO, FROM before the end of the run ({last_year} years)"
                    ),
                });
            }
            let to = to.min(last_year);
            OutcomeWindow {
                label: format!("years {}-{}", show_number(from), show_number(to)),
                steps: Some((step(from), step(to))),
                years: (from, to),
                only: None,
            }
        }
    }];
    for (k, sc) in plan.scenarios.iter().enumerate().skip(1) {
        let Some(start) = sc.first_intervention_year() else {
            continue;
        };
        if start >= last_year {
            continue;
        }
        let end = (start + 5.0).min(last_year);
        let steps = Some((step(start), step(end)));
        if out[0].steps == steps {
            continue;
        }
        if let Some(w) = out.iter_mut().skip(1).find(|w| w.steps == steps) {
            w.only.get_or_insert_with(Vec::new).push(k);
        } else {
            out.push(OutcomeWindow {
                label: format!("years {}-{}", show_number(start), show_number(end)),
                steps,
                years: (start, end),
                only: Some(vec![k]),
            });
        }
    }
    Ok(out)
}

impl Finished {
    fn format(name: &str, r: u64, seed: u64, record: RunRecord, outputs: &Outputs) -> Finished {
        let labels = outputs.labels();
        let counts = outputs.is_count();
        let mut timeseries = String::new();
        for (step, row) in record
            .series
            .values
            .chunks_exact(outputs.series.len())
            .enumerate()
        {
            timeseries.push_str(&format!("{name},{r},{seed},{step},"));
            if let Some(spy) = outputs.steps_per_year {
                timeseries.push_str(&fmt_num(step as f64 / spy));
                timeseries.push(',');
            }
            push_joined(
                &mut timeseries,
                row.iter()
                    .zip(&labels)
                    .zip(&counts)
                    .map(|((&v, l), &count)| match l {
                        Some(names) => names.get(v as usize).copied().unwrap_or("").to_string(),
                        None if count => fmt_count(v),
                        None => fmt_num(v),
                    }),
            );
        }
        let mut runs = format!("{name},{r},{seed},");
        push_joined(&mut runs, record.outcomes.iter().map(|&v| fmt_opt(v)));
        Finished {
            record,
            timeseries,
            runs,
            windowed: Vec::new(),
        }
    }
}

/// Writes a whole file into the staging directory and returns its check.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<FileCheck, EngineError> {
    let mut f = CheckedFile::create(path).map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.finish().map_err(io_err(path))
}

fn push_joined(text: &mut String, fields: impl Iterator<Item = String>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&f);
    }
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    struct StopNow;
    impl Progress for StopNow {
        fn cancelled(&self) -> bool {
            true
        }
    }

    #[test]
    fn a_cancelled_run_leaves_its_directory_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("runs.csv"), "an earlier run").unwrap();
        let mut plan = RunPlan {
            scenarios: vec![load("classic/march1991", &[]).unwrap().scenario],
            seed: 1,
            threads: Some(1),
            out_dir: out.clone(),
            command_line: Vec::new(),
            window: None,
            charts: None,
        };
        assert!(matches!(run(&plan, &StopNow), Err(EngineError::Cancelled)));
        let names = |d: &Path| -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(&out), ["runs.csv"]);
        assert_eq!(
            std::fs::read_to_string(out.join("runs.csv")).unwrap(),
            "an earlier run"
        );
        // No staging directory beside it; and a new directory is not even created.
        assert_eq!(names(dir.path()), ["out"]);
        plan.out_dir = dir.path().join("new");
        assert!(matches!(run(&plan, &StopNow), Err(EngineError::Cancelled)));
        assert_eq!(names(dir.path()), ["out"]);
    }
}
