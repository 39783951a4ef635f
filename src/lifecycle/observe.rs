//! What the life-cycle model reports: the weekly columns of the brief, the phase, innovation
//! capacity (defined from the state), and the run-level outcomes.

use super::leadership::{BACKGROUND_QUIT, dip_quit_probability};
use super::params::LifecycleParams;
use super::people::{FLAG_ALIVE, FLAG_AWARE, FLAG_COALITION, FLAG_VOLUNTEER, NO_TEAM};
use super::state::Org;
use super::weekly::slack;
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
/// probability past the approval gate, times the probability that an initiative started
/// under today's conditions survives its dip, times 52.
pub fn innovation_capacity(org: &Org, params: &LifecycleParams) -> f64 {
    let mut launch = 0.0;
    let mut slack_sum = 0.0;
    let mut persistence = 0.0;
    let mut n = 0.0;
    for (h, t) in org.people.hot.iter().zip(&org.people.traits) {
        if h.flags & FLAG_ALIVE == 0 {
            continue;
        }
        n += 1.0;
        slack_sum += slack(t, org.density, org.levers.protected_for(h.flags)) * f64::from(t.energy);
        persistence += f64::from(t.persistence);
        if h.team == NO_TEAM {
            launch += f64::from(h.launch_rate);
        }
    }
    if n == 0.0 {
        return 0.0;
    }
    survival(params, org, slack_sum / n, persistence / n) * launch * 52.0
}

/// Probability that a typical initiative started now completes: a team of three with mean
/// slack and energy, and combined capability 0.5, works `effort / (3 x slack x energy x 1)`
/// weeks; over them the quit hazard averages (2/3 + background) / (1 + background) of its
/// peak (the dip 4p(1 - p) averages 2/3 over an initiative).
fn survival(params: &LifecycleParams, org: &Org, work_per_person: f64, persistence: f64) -> f64 {
    let l = &params.leadership;
    let team = f64::from(l.team_max.min(3));
    let weekly_work = team * work_per_person * (0.5 + 0.5);
    if weekly_work <= 0.0 {
        return 0.0;
    }
    let weeks = l.effort / weekly_work;
    let fear = super::leadership::fear(params, org);
    let peak = dip_quit_probability(
        params,
        0.5,
        persistence,
        org.density,
        org.levers.dip_support,
        fear,
    );
    let mean = peak * (2.0 / 3.0 + BACKGROUND_QUIT) / (1.0 + BACKGROUND_QUIT);
    (-mean * weeks).exp()
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
        if h.flags & FLAG_ALIVE == 0 {
            continue;
        }
        slack_sum += slack(t, org.density, org.levers.protected_for(h.flags));
        engagement += f64::from(h.engagement);
        if h.last_led > 0 && org.step + 1 - h.last_led < 13 {
            leading += 1;
        }
        aware += u32::from(h.flags & FLAG_AWARE != 0);
        volunteers += u32::from(h.flags & FLAG_VOLUNTEER != 0);
        coalition += u32::from(h.flags & FLAG_COALITION != 0);
    }
    let n = f64::from(org.headcount.max(1));
    let leadership_share = f64::from(leading) / n;
    let knowledge = f64::from(super::leadership::code_score(org)) / f64::from(params.knowledge.m);
    let active = org.initiatives.iter().filter(|i| i.active).count();
    row[0] = f64::from(org.headcount);
    row[1] = f64::from(org.managers);
    row[2] = org.levels() as f64;
    row[3] = org.density;
    row[4] = slack_sum / n;
    row[5] = org.efficiency;
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
    row[18] = phase(org.density, leadership_share) as f64;
}

/// The run-level outcomes from the weekly series.
pub fn outcomes(org: &Org, series: &Series) -> Vec<Option<f64>> {
    let rows = series.rows();
    let year = |step: usize| step as f64 / 52.0;
    let capacity: Vec<f64> = series.column(col::CAPACITY).collect();
    let (peak_step, peak) =
        capacity
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, f64::MIN),
                |best, (i, c)| if c > best.1 { (i, c) } else { best },
            );
    let last = rows - 1;
    // Collapse: the first week after the peak from which capacity stays below 20% of it.
    let threshold = 0.2 * peak;
    let collapse = if peak > 0.0 && capacity[last] < threshold {
        let last_above = capacity
            .iter()
            .rposition(|&c| c >= threshold)
            .unwrap_or(peak_step);
        Some(year(last_above + 1))
    } else {
        None
    };
    let auc = capacity.iter().skip(1).sum::<f64>() / 52.0;
    let dual_weeks = series
        .column(col::PHASE)
        .skip(1)
        .filter(|&p| p == 2.0)
        .count();
    let mean_efficiency = series.column(col::EFFICIENCY).skip(1).sum::<f64>()
        / (rows.saturating_sub(1).max(1)) as f64;
    let per_100: Vec<f64> = series.column(col::CAPACITY_PER_100).collect();
    let peak_per_100 = per_100.iter().copied().fold(f64::MIN, f64::max);
    let ended = org.total.ended;
    let dip_share = (ended > 0).then(|| f64::from(org.total.quit_in_dip) / f64::from(ended));
    vec![
        Some(peak),
        Some(year(peak_step)),
        Some(capacity[last]),
        Some(auc),
        collapse,
        Some(dual_weeks as f64 / 52.0),
        Some(f64::from(org.total.innovations)),
        Some(series.row(last)[col::KNOWLEDGE]),
        Some(mean_efficiency),
        Some(peak_per_100),
        Some(per_100[last]),
        Some(series.row(last)[col::HEADCOUNT]),
        dip_share,
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
    }
}
