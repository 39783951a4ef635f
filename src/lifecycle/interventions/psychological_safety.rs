//! Psychological safety: less fear in the culture (the opposite lever of fear-based
//! management), so more people act, fewer quit in the dip, and the code learns more.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, check_in, yes};
use super::{Intervention, Window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::state::Org;
use crate::scenario::FieldError;

/// `{"kind": "psychological_safety", "start_year": 10}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PsychologicalSafetySpec {
    /// Year it starts (years since founding; inherited inside dual_operating_system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<f64>,
    /// Year it ends (omit: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Switch it off without deleting it. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Fear removed from the culture (fear cannot fall below 0). From 0 to 1. Default
    /// 0.15 (the baseline culture's fear).
    #[serde(default = "default_reduction")]
    pub reduction: f64,
}

fn default_reduction() -> f64 {
    0.15
}

impl Default for PsychologicalSafetySpec {
    fn default() -> Self {
        PsychologicalSafetySpec {
            start_year: None,
            end_year: None,
            enabled: true,
            reduction: default_reduction(),
        }
    }
}

impl PsychologicalSafetySpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.reduction"),
            self.reduction,
            0.0,
            1.0,
            "a number",
        );
        e
    }
}

impl Intervention for PsychologicalSafetySpec {
    fn kind(&self) -> &'static str {
        "psychological_safety"
    }

    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, org: &mut Org, _params: &LifecycleParams) {
        org.levers.fear_shift -= self.reduction;
    }
}
