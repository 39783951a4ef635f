//! The leadership system: would-be leaders pass (or fail) the approval gate, recruit a team
//! through their ties, and run an initiative that progresses with the team's free time and
//! combined capabilities, goes through a dip in which teams may quit, and on completion
//! produces an innovation and teaches the code what its team knows.
//!
//! The formulas that the innovation-capacity estimate ([`super::observe`]) shares with these
//! dynamics are functions here: [`scope`], [`team_output`], [`work_needed`], [`dip_support`]
//! and [`dip_quit_probability`].

use super::knowledge::Knowledge;
use super::network::Network;
use super::params::{CodeLearning, LifecycleParams};
#[cfg(test)]
use super::passes;
use super::people::{AgentId, Flags, People, RELATING, TeamId};
use super::state::{Levers, WeekCounts};
use super::weekly::{PARALLEL_FROM, TimeTable, WeekContext};
use crate::rng::{Draw, SimRng};
use rayon::prelude::*;

/// An initiative: a goal someone picked and organized others around.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Initiative {
    /// Whether the slot holds a running initiative.
    pub active: bool,
    /// Who started it.
    pub leader: AgentId,
    /// Everyone working on it, leader first.
    pub members: Vec<AgentId>,
    /// Share of the work done, 0 to 1.
    pub progress: f64,
    /// Combined capability of the team (geometric mean over the four capabilities of the
    /// team's best member), 0 to 1.
    pub quality: f64,
    /// Started by a member of the leadership network (a volunteer or coalition member).
    pub network: bool,
    /// Chartered by management as a task force's work.
    pub task_force: bool,
    /// Share of quitting prevented by check-ins agreed at the start (90-day wins).
    pub support: f64,
    /// Weekly time each member spends in those check-ins.
    pub checkin_time: f64,
    /// Multiplier of the work needed (scope), fixed at the start.
    pub effort_factor: f64,
}

/// The initiative slots; a slot's [`TeamId`] names the team working in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Initiatives {
    slots: Vec<Initiative>,
    /// Free slots, reused last-in first-out.
    free: Vec<TeamId>,
}

impl Initiatives {
    /// The initiatives running now, in slot order.
    pub fn running(&self) -> impl Iterator<Item = &Initiative> {
        self.slots.iter().filter(|i| i.active)
    }

    /// The initiative team `team` works in.
    pub fn get(&self, team: TeamId) -> &Initiative {
        &self.slots[team.index()]
    }

    /// Every slot, running or free.
    pub fn slots(&self) -> &[Initiative] {
        &self.slots
    }

    /// A slot for a new initiative (a free one, or a new one).
    fn open(&mut self) -> TeamId {
        match self.free.pop() {
            Some(t) => t,
            None => {
                self.slots.push(Initiative::default());
                TeamId::new(self.slots.len() - 1)
            }
        }
    }

    /// Bytes of heap memory the initiatives hold (for the memory benchmarks).
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Initiative>()
            + self
                .slots
                .iter()
                .map(|i| i.members.capacity() * 4)
                .sum::<usize>()
    }
}

/// What the leadership system reads and changes in a week: people's weekly records, the
/// initiatives, the code (which completed initiatives teach), the run's random numbers and the
/// week's counts; it only reads who has a manager and who knows whom.
pub struct LeadershipSystem<'a> {
    /// Employees (weekly records changed; traits read).
    pub people: &'a mut People,
    /// Each slot's manager (the gate applies to people who have one).
    pub managers: &'a [AgentId],
    /// Ties, through which teams recruit and wins are heard of.
    pub network: &'a Network,
    /// Initiative slots.
    pub initiatives: &'a mut Initiatives,
    /// The code, which learns from completed initiatives.
    pub knowledge: &'a mut Knowledge,
    /// The run's sequential random numbers.
    pub rng: &'a mut SimRng,
    /// This week's counts.
    pub counts: &'a mut WeekCounts,
}

/// An initiative slot's week as [`LeadershipSystem::progress`] finds it before any draw.
#[derive(Clone, Copy, Debug)]
enum TeamWeek {
    /// No initiative runs in the slot.
    Idle,
    /// Its leader leaves this week: it ends.
    LeaderLeaves,
    /// It works: its progress after this week's work, and its chance of quitting now.
    Works { progress: f64, quit: f64 },
}

impl LeadershipSystem<'_> {
    /// Turns this week's decisions to act into initiatives, in slot order, finding them by a
    /// scan: for tests that set [`Flags::LAUNCH`] by hand (a week's step hands
    /// [`LeadershipSystem::launch_these`] the update's list instead).
    #[cfg(test)]
    pub fn launch(&mut self, params: &LifecycleParams, week: &WeekContext) {
        // Who decided to act this week (found in parallel for large organizations).
        let hot = &self.people.hot;
        let launching = passes::find(hot.len(), |i| hot[i].flags.contains(Flags::LAUNCH));
        self.launch_these(params, week, &launching);
    }

    /// Turns this week's decisions to act into initiatives, in slot order: each meets the gate
    /// that applies to them ([`super::management::Gates::blocking`]). `launching` holds, in
    /// slot order, every slot flagged [`Flags::LAUNCH`] (as the week's update returns them).
    pub fn launch_these(
        &mut self,
        params: &LifecycleParams,
        week: &WeekContext,
        launching: &[u32],
    ) {
        let table = TimeTable::new(week.density, &week.levers);
        for &i in launching {
            let i = i as usize;
            let p = self.people.hot[i];
            self.people.hot[i].flags.remove(Flags::LAUNCH);
            if !p.is_free() {
                continue;
            }
            let has_manager = self.managers[i].is_some();
            if self.rng.chance(week.gates.blocking(p.flags, has_manager)) {
                self.blocked(params, AgentId(i as u32));
                continue;
            }
            self.start(params, week, &table, AgentId(i as u32));
        }
    }

    /// Being suppressed lowers engagement and, repeated, erodes initiative.
    fn blocked(&mut self, params: &LifecycleParams, id: AgentId) {
        let l = &params.leadership;
        let h = &mut self.people.hot[id.index()];
        h.engagement = (h.engagement - l.engagement_loss_when_blocked as f32).max(0.0);
        // Onboarding in the logic of both systems halves the erosion.
        let erosion = if h.flags.contains(Flags::ONBOARDED) {
            0.5
        } else {
            1.0
        };
        h.initiative *= 1.0 - (l.initiative_erosion * erosion) as f32;
    }

    /// Starts an initiative led by `leader`, recruiting through ties.
    fn start(
        &mut self,
        params: &LifecycleParams,
        week: &WeekContext,
        table: &TimeTable,
        leader: AgentId,
    ) {
        let l = &params.leadership;
        let team = self.initiatives.open();
        let mut members = vec![leader];
        let people = &mut *self.people;
        let relating = f64::from(people.traits[leader.index()].capabilities[RELATING]).sqrt();
        let flags = people.hot[leader.index()].flags;
        // A network initiative draws people in as strongly as the coalition energizes the
        // network.
        let pull = if flags.in_network() {
            week.levers.network_energy
        } else {
            1.0
        };
        for &other in self.network.ties(leader) {
            if members.len() >= l.team_max as usize {
                break;
            }
            let h = people.hot[other.index()];
            if !h.is_free() {
                continue;
            }
            let free = table.slack(&people.traits[other.index()], h.flags);
            let join = (relating * f64::from(h.engagement) * (free / 0.3).min(1.0) * pull).min(1.0);
            if self.rng.chance(join) {
                members.push(other);
            }
        }
        let mut quality = 1.0;
        for c in 0..4 {
            let best = members
                .iter()
                .map(|m| f64::from(people.traits[m.index()].capabilities[c]))
                .fold(0.0, f64::max);
            quality *= best.max(0.01);
        }
        for &m in &members {
            people.hot[m.index()].team = Some(team);
        }
        let quality = libm::pow(quality, 0.25);
        let (support, checkin_time) = checkins(&week.levers, flags);
        // What the team can put in a week as it starts, which a 90-day cycle scopes against.
        let team_work: f64 = members
            .iter()
            .map(|m| {
                let (h, t) = (&people.hot[m.index()], &people.traits[m.index()]);
                table.work_with(t, h.flags, checkin_time)
            })
            .sum();
        let scope = scope(
            params,
            &week.levers,
            flags,
            week.density,
            team_output(team_work, quality),
        );
        self.initiatives.slots[team.index()] = Initiative {
            active: true,
            leader,
            members,
            progress: 0.0,
            quality,
            network: flags.in_network(),
            task_force: flags.contains(Flags::TASK_FORCE),
            support,
            checkin_time,
            effort_factor: scope,
        };
    }

    /// One week of work on every running initiative, in slot order. What each team puts in
    /// and its chance of quitting are worked out first for every initiative
    /// ([`LeadershipSystem::teams_week`]); the draws and what follows from them then go
    /// initiative by initiative.
    pub fn progress(&mut self, params: &LifecycleParams, week: &WeekContext, code_score: i32) {
        let l = &params.leadership;
        let teams = self.teams_week(params, week);
        for (slot, team) in teams.into_iter().enumerate() {
            let (progress, quit) = match team {
                TeamWeek::Idle => continue,
                TeamWeek::LeaderLeaves => {
                    self.end(slot);
                    continue;
                }
                TeamWeek::Works { progress, quit } => (progress, quit),
            };
            if self.rng.chance(quit) {
                // Counted as quit in the dip when it happens between a quarter and three
                // quarters of the way through.
                if (0.25..0.75).contains(&progress) {
                    self.counts.quit_in_dip += 1;
                }
                self.end(slot);
                continue;
            }
            self.initiatives.slots[slot].progress = progress;
            for &m in &self.initiatives.slots[slot].members {
                let h = &mut self.people.hot[m.index()];
                h.last_led = week.step + 1;
                h.engagement = (h.engagement + l.engagement_from_leading as f32).min(1.0);
            }
            if progress >= 1.0 {
                self.complete(params, week, slot, code_score);
            }
        }
    }

    /// Every initiative's week before any draw: people leaving this week stop working on it
    /// (without its leader it ends); the others' work moves it on, and its chance of quitting
    /// in the dip follows. Nothing [`LeadershipSystem::progress`] changes afterwards (who
    /// belongs to a team, engagement, the code) enters another initiative's week, so this runs
    /// for all of them at once (in parallel for large organizations) with the same results.
    fn teams_week(&mut self, params: &LifecycleParams, week: &WeekContext) -> Vec<TeamWeek> {
        let table = TimeTable::new(week.density, &week.levers);
        let people = &*self.people;
        let leaving = |m: AgentId| people.hot[m.index()].flags.contains(Flags::LEAVING);
        let one = |init: &mut Initiative| -> TeamWeek {
            if !init.active {
                return TeamWeek::Idle;
            }
            if leaving(init.leader) {
                return TeamWeek::LeaderLeaves;
            }
            init.members.retain(|&m| !leaving(m));
            let mut team_work = 0.0;
            let mut persistence = 0.0;
            for m in &init.members {
                let t = &people.traits[m.index()];
                team_work += table.work_with(t, people.hot[m.index()].flags, init.checkin_time);
                persistence += f64::from(t.persistence);
            }
            persistence /= init.members.len() as f64;
            let gained =
                team_output(team_work, init.quality) / work_needed(params, init.effort_factor);
            let progress = init.progress + gained;
            // Check-ins agreed at the start and the organization's follow-up both support the
            // team.
            let support = dip_support(init.support, week.levers.dip_support);
            let quit = dip_quit_probability(
                params,
                progress,
                persistence,
                week.density,
                support,
                week.fear,
            );
            TeamWeek::Works { progress, quit }
        };
        let slots = &mut self.initiatives.slots;
        if people.hot.len() >= PARALLEL_FROM {
            slots.par_iter_mut().with_min_len(64).map(one).collect()
        } else {
            slots.iter_mut().map(one).collect()
        }
    }

    /// A completed initiative: an innovation, engagement for the team, and (when the code
    /// learns from the leadership system) March's code learning from the team members who
    /// outperform it.
    fn complete(
        &mut self,
        params: &LifecycleParams,
        week: &WeekContext,
        slot: usize,
        code_score: i32,
    ) {
        let l = &params.leadership;
        self.counts.innovations += 1;
        let init = &self.initiatives.slots[slot];
        let cheer = week.levers.celebration as f32;
        for &m in &init.members {
            let h = &mut self.people.hot[m.index()];
            h.engagement = (h.engagement + l.engagement_from_success as f32 + cheer).min(1.0);
        }
        if cheer > 0.0 {
            // Celebrated wins are heard of: the team's ties share a third of the boost, the
            // less engaged the more (the already engaged have less to gain).
            for &m in &init.members {
                for &other in self.network.ties(m) {
                    let h = &mut self.people.hot[other.index()];
                    h.engagement += cheer / 3.0 * (1.0 - h.engagement);
                }
            }
        }
        // What a network initiative found reaches the code only if the hierarchy accepts it:
        // it does when the leader's manager sponsors the network, otherwise it must pass the
        // ordinary gate.
        let sponsored = self.people.hot[init.leader.index()]
            .flags
            .contains(Flags::SPONSORED);
        let accepted = !init.network || sponsored || !self.rng.chance(week.gates.block);
        if accepted && params.knowledge.code_learning == CodeLearning::Initiatives {
            let hot = &self.people.hot;
            let superior = init
                .members
                .iter()
                .map(|m| hot[m.index()])
                .filter(|h| h.performance > code_score)
                .map(|h| h.action);
            self.knowledge.learn(params, week.fear, superior, self.rng);
        }
        self.end(slot);
    }

    /// Ends an initiative and frees its team.
    fn end(&mut self, slot: usize) {
        let init = std::mem::take(&mut self.initiatives.slots[slot]);
        let team = TeamId::new(slot);
        for m in init.members {
            let h = &mut self.people.hot[m.index()];
            if h.team == Some(team) {
                h.team = None;
            }
        }
        self.counts.ended += 1;
        self.initiatives.free.push(team);
    }
}

/// The scope of an initiative started this week by someone with `flags` whose team puts in
/// `weekly` a week ([`team_output`]), as a multiplier of the work needed: (1 + density) for a
/// task force's, whose scope is set and reviewed through the management system; and a network
/// initiative started under 90-day wins is scoped to what the team can do in one cycle
/// (`levers.cycle_weeks`): an initiative that would take longer is cut to the cycle, a shorter
/// one is left as it is.
#[inline]
pub fn scope(
    params: &LifecycleParams,
    levers: &Levers,
    flags: Flags,
    density: f64,
    weekly: f64,
) -> f64 {
    let base = if flags.contains(Flags::TASK_FORCE) {
        1.0 + density
    } else {
        1.0
    };
    if !flags.in_network() || !levers.cycle_weeks.is_finite() || weekly <= 0.0 {
        return base;
    }
    let weeks = work_needed(params, base) / weekly;
    base * (levers.cycle_weeks / weeks).min(1.0)
}

/// The check-ins of an initiative started this week by someone with `flags`: the share of
/// quitting they prevent and the weekly time they take of each member. Only network
/// initiatives have them (the coalition's 90-day wins).
#[inline]
pub fn checkins(levers: &Levers, flags: Flags) -> (f64, f64) {
    if flags.in_network() {
        (levers.checkin_support, levers.checkin_time)
    } else {
        (0.0, 0.0)
    }
}

/// Work an initiative of `scope` needs (effort x scope).
#[inline]
pub fn work_needed(params: &LifecycleParams, scope: f64) -> f64 {
    params.leadership.effort * scope
}

/// What a team puts out in a week: its members' work (slack x energy summed) times
/// (0.5 + quality).
#[inline]
pub fn team_output(work: f64, quality: f64) -> f64 {
    work * (0.5 + quality)
}

/// Share of quitting prevented, from an initiative's check-ins and the organization's
/// follow-up, which act independently.
#[inline]
pub fn dip_support(checkin: f64, follow_up: f64) -> f64 {
    1.0 - (1.0 - checkin) * (1.0 - follow_up)
}

/// The dip: 4p(1 - p), zero at the start and the end, one in the middle.
pub fn dip(progress: f64) -> f64 {
    let p = progress.clamp(0.0, 1.0);
    4.0 * p * (1.0 - p)
}

/// Share of the dip's peak quit hazard that applies at any point of an initiative (teams
/// also give up when nothing moves); the dip adds up to the full peak in the middle.
pub const BACKGROUND_QUIT: f64 = 0.1;

/// Weekly probability that a team at `progress` quits.
pub fn dip_quit_probability(
    params: &LifecycleParams,
    progress: f64,
    persistence: f64,
    density: f64,
    support: f64,
    fear: f64,
) -> f64 {
    let l = &params.leadership;
    (l.dip_quit_rate
        * (BACKGROUND_QUIT + dip(progress))
        * (1.0 - persistence)
        * (1.0 + l.dip_pressure * density)
        * (1.0 + fear)
        * (1.0 - support))
        .clamp(0.0, 1.0)
}

/// Fear in the culture this week: the parameter plus interventions' shift, 0 to 1.
pub fn fear(params: &LifecycleParams, levers: &Levers) -> f64 {
    (params.leadership.fear + levers.fear_shift).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dip_is_deepest_in_the_middle() {
        assert_eq!(dip(0.0), 0.0);
        assert_eq!(dip(1.0), 0.0);
        assert_eq!(dip(0.5), 1.0);
        let p = LifecycleParams::default();
        let q = |progress, persistence, density, support, fear| {
            dip_quit_probability(&p, progress, persistence, density, support, fear)
        };
        assert!(
            q(0.0, 0.5, 0.5, 0.0, 0.1) > 0.0,
            "some quitting at any point"
        );
        let mid = q(0.5, 0.5, 0.5, 0.0, 0.1);
        assert!(mid > q(0.1, 0.5, 0.5, 0.0, 0.1), "deepest in the middle");
        assert!(mid > q(0.5, 0.9, 0.5, 0.0, 0.1), "persistence helps");
        assert!(mid > q(0.5, 0.5, 0.1, 0.0, 0.1), "pressure hurts");
        assert!(mid > q(0.5, 0.5, 0.5, 0.5, 0.1), "support helps");
        assert!(mid < q(0.5, 0.5, 0.5, 0.0, 0.6), "fear hurts");
    }
}
