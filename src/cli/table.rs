//! The summary table printed after a run: each outcome's mean with its 95% CI.

use orgsim::output::ScenarioSummary;

/// Formats a number for people: four significant digits, thousands separated.
pub fn human(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    let a = v.abs();
    let decimals = if a == 0.0 || a >= 1000.0 || (v.fract() == 0.0 && a < 1e15) {
        0
    } else {
        (3 - a.log10().floor() as i32).clamp(0, 6) as usize
    };
    let text = format!("{:.*}", decimals, v);
    let (sign, body) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |b| ("-", b));
    let (int, frac) = body
        .split_once('.')
        .map_or((body, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// The table for every scenario.
pub fn render(scenarios: &[ScenarioSummary]) -> String {
    let width = scenarios
        .iter()
        .flat_map(|s| s.outcomes.iter().map(|o| o.name.len()))
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = String::new();
    for s in scenarios {
        out.push_str(&format!(
            "\n{} ({} model, {} replicates)\n",
            s.name,
            s.model,
            human(s.replicates as f64)
        ));
        out.push_str(&format!(
            "  {:<width$}  {:>10}  {:>23}\n",
            "outcome", "mean", "95% CI"
        ));
        for o in &s.outcomes {
            let (mean, ci) = match &o.summary {
                None => ("-".to_string(), "(undefined)".to_string()),
                Some(x) => (
                    human(x.mean),
                    x.ci.map_or("(one replicate)".into(), |(lo, hi)| {
                        format!("[{}, {}]", human(lo), human(hi))
                    }),
                ),
            };
            out.push_str(&format!("  {:<width$}  {:>10}  {:>23}\n", o.name, mean, ci));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(human(2000.0), "2,000");
        assert_eq!(human(1234567.8), "1,234,568");
        assert_eq!(human(0.71234), "0.7123");
        assert_eq!(human(21.456), "21.46");
        assert_eq!(human(-0.05), "-0.05000");
        assert_eq!(human(0.0), "0");
        assert_eq!(human(3.0), "3");
        assert_eq!(human(50.0), "50");
    }
}
