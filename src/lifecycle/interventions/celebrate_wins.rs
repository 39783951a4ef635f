//! Celebrating wins: a completed initiative is explicitly celebrated, raising the engagement
//! of its team and, by a third as much, of everyone tied to them who hears of it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, check_in, yes};
use super::{Intervention, Window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::state::Org;
use crate::scenario::FieldError;

/// `{"kind": "celebrate_wins", "start_year": 10}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CelebrateWinsSpec {
    /// Year it starts (years since founding; inherited inside dual_operating_system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<f64>,
    /// Year it ends (omit: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Switch it off without deleting it. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Engagement added to each member of a completed team (a third of it to their
    /// ties). From 0 to 1. Default 0.05.
    #[serde(default = "default_boost")]
    pub boost: f64,
}

fn default_boost() -> f64 {
    0.05
}

impl Default for CelebrateWinsSpec {
    fn default() -> Self {
        CelebrateWinsSpec {
            start_year: None,
            end_year: None,
            enabled: true,
            boost: default_boost(),
        }
    }
}

impl CelebrateWinsSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.boost"),
            self.boost,
            0.0,
            1.0,
            "a number",
        );
        e
    }
}

impl Intervention for CelebrateWinsSpec {
    fn kind(&self) -> &'static str {
        "celebrate_wins"
    }

    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, org: &mut Org, _params: &LifecycleParams) {
        org.levers.celebration += self.boost;
    }
}
