//! The informal network: symmetric ties between employees, dense inside a department and
//! sparse across, made as people join (and at cross-team events) and lost as they leave.

use super::chart::Chart;
use super::params::OrganizationParams;
use super::people::{AgentId, People, grown};
use crate::rng::{Draw, SimRng};

/// Informal ties, a list per employee slot (symmetric: b is in a's list iff a is in b's).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Network {
    ties: Vec<Vec<AgentId>>,
}

impl Network {
    /// Makes room for `additional` more slots exactly.
    pub fn reserve_exact(&mut self, additional: usize) {
        self.ties.reserve_exact(additional);
    }

    /// Gives slot `id` (new, or reused after a leaver, whose ties were cut) its tie list.
    pub fn add_slot(&mut self, id: AgentId) {
        if id.index() >= self.ties.len() {
            if self.ties.len() == self.ties.capacity() {
                self.ties.reserve_exact(grown(self.ties.len()));
            }
            self.ties.resize_with(id.index() + 1, Vec::new);
        }
    }

    /// `id`'s ties, oldest first.
    #[inline]
    pub fn ties(&self, id: AgentId) -> &[AgentId] {
        &self.ties[id.index()]
    }

    /// Every slot's ties, by slot.
    pub fn all(&self) -> &[Vec<AgentId>] {
        &self.ties
    }

    /// Ties `a` and `b` (symmetric). Returns false if they were already tied.
    pub fn connect(&mut self, a: AgentId, b: AgentId) -> bool {
        if a == b || self.ties[a.index()].contains(&b) {
            return false;
        }
        for (x, y) in [(a, b), (b, a)] {
            let list = &mut self.ties[x.index()];
            if list.len() == list.capacity() {
                // Tie lists grow four at a time rather than doubling: most people have a dozen.
                list.reserve_exact(4);
            }
            list.push(y);
        }
        true
    }

    /// Removes every tie of `id` (who leaves).
    pub fn cut(&mut self, id: AgentId) {
        for other in std::mem::take(&mut self.ties[id.index()]) {
            let list = &mut self.ties[other.index()];
            if let Some(pos) = list.iter().position(|&x| x == id) {
                list.swap_remove(pos);
            }
        }
    }

    /// Ties for a new hire: up to `ties_within` colleagues in the department, the manager, and
    /// on average `ties_across` people elsewhere. Random partners by rejection sampling over
    /// slots, so the cost does not grow with headcount.
    pub fn tie_in(
        &mut self,
        people: &People,
        chart: &Chart,
        rng: &mut SimRng,
        o: &OrganizationParams,
        id: AgentId,
    ) {
        let d = chart.department[id.index()];
        let boss = chart.manager[id.index()];
        if boss.is_some() {
            self.connect(id, boss);
        }
        let slots = people.slots() as u64;
        if slots <= 1 {
            return;
        }
        let mut made = 0;
        let mut tries = 0;
        while made < o.ties_within && tries < 20 * o.ties_within {
            tries += 1;
            let other = AgentId(rng.below(slots) as u32);
            if other != id
                && people.alive(other)
                && chart.department[other.index()] == d
                && self.connect(id, other)
            {
                made += 1;
            }
        }
        let across = o.ties_across.floor() as u32 + u32::from(rng.chance(o.ties_across.fract()));
        let mut made = 0;
        let mut tries = 0;
        while made < across && tries < 20 * across.max(1) {
            tries += 1;
            let other = AgentId(rng.below(slots) as u32);
            if other != id
                && people.alive(other)
                && chart.department[other.index()] != d
                && self.connect(id, other)
            {
                made += 1;
            }
        }
    }

    /// Bytes of heap memory the network holds (for the memory benchmarks).
    pub fn heap_bytes(&self) -> usize {
        self.ties.capacity() * std::mem::size_of::<Vec<AgentId>>()
            + self.ties.iter().map(|t| t.capacity() * 4).sum::<usize>()
    }
}
