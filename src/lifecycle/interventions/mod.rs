//! Interventions: plug-ins with a start and an optional end that read and change the state
//! at defined points of the week. Each intervention is one file; all of them act through the
//! model's mechanisms (levers, awareness, ties, engagement), never on an output.
//!
//! Points of the week, in order: [`Intervention::week_start`] (after the levers are reset,
//! before the management system and the people update), [`Intervention::week_end`] (after
//! initiatives progressed, before exits), and [`Intervention::on_hire`] (each new hire).

mod autonomy;
mod celebrate_wins;
mod common;
mod cross_team;
mod dual_operating_system;
mod fear_based_management;
mod follow_up;
mod guiding_coalition;
mod keep_close;
mod negative_stereotyping;
mod ninety_day_wins;
mod onboarding;
mod opportunity_statement;
mod psychological_safety;
mod task_force;
mod urgency_group;

#[cfg(test)]
mod tests;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::params::LifecycleParams;
use super::people::AgentId;
use super::state::Org;
use crate::scenario::FieldError;

pub use autonomy::AutonomySpec;
pub use celebrate_wins::CelebrateWinsSpec;
pub use cross_team::CrossTeamSpec;
pub use dual_operating_system::DualOperatingSystemSpec;
pub use fear_based_management::FearBasedManagementSpec;
pub use follow_up::FollowUpSpec;
pub use guiding_coalition::{GuidingCoalitionSpec, Selection};
pub use keep_close::KeepCloseSpec;
pub use negative_stereotyping::NegativeStereotypingSpec;
pub use ninety_day_wins::NinetyDayWinsSpec;
pub use onboarding::OnboardingSpec;
pub use opportunity_statement::OpportunityStatementSpec;
pub use psychological_safety::PsychologicalSafetySpec;
pub use task_force::TaskForceSpec;
pub use urgency_group::UrgencyGroupSpec;

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
    /// The first week after the window: undo what should not outlast it (disband teams).
    fn finish(&self, _org: &mut Org, _params: &LifecycleParams) {}
}

/// An intervention as written in a scenario's `interventions` list, chosen by `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InterventionSpec {
    /// Episodic task forces appointed by rank (the usual remedy).
    TaskForce(TaskForceSpec),
    /// The big opportunity statement.
    OpportunityStatement(OpportunityStatementSpec),
    /// Volunteers who spread the statement and bring people into the network.
    UrgencyGroup(UrgencyGroupSpec),
    /// A guiding coalition with protected time and a mandate.
    GuidingCoalition(GuidingCoalitionSpec),
    /// Initiatives scoped to 90 days with check-ins.
    NinetyDayWins(NinetyDayWinsSpec),
    /// Celebrating completed initiatives.
    CelebrateWins(CelebrateWinsSpec),
    /// Liaison between hierarchy and network.
    KeepClose(KeepCloseSpec),
    /// Onboarding new hires into the logic of both systems.
    Onboarding(OnboardingSpec),
    /// Negative stereotyping of management (culture war).
    NegativeStereotyping(NegativeStereotypingSpec),
    /// Protected time for self-chosen work (3M's 15%, Google's 20%).
    Autonomy(AutonomySpec),
    /// Hackfest-like cross-department events.
    CrossTeam(CrossTeamSpec),
    /// Managers check in on people who step up.
    FollowUp(FollowUpSpec),
    /// More fear in the culture.
    FearBasedManagement(FearBasedManagementSpec),
    /// Less fear in the culture.
    PsychologicalSafety(PsychologicalSafetySpec),
    /// Kotter's package in one line (statement, urgency group, coalition, 90-day wins,
    /// celebration, keeping the systems close).
    DualOperatingSystem(Box<DualOperatingSystemSpec>),
}

macro_rules! each {
    ($self:ident, $s:ident => $body:expr, dual $d:ident => $dual:expr) => {
        match $self {
            InterventionSpec::TaskForce($s) => $body,
            InterventionSpec::OpportunityStatement($s) => $body,
            InterventionSpec::UrgencyGroup($s) => $body,
            InterventionSpec::GuidingCoalition($s) => $body,
            InterventionSpec::NinetyDayWins($s) => $body,
            InterventionSpec::CelebrateWins($s) => $body,
            InterventionSpec::KeepClose($s) => $body,
            InterventionSpec::Onboarding($s) => $body,
            InterventionSpec::NegativeStereotyping($s) => $body,
            InterventionSpec::Autonomy($s) => $body,
            InterventionSpec::CrossTeam($s) => $body,
            InterventionSpec::FollowUp($s) => $body,
            InterventionSpec::FearBasedManagement($s) => $body,
            InterventionSpec::PsychologicalSafety($s) => $body,
            InterventionSpec::DualOperatingSystem($d) => $dual,
        }
    };
}

/// Deserializes `value` as a `T`, returning the JSON path (below the value) and message of
/// the first mistake.
fn shape<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
) -> Result<(), (String, String)> {
    serde_path_to_error::deserialize::<_, T>(value.clone())
        .map(|_| ())
        .map_err(|e| (e.path().to_string(), e.inner().to_string()))
}

/// Finds the exact path of a mistake inside one `interventions` entry, which serde cannot
/// report through an internally tagged enum: the entry (without `kind`) is read as its own
/// kind's type, and each element of the shorthand as its element's type. Returns the path
/// below the entry (for example `guiding_coalition.seat`) and the message, or `None` if the
/// entry's shape is fine or its kind is unknown (serde reports that, listing the kinds).
pub fn locate_mistake(entry: &serde_json::Value) -> Option<(String, String)> {
    let mut body = entry.as_object()?.clone();
    let kind = body.remove("kind")?.as_str()?.to_string();
    let body = serde_json::Value::Object(body);
    let result = match kind.as_str() {
        "task_force" => shape::<TaskForceSpec>(&body),
        "opportunity_statement" => shape::<OpportunityStatementSpec>(&body),
        "urgency_group" => shape::<UrgencyGroupSpec>(&body),
        "guiding_coalition" => shape::<GuidingCoalitionSpec>(&body),
        "ninety_day_wins" => shape::<NinetyDayWinsSpec>(&body),
        "celebrate_wins" => shape::<CelebrateWinsSpec>(&body),
        "keep_close" => shape::<KeepCloseSpec>(&body),
        "onboarding" => shape::<OnboardingSpec>(&body),
        "negative_stereotyping" => shape::<NegativeStereotypingSpec>(&body),
        "autonomy" => shape::<AutonomySpec>(&body),
        "cross_team" => shape::<CrossTeamSpec>(&body),
        "follow_up" => shape::<FollowUpSpec>(&body),
        "fear_based_management" => shape::<FearBasedManagementSpec>(&body),
        "psychological_safety" => shape::<PsychologicalSafetySpec>(&body),
        "dual_operating_system" => shape::<DualOperatingSystemSpec>(&body),
        _ => return None,
    };
    result.err()
}

impl InterventionSpec {
    /// Checks the parameters; `path` is the JSON path of this list item.
    pub fn validate(&self, path: &str) -> Vec<FieldError> {
        each!(self, s => s.validate(path, false), dual d => d.validate(path))
    }

    /// Warnings that do not stop a run (`capacity`: the organization's capacity).
    pub fn warnings(&self, path: &str, capacity: u32) -> Vec<String> {
        match self {
            InterventionSpec::GuidingCoalition(s) => s.warnings(path, capacity),
            InterventionSpec::DualOperatingSystem(d) => d
                .guiding_coalition
                .warnings(&format!("{path}.guiding_coalition"), capacity),
            _ => Vec::new(),
        }
    }

    /// The plug-ins (none if switched off; several for the shorthand).
    pub fn build(&self) -> Vec<Box<dyn Intervention>> {
        each!(self, s => {
            if s.enabled {
                vec![Box::new(s.clone()) as Box<dyn Intervention>]
            } else {
                Vec::new()
            }
        }, dual d => d.elements().iter().flat_map(|e| e.build()).collect())
    }
}
