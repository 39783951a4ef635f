//! Uncertain parameters: a scenario's `uncertainty` section, its checks, and each replicate's
//! draws.
//!
//! `"uncertainty": {"management.rule_growth": {"triangular": [0.2, 0.3, 0.45]}}` makes a
//! field a distribution: its keys are paths as `--set` takes them, its values distributions
//! as sweep axes take them, plus `lognormal` and `empirical`. Replicate r draws its values
//! once, from streams keyed by its seed and each path (never by the order of the keys), so
//! replicate r of every scenario of a run draws the same value for the same path and
//! distribution, and comparisons stay paired. Empirical lists of the same length are drawn
//! together (the same position in each), so a posterior's correlations survive.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json_path::{JsonPath, Segment};
use super::{FieldError, ModelKind, Scenario, show_number};
use crate::params::{Declaration, declarations};
use crate::rng::{SimRng, stream_seed};

/// The most values an empirical distribution may list.
pub const MAX_EMPIRICAL: usize = 1_000_000;

/// Tries at drawing a value of a normal or lognormal distribution inside the field's
/// bounds before the draw is clamped to them.
const REDRAWS: usize = 100;

/// Keys the streams of uncertain draws apart from every stream the models use.
const UNCERTAINTY_STREAM: u64 = 0x756e_6365_7274_6169;
/// Keys the stream that picks the position of empirical lists.
const EMPIRICAL_STREAM: u64 = 0x656d_7069_7269_6361;

/// The distribution of one uncertain parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Distribution {
    /// Uniform on [low, high].
    Uniform([f64; 2]),
    /// Normal with [mean, sd], truncated to the field's bounds.
    Normal([f64; 2]),
    /// Triangular with [low, mode, high].
    Triangular([f64; 3]),
    /// Lognormal with [median, sd of the logarithm], truncated to the field's bounds.
    Lognormal([f64; 2]),
    /// One of these values, each equally likely (for example a calibration's posterior
    /// draws). Lists of the same length in one scenario are drawn together: replicate r takes
    /// the same position in each.
    Empirical(Vec<f64>),
}

impl Distribution {
    /// The distribution as a scenario writes it, for messages.
    pub fn text(&self) -> String {
        let list = |v: &[f64]| {
            let shown: Vec<String> = v.iter().take(5).map(|&x| show_number(x)).collect();
            let more = if v.len() > 5 { ", ..." } else { "" };
            format!("[{}{more}]", shown.join(", "))
        };
        match self {
            Distribution::Uniform(v) => format!("{{\"uniform\": {}}}", list(v)),
            Distribution::Normal(v) => format!("{{\"normal\": {}}}", list(v)),
            Distribution::Triangular(v) => format!("{{\"triangular\": {}}}", list(v)),
            Distribution::Lognormal(v) => format!("{{\"lognormal\": {}}}", list(v)),
            Distribution::Empirical(v) => format!("{{\"empirical\": {}}}", list(v)),
        }
    }

    /// What is wrong with the distribution's own numbers, if anything.
    fn problem(&self) -> Option<&'static str> {
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        match self {
            Distribution::Uniform([lo, hi]) => (!(finite(&[*lo, *hi]) && lo < hi))
                .then_some("a uniform needs [low, high] with low < high"),
            Distribution::Normal([m, sd]) => (!(finite(&[*m, *sd]) && *sd > 0.0))
                .then_some("a normal needs [mean, sd] with sd > 0"),
            Distribution::Triangular([lo, mode, hi]) => {
                (!(finite(&[*lo, *mode, *hi]) && lo <= mode && mode <= hi && lo < hi)).then_some(
                    "a triangular needs [low, mode, high] with low <= mode <= high and low < high",
                )
            }
            Distribution::Lognormal([median, s]) => {
                (!(finite(&[*median, *s]) && *median > 0.0 && *s > 0.0))
                    .then_some("a lognormal needs [median, sd of the logarithm], both above 0")
            }
            Distribution::Empirical(v) if v.is_empty() => {
                Some("an empirical distribution needs at least one value")
            }
            Distribution::Empirical(v) if v.len() > MAX_EMPIRICAL => {
                Some("an empirical distribution lists at most 1,000,000 values")
            }
            Distribution::Empirical(v) => {
                (!finite(v)).then_some("an empirical distribution lists finite numbers only")
            }
        }
    }

    /// The values whose validity stands for the whole support: its ends where it has ends,
    /// its centre where it has none (normal and lognormal draws are truncated to the bounds).
    fn support_checks(&self) -> Vec<(&'static str, f64)> {
        match self {
            Distribution::Uniform([lo, hi]) => vec![("low end", *lo), ("high end", *hi)],
            Distribution::Triangular([lo, _, hi]) => vec![("low end", *lo), ("high end", *hi)],
            Distribution::Normal([m, _]) => vec![("mean", *m)],
            Distribution::Lognormal([median, _]) => vec![("median", *median)],
            Distribution::Empirical(v) => {
                let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                vec![("smallest value", lo), ("largest value", hi)]
            }
        }
    }

    /// Whether a draw may fall outside the field's bounds (and is then redrawn).
    fn unbounded(&self) -> bool {
        matches!(self, Distribution::Normal(_) | Distribution::Lognormal(_))
    }

    /// The distribution's median (what a run without draws could use).
    pub fn median(&self) -> f64 {
        match self {
            Distribution::Uniform([lo, hi]) => 0.5 * (lo + hi),
            Distribution::Normal([m, _]) => *m,
            Distribution::Lognormal([median, _]) => *median,
            Distribution::Triangular([lo, mode, hi]) => {
                // The median of a triangular distribution, on the side of the mode it lies.
                let half = 0.5 * (hi - lo);
                if mode - lo >= half {
                    lo + ((hi - lo) * (mode - lo) * 0.5).sqrt()
                } else {
                    hi - ((hi - lo) * (hi - mode) * 0.5).sqrt()
                }
            }
            Distribution::Empirical(v) => {
                let mut s = v.clone();
                s.sort_by(f64::total_cmp);
                let n = s.len();
                if n % 2 == 1 {
                    s[n / 2]
                } else {
                    0.5 * (s[n / 2 - 1] + s[n / 2])
                }
            }
        }
    }
}

/// Top-level fields that cannot be uncertain, and why.
const FIXED: [(&str, &str); 9] = [
    (
        "seed",
        "the seed is fixed: every replicate's seed derives from it",
    ),
    ("replicates", "the number of replicates is fixed"),
    ("years", "every replicate of a scenario runs the same years"),
    ("model", "the model is not a number"),
    ("name", "the name is not a number"),
    ("title", "the title is not a number"),
    ("description", "the description is not a number"),
    ("notes", "notes are not read by the model"),
    ("uncertainty", "uncertainty cannot be uncertain"),
];

/// The JSON path of an uncertainty entry, for messages.
fn entry_path(key: &str) -> String {
    format!("uncertainty[{key:?}]")
}

/// Every declared field, built once: building them formats each field's path and serializes
/// its default (about half a million instructions), which every lookup paid, twice per
/// uncertain path and replicate.
static DECLARATIONS: LazyLock<Vec<Declaration>> = LazyLock::new(declarations);

/// The declaration of the field at `path` of `doc`, if it is declared: a section's field by
/// its path, an intervention's by its kind (`interventions[kind=K].field`) or as a field
/// every intervention shares (`interventions[].field`).
pub fn declaration_at(doc: &Value, path: &JsonPath) -> Option<&'static Declaration> {
    let all = &*DECLARATIONS;
    let text = path.to_string();
    if let Some(d) = all.iter().find(|d| d.path == text) {
        return Some(d);
    }
    if let [Segment::Key(first), Segment::Index(i), rest @ ..] = path.0.as_slice()
        && first == "interventions"
    {
        let kind = doc["interventions"][*i]["kind"].as_str()?;
        let rest = JsonPath(rest.to_vec()).to_string();
        let wanted = [
            format!("interventions[kind={kind}].{rest}"),
            format!("interventions[].{rest}"),
        ];
        return wanted
            .iter()
            .find_map(|w| all.iter().find(|d| &d.path == w));
    }
    None
}

/// The value at `path` of `doc`, if it exists.
fn value_at<'a>(doc: &'a Value, path: &JsonPath) -> Option<&'a Value> {
    path.0.iter().try_fold(doc, |here, segment| match segment {
        Segment::Key(k) => here.get(k.as_str()),
        Segment::Index(i) => here.get(*i),
    })
}

/// The declared path nearest to `wrong`, if near enough to be a typo.
fn nearest_declared(wrong: &str) -> Option<String> {
    declarations()
        .into_iter()
        .filter(|d| d.min.is_some() && !d.path.contains('['))
        .map(|d| (super::load::edit_distance(wrong, &d.path), d.path))
        .filter(|(dist, p)| *dist <= 3.max(p.len() / 4))
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, p)| p)
}

/// Checks the `uncertainty` section: each key a path to a number of this scenario that can
/// vary, each distribution well formed and, where it has ends, inside the field's bounds.
pub fn validate(scenario: &Scenario) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if scenario.uncertainty.is_empty() {
        return errors;
    }
    let mut plain = scenario.clone();
    plain.uncertainty.clear();
    let doc = serde_json::to_value(&plain).expect("a scenario always serializes");
    for (key, dist) in &scenario.uncertainty {
        let at = entry_path(key);
        let path = match JsonPath::parse(key) {
            Ok(p) => p,
            Err(message) => {
                errors.push(FieldError::new(
                    at,
                    format!("{key:?}"),
                    format!("must be a path as --set takes it (for example \"management.rule_growth\"): {message}"),
                ));
                continue;
            }
        };
        let Some(Segment::Key(first)) = path.0.first() else {
            continue;
        };
        if let Some((_, why)) = FIXED.iter().find(|(k, _)| k == first) {
            errors.push(FieldError::new(
                at,
                dist.text(),
                format!("cannot be uncertain: {why}"),
            ));
            continue;
        }
        let model = scenario.model;
        if !model.sections().contains(&first.as_str()) {
            errors.push(FieldError::new(
                at,
                dist.text(),
                unknown_path_message(key, model),
            ));
            continue;
        }
        match value_at(&doc, &path) {
            Some(v) if v.is_number() => {}
            Some(v) => {
                errors.push(FieldError::new(
                    at,
                    dist.text(),
                    format!(
                        "{key} is {}, not a number; only numbers can be uncertain",
                        if v.is_null() {
                            "not set".into()
                        } else {
                            kind_of(v)
                        }
                    ),
                ));
                continue;
            }
            None => {
                errors.push(FieldError::new(
                    at,
                    dist.text(),
                    unknown_path_message(key, model),
                ));
                continue;
            }
        }
        if let Some(problem) = dist.problem() {
            errors.push(FieldError::new(at, dist.text(), problem));
            continue;
        }
        for (what, v) in dist.support_checks() {
            if let Some(inner) = check_value(&plain, &path, v) {
                errors.push(FieldError::new(
                    at.clone(),
                    dist.text(),
                    format!("its {what} {}: {}", show_number(v), inner),
                ));
                break;
            }
        }
    }
    errors
}

fn kind_of(v: &Value) -> String {
    match v {
        Value::Bool(_) => "a true/false value".into(),
        Value::String(s) => format!("the text {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        _ => "a value".into(),
    }
}

fn unknown_path_message(key: &str, model: ModelKind) -> String {
    let hint = nearest_declared(key)
        .map(|p| format!("; did you mean `{p}`?"))
        .unwrap_or_default();
    format!(
        "must be the path of a number this {} scenario holds (see `orgsim params`), such as \
         \"management.rule_growth\" or \"interventions[0].start_year\"{hint}",
        model.name()
    )
}

/// Why `scenario` with `value` at `path` is invalid, if it is (the field's own check).
fn check_value(scenario: &Scenario, path: &JsonPath, value: f64) -> Option<String> {
    let changed = match with_values(scenario, &[(path.clone(), value)]) {
        Ok(s) => s,
        Err(message) => return Some(message),
    };
    let text = path.to_string();
    let errors = changed.validate();
    errors
        .iter()
        .find(|e| e.path == text)
        .or(errors.first())
        .map(|e| e.allowed.clone())
}

/// `scenario` with each `(path, value)` set, whole numbers where the field holds them.
fn with_values(scenario: &Scenario, values: &[(JsonPath, f64)]) -> Result<Scenario, String> {
    let mut doc = serde_json::to_value(scenario).expect("a scenario always serializes");
    for (path, v) in values {
        let integer = value_at(&doc, path).is_some_and(|x| x.is_u64() || x.is_i64())
            || declaration_at(&doc, path).is_some_and(|d| d.integer);
        let json = if integer && v.round() >= 0.0 {
            Value::from(v.round() as u64)
        } else {
            Value::from(*v)
        };
        path.set(&mut doc, json)?;
    }
    serde_json::from_value(doc).map_err(|e| e.to_string())
}

/// One replicate's draws for a scenario: its uncertain paths and the values drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Draws {
    /// `(path, value)` in the order of the `uncertainty` section's keys (sorted).
    pub values: Vec<(String, f64)>,
    /// The scenario with the values set and no `uncertainty` left.
    pub scenario: Scenario,
}

/// A hash of a path, to key its stream (FNV-1a: fixed, so streams never depend on a
/// dependency's hasher).
fn path_key(path: &str) -> u64 {
    path.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The bounds of the field at `path`, from its declaration.
fn bounds(doc: &Value, path: &JsonPath) -> (f64, f64) {
    declaration_at(doc, path)
        .map(|d| {
            (
                d.min.unwrap_or(f64::NEG_INFINITY),
                d.max.unwrap_or(f64::INFINITY),
            )
        })
        .unwrap_or((f64::NEG_INFINITY, f64::INFINITY))
}

/// Draws replicate `seed`'s values of every uncertain parameter of `scenario` (which has
/// passed [`validate`]) and returns the scenario with them set; `None` when it has no
/// uncertainty. The draws depend only on `seed`, each path and its distribution.
pub fn draw(scenario: &Scenario, seed: u64) -> Option<Draws> {
    if scenario.uncertainty.is_empty() {
        return None;
    }
    let mut plain = scenario.clone();
    plain.uncertainty.clear();
    let doc = serde_json::to_value(&plain).expect("a scenario always serializes");
    let mut values = Vec::with_capacity(scenario.uncertainty.len());
    let mut parsed = Vec::with_capacity(scenario.uncertainty.len());
    for (key, dist) in &scenario.uncertainty {
        let path = JsonPath::parse(key).expect("validated uncertainty paths parse");
        let v = draw_one(dist, seed, key, bounds(&doc, &path));
        values.push((key.clone(), v));
        parsed.push((path, v));
    }
    let drawn = with_values(&plain, &parsed).expect("validated uncertainty paths can be set");
    // Rounding an integer field (or a bound a normal was clamped to) keeps each value valid;
    // what the file records is what the model runs with.
    let recorded = serde_json::to_value(&drawn).expect("a scenario always serializes");
    for ((_, v), (path, _)) in values.iter_mut().zip(&parsed) {
        if let Some(x) = value_at(&recorded, path).and_then(Value::as_f64) {
            *v = x;
        }
    }
    Some(Draws {
        values,
        scenario: drawn,
    })
}

/// One value of `dist` for replicate `seed` and path `key`, inside `(lo, hi)`.
fn draw_one(dist: &Distribution, seed: u64, key: &str, (lo, hi): (f64, f64)) -> f64 {
    use rand_distr::{Normal, Triangular, Uniform};
    if let Distribution::Empirical(v) = dist {
        // Keyed by the list's length, not its path: lists of one length share the position.
        let mut rng = SimRng::from_seed(stream_seed(seed, &[EMPIRICAL_STREAM, v.len() as u64]));
        let u = Uniform::new(0.0, v.len() as f64).expect("a non-empty list");
        let i = (rng.sample(&u) as usize).min(v.len() - 1);
        return v[i];
    }
    let mut rng = SimRng::from_seed(stream_seed(seed, &[UNCERTAINTY_STREAM, path_key(key)]));
    let once = |rng: &mut SimRng| match dist {
        Distribution::Uniform([a, b]) => {
            rng.sample(&Uniform::new_inclusive(*a, *b).expect("validated"))
        }
        Distribution::Normal([m, sd]) => rng.sample(&Normal::new(*m, *sd).expect("validated")),
        Distribution::Triangular([a, mode, b]) => {
            rng.sample(&Triangular::new(*a, *b, *mode).expect("validated"))
        }
        // exp from libm, as everywhere in the model, of a normal draw from rand_distr.
        Distribution::Lognormal([median, s]) => {
            libm::exp(libm::log(*median) + rng.sample(&Normal::new(0.0, *s).expect("validated")))
        }
        Distribution::Empirical(_) => unreachable!("drawn above"),
    };
    let mut v = once(&mut rng);
    if dist.unbounded() {
        for _ in 0..REDRAWS {
            if (lo..=hi).contains(&v) {
                break;
            }
            v = once(&mut rng);
        }
    }
    v.clamp(lo, hi)
}

/// The uncertain paths of a run's scenarios, sorted: the columns `runs.csv` adds.
pub fn uncertain_paths(scenarios: &[Scenario]) -> Vec<String> {
    let all: std::collections::BTreeSet<&String> = scenarios
        .iter()
        .flat_map(|s| s.uncertainty.keys())
        .collect();
    all.into_iter().cloned().collect()
}

/// Each of `paths`' values in `scenario` (as drawn, or fixed where it draws none), for
/// `runs.csv`; `None` where the scenario has no number there.
pub fn values_at(scenario: &Scenario, paths: &[String]) -> Vec<Option<f64>> {
    if paths.is_empty() {
        return Vec::new();
    }
    let doc = serde_json::to_value(scenario).expect("a scenario always serializes");
    paths
        .iter()
        .map(|p| {
            JsonPath::parse(p)
                .ok()
                .and_then(|path| value_at(&doc, &path).and_then(Value::as_f64))
        })
        .collect()
}

/// The `uncertainty` section's type, for the scenario struct.
pub type Uncertainty = BTreeMap<String, Distribution>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    fn with(uncertainty: &str) -> Scenario {
        let mut s = load("baseline", &[]).unwrap().scenario;
        s.uncertainty = serde_json::from_str(uncertainty).unwrap();
        s
    }

    #[test]
    fn draws_depend_on_seed_and_path_not_on_key_order() {
        let a = with(
            r#"{"management.rule_growth": {"triangular": [0.2, 0.3, 0.45]}, "leadership.spot_rate": {"normal": [0.2, 0.05]}}"#,
        );
        let b = with(r#"{"leadership.spot_rate": {"normal": [0.2, 0.05]}}"#);
        assert!(validate(&a).is_empty(), "{:?}", validate(&a));
        let da = draw(&a, 7).unwrap();
        let db = draw(&b, 7).unwrap();
        let spot = |d: &Draws| {
            d.values
                .iter()
                .find(|(k, _)| k == "leadership.spot_rate")
                .unwrap()
                .1
        };
        assert_eq!(spot(&da), spot(&db));
        assert_ne!(spot(&da), spot(&draw(&b, 8).unwrap()));
        assert_eq!(da.scenario.leadership.spot_rate, spot(&da));
        assert!(da.scenario.uncertainty.is_empty());
    }

    #[test]
    fn empirical_lists_of_one_length_are_drawn_together() {
        let s = with(
            r#"{"management.rule_growth": {"empirical": [0.1, 0.2, 0.3, 0.4]}, "leadership.spot_rate": {"empirical": [0.11, 0.21, 0.31, 0.41]}}"#,
        );
        for seed in 0..50 {
            let d = draw(&s, seed).unwrap();
            let (g, r) = (d.values[1].1, d.values[0].1);
            assert!((r - (g + 0.01)).abs() < 1e-12, "{g} {r}");
        }
    }

    #[test]
    fn bad_entries_name_path_value_and_what_is_allowed() {
        let s = with(r#"{"management.rule_grwth": {"uniform": [0.1, 0.2]}}"#);
        let e = validate(&s);
        assert!(
            e[0].allowed
                .contains("did you mean `management.rule_growth`"),
            "{e:?}"
        );
        let s = with(r#"{"people.quit_rate_engaged": {"uniform": [0.1, 1.2]}}"#);
        let e = validate(&s);
        assert_eq!(e[0].path, "uncertainty[\"people.quit_rate_engaged\"]");
        assert!(
            e[0].allowed.contains("high end 1.2") && e[0].allowed.contains("probability"),
            "{e:?}"
        );
        let s = with(r#"{"years": {"uniform": [10, 12]}}"#);
        assert!(validate(&s)[0].allowed.contains("cannot be uncertain"));
        let s = with(r#"{"management.rule_growth": {"normal": [0.3, 0]}}"#);
        assert!(validate(&s)[0].allowed.contains("sd > 0"));
    }

    #[test]
    fn unbounded_draws_stay_inside_the_bounds_and_integers_stay_whole() {
        let s = with(
            r#"{"people.quit_rate_engaged": {"normal": [0.02, 0.5]}, "organization.founders": {"uniform": [10, 20]}}"#,
        );
        assert!(validate(&s).is_empty());
        for seed in 0..200 {
            let d = draw(&s, seed).unwrap();
            let q = d.scenario.people.quit_rate_engaged;
            assert!((0.0..=1.0).contains(&q));
            assert!(d.scenario.validate().is_empty());
            assert_eq!(d.values[0].1, f64::from(d.scenario.organization.founders));
        }
    }
}
