//! The leadership system: would-be leaders pass (or fail) the approval gate, recruit a team
//! through their ties, and run an initiative that progresses with the team's free time and
//! combined capabilities, goes through a dip in which teams may quit, and on completion
//! produces an innovation and teaches the code what its team knows.

use super::management::block_probability;
use super::params::{CodeLearning, LifecycleParams};
use super::people::{
    AgentId, FLAG_COALITION, FLAG_LAUNCH, FLAG_LEAVING, FLAG_ONBOARDED, FLAG_TASK_FORCE,
    FLAG_VOLUNTEER, NO_TEAM, RELATING,
};
use super::state::{Initiative, Org};
use super::weekly::slack;
use crate::march1991::{learn_code, score};
use crate::rng::Draw;

/// Turns this week's decisions to act into initiatives, in slot order.
pub fn launch(org: &mut Org, params: &LifecycleParams) {
    let l = &params.leadership;
    let block = block_probability(params, org.density);
    let network_block = network_block_probability(params, org);
    for i in 0..org.people.slots() {
        let p = org.people.hot[i];
        if p.flags & FLAG_LAUNCH == 0 {
            continue;
        }
        org.people.hot[i].flags &= !FLAG_LAUNCH;
        if p.team != NO_TEAM || p.flags & FLAG_LEAVING != 0 {
            continue;
        }
        let id = AgentId(i as u32);
        // A task force's work is chartered by management: it needs no further approval.
        // Network members' initiatives face the gate as the network's standing sets it.
        let gate = if p.flags & FLAG_TASK_FORCE != 0 {
            0.0
        } else if p.flags & (FLAG_VOLUNTEER | FLAG_COALITION) != 0 {
            network_block
        } else {
            block
        };
        if org.people.manager[i].is_some() && org.rng.chance(gate) {
            // Blocked: being suppressed lowers engagement and, repeated, erodes initiative.
            let h = &mut org.people.hot[i];
            h.engagement = (h.engagement - l.engagement_loss_when_blocked as f32).max(0.0);
            // Onboarding in the logic of both systems halves the erosion.
            let erosion = if h.flags & FLAG_ONBOARDED != 0 {
                0.5
            } else {
                1.0
            };
            h.initiative *= 1.0 - (l.initiative_erosion * erosion) as f32;
            continue;
        }
        start(org, params, id);
    }
}

/// Starts an initiative led by `leader`, recruiting through ties.
fn start(org: &mut Org, params: &LifecycleParams, leader: AgentId) {
    let l = &params.leadership;
    let slot = match org.free_initiatives.pop() {
        Some(s) => s,
        None => {
            org.initiatives.push(Initiative::default());
            (org.initiatives.len() - 1) as u32
        }
    };
    let mut members = vec![leader];
    let relating = f64::from(org.people.traits[leader.index()].capabilities[RELATING]).sqrt();
    let ties = org.ties[leader.index()].clone();
    // A network initiative draws people in as strongly as the coalition energizes the network.
    let pull = if org.people.hot[leader.index()].flags & (FLAG_VOLUNTEER | FLAG_COALITION) != 0 {
        org.levers.network_energy
    } else {
        1.0
    };
    for other in ties {
        if members.len() >= l.team_max as usize {
            break;
        }
        let h = org.people.hot[other.index()];
        if h.team != NO_TEAM || h.flags & FLAG_LEAVING != 0 {
            continue;
        }
        let free = slack(
            &org.people.traits[other.index()],
            org.density,
            org.levers.protected_for(h.flags, org.density),
        );
        let join = (relating * f64::from(h.engagement) * (free / 0.3).min(1.0) * pull).min(1.0);
        if org.rng.chance(join) {
            members.push(other);
        }
    }
    let mut quality = 1.0;
    for c in 0..4 {
        let best = members
            .iter()
            .map(|m| f64::from(org.people.traits[m.index()].capabilities[c]))
            .fold(0.0, f64::max);
        quality *= best.max(0.01);
    }
    for &m in &members {
        org.people.hot[m.index()].team = slot;
    }
    let flags = org.people.hot[leader.index()].flags;
    let task_force = flags & FLAG_TASK_FORCE != 0;
    org.initiatives[slot as usize] = Initiative {
        active: true,
        leader,
        members,
        progress: 0.0,
        quality: libm::pow(quality, 0.25),
        network: flags & (FLAG_VOLUNTEER | FLAG_COALITION) != 0,
        task_force,
        support: org.levers.checkin_support,
        // A task force's scope is set and reviewed through the management system: the
        // denser it is, the more work the same result takes.
        effort_factor: org.levers.effort_factor * if task_force { 1.0 + org.density } else { 1.0 },
    };
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

/// Fear in the culture this week (the parameter plus interventions' shift).
pub fn fear(params: &LifecycleParams, org: &Org) -> f64 {
    (params.leadership.fear + org.levers.fear_shift).clamp(0.0, 1.0)
}

/// March's p2 this week: fear makes the organization learn less from what people find.
pub fn learning_rate(params: &LifecycleParams, org: &Org) -> f64 {
    params.knowledge.code_learning_rate * (1.0 - 0.5 * fear(params, org))
}

/// Blocking probability for initiatives of the leadership network: the ordinary gate times
/// the network's standing (the coalition's mandate, closeness between the systems), raised
/// by hostility between the systems.
pub fn network_block_probability(params: &LifecycleParams, org: &Org) -> f64 {
    let block = block_probability(params, org.density);
    let lv = &org.levers;
    (block
        * lv.network_block_factor
        * (1.0 - lv.closeness)
        * (1.0 + 2.0 * lv.effective_hostility()))
    .min(1.0)
}

/// One week of work on every running initiative, in slot order.
pub fn progress(org: &mut Org, params: &LifecycleParams, code_score: i32) {
    let l = &params.leadership;
    let fear = fear(params, org);
    for slot in 0..org.initiatives.len() {
        if !org.initiatives[slot].active {
            continue;
        }
        // People leaving this week stop working on it; without its leader it ends.
        let leader = org.initiatives[slot].leader;
        if org.people.hot[leader.index()].flags & FLAG_LEAVING != 0 {
            end(org, slot);
            continue;
        }
        let people = &org.people;
        org.initiatives[slot]
            .members
            .retain(|m| people.hot[m.index()].flags & FLAG_LEAVING == 0);
        let init = &org.initiatives[slot];
        let mut work = 0.0;
        let mut persistence = 0.0;
        for m in &init.members {
            let t = &org.people.traits[m.index()];
            let flags = org.people.hot[m.index()].flags;
            work += slack(t, org.density, org.levers.protected_for(flags, org.density))
                * f64::from(t.energy);
            persistence += f64::from(t.persistence);
        }
        persistence /= init.members.len() as f64;
        let gained = work * (0.5 + init.quality) / (l.effort * init.effort_factor);
        let progress = init.progress + gained;
        // Check-ins agreed at the start and the organization's follow-up both support the team.
        let support = 1.0 - (1.0 - init.support) * (1.0 - org.levers.dip_support);
        let quit = dip_quit_probability(params, progress, persistence, org.density, support, fear);
        if org.rng.chance(quit) {
            // Counted as quit in the dip when it happens between a quarter and three
            // quarters of the way through.
            if (0.25..0.75).contains(&progress) {
                org.week.quit_in_dip += 1;
            }
            end(org, slot);
            continue;
        }
        org.initiatives[slot].progress = progress;
        let members = org.initiatives[slot].members.clone();
        for &m in &members {
            let h = &mut org.people.hot[m.index()];
            h.last_led = org.step + 1;
            h.engagement = (h.engagement + l.engagement_from_leading as f32).min(1.0);
        }
        if progress >= 1.0 {
            complete(org, params, slot, code_score);
        }
    }
}

/// A completed initiative: an innovation, engagement for the team, and (when the code learns
/// from the leadership system) March's code learning from the team members who outperform it.
fn complete(org: &mut Org, params: &LifecycleParams, slot: usize, code_score: i32) {
    let l = &params.leadership;
    org.week.innovations += 1;
    let members = org.initiatives[slot].members.clone();
    let cheer = org.levers.celebration as f32;
    for &m in &members {
        let h = &mut org.people.hot[m.index()];
        h.engagement = (h.engagement + l.engagement_from_success as f32 + cheer).min(1.0);
    }
    if cheer > 0.0 {
        // Celebrated wins are heard of: the team's ties share a third of the boost.
        for &m in &members {
            for k in 0..org.ties[m.index()].len() {
                let other = org.ties[m.index()][k];
                let h = &mut org.people.hot[other.index()];
                h.engagement = (h.engagement + cheer / 3.0).min(1.0);
            }
        }
    }
    // What a network initiative found reaches the code only if the hierarchy accepts it: it
    // does when the systems are kept close, otherwise it must pass the ordinary gate.
    let accepted = !org.initiatives[slot].network
        || org.levers.network_code_learning
        || !org.rng.chance(block_probability(params, org.density));
    if accepted && params.knowledge.code_learning == CodeLearning::Initiatives {
        let superior: Vec<u64> = members
            .iter()
            .map(|m| org.people.hot[m.index()])
            .filter(|h| h.performance > code_score)
            .map(|h| h.action)
            .collect();
        let rate = learning_rate(params, org);
        learn_code(
            &mut org.code,
            params.knowledge.m,
            rate,
            superior.into_iter(),
            &mut org.rng,
        );
    }
    end(org, slot);
}

/// Ends an initiative and frees its team.
fn end(org: &mut Org, slot: usize) {
    let init = std::mem::take(&mut org.initiatives[slot]);
    for m in init.members {
        let h = &mut org.people.hot[m.index()];
        if h.team == slot as u32 {
            h.team = NO_TEAM;
        }
    }
    org.week.ended += 1;
    org.free_initiatives.push(slot as u32);
}

/// The code's current score (sum of code x reality).
pub fn code_score(org: &Org) -> i32 {
    score(&org.code, org.reality)
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
