//! Growth: who joins and who leaves. Hiring toward a ceiling set by the market, a new hire's
//! draws, new departments as the organization doubles, and exits; where people sit and how the
//! chart heals is [`super::chart`]'s, whom they know [`super::network`]'s.

use super::chart::Chart;
use super::network::Network;
use super::params::LifecycleParams;
use super::people::{AgentId, Flags, People, Person, Traits};
use crate::march1991::random_beliefs;
use crate::rng::{Draw, SimRng, Stream, stream_seed};
use rayon::prelude::*;

/// Slots per piece of work when the founders are drawn and tied in parallel: the chunk of
/// every other pass over slots ([`super::passes::CHUNK`]), so a small founding team runs as
/// one piece. Each slot's draws come from its own keyed stream, so the split never changes a
/// result.
pub const FOUNDING_CHUNK: usize = super::passes::CHUNK;

/// Keys of the founders' streams (their draws and their ties), apart from every other use of
/// the run's seed.
pub const FOUNDING_DRAWS: u64 = 0x666f_756e_6465_7201;
/// See [`FOUNDING_DRAWS`].
pub const FOUNDING_TIES: u64 = 0x666f_756e_6465_7202;

/// Mean of `k` uniforms (a Bates draw, `1 <= k <= 8`): bell-shaped on [0, 1] with mean 1/2.
/// The `k` uniforms come from one 64-bit draw: its `k` fields of `64 / k` bits (integer
/// division), lowest first, each divided by 2^(64 / k): 32 bits each for k = 2, 21 for k = 3,
/// finer than the `f32` the traits are kept in.
#[inline]
fn bates(rng: &mut impl Draw, k: u32) -> f64 {
    debug_assert!((1..=8).contains(&k));
    let width = 64 / k;
    let (mut bits, field) = (rng.bits(), (1u64 << width) - 1);
    let mut sum = 0;
    for _ in 0..k {
        sum += bits & field;
        bits >>= width;
    }
    sum as f64 / (f64::from(k) * (1u64 << width) as f64)
}

/// Draws a new employee's weekly state and traits (department and chart are set later).
pub fn new_person(params: &LifecycleParams, rng: &mut impl Draw, aware: bool) -> (Person, Traits) {
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

/// The founding team of `n` people in slots `0..n` (slot 0 the founder), each drawn as any
/// hire ([`new_person`]) from a stream of their own keyed by the run's `seed` and their slot,
/// in parallel: the draws do not depend on the thread count or on one another. Their places
/// in the chart and their ties are made next ([`Chart::found_cohort`],
/// [`Network::found_cohort`]).
pub fn founders(params: &LifecycleParams, seed: u64, n: usize) -> People {
    let key = stream_seed(seed, &[FOUNDING_DRAWS]);
    let (mut hot, mut traits) = (Vec::with_capacity(n), Vec::with_capacity(n));
    (0..n)
        .into_par_iter()
        .with_min_len(FOUNDING_CHUNK)
        .map(|i| {
            new_person(
                params,
                &mut Stream::new(stream_seed(key, &[i as u64])),
                false,
            )
        })
        .unzip_into_vecs(&mut hot, &mut traits);
    People::from_columns(hot, traits)
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

/// Hires `n` people, one after another: each a department, a place in the chart and
/// informal ties ([`Network::tie_in`]), drawn from `rng` in that order. In an organization of
/// [`super::passes::PARALLEL_FROM`] slots or more, the ties' other sides are added once all
/// `n` are in, by chunk of slots in parallel ([`Network::settle`]): hiring reads only the
/// hire's own list, so the lists end as if each tie had been made both ways at once, as they
/// are in smaller organizations. Returns the hires' slots.
pub fn hire_all(
    people: &mut People,
    chart: &mut Chart,
    network: &mut Network,
    rng: &mut SimRng,
    params: &LifecycleParams,
    n: u32,
) -> Vec<AgentId> {
    let o = &params.organization;
    let defer = people.slots() >= super::passes::PARALLEL_FROM;
    let mut owed = defer.then(|| {
        // A hire's manager, colleagues and people elsewhere.
        let per_hire = 1 + o.ties_within as usize + o.ties_across.ceil() as usize;
        Vec::with_capacity(n as usize * per_hire)
    });
    let hired = (0..n)
        .map(|_| {
            chart.departments = chart
                .departments
                .max(departments_for(params, people.headcount() + 1));
            let department = rng.below(u64::from(chart.departments)) as u16;
            let (person, traits) = new_person(params, rng, false);
            let id = people.add(person, traits);
            chart.add_slot(id, department);
            network.add_slot(id);
            network.members.add(id, department);
            chart.join(people, o.span_of_control, o.hierarchy, id);
            network.tie_in(chart, rng, o, id, owed.as_mut());
            id
        })
        .collect();
    if let Some(owed) = owed {
        network.settle(&owed);
    }
    hired
}

/// Hires one person ([`hire_all`] of one).
pub fn hire(
    people: &mut People,
    chart: &mut Chart,
    network: &mut Network,
    rng: &mut SimRng,
    params: &LifecycleParams,
) -> AgentId {
    hire_all(people, chart, network, rng, params, 1)[0]
}

/// Removes everyone in `leaving` (slot order, each flagged as leaving), as [`remove`] for
/// each in turn would: their ties are cut all at once (in parallel) while each in turn leaves
/// the chart and frees their slot (at the same time, on another thread, for large
/// organizations: the two touch different parts of the state).
pub fn remove_all(
    people: &mut People,
    chart: &mut Chart,
    network: &mut Network,
    params: &LifecycleParams,
    leaving: &[AgentId],
) {
    let o = &params.organization;
    // Out of the department lists first, while the chart still holds their departments.
    unlist(network, chart, leaving);
    let parallel = people.slots() >= super::passes::PARALLEL_FROM;
    let mut heal = || {
        for &id in leaving {
            debug_assert!(id != chart.ceo);
            chart.leave(people, o.span_of_control, o.hierarchy, id);
            people.remove(id);
        }
    };
    if parallel {
        rayon::join(heal, || network.cut_all(leaving));
    } else {
        network.cut_all(leaving);
        heal();
    }
}

/// Takes everyone in `leaving` out of their department's list, in order.
fn unlist(network: &mut Network, chart: &Chart, leaving: &[AgentId]) {
    for &id in leaving {
        network.members.remove(id, chart.department[id.index()]);
    }
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
    remove_all(people, chart, network, params, &[id]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hiring a week's people with the other sides of their ties added at the end (in
    /// parallel) leaves every list as making each tie both ways at once does: a list held
    /// before the batch gains the batch's hires that chose it, in hire order, and a hire's list
    /// is its own ties followed by the later hires that chose it. The same lists, to the
    /// capacity, as hiring one at a time, on any thread count. The organization has two
    /// departments (so ties cross them), leavers' slots are reused, and some hires tie to
    /// hires of the same batch.
    #[test]
    fn hiring_with_the_ties_settled_at_the_end_ties_as_at_once() {
        use crate::lifecycle::{LifecycleModel, state::Org};
        use crate::model::Model;
        let mut params = LifecycleParams::default();
        let o = &mut params.organization;
        (o.founders, o.capacity, o.max_departments) = (10_000, 40_000, 3);
        let model = LifecycleModel::new(params.clone(), Vec::new());
        let Org {
            mut people,
            mut chart,
            mut network,
            mut rng,
            ..
        } = model.init(3);
        // Grown past twice the founders (a second department) and past the parallel size.
        hire_all(
            &mut people,
            &mut chart,
            &mut network,
            &mut rng,
            &params,
            10_600,
        );
        assert_eq!(chart.departments, 2);
        assert!(people.slots() >= super::super::passes::PARALLEL_FROM);
        let leaving: Vec<AgentId> = (1..people.slots())
            .step_by(97)
            .map(|i| AgentId(i as u32))
            .collect();
        for id in &leaving {
            people.hot[id.index()].flags.insert(Flags::LEAVING);
        }
        remove_all(&mut people, &mut chart, &mut network, &params, &leaving);
        let before = network.clone();
        let hires = leaving.len() as u32 + 400;
        let hire_with = |together: bool, threads: usize| {
            let (mut people, mut chart, mut network, mut rng) =
                (people.clone(), chart.clone(), network.clone(), rng.clone());
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let mut hire_n =
                |n| hire_all(&mut people, &mut chart, &mut network, &mut rng, &params, n);
            let hired: Vec<AgentId> = pool.install(|| {
                if together {
                    hire_n(hires)
                } else {
                    (0..hires).flat_map(|_| hire_n(1)).collect()
                }
            });
            let bytes = network.heap_bytes();
            (hired, people.hot, chart, network, bytes, rng.bits())
        };
        let together = hire_with(true, 1);
        assert_eq!(hire_with(true, 3), together);
        assert_eq!(hire_with(false, 1), together);
        let (hired, _, chart, network, _, _) = &together;
        assert!(leaving.iter().all(|id| hired.contains(id)));
        // Who chose whom: the first ties of each hire's list that are not later hires.
        let order: std::collections::BTreeMap<AgentId, usize> =
            hired.iter().enumerate().map(|(k, &h)| (h, k)).collect();
        let later = |h: AgentId, t: &AgentId| order.get(t).is_some_and(|&k| k > order[&h]);
        let mut chose_them = vec![Vec::new(); network.all().len()];
        for &h in hired {
            for t in network.ties(h).iter().filter(|t| !later(h, t)) {
                chose_them[t.index()].push(h);
            }
        }
        let (mut within_batch, mut across) = (0, 0);
        for (i, list) in network.all().iter().enumerate() {
            let id = AgentId(i as u32);
            let (own, gained): (Vec<AgentId>, Vec<AgentId>) = match order.get(&id) {
                Some(_) => list.iter().partition(|t| !later(id, t)),
                None if i < before.all().len() => (
                    before.ties(id).to_vec(),
                    list[before.ties(id).len()..].to_vec(),
                ),
                None => (Vec::new(), list.clone()),
            };
            assert_eq!(
                [own.as_slice(), gained.as_slice()].concat(),
                *list,
                "{id:?}: own ties first"
            );
            assert_eq!(
                gained, chose_them[i],
                "{id:?}: the hires that chose them, in hire order"
            );
            // Lists grow four ties at a time from what they held: a hire's own ties exactly.
            let held = match order.get(&id) {
                Some(_) => own.len(),
                None => before.all().get(i).map_or(0, Vec::capacity),
            };
            let needed = list.len().saturating_sub(held);
            assert_eq!(
                list.capacity(),
                held + needed.div_ceil(4) * 4,
                "{id:?}: capacity"
            );
            if order.contains_key(&id) {
                within_batch += gained.len();
                across += own
                    .iter()
                    .filter(|t| chart.department[t.index()] != chart.department[i])
                    .count();
            }
        }
        assert!(within_batch > 0, "no hire tied to another of the batch");
        assert!(across > 0, "no tie across departments");
    }

    #[test]
    fn founders_are_drawn_per_slot_the_same_on_any_thread_count() {
        let params = LifecycleParams::default();
        let n = 3 * FOUNDING_CHUNK + 5;
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| founders(&params, 5, n))
        };
        let (one, three) = (on(1), on(3));
        assert_eq!(one.hot, three.hot);
        assert_eq!(one.traits, three.traits);
        assert_eq!((one.headcount(), one.slots()), (n as u32, n));
        assert!(one.hot.iter().all(|h| h.flags == Flags::ALIVE));
        // A founder's draws depend on the seed and their slot only, not on the team's size.
        let few = founders(&params, 5, 10);
        assert_eq!(few.hot[..], one.hot[..10]);
        assert_ne!(founders(&params, 6, 10).hot[..], one.hot[..10]);
        // Slots draw apart: no two founders alike.
        let ages: std::collections::BTreeSet<u32> =
            one.hot.iter().map(|h| h.age.to_bits()).collect();
        assert!(ages.len() > n * 9 / 10, "{} distinct ages", ages.len());
    }
}
