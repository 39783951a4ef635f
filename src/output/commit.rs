//! A run's output directory is always exactly one run's output: the run writes everything,
//! charts included, into a fresh directory beside it, then swaps the two in one step (an
//! atomic exchange of the directories on Linux and macOS) and removes the old one. A run
//! killed at any moment leaves either the previous run or the new one, never a mix, and files
//! of an earlier run that this one does not write (a comparison, a chart) go with it.
//!
//! A directory holding files that no orgsim run wrote is refused, not replaced.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::{DirError, io_at};
use super::lock::{DirLock, LOCK_FILE};
use super::pending::{self, Pending};
use super::{COMPARISON_FILE, FILES};

/// The prefix of the temporary files of an [`super::AtomicFile`].
pub const PARTIAL_PREFIX: &str = ".orgsim-partial-";

/// A fresh directory beside a run's output directory, into which the run writes; it
/// replaces the output directory as a whole when committed, and is removed if dropped
/// uncommitted (cancelled, failed).
#[derive(Debug)]
pub struct Staging {
    path: PathBuf,
    /// The output directory, resolved (symbolic links followed).
    target: PathBuf,
    /// The output directory as given, for messages.
    given: PathBuf,
    run_id: String,
    /// The staging directory's own lock: once swapped in, it keeps the output directory
    /// locked until the run ends.
    lock: Option<DirLock>,
    key: u64,
    committed: bool,
}

impl Staging {
    /// Prepares to replace the directory `dir_lock` holds with run `run_id`'s output:
    /// refuses a directory that cannot be replaced as a whole or that holds files no run
    /// wrote, removes what killed runs left beside it, and creates the staging directory.
    pub fn new(dir_lock: &DirLock, run_id: &str) -> Result<Staging, DirError> {
        let given = dir_lock.dir().to_path_buf();
        let target = fs::canonicalize(&given).map_err(io_at(&given))?;
        let unsuitable = |message: String| DirError::Unsuitable {
            dir: given.clone(),
            message,
        };
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(unsuitable(
                "a run replaces its directory as a whole, which cannot be done to the root directory: give a subdirectory".into(),
            ));
        };
        let name = name.to_string_lossy().into_owned();
        if let Ok(cwd) = std::env::current_dir().and_then(fs::canonicalize)
            && cwd.starts_with(&target)
        {
            return Err(unsuitable(
                    "is the current directory or contains it; a run replaces its directory as a whole: give a subdirectory, for example --out results".into(),
                ));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let dev = |p: &Path| fs::metadata(p).map(|m| m.dev()).map_err(io_at(p));
            if dev(&target)? != dev(parent)? {
                return Err(unsuitable(format!(
                    "is a mount point, which a run cannot replace as a whole: give a directory inside it, for example --out {}",
                    given.join("run").display()
                )));
            }
        }
        remove_stale_siblings(&given, &target, parent, &name)?;
        check_replaceable(&given, &target)?;
        let path = parent.join(format!(".{name}.orgsim-new-{run_id}"));
        fs::create_dir(&path).map_err(io_at(&path))?;
        let key = pending::register(Pending::Tree(path.clone()));
        // The new directory keeps the permissions of the one it replaces.
        if let Ok(m) = fs::metadata(&target) {
            let _ = fs::set_permissions(&path, m.permissions());
        }
        let lock = match DirLock::acquire(&path, false) {
            Ok(l) => l,
            Err(e) => {
                let _ = fs::remove_dir_all(&path);
                pending::forget(&mut pending::registry(), key);
                return Err(e);
            }
        };
        Ok(Staging {
            path,
            target,
            given,
            run_id: run_id.to_string(),
            lock: Some(lock),
            key,
            committed: false,
        })
    }

    /// Where the run writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Replaces the output directory with the staging directory, in one step where the
    /// system can exchange two directories, and removes the previous output.
    pub fn commit(mut self, dir_lock: &mut DirLock) -> Result<(), DirError> {
        // Files may have appeared since the run started.
        check_replaceable(&self.given, &self.target)?;
        sync_dir(&self.path);
        let parent = self.target.parent().unwrap_or(Path::new("."));
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Held through the swap: an immediate exit (second Ctrl-C) waits for it to finish.
        let mut list = pending::registry();
        let old = if exchange(&self.path, &self.target).map_err(io_at(&self.target))? {
            // The staging path now holds the previous output.
            self.path.clone()
        } else {
            // No atomic exchange here: two renames. A kill between them is reported by the
            // next run (see `remove_stale_siblings`).
            let old = parent.join(format!(".{name}.orgsim-old-{}", self.run_id));
            fs::rename(&self.target, &old).map_err(io_at(&self.target))?;
            if let Err(e) = fs::rename(&self.path, &self.target) {
                let _ = fs::rename(&old, &self.target);
                return Err(io_at(&self.target)(e));
            }
            old
        };
        self.committed = true;
        for (k, p) in list.iter_mut() {
            if *k == self.key {
                *p = Pending::Tree(old.clone());
            }
        }
        drop(list);
        // Each lock again holds the file its path leads to; the previous output's lock file
        // goes with the staging lock.
        if let Some(mut staged) = self.lock.take() {
            dir_lock.swap_files(&mut staged);
        }
        sync_dir(parent);
        let _ = fs::remove_dir_all(&old);
        pending::forget(&mut pending::registry(), self.key);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            drop(self.lock.take());
            let _ = fs::remove_dir_all(&self.path);
            pending::forget(&mut pending::registry(), self.key);
        }
    }
}

/// Exchanges two directories atomically; `Ok(false)` if the system or file system cannot.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
)))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Makes a directory's entries durable (where the system allows opening a directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes the staging directories that killed runs left beside `target` (those no live
/// process holds). Two renames killed between them (on systems without an atomic exchange)
/// leave the only copies of both runs beside an empty directory: that is reported, not
/// cleaned.
fn remove_stale_siblings(
    given: &Path,
    target: &Path,
    parent: &Path,
    name: &str,
) -> Result<(), DirError> {
    let prefix = format!(".{name}.orgsim-");
    let mut stale: Vec<(String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(parent).map_err(io_at(parent))? {
        let entry = entry.map_err(io_at(parent))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if let Some(rest) = file_name.strip_prefix(&prefix)
            && (rest.starts_with("new-") || rest.starts_with("old-"))
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            stale.push((rest.to_string(), entry.path()));
        }
    }
    if !target.join("manifest.json").exists() {
        for (rest, old) in &stale {
            if let Some(id) = rest.strip_prefix("old-")
                && let Some((_, new)) = stale.iter().find(|(r, _)| r == &format!("new-{id}"))
            {
                return Err(DirError::Interrupted {
                    dir: given.to_path_buf(),
                    new: new.clone(),
                    old: old.clone(),
                });
            }
        }
    }
    for (_, path) in stale {
        // A directory another process still holds is not stale.
        if let Ok(lock) = DirLock::acquire(&path, false) {
            drop(lock);
            let _ = fs::remove_dir_all(&path);
        }
    }
    Ok(())
}

/// Whether `name` is a file `orgsim run` may write (data files and standard charts).
fn is_run_output(name: &str) -> bool {
    if FILES.contains(&name) || name == COMPARISON_FILE {
        return true;
    }
    let stem = name
        .strip_suffix(".png")
        .or_else(|| name.strip_suffix(".svg"));
    stem.is_some_and(|s| crate::chart::CHARTS.contains(&s))
}

/// Refuses to replace `target` unless everything in it is a run's output: the files its
/// manifest lists, files an `orgsim run` writes, lock and temporary files of orgsim.
fn check_replaceable(given: &Path, target: &Path) -> Result<(), DirError> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(target).map_err(io_at(target))? {
        let entry = entry.map_err(io_at(target))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == LOCK_FILE || name.starts_with(PARTIAL_PREFIX) {
            continue;
        }
        let is_dir = entry.file_type().map_err(io_at(&entry.path()))?.is_dir();
        entries.push((name, is_dir));
    }
    if entries.is_empty() {
        return Ok(());
    }
    let manifest = super::manifest::probe(&target.join("manifest.json"));
    let sweep = |n: &str| {
        (n.starts_with("journal-") && n.ends_with(".csv"))
            || (n.starts_with("shard-") && n.ends_with(".json"))
    };
    if manifest.as_ref().is_some_and(|m| m.0) || entries.iter().any(|(n, _)| sweep(n)) {
        return Err(DirError::Sweep {
            dir: given.to_path_buf(),
        });
    }
    let listed: Vec<String> = manifest.map(|m| m.1).unwrap_or_default();
    let mut foreign: Vec<String> = entries
        .into_iter()
        .filter(|(n, is_dir)| {
            *is_dir || !(n == "manifest.json" || is_run_output(n) || listed.contains(n))
        })
        .map(|(n, is_dir)| if is_dir { format!("{n}/") } else { n })
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    if foreign.len() > 5 {
        let more = foreign.len() - 4;
        foreign.truncate(4);
        foreign.push(format!("and {more} more"));
    }
    Err(DirError::Foreign {
        dir: given.to_path_buf(),
        names: foreign,
    })
}

/// Removes the temporary files of [`super::AtomicFile`]s that a killed process left in `dir`.
/// Call it only while holding the directory's lock, so no live process's files are touched.
pub fn remove_stale_partials(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(PARTIAL_PREFIX)
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// A new run's id: 16 hexadecimal digits from the clock, the process id and a counter.
pub fn new_run_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let tag = (u64::from(std::process::id()) << 32) ^ COUNT.fetch_add(1, Ordering::Relaxed);
    let id = crate::rng::mix64(nanos ^ crate::rng::mix64(tag));
    format!("{id:016x}")
}
