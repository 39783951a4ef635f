//! Passes over every employee slot whose result is a sum (the weekly row, innovation capacity,
//! the use of working time, sponsors): each runs over fixed chunks of [`CHUNK`] slots and
//! combines the chunks' partial results in chunk order, in parallel for organizations of
//! [`PARALLEL_FROM`] slots or more and one chunk after another below that. The chunks depend
//! on the number of slots only, so a sum has the same bits whatever the thread count, and
//! whether it ran in parallel or not.

use std::ops::Range;

use rayon::prelude::*;

pub use super::weekly::PARALLEL_FROM;

/// Slots per chunk. An organization smaller than this is summed in one chunk, in slot order.
pub const CHUNK: usize = 2048;

/// The chunks of slots `0..len`, in order.
fn chunks(len: usize) -> impl IndexedParallelIterator<Item = Range<usize>> {
    (0..len.div_ceil(CHUNK))
        .into_par_iter()
        .map(move |c| c * CHUNK..((c + 1) * CHUNK).min(len))
}

/// `part` of every chunk of slots `0..len`, combined with `join` in chunk order (starting
/// from `T::default()`).
pub fn sum<T, F, J>(len: usize, part: F, join: J) -> T
where
    T: Default + Send,
    F: Fn(Range<usize>) -> T + Sync + Send,
    J: Fn(T, T) -> T,
{
    if len >= PARALLEL_FROM {
        let parts: Vec<T> = chunks(len).map(part).collect();
        parts.into_iter().fold(T::default(), join)
    } else {
        (0..len.div_ceil(CHUNK))
            .map(|c| part(c * CHUNK..((c + 1) * CHUNK).min(len)))
            .fold(T::default(), join)
    }
}

/// Like [`sum`], where each chunk also writes its own slots of `data` (one element per slot):
/// `part(first slot, the chunk's elements)`.
pub fn sum_mut<S, T, F, J>(data: &mut [S], part: F, join: J) -> T
where
    S: Send,
    T: Default + Send,
    F: Fn(usize, &mut [S]) -> T + Sync + Send,
    J: Fn(T, T) -> T,
{
    if data.len() >= PARALLEL_FROM {
        let parts: Vec<T> = data
            .par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(c, chunk)| part(c * CHUNK, chunk))
            .collect();
        parts.into_iter().fold(T::default(), join)
    } else {
        data.chunks_mut(CHUNK)
            .enumerate()
            .map(|(c, chunk)| part(c * CHUNK, chunk))
            .fold(T::default(), join)
    }
}

/// The slots `0..len` for which `keep` holds, in slot order (found in parallel for large
/// organizations).
pub fn find<K>(len: usize, keep: K) -> Vec<u32>
where
    K: Fn(usize) -> bool + Sync + Send,
{
    let list = |r: Range<usize>| -> Vec<u32> { r.filter(|&i| keep(i)).map(|i| i as u32).collect() };
    if len >= PARALLEL_FROM {
        let parts: Vec<Vec<u32>> = chunks(len).map(list).collect();
        parts.concat()
    } else {
        list(0..len)
    }
}

/// Applies `change` to the element of `data` that each of `items` names (`slot(item)`),
/// the items naming one slot in their order in `items`, so the result is that of applying
/// them one after another: [`apply_pieces_in_order`] of `items` in pieces of [`FILE_PIECE`].
pub fn apply_in_order<S, T, K, F>(data: &mut [S], items: &[T], slot: K, change: F)
where
    S: Send,
    T: Copy + Send + Sync,
    K: Fn(&T) -> usize + Sync,
    F: Fn(&mut S, &T) + Sync + Send,
{
    if data.len() < PARALLEL_FROM {
        for item in items {
            change(&mut data[slot(item)], item);
        }
        return;
    }
    let pieces: Vec<&[T]> = items.chunks(FILE_PIECE).collect();
    apply_pieces_in_order(data, &pieces, slot, change);
}

/// Applies `change` to the element of `data` that each item of `pieces` names
/// (`slot(item)`), the items naming one slot in their order in the pieces, one piece after
/// another, so the result is that of applying them one after another. For [`PARALLEL_FROM`]
/// slots or more the items of each piece are first filed by chunk of [`CHUNK`] slots (a
/// stable counting sort, the pieces in parallel) and the chunks applied in parallel, each
/// taking its items from the pieces in order, no element touched by two threads; below that
/// they are applied in order. The result is the same either way, on any thread count and
/// however the items are cut into pieces.
pub fn apply_pieces_in_order<S, T, P, K, F>(data: &mut [S], pieces: &[P], slot: K, change: F)
where
    S: Send,
    T: Copy + Send + Sync,
    P: AsRef<[T]> + Sync,
    K: Fn(&T) -> usize + Sync,
    F: Fn(&mut S, &T) + Sync + Send,
{
    if data.len() < PARALLEL_FROM {
        for item in pieces.iter().flat_map(|p| p.as_ref()) {
            change(&mut data[slot(item)], item);
        }
        return;
    }
    let chunks = data.len().div_ceil(CHUNK);
    let file = |piece: &P| -> Filed<T> {
        let piece = piece.as_ref();
        let mut start = vec![0usize; chunks + 1];
        let Some(&first) = piece.first() else {
            return (start, Vec::new());
        };
        for item in piece {
            start[slot(item) / CHUNK + 1] += 1;
        }
        for c in 0..chunks {
            start[c + 1] += start[c];
        }
        let mut filed = vec![(0u32, first); piece.len()];
        let mut next = start.clone();
        for item in piece {
            let i = slot(item);
            let c = i / CHUNK;
            filed[next[c]] = ((i % CHUNK) as u32, *item);
            next[c] += 1;
        }
        (start, filed)
    };
    let filed: Vec<Filed<T>> = pieces.par_iter().map(file).collect();
    let filed = &filed;
    data.par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(c, part)| {
            for (start, items) in filed {
                for (k, item) in &items[start[c]..start[c + 1]] {
                    change(&mut part[*k as usize], item);
                }
            }
        });
}

/// A piece of items filed by chunk of slots: where each chunk's items start, and the items
/// with their place in the chunk.
type Filed<T> = (Vec<usize>, Vec<(u32, T)>);

/// Items per piece when [`apply_in_order`] has them filed in parallel.
const FILE_PIECE: usize = 8192;

#[cfg(test)]
mod tests {
    use super::*;

    /// Sums over many slots have the same bits on one thread as on several, because the
    /// chunks and the order they are combined in depend on the number of slots only.
    #[test]
    fn sums_do_not_depend_on_the_thread_count() {
        let len = PARALLEL_FROM + 3 * CHUNK + 17;
        let value = |i: usize| 1.0 / (1.0 + i as f64).sqrt();
        let total = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| sum(len, |r| r.map(value).sum::<f64>(), |a, b| a + b))
        };
        let one = total(1);
        assert_eq!(one.to_bits(), total(3).to_bits());
        // The chunks combine in order: the same as summing chunk by chunk by hand.
        let by_hand = (0..len.div_ceil(CHUNK)).fold(0.0, |acc, c| {
            acc + (c * CHUNK..((c + 1) * CHUNK).min(len))
                .map(value)
                .sum::<f64>()
        });
        assert_eq!(one.to_bits(), by_hand.to_bits());
        // Below the parallel size, one chunk is a plain sum in slot order.
        let small: f64 = (0..CHUNK).map(value).sum();
        assert_eq!(
            sum(CHUNK, |r| r.map(value).sum::<f64>(), |a, b| a + b).to_bits(),
            small.to_bits()
        );
        let mut data = vec![0.0; len];
        let written = sum_mut(
            &mut data,
            |first, chunk| {
                let mut s = 0.0;
                for (k, d) in chunk.iter_mut().enumerate() {
                    *d = value(first + k);
                    s += *d;
                }
                s
            },
            |a, b| a + b,
        );
        assert_eq!(written.to_bits(), one.to_bits());
        assert!(data.iter().enumerate().all(|(i, &d)| d == value(i)));
        let found = find(len, |i| i % 1000 == 7);
        assert_eq!(found.len(), len.div_ceil(1000));
        assert!(found.windows(2).all(|w| w[0] < w[1]) && found[0] == 7);
    }
    /// Changes applied by chunk in parallel leave every slot as applying them one after
    /// another does (each slot's changes in their order), on any thread count and at any size.
    #[test]
    fn changes_apply_in_order_on_any_thread_count() {
        for len in [CHUNK + 5, PARALLEL_FROM + 3 * CHUNK + 17] {
            // Several changes to many slots, interleaved; a slot's history records their order.
            let items: Vec<(u32, u32)> = (0..4 * len as u32)
                .map(|k| ((crate::rng::mix64(u64::from(k)) % len as u64) as u32, k))
                .collect();
            let mut by_hand = vec![Vec::new(); len];
            for &(i, k) in &items {
                by_hand[i as usize].push(k);
            }
            // However the items are cut into pieces (empty ones too), the same.
            let cuts = [0, 1, 1, 17, 17, len, 2 * len, items.len()];
            let pieces: Vec<&[(u32, u32)]> = cuts.windows(2).map(|w| &items[w[0]..w[1]]).collect();
            for threads in [1, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                for in_pieces in [false, true] {
                    let mut data = vec![Vec::new(); len];
                    pool.install(|| {
                        let (slot, push) = (
                            |&(i, _): &(u32, u32)| i as usize,
                            |d: &mut Vec<u32>, &(_, k): &(u32, u32)| d.push(k),
                        );
                        if in_pieces {
                            apply_pieces_in_order(&mut data, &pieces, slot, push)
                        } else {
                            apply_in_order(&mut data, &items, slot, push)
                        }
                    });
                    assert!(
                        data == by_hand,
                        "{len} slots on {threads} threads (in pieces: {in_pieces})"
                    );
                }
            }
            assert!(by_hand.iter().filter(|h| h.len() > 1).count() > len / 2);
        }
    }
}
