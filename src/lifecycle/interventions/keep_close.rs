//! Keeping the two systems close: liaison between the hierarchy and the network, so they
//! understand and appreciate each other. Network initiatives are blocked less, the code learns
//! from them as from the hierarchy's own, and hostility between the systems is defused.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, check_in, yes};
use super::{Intervention, Window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::state::Org;
use crate::scenario::FieldError;

/// `{"kind": "keep_close", "start_year": 10}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeepCloseSpec {
    /// Year it starts (years since founding; inherited inside dual_operating_system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<f64>,
    /// Year it ends (omit: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Switch it off without deleting it. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How close: the share by which it lowers the blocking of network initiatives and
    /// defuses hostility. From 0 to 1. Default 0.7.
    #[serde(default = "default_closeness")]
    pub closeness: f64,
}

fn default_closeness() -> f64 {
    0.7
}

impl Default for KeepCloseSpec {
    fn default() -> Self {
        KeepCloseSpec {
            start_year: None,
            end_year: None,
            enabled: true,
            closeness: default_closeness(),
        }
    }
}

impl KeepCloseSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.closeness"),
            self.closeness,
            0.0,
            1.0,
            "a share",
        );
        e
    }
}

impl Intervention for KeepCloseSpec {
    fn kind(&self) -> &'static str {
        "keep_close"
    }

    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, org: &mut Org, _params: &LifecycleParams) {
        org.levers.closeness = org.levers.closeness.max(self.closeness);
        org.levers.network_code_learning = true;
    }
}
