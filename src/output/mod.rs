//! The files a run writes: `timeseries.csv`, `runs.csv`, `bands.csv`, `summary.json` and
//! `manifest.json`, each written to a temporary file and renamed into place when complete.

mod atomic;
mod bands;
mod comparison;
mod csv;
mod manifest;
mod summary;

pub use atomic::{AtomicFile, write_atomic};
pub use bands::BandStore;
pub use comparison::{Comparison, comparison_csv, comparison_header, comparison_json};
pub use csv::{fmt_count, fmt_num, fmt_opt};
pub use manifest::{Manifest, utc_timestamp};
pub use summary::{OutcomeSummary, ScenarioSummary, summary_json};

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
