//! Autonomy: a share of everyone's time protected for self-chosen work, so that slack no
//! longer vanishes as process density rises (3M's 15% since 1948, Google's 20%).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, check_in, yes};
use super::{Intervention, Window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::state::Org;
use crate::scenario::FieldError;

/// `{"kind": "autonomy", "start_year": 10}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutonomySpec {
    /// Year it starts (years since founding; inherited inside dual_operating_system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<f64>,
    /// Year it ends (omit: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Switch it off without deleting it. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Share of working time protected for self-chosen work, 0 to 1. Default 0.15 (3M).
    #[serde(default = "default_protected_share")]
    pub protected_share: f64,
}

fn default_protected_share() -> f64 {
    0.15
}

impl Default for AutonomySpec {
    fn default() -> Self {
        AutonomySpec {
            start_year: None,
            end_year: None,
            enabled: true,
            protected_share: default_protected_share(),
        }
    }
}

impl AutonomySpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.protected_share"),
            self.protected_share,
            0.0,
            1.0,
            "a share",
        );
        e
    }
}

impl Intervention for AutonomySpec {
    fn kind(&self) -> &'static str {
        "autonomy"
    }

    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, org: &mut Org, _params: &LifecycleParams) {
        org.levers.protected_slack += self.protected_share;
    }
}
