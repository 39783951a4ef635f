//! What every intervention's scenario entry shares: its window and its switch; and the
//! appointment by rank that task forces and "usual suspects" coalitions share.

use super::Window;
use crate::lifecycle::chart::Chart;
use crate::lifecycle::people::People;
use crate::scenario::FieldError;

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
        Some(s) if !(0.0..=500.0).contains(&s) => errors.push(FieldError::new(
            format!("{path}.start_year"),
            s.to_string(),
            "must be a number of years from 0 to 500",
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
/// `end_year`, `enabled`), then the kind's own parameters, each with its default written once
/// beside it. Missing keys take the defaults (serde's struct-level `default`), unknown keys are
/// errors.
macro_rules! intervention_spec {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty = $default:expr, )*
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
            pub start_year: Option<f64>,
            /// Year it ends (omit: never).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub end_year: Option<f64>,
            /// Switch it off without deleting it. Default true.
            pub enabled: bool,
            $( $(#[$fmeta])* pub $field: $ty, )*
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
    };
}

pub(crate) use intervention_spec;
