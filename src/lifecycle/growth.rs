//! Growth: hiring toward a ceiling set by the market, new departments as the organization
//! doubles, promotion into new manager roles as spans fill, exits and how the chart and the
//! informal network heal around them.

use super::params::LifecycleParams;
use super::people::{AgentId, FLAG_ALIVE, FLAG_LEAVING, FLAG_MANAGER, NO_TEAM, Person, Traits};
use super::state::Org;
use crate::march1991::random_beliefs;
use crate::rng::{Draw, SimRng};

/// Mean of `k` uniforms (a Bates draw): bell-shaped on [0, 1] with mean 1/2.
fn bates(rng: &mut SimRng, k: u32) -> f64 {
    (0..k).map(|_| rng.uniform()).sum::<f64>() / f64::from(k)
}

/// Draws a new employee's weekly state and traits (department and chart are set later).
pub fn new_person(params: &LifecycleParams, rng: &mut SimRng, aware: bool) -> (Person, Traits) {
    let p = &params.people;
    // Ages: 21 plus an exponential tail with the configured mean, below retirement.
    let span = (p.hire_age_mean - 21.0).max(0.0);
    let age = (21.0 - span * libm::log(1.0 - rng.uniform())).min(p.retirement_age - 1.0);
    // Capabilities: everyone modest in all four, strong in one or two (incomplete leaders).
    let mut capabilities = [0f32; 4];
    for c in &mut capabilities {
        *c = (0.1 + 0.35 * bates(rng, 2)) as f32;
    }
    let strengths = 1 + u64::from(rng.chance(0.5));
    for _ in 0..strengths {
        let k = rng.below(4) as usize;
        capabilities[k] = (0.6 + 0.4 * rng.uniform()) as f32;
    }
    // Younger people bring more initiative (the brief's P8).
    let mean_initiative =
        (p.initiative_at_22 - p.initiative_decline_per_year * (age - 22.0)).clamp(0.02, 1.0);
    let initiative = (mean_initiative * (0.5 + bates(rng, 2))).min(1.0) as f32;
    let traits = Traits {
        capabilities,
        initiative,
        energy: (0.4 + 0.6 * bates(rng, 2)) as f32,
        persistence: bates(rng, 3) as f32,
        operational_load: (p.operational_load + 0.2 * (rng.uniform() - 0.5)).clamp(0.0, 0.95)
            as f32,
    };
    let person = Person {
        beliefs: random_beliefs(params.knowledge.m, rng),
        engagement: (p.baseline_engagement + 0.3 * (rng.uniform() - 0.5)).clamp(0.0, 1.0) as f32,
        initiative,
        age: age as f32,
        team: NO_TEAM,
        flags: FLAG_ALIVE | if aware { super::people::FLAG_AWARE } else { 0 },
        ..Person::default()
    };
    (person, traits)
}

/// Departments open at `headcount`: one more each time headcount doubles from the founding
/// size, up to the maximum: 1 + the largest k with founders x 2^k <= headcount (1 below the
/// founding size). Whole numbers only, so no rounding can move a boundary.
pub fn departments_for(params: &LifecycleParams, headcount: u32) -> u32 {
    let founders = u64::from(params.organization.founders.max(1));
    let headcount = u64::from(headcount.max(1));
    let mut doublings = 0u32;
    while founders << (doublings + 1) <= headcount {
        doublings += 1;
    }
    (1 + doublings).min(params.organization.max_departments)
}

/// This week's hires: logistic growth toward the market ceiling, plus replacement of last
/// week's exits while below it. Returns the number hired and appends them to `hired`.
pub fn hire_week(org: &mut Org, params: &LifecycleParams, hired: &mut Vec<AgentId>) -> u32 {
    let o = &params.organization;
    let n = f64::from(org.headcount);
    let ceiling = f64::from(o.capacity) * (1.0 - o.market_sensitivity * (1.0 - org.market));
    if n >= ceiling {
        return 0;
    }
    // Growth needs reliable delivery: the intrinsic rate is scaled by efficiency.
    let growth = o.growth_rate * org.efficiency / 52.0 * n * (1.0 - n / ceiling);
    let expected = growth.max(0.0) + f64::from(org.week.exits);
    let mut hires = expected.floor() as u32 + u32::from(org.rng.chance(expected.fract()));
    hires = hires.min((ceiling - n).ceil() as u32);
    for _ in 0..hires {
        hired.push(hire(org, params));
    }
    hires
}

/// Hires one person: department, place in the chart, informal ties.
pub fn hire(org: &mut Org, params: &LifecycleParams) -> AgentId {
    org.departments = org
        .departments
        .max(departments_for(params, org.headcount + 1));
    let department = org.rng.below(u64::from(org.departments)) as u16;
    let (person, traits) = new_person(params, &mut org.rng, false);
    let id = org.people.add(person, traits, department);
    if id.index() >= org.ties.len() {
        if org.ties.len() == org.ties.capacity() {
            org.ties.reserve_exact((org.ties.len() / 8).max(64));
        }
        org.ties.resize_with(id.index() + 1, Vec::new);
    }
    org.headcount += 1;
    if params.organization.hierarchy {
        place(org, params, id);
    }
    set_level(org, id, org.people.level[id.index()], true);
    make_ties(org, params, id);
    id
}

/// Adds `id` at `level` to the level counts (or removes it).
fn set_level(org: &mut Org, id: AgentId, level: u8, add: bool) {
    let l = level as usize;
    if org.level_counts.len() <= l {
        org.level_counts.resize(l + 1, 0);
    }
    if add {
        org.level_counts[l] += 1;
        org.people.level[id.index()] = level;
    } else {
        org.level_counts[l] -= 1;
    }
}

fn move_level(org: &mut Org, id: AgentId, level: u8) {
    let old = org.people.level[id.index()];
    set_level(org, id, old, false);
    set_level(org, id, level, true);
}

/// Files manager `m` under "with room" or "full" for its department.
fn refile(org: &mut Org, params: &LifecycleParams, m: AgentId) {
    let d = org.people.department[m.index()] as usize;
    if org.with_room.len() <= d {
        org.with_room.resize_with(d + 1, Default::default);
        org.full.resize_with(d + 1, Default::default);
    }
    let key = (org.people.level[m.index()], m);
    org.with_room[d].remove(&key);
    org.full[d].remove(&key);
    if !org.people.alive(m) || !org.people.is_manager(m) {
        return;
    }
    if org.people.reports[m.index()] < params.organization.span_of_control {
        org.with_room[d].insert(key);
    } else {
        org.full[d].insert(key);
    }
}

fn unfile(org: &mut Org, m: AgentId) {
    let d = org.people.department[m.index()] as usize;
    if d < org.with_room.len() {
        let key = (org.people.level[m.index()], m);
        org.with_room[d].remove(&key);
        org.full[d].remove(&key);
    }
}

/// Makes `id` a manager.
pub fn make_manager(org: &mut Org, params: &LifecycleParams, id: AgentId) {
    org.people.hot[id.index()].flags |= FLAG_MANAGER;
    org.managers += 1;
    refile(org, params, id);
}

/// Puts a new hire under the shallowest manager in their department with room; if every
/// manager there is full, promotes the longest-serving individual contributor under the
/// shallowest full manager into a new manager role; a department with no manager gets the
/// new hire as its head, reporting to the founder.
fn place(org: &mut Org, params: &LifecycleParams, id: AgentId) {
    let d = org.people.department[id.index()] as usize;
    if org.with_room.len() <= d {
        org.with_room.resize_with(d + 1, Default::default);
        org.full.resize_with(d + 1, Default::default);
    }
    let boss = match org.with_room[d].first() {
        Some(&(_, m)) => Some(m),
        None => promote_in(org, params, d),
    };
    match boss {
        Some(m) => attach(org, params, id, m),
        None => {
            let ceo = org.ceo;
            attach(org, params, id, ceo);
            make_manager(org, params, id);
        }
    }
}

fn attach(org: &mut Org, params: &LifecycleParams, id: AgentId, m: AgentId) {
    unfile(org, m);
    org.people.link(id, m);
    org.people.level[id.index()] = org.people.level[m.index()].saturating_add(1);
    refile(org, params, m);
}

/// Promotes the longest-serving individual contributor reporting to the shallowest full
/// manager of department `d` that has one. Returns the new manager.
fn promote_in(org: &mut Org, params: &LifecycleParams, d: usize) -> Option<AgentId> {
    // Walk the full managers shallowest first, and their reports through the sibling links,
    // without allocating: this runs on every hire that finds no room.
    let people = &org.people;
    let found = org.full[d].iter().find_map(|&(_, m)| {
        let mut best: Option<AgentId> = None;
        let mut r = people.first_report[m.index()];
        while r.is_some() {
            if !people.is_manager(r) {
                let better = match best {
                    None => true,
                    Some(b) => {
                        let (tr, tb) = (people.hot[r.index()].tenure, people.hot[b.index()].tenure);
                        tr > tb || (tr == tb && r < b)
                    }
                };
                if better {
                    best = Some(r);
                }
            }
            r = people.next_peer[r.index()];
        }
        best
    });
    let r = found?;
    make_manager(org, params, r);
    Some(r)
}

/// Ties for a new hire: up to `ties_within` colleagues in the department, the manager, and
/// on average `ties_across` people elsewhere. Random partners by rejection sampling over
/// slots, so the cost does not grow with headcount.
fn make_ties(org: &mut Org, params: &LifecycleParams, id: AgentId) {
    let o = &params.organization;
    let d = org.people.department[id.index()];
    let boss = org.people.manager[id.index()];
    if boss.is_some() {
        connect(org, id, boss);
    }
    let slots = org.people.slots() as u64;
    if slots <= 1 {
        return;
    }
    let mut made = 0;
    let mut tries = 0;
    while made < o.ties_within && tries < 20 * o.ties_within {
        tries += 1;
        let other = AgentId(org.rng.below(slots) as u32);
        if other != id
            && org.people.alive(other)
            && org.people.department[other.index()] == d
            && connect(org, id, other)
        {
            made += 1;
        }
    }
    let across = o.ties_across.floor() as u32 + u32::from(org.rng.chance(o.ties_across.fract()));
    let mut made = 0;
    let mut tries = 0;
    while made < across && tries < 20 * across.max(1) {
        tries += 1;
        let other = AgentId(org.rng.below(slots) as u32);
        if other != id
            && org.people.alive(other)
            && org.people.department[other.index()] != d
            && connect(org, id, other)
        {
            made += 1;
        }
    }
}

/// Ties `a` and `b` (symmetric). Returns false if they were already tied.
pub fn connect(org: &mut Org, a: AgentId, b: AgentId) -> bool {
    if a == b || org.ties[a.index()].contains(&b) {
        return false;
    }
    for (x, y) in [(a, b), (b, a)] {
        let list = &mut org.ties[x.index()];
        if list.len() == list.capacity() {
            // Tie lists grow four at a time rather than doubling: most people have a dozen.
            list.reserve_exact(4);
        }
        list.push(y);
    }
    true
}

/// Removes `id` from the organization: out of the chart (a report takes over a manager's
/// role), out of the network, slot freed. The founder never leaves.
pub fn remove(org: &mut Org, params: &LifecycleParams, id: AgentId) {
    debug_assert!(id != org.ceo);
    for other in std::mem::take(&mut org.ties[id.index()]) {
        let list = &mut org.ties[other.index()];
        if let Some(pos) = list.iter().position(|&x| x == id) {
            list.swap_remove(pos);
        }
    }
    if params.organization.hierarchy {
        let boss = org.people.manager[id.index()];
        if org.people.is_manager(id) {
            hand_over(org, params, id);
            unfile(org, id);
            org.managers -= 1;
        }
        if boss.is_some() {
            unfile(org, boss);
            org.people.unlink(id);
            refile(org, params, boss);
        }
    }
    let level = org.people.level[id.index()];
    set_level(org, id, level, false);
    org.headcount -= 1;
    org.people.remove(id);
}

/// A departing manager's reports get a successor: the longest-serving individual contributor
/// among them takes the role; if all are managers, the longest-serving one moves up a level
/// (with their team) and takes the others on.
fn hand_over(org: &mut Org, params: &LifecycleParams, leaving: AgentId) {
    let reports = org.people.reports_of(leaving);
    if reports.is_empty() {
        return;
    }
    let tenure = |org: &Org, r: AgentId| (org.people.hot[r.index()].tenure, std::cmp::Reverse(r));
    // Someone leaving this week cannot take over.
    let staying = |org: &Org, r: AgentId| org.people.hot[r.index()].flags & FLAG_LEAVING == 0;
    let ic = reports
        .iter()
        .copied()
        .filter(|&r| !org.people.is_manager(r) && staying(org, r))
        .max_by_key(|&r| tenure(org, r));
    let successor = ic
        .or_else(|| {
            reports
                .iter()
                .copied()
                .filter(|&r| staying(org, r))
                .max_by_key(|&r| tenure(org, r))
        })
        .unwrap_or_else(|| {
            reports
                .iter()
                .copied()
                .max_by_key(|&r| tenure(org, r))
                .expect("non-empty")
        });
    let boss = org.people.manager[leaving.index()];
    let level = org.people.level[leaving.index()];
    if org.people.is_manager(successor) {
        unfile(org, successor);
        // The successor's own team moves up a level with them.
        let mut stack = org.people.reports_of(successor);
        while let Some(r) = stack.pop() {
            let was = org.people.level[r.index()];
            let manager = org.people.is_manager(r);
            if manager {
                unfile(org, r);
            }
            move_level(org, r, was - 1);
            if manager {
                refile(org, params, r);
                stack.extend(org.people.reports_of(r));
            }
        }
    }
    org.people.unlink(successor);
    for r in reports.into_iter().filter(|&r| r != successor) {
        org.people.unlink(r);
        org.people.link(r, successor);
    }
    move_level(org, successor, level);
    if boss.is_some() {
        unfile(org, boss);
        org.people.link(successor, boss);
        refile(org, params, boss);
    }
    if !org.people.is_manager(successor) {
        org.people.hot[successor.index()].flags |= FLAG_MANAGER;
        org.managers += 1;
    }
    refile(org, params, successor);
}
