//! Keeping the two systems close: liaison between the hierarchy and the network, so they
//! understand and appreciate each other. Network initiatives are blocked less, the code learns
//! from them as from the hierarchy's own, and hostility between the systems is defused.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "keep_close", "start_year": 10}`.
    pub struct KeepCloseSpec {
        /// How close: the share by which it lowers the blocking of network initiatives and
        /// defuses hostility. From 0 to 1. Default 0.7.
        pub closeness: f64 = 0.7,
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
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.closeness = cx.levers.closeness.max(self.closeness);
        cx.levers.network_code_learning = true;
    }
}
