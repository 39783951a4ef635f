//! The informal network: symmetric ties between employees, dense inside a department and
//! sparse across, made as people join (and at cross-team events) and lost as they leave.

use rayon::prelude::*;

use super::chart::Chart;
use super::departments::Departments;
use super::growth::{FOUNDING_CHUNK, FOUNDING_TIES};
use super::params::OrganizationParams;
use super::passes;
use super::people::{AgentId, grown};
use crate::rng::{Draw, SimRng, Stream, stream_seed};

/// Informal ties, a list per employee slot (symmetric: b is in a's list iff a is in b's), and
/// who works in each department, where a hire finds their partners.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Network {
    ties: Vec<Vec<AgentId>>,
    /// The current employees of each department (kept by [`super::growth`] as people join
    /// and leave).
    pub members: Departments,
}

impl Network {
    /// Makes room for `additional` more slots exactly.
    pub fn reserve_exact(&mut self, additional: usize) {
        self.ties.reserve_exact(additional);
    }

    /// Gives slot `id` (new, or reused after a leaver, whose ties were cut) its tie list.
    pub fn add_slot(&mut self, id: AgentId) {
        if id.index() >= self.ties.len() {
            if self.ties.len() == self.ties.capacity() {
                self.ties.reserve_exact(grown(self.ties.len()));
            }
            self.ties.resize_with(id.index() + 1, Vec::new);
        }
    }

    /// `id`'s ties, oldest first.
    #[inline]
    pub fn ties(&self, id: AgentId) -> &[AgentId] {
        &self.ties[id.index()]
    }

    /// Every slot's ties, by slot.
    pub fn all(&self) -> &[Vec<AgentId>] {
        &self.ties
    }

    /// Ties `a` and `b` (symmetric). Returns false if they were already tied.
    pub fn connect(&mut self, a: AgentId, b: AgentId) -> bool {
        if a == b || self.ties[a.index()].contains(&b) {
            return false;
        }
        push_tie(&mut self.ties[a.index()], b);
        push_tie(&mut self.ties[b.index()], a);
        true
    }

    /// Ties new hire `a` to `b` as [`Network::connect`] would, or, given `owed`, on `a`'s side
    /// only, owing `b` the other side (settled by [`Network::settle`]). Returns false if they
    /// were already tied. Only a hire's own list is read while hiring, so the other sides can
    /// wait until the week's hires are done.
    fn connect_hire(&mut self, a: AgentId, b: AgentId, owed: Option<&mut Vec<Owed>>) -> bool {
        if a == b || self.ties[a.index()].contains(&b) {
            return false;
        }
        push_tie(&mut self.ties[a.index()], b);
        match owed {
            Some(owed) => owed.push(Owed { to: b, tie: a }),
            None => push_tie(&mut self.ties[b.index()], a),
        }
        true
    }

    /// Adds the ties `owed` to their lists, in order, so each list ends as if every tie had
    /// been made both ways at once ([`passes::apply_in_order`]: by chunk of slots, in parallel
    /// for large organizations).
    pub fn settle(&mut self, owed: &[Owed]) {
        passes::apply_in_order(
            &mut self.ties,
            owed,
            |o| o.to.index(),
            |list, o| push_tie(list, o.tie),
        );
    }

    /// Removes every tie of `id` (who leaves).
    pub fn cut(&mut self, id: AgentId) {
        for other in std::mem::take(&mut self.ties[id.index()]) {
            let list = &mut self.ties[other.index()];
            if let Some(pos) = list.iter().position(|&x| x == id) {
                list.swap_remove(pos);
            }
        }
    }

    /// Removes every tie of everyone in `leaving` (distinct slots, in slot order), with the
    /// same result as [`Network::cut`] for each in turn: everyone who stays loses their ties
    /// to the leavers, one `swap_remove` per leaver in slot order. The ties to undo are
    /// gathered in parallel, in the leavers' order, and applied with
    /// [`passes::apply_in_order`] (by chunk of slots of who stays, in parallel for large
    /// organizations, each stayer's removals in the leavers' order), so the result does not
    /// depend on the thread count. Reads nothing but the network, so the chart can heal at
    /// the same time.
    pub fn cut_all(&mut self, leaving: &[AgentId]) {
        // Who leaves, a bit per slot.
        let mut gone = vec![0u64; self.ties.len().div_ceil(64)];
        for a in leaving {
            gone[a.index() / 64] |= 1 << (a.index() % 64);
        }
        let stays = |x: AgentId| gone[x.index() / 64] & (1 << (x.index() % 64)) == 0;
        if self.ties.len() < passes::PARALLEL_FROM {
            // A small organization: the removals one after another, in the leavers' order,
            // as `apply_in_order` would make them below this size, without gathering them
            // first (rayon's collect costs more than the work here).
            // (A leaver's own list is emptied whole, so cutting ties to other leavers too
            // changes nothing.)
            for &a in leaving {
                self.cut(a);
            }
            return;
        }
        // (who stays, which leaver), in the leavers' order.
        let undo: Vec<(AgentId, u32)> = leaving
            .par_iter()
            .with_min_len(64)
            .enumerate()
            .flat_map_iter(|(k, &a)| {
                self.ties[a.index()]
                    .iter()
                    .filter(move |&&x| stays(x))
                    .map(move |&x| (x, k as u32))
            })
            .collect();
        passes::apply_in_order(
            &mut self.ties,
            &undo,
            |&(x, _)| x.index(),
            |list, &(_, k)| {
                let a = leaving[k as usize];
                if let Some(pos) = list.iter().position(|&t| t == a) {
                    list.swap_remove(pos);
                }
            },
        );
        // The leavers' lists are freed (kept room would count against the state's bytes per
        // employee when the next hire needs less).
        for a in leaving {
            self.ties[a.index()] = Vec::new();
        }
    }

    /// The ties of a founding team placed by [`Chart::found_cohort`] (slots `0..n`, all in
    /// the first department), as if each had joined in slot order through [`Network::tie_in`]:
    /// each founder ties to their manager and to up to `ties_within` distinct earlier
    /// founders, drawn uniformly from a stream keyed by the run's `seed` and their slot (no
    /// ties across departments: there is one). Every founder's own ties are drawn in
    /// parallel, then made symmetric: a founder's list holds their own ties in the order
    /// drawn, then the later founders who chose them, by slot, as join would have left it.
    /// Lists are allocated at their exact length. The result does not depend on the thread
    /// count.
    pub fn found_cohort(chart: &Chart, o: &OrganizationParams, seed: u64) -> Network {
        let n = chart.manager.len();
        debug_assert!(chart.departments <= 1, "founders share one department");
        let key = stream_seed(seed, &[FOUNDING_TIES]);
        // Founder i's own ties: the manager, then distinct earlier founders.
        let own = |i: usize, out: &mut Vec<AgentId>| {
            out.clear();
            let boss = chart.manager[i];
            if boss.is_some() {
                out.push(boss);
            }
            let wanted = o.ties_within.min((i - out.len()) as u32);
            let mut rng = Stream::new(stream_seed(key, &[i as u64]));
            let (mut made, mut tries) = (0, 0);
            while made < wanted && tries < 20 * o.ties_within {
                tries += 1;
                let other = AgentId(rng.below(i as u64) as u32);
                if !out.contains(&other) {
                    out.push(other);
                    made += 1;
                }
            }
        };
        // Every founder's own ties, a piece of slots at a time, in slot order.
        let pieces: Vec<(Vec<u32>, Vec<AgentId>)> = (0..n.div_ceil(FOUNDING_CHUNK))
            .into_par_iter()
            .map(|c| {
                let slots = c * FOUNDING_CHUNK..((c + 1) * FOUNDING_CHUNK).min(n);
                let mut ends = Vec::with_capacity(slots.len());
                let mut ties = Vec::with_capacity(slots.len() * (o.ties_within as usize + 1));
                let mut out = Vec::new();
                for i in slots {
                    own(i, &mut out);
                    ties.extend_from_slice(&out);
                    ends.push(ties.len() as u32);
                }
                (ends, ties)
            })
            .collect();
        // Who chose each founder: filed by piece in parallel when there are threads to share
        // the work, counted in one pass otherwise (the same lists either way).
        let ties = if n >= passes::PARALLEL_FROM && rayon::current_num_threads() > 1 {
            founding_lists_by_piece(&pieces, n)
        } else {
            founding_lists_in_order(&pieces, n)
        };
        Network {
            ties,
            members: Departments::founded(n),
        }
    }

    /// Ties for a new hire (already listed in their department): their manager; `ties_within`
    /// distinct colleagues of their department other than the manager (all of them if fewer),
    /// each drawn uniformly from the department's list without the hire and the manager,
    /// repeats redrawn; then, once a second department is open, floor(`ties_across`) plus one
    /// with probability frac(`ties_across`) distinct people outside the department (all of
    /// them if fewer), drawn uniformly from everyone there, repeats (and the manager) redrawn.
    /// The hire's list is allocated at its final length. Given `owed`, the other side of each
    /// tie is owed (for [`Network::settle`] once the week's hires are in); otherwise it is
    /// made at once.
    pub fn tie_in(
        &mut self,
        chart: &Chart,
        rng: &mut SimRng,
        o: &OrganizationParams,
        id: AgentId,
        mut owed: Option<&mut Vec<Owed>>,
    ) {
        let d = chart.department[id.index()];
        let boss = chart.manager[id.index()];
        let colleagues = self.members.of(d).len();
        let outside = self.members.headcount() - colleagues;
        // The manager, listed in this department or elsewhere (a department head's manager is
        // the founder).
        let boss_here = if boss.is_some() && chart.department[boss.index()] == d {
            self.members.position(boss)
        } else {
            None
        };
        let pool = colleagues - 1 - usize::from(boss_here.is_some());
        let within = (o.ties_within as usize).min(pool);
        let across = if chart.departments <= 1 {
            0
        } else {
            let wanted =
                o.ties_across.floor() as usize + usize::from(rng.chance(o.ties_across.fract()));
            let boss_outside = boss.is_some() && boss_here.is_none();
            wanted.min(outside - usize::from(boss_outside))
        };
        self.ties[id.index()].reserve_exact(usize::from(boss.is_some()) + within + across);
        if boss.is_some() {
            self.connect_hire(id, boss, owed.as_deref_mut());
        }
        let except = [self.members.position(id), boss_here];
        let mut made = 0;
        while made < within {
            let other = self.members.pick_within(d, except, pool, rng);
            if self.connect_hire(id, other, owed.as_deref_mut()) {
                made += 1;
            }
        }
        let mut made = 0;
        while made < across {
            let other = self.members.pick_outside(d, outside, rng);
            if self.connect_hire(id, other, owed.as_deref_mut()) {
                made += 1;
            }
        }
    }

    /// Bytes of heap memory the network holds, its department lists included (for the
    /// memory benchmarks).
    pub fn heap_bytes(&self) -> usize {
        self.ties.capacity() * std::mem::size_of::<Vec<AgentId>>()
            + self.ties.iter().map(|t| t.capacity() * 4).sum::<usize>()
            + self.members.heap_bytes()
    }
}

/// The side of a hire's tie still to be added: `tie` goes into `to`'s list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owed {
    /// Whose list the tie goes into.
    pub to: AgentId,
    /// The hire at the other end.
    pub tie: AgentId,
}

/// Appends `other` to a tie list. Lists grow four at a time rather than doubling: most people
/// have a dozen. A full list is moved to a new allocation rather than `realloc`ed: the
/// allocator's small blocks are reused from its per-thread cache, where glibc's `realloc` of a
/// small block costs several times a fresh block and a copy.
#[inline]
fn push_tie(list: &mut Vec<AgentId>, other: AgentId) {
    if list.len() == list.capacity() {
        let mut longer = Vec::with_capacity(list.len() + 4);
        longer.extend_from_slice(list);
        *list = longer;
    }
    list.push(other);
}

/// Every founder's pieces of own ties (a piece of [`FOUNDING_CHUNK`] founders: where each
/// founder's ties end, and the ties), as [`Network::found_cohort`] draws them.
type FoundingPieces = [(Vec<u32>, Vec<AgentId>)];

/// The founders' tie lists from their own ties (`pieces`, `n` founders): each founder's own
/// ties, then the later founders who chose them, by slot. Who chose each founder is counted,
/// then laid out in one flat array in one pass over the ties (sources in increasing order, so
/// each founder's choosers come sorted); the lists are then made in parallel.
fn founding_lists_in_order(pieces: &FoundingPieces, n: usize) -> Vec<Vec<AgentId>> {
    let mut start = vec![0usize; n + 1];
    for (_, ties) in pieces {
        for t in ties {
            start[t.index() + 1] += 1;
        }
    }
    for j in 0..n {
        start[j + 1] += start[j];
    }
    let mut next = start.clone();
    let mut by = vec![AgentId::NONE; start[n]];
    for (c, (ends, ties)) in pieces.iter().enumerate() {
        let mut from = 0;
        for (k, &end) in ends.iter().enumerate() {
            let i = AgentId((c * FOUNDING_CHUNK + k) as u32);
            for t in &ties[from..end as usize] {
                by[next[t.index()]] = i;
                next[t.index()] += 1;
            }
            from = end as usize;
        }
    }
    drop(next);
    let mut ties = Vec::with_capacity(n);
    (0..n)
        .into_par_iter()
        .with_min_len(FOUNDING_CHUNK)
        .map(|i| {
            let (ends, own) = &pieces[i / FOUNDING_CHUNK];
            let k = i % FOUNDING_CHUNK;
            let from = if k == 0 { 0 } else { ends[k - 1] as usize };
            let mine = &own[from..ends[k] as usize];
            let choosers = &by[start[i]..start[i + 1]];
            let mut list = Vec::with_capacity(mine.len() + choosers.len());
            list.extend_from_slice(mine);
            list.extend_from_slice(choosers);
            list
        })
        .collect_into_vec(&mut ties);
    ties
}

/// [`founding_lists_in_order`], with who chose whom filed in parallel: each piece of
/// choosers sorts its ties by the chosen founder's piece (founders choose earlier founders
/// only), then each piece of chosen founders gathers its choosers from the pieces of choosers
/// in order, so each founder's choosers come in increasing slot order, and makes its
/// founders' lists. The same lists, on any thread count.
fn founding_lists_by_piece(pieces: &FoundingPieces, n: usize) -> Vec<Vec<AgentId>> {
    const _: () = assert!(
        FOUNDING_CHUNK <= 1 << 16,
        "a place in a piece fits in a u16"
    );
    // Piece q's ties filed by the chosen founder's piece p, each as (the chosen founder's
    // place in p, the chooser's place in q): four bytes a tie.
    let count = pieces.len();
    let filed: Vec<Vec<Vec<(u16, u16)>>> = pieces
        .par_iter()
        .enumerate()
        .map(|(q, (ends, ties))| {
            let mut counts = vec![0usize; q + 1];
            for t in ties {
                counts[t.index() / FOUNDING_CHUNK] += 1;
            }
            let mut by_piece: Vec<Vec<(u16, u16)>> =
                counts.into_iter().map(Vec::with_capacity).collect();
            let mut from = 0;
            for (k, &end) in ends.iter().enumerate() {
                for t in &ties[from..end as usize] {
                    let (p, local) = (t.index() / FOUNDING_CHUNK, t.index() % FOUNDING_CHUNK);
                    by_piece[p].push((local as u16, k as u16));
                }
                from = end as usize;
            }
            by_piece
        })
        .collect();
    let mut ties: Vec<Vec<AgentId>> = Vec::with_capacity(n);
    ties.resize_with(n, Vec::new);
    ties.par_chunks_mut(FOUNDING_CHUNK)
        .enumerate()
        .for_each(|(p, lists)| {
            let (ends, own) = &pieces[p];
            let mut chosen = vec![0u32; lists.len()];
            for by_piece in &filed[p..count] {
                for &(local, _) in &by_piece[p] {
                    chosen[usize::from(local)] += 1;
                }
            }
            let mut from = 0;
            for (k, list) in lists.iter_mut().enumerate() {
                let mine = &own[from..ends[k] as usize];
                *list = Vec::with_capacity(mine.len() + chosen[k] as usize);
                list.extend_from_slice(mine);
                from = ends[k] as usize;
            }
            for (q, by_piece) in filed.iter().enumerate().skip(p) {
                for &(local, k) in &by_piece[p] {
                    let chooser = AgentId((q * FOUNDING_CHUNK + usize::from(k)) as u32);
                    lists[usize::from(local)].push(chooser);
                }
            }
        });
    ties
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::people::{Flags, People, Person, Traits};

    fn founded(n: usize, span: u32, hierarchy: bool, threads: usize) -> (Chart, Network) {
        let o = OrganizationParams {
            span_of_control: span,
            hierarchy,
            ..OrganizationParams::default()
        };
        let alive = Person {
            flags: Flags::ALIVE,
            ..Person::default()
        };
        let mut people = People::from_columns(vec![alive; n], vec![Traits::default(); n]);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let chart = Chart::found_cohort(&mut people, span, hierarchy);
            let network = Network::found_cohort(&chart, &o, 11);
            (chart, network)
        })
    }

    #[test]
    fn founding_ties_are_symmetric_oldest_first_and_the_same_on_any_thread_count() {
        let within = OrganizationParams::default().ties_within as usize;
        for (n, span, hierarchy) in [
            (1, 7, true),
            (15, 7, true),
            (15, 3, false),
            (20_000, 7, true),
        ] {
            let (chart, one) = founded(n, span, hierarchy, 1);
            let (_, three) = founded(n, span, hierarchy, 3);
            assert_eq!(one, three, "{n} founders: the same ties on 1 and 3 threads");
            let mut made = 0;
            for i in 0..n {
                let id = AgentId(i as u32);
                let ties = one.ties(id);
                let boss = chart.manager[i];
                // Own ties first (the manager, then earlier founders), then later founders
                // who chose this one, by slot; nobody twice, nobody oneself.
                let own = ties.iter().take_while(|t| t.index() < i).count();
                assert!(ties[own..].windows(2).all(|w| w[0] < w[1]), "{i}: {ties:?}");
                assert!(ties[own..].iter().all(|t| t.index() > i), "{i}: {ties:?}");
                let mut sorted = ties.to_vec();
                sorted.sort();
                sorted.dedup();
                assert_eq!(sorted.len(), ties.len(), "{i}: {ties:?}");
                if boss.is_some() {
                    assert_eq!(ties[0], boss, "{i} ties to their manager first");
                }
                assert_eq!(
                    own - usize::from(boss.is_some()),
                    within.min(i - usize::from(boss.is_some()))
                );
                made += own;
                assert_eq!(one.all()[i].capacity(), ties.len(), "{i}: exact list");
                for &t in ties {
                    assert!(one.ties(t).contains(&id), "{i} and {t:?}: not symmetric");
                }
            }
            let listed: usize = one.all().iter().map(Vec::len).sum();
            assert_eq!(
                listed,
                2 * made,
                "{n} founders: each tie listed at both ends"
            );
        }
    }

    /// Cutting a week's leavers all at once leaves every list as cutting them one by one in
    /// slot order does (the same ties in the same order), in an organization large enough to
    /// cut in parallel over many chunks of slots, on any thread count.
    #[test]
    fn cutting_all_leavers_at_once_is_cutting_them_one_by_one() {
        let n = passes::PARALLEL_FROM + 4 * FOUNDING_CHUNK + 300;
        let (_, mut network) = founded(n, 7, true, 1);
        // Ties across pieces of slots in both directions, added in random order.
        let mut rng = SimRng::from_seed(3);
        for _ in 0..20 * n {
            let (a, b) = (rng.below(n as u64), rng.below(n as u64));
            network.connect(AgentId(a as u32), AgentId(b as u32));
        }
        for (round, share) in [0.001, 0.01, 0.05, 0.3].into_iter().enumerate() {
            let mut rng = SimRng::from_seed(round as u64);
            let leaving: Vec<AgentId> = (0..n as u32)
                .map(AgentId)
                .filter(|_| rng.chance(share))
                .collect();
            let mut one_by_one = network.clone();
            for &a in &leaving {
                one_by_one.cut(a);
            }
            for threads in [1, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let mut all = network.clone();
                pool.install(|| all.cut_all(&leaving));
                assert_eq!(
                    all,
                    one_by_one,
                    "{} leavers on {threads} threads",
                    leaving.len()
                );
            }
            assert!(leaving.len() > n / 2000, "{} leavers", leaving.len());
        }
    }
}
