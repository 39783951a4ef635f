//! 90-day wins: initiatives scoped to a cycle of about 90 days, with a metric the team designs
//! and check-ins agreed at the start (30 and 60 days): less work per initiative and support
//! through the dip, so shallower dips, fewer quits and visible wins. The guiding coalition
//! chooses these initiatives: it applies to network initiatives started while it is in force
//! and a coalition is seated (nothing before), and the check-ins take the team's time.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "ninety_day_wins", "start_year": 10}`.
    pub struct NinetyDayWinsSpec {
        /// Length of a cycle, days: an initiative the team could not finish within it is scoped
        /// down to what it can do in one cycle.
        pub cycle_days: f64 = 90.0 => [14.0, 365.0] Phrase("a number of days"), "days",
            "length of a cycle",
            "Kotter: initiatives scoped to 90 days";
        /// Days of the check-ins within a cycle (each between 1 and cycle_days). Each check-in
        /// removes a quarter of the remaining quitting: support = 1 - 0.75^count.
        pub checkin_days: Vec<f64> = vec![30.0, 60.0] => "list of days",
            "days of the check-ins within a cycle (each between 1 and cycle_days); only their \
             number enters the model",
            "Kotter: check-ins at 30 and 60 days";
        /// Share of a working week each team member spends on one check-in.
        pub checkin_share: f64 = 0.1 => [0.0, 1.0] Phrase("a share"), "share of a week",
            "share of a working week each team member spends on one check-in (spread over the \
             cycle)",
            "assumption: half a day to prepare, meet and follow up";
    }
}

impl NinetyDayWinsSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        self.check_bounds(path, &mut e);
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
        if cx.dual.seats.is_empty() {
            return;
        }
        cx.levers.cycle_weeks = cx.levers.cycle_weeks.min(self.cycle_days / 7.0);
        let count = self.checkin_days.len() as f64;
        let support = 1.0 - libm::pow(0.75, count);
        cx.levers.checkin_support = 1.0 - (1.0 - cx.levers.checkin_support) * (1.0 - support);
        cx.levers.checkin_time += count * self.checkin_share / (self.cycle_days / 7.0);
    }
}
