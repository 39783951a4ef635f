//! Employees, stored for speed: a slot per employee addressed by a typed [`AgentId`], the
//! fields that change every week packed in one small struct ([`Person`], updated in parallel),
//! and the structural fields and fixed traits in columns of their own.
//!
//! Slots of people who left are reused by later hires (last freed, first reused), so the
//! storage never grows beyond the peak headcount.

use std::num::NonZeroU32;

use crate::march1991::Beliefs;

/// An employee's slot. Cannot be confused with a step, a department or a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AgentId(pub u32);

impl Default for AgentId {
    fn default() -> Self {
        AgentId::NONE
    }
}

impl AgentId {
    /// "Nobody" (no manager, no report).
    pub const NONE: AgentId = AgentId(u32::MAX);

    /// The slot index.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// Whether this is a real agent.
    #[inline]
    pub fn is_some(self) -> bool {
        self != AgentId::NONE
    }
}

/// An initiative's slot, which is also its team's name. Stored as slot + 1, so that a person's
/// `Option<TeamId>` takes four bytes, as a bare index would.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TeamId(NonZeroU32);

impl TeamId {
    /// The team working in initiative slot `slot`.
    #[inline]
    pub fn new(slot: usize) -> TeamId {
        let stored = u32::try_from(slot + 1)
            .ok()
            .and_then(NonZeroU32::new)
            .expect("fewer than u32::MAX initiative slots");
        TeamId(stored)
    }

    /// The initiative slot.
    #[inline]
    pub fn index(self) -> usize {
        (self.0.get() - 1) as usize
    }
}

/// The four leadership capabilities (Ancona et al.'s distributed, incomplete leaders).
pub const SENSEMAKING: usize = 0;
/// Building trusting relationships.
pub const RELATING: usize = 1;
/// A compelling picture of the future.
pub const VISIONING: usize = 2;
/// New ways to get there.
pub const INVENTING: usize = 3;

/// The fields of one employee that change every week.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Person {
    /// Beliefs about the environment.
    pub beliefs: Beliefs,
    /// This week's action on each dimension (bit set = acts +1).
    pub action: u64,
    /// This week's performance: action x reality summed over dimensions.
    pub performance: i32,
    /// Engagement, 0 to 1.
    pub engagement: f32,
    /// Initiative propensity now, 0 to 1 (eroded by suppression, recovering toward the trait).
    pub initiative: f32,
    /// Age in years.
    pub age: f32,
    /// Weeks employed.
    pub tenure: u32,
    /// 1 + the last step in which this person led or contributed to an initiative (0: never).
    pub last_led: u32,
    /// The initiative this person works on, if any.
    pub team: Option<TeamId>,
    /// This week's expected launch rate (for `innovation_capacity`).
    pub launch_rate: f32,
    /// Role and leadership-system state.
    pub flags: Flags,
}

// The weekly record stays one cache line (the ODD's "64-byte record").
const _: () = assert!(std::mem::size_of::<Person>() == 64);

bitflags::bitflags! {
    /// A person's role and state in the leadership system, one bit each.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Flags: u16 {
        /// The slot holds a current employee.
        const ALIVE = 1;
        /// Aware of the big opportunity statement.
        const AWARE = 2;
        /// Spotted an opportunity this week and decided to act on it.
        const LAUNCH = 4;
        /// Leaves the organization at the end of this week.
        const LEAVING = 8;
        /// A manager (has or can have direct reports).
        const MANAGER = 16;
        /// A volunteer in the leadership network.
        const VOLUNTEER = 32;
        /// A member of the guiding coalition.
        const COALITION = 64;
        /// Hired with onboarding in the shared vocabulary of both systems.
        const ONBOARDED = 128;
        /// A member of a chartered task force.
        const TASK_FORCE = 256;
        /// A member of the urgency group.
        const URGENCY = 512;
        /// Applied for a seat on the guiding coalition.
        const APPLIED = 1024;
        /// Has answered the coalition's call for applications (applied or not).
        const ASKED = 2048;
        /// A manager who sponsors network initiatives (in the network, or tied to its
        /// coalition).
        const SPONSOR = 4096;
        /// Reports to a sponsor.
        const SPONSORED = 8192;
        /// Has served a term on the guiding coalition (members serve one term).
        const SERVED = 16384;
    }
}

impl Flags {
    /// A member of the leadership network: a volunteer or a coalition member.
    #[inline]
    pub fn in_network(self) -> bool {
        self.intersects(Flags::VOLUNTEER | Flags::COALITION)
    }
}

impl Person {
    /// A current employee who is not leaving this week.
    #[inline]
    pub fn is_staying(&self) -> bool {
        self.flags.contains(Flags::ALIVE) && !self.flags.contains(Flags::LEAVING)
    }

    /// Free to start or join an initiative: in none, and not leaving this week.
    #[inline]
    pub fn is_free(&self) -> bool {
        self.team.is_none() && !self.flags.contains(Flags::LEAVING)
    }
}

/// Fixed traits drawn at hire.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Traits {
    /// Sensemaking, relating, visioning, inventing; each 0 to 1.
    pub capabilities: [f32; 4],
    /// Initiative propensity at hire (what suppression erodes and time restores).
    pub initiative: f32,
    /// Energy, 0 to 1.
    pub energy: f32,
    /// Persistence: resistance to quitting in the dip, 0 to 1.
    pub persistence: f32,
    /// Share of time taken by operational work.
    pub operational_load: f32,
}

/// Every employee slot: the weekly records and the fixed traits. Where each sits in the
/// organization is the chart's ([`super::chart::Chart`]), whom they know the network's.
#[derive(Clone, Debug, Default)]
pub struct People {
    /// Weekly state, one per slot.
    pub hot: Vec<Person>,
    /// Fixed traits.
    pub traits: Vec<Traits>,
    /// Free slots, reused last-in first-out.
    free: Vec<AgentId>,
    /// Current employees.
    headcount: u32,
}

impl People {
    /// Number of slots (alive or free).
    pub fn slots(&self) -> usize {
        self.hot.len()
    }

    /// Current employees.
    pub fn headcount(&self) -> u32 {
        self.headcount
    }

    /// Whether `id` is a current employee.
    #[inline]
    pub fn alive(&self, id: AgentId) -> bool {
        self.hot[id.index()].flags.contains(Flags::ALIVE)
    }

    /// Whether `id` is a manager.
    #[inline]
    pub fn is_manager(&self, id: AgentId) -> bool {
        self.hot[id.index()].flags.contains(Flags::MANAGER)
    }

    /// Makes room for `additional` more slots exactly, so the columns do not carry the
    /// doubling slack of ordinary vector growth.
    pub fn reserve_exact(&mut self, additional: usize) {
        self.hot.reserve_exact(additional);
        self.traits.reserve_exact(additional);
    }

    /// Everyone in `hot` and `traits` (slot by slot, all current employees), with no free
    /// slots: the founding team, drawn in one pass.
    pub fn from_columns(hot: Vec<Person>, traits: Vec<Traits>) -> People {
        assert_eq!(
            hot.len(),
            traits.len(),
            "one record and one set of traits a slot"
        );
        debug_assert!(hot.iter().all(|h| h.flags.contains(Flags::ALIVE)));
        let headcount = u32::try_from(hot.len()).expect("fewer than 2^32 people");
        People {
            hot,
            traits,
            free: Vec::new(),
            headcount,
        }
    }

    /// Takes a slot for a new employee with the given weekly state and traits.
    pub fn add(&mut self, person: Person, traits: Traits) -> AgentId {
        self.headcount += 1;
        if let Some(id) = self.free.pop() {
            self.hot[id.index()] = person;
            self.traits[id.index()] = traits;
            id
        } else {
            if self.hot.len() == self.hot.capacity() {
                // Grow by an eighth: at most 12.5% of the columns is unused.
                self.reserve_exact(grown(self.hot.len()));
            }
            let id = AgentId(self.hot.len() as u32);
            self.hot.push(person);
            self.traits.push(traits);
            id
        }
    }

    /// Frees `id`'s slot (the caller has already taken it out of the chart and network).
    pub fn remove(&mut self, id: AgentId) {
        self.hot[id.index()].flags = Flags::empty();
        self.hot[id.index()].team = None;
        self.headcount -= 1;
        self.free.push(id);
    }
}

/// Slots to add when per-slot columns of `len` slots are full: an eighth, at least 64.
pub fn grown(len: usize) -> usize {
    (len / 8).max(64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alive() -> Person {
        Person {
            flags: Flags::ALIVE,
            ..Person::default()
        }
    }

    #[test]
    fn slots_are_reused_last_freed_first_and_headcount_kept() {
        let mut p = People::default();
        let a = p.add(alive(), Traits::default());
        let b = p.add(alive(), Traits::default());
        let c = p.add(alive(), Traits::default());
        assert_eq!(p.headcount(), 3);
        p.remove(a);
        p.remove(b);
        assert_eq!(p.headcount(), 1);
        assert!(!p.alive(a) && !p.alive(b) && p.alive(c));
        let d = p.add(alive(), Traits::default());
        assert_eq!(d, b, "the last freed slot is reused first");
        assert_eq!(p.add(alive(), Traits::default()), a);
        assert_eq!((p.slots(), p.headcount()), (3, 3));
    }
}
