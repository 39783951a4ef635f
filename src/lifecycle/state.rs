//! The whole state of one life-cycle run, one part per module that owns it (people, the org
//! chart, the network, the management system, the initiatives, knowledge), and the week's
//! levers and counters.

use super::chart::Chart;
use super::knowledge::Knowledge;
use super::leadership::Initiatives;
use super::management::Management;
use super::network::Network;
use super::people::{Flags, People};
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
    /// Share of quitting in the dip prevented by check-ins and follow-up, 0 to 1.
    pub dip_support: f64,
    /// Multiplies the spotting rate of people aware of the opportunity statement.
    pub aware_spot_factor: f64,
    /// Multiplies the decision to act of people aware of the opportunity statement.
    pub aware_decide_factor: f64,
    /// Multiplies everyone's spotting rate (cross-team events).
    pub spot_factor: f64,
    /// Multiplies the blocking probability for initiatives of the leadership network.
    pub network_block_factor: f64,
    /// Protected time of guiding-coalition members.
    pub coalition_time: f64,
    /// Protected time of task-force members.
    pub task_force_time: f64,
    /// Check-in support given to initiatives started this week (90-day wins).
    pub checkin_support: f64,
    /// Scope of initiatives started this week, as a multiplier of the work needed.
    pub effort_factor: f64,
    /// Engagement given to a completed team, and a third of it to their ties (celebration).
    pub celebration: f64,
    /// Whether the code learns from network initiatives as from the hierarchy's own.
    pub network_code_learning: bool,
    /// Hostility between the systems (culture war), 0 to 1.
    pub hostility: f64,
    /// Closeness between the systems (liaison), 0 to 1: defuses hostility and shields
    /// network initiatives.
    pub closeness: f64,
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
        network_block_factor: 1.0,
        coalition_time: 0.0,
        task_force_time: 0.0,
        checkin_support: 0.0,
        effort_factor: 1.0,
        celebration: 0.0,
        network_code_learning: false,
        hostility: 0.0,
        closeness: 0.0,
        network_energy: 1.0,
    };

    /// Hostility left after closeness defuses it.
    pub fn effective_hostility(&self) -> f64 {
        self.hostility * (1.0 - self.closeness)
    }

    /// Protected time of an employee with these flags, at process density `density`.
    /// Organization-wide protected time is partly eaten by process (in a dense system "20%
    /// time" becomes overtime); time chartered for the coalition or a task force is not.
    pub fn protected_for(&self, flags: Flags, density: f64) -> f64 {
        let mut t = self.protected_slack * (1.0 - PROTECTED_TIME_EROSION * density);
        if flags.contains(Flags::COALITION) {
            t += self.coalition_time;
        }
        if flags.contains(Flags::TASK_FORCE) {
            t += self.task_force_time;
        }
        t
    }
}

impl Default for Levers {
    fn default() -> Self {
        Levers::NEUTRAL
    }
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
    /// Reusable scratch space for the capacity computation (not part of the model state).
    pub scratch: Vec<f64>,
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
