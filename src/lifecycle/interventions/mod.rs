//! Interventions: plug-ins with a start and an optional end that read and change the state
//! at defined points of the week. Each intervention is one file and one entry of the registry
//! below; all of them act through the model's mechanisms (levers, awareness, ties, engagement),
//! never on an output, and their hooks are handed only those parts of the state ([`Context`]).
//!
//! Points of the week, in order: [`Intervention::week_start`] (after the levers are reset,
//! before the management system and the people update), [`Intervention::week_end`] (after
//! initiatives progressed, before exits), and [`Intervention::on_hire`] (each new hire).

mod common;
#[cfg(test)]
mod tests;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::chart::Chart;
use super::network::Network;
use super::people::{AgentId, People};
use super::state::{DualSystem, Levers, Org};
use crate::rng::SimRng;
use crate::scenario::FieldError;

pub use common::START_YEAR;
pub use guiding_coalition::Selection;

/// The interventions: each line names its variant of [`InterventionSpec`], its entry type, its
/// `kind` as written in scenario files, and its file. A new intervention is its file and one
/// line here; the scenario format, its schema, validation, the error locator and the plug-in's
/// [`Kind`] all follow from this list.
macro_rules! registry {
    (
        plug_ins {
            $( $(#[$doc:meta])* $variant:ident($spec:ident) = $kind:tt in $module:ident, )*
        }
        shorthands {
            $( $(#[$sdoc:meta])* $svariant:ident($sspec:ident) = $skind:tt in $smodule:ident, )*
        }
    ) => {
        $( mod $module; pub use $module::$spec; )*
        $( mod $smodule; pub use $smodule::$sspec; )*

        /// An intervention as written in a scenario's `interventions` list, chosen by `kind`.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(tag = "kind")]
        pub enum InterventionSpec {
            $( $(#[$doc])* #[serde(rename = $kind)] $variant($spec), )*
            $( $(#[$sdoc])* #[serde(rename = $skind)] $svariant(Box<$sspec>), )*
        }

        $(
            impl Kind for $spec {
                fn kind(&self) -> &'static str {
                    $kind
                }
            }
        )*

        /// Every kind, in the order of the list.
        pub const KINDS: &[&str] = &[$($kind,)* $($skind,)*];

        /// The fields every entry shares, then each plug-in's own parameters (the shorthands
        /// have none of their own: their sections are the plug-ins' entries).
        pub fn declarations() -> Vec<crate::params::Declaration> {
            let mut out = common::shared_declarations();
            $( out.extend($spec::declarations($kind, &format!("interventions[kind={}]", $kind))); )*
            out
        }

        impl InterventionSpec {
            /// Checks the parameters; `path` is the JSON path of this list item.
            pub fn validate(&self, path: &str) -> Vec<FieldError> {
                match self {
                    $( InterventionSpec::$variant(s) => s.validate(path, false), )*
                    $( InterventionSpec::$svariant(s) => s.validate(path), )*
                }
            }

            /// The plug-ins (none if switched off; several for a shorthand).
            pub fn build(&self) -> Vec<Box<dyn Intervention>> {
                match self {
                    $(
                        InterventionSpec::$variant(s) => {
                            if s.enabled {
                                vec![Box::new(s.clone()) as Box<dyn Intervention>]
                            } else {
                                Vec::new()
                            }
                        }
                    )*
                    $(
                        InterventionSpec::$svariant(s) => {
                            s.elements().iter().flat_map(|e| e.build()).collect()
                        }
                    )*
                }
            }
        }

        /// Checks the body of an entry (without `kind`) as `kind`'s type; `None` for an unknown
        /// kind.
        fn shape_of(kind: &str, body: &serde_json::Value) -> Option<Result<(), (String, String)>> {
            match kind {
                $( $kind => Some(shape::<$spec>(body)), )*
                $( $skind => Some(shape::<$sspec>(body)), )*
                _ => None,
            }
        }
    };
}

registry! {
    plug_ins {
        /// Episodic task forces appointed by rank (the usual remedy).
        TaskForce(TaskForceSpec)
            = "task_force" in task_force,
        /// The big opportunity statement.
        OpportunityStatement(OpportunityStatementSpec)
            = "opportunity_statement" in opportunity_statement,
        /// Volunteers who spread the statement and bring people into the network.
        UrgencyGroup(UrgencyGroupSpec)
            = "urgency_group" in urgency_group,
        /// A guiding coalition with protected time and a mandate.
        GuidingCoalition(GuidingCoalitionSpec)
            = "guiding_coalition" in guiding_coalition,
        /// Initiatives scoped to 90 days with check-ins.
        NinetyDayWins(NinetyDayWinsSpec)
            = "ninety_day_wins" in ninety_day_wins,
        /// Celebrating completed initiatives.
        CelebrateWins(CelebrateWinsSpec)
            = "celebrate_wins" in celebrate_wins,
        /// Liaison between hierarchy and network.
        KeepClose(KeepCloseSpec)
            = "keep_close" in keep_close,
        /// Onboarding new hires into the logic of both systems.
        Onboarding(OnboardingSpec)
            = "onboarding" in onboarding,
        /// Negative stereotyping of management (culture war).
        NegativeStereotyping(NegativeStereotypingSpec)
            = "negative_stereotyping" in negative_stereotyping,
        /// Protected time for self-chosen work (3M's 15%, Google's 20%).
        Autonomy(AutonomySpec)
            = "autonomy" in autonomy,
        /// Hackfest-like cross-department events.
        CrossTeam(CrossTeamSpec)
            = "cross_team" in cross_team,
        /// Managers check in on people who step up.
        FollowUp(FollowUpSpec)
            = "follow_up" in follow_up,
        /// More fear in the culture.
        FearBasedManagement(FearBasedManagementSpec)
            = "fear_based_management" in fear_based_management,
        /// Less fear in the culture.
        PsychologicalSafety(PsychologicalSafetySpec)
            = "psychological_safety" in psychological_safety,
    }
    shorthands {
        /// Kotter's package in one line (statement, urgency group, coalition, 90-day wins,
        /// celebration, keeping the systems close).
        DualOperatingSystem(DualOperatingSystemSpec)
            = "dual_operating_system" in dual_operating_system,
    }
}

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

/// What an intervention acts through: the week, people's records and traits, the ties, the
/// levers and the run's random numbers. The chart it only reads; the management system, the
/// initiatives and the code it cannot reach.
pub struct Context<'a> {
    /// The week being simulated.
    pub step: u32,
    /// Employees (flags, traits, engagement).
    pub people: &'a mut People,
    /// The org chart (rank, departments), read only.
    pub chart: &'a Chart,
    /// Informal ties.
    pub network: &'a mut Network,
    /// This week's levers.
    pub levers: &'a mut Levers,
    /// What the dual system's elements have done so far (statement issued, coalition seats).
    pub dual: &'a mut DualSystem,
    /// The run's sequential random numbers.
    pub rng: &'a mut SimRng,
}

impl<'a> Context<'a> {
    /// The parts of `org` an intervention acts through.
    pub fn of(org: &'a mut Org) -> Context<'a> {
        Context {
            step: org.step,
            people: &mut org.people,
            chart: &org.chart,
            network: &mut org.network,
            levers: &mut org.levers,
            dual: &mut org.dual,
            rng: &mut org.rng,
        }
    }
}

/// An intervention's kind, as written in scenario files (given by the registry above).
pub trait Kind {
    /// The kind.
    fn kind(&self) -> &'static str;
}

/// An intervention in force during its window.
pub trait Intervention: Kind + Send + Sync + std::fmt::Debug {
    /// When it is in force.
    fn window(&self) -> Window;
    /// Start of a week in force.
    fn week_start(&self, _cx: &mut Context<'_>) {}
    /// End of a week in force.
    fn week_end(&self, _cx: &mut Context<'_>) {}
    /// A new hire during a week in force.
    fn on_hire(&self, _cx: &mut Context<'_>, _id: AgentId) {}
    /// The first week after the window: undo what should not outlast it (disband teams).
    fn finish(&self, _cx: &mut Context<'_>) {}
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
    shape_of(&kind, &body)?.err()
}

impl InterventionSpec {
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
}
