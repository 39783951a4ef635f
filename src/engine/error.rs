//! Why `orgsim run` failed; the output directory is left as it was.

use std::path::{Path, PathBuf};

use crate::chart::ChartError;
use crate::output::DirError;
use crate::runner::{PoolError, RunError};

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

/// Wraps an I/O error with the path it concerns.
pub(super) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> EngineError + '_ {
    move |error| EngineError::Io {
        path: path.to_path_buf(),
        error,
    }
}

impl From<PoolError> for EngineError {
    fn from(e: PoolError) -> EngineError {
        EngineError::Threads {
            threads: e.threads,
            message: e.message,
        }
    }
}

impl From<RunError> for EngineError {
    fn from(e: RunError) -> EngineError {
        match e {
            RunError::Threads(e) => e.into(),
            RunError::Spill(error) => EngineError::Io {
                path: std::env::temp_dir(),
                error,
            },
            RunError::Cancelled => EngineError::Cancelled,
            RunError::MixedModels { first, other } => EngineError::MixedModels { first, other },
            RunError::Empty => EngineError::Empty,
        }
    }
}
