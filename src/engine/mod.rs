//! `orgsim run`: orchestration only. The [`crate::runner`] runs every (scenario, replicate)
//! pair in parallel and hands the runs over in a fixed order; this module decides what to
//! keep of them and which files to write, so the files depend only on the scenarios and the
//! seed. Replicate r's seed depends only on the invocation seed and r
//! ([`crate::rng::replicate_seed`]), so neither the thread count nor the scheduling can
//! change a byte of the results. Memory is bounded by the runner's window of finished runs
//! plus the run-level outcomes: per-step values go straight to `timeseries.csv` and to the
//! disk-backed [`crate::output::BandStore`].
//!
//! Everything, charts included, is written into a fresh directory beside the output directory,
//! which replaces the output directory as a whole at the end ([`Staging`]), under a lock held
//! for the whole run ([`DirLock`]): a run stopped, failed or killed at any moment leaves the
//! previous contents of its directory as they were. Runs poll the [`crate::model::Stop`] every
//! step, so a stop takes effect within a step at any organization size.

mod error;
mod windows;

pub use windows::{Drivers, year_steps};

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::chart::{ChartError, PlotOptions};
use crate::output::{
    COMPARISON_FILE, CheckedFile, ColumnsSection, Comparison, DirLock, FILES, FileCheck, Manifest,
    ScenarioSummary, Staging, comparison_csv, comparison_json, new_run_id, runs, summary_json,
    timeseries, utc_timestamp,
};
use crate::runner::{Ensemble, Finish, Pool, Replicates, Runner, build_models};
use crate::scenario::Scenario;

pub use crate::runner::Progress;
pub use crate::stats::{CurvePeak, Trajectory};
pub use error::EngineError;
use error::io_err;

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

/// What a finished invocation produced.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// Per scenario, its outcomes summarized across replicates.
    pub scenarios: Vec<ScenarioSummary>,
    /// Each scenario against the first, on paired replicates (empty for one scenario).
    pub comparisons: Vec<Comparison>,
    /// Per comparison (aligned with `comparisons`), which uncertain parameters each
    /// outcome's paired effect depends on most (empty without uncertain parameters).
    pub drivers: Vec<Vec<windows::Drivers>>,
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

/// What each worker prepares for the writer: the run's outcomes in every window and its
/// rows already formatted (formatting runs in parallel; the writer only concatenates).
struct Prepared {
    windowed: Vec<Vec<Option<f64>>>,
    /// The run's value of each uncertain parameter (as `runs.csv` records it).
    drawn: Vec<Option<f64>>,
    timeseries: Vec<u8>,
    runs: String,
}

/// Runs the plan and replaces `plan.out_dir` with its files.
pub fn run(plan: &RunPlan, progress: &dyn Progress) -> Result<RunReport, EngineError> {
    let started = Instant::now();
    let started_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (models, outputs) = build_models(&plan.scenarios)?;
    let pool = Pool::new(plan.threads)?;
    let threads = pool.threads();
    let windows = windows::windows(plan, &outputs)?;
    let stop = progress.stop();
    let mut lock = DirLock::acquire(&plan.out_dir, true)?;
    let run_id = new_run_id();
    let staging = Staging::new(&lock, &run_id)?;
    let dir = staging.path().to_path_buf();
    let dir = &dir;
    let path = |name: &str| dir.join(name);
    let ts_path = path(FILES[0]);
    let runs_path = path(FILES[1]);
    // runs.csv ends with each uncertain parameter's value in that run
    // (src/scenario/uncertainty.rs; the runner draws them).
    let drawn_paths = crate::scenario::uncertainty::uncertain_paths(&plan.scenarios);
    let mut ts_file = CheckedFile::create(&ts_path).map_err(io_err(&ts_path))?;
    let mut runs_file = CheckedFile::create(&runs_path).map_err(io_err(&runs_path))?;
    let mut ensemble =
        Ensemble::new(Some(dir), &outputs, &plan.scenarios, windows.len()).map_err(io_err(dir))?;
    ts_file
        .write_all(timeseries::header(&outputs).as_bytes())
        .map_err(io_err(&ts_path))?;
    runs_file
        .write_all(runs::header(&outputs, &drawn_paths).as_bytes())
        .map_err(io_err(&runs_path))?;

    let jobs = Replicates::new(&plan.scenarios, plan.seed);
    progress.start(crate::runner::Jobs::len(&jobs));
    if progress.cancelled() {
        return Err(EngineError::Cancelled);
    }
    // Finished runs waiting for the writer take about 64 MiB of per-step values at most;
    // how many does not change the results.
    let run_rows = plan
        .scenarios
        .iter()
        .map(|s| s.horizon_steps() as usize + 1)
        .max()
        .unwrap_or(1);
    let run_bytes = run_rows * outputs.series.len() * 8;
    let ahead = ((64usize << 20) / run_bytes.max(1)).clamp(threads, (threads * 8).max(32));
    let row_format = timeseries::RowFormat::new(&outputs, run_rows);
    let prepare = |job: &crate::runner::Job,
                   drawn: Option<&crate::scenario::Scenario>,
                   model: &dyn crate::model::Simulate,
                   record: &mut crate::model::RunRecord| {
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
        let name = &plan.scenarios[job.scenario].name;
        let values = crate::scenario::uncertainty::values_at(
            drawn.unwrap_or(&plan.scenarios[job.scenario]),
            &drawn_paths,
        );
        Prepared {
            windowed,
            timeseries: row_format.rows(name, job.replicate, job.seed, &record.series),
            runs: runs::row(name, job.replicate, job.seed, &record.outcomes, &values),
            drawn: values,
        }
    };
    let runner = Runner {
        pool: &pool,
        models: &models,
        draw_from: Some(&plan.scenarios),
        progress,
        ahead,
    };
    // [scenario][replicate][parameter], in the order the outcomes are kept.
    let mut drawn: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); plan.scenarios.len()];
    let finish = runner.run(&jobs, 0, &prepare, &mut |job, record, done: Prepared| {
        drawn[job.scenario].push(done.drawn);
        ts_file
            .write_all(&done.timeseries)
            .map_err(io_err(&ts_path))?;
        runs_file
            .write_all(done.runs.as_bytes())
            .map_err(io_err(&runs_path))?;
        ensemble
            .add(job.scenario, &record.series, &done.windowed)
            .map_err(io_err(dir))
    })?;
    if finish != Finish::Done {
        return Err(EngineError::Cancelled);
    }
    progress.finish();

    let summaries = ensemble.summaries(0, &plan.scenarios, &outputs);
    let comparisons = windows::comparisons(plan, &outputs, &windows, &ensemble.outcomes);
    let drivers = windows::drivers(
        plan,
        &outputs,
        &windows,
        &ensemble.outcomes,
        &drawn,
        &drawn_paths,
    );
    let Ensemble {
        bands,
        trajectories,
        ..
    } = ensemble;
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

    let mut checksums: BTreeMap<String, FileCheck> = BTreeMap::new();
    checksums.insert(FILES[0].into(), ts_file.finish().map_err(io_err(&ts_path))?);
    checksums.insert(
        FILES[1].into(),
        runs_file.finish().map_err(io_err(&runs_path))?,
    );
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
        kind: "run".into(),
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
        columns: Some(ColumnsSection::from(&outputs)),
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
        drivers,
        trajectories,
        outcomes_window: windows[0].label.clone(),
        files,
        charts,
        run_id,
        threads,
        wall_seconds,
    })
}

/// Writes a whole file into the staging directory and returns its check.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<FileCheck, EngineError> {
    let mut f = CheckedFile::create(path).map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.finish().map_err(io_err(path))
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
