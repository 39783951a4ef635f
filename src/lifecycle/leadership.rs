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
use super::passes;
use super::people::{AgentId, Flags, People, Person, RELATING, TeamId};
use super::state::{Levers, WeekCounts};
use super::weekly::{PARALLEL_FROM, TimeTable, WeekContext};
use crate::rng::{Draw, SimRng, Stream, stream_seed};
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
    /// It works: its progress after this week's work, and whether it quits now.
    Works { progress: f64, quits: bool },
    /// It works and completes this week (its progress): whether its leader's manager sponsors
    /// the network, and how many of its members outperform the code (their actions, in
    /// member order, are next in the week's list of what completed initiatives can teach the
    /// code).
    Completes {
        progress: f64,
        sponsored: bool,
        superior: u32,
    },
}

/// A change to a person's record that follows from an initiative's week.
#[derive(Clone, Copy, Debug)]
enum Change {
    /// Led or contributed this week: engagement from leading.
    Led,
    /// In a team that completed its initiative: engagement from success (and celebration).
    Succeeded,
    /// Tied to a member of a celebrated win: a share of the boost.
    Heard,
    /// Free again when still in this team.
    Freed(TeamId),
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
    ///
    /// Every launcher's draws come from a stream of their own, keyed by the week and their
    /// slot (draw 0 the gate, draw j + 1 their j-th tie), and everything a draw is compared
    /// with is read from the state at the start of the phase (blocked launchers lose their
    /// engagement after every launch is settled). So each launcher's gate and the ties who
    /// would join are found for all launchers at once (in parallel for large organizations);
    /// who gets whom is then settled in slot order (a launcher or tie taken by an earlier
    /// launcher this week is no longer free, and a team short of `team_max` after that goes
    /// on through the ties the first pass did not reach), and the new initiatives' quality
    /// and scope are again worked out for all at once. The result is the same on any thread
    /// count and whether the first pass ran in parallel or not.
    pub fn launch_these(
        &mut self,
        params: &LifecycleParams,
        week: &WeekContext,
        launching: &[u32],
    ) {
        if launching.is_empty() {
            return;
        }
        let table = TimeTable::new(week.density, &week.levers);
        let team_max = params.leadership.team_max as usize;
        let key = stream_seed(week.week_key, &[LAUNCH_DRAWS]);
        let parallel = self.people.hot.len() >= PARALLEL_FROM;
        let (people, network, managers) = (&*self.people, self.network, self.managers);
        // Each launcher's gate and the ties who would join, from the state at the start, a
        // piece of launchers at a time (each piece's would-be teams in one list).
        let plan = |launchers: &[u32]| -> (Vec<Launch>, Vec<AgentId>) {
            let mut teams = Vec::with_capacity(launchers.len() * team_max.min(8));
            let plans = launchers
                .iter()
                .map(|&i| {
                    let p = &people.hot[i as usize];
                    if !p.is_free() {
                        return Launch::Busy;
                    }
                    let mut s = Stream::new(stream_seed(key, &[u64::from(i)]));
                    let has_manager = managers[i as usize].is_some();
                    if s.uniform() < week.gates.blocking(p.flags, has_manager) {
                        return Launch::Blocked;
                    }
                    let leader = AgentId(i);
                    let first = teams.len();
                    teams.push(leader);
                    let next = recruit(
                        people, network, week, &table, team_max, leader, 0, &mut teams, first,
                        &mut s,
                    );
                    Launch::Starts {
                        members: first as u32..teams.len() as u32,
                        next,
                        stream: s,
                    }
                })
                .collect();
            (plans, teams)
        };
        let pieces: Vec<(Vec<Launch>, Vec<AgentId>)> = if parallel {
            launching.par_chunks(LAUNCH_PIECE).map(plan).collect()
        } else {
            launching.chunks(LAUNCH_PIECE).map(plan).collect()
        };
        // Who gets whom, in slot order; the teams in one list.
        // (Each list with its room at once: at most every launcher, and every planned member
        // plus those a short team tops up.)
        let mut blocked = Vec::with_capacity(launching.len());
        let mut started: Vec<(TeamId, std::ops::Range<usize>, Vec<AgentId>)> =
            Vec::with_capacity(launching.len());
        let mut teams: Vec<AgentId> =
            Vec::with_capacity(pieces.iter().map(|p| p.1.len()).sum::<usize>() + team_max);
        let plans = pieces
            .iter()
            .flat_map(|(plans, planned)| plans.iter().map(move |plan| (plan, planned)));
        for (&i, (plan, planned)) in launching.iter().zip(plans) {
            let hot = &mut self.people.hot;
            hot[i as usize].flags.remove(Flags::LAUNCH);
            if hot[i as usize].team.is_some() {
                // Taken into a team by an earlier launcher this week.
                continue;
            }
            match plan {
                Launch::Busy => {}
                Launch::Blocked => blocked.push(AgentId(i)),
                Launch::Starts {
                    members,
                    next,
                    stream,
                } => {
                    let first = teams.len();
                    let members = &planned[members.start as usize..members.end as usize];
                    teams.extend(members.iter().filter(|m| hot[m.index()].team.is_none()));
                    if teams.len() - first < members.len() {
                        // Someone was taken: go on where the first pass stopped (it stopped
                        // with a full team or at the last tie, so nothing changes otherwise).
                        recruit(
                            &*self.people,
                            self.network,
                            week,
                            &table,
                            team_max,
                            AgentId(i),
                            *next,
                            &mut teams,
                            first,
                            &mut stream.clone(),
                        );
                    }
                    let team = self.initiatives.open();
                    for &m in &teams[first..] {
                        self.people.hot[m.index()].team = Some(team);
                    }
                    // The list of the initiative that last ran in the slot, emptied, with
                    // its room.
                    let room = std::mem::take(&mut self.initiatives.slots[team.index()].members);
                    started.push((team, first..teams.len(), room));
                }
            }
        }
        for id in blocked {
            self.blocked(params, id);
        }
        // The new initiatives, from their teams.
        let people = &*self.people;
        let teams = &teams;
        let build = |(team, members, mut room): (TeamId, std::ops::Range<usize>, Vec<AgentId>)| {
            room.extend_from_slice(&teams[members]);
            (team, initiative(params, week, &table, people, room))
        };
        let built: Vec<(TeamId, Initiative)> = if parallel {
            started
                .into_par_iter()
                .with_min_len(32)
                .map(build)
                .collect()
        } else {
            started.into_iter().map(build).collect()
        };
        for (team, init) in built {
            self.initiatives.slots[team.index()] = init;
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

    /// One week of work on every running initiative, in slot order. What each team puts in,
    /// its chance of quitting, whether it quits (a draw from a stream keyed by the week and
    /// its slot) and the changes that follow for people's records are worked out first for
    /// every initiative ([`LeadershipSystem::teams_week`]), with what the completing ones
    /// need of their members' records; the counts, completion and the code's learning (with
    /// the run's stream) and the freed slots then go initiative by initiative
    /// ([`Ends::settle`]), and the changes to people's records are applied, each person's in
    /// slot order of the initiatives, as if applied as they arose. The two touch different
    /// parts of the state, so for large organizations they run at the same time.
    pub fn progress(&mut self, params: &LifecycleParams, week: &WeekContext, code_score: i32) {
        let (teams, changes, taught) = self.teams_week(params, week, code_score);
        let mut ends = Ends {
            initiatives: &mut *self.initiatives,
            knowledge: &mut *self.knowledge,
            rng: &mut *self.rng,
            counts: &mut *self.counts,
        };
        let settle = move || ends.settle(params, week, teams, &taught);
        let parallel = self.people.hot.len() >= PARALLEL_FROM;
        let apply = |hot: &mut [Person]| Self::apply_changes(params, week, hot, &changes);
        if parallel {
            rayon::join(settle, || apply(&mut self.people.hot));
        } else {
            settle();
            apply(&mut self.people.hot);
        }
    }

    /// The changes to people's records that follow from the initiatives' week, each person's
    /// in slot order of the initiatives ([`passes::apply_pieces_in_order`]).
    fn apply_changes(
        params: &LifecycleParams,
        week: &WeekContext,
        hot: &mut [Person],
        changes: &[Vec<(AgentId, Change)>],
    ) {
        let l = &params.leadership;
        let (led, leading) = (week.step + 1, l.engagement_from_leading as f32);
        let cheer = week.levers.celebration as f32;
        let success = l.engagement_from_success as f32;
        passes::apply_pieces_in_order(
            hot,
            changes,
            |&(m, _)| m.index(),
            |h, &(_, change)| match change {
                Change::Led => {
                    h.last_led = led;
                    h.engagement = (h.engagement + leading).min(1.0);
                }
                Change::Succeeded => h.engagement = (h.engagement + success + cheer).min(1.0),
                Change::Heard => h.engagement += cheer / 3.0 * (1.0 - h.engagement),
                Change::Freed(team) => {
                    if h.team == Some(team) {
                        h.team = None;
                    }
                }
            },
        );
    }

    /// Every initiative's week before its consequences: people leaving this week stop working
    /// on it (without its leader it ends); the others' work moves it on, its chance of
    /// quitting in the dip follows, and one draw from the stream of its slot under the week's
    /// key decides whether it quits. Returns each slot's week and, in slot order, the changes
    /// to people's records that follow: every member of a team that goes on led this week; a
    /// team that completes succeeded (and, when wins are celebrated, everyone tied to a member
    /// heard of it); the members of a team that ends are free again. Nothing
    /// [`LeadershipSystem::progress`] changes afterwards (who belongs to a team, engagement,
    /// the code) enters another initiative's week, so this runs for all of them at once (in
    /// parallel for large organizations, over fixed pieces of slots) with the same results.
    /// The changes come in pieces, in order (one per piece of slots), and so do, when the
    /// code learns from initiatives, the actions of the members of completing initiatives who
    /// outperform the code (`code_score`), in slot order of the initiatives.
    #[allow(clippy::type_complexity)]
    fn teams_week(
        &mut self,
        params: &LifecycleParams,
        week: &WeekContext,
        code_score: i32,
    ) -> (Vec<TeamWeek>, Vec<Vec<(AgentId, Change)>>, Vec<u64>) {
        let table = TimeTable::new(week.density, &week.levers);
        let key = stream_seed(week.week_key, &[QUIT_DRAWS]);
        let (people, network) = (&*self.people, self.network);
        let celebrated = week.levers.celebration > 0.0;
        let leaving = |m: AgentId| people.hot[m.index()].flags.contains(Flags::LEAVING);
        let teaches = params.knowledge.code_learning == CodeLearning::Initiatives;
        let one = |slot: usize,
                   init: &mut Initiative,
                   changes: &mut Vec<(AgentId, Change)>,
                   taught: &mut Vec<u64>| {
            if !init.active {
                return TeamWeek::Idle;
            }
            let team = TeamId::new(slot);
            let freed = |init: &Initiative, changes: &mut Vec<(AgentId, Change)>| {
                changes.extend(init.members.iter().map(|&m| (m, Change::Freed(team))));
            };
            if leaving(init.leader) {
                freed(init, changes);
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
            let quits = Stream::slot(key, slot as u64).chance(quit);
            if quits {
                freed(init, changes);
            } else {
                changes.extend(init.members.iter().map(|&m| (m, Change::Led)));
                if progress >= 1.0 {
                    changes.extend(init.members.iter().map(|&m| (m, Change::Succeeded)));
                    if celebrated {
                        // Celebrated wins are heard of: the team's ties share a third of the
                        // boost, the less engaged the more (the already engaged have less to
                        // gain).
                        for &m in &init.members {
                            changes.extend(network.ties(m).iter().map(|&o| (o, Change::Heard)));
                        }
                    }
                    freed(init, changes);
                    let sponsored = people.hot[init.leader.index()]
                        .flags
                        .contains(Flags::SPONSORED);
                    let before = taught.len();
                    if teaches {
                        taught.extend(
                            init.members
                                .iter()
                                .map(|m| &people.hot[m.index()])
                                .filter(|h| h.performance > code_score)
                                .map(|h| h.action),
                        );
                    }
                    let superior = (taught.len() - before) as u32;
                    return TeamWeek::Completes {
                        progress,
                        sponsored,
                        superior,
                    };
                }
            }
            TeamWeek::Works { progress, quits }
        };
        let piece = |(c, part): (usize, &mut [Initiative])| {
            // Room for a typical week: each member led, a few completed or freed.
            let members: usize = part
                .iter()
                .filter(|i| i.active)
                .map(|i| i.members.len())
                .sum();
            let mut changes = Vec::with_capacity(members + members / 2);
            let mut taught = Vec::new();
            let teams: Vec<TeamWeek> = part
                .iter_mut()
                .enumerate()
                .map(|(k, init)| one(c * TEAM_PIECE + k, init, &mut changes, &mut taught))
                .collect();
            (teams, changes, taught)
        };
        let slots = &mut self.initiatives.slots;
        let pieces: Vec<(Vec<TeamWeek>, Vec<(AgentId, Change)>, Vec<u64>)> =
            if people.hot.len() >= PARALLEL_FROM {
                slots
                    .par_chunks_mut(TEAM_PIECE)
                    .enumerate()
                    .map(piece)
                    .collect()
            } else {
                slots
                    .chunks_mut(TEAM_PIECE)
                    .enumerate()
                    .map(piece)
                    .collect()
            };
        if pieces.len() <= 1 {
            return match pieces.into_iter().next() {
                Some((teams, changes, taught)) => (teams, vec![changes], taught),
                None => Default::default(),
            };
        }
        let mut teams = Vec::with_capacity(slots.len());
        let (mut changes, mut taught) = (Vec::new(), Vec::new());
        for (t, c, l) in pieces {
            teams.extend(t);
            changes.push(c);
            taught.extend(l);
        }
        (teams, changes, taught)
    }
}

/// What the end of initiatives' weeks changes: the initiative slots, the code, the run's
/// random numbers and the week's counts (nothing of people's records).
struct Ends<'a> {
    initiatives: &'a mut Initiatives,
    knowledge: &'a mut Knowledge,
    rng: &'a mut SimRng,
    counts: &'a mut WeekCounts,
}

impl Ends<'_> {
    /// The initiatives' weeks (`teams`, by slot, from [`LeadershipSystem::teams_week`], with
    /// the actions completed initiatives teach in `taught`) settled in slot order: the
    /// counts, completions and the code's learning (with the run's stream), and the freed
    /// slots.
    fn settle(
        &mut self,
        params: &LifecycleParams,
        week: &WeekContext,
        teams: Vec<TeamWeek>,
        taught: &[u64],
    ) {
        let mut next = 0;
        for (slot, team) in teams.into_iter().enumerate() {
            match team {
                TeamWeek::Idle => {}
                TeamWeek::LeaderLeaves => self.end(slot),
                TeamWeek::Works {
                    progress,
                    quits: true,
                } => {
                    // Counted as quit in the dip when it happens between a quarter and three
                    // quarters of the way through.
                    if (0.25..0.75).contains(&progress) {
                        self.counts.quit_in_dip += 1;
                    }
                    self.end(slot);
                }
                TeamWeek::Works { progress, .. } => {
                    self.initiatives.slots[slot].progress = progress;
                }
                TeamWeek::Completes {
                    progress,
                    sponsored,
                    superior,
                } => {
                    self.initiatives.slots[slot].progress = progress;
                    let superior = &taught[next..next + superior as usize];
                    next += superior.len();
                    self.complete(params, week, slot, sponsored, superior);
                }
            }
        }
    }

    /// A completed initiative: an innovation, and (when the code learns from the leadership
    /// system) March's code learning from the team members who outperform it (`superior`,
    /// their actions; `sponsored`: whether the leader's manager sponsors the network); what
    /// it does for people's engagement is among the changes of
    /// [`LeadershipSystem::teams_week`].
    fn complete(
        &mut self,
        params: &LifecycleParams,
        week: &WeekContext,
        slot: usize,
        sponsored: bool,
        superior: &[u64],
    ) {
        self.counts.innovations += 1;
        let init = &self.initiatives.slots[slot];
        // What a network initiative found reaches the code only if the hierarchy accepts it:
        // it does when the leader's manager sponsors the network, otherwise it must pass the
        // ordinary gate.
        let accepted = !init.network || sponsored || !self.rng.chance(week.gates.block);
        if accepted && params.knowledge.code_learning == CodeLearning::Initiatives {
            let superior = superior.iter().copied();
            self.knowledge.learn(params, week.fear, superior, self.rng);
        }
        self.end(slot);
    }

    /// Ends an initiative and frees its slot (its team is freed among the changes of
    /// [`LeadershipSystem::teams_week`]).
    fn end(&mut self, slot: usize) {
        let init = &mut self.initiatives.slots[slot];
        // The slot keeps its list's room for the next initiative in it.
        let mut members = std::mem::take(&mut init.members);
        members.clear();
        *init = Initiative {
            members,
            ..Initiative::default()
        };
        self.counts.ended += 1;
        self.initiatives.free.push(TeamId::new(slot));
    }
}

/// Launchers per piece of work when their gates and would-be teams are found in parallel.
const LAUNCH_PIECE: usize = 32;

/// Key of the launchers' streams (the gate and recruitment), apart from every other use of
/// the week's key.
pub const LAUNCH_DRAWS: u64 = 0x6c61_756e_6368_6573;

/// Initiative slots per piece of work when every initiative's week is worked out in
/// parallel (the pieces depend on the number of slots only).
const TEAM_PIECE: usize = 256;

/// Key of the initiatives' quit draws (one a week from the stream of each initiative's slot),
/// apart from every other use of the week's key.
pub const QUIT_DRAWS: u64 = 0x7175_6974_7469_6e67;

/// A launcher's week as the first pass of [`LeadershipSystem::launch_these`] finds it, from
/// the state at the start of the phase.
#[derive(Clone, Debug)]
enum Launch {
    /// In an initiative or leaving: nothing happens.
    Busy,
    /// Blocked at the gate.
    Blocked,
    /// Passes the gate: where the leader and the ties who would join, in tie order (at most
    /// `team_max` in all), are in the list of its piece of launchers; the position of the
    /// first tie not looked at, and the launcher's stream there.
    Starts {
        members: std::ops::Range<u32>,
        next: usize,
        stream: Stream,
    },
}

/// Goes on recruiting `leader`'s ties into the team at the end of `members` (from position
/// `first`) from the tie at position `from`, in tie order, until the team holds `team_max`: each tie looked at takes the next draw of `s` and
/// joins when free now and the draw falls below min(1, sqrt(relating of the leader) x their
/// engagement x min(1, their slack / 0.3) x pull), pull being the network's energy for a
/// network initiative and 1 otherwise. Returns the position of the first tie not looked at.
#[allow(clippy::too_many_arguments)]
fn recruit(
    people: &People,
    network: &Network,
    week: &WeekContext,
    table: &TimeTable,
    team_max: usize,
    leader: AgentId,
    from: usize,
    members: &mut Vec<AgentId>,
    first: usize,
    s: &mut Stream,
) -> usize {
    let ties = network.ties(leader);
    if members.len() - first >= team_max || from >= ties.len() {
        return from;
    }
    let relating = f64::from(people.traits[leader.index()].capabilities[RELATING]).sqrt();
    // A network initiative draws people in as strongly as the coalition energizes the
    // network.
    let pull = if people.hot[leader.index()].flags.in_network() {
        week.levers.network_energy
    } else {
        1.0
    };
    let mut j = from;
    while j < ties.len() && members.len() - first < team_max {
        let other = ties[j];
        j += 1;
        let u = s.uniform();
        let h = &people.hot[other.index()];
        if !h.is_free() {
            continue;
        }
        let free = table.slack(&people.traits[other.index()], h.flags);
        let join = (relating * f64::from(h.engagement) * (free / 0.3).min(1.0) * pull).min(1.0);
        if u < join {
            members.push(other);
        }
    }
    j
}

/// A new initiative of `members` (leader first), as it starts this week.
fn initiative(
    params: &LifecycleParams,
    week: &WeekContext,
    table: &TimeTable,
    people: &People,
    members: Vec<AgentId>,
) -> Initiative {
    let leader = members[0];
    let flags = people.hot[leader.index()].flags;
    let mut quality = 1.0;
    for c in 0..4 {
        let best = members
            .iter()
            .map(|m| f64::from(people.traits[m.index()].capabilities[c]))
            .fold(0.0, f64::max);
        quality *= best.max(0.01);
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
    Initiative {
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
    /// A large organization whose launchers' neighbourhoods overlap (so launchers recruit one
    /// another and compete for recruits): slots tied to about 16 others nearby, a tenth
    /// launching, some in a team already, some leaving, some in the network.
    fn crowded(n: usize) -> (People, Vec<AgentId>, Network) {
        use super::super::people::{Person, Traits};
        let mut rng = SimRng::from_seed(9);
        let mut hot = Vec::with_capacity(n);
        let mut traits = Vec::with_capacity(n);
        for _ in 0..n {
            let mut flags = Flags::ALIVE;
            for (flag, p) in [
                (Flags::LAUNCH, 0.1),
                (Flags::LEAVING, 0.02),
                (Flags::VOLUNTEER, 0.1),
                (Flags::TASK_FORCE, 0.02),
            ] {
                if rng.chance(p) {
                    flags.insert(flag);
                }
            }
            hot.push(Person {
                flags,
                engagement: rng.uniform() as f32,
                team: rng.chance(0.05).then(|| TeamId::new(1_000_000)),
                ..Person::default()
            });
            traits.push(Traits {
                capabilities: [0; 4].map(|_| rng.uniform() as f32),
                energy: rng.uniform() as f32,
                operational_load: 0.5 * rng.uniform() as f32,
                ..Traits::default()
            });
        }
        let people = People::from_columns(hot, traits);
        let managers = (0..n)
            .map(|i| {
                if i > 0 && rng.chance(0.9) {
                    AgentId(rng.below(i as u64) as u32)
                } else {
                    AgentId::NONE
                }
            })
            .collect();
        let mut network = Network::default();
        for i in 0..n {
            network.add_slot(AgentId(i as u32));
        }
        for i in 0..n {
            for _ in 0..8 {
                let j = (i + rng.below(200) as usize) % n;
                network.connect(AgentId(i as u32), AgentId(j as u32));
            }
        }
        (people, managers, network)
    }

    fn week_of(seed: u64, step: u32) -> WeekContext {
        let mut levers = Levers::NEUTRAL;
        levers.network_energy = 1.3;
        WeekContext {
            seed,
            step,
            week_key: stream_seed(seed, &[u64::from(step)]),
            ceo: 0,
            code: Default::default(),
            reality: 0,
            m: 30,
            mask: crate::march1991::mask_of(30),
            p1: 0.0,
            density: 0.3,
            levers,
            opportunity: 1.0,
            spot_rate: 0.1,
            fear: 0.0,
            gates: crate::lifecycle::management::Gates {
                block: 0.3,
                network_block: 0.1,
            },
            engagement_target: 0.5,
            quit_engaged: 0.0,
            quit_disengaged: 0.0,
            retirement_age: 65.0,
        }
    }

    /// What the leadership system changes, owned (a fresh code, stream and counts).
    #[derive(Clone)]
    struct Owned {
        people: People,
        initiatives: Initiatives,
        knowledge: Knowledge,
        rng: SimRng,
        counts: WeekCounts,
    }

    impl Owned {
        fn new(people: People) -> Owned {
            Owned {
                people,
                initiatives: Initiatives::default(),
                knowledge: Knowledge::new(30, &mut SimRng::from_seed(1)),
                rng: SimRng::from_seed(2),
                counts: WeekCounts::default(),
            }
        }

        /// The system over these records, on `threads` threads.
        fn on<R: Send>(
            &mut self,
            managers: &[AgentId],
            network: &Network,
            threads: usize,
            week: impl FnOnce(&mut LeadershipSystem) -> R + Send,
        ) -> R {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                week(&mut LeadershipSystem {
                    people: &mut self.people,
                    managers,
                    network,
                    initiatives: &mut self.initiatives,
                    knowledge: &mut self.knowledge,
                    rng: &mut self.rng,
                    counts: &mut self.counts,
                })
            })
        }
    }

    /// The rule of docs/ODD.md 7.2.5 written out one launcher after another: in slot order,
    /// a launcher still free draws the gate (draw 0 of their stream), then looks at their
    /// ties in tie order (draw j + 1 for the j-th) until the team is full, each joining when
    /// free now and the draw falls below the join probability from the engagement at the
    /// start; blocked launchers lose engagement at the end.
    fn launch_one_by_one(
        params: &LifecycleParams,
        week: &WeekContext,
        people: &mut People,
        managers: &[AgentId],
        network: &Network,
    ) -> Initiatives {
        let table = TimeTable::new(week.density, &week.levers);
        let key = stream_seed(week.week_key, &[LAUNCH_DRAWS]);
        let start = people.hot.clone();
        let mut initiatives = Initiatives::default();
        let mut blocked = Vec::new();
        for (i, manager) in managers.iter().enumerate() {
            if !people.hot[i].flags.contains(Flags::LAUNCH) {
                continue;
            }
            people.hot[i].flags.remove(Flags::LAUNCH);
            let p = people.hot[i];
            if !p.is_free() {
                continue;
            }
            let mut s = Stream::new(stream_seed(key, &[i as u64]));
            if s.uniform() < week.gates.blocking(p.flags, manager.is_some()) {
                blocked.push(i);
                continue;
            }
            let relating = f64::from(people.traits[i].capabilities[RELATING]).sqrt();
            let pull = if p.flags.in_network() {
                week.levers.network_energy
            } else {
                1.0
            };
            let mut members = vec![AgentId(i as u32)];
            for &other in network.ties(AgentId(i as u32)) {
                if members.len() >= params.leadership.team_max as usize {
                    break;
                }
                let u = s.uniform();
                let h = people.hot[other.index()];
                if !h.is_free() {
                    continue;
                }
                let free = table.slack(&people.traits[other.index()], h.flags);
                let engagement = f64::from(start[other.index()].engagement);
                let join = (relating * engagement * (free / 0.3).min(1.0) * pull).min(1.0);
                if u < join {
                    members.push(other);
                }
            }
            let team = initiatives.open();
            for m in &members {
                people.hot[m.index()].team = Some(team);
            }
            initiatives.slots[team.index()] = initiative(params, week, &table, people, members);
        }
        let l = &params.leadership;
        for i in blocked {
            let h = &mut people.hot[i];
            h.engagement = (h.engagement - l.engagement_loss_when_blocked as f32).max(0.0);
            h.initiative *= 1.0 - l.initiative_erosion as f32;
        }
        initiatives
    }

    /// Above the size from which launchers are planned in parallel, a week's launches give
    /// the same people and initiatives on 1 and 3 threads, and the same as the rule applied
    /// one launcher after another.
    #[test]
    fn launches_are_the_rule_one_by_one_on_any_thread_count() {
        let params = LifecycleParams::default();
        let n = PARALLEL_FROM + 3_001;
        let (people, managers, network) = crowded(n);
        let launchers = people
            .hot
            .iter()
            .filter(|h| h.flags.contains(Flags::LAUNCH))
            .count();
        for step in [3, 4] {
            let week = week_of(17, step);
            let launched = |threads: usize| {
                let mut owned = Owned::new(people.clone());
                owned.on(&managers, &network, threads, |s| s.launch(&params, &week));
                (owned.people, owned.initiatives)
            };
            let (one, one_initiatives) = launched(1);
            let (three, three_initiatives) = launched(3);
            assert!(
                one.hot == three.hot,
                "week {step}: people differ on 1 and 3 threads"
            );
            assert!(
                one_initiatives == three_initiatives,
                "week {step}: initiatives differ on 1 and 3 threads"
            );
            let mut by_hand = people.clone();
            let expected = launch_one_by_one(&params, &week, &mut by_hand, &managers, &network);
            assert!(
                one.hot == by_hand.hot,
                "week {step}: people differ from the rule"
            );
            assert!(
                one_initiatives == expected,
                "week {step}: initiatives differ from the rule"
            );
            // Many start, many are blocked, teams fill up, and launchers recruit launchers.
            let started = expected.running().count();
            let blocked = (0..n)
                .filter(|&i| one.hot[i].engagement < people.hot[i].engagement)
                .count();
            let full = expected
                .running()
                .filter(|i| i.members.len() == params.leadership.team_max as usize)
                .count();
            let recruited_launchers = expected
                .running()
                .flat_map(|i| &i.members[1..])
                .filter(|m| people.hot[m.index()].flags.contains(Flags::LAUNCH))
                .count();
            assert!(started > launchers / 2, "{started} of {launchers} started");
            assert!(blocked > launchers / 10, "{blocked} blocked");
            assert!(full > started / 10, "{full} full teams");
            assert!(
                recruited_launchers > 50,
                "{recruited_launchers} launchers recruited"
            );
        }
    }
    /// Above the size from which initiatives' weeks run in parallel, weeks of progress (with
    /// members and leaders leaving, quits in the dip, completions celebrated and heard of,
    /// sponsored leaders, and the code learning from members who outperform it) give the
    /// same people, initiatives, code, counts and stream on 1 and 3 threads.
    #[test]
    fn progress_is_the_same_on_any_thread_count() {
        let params = LifecycleParams::default();
        let n = PARALLEL_FROM + 3_001;
        let (mut people, managers, network) = crowded(n);
        let mut rng = SimRng::from_seed(4);
        for (i, h) in people.hot.iter_mut().enumerate() {
            h.performance = rng.below(11) as i32 - 5;
            h.action = rng.bits();
            if i % 7 == 0 {
                h.flags.insert(Flags::SPONSORED);
            }
        }
        let mut launched = Owned::new(people);
        launched.on(&managers, &network, 1, |s| {
            s.launch(&params, &week_of(17, 3))
        });
        let running = launched.initiatives.running().count();
        let weeks = |threads: usize| {
            let mut owned = launched.clone();
            owned.counts = WeekCounts::default();
            owned.on(&managers, &network, threads, |s| {
                for step in 4..40 {
                    let mut week = week_of(17, step);
                    week.levers.celebration = 0.05;
                    week.p1 = 0.1;
                    s.progress(&params, &week, 0);
                }
            });
            let Owned {
                people,
                initiatives,
                knowledge,
                mut rng,
                counts,
            } = owned;
            (people, initiatives, knowledge, rng.bits(), counts)
        };
        let one = weeks(1);
        let three = weeks(3);
        assert!(one.0.hot == three.0.hot, "people differ on 1 and 3 threads");
        assert!(one.1 == three.1, "initiatives differ on 1 and 3 threads");
        assert_eq!(one.2, three.2, "the code differs on 1 and 3 threads");
        assert!(one.2 != launched.knowledge, "the code never learned");
        assert_eq!(
            one.3, three.3,
            "the run's stream differs on 1 and 3 threads"
        );
        assert_eq!(one.4, three.4, "counts differ on 1 and 3 threads");
        // The weeks did all of it: most teams ended, some completing and some quitting.
        let counts = one.4;
        assert!(running > 1_000, "{running} running");
        assert!(counts.ended > running as u32 / 2, "{counts:?} of {running}");
        assert!(counts.innovations > 100, "{counts:?}");
        assert!(counts.quit_in_dip > 100, "{counts:?}");
    }
}
