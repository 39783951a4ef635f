//! Each intervention moves the state it should move, and nothing else.
//!
//! Past 600 lines because these are tests: a few short cases per intervention (sixteen of
//! them, and the dual system's elements in Kotter's order), sharing one fixture.

use super::*;
use crate::lifecycle::LifecycleModel;
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::people::{AgentId, Flags};
use crate::lifecycle::state::{Levers, Org};
use crate::model::Model;

/// The baseline parameters over 20 years.
fn params() -> LifecycleParams {
    LifecycleParams {
        years: 20.0,
        ..LifecycleParams::default()
    }
}

/// A baseline organization after `weeks` weeks, with neutral levers.
fn org_at(weeks: u32) -> Org {
    let model = LifecycleModel::new(params(), Vec::new());
    let mut org = model.init(5);
    for _ in 0..weeks {
        model.step(&mut org);
    }
    org.levers = Levers::NEUTRAL;
    org
}

fn count(org: &Org, flag: Flags) -> usize {
    org.people
        .hot
        .iter()
        .filter(|h| h.flags.contains(Flags::ALIVE) && h.flags.contains(flag))
        .count()
}

/// Runs `week_start` at the intervention's start week and checks that only the levers
/// changed, and to `expected`.
fn only_levers(spec: &dyn Intervention, expected: Levers) {
    let mut org = org_at(300);
    org.step = spec.window().start;
    let before = org.clone();
    spec.week_start(&mut Context::of(&mut org));
    assert_eq!(org.levers, expected, "{}", spec.kind());
    assert_eq!(org.people.hot, before.people.hot, "{}", spec.kind());
    assert_eq!(org.network, before.network, "{}", spec.kind());
    assert_eq!(org.knowledge, before.knowledge);
}

fn at(start: f64) -> Option<f64> {
    Some(start)
}

#[test]
fn lever_only_interventions() {
    let n = Levers::NEUTRAL;
    only_levers(
        &AutonomySpec {
            start_year: at(5.0),
            ..Default::default()
        },
        Levers {
            protected_slack: 0.15,
            ..n
        },
    );
    only_levers(
        &CelebrateWinsSpec {
            start_year: at(5.0),
            ..Default::default()
        },
        Levers {
            celebration: 0.03,
            ..n
        },
    );
    only_levers(
        &NegativeStereotypingSpec {
            start_year: at(5.0),
            ..Default::default()
        },
        Levers {
            hostility: 0.6,
            ..n
        },
    );
    only_levers(
        &FollowUpSpec {
            start_year: at(5.0),
            ..Default::default()
        },
        Levers {
            dip_support: 1.0 - (1.0 - 0.0) * (1.0 - 0.3),
            ..n
        },
    );
    only_levers(
        &FearBasedManagementSpec {
            start_year: at(5.0),
            ..Default::default()
        },
        Levers {
            fear_shift: 0.4,
            ..n
        },
    );
    only_levers(
        &PsychologicalSafetySpec {
            start_year: at(5.0),
            ..Default::default()
        },
        Levers {
            fear_shift: -0.15,
            ..n
        },
    );
}

#[test]
fn opportunity_statement_is_aligned_then_informs_the_top_and_focuses_the_aware() {
    let mut org = org_at(300);
    let spec = OpportunityStatementSpec {
        start_year: at(300.0 / 52.0),
        ..Default::default()
    };
    // While the top aligns behind it (four weeks), nothing of it acts.
    let before = org.clone();
    for week in 0..4 {
        org.step = spec.window().start + week;
        spec.week_start(&mut Context::of(&mut org));
        assert_eq!(org.levers, Levers::NEUTRAL);
        assert_eq!(org.people.hot, before.people.hot);
        assert_eq!(org.dual.statement_week, None);
    }
    org.step = spec.window().start + 4;
    spec.week_start(&mut Context::of(&mut org));
    assert_eq!(org.dual.statement_week, Some(org.step));
    assert_eq!(
        org.levers,
        Levers {
            aware_spot_factor: 1.05,
            aware_decide_factor: 1.05,
            ..Levers::NEUTRAL
        }
    );
    for i in 0..org.people.slots() {
        if !org.people.hot[i].flags.contains(Flags::ALIVE) {
            continue;
        }
        let aware = org.people.hot[i].flags.contains(Flags::AWARE);
        assert_eq!(
            aware,
            org.chart.level[i] < 2,
            "only the top two levels learn it"
        );
        let mut h = org.people.hot[i];
        h.flags.remove(Flags::AWARE);
        assert_eq!(h, before.people.hot[i], "nothing else changes");
    }
}

/// Makes the top two levels aware, as the statement does when issued.
fn issue_statement(org: &mut Org) {
    for i in 0..org.people.slots() {
        if org.people.hot[i].flags.contains(Flags::ALIVE) && org.chart.level[i] < 2 {
            org.people.hot[i].flags.insert(Flags::AWARE);
        }
    }
}

#[test]
fn urgency_group_forms_from_aware_volunteers_then_spreads_awareness_and_opt_in() {
    let mut org = org_at(300);
    let spec = UrgencyGroupSpec {
        start_year: at(300.0 / 52.0),
        ..Default::default()
    };
    org.step = spec.window().start;
    // Nobody knows the statement: nobody volunteers.
    spec.week_start(&mut Context::of(&mut org));
    assert_eq!(count(&org, Flags::URGENCY), 0);
    assert_eq!(
        org.levers,
        Levers {
            urgency_time: 0.05,
            ..Levers::NEUTRAL
        }
    );
    issue_statement(&mut org);
    let engagement: Vec<f32> = org.people.hot.iter().map(|h| h.engagement).collect();
    let aware_before = count(&org, Flags::AWARE);
    let places = (f64::from(org.headcount()) * 0.03).ceil() as usize;
    let mut sizes = Vec::new();
    for _ in 0..20 {
        spec.week_start(&mut Context::of(&mut org));
        sizes.push(count(&org, Flags::URGENCY));
        spec.week_end(&mut Context::of(&mut org));
    }
    // Only aware people volunteer; the group grows over weeks, never past its places.
    assert!(sizes[0] < places, "{sizes:?}");
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]) && sizes[19] > sizes[0]);
    assert_eq!(sizes[19], places);
    assert!(
        count(&org, Flags::AWARE) > 2 * aware_before,
        "awareness spreads through ties"
    );
    assert!(
        count(&org, Flags::VOLUNTEER) > sizes[19],
        "aware people opt in"
    );
    let after: Vec<f32> = org.people.hot.iter().map(|h| h.engagement).collect();
    assert_eq!(engagement, after, "engagement untouched");
    spec.finish(&mut Context::of(&mut org));
    assert_eq!(count(&org, Flags::VOLUNTEER), 0);
}

#[test]
fn coalition_selection_modes() {
    // Large enough for more than 30 seats (when depends on the random streams).
    let model = LifecycleModel::new(params(), Vec::new());
    let mut org = model.init(5);
    while org.headcount() <= 775 {
        assert!(org.step < 2_000, "the organization never grew past 775");
        model.step(&mut org);
    }
    org.levers = Levers::NEUTRAL;
    let start_year = f64::from(org.step) / 52.0;
    issue_statement(&mut org);
    // Awareness spread beyond the top, so there are enough applicants.
    for h in &mut org.people.hot {
        h.flags.insert(Flags::AWARE);
    }
    let form = |selection| {
        let mut org = org.clone();
        let spec = GuidingCoalitionSpec {
            start_year: at(start_year),
            selection,
            ..Default::default()
        };
        // Applications for eight weeks; nobody is seated and no lever moves before.
        for week in 0..8 {
            org.step = spec.window().start + week;
            org.levers = Levers::NEUTRAL;
            spec.week_start(&mut Context::of(&mut org));
            assert_eq!(count(&org, Flags::COALITION), 0);
            assert_eq!(org.levers, Levers::NEUTRAL);
        }
        org.step = spec.window().start + 8;
        spec.week_start(&mut Context::of(&mut org));
        assert_eq!(org.dual.seated_week, Some(org.step));
        assert_eq!(org.levers.coalition_time, 0.1);
        assert_eq!(org.levers.mandate, 0.5);
        let members: Vec<usize> = (0..org.people.slots())
            .filter(|&i| org.people.hot[i].flags.contains(Flags::COALITION))
            .collect();
        // Seats: 40, at most 4% of headcount.
        let seats = ((f64::from(org.headcount()) * 0.04).ceil() as usize).min(40);
        assert!(seats > 30);
        assert_eq!(members.len(), seats, "{selection:?}");
        // Staggered terms: the first members leave a few at a time over one term.
        let mut ends: Vec<u32> = org.dual.seats.iter().map(|s| s.until).collect();
        ends.sort();
        ends.dedup();
        assert!(ends.len() >= seats - 5, "{ends:?}");
        let mean = |f: &dyn Fn(usize) -> f64| {
            members.iter().map(|&i| f(i)).sum::<f64>() / members.len() as f64
        };
        let level = mean(&|i| f64::from(org.chart.level[i]));
        let age = mean(&|i| f64::from(org.people.hot[i].age));
        let depts = members
            .iter()
            .map(|&i| org.chart.department[i])
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        // A year on, members rotate off a few at a time and the seats are refilled.
        let first: Vec<usize> = members.clone();
        let mut changed = Vec::new();
        for week in 9..=60 {
            org.step = spec.window().start + week;
            let before = count(&org, Flags::COALITION);
            spec.week_start(&mut Context::of(&mut org));
            let stayed = first
                .iter()
                .filter(|&&i| org.people.hot[i].flags.contains(Flags::COALITION))
                .count();
            changed.push(stayed);
            assert!(count(&org, Flags::COALITION) + 1 >= before);
        }
        assert!(changed.windows(2).all(|w| w[0] - w[1] <= 2), "{changed:?}");
        assert!(changed[changed.len() - 1] < seats * 3 / 4, "{changed:?}");
        (level, age, depts)
    };
    let (open_level, open_age, open_depts) = form(Selection::OpenApplication);
    let (usual_level, usual_age, _) = form(Selection::UsualSuspects);
    assert!(
        usual_level < open_level,
        "rank: {usual_level} vs {open_level}"
    );
    assert!(
        open_age < usual_age,
        "open application draws younger people"
    );
    assert!(
        open_depts >= 5,
        "cross-functional: {open_depts} departments"
    );
    form(Selection::Random);
}

#[test]
fn a_coalition_waits_for_people_who_know_the_statement() {
    let mut org = org_at(400);
    let spec = GuidingCoalitionSpec {
        start_year: at(400.0 / 52.0),
        ..Default::default()
    };
    for week in 0..30 {
        org.step = spec.window().start + week;
        spec.week_start(&mut Context::of(&mut org));
    }
    assert_eq!(count(&org, Flags::COALITION), 0);
    assert_eq!(org.dual.seated_week, None);
    assert_eq!(org.levers, Levers::NEUTRAL);
}

#[test]
fn ninety_day_wins_start_once_a_coalition_is_seated() {
    let mut org = org_at(300);
    let spec = NinetyDayWinsSpec {
        start_year: at(300.0 / 52.0),
        ..Default::default()
    };
    org.step = spec.window().start;
    spec.week_start(&mut Context::of(&mut org));
    assert_eq!(
        org.levers,
        Levers::NEUTRAL,
        "no coalition, nothing to scope"
    );
    org.dual.seats.push(crate::lifecycle::state::Seat {
        member: crate::lifecycle::people::AgentId(1),
        until: u32::MAX,
    });
    let before = org.clone();
    spec.week_start(&mut Context::of(&mut org));
    assert_eq!(
        org.levers,
        Levers {
            cycle_weeks: 90.0 / 7.0,
            checkin_support: 1.0 - 0.75 * 0.75,
            checkin_time: 2.0 * 0.1 / (90.0 / 7.0),
            ..Levers::NEUTRAL
        }
    );
    assert_eq!(org.people.hot, before.people.hot);
}

#[test]
fn keep_close_links_managers_to_the_seated_coalition() {
    let mut org = org_at(400);
    let spec = KeepCloseSpec {
        start_year: at(400.0 / 52.0),
        ..Default::default()
    };
    org.step = spec.window().start;
    let before = org.clone();
    spec.week_start(&mut Context::of(&mut org));
    assert_eq!(
        org.network, before.network,
        "no coalition, nobody to link to"
    );
    // Seat the ten lowest-ranked people.
    let ranked = common::by_rank(&org.people, &org.chart);
    for &i in ranked.iter().rev().take(10) {
        org.people.hot[i]
            .flags
            .insert(Flags::COALITION | Flags::AWARE);
        org.dual.seats.push(crate::lifecycle::state::Seat {
            member: crate::lifecycle::people::AgentId(i as u32),
            until: u32::MAX,
        });
    }
    let tied = |org: &Org| {
        (0..org.people.slots())
            .filter(|&i| {
                org.people.hot[i].is_staying()
                    && org
                        .people
                        .is_manager(crate::lifecycle::people::AgentId(i as u32))
            })
            .filter(|&i| {
                org.network
                    .ties(crate::lifecycle::people::AgentId(i as u32))
                    .iter()
                    .any(|o| org.people.hot[o.index()].flags.contains(Flags::COALITION))
            })
            .count()
    };
    let start = tied(&org);
    for _ in 0..26 {
        org.step += 1;
        spec.week_start(&mut Context::of(&mut org));
    }
    let managers = org.chart.managers as usize;
    assert!(
        tied(&org) > start + managers / 3,
        "{start} -> {} of {managers}",
        tied(&org)
    );
    assert_eq!(
        org.levers,
        Levers::NEUTRAL,
        "it acts through ties, not levers"
    );
    // Tied managers who know the statement sponsor the network.
    org.people.hot[ranked[ranked.len() - 1]]
        .flags
        .insert(Flags::VOLUNTEER);
    let seats = org.dual.seats.clone();
    let share = crate::lifecycle::management::sponsorship(
        &mut org.people,
        &org.chart.manager,
        &org.network,
        &seats,
    );
    assert!(share > 0.3, "{share}");
    // Their reports are sponsored; nobody else is.
    for i in (0..org.people.slots()).filter(|&i| org.people.alive(AgentId(i as u32))) {
        let m = org.chart.manager[i];
        let sponsored = m.is_some() && org.people.hot[m.index()].flags.contains(Flags::SPONSOR);
        assert_eq!(
            org.people.hot[i].flags.contains(Flags::SPONSORED),
            sponsored
        );
    }
}

#[test]
fn onboarding_shapes_new_hires_only() {
    let mut org = org_at(300);
    let spec = OnboardingSpec {
        start_year: at(0.0),
        ..Default::default()
    };
    let id = crate::lifecycle::growth::hire(
        &mut org.people,
        &mut org.chart,
        &mut org.network,
        &mut org.rng,
        &params(),
    );
    // What the hire itself changed (it may promote someone to make room) is not onboarding's.
    let before = org.clone();
    let fresh = org.people.hot[id.index()];
    spec.on_hire(&mut Context::of(&mut org), id);
    let h = org.people.hot[id.index()];
    assert!(h.flags.contains(Flags::AWARE) && h.flags.contains(Flags::ONBOARDED));
    assert!((h.initiative - (fresh.initiative + 0.1).min(1.0)).abs() < 1e-6);
    for i in 0..before.people.slots() {
        if i != id.index() {
            assert_eq!(org.people.hot[i].flags, before.people.hot[i].flags);
        }
    }
}

#[test]
fn culture_war_lowers_efficiency_and_sponsors_defuse_it() {
    let org = org_at(300);
    let efficiency = |hostility: f64, sponsors: f64| {
        let mut o = org.clone();
        o.levers = Levers {
            hostility,
            ..Levers::NEUTRAL
        };
        let (headcount, levels, departments) =
            (o.headcount(), o.chart.levels(), o.chart.departments);
        o.management.week(
            &params(),
            headcount,
            levels,
            departments,
            &o.levers,
            sponsors,
            0.0,
        );
        o.management.efficiency
    };
    let calm = efficiency(0.0, 0.0);
    assert!((efficiency(0.6, 0.0) - calm * (1.0 - 0.15 * 0.6)).abs() < 1e-12);
    assert!(efficiency(0.6, 0.7) > efficiency(0.6, 0.0));
}

#[test]
fn cross_team_events_add_cross_department_ties_on_event_weeks() {
    let mut org = org_at(300);
    let spec = CrossTeamSpec {
        start_year: at(300.0 / 52.0),
        ..Default::default()
    };
    org.step = spec.window().start;
    let before = org.clone();
    spec.week_start(&mut Context::of(&mut org));
    let added: usize = org.network.all().iter().map(|t| t.len()).sum::<usize>()
        - before.network.all().iter().map(|t| t.len()).sum::<usize>();
    assert!(added > 0);
    for (i, list) in org.network.all().iter().enumerate() {
        for other in list.iter().filter(|o| !before.network.all()[i].contains(o)) {
            assert_ne!(org.chart.department[i], org.chart.department[other.index()]);
        }
    }
    assert_eq!(
        org.levers,
        Levers {
            spot_factor: 1.2,
            ..Levers::NEUTRAL
        }
    );
    assert_eq!(org.people.hot, before.people.hot);
    // Not an event week: nothing happens.
    let mut quiet = before.clone();
    quiet.step += 1;
    spec.week_start(&mut Context::of(&mut quiet));
    assert_eq!(quiet.network, before.network);
}

#[test]
fn task_forces_are_appointed_by_rank_and_disbanded() {
    let mut org = org_at(300);
    let spec = TaskForceSpec {
        start_year: at(300.0 / 52.0),
        every_years: Some(3.0),
        ..Default::default()
    };
    org.step = spec.window().start;
    spec.week_start(&mut Context::of(&mut org));
    assert_eq!(count(&org, Flags::TASK_FORCE), 8);
    assert_eq!(
        org.levers,
        Levers {
            task_force_time: 0.3,
            ..Levers::NEUTRAL
        }
    );
    let max_level = (0..org.people.slots())
        .filter(|&i| org.people.hot[i].flags.contains(Flags::TASK_FORCE))
        .map(|i| org.chart.level[i])
        .max()
        .unwrap();
    assert!(max_level <= 2, "appointed from the top of the chart");
    // Four months later it is disbanded; the next one comes three years after the first.
    org.step = spec.window().start + 17;
    org.levers = Levers::NEUTRAL;
    spec.week_start(&mut Context::of(&mut org));
    assert_eq!(count(&org, Flags::TASK_FORCE), 0);
    assert_eq!(org.levers, Levers::NEUTRAL);
    assert!(spec.chartered(spec.window().start + 156));
    assert!(!spec.chartered(spec.window().start + 100));
}

#[test]
fn a_task_force_without_every_years_is_chartered_once() {
    let spec: InterventionSpec =
        serde_json::from_str(r#"{"kind": "task_force", "start_year": 6}"#).unwrap();
    let InterventionSpec::TaskForce(spec) = spec else {
        panic!("a task force")
    };
    assert_eq!(spec.every_years, None);
    let start = spec.window().start;
    assert_eq!(start, 6 * 52);
    assert!(spec.chartered(start) && spec.chartered(start + 16));
    assert!(!spec.chartered(start + 17));
    // Never again: not three years on, nor thirty.
    assert!((start + 17..start + 30 * 52).all(|w| !spec.chartered(w)));
    // Its window closes when the charter ends, so `finish` disbands it.
    assert_eq!(spec.window().end, Some(start + 17));
    // Explicit null means the same.
    let null: InterventionSpec =
        serde_json::from_str(r#"{"kind": "task_force", "start_year": 6, "every_years": null}"#)
            .unwrap();
    assert_eq!(null, InterventionSpec::TaskForce(spec));
}

#[test]
fn the_shorthand_expands_and_each_element_stays_switchable() {
    let spec: InterventionSpec = serde_json::from_str(
        r#"{"kind": "dual_operating_system", "start_year": 10,
            "keep_close": {"enabled": false},
            "guiding_coalition": {"seats": 30, "start_year": 11}}"#,
    )
    .unwrap();
    let InterventionSpec::DualOperatingSystem(d) = &spec else {
        panic!()
    };
    let kinds: Vec<&str> = spec.build().iter().map(|b| b.kind()).collect();
    assert_eq!(
        kinds,
        [
            "opportunity_statement",
            "urgency_group",
            "guiding_coalition",
            "ninety_day_wins",
            "celebrate_wins"
        ]
    );
    let elements = d.elements();
    let InterventionSpec::GuidingCoalition(c) = &elements[2] else {
        panic!()
    };
    assert_eq!((c.seats, c.start_year), (30, Some(11.0)));
    let InterventionSpec::UrgencyGroup(u) = &elements[1] else {
        panic!()
    };
    assert_eq!(u.start_year, Some(10.0));
    assert!(spec.validate("interventions[0]").is_empty());
}

#[test]
fn validation_messages() {
    let bad: InterventionSpec = serde_json::from_str(
        r#"{"kind": "task_force", "end_year": 4, "start_year": 6, "members": 0}"#,
    )
    .unwrap();
    let errors = bad.validate("interventions[0]");
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        ["interventions[0].end_year", "interventions[0].members"]
    );
    let missing: InterventionSpec = serde_json::from_str(r#"{"kind": "autonomy"}"#).unwrap();
    assert_eq!(missing.validate("x")[0].path, "x.start_year");
    let unknown =
        serde_json::from_str::<InterventionSpec>(r#"{"kind": "hackathon", "start_year": 1}"#)
            .unwrap_err()
            .to_string();
    assert!(
        unknown.contains("task_force") && unknown.contains("dual_operating_system"),
        "{unknown}"
    );
    let big: InterventionSpec =
        serde_json::from_str(r#"{"kind": "guiding_coalition", "start_year": 1, "seats": 500}"#)
            .unwrap();
    assert_eq!(big.warnings("interventions[0]", 250).len(), 1);
}

#[test]
fn every_kind_in_the_registry_reads_builds_and_locates_mistakes() {
    let mut kinds = KINDS.to_vec();
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), 15);
    for &kind in KINDS {
        let entry = serde_json::json!({"kind": kind, "start_year": 1});
        let spec: InterventionSpec = serde_json::from_value(entry.clone()).unwrap();
        assert!(spec.validate("x").is_empty(), "{kind}");
        let built = spec.build();
        assert!(!built.is_empty(), "{kind}");
        if kind != "dual_operating_system" {
            assert_eq!(built[0].kind(), kind);
        }
        assert_eq!(serde_json::to_value(&spec).unwrap()["kind"], kind);
        assert_eq!(locate_mistake(&entry), None);
        let mut wrong = entry.clone();
        wrong["start_yaer"] = 1.into();
        let (_, message) = locate_mistake(&wrong).expect(kind);
        assert!(message.contains("start_yaer"), "{kind}: {message}");
    }
}
