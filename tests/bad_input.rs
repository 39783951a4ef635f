//! Bad input: each mistake gets a message naming the file, the JSON path, the value and what
//! is allowed, a non-zero exit, and no output directory.

use predicates::prelude::*;

use crate::util::orgsim;

/// Runs `orgsim run ARGS --out out` in a directory holding `files`, expects failure with
/// every fragment of `expected` on stderr, and checks that nothing was written.
fn fails(files: &[(&str, &str)], args: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mut assert = orgsim(dir.path())
        .arg("run")
        .args(args)
        .args(["--out", "out"])
        .assert()
        .failure()
        .stderr(predicate::str::starts_with("Error: "));
    for fragment in expected {
        assert = assert.stderr(predicate::str::contains(*fragment));
    }
    assert!(!dir.path().join("out").exists(), "output was written");
}

#[test]
fn unknown_key() {
    fails(
        &[(
            "s.json",
            r#"{"model": "march1991", "march": {"p1": 0.5, "p5": 0.1}}"#,
        )],
        &["s.json"],
        &[
            "s.json",
            "march",
            "unknown field `p5`",
            "expected one of",
            "`p4`",
        ],
    );
    fails(
        &[("s.json", r#"{"replicate": 10}"#)],
        &["s.json"],
        &[
            "s.json",
            "unknown field `replicate`",
            "did you mean `replicates`?",
        ],
    );
}

#[test]
fn wrong_type() {
    fails(
        &[(
            "s.json",
            r#"{"model": "march1991", "march": {"p1": "high"}}"#,
        )],
        &["s.json"],
        &[
            "s.json: march.p1",
            "\"high\"",
            "expected a probability in [0, 1]",
        ],
    );
    fails(
        &[("s.json", r#"{"replicates": 2.5}"#)],
        &["s.json"],
        &[
            "s.json: replicates",
            "2.5",
            "expected an integer from 1 to 10000000",
        ],
    );
}

#[test]
fn out_of_range_probability() {
    fails(
        &[("s.json", r#"{"model": "march1991", "march": {"p1": 1.7}}"#)],
        &["s.json"],
        &["s.json: march.p1 = 1.7: must be a probability in [0, 1]"],
    );
    fails(
        &[(
            "s.json",
            r#"{"model": "march1991", "march": {"m": 65, "n": 0}}"#,
        )],
        &["s.json"],
        &[
            "march.m = 65: must be an integer from 1 to 64",
            "march.n = 0: must be an integer from 1 to 1000000",
        ],
    );
}

#[test]
fn missing_file_and_unknown_name() {
    fails(&[], &["nope.json"], &["nope.json", "cannot read the file"]);
    fails(&[], &["nope"], &["'nope' is neither", "classic/march1991"]);
}

#[test]
fn extends_cycle_and_missing_parent() {
    fails(
        &[
            ("a.json", r#"{"extends": "b.json"}"#),
            ("b.json", r#"{"extends": "a.json"}"#),
        ],
        &["a.json"],
        &["extends", "cycle", "a.json -> b.json -> a.json"],
    );
    fails(
        &[("a.json", r#"{"extends": "a.json"}"#)],
        &["a.json"],
        &["cycle"],
    );
    fails(
        &[("a.json", r#"{"extends": "gone.json"}"#)],
        &["a.json"],
        &["a.json: extends = \"gone.json\"", "no such file"],
    );
}

#[test]
fn section_of_another_model() {
    fails(
        &[("s.json", r#"{"model": "lifecycle", "march": {"p1": 0.5}}"#)],
        &["s.json"],
        &["s.json: march = {...}: this section is read by model \"march1991\""],
    );
    fails(
        &[(
            "s.json",
            r#"{"model": "march1991", "organization": {"founders": 5}}"#,
        )],
        &["s.json"],
        &["organization = {...}", "read by model \"lifecycle\""],
    );
}

#[test]
fn malformed_set() {
    fails(
        &[],
        &["--set", "march.p1"],
        &["--set \"march.p1\"", "PATH=VALUE"],
    );
    fails(&[], &["--set", "march..p1=3"], &["empty key"]);
    fails(
        &[],
        &["classic/march1991", "--set", "march.p1=1.7"],
        &["march.p1 = 1.7: must be a probability in [0, 1] (from --set march.p1=1.7)"],
    );
    fails(
        &[],
        &["classic/march1991", "--set", "march.p1=abc"],
        &["march.p1", "\"abc\"", "expected a probability in [0, 1]"],
    );
    fails(
        &[],
        &["classic/march1991", "--set", "march.p1.x=1"],
        &["march.p1 is a number, not an object"],
    );
}

#[test]
fn empty_file_and_bad_json() {
    fails(
        &[("e.json", "  \n")],
        &["e.json"],
        &["e.json: the file is empty"],
    );
    fails(
        &[("j.json", "{\"march\": {\"p1\": 0.5,}}")],
        &["j.json"],
        &["j.json: not valid JSON at line 1"],
    );
    fails(
        &[("l.json", "[1, 2]")],
        &["l.json"],
        &["l.json: a scenario must be a JSON object"],
    );
}

#[test]
fn unwritable_output_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("taken"), "a file, not a directory").unwrap();
    orgsim(dir.path())
        .args(["run", "-n", "3", "--out", "taken/results"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("taken/results"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn bad_flag_values() {
    let dir = tempfile::tempdir().unwrap();
    orgsim(dir.path())
        .args(["run", "--threads", "0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--threads"));
    orgsim(dir.path())
        .args(["run", "--replicates", "0", "--out", "o"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "replicates = 0: must be an integer from 1 to 10000000 (from --replicates 0)",
        ));
    assert!(!dir.path().join("o").exists());
}

#[test]
fn names_that_would_escape_the_output_folder() {
    for name in ["..", ".", "a/../b", "/abs", ".hidden"] {
        fails(
            &[],
            &["--set", &format!("name={name:?}")],
            &["name = ", "with no part empty or starting with '.'"],
        );
    }
}

#[test]
fn extends_cannot_be_set_from_the_command_line() {
    fails(
        &[],
        &["--set", "extends=classic/march1991"],
        &["--set extends=classic/march1991: `extends` cannot be set"],
    );
}

#[test]
fn a_mistake_in_an_inherited_file_names_that_file() {
    fails(
        &[
            (
                "parent.json",
                r#"{"model": "march1991", "march": {"p5": 1}}"#,
            ),
            ("child.json", r#"{"extends": "parent.json"}"#),
        ],
        &["child.json"],
        &["parent.json: march.p5: unknown field `p5`"],
    );
}

#[test]
fn messages_say_things_once_and_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let out = orgsim(dir.path())
        .args(["run", "nope.json"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(err.matches("no such file").count(), 1, "{err}");
    fails(
        &[("s.json", r#"{"model": "march1991", "march": 5}"#)],
        &["s.json"],
        &["s.json: march: invalid type: integer `5`, expected an object {...}"],
    );
    fails(&[], &["."], &["this is a folder"]);
}

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
fn bad_window() {
    let dir = tempfile::tempdir().unwrap();
    orgsim(dir.path())
        .args(["run", "--window", "20:10"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("--window").and(predicate::str::contains("TO after FROM")),
        );
    fails(
        &[],
        &["--window", "30:40"],
        &["--window 30:40", "before the end of the run"],
    );
    fails(
        &[],
        &["classic/march1991", "--window", "1:2"],
        &["abstract periods"],
    );
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

#[test]
fn duplicate_keys_are_refused_at_any_depth() {
    // The whole first `organization` object would otherwise be dropped without a word.
    fails(
        &[(
            "s.json",
            "{\"organization\": {\"capacity\": 100},\n \"years\": 5,\n \"organization\": {\"founders\": 3}}",
        )],
        &["s.json"],
        &[
            "s.json: organization: the key \"organization\" appears twice",
            "line 3",
        ],
    );
    fails(
        &[(
            "s.json",
            r#"{"model": "march1991", "march": {"p1": 0.1, "p2": 0.5, "p1": 0.9}}"#,
        )],
        &["s.json"],
        &["s.json: march.p1: the key \"p1\" appears twice"],
    );
    fails(
        &[(
            "s.json",
            r#"{"interventions": [{"kind": "autonomy", "start_year": 2, "start_year": 3}]}"#,
        )],
        &["s.json"],
        &["s.json: interventions[0].start_year: the key \"start_year\" appears twice"],
    );
    fails(
        &[
            ("parent.json", r#"{"years": 4, "years": 6}"#),
            ("child.json", r#"{"extends": "parent.json"}"#),
        ],
        &["child.json"],
        &["parent.json: years: the key \"years\" appears twice"],
    );
    fails(
        &[],
        &[
            "classic/march1991",
            "--set",
            r#"march={"p1": 0.2, "p1": 0.3}"#,
        ],
        &["--set \"march=", "march.p1: the key \"p1\" appears twice"],
    );
}

/// Writes a chain of `n` scenario files, each extending the next.
fn chain(dir: &std::path::Path, n: usize) {
    for i in 0..n {
        let text = if i + 1 < n {
            format!("{{\"extends\": \"c{}.json\"}}", i + 1)
        } else {
            "{\"years\": 2}".to_string()
        };
        std::fs::write(dir.join(format!("c{i}.json")), text).unwrap();
    }
}

#[test]
fn a_long_extends_chain_is_refused_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    chain(dir.path(), 10_000);
    orgsim(dir.path())
        .args(["validate", "c0.json"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("more than 32 files")
                .and(predicate::str::contains("c0.json -> c1.json -> c2.json")),
        );
    // A chain within the bound still loads.
    let dir = tempfile::tempdir().unwrap();
    chain(dir.path(), 20);
    orgsim(dir.path())
        .args(["validate", "c0.json"])
        .assert()
        .success();
}

#[test]
fn long_set_paths_are_refused_quickly() {
    // 20,000 parts is about as long as one argument may be on Linux (128 kB).
    for parts in [40, 8_000, 20_000] {
        let path = vec!["notes"; parts].join(".");
        let started = std::time::Instant::now();
        fails(
            &[],
            &["--set", &format!("{path}=1")],
            &["--set", "parts", "at most 32"],
        );
        assert!(
            started.elapsed().as_secs() < 10,
            "{parts} parts took too long"
        );
    }
    let long_key = "k".repeat(5_000);
    fails(
        &[],
        &["--set", &format!("notes.{long_key}=1")],
        &["characters", "at most 1000"],
    );
}

#[test]
fn deep_nesting_is_refused_with_a_clear_message() {
    for depth in [100, 100_000] {
        let text = format!("{{\"notes\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
        fails(
            &[("deep.json", &text)],
            &["deep.json"],
            &["deep.json", "nested more than 64 levels deep", "line 1"],
        );
    }
    let value = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    fails(
        &[],
        &["--set", &format!("notes={value}")],
        &["--set \"notes=", "nested more than 64 levels deep"],
    );
}

#[test]
fn oversized_files_are_refused() {
    let text = format!("{{\"notes\": \"{}\"}}", "x".repeat(5 << 20));
    fails(
        &[("big.json", &text)],
        &["big.json"],
        &["big.json", "larger than the 4 MB allowed for an input file"],
    );
}

#[test]
fn type_errors_name_the_fields_own_range() {
    fails(
        &[("s.json", r#"{"organization": {"founders": "many"}}"#)],
        &["s.json"],
        &[
            "s.json: organization.founders",
            "\"many\"",
            "expected an integer from 1 to 1000000",
        ],
    );
    fails(
        &[("s.json", r#"{"replicates": -3}"#)],
        &["s.json"],
        &[
            "s.json: replicates",
            "-3",
            "expected an integer from 1 to 10000000",
        ],
    );
    fails(
        &[(
            "s.json",
            r#"{"model": "march1991", "march": {"max_periods": 2.5}}"#,
        )],
        &["s.json"],
        &[
            "march.max_periods",
            "2.5",
            "expected an integer from 1 to 1000000",
        ],
    );
    fails(
        &[(
            "s.json",
            r#"{"model": "march1991", "march": {"p1": "high"}}"#,
        )],
        &["s.json"],
        &["march.p1", "\"high\"", "expected a probability in [0, 1]"],
    );
    fails(
        &[("s.json", r#"{"years": "long"}"#)],
        &["s.json"],
        &["years", "expected a number from 0.02 to 500 years"],
    );
    fails(
        &[],
        &["--set", "organization.founders=-1"],
        &[
            "organization.founders: invalid value: integer `-1`, expected an integer from 1 to 1000000 (from --set organization.founders=-1)",
        ],
    );
}

#[test]
fn extends_to_a_folder_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("parent")).unwrap();
    std::fs::write(dir.path().join("s.json"), r#"{"extends": "parent"}"#).unwrap();
    orgsim(dir.path())
        .args(["validate", "s.json"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("s.json: extends = \"parent\"")
                .and(predicate::str::contains("is a folder, not a scenario file"))
                .and(predicate::str::contains("no such file").not()),
        );
}

#[test]
fn huge_numbers_print_compactly() {
    for (text, expected) in [
        (
            r#"{"model": "march1991", "march": {"p1": 1e300}}"#,
            "march.p1 = 1e300: must be a probability in [0, 1]",
        ),
        (
            r#"{"years": -1e300}"#,
            "years = -1e300: must be a number from",
        ),
        (
            r#"{"replicates": 1e300}"#,
            "replicates: invalid type: floating point `1e300`",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.json"), text).unwrap();
        let out = orgsim(dir.path())
            .args(["validate", "s.json"])
            .assert()
            .failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains(expected), "{err}");
        assert!(!err.contains("0000000000"), "{err}");
    }
}

#[test]
fn titles_are_short_single_lines() {
    fails(
        &[("s.json", &format!("{{\"title\": \"{}\"}}", "T".repeat(81)))],
        &["s.json"],
        &["s.json: title = ", "at most 80 characters"],
    );
    fails(
        &[("s.json", r#"{"title": "two\nlines"}"#)],
        &["s.json"],
        &["s.json: title = ", "one line"],
    );
}
