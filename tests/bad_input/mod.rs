//! Bad input: each mistake gets a message naming the file, the JSON path, the value and what
//! is allowed, a non-zero exit, and no output directory. One file per kind of input.

use predicates::prelude::*;

use crate::util::orgsim;

mod command_line;
mod interventions;
mod limits;
mod scenario_files;

/// Runs `orgsim run ARGS --out out` in a directory holding `files`, expects failure with
/// every fragment of `expected` on stderr, and checks that nothing was written.
pub(crate) fn fails(files: &[(&str, &str)], args: &[&str], expected: &[&str]) {
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
