//! A shard's identity file, `shard-I-of-N.json`: written once when the shard starts, checked
//! on every resume, and read by `status` and `merge`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::output::{FileError, from_json, json_text, read_json};
use crate::sweep::SweepFile;

/// The shard file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShardFile {
    /// orgsim's version.
    pub orgsim_version: String,
    /// The sweep's identity.
    pub sweep_id: String,
    /// The sweep's name.
    pub name: String,
    /// This shard's index.
    pub shard: Option<u64>,
    /// The number of shards.
    pub shards: Option<u64>,
    /// Runs in the whole sweep.
    pub total_runs: u64,
    /// Runs in this shard.
    pub shard_runs: Option<u64>,
    /// The sweep file, as read.
    pub sweep: Value,
    /// The base scenario, resolved.
    pub base: Value,
    /// A named reference scenario, resolved (absent without one, or for
    /// `base-without-interventions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<Value>,
}

/// The path of shard `index` of `count`'s file in `dir`.
pub fn path(dir: &Path, index: u64, count: u64) -> PathBuf {
    dir.join(name(index, count))
}

/// The file name of shard `index` of `count`.
pub fn name(index: u64, count: u64) -> String {
    format!("shard-{index}-of-{count}.json")
}

impl ShardFile {
    /// The file's text.
    pub fn to_json(&self) -> String {
        json_text(self)
    }

    /// The sweep file it records, as the sweep read it (`merge` expands its design again).
    pub fn sweep_file(&self) -> Result<SweepFile, serde_json::Error> {
        serde_json::from_value(self.sweep.clone())
    }
}

/// Reads the shard file at `path`.
pub fn read(path: &Path) -> Result<ShardFile, FileError> {
    let value = read_json(path)?;
    from_json(path, value)
}
