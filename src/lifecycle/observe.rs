//! What the life-cycle model reports: the weekly columns of the brief, the phase, innovation
//! capacity (defined from the state), and the run-level outcomes.

use super::leadership::{
    BACKGROUND_QUIT, Initiatives, dip_quit_probability, dip_support, scope, team_output,
    work_needed,
};
use super::params::LifecycleParams;
use super::people::{Flags, People};
use super::state::Org;
use super::weekly::{WeekContext, slack, work};
use crate::model::Series;

/// Weekly columns, in order (`phase` is written as its label).
pub const SERIES: &[&str] = &[
    "headcount",
    "managers",
    "levels",
    "process_density",
    "slack",
    "efficiency",
    "engagement",
    "leadership_share",
    "active_initiatives",
    "innovations",
    "innovation_capacity",
    "innovation_capacity_per_100",
    "knowledge",
    "network_members",
    "coalition_size",
    "aware_share",
    "hires",
    "exits",
    "phase",
];

/// The per-step columns that count people, levels or events (whole numbers).
pub const COUNTS: &[&str] = &[
    "headcount",
    "managers",
    "levels",
    "active_initiatives",
    "innovations",
    "network_members",
    "coalition_size",
    "hires",
    "exits",
];

/// Column indices used by the outcomes.
pub mod col {
    /// `headcount`.
    pub const HEADCOUNT: usize = 0;
    /// `process_density`.
    pub const DENSITY: usize = 3;
    /// `efficiency`.
    pub const EFFICIENCY: usize = 5;
    /// `leadership_share`.
    pub const LEADERSHIP: usize = 7;
    /// `innovations`.
    pub const INNOVATIONS: usize = 9;
    /// `innovation_capacity`.
    pub const CAPACITY: usize = 10;
    /// `innovation_capacity_per_100`.
    pub const CAPACITY_PER_100: usize = 11;
    /// `knowledge`.
    pub const KNOWLEDGE: usize = 12;
    /// `phase`.
    pub const PHASE: usize = 18;
}

/// The phases, in life-cycle order; `phase` holds the index.
pub const PHASES: &[&str] = &["entrepreneurial", "growth", "dual", "bureaucratic"];

/// Process density below which the organization is entrepreneurial.
pub const GROWTH_DENSITY: f64 = 0.2;
/// Process density from which the management system is fully developed.
pub const MATURE_DENSITY: f64 = 0.45;
/// Leadership share from which a mature organization still runs a leadership system.
pub const DUAL_LEADERSHIP: f64 = 0.15;

/// Run-level outcomes, in order.
pub const OUTCOMES: &[&str] = &[
    "peak_capacity",
    "peak_year",
    "final_capacity",
    "capacity_auc",
    "collapse_year",
    "dual_window_years",
    "cumulative_innovations",
    "final_knowledge",
    "mean_efficiency",
    "peak_capacity_per_100",
    "final_capacity_per_100",
    "final_headcount",
    "dip_quit_share",
    "mean_capacity_per_100",
];

/// What each outcome's mean across runs is, in words (the summary table prints them, so
/// "peak" never names two numbers: each run's own peak averaged is not the peak of the
/// mean curve, which the trajectory and the capacity chart show).
pub const OUTCOME_MEANS: &[(&str, &str)] = &[
    (
        "peak_capacity",
        "mean of run peaks (each run's highest week)",
    ),
    ("peak_year", "mean year of the run peaks"),
    ("final_capacity", "mean capacity in the last week"),
    ("capacity_auc", "mean capacity summed over the years"),
    ("collapse_year", "mean year capacity collapses"),
    ("dual_window_years", "mean years in the dual phase"),
    ("cumulative_innovations", "mean innovations completed"),
    ("final_knowledge", "mean knowledge in the last week"),
    ("mean_efficiency", "mean of each run's weekly mean"),
    (
        "peak_capacity_per_100",
        "mean of run peaks per 100 employees",
    ),
    ("final_capacity_per_100", "mean per 100 in the last week"),
    ("final_headcount", "mean headcount in the last week"),
    (
        "dip_quit_share",
        "mean share of initiatives quit in the dip",
    ),
    ("mean_capacity_per_100", "mean of each run's weekly mean"),
];

/// Index of `dip_quit_share` in [`OUTCOMES`] (not defined on a window of a run).
pub const DIP_QUIT_SHARE: usize = 12;

/// The outcomes a comparison table shows.
pub const HEADLINE: &[&str] = &[
    "mean_capacity_per_100",
    "capacity_auc",
    "cumulative_innovations",
    "final_capacity",
    "mean_efficiency",
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
pub fn innovation_capacity(
    people: &People,
    initiatives: &Initiatives,
    params: &LifecycleParams,
    week: &WeekContext,
    scratch: &mut Vec<f64>,
) -> f64 {
    let l = &params.leadership;
    let (density, levers) = (week.density, &week.levers);
    let mut n = 0.0;
    let mut work_sum = 0.0;
    let mut persistence = 0.0;
    scratch.clear();
    scratch.resize(people.slots(), 0.0);
    for (i, h) in people.hot.iter().enumerate() {
        if h.flags.contains(Flags::ALIVE) {
            n += 1.0;
            let w = work(&people.traits[i], h.flags, density, levers);
            scratch[i] = w;
            work_sum += w;
            persistence += f64::from(people.traits[i].persistence);
        }
    }
    if n == 0.0 {
        return 0.0;
    }
    let (mean_work, persistence) = (work_sum / n, persistence / n);
    let running: Vec<_> = initiatives.running().collect();
    let (team, quality) = if running.is_empty() {
        (f64::from(l.team_max.min(3)), 0.5)
    } else {
        let k = running.len() as f64;
        (
            running.iter().map(|i| i.members.len() as f64).sum::<f64>() / k,
            running.iter().map(|i| i.quality).sum::<f64>() / k,
        )
    };
    let support = dip_support(levers.checkin_support, levers.dip_support);
    let peak = dip_quit_probability(params, 0.5, persistence, density, support, week.fear);
    let hazard = peak * (2.0 / 3.0 + BACKGROUND_QUIT) / (1.0 + BACKGROUND_QUIT);
    let mut capacity = 0.0;
    for (i, h) in people.hot.iter().enumerate() {
        if !h.flags.contains(Flags::ALIVE) || h.team.is_some() || h.launch_rate <= 0.0 {
            continue;
        }
        let weekly = team_output(scratch[i] + (team - 1.0).max(0.0) * mean_work, quality);
        if weekly <= 0.0 {
            continue;
        }
        let weeks = work_needed(params, scope(levers, h.flags, density)) / weekly;
        capacity += f64::from(h.launch_rate) * libm::exp(-hazard * weeks);
    }
    capacity * 52.0
}

/// Writes the weekly row.
pub fn observe(org: &Org, params: &LifecycleParams, row: &mut [f64]) {
    let mut slack_sum = 0.0;
    let mut engagement = 0.0;
    let mut leading = 0u32;
    let mut aware = 0u32;
    let mut volunteers = 0u32;
    let mut coalition = 0u32;
    for (h, t) in org.people.hot.iter().zip(&org.people.traits) {
        if !h.flags.contains(Flags::ALIVE) {
            continue;
        }
        slack_sum += slack(t, h.flags, org.management.density, &org.levers);
        engagement += f64::from(h.engagement);
        if h.last_led > 0 && org.step - h.last_led < 13 {
            leading += 1;
        }
        aware += u32::from(h.flags.contains(Flags::AWARE));
        volunteers += u32::from(h.flags.contains(Flags::VOLUNTEER));
        coalition += u32::from(h.flags.contains(Flags::COALITION));
    }
    let n = f64::from(org.headcount().max(1));
    let leadership_share = f64::from(leading) / n;
    let knowledge = org.knowledge.share(params.knowledge.m);
    let active = org.initiatives.running().count();
    row[0] = f64::from(org.headcount());
    row[1] = f64::from(org.chart.managers);
    row[2] = org.chart.levels() as f64;
    row[3] = org.management.density;
    row[4] = slack_sum / n;
    row[5] = org.management.efficiency;
    row[6] = engagement / n;
    row[7] = leadership_share;
    row[8] = active as f64;
    row[9] = f64::from(org.week.innovations);
    row[10] = org.capacity;
    row[11] = org.capacity / n * 100.0;
    row[12] = knowledge;
    row[13] = f64::from(volunteers);
    row[14] = f64::from(coalition);
    row[15] = f64::from(aware) / n;
    row[16] = f64::from(org.week.hires);
    row[17] = f64::from(org.week.exits);
    row[18] = phase(org.management.density, leadership_share) as f64;
}

/// The run-level outcomes over weeks `from..=to` of the weekly series (the whole run is
/// `0..=last`). Years are years since founding. `dip_quit_share` needs the run's totals and is
/// left undefined here (the model fills it in for whole runs).
pub fn window_outcomes(series: &Series, from: usize, to: usize) -> Vec<Option<f64>> {
    let year = |step: usize| step as f64 / 52.0;
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
    // Week 0 is the founding state, not a week lived: sums and means start at week 1.
    let lived: Vec<&&[f64]> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| from + i > 0)
        .map(|(_, r)| r)
        .collect();
    let weeks = lived.len().max(1) as f64;
    let sum = |c: usize| lived.iter().map(|r| r[c]).sum::<f64>();
    let dual_weeks = lived.iter().filter(|r| r[col::PHASE] == 2.0).count();
    let peak_per_100 = rows
        .iter()
        .map(|r| r[col::CAPACITY_PER_100])
        .fold(f64::MIN, f64::max);
    vec![
        Some(peak),
        Some(year(from + peak_i)),
        Some(capacity[last]),
        Some(sum(col::CAPACITY) / 52.0),
        collapse,
        Some(dual_weeks as f64 / 52.0),
        Some(sum(col::INNOVATIONS)),
        Some(rows[last][col::KNOWLEDGE]),
        Some(sum(col::EFFICIENCY) / weeks),
        Some(peak_per_100),
        Some(rows[last][col::CAPACITY_PER_100]),
        Some(rows[last][col::HEADCOUNT]),
        None,
        Some(sum(col::CAPACITY_PER_100) / weeks),
    ]
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
        assert_eq!(SERIES[col::PHASE], "phase");
        assert_eq!(SERIES[col::CAPACITY], "innovation_capacity");
        assert_eq!(SERIES[col::KNOWLEDGE], "knowledge");
        assert_eq!(OUTCOMES[DIP_QUIT_SHARE], "dip_quit_share");
        assert!(HEADLINE.iter().all(|h| OUTCOMES.contains(h)));
        assert!(COUNTS.iter().all(|c| SERIES.contains(c)));
    }
}
