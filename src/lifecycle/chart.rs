//! The org chart: each employee's department and level, the manager tree, and the bookkeeping
//! that keeps it a tree through hires, promotions and exits (spans, levels, which managers have
//! room). Growth decides who joins and leaves; this module decides where they sit.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::growth::FOUNDING_CHUNK;
use super::people::{AgentId, Flags, People, grown};

/// Which of the sets of managers a slot is filed in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Filed {
    /// Neither (not a manager, or full with only managers reporting).
    #[default]
    Nowhere,
    /// Managers with room for another report.
    WithRoom,
    /// Full managers with an individual contributor to promote.
    Full,
}

/// The org chart: one column per employee slot, and the counts kept alongside.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chart {
    /// The founder (never leaves; top of the chart).
    pub ceo: AgentId,
    /// Departments open.
    pub departments: u32,
    /// Current managers.
    pub managers: u32,
    /// Employees per level.
    pub level_counts: Vec<u32>,
    /// Department (function), per slot.
    pub department: Vec<u16>,
    /// Level in the hierarchy (0 = top), per slot.
    pub level: Vec<u8>,
    /// Manager ([`AgentId::NONE`] for the top, or in a flat organization).
    pub manager: Vec<AgentId>,
    /// First direct report.
    pub first_report: Vec<AgentId>,
    /// Next direct report of the same manager.
    pub next_peer: Vec<AgentId>,
    /// Previous direct report of the same manager.
    pub prev_peer: Vec<AgentId>,
    /// Number of direct reports.
    pub reports: Vec<u32>,
    /// Where each manager is filed (`with_room`, `full` or neither), per slot.
    filed_as: Vec<Filed>,
    /// Per department, managers with room for another report, by (level, slot).
    with_room: Vec<BTreeSet<u64>>,
    /// Per department, managers whose span is full and who have an individual contributor
    /// reporting to them (someone to promote when nobody has room), by (level, slot). Full
    /// managers whose reports all manage are filed nowhere: a hire's promotion skips them, and
    /// a large chart has tens of thousands.
    full: Vec<BTreeSet<u64>>,
}

/// A manager's key in the manager sets: (level, slot) packed in one integer, which orders
/// as the pair does and compares in one instruction.
#[inline]
fn filed_key(level: u8, m: AgentId) -> u64 {
    (u64::from(level) << 32) | u64::from(m.0)
}

/// The (level, slot) of a key made by [`filed_key`].
#[inline]
fn filed_pair(key: u64) -> (u8, AgentId) {
    ((key >> 32) as u8, AgentId(key as u32))
}

impl Chart {
    /// Makes room for `additional` more slots exactly (as [`People::reserve_exact`]).
    pub fn reserve_exact(&mut self, additional: usize) {
        self.department.reserve_exact(additional);
        self.level.reserve_exact(additional);
        self.manager.reserve_exact(additional);
        self.first_report.reserve_exact(additional);
        self.next_peer.reserve_exact(additional);
        self.prev_peer.reserve_exact(additional);
        self.reports.reserve_exact(additional);
        self.filed_as.reserve_exact(additional);
    }

    /// Gives slot `id` (new, or reused after a leaver) an empty place in `department`: level
    /// 0, no manager, no reports, not yet counted.
    pub fn add_slot(&mut self, id: AgentId, department: u16) {
        let i = id.index();
        if i < self.level.len() {
            self.department[i] = department;
            self.level[i] = 0;
            self.manager[i] = AgentId::NONE;
            self.first_report[i] = AgentId::NONE;
            self.next_peer[i] = AgentId::NONE;
            self.prev_peer[i] = AgentId::NONE;
            self.reports[i] = 0;
            debug_assert_eq!(self.filed_as[i], Filed::Nowhere, "a leaver was unfiled");
        } else {
            debug_assert_eq!(i, self.level.len(), "slots are added in order");
            if self.level.len() == self.level.capacity() {
                self.reserve_exact(grown(self.level.len()));
            }
            self.department.push(department);
            self.level.push(0);
            self.manager.push(AgentId::NONE);
            self.first_report.push(AgentId::NONE);
            self.next_peer.push(AgentId::NONE);
            self.prev_peer.push(AgentId::NONE);
            self.reports.push(0);
            self.filed_as.push(Filed::Nowhere);
        }
    }

    /// Current number of hierarchy levels.
    pub fn levels(&self) -> usize {
        self.level_counts
            .iter()
            .rposition(|&c| c > 0)
            .map_or(0, |l| l + 1)
    }

    /// Direct reports of `manager`, in link order.
    pub fn reports_of(&self, manager: AgentId) -> Vec<AgentId> {
        let mut out = Vec::with_capacity(self.reports[manager.index()] as usize);
        let mut r = self.first_report[manager.index()];
        while r.is_some() {
            out.push(r);
            r = self.next_peer[r.index()];
        }
        out
    }

    /// Makes `report` a direct report of `manager` (at the front of its list).
    pub fn link(&mut self, report: AgentId, manager: AgentId) {
        let (r, m) = (report.index(), manager.index());
        self.manager[r] = manager;
        let head = self.first_report[m];
        self.next_peer[r] = head;
        self.prev_peer[r] = AgentId::NONE;
        if head.is_some() {
            self.prev_peer[head.index()] = report;
        }
        self.first_report[m] = report;
        self.reports[m] += 1;
    }

    /// Detaches `report` from its manager.
    pub fn unlink(&mut self, report: AgentId) {
        let r = report.index();
        let m = self.manager[r];
        if !m.is_some() {
            return;
        }
        let (prev, next) = (self.prev_peer[r], self.next_peer[r]);
        if prev.is_some() {
            self.next_peer[prev.index()] = next;
        } else {
            self.first_report[m.index()] = next;
        }
        if next.is_some() {
            self.prev_peer[next.index()] = prev;
        }
        self.manager[r] = AgentId::NONE;
        self.next_peer[r] = AgentId::NONE;
        self.prev_peer[r] = AgentId::NONE;
        self.reports[m.index()] -= 1;
    }

    /// The founder `ceo` heads the chart, as its manager in a hierarchy.
    #[cfg(test)]
    pub fn found(&mut self, people: &mut People, span: u32, hierarchy: bool, ceo: AgentId) {
        self.ceo = ceo;
        self.level_counts = vec![1];
        if hierarchy {
            self.make_manager(people, span, ceo);
        }
    }

    /// The chart of a founding team: everyone in `people` (slots `0..n`, slot 0 the founder,
    /// all in the first department), placed in one pass exactly where the founder plus `n - 1`
    /// hires through [`Chart::join`] in slot order would sit. With everyone's tenure equal,
    /// join fills the founder's span, then promotes the founder's reports in slot order, each
    /// taking the next `span` hires, then theirs, level by level: slot k's manager is slot
    /// (k - 1) / span, and a slot is a manager when someone reports to it (the founder
    /// always). So each column is a formula of the slot, computed in parallel; the managers
    /// are marked in `people`, and the bookkeeping (counts, managers by room) is as join
    /// leaves it, so later hires and exits proceed as after any other hire.
    pub fn found_cohort(people: &mut People, span: u32, hierarchy: bool) -> Chart {
        let n = people.slots();
        assert!(n >= 1, "a founding team has a founder");
        assert!(!hierarchy || span >= 1, "a span of at least one");
        let (s, last) = (span as usize, n - 1);
        let id = |k: usize| AgentId(k as u32);
        // Direct reports of slot m: slots s m + 1 ..= s m + reports(m).
        let reports = |m: usize| {
            if hierarchy {
                last.saturating_sub(s * m).min(s)
            } else {
                0
            }
        };
        let column = |f: &(dyn Fn(usize) -> AgentId + Sync)| -> Vec<AgentId> {
            let mut v = Vec::with_capacity(n);
            (0..n)
                .into_par_iter()
                .with_min_len(FOUNDING_CHUNK)
                .map(f)
                .collect_into_vec(&mut v);
            v
        };
        let manager = column(&|k| {
            if hierarchy && k > 0 {
                id((k - 1) / s)
            } else {
                AgentId::NONE
            }
        });
        // Join links each hire at the front of its manager's list: the list runs from the
        // last report down to the first.
        let first_report = column(&|m| match reports(m) {
            0 => AgentId::NONE,
            r => id(s * m + r),
        });
        let next_peer = column(&|k| {
            if hierarchy && k > 0 && (k - 1) % s != 0 {
                id(k - 1)
            } else {
                AgentId::NONE
            }
        });
        let prev_peer = column(&|k| {
            if hierarchy && k > 0 && k < last && k % s != 0 {
                id(k + 1)
            } else {
                AgentId::NONE
            }
        });
        let mut report_counts = Vec::with_capacity(n);
        (0..n)
            .into_par_iter()
            .with_min_len(FOUNDING_CHUNK)
            .map(|m| reports(m) as u32)
            .collect_into_vec(&mut report_counts);
        let mut level = Vec::with_capacity(n);
        (0..n)
            .into_par_iter()
            .with_min_len(FOUNDING_CHUNK)
            .map(|mut k| {
                let mut depth = 0u8;
                while hierarchy && k > 0 {
                    k = (k - 1) / s;
                    depth += 1;
                }
                depth
            })
            .collect_into_vec(&mut level);
        let levels = level.last().map_or(0, |&l| usize::from(l) + 1);
        let mut level_counts = vec![0u32; levels];
        for &l in &level {
            level_counts[usize::from(l)] += 1;
        }
        // The managers: the founder, and every slot with a report (slots 1 ..= (n - 2) / s);
        // nobody in a flat organization.
        let managed = 0..if hierarchy {
            last.saturating_sub(1) / s + 1
        } else {
            0
        };
        // A full manager has an individual contributor when their last report (the highest
        // slot: managers come first) has no reports.
        let filed = |room: bool| -> BTreeSet<u64> {
            managed
                .clone()
                .filter(|&m| {
                    if room {
                        reports(m) < s
                    } else {
                        reports(m) >= s && reports(s * m + reports(m)) == 0
                    }
                })
                .map(|m| filed_key(level[m], id(m)))
                .collect()
        };
        let (with_room, full) = (filed(true), filed(false));
        let mut filed_as = vec![Filed::Nowhere; n];
        for &k in &with_room {
            filed_as[filed_pair(k).1.index()] = Filed::WithRoom;
        }
        for &k in &full {
            filed_as[filed_pair(k).1.index()] = Filed::Full;
        }
        for m in managed.clone() {
            people.hot[m].flags.insert(Flags::MANAGER);
        }
        Chart {
            ceo: id(0),
            departments: 1,
            managers: managed.count() as u32,
            level_counts,
            department: vec![0; n],
            level,
            manager,
            first_report,
            next_peer,
            prev_peer,
            reports: report_counts,
            filed_as,
            with_room: if hierarchy {
                vec![with_room]
            } else {
                Vec::new()
            },
            full: if hierarchy { vec![full] } else { Vec::new() },
        }
    }

    /// Places a new hire `id` (whose slot was just added): in a hierarchy under the shallowest
    /// manager of their department with room (promoting someone if all are full, or heading a
    /// new department under the founder), and counted at their level.
    pub fn join(&mut self, people: &mut People, span: u32, hierarchy: bool, id: AgentId) {
        if hierarchy {
            self.place(people, span, id);
        }
        self.set_level(id, self.level[id.index()], true);
    }

    /// Takes `id` out of the chart: in a hierarchy a departing manager's reports get a
    /// successor (their longest-serving staying individual contributor, or failing that the
    /// longest-serving report, who moves up with their team) and the leaver is unlinked from
    /// their manager; the level counts forget them.
    pub fn leave(&mut self, people: &mut People, span: u32, hierarchy: bool, id: AgentId) {
        if hierarchy {
            let boss = self.manager[id.index()];
            if people.is_manager(id) {
                self.hand_over(people, span, id);
                self.unfile(id);
                self.managers -= 1;
            }
            if boss.is_some() {
                self.unlink(id);
                self.refile(people, span, boss);
            }
        }
        let level = self.level[id.index()];
        self.set_level(id, level, false);
    }

    /// Adds `id` at `level` to the level counts (or removes it).
    fn set_level(&mut self, id: AgentId, level: u8, add: bool) {
        let l = level as usize;
        if self.level_counts.len() <= l {
            self.level_counts.resize(l + 1, 0);
        }
        if add {
            self.level_counts[l] += 1;
            self.level[id.index()] = level;
        } else {
            self.level_counts[l] -= 1;
        }
    }

    fn move_level(&mut self, id: AgentId, level: u8) {
        let old = self.level[id.index()];
        self.set_level(id, old, false);
        self.set_level(id, level, true);
    }

    /// Files manager `m` under "with room" or "full" for its department, or nowhere, as
    /// their reports now stand; the sets are touched only when that changes. `m`'s level must
    /// be the one they were filed at (callers unfile before moving a manager's level).
    fn refile(&mut self, people: &People, span: u32, m: AgentId) {
        let i = m.index();
        let want = if !people.alive(m) || !people.is_manager(m) {
            Filed::Nowhere
        } else if self.reports[i] < span {
            Filed::WithRoom
        } else if self.has_contributor(people, m) {
            Filed::Full
        } else {
            Filed::Nowhere
        };
        if want == self.filed_as[i] {
            return;
        }
        self.unfile(m);
        let d = self.department[i] as usize;
        if self.with_room.len() <= d {
            self.with_room.resize_with(d + 1, Default::default);
            self.full.resize_with(d + 1, Default::default);
        }
        let key = filed_key(self.level[i], m);
        match want {
            Filed::WithRoom => self.with_room[d].insert(key),
            Filed::Full => self.full[d].insert(key),
            Filed::Nowhere => false,
        };
        self.filed_as[i] = want;
    }

    /// Whether an individual contributor reports to `m`.
    fn has_contributor(&self, people: &People, m: AgentId) -> bool {
        let mut r = self.first_report[m.index()];
        while r.is_some() {
            if !people.is_manager(r) {
                return true;
            }
            r = self.next_peer[r.index()];
        }
        false
    }

    /// Takes `m` out of the sets they are filed in (at their current level).
    fn unfile(&mut self, m: AgentId) {
        let i = m.index();
        let key = filed_key(self.level[i], m);
        let d = self.department[i] as usize;
        match std::mem::replace(&mut self.filed_as[i], Filed::Nowhere) {
            Filed::WithRoom => self.with_room[d].remove(&key),
            Filed::Full => self.full[d].remove(&key),
            Filed::Nowhere => false,
        };
    }

    /// Makes `id` a manager (and refiles their manager, who may have lost their last
    /// individual contributor).
    pub fn make_manager(&mut self, people: &mut People, span: u32, id: AgentId) {
        people.hot[id.index()].flags.insert(Flags::MANAGER);
        self.managers += 1;
        self.refile(people, span, id);
        let boss = self.manager[id.index()];
        if boss.is_some() {
            self.refile(people, span, boss);
        }
    }

    /// Puts a new hire under the shallowest manager in their department with room; if every
    /// manager there is full, promotes the longest-serving individual contributor under the
    /// shallowest full manager into a new manager role; a department with no manager gets the
    /// new hire as its head, reporting to the founder.
    fn place(&mut self, people: &mut People, span: u32, id: AgentId) {
        let d = self.department[id.index()] as usize;
        if self.with_room.len() <= d {
            self.with_room.resize_with(d + 1, Default::default);
            self.full.resize_with(d + 1, Default::default);
        }
        let boss = match self.with_room[d].first() {
            Some(&k) => Some(filed_pair(k).1),
            None => self.promote_in(people, span, d),
        };
        match boss {
            Some(m) => self.attach(people, span, id, m),
            None => {
                let ceo = self.ceo;
                self.attach(people, span, id, ceo);
                self.make_manager(people, span, id);
            }
        }
    }

    fn attach(&mut self, people: &People, span: u32, id: AgentId, m: AgentId) {
        self.link(id, m);
        self.level[id.index()] = self.level[m.index()].saturating_add(1);
        self.refile(people, span, m);
    }

    /// Promotes the longest-serving individual contributor reporting to the shallowest full
    /// manager of department `d` that has one. Returns the new manager.
    fn promote_in(&mut self, people: &mut People, span: u32, d: usize) -> Option<AgentId> {
        // The first full manager filed has an individual contributor (see `full`); walk their
        // reports through the sibling links, without allocating.
        let m = filed_pair(*self.full[d].first()?).1;
        let mut best: Option<AgentId> = None;
        let mut r = self.first_report[m.index()];
        while r.is_some() {
            if !people.is_manager(r) {
                let better = match best {
                    None => true,
                    Some(b) => {
                        let (tr, tb) = (people.hot[r.index()].tenure, people.hot[b.index()].tenure);
                        tr > tb || (tr == tb && r < b)
                    }
                };
                if better {
                    best = Some(r);
                }
            }
            r = self.next_peer[r.index()];
        }
        let r = best.expect("a full manager filed has an individual contributor");
        self.make_manager(people, span, r);
        Some(r)
    }

    /// A departing manager's reports get a successor: the longest-serving individual
    /// contributor among them takes the role; if all are managers, the longest-serving one
    /// moves up a level (with their team) and takes the others on.
    fn hand_over(&mut self, people: &mut People, span: u32, leaving: AgentId) {
        let reports = self.reports_of(leaving);
        if reports.is_empty() {
            return;
        }
        let tenure = |r: AgentId| (people.hot[r.index()].tenure, std::cmp::Reverse(r));
        // Someone leaving this week cannot take over.
        let staying = |r: AgentId| !people.hot[r.index()].flags.contains(Flags::LEAVING);
        let ic = reports
            .iter()
            .copied()
            .filter(|&r| !people.is_manager(r) && staying(r))
            .max_by_key(|&r| tenure(r));
        let successor = ic
            .or_else(|| {
                reports
                    .iter()
                    .copied()
                    .filter(|&r| staying(r))
                    .max_by_key(|&r| tenure(r))
            })
            .unwrap_or_else(|| {
                reports
                    .iter()
                    .copied()
                    .max_by_key(|&r| tenure(r))
                    .expect("non-empty")
            });
        let boss = self.manager[leaving.index()];
        let level = self.level[leaving.index()];
        if people.is_manager(successor) {
            self.unfile(successor);
            // The successor's own team moves up a level with them.
            let mut stack = self.reports_of(successor);
            while let Some(r) = stack.pop() {
                let was = self.level[r.index()];
                let manager = people.is_manager(r);
                if manager {
                    self.unfile(r);
                }
                self.move_level(r, was - 1);
                if manager {
                    self.refile(people, span, r);
                    stack.extend(self.reports_of(r));
                }
            }
        }
        self.unlink(successor);
        for r in reports.into_iter().filter(|&r| r != successor) {
            self.unlink(r);
            self.link(r, successor);
        }
        self.move_level(successor, level);
        // A manager before joining the boss's team, so the boss is filed by who still
        // contributes.
        if !people.is_manager(successor) {
            people.hot[successor.index()].flags.insert(Flags::MANAGER);
            self.managers += 1;
        }
        if boss.is_some() {
            self.link(successor, boss);
            self.refile(people, span, boss);
        }
        self.refile(people, span, successor);
    }

    /// Bytes of heap memory the chart holds (for the memory benchmarks): its columns, and
    /// about twice the key for each entry of the manager sets.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let columns = self.department.capacity() * 2
            + self.level.capacity()
            + (self.manager.capacity()
                + self.first_report.capacity()
                + self.next_peer.capacity()
                + self.prev_peer.capacity())
                * 4
            + self.reports.capacity() * 4
            + self.filed_as.capacity() * size_of::<Filed>();
        let sets: usize = self
            .with_room
            .iter()
            .chain(&self.full)
            .map(|s| s.len() * 2 * size_of::<u64>())
            .sum();
        columns + sets
    }

    /// Managers of department `d` filed as having room (`true`) or as full with an individual
    /// contributor (`false`), as (level, slot), for checking the bookkeeping.
    pub fn filed(&self, d: usize, with_room: bool) -> impl Iterator<Item = (u8, AgentId)> + '_ {
        let sets = if with_room {
            &self.with_room
        } else {
            &self.full
        };
        sets.get(d).into_iter().flatten().map(|&k| filed_pair(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::people::{Person, Traits};

    fn alive() -> Person {
        Person {
            flags: Flags::ALIVE,
            ..Person::default()
        }
    }

    /// The founder and `n - 1` hires joined one by one in slot order (as founding was done
    /// before the founding chart was built in one pass).
    fn joined_one_by_one(n: usize, span: u32, hierarchy: bool) -> (People, Chart) {
        let (mut people, mut chart) = (People::default(), Chart::default());
        let ceo = people.add(alive(), Traits::default());
        chart.add_slot(ceo, 0);
        chart.departments = 1;
        chart.found(&mut people, span, hierarchy, ceo);
        for _ in 1..n {
            let id = people.add(alive(), Traits::default());
            chart.add_slot(id, 0);
            chart.join(&mut people, span, hierarchy, id);
        }
        (people, chart)
    }

    #[test]
    fn a_founding_chart_is_the_chart_of_joining_one_by_one() {
        let mut sizes: Vec<usize> = (1..=60).collect();
        sizes.extend([99, 100, 101, 343, 344, 2_400, 5_000]);
        for span in [2, 3, 7, 10] {
            for hierarchy in [true, false] {
                for &n in &sizes {
                    let (joined_people, joined) = joined_one_by_one(n, span, hierarchy);
                    let mut people =
                        People::from_columns(vec![alive(); n], vec![Traits::default(); n]);
                    let founded = Chart::found_cohort(&mut people, span, hierarchy);
                    // Column capacities differ (exact here, grown there): compare contents.
                    assert_eq!(
                        founded, joined,
                        "{n} founders, span {span}, hierarchy {hierarchy}"
                    );
                    assert_eq!(
                        founded.filed(0, true).collect::<Vec<_>>(),
                        joined.filed(0, true).collect::<Vec<_>>()
                    );
                    assert_eq!(
                        founded.filed(0, false).collect::<Vec<_>>(),
                        joined.filed(0, false).collect::<Vec<_>>()
                    );
                    let roles = |p: &People| {
                        (0..n)
                            .map(|i| p.is_manager(AgentId(i as u32)))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(
                        roles(&people),
                        roles(&joined_people),
                        "{n} founders, span {span}"
                    );
                }
            }
        }
    }

    #[test]
    fn links_are_kept_consistent() {
        let (mut people, mut chart) = (People::default(), Chart::default());
        let mut add = || {
            let id = people.add(alive(), Traits::default());
            chart.add_slot(id, 0);
            id
        };
        let (boss, a, b) = (add(), add(), add());
        chart.link(a, boss);
        chart.link(b, boss);
        assert_eq!(chart.reports_of(boss), vec![b, a]);
        chart.unlink(b);
        assert_eq!(chart.reports_of(boss), vec![a]);
        assert_eq!(chart.reports[boss.index()], 1);
        assert_eq!(chart.manager[b.index()], AgentId::NONE);
        chart.add_slot(b, 1);
        assert_eq!(
            chart.department[b.index()],
            1,
            "a reused slot starts afresh"
        );
    }
}
