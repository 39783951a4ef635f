//! Number formatting shared by every CSV file: the shortest text that reads back as the same
//! number, and an empty field for an undefined value.

/// Formats a finite number as the shortest decimal that parses back to the same `f64`
/// (Rust's `Display`, which never uses exponents); non-finite values become an empty field.
pub fn fmt_num(v: f64) -> String {
    if v.is_finite() {
        // -0 prints as "-0"; write it as 0 so identical quantities print identically.
        if v == 0.0 { "0".into() } else { v.to_string() }
    } else {
        String::new()
    }
}

/// Formats an optional number; `None` is an empty field (read as NA by R, NaN by pandas).
pub fn fmt_opt(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_and_blank_undefined() {
        assert_eq!(fmt_num(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(fmt_num(2000.0), "2000");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(f64::NAN), "");
        assert_eq!(fmt_opt(None), "");
        assert_eq!(fmt_opt(Some(1.5)), "1.5");
    }
}
