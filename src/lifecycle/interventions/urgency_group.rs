//! The urgency group: volunteers who spread the opportunity statement through their ties,
//! aiming for broad understanding and opt-in commitment. Those who hear of it become aware;
//! aware people opt in to the leadership network, the more readily the more initiative and
//! engagement they have (so younger people most).

use super::common::{self, check_in, intervention_spec};
use super::{Intervention, Window};
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::people::Flags;
use crate::lifecycle::state::Org;
use crate::rng::Draw;
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "urgency_group", "start_year": 10}`.
    pub struct UrgencyGroupSpec {
        /// Members as a share of headcount, chosen among the most willing when it forms. From
        /// 0.001 to 0.5. Default 0.03.
        pub share: f64 = 0.03,
        /// Weekly probability that a member tells each unaware tie. From 0 to 1. Default 0.05.
        pub spread: f64 = 0.05,
        /// Weekly probability that an aware person with full initiative and engagement opts in
        /// to the leadership network (times the coalition's network energy). From 0 to 1.
        /// Default 0.02.
        pub opt_in: f64 = 0.02,
    }
}

impl UrgencyGroupSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.share"),
            self.share,
            0.001,
            0.5,
            "a share",
        );
        check_in(
            &mut e,
            format!("{path}.spread"),
            self.spread,
            0.0,
            1.0,
            "a probability",
        );
        check_in(
            &mut e,
            format!("{path}.opt_in"),
            self.opt_in,
            0.0,
            1.0,
            "a probability",
        );
        e
    }
}

/// Willingness to volunteer: initiative x engagement.
pub fn willingness(org: &Org, i: usize) -> f64 {
    let h = &org.people.hot[i];
    f64::from(h.initiative) * f64::from(h.engagement)
}

impl Intervention for UrgencyGroupSpec {
    fn kind(&self) -> &'static str {
        "urgency_group"
    }

    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, org: &mut Org, _params: &LifecycleParams) {
        if org.step == self.window().start {
            // The most willing volunteer first (ties broken by slot).
            let mut candidates: Vec<usize> = (0..org.people.slots())
                .filter(|&i| {
                    let f = org.people.hot[i].flags;
                    f.contains(Flags::ALIVE) && !f.contains(Flags::LEAVING)
                })
                .collect();
            candidates.sort_by(|&a, &b| {
                willingness(org, b)
                    .total_cmp(&willingness(org, a))
                    .then(a.cmp(&b))
            });
            let seats = ((f64::from(org.headcount) * self.share).ceil() as usize).max(1);
            for &i in candidates.iter().take(seats) {
                org.people.hot[i]
                    .flags
                    .insert(Flags::URGENCY | Flags::VOLUNTEER | Flags::AWARE);
            }
        }
    }

    fn week_end(&self, org: &mut Org, _params: &LifecycleParams) {
        for i in 0..org.people.slots() {
            let flags = org.people.hot[i].flags;
            if !flags.contains(Flags::ALIVE) || flags.contains(Flags::LEAVING) {
                continue;
            }
            if flags.contains(Flags::URGENCY) {
                for k in 0..org.ties[i].len() {
                    let other = org.ties[i][k].index();
                    if !org.people.hot[other].flags.contains(Flags::AWARE)
                        && org.rng.chance(self.spread)
                    {
                        org.people.hot[other].flags.insert(Flags::AWARE);
                    }
                }
            } else if flags.contains(Flags::AWARE)
                && !flags.contains(Flags::VOLUNTEER)
                && org
                    .rng
                    .chance(self.opt_in * willingness(org, i) * org.levers.network_energy)
            {
                org.people.hot[i].flags.insert(Flags::VOLUNTEER);
            }
        }
    }

    /// The network it built dissolves; coalition members remain volunteers while their
    /// coalition lasts.
    fn finish(&self, org: &mut Org, _params: &LifecycleParams) {
        for h in &mut org.people.hot {
            h.flags.remove(Flags::URGENCY);
            if !h.flags.contains(Flags::COALITION) {
                h.flags.remove(Flags::VOLUNTEER);
            }
        }
    }
}
