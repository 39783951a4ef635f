//! Interventions: plug-ins with a start and an optional end that read and change the state
//! at defined points of the week. Each intervention is one file; all of them act through the
//! model's mechanisms (levers, awareness, ties, engagement), never on an output.
//!
//! Points of the week, in order: [`Intervention::week_start`] (after the levers are reset,
//! before the management system and the people update), [`Intervention::week_end`] (after
//! initiatives progressed, before exits), and [`Intervention::on_hire`] (each new hire).

mod autonomy;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::params::LifecycleParams;
use super::people::AgentId;
use super::state::Org;
use crate::scenario::FieldError;

pub use autonomy::{Autonomy, AutonomySpec};

/// When an intervention is in force, in weeks since founding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First week in force.
    pub start: u32,
    /// First week no longer in force (`None`: to the end of the run).
    pub end: Option<u32>,
}

impl Window {
    /// The window from `start_year` to `end_year`.
    pub fn from_years(start_year: f64, end_year: Option<f64>) -> Window {
        Window {
            start: (start_year * 52.0).round() as u32,
            end: end_year.map(|e| (e * 52.0).round() as u32),
        }
    }

    /// Whether week `step` is inside the window.
    pub fn contains(&self, step: u32) -> bool {
        step >= self.start && self.end.is_none_or(|e| step < e)
    }
}

/// An intervention in force during its window.
pub trait Intervention: Send + Sync + std::fmt::Debug {
    /// Its kind, as written in scenario files.
    fn kind(&self) -> &'static str;
    /// When it is in force.
    fn window(&self) -> Window;
    /// Start of a week in force.
    fn week_start(&self, _org: &mut Org, _params: &LifecycleParams) {}
    /// End of a week in force.
    fn week_end(&self, _org: &mut Org, _params: &LifecycleParams) {}
    /// A new hire during a week in force.
    fn on_hire(&self, _org: &mut Org, _params: &LifecycleParams, _id: AgentId) {}
}

/// An intervention as written in a scenario's `interventions` list, chosen by `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InterventionSpec {
    /// Protected time for self-chosen work (3M's 15%, Google's 20%).
    Autonomy(AutonomySpec),
}

impl InterventionSpec {
    /// Checks the parameters; `path` is the JSON path of this list item.
    pub fn validate(&self, path: &str) -> Vec<FieldError> {
        match self {
            InterventionSpec::Autonomy(s) => s.validate(path),
        }
    }

    /// The plug-in.
    pub fn build(&self) -> Box<dyn Intervention> {
        match self {
            InterventionSpec::Autonomy(s) => Box::new(Autonomy::new(s.clone())),
        }
    }
}

/// Checks a start and optional end year.
pub fn check_window(errors: &mut Vec<FieldError>, path: &str, start: f64, end: Option<f64>) {
    if !(0.0..=500.0).contains(&start) {
        errors.push(FieldError::new(
            format!("{path}.start_year"),
            start.to_string(),
            "must be a number of years from 0 to 500",
        ));
    }
    if let Some(end) = end
        && end <= start
    {
        errors.push(FieldError::new(
            format!("{path}.end_year"),
            end.to_string(),
            format!("must be after start_year ({start})"),
        ));
    }
}
