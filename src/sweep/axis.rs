//! A sweep's axes: one swept parameter each, by its JSON path, with its values as a list, a
//! range or a distribution; their checks, and the value at a design's unit coordinate.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::limits;
use super::spec::DesignKind;
use crate::numbers::json_num;

/// One swept parameter: its path and its values (a list, a range, or a distribution).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    /// The scenario field, by its JSON path: `organization.capacity`,
    /// `interventions[0].start_year`, `march.p1`.
    pub path: String,
    /// Explicit values (any design; sampling designs pick among them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Value>>,
    /// A range: `from` to `to` (inclusive) by `step` for a grid; sampled uniformly by the
    /// other designs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    /// A distribution to sample (not for grids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
}

/// A numeric range.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// First value.
    pub from: f64,
    /// Last value (inclusive).
    pub to: f64,
    /// Grid step (required by `grid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
}

/// A distribution to sample values from.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum Distribution {
    /// Uniform on [low, high].
    Uniform([f64; 2]),
    /// Normal with [mean, sd].
    Normal([f64; 2]),
    /// Triangular with [low, mode, high].
    Triangular([f64; 3]),
}

/// Checks an axis: exactly one of values, range and distribution, each valid for `design`.
pub(super) fn check_axis(a: &Axis, design: DesignKind) -> Result<(), String> {
    let given = usize::from(a.values.is_some())
        + usize::from(a.range.is_some())
        + usize::from(a.distribution.is_some());
    if given != 1 {
        return Err(format!(
            "axis `{}` needs exactly one of `values`, `range` or `distribution`",
            a.path
        ));
    }
    if a.values.as_ref().is_some_and(Vec::is_empty) {
        return Err(format!("values of `{}`: the list is empty", a.path));
    }
    if let Some(r) = &a.range {
        if !(r.from.is_finite() && r.to.is_finite()) || r.to < r.from {
            return Err(format!(
                "range of `{}`: from {} to {}: `to` must be at least `from`",
                a.path, r.from, r.to
            ));
        }
        if design == DesignKind::Grid {
            match r.step {
                None => {
                    return Err(format!("range of `{}`: a grid needs a `step`", a.path));
                }
                Some(s) if !(s > 0.0 && s.is_finite()) => {
                    return Err(format!("range.step of `{}`: {s}: must be above 0", a.path));
                }
                Some(s) if (r.to - r.from) / s >= limits::VALUES as f64 => {
                    return Err(format!(
                        "range of `{}`: {} to {} by {s} is over {} values",
                        a.path,
                        r.from,
                        r.to,
                        limits::VALUES
                    ));
                }
                _ => {}
            }
        }
    }
    if let Some(d) = &a.distribution {
        if design == DesignKind::Grid {
            return Err(format!(
                "`{}` has a distribution: a grid needs `values` or a `range` with a `step`",
                a.path
            ));
        }
        let ok = match d {
            Distribution::Uniform([lo, hi]) => lo.is_finite() && hi.is_finite() && hi >= lo,
            Distribution::Normal([m, sd]) => m.is_finite() && sd.is_finite() && *sd >= 0.0,
            Distribution::Triangular([lo, mode, hi]) => {
                lo <= mode && mode <= hi && lo.is_finite() && hi.is_finite()
            }
        };
        if !ok {
            return Err(format!(
                "distribution of `{}`: {d:?}: uniform needs [low, high] with low <= high, normal [mean, sd] with sd >= 0, triangular [low, mode, high] in order",
                a.path
            ));
        }
    }
    Ok(())
}

/// The number of values of a grid axis (without building them).
pub(super) fn grid_len(a: &Axis) -> u64 {
    match (&a.values, &a.range) {
        (Some(v), _) => v.len() as u64,
        (
            None,
            Some(Range {
                from,
                to,
                step: Some(step),
            }),
        ) => range_steps(*from, *to, *step) + 1,
        _ => 1,
    }
}

/// Steps of `step` from `from` to `to` (a tolerance keeps 0.1 to 0.9 by 0.4 at 2 steps).
fn range_steps(from: f64, to: f64, step: f64) -> u64 {
    ((to - from) / step + 1e-9).floor() as u64
}

/// The values of a grid axis: its list, or its range by its step (rounded to 12 digits so
/// 0.1 + 0.2 prints as 0.3).
pub(super) fn grid_values(a: &Axis) -> Option<Vec<Value>> {
    if let Some(v) = &a.values {
        return Some(v.clone());
    }
    let r = a.range.as_ref()?;
    let step = r.step?;
    let n = range_steps(r.from, r.to, step);
    Some(
        (0..=n)
            .map(|i| {
                let x = r.from + i as f64 * step;
                let x = (x * 1e12).round() / 1e12;
                json_number(x, false)
            })
            .collect(),
    )
}

/// A JSON number for a field: whole for integer fields; otherwise a float (3.0 stays 3.0, so
/// a float field never receives an integer).
pub(super) fn json_number(x: f64, integer: bool) -> Value {
    if integer {
        Value::from(x.round() as i64)
    } else {
        json_num(x)
    }
}

/// The value at unit position `u` in [0, 1] of an axis (inverse CDF).
/// Listed values are picked uniformly (each has an equal share of [0, 1]); a Morris design's
/// grid levels map onto them as ordered levels instead (0 is the first value, 1 the last),
/// which is even when `levels` equals the number of values.
pub(super) fn value_at(a: &Axis, u: f64, integer: bool, ordered: bool) -> Value {
    let u = u.clamp(0.0, 1.0);
    if let Some(v) = &a.values {
        let i = if ordered {
            (u * (v.len() - 1) as f64).round() as usize
        } else {
            ((u * v.len() as f64) as usize).min(v.len() - 1)
        };
        return v[i].clone();
    }
    if let Some(r) = &a.range {
        return json_number(r.from + u * (r.to - r.from), integer);
    }
    let x = match a.distribution.as_ref() {
        Some(Distribution::Uniform([lo, hi])) => lo + u * (hi - lo),
        Some(Distribution::Normal([m, sd])) => m + sd * super::design::normal_quantile(u),
        Some(Distribution::Triangular([lo, mode, hi])) => {
            let f = if hi > lo {
                (mode - lo) / (hi - lo)
            } else {
                0.5
            };
            if u < f {
                lo + (u * (hi - lo) * (mode - lo)).sqrt()
            } else {
                hi - ((1.0 - u) * (hi - lo) * (hi - mode)).sqrt()
            }
        }
        None => 0.0,
    };
    json_number(x, integer)
}

/// Every combination of one value from each list, the last list varying fastest.
pub(super) fn cartesian(lists: &[Vec<Value>]) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for list in lists {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                list.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(v.clone());
                    p
                })
            })
            .collect();
    }
    out
}
