//! The files a sweep writes, one module each, owning its header, its row writer and its
//! strict reader (see [`crate::output::CsvRows`]): nothing else formats or parses them.
//! Numbers stay `f64` from the journal to these files; only the files hold text.
//!
//! - `runs.csv` ([`runs`]): one row per run;
//! - `points.csv` ([`points`]): per point and outcome, the mean across replicates, sd and 95% CI;
//! - `series.csv` ([`series`]): the kept per-step metrics, long form;
//! - `design.csv` ([`design`]): sampled designs' unit coordinates;
//! - `sensitivity.csv` ([`sensitivity`]): `orgsim analyze`'s estimates, one row per outcome,
//!   parameter and index;
//! - `manifest.json` ([`manifest`]) and each shard's `shard-I-of-N.json` ([`shard`]).
//!
//! The journal, the file runs stream into, is `super::journal`.

pub mod design;
pub mod manifest;
pub mod points;
pub mod runs;
pub mod sensitivity;
pub mod series;
pub mod shard;

use serde_json::Value;

/// An axis value as the CSV files write it: a string as it is, anything else as JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
