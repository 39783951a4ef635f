//! Every numeric and named parameter a scenario can set, declared once.
//!
//! Each field of a parameter section is declared with [`param_section!`] (the life-cycle and
//! March sections) or `intervention_spec!` (one per intervention kind): its type, default,
//! bounds, unit and meaning sit on one line of the declaration, and from that line follow
//! the struct's `Default`, its range checks ([`check_declared`], used by every `validate`),
//! the JSON Schema's `minimum`/`maximum`, and the list [`declarations`] that `orgsim params`
//! prints and that calibration priors, uncertainty ranges or an interactive page can read.
//!
//! ```
//! let all = orgsim::params::declarations();
//! let founders = all.iter().find(|d| d.path == "organization.founders").unwrap();
//! assert_eq!((founders.min, founders.max, founders.integer), (Some(1.0), Some(1e6), true));
//! assert_eq!(founders.default, serde_json::json!(15));
//! ```

use serde::Serialize;

pub use crate::numbers::show_value;
use crate::scenario::{FieldError, show_number};

/// How a bound is phrased in the error a value outside it gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// "must be an integer from LO to HI".
    Integer,
    /// "must be a probability in [0, 1]" (the bounds are 0 and 1).
    Probability,
    /// "must be a number from LO to HI" followed by the given unit (" years", or nothing).
    Real(&'static str),
    /// "must be WHAT from LO to HI", for example "a share" or "a number of months".
    Phrase(&'static str),
}

/// One parameter: where it sits in a scenario, what it means, its default and its bounds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Declaration {
    /// JSON path in a scenario, for example `organization.founders`; an intervention's own
    /// fields read `interventions[kind=task_force].members`, the fields every entry shares
    /// `interventions[].start_year`.
    pub path: String,
    /// The section (`organization`, `march`, ...) or intervention kind (`task_force`, ...) it
    /// belongs to; `scenario` for top-level fields, `interventions[]` for the shared ones.
    pub group: String,
    /// The field's own name.
    pub name: String,
    /// What it is, in a few words (the ODD's parameter tables).
    pub title: String,
    /// What it means (the field's documentation, as the schema shows it).
    pub meaning: String,
    /// Where the default comes from: a source, a calibration target or the reasoning.
    pub source: String,
    /// Its unit, or a word for its kind (`share`, `probability`, `bool`, `-`).
    pub unit: String,
    /// Its default as JSON (`null`: absent means "none"; `"required"` has no default).
    pub default: serde_json::Value,
    /// The smallest value allowed, for numbers.
    pub min: Option<f64>,
    /// The largest value allowed, for numbers.
    pub max: Option<f64>,
    /// Whether only whole numbers are allowed.
    pub integer: bool,
    /// How an error states the bounds (`None` for fields without bounds).
    #[serde(skip)]
    pub check: Option<Check>,
}

impl Declaration {
    /// The bounds as an error states them, for example "must be an integer from 1 to 100".
    pub fn allowed(&self) -> Option<String> {
        Some(allowed(self.min?, self.max?, self.check?))
    }
}

/// The bounds `lo` to `hi` as an error states them.
fn allowed(lo: f64, hi: f64, check: Check) -> String {
    match check {
        Check::Integer => format!("must be an integer from {lo} to {hi}"),
        Check::Probability => "must be a probability in [0, 1]".to_string(),
        Check::Real(unit) => format!("must be a number from {lo} to {hi}{unit}"),
        Check::Phrase(what) => format!("must be {what} from {lo} to {hi}"),
    }
}

/// A field's value as a number, for the range checks (`None`: not a number, or absent).
pub trait AsNumber {
    /// The value, if it is a number.
    fn as_number(&self) -> Option<f64>;
}

impl AsNumber for f64 {
    fn as_number(&self) -> Option<f64> {
        Some(*self)
    }
}

impl AsNumber for u32 {
    fn as_number(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
}

impl AsNumber for u64 {
    fn as_number(&self) -> Option<f64> {
        Some(*self as f64)
    }
}

impl<T: AsNumber> AsNumber for Option<T> {
    fn as_number(&self) -> Option<f64> {
        self.as_ref().and_then(AsNumber::as_number)
    }
}

impl AsNumber for bool {
    fn as_number(&self) -> Option<f64> {
        None
    }
}

/// Records an error if `value` lies outside the bounds `declaration` gives; `path` is where
/// it sits in this scenario.
pub fn check_declared(
    errors: &mut Vec<FieldError>,
    path: String,
    value: Option<f64>,
    declaration: &Declaration,
) {
    if let (Some(lo), Some(hi), Some(check)) = (declaration.min, declaration.max, declaration.check)
    {
        check_bounded(errors, || path, value, (lo, hi, check));
    }
}

/// Records an error if `value` lies outside `lo..=hi` (used by the declaration macros, which
/// check a section's fields without building its declarations; `path` is built only for an
/// error).
#[doc(hidden)]
pub fn check_bounded(
    errors: &mut Vec<FieldError>,
    path: impl FnOnce() -> String,
    value: Option<f64>,
    (lo, hi, check): (f64, f64, Check),
) {
    let Some(v) = value else {
        return;
    };
    if !(lo..=hi).contains(&v) {
        let shown = match check {
            Check::Probability => show_number(v),
            _ => v.to_string(),
        };
        errors.push(FieldError::new(path(), shown, allowed(lo, hi, check)));
    }
}

/// Builds a [`Declaration`] (used by the declaration macros): `[name, title, unit, source]`,
/// the doc comment's lines, the default and the bounds.
#[doc(hidden)]
pub fn declare(
    group: &str,
    path: String,
    [name, title, unit, source]: [&str; 4],
    docs: &[&str],
    default: serde_json::Value,
    bounds: Option<(f64, f64, Check)>,
) -> Declaration {
    let meaning = docs
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string();
    Declaration {
        path,
        group: group.to_string(),
        name: name.to_string(),
        title: title.to_string(),
        meaning,
        source: source.to_string(),
        unit: unit.to_string(),
        default,
        min: bounds.map(|b| b.0),
        max: bounds.map(|b| b.1),
        integer: matches!(bounds, Some((_, _, Check::Integer))),
        check: bounds.map(|b| b.2),
    }
}

/// Declares a parameter section: a struct whose fields each carry their documentation, type,
/// default, bounds (with how an error phrases them) and unit in one place:
///
/// ```text
/// /// Employees at founding (year 0).
/// pub founders: u32 = 15 => [1, 1000000] Integer, "people";
/// /// Whether the organization has managers at all.
/// pub hierarchy: bool = true => "bool";
/// ```
///
/// It writes the struct (serde, with missing keys taking the defaults and unknown keys
/// refused; schemars, with `minimum` and `maximum` from the bounds), its `Default`, and
/// `declarations(prefix)` and `check_bounds(prefix, errors)`.
macro_rules! param_section {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                pub $field:ident : $ty:ty = $default:expr =>
                    $( [$min:literal, $max:literal] $check:ident $(($arg:literal))? , )?
                    $unit:literal, $title:literal, $source:literal ;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
        )]
        #[serde(deny_unknown_fields, default)]
        pub struct $name {
            $(
                $(#[doc = $doc])*
                $( #[schemars(range(min = $min, max = $max))] )?
                pub $field: $ty,
            )*
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: $default, )* }
            }
        }

        $crate::params::param_methods! {
            $name {
                $(
                    $field [$($doc),*] $unit $title $source
                    $( [$min, $max] $check $(($arg))? )?
                ),*
            }
        }
    };
}

/// Writes `declarations(group, prefix)` and `check_bounds(prefix, errors)` for the fields of
/// a struct declared with [`param_section!`] or `intervention_spec!`.
macro_rules! param_methods {
    (
        $name:ident {
            $(
                $field:ident [$($doc:literal),*] $unit:literal $title:literal $source:literal
                $( [$min:literal, $max:literal] $check:ident $(($arg:literal))? )?
            ),*
        }
    ) => {
        impl $name {
            /// Every field's declaration; `group` names the section, `prefix` is its JSON path.
            pub fn declarations(group: &str, prefix: &str) -> Vec<$crate::params::Declaration> {
                let d = Self::default();
                vec![$(
                    $crate::params::declare(
                        group,
                        format!("{prefix}.{}", stringify!($field)),
                        [stringify!($field), $title, $unit, $source],
                        &[$($doc),*],
                        serde_json::to_value(&d.$field).expect("a default serializes"),
                        None $( .or(Some((
                            f64::from($min),
                            f64::from($max),
                            $crate::params::Check::$check $(($arg))?,
                        ))) )?,
                    ),
                )*]
            }

            /// Records every field outside its declared bounds; `prefix` is the JSON path of
            /// the section or entry in this scenario. (The bounds are checked as declared,
            /// without building the declarations: validating runs for every uncertain
            /// parameter's ends.)
            #[allow(unused_variables)]
            pub fn check_bounds(
                &self,
                prefix: &str,
                errors: &mut Vec<$crate::scenario::FieldError>,
            ) {
                #[allow(unused_imports)]
                use $crate::params::AsNumber;
                $($(
                    $crate::params::check_bounded(
                        errors,
                        || format!("{prefix}.{}", stringify!($field)),
                        self.$field.as_number(),
                        (
                            f64::from($min),
                            f64::from($max),
                            $crate::params::Check::$check $(($arg))?,
                        ),
                    );
                )?)*
            }
        }
    };
}

pub(crate) use param_methods;
pub(crate) use param_section;

impl AsNumber for Vec<f64> {
    fn as_number(&self) -> Option<f64> {
        None
    }
}

impl AsNumber for crate::lifecycle::params::CodeLearning {
    fn as_number(&self) -> Option<f64> {
        None
    }
}

impl AsNumber for crate::lifecycle::interventions::Selection {
    fn as_number(&self) -> Option<f64> {
        None
    }
}

/// Every parameter a scenario can set, in the order of `orgsim schema`: the top-level
/// fields, the March section, the life-cycle sections, the fields every intervention shares,
/// and each intervention kind's own.
pub fn declarations() -> Vec<Declaration> {
    let mut out = crate::scenario::top_level_declarations();
    out.extend(crate::march1991::MarchParams::declarations(
        "march", "march",
    ));
    out.extend(crate::lifecycle::params::declarations());
    out.extend(crate::lifecycle::interventions::declarations());
    out
}

/// The groups, in the order of [`declarations`].
pub fn groups() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in declarations() {
        if !out.contains(&d.group) {
            out.push(d.group);
        }
    }
    out
}

impl Declaration {
    /// The default as the docs write it: `15`, `true`, `` `initiatives` ``, `none`, `required`.
    pub fn default_text(&self) -> String {
        use serde_json::Value;
        match &self.default {
            Value::Null => "none".into(),
            Value::Number(n) => show_value(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) if s == "required" => s.clone(),
            Value::String(s) => format!("`{s}`"),
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_f64().map_or_else(|| v.to_string(), show_value))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        }
    }

    /// The bounds as the docs write them (`1 to 1,000,000`), or empty.
    pub fn range_text(&self) -> String {
        match (self.min, self.max) {
            (Some(lo), Some(hi)) => format!("{} to {}", show_value(lo), show_value(hi)),
            _ => String::new(),
        }
    }
}

/// The ODD's parameter table of `group` (docs/ODD.md holds it between
/// `<!-- generated: params-GROUP -->` markers, `_` written `-`, `interventions[]` as
/// `interventions`; either spelling is accepted here), or `None` for an unknown group.
pub fn markdown_table(group: &str) -> Option<String> {
    let rows: Vec<Declaration> = declarations()
        .into_iter()
        .filter(|d| d.group == group || region_name(&d.group) == format!("params-{group}"))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let mut out = String::from(
        "| parameter | meaning | unit | range | default | source or reasoning |\n\
         |---|---|---|---|---|---|\n",
    );
    for d in rows {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            d.name,
            d.title,
            d.unit,
            d.range_text(),
            d.default_text(),
            d.source
        ));
    }
    Some(out)
}

/// The name of the generated ODD region holding `group`'s table.
pub fn region_name(group: &str) -> String {
    let g = group.trim_end_matches("[]").replace('_', "-");
    format!("params-{g}")
}
