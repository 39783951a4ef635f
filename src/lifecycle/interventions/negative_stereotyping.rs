//! Negative stereotyping of management: the network casts managers as the enemy of change.
//! The result is a culture war: hostility between the systems raises the blocking of network
//! initiatives (up to three times at full hostility) and lowers efficiency (up to 15%), as
//! the people doing essential work are alienated. Keeping the systems close defuses it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, check_in, yes};
use super::{Intervention, Window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::state::Org;
use crate::scenario::FieldError;

/// `{"kind": "negative_stereotyping", "start_year": 10}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NegativeStereotypingSpec {
    /// Year it starts (years since founding; inherited inside dual_operating_system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<f64>,
    /// Year it ends (omit: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Switch it off without deleting it. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Hostility between the systems, 0 to 1. Default 0.6.
    #[serde(default = "default_hostility")]
    pub hostility: f64,
}

fn default_hostility() -> f64 {
    0.6
}

impl Default for NegativeStereotypingSpec {
    fn default() -> Self {
        NegativeStereotypingSpec {
            start_year: None,
            end_year: None,
            enabled: true,
            hostility: default_hostility(),
        }
    }
}

impl NegativeStereotypingSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.hostility"),
            self.hostility,
            0.0,
            1.0,
            "a number",
        );
        e
    }
}

impl Intervention for NegativeStereotypingSpec {
    fn kind(&self) -> &'static str {
        "negative_stereotyping"
    }

    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, org: &mut Org, _params: &LifecycleParams) {
        org.levers.hostility = org.levers.hostility.max(self.hostility);
    }
}
