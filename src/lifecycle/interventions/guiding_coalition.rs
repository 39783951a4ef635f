//! The guiding coalition: about 40 people recruited by open application (chosen for attitude,
//! energy and a cross-functional mix), or by rank ("the usual suspects"), or at random, for
//! comparison. Members get protected time and, within loose limits from senior management (a
//! mandate that shields their initiatives at the approval gate), set their own initiatives.
//! Large coalitions work in sub-teams (decision bodies lose efficiency above about 20 members:
//! Klimek et al. 2008).

use crate::rng::Draw;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, by_rank, check_in, intervention_spec};
use super::urgency_group::willingness;
use super::{Context, Intervention, Window};
use crate::lifecycle::people::{Flags, People};
use crate::scenario::FieldError;

/// How coalition members are chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// Open application among aware volunteers; chosen for attitude and energy, across
    /// departments.
    #[default]
    OpenApplication,
    /// Appointed by rank: the highest in the chart, longest-serving first.
    UsualSuspects,
    /// At random among applicants.
    Random,
}

intervention_spec! {
    /// `{"kind": "guiding_coalition", "start_year": 10}`.
    pub struct GuidingCoalitionSpec {
        /// Seats. Integer from 1 to 100,000. Default 40. If fewer people apply, all are seated.
        pub seats: u32 = 40,
        /// "open_application" (default), "usual_suspects" or "random".
        pub selection: Selection = Default::default(),
        /// Years a coalition serves before a new one is chosen. From 0.25 to 50. Default 2.
        pub term_years: f64 = 2.0,
        /// Share of members' time protected for coalition work. From 0 to 1. Default 0.1.
        pub protected_share: f64 = 0.1,
        /// Choose across departments (open application only). Default true.
        pub cross_functional: bool = true,
        /// Work in sub-teams of at most 20 when larger. Default true; without, protected time is
        /// used at 20/seats efficiency.
        pub sub_teams: bool = true,
        /// Multiplier of the approval gate's blocking for network initiatives (senior
        /// management's mandate). From 0 to 1. Default 0.5.
        pub mandate: f64 = 0.5,
    }
}

impl GuidingCoalitionSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        check_in(
            &mut e,
            format!("{path}.seats"),
            f64::from(self.seats),
            1.0,
            100_000.0,
            "an integer",
        );
        check_in(
            &mut e,
            format!("{path}.term_years"),
            self.term_years,
            0.25,
            50.0,
            "a number of years",
        );
        check_in(
            &mut e,
            format!("{path}.protected_share"),
            self.protected_share,
            0.0,
            1.0,
            "a share",
        );
        check_in(
            &mut e,
            format!("{path}.mandate"),
            self.mandate,
            0.0,
            1.0,
            "a multiplier",
        );
        e
    }

    /// Warnings that do not stop a run.
    pub fn warnings(&self, path: &str, capacity: u32) -> Vec<String> {
        if self.seats > capacity {
            vec![format!(
                "{path}.seats = {} is more than the organization can hold ({capacity}): every applicant will be seated",
                self.seats
            )]
        } else {
            Vec::new()
        }
    }

    fn select(&self, cx: &mut Context<'_>) {
        let people = &mut *cx.people;
        for h in &mut people.hot {
            h.flags.remove(Flags::COALITION);
        }
        let anyone_aware = people.hot.iter().any(|h| h.flags.contains(Flags::AWARE));
        let seats = self.seats as usize;
        let chosen: Vec<usize> = match self.selection {
            Selection::UsualSuspects => {
                let mut all = by_rank(people, cx.chart);
                all.truncate(seats);
                all
            }
            Selection::OpenApplication | Selection::Random => {
                // Who applies: aware people (everyone, if nothing has been announced), the more
                // willing the likelier.
                let mut applicants = Vec::new();
                for (i, h) in people.hot.iter().enumerate() {
                    if !h.is_staying() {
                        continue;
                    }
                    let aware = h.flags.contains(Flags::AWARE) || !anyone_aware;
                    if aware && cx.rng.chance((1.5 * willingness(h)).min(1.0)) {
                        applicants.push(i);
                    }
                }
                if self.selection == Selection::Random {
                    for k in 0..applicants.len().min(seats) {
                        let j = k + cx.rng.below((applicants.len() - k) as u64) as usize;
                        applicants.swap(k, j);
                    }
                    applicants.truncate(seats);
                    applicants
                } else {
                    applicants.sort_by(|&a, &b| {
                        attitude(people, b)
                            .total_cmp(&attitude(people, a))
                            .then(a.cmp(&b))
                    });
                    if self.cross_functional {
                        // Round robin over departments, best first in each.
                        let mut by_dept: std::collections::BTreeMap<u16, Vec<usize>> =
                            Default::default();
                        for &i in &applicants {
                            by_dept.entry(cx.chart.department[i]).or_default().push(i);
                        }
                        let mut chosen = Vec::new();
                        let mut round = 0;
                        while chosen.len() < seats.min(applicants.len()) {
                            for list in by_dept.values() {
                                if let Some(&i) = list.get(round)
                                    && chosen.len() < seats
                                {
                                    chosen.push(i);
                                }
                            }
                            round += 1;
                        }
                        chosen
                    } else {
                        applicants.truncate(seats);
                        applicants
                    }
                }
            }
        };
        for i in chosen {
            people.hot[i]
                .flags
                .insert(Flags::COALITION | Flags::VOLUNTEER | Flags::AWARE);
        }
    }
}

/// Attitude, what open application selects for: willingness (initiative x engagement) x
/// energy.
fn attitude(people: &People, i: usize) -> f64 {
    willingness(&people.hot[i]) * f64::from(people.traits[i].energy)
}

/// How strongly the network draws people in: the coalition's mean attitude relative to the
/// organization's, between 0.3 and 3. A coalition chosen for attitude and energy inspires
/// opt-in; one appointed by rank does not.
pub fn network_energy(people: &People) -> f64 {
    let (mut all, mut n, mut coalition, mut k) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..people.slots() {
        let f = people.hot[i].flags;
        if !f.contains(Flags::ALIVE) {
            continue;
        }
        all += attitude(people, i);
        n += 1.0;
        if f.contains(Flags::COALITION) {
            coalition += attitude(people, i);
            k += 1.0;
        }
    }
    if k == 0.0 || all <= 0.0 {
        return 1.0;
    }
    ((coalition / k) / (all / n)).clamp(0.3, 3.0)
}

impl Intervention for GuidingCoalitionSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        let term = ((self.term_years * 52.0).round() as u32).max(1);
        if (cx.step - self.window().start) % term == 0 {
            self.select(cx);
        }
        let efficiency = if self.sub_teams || self.seats <= 20 {
            1.0
        } else {
            20.0 / f64::from(self.seats)
        };
        cx.levers.coalition_time += self.protected_share * efficiency;
        cx.levers.network_block_factor *= self.mandate;
        cx.levers.network_energy = network_energy(cx.people);
    }

    fn finish(&self, cx: &mut Context<'_>) {
        for h in &mut cx.people.hot {
            h.flags.remove(Flags::COALITION);
        }
    }
}
