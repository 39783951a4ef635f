//! Who works in each department: a dense list of the current employees of each department and
//! each slot's position in its list, so that a colleague in a department, or someone in any
//! other, is one uniform draw rather than a search over every slot. Joining appends to the
//! list; leaving moves the list's last member into the leaver's place.

use super::people::{AgentId, grown};
use crate::rng::Draw;

/// Position of a slot that is in no list (free, or not yet hired).
const UNLISTED: u32 = u32::MAX;

/// The current employees of each department, in the order joining and leaving left them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Departments {
    /// Per department, its current employees.
    lists: Vec<Vec<AgentId>>,
    /// Per slot, its position in its department's list ([`UNLISTED`] if none).
    at: Vec<u32>,
}

impl Departments {
    /// A founding team of `n` people in slots `0..n`, all in the first department, listed in
    /// slot order.
    pub fn founded(n: usize) -> Departments {
        let n32 = u32::try_from(n).expect("fewer than 2^32 people");
        Departments {
            lists: vec![(0..n32).map(AgentId).collect()],
            at: (0..n32).collect(),
        }
    }

    /// The current employees of department `d`.
    #[inline]
    pub fn of(&self, d: u16) -> &[AgentId] {
        self.lists.get(usize::from(d)).map_or(&[], Vec::as_slice)
    }

    /// Everyone listed, in all departments.
    pub fn headcount(&self) -> usize {
        self.lists.iter().map(Vec::len).sum()
    }

    /// `id`'s position in its department's list, if listed.
    #[inline]
    pub fn position(&self, id: AgentId) -> Option<usize> {
        match self.at.get(id.index()) {
            Some(&at) if at != UNLISTED => Some(at as usize),
            _ => None,
        }
    }

    /// Lists `id` (a new hire) at the end of department `d`'s list.
    pub fn add(&mut self, id: AgentId, d: u16) {
        let (i, d) = (id.index(), usize::from(d));
        if i >= self.at.len() {
            if self.at.len() == self.at.capacity() {
                self.at.reserve_exact(grown(self.at.len()));
            }
            self.at.resize(i + 1, UNLISTED);
        }
        debug_assert_eq!(self.at[i], UNLISTED, "{id:?} listed twice");
        if d >= self.lists.len() {
            self.lists.resize_with(d + 1, Vec::new);
        }
        let list = &mut self.lists[d];
        if list.len() == list.capacity() {
            // An eighth more at a time, as the per-slot columns grow.
            list.reserve_exact(grown(list.len()));
        }
        self.at[i] = list.len() as u32;
        list.push(id);
    }

    /// Takes `id` (who leaves) out of department `d`'s list: the list's last member moves
    /// into its place.
    pub fn remove(&mut self, id: AgentId, d: u16) {
        let at = std::mem::replace(&mut self.at[id.index()], UNLISTED);
        debug_assert_ne!(at, UNLISTED, "{id:?} is not listed");
        let list = &mut self.lists[usize::from(d)];
        debug_assert_eq!(list[at as usize], id, "{id:?} listed elsewhere");
        list.swap_remove(at as usize);
        if let Some(&moved) = list.get(at as usize) {
            self.at[moved.index()] = at;
        }
    }

    /// A uniform draw among the members of department `d` other than the listed people in
    /// `except` (at most two, each listed in `d` or [`AgentId::NONE`]), from `pool` of them
    /// (their number): one `below(pool)` draw, read as a position in the list that skips the
    /// excluded positions.
    #[inline]
    pub fn pick_within(
        &self,
        d: u16,
        except: [Option<usize>; 2],
        pool: usize,
        rng: &mut impl Draw,
    ) -> AgentId {
        let [a, b] = except.map(|p| p.unwrap_or(usize::MAX));
        let (lo, hi) = (a.min(b), a.max(b));
        let mut k = rng.below(pool as u64) as usize;
        if k >= lo {
            k += 1;
        }
        if k >= hi {
            k += 1;
        }
        self.of(d)[k]
    }

    /// A uniform draw among the current employees outside department `d`, `outside` of them
    /// (`outside > 0`): one `below(outside)` draw, read as a position in the other
    /// departments' lists laid end to end, in department order.
    #[inline]
    pub fn pick_outside(&self, d: u16, outside: usize, rng: &mut impl Draw) -> AgentId {
        let mut k = rng.below(outside as u64) as usize;
        for (e, list) in self.lists.iter().enumerate() {
            if e == usize::from(d) {
                continue;
            }
            if k < list.len() {
                return list[k];
            }
            k -= list.len();
        }
        unreachable!("{outside} people outside department {d}: more than listed")
    }

    /// Bytes of heap memory the lists hold (for the memory benchmarks).
    pub fn heap_bytes(&self) -> usize {
        self.at.capacity() * 4
            + self.lists.capacity() * std::mem::size_of::<Vec<AgentId>>()
            + self.lists.iter().map(|l| l.capacity() * 4).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;

    /// Every listed slot's position points back to it, and the lists hold exactly `expected`
    /// (department of each listed slot, or none).
    fn consistent(deps: &Departments, expected: &[Option<u16>]) {
        for (i, want) in expected.iter().enumerate() {
            let id = AgentId(i as u32);
            match want {
                Some(d) => {
                    let at = deps.position(id).expect("listed");
                    assert_eq!(deps.of(*d)[at], id);
                }
                None => assert_eq!(deps.position(id), None, "{id:?} unlisted"),
            }
        }
        let listed = expected.iter().filter(|d| d.is_some()).count();
        assert_eq!(deps.headcount(), listed);
    }

    #[test]
    fn joining_and_leaving_keep_every_position_true() {
        let mut deps = Departments::founded(5);
        let mut expected: Vec<Option<u16>> = vec![Some(0); 5];
        consistent(&deps, &expected);
        for (i, d) in [(5, 1), (6, 1), (7, 2), (8, 0)] {
            deps.add(AgentId(i), d);
            expected.push(Some(d));
        }
        consistent(&deps, &expected);
        // The leaver's place goes to the list's last member.
        deps.remove(AgentId(1), 0);
        expected[1] = None;
        assert_eq!(
            deps.of(0),
            [AgentId(0), AgentId(8), AgentId(2), AgentId(3), AgentId(4)]
        );
        consistent(&deps, &expected);
        deps.remove(AgentId(6), 1);
        deps.remove(AgentId(5), 1);
        expected[5] = None;
        expected[6] = None;
        assert!(deps.of(1).is_empty());
        consistent(&deps, &expected);
        // A freed slot is listed again, in another department.
        deps.add(AgentId(1), 2);
        expected[1] = Some(2);
        consistent(&deps, &expected);
        assert_eq!(
            deps.of(7),
            [] as [AgentId; 0],
            "a department nobody joined is empty"
        );
    }

    #[test]
    fn picks_are_uniform_over_the_pool_and_skip_the_excluded() {
        let mut deps = Departments::founded(6);
        for i in 6..10 {
            deps.add(AgentId(i), 1);
        }
        deps.add(AgentId(10), 2);
        let mut rng = SimRng::from_seed(3);
        // Department 0 without slots 2 and 4 (positions 2 and 4): 4 people left.
        let except = [deps.position(AgentId(4)), deps.position(AgentId(2))];
        let mut within = [0u32; 11];
        let mut outside = [0u32; 11];
        let draws = 40_000;
        for _ in 0..draws {
            within[deps.pick_within(0, except, 4, &mut rng).index()] += 1;
            outside[deps.pick_outside(0, 5, &mut rng).index()] += 1;
        }
        // Each count is Binomial(40000, 1/4) (sd 87) within and Binomial(40000, 1/5) (sd 80)
        // outside: 500 is over 5.7 sd.
        for (i, &c) in within.iter().enumerate() {
            if [0, 1, 3, 5].contains(&i) {
                assert!((c as i64 - 10_000).abs() < 500, "{within:?}");
            } else {
                assert_eq!(c, 0, "{i} drawn within: {within:?}");
            }
        }
        for (i, &c) in outside.iter().enumerate() {
            if i >= 6 {
                assert!((c as i64 - 8_000).abs() < 500, "{outside:?}");
            } else {
                assert_eq!(c, 0, "{i} drawn outside: {outside:?}");
            }
        }
    }
}
