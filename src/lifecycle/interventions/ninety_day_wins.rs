//! 90-day wins: initiatives scoped to a cycle of about 90 days, with a metric the team designs
//! and check-ins agreed at the start (30 and 60 days): less work per initiative and support
//! through the dip, so shallower dips, fewer quits and visible wins. Applies to initiatives
//! started while it is in force.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "ninety_day_wins", "start_year": 10}`.
    pub struct NinetyDayWinsSpec {
        /// Length of a cycle, days. From 14 to 365. Default 90. The default scope of an
        /// initiative takes a mid-life team about 180 days, so scoping to the cycle multiplies the
        /// work needed by min(1, cycle_days / 180).
        pub cycle_days: f64 = 90.0,
        /// Days of the check-ins within a cycle (each between 1 and cycle_days). Default [30, 60].
        /// Each check-in removes a quarter of the remaining quitting: support = 1 - 0.75^count.
        pub checkin_days: Vec<f64> = vec![30.0, 60.0],
    }
}

impl NinetyDayWinsSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.cycle_days"),
            self.cycle_days,
            14.0,
            365.0,
            "a number of days",
        );
        for (k, d) in self.checkin_days.iter().enumerate() {
            check_in(
                &mut e,
                format!("{path}.checkin_days[{k}]"),
                *d,
                1.0,
                self.cycle_days,
                "a day of the cycle",
            );
        }
        e
    }
}

impl Intervention for NinetyDayWinsSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.effort_factor *= (self.cycle_days / 180.0).min(1.0);
        let support = 1.0 - libm::pow(0.75, self.checkin_days.len() as f64);
        cx.levers.checkin_support = 1.0 - (1.0 - cx.levers.checkin_support) * (1.0 - support);
    }
}
