//! Onboarding with a shared vocabulary: new hires learn the logic of both systems. They are
//! aware of the opportunity from day one, bring a little more initiative (the norm that
//! stepping up is expected), and suppression erodes their initiative half as fast.

use super::common::{self, check_in, intervention_spec};
use super::{Context, Intervention, Window};
use crate::lifecycle::people::{AgentId, Flags};
use crate::scenario::FieldError;

intervention_spec! {
    /// `{"kind": "onboarding", "start_year": 10}`.
    pub struct OnboardingSpec {
        /// Initiative propensity added to each new hire (norms). From 0 to 1. Default 0.1.
        pub initiative_boost: f64 = 0.1,
    }
}

impl OnboardingSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.initiative_boost"),
            self.initiative_boost,
            0.0,
            1.0,
            "a number",
        );
        e
    }
}

impl Intervention for OnboardingSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn on_hire(&self, cx: &mut Context<'_>, id: AgentId) {
        let boost = self.initiative_boost as f32;
        let t = &mut cx.people.traits[id.index()];
        t.initiative = (t.initiative + boost).min(1.0);
        let h = &mut cx.people.hot[id.index()];
        h.initiative = (h.initiative + boost).min(1.0);
        h.flags.insert(Flags::AWARE | Flags::ONBOARDED);
    }
}
