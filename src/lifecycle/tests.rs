//! Where the life-cycle model's risk is: the weekly update of one employee (small deterministic
//! cases, each a rule of docs/ODD.md 7.2.4-7.2.8), and the bookkeeping of the org chart, the
//! network and the teams through hires, promotions and exits (property tests).
//!
//! Past 600 lines because these are tests: one short case per rule and one property per
//! piece of bookkeeping, sharing their fixtures.

use proptest::prelude::*;

use super::LifecycleModel;
use super::chart::Chart;
use super::growth;
use super::interventions::{InterventionSpec, TaskForceSpec};
use super::knowledge::Knowledge;
use super::leadership::{Initiatives, LeadershipSystem};
use super::management::Gates;
use super::network::Network;
use super::observe::innovation_capacity;
use super::params::LifecycleParams;
use super::people::{AgentId, Flags, People, Person, TeamId, Traits};
use super::state::{Levers, Org, WeekCounts};
use super::weekly::{WeekContext, decision, update};
use crate::march1991::{Beliefs, mask_of};
use crate::model::Model;
use crate::rng::{SimRng, stream_seed};

// ---------------------------------------------------------------------------------------------
// One employee's week.

/// A week with no fear, nobody quitting, density 0.5 and gates of 0.3 (ordinary) and 0.1
/// (network).
fn week() -> WeekContext {
    WeekContext {
        seed: 1,
        step: 10,
        week_key: stream_seed(1, &[10]),
        ceo: 0,
        code: Beliefs::default(),
        reality: 0,
        m: 30,
        mask: mask_of(30),
        p1: 0.0,
        density: 0.5,
        levers: Levers::NEUTRAL,
        opportunity: 1.0,
        spot_rate: 0.5,
        fear: 0.0,
        gates: Gates {
            block: 0.3,
            network_block: 0.1,
        },
        engagement_target: 0.55,
        quit_engaged: 0.0,
        quit_disengaged: 0.0,
        retirement_age: 65.0,
    }
}

/// A free, fully engaged 30-year-old.
fn person() -> Person {
    Person {
        flags: Flags::ALIVE,
        engagement: 1.0,
        initiative: 1.0,
        age: 30.0,
        ..Person::default()
    }
}

/// Full capabilities, no operational load.
fn traits() -> Traits {
    Traits {
        capabilities: [1.0; 4],
        initiative: 1.0,
        energy: 1.0,
        persistence: 0.5,
        operational_load: 0.0,
    }
}

/// Runs one week of `p` in each of `slots` slots (each its own random stream, never the
/// founder's slot 0) and returns the results.
fn weeks(p: Person, t: &Traits, has_manager: bool, ctx: &WeekContext, slots: usize) -> Vec<Person> {
    (1..=slots)
        .map(|i| {
            let mut q = p;
            update(i, &mut q, t, has_manager, ctx);
            q
        })
        .collect()
}

#[test]
fn a_person_with_no_slack_cannot_spot() {
    let ctx = week();
    // All their time goes to operational work.
    let busy = Traits {
        operational_load: 1.0,
        ..traits()
    };
    assert_eq!(decision(&person(), &busy, true, &ctx).0, 0.0);
    for q in weeks(person(), &busy, true, &ctx, 500) {
        assert!(!q.flags.contains(Flags::LAUNCH));
        assert_eq!(q.launch_rate, 0.0);
    }
    // Or process consumes all their discretionary time.
    let dense = WeekContext {
        density: 1.0,
        ..week()
    };
    assert_eq!(decision(&person(), &traits(), true, &dense).0, 0.0);
    // Protected time gives slack back, and with it the chance to spot.
    let mut protected = dense;
    protected.levers.protected_slack = 0.2;
    assert!(decision(&person(), &traits(), true, &protected).0 > 0.0);
}

#[test]
fn spotting_and_deciding_follow_the_documented_product() {
    let mut ctx = week();
    ctx.fear = 0.2;
    ctx.opportunity = 1.5;
    ctx.levers.aware_spot_factor = 1.5;
    ctx.levers.aware_decide_factor = 1.25;
    let t = Traits {
        capabilities: [0.4, 0.0, 0.0, 0.0],
        operational_load: 0.6,
        ..traits()
    };
    let p = Person {
        engagement: 0.5,
        initiative: 0.8,
        ..person()
    };
    // slack = (1 - 0.6)(1 - 0.5) = 0.2; spot = 0.5 x 1.5 x 0.4 x 0.2; decide = 0.8 x 0.5 x 0.8.
    let slack = (1.0 - f64::from(0.6f32)) * 0.5;
    let spot = 0.5 * 1.5 * f64::from(0.4f32) * slack;
    let decide = f64::from(0.8f32) * 0.5 * 0.8;
    let (act, pass) = decision(&p, &t, true, &ctx);
    assert!((act - spot * decide).abs() < 1e-12, "{act}");
    assert_eq!(pass, 0.7, "ordinary gate");
    // Aware of the statement: spotting x clarity, deciding x appeal; a task force's member
    // looks 1.5 times as often and passes freely.
    let aware = Person {
        flags: Flags::ALIVE | Flags::AWARE | Flags::TASK_FORCE,
        ..p
    };
    let (act_aware, pass_aware) = decision(&aware, &t, true, &ctx);
    assert!((act_aware - act * 1.5 * 1.25 * 1.5).abs() < 1e-12);
    assert_eq!(pass_aware, 1.0);
    // Full fear: nobody decides to act.
    ctx.fear = 1.0;
    assert_eq!(decision(&p, &t, true, &ctx).0, 0.0);
}

#[test]
fn the_gate_that_applies() {
    let g = Gates {
        block: 0.3,
        network_block: 0.1,
    };
    let with = |f: Flags| g.blocking(Flags::ALIVE | f, true);
    assert_eq!(with(Flags::empty()), 0.3);
    assert_eq!(with(Flags::VOLUNTEER), 0.1);
    assert_eq!(with(Flags::COALITION), 0.1);
    assert_eq!(with(Flags::TASK_FORCE | Flags::VOLUNTEER), 0.0);
    assert_eq!(g.blocking(Flags::ALIVE, false), 0.0, "no manager, no gate");
    // A sponsor (the manager belongs to the network or is tied to its coalition) approves.
    assert_eq!(with(Flags::VOLUNTEER | Flags::SPONSORED), 0.0);
    assert_eq!(
        with(Flags::SPONSORED),
        0.3,
        "sponsors approve network initiatives only"
    );
    // Without a sponsor: the ordinary gate raised by hostility (defused by the share of
    // managers who sponsor), less what the mandate upholds.
    let p = LifecycleParams::default();
    let levers = Levers {
        mandate: 0.5,
        hostility: 0.5,
        ..Levers::NEUTRAL
    };
    let g = Gates::new(&p, 0.6, &levers, 0.2);
    let expected = g.block * (1.0 + 2.0 * 0.5 * 0.8) * 0.5;
    assert!((g.network_block - expected).abs() < 1e-12);
    assert_eq!(
        Gates::new(&p, 0.6, &Levers::NEUTRAL, 0.0).network_block,
        g.block
    );
}

#[test]
fn leadership_work_comes_out_of_slack_first_then_out_of_delivery() {
    use super::weekly::time_budget;
    let t = Traits {
        operational_load: 0.6,
        ..traits()
    };
    let n = Levers::NEUTRAL;
    // Density 0.5: free time (1 - 0.6)(1 - 0.5) = 0.2; nobody leads, nothing is lost.
    let idle = time_budget(&t, Flags::ALIVE, 0.5, &n, None);
    assert!((idle.free - 0.2).abs() < 1e-6 && (idle.slack - idle.free).abs() < 1e-12);
    assert_eq!((idle.leadership, idle.delivery_lost), (0.0, 0.0));
    // An initiative member gives all their free time; it costs no delivery.
    let member = time_budget(&t, Flags::ALIVE, 0.5, &n, Some(0.0));
    assert!((member.leadership - 0.2).abs() < 1e-6 && member.delivery_lost == 0.0);
    // A coalition member's chartered time comes out of free time first, then delivery.
    let coalition = Levers {
        coalition_time: 0.3,
        urgency_time: 0.05,
        ..n
    };
    let c = time_budget(&t, Flags::ALIVE | Flags::COALITION, 0.5, &coalition, None);
    assert!((c.leadership - 0.3).abs() < 1e-6, "{c:?}");
    assert!((c.delivery_lost - 0.1).abs() < 1e-6, "{c:?}");
    // Duties (urgency group, check-ins) come first and leave less slack for initiatives.
    let u = time_budget(
        &t,
        Flags::ALIVE | Flags::URGENCY,
        0.5,
        &coalition,
        Some(0.02),
    );
    assert!((u.slack - (0.2 - 0.05 - 0.02)).abs() < 1e-6, "{u:?}");
    assert!(
        (u.leadership - 0.2).abs() < 1e-6 && u.delivery_lost.abs() < 1e-9,
        "{u:?}"
    );
    // Someone whose duties exceed their free time has no slack left to lead or join, and
    // leadership never takes more than free time plus delivery time.
    let heavy = Levers {
        urgency_time: 0.9,
        ..n
    };
    let h = time_budget(&t, Flags::ALIVE | Flags::URGENCY, 0.5, &heavy, None);
    assert_eq!(h.slack, 0.0);
    assert!((h.leadership - 0.8).abs() < 1e-6 && (h.delivery_lost - 0.6).abs() < 1e-6);
    // Organization-wide protected time explores (not leadership work) unless it goes into an
    // initiative; beyond free time it costs delivery.
    let autonomy = Levers {
        protected_slack: 0.5,
        ..n
    };
    let a = time_budget(&t, Flags::ALIVE, 0.5, &autonomy, None);
    let protected = 0.5 * (1.0 - 0.7 * 0.5);
    assert_eq!(a.leadership, 0.0);
    assert!((a.delivery_lost - (protected - 0.2)).abs() < 1e-6, "{a:?}");
}

#[test]
fn engagement_initiative_age_and_tenure_move_as_documented() {
    let ctx = week();
    let t = Traits {
        initiative: 0.9,
        ..traits()
    };
    let p = Person {
        engagement: 0.2,
        initiative: 0.4,
        tenure: 7,
        ..person()
    };
    for q in weeks(p, &t, true, &ctx, 50) {
        // 2% of the gap to the culture's target; 1% of the gap to the trait.
        assert_eq!(
            q.engagement,
            0.2 + (0.02 * (0.55 - f64::from(0.2f32))) as f32
        );
        assert_eq!(q.initiative, 0.4 + 0.01 * (0.9 - 0.4));
        assert_eq!(q.age, 30.0 + 1.0 / 52.0);
        assert_eq!(q.tenure, 8);
    }
}

#[test]
fn quitting_follows_engagement_retirement_and_spares_the_founder() {
    // Engagement settles toward 0 here, 2% of the way before the decision.
    let mut ctx = week();
    ctx.engagement_target = 0.0;
    ctx.quit_engaged = 0.0;
    ctx.quit_disengaged = 1.0;
    let leaves = |engagement: f32, age: f32, ctx: &WeekContext| {
        let p = Person {
            engagement,
            age,
            ..person()
        };
        weeks(p, &traits(), true, ctx, 2000)
            .iter()
            .filter(|q| q.flags.contains(Flags::LEAVING))
            .count()
    };
    assert_eq!(leaves(0.0, 30.0, &ctx), 2000, "the disengaged all quit");
    // The quit probability is linear in engagement: at 0.49, 51% quit.
    let half = leaves(0.5, 30.0, &ctx);
    assert!((940..1100).contains(&half), "{half}");
    ctx.quit_disengaged = 0.0;
    assert_eq!(leaves(0.0, 30.0, &ctx), 0);
    assert_eq!(leaves(1.0, 65.0, &ctx), 2000, "retirement");
    // The engaged quit at their own rate.
    ctx.engagement_target = 1.0;
    ctx.quit_engaged = 1.0;
    assert_eq!(leaves(1.0, 30.0, &ctx), 2000);
    ctx.quit_engaged = 0.0;
    // The founder (slot 0 here) never leaves.
    let mut founder = Person {
        engagement: 0.0,
        age: 70.0,
        ..person()
    };
    ctx.quit_disengaged = 1.0;
    update(0, &mut founder, &traits(), false, &ctx);
    assert!(!founder.flags.contains(Flags::LEAVING));
}

#[test]
fn people_in_a_team_leaving_or_gone_do_not_launch() {
    // No process, certain spotting, engagement staying at 1.
    let mut ctx = week();
    ctx.density = 0.0;
    ctx.spot_rate = 1.0;
    ctx.engagement_target = 1.0;
    // A free person with everything going for them launches every week.
    assert!(
        weeks(person(), &traits(), false, &ctx, 200)
            .iter()
            .all(|q| q.flags.contains(Flags::LAUNCH) && q.launch_rate == 1.0)
    );
    let in_team = Person {
        team: Some(TeamId::new(3)),
        ..person()
    };
    let retiring = Person {
        age: 70.0,
        ..person()
    };
    for p in [in_team, retiring] {
        for q in weeks(p, &traits(), false, &ctx, 200) {
            assert!(!q.flags.contains(Flags::LAUNCH));
            assert_eq!(q.launch_rate, 0.0);
        }
    }
    let gone = Person::default();
    assert_eq!(weeks(gone, &traits(), false, &ctx, 10), vec![gone; 10]);
}

/// People, a chart (everyone reporting to slot 0 when `managed`) and the rest of what the
/// leadership system needs, for `n` copies of `p`.
struct Little {
    people: People,
    managers: Vec<AgentId>,
    network: Network,
    initiatives: Initiatives,
    knowledge: Knowledge,
    rng: SimRng,
    counts: WeekCounts,
}

impl Little {
    fn new(n: usize, p: Person, managed: bool) -> Little {
        let mut people = People::default();
        let mut network = Network::default();
        for _ in 0..n {
            let id = people.add(p, traits());
            network.add_slot(id);
        }
        let boss = if managed { AgentId(0) } else { AgentId::NONE };
        Little {
            people,
            managers: (0..n)
                .map(|i| if i == 0 { AgentId::NONE } else { boss })
                .collect(),
            network,
            initiatives: Initiatives::default(),
            knowledge: Knowledge::new(30, &mut SimRng::from_seed(1)),
            rng: SimRng::from_seed(2),
            counts: WeekCounts::default(),
        }
    }

    fn launch(&mut self, params: &LifecycleParams, ctx: &WeekContext) {
        LeadershipSystem {
            people: &mut self.people,
            managers: &self.managers,
            network: &self.network,
            initiatives: &mut self.initiatives,
            knowledge: &mut self.knowledge,
            rng: &mut self.rng,
            counts: &mut self.counts,
        }
        .launch(params, ctx);
    }
}

#[test]
fn a_blocked_launch_costs_engagement_and_initiative_and_onboarding_halves_the_erosion() {
    let params = LifecycleParams::default();
    let l = &params.leadership;
    let mut ctx = week();
    ctx.gates.block = 1.0;
    let launching = Person {
        flags: Flags::ALIVE | Flags::LAUNCH,
        engagement: 0.5,
        initiative: 0.8,
        ..person()
    };
    let mut org = Little::new(3, launching, true);
    org.people.hot[2].flags.insert(Flags::ONBOARDED);
    org.launch(&params, &ctx);
    for (i, erosion) in [(1, 1.0), (2, 0.5)] {
        let h = org.people.hot[i];
        assert!(!h.flags.contains(Flags::LAUNCH) && h.team.is_none());
        assert_eq!(h.engagement, 0.5 - l.engagement_loss_when_blocked as f32);
        assert_eq!(
            h.initiative,
            0.8 * (1.0 - (l.initiative_erosion * erosion) as f32)
        );
    }
    // The founder has no manager: no gate, so they start an initiative.
    let founder = org.people.hot[0];
    let team = founder.team.expect("the founder leads an initiative");
    assert_eq!(org.initiatives.get(team).leader, AgentId(0));
    assert_eq!(org.initiatives.running().count(), 1);
    assert_eq!(founder.engagement, 0.5);
}

#[test]
fn a_task_force_initiative_gets_the_scope_the_capacity_estimate_assumes() {
    let params = LifecycleParams::default();
    let mut ctx = week();
    ctx.levers.cycle_weeks = 1.0;
    let tf = Person {
        flags: Flags::ALIVE | Flags::LAUNCH | Flags::TASK_FORCE,
        ..person()
    };
    let mut org = Little::new(2, tf, true);
    org.launch(&params, &ctx);
    let scopes: Vec<f64> = org.initiatives.running().map(|i| i.effort_factor).collect();
    // Chartered work passes the gate; its scope is (1 + density); a 90-day cycle scopes only
    // network initiatives.
    assert_eq!(scopes, [1.5, 1.5]);
    let scope =
        |flags, weekly| super::leadership::scope(&params, &ctx.levers, flags, ctx.density, weekly);
    assert_eq!(scope(tf.flags, 0.1), 1.5);
    // A network initiative that would take longer than the cycle is cut to one cycle's work;
    // a shorter one keeps its scope.
    let network = Flags::ALIVE | Flags::VOLUNTEER;
    let weeks = params.leadership.effort / 0.5;
    assert!((scope(network, 0.5) - 1.0 / weeks).abs() < 1e-12);
    assert_eq!(scope(network, 2.0 * params.leadership.effort), 1.0);
    ctx.levers.cycle_weeks = f64::INFINITY;
    assert_eq!(
        super::leadership::scope(&params, &ctx.levers, network, ctx.density, 0.5),
        1.0
    );
}

/// Innovation capacity of `people` under `ctx` with no initiative running.
fn capacity(people: &People, ctx: &WeekContext) -> f64 {
    let params = LifecycleParams::default();
    innovation_capacity(
        people,
        &Initiatives::default(),
        &params,
        ctx,
        &mut Vec::new(),
    )
}

#[test]
fn capacity_counts_free_launch_rates_and_their_survival() {
    let mut people = People::default();
    for rate in [0.01f32, 0.02, 0.04] {
        let p = Person {
            launch_rate: rate,
            ..person()
        };
        people.add(p, traits());
    }
    people.hot[2].team = Some(TeamId::new(0));
    // With full support nothing quits: capacity is 52 x the free people's launch rates.
    let mut ctx = week();
    ctx.levers.dip_support = 1.0;
    let sure = capacity(&people, &ctx);
    let free = f64::from(0.01f32) + f64::from(0.02f32);
    assert!((sure - 52.0 * free).abs() < 1e-9, "{sure}");
    // Otherwise each launch survives with exp(-hazard x weeks): a task force's scope
    // (1 + density) multiplies the weeks, so its survival is the ordinary one to the 1.5.
    ctx.levers.dip_support = 0.0;
    people.hot[1].launch_rate = 0.0;
    let ordinary = capacity(&people, &ctx) / (52.0 * f64::from(0.01f32));
    people.hot[0].flags.insert(Flags::TASK_FORCE);
    let chartered = capacity(&people, &ctx) / (52.0 * f64::from(0.01f32));
    assert!(ordinary < 1.0 && chartered < ordinary);
    assert!((chartered - libm::pow(ordinary, 1.5)).abs() < 1e-9);
}

// ---------------------------------------------------------------------------------------------
// The org chart, the network and the teams through hires, promotions and exits.

/// Returns the message as an error unless the condition holds (formatted only on failure).
macro_rules! ensure {
    ($ok:expr, $($what:tt)+) => {
        if !$ok {
            return Err(format!($($what)+));
        }
    };
}

/// Adds someone of `tenure` at `level` under `boss` (if any) to a hand-built chart.
fn place(
    people: &mut People,
    chart: &mut Chart,
    network: &mut Network,
    tenure: u32,
    boss: AgentId,
    level: u8,
) -> AgentId {
    let id = people.add(Person { tenure, ..person() }, traits());
    chart.add_slot(id, 0);
    network.add_slot(id);
    network.members.add(id, 0);
    if boss.is_some() {
        chart.link(id, boss);
    }
    chart.level[id.index()] = level;
    id
}

/// The founder (slot 0) over a manager (slot 1) over reports of the given tenures, the first
/// `managers` of whom manage one report each; span 7, one department.
fn small_chart(tenures: &[u32], managers: usize) -> (People, Chart, Network, Vec<AgentId>) {
    let (mut people, mut chart, mut network) = Default::default();
    let (p, c, n) = (&mut people, &mut chart, &mut network);
    let ceo = place(p, c, n, 100, AgentId::NONE, 0);
    let m = place(p, c, n, 50, ceo, 1);
    let reports: Vec<AgentId> = tenures.iter().map(|&t| place(p, c, n, t, m, 2)).collect();
    for &r in &reports[..managers] {
        place(p, c, n, 1, r, 3);
    }
    (c.ceo, c.departments) = (ceo, 1);
    c.level_counts = vec![0; 4];
    for id in 0..p.slots() {
        c.level_counts[c.level[id] as usize] += 1;
    }
    for &id in [ceo, m].iter().chain(&reports[..managers]) {
        c.make_manager(p, 7, id);
    }
    (people, chart, network, reports)
}

#[test]
fn a_departing_managers_longest_serving_staying_report_takes_over() {
    let params = LifecycleParams::default();
    let m = AgentId(1);
    // Individual contributors of tenures 10 (leaving too), 5 and 3: the one of 5 takes over.
    let (mut people, mut chart, mut network, r) = small_chart(&[10, 5, 3], 0);
    check(&people, &chart, &network, None, &params).unwrap();
    people.hot[m.index()].flags.insert(Flags::LEAVING);
    people.hot[r[0].index()].flags.insert(Flags::LEAVING);
    growth::remove(&mut people, &mut chart, &mut network, &params, m);
    assert!(people.is_manager(r[1]));
    assert_eq!(chart.manager[r[1].index()], chart.ceo);
    assert_eq!(chart.level[r[1].index()], 1);
    let mut under = chart.reports_of(r[1]);
    under.sort();
    assert_eq!(under, [r[0], r[2]]);
    check(&people, &chart, &network, None, &params).unwrap();
    // Only managers report: the longest-serving moves up a level with their team and takes
    // the others on.
    let (mut people, mut chart, mut network, r) = small_chart(&[4, 9], 2);
    let team = chart.reports_of(r[1]);
    growth::remove(&mut people, &mut chart, &mut network, &params, m);
    assert_eq!(chart.level[r[1].index()], 1);
    assert_eq!(chart.manager[r[0].index()], r[1]);
    assert_eq!(chart.level[r[0].index()], 2);
    assert!(team.iter().all(|t| chart.level[t.index()] == 2));
    check(&people, &chart, &network, None, &params).unwrap();
}

/// Checks every bookkeeping invariant of the chart, the network and (if given) the teams.
fn check(
    people: &People,
    chart: &Chart,
    network: &Network,
    initiatives: Option<&Initiatives>,
    params: &LifecycleParams,
) -> Result<(), String> {
    let o = &params.organization;
    let slots = people.slots();
    let alive: Vec<bool> = (0..slots)
        .map(|i| people.alive(AgentId(i as u32)))
        .collect();
    let ids = || (0..slots).filter(|&i| alive[i]).map(|i| AgentId(i as u32));
    let count = ids().count();
    ensure!(
        count == people.headcount() as usize,
        "headcount {} vs {count} alive",
        people.headcount()
    );
    ensure!(alive[chart.ceo.index()], "the founder is gone");
    // Every employee but the founder has a live manager one level up (in a hierarchy).
    for id in ids() {
        let i = id.index();
        let m = chart.manager[i];
        ensure!(
            u32::from(chart.department[i]) < chart.departments,
            "{id:?} in a department not open",
        );
        if !o.hierarchy || id == chart.ceo {
            ensure!(!m.is_some(), "{id:?} has a manager {m:?}");
            ensure!(chart.level[i] == 0, "{id:?} at level {}", chart.level[i]);
            continue;
        }
        ensure!(
            m.is_some() && alive[m.index()],
            "{id:?} has no live manager ({m:?})"
        );
        ensure!(
            people.is_manager(m),
            "{id:?} reports to {m:?}, not a manager"
        );
        ensure!(
            chart.level[i] == chart.level[m.index()] + 1,
            "{id:?} at level {} under level {}",
            chart.level[i],
            chart.level[m.index()],
        );
        // The chain of managers reaches the founder.
        let mut up = id;
        for _ in 0..=count {
            up = chart.manager[up.index()];
            if up == chart.ceo {
                break;
            }
            ensure!(up.is_some(), "{id:?}'s chain ends at {up:?}");
        }
        ensure!(up == chart.ceo, "{id:?}'s chain loops");
    }
    // Spans: each manager's count and sibling list match who reports to them.
    for m in ids() {
        let listed = chart.reports_of(m);
        let mut reporting: Vec<AgentId> =
            ids().filter(|&r| chart.manager[r.index()] == m).collect();
        let mut sorted = listed.clone();
        sorted.sort();
        reporting.sort();
        ensure!(
            sorted == reporting,
            "{m:?} lists {listed:?}, has {reporting:?}"
        );
        ensure!(
            chart.reports[m.index()] as usize == listed.len(),
            "{m:?}'s span count"
        );
        for (k, &r) in listed.iter().enumerate() {
            let prev = if k == 0 { AgentId::NONE } else { listed[k - 1] };
            ensure!(chart.prev_peer[r.index()] == prev, "{r:?}'s previous peer");
        }
        ensure!(
            listed.is_empty() || people.is_manager(m),
            "{m:?} has reports"
        );
    }
    // Counts: managers, employees per level, and the managers filed by room.
    let managers = ids().filter(|&m| people.is_manager(m)).count();
    ensure!(
        chart.managers as usize == managers,
        "managers {} vs {managers}",
        chart.managers
    );
    let mut levels = vec![0u32; chart.level_counts.len().max(1)];
    for id in ids() {
        let l = chart.level[id.index()] as usize;
        ensure!(l < levels.len(), "level {l} not counted");
        levels[l] += 1;
    }
    ensure!(
        levels[..chart.level_counts.len()] == chart.level_counts[..],
        "level counts {:?} vs {levels:?}",
        chart.level_counts
    );
    for d in 0..chart.departments as usize {
        for with_room in [true, false] {
            let mut filed: Vec<(u8, AgentId)> = chart.filed(d, with_room).collect();
            let mut expected: Vec<(u8, AgentId)> = ids()
                .filter(|&m| {
                    o.hierarchy
                        && people.is_manager(m)
                        && chart.department[m.index()] as usize == d
                        && if with_room {
                            chart.reports[m.index()] < o.span_of_control
                        } else {
                            // Full, with someone to promote.
                            chart.reports[m.index()] >= o.span_of_control
                                && chart.reports_of(m).iter().any(|&r| !people.is_manager(r))
                        }
                })
                .map(|m| (chart.level[m.index()], m))
                .collect();
            filed.sort();
            expected.sort();
            ensure!(
                filed == expected,
                "department {d} filed {filed:?}, expected {expected:?}"
            );
        }
    }
    // Ties: symmetric, between distinct current employees, no duplicates.
    for (i, list) in network.all().iter().enumerate() {
        ensure!(
            alive.get(i).copied().unwrap_or(false) || list.is_empty(),
            "slot {i} left with ties"
        );
        for (k, &other) in list.iter().enumerate() {
            let a = AgentId(i as u32);
            ensure!(
                other != a && alive[other.index()],
                "{a:?} tied to {other:?}"
            );
            ensure!(!list[..k].contains(&other), "{a:?} tied twice to {other:?}");
            ensure!(
                network.ties(other).contains(&a),
                "{a:?}-{other:?} one-sided"
            );
        }
    }
    // Department lists: every current employee listed once, in their own department's list,
    // and nobody else.
    let members = &network.members;
    for (i, &here) in alive.iter().enumerate() {
        let id = AgentId(i as u32);
        match members.position(id) {
            Some(at) => ensure!(
                here && members.of(chart.department[i]).get(at) == Some(&id),
                "{id:?} listed at {at} of department {}",
                chart.department[i]
            ),
            None => ensure!(!here, "{id:?} is not listed"),
        }
    }
    ensure!(
        members.headcount() == count,
        "{} listed, {count} employed",
        members.headcount()
    );
    // Teams: a member's team runs and lists them; a running team's members are current and in it.
    for (i, h) in people.hot.iter().enumerate() {
        if !alive[i] {
            ensure!(
                h.team.is_none() && h.flags.is_empty(),
                "freed slot {i} keeps state"
            );
            continue;
        }
        if let (Some(team), Some(initiatives)) = (h.team, initiatives) {
            let init = initiatives.get(team);
            ensure!(
                init.active && init.members.contains(&AgentId(i as u32)),
                "slot {i} in {team:?}, which does not have them"
            );
        }
    }
    if let Some(initiatives) = initiatives {
        for (slot, init) in initiatives.slots().iter().enumerate() {
            if !init.active {
                ensure!(
                    init.members.is_empty(),
                    "ended initiative {slot} keeps members"
                );
                continue;
            }
            ensure!(
                init.members.first() == Some(&init.leader),
                "initiative {slot}: leader first"
            );
            for m in &init.members {
                ensure!(
                    alive[m.index()] && people.hot[m.index()].team == Some(TeamId::new(slot)),
                    "initiative {slot}: member {m:?}"
                );
            }
        }
    }
    Ok(())
}

/// Checks a new hire's ties (made by `tie_in`, nobody else's yet): the manager first, then
/// `ties_within` distinct colleagues of their department besides the manager (all of them if
/// fewer), then, once a second department is open, at most ceil(`ties_across`) distinct
/// people elsewhere (all but the manager if fewer).
fn hire_ties(
    people: &People,
    chart: &Chart,
    network: &Network,
    params: &LifecycleParams,
    id: AgentId,
) -> Result<(), String> {
    let o = &params.organization;
    let d = chart.department[id.index()];
    let boss = chart.manager[id.index()];
    let mut ties = network.ties(id);
    if boss.is_some() {
        ensure!(
            ties.first() == Some(&boss),
            "{id:?}'s manager is not its first tie"
        );
        ties = &ties[1..];
    }
    let same = |t: &AgentId| chart.department[t.index()] == d;
    let within = ties.iter().take_while(|t| same(t)).count();
    let across = &ties[within..];
    let alive_in = |here: bool| {
        (0..people.slots())
            .map(|i| AgentId(i as u32))
            .filter(|&x| x != id && x != boss && people.alive(x) && same(&x) == here)
            .count()
    };
    ensure!(
        within == (o.ties_within as usize).min(alive_in(true)),
        "{id:?}: {within} ties in department {d}, {} others there",
        alive_in(true)
    );
    ensure!(
        across.iter().all(|t| !same(t)),
        "{id:?}'s ties: colleagues after people elsewhere: {ties:?}"
    );
    let most = if chart.departments <= 1 {
        0
    } else {
        (o.ties_across.ceil() as usize).min(alive_in(false))
    };
    ensure!(
        across.len() <= most && across.len() >= (o.ties_across.floor() as usize).min(most),
        "{id:?}: {} ties elsewhere",
        across.len()
    );
    for (k, t) in ties.iter().enumerate() {
        ensure!(
            *t != id && people.alive(*t) && !ties[..k].contains(t),
            "{id:?}'s ties {ties:?}"
        );
    }
    Ok(())
}

/// A change to the organization: `Hire(n)` hires n people; `Exit(picks)` marks the people
/// the picks point at (among current employees but the founder) as leaving, then removes
/// them in slot order, as the week's exits do.
#[derive(Clone, Debug)]
enum Change {
    Hire(u8),
    Exit(Vec<u16>),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (1u8..40).prop_map(Change::Hire),
        2 => prop::collection::vec(any::<u16>(), 1..25).prop_map(Change::Exit),
    ]
}

/// Marks the people `picks` point at (among current employees but the founder) as leaving,
/// then removes them in slot order, as the week's exits do.
fn exits(
    people: &mut People,
    chart: &mut Chart,
    network: &mut Network,
    params: &LifecycleParams,
    picks: &[u16],
) {
    let others: Vec<usize> = (0..people.slots())
        .filter(|&i| people.hot[i].is_staying() && AgentId(i as u32) != chart.ceo)
        .collect();
    if others.is_empty() {
        return;
    }
    for &pick in picks {
        let i = others[pick as usize % others.len()];
        people.hot[i].flags.insert(Flags::LEAVING);
    }
    // One by one, and all at once as the week's exits do: the same organization after.
    let (mut one_people, mut one_chart, mut one_network) =
        (people.clone(), chart.clone(), network.clone());
    for i in 0..people.slots() {
        if people.hot[i].flags.contains(Flags::LEAVING) {
            let id = AgentId(i as u32);
            growth::remove(
                &mut one_people,
                &mut one_chart,
                &mut one_network,
                params,
                id,
            );
        }
    }
    let hot = &people.hot;
    let leaving: Vec<AgentId> =
        super::passes::find(hot.len(), |i| hot[i].flags.contains(Flags::LEAVING))
            .into_iter()
            .map(AgentId)
            .collect();
    growth::remove_all(people, chart, network, params, &leaving);
    assert_eq!(*network, one_network, "ties after removing {leaving:?}");
    assert_eq!(*chart, one_chart, "chart after removing {leaving:?}");
    assert_eq!(people.hot, one_people.hot);
    assert_eq!(people.headcount(), one_people.headcount());
}

proptest! {
    #![proptest_config(proptest::test_runner::Config {
            cases: 64,
            // A fixed seed, so every run tests the same cases, and no file of past failures.
            rng_seed: proptest::test_runner::RngSeed::Fixed(2026),
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

    /// Hires, promotions (into new manager roles and as successors) and exits of any mix of
    /// people, managers and their successors keep the chart a tree with consistent spans,
    /// levels and counts, and the network symmetric among current employees.
    #[test]
    fn chart_and_network_bookkeeping_through_hires_promotions_and_exits(
        seed in any::<u64>(),
        span in 2u32..8,
        founders in 1u32..20,
        max_departments in 1u32..6,
        hierarchy in prop::bool::weighted(0.9),
        changes in prop::collection::vec(change(), 1..40),
    ) {
        let mut params = LifecycleParams::default();
        let o = &mut params.organization;
        (o.span_of_control, o.founders, o.max_departments, o.hierarchy) =
            (span, founders, max_departments, hierarchy);
        let model = LifecycleModel::new(params.clone(), Vec::new());
        let Org { mut people, mut chart, mut network, mut rng, .. } = model.init(seed);
        check(&people, &chart, &network, None, &params).map_err(TestCaseError::fail)?;
        for change in changes {
            match &change {
                Change::Hire(n) => {
                    for _ in 0..*n {
                        let id =
                            growth::hire(&mut people, &mut chart, &mut network, &mut rng, &params);
                        hire_ties(&people, &chart, &network, &params, id)
                            .map_err(|e| TestCaseError::fail(format!("after {change:?}: {e}")))?;
                    }
                }
                Change::Exit(picks) => {
                    exits(&mut people, &mut chart, &mut network, &params, picks);
                }
            }
            check(&people, &chart, &network, None, &params)
                .map_err(|e| TestCaseError::fail(format!("after {change:?}: {e}")))?;
        }
    }

    /// Week after week of the whole model, with high turnover, narrow spans and interventions
    /// that change flags and teams, the chart, the network and the teams stay consistent.
    #[test]
    fn the_state_stays_consistent_week_after_week(
        seed in any::<u64>(),
        span in 2u32..10,
        founders in 5u32..30,
        quit in 0.0f64..0.9,
        hierarchy in prop::bool::weighted(0.8),
        task_forces in any::<bool>(),
    ) {
        let mut params = LifecycleParams { years: 3.0, ..LifecycleParams::default() };
        let o = &mut params.organization;
        (o.span_of_control, o.founders, o.hierarchy, o.capacity, o.growth_rate) =
            (span, founders, hierarchy, 150, 3.0);
        params.people.quit_rate_disengaged = quit;
        params.people.retirement_age = 45.0;
        params.leadership.spot_rate = 0.8;
        let interventions = if task_forces {
            InterventionSpec::TaskForce(TaskForceSpec {
                start_year: Some(0.5),
                every_years: Some(0.5),
                duration_months: 2.0,
                ..TaskForceSpec::default()
            })
            .build()
        } else {
            Vec::new()
        };
        let model = LifecycleModel::new(params.clone(), interventions);
        let mut org = model.init(seed);
        for week in 0..model.horizon() {
            model.step(&mut org);
            check(&org.people, &org.chart, &org.network, Some(&org.initiatives), &params)
                .map_err(|e| TestCaseError::fail(format!("week {week}: {e}")))?;
        }
        prop_assert!(org.total.hires > 0, "the organization grew");
    }
}

/// Founding shares its work among the pool's threads from 20,000 founders and a week from
/// 20,000 employee slots, whatever the capacity the organization may grow to.
#[test]
fn large_organizations_share_their_work() {
    let model = |founders: u32, capacity: u32| {
        let mut params = LifecycleParams::default();
        (params.organization.founders, params.organization.capacity) = (founders, capacity);
        LifecycleModel::new(params, Vec::new())
    };
    let parallel = super::passes::PARALLEL_FROM as u32;
    assert!(!model(parallel - 1, 10 * parallel).shares_work(None));
    assert!(model(parallel, parallel).shares_work(None));
    let small = model(50, 10 * parallel);
    assert!(!small.shares_work(Some(&small.init(1))));
    let large = model(parallel, parallel);
    assert!(large.shares_work(Some(&large.init(1))));
}
