//! What the charts say about a column (title, unit, axis label, whether it is a share, the
//! labels of a categorical one), read from the `columns` section of `manifest.json`
//! ([`crate::output::ColumnsSection`], read by the manifest's module), where each model
//! declares its columns once ([`crate::model::Column`]).

use crate::output::{ColumnsSection, DeclaredColumn};

/// One declared column, as read back from `manifest.json`.
pub type ColumnInfo = DeclaredColumn;

/// The declared columns of one results directory (per-step columns and outcomes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Columns(pub Vec<ColumnInfo>);

impl Columns {
    /// The `columns` section of a run's or a sweep's `manifest.json`. Results written before
    /// orgsim declared its columns there have none: they get the declarations of the models
    /// compiled into this binary, so old directories still plot with their titles.
    pub fn from_manifest(section: Option<&ColumnsSection>) -> Columns {
        match section {
            Some(s) => Columns(s.series.iter().chain(&s.outcomes).cloned().collect()),
            None => Columns::compiled(),
        }
    }

    /// The declarations of every model in this binary.
    pub fn compiled() -> Columns {
        use crate::lifecycle::observe;
        use crate::march1991::sim;
        let lifecycle = observe::SERIES
            .iter()
            .map(|r| &r.column)
            .chain(observe::OUTCOMES.iter().map(|r| &r.column));
        let march = sim::SERIES
            .iter()
            .map(|r| &r.column)
            .chain(sim::OUTCOMES.iter().map(|r| &r.column));
        Columns(lifecycle.chain(march).map(ColumnInfo::from).collect())
    }

    /// The column named `name`.
    pub fn get(&self, name: &str) -> Option<&ColumnInfo> {
        self.0.iter().find(|c| c.name == name)
    }

    /// The labels of the categorical column `name` (empty if not declared).
    pub fn label_names(&self, name: &str) -> Vec<&str> {
        self.get(name)
            .map(|c| c.labels.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The labels of the categorical column `name` and their titles (empty if not declared).
    pub fn labels(&self, name: &str) -> (Vec<String>, Vec<String>) {
        self.get(name)
            .map(|c| (c.labels.clone(), c.label_titles.clone()))
            .unwrap_or_default()
    }
}

/// A column's title (a readable form of its name if undeclared).
pub fn column_title(columns: &Columns, name: &str) -> String {
    columns
        .get(name)
        .map_or_else(|| readable(name), |c| c.title.clone())
}

/// A column's value-axis label, the quantity with its unit.
pub fn column_axis(columns: &Columns, name: &str) -> String {
    columns
        .get(name)
        .map_or_else(|| readable(name), |c| c.axis.clone())
}

/// A column's short unit (empty if undeclared).
pub fn column_unit(columns: &Columns, name: &str) -> String {
    columns
        .get(name)
        .map(|c| c.unit.clone())
        .unwrap_or_default()
}

/// Whether a column is a share (drawn as a percentage).
pub fn is_share(columns: &Columns, name: &str) -> bool {
    columns.get(name).is_some_and(|c| c.kind == "share")
}

/// A column's title with its unit in parentheses, where it has one.
pub fn column_label(columns: &Columns, name: &str) -> String {
    match columns.get(name) {
        Some(c) if !c.unit.is_empty() => format!("{} ({})", c.title, c.unit),
        _ => column_title(columns, name),
    }
}

/// A column's title in running text: its first letter in lower case.
pub fn outcome_title(columns: &Columns, name: &str) -> String {
    match columns.get(name) {
        Some(c) => {
            let mut ch = c.title.chars();
            ch.next()
                .map(|f| f.to_lowercase().collect::<String>() + ch.as_str())
                .unwrap_or_default()
        }
        None => name.replace('_', " "),
    }
}

/// The name with spaces for underscores and a capital first letter.
pub fn readable(name: &str) -> String {
    let s = name.replace('_', " ");
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Simulate;

    #[test]
    fn the_manifest_section_reads_back_as_declared() {
        let model = crate::march1991::MarchModel::new(Default::default());
        let section = ColumnsSection::from(&model.outputs());
        let columns = Columns::from_manifest(Some(&section));
        assert_eq!(
            columns.get("equilibrium_knowledge"),
            Columns::compiled().get("equilibrium_knowledge")
        );
        assert_eq!(
            column_label(&columns, "equilibrium_knowledge"),
            "Equilibrium knowledge (\u{2212}1 to 1)"
        );
        assert_eq!(outcome_title(&columns, "periods"), "periods to equilibrium");
        // Only what the manifest declares: another model's columns read as their names.
        assert_eq!(column_title(&columns, "headcount"), "Headcount");
        assert!(columns.get("headcount").is_none());
    }

    #[test]
    fn a_manifest_without_the_section_gets_the_compiled_declarations() {
        let columns = Columns::from_manifest(None);
        assert!(is_share(&columns, "leadership_share"));
        let (labels, titles) = columns.labels("phase");
        assert_eq!(labels[2], "dual");
        assert_eq!(titles[2], "Both systems");
    }
}
