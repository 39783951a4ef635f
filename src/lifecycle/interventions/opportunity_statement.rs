//! The big opportunity statement: a half-page from top management, concrete and emotionally
//! engaging. It is written and the leadership team aligned behind it first (`align_weeks`);
//! then it is issued to the top of the chart. Those who know it look for opportunities in its
//! direction (clarity) and are more ready to act (appeal).

use super::common::{self, intervention_spec};
use super::{Context, Intervention, Window};
use crate::lifecycle::people::Flags;
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "opportunity_statement", "start_year": 10}`.
    pub struct OpportunityStatementSpec {
        /// How much it focuses the spotting of those aware of it: spotting x (1 + clarity).
        pub clarity: f64 = 0.05 => [0.0, 2.0] Phrase("a number"), "multiplier increment",
            "how much it focuses the spotting of those aware of it: spotting x (1 + clarity)",
            "assumption: a concrete statement points attention in one direction, but gives nobody \
             more time; a small gain (the statement works mainly through who knows it: \
             volunteering, applying, opting in and sponsoring all need it), so that a firm running \
             the whole package does not innovate more per head than its own startup did (P14)";
        /// How much it moves those aware of it to act: decision x (1 + appeal).
        pub appeal: f64 = 0.05 => [0.0, 2.0] Phrase("a number"), "multiplier increment",
            "how much it moves those aware of it to act: decision x (1 + appeal)",
            "assumption: an emotionally engaging statement makes people more ready to act; a small \
             gain beside engagement itself, which celebrated wins raise (P14)";
        /// Levels of the chart that learn it when it is issued (1 = the founder only).
        pub top_levels: u32 = 2 => [1, 20] Integer, "levels",
            "levels of the chart that learn it when it is issued (1 = the founder only)",
            "the leadership team aligned behind it";
        /// Weeks from the start until it is issued: drafting it and aligning the leadership team
        /// behind it.
        pub align_weeks: u32 = 4 => [0, 104] Integer, "weeks",
            "weeks of drafting and aligning the top team before it is issued; nothing of the \
             statement acts before",
            "assumption: a month of drafts and alignment sessions of the top team (Kotter 2014: \
             written and owned by senior management before anyone else hears it)";
    }
}

impl OpportunityStatementSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        self.check_bounds(path, &mut e);
        e
    }
}

impl Intervention for OpportunityStatementSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        let issue = self.window().start + self.align_weeks;
        if cx.step < issue {
            return;
        }
        if cx.step == issue {
            cx.dual.statement_week = Some(issue);
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
