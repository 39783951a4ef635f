//! What a consultant can observe of a firm: any per-step output column averaged over the 52
//! weeks before a year, and the derived observables they actually have (attrition, growth,
//! manager share, the engaged share of a survey).

use crate::model::{Column, Kind};

/// Engagement at or above which an employee counts as engaged in `engaged_share`.
///
/// Survey firms sort employees into engaged, not engaged and actively disengaged (Gallup: 23%
/// engaged worldwide in 2023, 31% in the US in 2024); engagement in the model runs from 0 to
/// 1 around `people.baseline_engagement`. An employee at or above 0.6, above the middle of
/// the scale by a clear margin, counts as engaged, so the share is comparable to a survey's
/// "engaged" figure.
pub const ENGAGED_THRESHOLD: f32 = 0.6;

/// The derived observables, with what each is.
pub const DERIVED: [(&str, &str); 4] = [
    (
        "attrition",
        "exits in the 52 weeks before the year over the mean headcount in them (a yearly \
         attrition rate, as HR reports it)",
    ),
    (
        "growth",
        "headcount at the year over headcount a year earlier, minus 1 (yearly growth, as a \
         consultant means it)",
    ),
    (
        "manager_share",
        "managers over headcount, averaged over the 52 weeks before the year",
    ),
    (
        "engaged_share",
        "share of employees with engagement at or above 0.6, averaged over the 52 weeks \
         before the year (comparable to a survey's \"engaged\")",
    ),
];

/// One metric, resolved against the model's columns.
#[derive(Clone, Debug, PartialEq)]
pub enum Metric {
    /// A per-step column (its index among the series and its name), averaged over 52 weeks.
    Column(usize, &'static str),
    /// Exits over mean headcount in the 52 weeks before the year.
    Attrition,
    /// Headcount growth over the year before.
    Growth,
    /// Managers over headcount.
    ManagerShare,
    /// Share of employees at or above [`ENGAGED_THRESHOLD`].
    EngagedShare,
}

/// The life-cycle model's per-step columns.
pub fn series() -> Vec<Column> {
    crate::model::columns(crate::lifecycle::observe::SERIES)
}

impl Metric {
    /// The metric named `name`; else what is allowed, with the nearest name.
    pub fn parse(name: &str) -> Result<Metric, String> {
        let cols = series();
        match name {
            "attrition" => return Ok(Metric::Attrition),
            "growth" => return Ok(Metric::Growth),
            "manager_share" => return Ok(Metric::ManagerShare),
            "engaged_share" => return Ok(Metric::EngagedShare),
            _ => {}
        }
        if let Some(i) = cols.iter().position(|c| c.name == name) {
            if matches!(cols[i].kind, Kind::Label { .. }) {
                return Err(format!(
                    "`{name}` is a label, which cannot be averaged; observe a number"
                ));
            }
            return Ok(Metric::Column(i, cols[i].name));
        }
        let names: Vec<&str> = cols
            .iter()
            .filter(|c| !matches!(c.kind, Kind::Label { .. }))
            .map(|c| c.name)
            .chain(DERIVED.iter().map(|(n, _)| *n))
            .collect();
        let hint = names
            .iter()
            .map(|n| (crate::scenario::edit_distance(name, n), n))
            .filter(|(d, n)| *d <= 2.max(n.len() / 3))
            .min_by_key(|(d, _)| *d)
            .map(|(_, n)| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        Err(format!(
            "is not a metric; {hint}metrics are the per-step outputs {} and the derived {}",
            names[..names.len() - DERIVED.len()].join(", "),
            DERIVED.map(|(n, _)| n).join(", ")
        ))
    }

    /// The metric's name.
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Column(_, n) => n,
            Metric::Attrition => "attrition",
            Metric::Growth => "growth",
            Metric::ManagerShare => "manager_share",
            Metric::EngagedShare => "engaged_share",
        }
    }
}
