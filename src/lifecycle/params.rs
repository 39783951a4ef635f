//! The life-cycle model's parameters: one section per part of the model, every field with its
//! meaning, unit and default (sources and reasoning in docs/ODD.md, section 7.2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::scenario::{FieldError, check_probability, check_range};

/// Records an error unless `lo <= value <= hi` (real-valued fields).
fn check_real(
    errors: &mut Vec<FieldError>,
    path: String,
    value: f64,
    lo: f64,
    hi: f64,
    unit: &str,
) {
    if !(lo..=hi).contains(&value) {
        errors.push(FieldError::new(
            path,
            value.to_string(),
            format!("must be a number from {lo} to {hi}{unit}"),
        ));
    }
}

/// Growth and structure of the organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OrganizationParams {
    /// Employees at founding (year 0). Integer from 1 to 1,000,000. Default 15.
    #[schemars(range(min = 1, max = 1000000))]
    pub founders: u32,
    /// Headcount the market can support when the organization's knowledge is perfect
    /// (the logistic ceiling). Integer from 1 to 10,000,000. Default 2,500.
    #[schemars(range(min = 1, max = 10000000))]
    pub capacity: u32,
    /// Intrinsic growth rate of headcount, per year (logistic r), reached at full efficiency.
    /// From 0 to 5. Default 0.9.
    #[schemars(range(min = 0, max = 5))]
    pub growth_rate: f64,
    /// How much market performance moves the ceiling: the ceiling is capacity x (1 -
    /// market_sensitivity x (1 - market performance)). From 0 to 1. Default 0.4.
    #[schemars(range(min = 0, max = 1))]
    pub market_sensitivity: f64,
    /// Direct reports a manager takes before a new manager role is created. Integer from 2
    /// to 100. Default 7.
    pub span_of_control: u32,
    /// Whether the organization has managers at all (false: a flat group, for the March
    /// reduction). Default true.
    pub hierarchy: bool,
    /// The most departments (functions) the organization opens; one opens each time headcount
    /// doubles from the founding size. Integer from 1 to 1,000. Default 12.
    #[schemars(range(min = 1, max = 1000))]
    pub max_departments: u32,
    /// Informal ties a new hire makes inside their department. From 0 to 100. Default 6.
    #[schemars(range(min = 0, max = 100))]
    pub ties_within: u32,
    /// Expected informal ties a new hire makes to other departments. From 0 to 100.
    /// Default 0.6.
    #[schemars(range(min = 0, max = 100))]
    pub ties_across: f64,
}

impl Default for OrganizationParams {
    fn default() -> Self {
        OrganizationParams {
            founders: 15,
            capacity: 2500,
            growth_rate: 0.9,
            market_sensitivity: 0.4,
            span_of_control: 7,
            hierarchy: true,
            max_departments: 12,
            ties_within: 6,
            ties_across: 0.6,
        }
    }
}

/// Who the employees are when hired, and when they leave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PeopleParams {
    /// Mean age of new hires, years. From 18 to 60. Default 32.
    #[schemars(range(min = 18, max = 60))]
    pub hire_age_mean: f64,
    /// Age at which employees retire, years. From 30 to 100. Default 65.
    #[schemars(range(min = 30, max = 100))]
    pub retirement_age: f64,
    /// Yearly probability that a fully engaged employee quits. From 0 to 1. Default 0.06.
    #[schemars(range(min = 0, max = 1))]
    pub quit_rate_engaged: f64,
    /// Yearly probability that a fully disengaged employee quits. From 0 to 1. Default 0.35.
    #[schemars(range(min = 0, max = 1))]
    pub quit_rate_disengaged: f64,
    /// Mean initiative propensity of a 22-year-old hire, 0 to 1. Default 0.6.
    #[schemars(range(min = 0, max = 1))]
    pub initiative_at_22: f64,
    /// How much mean initiative propensity at hire falls per year of age. From 0 to 0.02.
    /// Default 0.008.
    #[schemars(range(min = 0, max = 0.02))]
    pub initiative_decline_per_year: f64,
    /// Engagement an employee settles at without leadership experiences, fear or
    /// suppression, 0 to 1. Default 0.55.
    #[schemars(range(min = 0, max = 1))]
    pub baseline_engagement: f64,
    /// Share of working time taken by operational (day-to-day) work; the rest is
    /// discretionary. From 0 to 0.95. Default 0.6.
    #[schemars(range(min = 0, max = 0.95))]
    pub operational_load: f64,
}

impl Default for PeopleParams {
    fn default() -> Self {
        PeopleParams {
            hire_age_mean: 32.0,
            retirement_age: 65.0,
            quit_rate_engaged: 0.06,
            quit_rate_disengaged: 0.35,
            initiative_at_22: 0.6,
            initiative_decline_per_year: 0.008,
            baseline_engagement: 0.55,
            operational_load: 0.6,
        }
    }
}

/// The management system: process density, efficiency, approval and suppression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ManagementParams {
    /// Weight of size (log headcount) in coordination need. From 0 to 10. Default 0.3.
    #[schemars(range(min = 0, max = 10))]
    pub coordination_per_log_size: f64,
    /// Weight of each hierarchy level below the top in coordination need. From 0 to 10.
    /// Default 0.08.
    #[schemars(range(min = 0, max = 10))]
    pub coordination_per_level: f64,
    /// Weight of each department beyond the first in coordination need. From 0 to 10.
    /// Default 0.04.
    #[schemars(range(min = 0, max = 10))]
    pub coordination_per_department: f64,
    /// Rules written per year per unit of coordination need, as a share of the room left
    /// (1 - density). From 0 to 10. Default 0.3.
    #[schemars(range(min = 0, max = 10))]
    pub rule_growth: f64,
    /// Share of rules retired per year. From 0 to 1. Default 0.02.
    #[schemars(range(min = 0, max = 1))]
    pub rule_retirement: f64,
    /// Process density at founding, 0 to 1. Default 0.02.
    #[schemars(range(min = 0, max = 1))]
    pub initial_density: f64,
    /// Efficiency with no process at all, 0 to 1. Default 0.35.
    #[schemars(range(min = 0, max = 1))]
    pub efficiency_floor: f64,
    /// How fast efficiency rises with process density (diminishing returns). From 0 to 50.
    /// Default 3.
    #[schemars(range(min = 0, max = 50))]
    pub efficiency_gain: f64,
    /// Probability that a manager blocks self-chosen work that needs approval, at density
    /// 1. 0 to 1. Default 0.9.
    #[schemars(range(min = 0, max = 1))]
    pub suppression: f64,
    /// Curvature of suppression in density: blocking probability = suppression x
    /// density^suppression_exponent. From 0.1 to 10. Default 1.5.
    #[schemars(range(min = 0.1, max = 10))]
    pub suppression_exponent: f64,
}

impl Default for ManagementParams {
    fn default() -> Self {
        ManagementParams {
            coordination_per_log_size: 0.3,
            coordination_per_level: 0.08,
            coordination_per_department: 0.04,
            rule_growth: 0.3,
            rule_retirement: 0.02,
            initial_density: 0.02,
            efficiency_floor: 0.35,
            efficiency_gain: 3.0,
            suppression: 0.9,
            suppression_exponent: 1.5,
        }
    }
}

/// The leadership system: opportunities, initiatives, the dip, engagement and fear.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LeadershipParams {
    /// Weekly probability of spotting an opportunity for someone with full sensemaking and
    /// all their time free, at the founding opportunity rate. 0 to 1. Default 0.25.
    #[schemars(range(min = 0, max = 1))]
    pub spot_rate: f64,
    /// Largest initiative team, leader included. Integer from 1 to 100. Default 6.
    #[schemars(range(min = 1, max = 100))]
    pub team_max: u32,
    /// Work an initiative needs, in person-weeks of full discretionary time. From 0.1 to
    /// 1,000. Default 3.
    pub effort: f64,
    /// Weekly probability that a team quits at the bottom of the dip, before persistence
    /// and support. 0 to 1. Default 0.12.
    #[schemars(range(min = 0, max = 1))]
    pub dip_quit_rate: f64,
    /// How much management pressure (process density) adds to quitting in the dip. From 0
    /// to 20. Default 2.
    pub dip_pressure: f64,
    /// Fear in the management culture, 0 (psychological safety) to 1 (fear-based).
    /// Default 0.15.
    pub fear: f64,
    /// Engagement gained per week while leading or contributing to an initiative. 0 to 1.
    /// Default 0.01.
    #[schemars(range(min = 0, max = 1))]
    pub engagement_from_leading: f64,
    /// Engagement lost when one's initiative is blocked. 0 to 1. Default 0.1.
    #[schemars(range(min = 0, max = 1))]
    pub engagement_loss_when_blocked: f64,
    /// Share of initiative propensity lost each time one's initiative is blocked. 0 to 1.
    /// Default 0.15.
    #[schemars(range(min = 0, max = 1))]
    pub initiative_erosion: f64,
    /// Engagement gained by every member when an initiative completes. 0 to 1. Default 0.1.
    #[schemars(range(min = 0, max = 1))]
    pub engagement_from_success: f64,
}

impl Default for LeadershipParams {
    fn default() -> Self {
        LeadershipParams {
            spot_rate: 0.25,
            team_max: 6,
            effort: 3.0,
            dip_quit_rate: 0.12,
            dip_pressure: 2.0,
            fear: 0.15,
            engagement_from_leading: 0.01,
            engagement_loss_when_blocked: 0.1,
            initiative_erosion: 0.15,
            engagement_from_success: 0.1,
        }
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

/// March's (1991) code and beliefs, nested in the organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct KnowledgeParams {
    /// Dimensions of reality. Integer from 1 to 64. Default 30 (March).
    #[schemars(range(min = 1, max = 64))]
    pub m: u32,
    /// Weekly socialization probability with no process (March's p1 at density 0). 0 to 1.
    /// Default 0.002.
    #[schemars(range(min = 0, max = 1))]
    pub socialization_base: f64,
    /// Added weekly socialization probability at process density 1. 0 to 1. Default 0.05.
    #[schemars(range(min = 0, max = 1))]
    pub socialization_from_process: f64,
    /// March's p2: how readily the code adopts what outperformers do. 0 to 1. Default 0.5.
    #[schemars(range(min = 0, max = 1))]
    pub code_learning_rate: f64,
    /// Whom the code learns from: "initiatives" (default) or "everyone" (March).
    pub code_learning: CodeLearning,
}

impl Default for KnowledgeParams {
    fn default() -> Self {
        KnowledgeParams {
            m: 30,
            socialization_base: 0.002,
            socialization_from_process: 0.05,
            code_learning_rate: 0.5,
            code_learning: CodeLearning::Initiatives,
        }
    }
}

/// The environment: a drifting reality and a stream of opportunities, both accelerating.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EnvironmentParams {
    /// Yearly probability that a dimension of reality flips, at founding (March's p4 per
    /// year). 0 to 1. Default 0.05.
    #[schemars(range(min = 0, max = 1))]
    pub drift_per_year: f64,
    /// Yearly growth rate of drift and of the opportunity rate (accelerating change); 0
    /// holds them fixed. From 0 to 1. Default 0.06.
    #[schemars(range(min = 0, max = 1))]
    pub acceleration: f64,
}

impl Default for EnvironmentParams {
    fn default() -> Self {
        EnvironmentParams {
            drift_per_year: 0.05,
            acceleration: 0.06,
        }
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

impl LifecycleParams {
    /// Checks every value against its documented limits.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_real(&mut e, "years".into(), self.years, 0.02, 500.0, " years");
        let o = &self.organization;
        check_range(
            &mut e,
            "organization.founders".into(),
            o.founders,
            1,
            1_000_000,
        );
        check_range(
            &mut e,
            "organization.capacity".into(),
            o.capacity,
            1,
            10_000_000,
        );
        check_real(
            &mut e,
            "organization.growth_rate".into(),
            o.growth_rate,
            0.0,
            5.0,
            " per year",
        );
        check_probability(
            &mut e,
            "organization.market_sensitivity".into(),
            o.market_sensitivity,
        );
        check_range(
            &mut e,
            "organization.span_of_control".into(),
            o.span_of_control,
            2,
            100,
        );
        check_range(
            &mut e,
            "organization.max_departments".into(),
            o.max_departments,
            1,
            1000,
        );
        check_range(
            &mut e,
            "organization.ties_within".into(),
            o.ties_within,
            0,
            100,
        );
        check_real(
            &mut e,
            "organization.ties_across".into(),
            o.ties_across,
            0.0,
            100.0,
            "",
        );
        let p = &self.people;
        check_real(
            &mut e,
            "people.hire_age_mean".into(),
            p.hire_age_mean,
            18.0,
            60.0,
            " years",
        );
        check_real(
            &mut e,
            "people.retirement_age".into(),
            p.retirement_age,
            30.0,
            100.0,
            " years",
        );
        if p.retirement_age <= p.hire_age_mean {
            e.push(FieldError::new(
                "people.retirement_age",
                p.retirement_age.to_string(),
                format!("must be above people.hire_age_mean ({})", p.hire_age_mean),
            ));
        }
        check_probability(
            &mut e,
            "people.quit_rate_engaged".into(),
            p.quit_rate_engaged,
        );
        check_probability(
            &mut e,
            "people.quit_rate_disengaged".into(),
            p.quit_rate_disengaged,
        );
        check_probability(&mut e, "people.initiative_at_22".into(), p.initiative_at_22);
        check_real(
            &mut e,
            "people.initiative_decline_per_year".into(),
            p.initiative_decline_per_year,
            0.0,
            0.02,
            "",
        );
        check_probability(
            &mut e,
            "people.baseline_engagement".into(),
            p.baseline_engagement,
        );
        check_real(
            &mut e,
            "people.operational_load".into(),
            p.operational_load,
            0.0,
            0.95,
            "",
        );
        let m = &self.management;
        check_real(
            &mut e,
            "management.coordination_per_log_size".into(),
            m.coordination_per_log_size,
            0.0,
            10.0,
            "",
        );
        check_real(
            &mut e,
            "management.coordination_per_level".into(),
            m.coordination_per_level,
            0.0,
            10.0,
            "",
        );
        check_real(
            &mut e,
            "management.coordination_per_department".into(),
            m.coordination_per_department,
            0.0,
            10.0,
            "",
        );
        check_real(
            &mut e,
            "management.rule_growth".into(),
            m.rule_growth,
            0.0,
            10.0,
            " per year",
        );
        check_probability(
            &mut e,
            "management.rule_retirement".into(),
            m.rule_retirement,
        );
        check_probability(
            &mut e,
            "management.initial_density".into(),
            m.initial_density,
        );
        check_probability(
            &mut e,
            "management.efficiency_floor".into(),
            m.efficiency_floor,
        );
        check_real(
            &mut e,
            "management.efficiency_gain".into(),
            m.efficiency_gain,
            0.0,
            50.0,
            "",
        );
        check_probability(&mut e, "management.suppression".into(), m.suppression);
        check_real(
            &mut e,
            "management.suppression_exponent".into(),
            m.suppression_exponent,
            0.1,
            10.0,
            "",
        );
        let l = &self.leadership;
        check_probability(&mut e, "leadership.spot_rate".into(), l.spot_rate);
        check_range(&mut e, "leadership.team_max".into(), l.team_max, 1, 100);
        check_real(
            &mut e,
            "leadership.effort".into(),
            l.effort,
            0.1,
            1000.0,
            " person-weeks",
        );
        check_probability(&mut e, "leadership.dip_quit_rate".into(), l.dip_quit_rate);
        check_real(
            &mut e,
            "leadership.dip_pressure".into(),
            l.dip_pressure,
            0.0,
            20.0,
            "",
        );
        check_probability(&mut e, "leadership.fear".into(), l.fear);
        check_probability(
            &mut e,
            "leadership.engagement_from_leading".into(),
            l.engagement_from_leading,
        );
        check_probability(
            &mut e,
            "leadership.engagement_loss_when_blocked".into(),
            l.engagement_loss_when_blocked,
        );
        check_probability(
            &mut e,
            "leadership.initiative_erosion".into(),
            l.initiative_erosion,
        );
        check_probability(
            &mut e,
            "leadership.engagement_from_success".into(),
            l.engagement_from_success,
        );
        let k = &self.knowledge;
        check_range(&mut e, "knowledge.m".into(), k.m, 1, 64);
        check_probability(
            &mut e,
            "knowledge.socialization_base".into(),
            k.socialization_base,
        );
        check_probability(
            &mut e,
            "knowledge.socialization_from_process".into(),
            k.socialization_from_process,
        );
        check_probability(
            &mut e,
            "knowledge.code_learning_rate".into(),
            k.code_learning_rate,
        );
        let v = &self.environment;
        check_probability(
            &mut e,
            "environment.drift_per_year".into(),
            v.drift_per_year,
        );
        check_real(
            &mut e,
            "environment.acceleration".into(),
            v.acceleration,
            0.0,
            1.0,
            " per year",
        );
        e
    }
}
