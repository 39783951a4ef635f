//! Keeping the two systems close: liaison between the hierarchy and the network, so they
//! understand and appreciate each other. Once a coalition is seated, managers not yet tied to
//! it meet a coalition member (a liaison tie) and learn the statement; a manager tied to the
//! coalition sponsors network initiatives at the gate and carries their findings into the
//! code, and sponsors defuse hostility between the systems (docs/ODD.md 7.2.3).

use super::common::{self, intervention_spec};
use super::{Context, Intervention, Window};
use crate::lifecycle::people::{AgentId, Flags};
use crate::rng::Draw;
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "keep_close", "start_year": 10}`.
    pub struct KeepCloseSpec {
        /// Weekly probability that a manager not yet tied to the coalition gets a liaison tie to
        /// one of its members.
        pub liaison_rate: f64 = 0.1 => [0.0, 1.0] Phrase("a probability"),
            "probability per week",
            "weekly probability that a manager not yet tied to the seated coalition gets a tie to \
             one of its members (and learns the statement)",
            "assumption: a deliberate liaison programme (each coalition member assigned managers \
             to brief, joint sessions, reporting): half of the managers are linked within about \
             seven weeks of the coalition's seating";
    }
}

impl KeepCloseSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        self.check_bounds(path, &mut e);
        e
    }
}

impl Intervention for KeepCloseSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        let seats = &cx.dual.seats;
        if seats.is_empty() {
            return;
        }
        let people = &mut *cx.people;
        for i in 0..people.slots() {
            let h = people.hot[i];
            // Sponsors (marked last week) are already tied to the coalition or in the network.
            if !h.is_staying()
                || !h.flags.contains(Flags::MANAGER)
                || h.flags.intersects(Flags::COALITION | Flags::SPONSOR)
            {
                continue;
            }
            let id = AgentId(i as u32);
            let tied = cx
                .network
                .ties(id)
                .iter()
                .any(|o| people.hot[o.index()].flags.contains(Flags::COALITION));
            if tied || !cx.rng.chance(self.liaison_rate) {
                continue;
            }
            let member = seats[cx.rng.below(seats.len() as u64) as usize].member;
            cx.network.connect(id, member);
            people.hot[i].flags.insert(Flags::AWARE);
        }
    }
}
