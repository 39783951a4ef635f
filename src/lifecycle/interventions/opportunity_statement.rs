//! The big opportunity statement: a half-page from top management, concrete and emotionally
//! engaging. Those who know it look for opportunities in its direction (clarity) and are more
//! ready to act (appeal). It starts at the top of the chart.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::lifecycle::people::Flags;
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "opportunity_statement", "start_year": 10}`.
    pub struct OpportunityStatementSpec {
        /// How much it focuses the spotting of those aware of it: spotting x (1 + clarity).
        /// From 0 to 2. Default 0.5.
        pub clarity: f64 = 0.5,
        /// How much it moves those aware of it to act: decision x (1 + appeal). From 0 to 2.
        /// Default 0.5.
        pub appeal: f64 = 0.5,
        /// Levels of the chart that learn it when it is issued (0 = the founder only). Integer
        /// from 1 to 20. Default 2 (the leadership team aligned behind it).
        pub top_levels: u32 = 2,
    }
}

impl OpportunityStatementSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.clarity"),
            self.clarity,
            0.0,
            2.0,
            "a number",
        );
        check_in(
            &mut e,
            format!("{path}.appeal"),
            self.appeal,
            0.0,
            2.0,
            "a number",
        );
        check_in(
            &mut e,
            format!("{path}.top_levels"),
            f64::from(self.top_levels),
            1.0,
            20.0,
            "an integer",
        );
        e
    }
}

impl Intervention for OpportunityStatementSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        if cx.step == self.window().start {
            for i in 0..cx.people.slots() {
                let h = &mut cx.people.hot[i];
                if h.flags.contains(Flags::ALIVE)
                    && u32::from(cx.chart.level[i]) < self.top_levels
                {
                    h.flags.insert(Flags::AWARE);
                }
            }
        }
        cx.levers.aware_spot_factor *= 1.0 + self.clarity;
        cx.levers.aware_decide_factor *= 1.0 + self.appeal;
    }
}
