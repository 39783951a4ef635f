//! Running a sweep: runs stream into an append-only journal, committed chunk by chunk in
//! checksummed blocks (see `journal.rs`), so a killed sweep resumes where it stopped; shards of a sweep each keep their own journal; the
//! final files are built from the journals in run order, so they are byte-identical whatever
//! the number of threads, chunks, interruptions or shards.
//!
//! Run g (0-based) is replicate g mod R of point g div R. Shard I of N runs the g with
//! g mod N = I, in increasing order.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::{Value, json};

use super::SweepError;
use super::journal::{BlockWriter, Expect, JournalReader, journal_file};
use super::spec::{Design, limits};
use crate::engine::Progress;
use crate::output::{AtomicFile, fmt_num, fmt_opt};
use crate::stats::t_quantile_975;

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
    let text = format!(
        "{}\n{}\n{}\n{}",
        serde_json::to_string(&design.file).unwrap_or_default(),
        design.base_json,
        design.name,
        env!("CARGO_PKG_VERSION")
    );
    // FNV-1a, 64 bits: an identity check, not security.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn shard_file(dir: &Path, index: u64, count: u64) -> PathBuf {
    dir.join(format!("shard-{index}-of-{count}.json"))
}

fn io_err(path: &Path, e: std::io::Error) -> SweepError {
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
    let run_at = |pos: usize| index + pos as u64 * count;
    let threads = plan.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1)
    });
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
        let m = read_json(&manifest)?;
        return if m.get("sweep_id").and_then(Value::as_str) == Some(id.as_str()) {
            Ok(report(shard_len as u64, 0, count == 1))
        } else {
            Err(SweepError::Foreign {
                dir: out.clone(),
                what: "the finished results of a different sweep".into(),
            })
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
    let shard_path = shard_file(out, index, count);
    let shard_json = json!({
        "orgsim_version": env!("CARGO_PKG_VERSION"),
        "sweep_id": id,
        "name": design.name,
        "shard": index,
        "shards": count,
        "total_runs": total,
        "shard_runs": shard_len,
        "sweep": design.file,
        "base": design.base_json,
    });
    if shard_path.exists() {
        let old = read_json(&shard_path)?;
        if old.get("sweep_id") != shard_json.get("sweep_id") {
            return Err(SweepError::Foreign {
                dir: out.clone(),
                what: format!(
                    "shard {index} of {count} of a different sweep (or of another orgsim version)"
                ),
            });
        }
    } else {
        write_json(&shard_path, &shard_json)?;
    }
    let models: Vec<Box<dyn crate::model::Simulate>> =
        design.scenarios.iter().map(|s| s.build_model()).collect();
    let outputs = models[0].outputs();
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
        widths: Some((3 + outputs.outcomes.len(), 3 + keep.len())),
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
    progress.start(shard_len as u64);
    for _ in 0..done {
        progress.run_done();
    }
    let stride = design.file.keep.stride.max(1) as usize;
    let replicates = design.file.replicates;
    // Workers take the shard's runs in order from a shared counter and send each result
    // to this thread, which writes them in run order (results arrive at most a few runs out
    // of order, so the reorder buffer stays small) and commits about once a second.
    // Polled every simulated week: Ctrl-C or SIGTERM abandons the runs under way.
    let user_stop = progress.stop();
    let format_run = |g: u64| -> Option<String> {
        let (point, rep) = (g / replicates, g % replicates);
        let seed = design.seed(point, rep);
        let record = models[point as usize].simulate_until(seed, &user_stop)?;
        let mut text = format!("r,{g},{seed}");
        for o in &record.outcomes {
            text.push(',');
            text.push_str(&fmt_opt(*o));
        }
        text.push('\n');
        if !keep.is_empty() {
            for step in (0..record.series.rows()).step_by(stride) {
                let row = record.series.row(step);
                text.push_str(&format!("s,{g},{step}"));
                for &c in &keep {
                    text.push(',');
                    text.push_str(&fmt_num(row[c]));
                }
                text.push('\n');
            }
        }
        Some(text)
    };
    let next = AtomicUsize::new(done as usize);
    let stop = AtomicBool::new(false);
    let mut writer = BlockWriter::new(&mut journal, done);
    let mut written = done as usize;
    let mut last_commit = Instant::now();
    let result: Result<(), SweepError> = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, String)>(threads * 4);
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, format_run, run_at) = (&next, &stop, &format_run, &run_at);
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) || progress.cancelled() {
                        break;
                    }
                    let pos = next.fetch_add(1, Ordering::Relaxed);
                    if pos >= shard_len {
                        break;
                    }
                    let g = run_at(pos);
                    let Some(text) = format_run(g) else {
                        break;
                    };
                    progress.run_done();
                    if tx.send((pos, text)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, String> = BTreeMap::new();
        let mut fail = |e: std::io::Error| {
            stop.store(true, Ordering::Relaxed);
            io_err(&journal_path, e)
        };
        for (pos, text) in rx {
            pending.insert(pos, text);
            while let Some(text) = pending.remove(&written) {
                writer.write_run(&text).map_err(&mut fail)?;
                written += 1;
            }
            if last_commit.elapsed().as_secs_f64() > 1.0 || written == shard_len {
                writer.commit(written as u64).map_err(&mut fail)?;
                last_commit = Instant::now();
            }
        }
        writer.commit(written as u64).map_err(&mut fail)?;
        Ok(())
    });
    result?;
    drop(writer);
    let ran = written as u64 - done;
    if written < shard_len {
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
fn lock_dir(dir: &Path) -> Result<crate::output::DirLock, SweepError> {
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

/// What the final files need to know about the sweep, from the design or a shard file.
#[derive(Clone, Debug)]
pub struct SweepMeta {
    id: String,
    name: String,
    sweep: Value,
    base: Value,
    paths: Vec<String>,
    points: Vec<Vec<Value>>,
    unit: Option<Vec<Vec<f64>>>,
    replicates: u64,
    outcomes: Vec<String>,
    kept: Vec<String>,
    steps_per_year: Option<f64>,
    /// The model's column declarations (`manifest.json`'s `columns`).
    columns: Value,
}

fn design_meta(design: &Design, id: &str) -> SweepMeta {
    let outputs = design.scenarios[0].build_model().outputs();
    SweepMeta {
        id: id.to_string(),
        name: design.name.clone(),
        sweep: serde_json::to_value(&design.file).unwrap_or(Value::Null),
        base: design.base_json.clone(),
        paths: design.paths.clone(),
        points: design.points.clone(),
        unit: design.unit.clone(),
        replicates: design.file.replicates,
        outcomes: outputs
            .outcomes
            .iter()
            .map(|s| s.name.to_string())
            .collect(),
        kept: design.file.keep.metrics.clone(),
        columns: outputs.to_json(),
        steps_per_year: outputs.steps_per_year,
    }
}

fn read_json(path: &Path) -> Result<Value, SweepError> {
    let text = fs::read_to_string(path).map_err(|e| io_err(path, e))?;
    serde_json::from_str(&text).map_err(|e| SweepError::Io {
        path: path.to_path_buf(),
        message: format!("not valid JSON: {e}"),
    })
}

fn write_json(path: &Path, v: &Value) -> Result<(), SweepError> {
    let mut text = serde_json::to_string_pretty(v).unwrap_or_default();
    text.push('\n');
    crate::output::write_atomic(path, text.as_bytes()).map_err(|e| io_err(path, e))?;
    Ok(())
}

/// The state of one shard in a directory.
#[derive(Clone, Debug)]
pub struct ShardState {
    /// The directory.
    pub dir: PathBuf,
    /// The sweep's identity.
    pub id: String,
    /// The sweep's name.
    pub name: String,
    /// Shard index and count.
    pub shard: (u64, u64),
    /// Runs in the journal's intact blocks.
    pub done: u64,
    /// Runs in the shard.
    pub runs: u64,
    /// Damage to the journal's committed data (which line, what is safe to do): refused by
    /// resume and merge.
    pub damage: Option<String>,
    /// A torn end of the journal (as a kill leaves it), which the shard's sweep command drops
    /// and redoes.
    pub tail: Option<String>,
    /// The shard file's contents.
    json: Value,
}

/// The shards found in `dir` (a finished unsharded sweep has none: see `manifest.json`).
pub fn shards_in(dir: &Path) -> Result<Vec<ShardState>, SweepError> {
    let entries = fs::read_dir(dir).map_err(|e| io_err(dir, e))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("shard-") && n.ends_with(".json"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for n in names {
        let path = dir.join(&n);
        let json = read_json(&path)?;
        let get = |k: &str| json.get(k).and_then(Value::as_u64);
        let (Some(index), Some(count), Some(runs)) =
            (get("shard"), get("shards"), get("shard_runs"))
        else {
            return Err(SweepError::Shard(format!(
                "{}: not an orgsim shard file (it lacks `shard`, `shards` or `shard_runs`)",
                path.display()
            )));
        };
        // A shard file is input too: its numbers size what status and merge allocate.
        if index >= count || count > limits::TASKS || n != format!("shard-{index}-of-{count}.json")
        {
            return Err(SweepError::Shard(format!(
                "{}: says shard {index} of {count}; a shard file is shard-I-of-N.json with I below N and N at most {} (was it edited?)",
                path.display(),
                limits::TASKS
            )));
        }
        let id = json
            .get("sweep_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let journal = journal_file(dir, index, count);
        let expect = Expect {
            id: &id,
            shard: (index, count),
            widths: None,
        };
        let scan = super::journal::scan(&journal, &expect)?;
        let (done, damage, tail) = match &scan {
            None => (0, None, None),
            Some(scan) => (scan.done, scan.changed(), scan.torn()),
        };
        out.push(ShardState {
            dir: dir.to_path_buf(),
            name: json
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            id,
            shard: (index, count),
            done,
            runs,
            damage: damage.map(|d| format!("{}: {d}", journal.display())),
            tail: tail.map(|t| format!("{}: {t}", journal.display())),
            json,
        });
    }
    Ok(out)
}

/// The shards of `count` not among `present`, as ranges ("0, 3 to 9, 12", so a million
/// missing shards print as one line), with how many there are. No list of all `count`
/// shards is built.
pub fn missing_shards(present: &[u64], count: u64) -> (u64, String) {
    let mut p: Vec<u64> = present.iter().copied().filter(|&x| x < count).collect();
    p.sort_unstable();
    p.dedup();
    let mut gaps: Vec<(u64, u64)> = Vec::new();
    let mut next = 0;
    for x in p.into_iter().chain(std::iter::once(count)) {
        if x > next {
            gaps.push((next, x - 1));
        }
        next = x + 1;
    }
    let n = gaps.iter().map(|(a, b)| b - a + 1).sum();
    let text = gaps
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a} to {b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    (n, text)
}

/// Joins the shards in `dirs` into the final files in `out`, refusing missing, duplicated,
/// unfinished or foreign shards.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<u64, SweepError> {
    let _lock = lock_dir(out)?;
    crate::output::remove_stale_partials(out);
    let mut shards = Vec::new();
    for d in dirs {
        let found = shards_in(d)?;
        if found.is_empty() {
            return Err(SweepError::Shard(format!(
                "{} holds no shard of a sweep (no shard-I-of-N.json)",
                d.display()
            )));
        }
        shards.extend(found);
    }
    let first = shards[0].clone();
    let count = first.shard.1;
    for s in &shards {
        if s.id != first.id {
            return Err(SweepError::Shard(format!(
                "{} holds shard {} of sweep `{}` ({}), but {} holds sweep `{}` ({}): shards of different sweep files (or orgsim versions) cannot be merged",
                s.dir.display(),
                s.shard.0,
                s.name,
                s.id,
                first.dir.display(),
                first.name,
                first.id
            )));
        }
        if s.shard.1 != count {
            return Err(SweepError::Shard(format!(
                "{} holds shard {} of {}, but {} holds shards of {}",
                s.dir.display(),
                s.shard.0,
                s.shard.1,
                first.dir.display(),
                count
            )));
        }
        if let Some(damage) = &s.damage {
            return Err(SweepError::Shard(format!(
                "shard {} of {count} in {} cannot be merged: {damage}",
                s.shard.0,
                s.dir.display(),
            )));
        }
        if s.done < s.runs || s.tail.is_some() {
            return Err(SweepError::Shard(format!(
                "shard {} of {} in {} is unfinished: {} of {} runs intact{}; rerun its command to finish it",
                s.shard.0,
                count,
                s.dir.display(),
                s.done,
                s.runs,
                s.tail
                    .as_ref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default()
            )));
        }
    }
    let mut by_index: Vec<Option<&ShardState>> = vec![None; count as usize];
    for s in &shards {
        let slot = &mut by_index[s.shard.0 as usize];
        if let Some(other) = slot {
            return Err(SweepError::Shard(format!(
                "shard {} of {count} is given twice: in {} and {}",
                s.shard.0,
                other.dir.display(),
                s.dir.display()
            )));
        }
        *slot = Some(s);
    }
    let present: Vec<u64> = shards.iter().map(|s| s.shard.0).collect();
    let (n_missing, missing) = missing_shards(&present, count);
    if n_missing > 0 {
        return Err(SweepError::Shard(format!(
            "shard{} {missing} of {count} missing; `orgsim status DIR...` lists what each directory holds",
            if n_missing == 1 { "" } else { "s" },
        )));
    }
    if out.join("manifest.json").exists() {
        return Err(SweepError::Foreign {
            dir: out.to_path_buf(),
            what: "finished sweep results already (choose another --out)".into(),
        });
    }
    let canonical = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if dirs.iter().any(|d| canonical(d) == canonical(out)) {
        return Err(SweepError::Shard(format!(
            "--out {} is one of the shard directories; merge into a new directory",
            out.display()
        )));
    }
    // The sweep's design, re-expanded from the shard file: identical to the original.
    let sweep: super::spec::SweepFile = serde_json::from_value(
        first.json.get("sweep").cloned().unwrap_or(Value::Null),
    )
    .map_err(|e| SweepError::Shard(format!("shard file of {}: {e}", first.dir.display())))?;
    let design = super::spec::expand_from_base(
        sweep,
        first.name.clone(),
        first.json.get("base").cloned().unwrap_or(Value::Null),
    )?;
    if sweep_id(&design) != first.id {
        return Err(SweepError::Shard(
            "the shards were written by another orgsim version; merge them with that version"
                .into(),
        ));
    }
    let total = design.total_runs();
    for s in &shards {
        let runs = total.saturating_sub(s.shard.0).div_ceil(count);
        if s.runs != runs {
            return Err(SweepError::Shard(format!(
                "{}: says shard {} of {count} has {} runs, but it has {runs} (was it edited?)",
                shard_file(&s.dir, s.shard.0, count).display(),
                s.shard.0,
                s.runs
            )));
        }
    }
    let dirs: Vec<PathBuf> = by_index
        .iter()
        .map(|s| s.map(|s| s.dir.clone()).unwrap_or_default())
        .collect();
    fs::create_dir_all(out).map_err(|e| io_err(out, e))?;
    finalize(design_meta(&design, &first.id), &dirs, out)?;
    Ok(design.total_runs())
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Writes `runs.csv`, `points.csv`, `series.csv` (when metrics are kept), `design.csv` (for
/// sampled designs) and `manifest.json` from the journals of `dirs` (shard i in `dirs[i]`),
/// then removes the journals and shard files of `out`.
fn finalize(meta: SweepMeta, dirs: &[PathBuf], out: &Path) -> Result<(), SweepError> {
    let count = dirs.len() as u64;
    let mut readers: Vec<JournalReader> = dirs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            JournalReader::open(
                &journal_file(d, i as u64, count),
                &meta.id,
                (i as u64, count),
            )
        })
        .collect::<Result<_, _>>()?;
    let runs_path = out.join("runs.csv");
    let points_path = out.join("points.csv");
    let series_path = out.join("series.csv");
    let create = |p: &Path| AtomicFile::create(p).map_err(|e| io_err(p, e));
    let mut runs = BufWriter::new(create(&runs_path)?);
    let mut points = BufWriter::new(create(&points_path)?);
    let mut series = if meta.kept.is_empty() {
        None
    } else {
        Some(BufWriter::new(create(&series_path)?))
    };
    let axes = meta.paths.join(",");
    let w = |e: std::io::Error| io_err(out, e);
    writeln!(
        runs,
        "point,{axes},replicate,seed,{}",
        meta.outcomes.join(",")
    )
    .map_err(w)?;
    writeln!(points, "point,{axes},outcome,n,mean,sd,ci_low,ci_high").map_err(w)?;
    if let Some(s) = series.as_mut() {
        let year = if meta.steps_per_year.is_some() {
            "year,"
        } else {
            ""
        };
        writeln!(s, "point,replicate,step,{year}metric,value").map_err(w)?;
    }
    let n_out = meta.outcomes.len();
    let total = meta.points.len() as u64 * meta.replicates;
    // Per outcome, running (n, mean, sum of squared deviations): memory does not grow with
    // the replicates of a point (Welford's update).
    let mut per_point: Vec<(u64, f64, f64)> = vec![(0, 0.0, 0.0); n_out];
    for g in 0..total {
        let reader = &mut readers[(g % count) as usize];
        let Some((r, s_lines)) = reader.next_run()? else {
            return Err(SweepError::Shard(format!(
                "{}: run {g} is missing; the journal is incomplete",
                reader.path().display()
            )));
        };
        let fields: Vec<&str> = r.split(',').collect();
        if fields.len() != 3 + n_out || fields[1].parse::<u64>().ok() != Some(g) {
            return Err(SweepError::Shard(format!(
                "{}: expected run {g}, found `{r}`",
                reader.path().display()
            )));
        }
        let (point, rep) = (g / meta.replicates, g % meta.replicates);
        let values: Vec<String> = meta.points[point as usize].iter().map(value_text).collect();
        writeln!(
            runs,
            "{point},{},{rep},{},{}",
            values.join(","),
            fields[2],
            fields[3..].join(",")
        )
        .map_err(w)?;
        for (k, f) in fields[3..].iter().enumerate() {
            if let Ok(v) = f.parse::<f64>() {
                let (n, mean, m2) = &mut per_point[k];
                *n += 1;
                let d = v - *mean;
                *mean += d / *n as f64;
                *m2 += d * (v - *mean);
            }
        }
        if let Some(s) = series.as_mut() {
            for line in &s_lines {
                let parts: Vec<&str> = line.split(',').collect();
                let step: u64 = parts.get(2).and_then(|p| p.parse().ok()).unwrap_or(0);
                let year = meta
                    .steps_per_year
                    .map(|spy| format!("{},", fmt_num(step as f64 / spy)))
                    .unwrap_or_default();
                for (m, v) in meta.kept.iter().zip(parts.iter().skip(3)) {
                    writeln!(s, "{point},{rep},{step},{year}{m},{v}").map_err(w)?;
                }
            }
        }
        if rep + 1 == meta.replicates {
            for (k, name) in meta.outcomes.iter().enumerate() {
                let (n, mean, m2) = std::mem::replace(&mut per_point[k], (0, 0.0, 0.0));
                let labels = values.join(",");
                if n == 0 {
                    writeln!(points, "{point},{labels},{name},0,,,,")
                } else {
                    let sd = (n > 1).then(|| (m2 / (n - 1) as f64).sqrt());
                    let half = sd.map(|sd| t_quantile_975(n - 1) * sd / (n as f64).sqrt());
                    writeln!(
                        points,
                        "{point},{labels},{name},{n},{},{},{},{}",
                        fmt_num(mean),
                        fmt_opt(sd),
                        fmt_opt(half.map(|h| mean - h)),
                        fmt_opt(half.map(|h| mean + h))
                    )
                }
                .map_err(w)?;
            }
        }
    }
    for reader in &mut readers {
        if let Some((r, _)) = reader.next_run()? {
            return Err(SweepError::Shard(format!(
                "{}: holds more runs than the sweep has (`{}`); nothing was written",
                reader.path().display(),
                r.chars().take(80).collect::<String>()
            )));
        }
    }
    let mut files = vec!["runs.csv", "points.csv"];
    let commit = |bw: BufWriter<AtomicFile>, p: &Path| -> Result<(), SweepError> {
        bw.into_inner()
            .map_err(|e| io_err(p, e.into_error()))?
            .commit()
            .map_err(|e| io_err(p, e))?;
        Ok(())
    };
    commit(runs, &runs_path)?;
    commit(points, &points_path)?;
    if let Some(s) = series {
        commit(s, &series_path)?;
        files.push("series.csv");
    }
    if let Some(unit) = &meta.unit {
        let path = out.join("design.csv");
        let mut text = format!(
            "point,{}\n",
            meta.paths
                .iter()
                .map(|p| format!("unit:{p}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        for (i, row) in unit.iter().enumerate() {
            let cells: Vec<String> = row.iter().map(|&u| fmt_num(u)).collect();
            text.push_str(&format!("{i},{}\n", cells.join(",")));
        }
        crate::output::write_atomic(&path, text.as_bytes()).map_err(|e| io_err(&path, e))?;
        files.push("design.csv");
    }
    files.push("manifest.json");
    let sweep = &meta.sweep;
    let manifest = json!({
        "orgsim_version": env!("CARGO_PKG_VERSION"),
        "kind": "sweep",
        "sweep_id": meta.id,
        "name": meta.name,
        "design": sweep.get("design").cloned().unwrap_or(Value::Null),
        "axes": meta.paths,
        "points": meta.points.len(),
        "replicates": meta.replicates,
        "total_runs": total,
        "outcomes": meta.outcomes,
        "kept_metrics": meta.kept,
        "columns": meta.columns,
        "files": files,
        "seed_derivation": "run (point p, replicate r) is seeded with orgsim::rng::replicate_seed(seed, r) for common seeds, replicate_seed(seed, p * replicates + r) for independent ones; the seed is in runs.csv",
        "sweep": meta.sweep,
        "base": meta.base,
    });
    write_json(&out.join("manifest.json"), &manifest)?;
    // The journals of this directory are now in the final files.
    for i in 0..count {
        if dirs.get(i as usize).map(PathBuf::as_path) == Some(out) {
            let _ = fs::remove_file(journal_file(out, i, count));
            let _ = fs::remove_file(shard_file(out, i, count));
        }
    }
    Ok(())
}
