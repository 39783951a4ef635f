//! Keeping a two-thread pool's second thread at hand through one large run.
//!
//! A large organization's week alternates passes over every employee, shared by the pool's
//! threads, with short parts that run on one thread (hiring, the week's time use, settling
//! initiatives in slot order). Rayon lets a thread with nothing to do fall asleep after a few
//! dozen polls (some 50 microseconds); waking it for the next shared pass then costs some 35
//! microseconds on the 2-vCPU machines we measure on, and that happens a few times every week.
//! [`with_partner`] instead keeps the other thread polling for work until the run ends: it
//! joins the run with a task that takes the pool's pending work as it appears
//! ([`rayon::yield_now`]) and yields to the operating system between polls, so the thread is
//! awake when the next pass starts. Which thread does what never changes a result.

use std::sync::atomic::{AtomicBool, Ordering};

/// Runs `f` on this thread while the pool's other thread, if the pool has exactly two, takes
/// `f`'s parallel work as it appears and otherwise polls for it, until `f` returns (or
/// panics). Elsewhere (a pool of one or of three or more, or outside a pool) `f` just runs.
///
/// Why the poller never waits on work that `f` waits on: it is pushed onto this thread's queue
/// before `f` starts, when the queue is empty (`f` is a run, called at the bottom of a
/// worker's stack), so it is the oldest task there, and rayon's thieves take the oldest task
/// first. The other thread, if idle, therefore takes the poller before any of `f`'s work and
/// holds it at the bottom of its stack, under whatever of `f`'s work it runs from there, and
/// the poller waits for nothing but `f`. If the other thread is busy with a run of its own it
/// never steals from this one (a thread steals only when idle or when waiting on work stolen
/// from it, and this thread steals only when waiting on its own stolen work), and this thread
/// takes the poller back when `f` returns, done. With three or more threads, a third could
/// take the poller while running `f`'s work and wait on it, so none is made.
pub fn with_partner<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if rayon::current_thread_index().is_none() || rayon::current_num_threads() != 2 {
        return f();
    }
    let done = AtomicBool::new(false);
    // Set when `f` returns or unwinds, so the poller never outlives it.
    struct Done<'a>(&'a AtomicBool);
    impl Drop for Done<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Release);
        }
    }
    let run = || {
        let _done = Done(&done);
        f()
    };
    let poll = || {
        while !done.load(Ordering::Acquire) {
            if rayon::yield_now() != Some(rayon::Yield::Executed) {
                std::thread::yield_now();
            }
        }
    };
    rayon::join(run, poll).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    /// `f`'s result, or a failure if it takes more than a minute (a deadlock).
    fn within_a_minute<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(f()));
        rx.recv_timeout(std::time::Duration::from_secs(60))
            .expect("finished within a minute")
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    /// A week-like loop: a pause on one thread, then a pass shared by the pool.
    fn weeks(weeks: u64, k: u64) -> u64 {
        (0..weeks)
            .map(|week| {
                std::thread::sleep(std::time::Duration::from_micros(80));
                (0..20_000usize)
                    .into_par_iter()
                    .with_min_len(512)
                    .map(|i| i as u64 ^ (week + k))
                    .sum::<u64>()
            })
            .sum()
    }

    /// Parallel work inside `with_partner` finishes with the same result on pools of every
    /// size, nested, and outside a pool.
    #[test]
    fn work_inside_finishes_with_the_same_result() {
        let expected = weeks(100, 0);
        for threads in 1..=3 {
            let got =
                within_a_minute(move || pool(threads).install(|| with_partner(|| weeks(100, 0))));
            assert_eq!(got, expected, "{threads} threads");
            let got = within_a_minute(move || {
                pool(threads).install(|| with_partner(|| with_partner(|| weeks(100, 0))))
            });
            assert_eq!(got, expected, "{threads} threads, nested");
        }
        assert_eq!(with_partner(|| weeks(100, 0)), expected, "outside a pool");
    }

    /// On two threads the other thread works on the run, and is free again when the run ends
    /// (a broadcast whose two tasks wait for each other completes).
    #[test]
    fn the_other_thread_helps_and_is_released() {
        let threads_seen = within_a_minute(|| {
            let pool = pool(2);
            let seen = std::sync::Mutex::new(std::collections::BTreeSet::new());
            pool.install(|| {
                with_partner(|| {
                    for _ in 0..50 {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                        (0..64).into_par_iter().for_each(|_| {
                            seen.lock().unwrap().insert(rayon::current_thread_index());
                            std::thread::sleep(std::time::Duration::from_micros(20));
                        });
                    }
                })
            });
            let both = std::sync::Barrier::new(2);
            pool.broadcast(|_| {
                both.wait();
            });
            seen.into_inner().unwrap().len()
        });
        assert_eq!(threads_seen, 2, "both threads worked");
    }

    /// Two runs at once on a two-thread pool, each with a partner, both finish (the one that
    /// ends first may poll for the other).
    #[test]
    fn two_runs_at_once_both_finish() {
        let expected = (weeks(60, 1), weeks(60, 2));
        for _ in 0..20 {
            let got = within_a_minute(|| {
                let run = |k| with_partner(|| weeks(60, k));
                pool(2).install(|| rayon::join(|| run(1), || run(2)))
            });
            assert_eq!(got, expected);
        }
    }

    /// A run that panics ends its poller: the panic reaches the caller and the pool is free.
    #[test]
    fn a_panic_ends_the_poller() {
        let caught = within_a_minute(|| {
            let pool = pool(2);
            let caught = pool.install(|| {
                std::panic::catch_unwind(|| {
                    with_partner(|| {
                        weeks(20, 0);
                        panic!("a run fails");
                    })
                })
            });
            pool.install(|| weeks(5, 0));
            caught.is_err()
        });
        assert!(caught);
    }
}
