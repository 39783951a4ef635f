//! The parameter declarations (`orgsim::params`), the JSON Schema (`orgsim schema`) and
//! validation (`orgsim validate`) cannot disagree: for every bounded number, a scenario with
//! the value at each bound, and just beyond it, is accepted or refused alike by both; and every
//! number the schema describes has its bounds declared.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use orgsim::params::{Declaration, declarations};
use serde_json::{Value, json};

/// Whether `v` satisfies schema `s` (the subset of JSON Schema that schemars writes for the
/// scenario format: `$ref`, `oneOf`, `anyOf`, `allOf`, `type`, `const`, `enum`, `minimum`,
/// `maximum`, `required`, `properties`, `additionalProperties: false`, `items`).
fn satisfies(root: &Value, s: &Value, v: &Value) -> bool {
    if s == &Value::Bool(true) {
        return true;
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        if !satisfies(root, &root["$defs"][name], v) {
            return false;
        }
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array)
        && !all.iter().all(|x| satisfies(root, x, v))
    {
        return false;
    }
    if let Some(one) = s.get("oneOf").and_then(Value::as_array)
        && one.iter().filter(|x| satisfies(root, x, v)).count() != 1
    {
        return false;
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array)
        && !any.iter().any(|x| satisfies(root, x, v))
    {
        return false;
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let is = |t: &str| match t {
            "null" => v.is_null(),
            "boolean" => v.is_boolean(),
            "string" => v.is_string(),
            "object" => v.is_object(),
            "array" => v.is_array(),
            "number" => v.is_number(),
            "integer" => v.as_f64().is_some_and(|x| x.fract() == 0.0),
            _ => true,
        };
        if !types.iter().any(|t| is(t)) {
            return false;
        }
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        return false;
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return false;
    }
    if let Some(x) = v.as_f64() {
        if s.get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x < m)
        {
            return false;
        }
        if s.get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x > m)
        {
            return false;
        }
    }
    if let Some(obj) = v.as_object() {
        if let Some(req) = s.get("required").and_then(Value::as_array)
            && !req
                .iter()
                .filter_map(Value::as_str)
                .all(|k| obj.contains_key(k))
        {
            return false;
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => {
                    if !satisfies(root, ps, val) {
                        return false;
                    }
                }
                None => {
                    if s.get("additionalProperties") == Some(&Value::Bool(false)) {
                        return false;
                    }
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array())
        && !arr.iter().all(|x| satisfies(root, items, x))
    {
        return false;
    }
    true
}

fn schema() -> Value {
    serde_json::from_str(&orgsim::scenario::schema_json()).unwrap()
}

/// Whether `orgsim validate` would accept `doc` (loaded from a file, as the command does).
fn loads(doc: &Value) -> bool {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir: PathBuf = std::env::temp_dir().join(format!("orgsim-params-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("s{}.json", N.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&file, doc.to_string()).unwrap();
    let ok = orgsim::scenario::load(file.to_str().unwrap(), &[]).is_ok();
    std::fs::remove_file(&file).unwrap();
    ok
}

/// A scenario setting only `d` to `value` (plus what another field's limit needs so that
/// the value's own bounds decide).
fn scenario_with(d: &Declaration, value: Value) -> Value {
    let group = d.group.as_str();
    let name = d.name.as_str();
    match group {
        "scenario" => json!({ name: value }),
        "march" => json!({"model": "march1991", "march": { name: value }}),
        "interventions[]" => json!({"interventions": [{"kind": "autonomy", name: value}]}),
        "organization" | "people" | "management" | "leadership" | "knowledge" | "environment" => {
            let mut section = json!({ name: value });
            // Retirement must come after the hiring age.
            if d.path == "people.retirement_age" {
                section["hire_age_mean"] = json!(18);
            }
            json!({ group: section })
        }
        kind => {
            let mut entry = json!({"kind": kind, "start_year": 1, name: value});
            // A task force must end before the next is chartered; check-ins fall in the cycle.
            if d.path.ends_with("task_force].every_years") {
                entry["duration_months"] = json!(0.5);
            }
            if d.path.ends_with("ninety_day_wins].cycle_days") {
                entry["checkin_days"] = json!([]);
            }
            json!({"interventions": [entry]})
        }
    }
}

/// The value at the bound and just beyond it, as JSON.
fn probes(d: &Declaration, bound: f64, outward: f64) -> [Value; 2] {
    if d.integer {
        [json!(bound as i64), json!(bound as i64 + outward as i64)]
    } else {
        let step = 1e-6 * bound.abs().max(1.0);
        [json!(bound), json!(bound + outward * step)]
    }
}

#[test]
fn schema_and_validation_agree_at_every_bound() {
    let schema = schema();
    let bounded: Vec<Declaration> = declarations()
        .into_iter()
        .filter(|d| d.min.is_some() && d.max.is_some())
        .collect();
    assert!(
        bounded.len() > 70,
        "only {} bounded parameters",
        bounded.len()
    );
    let mut problems = Vec::new();
    for d in &bounded {
        for (bound, outward) in [(d.min.unwrap(), -1.0), (d.max.unwrap(), 1.0)] {
            let [inside, outside] = probes(d, bound, outward);
            for (value, expected) in [(inside, true), (outside, false)] {
                let doc = scenario_with(d, value.clone());
                let by_schema = satisfies(&schema, &schema, &doc);
                let by_validate = loads(&doc);
                if by_schema != expected || by_validate != expected {
                    problems.push(format!(
                        "{} = {value}: schema {}, validate {} (expected {})",
                        d.path,
                        verdict(by_schema),
                        verdict(by_validate),
                        verdict(expected)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn verdict(ok: bool) -> &'static str {
    if ok { "accepts" } else { "refuses" }
}

#[test]
fn start_year_is_required_at_the_top_and_inherited_inside_the_shorthand() {
    let schema = schema();
    let cases = [
        (json!({"interventions": [{"kind": "autonomy"}]}), false),
        (
            json!({"interventions": [{"kind": "autonomy", "start_year": null}]}),
            false,
        ),
        (
            json!({"interventions": [{"kind": "autonomy", "start_year": -1}]}),
            false,
        ),
        (
            json!({"interventions": [{"kind": "autonomy", "start_year": 3}]}),
            true,
        ),
        (
            json!({"interventions": [{"kind": "dual_operating_system", "start_year": 3,
                "guiding_coalition": {"seats": 30}}]}),
            true,
        ),
        (
            json!({"interventions": [{"kind": "dual_operating_system", "start_year": 3,
                "guiding_coalition": {"start_year": null}}]}),
            true,
        ),
        (
            json!({"interventions": [{"kind": "dual_operating_system", "start_year": 3,
                "guiding_coalition": {"start_year": 501}}]}),
            false,
        ),
        (
            json!({"interventions": [{"kind": "dual_operating_system"}]}),
            false,
        ),
        (
            json!({"interventions": [{"kind": "guiding_coalition", "start_year": 1,
                "seats": 0}]}),
            false,
        ),
    ];
    for (doc, expected) in cases {
        assert_eq!(
            satisfies(&schema, &schema, &doc),
            expected,
            "schema on {doc}"
        );
        assert_eq!(loads(&doc), expected, "validate on {doc}");
    }
}

/// Every number the schema describes has both bounds (the seed alone takes its type's whole
/// range), so a field added without bounds fails here.
#[test]
fn every_number_in_the_schema_is_bounded() {
    fn walk(v: &Value, at: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                let numeric = match map.get("type") {
                    Some(Value::String(t)) => t == "number" || t == "integer",
                    Some(Value::Array(ts)) => ts.iter().any(|t| t == "number" || t == "integer"),
                    _ => false,
                };
                if numeric
                    && !at.ends_with("/seed")
                    && (map.get("minimum").is_none() || map.get("maximum").is_none())
                    && !at.contains("/checkin_days")
                {
                    out.push(at.to_string());
                }
                for (k, child) in map {
                    walk(child, &format!("{at}/{k}"), out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut unbounded = Vec::new();
    walk(&schema(), "", &mut unbounded);
    // end_year has no bound of its own: it must follow start_year. A distribution's numbers
    // take the bounds of the field it is drawn for, which `validate` checks per entry.
    unbounded.retain(|p| !p.ends_with("/end_year") && !p.starts_with("/$defs/Distribution/"));
    assert!(
        unbounded.is_empty(),
        "numbers without minimum and maximum in the schema: {}",
        unbounded.join(", ")
    );
}

#[test]
fn declarations_are_listed_by_the_command() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orgsim"))
        .args(["params", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.len(), declarations().len());
    let founders = listed
        .iter()
        .find(|d| d["path"] == "organization.founders")
        .unwrap();
    assert_eq!(founders["default"], json!(15));
    assert_eq!(founders["min"], json!(1.0));
    assert_eq!(founders["max"], json!(1_000_000.0));
    assert_eq!(founders["integer"], json!(true));
    assert!(!founders["source"].as_str().unwrap().is_empty());
}

/// A field's documentation says what it means; its default and range are declared beside it
/// and written into the schema, so the text does not restate them (where it could drift).
#[test]
fn meanings_do_not_restate_defaults_or_ranges() {
    let restating: Vec<String> = declarations()
        .iter()
        .filter(|d| d.min.is_some() || d.group != "scenario")
        .filter(|d| {
            let m = d.meaning.as_str();
            m.contains("Default ")
                || m.contains("Integer from")
                || m.split(['.', ';']).any(|sentence| {
                    let s = sentence.trim().to_lowercase();
                    s.starts_with("from ") && s.contains(" to ")
                })
        })
        .map(|d| format!("{}: {}", d.path, d.meaning))
        .collect();
    assert!(restating.is_empty(), "{}", restating.join("\n"));
}
