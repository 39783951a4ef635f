//! Mistakes in a scenario file: unknown keys, wrong types, values out of range, broken
//! `extends`, malformed JSON, duplicate keys, titles.

use predicates::prelude::*;

use super::fails;
use crate::util::orgsim;

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
