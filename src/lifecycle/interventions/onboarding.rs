//! Onboarding with a shared vocabulary: new hires learn the logic of both systems. They are
//! aware of the opportunity from day one, bring a little more initiative (the norm that
//! stepping up is expected), and suppression erodes their initiative half as fast.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, check_in, yes};
use super::{Intervention, Window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::people::{AgentId, FLAG_AWARE, FLAG_ONBOARDED};
use crate::lifecycle::state::Org;
use crate::scenario::FieldError;

/// `{"kind": "onboarding", "start_year": 10}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnboardingSpec {
    /// Year it starts (years since founding; inherited inside dual_operating_system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<f64>,
    /// Year it ends (omit: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Switch it off without deleting it. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Initiative propensity added to each new hire (norms). From 0 to 1. Default 0.1.
    #[serde(default = "default_initiative_boost")]
    pub initiative_boost: f64,
}

fn default_initiative_boost() -> f64 {
    0.1
}

impl Default for OnboardingSpec {
    fn default() -> Self {
        OnboardingSpec {
            start_year: None,
            end_year: None,
            enabled: true,
            initiative_boost: default_initiative_boost(),
        }
    }
}

impl OnboardingSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.initiative_boost"),
            self.initiative_boost,
            0.0,
            1.0,
            "a number",
        );
        e
    }
}

impl Intervention for OnboardingSpec {
    fn kind(&self) -> &'static str {
        "onboarding"
    }

    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn on_hire(&self, org: &mut Org, _params: &LifecycleParams, id: AgentId) {
        let boost = self.initiative_boost as f32;
        let t = &mut org.people.traits[id.index()];
        t.initiative = (t.initiative + boost).min(1.0);
        let h = &mut org.people.hot[id.index()];
        h.initiative = (h.initiative + boost).min(1.0);
        h.flags |= FLAG_AWARE | FLAG_ONBOARDED;
    }
}
