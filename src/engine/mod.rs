//! The replicate engine: runs every (scenario, replicate) pair in parallel and streams the
//! results to disk in a fixed order, so the files depend only on the scenarios and the seed.
//!
//! Runs are taken in batches in (scenario, replicate) order; inside a batch rayon runs them on
//! any thread in any order, and `collect` puts them back in order before they are written.
//! Replicate r's seed depends only on the invocation seed and r ([`crate::rng::replicate_seed`]),
//! so neither the thread count nor the scheduling can change a byte of the results. Memory is
//! one batch of runs plus the run-level outcomes: per-step values go straight to
//! `timeseries.csv` and to the disk-backed [`BandStore`].

mod progress;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::model::{Outputs, RunRecord, Simulate};
use crate::output::{
    AtomicFile, BandStore, FILES, Manifest, OutcomeSummary, ScenarioSummary, fmt_num, fmt_opt,
    summary_json, utc_timestamp, write_atomic,
};
use crate::rng::replicate_seed;
use crate::scenario::Scenario;
use crate::stats::summarize;

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
    /// Output directory (created if missing).
    pub out_dir: PathBuf,
    /// The command line, recorded in the manifest.
    pub command_line: Vec<String>,
}

/// What a finished invocation produced.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// Per scenario, its outcomes summarized across replicates.
    pub scenarios: Vec<ScenarioSummary>,
    /// The files written, in order.
    pub files: Vec<PathBuf>,
    /// Threads used.
    pub threads: usize,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
}

/// Why an invocation failed. No output file is left behind half-written.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Reading or writing a file failed.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error (part of the message, so it prints once).
        error: std::io::Error,
    },
    /// Stopped by the user (Ctrl-C) before finishing; nothing was written.
    #[error("stopped before finishing; no result file was written")]
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

/// Runs the plan and writes its files into `plan.out_dir`.
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

    let dir = &plan.out_dir;
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    remove_stale_partials(dir);
    let path = |name: &str| dir.join(name);
    let ts_path = path(FILES[0]);
    let runs_path = path(FILES[1]);
    let mut timeseries = AtomicFile::create(&ts_path).map_err(io_err(&ts_path))?;
    let mut runs = AtomicFile::create(&runs_path).map_err(io_err(&runs_path))?;
    let mut bands =
        BandStore::new(dir, plan.scenarios.len(), outputs.series.len()).map_err(io_err(dir))?;

    let mut header = String::from("scenario,replicate,seed,step,");
    if outputs.steps_per_year.is_some() {
        header.push_str("year,");
    }
    header.push_str(&outputs.series.join(","));
    writeln!(timeseries, "{header}").map_err(io_err(&ts_path))?;
    writeln!(
        runs,
        "scenario,replicate,seed,{}",
        outputs.outcomes.join(",")
    )
    .map_err(io_err(&runs_path))?;

    let total: u64 = plan.scenarios.iter().map(|s| u64::from(s.replicates)).sum();
    progress.start(total);
    // Outcome values per scenario and outcome, in replicate order.
    let mut outcome_values: Vec<Vec<Vec<f64>>> =
        vec![vec![Vec::new(); outputs.outcomes.len()]; plan.scenarios.len()];
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
        let finished: Vec<Finished> = pool.install(|| {
            chunk
                .par_iter()
                .map(|&(s, r)| {
                    let seed = replicate_seed(plan.seed, r);
                    let record = models[s].simulate(seed);
                    let done = Finished::format(&plan.scenarios[s].name, r, seed, record, &outputs);
                    progress.run_done();
                    done
                })
                .collect()
        });
        for (&(s, _), done) in chunk.iter().zip(&finished) {
            timeseries
                .write_all(done.timeseries.as_bytes())
                .map_err(io_err(&ts_path))?;
            runs.write_all(done.runs.as_bytes())
                .map_err(io_err(&runs_path))?;
            for (k, v) in done.record.outcomes.iter().enumerate() {
                if let Some(v) = v {
                    outcome_values[s][k].push(*v);
                }
            }
            bands.push(s, &done.record.series).map_err(io_err(dir))?;
        }
    }
    progress.finish();

    let names: Vec<String> = plan.scenarios.iter().map(|s| s.name.clone()).collect();
    let bands_path = path(FILES[2]);
    let mut bands_file = AtomicFile::create(&bands_path).map_err(io_err(&bands_path))?;
    bands
        .write_csv(
            &mut bands_file,
            &names,
            outputs.series,
            &outputs.labels(),
            outputs.steps_per_year,
        )
        .map_err(io_err(&bands_path))?;

    let summaries: Vec<ScenarioSummary> = plan
        .scenarios
        .iter()
        .zip(outcome_values)
        .map(|(sc, mut values)| ScenarioSummary {
            name: sc.name.clone(),
            model: sc.model.name().to_string(),
            replicates: u64::from(sc.replicates),
            outcomes: outputs
                .outcomes
                .iter()
                .zip(values.iter_mut())
                .map(|(name, v)| OutcomeSummary {
                    name: name.to_string(),
                    summary: summarize(v),
                })
                .collect(),
        })
        .collect();

    let mut files = vec![
        timeseries.commit().map_err(io_err(&ts_path))?,
        runs.commit().map_err(io_err(&runs_path))?,
        bands_file.commit().map_err(io_err(&bands_path))?,
    ];
    let summary_path = path(FILES[3]);
    files.push(
        write_atomic(&summary_path, summary_json(VERSION, &summaries).as_bytes())
            .map_err(io_err(&summary_path))?,
    );
    let wall_seconds = started.elapsed().as_secs_f64();
    let manifest = Manifest {
        orgsim_version: VERSION.into(),
        command_line: plan.command_line.clone(),
        seed: plan.seed,
        seed_derivation: "replicate r of every scenario is seeded with \
                          orgsim::rng::replicate_seed(seed, r) (SplitMix64 mixing) and runs \
                          on Xoshiro256++"
            .into(),
        threads,
        started_at: utc_timestamp(started_at),
        wall_seconds,
        files: FILES.iter().map(|f| f.to_string()).collect(),
        scenarios: plan.scenarios.iter().map(|s| s.resolved_json()).collect(),
    };
    let manifest_path = path(FILES[4]);
    files.push(
        write_atomic(&manifest_path, manifest.to_json().as_bytes())
            .map_err(io_err(&manifest_path))?,
    );
    Ok(RunReport {
        scenarios: summaries,
        files,
        threads,
        wall_seconds,
    })
}

/// One finished run with its rows already formatted.
struct Finished {
    record: RunRecord,
    timeseries: String,
    runs: String,
}

impl Finished {
    fn format(name: &str, r: u64, seed: u64, record: RunRecord, outputs: &Outputs) -> Finished {
        let labels = outputs.labels();
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
                row.iter().zip(&labels).map(|(&v, l)| match l {
                    Some(names) => names.get(v as usize).copied().unwrap_or("").to_string(),
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
        }
    }
}

/// Removes temporary files left in `dir` by a run that was killed before it could clean up.
fn remove_stale_partials(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(".orgsim-partial-")
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
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
    fn a_cancelled_run_leaves_no_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(".orgsim-partial-stale"), "left by a killed run").unwrap();
        let plan = RunPlan {
            scenarios: vec![load("classic/march1991", &[]).unwrap().scenario],
            seed: 1,
            threads: Some(1),
            out_dir: out.clone(),
            command_line: Vec::new(),
        };
        assert!(matches!(run(&plan, &StopNow), Err(EngineError::Cancelled)));
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
    }
}
