//! Inputs past orgsim's bounds (chains of `extends`, `--set` paths, nesting, file size) are
//! refused quickly, with a clear message and without a crash.

use predicates::prelude::*;

use super::fails;
use crate::util::orgsim;

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
