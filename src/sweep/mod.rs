//! Parameter sweeps for researchers: a sweep file (base scenario, axes, design, replicates,
//! seeds), runs streamed to an append-only journal so a killed sweep resumes, shards for
//! clusters merged into files byte-identical to an unsharded run, and sensitivity analysis
//! (Sobol indices, Morris elementary effects).

mod analysis;
mod axis;
mod design;
mod estimators;
mod exec;
pub mod files;
mod finalize;
mod journal;
pub mod limits;
mod read;
mod sensitivity;
mod shards;
mod spec;

use std::path::PathBuf;

pub use analysis::{AnalysisReport, analyze};
pub use estimators::{
    Interval, MorrisEffect, SobolIndex, morris_effects, sobol_indices, src_indices,
};
pub use exec::{SweepPlan, SweepReport, run_sweep, sweep_id};
pub use sensitivity::{
    MORRIS_MIN_R, MOSTLY_ZERO_SHARE, REGRESSION_MIN_PER_AXIS, SOBOL_MIN_N, warning,
};
pub use shards::{ShardState, merge, missing_shards, shards_in};
pub use spec::{
    Axis, DEFAULT_MAX_RUNS, Design, DesignKind, Distribution, Keep, Range, SeedMode, SweepFile,
    expand, expand_from_base, read_sweep, sweep_schema,
};

/// Why a sweep could not run, merge or be analysed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The sweep file (or a point's scenario) is wrong.
    #[error("{file}: {message}")]
    Input {
        /// The sweep file.
        file: String,
        /// What is wrong, with its JSON path and value.
        message: String,
    },
    /// The design has more runs than allowed.
    #[error(
        "{file}: the design has {runs} runs (points x replicates), more than the cap of {max}; lower `points` or `replicates`, or pass --max-runs {runs} if you mean it"
    )]
    TooLarge {
        /// The sweep file.
        file: String,
        /// Runs planned.
        runs: u128,
        /// The cap.
        max: u64,
    },
    /// A file could not be read or written.
    #[error("{}: {message}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The output directory holds something else.
    #[error("{} holds {what}; nothing was overwritten", dir.display())]
    Foreign {
        /// The directory.
        dir: PathBuf,
        /// What it holds.
        what: String,
    },
    /// A journal's committed data was changed or damaged.
    #[error("{}: {message}", path.display())]
    Damaged {
        /// The journal.
        path: PathBuf,
        /// Which lines, what is wrong, and what is safe to do.
        message: String,
    },
    /// Sharding or merging is inconsistent.
    #[error("{0}")]
    Shard(String),
    /// The user stopped the sweep; what was committed is kept.
    #[error("stopped after {done} of {total} runs; run the same command again to resume")]
    Cancelled {
        /// Runs committed.
        done: u64,
        /// Runs in the shard.
        total: u64,
    },
    /// The results cannot be analysed as asked.
    #[error("{0}")]
    Analysis(String),
    /// The worker threads could not start.
    #[error(transparent)]
    Threads(#[from] crate::runner::PoolError),
}

impl From<crate::output::FileError> for SweepError {
    fn from(e: crate::output::FileError) -> SweepError {
        SweepError::Io {
            path: e.path,
            message: e.message,
        }
    }
}
