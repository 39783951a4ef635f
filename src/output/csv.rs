//! Number formatting shared by every CSV file. Each column holds one type, so that tools
//! which guess a column's type from its first rows (polars, pandas, R) guess right: a column
//! of reals always has a decimal point or an exponent (`0.0`, `2000.0`, `1e-7`), a column of
//! counts never has one (`0`, `2000`), and an undefined value is an empty field.

/// Formats a real number as the shortest text that parses back to the same `f64`, always with
/// a decimal point or an exponent (`0.0`, `0.30000000000000004`, `2000.0`, `1e16`, `1e-7`);
/// non-finite values become an empty field.
pub fn fmt_num(v: f64) -> String {
    if v.is_finite() {
        // -0 prints as "-0.0"; write it as 0.0 so identical quantities print identically.
        // `Debug` is `Display` (shortest round trip) plus ".0" on whole numbers, with an
        // exponent outside 1e-4..1e16.
        if v == 0.0 {
            "0.0".into()
        } else {
            format!("{v:?}")
        }
    } else {
        String::new()
    }
}

/// Formats an optional real; `None` is an empty field (read as NA by R, NaN by pandas, null
/// by polars).
pub fn fmt_opt(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_default()
}

/// Formats a count (a whole number held in an `f64`) without a decimal point; non-finite
/// values become an empty field.
pub fn fmt_count(v: f64) -> String {
    if v.is_finite() {
        debug_assert_eq!(v.fract(), 0.0, "{v} is not a whole number");
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_always_read_back_as_reals_and_counts_as_integers() {
        assert_eq!(fmt_num(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(fmt_num(2000.0), "2000.0");
        assert_eq!(fmt_num(0.0), "0.0");
        assert_eq!(fmt_num(-0.0), "0.0");
        assert_eq!(fmt_num(1e300), "1e300");
        assert_eq!(fmt_num(-2.5e-7), "-2.5e-7");
        assert_eq!(fmt_num(f64::NAN), "");
        assert_eq!(fmt_opt(None), "");
        assert_eq!(fmt_opt(Some(1.5)), "1.5");
        assert_eq!(fmt_count(2000.0), "2000");
        assert_eq!(fmt_count(0.0), "0");
        assert_eq!(fmt_count(f64::INFINITY), "");
        for v in [
            0.1,
            1.0 / 3.0,
            123456789.0,
            1e-300,
            f64::MAX,
            -f64::MIN_POSITIVE,
        ] {
            let text = fmt_num(v);
            assert_eq!(text.parse::<f64>().unwrap(), v, "{text}");
            assert!(text.contains(['.', 'e']), "{text} reads back as an integer");
        }
    }
}
