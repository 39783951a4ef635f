//! The scenario format: what one scenario file holds, its defaults and its limits.
//!
//! A scenario is read as JSON, merged with the scenario it `extends`, overridden by `--set`
//! (see [`load`]), then deserialized strictly (unknown keys are errors, missing keys take the
//! defaults documented on each field) and checked against each field's limits.

mod bundled;
mod error;
mod json_path;
mod load;
mod strict_json;
pub mod uncertainty;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::lifecycle::LifecycleModel;
use crate::lifecycle::interventions::InterventionSpec;
use crate::lifecycle::params::{
    EnvironmentParams, KnowledgeParams, LeadershipParams, LifecycleParams, ManagementParams,
    OrganizationParams, PeopleParams,
};
use crate::march1991::{MarchModel, MarchParams};
use crate::model::Simulate;
use crate::numbers::json_bound;
use crate::params::{Check, Declaration, check_declared, declare};

pub use bundled::{BUNDLED, Bundled, DEFAULT_RUN, find_bundled};
pub use error::{FieldError, ScenarioError, check_probability, check_range, show_number};
pub use json_path::{JsonPath, MAX_PATH_CHARS, MAX_PATH_PARTS, Override, Segment};
pub use load::{Loaded, MAX_EXTENDS_DEPTH, edit_distance, load, load_all};
pub use strict_json::{
    JsonError, JsonProblem, MAX_DEPTH, MAX_INPUT_BYTES, parse_json, read_limited,
};
pub use uncertainty::{Distribution, Draws, Uncertainty};

/// Which model a scenario runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ModelKind {
    /// The life cycle of a growing organization, its management and leadership systems.
    #[default]
    #[serde(rename = "lifecycle")]
    Lifecycle,
    /// March (1991): mutual learning between an organizational code and its members.
    #[serde(rename = "march1991")]
    March1991,
}

impl ModelKind {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Lifecycle => "lifecycle",
            ModelKind::March1991 => "march1991",
        }
    }

    /// Top-level sections that only this model reads.
    pub fn sections(self) -> &'static [&'static str] {
        match self {
            ModelKind::Lifecycle => &[
                "years",
                "organization",
                "people",
                "management",
                "leadership",
                "knowledge",
                "environment",
                "interventions",
            ],
            ModelKind::March1991 => &["march"],
        }
    }
}

/// Every model, for messages.
pub const MODELS: [ModelKind; 2] = [ModelKind::Lifecycle, ModelKind::March1991];

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
    /// The model to run: "lifecycle" (default) or "march1991".
    #[serde(default)]
    pub model: ModelKind,
    /// The scenario's name in output files and tables: letters, digits, '-', '_', '.', '/'.
    /// Default: the file name without `.json`.
    #[serde(default)]
    #[schemars(pattern(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"))]
    pub name: String,
    /// A short human-readable name for chart legends and console tables, where it replaces
    /// `name` (which stays the scenario's name in files and folders). One line of at most 80
    /// characters. Default: none (`name` is shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 80))]
    pub title: Option<String>,
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
    /// Optional free-form notes: what to change and why (ignored by the model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<serde_json::Value>,
    /// Parameters of the March (1991) model (model "march1991" only).
    #[serde(default)]
    pub march: MarchParams,
    /// Years simulated (model "lifecycle"). From 0.02 to 500. Default 20.
    #[serde(default = "default_years")]
    pub years: f64,
    /// Growth and structure of the organization (model "lifecycle").
    #[serde(default)]
    pub organization: OrganizationParams,
    /// Who the employees are, and when they leave (model "lifecycle").
    #[serde(default)]
    pub people: PeopleParams,
    /// The management system (model "lifecycle").
    #[serde(default)]
    pub management: ManagementParams,
    /// The leadership system (model "lifecycle").
    #[serde(default)]
    pub leadership: LeadershipParams,
    /// March's code and beliefs nested in the organization (model "lifecycle").
    #[serde(default)]
    pub knowledge: KnowledgeParams,
    /// The environment's drift and opportunities (model "lifecycle").
    #[serde(default)]
    pub environment: EnvironmentParams,
    /// Interventions, each with a `kind`, a `start_year` and an optional `end_year`
    /// (model "lifecycle").
    #[serde(default)]
    pub interventions: Vec<InterventionSpec>,
    /// Uncertain parameters: each key a path as `--set` takes it (for example
    /// "management.rule_growth" or "interventions[0].start_year"), each value a distribution:
    /// {"uniform": [low, high]}, {"normal": [mean, sd]}, {"triangular": [low, mode, high]},
    /// {"lognormal": [median, sd of the logarithm]} or {"empirical": [v1, v2, ...]}.
    /// Replicate r draws each value once from its own seed, so replicate r of every scenario
    /// of a run shares its draws; normal and lognormal draws outside the field's bounds are
    /// drawn again; empirical lists of the same length are drawn together. `orgsim run
    /// --no-uncertainty` runs the values written in the sections instead. Default: none.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub uncertainty: Uncertainty,
}

/// The longest display title, in characters.
pub const MAX_TITLE_CHARS: usize = 80;

/// A text quoted for a message, cut after 60 characters.
fn quoted_start(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{:?}...", &text[..i]),
        None => format!("{text:?}"),
    }
}

fn default_years() -> f64 {
    20.0
}

/// Whether `name` is a valid scenario name: parts separated by '/', each non-empty, not
/// starting with '.', made of letters, digits, '-', '_' and '.'.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        })
}

/// A scenario name made from a file name: characters outside the allowed set become '-'.
pub fn name_from_stem(stem: &str) -> String {
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "scenario".into()
    } else {
        cleaned
    }
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
        if !valid_name(&self.name) {
            errors.push(FieldError::new(
                "name",
                quoted_start(&self.name),
                "must use only letters, digits, '-', '_', '.' and '/', with no part empty or \
                 starting with '.' (it names the output folder)",
            ));
        }
        if let Some(title) = &self.title {
            let problem = if title.trim().is_empty() {
                Some("must not be empty; leave `title` out to show the name")
            } else if title.chars().any(char::is_control) {
                Some("must be one line of text, without line breaks or control characters")
            } else if title.chars().count() > MAX_TITLE_CHARS {
                Some("must be at most 80 characters (it labels charts and tables)")
            } else {
                None
            };
            if let Some(problem) = problem {
                errors.push(FieldError::new("title", quoted_start(title), problem));
            }
        }
        check_declared(
            &mut errors,
            "replicates".into(),
            Some(f64::from(self.replicates)),
            &top_level("replicates"),
        );
        match self.model {
            ModelKind::March1991 => errors.extend(self.march.validate("march")),
            ModelKind::Lifecycle => {
                errors.extend(self.lifecycle_params().validate());
                for (i, iv) in self.interventions.iter().enumerate() {
                    errors.extend(iv.validate(&format!("interventions[{i}]")));
                }
            }
        }
        // Checked once the fields are known to be valid, against their own checks.
        if errors.is_empty() {
            errors.extend(uncertainty::validate(self));
        }
        errors
    }

    /// Warnings that do not stop a run (for example more coalition seats than people).
    pub fn warnings(&self) -> Vec<String> {
        if self.model != ModelKind::Lifecycle {
            return Vec::new();
        }
        let mut out: Vec<String> = self
            .interventions
            .iter()
            .enumerate()
            .flat_map(|(i, iv)| {
                iv.warnings(&format!("interventions[{i}]"), self.organization.capacity)
            })
            .collect();
        for (i, iv) in self.interventions.iter().enumerate() {
            for b in iv.build() {
                let start = f64::from(b.window().start) / 52.0;
                if start >= self.years {
                    out.push(format!(
                        "interventions[{i}] ({}) starts in year {start}, after the run ends \
                         (years = {}): it has no effect",
                        b.kind(),
                        self.years
                    ));
                }
            }
        }
        out
    }

    /// The scenario as JSON with only its own model's sections: what the manifest records
    /// and what reruns it exactly.
    pub fn resolved_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).expect("a scenario always serializes");
        if let Some(map) = v.as_object_mut() {
            for other in MODELS.iter().filter(|m| **m != self.model) {
                for key in other.sections() {
                    map.remove(*key);
                }
            }
        }
        v
    }

    /// The year the first intervention (switched on) starts, if any.
    pub fn first_intervention_year(&self) -> Option<f64> {
        if self.model != ModelKind::Lifecycle {
            return None;
        }
        self.interventions
            .iter()
            .flat_map(|i| i.build())
            .map(|b| f64::from(b.window().start) / 52.0)
            .min_by(f64::total_cmp)
    }

    /// The most steps one run of this scenario can take.
    pub fn horizon_steps(&self) -> u64 {
        match self.model {
            ModelKind::March1991 => u64::from(self.march.max_periods),
            ModelKind::Lifecycle => (self.years * 52.0).round() as u64,
        }
    }

    /// Replicate `seed`'s draws of the uncertain parameters, and the scenario with them set
    /// (`None` without an `uncertainty` section). See [`uncertainty::draw`].
    pub fn draw_uncertain(&self, seed: u64) -> Option<Draws> {
        uncertainty::draw(self, seed)
    }

    /// The life-cycle parameters gathered from their sections.
    pub fn lifecycle_params(&self) -> LifecycleParams {
        LifecycleParams {
            years: self.years,
            organization: self.organization.clone(),
            people: self.people.clone(),
            management: self.management.clone(),
            leadership: self.leadership.clone(),
            knowledge: self.knowledge.clone(),
            environment: self.environment.clone(),
        }
    }

    /// The model this scenario runs, ready to simulate.
    pub fn build_model(&self) -> Box<dyn Simulate> {
        match self.model {
            ModelKind::March1991 => Box::new(MarchModel::new(self.march.clone())),
            ModelKind::Lifecycle => Box::new(LifecycleModel::new(
                self.lifecycle_params(),
                self.interventions.iter().flat_map(|i| i.build()).collect(),
            )),
        }
    }
}

/// The numeric top-level fields: seed, replicates and years (the other top-level fields are
/// names, texts and sections).
pub fn top_level_declarations() -> Vec<Declaration> {
    let mut seed = declare(
        "scenario",
        "seed".into(),
        [
            "seed",
            "the seed every replicate's seed derives from (`replicate_seed(seed, r)`); when \
                 several scenarios run together, the first one's (or `--seed`)",
            "integer",
            "",
        ],
        &["Seed of the random numbers; replicate r's seed is derived from it and r."],
        default_seed().into(),
        None,
    );
    // Any u64: no bounds beyond the type's, but whole numbers only.
    seed.integer = true;
    vec![
        seed,
        declare(
            "scenario",
            "replicates".into(),
            [
                "replicates",
                "runs of the scenario (`--replicates` overrides it)",
                "runs",
                "enough for narrow 95% intervals on the main outcomes; the bundled March \
                 scenario uses 1,000",
            ],
            &["Number of replicates (independent seeded runs)."],
            default_replicates().into(),
            Some((1.0, 10_000_000.0, Check::Integer)),
        ),
        declare(
            "scenario",
            "years".into(),
            [
                "years",
                "years simulated (life cycle)",
                "years",
                "the brief's horizon: startup to mature firm",
            ],
            &["Years simulated (model \"lifecycle\")."],
            default_years().into(),
            Some((0.02, 500.0, Check::Real(" years"))),
        ),
    ]
}

/// The declaration of the top-level field `name`.
fn top_level(name: &str) -> Declaration {
    top_level_declarations()
        .into_iter()
        .find(|d| d.name == name)
        .expect("a declared top-level field")
}

/// Records an error unless `years` lies within its declared bounds.
pub fn check_years(errors: &mut Vec<FieldError>, years: f64) {
    check_declared(errors, "years".into(), Some(years), &top_level("years"));
}

/// The JSON Schema of the scenario format, pretty-printed: what schemars derives from the
/// types, with the top-level bounds from [`top_level_declarations`] and, in the
/// `interventions` list, `start_year` required and a number (inside the
/// `dual_operating_system` shorthand it may be left out, and is inherited).
pub fn schema_json() -> String {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(Scenario)).expect("a schema always serializes");
    for d in top_level_declarations() {
        let prop = &mut schema["properties"][d.name.as_str()];
        if let (Some(lo), Some(hi)) = (d.min, d.max) {
            prop["minimum"] = json_bound(lo, d.integer);
            prop["maximum"] = json_bound(hi, d.integer);
        }
    }
    let start = crate::lifecycle::interventions::START_YEAR;
    if let Some(kinds) = schema["$defs"]["InterventionSpec"]["oneOf"].as_array_mut() {
        for kind in kinds {
            let prop = &mut kind["properties"]["start_year"];
            prop["type"] = "number".into();
            prop["minimum"] = start.0.into();
            prop["maximum"] = start.1.into();
            if let Some(required) = kind["required"].as_array_mut()
                && !required.iter().any(|r| r == "start_year")
            {
                required.push("start_year".into());
            }
        }
    }
    serde_json::to_string_pretty(&schema).expect("a schema always serializes")
}
