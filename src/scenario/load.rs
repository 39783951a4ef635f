//! Reading a scenario: file or bundled name, `extends`, `--set`, strict typing, limits.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::bundled::{Bundled, bundled_names, find_bundled};
use super::json_path::{JsonPath, Override};
use super::strict_json::{JsonError, JsonProblem, MAX_INPUT_BYTES, parse_json, read_limited};
use super::{Scenario, ScenarioError, show_number};

/// The longest chain of `extends` followed (a scenario, its parent, its parent's parent...).
pub const MAX_EXTENDS_DEPTH: usize = 32;

/// A scenario that passed every check, with where it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The fully resolved scenario (after `extends` and `--set`).
    pub scenario: Scenario,
    /// Where it came from, for messages: a file path or `bundled scenario 'name'`.
    pub source: String,
}

#[derive(Clone, Debug)]
enum Origin {
    File(PathBuf),
    Bundled(&'static Bundled),
}

impl Origin {
    fn label(&self) -> String {
        match self {
            Origin::File(p) => p.display().to_string(),
            Origin::Bundled(b) => format!("bundled scenario '{}'", b.name),
        }
    }

    /// Identity for cycle detection.
    fn identity(&self) -> String {
        match self {
            Origin::File(p) => std::fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string(),
            Origin::Bundled(b) => format!("bundled:{}", b.name),
        }
    }

    /// The default scenario name: the file name without `.json`.
    fn stem(&self) -> String {
        match self {
            Origin::File(p) => super::name_from_stem(
                &p.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
            Origin::Bundled(b) => b.name.rsplit('/').next().unwrap_or(b.name).to_string(),
        }
    }

    fn read(&self) -> Result<Map<String, Value>, ScenarioError> {
        let file = self.label();
        let text = match self {
            Origin::File(p) => {
                read_limited(p, MAX_INPUT_BYTES).map_err(|error| ScenarioError::Read {
                    file: p.clone(),
                    error,
                })?
            }
            Origin::Bundled(b) => b.json.to_string(),
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        if text.trim().is_empty() {
            return Err(ScenarioError::Empty { file });
        }
        let value = parse_json(text).map_err(|e| json_error(file.clone(), e))?;
        match value {
            Value::Object(map) => Ok(map),
            other => Err(ScenarioError::NotAnObject {
                file,
                found: describe(&other),
            }),
        }
    }
}

/// A scenario error for a text [`parse_json`] refused.
fn json_error(file: String, e: JsonError) -> ScenarioError {
    match e.problem {
        JsonProblem::Syntax(message) => ScenarioError::Syntax {
            file,
            line: e.line,
            column: e.column,
            message,
        },
        _ => ScenarioError::Shape {
            file,
            message: e.message(),
            path: e.path,
        },
    }
}

/// Where the scenario named on the command line lives: an existing file wins, then a bundled
/// name; a name ending in `.json` that is neither is reported as a missing file.
fn locate(spec: &str) -> Result<Origin, ScenarioError> {
    let path = Path::new(spec);
    if path.is_file() {
        return Ok(Origin::File(path.to_path_buf()));
    }
    if path.is_dir() {
        return Err(ScenarioError::Read {
            file: path.to_path_buf(),
            error: std::io::Error::other(
                "this is a folder; give a scenario file (.json) inside it",
            ),
        });
    }
    if let Some(b) = find_bundled(spec) {
        return Ok(Origin::Bundled(b));
    }
    if spec.ends_with(".json") || path.exists() {
        return Err(ScenarioError::Read {
            file: path.to_path_buf(),
            error: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    Err(ScenarioError::NotFound {
        name: spec.to_string(),
        bundled: bundled_names(),
    })
}

/// Loads one scenario (a file path or a bundled name), applies `overrides`, and checks it.
pub fn load(spec: &str, overrides: &[Override]) -> Result<Loaded, ScenarioError> {
    let origin = locate(spec)?;
    let label = origin.label();
    let own = origin.read()?;
    let has_name = own.contains_key("name");
    let mut doc = resolve(
        &origin,
        own,
        &mut vec![origin.identity()],
        &mut vec![label.clone()],
    )?;
    if !has_name {
        doc.insert("name".into(), Value::String(origin.stem()));
    }
    let mut doc = Value::Object(doc);
    for o in overrides {
        if o.path.0.first() == Some(&super::json_path::Segment::Key("extends".into())) {
            return Err(ScenarioError::BadOverride {
                arg: o.raw.clone(),
                message: "`extends` cannot be set from the command line; write a scenario file \
                          with \"extends\" and the changes instead"
                    .into(),
            });
        }
        o.path
            .set(&mut doc, o.value.clone())
            .map_err(|message| ScenarioError::BadOverride {
                arg: o.raw.clone(),
                message,
            })?;
        pin(&mut doc, o);
    }
    let keys: Vec<String> = doc
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    // Mistakes inside an intervention entry get their exact path (serde stops at the entry).
    if let Some(entries) = doc.get("interventions").and_then(|v| v.as_array()) {
        for (i, entry) in entries.iter().enumerate() {
            if let Some((inner, message)) = crate::lifecycle::interventions::locate_mistake(entry) {
                let path = if inner.is_empty() || inner == "." {
                    format!("interventions[{i}]")
                } else {
                    format!("interventions[{i}].{inner}")
                };
                return Err(ScenarioError::Shape {
                    file: label.clone(),
                    message: with_override_note(
                        shape_message(&doc, &path, &message),
                        &path,
                        overrides,
                    ),
                    path,
                });
            }
        }
    }
    let scenario: Scenario = serde_path_to_error::deserialize(&doc).map_err(|e| {
        let path = e.path().to_string();
        let message = shape_message(&doc, &path, &e.inner().to_string());
        ScenarioError::Shape {
            file: label.clone(),
            message: with_override_note(message, &path, overrides),
            path,
        }
    })?;
    let mut errors = scenario.validate();
    for key in &keys {
        if let Some(owner) = super::MODELS
            .iter()
            .find(|m| **m != scenario.model && m.sections().contains(&key.as_str()))
        {
            errors.push(super::FieldError::new(
                key.clone(),
                "{...}",
                format!(
                    "this section is read by model \"{}\", but this scenario's model is \"{}\"; remove it or set \"model\": \"{}\"",
                    owner.name(),
                    scenario.model.name(),
                    owner.name()
                ),
            ));
        }
    }
    if !errors.is_empty() {
        for e in &mut errors {
            e.value = compact_numbers(&e.value);
            e.allowed = with_override_note(std::mem::take(&mut e.allowed), &e.path, overrides);
        }
        return Err(ScenarioError::Invalid {
            file: label,
            errors,
        });
    }
    Ok(Loaded {
        scenario,
        source: origin.label(),
    })
}

/// A value set on the command line (or by the page) pins its parameter: the scenario's
/// `uncertainty` entries at that path or below it (setting a whole section pins its fields)
/// are dropped, so each run takes the value set rather than a draw that would silently
/// replace it.
fn pin(doc: &mut Value, o: &Override) {
    if let Some(Value::Object(entries)) = doc.get_mut("uncertainty") {
        entries.retain(|key, _| JsonPath::parse(key).map_or(true, |p| !o.path.is_prefix_of(&p)));
    }
}

/// Loads several scenarios with the same overrides; scenario names must be distinct.
pub fn load_all(specs: &[String], overrides: &[Override]) -> Result<Vec<Loaded>, ScenarioError> {
    let loaded: Vec<Loaded> = specs
        .iter()
        .map(|s| load(s, overrides))
        .collect::<Result<_, _>>()?;
    for (i, a) in loaded.iter().enumerate() {
        if let Some(b) = loaded[..i]
            .iter()
            .find(|b| b.scenario.name == a.scenario.name)
        {
            return Err(ScenarioError::Invalid {
                file: a.source.clone(),
                errors: vec![super::FieldError::new(
                    "name",
                    format!("{:?}", a.scenario.name),
                    format!(
                        "is also the name of {}; scenarios run together need distinct names",
                        b.source
                    ),
                )],
            });
        }
    }
    Ok(loaded)
}

/// Follows `extends` and merges: the inherited document first, this one's keys on top.
fn resolve(
    origin: &Origin,
    mut own: Map<String, Value>,
    seen: &mut Vec<String>,
    chain: &mut Vec<String>,
) -> Result<Map<String, Value>, ScenarioError> {
    let Some(target) = own.remove("extends") else {
        return Ok(own);
    };
    let file = origin.label();
    let Value::String(target) = target else {
        return Err(ScenarioError::Shape {
            file,
            path: "extends".into(),
            message: format!(
                "must be a file name or a bundled scenario's name, not {}",
                describe(&target)
            ),
        });
    };
    let parent = match origin {
        Origin::File(p) => {
            let candidate = p.parent().unwrap_or(Path::new(".")).join(&target);
            if candidate.is_file() {
                Some(Origin::File(candidate))
            } else if let Some(b) = find_bundled(&target) {
                Some(Origin::Bundled(b))
            } else if candidate.is_dir() {
                return Err(ScenarioError::ExtendsFolder {
                    file,
                    target,
                    folder: candidate,
                });
            } else {
                None
            }
        }
        Origin::Bundled(_) => find_bundled(&target).map(Origin::Bundled),
    };
    let parent = parent.ok_or_else(|| ScenarioError::ExtendsNotFound {
        file: file.clone(),
        target: target.clone(),
        bundled: bundled_names(),
    })?;
    let id = parent.identity();
    chain.push(parent.label());
    if chain.len() > MAX_EXTENDS_DEPTH {
        return Err(ScenarioError::ExtendsTooDeep {
            file,
            target,
            chain: chain.join(" -> "),
        });
    }
    if seen.contains(&id) {
        return Err(ScenarioError::ExtendsCycle {
            file,
            target,
            chain: chain.join(" -> "),
        });
    }
    seen.push(id);
    let parent_own = parent.read()?;
    shape_check(&parent, &parent_own)?;
    let mut base = resolve(&parent, parent_own, seen, chain)?;
    merge_uncertainty(&mut base, &mut own);
    merge(&mut base, own);
    Ok(base)
}

/// `uncertainty` entries merge by path, but each distribution replaces the inherited one
/// whole (its kind may differ), and `null` removes an inherited entry (the parameter is
/// fixed again).
fn merge_uncertainty(base: &mut Map<String, Value>, own: &mut Map<String, Value>) {
    let Some(Value::Object(entries)) = own.get("uncertainty") else {
        return;
    };
    let entries = entries.clone();
    own.remove("uncertainty");
    let inherited = match base.get_mut("uncertainty") {
        Some(Value::Object(map)) => map,
        _ => {
            base.insert("uncertainty".into(), Value::Object(Map::new()));
            base.get_mut("uncertainty")
                .and_then(Value::as_object_mut)
                .expect("just inserted")
        }
    };
    for (path, distribution) in entries {
        if distribution.is_null() {
            inherited.remove(&path);
        } else {
            inherited.insert(path, distribution);
        }
    }
}

/// Checks one file's own keys and types, so that a mistake in an inherited file is reported
/// against that file rather than the one that extends it.
fn shape_check(origin: &Origin, own: &Map<String, Value>) -> Result<(), ScenarioError> {
    let mut doc = own.clone();
    doc.remove("extends");
    let doc = Value::Object(doc);
    serde_path_to_error::deserialize::<_, Scenario>(&doc)
        .map(|_| ())
        .map_err(|e| {
            let path = e.path().to_string();
            ScenarioError::Shape {
                file: origin.label(),
                message: shape_message(&doc, &path, &e.inner().to_string()),
                path,
            }
        })
}

/// Objects merge key by key; any other value in `overlay` replaces the base's.
fn merge(base: &mut Map<String, Value>, overlay: Map<String, Value>) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(Value::Object(b)), Value::Object(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn override_for<'a>(path: &str, overrides: &'a [Override]) -> Option<&'a str> {
    let path = JsonPath::parse(path).ok()?;
    overrides
        .iter()
        .rev()
        .find(|o| o.path.is_prefix_of(&path) || path.is_prefix_of(&o.path))
        .map(|o| o.raw.as_str())
}

fn with_override_note(message: String, path: &str, overrides: &[Override]) -> String {
    match override_for(path, overrides) {
        Some(raw) => format!("{message} (from {raw})"),
        None => message,
    }
}

/// serde's message about the value at `path` of `doc`, in a reader's words: a number of the
/// wrong type names the field's own limits, long numbers print compactly, and an unknown
/// field gets the allowed name nearest to it.
fn shape_message(doc: &Value, path: &str, message: &str) -> String {
    let message = compact_numbers(message);
    let message = match field_limits(doc, path, &message) {
        Some((rust_type, allowed)) => message.replace(
            &format!("expected {rust_type}"),
            &format!("expected {allowed}"),
        ),
        None => message,
    };
    plain_serde_message(&message)
}

/// For a number of the wrong type at `path` (text, a fraction, a negative or too large
/// number), the field's limits as validation states them, found by asking validation about a
/// value beyond them at each end: the Rust type serde named, and for example "an integer
/// from 1 to 1000000". `None` when validation sets no narrower limit than the type.
fn field_limits(doc: &Value, path: &str, message: &str) -> Option<(&'static str, String)> {
    let (rust_type, probes): (&str, [Value; 2]) = if message.contains("expected u32") {
        ("u32", [0.into(), u32::MAX.into()])
    } else if message.contains("expected u64") {
        ("u64", [0.into(), u64::MAX.into()])
    } else if message.contains("expected f64") {
        ("f64", [(-1e300).into(), 1e300.into()])
    } else {
        return None;
    };
    let at = JsonPath::parse(path).ok()?;
    probes.into_iter().find_map(|probe| {
        let mut probed = doc.clone();
        at.set(&mut probed, probe).ok()?;
        let scenario: Scenario = serde_json::from_value(probed).ok()?;
        let error = scenario.validate().into_iter().find(|e| e.path == path)?;
        let allowed = error.allowed.strip_prefix("must be ")?;
        (allowed.starts_with("a ") || allowed.starts_with("an "))
            .then(|| (rust_type, allowed.to_string()))
    })
}

/// Numbers longer than 17 characters (`1e300` prints with 300 digits) or with an exponent,
/// alone or between backticks, written as messages write numbers (`1e300`).
fn compact_numbers(text: &str) -> String {
    text.split('`')
        .map(|part| match part.parse::<f64>() {
            Ok(v) if (part.len() > 17 || part.contains(['e', 'E'])) && v.is_finite() => {
                show_number(v)
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// serde's messages, with Rust type names replaced by words; an unknown field also gets the
/// allowed name nearest to it.
fn plain_serde_message(message: &str) -> String {
    let plain = message
        .replace("expected f64", "expected a number")
        .replace(
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        )
        .replace(
            "expected u64",
            "expected a whole number from 0 to 18446744073709551615",
        )
        .replace("expected a string", "expected text in double quotes")
        .replace("expected struct ", "expected an object {...} for ")
        .replace(
            "expected internally tagged enum ",
            "expected an object {\"kind\": ...} for ",
        );
    match did_you_mean(&plain) {
        Some(hint) => format!("{plain}; did you mean `{hint}`?"),
        None => plain,
    }
}

/// For "unknown field `x`, expected one of `a`, `b`, ...": the allowed name nearest to `x`
/// (by edit distance), if it is near enough to be a typo.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (wrong, rest) = rest.split_once('`')?;
    let allowed = rest.split("expected one of ").nth(1)?;
    let allowed = allowed.split(" (from").next().unwrap_or(allowed);
    allowed
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|name| (edit_distance(wrong, name), name))
        .filter(|(d, name)| *d <= 2.max(name.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name.to_string())
}

/// Levenshtein distance, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list [...]".into(),
        Value::Object(_) => "an object {...}".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_the_nearest_name() {
        let m = "unknown field `managment`, expected one of `name`, `management`, `leadership`";
        assert_eq!(did_you_mean(m).as_deref(), Some("management"));
        assert!(plain_serde_message(m).ends_with("; did you mean `management`?"));
        let m = "unknown field `p_1`, expected one of `m`, `n`, `p1`, `p2`";
        assert_eq!(did_you_mean(m).as_deref(), Some("p1"));
        assert_eq!(
            did_you_mean("unknown field `zzzzzzzz`, expected one of `a`, `b`"),
            None
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn numbers_in_messages_are_compact() {
        let long = format!("1{}.0", "0".repeat(300));
        assert_eq!(
            compact_numbers(&format!(
                "invalid type: floating point `{long}`, expected u32"
            )),
            "invalid type: floating point `1e300`, expected u32"
        );
        assert_eq!(compact_numbers("1e+300"), "1e300");
        assert_eq!(
            compact_numbers("a `2.5` and 4294967295"),
            "a `2.5` and 4294967295"
        );
    }

    #[test]
    fn type_errors_take_the_limits_validation_states() {
        let doc = serde_json::json!({"organization": {"founders": "many"}});
        assert_eq!(
            field_limits(&doc, "organization.founders", "expected u32"),
            Some(("u32", "an integer from 1 to 1000000".to_string()))
        );
        // The seed takes every u64, so the type's own range is the field's.
        assert_eq!(field_limits(&doc, "seed", "expected u64"), None);
        // march.p1 is not validated in a lifecycle scenario.
        let doc = serde_json::json!({"march": {"p1": "x"}});
        assert_eq!(field_limits(&doc, "march.p1", "expected f64"), None);
        let doc = serde_json::json!({"model": "march1991", "march": {"p1": "x"}});
        assert_eq!(
            field_limits(&doc, "march.p1", "expected f64"),
            Some(("f64", "a probability in [0, 1]".to_string()))
        );
    }
}
