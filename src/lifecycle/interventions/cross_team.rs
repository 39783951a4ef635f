//! Cross-team communication: hackfest-like events where people from different departments
//! meet, make ties across departments, and find the bite-sized opportunities that appear
//! between teams.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::lifecycle::people::{AgentId, Flags};
use crate::rng::Draw;
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "cross_team", "start_year": 5}`.
    pub struct CrossTeamSpec {
        /// Months between events. From 0.5 to 60. Default 3.
        pub every_months: f64 = 3.0,
        /// Share of employees taking part in each event. From 0 to 1. Default 0.2.
        pub participants: f64 = 0.2,
        /// New cross-department ties each participant makes. From 0 to 20. Default 1.
        pub ties_per_participant: f64 = 1.0,
        /// How much more often participants spot opportunities in the event week: spotting x
        /// (1 + boost). From 0 to 10. Default 1.
        pub spotting_boost: f64 = 1.0,
    }
}

impl CrossTeamSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.every_months"),
            self.every_months,
            0.5,
            60.0,
            "a number of months",
        );
        check_in(
            &mut e,
            format!("{path}.participants"),
            self.participants,
            0.0,
            1.0,
            "a share",
        );
        check_in(
            &mut e,
            format!("{path}.ties_per_participant"),
            self.ties_per_participant,
            0.0,
            20.0,
            "a number",
        );
        check_in(
            &mut e,
            format!("{path}.spotting_boost"),
            self.spotting_boost,
            0.0,
            10.0,
            "a number",
        );
        e
    }
}

impl Intervention for CrossTeamSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        let every = ((self.every_months * 52.0 / 12.0).round() as u32).max(1);
        if (cx.step - self.window().start) % every != 0 {
            return;
        }
        // Event week: opportunities appear between teams, and new ties form.
        cx.levers.spot_factor *= 1.0 + self.spotting_boost * self.participants;
        let slots = cx.people.slots() as u64;
        let whole = self.ties_per_participant.floor() as u32;
        let frac = self.ties_per_participant.fract();
        for i in 0..cx.people.slots() {
            if !cx.people.hot[i].flags.contains(Flags::ALIVE) || !cx.rng.chance(self.participants) {
                continue;
            }
            let wanted = whole + u32::from(cx.rng.chance(frac));
            let mut made = 0;
            let mut tries = 0;
            while made < wanted && tries < 20 {
                tries += 1;
                let other = cx.rng.below(slots) as usize;
                if cx.people.hot[other].flags.contains(Flags::ALIVE)
                    && cx.chart.department[other] != cx.chart.department[i]
                    && cx.network.connect(AgentId(i as u32), AgentId(other as u32))
                {
                    made += 1;
                }
            }
        }
    }
}
