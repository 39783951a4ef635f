//! What every intervention's scenario entry shares: its window and its switch; and the
//! appointment by rank that task forces and "usual suspects" coalitions share.

use super::Window;
use crate::lifecycle::chart::Chart;
use crate::lifecycle::people::People;
use crate::params::{Check, Declaration, declare};
use crate::scenario::FieldError;

/// The bounds of every entry's `start_year`, in years since founding (also written into the
/// schema by `#[schemars(range(min = 0, max = 500))]` in [`intervention_spec!`] and by
/// `scenario::schema_json`; a test checks they agree).
pub const START_YEAR: (f64, f64) = (0.0, 500.0);

/// The fields every entry shares, declared for `orgsim params`.
pub fn shared_declarations() -> Vec<Declaration> {
    let path = |name: &str| format!("interventions[].{name}");
    vec![
        declare(
            "interventions[]",
            path("kind"),
            ["kind", "which intervention (the tables below)", "name", ""],
            &["Which intervention: one of the kinds below."],
            "required".into(),
            None,
        ),
        declare(
            "interventions[]",
            path("start_year"),
            [
                "start_year",
                "first year in force: its first week is round(52 x start_year); required, except \
                 inside `dual_operating_system` (where it is the package's)",
                "years since founding",
                "\"what if we start at year 8 instead of year 12?\"",
            ],
            &["Year it starts (years since founding; inherited inside dual_operating_system)."],
            "required".into(),
            Some((
                START_YEAR.0,
                START_YEAR.1,
                Check::Phrase("a number of years"),
            )),
        ),
        declare(
            "interventions[]",
            path("end_year"),
            [
                "end_year",
                "first year no longer in force; must be after `start_year` (absent: to the end \
                 of the run)",
                "years since founding",
                "interventions are often switched off again",
            ],
            &["Year it ends (omit: never)."],
            serde_json::Value::Null,
            None,
        ),
        declare(
            "interventions[]",
            path("enabled"),
            [
                "enabled",
                "`false` switches the entry off without deleting it",
                "bool",
                "compare with and without in one file",
            ],
            &["Switch it off without deleting it."],
            true.into(),
            None,
        ),
    ]
}

/// `start_year`, `end_year` and `enabled`, checked the same way for every kind.
pub fn check(
    errors: &mut Vec<FieldError>,
    path: &str,
    start: Option<f64>,
    end: Option<f64>,
    inside_shorthand: bool,
) {
    match start {
        None if !inside_shorthand => errors.push(FieldError::new(
            format!("{path}.start_year"),
            "(missing)",
            "every intervention needs a start_year: years since founding, for example 10",
        )),
        Some(s) if !(START_YEAR.0..=START_YEAR.1).contains(&s) => errors.push(FieldError::new(
            format!("{path}.start_year"),
            s.to_string(),
            format!(
                "must be a number of years from {} to {}",
                START_YEAR.0, START_YEAR.1
            ),
        )),
        _ => {}
    }
    if let Some(e) = end {
        let s = start.unwrap_or(0.0);
        if e <= s {
            errors.push(FieldError::new(
                format!("{path}.end_year"),
                e.to_string(),
                format!("must be after start_year ({s})"),
            ));
        }
    }
}

/// Checks that `value` lies in `lo..=hi`.
pub fn check_in(
    errors: &mut Vec<FieldError>,
    path: String,
    value: f64,
    lo: f64,
    hi: f64,
    what: &str,
) {
    if !(lo..=hi).contains(&value) {
        errors.push(FieldError::new(
            path,
            value.to_string(),
            format!("must be {what} from {lo} to {hi}"),
        ));
    }
}

/// The window of an entry (start 0 if missing, which validation reports).
pub fn window(start: Option<f64>, end: Option<f64>) -> Window {
    Window::from_years(start.unwrap_or(0.0), end)
}

/// Employees who are staying, in the order management appoints them (the usual suspects):
/// highest in the chart first, then longest-serving, then by slot.
pub fn by_rank(people: &People, chart: &Chart) -> Vec<usize> {
    let mut all: Vec<usize> = (0..people.slots())
        .filter(|&i| people.hot[i].is_staying())
        .collect();
    all.sort_by_key(|&i| (chart.level[i], std::cmp::Reverse(people.hot[i].tenure), i));
    all
}

/// Serde default for `enabled`.
pub fn yes() -> bool {
    true
}

/// Declares an intervention's scenario entry: the fields every kind shares (`start_year`,
/// `end_year`, `enabled`), then the kind's own parameters, each declared once with its default,
/// bounds and unit as in [`param_section!`](crate::params):
///
/// ```text
/// /// Share of working time protected for self-chosen work.
/// pub protected_share: f64 = 0.15 => [0.0, 1.0] Phrase("a share"), "share";
/// ```
///
/// Missing keys take the defaults (serde's struct-level `default`), unknown keys are errors;
/// the bounds give the schema's `minimum` and `maximum`, `check_bounds` and `declarations`.
macro_rules! intervention_spec {
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
            /// Year it starts (years since founding; inherited inside dual_operating_system).
            #[serde(skip_serializing_if = "Option::is_none")]
            #[schemars(range(min = 0, max = 500))]
            pub start_year: Option<f64>,
            /// Year it ends (omit: never).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub end_year: Option<f64>,
            /// Switch it off without deleting it.
            pub enabled: bool,
            $(
                $(#[doc = $doc])*
                $( #[schemars(range(min = $min, max = $max))] )?
                pub $field: $ty,
            )*
        }

        impl Default for $name {
            fn default() -> Self {
                $name {
                    start_year: None,
                    end_year: None,
                    enabled: true,
                    $( $field: $default, )*
                }
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

pub(crate) use intervention_spec;
