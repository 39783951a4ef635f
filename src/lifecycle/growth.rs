//! Growth: who joins and who leaves. Hiring toward a ceiling set by the market, a new hire's
//! draws, new departments as the organization doubles, and exits; where people sit and how the
//! chart heals is [`super::chart`]'s, whom they know [`super::network`]'s.

use super::chart::Chart;
use super::network::Network;
use super::params::LifecycleParams;
use super::people::{AgentId, Flags, People, Person, Traits};
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
        flags: if aware {
            Flags::ALIVE | Flags::AWARE
        } else {
            Flags::ALIVE
        },
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

/// This week's hires: logistic growth toward the market ceiling, plus replacement of this
/// week's `exits` while below it (at most up to the ceiling).
pub fn hires_due(
    params: &LifecycleParams,
    headcount: u32,
    market: f64,
    efficiency: f64,
    exits: u32,
    rng: &mut SimRng,
) -> u32 {
    let o = &params.organization;
    let n = f64::from(headcount);
    let ceiling = f64::from(o.capacity) * (1.0 - o.market_sensitivity * (1.0 - market));
    if n >= ceiling {
        return 0;
    }
    // Growth needs reliable delivery: the intrinsic rate is scaled by efficiency.
    let growth = o.growth_rate * efficiency / 52.0 * n * (1.0 - n / ceiling);
    let expected = growth.max(0.0) + f64::from(exits);
    let hires = expected.floor() as u32 + u32::from(rng.chance(expected.fract()));
    hires.min((ceiling - n).ceil() as u32)
}

/// Hires one person: department, place in the chart, informal ties.
pub fn hire(
    people: &mut People,
    chart: &mut Chart,
    network: &mut Network,
    rng: &mut SimRng,
    params: &LifecycleParams,
) -> AgentId {
    let o = &params.organization;
    chart.departments = chart
        .departments
        .max(departments_for(params, people.headcount() + 1));
    let department = rng.below(u64::from(chart.departments)) as u16;
    let (person, traits) = new_person(params, rng, false);
    let id = people.add(person, traits);
    chart.add_slot(id, department);
    network.add_slot(id);
    chart.join(people, o.span_of_control, o.hierarchy, id);
    network.tie_in(people, chart, rng, o, id);
    id
}

/// Removes `id` from the organization: out of the chart (a report takes over a manager's
/// role), out of the network, slot freed. The founder never leaves.
pub fn remove(
    people: &mut People,
    chart: &mut Chart,
    network: &mut Network,
    params: &LifecycleParams,
    id: AgentId,
) {
    debug_assert!(id != chart.ceo);
    let o = &params.organization;
    network.cut(id);
    chart.leave(people, o.span_of_control, o.hierarchy, id);
    people.remove(id);
}
