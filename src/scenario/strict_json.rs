//! JSON read strictly, for every file and value orgsim takes as input: a key given twice in
//! one object is refused (serde_json would keep the last one and drop the first without a
//! word), nesting is bounded well before it could exhaust the stack, and files are bounded in
//! size before they are read.

use std::cell::RefCell;
use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The deepest nesting of objects and lists accepted in an input (scenario files need about
/// four levels; serde_json's own limit, 128, stays as a backstop).
pub const MAX_DEPTH: usize = 64;

/// The largest input file read, in bytes (4 MB; bundled scenarios are about 2 kB).
pub const MAX_INPUT_BYTES: u64 = 4 << 20;

/// What is wrong with a JSON text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonProblem {
    /// Not JSON: serde_json's message without its position.
    Syntax(String),
    /// A key appears twice in one object.
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// Objects and lists nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Why [`parse_json`] refused a text: what, where in the text, and (except for syntax errors)
/// at which JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// What is wrong.
    pub problem: JsonProblem,
    /// Line of the error (from 1).
    pub line: usize,
    /// Column of the error (from 1).
    pub column: usize,
    /// The JSON path of the offending value (`march.p1`, `interventions[0]`; empty for the
    /// top level). For a duplicate key, the path of the key's second occurrence.
    pub path: String,
}

impl JsonError {
    /// The message without file or path: what is wrong and where in the text.
    pub fn message(&self) -> String {
        let at = format!("line {}, column {}", self.line, self.column);
        match &self.problem {
            JsonProblem::Syntax(m) => format!("not valid JSON at {at}: {m}"),
            JsonProblem::DuplicateKey { key } => format!(
                "the key {key:?} appears twice in one object (again at {at}); JSON keeps only \
                 one of them, so remove the other"
            ),
            JsonProblem::TooDeep => format!(
                "nested more than {MAX_DEPTH} levels deep (objects and lists inside one another, \
                 at {at}); inputs need only a few levels"
            ),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || matches!(self.problem, JsonProblem::Syntax(_)) {
            write!(f, "{}", self.message())
        } else {
            write!(f, "{}: {}", self.path, self.message())
        }
    }
}

impl std::error::Error for JsonError {}

/// Parses one JSON value, refusing duplicate keys at any depth and nesting deeper than
/// [`MAX_DEPTH`]. Time and memory are linear in the text's length.
pub fn parse_json(text: &str) -> Result<Value, JsonError> {
    let found = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Node {
        at: &Step::Root,
        depth: 0,
        found: &found,
    };
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let (problem, path) = found.into_inner().unwrap_or_else(|| {
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            (JsonProblem::Syntax(message), String::new())
        });
        JsonError {
            problem,
            line: e.line(),
            column: e.column(),
            path,
        }
    })
}

/// Reads a UTF-8 text file of at most `limit` bytes; a larger one is refused with an error
/// of kind `FileTooLarge` before it is read whole (so `/dev/zero` cannot exhaust memory).
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<String> {
    let too_large = || {
        std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "the file is larger than the {} MB allowed for an input file",
                limit >> 20
            ),
        )
    };
    let file = std::fs::File::open(path)?;
    if file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() > limit)
    {
        return Err(too_large());
    }
    let mut text = String::new();
    file.take(limit + 1).read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(text)
}

/// Where the parser is: a chain of steps back to the root, kept on the stack so that
/// nothing is allocated unless an error needs the path.
enum Step<'a> {
    Root,
    Key(&'a str, &'a Step<'a>),
    Index(usize, &'a Step<'a>),
}

impl Step<'_> {
    fn path(&self) -> String {
        let mut steps = Vec::new();
        let mut here = self;
        while let Step::Key(_, up) | Step::Index(_, up) = here {
            steps.push(here);
            here = up;
        }
        // A path through deep nesting is cut after its first steps.
        let cut = steps.len() > 8;
        let mut out = String::new();
        for step in steps.iter().rev().take(if cut { 4 } else { 8 }) {
            match step {
                Step::Key(k, _) if out.is_empty() => out.push_str(k),
                Step::Key(k, _) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i, _) => out.push_str(&format!("[{i}]")),
                Step::Root => {}
            }
        }
        if cut {
            out.push_str("...");
        }
        out
    }
}

/// Deserializes one value at `at`, `depth` containers deep; the first problem found is
/// recorded in `found` (serde's error type carries only a message).
struct Node<'a> {
    at: &'a Step<'a>,
    depth: usize,
    found: &'a RefCell<Option<(JsonProblem, String)>>,
}

impl Node<'_> {
    fn fail<E: de::Error>(&self, problem: JsonProblem, at: &Step<'_>) -> E {
        let path = at.path();
        let message = format!("{problem:?} at {path}");
        self.found.borrow_mut().get_or_insert((problem, path));
        E::custom(message)
    }

    fn deeper<E: de::Error>(&self) -> Result<usize, E> {
        if self.depth >= MAX_DEPTH {
            Err(self.fail(JsonProblem::TooDeep, self.at))
        } else {
            Ok(self.depth + 1)
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let depth = self.deeper()?;
        let mut items = Vec::new();
        loop {
            let at = Step::Index(items.len(), self.at);
            let node = Node {
                at: &at,
                depth,
                found: self.found,
            };
            match seq.next_element_seed(node)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let depth = self.deeper()?;
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let at = Step::Key(&key, self.at);
            if map.contains_key(&key) {
                return Err(self.fail(JsonProblem::DuplicateKey { key: key.clone() }, &at));
            }
            let value = access.next_value_seed(Node {
                at: &at,
                depth,
                found: self.found,
            })?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_like_serde_json() {
        let text = r#"{"a": [1, -2, 2.5, "x", null, true, {"b": {}}], "c": 18446744073709551615}"#;
        assert_eq!(
            parse_json(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        let keys: Vec<String> = parse_json(r#"{"z": 1, "a": 2, "m": 3}"#)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["z", "a", "m"], "the order of keys is kept");
    }

    #[test]
    fn duplicate_keys_are_found_with_their_path_and_position() {
        let e = parse_json("{\"a\": {\"b\": [0, {\"c\": 1,\n \"c\": 2}]}}").unwrap_err();
        assert_eq!(
            e.problem,
            JsonProblem::DuplicateKey {
                key: "c".to_string()
            }
        );
        assert_eq!(e.path, "a.b[1].c");
        assert_eq!(e.line, 2);
        assert!(
            e.to_string()
                .starts_with("a.b[1].c: the key \"c\" appears twice")
        );
        let e = parse_json(r#"{"x": 1, "x": 1}"#).unwrap_err();
        assert_eq!(e.path, "x");
        // The same key in different objects is fine.
        assert_eq!(
            parse_json(r#"{"x": {"x": 1}, "y": {"x": 2}}"#).unwrap(),
            json!({"x": {"x": 1}, "y": {"x": 2}})
        );
    }

    #[test]
    fn nesting_is_bounded_and_syntax_errors_keep_their_position() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_json(&ok).is_ok());
        for depth in [MAX_DEPTH + 1, 1_000_000] {
            let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let e = parse_json(&deep).unwrap_err();
            assert_eq!(e.problem, JsonProblem::TooDeep);
            assert_eq!(e.line, 1);
            assert_eq!(e.path, "[0][0][0][0]...");
            assert!((MAX_DEPTH..MAX_DEPTH + 3).contains(&e.column), "{e:?}");
        }
        let e = parse_json("{\"a\": 1,\n}").unwrap_err();
        assert!(matches!(e.problem, JsonProblem::Syntax(_)), "{e:?}");
        assert_eq!((e.line, e.column), (2, 1));
        assert!(parse_json("{} {}").is_err(), "trailing text is refused");
    }

    #[test]
    fn large_files_are_refused_before_they_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        std::fs::write(&path, "x".repeat(2000)).unwrap();
        assert_eq!(read_limited(&path, 2000).unwrap().len(), 2000);
        let e = read_limited(&path, 1999).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
    }
}
