//! JSON paths such as `march.p1` or `interventions[0].start_year`, and `--set PATH=VALUE`.

use std::fmt;

use serde_json::Value;

use super::ScenarioError;
use super::strict_json::{JsonProblem, parse_json};

/// The most parts (keys and indices) a path may have.
pub const MAX_PATH_PARTS: usize = 32;

/// The most characters a path may have.
pub const MAX_PATH_CHARS: usize = 1000;

/// One step of a path: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A path into a JSON document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Segment>);

impl JsonPath {
    /// Parses `a.b[2].c`. Keys are non-empty runs of characters other than `.`, `[` and `]`.
    /// A path has at most [`MAX_PATH_PARTS`] parts and [`MAX_PATH_CHARS`] characters.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let mut segments = Vec::new();
        let mut rest = text;
        if rest.is_empty() {
            return Err("the path is empty".into());
        }
        let parts = 1 + text.matches(['.', '[']).count();
        if parts > MAX_PATH_PARTS {
            return Err(format!(
                "the path has {parts} parts; at most {MAX_PATH_PARTS} are allowed (scenarios \
                 nest only a few levels)"
            ));
        }
        let chars = text.chars().count();
        if chars > MAX_PATH_CHARS {
            return Err(format!(
                "the path is {chars} characters long; at most {MAX_PATH_CHARS} are allowed"
            ));
        }
        loop {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let key = &rest[..end];
            if key.is_empty() {
                return Err(format!("empty key in path {text:?}"));
            }
            if key.contains(']') {
                return Err(format!("unexpected ']' in path {text:?}"));
            }
            segments.push(Segment::Key(key.to_string()));
            rest = &rest[end..];
            while let Some(after) = rest.strip_prefix('[') {
                let close = after
                    .find(']')
                    .ok_or_else(|| format!("unclosed '[' in path {text:?}"))?;
                let index = after[..close].parse::<usize>().map_err(|_| {
                    format!(
                        "{:?} in path {text:?} is not an array index (0, 1, 2, ...)",
                        &after[..close]
                    )
                })?;
                segments.push(Segment::Index(index));
                rest = &after[close + 1..];
            }
            if rest.is_empty() {
                return Ok(JsonPath(segments));
            }
            rest = rest
                .strip_prefix('.')
                .ok_or_else(|| format!("expected '.' or '[' in path {text:?} before {rest:?}"))?;
        }
    }

    /// Sets `value` at this path in `doc`, creating missing objects along the way.
    pub fn set(&self, doc: &mut Value, value: Value) -> Result<(), String> {
        let mut here = doc;
        for (i, segment) in self.0.iter().enumerate() {
            let last = i + 1 == self.0.len();
            // Built only for a message, so that setting stays linear in the path's length.
            let walked = || JsonPath(self.0[..i].to_vec());
            here = match segment {
                Segment::Key(key) => {
                    if here.is_null() {
                        *here = Value::Object(Default::default());
                    }
                    let Value::Object(map) = here else {
                        return Err(format!("{} is {}, not an object", walked(), kind(here)));
                    };
                    if last {
                        // An object merges into an existing object key by key, as `extends`
                        // does; anything else replaces the value.
                        match map.get_mut(key) {
                            Some(existing) => merge_into(existing, value),
                            None => {
                                map.insert(key.clone(), value);
                            }
                        }
                        return Ok(());
                    }
                    map.entry(key.clone()).or_insert(Value::Null)
                }
                Segment::Index(index) => {
                    let Value::Array(items) = here else {
                        return Err(format!("{} is {}, not a list", walked(), kind(here)));
                    };
                    let len = items.len();
                    let item = items.get_mut(*index).ok_or_else(|| {
                        format!(
                            "{} has {len} item(s), so index {index} does not exist",
                            walked()
                        )
                    })?;
                    if last {
                        merge_into(item, value);
                        return Ok(());
                    }
                    item
                }
            };
        }
        Ok(())
    }

    /// Whether `other` starts with this path.
    pub fn is_prefix_of(&self, other: &JsonPath) -> bool {
        other.0.len() >= self.0.len() && other.0[..self.0.len()] == self.0[..]
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return write!(f, "the top level");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Objects merge key by key (recursively); any other value replaces.
pub fn merge_into(base: &mut Value, overlay: Value) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge_into(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A `--set PATH=VALUE` override. VALUE is read as JSON when it parses as JSON (numbers,
/// `true`, `null`, `"text"`, `[1, 2]`, `{...}`), and as a plain string otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// Where to set.
    pub path: JsonPath,
    /// What to set.
    pub value: Value,
    /// Where it came from, for messages: `--set PATH=VALUE` or the flag that implied it.
    pub raw: String,
}

impl Override {
    /// Parses one `PATH=VALUE` argument.
    pub fn parse(arg: &str) -> Result<Override, ScenarioError> {
        let bad = |message: String| ScenarioError::BadOverride {
            arg: format!("--set {arg:?}"),
            message,
        };
        let (path, value) = arg
            .split_once('=')
            .ok_or_else(|| bad("expected PATH=VALUE, for example --set march.p1=0.9".into()))?;
        let path = JsonPath::parse(path.trim()).map_err(|e| {
            bad(format!(
                "{e}; expected PATH=VALUE, for example --set march.p1=0.9"
            ))
        })?;
        let value = value.trim();
        if value.is_empty() {
            return Err(bad(
                "the value after '=' is empty; to set an empty string write PATH='\"\"'".into(),
            ));
        }
        // Text that is not JSON is a plain string; JSON with a repeated key or too deep a
        // nesting is a mistake, not a string.
        let value = match parse_json(value) {
            Ok(v) => v,
            Err(e) if matches!(e.problem, JsonProblem::Syntax(_)) => {
                Value::String(value.to_string())
            }
            Err(e) => {
                let inner = match e.path.as_str() {
                    "" => path.to_string(),
                    p if p.starts_with('[') => format!("{path}{p}"),
                    p => format!("{path}.{p}"),
                };
                return Err(bad(format!("{inner}: {}", e.message())));
            }
        };
        Ok(Override {
            path,
            value,
            raw: format!("--set {arg}"),
        })
    }

    /// An override implied by another flag (`--replicates 5` sets `replicates`); `flag` is
    /// how messages refer to it.
    pub fn from_flag(path: &str, value: serde_json::Value, flag: String) -> Override {
        Override {
            path: JsonPath::parse(path).expect("flag paths are valid"),
            value,
            raw: flag,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_prints_paths() {
        let p = JsonPath::parse("interventions[0].start_year").unwrap();
        assert_eq!(
            p.0,
            vec![
                Segment::Key("interventions".into()),
                Segment::Index(0),
                Segment::Key("start_year".into())
            ]
        );
        assert_eq!(p.to_string(), "interventions[0].start_year");
        for bad in ["", "a..b", ".a", "a.", "a[x]", "a[1", "a]"] {
            assert!(JsonPath::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn set_creates_objects_and_replaces_values() {
        let mut doc = json!({"march": {"p1": 0.5}, "list": [1, 2]});
        JsonPath::parse("march.p1")
            .unwrap()
            .set(&mut doc, json!(0.9))
            .unwrap();
        JsonPath::parse("new.deep")
            .unwrap()
            .set(&mut doc, json!(true))
            .unwrap();
        JsonPath::parse("list[1]")
            .unwrap()
            .set(&mut doc, json!(5))
            .unwrap();
        assert_eq!(
            doc,
            json!({"march": {"p1": 0.9}, "list": [1, 5], "new": {"deep": true}})
        );
        let err = JsonPath::parse("list[7]")
            .unwrap()
            .set(&mut doc, json!(0))
            .unwrap_err();
        assert!(err.contains("index 7 does not exist"), "{err}");
        let err = JsonPath::parse("march.p1.x")
            .unwrap()
            .set(&mut doc, json!(0))
            .unwrap_err();
        assert!(err.contains("march.p1 is a number"), "{err}");
    }

    #[test]
    fn paths_are_bounded_and_set_in_linear_time() {
        let longest = vec!["k"; MAX_PATH_PARTS].join(".");
        let path = JsonPath::parse(&longest).unwrap();
        let mut doc = json!({});
        path.set(&mut doc, json!(1)).unwrap();
        let err = JsonPath::parse(&format!("{longest}.k")).unwrap_err();
        assert!(err.contains("33 parts; at most 32"), "{err}");
        let err = JsonPath::parse(&"k".repeat(MAX_PATH_CHARS + 1)).unwrap_err();
        assert!(err.contains("1001 characters long"), "{err}");
        // A million parts is refused after one pass over the text.
        let started = std::time::Instant::now();
        assert!(JsonPath::parse(&"a[0]".repeat(1_000_000)).is_err());
        assert!(started.elapsed().as_secs() < 2);
    }

    #[test]
    fn override_values_with_repeated_keys_or_deep_nesting_are_refused() {
        let e = Override::parse(r#"march={"p1": 1, "p1": 2}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("march.p1: the key \"p1\" appears twice"),
            "{e}"
        );
        let e = Override::parse(r#"interventions=[{"kind": "a", "kind": "b"}]"#).unwrap_err();
        assert!(e.to_string().contains("interventions[0].kind"), "{e}");
        let deep = format!("notes={}{}", "[".repeat(100), "]".repeat(100));
        let e = Override::parse(&deep).unwrap_err();
        assert!(e.to_string().contains("nested more than 64"), "{e}");
        // Text that is not JSON at all is still a plain string.
        assert_eq!(Override::parse("name={oops").unwrap().value, json!("{oops"));
    }

    #[test]
    fn override_values_are_json_or_strings() {
        assert_eq!(Override::parse("march.p1=0.9").unwrap().value, json!(0.9));
        assert_eq!(
            Override::parse("name=my-run").unwrap().value,
            json!("my-run")
        );
        assert_eq!(Override::parse("a=[1,2]").unwrap().value, json!([1, 2]));
        assert!(Override::parse("march.p1").is_err());
        assert!(Override::parse("=3").is_err());
        assert!(Override::parse("march.p1=").is_err());
    }
}
