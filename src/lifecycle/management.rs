//! The management system: coordination need, the stock of rules (process density), the
//! efficiency it buys, and the approval gate through which it suppresses self-chosen work.

use super::network::Network;
use super::params::LifecycleParams;
use rayon::prelude::*;

use super::passes::{CHUNK, PARALLEL_FROM};
use super::people::{AgentId, Flags, People, Person};
use super::state::{Levers, Seat};

/// The management system's state: its stock of rules and the reliable delivery they buy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Management {
    /// Process density, 0 to 1 (the stock of rules).
    pub density: f64,
    /// Efficiency (reliable delivery), 0 to 1.
    pub efficiency: f64,
}

/// Share of efficiency lost at full hostility between the systems.
pub const CULTURE_WAR_EFFICIENCY: f64 = 0.15;

/// Coordination need, 0 to 1, from size (log headcount, on the scale of a group that can
/// still coordinate informally, about 100 people), hierarchy levels and departments.
pub fn coordination_need(
    params: &LifecycleParams,
    headcount: u32,
    levels: usize,
    departments: u32,
) -> f64 {
    let m = &params.management;
    let load = m.coordination_per_log_size * libm::log(1.0 + f64::from(headcount) / 100.0)
        + m.coordination_per_level * levels.saturating_sub(1) as f64
        + m.coordination_per_department * f64::from(departments.saturating_sub(1));
    1.0 - libm::exp(-load)
}

impl Management {
    /// The management system at founding: the initial density and its efficiency.
    pub fn new(params: &LifecycleParams) -> Management {
        let density = params.management.initial_density;
        Management {
            density,
            efficiency: efficiency(params, density),
        }
    }

    /// One week of rule-writing: rules are added in proportion to coordination need and the
    /// room left, and retired slowly, so density rises with size and with age. Efficiency
    /// follows, lowered by a culture war (this week's `levers`, defused by the share of
    /// managers who sponsor the network) and by the share of operational time given to
    /// self-chosen work instead of delivery (`delivery_lost`).
    #[allow(clippy::too_many_arguments)]
    pub fn week(
        &mut self,
        params: &LifecycleParams,
        headcount: u32,
        levels: usize,
        departments: u32,
        levers: &Levers,
        sponsor_share: f64,
        delivery_lost: f64,
    ) {
        let m = &params.management;
        let coordination = coordination_need(params, headcount, levels, departments);
        let written = m.rule_growth / 52.0 * coordination * (1.0 - self.density);
        let retired = m.rule_retirement / 52.0 * self.density;
        self.density = (self.density + written - retired).clamp(0.0, 1.0);
        // A culture war alienates the people doing the management system's work.
        let war = 1.0 - CULTURE_WAR_EFFICIENCY * levers.effective_hostility(sponsor_share);
        // Delivery is done in the operational time people actually give to it.
        let delivered = 1.0 - delivery_lost.clamp(0.0, 1.0);
        self.efficiency = efficiency(params, self.density) * war * delivered;
    }
}

/// Reliable delivery: rises with process density, with diminishing returns.
pub fn efficiency(params: &LifecycleParams, density: f64) -> f64 {
    let m = &params.management;
    m.efficiency_floor
        + (1.0 - m.efficiency_floor) * (1.0 - libm::exp(-m.efficiency_gain * density))
}

/// Probability that self-chosen work is stopped at the approval gate: it needs approval with
/// probability equal to the density, and a manager then blocks it with a probability that
/// grows with density (work outside the plan looks like a distraction).
pub fn block_probability(params: &LifecycleParams, density: f64) -> f64 {
    let m = &params.management;
    let blocks = (m.suppression * libm::pow(density, m.suppression_exponent)).min(1.0);
    density * blocks
}

/// This week's approval gates: the probability that self-chosen work is stopped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gates {
    /// The ordinary gate ([`block_probability`]).
    pub block: f64,
    /// The gate for initiatives of the leadership network whose leader's manager is not a
    /// sponsor: the ordinary gate raised by hostility between the systems, less the blocks
    /// that senior management overturns when the coalition escalates them (the mandate).
    pub network_block: f64,
}

impl Gates {
    /// The gates at process density `density` under this week's `levers`, with
    /// `sponsor_share` of managers sponsoring the network.
    pub fn new(
        params: &LifecycleParams,
        density: f64,
        levers: &Levers,
        sponsor_share: f64,
    ) -> Gates {
        let block = block_probability(params, density);
        let hostility = levers.effective_hostility(sponsor_share);
        let network_block = (block * (1.0 + 2.0 * hostility)).min(1.0) * (1.0 - levers.mandate);
        Gates {
            block,
            network_block,
        }
    }

    /// The probability that a launch by someone with `flags` is stopped at the gate that
    /// applies to them. People without a manager (the founder, a flat organization) pass
    /// freely; a chartered task force's work needs no further approval; members of the
    /// leadership network pass freely when their manager sponsors the network and face the
    /// network's gate otherwise; everyone else faces the ordinary one.
    #[inline]
    pub fn blocking(&self, flags: Flags, has_manager: bool) -> f64 {
        if !has_manager || flags.contains(Flags::TASK_FORCE) {
            0.0
        } else if flags.in_network() {
            if flags.contains(Flags::SPONSORED) {
                0.0
            } else {
                self.network_block
            }
        } else {
            self.block
        }
    }
}

/// Marks who sponsors the leadership network this week and returns the share of managers who
/// do. A manager sponsors network initiatives when they know the opportunity statement and
/// either belong to the network themselves (a volunteer or coalition member) or have a tie to
/// a member of the guiding coalition (`seats`), who can explain its choices; everyone whose
/// manager is a sponsor is marked as sponsored. Reads only flags, ties and the chart, so it is
/// the same whatever order it runs in (in parallel for large organizations).
pub fn sponsorship(
    people: &mut People,
    managers: &[AgentId],
    network: &Network,
    seats: &[Seat],
) -> f64 {
    // Everyone tied to a coalition member (a few hundred at most).
    let mut near: Vec<AgentId> = seats
        .iter()
        .filter(|s| {
            people.hot[s.member.index()]
                .flags
                .contains(Flags::COALITION)
        })
        .flat_map(|s| network.ties(s.member).iter().copied())
        .collect();
    near.sort_unstable();
    near.dedup();
    // Who sponsors (and how many of the managers do), a bit per slot for the second pass.
    let slots = people.slots();
    let mut is_sponsor = vec![0u64; slots.div_ceil(64)];
    let mark = |first: usize, hot: &mut [Person], bits: &mut [u64]| {
        let (mut sponsors, mut all) = (0u32, 0u32);
        for (k, h) in hot.iter_mut().enumerate() {
            h.flags.remove(Flags::SPONSOR | Flags::SPONSORED);
            if !h.flags.contains(Flags::ALIVE) || !h.flags.contains(Flags::MANAGER) {
                continue;
            }
            all += 1;
            if h.flags.contains(Flags::AWARE)
                && (h.flags.in_network()
                    || near.binary_search(&AgentId((first + k) as u32)).is_ok())
            {
                h.flags.insert(Flags::SPONSOR);
                bits[k / 64] |= 1 << (k % 64);
                sponsors += 1;
            }
        }
        (sponsors, all)
    };
    let words = CHUNK / 64;
    let (sponsors, all) = if slots >= PARALLEL_FROM {
        people
            .hot
            .par_chunks_mut(CHUNK)
            .zip(is_sponsor.par_chunks_mut(words))
            .enumerate()
            .map(|(c, (hot, bits))| mark(c * CHUNK, hot, bits))
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    } else {
        people
            .hot
            .chunks_mut(CHUNK)
            .zip(is_sponsor.chunks_mut(words))
            .enumerate()
            .map(|(c, (hot, bits))| mark(c * CHUNK, hot, bits))
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    };
    if sponsors == 0 {
        return 0.0;
    }
    let is_sponsor = &is_sponsor;
    let sponsored = |first: usize, hot: &mut [Person]| {
        for (h, m) in hot.iter_mut().zip(managers.get(first..).unwrap_or(&[])) {
            if m.is_some() && is_sponsor[m.index() / 64] & (1 << (m.index() % 64)) != 0 {
                h.flags.insert(Flags::SPONSORED);
            }
        }
    };
    if slots >= PARALLEL_FROM {
        people
            .hot
            .par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, hot)| sponsored(c * CHUNK, hot));
    } else {
        sponsored(0, &mut people.hot);
    }
    f64::from(sponsors) / f64::from(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordination_rises_with_size_at_a_decreasing_rate() {
        let p = LifecycleParams::default();
        let c = |n| coordination_need(&p, n, 1, 1);
        assert!(c(100) > c(15) && c(1000) > c(100) && c(10_000) > c(1000));
        assert!(c(1000) - c(100) < c(100) - c(15) + 0.2);
        assert!(c(1_000_000) < 1.0);
    }

    #[test]
    fn efficiency_has_diminishing_returns_and_suppression_grows_with_density() {
        let p = LifecycleParams::default();
        let gain_low = efficiency(&p, 0.2) - efficiency(&p, 0.0);
        let gain_high = efficiency(&p, 1.0) - efficiency(&p, 0.8);
        assert!(gain_low > 3.0 * gain_high);
        assert_eq!(block_probability(&p, 0.0), 0.0);
        assert!(block_probability(&p, 0.8) > 4.0 * block_probability(&p, 0.3));
    }
}
