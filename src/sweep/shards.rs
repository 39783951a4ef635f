//! The shards of a sweep: what each directory holds (`status`), and joining finished shards
//! into the final files (`merge`), refusing missing, duplicated, unfinished, damaged or
//! foreign shards.

use std::fs;
use std::path::{Path, PathBuf};

use super::SweepError;
use super::exec::{io_err, lock_dir, sweep_id};
use super::files::shard::{self, ShardFile};
use super::finalize::{design_meta, finalize};
use super::journal::{Expect, journal_file};
use super::spec::limits;

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
    /// The shard file.
    file: ShardFile,
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
        let file = shard::read(&path)?;
        let (Some(index), Some(count), Some(runs)) = (file.shard, file.shards, file.shard_runs)
        else {
            return Err(SweepError::Shard(format!(
                "{}: not an orgsim shard file (it lacks `shard`, `shards` or `shard_runs`)",
                path.display()
            )));
        };
        // A shard file is input too: its numbers size what status and merge allocate.
        if index >= count || count > limits::TASKS || n != shard::name(index, count) {
            return Err(SweepError::Shard(format!(
                "{}: says shard {index} of {count}; a shard file is shard-I-of-N.json with I below N and N at most {} (was it edited?)",
                path.display(),
                limits::TASKS
            )));
        }
        let id = file.sweep_id.clone();
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
            name: file.name.clone(),
            id,
            shard: (index, count),
            done,
            runs,
            damage: damage.map(|d| format!("{}: {d}", journal.display())),
            tail: tail.map(|t| format!("{}: {t}", journal.display())),
            file,
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
    let sweep = first
        .file
        .sweep_file()
        .map_err(|e| SweepError::Shard(format!("shard file of {}: {e}", first.dir.display())))?;
    let design = super::spec::expand_from_base(
        sweep,
        first.name.clone(),
        first.file.base.clone(),
        first.file.reference.clone(),
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
                shard::path(&s.dir, s.shard.0, count).display(),
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
