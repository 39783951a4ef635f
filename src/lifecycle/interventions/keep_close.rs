//! Keeping the two systems close: liaison between the hierarchy and the network, so they
//! understand and appreciate each other. Network initiatives are blocked less, the code learns
//! from them as from the hierarchy's own, and hostility between the systems is defused.

use super::common::{self, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "keep_close", "start_year": 10}`.
    pub struct KeepCloseSpec {
        /// How close: the share by which it lowers the blocking of network initiatives and defuses
        /// hostility.
        pub closeness: f64 = 0.7 => [0.0, 1.0] Phrase("a share"), "share",
            "how close the systems are: the share by which it lowers the blocking of network \
             initiatives and defuses hostility",
            "assumption: liaison through people who belong to both systems removes most, not all, \
             friction";
    }
}

impl KeepCloseSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        self.check_bounds(path, &mut e);
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
