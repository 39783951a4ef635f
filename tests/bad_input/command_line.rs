//! Mistakes on the command line: `--set`, flag values, `--window`, names and output
//! directories.

use predicates::prelude::*;

use super::fails;
use crate::util::orgsim;

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
