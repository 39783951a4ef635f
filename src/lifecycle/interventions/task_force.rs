//! Task forces, the usual remedy: management charters a team for a few months (once, or every
//! `every_years`), appointed by rank (the usual suspects), gives it protected time, and
//! disbands it.
//! Its members look for opportunities in its remit and need no further approval, but its
//! scope is set and reviewed through the management system, so the denser the system the
//! more work the same result takes.

use super::common::{self, by_rank, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::lifecycle::people::{Flags, People};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "task_force", "start_year": 6}`: one charter in year 6; add
    /// `"every_years": 3` to charter a new one every three years.
    pub struct TaskForceSpec {
        /// Years between charters, from 0.25 to 50; absent or null (the default): one charter
        /// only.
        pub every_years: Option<f64> = None,
        /// How long each task force lasts, months. From 0.5 to 60, and shorter than every_years.
        /// Default 4.
        pub duration_months: f64 = 4.0,
        /// Members, appointed by rank. Integer from 1 to 1,000. Default 8.
        pub members: u32 = 8,
        /// Share of members' time given to the task force. From 0 to 1. Default 0.3.
        pub protected_share: f64 = 0.3,
    }
}

impl TaskForceSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        if let Some(every) = self.every_years {
            check_in(
                &mut e,
                format!("{path}.every_years"),
                every,
                0.25,
                50.0,
                "a number of years (or null for a single charter)",
            );
        }
        check_in(
            &mut e,
            format!("{path}.duration_months"),
            self.duration_months,
            0.5,
            60.0,
            "a number of months",
        );
        if let Some(every) = self
            .every_years
            .filter(|&y| self.duration_months / 12.0 >= y)
        {
            e.push(FieldError::new(
                format!("{path}.duration_months"),
                self.duration_months.to_string(),
                format!("must be shorter than every_years ({every} years)"),
            ));
        }
        check_in(
            &mut e,
            format!("{path}.members"),
            f64::from(self.members),
            1.0,
            1000.0,
            "an integer",
        );
        check_in(
            &mut e,
            format!("{path}.protected_share"),
            self.protected_share,
            0.0,
            1.0,
            "a share",
        );
        e
    }

    /// Weeks between charters (`u32::MAX` for a single charter) and weeks each lasts.
    fn cycle(&self) -> (u32, u32) {
        let every = self
            .every_years
            .map_or(u32::MAX, |y| ((y * 52.0).round() as u32).max(1));
        let duration = ((self.duration_months * 52.0 / 12.0).round() as u32).clamp(1, every);
        (every, duration)
    }

    /// Whether a task force is chartered in week `step`.
    pub fn chartered(&self, step: u32) -> bool {
        let w = self.window();
        let (every, duration) = self.cycle();
        step >= w.start && (step - w.start) % every < duration
    }

    fn disband(people: &mut People) {
        for h in &mut people.hot {
            h.flags.remove(Flags::TASK_FORCE);
        }
    }
}

impl Intervention for TaskForceSpec {
    /// In force from the first charter until the last task force has been disbanded (a
    /// single charter: until it ends).
    fn window(&self) -> Window {
        let w = common::window(self.start_year, self.end_year);
        let duration = self.cycle().1;
        let end = match (self.every_years, w.end) {
            (None, _) => Some(w.start.saturating_add(duration)),
            (Some(_), end) => end.map(|e| e + duration),
        };
        Window {
            start: w.start,
            end,
        }
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        let start = self.window().start;
        let (every, duration) = self.cycle();
        let phase = (cx.step - start) % every;
        let last_charter = common::window(self.start_year, self.end_year).end;
        if phase == 0 && last_charter.is_none_or(|e| cx.step < e) {
            // Appointed by rank: highest in the chart first, then longest-serving.
            Self::disband(cx.people);
            for &i in by_rank(cx.people, cx.chart).iter().take(self.members as usize) {
                cx.people.hot[i].flags.insert(Flags::TASK_FORCE);
            }
        } else if phase == duration {
            Self::disband(cx.people);
        }
        if self.chartered(cx.step) {
            cx.levers.task_force_time += self.protected_share;
        }
    }

    fn finish(&self, cx: &mut Context<'_>) {
        Self::disband(cx.people);
    }
}
