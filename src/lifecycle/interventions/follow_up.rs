//! Following up: managers check in on people who step up (delivery and accountability), which
//! carries teams through the dip.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "follow_up", "start_year": 10}`.
    pub struct FollowUpSpec {
        /// Share of quitting prevented by follow-up. From 0 to 1. Default 0.3.
        pub support: f64 = 0.3,
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
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.dip_support = 1.0 - (1.0 - cx.levers.dip_support) * (1.0 - self.support);
    }
}
