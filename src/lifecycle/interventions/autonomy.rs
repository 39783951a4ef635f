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
    #[schemars(range(min = 0, max = 1))]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::LifecycleModel;
    use crate::lifecycle::state::Levers;
    use crate::lifecycle::weekly::slack;
    use crate::model::Model;

    #[test]
    fn protects_slack_and_changes_nothing_else() {
        let params = LifecycleParams::default();
        let model = LifecycleModel::new(params.clone(), Vec::new());
        let mut org = model.init(9);
        for _ in 0..300 {
            model.step(&mut org);
        }
        let before = org.clone();
        let autonomy = Autonomy::new(AutonomySpec {
            start_year: 0.0,
            end_year: None,
            protected_share: 0.15,
        });
        autonomy.week_start(&mut org, &params);
        assert_eq!(
            org.levers,
            Levers {
                protected_slack: before.levers.protected_slack + 0.15,
                ..before.levers
            }
        );
        assert_eq!(org.people.hot, before.people.hot);
        assert_eq!(org.density, before.density);
        let t = &org.people.traits[1];
        let (with, without) = (
            slack(t, org.density, org.levers.protected_slack),
            slack(t, before.density, before.levers.protected_slack),
        );
        assert!((with - without - 0.15).abs() < 1e-12, "{with} vs {without}");
        assert!(autonomy.window().contains(0));
    }

    #[test]
    fn window_and_validation() {
        let spec = AutonomySpec {
            start_year: 5.0,
            end_year: Some(4.0),
            protected_share: 1.5,
        };
        let errors = spec.validate("interventions[0]");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].path, "interventions[0].end_year");
        let w = Window::from_years(1.0, Some(2.0));
        assert!(!w.contains(51) && w.contains(52) && w.contains(103) && !w.contains(104));
    }
}
