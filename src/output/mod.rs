//! The files a run writes: `timeseries.csv`, `runs.csv`, `bands.csv`, `summary.json` and
//! `manifest.json` (with `comparison.csv` and charts), and how output directories are kept
//! whole: a run's files are written into a fresh directory that replaces the output directory
//! as a whole ([`Staging`]), every directory orgsim writes is locked for the life of the
//! command ([`DirLock`]), and the manifest's checksums let readers refuse a mix of runs
//! ([`verify_run`]). Each result file has one module, owning its writer and its strict
//! reader: nothing else formats or parses it.

mod atomic;
mod bands;
mod checks;
mod commit;
mod comparison;
mod error;
mod lock;
mod manifest;
mod pending;
mod read;
pub mod runs;
mod summary;
pub mod timeseries;

pub use crate::numbers::{fmt_count, fmt_num, fmt_opt};
pub use atomic::{AtomicFile, write_atomic};
pub use bands::{BandRecord, BandStore, read_bands};
pub use checks::{CheckedFile, FileCheck, RunFiles, verify_run};
pub use commit::{PARTIAL_PREFIX, Staging, new_run_id, remove_stale_partials};
pub use comparison::{
    Comparison, ComparisonRecord, comparison_csv, comparison_header, comparison_json,
    read_comparison,
};
pub use error::DirError;
pub use lock::{DirLock, LOCK_FILE};
pub use manifest::{
    ColumnsSection, DeclaredColumn, InterventionView, Manifest, ScenarioView, list_files, probe,
    record_checks, utc_timestamp,
};
pub use pending::remove_pending;
pub use read::{CsvRows, FileError, from_json, json_text, read_json};
pub use summary::{OutcomeSummary, ScenarioSummary, SummaryFile, read_summary, summary_json};

/// Written when several scenarios run together.
pub const COMPARISON_FILE: &str = "comparison.csv";

/// Names of the files every run writes, in the order they are listed to the user.
pub const FILES: [&str; 5] = [
    "timeseries.csv",
    "runs.csv",
    "bands.csv",
    "summary.json",
    "manifest.json",
];

/// Appends `scenario,replicate,seed,`: the key that begins every row of `runs.csv` and
/// `timeseries.csv`.
pub(crate) fn push_run_key(out: &mut Vec<u8>, scenario: &str, replicate: u64, seed: u64) {
    out.extend_from_slice(scenario.as_bytes());
    out.push(b',');
    crate::numbers::push_int(out, replicate);
    out.push(b',');
    crate::numbers::push_int(out, seed);
    out.push(b',');
}
