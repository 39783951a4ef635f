//! What the life-cycle model reports: the weekly columns of the brief, the phase, innovation
//! capacity (defined from the state), and the run-level outcomes.
//!
//! Past 600 lines because each of its 39 columns is one declaration block (name, title, unit,
//! axis, kind, range, definition) beside its computation; that list is the file's point.

use super::leadership::{
    BACKGROUND_QUIT, Initiatives, checkins, dip_quit_probability, dip_support, scope, team_output,
    work_needed,
};
use super::params::LifecycleParams;
use super::people::{Flags, People, Person, Traits};
use super::state::Org;
use super::weekly::{
    Candidate, Efforts, TIME_CLASSES, TimeTable, WeekContext, class_flags, time_class,
};
use super::{fast_exp, passes};
use crate::model::{Column, Kind, Reporter, Series};

/// The phases, in life-cycle order; `phase` holds the index.
pub const PHASES: &[&str] = &["entrepreneurial", "growth", "dual", "bureaucratic"];
/// The phases as charts and docs name them (same order).
pub const PHASE_TITLES: &[&str] = &["Entrepreneurial", "Growth", "Both systems", "Bureaucratic"];

/// Process density below which the organization is entrepreneurial.
pub const GROWTH_DENSITY: f64 = 0.2;
/// Process density from which the management system is fully developed.
pub const MATURE_DENSITY: f64 = 0.45;
/// Leadership share from which a mature organization still runs a leadership system.
pub const DUAL_LEADERSHIP: f64 = 0.15;

/// One week as the weekly columns see it: the organization and the sums over its employees.
pub struct Week<'a> {
    org: &'a Org,
    /// Employees (at least 1, as a divisor).
    n: f64,
    slack: f64,
    engagement: f64,
    leadership_share: f64,
    aware: f64,
    volunteers: f64,
    coalition: f64,
    knowledge: f64,
}

/// A weekly column and how it is computed from the week.
pub type Weekly = Reporter<fn(&Week) -> f64>;

const NON_NEGATIVE: (Option<f64>, Option<f64>) = (Some(0.0), None);
const UNIT: (Option<f64>, Option<f64>) = (Some(0.0), Some(1.0));

/// The weekly columns, in order, each beside its computation.
pub const SERIES: &[Weekly] = &[
    Reporter {
        column: Column {
            name: "headcount",
            title: "Headcount",
            unit: "employees",
            axis: "Employees",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "employees",
            mean_title: "",
        },
        value: |w| f64::from(w.org.headcount()),
    },
    Reporter {
        column: Column {
            name: "managers",
            title: "Managers",
            unit: "employees",
            axis: "Employees in manager roles",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "employees in manager roles",
            mean_title: "",
        },
        value: |w| f64::from(w.org.chart.managers),
    },
    Reporter {
        column: Column {
            name: "levels",
            title: "Levels",
            unit: "levels",
            axis: "Levels in the org chart",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "depth of the org chart (levels occupied)",
            mean_title: "",
        },
        value: |w| w.org.chart.levels() as f64,
    },
    Reporter {
        column: Column {
            name: "process_density",
            title: "Process density",
            unit: "index 0\u{2013}1",
            axis: "Process density (index, 0\u{2013}1)",
            kind: Kind::Real,
            range: UNIT,
            description: "D, 0-1",
            mean_title: "",
        },
        value: |w| w.org.management.density,
    },
    Reporter {
        column: Column {
            name: "slack",
            title: "Slack",
            unit: "0\u{2013}1",
            axis: "Mean slack (0\u{2013}1)",
            kind: Kind::Real,
            range: UNIT,
            description: "mean slack (7.2.4)",
            mean_title: "",
        },
        value: |w| w.slack / w.n,
    },
    Reporter {
        column: Column {
            name: "efficiency",
            title: "Efficiency",
            unit: "0\u{2013}1",
            axis: "Efficiency (0\u{2013}1)",
            kind: Kind::Real,
            range: UNIT,
            description: "7.2.3",
            mean_title: "",
        },
        value: |w| w.org.management.efficiency,
    },
    Reporter {
        column: Column {
            name: "engagement",
            title: "Engagement",
            unit: "0\u{2013}1",
            axis: "Mean engagement (0\u{2013}1)",
            kind: Kind::Real,
            range: UNIT,
            description: "mean engagement",
            mean_title: "",
        },
        value: |w| w.engagement / w.n,
    },
    Reporter {
        column: Column {
            name: "leadership_share",
            title: "Leadership share",
            unit: "% leading",
            axis: "Employees leading or helping an initiative",
            kind: Kind::Share,
            range: UNIT,
            description: "share of employees who led or contributed to a running initiative in the last 13 \
             weeks (this week and the 12 before)",
            mean_title: "",
        },
        value: |w| w.leadership_share,
    },
    Reporter {
        column: Column {
            name: "active_initiatives",
            title: "Active initiatives",
            unit: "running",
            axis: "Initiatives running",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "initiatives running at the end of the week",
            mean_title: "",
        },
        value: |w| w.org.initiatives.running().count() as f64,
    },
    Reporter {
        column: Column {
            name: "innovations",
            title: "Innovations",
            unit: "per week",
            axis: "Initiatives completed per week",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "initiatives completed this week",
            mean_title: "",
        },
        value: |w| f64::from(w.org.week.innovations),
    },
    Reporter {
        column: Column {
            name: "innovation_capacity",
            title: "Innovation capacity",
            unit: "per year",
            axis: "Expected innovations per year",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "7.2.8, expected completed initiatives per year",
            mean_title: "",
        },
        value: |w| w.org.capacity,
    },
    Reporter {
        column: Column {
            name: "innovation_capacity_per_100",
            title: "Innovation capacity per 100 employees",
            unit: "per year",
            axis: "Innovations a year per 100 employees",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "per 100 employees",
            mean_title: "",
        },
        value: |w| w.org.capacity / w.n * 100.0,
    },
    Reporter {
        column: crate::march1991::sim::KNOWLEDGE,
        value: |w| w.knowledge,
    },
    Reporter {
        column: Column {
            name: "network_members",
            title: "Network members",
            unit: "volunteers",
            axis: "Volunteers in the network",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "volunteers in the leadership network (urgency group, opt-ins, coalition)",
            mean_title: "",
        },
        value: |w| w.volunteers,
    },
    Reporter {
        column: Column {
            name: "coalition_size",
            title: "Guiding coalition",
            unit: "members",
            axis: "Coalition members",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "guiding-coalition members",
            mean_title: "",
        },
        value: |w| w.coalition,
    },
    Reporter {
        column: Column {
            name: "aware_share",
            title: "Aware of the opportunity",
            unit: "% aware",
            axis: "Employees aware",
            kind: Kind::Share,
            range: UNIT,
            description: "share aware of the big opportunity statement",
            mean_title: "",
        },
        value: |w| w.aware / w.n,
    },
    Reporter {
        column: Column {
            name: "hires",
            title: "Hires",
            unit: "per week",
            axis: "Hires per week",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "hires this week",
            mean_title: "",
        },
        value: |w| f64::from(w.org.week.hires),
    },
    Reporter {
        column: Column {
            name: "exits",
            title: "Exits",
            unit: "per week",
            axis: "Exits per week",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "exits this week",
            mean_title: "",
        },
        value: |w| f64::from(w.org.week.exits),
    },
    Reporter {
        column: Column {
            name: "leadership_time",
            title: "Leadership time",
            unit: "person-weeks/wk",
            axis: "Person-weeks of leadership work a week",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "person-weeks of leadership work this week: initiative work, coalition and \
             urgency-group duties, check-ins (7.2.4)",
            mean_title: "",
        },
        value: |w| w.org.time.leadership,
    },
    Reporter {
        column: Column {
            name: "delivery_time_lost",
            title: "Delivery time lost",
            unit: "person-weeks/wk",
            axis: "Person-weeks of delivery lost a week",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "person-weeks of operational time given to self-chosen work instead of \
             delivery this week, once free time is used up (7.2.4)",
            mean_title: "",
        },
        value: |w| w.org.time.delivery_lost,
    },
    Reporter {
        column: Column {
            name: "delivery_lost_share",
            title: "Share of delivery time lost",
            unit: "% of delivery",
            axis: "Share of delivery time lost",
            kind: Kind::Share,
            range: UNIT,
            description: "`delivery_time_lost` / the week's operational time; efficiency is \
             multiplied by 1 minus it (7.2.3)",
            mean_title: "",
        },
        value: |w| {
            if w.org.time.operational > 0.0 {
                w.org.time.delivery_lost / w.org.time.operational
            } else {
                0.0
            }
        },
    },
    Reporter {
        column: Column {
            name: "phase",
            title: "Phase",
            unit: "",
            axis: "Phase",
            kind: Kind::Label {
                labels: PHASES,
                titles: PHASE_TITLES,
            },
            range: (None, None),
            description: "from density D and leadership share L: `entrepreneurial` if D < 0.2; `growth` if \
             0.2 <= D < 0.45; then `dual` if L >= 0.15, else `bureaucratic`",
            mean_title: "",
        },
        value: |w| phase(w.org.management.density, w.leadership_share) as f64,
    },
];

/// Column indices the outcomes read (checked at compile time).
pub mod col {
    use super::SERIES;
    use crate::model::position;
    /// `headcount`.
    pub const HEADCOUNT: usize = position(SERIES, "headcount");
    /// `efficiency`.
    pub const EFFICIENCY: usize = position(SERIES, "efficiency");
    /// `innovations`.
    pub const INNOVATIONS: usize = position(SERIES, "innovations");
    /// `innovation_capacity`.
    pub const CAPACITY: usize = position(SERIES, "innovation_capacity");
    /// `innovation_capacity_per_100`.
    pub const CAPACITY_PER_100: usize = position(SERIES, "innovation_capacity_per_100");
    /// `knowledge`.
    pub const KNOWLEDGE: usize = position(SERIES, "knowledge");
    /// `phase`.
    pub const PHASE: usize = position(SERIES, "phase");
    /// `leadership_time`.
    pub const LEADERSHIP_TIME: usize = position(SERIES, "leadership_time");
    /// `delivery_time_lost`.
    pub const DELIVERY_LOST: usize = position(SERIES, "delivery_time_lost");
    /// `delivery_lost_share`.
    pub const DELIVERY_LOST_SHARE: usize = position(SERIES, "delivery_lost_share");
}

/// The weeks `from..=to` of a run as the run-level outcomes see them.
pub struct Window<'a> {
    /// Week of the first row.
    from: usize,
    rows: Vec<&'a [f64]>,
    /// The rows of weeks lived (week 0 is the founding state, not a week lived).
    lived: Vec<&'a [f64]>,
    peak: f64,
    peak_i: usize,
    collapse: Option<f64>,
    /// Initiatives quit in the dip / initiatives ended over the whole run (`None` on a window).
    dip_quit_share: Option<f64>,
}

impl Window<'_> {
    fn last(&self, c: usize) -> f64 {
        self.rows[self.rows.len() - 1][c]
    }
    fn sum(&self, c: usize) -> f64 {
        self.lived.iter().map(|r| r[c]).sum()
    }
    fn mean(&self, c: usize) -> f64 {
        self.sum(c) / self.lived.len().max(1) as f64
    }
}

/// A run-level outcome and how it is computed from the weeks it covers.
pub type Outcome = Reporter<fn(&Window) -> Option<f64>>;

/// Years since founding of week `step`.
fn year(step: usize) -> f64 {
    step as f64 / 52.0
}

/// The run-level outcomes, in order, each beside its computation.
pub const OUTCOMES: &[Outcome] = &[
    Reporter {
        column: Column {
            name: "peak_capacity",
            title: "Each run\u{2019}s peak capacity",
            unit: "innovations/yr",
            axis: "Peak capacity (innovations per year)",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "highest weekly `innovation_capacity`",
            mean_title: "mean of run peaks (each run's highest week)",
        },
        value: |w| Some(w.peak),
    },
    Reporter {
        column: Column {
            name: "peak_year",
            title: "Year of each run\u{2019}s peak",
            unit: "years",
            axis: "Years since founding",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "the peak's first week, in years since founding",
            mean_title: "mean year of the run peaks",
        },
        value: |w| Some(year(w.from + w.peak_i)),
    },
    Reporter {
        column: Column {
            name: "final_capacity",
            title: "Innovation capacity at the end",
            unit: "innovations/yr",
            axis: "Final capacity (innovations per year)",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "`innovation_capacity` in the last week",
            mean_title: "mean capacity in the last week",
        },
        value: |w| Some(w.last(col::CAPACITY)),
    },
    Reporter {
        column: Column {
            name: "capacity_auc",
            title: "Capacity over the years",
            unit: "innovations",
            axis: "Expected innovations",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "sum of weekly capacity / 52: expected innovations",
            mean_title: "mean capacity summed over the years",
        },
        value: |w| Some(w.sum(col::CAPACITY) / 52.0),
    },
    Reporter {
        column: Column {
            name: "collapse_year",
            title: "Year capacity collapses",
            unit: "years",
            axis: "Years since founding",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "the first week after the last one with capacity >= 20% of the peak, if capacity is \
             below that at the end; empty otherwise",
            mean_title: "mean year capacity collapses",
        },
        value: |w| w.collapse,
    },
    Reporter {
        column: Column {
            name: "dual_window_years",
            title: "Years with both systems",
            unit: "years",
            axis: "Years",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "weeks in phase `dual` / 52",
            mean_title: "mean years in the dual phase",
        },
        value: |w| Some(w.lived.iter().filter(|r| r[col::PHASE] == 2.0).count() as f64 / 52.0),
    },
    Reporter {
        column: Column {
            name: "cumulative_innovations",
            title: "Innovations completed",
            unit: "",
            axis: "Innovations completed",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "sum of `innovations`: initiatives completed",
            mean_title: "mean innovations completed",
        },
        value: |w| Some(w.sum(col::INNOVATIONS)),
    },
    Reporter {
        column: Column {
            name: "final_knowledge",
            title: "Final knowledge",
            unit: "\u{2212}1 to 1",
            axis: "Knowledge of the code (\u{2212}1 to 1)",
            kind: Kind::Real,
            range: (Some(-1.0), Some(1.0)),
            description: "`knowledge` in the last week",
            mean_title: "mean knowledge in the last week",
        },
        value: |w| Some(w.last(col::KNOWLEDGE)),
    },
    Reporter {
        column: Column {
            name: "mean_efficiency",
            title: "Mean efficiency",
            unit: "0\u{2013}1",
            axis: "Efficiency (0\u{2013}1)",
            kind: Kind::Real,
            range: UNIT,
            description: "mean `efficiency` over the weeks lived",
            mean_title: "mean of each run's weekly mean",
        },
        value: |w| Some(w.mean(col::EFFICIENCY)),
    },
    Reporter {
        column: Column {
            name: "peak_capacity_per_100",
            title: "Each run\u{2019}s peak per 100 employees",
            unit: "per yr",
            axis: "Innovations a year per 100 employees",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "highest weekly `innovation_capacity_per_100`",
            mean_title: "mean of run peaks per 100 employees",
        },
        value: |w| {
            Some(
                w.rows
                    .iter()
                    .map(|r| r[col::CAPACITY_PER_100])
                    .fold(f64::MIN, f64::max),
            )
        },
    },
    Reporter {
        column: Column {
            name: "final_capacity_per_100",
            title: "Final capacity per 100 employees",
            unit: "per yr",
            axis: "Innovations a year per 100 employees",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "`innovation_capacity_per_100` in the last week",
            mean_title: "mean per 100 in the last week",
        },
        value: |w| Some(w.last(col::CAPACITY_PER_100)),
    },
    Reporter {
        column: Column {
            name: "final_headcount",
            title: "Final headcount",
            unit: "employees",
            axis: "Employees",
            kind: Kind::Count,
            range: NON_NEGATIVE,
            description: "`headcount` in the last week",
            mean_title: "mean headcount in the last week",
        },
        value: |w| Some(w.last(col::HEADCOUNT)),
    },
    Reporter {
        column: Column {
            name: "dip_quit_share",
            title: "Initiatives quit in the dip",
            unit: "% of ended",
            axis: "Initiatives quit in the dip",
            kind: Kind::Share,
            range: UNIT,
            description: "initiatives quit in the dip / initiatives ended over the whole run; empty on a \
             window or if none ended",
            mean_title: "mean share of initiatives quit in the dip",
        },
        value: |w| w.dip_quit_share,
    },
    Reporter {
        column: Column {
            name: "mean_capacity_per_100",
            title: "Capacity per 100 employees",
            unit: "per yr",
            axis: "Innovations a year per 100 employees",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "mean `innovation_capacity_per_100` over the weeks lived",
            mean_title: "mean of each run's weekly mean",
        },
        value: |w| Some(w.mean(col::CAPACITY_PER_100)),
    },
    Reporter {
        column: Column {
            name: "leadership_person_weeks",
            title: "Leadership work",
            unit: "person-weeks",
            axis: "Person-weeks of leadership work",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "sum of `leadership_time` over the weeks lived",
            mean_title: "mean person-weeks of leadership work",
        },
        value: |w| Some(w.sum(col::LEADERSHIP_TIME)),
    },
    Reporter {
        column: Column {
            name: "delivery_person_weeks_lost",
            title: "Delivery time lost",
            unit: "person-weeks",
            axis: "Person-weeks of delivery lost",
            kind: Kind::Real,
            range: NON_NEGATIVE,
            description: "sum of `delivery_time_lost` over the weeks lived",
            mean_title: "mean person-weeks of delivery lost",
        },
        value: |w| Some(w.sum(col::DELIVERY_LOST)),
    },
    Reporter {
        column: Column {
            name: "mean_delivery_lost_share",
            title: "Share of delivery time lost",
            unit: "% of delivery",
            axis: "Share of delivery time lost",
            kind: Kind::Share,
            range: UNIT,
            description: "mean `delivery_lost_share` over the weeks lived",
            mean_title: "mean of each run's weekly mean",
        },
        value: |w| Some(w.mean(col::DELIVERY_LOST_SHARE)),
    },
];

/// The outcomes a comparison table shows.
pub const HEADLINE: &[&str] = &[
    "mean_capacity_per_100",
    "capacity_auc",
    "cumulative_innovations",
    "final_capacity",
    "mean_efficiency",
    "delivery_person_weeks_lost",
    "final_headcount",
];

/// The phase from process density and leadership share (thresholds documented in the ODD):
/// entrepreneurial below density 0.2; growth while the management system develops (0.2 to
/// 0.45); then dual while leadership share stays at or above 0.15, bureaucratic once below.
pub fn phase(density: f64, leadership_share: f64) -> usize {
    if density < GROWTH_DENSITY {
        0
    } else if density < MATURE_DENSITY {
        1
    } else if leadership_share >= DUAL_LEADERSHIP {
        2
    } else {
        3
    }
}

/// Expected number of initiatives per year that would be started now and completed, given
/// the current state: the sum over employees not in an initiative of their weekly launch
/// probability past the approval gate times the probability that the initiative they would
/// start now survives its dip, times 52.
///
/// The survival of person i's initiative is exp(-h x W_i): a team of the size and combined
/// capability Q of the initiatives running now (three people of capability 0.5 when none
/// runs), person i plus colleagues of the organization's mean slack x energy, needs
/// `W_i = effort x scope / ((own + (team - 1) x mean) x (0.5 + Q))` weeks, with this week's
/// scope (90-day wins) and a task force's extra scope (1 + density); over them the quit
/// hazard averages h = h(0.5) x (2/3 + background) / (1 + background) at the mean
/// persistence, with this week's check-in support and follow-up (the dip 4p(1 - p) averages
/// 2/3 over an initiative). Each term is the function the dynamics use
/// ([`super::leadership`], [`super::weekly`]), with the same week's conditions.
///
/// This runs both passes over everyone (at founding); in a week the employees' update does
/// the first pass ([`super::weekly::update_all`]) and [`capacity_after_update`] the rest.
pub fn innovation_capacity(
    people: &People,
    initiatives: &Initiatives,
    params: &LifecycleParams,
    week: &WeekContext,
    scratch: &mut Vec<Candidate>,
) -> f64 {
    let efforts = first_pass_all(people, week, scratch);
    capacity_after_update(
        people.headcount(),
        efforts,
        initiatives,
        params,
        week,
        scratch,
    )
}

/// The capacity's first pass over every slot: what everyone would put into an initiative
/// they started now (each slot noted in `scratch` for the second pass), and the sums for the
/// organization's means (the same as the weekly update's, [`Efforts`]).
pub fn first_pass_all(
    people: &People,
    week: &WeekContext,
    scratch: &mut Vec<Candidate>,
) -> Efforts {
    first_pass_slots(&people.hot, &people.traits, week, scratch)
}

/// [`first_pass_all`] over the slots `hot` and `traits`.
pub(super) fn first_pass_slots(
    hot: &[Person],
    traits: &[Traits],
    week: &WeekContext,
    scratch: &mut Vec<Candidate>,
) -> Efforts {
    let table = TimeTable::new(week.density, &week.levers);
    scratch.resize(hot.len(), Candidate::default());
    passes::sum_mut(
        scratch,
        |first, chunk| {
            let slots = first..first + chunk.len();
            if table.plain {
                first_pass::<true>(&table, &hot[slots.clone()], &traits[slots], chunk)
            } else {
                first_pass::<false>(&table, &hot[slots.clone()], &traits[slots], chunk)
            }
        },
        Efforts::join,
    )
}

/// [`innovation_capacity`] from the first pass's sums `efforts` over `headcount` employees
/// and its `candidates` (one a slot).
pub fn capacity_after_update(
    headcount: u32,
    efforts: Efforts,
    initiatives: &Initiatives,
    params: &LifecycleParams,
    week: &WeekContext,
    candidates: &[Candidate],
) -> f64 {
    let l = &params.leadership;
    let (density, levers) = (week.density, &week.levers);
    let n = f64::from(headcount);
    if n == 0.0 {
        return 0.0;
    }
    let (mean_work, persistence) = (efforts.work / n, efforts.persistence / n);
    // Mean team size and quality of the running initiatives, in one pass without a list.
    let (k, members, quality_sum) = initiatives.running().fold((0.0, 0.0, 0.0), |(k, m, q), i| {
        (k + 1.0, m + i.members.len() as f64, q + i.quality)
    });
    let (team, quality) = if k == 0.0 {
        (f64::from(l.team_max.min(3)), 0.5)
    } else {
        (members / k, quality_sum / k)
    };
    // Colleagues' work in the team someone would start.
    let others = (team - 1.0).max(0.0) * mean_work;
    // The quit hazard averaged over an initiative, for one with and without this week's
    // check-ins (only network initiatives get them).
    let hazard = |flags: Flags| {
        let support = dip_support(checkins(levers, flags).0, levers.dip_support);
        let peak = dip_quit_probability(params, 0.5, persistence, density, support, week.fear);
        peak * (2.0 / 3.0 + BACKGROUND_QUIT) / (1.0 + BACKGROUND_QUIT)
    };
    let (ordinary, network) = (hazard(Flags::empty()), hazard(Flags::VOLUNTEER));
    // For the initiative each combination of flags would start: the hazard x weeks it needs
    // is rate / (own + others' work), where rate = hazard x work needed at its scope (a task
    // force's (1 + density)) / (0.5 + Q); a network initiative under 90-day wins is cut to
    // one cycle, so hazard x weeks is at most hazard x cycle. Both in units of ln 2, for
    // survival = exp(-hazard x weeks) = 2^-(hazard x weeks / ln 2).
    let mut rate = [0.0; TIME_CLASSES];
    let mut cap = [f64::INFINITY; TIME_CLASSES];
    for c in 0..TIME_CLASSES {
        let flags = class_flags(c);
        let h = if flags.in_network() {
            network
        } else {
            ordinary
        };
        rate[c] = h * work_needed(params, scope(params, levers, flags, density, 0.0))
            / team_output(1.0, quality)
            * fast_exp::LOG2_E;
        if flags.in_network() && levers.cycle_weeks.is_finite() {
            cap[c] = h * levers.cycle_weeks * fast_exp::LOG2_E;
        }
    }
    // Second pass: each free person's launch rate times the survival of what they would start.
    let capacity = passes::sum(
        candidates.len(),
        |slots| second_pass(&candidates[slots], others, &rate, &cap),
        |a, b| a + b,
    );
    capacity * 52.0
}

/// The capacity's first pass over one chunk of slots: notes each employee's work and launch
/// rate in `out` and returns the sums of work and persistence. `PLAIN`: nobody has
/// protected time or duties this week ([`TimeTable::plain`]). Two slots at a time, in two
/// running sums added at the end, the first sum taking an odd last slot; a free slot counts 0.
#[inline]
fn first_pass<const PLAIN: bool>(
    table: &TimeTable,
    hot: &[Person],
    traits: &[Traits],
    out: &mut [Candidate],
) -> Efforts {
    let one = |h: &Person, t: &Traits, c: &mut Candidate| {
        let alive = h.flags.contains(Flags::ALIVE);
        let work = if PLAIN {
            table.plain_work(t)
        } else {
            table.work(t, h.flags)
        };
        let work = if alive { work } else { 0.0 };
        *c = Candidate {
            work,
            launch: if alive && h.team.is_none() {
                h.launch_rate
            } else {
                0.0
            },
            class: time_class(h.flags) as u32,
        };
        let persistence = if alive { f64::from(t.persistence) } else { 0.0 };
        (work, persistence)
    };
    let (mut work, mut persistence) = ([0.0f64; 2], [0.0f64; 2]);
    let n = hot.len().min(traits.len()).min(out.len());
    let (hot, traits, out) = (&hot[..n], &traits[..n], &mut out[..n]);
    let pairs = n / 2;
    for k in 0..pairs {
        let (i, j) = (2 * k, 2 * k + 1);
        let (oi, oj) = out[i..=j].split_at_mut(1);
        let a = one(&hot[i], &traits[i], &mut oi[0]);
        let b = one(&hot[j], &traits[j], &mut oj[0]);
        work[0] += a.0;
        work[1] += b.0;
        persistence[0] += a.1;
        persistence[1] += b.1;
    }
    if n % 2 == 1 {
        let a = one(&hot[n - 1], &traits[n - 1], &mut out[n - 1]);
        work[0] += a.0;
        persistence[0] += a.1;
    }
    Efforts {
        work: work[0] + work[1],
        persistence: persistence[0] + persistence[1],
    }
}

/// The capacity's second pass over one chunk's candidates: the sum of launch rate x
/// survival, survival = 2^-min(rate / (own + others' work), cap) by the flags' class (in
/// units of ln 2). Four candidates at a time, candidate i in running sum i mod 4, the sums
/// added as (s0 + s1) + (s2 + s3) at the end: the same order on every platform, and
/// straight-line code the compiler runs two or four to an instruction (with AVX2 where the
/// processor has it, [`second_pass_wide`]; each lane does the same IEEE operations, so the
/// bits do not change). Survival below 2^-1020 counts as 2^-1020.
fn second_pass(
    candidates: &[Candidate],
    others: f64,
    rate: &[f64; TIME_CLASSES],
    cap: &[f64; TIME_CLASSES],
) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2 (checked just above).
        return unsafe { second_pass_wide(candidates, others, rate, cap) };
    }
    second_pass_lanes(candidates, others, rate, cap)
}

/// [`second_pass_lanes`] with AVX2: four candidates a step, each in its lane, through the
/// same IEEE operations as [`term`] (so the same bits); the rates, caps and the exponential's
/// table are read by gathers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn second_pass_wide(
    candidates: &[Candidate],
    others: f64,
    rate: &[f64; TIME_CLASSES],
    cap: &[f64; TIME_CLASSES],
) -> f64 {
    use std::arch::x86_64::*;
    const _: () = assert!(std::mem::size_of::<Candidate>() == 16 && TIME_CLASSES == 32);
    let mut sums = _mm256_setzero_pd();
    let mut quads = candidates.chunks_exact(4);
    let others_x4 = _mm256_set1_pd(others);
    for quad in &mut quads {
        // SAFETY: a quad is 64 bytes; unaligned loads.
        let (a, b) = unsafe {
            let at = quad.as_ptr().cast::<f64>();
            (_mm256_loadu_pd(at), _mm256_loadu_pd(at.add(4)))
        };
        // a = [w0, x0, w1, x1], b = [w2, x2, w3, x3], x = (launch, class): deinterleaved.
        let work = _mm256_permute4x64_pd::<0b11_01_10_00>(_mm256_unpacklo_pd(a, b));
        let x = _mm256_castpd_si256(_mm256_unpackhi_pd(a, b));
        let x = _mm256_permutevar8x32_epi32(x, _mm256_setr_epi32(0, 4, 2, 6, 1, 5, 3, 7));
        let launch = _mm256_cvtps_pd(_mm_castsi128_ps(_mm256_castsi256_si128(x)));
        let class = _mm_and_si128(_mm256_extracti128_si256::<1>(x), _mm_set1_epi32(31));
        let total = _mm256_add_pd(work, others_x4);
        // SAFETY: every class is below 32, the tables' length.
        let (rate, cap) = unsafe {
            (
                _mm256_i32gather_pd::<8>(rate.as_ptr(), class),
                _mm256_i32gather_pd::<8>(cap.as_ptr(), class),
            )
        };
        // min and max take their first operand where `<` and `>` hold, else the second, as
        // `term` does.
        let exposure = _mm256_min_pd(_mm256_div_pd(rate, total), cap);
        let t = _mm256_xor_pd(exposure, _mm256_set1_pd(-0.0));
        let t = _mm256_max_pd(t, _mm256_set1_pd(-1020.0));
        let positive = _mm256_cmp_pd::<_CMP_GT_OQ>(total, _mm256_setzero_pd());
        let weight = _mm256_and_pd(positive, launch);
        let term = _mm256_mul_pd(weight, fast_exp::exp2_normal_x4(t));
        sums = _mm256_add_pd(sums, term);
    }
    let mut sums: [f64; 4] = unsafe { std::mem::transmute(sums) };
    for (s, c) in sums.iter_mut().zip(quads.remainder()) {
        *s += term(c, others, rate, cap);
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3])
}

/// A candidate's weight (0 for none, or a team that would do no work) x survival.
#[inline(always)]
fn term(c: &Candidate, others: f64, rate: &[f64; TIME_CLASSES], cap: &[f64; TIME_CLASSES]) -> f64 {
    let total = c.work + others;
    let class = c.class as usize % TIME_CLASSES;
    let exposure = rate[class] / total;
    let exposure = if exposure < cap[class] {
        exposure
    } else {
        cap[class]
    };
    let t = -exposure;
    let t = if t > -1020.0 { t } else { -1020.0 };
    let weight = if total > 0.0 {
        f64::from(c.launch)
    } else {
        0.0
    };
    weight * fast_exp::exp2_normal(t)
}

/// [`second_pass`]'s sums.
#[inline(always)]
fn second_pass_lanes(
    candidates: &[Candidate],
    others: f64,
    rate: &[f64; TIME_CLASSES],
    cap: &[f64; TIME_CLASSES],
) -> f64 {
    let term = |c: &Candidate| term(c, others, rate, cap);
    let mut sums = [0.0f64; 4];
    let mut quads = candidates.chunks_exact(4);
    for quad in &mut quads {
        let terms = [
            term(&quad[0]),
            term(&quad[1]),
            term(&quad[2]),
            term(&quad[3]),
        ];
        for (s, t) in sums.iter_mut().zip(terms) {
            *s += t;
        }
    }
    for (s, c) in sums.iter_mut().zip(quads.remainder()) {
        *s += term(c);
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3])
}

/// Sums over the employees for the weekly row.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    slack: f64,
    engagement: f64,
    leading: u32,
    aware: u32,
    volunteers: u32,
    coalition: u32,
}

impl Sums {
    fn join(self, o: Sums) -> Sums {
        Sums {
            slack: self.slack + o.slack,
            engagement: self.engagement + o.engagement,
            leading: self.leading + o.leading,
            aware: self.aware + o.aware,
            volunteers: self.volunteers + o.volunteers,
            coalition: self.coalition + o.coalition,
        }
    }
}

/// Adds one slot to the weekly row's sums (nothing for a free slot); `led_since` and `PLAIN`
/// as in [`row_sums`].
#[inline(always)]
fn add_slot<const PLAIN: bool>(
    s: &mut Sums,
    table: &TimeTable,
    h: &Person,
    t: &Traits,
    led_since: u32,
) {
    if !h.flags.contains(Flags::ALIVE) {
        return;
    }
    s.slack += if PLAIN {
        table.plain_slack(t)
    } else {
        table.slack(t, h.flags)
    };
    s.engagement += f64::from(h.engagement);
    s.leading += u32::from(h.last_led >= led_since);
    if h.flags
        .intersects(Flags::AWARE | Flags::VOLUNTEER | Flags::COALITION)
    {
        s.aware += u32::from(h.flags.contains(Flags::AWARE));
        s.volunteers += u32::from(h.flags.contains(Flags::VOLUNTEER));
        s.coalition += u32::from(h.flags.contains(Flags::COALITION));
    }
}

/// The weekly row's sums over one chunk of slots; `led_since`: the first `last_led` that
/// counts as leading in the last 13 weeks. `PLAIN` as in [`first_pass`]. Slack and
/// engagement are summed in slot order; in plain weeks eight slots a step with AVX2 where
/// the processor has it ([`row_sums_wide`], the same sums to the bit).
#[inline]
fn row_sums<const PLAIN: bool>(
    table: &TimeTable,
    hot: &[Person],
    traits: &[Traits],
    led_since: u32,
) -> Sums {
    #[cfg(target_arch = "x86_64")]
    if PLAIN && led_since > 0 && std::arch::is_x86_feature_detected!("avx2") {
        // Free time is (1 - operational load) x `open` ([`row_sums_wide`] computes it so; the
        // test the_wide_row_sums_have_the_same_bits holds it to `plain_slack`): `open` is the
        // free time of a load of 0.
        let open = table.plain_slack(&Traits::default());
        if open.is_finite() {
            // SAFETY: the processor has AVX2 (checked just above).
            return unsafe { row_sums_wide(table, open, hot, traits, led_since) };
        }
    }
    row_sums_lanes::<PLAIN>(table, hot, traits, led_since)
}

/// [`row_sums`] one slot after another (two a step: the same sums in slot order, with half
/// the loop's bookkeeping).
#[inline(always)]
fn row_sums_lanes<const PLAIN: bool>(
    table: &TimeTable,
    hot: &[Person],
    traits: &[Traits],
    led_since: u32,
) -> Sums {
    let mut s = Sums::default();
    let mut pairs = hot.chunks_exact(2).zip(traits.chunks_exact(2));
    for (h, t) in &mut pairs {
        add_slot::<PLAIN>(&mut s, table, &h[0], &t[0], led_since);
        add_slot::<PLAIN>(&mut s, table, &h[1], &t[1], led_since);
    }
    if hot.len() % 2 == 1 && hot.len() <= traits.len() {
        let last = hot.len() - 1;
        add_slot::<PLAIN>(&mut s, table, &hot[last], &traits[last], led_since);
    }
    s
}

/// [`row_sums_lanes`] in a plain week with AVX2: eight slots a step, each in its lane
/// (each field read as usual and put in its lane: AVX2's gathers read fewer instructions
/// but took longer on the AMD processors measured). Slack ((1 - operational load) x `open`, as
/// [`TimeTable::plain_slack`]) and engagement are computed per lane with the same IEEE
/// operations and added to the running sums one lane after another, in slot order, so the
/// sums have the same bits; a free slot's lanes hold +0 (its load read as 1, its engagement
/// as 0), which leaves a running sum unchanged: the sums start at +0 and a sum of IEEE
/// additions that starts at +0 is never -0, the one value to which adding +0 is not the
/// identity (`open` is finite, so the free slot's slack is 0 x `open` = ±0; its `last_led`
/// reads as 0, below `led_since`, which is at least 1). The counts are kept per lane (the
/// network's in units of their flag's bit: a lane holds 2^26 slots' worth) and added at
/// the end; the last slots of a chunk that do not fill a step are added one by one.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn row_sums_wide(
    table: &TimeTable,
    open: f64,
    hot: &[Person],
    traits: &[Traits],
    led_since: u32,
) -> Sums {
    use std::arch::x86_64::*;
    let n = hot.len().min(traits.len());
    let (hot, traits) = (&hot[..n], &traits[..n]);
    let bit = |f: Flags| _mm256_set1_epi32(i32::from(f.bits()));
    let (alive_bit, network) = (
        bit(Flags::ALIVE),
        bit(Flags::AWARE | Flags::VOLUNTEER | Flags::COALITION),
    );
    let since = _mm256_set1_epi32(led_since as i32);
    let (one, one_x8, open_x4) = (
        _mm256_set1_pd(1.0),
        _mm256_set1_ps(1.0),
        _mm256_set1_pd(open),
    );
    let zero = _mm256_setzero_si256();
    // [slack, engagement]
    let mut sums = _mm_setzero_pd();
    let (mut leading, mut aware, mut volunteers, mut coalition) = (zero, zero, zero, zero);
    for (h, t) in hot.chunks_exact(8).zip(traits.chunks_exact(8)) {
        let f = |k: usize| i32::from(h[k].flags.bits());
        let word = _mm256_setr_epi32(f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7));
        // All ones in the lanes of employees.
        let alive = _mm256_cmpeq_epi32(_mm256_and_si256(word, alive_bit), alive_bit);
        let live = _mm256_castsi256_ps(alive);
        // A free slot's lanes read as engagement 0, `last_led` 0 (never), load 1.
        let e = |k: usize| h[k].engagement;
        let l = |k: usize| h[k].last_led as i32;
        let o = |k: usize| t[k].operational_load;
        let (engagement, last_led, load) = (
            _mm256_and_ps(
                _mm256_setr_ps(e(0), e(1), e(2), e(3), e(4), e(5), e(6), e(7)),
                live,
            ),
            _mm256_and_si256(
                _mm256_setr_epi32(l(0), l(1), l(2), l(3), l(4), l(5), l(6), l(7)),
                alive,
            ),
            _mm256_blendv_ps(
                one_x8,
                _mm256_setr_ps(o(0), o(1), o(2), o(3), o(4), o(5), o(6), o(7)),
                live,
            ),
        );
        let halves = [
            (
                _mm256_castps256_ps128(load),
                _mm256_castps256_ps128(engagement),
            ),
            (
                _mm256_extractf128_ps::<1>(load),
                _mm256_extractf128_ps::<1>(engagement),
            ),
        ];
        for (load, engagement) in halves {
            let slack = _mm256_mul_pd(_mm256_sub_pd(one, _mm256_cvtps_pd(load)), open_x4);
            let engagement = _mm256_cvtps_pd(engagement);
            // [s0, e0, s2, e2] and [s1, e1, s3, e3]: the slots in order, both sums at once.
            let even = _mm256_unpacklo_pd(slack, engagement);
            let odd = _mm256_unpackhi_pd(slack, engagement);
            sums = _mm_add_pd(sums, _mm256_castpd256_pd128(even));
            sums = _mm_add_pd(sums, _mm256_castpd256_pd128(odd));
            sums = _mm_add_pd(sums, _mm256_extractf128_pd::<1>(even));
            sums = _mm_add_pd(sums, _mm256_extractf128_pd::<1>(odd));
        }
        // last_led >= led_since (unsigned; a free slot's 0 is below it), counted as -1.
        let led = _mm256_cmpeq_epi32(_mm256_max_epu32(last_led, since), last_led);
        leading = _mm256_sub_epi32(leading, led);
        let net = _mm256_and_si256(word, network);
        if _mm256_testz_si256(net, alive) == 0 {
            // Each lane counts in units of its flag's bit.
            let net = _mm256_and_si256(net, alive);
            let count = |f: Flags| _mm256_and_si256(net, _mm256_set1_epi32(i32::from(f.bits())));
            aware = _mm256_add_epi32(aware, count(Flags::AWARE));
            volunteers = _mm256_add_epi32(volunteers, count(Flags::VOLUNTEER));
            coalition = _mm256_add_epi32(coalition, count(Flags::COALITION));
        }
    }
    // SAFETY (both): a vector is its lanes' bits.
    let total = |v: __m256i| -> u32 {
        let lanes: [u32; 8] = unsafe { std::mem::transmute(v) };
        lanes.iter().sum()
    };
    let [slack, engagement]: [f64; 2] = unsafe { std::mem::transmute(sums) };
    let mut s = Sums {
        slack,
        engagement,
        leading: total(leading),
        aware: total(aware) / u32::from(Flags::AWARE.bits()),
        volunteers: total(volunteers) / u32::from(Flags::VOLUNTEER.bits()),
        coalition: total(coalition) / u32::from(Flags::COALITION.bits()),
    };
    let rest = n - n % 8;
    for (h, t) in hot[rest..].iter().zip(&traits[rest..]) {
        add_slot::<true>(&mut s, table, h, t, led_since);
    }
    s
}

/// Writes the weekly row.
pub fn observe(org: &Org, params: &LifecycleParams, row: &mut [f64]) {
    let table = TimeTable::new(org.management.density, &org.levers);
    let (hot, traits) = (&org.people.hot[..], &org.people.traits[..]);
    // Led or contributed this week or in the 12 before: `last_led` (1 + the step, 0 for never)
    // is at least the step - 12, and at least 1.
    let led_since = org.step.saturating_sub(12).max(1);
    let sums = passes::sum(
        hot.len(),
        |slots| {
            let (hot, traits) = (&hot[slots.clone()], &traits[slots]);
            if table.plain {
                row_sums::<true>(&table, hot, traits, led_since)
            } else {
                row_sums::<false>(&table, hot, traits, led_since)
            }
        },
        Sums::join,
    );
    let n = f64::from(org.headcount().max(1));
    let week = Week {
        org,
        n,
        slack: sums.slack,
        engagement: sums.engagement,
        leadership_share: f64::from(sums.leading) / n,
        aware: f64::from(sums.aware),
        volunteers: f64::from(sums.volunteers),
        coalition: f64::from(sums.coalition),
        knowledge: org.knowledge.share(params.knowledge.m),
    };
    for (slot, r) in row.iter_mut().zip(SERIES) {
        *slot = (r.value)(&week);
    }
}

/// The run-level outcomes over weeks `from..=to` of the weekly series (the whole run is
/// `0..=last`). Years are years since founding. `dip_quit_share` needs the run's totals: it is
/// given for whole runs and `None` on a window.
pub fn window_outcomes(
    series: &Series,
    from: usize,
    to: usize,
    dip_quit_share: Option<f64>,
) -> Vec<Option<f64>> {
    let rows: Vec<&[f64]> = (from..=to).map(|s| series.row(s)).collect();
    let capacity: Vec<f64> = rows.iter().map(|r| r[col::CAPACITY]).collect();
    let (peak_i, peak) =
        capacity
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, f64::MIN),
                |best, (i, c)| if c > best.1 { (i, c) } else { best },
            );
    let last = rows.len() - 1;
    // Collapse: the first week after the peak from which capacity stays below 20% of it.
    let threshold = 0.2 * peak;
    let collapse = if peak > 0.0 && capacity[last] < threshold {
        let last_above = capacity
            .iter()
            .rposition(|&c| c >= threshold)
            .unwrap_or(peak_i);
        Some(year(from + last_above + 1))
    } else {
        None
    };
    let lived = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| from + i > 0)
        .map(|(_, r)| *r)
        .collect();
    let window = Window {
        from,
        rows,
        lived,
        peak,
        peak_i,
        collapse,
        dip_quit_share,
    };
    OUTCOMES.iter().map(|o| (o.value)(&window)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_the_thresholds() {
        assert_eq!(PHASES[phase(0.1, 0.6)], "entrepreneurial");
        assert_eq!(PHASES[phase(0.3, 0.05)], "growth");
        assert_eq!(PHASES[phase(0.5, 0.2)], "dual");
        assert_eq!(PHASES[phase(0.5, 0.1)], "bureaucratic");
        assert_eq!(SERIES[col::PHASE].column.name, "phase");
        assert_eq!(SERIES[col::CAPACITY].column.name, "innovation_capacity");
        assert_eq!(SERIES[col::KNOWLEDGE].column.name, "knowledge");
        assert!(
            HEADLINE
                .iter()
                .all(|h| OUTCOMES.iter().any(|o| o.column.name == *h))
        );
        assert_eq!(PHASES.len(), PHASE_TITLES.len());
    }

    /// The capacity's second pass gives the same bits with AVX2 as without (each lane does the
    /// same IEEE operations in the same order), for every remainder of four.
    #[test]
    fn the_wide_second_pass_has_the_same_bits() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let candidates: Vec<Candidate> = (0..1003)
            .map(|i| Candidate {
                work: if i % 17 == 0 { 0.0 } else { next() },
                launch: if i % 13 == 0 {
                    0.0
                } else {
                    next() as f32 * 0.01
                },
                class: (next() * 32.0) as u32,
            })
            .collect();
        let rate: [f64; TIME_CLASSES] = std::array::from_fn(|_| 0.05 + next() * 3.0);
        let cap: [f64; TIME_CLASSES] =
            std::array::from_fn(|c| if c % 2 == 1 { next() } else { f64::INFINITY });
        for (n, others) in [(1003, 0.7), (1002, 0.0), (1001, 1.3), (1000, 0.2), (3, 0.0)] {
            let c = &candidates[..n];
            let lanes = second_pass_lanes(c, others, &rate, &cap);
            assert_eq!(
                second_pass(c, others, &rate, &cap).to_bits(),
                lanes.to_bits()
            );
            assert!(lanes > 0.0);
        }
    }

    /// The weekly row's sums have the same bits with AVX2 as one slot after another, on
    /// made-up people: free slots with stale flags, engagement and `last_led`, every
    /// combination of the flags, `last_led` on both sides of `led_since` (and past 2^31),
    /// zero and negative-zero engagement, every remainder of eight, plain weeks at several
    /// densities (1: no free time) and a week with protected time and duties.
    #[test]
    fn the_wide_row_sums_have_the_same_bits() {
        use super::super::state::Levers;
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            x >> 11
        };
        let slots = 1013;
        let (mut hot, mut traits) = (
            vec![Person::default(); slots],
            vec![Traits::default(); slots],
        );
        for (i, (h, t)) in hot.iter_mut().zip(&mut traits).enumerate() {
            let r = next();
            h.flags = Flags::from_bits_truncate(r as u16);
            h.flags.set(Flags::ALIVE, i % 5 != 0);
            // Engagement of both signs and many magnitudes (beyond the model's 0 to 1), so
            // that adding in another order changes the sum's bits.
            let unit = (next() >> 29) as f32 / (1u64 << 24) as f32;
            let scale = 1.0 / (1u64 << ((r >> 16) % 60)) as f32;
            h.engagement = match i % 13 {
                0 => 0.0,
                1 => -0.0,
                _ if r & 1 << 15 != 0 => -unit * scale,
                _ => unit * scale,
            };
            h.last_led = match i % 17 {
                0 => u32::MAX,
                1 => 0,
                _ => (r >> 20) as u32 % 40,
            };
            let unit = (next() >> 29) as f32 / (1u64 << 24) as f32;
            t.operational_load = if i % 3 == 0 { 1.0 - scale } else { unit * 0.95 };
        }
        let sums = |table: &TimeTable, n: usize, led_since: u32| {
            let (h, t) = (&hot[..n], &traits[..n]);
            if table.plain {
                // The wide pass itself where this processor can run it (row_sums would fall
                // back to the plain loop, which would then be compared with itself).
                #[cfg(target_arch = "x86_64")]
                let wide = if std::arch::is_x86_feature_detected!("avx2") && led_since > 0 {
                    let open = table.plain_slack(&Traits::default());
                    // SAFETY: the processor has AVX2 (checked just above).
                    unsafe { row_sums_wide(table, open, h, t, led_since) }
                } else {
                    row_sums::<true>(table, h, t, led_since)
                };
                #[cfg(not(target_arch = "x86_64"))]
                let wide = row_sums::<true>(table, h, t, led_since);
                (wide, row_sums_lanes::<true>(table, h, t, led_since))
            } else {
                (
                    row_sums::<false>(table, h, t, led_since),
                    row_sums_lanes::<false>(table, h, t, led_since),
                )
            }
        };
        let duties = Levers {
            protected_slack: 0.1,
            urgency_time: 0.3,
            coalition_time: 0.2,
            ..Levers::NEUTRAL
        };
        let tables = [
            TimeTable::new(0.37, &Levers::NEUTRAL),
            TimeTable::new(0.0, &Levers::NEUTRAL),
            TimeTable::new(1.0, &Levers::NEUTRAL),
            TimeTable::new(0.6, &duties),
        ];
        assert!(tables[..3].iter().all(|t| t.plain) && !tables[3].plain);
        for table in &tables {
            for n in (0..=17).chain(1000..=1008).chain([slots]) {
                for led_since in [1, 20] {
                    let (wide, lanes) = sums(table, n, led_since);
                    let what = format!("{n} slots from {led_since}: {wide:?} against {lanes:?}");
                    assert_eq!(wide.slack.to_bits(), lanes.slack.to_bits(), "{what}");
                    assert_eq!(
                        wide.engagement.to_bits(),
                        lanes.engagement.to_bits(),
                        "{what}"
                    );
                    let counts = |s: Sums| (s.leading, s.aware, s.volunteers, s.coalition);
                    assert_eq!(counts(wide), counts(lanes), "{what}");
                    if n == slots {
                        // The data tell slot order from another.
                        let backwards = hot
                            .iter()
                            .rev()
                            .filter(|h| h.flags.contains(Flags::ALIVE))
                            .fold(0.0, |s, h| s + f64::from(h.engagement));
                        assert_ne!(backwards.to_bits(), lanes.engagement.to_bits());
                        assert!(lanes.engagement != 0.0 && lanes.coalition > 50, "{what}");
                        assert!(lanes.leading > 50 && lanes.leading < 4 * n as u32 / 5);
                        // No free time at density 1.
                        let free = !table.plain || table.plain_slack(&Traits::default()) > 0.0;
                        assert_eq!(lanes.slack > 0.0, free, "{what}");
                    }
                }
            }
        }
    }

    /// Every outcome says what its mean across runs is (the summary table prints it), and a
    /// peak's says which peak; no per-step column claims one.
    #[test]
    fn outcomes_declare_what_their_mean_is() {
        for o in OUTCOMES {
            assert!(!o.column.mean_title.is_empty(), "{}", o.column.name);
        }
        let series = SERIES.iter().map(|r| r.column);
        for c in series.chain(crate::march1991::sim::SERIES.iter().map(|r| r.column)) {
            assert!(c.mean_title.is_empty(), "{}", c.name);
        }
        for o in crate::march1991::sim::OUTCOMES {
            assert!(!o.column.mean_title.is_empty(), "{}", o.column.name);
        }
        let peak = &OUTCOMES[crate::model::position(OUTCOMES, "peak_capacity")].column;
        assert!(peak.mean_title.starts_with("mean of run peaks"));
        let manifest = peak.to_json();
        assert_eq!(manifest["mean_title"], peak.mean_title);
    }
}
