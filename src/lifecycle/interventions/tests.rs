//! Each intervention moves the state it should move, and nothing else.

use super::*;
use crate::lifecycle::LifecycleModel;
use crate::lifecycle::params::LifecycleParams;
use crate::lifecycle::people::Flags;
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
        &NinetyDayWinsSpec {
            start_year: at(5.0),
            ..Default::default()
        },
        Levers {
            effort_factor: 0.5,
            checkin_support: 1.0 - 0.75 * 0.75,
            ..n
        },
    );
    only_levers(
        &CelebrateWinsSpec {
            start_year: at(5.0),
            ..Default::default()
        },
        Levers {
            celebration: 0.05,
            ..n
        },
    );
    only_levers(
        &KeepCloseSpec {
            start_year: at(5.0),
            ..Default::default()
        },
        Levers {
            closeness: 0.7,
            network_code_learning: true,
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
fn opportunity_statement_informs_the_top_and_focuses_the_aware() {
    let mut org = org_at(300);
    let spec = OpportunityStatementSpec {
        start_year: at(300.0 / 52.0),
        ..Default::default()
    };
    org.step = spec.window().start;
    let before = org.clone();
    spec.week_start(&mut Context::of(&mut org));
    assert_eq!(
        org.levers,
        Levers {
            aware_spot_factor: 1.5,
            aware_decide_factor: 1.5,
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

#[test]
fn urgency_group_recruits_then_spreads_awareness_and_opt_in() {
    let mut org = org_at(300);
    let spec = UrgencyGroupSpec {
        start_year: at(300.0 / 52.0),
        ..Default::default()
    };
    org.step = spec.window().start;
    spec.week_start(&mut Context::of(&mut org));
    let members = count(&org, Flags::URGENCY);
    assert_eq!(members, (f64::from(org.headcount()) * 0.03).ceil() as usize);
    assert_eq!(org.levers, Levers::NEUTRAL);
    let engagement: Vec<f32> = org.people.hot.iter().map(|h| h.engagement).collect();
    let aware_before = count(&org, Flags::AWARE);
    for _ in 0..20 {
        spec.week_end(&mut Context::of(&mut org));
    }
    assert!(
        count(&org, Flags::AWARE) > 2 * aware_before,
        "awareness spreads through ties"
    );
    assert!(
        count(&org, Flags::VOLUNTEER) > members,
        "aware people opt in"
    );
    let after: Vec<f32> = org.people.hot.iter().map(|h| h.engagement).collect();
    assert_eq!(engagement, after, "engagement untouched");
    spec.finish(&mut Context::of(&mut org));
    assert_eq!(count(&org, Flags::VOLUNTEER), 0);
}

#[test]
fn coalition_selection_modes() {
    let org = org_at(400);
    let form = |selection| {
        let mut org = org.clone();
        let spec = GuidingCoalitionSpec {
            start_year: at(400.0 / 52.0),
            selection,
            ..Default::default()
        };
        org.step = spec.window().start;
        spec.week_start(&mut Context::of(&mut org));
        assert_eq!(org.levers.coalition_time, 0.1);
        assert_eq!(org.levers.network_block_factor, 0.5);
        let members: Vec<usize> = (0..org.people.slots())
            .filter(|&i| org.people.hot[i].flags.contains(Flags::COALITION))
            .collect();
        assert_eq!(members.len(), 40, "{selection:?}");
        let mean = |f: &dyn Fn(usize) -> f64| members.iter().map(|&i| f(i)).sum::<f64>() / 40.0;
        let level = mean(&|i| f64::from(org.chart.level[i]));
        let age = mean(&|i| f64::from(org.people.hot[i].age));
        let depts = members
            .iter()
            .map(|&i| org.chart.department[i])
            .collect::<std::collections::BTreeSet<_>>()
            .len();
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
fn onboarding_shapes_new_hires_only() {
    let mut org = org_at(300);
    let before = org.clone();
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
fn culture_war_lowers_efficiency_and_closeness_defuses_it() {
    let org = org_at(300);
    let efficiency = |hostility: f64, closeness: f64| {
        let mut o = org.clone();
        o.levers = Levers {
            hostility,
            closeness,
            ..Levers::NEUTRAL
        };
        let (headcount, levels, departments) =
            (o.headcount(), o.chart.levels(), o.chart.departments);
        o.management
            .week(&params(), headcount, levels, departments, &o.levers);
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
