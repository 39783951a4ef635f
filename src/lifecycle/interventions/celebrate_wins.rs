//! Celebrating wins: a completed initiative is explicitly celebrated, raising the engagement
//! of its team and, by a third as much, of everyone tied to them who hears of it.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "celebrate_wins", "start_year": 10}`.
    pub struct CelebrateWinsSpec {
        /// Engagement added to each member of a completed team (a third of it to their
        /// ties). From 0 to 1. Default 0.05.
        pub boost: f64 = 0.05,
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
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.celebration += self.boost;
    }
}
