//! What every intervention's scenario entry shares: its window and its switch.

use super::Window;
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

/// Serde default for `enabled`.
pub fn yes() -> bool {
    true
}
