//! `manifest.json`: everything needed to rerun an invocation exactly, and the run's id and
//! file checksums that tie its files together.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{DirError, io_at};
use super::read::{from_json, json_text, read_json};
use super::{FileCheck, FileError, write_atomic};
use crate::model::{Column, Kind, Outputs};

/// What was run, how, and when. Read back leniently where a field is missing (it takes its
/// default: manifests of earlier versions, or written by hand for a test), strictly where a
/// field has the wrong type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// `None` in manifests written before orgsim declared its columns there.
    pub columns: Option<ColumnsSection>,
}

impl Manifest {
    /// The text of `manifest.json`.
    pub fn to_json(&self) -> String {
        json_text(self)
    }

    /// Reads the run manifest at `path`: an error names the JSON path of a value of the
    /// wrong type, and a manifest without its `scenarios` list (a sweep's) is refused.
    pub fn read(path: &Path) -> Result<Manifest, FileError> {
        let value = read_json(path)?;
        if !value.get("scenarios").is_some_and(Value::is_array) {
            return Err(FileError::new(
                path,
                "no `scenarios` list: is this a directory written by `orgsim run`?",
            ));
        }
        from_json(path, value)
    }

    /// What the charts need of each scenario, in run order.
    pub fn scenario_views(&self) -> Result<Vec<ScenarioView>, String> {
        self.scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let view: ScenarioView = serde_path_to_error::deserialize(s)
                    .map_err(|e| format!("scenarios[{i}].{}: {}", e.path(), e.inner()))?;
                if view.name.is_none() {
                    return Err(format!("scenarios[{i}] has no name"));
                }
                Ok(view)
            })
            .collect()
    }
}

/// The `columns` section of a run's or a sweep's `manifest.json`: each output column as its
/// model declares it ([`crate::model::Column`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnsSection {
    /// The per-step columns, in order.
    pub series: Vec<DeclaredColumn>,
    /// The run-level outcomes, in order.
    pub outcomes: Vec<DeclaredColumn>,
}

impl From<&Outputs> for ColumnsSection {
    fn from(outputs: &Outputs) -> ColumnsSection {
        ColumnsSection {
            series: outputs.series.iter().map(DeclaredColumn::from).collect(),
            outcomes: outputs.outcomes.iter().map(DeclaredColumn::from).collect(),
        }
    }
}

/// One declared column as `manifest.json` records it (and as the charts read it back). A
/// missing field reads as empty (hand-written manifests); one of the wrong type is an error.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeclaredColumn {
    /// The column's name in the files.
    pub name: String,
    /// A short title.
    pub title: String,
    /// The unit, short; empty where the title says it.
    pub unit: String,
    /// The value axis's label.
    pub axis: String,
    /// `count`, `real`, `share` or `label`.
    pub kind: String,
    /// The smallest and largest possible values, where bounded.
    pub range: (Option<f64>, Option<f64>),
    /// How replicates are combined.
    pub aggregate: String,
    /// The definition.
    pub description: String,
    /// For an outcome, what its mean across runs is; empty (and not written) for a
    /// per-step column.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mean_title: String,
    /// A categorical column's labels, as in the files (not written for other kinds).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Those labels as a reader sees them, in the same order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub label_titles: Vec<String>,
}

impl From<&Column> for DeclaredColumn {
    fn from(c: &Column) -> DeclaredColumn {
        let (labels, titles): (&[&str], &[&str]) = match c.kind {
            Kind::Label { labels, titles } => (labels, titles),
            _ => (&[], &[]),
        };
        let strings = |s: &[&str]| s.iter().map(|s| s.to_string()).collect();
        DeclaredColumn {
            name: c.name.into(),
            title: c.title.into(),
            unit: c.unit.into(),
            axis: c.axis.into(),
            kind: c.kind.name().into(),
            range: c.range,
            aggregate: c.aggregate().into(),
            description: c.description.into(),
            mean_title: c.mean_title.into(),
            labels: strings(labels),
            label_titles: strings(titles),
        }
    }
}

/// A scenario of the manifest as a chart sees it (the resolved scenario holds much more).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ScenarioView {
    /// The scenario's name.
    pub name: Option<String>,
    /// Its display title, if it has one.
    pub title: Option<String>,
    /// Its model (`lifecycle` when missing).
    pub model: Option<String>,
    /// The run's length in years (models with calendar time).
    pub years: Option<f64>,
    /// Its replicates.
    pub replicates: Option<u64>,
    /// Its interventions.
    pub interventions: Vec<InterventionView>,
}

/// An intervention of a manifest's scenario, as a chart marks it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct InterventionView {
    /// Its kind.
    pub kind: Option<String>,
    /// Whether it is switched on (`None`: on).
    pub enabled: Option<bool>,
    /// Its start, in years.
    pub start_year: Option<f64>,
    /// Its end, in years.
    pub end_year: Option<f64>,
    /// Its recurrence, in years.
    pub every_years: Option<f64>,
}

/// What `manifest.json` says a directory holds, read leniently (an unreadable manifest is
/// `None`): whether it is a sweep's, and the files it lists.
pub fn probe(path: &Path) -> Option<(bool, Vec<String>)> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        kind: Option<Value>,
        #[serde(default)]
        sweep_id: Option<Value>,
        #[serde(default)]
        files: Option<Vec<Value>>,
    }
    let p: Probe = serde_json::from_value(read_json(path).ok()?).ok()?;
    let sweep = p.kind.as_ref().and_then(Value::as_str) == Some("sweep") || p.sweep_id.is_some();
    let files = p
        .files
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect();
    Some((sweep, files))
}

/// Rewrites the run manifest of `dir` with `change` applied to its `files` list and
/// `checksums` map. Edited as JSON, not through [`Manifest`], so that every other field
/// stays as it was written, in its place (a manifest of another version included).
fn update_manifest(
    dir: &Path,
    change: impl FnOnce(&mut Vec<Value>, &mut serde_json::Map<String, Value>),
) -> Result<(), DirError> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(io_at(&path))?;
    let mut manifest: Value = serde_json::from_str(&text).map_err(|e| DirError::Mixed {
        dir: dir.to_path_buf(),
        message: format!("manifest.json is not valid JSON ({e})"),
    })?;
    let obj = manifest.as_object_mut().ok_or_else(|| DirError::Mixed {
        dir: dir.to_path_buf(),
        message: "manifest.json is not a JSON object".into(),
    })?;
    // Taken and put back in place (removing would reorder the manifest's fields).
    let mut files = match obj.get_mut("files").map(Value::take) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    let mut checks = match obj.get_mut("checksums").map(Value::take) {
        Some(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    change(&mut files, &mut checks);
    obj.insert("files".into(), Value::Array(files));
    obj.insert("checksums".into(), Value::Object(checks));
    write_atomic(&path, json_text(&manifest).as_bytes()).map_err(io_at(&path))?;
    Ok(())
}

/// Lists `names` among the run's files before they are written (their old checks, if any,
/// dropped), so a process killed while writing them leaves no file the manifest does not list.
pub fn list_files(dir: &Path, names: &[String]) -> Result<(), DirError> {
    update_manifest(dir, |files, checks| {
        for n in names {
            if !files.iter().any(|f| f.as_str() == Some(n)) {
                files.push(Value::String(n.clone()));
            }
            checks.remove(n);
        }
    })
}

/// Records the checks of files just written (already listed with [`list_files`]).
pub fn record_checks(dir: &Path, written: &[(String, FileCheck)]) -> Result<(), DirError> {
    update_manifest(dir, |_, checks| {
        for (n, c) in written {
            checks.insert(
                n.clone(),
                serde_json::to_value(c).expect("a check serializes"),
            );
        }
    })
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
    fn declared_columns_read_back_as_written() {
        let outputs = crate::scenario::load("baseline", &[])
            .unwrap()
            .scenario
            .build_model()
            .outputs();
        let manifest = Manifest {
            scenarios: Vec::new(),
            columns: Some(ColumnsSection::from(&outputs)),
            ..Manifest::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.json");
        std::fs::write(&path, manifest.to_json()).unwrap();
        let read = Manifest::read(&path).unwrap();
        assert_eq!(read, manifest);
        let columns = read.columns.unwrap();
        let phase = columns.series.iter().find(|c| c.name == "phase").unwrap();
        assert_eq!(
            (phase.kind.as_str(), phase.labels[2].as_str()),
            ("label", "dual")
        );
        assert!(columns.outcomes.iter().all(|c| !c.mean_title.is_empty()));
        // A per-step column writes no `mean_title` or `labels`; a value of the wrong type is
        // refused with its JSON path; a manifest without the section reads as `None`.
        let text = manifest.to_json();
        let headcount = &text[text.find("\"name\": \"headcount\"").unwrap()..];
        let headcount = &headcount[..headcount.find('}').unwrap()];
        assert!(!headcount.contains("mean_title") && !headcount.contains("labels"));
        std::fs::write(
            &path,
            text.replacen("\"title\": \"Headcount\"", "\"title\": 5", 1),
        )
        .unwrap();
        let e = Manifest::read(&path).unwrap_err().to_string();
        assert!(e.contains("`columns.series[0].title`"), "{e}");
        std::fs::write(&path, r#"{"scenarios": []}"#).unwrap();
        assert_eq!(Manifest::read(&path).unwrap().columns, None);
    }

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_timestamp(1_795_363_199), "2026-11-22T15:59:59Z");
    }
}
