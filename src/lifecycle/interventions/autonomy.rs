//! Autonomy: a share of everyone's time protected for self-chosen work, so that slack no
//! longer vanishes as process density rises (3M's 15% since 1948, Google's 20%).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Intervention, Window, check_window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::state::Org;
use crate::scenario::{FieldError, check_probability};

/// `{"kind": "autonomy", ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutonomySpec {
    /// Year the intervention starts (years since founding).
    pub start_year: f64,
    /// Year it ends (omit: to the end of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Share of working time protected for self-chosen work, 0 to 1. Default 0.15 (3M).
    #[serde(default = "default_share")]
    pub protected_share: f64,
}

fn default_share() -> f64 {
    0.15
}

impl AutonomySpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_window(&mut e, path, self.start_year, self.end_year);
        check_probability(
            &mut e,
            format!("{path}.protected_share"),
            self.protected_share,
        );
        e
    }
}

/// The plug-in.
#[derive(Clone, Debug)]
pub struct Autonomy {
    spec: AutonomySpec,
}

impl Autonomy {
    /// From its scenario entry.
    pub fn new(spec: AutonomySpec) -> Self {
        Autonomy { spec }
    }
}

impl Intervention for Autonomy {
    fn kind(&self) -> &'static str {
        "autonomy"
    }

    fn window(&self) -> Window {
        Window::from_years(self.spec.start_year, self.spec.end_year)
    }

    fn week_start(&self, org: &mut Org, _params: &LifecycleParams) {
        org.levers.protected_slack += self.spec.protected_share;
    }
}
