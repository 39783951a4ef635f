//! Fear-based management: more fear in the culture, which suppresses the decision to act,
//! lowers engagement, makes teams quit in the dip more readily and the code learn less.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, check_in, yes};
use super::{Intervention, Window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::state::Org;
use crate::scenario::FieldError;

/// `{"kind": "fear_based_management", "start_year": 10}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FearBasedManagementSpec {
    /// Year it starts (years since founding; inherited inside dual_operating_system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<f64>,
    /// Year it ends (omit: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Switch it off without deleting it. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Fear added to the culture's. From 0 to 1. Default 0.4.
    #[serde(default = "default_fear")]
    pub fear: f64,
}

fn default_fear() -> f64 {
    0.4
}

impl Default for FearBasedManagementSpec {
    fn default() -> Self {
        FearBasedManagementSpec {
            start_year: None,
            end_year: None,
            enabled: true,
            fear: default_fear(),
        }
    }
}

impl FearBasedManagementSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.fear"),
            self.fear,
            0.0,
            1.0,
            "a number",
        );
        e
    }
}

impl Intervention for FearBasedManagementSpec {
    fn kind(&self) -> &'static str {
        "fear_based_management"
    }

    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, org: &mut Org, _params: &LifecycleParams) {
        org.levers.fear_shift += self.fear;
    }
}
