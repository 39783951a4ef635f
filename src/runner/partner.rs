//! Keeping a two-thread pool's second thread at hand through the steps of a large run.
//!
//! A large organization's week alternates passes over every employee, shared by the pool's
//! threads, with short parts that run on one thread (hiring, the week's time use, settling
//! initiatives in slot order). Rayon lets a thread with nothing to do fall asleep after a few
//! dozen polls (some 50 microseconds); waking it for the next shared pass then costs some 35
//! microseconds on the 2-vCPU machines we measure on, and that happens a few times every week.
//! [`with_partner`] instead keeps the other thread polling for work until a step ends: it
//! joins the step with a task that runs the pool's pending work as it appears
//! ([`rayon::yield_now`]) and yields to the operating system between polls, so the thread is
//! awake when the next pass starts. The price is that thread's core for the length of the
//! step, busy or not. Which thread does what never changes a result.
//!
//! The poller runs whatever work the pool has pending: the step's, and any work given to the
//! pool from elsewhere, which the step's caller would then wait for. orgsim gives each list of
//! runs a pool of its own that runs nothing else ([`super::Pool`]); a pool shared with other
//! work should not run large models' steps through this.

use std::sync::atomic::{AtomicBool, Ordering};

/// Runs `f` on this thread while the pool's other thread, if the pool has exactly two, runs
/// `f`'s parallel work as it appears and otherwise polls for it, until `f` returns (or
/// panics). Elsewhere (a pool of one or of three or more, or outside a pool) `f` just runs.
///
/// The poller waits for nothing but `f`'s end, so it must never sit above work that `f` waits
/// on. It is pushed onto this thread's queue before `f` starts, when the queue is empty (a
/// step is called at the bottom of a run), so it is the oldest task there, and thieves take
/// the oldest first: an idle other thread takes the poller before any of `f`'s work and holds
/// it at the bottom of its stack, under whatever it runs from there. A thread busy with a run
/// of its own (its share of the run list's broadcast) takes work from this one only while
/// waiting on work taken from it, and this thread does the same, so neither starts while both
/// run their own runs; this thread takes the poller back once `f` has returned. With three or
/// more threads a third could take the poller while running `f`'s work and wait on `f`, so no
/// poller is made.
pub fn with_partner<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    with_poller(f).0
}

/// [`with_partner`], also telling whether the other thread polled.
fn with_poller<R: Send>(f: impl FnOnce() -> R + Send) -> (R, bool) {
    if rayon::current_thread_index().is_none() || rayon::current_num_threads() != 2 {
        return (f(), false);
    }
    let (done, polled) = (AtomicBool::new(false), AtomicBool::new(false));
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
            polled.store(true, Ordering::Relaxed);
            if rayon::yield_now() != Some(rayon::Yield::Executed) {
                std::thread::yield_now();
            }
        }
    };
    let (result, ()) = rayon::join(run, poll);
    (result, polled.into_inner())
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

    /// The other thread polls on a pool of two only: not on one or three threads (where a
    /// poller could wait on work it sits above), nor outside a pool.
    #[test]
    fn the_other_thread_polls_on_two_threads_only() {
        let step = || {
            std::thread::sleep(std::time::Duration::from_millis(2));
            weeks(3, 0)
        };
        for threads in 1..=3 {
            let (sum, polled) =
                within_a_minute(move || pool(threads).install(|| with_poller(step)));
            assert_eq!(sum, weeks(3, 0));
            assert_eq!(polled, threads == 2, "{threads} threads");
        }
        assert!(!with_poller(step).1, "outside a pool");
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
