//! `manifest.json`: everything needed to rerun an invocation exactly, and the run's id and
//! file checksums that tie its files together.

use std::collections::BTreeMap;

use serde::Serialize;

use super::FileCheck;

/// What was run, how, and when.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    /// orgsim's version.
    pub orgsim_version: String,
    /// Always `run` (a sweep's manifest says `sweep`).
    pub kind: String,
    /// This run's id, unique to the invocation.
    pub run_id: String,
    /// The full command line, program name first.
    pub command_line: Vec<String>,
    /// The invocation's seed, which every scenario's replicates derive from.
    pub seed: u64,
    /// How replicate seeds derive from `seed`.
    pub seed_derivation: String,
    /// Worker threads used (results do not depend on it).
    pub threads: usize,
    /// Start of the run, UTC, ISO 8601.
    pub started_at: String,
    /// Wall-clock duration in seconds.
    pub wall_seconds: f64,
    /// The files written, charts included.
    pub files: Vec<String>,
    /// Each file's size and CRC-32: readers refuse a file that does not match.
    pub checksums: BTreeMap<String, FileCheck>,
    /// The years the run-level outcomes cover, if restricted with `--window`.
    pub window: Option<Vec<f64>>,
    /// The fully resolved scenarios (after `extends` and `--set`), each with only its own
    /// model's sections.
    pub scenarios: Vec<serde_json::Value>,
    /// The model's output columns as it declares them (`series`, then `outcomes`): name,
    /// title, unit, axis label, kind, range, aggregation across replicates and definition.
    pub columns: serde_json::Value,
}

impl Manifest {
    /// The text of `manifest.json`.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest always serializes");
        text.push('\n');
        text
    }
}

/// Formats seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian,
/// Howard Hinnant's `civil_from_days`).
pub fn utc_timestamp(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let secs = unix_seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_timestamp(1_795_363_199), "2026-11-22T15:59:59Z");
    }
}
