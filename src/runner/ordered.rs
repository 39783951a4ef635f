//! Ordered parallel execution: positions `from..to` are simulated on a rayon pool in any
//! order and handed to one consumer in position order, with memory bounded by how far the
//! workers may run ahead of the consumer.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::Progress;

/// A pool of worker threads, given one list of runs at a time (orgsim makes one per command
/// or what-if): a large run's steps keep its other thread polling for the run's work
/// ([`super::partner`]), which would also run anything else the pool were given.
pub struct Pool {
    pool: rayon::ThreadPool,
    threads: usize,
}

/// The worker threads could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {threads} worker threads: {message}")]
pub struct PoolError {
    /// Threads asked for.
    pub threads: usize,
    /// Why not.
    pub message: String,
}

impl Pool {
    /// A pool of `threads` workers; `None` takes one per core.
    pub fn new(threads: Option<usize>) -> Result<Pool, PoolError> {
        let threads = threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(1)
        });
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| PoolError {
                threads,
                message: e.to_string(),
            })?;
        Ok(Pool { pool, threads })
    }

    /// The number of workers.
    pub fn threads(&self) -> usize {
        self.threads
    }
}

/// How far the consumer got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish {
    /// Every position was consumed.
    Done,
    /// Stopped (the stop was requested, or a run gave up) after consuming the positions
    /// before `at`.
    Stopped {
        /// The first position not consumed.
        at: u64,
    },
}

/// The positions claimed by workers and consumed, shared under one lock.
struct Claims {
    next: u64,
    consumed: u64,
}

/// Runs `work(pos)` for every position of `from..to` on `pool` (one worker per thread,
/// each taking the next position from a shared counter, so no thread waits at a batch
/// boundary), and calls `consume(pos, result)` on this thread in increasing position
/// order. Workers never run more than `ahead` positions past the consumer, so at most
/// `ahead` results are held at once, whatever the thread count or a slow run.
///
/// `work` returns `None` when it gave up (it polls the user's stop); the stop is also
/// checked before each position is claimed. A `consume` error stops the workers after
/// their current position and is returned.
pub fn for_each_ordered<T: Send, E>(
    pool: &Pool,
    positions: std::ops::Range<u64>,
    ahead: usize,
    progress: &dyn Progress,
    work: &(dyn Fn(u64) -> Option<T> + Sync),
    consume: &mut dyn FnMut(u64, T) -> Result<(), E>,
) -> Result<Finish, E> {
    let (from, to) = (positions.start, positions.end.max(positions.start));
    let ahead = ahead.max(1) as u64;
    let claims = Mutex::new(Claims {
        next: from,
        consumed: from,
    });
    let moved = Condvar::new();
    let abort = AtomicBool::new(false);
    let halt = || {
        abort.store(true, Ordering::Relaxed);
        moved.notify_all();
    };
    // The next position a worker may run, waiting while it is too far ahead.
    let claim = || -> Option<u64> {
        let mut c = claims.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if abort.load(Ordering::Relaxed) || progress.cancelled() || c.next >= to {
                return None;
            }
            if c.next < c.consumed + ahead {
                c.next += 1;
                return Some(c.next - 1);
            }
            // Timed, so a stop requested while waiting is seen.
            c = moved
                .wait_timeout(c, Duration::from_millis(50))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    };
    let (tx, rx) = std::sync::mpsc::sync_channel::<(u64, T)>(pool.threads() * 4);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            pool.pool.broadcast(|_| {
                let tx = tx.clone();
                while let Some(pos) = claim() {
                    let Some(result) = work(pos) else {
                        halt();
                        break;
                    };
                    progress.run_done();
                    if tx.send((pos, result)).is_err() {
                        break;
                    }
                }
            });
            drop(tx);
        });
        let mut pending: BTreeMap<u64, T> = BTreeMap::new();
        let mut at = from;
        for (pos, result) in rx {
            pending.insert(pos, result);
            while let Some(result) = pending.remove(&at) {
                if let Err(e) = consume(at, result) {
                    halt();
                    return Err(e);
                }
                at += 1;
                claims.lock().unwrap_or_else(|e| e.into_inner()).consumed = at;
                moved.notify_all();
            }
        }
        Ok(if at >= to {
            Finish::Done
        } else {
            Finish::Stopped { at }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn results_arrive_in_order_whatever_the_threads() {
        for threads in [1, 2, 5] {
            let pool = Pool::new(Some(threads)).unwrap();
            let mut seen = Vec::new();
            // Later positions finish first: the consumer still sees them in order.
            let work = |p: u64| {
                std::thread::sleep(Duration::from_micros((40 - p % 40) * 20));
                Some(p * 10)
            };
            let finish = for_each_ordered(&pool, 3..200, 7, &(), &work, &mut |p, v| {
                seen.push((p, v));
                Ok::<(), ()>(())
            })
            .unwrap();
            assert_eq!(finish, Finish::Done);
            let expected: Vec<(u64, u64)> = (3..200).map(|p| (p, p * 10)).collect();
            assert_eq!(seen, expected, "{threads} threads");
        }
    }

    #[test]
    fn workers_never_run_further_ahead_than_allowed() {
        let pool = Pool::new(Some(4)).unwrap();
        let consumed = AtomicU64::new(0);
        let worst = AtomicU64::new(0);
        let work = |p: u64| {
            let lead = p + 1 - consumed.load(Ordering::SeqCst);
            worst.fetch_max(lead, Ordering::SeqCst);
            Some(p)
        };
        for_each_ordered(&pool, 0..500, 3, &(), &work, &mut |p, _| {
            if p % 50 == 0 {
                std::thread::sleep(Duration::from_millis(2));
            }
            consumed.store(p + 1, Ordering::SeqCst);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert!(worst.load(Ordering::SeqCst) <= 3, "{worst:?}");
    }

    #[test]
    fn a_run_that_gives_up_or_a_consumer_error_stops_the_rest() {
        let pool = Pool::new(Some(2)).unwrap();
        let work = |p: u64| (p != 40).then_some(p);
        let mut last = 0;
        let finish = for_each_ordered(&pool, 0..1000, 4, &(), &work, &mut |p, _| {
            last = p;
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(finish, Finish::Stopped { at: 40 });
        assert_eq!(last, 39);
        let work = |p: u64| Some(p);
        let err = for_each_ordered(&pool, 0..1000, 4, &(), &work, &mut |p, _| {
            if p == 10 { Err(p) } else { Ok(()) }
        });
        assert_eq!(err, Err(10));
    }
}
