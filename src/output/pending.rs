//! What an orgsim process would leave behind if it had to exit at once (a second Ctrl-C):
//! the staging directories of runs not yet committed and the lock files of the directories it
//! holds. [`remove_pending`] removes them; replacing a directory holds the same mutex, so an
//! exit never lands between the two halves of a swap.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

/// Something to remove before an immediate exit.
#[derive(Clone, Debug)]
pub(crate) enum Pending {
    /// A directory tree (an uncommitted staging directory).
    Tree(PathBuf),
    /// A held lock file, and the directory that holds it if the lock created it.
    Lock {
        file: PathBuf,
        created_dir: Option<PathBuf>,
    },
}

static PENDING: Mutex<Vec<(u64, Pending)>> = Mutex::new(Vec::new());
static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The registry, locked (a panic elsewhere does not stop the clean-up).
pub(crate) fn registry() -> MutexGuard<'static, Vec<(u64, Pending)>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Registers `p`; the returned key unregisters it.
pub(crate) fn register(p: Pending) -> u64 {
    let key = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    registry().push((key, p));
    key
}

/// Forgets the entry `key`, in a registry already locked.
pub(crate) fn forget(list: &mut Vec<(u64, Pending)>, key: u64) {
    list.retain(|(k, _)| *k != key);
}

/// Removes every uncommitted staging directory and held lock file of this process, and
/// blocks any later replacement: for a process about to exit at once (a second Ctrl-C or
/// SIGTERM). A replacement under way finishes first, so the output directory is always either
/// the previous run or the new one.
pub fn remove_pending() {
    let list = registry();
    for (_, p) in list.iter() {
        match p {
            Pending::Tree(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Pending::Lock { file, created_dir } => {
                let _ = std::fs::remove_file(file);
                if let Some(dir) = created_dir {
                    let _ = std::fs::remove_dir(dir);
                }
            }
        }
    }
    // Held until the process exits: nothing may start a replacement now.
    std::mem::forget(list);
}
