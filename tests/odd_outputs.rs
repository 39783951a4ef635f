//! docs/ODD.md's output tables (sections 7.1.6 and 7.2.10) are the models' column
//! declarations: each region `<!-- generated: NAME -->` holds exactly the table the
//! declarations produce, so a column added, renamed or redefined in the code cannot leave the
//! ODD behind. `scripts/docs-figures --only NAME` rewrites a region from a run's manifest.

use orgsim::lifecycle::observe;
use orgsim::march1991::sim;
use orgsim::model::{columns, markdown_table};

/// The body of the generated region `name` of docs/ODD.md.
fn region(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ODD.md");
    let text = std::fs::read_to_string(path).expect("docs/ODD.md");
    let start = format!("<!-- generated: {name} -->\n");
    let from = text
        .find(&start)
        .unwrap_or_else(|| panic!("docs/ODD.md has no region {name}"))
        + start.len();
    let to = from
        + text[from..]
            .find("<!-- end generated -->")
            .expect("the region ends");
    text[from..to].to_string()
}

#[test]
fn the_odd_output_tables_are_the_declarations() {
    for (name, table) in [
        (
            "outputs-lifecycle",
            markdown_table(&columns(observe::SERIES)),
        ),
        (
            "outcomes-lifecycle",
            markdown_table(&columns(observe::OUTCOMES)),
        ),
        ("outputs-march", markdown_table(&columns(sim::SERIES))),
        ("outcomes-march", markdown_table(&columns(sim::OUTCOMES))),
    ] {
        assert_eq!(
            region(name),
            table,
            "docs/ODD.md's region {name} differs from the declarations: run \
             `scripts/docs-figures --only {name}`"
        );
    }
}

#[test]
fn every_column_is_declared_completely() {
    let all = columns(observe::SERIES)
        .into_iter()
        .chain(columns(observe::OUTCOMES))
        .chain(columns(sim::SERIES))
        .chain(columns(sim::OUTCOMES));
    for c in all {
        assert!(!c.title.is_empty(), "{} has no title", c.name);
        assert!(!c.axis.is_empty(), "{} has no axis label", c.name);
        assert!(!c.description.is_empty(), "{} has no definition", c.name);
        if let (Some(lo), Some(hi)) = c.range {
            assert!(lo < hi, "{}: range {lo} to {hi}", c.name);
        }
    }
}

/// The columns a model names elsewhere (the comparison table's headline outcomes, the
/// summary's trajectory) are declared columns: a misspelt name would silently drop out.
#[test]
fn named_columns_are_declared() {
    for spec in ["baseline", "classic/march1991"] {
        let outputs = orgsim::scenario::load(spec, &[])
            .unwrap()
            .scenario
            .build_model()
            .outputs();
        let (series, outcomes) = (outputs.series_names(), outputs.outcome_names());
        for h in outputs.headline {
            assert!(
                outcomes.contains(h),
                "{spec}: headline {h} is not an outcome"
            );
        }
        for t in outputs.trajectory {
            assert!(series.contains(t), "{spec}: trajectory {t} is not a column");
        }
    }
}

/// Every value a run reports lies in its column's declared range (whole numbers for counts,
/// a label index for labels).
#[test]
fn reported_values_lie_in_the_declared_ranges() {
    use orgsim::model::{Kind, Simulate};
    let lifecycle = crate::util::runs("dual-system", &["years=6"], 2, 5);
    let march = orgsim::march1991::MarchModel::new(Default::default()).simulate(3);
    assert_eq!(lifecycle.len(), 2);
    assert!(lifecycle[0].series.rows() > 300, "six years of weeks");
    let check = |decl: &[orgsim::model::Column], value: f64, i: usize| {
        let c = &decl[i];
        if let Some(lo) = c.range.0 {
            assert!(value >= lo, "{} = {value} below {lo}", c.name);
        }
        if let Some(hi) = c.range.1 {
            assert!(value <= hi, "{} = {value} above {hi}", c.name);
        }
        match c.kind {
            Kind::Count => assert_eq!(value.fract(), 0.0, "{} = {value}", c.name),
            Kind::Label { labels, .. } => {
                assert!((value as usize) < labels.len() && value.fract() == 0.0)
            }
            _ => {}
        }
    };
    let runs = lifecycle
        .iter()
        .map(|r| (r, columns(observe::SERIES), columns(observe::OUTCOMES)))
        .chain(std::iter::once((
            &march,
            columns(sim::SERIES),
            columns(sim::OUTCOMES),
        )));
    for (run, series, outcomes) in runs {
        for row in run.series.values.chunks_exact(series.len()) {
            for (i, &v) in row.iter().enumerate() {
                check(&series, v, i);
            }
        }
        for (i, v) in run.outcomes.iter().enumerate() {
            if let Some(v) = v {
                check(&outcomes, *v, i);
            }
        }
    }
}
