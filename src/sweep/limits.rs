//! Hard limits on what a sweep file can ask for, whatever `--max-runs` says: each point is
//! held in memory (its values and its scenario), so the points are bounded by memory, not
//! only by time. Every limit is far above any sweep in the documentation.

use super::spec::SweepFile;

/// Longest sweep name (it names a folder).
pub const NAME_CHARS: usize = 100;
/// Longest axis path.
pub const PATH_CHARS: usize = 200;
/// Largest sweep file read (bytes).
pub const FILE_BYTES: u64 = 16 << 20;
/// Most axes.
pub const AXES: usize = 100;
/// Most values of one axis (listed, or a grid range by its step).
pub const VALUES: u64 = 1_000_000;
/// Most points of a design (after expansion: N x (axes + 2) for Sobol). A point takes
/// about 1.2 kB (March) to 1.7 kB (life cycle) of memory while the sweep runs.
pub const POINTS: u64 = 1_000_000;
/// Most replicates per point (as for a scenario).
pub const REPLICATES: u64 = 10_000_000;
/// Most Morris grid levels.
pub const LEVELS: u32 = 1_000;
/// Largest `keep.stride`.
pub const STRIDE: u64 = 1_000_000;
/// Most shards (`--tasks`): above Slurm's largest array (4,000,001 is its hard limit, but
/// sites allow 1,001 by default) and Kubernetes' indexed jobs (100,000 completions).
pub const TASKS: u64 = 1_000_000;

/// Top-level scenario fields a sweep axis may not vary, and why.
const NOT_AXES: &[(&str, &str)] = &[
    (
        "seed",
        "the seed of every run comes from the sweep's own `seed` (and `seeds`); set `seed` in the sweep file, not as an axis",
    ),
    (
        "replicates",
        "the runs per point come from the sweep's own `replicates`; set `replicates` in the sweep file, not as an axis",
    ),
    (
        "model",
        "every point of a sweep runs the base scenario's model; sweep each model in its own sweep file",
    ),
    (
        "extends",
        "`extends` is resolved when the base scenario is read; write one base scenario per variant",
    ),
    (
        "name",
        "a point's scenario name is not a parameter (the sweep's own `name` names its folder)",
    ),
    ("description", "a description is not a parameter"),
    ("notes", "notes are not a parameter"),
];

/// Checks the sweep's name and the sizes its file asks for (before anything is built), so a
/// typo or a hostile file cannot exhaust memory or write outside `results/sweeps`; returns
/// the JSON path and the message.
pub(super) fn check_limits(file: &SweepFile, name: &str) -> Result<(), (String, String)> {
    let at = |path: &str, message: String| Err((path.to_string(), message));
    if !crate::scenario::valid_name(name) || name.chars().count() > NAME_CHARS {
        let shown: String = name.chars().take(NAME_CHARS + 20).collect();
        let more = if name.chars().count() > NAME_CHARS + 20 {
            format!("... ({} characters)", name.chars().count())
        } else {
            String::new()
        };
        return at(
            if file.name.is_some() {
                "name"
            } else {
                "name (from the file name)"
            },
            format!(
                "{shown:?}{more}: must use only letters, digits, '-', '_', '.' and '/', with no part empty or starting with '.', and at most {} characters (it names the sweep's folder under results/sweeps)",
                NAME_CHARS
            ),
        );
    }
    if file.axes.is_empty() {
        return at("axes", "empty: a sweep needs at least one axis".into());
    }
    if file.axes.len() > AXES {
        return at(
            "axes",
            format!("{} axes: a sweep has at most {}", file.axes.len(), AXES),
        );
    }
    if !(1..=REPLICATES).contains(&file.replicates) {
        return at(
            "replicates",
            format!("{}: must be from 1 to {}", file.replicates, REPLICATES),
        );
    }
    if !(1..=STRIDE).contains(&file.keep.stride) {
        return at(
            "keep.stride",
            format!(
                "{}: must be from 1 to {} (1 keeps every step)",
                file.keep.stride, STRIDE
            ),
        );
    }
    if let Some(l) = file.levels
        && l > LEVELS
    {
        return at(
            "levels",
            format!(
                "{l}: a Morris design has at most {} levels (4 is usual)",
                LEVELS
            ),
        );
    }
    if let Some(p) = file.points
        && p > POINTS
    {
        return at(
            "points",
            format!(
                "{p}: must be at most {} (each point is held in memory)",
                POINTS
            ),
        );
    }
    for (i, a) in file.axes.iter().enumerate() {
        if a.path.chars().count() > PATH_CHARS {
            return at(
                &format!("axes[{i}].path"),
                format!(
                    "{} characters: a path has at most {}",
                    a.path.chars().count(),
                    PATH_CHARS
                ),
            );
        }
        let first = a.path.split(['.', '[']).next().unwrap_or_default();
        if let Some((field, why)) = NOT_AXES.iter().find(|(f, _)| *f == first) {
            return at(
                &format!("axes[{i}].path"),
                format!("`{}`: `{field}` cannot be an axis: {why}", a.path),
            );
        }
        let n = a.values.as_ref().map_or(0, Vec::len) as u64;
        if n > VALUES {
            return at(
                &format!("axes[{i}].values"),
                format!("{n} values: an axis has at most {}", VALUES),
            );
        }
    }
    Ok(())
}
