//! Following up: managers check in on people who step up (delivery and accountability), which
//! carries teams through the dip.

use super::common::{self, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "follow_up", "start_year": 10}`.
    pub struct FollowUpSpec {
        /// Share of quitting prevented by follow-up.
        pub support: f64 = 0.3 => [0.0, 1.0] Phrase("a share"), "share",
            "share of quitting prevented by managers' follow-up",
            "assumption: checking in after someone steps up keeps many, not most, teams going";
    }
}

impl FollowUpSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        self.check_bounds(path, &mut e);
        e
    }
}

impl Intervention for FollowUpSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.dip_support = 1.0 - (1.0 - cx.levers.dip_support) * (1.0 - self.support);
    }
}
