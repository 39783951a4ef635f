//! Negative stereotyping of management: the network casts managers as the enemy of change.
//! The result is a culture war: hostility between the systems raises the blocking of network
//! initiatives (up to three times at full hostility) and lowers efficiency (up to 15%), as
//! the people doing essential work are alienated. Keeping the systems close defuses it.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "negative_stereotyping", "start_year": 10}`.
    pub struct NegativeStereotypingSpec {
        /// Hostility between the systems, 0 to 1. Default 0.6.
        pub hostility: f64 = 0.6,
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
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.hostility = cx.levers.hostility.max(self.hostility);
    }
}
