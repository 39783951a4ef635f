//! The scenario format: what one scenario file holds, its defaults and its limits.
//!
//! A scenario is read as JSON, merged with the scenario it `extends`, overridden by `--set`
//! (see [`load`]), then deserialized strictly (unknown keys are errors, missing keys take the
//! defaults documented on each field) and checked against each field's limits.

mod bundled;
mod error;
mod json_path;
mod load;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::march1991::{MarchModel, MarchParams};
use crate::model::Simulate;

pub use bundled::{BUNDLED, Bundled, DEFAULT_RUN, find_bundled};
pub use error::{FieldError, ScenarioError, check_probability, check_range};
pub use json_path::{JsonPath, Override};
pub use load::{Loaded, load, load_all};

/// Which model a scenario runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ModelKind {
    /// March (1991): mutual learning between an organizational code and its members.
    #[default]
    #[serde(rename = "march1991")]
    March1991,
}

/// One scenario: a model, its parameters, and how many seeded replicates to run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "orgsim scenario")]
pub struct Scenario {
    /// Another scenario this one builds on: a path relative to this file, or the name of a
    /// bundled scenario (see `orgsim scenarios`). Keys given here override the inherited ones;
    /// objects merge key by key, anything else (numbers, strings, lists) is replaced whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// The model to run. Default: "march1991".
    #[serde(default)]
    pub model: ModelKind,
    /// The scenario's name in output files and tables: letters, digits, '-', '_', '.', '/'.
    /// Default: the file name without `.json`.
    #[serde(default)]
    pub name: String,
    /// One line saying what the scenario shows.
    #[serde(default)]
    pub description: String,
    /// Seed of the random numbers. Replicate r's seed is derived from it and r; when several
    /// scenarios run together, the first one's seed (or `--seed`) drives them all, so replicate
    /// r of each scenario shares its seed. Default: 1.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Number of replicates (independent seeded runs). Integer from 1 to 10,000,000.
    /// Default: 100.
    #[serde(default = "default_replicates")]
    pub replicates: u32,
    /// Parameters of the March (1991) model (used when `model` is "march1991").
    #[serde(default)]
    pub march: MarchParams,
}

fn default_seed() -> u64 {
    1
}

fn default_replicates() -> u32 {
    100
}

impl Scenario {
    /// Checks every field against its limits.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let name_ok = !self.name.is_empty()
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
        if !name_ok {
            errors.push(FieldError::new(
                "name",
                format!("{:?}", self.name),
                "must be non-empty and use only letters, digits, '-', '_', '.' and '/'",
            ));
        }
        check_range(
            &mut errors,
            "replicates".into(),
            self.replicates,
            1,
            10_000_000,
        );
        match self.model {
            ModelKind::March1991 => errors.extend(self.march.validate("march")),
        }
        errors
    }

    /// The model this scenario runs, ready to simulate.
    pub fn build_model(&self) -> Box<dyn Simulate> {
        match self.model {
            ModelKind::March1991 => Box::new(MarchModel::new(self.march.clone())),
        }
    }
}

/// The JSON Schema of the scenario format, pretty-printed.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Scenario);
    serde_json::to_string_pretty(&schema).expect("a schema always serializes")
}
