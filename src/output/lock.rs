//! An advisory lock on an output directory, held for the life of the run, sweep, merge or plot
//! that writes there, so two orgsim processes never write into one directory at once.
//!
//! The lock is `DIR/.orgsim-lock`, locked with the operating system's file lock (released when
//! the process ends, however it ends) and holding the holder's pid and command line for the
//! other process's message. The holder removes the file when it is done; a process that locked
//! a file just removed sees that the path no longer leads to it and tries again.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::error::{DirError, io_at};
use super::pending::{self, Pending};

/// The lock file's name in every directory orgsim writes.
pub const LOCK_FILE: &str = ".orgsim-lock";

/// A held lock on a directory; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct DirLock {
    file: File,
    path: PathBuf,
    dir: PathBuf,
    created_dir: bool,
    key: u64,
}

impl DirLock {
    /// Locks `dir`, creating it first if `create` (and refusing a missing one otherwise).
    /// Fails at once, naming the directory, if another process holds it.
    pub fn acquire(dir: &Path, create: bool) -> Result<DirLock, DirError> {
        let mut created_dir = false;
        // A few rounds at most: another holder may remove the file (or the directory it
        // created) between our open and our lock.
        for _ in 0..100 {
            if !dir.is_dir() {
                if dir.exists() {
                    return Err(DirError::Unsuitable {
                        dir: dir.to_path_buf(),
                        message: "exists and is not a directory".into(),
                    });
                }
                if !create {
                    return Err(DirError::Io {
                        path: dir.to_path_buf(),
                        error: std::io::ErrorKind::NotFound.into(),
                    });
                }
                fs::create_dir_all(dir).map_err(io_at(dir))?;
                created_dir = true;
            }
            let path = dir.join(LOCK_FILE);
            let mut file = match OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
            {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_at(&path)(e)),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(DirError::Busy {
                        dir: dir.to_path_buf(),
                        holder: holder(&mut file),
                    });
                }
                Err(TryLockError::Error(e)) => return Err(io_at(&path)(e)),
            }
            if !leads_to(&path, &file) {
                continue;
            }
            // Who holds it, for the message another process prints.
            let args: Vec<String> = std::env::args().collect();
            let text = format!("{}\n{}\n", std::process::id(), args.join(" "));
            let _ = file
                .set_len(0)
                .and_then(|()| file.write_all(text.as_bytes()));
            let key = pending::register(Pending::Lock {
                file: path.clone(),
                created_dir: created_dir.then(|| dir.to_path_buf()),
            });
            return Ok(DirLock {
                file,
                path,
                dir: dir.to_path_buf(),
                created_dir,
                key,
            });
        }
        Err(DirError::Busy {
            dir: dir.to_path_buf(),
            holder: String::new(),
        })
    }

    /// The locked directory, as given.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Exchanges the lock files of two held locks, after their directories were exchanged,
    /// so each lock again holds the file its path leads to.
    pub(crate) fn swap_files(&mut self, other: &mut DirLock) {
        std::mem::swap(&mut self.file, &mut other.file);
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        pending::forget(&mut pending::registry(), self.key);
        // Removed while still locked, so no other process can hold a file about to vanish.
        // (On Windows an open file cannot be removed: the lock file stays.)
        if cfg!(unix) && leads_to(&self.path, &self.file) {
            let _ = fs::remove_file(&self.path);
            if self.created_dir {
                // Only if empty: a cancelled run into a new directory leaves nothing.
                let _ = fs::remove_dir(&self.dir);
            }
        }
    }
}

/// Whether `path` still names the file open as `file`.
fn leads_to(path: &Path, file: &File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(path), file.metadata()) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (path, file);
        true
    }
}

/// " (pid N: command)" from a held lock file, or "" if it says nothing.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.take(4096).read_to_string(&mut text);
    let mut lines = text.lines();
    match (lines.next(), lines.next()) {
        (Some(pid), Some(cmd)) if !pid.is_empty() => {
            let cmd: String = cmd.chars().take(200).collect();
            format!(" (pid {pid}: {cmd})")
        }
        (Some(pid), None) if !pid.is_empty() => format!(" (pid {pid})"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_and_released_with_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = DirLock::acquire(&out, true).unwrap();
        let err = DirLock::acquire(&out, true).unwrap_err().to_string();
        assert!(err.contains("another orgsim process"), "{err}");
        assert!(err.contains(&out.display().to_string()), "{err}");
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(first);
        // The lock file is gone, and so is the directory the lock created (it was empty).
        assert!(!out.exists());
        let again = DirLock::acquire(&out, true).unwrap();
        std::fs::write(out.join("kept"), "x").unwrap();
        drop(again);
        assert_eq!(
            std::fs::read_dir(&out).unwrap().count(),
            1,
            "only the lock file goes"
        );
        assert!(DirLock::acquire(&dir.path().join("missing"), false).is_err());
    }
}
