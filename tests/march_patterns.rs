//! March (1991), qualitatively, at a size CI can afford. Fixed seeds, and enough replicates
//! that each difference asserted is many standard errors wide (the margins quoted are from
//! runs of 1,000-2,000 replicates recorded in docs/ODD.md).

use crate::util::{clearly_greater, column, estimate, march_runs};

const KNOWLEDGE: usize = 0;
const PERIODS: usize = 1;

/// Figure 1, p2 = 0.5: equilibrium knowledge falls as socialization speeds up
/// (about 0.956, 0.812 and 0.742 at p1 = 0.1, 0.5, 0.9).
#[test]
fn knowledge_falls_as_p1_rises_at_p2_half() {
    let at = |p1: &str| {
        estimate(&column(
            &march_runs(&[&format!("march.p1={p1}"), "march.p2=0.5"], 1000, 11),
            KNOWLEDGE,
        ))
    };
    let (slow, mid, fast) = (at("0.1"), at("0.5"), at("0.9"));
    assert!(clearly_greater(slow, mid, 4.0), "{slow:?} vs {mid:?}");
    assert!(clearly_greater(mid, fast, 4.0), "{mid:?} vs {fast:?}");
}

/// Fast socialization settles in fewer periods (about 110 at p1 = 0.1, 9 at p1 = 0.9).
#[test]
fn fast_socialization_settles_sooner() {
    let periods = |p1: &str| {
        let runs = march_runs(&[&format!("march.p1={p1}")], 300, 12);
        assert!(
            runs.iter().all(|r| r[2] == 1.0),
            "every run reaches equilibrium"
        );
        estimate(&column(&runs, PERIODS))
    };
    let (slow, fast) = (periods("0.1"), periods("0.9"));
    assert!(clearly_greater(slow, fast, 10.0), "{slow:?} vs {fast:?}");
    assert!(slow.mean > 60.0 && fast.mean < 20.0, "{slow:?} {fast:?}");
}

/// With turbulence (p4 > 0) and no turnover, knowledge decays toward zero: the code
/// learns early, then reality drifts away from beliefs nobody revises.
#[test]
fn turbulence_without_turnover_decays_knowledge() {
    let early = estimate(&column(
        &march_runs(&["march.p4=0.02", "march.max_periods=10"], 400, 13),
        KNOWLEDGE,
    ));
    let late = estimate(&column(
        &march_runs(&["march.p4=0.02", "march.max_periods=400"], 400, 13),
        KNOWLEDGE,
    ));
    // About 0.60 at period 10 (section 7.1.4 of docs/ODD.md).
    assert!(early.mean > 0.45, "{early:?}");
    assert!(
        late.mean.abs() < 0.1,
        "knowledge should be near zero: {late:?}"
    );
    // Turnover keeps exploration alive and holds knowledge up (about 0.55 at p3 = 0.1).
    let renewed = estimate(&column(
        &march_runs(
            &["march.p4=0.02", "march.p3=0.1", "march.max_periods=400"],
            400,
            13,
        ),
        KNOWLEDGE,
    ));
    assert!(
        clearly_greater(renewed, late, 6.0),
        "{renewed:?} vs {late:?}"
    );
}

/// Modest turnover (p3 = 0.05), measured at period 40, raises knowledge when socialization
/// is fast (about 0.74 -> 0.88 at p1 = 0.9) and lowers it when slow (about 0.925 -> 0.894 at
/// p1 = 0.1): newcomers bring back the diversity fast socialization destroyed, but dilute
/// an organization that was still learning from its own diversity.
#[test]
fn modest_turnover_helps_fast_and_hurts_slow_socialization() {
    let at = |p1: &str, p3: &str| {
        estimate(&column(
            &march_runs(
                &[
                    &format!("march.p1={p1}"),
                    &format!("march.p3={p3}"),
                    "march.max_periods=40",
                ],
                1500,
                14,
            ),
            KNOWLEDGE,
        ))
    };
    let (fast_none, fast_some) = (at("0.9", "0"), at("0.9", "0.05"));
    assert!(
        clearly_greater(fast_some, fast_none, 5.0),
        "{fast_some:?} vs {fast_none:?}"
    );
    let (slow_none, slow_some) = (at("0.1", "0"), at("0.1", "0.05"));
    assert!(
        clearly_greater(slow_none, slow_some, 4.0),
        "{slow_none:?} vs {slow_some:?}"
    );
}
