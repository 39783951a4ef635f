//! Fear-based management: more fear in the culture, which suppresses the decision to act,
//! lowers engagement, makes teams quit in the dip more readily and the code learn less.

use super::common::{self, intervention_spec};
use super::{Context, Intervention, Window};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "fear_based_management", "start_year": 10}`.
    pub struct FearBasedManagementSpec {
        /// Fear added to the culture's.
        pub fear: f64 = 0.4 => [0.0, 1.0] Phrase("a number"), "-",
            "fear added to the culture's",
            "assumption: a culture of blame, from the default's mild 0.15 to 0.55";
    }
}

impl FearBasedManagementSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        self.check_bounds(path, &mut e);
        e
    }
}

impl Intervention for FearBasedManagementSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        cx.levers.fear_shift += self.fear;
    }
}
