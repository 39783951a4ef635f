//! Autonomy: a share of everyone's time protected for self-chosen work, so that slack no
//! longer vanishes as process density rises (3M's 15% since 1948, Google's 20%).

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "autonomy", "start_year": 10}`.
    pub struct AutonomySpec {
        /// Share of working time protected for self-chosen work, 0 to 1. Default 0.15 (3M).
        pub protected_share: f64 = 0.15,
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
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.protected_slack += self.protected_share;
    }
}
