//! The guiding coalition: about 40 people recruited by open application (chosen for attitude,
//! energy and a cross-functional mix), or by rank ("the usual suspects"), or at random, for
//! comparison. Applications come from people who know the opportunity statement; the coalition
//! is seated after an application window and renews on staggered terms (a few seats at a
//! time, never all at once). Members get chartered time and, within loose limits from senior
//! management (a mandate: blocked initiatives the coalition escalates may be upheld by the
//! top), set their own initiatives. Large coalitions work in sub-teams (decision bodies lose
//! efficiency above about 20 members: Klimek et al. 2008).

use crate::rng::Draw;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, by_rank, intervention_spec};
use super::urgency_group::willingness;
use super::{Context, Intervention, Window};
use crate::lifecycle::people::{AgentId, Flags, People};
use crate::lifecycle::state::Seat;
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
        /// Seats. If fewer people apply, all are seated.
        pub seats: u32 = 40 => [1, 100000] Integer, "people",
            "seats on the coalition (at most `max_share` of headcount, at least 3)",
            "Kotter: hundreds of applicants for about 40 seats";
        /// Seats as a share of headcount at most (at least 3): a small firm seats a few people.
        pub max_share: f64 = 0.04 => [0.0, 1.0] Phrase("a share"), "share of headcount",
            "most seats as a share of headcount (at least 3 seats)",
            "the brief: a few people in a small firm, 20-50 in a large one; 4% gives 40 seats from \
             1,000 people";
        /// Weeks from the start until the coalition is first seated: applications are collected
        /// from people who know the statement.
        pub application_weeks: u32 = 8 => [1, 104] Integer, "weeks",
            "weeks of applications before the coalition is first seated",
            "assumption: a call for applications, a few weeks to apply and a few to choose (about \
             two months)";
        /// "open_application" (default), "usual_suspects" or "random".
        pub selection: Selection = Default::default() => "name",
            "`open_application`, `usual_suspects` or `random`",
            "the brief: open application, with the usual suspects and random as comparisons";
        /// Years a member serves; the first members' terms are staggered (seat k of n serves k/n
        /// of a term), so seats renew a few at a time.
        pub term_years: f64 = 2.0 => [0.25, 50.0] Phrase("a number of years"), "years",
            "years a member serves; the first members' terms are staggered over one term",
            "assumption: members rotate so the network renews; long enough for several 90-day \
             cycles; staggered like a board's so the coalition never changes all at once";
        /// Share of members' working week chartered for coalition work (sub-teams, choosing and
        /// running initiatives), taken from their week.
        pub protected_share: f64 = 0.1 => [0.0, 1.0] Phrase("a share"), "share of time",
            "share of members' working week chartered for coalition work",
            "assumption: about half a day a week beside the day job";
        /// Choose across departments (open application only).
        pub cross_functional: bool = true => "bool",
            "choose across departments (open application only)",
            "Kotter: a cross-functional mix; the default, so a reader who leaves it out gets the \
             package as described";
        /// Work in sub-teams of at most 20 when larger; without them, protected time is used at
        /// 20/seats efficiency.
        pub sub_teams: bool = true => "bool",
            "a coalition above 20 seats works in sub-teams of at most 20; false: its protected \
             time counts at 20/seats",
            "decision bodies lose efficiency above about 20 members (Klimek et al. 2008); Kotter's \
             coalitions work in sub-teams";
        /// Probability that senior management upholds a network initiative a manager blocked,
        /// when the seated coalition escalates it.
        pub mandate: f64 = 0.5 => [0.0, 1.0] Phrase("a probability"), "probability",
            "probability that senior management upholds a blocked network initiative the seated \
             coalition escalates",
            "assumption: the top sets loose limits and backs the coalition's choices inside them \
             about as often as not; sweep it";
    }
}

impl GuidingCoalitionSpec {
    /// Checks the parameters.
    pub fn validate(&self, path: &str, inside: bool) -> Vec<FieldError> {
        let mut e = Vec::new();
        common::check(&mut e, path, self.start_year, self.end_year, inside);
        self.check_bounds(path, &mut e);
        e
    }

    /// Warnings that do not stop a run.
    pub fn warnings(&self, path: &str, capacity: u32) -> Vec<String> {
        if self.seats > capacity {
            vec![format!(
                "{path}.seats = {} is more than the organization can hold ({capacity}): every \
                 applicant will be seated",
                self.seats
            )]
        } else {
            Vec::new()
        }
    }

    /// Seats the coalition should have now: `seats`, at most `max_share` of headcount but at
    /// least 3.
    fn target(&self, headcount: u32) -> usize {
        let by_size = ((f64::from(headcount) * self.max_share).ceil() as usize).max(3);
        (self.seats as usize).min(by_size)
    }

    /// People who know the statement and have not yet answered the call decide, once, whether
    /// to apply: the more willing, the likelier.
    fn applications(&self, cx: &mut Context<'_>) {
        for h in &mut cx.people.hot {
            if !h.is_staying()
                || !h.flags.contains(Flags::AWARE)
                || h.flags.intersects(Flags::ASKED | Flags::COALITION)
            {
                continue;
            }
            h.flags.insert(Flags::ASKED);
            if self.selection != Selection::UsualSuspects
                && cx.rng.chance((1.5 * willingness(h)).min(1.0))
            {
                h.flags.insert(Flags::APPLIED);
            }
        }
    }

    /// Chooses up to `need` new members: by rank (usual suspects), at random among applicants,
    /// or by attitude among applicants, each next seat going to the best applicant of the
    /// department with the fewest members (lowest department first) when cross-functional.
    fn choose(&self, cx: &mut Context<'_>, need: usize) -> Vec<usize> {
        let people = &*cx.people;
        let free = |i: usize| {
            let h = &people.hot[i];
            h.is_staying() && !h.flags.intersects(Flags::COALITION | Flags::SERVED)
        };
        match self.selection {
            Selection::UsualSuspects => by_rank(people, cx.chart)
                .into_iter()
                .filter(|&i| free(i))
                .take(need)
                .collect(),
            Selection::Random => {
                let mut applicants: Vec<usize> = (0..people.slots())
                    .filter(|&i| free(i) && people.hot[i].flags.contains(Flags::APPLIED))
                    .collect();
                for k in 0..applicants.len().min(need) {
                    let j = k + cx.rng.below((applicants.len() - k) as u64) as usize;
                    applicants.swap(k, j);
                }
                applicants.truncate(need);
                applicants
            }
            Selection::OpenApplication => {
                let mut applicants: Vec<usize> = (0..people.slots())
                    .filter(|&i| free(i) && people.hot[i].flags.contains(Flags::APPLIED))
                    .collect();
                applicants.sort_by(|&a, &b| {
                    attitude(people, b)
                        .total_cmp(&attitude(people, a))
                        .then(a.cmp(&b))
                });
                if !self.cross_functional {
                    applicants.truncate(need);
                    return applicants;
                }
                // Members per department now; each seat to the best applicant of the least
                // represented department that has one.
                let mut members: std::collections::BTreeMap<u16, usize> = Default::default();
                for seat in &cx.dual.seats {
                    *members
                        .entry(cx.chart.department[seat.member.index()])
                        .or_default() += 1;
                }
                let mut by_dept: std::collections::BTreeMap<u16, std::collections::VecDeque<usize>> =
                    Default::default();
                for &i in &applicants {
                    by_dept.entry(cx.chart.department[i]).or_default().push_back(i);
                }
                let mut chosen = Vec::new();
                while chosen.len() < need {
                    let Some(dept) = by_dept
                        .iter()
                        .filter(|(_, list)| !list.is_empty())
                        .map(|(&d, _)| d)
                        .min_by_key(|d| (members.get(d).copied().unwrap_or(0), *d))
                    else {
                        break;
                    };
                    let i = by_dept.get_mut(&dept).and_then(|l| l.pop_front()).expect("non-empty");
                    *members.entry(dept).or_default() += 1;
                    chosen.push(i);
                }
                chosen
            }
        }
    }

    /// Ends the terms that are over (members serve one term: they stay volunteers but do not
    /// apply again) and drops members who left.
    fn rotate(cx: &mut Context<'_>) {
        let step = cx.step;
        let people = &mut *cx.people;
        cx.dual.seats.retain(|seat| {
            let h = &mut people.hot[seat.member.index()];
            if !h.flags.contains(Flags::COALITION) {
                return false;
            }
            if seat.until <= step {
                h.flags.remove(Flags::COALITION | Flags::APPLIED);
                h.flags.insert(Flags::SERVED);
                return false;
            }
            true
        });
    }

    /// Fills empty seats; the first members' terms are staggered over one term.
    fn seat(&self, cx: &mut Context<'_>) {
        let term = ((self.term_years * 52.0).round() as u32).max(1);
        let need = self
            .target(cx.people.headcount())
            .saturating_sub(cx.dual.seats.len());
        if need == 0 {
            return;
        }
        let chosen = self.choose(cx, need);
        let first = cx.dual.seats.is_empty() && cx.dual.seated_week.is_none();
        let n = chosen.len() as u32;
        for (k, &i) in chosen.iter().enumerate() {
            cx.people.hot[i]
                .flags
                .insert(Flags::COALITION | Flags::VOLUNTEER | Flags::AWARE);
            let serves = if first {
                ((u64::from(term) * (k as u64 + 1)) / u64::from(n)).max(1) as u32
            } else {
                term
            };
            cx.dual.seats.push(Seat {
                member: AgentId(i as u32),
                until: cx.step + serves,
            });
        }
        if n > 0 {
            cx.dual.seated_week.get_or_insert(cx.step);
            cx.dual.network = true;
        }
    }
}

/// Attitude, what open application selects for: willingness (initiative x engagement) x
/// energy.
fn attitude(people: &People, i: usize) -> f64 {
    willingness(&people.hot[i]) * f64::from(people.traits[i].energy)
}

/// How strongly the network draws people in: the coalition's mean attitude relative to the
/// organization's, between 0.5 and 1.5. A coalition chosen for attitude and energy inspires
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
    ((coalition / k) / (all / n)).clamp(0.5, 1.5)
}

impl Intervention for GuidingCoalitionSpec {
    fn window(&self) -> Window {
        common::window(self.start_year, self.end_year)
    }

    fn week_start(&self, cx: &mut Context<'_>) {
        self.applications(cx);
        if cx.step < self.window().start + self.application_weeks {
            return;
        }
        Self::rotate(cx);
        self.seat(cx);
        if cx.dual.seats.is_empty() {
            return;
        }
        let efficiency = if self.sub_teams || self.seats <= 20 {
            1.0
        } else {
            20.0 / f64::from(self.seats)
        };
        cx.levers.coalition_time += self.protected_share;
        cx.levers.coalition_yield = efficiency;
        cx.levers.mandate = 1.0 - (1.0 - cx.levers.mandate) * (1.0 - self.mandate);
        cx.levers.network_energy = network_energy(cx.people);
    }

    fn finish(&self, cx: &mut Context<'_>) {
        for h in &mut cx.people.hot {
            h.flags.remove(Flags::COALITION);
        }
        cx.dual.seats.clear();
    }
}
