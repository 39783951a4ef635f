#!/usr/bin/env python3
"""Every CSV file orgsim writes opens in pandas and in polars, and each column reads back as
the type the README documents, with each library's default type inference.

Runs a life-cycle comparison, a March run, a sampled life-cycle sweep (with kept series, a
design and an analysis) and a March grid sweep in a temporary directory, then reads every
`.csv` they wrote with `pandas.read_csv` and `polars.read_csv` (no options) and checks:
counts and indices are integers, quantities are floats, names and labels are text, and a
sweep's axis columns are numbers. Fails (never skips) when pandas or polars is missing.

Usage: check_outputs.py PATH_TO_ORGSIM
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import pandas
    import polars
except ImportError as e:  # a missing library fails the check: it never passes by skipping
    sys.exit(f"check_outputs.py needs pandas and polars ({e}); install them with `pip install pandas polars`")

# Integer columns: indices, and every per-step column a model declares as a count (`kind`
# `count` in manifest.json's `columns`, from the declarations in src/lifecycle/observe.rs and
# src/march1991/sim.rs), added by `declared_counts` once the runs are written.
INTEGER = {"replicate", "seed", "step", "n", "point"}
# Text columns: names and labels.
TEXT = {
    "scenario", "versus", "window", "metric", "outcome", "phase", "parameter", "method", "index",
    "warning",
}
# Every other column is a float, except a sweep's axis columns (named by their JSON path, such
# as `march.p1`), which hold the values as the sweep file gives them: numbers here.

LIFECYCLE_SWEEP = {
    "name": "types-lhs",
    "base": "baseline",
    "axes": [
        {"path": "organization.growth_rate", "range": {"from": 0.6, "to": 1.2}},
        {"path": "years", "range": {"from": 3, "to": 5}},
    ],
    "design": "lhs",
    "points": 8,
    "replicates": 2,
    "seed": 3,
    "keep": {"metrics": ["headcount", "efficiency", "knowledge"], "stride": 4},
}
MARCH_SWEEP = {
    "name": "types-grid",
    "base": "classic/march1991",
    "axes": [
        {"path": "march.p1", "values": [0.1, 0.5, 0.9]},
        {"path": "march.m", "values": [10, 30]},
    ],
    "replicates": 3,
    "seed": 5,
}


def expected(column: str) -> str:
    if column in INTEGER:
        return "integer"
    if column in TEXT:
        return "text"
    if "." in column or "[" in column:
        return "number"
    return "float"


def pandas_kind(series) -> str:
    types = pandas.api.types
    if types.is_bool_dtype(series):
        return "bool"
    if types.is_integer_dtype(series):
        return "integer"
    if types.is_float_dtype(series):
        return "float"
    if types.is_string_dtype(series) or types.is_object_dtype(series):
        return "text"
    return str(series.dtype)


def polars_kind(dtype) -> str:
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "float"
    if dtype == polars.String:
        return "text"
    return str(dtype)


def check_file(path: Path) -> list[str]:
    problems = []
    readers = {
        "pandas": lambda: {c: pandas_kind(s) for c, s in pandas.read_csv(path).items()},
        "polars": lambda: {c: polars_kind(t) for c, t in polars.read_csv(path).schema.items()},
    }
    raw = polars.read_csv(path, infer_schema=False)
    if raw.height == 0:
        return [f"{path}: no rows"]
    all_null = {c for c in raw.columns if raw[c].null_count() == raw.height}
    for library, read in readers.items():
        try:
            kinds = read()
        except Exception as e:  # a failed read is the failure this check exists for
            problems.append(f"{path}: {library} cannot read it: {e}")
            continue
        for column, kind in kinds.items():
            want = expected(column)
            if column in all_null:
                # No value to infer a type from (for example collapse_year when no run
                # collapses): pandas reads NaN floats, polars text. The README says so.
                continue
            ok = kind == want or (want == "number" and kind in ("integer", "float"))
            if not ok:
                problems.append(f"{path}: column {column!r} reads as {kind} in {library}, documented as {want}")
    return problems


def declared_counts(manifest: Path) -> set[str]:
    """The per-step columns a run's manifest declares as counts (written as integers)."""
    columns = json.loads(manifest.read_text())["columns"]
    return {c["name"] for c in columns["series"] if c["kind"] == "count"}


def orgsim(binary: str, cwd: Path, *args: str) -> None:
    subprocess.run([binary, *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = str(Path(sys.argv[1]).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "lhs.json").write_text(json.dumps(LIFECYCLE_SWEEP))
        (work / "grid.json").write_text(json.dumps(MARCH_SWEEP))
        orgsim(binary, work, "run", "baseline", "dual-system", "-n", "3", "--set", "years=12", "--no-charts", "-q", "--out", "lifecycle")
        orgsim(binary, work, "run", "classic/march1991", "-n", "20", "--no-charts", "-q", "--out", "march")
        orgsim(binary, work, "sweep", "lhs.json", "-q", "--out", "lhs")
        orgsim(binary, work, "analyze", "lhs", "--format", "svg")
        orgsim(binary, work, "sweep", "grid.json", "-q", "--out", "grid")
        orgsim(binary, work, "analyze", "grid", "--format", "svg")
        for run in ("lifecycle", "march"):
            INTEGER.update(declared_counts(work / run / "manifest.json"))
        files = sorted(work.rglob("*.csv"))
        names = {f"{f.parent.name}/{f.name}" for f in files}
        must = {
            "lifecycle/timeseries.csv",
            "lifecycle/runs.csv",
            "lifecycle/bands.csv",
            "lifecycle/comparison.csv",
            "march/timeseries.csv",
            "march/runs.csv",
            "march/bands.csv",
            "lhs/runs.csv",
            "lhs/points.csv",
            "lhs/series.csv",
            "lhs/design.csv",
            "lhs/sensitivity.csv",
            "grid/runs.csv",
            "grid/points.csv",
        }
        problems = [f"{name} was not written" for name in sorted(must - names)]
        for f in files:
            problems += check_file(f)
        for p in problems:
            print(p, file=sys.stderr)
        print(f"checked {len(files)} CSV files with pandas {pandas.__version__} and polars {polars.__version__}: "
              + ("ok" if not problems else f"{len(problems)} problem(s)"))
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
