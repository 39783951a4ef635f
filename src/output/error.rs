//! Why an output directory could not be locked, replaced or read as one run's output.

use std::path::PathBuf;

/// What is wrong with an output directory. Nothing in it was changed.
#[derive(Debug, thiserror::Error)]
pub enum DirError {
    /// Reading or writing failed.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// Another orgsim process holds the directory's lock.
    #[error(
        "{}: another orgsim process{holder} holds this directory and writes there until it ends; wait for it to finish, or choose another directory",
        dir.display()
    )]
    Busy {
        /// The directory.
        dir: PathBuf,
        /// Who holds it, as " (pid N: command)", or empty if unknown.
        holder: String,
    },
    /// The directory holds files that no orgsim run wrote.
    #[error(
        "{} holds files that are not part of an orgsim run's output ({}); a run replaces its directory as a whole, so nothing was changed: choose another --out, or move those files away",
        dir.display(),
        names.join(", ")
    )]
    Foreign {
        /// The directory.
        dir: PathBuf,
        /// Some of the files (at most a few).
        names: Vec<String>,
    },
    /// The directory holds a sweep's files.
    #[error(
        "{} holds a sweep's files; a run replaces its directory as a whole, so nothing was changed: choose another --out",
        dir.display()
    )]
    Sweep {
        /// The directory.
        dir: PathBuf,
    },
    /// The directory cannot be replaced as a whole (a mount point, the current directory).
    #[error("{}: {message}", dir.display())]
    Unsuitable {
        /// The directory.
        dir: PathBuf,
        /// Why, and what to do instead.
        message: String,
    },
    /// The files of the directory are not one run's output.
    #[error(
        "{} does not hold one run's output: {message}; run the scenario again to rewrite the directory",
        dir.display()
    )]
    Mixed {
        /// The directory.
        dir: PathBuf,
        /// Which file does not belong, and why.
        message: String,
    },
    /// A replacement by two renames (on systems without an atomic exchange) was killed
    /// between them.
    #[error(
        "an earlier run was killed while replacing {}: its new results are in {} and the previous ones in {}; move the one to keep to {} and delete the other (nothing was changed)",
        dir.display(),
        new.display(),
        old.display(),
        dir.display()
    )]
    Interrupted {
        /// The directory.
        dir: PathBuf,
        /// The new results.
        new: PathBuf,
        /// The previous results.
        old: PathBuf,
    },
}

/// Wraps an I/O error with its path.
pub(crate) fn io_at(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> DirError + '_ {
    move |error| DirError::Io {
        path: path.to_path_buf(),
        error,
    }
}
