//! The urgency group: volunteers who spread the opportunity statement through their ties,
//! aiming for broad understanding and opt-in commitment. It forms from people who know the
//! statement and volunteer (so not before the statement is issued), and grows as word spreads;
//! those who hear of it become aware; aware people opt in to the leadership network, the more
//! readily the more initiative and engagement they have (so younger people most). Spreading
//! takes its members' time.

use super::common::{self, intervention_spec};
use super::{Context, Intervention, Window};
use crate::lifecycle::people::{AgentId, Flags, Person};
use crate::rng::Draw;
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "urgency_group", "start_year": 10}`.
    pub struct UrgencyGroupSpec {
        /// Places in the group as a share of headcount, filled by volunteers who know the statement.
        pub share: f64 = 0.03 => [0.001, 0.5] Phrase("a share"), "share of headcount",
            "places in the group as a share of headcount, filled by aware volunteers",
            "assumption: a small group of volunteers (3% of 2,000 people is 60)";
        /// Weekly probability that an aware person with initiative and engagement 1 volunteers
        /// for the group while places remain.
        pub volunteer_rate: f64 = 0.3 => [0.0, 1.0] Phrase("a probability"), "probability per week",
            "weekly probability that an aware person with initiative and engagement 1 volunteers \
             while places remain",
            "assumption: a call for volunteers answered within weeks by the most willing (a \
             typical aware employee, willingness about 0.3, volunteers with about 9% a week)";
        /// Share of a member's working week spent spreading the statement.
        pub time_share: f64 = 0.05 => [0.0, 1.0] Phrase("a share"), "share of time",
            "share of a member's working week spent spreading the statement",
            "assumption: about two hours a week of conversations beside the day job";
        /// Weekly probability that a member tells each unaware tie.
        pub spread: f64 = 0.08 =>
            [0.0, 1.0] Phrase("a probability"), "probability per tie per week",
            "weekly probability that a member tells each unaware tie",
            "assumption: word of mouth over months; each unaware tie of a member hears it within \
             about 12 weeks on average";
        /// Weekly probability that an aware person with full initiative and engagement opts in to
        /// the leadership network (times the coalition's network energy).
        pub opt_in: f64 = 0.1 => [0.0, 1.0] Phrase("a probability"), "probability per week",
            "weekly probability that an aware person with initiative and engagement 1 opts in, \
             before network energy",
            "assumption: opt-in is selective and takes months (a typical aware employee, \
             willingness about 0.3, opts in after about eight months at network energy 1); the more \
             willing, so the younger and more engaged, first (brief)";
    }
}

impl UrgencyGroupSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        self.check_bounds(path, &mut e);
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
        cx.levers.urgency_time += self.time_share;
        // Places open to volunteers who know the statement; if more volunteer than there are
        // places this week, the most willing join (ties broken by slot).
        let hot = &cx.people.hot;
        let members = hot
            .iter()
            .filter(|h| h.is_staying() && h.flags.contains(Flags::URGENCY))
            .count();
        let places =
            ((f64::from(cx.people.headcount()) * self.share).ceil() as usize).saturating_sub(members);
        if places == 0 {
            return;
        }
        let mut volunteers = Vec::new();
        for (i, h) in hot.iter().enumerate() {
            if h.is_staying()
                && h.flags.contains(Flags::AWARE)
                && !h.flags.contains(Flags::URGENCY)
                && cx.rng.chance((self.volunteer_rate * willingness(h)).min(1.0))
            {
                volunteers.push(i);
            }
        }
        volunteers.sort_by(|&a, &b| {
            willingness(&hot[b])
                .total_cmp(&willingness(&hot[a]))
                .then(a.cmp(&b))
        });
        for &i in volunteers.iter().take(places) {
            cx.people.hot[i]
                .flags
                .insert(Flags::URGENCY | Flags::VOLUNTEER | Flags::AWARE);
            cx.dual.network = true;
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
