//! docs/ODD.md names every parameter a scenario can set: each field of the scenario schema
//! (`orgsim schema`) has a row `| `field` |` in the ODD's table for its group, so a new
//! parameter cannot ship undocumented, and a reader rebuilding the model from the ODD alone
//! finds every default.
//!
//! Groups are the ODD's headings whose first code span names them: `scenario` (top-level
//! fields), `march`, `organization`, ..., `interventions[]` (fields every intervention
//! shares), and one per intervention kind (`task_force`, ...).

use std::collections::BTreeMap;

use serde_json::Value;

/// The ODD split at its headings (a line starting with `#` or `**`), keyed by the first code
/// span of the heading.
fn odd_groups() -> BTreeMap<String, String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ODD.md");
    let text = std::fs::read_to_string(path).expect("docs/ODD.md");
    let mut groups: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.starts_with("**") {
            current = line.split('`').nth(1).map(str::to_string);
            continue;
        }
        if let Some(g) = &current {
            let block = groups.entry(g.clone()).or_default();
            block.push_str(line);
            block.push('\n');
        }
    }
    groups
}

/// Every (group, field) of the scenario schema.
fn schema_fields() -> Vec<(String, String)> {
    let schema: Value = serde_json::from_str(&orgsim::scenario::schema_json()).unwrap();
    let defs = &schema["$defs"];
    let resolve = |v: &Value| -> Value {
        let r = v
            .get("$ref")
            .or_else(|| v.get("allOf").and_then(|a| a[0].get("$ref")))
            .and_then(Value::as_str);
        match r {
            Some(r) => defs[r.trim_start_matches("#/$defs/")].clone(),
            None => v.clone(),
        }
    };
    let mut out = Vec::new();
    for (name, prop) in schema["properties"].as_object().unwrap() {
        out.push(("scenario".to_string(), name.clone()));
        let section = resolve(prop);
        if let Some(fields) = section.get("properties").and_then(Value::as_object) {
            for field in fields.keys() {
                out.push((name.clone(), field.clone()));
            }
        }
    }
    let kinds = defs["InterventionSpec"]["oneOf"].as_array().unwrap();
    assert!(
        kinds.len() >= 15,
        "every intervention kind is in the schema"
    );
    for kind in kinds {
        let props = kind["properties"].as_object().unwrap();
        let name = props["kind"]["const"]
            .as_str()
            .or_else(|| props["kind"]["enum"][0].as_str())
            .unwrap()
            .to_string();
        for field in props.keys() {
            let shared = ["kind", "start_year", "end_year", "enabled"].contains(&field.as_str());
            let group = if shared { "interventions[]" } else { &name };
            out.push((group.to_string(), field.clone()));
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_scenario_parameter_is_named_in_the_odd() {
    let groups = odd_groups();
    let fields = schema_fields();
    assert!(
        fields.len() > 90,
        "the schema walk found {} fields",
        fields.len()
    );
    let missing: Vec<String> = fields
        .iter()
        .filter(|(group, field)| {
            !groups
                .get(group)
                .is_some_and(|block| block.contains(&format!("| `{field}` |")))
        })
        .map(|(group, field)| format!("{group}.{field}"))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/ODD.md has no table row `| `FIELD` |` under the heading for its group for: {}",
        missing.join(", ")
    );
}
