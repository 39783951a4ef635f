//! Psychological safety: less fear in the culture (the opposite lever of fear-based
//! management), so more people act, fewer quit in the dip, and the code learns more.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "psychological_safety", "start_year": 10}`.
    pub struct PsychologicalSafetySpec {
        /// Fear removed from the culture (fear cannot fall below 0). From 0 to 1. Default
        /// 0.15 (the baseline culture's fear).
        pub reduction: f64 = 0.15,
    }
}

impl PsychologicalSafetySpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.reduction"),
            self.reduction,
            0.0,
            1.0,
            "a number",
        );
        e
    }
}

impl Intervention for PsychologicalSafetySpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.fear_shift -= self.reduction;
    }
}
