//! The life-cycle model's parameters: one section per part of the model, every field declared
//! once with its meaning, default, range, unit, a few words for the ODD's table and the source
//! or reasoning behind the default (see [`crate::params`]; docs/ODD.md, section 7.2.1, prints
//! these declarations).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::params::{Declaration, param_section};
use crate::scenario::FieldError;

param_section! {
    /// Growth and structure of the organization.
    pub struct OrganizationParams {
        /// Employees at founding (year 0).
        pub founders: u32 = 15 => [1, 1000000] Integer, "people",
            "employees at year 0",
            "the brief: a startup of about 15 people";
        /// Headcount the market can support when the organization's knowledge is perfect (the
        /// logistic ceiling).
        pub capacity: u32 = 2500 => [1, 10000000] Integer, "people",
            "headcount the market supports at perfect efficiency and knowledge",
            "the brief's ~2,000-person firm: the ceiling is capacity x (1 - 0.4 (1 - market \
             performance)), so headcount peaks below 2,500 and eases as knowledge decays \
             (calibration table below)";
        /// Intrinsic growth rate of headcount, per year (logistic r), reached at full efficiency.
        pub growth_rate: f64 = 0.9 => [0.0, 5.0] Real(" per year"), "per year",
            "logistic growth rate r at full efficiency (the effective rate is r x efficiency)",
            "reaches its peak in about a decade (calibration table below); growth in 4-8-year \
             stretches (Greiner 1972)";
        /// How much market performance moves the ceiling: the ceiling is capacity x (1 -
        /// market_sensitivity x (1 - market performance)).
        pub market_sensitivity: f64 = 0.4 => [0, 1] Probability, "-",
            "ceiling = capacity x (1 - s (1 - market performance))",
            "assumption: a firm that delivers nothing reliably and knows nothing of its market \
             supports 60% of the headcount; sweep it";
        /// Direct reports a manager takes before a new manager role is created.
        pub span_of_control: u32 = 7 => [2, 100] Integer, "people",
            "reports before a new manager role opens",
            "Gallup 2024-25: median 5-6, mean 11-12; gives a manager share inside the 10-18% band \
             (BLS; Hamel and Zanini: 17.6%; measured: P2 in section 1)";
        /// Whether the organization has managers at all (false: a flat group, for the March
        /// reduction).
        pub hierarchy: bool = true => "bool",
            "managers exist at all",
            "false only for the March reduction";
        /// The most departments (functions) the organization opens; one opens each time headcount
        /// doubles from the founding size.
        pub max_departments: u32 = 12 => [1, 1000] Integer, "count",
            "most functions; one opens each time headcount doubles beyond the founding team \
             (`founders`)",
            "8 functions at 2,000 people and 11 at 20,000 come from the doubling rule; 12 caps \
             very large firms";
        /// Informal ties a new hire makes inside their department.
        pub ties_within: u32 = 6 => [0, 100] Integer, "ties",
            "ties a hire makes in their department",
            "dense within departments (about 11 ties per employee in all)";
        /// Expected informal ties a new hire makes to other departments.
        pub ties_across: f64 = 0.6 => [0.0, 100.0] Real(""), "ties",
            "expected ties a hire makes elsewhere",
            "sparse across departments";
    }
}

param_section! {
    /// Who the employees are when hired, and when they leave.
    pub struct PeopleParams {
        /// Mean age of new hires, years.
        pub hire_age_mean: f64 = 32.0 => [18.0, 60.0] Real(" years"), "years",
            "mean age of hires (21 plus an exponential tail)",
            "assumption: corporate hiring concentrates in the late 20s and 30s";
        /// Age at which employees retire, years.
        pub retirement_age: f64 = 65.0 => [30.0, 100.0] Real(" years"), "years",
            "age at which people leave",
            "";
        /// Yearly probability that a fully engaged employee quits.
        pub quit_rate_engaged: f64 = 0.06 => [0, 1] Probability, "per year",
            "yearly quit probability at engagement 1",
            "JOLTS: 2-2.8% a month economy-wide; corporate salaried 10-20% a year; with engagement \
             0.5-0.65 the mix gives 16-20% a year from quitting alone; exits with retirements \
             included: calibration table below";
        /// Yearly probability that a fully disengaged employee quits.
        pub quit_rate_disengaged: f64 = 0.35 => [0, 1] Probability, "per year",
            "yearly quit probability at engagement 0",
            "as above; quitting tied to engagement";
        /// Mean initiative propensity of a 22-year-old hire.
        pub initiative_at_22: f64 = 0.6 => [0, 1] Probability, "-",
            "mean initiative propensity of a 22-year-old hire",
            "brief: younger employees step up most eagerly";
        /// How much mean initiative propensity at hire falls per year of age.
        pub initiative_decline_per_year: f64 = 0.008 => [0.0, 0.02] Real(""), "per year",
            "fall in mean propensity per year of age",
            "assumption: a 62-year-old brings about half a 22-year-old's initiative";
        /// Engagement an employee settles at without leadership experiences, fear or suppression.
        pub baseline_engagement: f64 = 0.55 => [0, 1] Probability, "-",
            "engagement people settle at without experiences",
            "Gallup 2023-24: about a quarter to a third engaged, most \"not engaged\": the middle \
             of the scale";
        /// Share of working time taken by operational (day-to-day) work; the rest is discretionary.
        pub operational_load: f64 = 0.6 => [0.0, 0.95] Real(""), "-",
            "share of time for day-to-day work (±0.1 per person)",
            "assumption: 40% discretionary; protected-time programmes are 15-20% (3M, Google)";
    }
}

param_section! {
    /// The management system: process density, efficiency, approval and suppression.
    pub struct ManagementParams {
        /// Weight of size (log headcount) in coordination need.
        pub coordination_per_log_size: f64 = 0.3 => [0.0, 10.0] Real(""), "-",
            "weight of ln(1 + headcount/100) in coordination need",
            "informal coordination works up to about 100-150 people (Dunbar)";
        /// Weight of each hierarchy level below the top in coordination need.
        pub coordination_per_level: f64 = 0.08 => [0.0, 10.0] Real(""), "-",
            "weight of each level below the top",
            "calibrated (P1-P3)";
        /// Weight of each department beyond the first in coordination need.
        pub coordination_per_department: f64 = 0.04 => [0.0, 10.0] Real(""), "-",
            "weight of each department beyond the first",
            "calibrated";
        /// Rules written per year per unit of coordination need, as a share of the room left (1 -
        /// density).
        pub rule_growth: f64 = 0.3 => [0.0, 10.0] Real(" per year"), "per year",
            "rules written per year per unit of coordination need, times the room left",
            "calibrated to density about 0.3 at 120 people, past 0.75 at 2,000 and toward 0.9 as \
             the firm ages (HBR 2017 Bureaucracy Mass Index: 75/100 above 5,000 people, under 40 \
             mostly below 100 people); measured: calibration table below";
        /// Share of rules retired per year.
        pub rule_retirement: f64 = 0.02 => [0, 1] Probability, "per year",
            "share of rules retired per year",
            "the brief: rules are rarely retired";
        /// Process density at founding.
        pub initial_density: f64 = 0.02 => [0, 1] Probability, "-",
            "density at founding",
            "a startup has almost no process";
        /// Efficiency with no process at all.
        pub efficiency_floor: f64 = 0.35 => [0, 1] Probability, "-",
            "efficiency with no process",
            "assumption: ad-hoc delivery is unreliable";
        /// How fast efficiency rises with process density (diminishing returns).
        pub efficiency_gain: f64 = 3.0 => [0.0, 50.0] Real(""), "-",
            "curvature of efficiency in density",
            "diminishing returns: 0.39 at founding, 0.90 at density 0.6, 0.96 at 0.9";
        /// Probability that a manager blocks self-chosen work that needs approval, at density 1.
        pub suppression: f64 = 0.9 => [0, 1] Probability, "-",
            "probability a manager blocks self-chosen work needing approval, at density 1",
            "the brief: a dense system treats it as a distraction";
        /// Curvature of suppression in density: blocking probability = suppression x
        /// density^suppression_exponent.
        pub suppression_exponent: f64 = 1.5 => [0.1, 10.0] Real(""), "-",
            "blocking = suppression x density^exponent",
            "suppression grows faster than density";
    }
}

param_section! {
    /// The leadership system: opportunities, initiatives, the dip, engagement and fear.
    pub struct LeadershipParams {
        /// Weekly probability of spotting an opportunity for someone with full sensemaking and all
        /// their time free, at the founding opportunity rate.
        pub spot_rate: f64 = 0.25 => [0, 1] Probability, "per week",
            "weekly probability of spotting an opportunity at full sensemaking and slack",
            "calibrated to 40-50% of a startup's staff leading or contributing in any quarter \
             (calibration table below)";
        /// Largest initiative team, leader included.
        pub team_max: u32 = 6 => [1, 100] Integer, "people",
            "largest initiative team",
            "small teams; decision bodies lose efficiency above about 20 (Klimek et al. 2008)";
        /// Work an initiative needs, in person-weeks of full discretionary time.
        pub effort: f64 = 3.0 => [0.1, 1000.0] Real(" person-weeks"), "person-weeks",
            "work an initiative needs, in person-weeks of full discretionary time",
            "a startup team of three finishes in about 4 weeks; a team in a dense system needs \
             most of a year (\"bite-sized\" vs stalled)";
        /// Weekly probability that a team quits at the bottom of the dip, before persistence and
        /// support.
        pub dip_quit_rate: f64 = 0.12 => [0, 1] Probability, "per week",
            "weekly probability of quitting at the bottom of the dip, before persistence and \
             support",
            "calibrated to about 30% of initiatives quit in the dip in the baseline (calibration \
             table below)";
        /// How much management pressure (process density) adds to quitting in the dip.
        pub dip_pressure: f64 = 2.0 => [0.0, 20.0] Real(""), "-",
            "how much density adds to quitting",
            "management pressure pulls people back to the day job";
        /// Fear in the management culture, 0 (psychological safety) to 1 (fear-based).
        pub fear: f64 = 0.15 => [0, 1] Probability, "-",
            "fear in the culture, 0 (safety) to 1",
            "the brief: fear suppresses initiative; mild by default";
        /// Engagement gained per week while leading or contributing to an initiative.
        pub engagement_from_leading: f64 = 0.01 => [0, 1] Probability, "per week",
            "engagement gained per week in an initiative",
            "the brief: leading raises engagement";
        /// Engagement lost when one's initiative is blocked.
        pub engagement_loss_when_blocked: f64 = 0.1 => [0, 1] Probability, "-",
            "engagement lost when blocked",
            "being suppressed lowers it";
        /// Share of initiative propensity lost each time one's initiative is blocked.
        pub initiative_erosion: f64 = 0.15 => [0, 1] Probability, "-",
            "share of initiative propensity lost when blocked",
            "repeated suppression erodes initiative";
        /// Engagement gained by every member when an initiative completes.
        pub engagement_from_success: f64 = 0.1 => [0, 1] Probability, "-",
            "engagement gained by the team on completion",
            "";
    }
}

/// How the code learns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeLearning {
    /// From the teams of completed initiatives (the leadership system) that passed the
    /// approval gate.
    #[default]
    Initiatives,
    /// From everyone who outperforms it, every week, as in March (1991).
    Everyone,
}

param_section! {
    /// March's (1991) code and beliefs, nested in the organization.
    pub struct KnowledgeParams {
        /// Dimensions of reality.
        pub m: u32 = 30 => [1, 64] Integer, "count",
            "dimensions of reality",
            "March (1991)";
        /// Weekly socialization probability with no process (March's p1 at density 0).
        pub socialization_base: f64 = 0.002 => [0, 1] Probability, "per week",
            "weekly socialization probability with no process",
            "a startup barely socializes: beliefs stay diverse (exploration)";
        /// Added weekly socialization probability at process density 1.
        pub socialization_from_process: f64 = 0.05 => [0, 1] Probability, "per week",
            "added weekly socialization at density 1",
            "the brief: socialization (March's p1) rises with process density";
        /// March's p2: how readily the code adopts what outperformers do.
        pub code_learning_rate: f64 = 0.5 => [0, 1] Probability, "-",
            "March's p2",
            "March's middle value";
        /// Whom the code learns from: "initiatives" (default) or "everyone" (March).
        pub code_learning: CodeLearning = CodeLearning::Initiatives => "-",
            "whom the code learns from: `initiatives` or `everyone`",
            "the code learns through the leadership system and the approval gate";
    }
}

param_section! {
    /// The environment: a drifting reality and a stream of opportunities, both accelerating.
    pub struct EnvironmentParams {
        /// Yearly probability that a dimension of reality flips, at founding (March's p4 per year).
        pub drift_per_year: f64 = 0.05 => [0, 1] Probability, "per year",
            "yearly probability a dimension of reality flips, at founding",
            "March's p4, per year";
        /// Yearly growth rate of drift and of the opportunity rate (accelerating change); 0 holds
        /// them fixed.
        pub acceleration: f64 = 0.06 => [0.0, 1.0] Real(" per year"), "per year",
            "yearly growth rate of drift and of the opportunity rate",
            "the brief: change accelerates exponentially; drift doubles in about 11.5 years";
    }
}

/// All parameters of the life-cycle model.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LifecycleParams {
    /// Years simulated.
    pub years: f64,
    /// Growth and structure.
    pub organization: OrganizationParams,
    /// People.
    pub people: PeopleParams,
    /// The management system.
    pub management: ManagementParams,
    /// The leadership system.
    pub leadership: LeadershipParams,
    /// Knowledge.
    pub knowledge: KnowledgeParams,
    /// The environment.
    pub environment: EnvironmentParams,
}

/// The sections of the life-cycle model, in the order of the scenario format.
pub fn declarations() -> Vec<Declaration> {
    let mut out = OrganizationParams::declarations("organization", "organization");
    out.extend(PeopleParams::declarations("people", "people"));
    out.extend(ManagementParams::declarations("management", "management"));
    out.extend(LeadershipParams::declarations("leadership", "leadership"));
    out.extend(KnowledgeParams::declarations("knowledge", "knowledge"));
    out.extend(EnvironmentParams::declarations(
        "environment",
        "environment",
    ));
    out
}

impl LifecycleParams {
    /// Checks every value against its declared bounds, and the one limit that ties two
    /// fields (retirement after hiring age).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        crate::scenario::check_years(&mut e, self.years);
        self.organization.check_bounds("organization", &mut e);
        self.people.check_bounds("people", &mut e);
        let p = &self.people;
        if p.retirement_age <= p.hire_age_mean {
            e.push(FieldError::new(
                "people.retirement_age",
                p.retirement_age.to_string(),
                format!("must be above people.hire_age_mean ({})", p.hire_age_mean),
            ));
        }
        self.management.check_bounds("management", &mut e);
        self.leadership.check_bounds("leadership", &mut e);
        self.knowledge.check_bounds("knowledge", &mut e);
        self.environment.check_bounds("environment", &mut e);
        e
    }
}
