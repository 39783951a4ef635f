//! Kotter's dual operating system in one line: the big opportunity statement, an urgency
//! group, a guiding coalition of 40 by open application, 90-day wins, celebrated wins and the
//! two systems kept close, all from `start_year`. Each element stays switchable
//! (`"keep_close": {"enabled": false}`) and overridable (`"guiding_coalition": {"seats": 30}`);
//! an element without its own `start_year` or `end_year` takes the shorthand's.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::InterventionSpec;
use super::celebrate_wins::CelebrateWinsSpec;
use super::common::yes;
use super::guiding_coalition::GuidingCoalitionSpec;
use super::keep_close::KeepCloseSpec;
use super::ninety_day_wins::NinetyDayWinsSpec;
use super::opportunity_statement::OpportunityStatementSpec;
use super::urgency_group::UrgencyGroupSpec;
use crate::scenario::FieldError;

/// `{"kind": "dual_operating_system", "start_year": 10}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DualOperatingSystemSpec {
    /// Year the dual operating system starts (years since founding).
    #[schemars(range(min = 0, max = 500))]
    pub start_year: f64,
    /// Year it ends (omit: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<f64>,
    /// Switch the whole package off without deleting it.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The big opportunity statement.
    #[serde(default)]
    pub opportunity_statement: OpportunityStatementSpec,
    /// The urgency group.
    #[serde(default)]
    pub urgency_group: UrgencyGroupSpec,
    /// The guiding coalition (40 seats, open application).
    #[serde(default)]
    pub guiding_coalition: GuidingCoalitionSpec,
    /// 90-day wins with check-ins at 30 and 60 days.
    #[serde(default)]
    pub ninety_day_wins: NinetyDayWinsSpec,
    /// Celebrating wins.
    #[serde(default)]
    pub celebrate_wins: CelebrateWinsSpec,
    /// Keeping the two systems close.
    #[serde(default)]
    pub keep_close: KeepCloseSpec,
}

macro_rules! inherit {
    ($self:ident, $spec:expr) => {{
        let mut s = $spec.clone();
        s.start_year = s.start_year.or(Some($self.start_year));
        s.end_year = s.end_year.or($self.end_year);
        s
    }};
}

impl DualOperatingSystemSpec {
    /// The elements switched on, each with its window filled in from the shorthand's.
    pub fn elements(&self) -> Vec<InterventionSpec> {
        if !self.enabled {
            return Vec::new();
        }
        let mut out = Vec::new();
        if self.opportunity_statement.enabled {
            out.push(InterventionSpec::OpportunityStatement(inherit!(
                self,
                self.opportunity_statement
            )));
        }
        if self.urgency_group.enabled {
            out.push(InterventionSpec::UrgencyGroup(inherit!(
                self,
                self.urgency_group
            )));
        }
        if self.guiding_coalition.enabled {
            out.push(InterventionSpec::GuidingCoalition(inherit!(
                self,
                self.guiding_coalition
            )));
        }
        if self.ninety_day_wins.enabled {
            out.push(InterventionSpec::NinetyDayWins(inherit!(
                self,
                self.ninety_day_wins
            )));
        }
        if self.celebrate_wins.enabled {
            out.push(InterventionSpec::CelebrateWins(inherit!(
                self,
                self.celebrate_wins
            )));
        }
        if self.keep_close.enabled {
            out.push(InterventionSpec::KeepClose(inherit!(self, self.keep_close)));
        }
        out
    }

    /// Checks the shorthand and every element.
    pub fn validate(&self, path: &str) -> Vec<FieldError> {
        let mut e = Vec::new();
        super::common::check(&mut e, path, Some(self.start_year), self.end_year, false);
        e.extend(
            self.opportunity_statement
                .validate(&format!("{path}.opportunity_statement"), true),
        );
        e.extend(
            self.urgency_group
                .validate(&format!("{path}.urgency_group"), true),
        );
        e.extend(
            self.guiding_coalition
                .validate(&format!("{path}.guiding_coalition"), true),
        );
        e.extend(
            self.ninety_day_wins
                .validate(&format!("{path}.ninety_day_wins"), true),
        );
        e.extend(
            self.celebrate_wins
                .validate(&format!("{path}.celebrate_wins"), true),
        );
        e.extend(
            self.keep_close
                .validate(&format!("{path}.keep_close"), true),
        );
        e
    }
}
