//! The whole state of one life-cycle run, one part per module that owns it (people, the org
//! chart, the network, the management system, the initiatives, knowledge), and the week's
//! levers and counters.

use super::chart::Chart;
use super::knowledge::Knowledge;
use super::leadership::Initiatives;
use super::management::Management;
use super::network::Network;
use super::people::{AgentId, Flags, People};
use crate::rng::SimRng;

/// Share of organization-wide protected time that process consumes at density 1.
pub const PROTECTED_TIME_EROSION: f64 = 0.7;

/// Settings that interventions adjust each week; every week starts from [`Levers::NEUTRAL`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Levers {
    /// Share of working time protected for self-chosen work (autonomy), added to slack.
    pub protected_slack: f64,
    /// Added to the culture's fear (negative: psychological safety).
    pub fear_shift: f64,
    /// Share of quitting in the dip prevented by follow-up, 0 to 1.
    pub dip_support: f64,
    /// Multiplies the spotting rate of people aware of the opportunity statement.
    pub aware_spot_factor: f64,
    /// Multiplies the decision to act of people aware of the opportunity statement.
    pub aware_decide_factor: f64,
    /// Multiplies everyone's spotting rate (cross-team events).
    pub spot_factor: f64,
    /// Probability that senior management upholds a network initiative that a manager
    /// blocked and the seated coalition escalated (0 without a seated coalition).
    pub mandate: f64,
    /// Time of guiding-coalition members chartered for coalition work (share of a week).
    pub coalition_time: f64,
    /// Share of the coalition's chartered time that is useful work (sub-teams: 1).
    pub coalition_yield: f64,
    /// Time of urgency-group members spent spreading the statement (share of a week).
    pub urgency_time: f64,
    /// Protected time of task-force members.
    pub task_force_time: f64,
    /// Check-in support given to network initiatives the coalition starts this week (90-day
    /// wins).
    pub checkin_support: f64,
    /// Weekly time each member of such an initiative spends in its check-ins.
    pub checkin_time: f64,
    /// Cycle that network initiatives started this week are scoped to (90-day wins), in
    /// weeks; infinite without one.
    pub cycle_weeks: f64,
    /// Engagement given to a completed team, and a third of it to their ties (celebration).
    pub celebration: f64,
    /// Hostility between the systems (culture war), 0 to 1, before sponsors defuse it.
    pub hostility: f64,
    /// How strongly the leadership network draws people in: the guiding coalition's mean
    /// attitude relative to the organization's (1 without a coalition).
    pub network_energy: f64,
}

impl Levers {
    /// No intervention.
    pub const NEUTRAL: Levers = Levers {
        protected_slack: 0.0,
        fear_shift: 0.0,
        dip_support: 0.0,
        aware_spot_factor: 1.0,
        aware_decide_factor: 1.0,
        spot_factor: 1.0,
        mandate: 0.0,
        coalition_time: 0.0,
        coalition_yield: 1.0,
        urgency_time: 0.0,
        task_force_time: 0.0,
        checkin_support: 0.0,
        checkin_time: 0.0,
        cycle_weeks: f64::INFINITY,
        celebration: 0.0,
        hostility: 0.0,
        network_energy: 1.0,
    };

    /// Hostility left after sponsors defuse it: `sponsor_share` is the share of managers who
    /// sponsor the network (they belong to it or are tied to its coalition).
    pub fn effective_hostility(&self, sponsor_share: f64) -> f64 {
        self.hostility * (1.0 - sponsor_share)
    }

    /// Protected time of an employee with these flags, at process density `density`: what
    /// it costs (taken from the week) and what it yields for self-chosen work. Organization-
    /// wide protected time is partly eaten by process (in a dense system "20% time" becomes
    /// overtime); time chartered for the coalition or a task force is not.
    pub fn protected_for(&self, flags: Flags, density: f64) -> (f64, f64) {
        let mut cost = self.protected_slack * (1.0 - PROTECTED_TIME_EROSION * density);
        let mut yields = cost;
        if flags.contains(Flags::COALITION) {
            cost += self.coalition_time;
            yields += self.coalition_time * self.coalition_yield;
        }
        if flags.contains(Flags::TASK_FORCE) {
            cost += self.task_force_time;
            yields += self.task_force_time;
        }
        (cost, yields)
    }

    /// Leadership duties of an employee with these flags besides initiative work: spreading
    /// the statement (urgency group).
    pub fn duties(&self, flags: Flags) -> f64 {
        if flags.contains(Flags::URGENCY) {
            self.urgency_time
        } else {
            0.0
        }
    }
}

impl Default for Levers {
    fn default() -> Self {
        Levers::NEUTRAL
    }
}

/// A seat on the guiding coalition: who holds it and the first week they no longer do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seat {
    /// The member.
    pub member: AgentId,
    /// First week after the member's term.
    pub until: u32,
}

/// What the dual operating system's elements have done so far, so that each acts only after
/// what it depends on (docs/ODD.md 7.2.11): the statement issued, the coalition seated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DualSystem {
    /// Week the opportunity statement was issued (after the top aligned behind it).
    pub statement_week: Option<u32>,
    /// Week the guiding coalition was first seated.
    pub seated_week: Option<u32>,
    /// The coalition's seats (members whose term has not ended).
    pub seats: Vec<Seat>,
    /// Share of managers who sponsor network initiatives this week.
    pub sponsor_share: f64,
    /// Whether anyone has joined the leadership network yet (until then nobody can sponsor
    /// it, and the weekly pass that finds sponsors is skipped).
    pub network: bool,
}

/// How the week's working time was used, summed over employees (in person-weeks), from the
/// state at the start of the week (docs/ODD.md 7.2.4).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimeUse {
    /// Operational (delivery) time owed.
    pub operational: f64,
    /// Leadership work: initiatives, coalition, urgency group, check-ins.
    pub leadership: f64,
    /// Operational time given instead to self-chosen work.
    pub delivery_lost: f64,
}

/// Events counted during one week.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WeekCounts {
    /// People hired.
    pub hires: u32,
    /// People who left (quit or retired).
    pub exits: u32,
    /// Initiatives completed.
    pub innovations: u32,
    /// Initiatives quit in the dip.
    pub quit_in_dip: u32,
    /// Initiatives that ended for any reason (completed, quit, lost their leader).
    pub ended: u32,
}

impl WeekCounts {
    /// Adds a week's counts to these totals.
    pub fn add(&mut self, week: &WeekCounts) {
        self.hires += week.hires;
        self.exits += week.exits;
        self.innovations += week.innovations;
        self.quit_in_dip += week.quit_in_dip;
        self.ended += week.ended;
    }
}

/// The state of one run.
#[derive(Clone, Debug)]
pub struct Org {
    /// The run's seed (keys the per-agent streams).
    pub seed: u64,
    /// Steps (weeks) completed.
    pub step: u32,
    /// Sequential random numbers for organization-level events.
    pub rng: SimRng,
    /// Employees: weekly records and traits ([`super::people`]).
    pub people: People,
    /// Departments, levels and the manager tree ([`super::chart`]).
    pub chart: Chart,
    /// Informal ties ([`super::network`]).
    pub network: Network,
    /// Process density and efficiency ([`super::management`]).
    pub management: Management,
    /// Initiatives ([`super::leadership`]).
    pub initiatives: Initiatives,
    /// The code, reality and market performance ([`super::knowledge`]).
    pub knowledge: Knowledge,
    /// This week's levers (set by interventions).
    pub levers: Levers,
    /// This week's events.
    pub week: WeekCounts,
    /// Events since founding.
    pub total: WeekCounts,
    /// Innovation capacity this week (expected completed initiatives per year).
    pub capacity: f64,
    /// The dual operating system's progress (statement, coalition seats, sponsors).
    pub dual: DualSystem,
    /// This week's use of working time.
    pub time: TimeUse,
    /// Reusable scratch space for the capacity computation (not part of the model state).
    pub scratch: Vec<super::weekly::Candidate>,
}

impl Org {
    /// Years since founding.
    pub fn years(&self) -> f64 {
        f64::from(self.step) / 52.0
    }

    /// Current employees.
    pub fn headcount(&self) -> u32 {
        self.people.headcount()
    }

    /// Bytes of heap memory the state holds (capacity of every vector and set), for the
    /// memory benchmarks.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let p = &self.people;
        let people = p.hot.capacity() * size_of::<super::people::Person>()
            + p.traits.capacity() * size_of::<super::people::Traits>();
        people + self.chart.heap_bytes() + self.network.heap_bytes() + self.initiatives.heap_bytes()
    }
}
