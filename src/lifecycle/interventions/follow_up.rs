//! Following up: managers check in on people who step up (delivery and accountability), which
//! carries teams through the dip.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, check_in, yes};
use super::{Intervention, Window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::state::Org;
use crate::scenario::FieldError;

/// `{"kind": "follow_up", "start_year": 10}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpSpec {
    /// Year it starts (years since founding; inherited inside dual_operating_system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<f64>,
    /// Year it ends (omit: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Switch it off without deleting it. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Share of quitting prevented by follow-up. From 0 to 1. Default 0.3.
    #[serde(default = "default_support")]
    pub support: f64,
}

fn default_support() -> f64 {
    0.3
}

impl Default for FollowUpSpec {
    fn default() -> Self {
        FollowUpSpec {
            start_year: None,
            end_year: None,
            enabled: true,
            support: default_support(),
        }
    }
}

impl FollowUpSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.support"),
            self.support,
            0.0,
            1.0,
            "a share",
        );
        e
    }
}

impl Intervention for FollowUpSpec {
    fn kind(&self) -> &'static str {
        "follow_up"
    }

    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, org: &mut Org, _params: &LifecycleParams) {
        org.levers.dip_support = 1.0 - (1.0 - org.levers.dip_support) * (1.0 - self.support);
    }
}
