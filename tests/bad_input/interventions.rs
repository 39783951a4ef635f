//! Mistakes in a scenario's interventions, and the warnings for interventions that cannot act
//! as written.

use predicates::prelude::*;

use super::fails;
use crate::util::orgsim;

#[test]
fn intervention_mistakes() {
    fails(
        &[(
            "s.json",
            r#"{"interventions": [{"kind": "hackathon", "start_year": 3}]}"#,
        )],
        &["s.json"],
        &[
            "s.json: interventions[0]",
            "unknown variant `hackathon`",
            "`task_force`",
            "`dual_operating_system`",
        ],
    );
    fails(
        &[(
            "s.json",
            r#"{"interventions": [{"kind": "autonomy", "start_year": 8, "end_year": 5}]}"#,
        )],
        &["s.json"],
        &["interventions[0].end_year = 5: must be after start_year (8)"],
    );
    fails(
        &[(
            "s.json",
            r#"{"interventions": [{"kind": "task_force", "start_year": 2, "duration_months": -3}]}"#,
        )],
        &["s.json"],
        &["interventions[0].duration_months = -3: must be a number of months from 0.5 to 60"],
    );
    fails(
        &[("s.json", r#"{"interventions": [{"kind": "autonomy"}]}"#)],
        &["s.json"],
        &["interventions[0].start_year = (missing): every intervention needs a start_year"],
    );
}

#[test]
fn more_coalition_seats_than_people_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.json"),
        r#"{"organization": {"capacity": 100}, "years": 12,
            "interventions": [{"kind": "guiding_coalition", "start_year": 10, "seats": 500}]}"#,
    )
    .unwrap();
    orgsim(dir.path())
        .args(["run", "s.json", "-n", "2", "--out", "o"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: s: interventions[0].seats = 500 is more than the organization can hold (100): every applicant will be seated",
        ));
}

#[test]
fn an_intervention_after_the_end_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("late.json"),
        r#"{"extends": "baseline", "name": "late", "interventions": [{"kind": "autonomy", "start_year": 25}]}"#,
    )
    .unwrap();
    orgsim(dir.path())
        .args(["validate", "late.json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "interventions[0] (autonomy) starts in year 25, after the run ends (years = 20): it has no effect",
        ));
}

#[test]
fn mistakes_inside_interventions_name_the_exact_field() {
    fails(
        &[(
            "s.json",
            r#"{"interventions": [{"kind": "dual_operating_system", "start_year": 10,
                "guiding_coalition": {"seat": 20}}]}"#,
        )],
        &["s.json"],
        &[
            "s.json: interventions[0].guiding_coalition.seat: unknown field `seat`",
            "did you mean `seats`?",
            "`seats`",
        ],
    );
    fails(
        &[(
            "s.json",
            r#"{"interventions": [{"kind": "dual_operating_system", "start_year": 10,
                "guiding_coalition": {"selection": "usual_suspect"}}]}"#,
        )],
        &["s.json"],
        &[
            "interventions[0].guiding_coalition.selection: unknown variant `usual_suspect`",
            "`usual_suspects`",
        ],
    );
    fails(
        &[(
            "s.json",
            r#"{"interventions": [{"kind": "task_force", "start_year": 6, "member": 3}]}"#,
        )],
        &["s.json"],
        &[
            "interventions[0].member: unknown field `member`",
            "`members`",
        ],
    );
}
