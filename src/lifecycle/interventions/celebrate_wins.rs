//! Celebrating wins: a completed initiative is explicitly celebrated, raising the engagement
//! of its team and, by a third as much, of everyone tied to them who hears of it.

use super::common::{self, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "celebrate_wins", "start_year": 10}`.
    pub struct CelebrateWinsSpec {
        /// Engagement added to each member of a completed team (a third of it to their ties).
        pub boost: f64 = 0.03 => [0.0, 1.0] Phrase("a number"), "engagement",
            "engagement added to each member of a completed team (a third of it to their ties, \
             times 1 - their engagement)",
            "assumption: under a third of `engagement_from_success`: recognition adds to the \
             satisfaction of finishing; more would lift a small firm's engagement far above the \
             surveys' (Gallup: a quarter to a third engaged) and its capacity per head above its \
             startup's (P14)";
    }
}

impl CelebrateWinsSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        self.check_bounds(path, &mut e);
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
