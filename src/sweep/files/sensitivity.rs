//! `sensitivity.csv` of `orgsim analyze` (sampled designs): one row per outcome, parameter
//! and index, `outcome,parameter,method,index,estimate,ci_low,ci_high,warning`; the warning
//! codes of a row are joined by `;` (empty when none).

use std::path::Path;

use crate::output::{CsvRows, FileError, fmt_opt};
use crate::sweep::warning;

/// The header (without its newline).
pub const HEADER: &str = "outcome,parameter,method,index,estimate,ci_low,ci_high,warning";

/// One row: an estimate of one index of one parameter on one outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct SensitivityRow {
    /// The outcome.
    pub outcome: String,
    /// The parameter (an axis's path), or `(all)` for a whole-regression figure.
    pub parameter: String,
    /// The method: `sobol`, `morris` or `regression`.
    pub method: String,
    /// The index: `S1`, `ST`, `mu_star`, `mu`, `sigma`, `src` or `r2`.
    pub index: String,
    /// The estimate (`None` where not finite).
    pub estimate: Option<f64>,
    /// The low end of its 95% interval, where estimated.
    pub ci_low: Option<f64>,
    /// The high end of its 95% interval, where estimated.
    pub ci_high: Option<f64>,
    /// The warning codes ([`warning`]), in order.
    pub warnings: Vec<String>,
}

impl SensitivityRow {
    /// The row as written (with its newline).
    pub fn line(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{}\n",
            self.outcome,
            self.parameter,
            self.method,
            self.index,
            fmt_opt(self.estimate),
            fmt_opt(self.ci_low),
            fmt_opt(self.ci_high),
            self.warnings.join(";")
        )
    }
}

/// The whole file's text.
pub fn text(rows: &[SensitivityRow]) -> String {
    let mut text = format!("{HEADER}\n");
    for r in rows {
        text.push_str(&r.line());
    }
    text
}

/// Reads the `sensitivity.csv` at `path` strictly: a number that is not one, or a warning
/// code orgsim does not write, stops it with the line.
pub fn read(path: &Path) -> Result<Vec<SensitivityRow>, FileError> {
    let mut rows = CsvRows::open(path, HEADER)?;
    let mut out = Vec::new();
    while rows.next_row()? {
        let codes = rows.text(7);
        let warnings: Vec<String> = if codes.is_empty() {
            Vec::new()
        } else {
            codes.split(';').map(str::to_string).collect()
        };
        if let Some(bad) = warnings
            .iter()
            .find(|w| !warning::ALL.contains(&w.as_str()))
        {
            return Err(rows.error(format!(
                "warning `{bad}` is not one of {}",
                warning::ALL.join(", ")
            )));
        }
        out.push(SensitivityRow {
            outcome: rows.text(0).to_string(),
            parameter: rows.text(1).to_string(),
            method: rows.text(2).to_string(),
            index: rows.text(3).to_string(),
            estimate: rows.real(4)?,
            ci_low: rows.real(5)?,
            ci_high: rows.real(6)?,
            warnings,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_as_written() {
        let row =
            |index: &str, estimate, ci: Option<(f64, f64)>, warnings: &[&str]| SensitivityRow {
                outcome: "capacity_auc".into(),
                parameter: "management.rule_growth".into(),
                method: "sobol".into(),
                index: index.into(),
                estimate,
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
                warnings: warnings.iter().map(|w| w.to_string()).collect(),
            };
        let rows = vec![
            row("S1", Some(0.25), Some((-0.1, 0.5)), &[]),
            row(
                "ST",
                Some(3.5e-5),
                Some((0.0, 2.0)),
                &[warning::SMALL_N, warning::WIDE_INTERVAL],
            ),
            row("mu", None, None, &[warning::MOSTLY_ZERO]),
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sensitivity.csv");
        let written = text(&rows);
        assert!(written.contains("\ncapacity_auc,management.rule_growth,sobol,ST,3.5e-5,0.0,2.0,small_n;wide_interval\n"), "{written}");
        std::fs::write(&path, &written).unwrap();
        assert_eq!(read(&path).unwrap(), rows);
        // A code orgsim does not write, or a number that is not one, names the line.
        std::fs::write(&path, written.replace("small_n;", "smal_n;")).unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("line 3: warning `smal_n` is not one of"), "{e}");
        std::fs::write(&path, written.replace(",0.25,", ",0.2x5,")).unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(
            e.contains("line 2: estimate `0.2x5` is not a number"),
            "{e}"
        );
    }
}
