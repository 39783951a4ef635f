//! Running a sweep: the shard's runs go through the [`crate::runner`] (in parallel, handed
//! over in run order) into an append-only journal, committed about once a second in
//! checksummed blocks (see `journal`), so a killed sweep resumes where it stopped; shards of
//! a sweep each keep their own journal; the final files are built from the journals in run
//! order (`finalize`), so they are byte-identical whatever the number of threads, chunks,
//! interruptions or shards.
//!
//! Run g (0-based) is replicate g mod R of point g div R. Shard I of N runs the g with
//! g mod N = I, in increasing order.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::SweepError;
use super::files::manifest;
use super::files::shard::{self, ShardFile};
use super::finalize::{design_meta, finalize};
use super::journal::{BlockWriter, Expect, JournalRun, KeptStep, journal_file};
use super::shards::shards_in;
use super::spec::{Design, limits};
use crate::runner::{Finish, Job, Jobs, Pool, Progress, Runner};

/// Where and how to run a sweep.
#[derive(Clone, Debug)]
pub struct SweepPlan {
    /// The output directory.
    pub out: PathBuf,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
    /// This process's shard: (index, count).
    pub shard: (u64, u64),
    /// Cut a journal damaged in the middle back to its intact runs before the damage (and
    /// redo the rest) instead of refusing it.
    pub repair: bool,
}

/// What a sweep invocation did.
#[derive(Clone, Debug)]
pub struct SweepReport {
    /// Runs in the whole sweep.
    pub total_runs: u64,
    /// Runs in this shard.
    pub shard_runs: u64,
    /// Runs found already finished (resumed).
    pub resumed: u64,
    /// Runs simulated now.
    pub ran: u64,
    /// Whether the final files were written (unsharded sweeps).
    pub finalized: bool,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Threads used.
    pub threads: usize,
}

/// A sweep's identity: its file, its base scenario resolved, and the orgsim version. Shards
/// and resumed runs must match it.
pub fn sweep_id(design: &Design) -> String {
    let mut text = format!(
        "{}\n{}\n{}\n{}",
        serde_json::to_string(&design.file).unwrap_or_default(),
        design.base_json,
        design.name,
        env!("CARGO_PKG_VERSION")
    );
    if let Some(reference) = &design.reference_json {
        text.push_str(&format!("\n{reference}"));
    }
    // FNV-1a, 64 bits: an identity check, not security.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Wraps an I/O error with its path.
pub(super) fn io_err(path: &Path, e: std::io::Error) -> SweepError {
    SweepError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Runs this shard of the sweep (resuming a journal if one is there), and for an unsharded
/// sweep writes the final files.
pub fn run_sweep(
    design: &Design,
    plan: &SweepPlan,
    progress: &dyn Progress,
) -> Result<SweepReport, SweepError> {
    let started = Instant::now();
    let (index, count) = plan.shard;
    if count == 0 || index >= count || count > limits::TASKS {
        return Err(SweepError::Shard(format!(
            "--task {index} of --tasks {count} is out of range: --tasks is 1 to {}, and --task 0 to --tasks - 1",
            limits::TASKS
        )));
    }
    let id = sweep_id(design);
    let out = &plan.out;
    // One process per directory for the sweep's life; then what a killed one left is stale.
    let _lock = lock_dir(out)?;
    crate::output::remove_stale_partials(out);
    let total = design.total_runs();
    // The shard's runs: index, index + count, index + 2 count, ... (computed, not stored).
    let shard_len = total.saturating_sub(index).div_ceil(count) as usize;
    let pool = Pool::new(plan.threads)?;
    let threads = pool.threads();
    let report = |resumed, ran, finalized| SweepReport {
        total_runs: total,
        shard_runs: shard_len as u64,
        resumed,
        ran,
        finalized,
        seconds: started.elapsed().as_secs_f64(),
        threads,
    };
    // A finished sweep in this directory: nothing to do (or someone else's: refuse).
    let manifest = out.join("manifest.json");
    if manifest.exists() {
        return match manifest::read(&manifest)? {
            Some(m) if m.sweep_id == id => Ok(report(shard_len as u64, 0, count == 1)),
            _ => Err(SweepError::Foreign {
                dir: out.clone(),
                what: "the finished results of a different sweep".into(),
            }),
        };
    }
    // One shard per directory: another sweep's shard, or another shard of this one (a
    // different task number or split), is refused rather than mixed in.
    if let Some(other) = shards_in(out)?
        .into_iter()
        .find(|s| s.id != id || s.shard != (index, count))
    {
        let what = if other.id != id {
            format!(
                "shard {} of {} of sweep `{}`, a different sweep (or orgsim version)",
                other.shard.0, other.shard.1, other.name
            )
        } else {
            format!(
                "shard {} of {} of this sweep, but this task is shard {index} of {count} (give each task its own directory, and the same --tasks to all)",
                other.shard.0, other.shard.1
            )
        };
        return Err(SweepError::Foreign {
            dir: out.clone(),
            what,
        });
    }
    // The shard's identity file: written once, checked on every resume.
    let shard_path = shard::path(out, index, count);
    if shard_path.exists() {
        if shard::read(&shard_path)?.sweep_id != id {
            return Err(SweepError::Foreign {
                dir: out.clone(),
                what: format!(
                    "shard {index} of {count} of a different sweep (or of another orgsim version)"
                ),
            });
        }
    } else {
        let file = ShardFile {
            orgsim_version: env!("CARGO_PKG_VERSION").into(),
            sweep_id: id.clone(),
            name: design.name.clone(),
            shard: Some(index),
            shards: Some(count),
            total_runs: total,
            shard_runs: Some(shard_len as u64),
            sweep: serde_json::to_value(&design.file).unwrap_or_default(),
            base: design.base_json.clone(),
            reference: design.reference_json.clone(),
        };
        crate::output::write_atomic(&shard_path, file.to_json().as_bytes())
            .map_err(|e| io_err(&shard_path, e))?;
    }
    // With a reference, every run is a pair: the point's simulation, then its reference's
    // on the same seed (jobs 2i and 2i + 1 of the shard), journaled together.
    let n_points = design.scenarios.len();
    let models: Vec<Box<dyn crate::model::Simulate>> = design
        .scenarios
        .iter()
        .chain(&design.references)
        .map(|s| s.build_model())
        .collect();
    let per: u64 = if design.references.is_empty() { 1 } else { 2 };
    let outputs = models[0].outputs();
    let n_out = outputs.outcomes.len();
    let keep: Vec<usize> = design
        .file
        .keep
        .metrics
        .iter()
        .filter_map(|m| outputs.series.iter().position(|s| s.name == m))
        .collect();
    // Resume: keep the journal's intact blocks, drop a cut end (see journal.rs).
    let journal_path = journal_file(out, index, count);
    let expect = Expect {
        id: &id,
        shard: (index, count),
        widths: Some((3 + n_out * per as usize, 3 + keep.len())),
    };
    let done = resume_journal(&journal_path, &expect, shard_len as u64, plan.repair)?;
    let mut journal = OpenOptions::new()
        .append(true)
        .create(true)
        .open(&journal_path)
        .map_err(|e| io_err(&journal_path, e))?;
    if done == 0 && journal.metadata().map(|m| m.len()).unwrap_or(0) == 0 {
        writeln!(journal, "{}", super::journal::header(&id, index, count))
            .map_err(|e| io_err(&journal_path, e))?;
    }
    progress.start(shard_len as u64 * per);
    for _ in 0..done * per {
        progress.run_done();
    }
    let stride = design.file.keep.stride.max(1) as usize;
    let replicates = design.file.replicates;
    let jobs = ShardJobs {
        design,
        shard: (index, count),
        len: shard_len as u64,
        per,
    };
    // Each worker computes its run's outcomes (over the window, if any) and kept steps; this
    // thread turns them into journal lines, appends them in run order and commits about once
    // a second. Runs poll the stop every simulated week: Ctrl-C or SIGTERM abandons the runs
    // under way, and what was appended is committed.
    let window = design.window_steps;
    let prepare = |job: &Job,
                   _: Option<&crate::scenario::Scenario>,
                   _: &dyn crate::model::Simulate,
                   record: &mut crate::model::RunRecord|
     -> JournalRun {
        let outcomes = match window {
            None => std::mem::take(&mut record.outcomes),
            Some((a, b)) if record.series.rows() > b => models[job.scenario]
                .window_outcomes(&record.series, a, b)
                .unwrap_or_else(|| vec![None; n_out]),
            Some(_) => vec![None; n_out],
        };
        let steps = if keep.is_empty() || job.scenario >= n_points {
            Vec::new()
        } else {
            (0..record.series.rows())
                .step_by(stride)
                .map(|step| {
                    let row = record.series.row(step);
                    KeptStep {
                        step: step as u64,
                        values: keep
                            .iter()
                            .map(|&c| Some(row[c]).filter(|v| v.is_finite()))
                            .collect(),
                    }
                })
                .collect()
        };
        JournalRun {
            run: (job.scenario % n_points) as u64 * replicates + job.replicate,
            seed: job.seed,
            outcomes,
            steps,
        }
    };
    let mut writer = BlockWriter::new(&mut journal, done);
    let mut written = done as usize;
    let mut last_commit = Instant::now();
    let mut pending: Option<JournalRun> = None;
    let runner = Runner {
        pool: &pool,
        models: &models,
        draw_from: None,
        progress,
        ahead: threads * 16,
    };
    let finish = runner.run(
        &jobs,
        done * per,
        &prepare,
        &mut |job, _, run: JournalRun| {
            let run = if per == 1 {
                run
            } else if job.scenario < n_points {
                pending = Some(run);
                return Ok(());
            } else {
                // The point's outcomes, then its reference's.
                let mut first = pending
                    .take()
                    .expect("a point's run precedes its reference's");
                first.outcomes.extend(run.outcomes);
                first
            };
            writer
                .write_run(&run.lines())
                .map_err(|e| io_err(&journal_path, e))?;
            written += 1;
            if last_commit.elapsed().as_secs_f64() > 1.0 || written == shard_len {
                writer
                    .commit(written as u64)
                    .map_err(|e| io_err(&journal_path, e))?;
                last_commit = Instant::now();
            }
            Ok::<(), SweepError>(())
        },
    )?;
    writer
        .commit(written as u64)
        .map_err(|e| io_err(&journal_path, e))?;
    drop(writer);
    let ran = written as u64 - done;
    if finish != Finish::Done {
        return Err(SweepError::Cancelled {
            done: written as u64,
            total: shard_len as u64,
        });
    }
    drop(journal);
    progress.finish();
    if count == 1 {
        finalize(design_meta(design, &id), std::slice::from_ref(out), out)?;
        Ok(report(done, ran, true))
    } else {
        Ok(report(done, ran, false))
    }
}

/// Locks a directory the sweep writes, for as long as the lock is held.
pub(super) fn lock_dir(dir: &Path) -> Result<crate::output::DirLock, SweepError> {
    crate::output::DirLock::acquire(dir, true).map_err(|e| SweepError::Shard(e.to_string()))
}

/// Reads the journal at `path` and cuts it back to its intact blocks; returns the shard's
/// runs they hold. A torn tail is dropped (its runs are redone, giving the same bytes); any
/// other damage is refused, naming the file and line, unless `repair` (see journal.rs).
fn resume_journal(
    path: &Path,
    expect: &Expect,
    shard_runs: u64,
    repair: bool,
) -> Result<u64, SweepError> {
    let Some(scan) = super::journal::scan(path, expect)? else {
        return Ok(0);
    };
    if let Some(message) = scan.changed()
        && !repair
    {
        return Err(SweepError::Damaged {
            path: path.to_path_buf(),
            message,
        });
    }
    if scan.done > shard_runs {
        return Err(SweepError::Damaged {
            path: path.to_path_buf(),
            message: format!(
                "{} runs committed, but the shard has {shard_runs}; nothing was changed",
                scan.done
            ),
        });
    }
    if scan.damage.is_some() {
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| io_err(path, e))?;
        file.set_len(scan.intact_bytes)
            .map_err(|e| io_err(path, e))?;
        file.sync_all().map_err(|e| io_err(path, e))?;
    }
    Ok(scan.done)
}

/// The runs of one shard, by position: run g = index + pos * count is replicate g mod R of
/// point g div R. With a reference (`per` = 2), job 2 pos is that run and job 2 pos + 1 its
/// reference's, on the same seed (model n_points + point).
struct ShardJobs<'a> {
    design: &'a Design,
    shard: (u64, u64),
    len: u64,
    per: u64,
}

impl Jobs for ShardJobs<'_> {
    fn len(&self) -> u64 {
        self.len * self.per
    }

    fn job(&self, pos: u64) -> Job {
        let (pos, reference) = (pos / self.per, pos % self.per == 1);
        let g = self.shard.0 + pos * self.shard.1;
        let replicates = self.design.file.replicates;
        let (point, replicate) = (g / replicates, g % replicates);
        Job {
            scenario: point as usize
                + if reference {
                    self.design.scenarios.len()
                } else {
                    0
                },
            replicate,
            seed: self.design.seed(point, replicate),
        }
    }
}
