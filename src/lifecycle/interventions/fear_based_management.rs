//! Fear-based management: more fear in the culture, which suppresses the decision to act,
//! lowers engagement, makes teams quit in the dip more readily and the code learn less.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "fear_based_management", "start_year": 10}`.
    pub struct FearBasedManagementSpec {
        /// Fear added to the culture's. From 0 to 1. Default 0.4.
        pub fear: f64 = 0.4,
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
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.fear_shift += self.fear;
    }
}
