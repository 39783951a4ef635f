//! The urgency group: volunteers who spread the opportunity statement through their ties,
//! aiming for broad understanding and opt-in commitment. Those who hear of it become aware;
//! aware people opt in to the leadership network, the more readily the more initiative and
//! engagement they have (so younger people most).

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::lifecycle::people::{AgentId, Flags, Person};
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
pub fn willingness(h: &Person) -> f64 {
    f64::from(h.initiative) * f64::from(h.engagement)
}

impl Intervention for UrgencyGroupSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        if cx.step == self.window().start {
            // The most willing volunteer first (ties broken by slot).
            let hot = &cx.people.hot;
            let mut candidates: Vec<usize> =
                (0..hot.len()).filter(|&i| hot[i].is_staying()).collect();
            candidates.sort_by(|&a, &b| {
                willingness(&hot[b])
                    .total_cmp(&willingness(&hot[a]))
                    .then(a.cmp(&b))
            });
            let seats = ((f64::from(cx.people.headcount()) * self.share).ceil() as usize).max(1);
            for &i in candidates.iter().take(seats) {
                cx.people.hot[i]
                    .flags
                    .insert(Flags::URGENCY | Flags::VOLUNTEER | Flags::AWARE);
            }
        }
    }

    fn week_end(&self, cx: &mut Context<'_>) {
        for i in 0..cx.people.slots() {
            let h = cx.people.hot[i];
            if !h.is_staying() {
                continue;
            }
            if h.flags.contains(Flags::URGENCY) {
                for &other in cx.network.ties(AgentId(i as u32)) {
                    let told = &mut cx.people.hot[other.index()];
                    if !told.flags.contains(Flags::AWARE) && cx.rng.chance(self.spread) {
                        told.flags.insert(Flags::AWARE);
                    }
                }
            } else if h.flags.contains(Flags::AWARE)
                && !h.flags.contains(Flags::VOLUNTEER)
                && cx
                    .rng
                    .chance(self.opt_in * willingness(&h) * cx.levers.network_energy)
            {
                cx.people.hot[i].flags.insert(Flags::VOLUNTEER);
            }
        }
    }

    /// The network it built dissolves; coalition members remain volunteers while their
    /// coalition lasts.
    fn finish(&self, cx: &mut Context<'_>) {
        for h in &mut cx.people.hot {
            h.flags.remove(Flags::URGENCY);
            if !h.flags.contains(Flags::COALITION) {
                h.flags.remove(Flags::VOLUNTEER);
            }
        }
    }
}
