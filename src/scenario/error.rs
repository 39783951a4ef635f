//! What can be wrong with a scenario, phrased so the message says what to fix.

pub use crate::numbers::show_number;
use std::fmt;
use std::path::PathBuf;

/// A value outside its allowed set: the JSON path, the value, and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// JSON path of the field, for example `march.p1`.
    pub path: String,
    /// The offending value as written.
    pub value: String,
    /// What is allowed, for example `must be a probability in [0, 1]`.
    pub allowed: String,
}

impl FieldError {
    /// A field error.
    pub fn new(
        path: impl Into<String>,
        value: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        FieldError {
            path: path.into(),
            value: value.into(),
            allowed: allowed.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}: {}", self.path, self.value, self.allowed)
    }
}

/// Records an error unless `lo <= value <= hi`.
pub fn check_range<T: PartialOrd + fmt::Display>(
    errors: &mut Vec<FieldError>,
    path: String,
    value: T,
    lo: T,
    hi: T,
) {
    if value < lo || value > hi {
        errors.push(FieldError::new(
            path,
            value.to_string(),
            format!("must be an integer from {lo} to {hi}"),
        ));
    }
}

/// Records an error unless `value` is a probability.
pub fn check_probability(errors: &mut Vec<FieldError>, path: String, value: f64) {
    if !(0.0..=1.0).contains(&value) {
        errors.push(FieldError::new(
            path,
            show_number(value),
            "must be a probability in [0, 1]",
        ));
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// Neither a readable file nor a bundled scenario.
    #[error(
        "'{name}' is neither a scenario file nor a bundled scenario (bundled: {bundled}; `orgsim scenarios` lists them)"
    )]
    NotFound {
        /// What was asked for.
        name: String,
        /// The bundled names.
        bundled: String,
    },
    /// The file could not be read.
    #[error("{}: cannot read the file: {error}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// The I/O error (part of the message, not a separate cause, so it prints once).
        error: std::io::Error,
    },
    /// The file is empty.
    #[error(
        "{file}: the file is empty; a scenario is a JSON object such as {{\"model\": \"march1991\"}}"
    )]
    Empty {
        /// The file.
        file: String,
    },
    /// The file is not valid JSON.
    #[error("{file}: not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// Line of the error (from 1).
        line: usize,
        /// Column of the error (from 1).
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The top level is not an object.
    #[error("{file}: a scenario must be a JSON object {{...}}, not {found}")]
    NotAnObject {
        /// The file.
        file: String,
        /// What was found instead.
        found: String,
    },
    /// `extends` leads back to a scenario already being loaded.
    #[error(
        "{file}: extends = {target:?}: `extends` forms a cycle ({chain}); a scenario cannot extend itself"
    )]
    ExtendsCycle {
        /// The file whose `extends` closes the cycle.
        file: String,
        /// The `extends` value.
        target: String,
        /// The chain of scenarios, `a -> b -> a`.
        chain: String,
    },
    /// `extends` leads through too many files.
    #[error(
        "{file}: extends = {target:?}: `extends` leads through more than {max} files ({chain}); inherit from fewer files",
        max = super::load::MAX_EXTENDS_DEPTH
    )]
    ExtendsTooDeep {
        /// The file whose `extends` goes one file too far.
        file: String,
        /// The `extends` value.
        target: String,
        /// The chain of scenarios, `a -> b -> c`.
        chain: String,
    },
    /// `extends` names a folder.
    #[error(
        "{file}: extends = {target:?}: {} is a folder, not a scenario file; name a .json file inside it",
        folder.display()
    )]
    ExtendsFolder {
        /// The file.
        file: String,
        /// The `extends` value.
        target: String,
        /// The folder it names.
        folder: PathBuf,
    },
    /// `extends` names nothing loadable.
    #[error(
        "{file}: extends = {target:?}: no such file next to it and no bundled scenario of that name (bundled: {bundled})"
    )]
    ExtendsNotFound {
        /// The file.
        file: String,
        /// The `extends` value.
        target: String,
        /// The bundled names.
        bundled: String,
    },
    /// A value has the wrong type or an unknown key.
    #[error("{file}: {path}: {message}")]
    Shape {
        /// The file (and the `--set` that produced the value, if any).
        file: String,
        /// JSON path.
        path: String,
        /// What serde found and expected.
        message: String,
    },
    /// Values outside their limits.
    #[error("{}", render_invalid(file, errors))]
    Invalid {
        /// The file.
        file: String,
        /// Each bad value.
        errors: Vec<FieldError>,
    },
    /// A malformed `--set` argument.
    #[error("{arg}: {message}")]
    BadOverride {
        /// The flag as given, for example `--set "march.p1"`.
        arg: String,
        /// What is wrong and what is expected.
        message: String,
    },
}

fn render_invalid(file: &str, errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{file}: {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}
