//! A finished sweep's `manifest.json`: what was swept, how, and which files hold the results.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::output::{ColumnsSection, FileError, from_json, json_text, read_json};
use crate::sweep::DesignKind;

/// The sweep manifest. Read leniently where a field is missing (it takes its default), but
/// a field of the wrong type is an error naming its JSON path.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SweepManifest {
    /// orgsim's version.
    pub orgsim_version: String,
    /// Always `sweep` (a run's manifest says `run`).
    pub kind: String,
    /// The sweep's identity (its file, base scenario and orgsim version).
    pub sweep_id: String,
    /// The sweep's name.
    pub name: String,
    /// The design.
    pub design: Option<DesignKind>,
    /// The axes' paths, in order.
    pub axes: Vec<String>,
    /// The number of points.
    pub points: u64,
    /// Replicates per point.
    pub replicates: u64,
    /// Runs in the sweep.
    pub total_runs: u64,
    /// The model's outcomes, in order.
    pub outcomes: Vec<String>,
    /// The kept per-step metrics.
    pub kept_metrics: Vec<String>,
    /// The model's column declarations (`None` in manifests written before orgsim declared
    /// its columns there).
    pub columns: Option<ColumnsSection>,
    /// The files written.
    pub files: Vec<String>,
    /// How run seeds derive from the sweep's seed.
    pub seed_derivation: String,
    /// The sweep file, as read.
    pub sweep: Value,
    /// The base scenario, resolved.
    pub base: Value,
    /// The reference every run is paired with (the sweep file's `reference`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The years `[from, to]` over which outcomes are computed, if not the whole run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<Vec<f64>>,
    /// With a reference: what the outcome columns hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcomes_are: Option<String>,
}

impl SweepManifest {
    /// The text of `manifest.json`.
    pub fn to_json(&self) -> String {
        json_text(self)
    }

    /// The sweep file's seed (1 if it has none).
    pub fn seed(&self) -> u64 {
        self.sweep.get("seed").and_then(Value::as_u64).unwrap_or(1)
    }

    /// The sweep file's `outcome`, if it names one.
    pub fn outcome(&self) -> Option<&str> {
        self.sweep.get("outcome").and_then(Value::as_str)
    }
}

/// Reads the `manifest.json` at `path`: `None` if it is not a sweep's (an `orgsim run`'s).
pub fn read(path: &Path) -> Result<Option<SweepManifest>, FileError> {
    let value = read_json(path)?;
    if value.get("kind").and_then(Value::as_str) != Some("sweep") {
        return Ok(None);
    }
    from_json(path, value).map(Some)
}
