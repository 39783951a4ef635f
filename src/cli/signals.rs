//! Ctrl-C, SIGTERM and SIGHUP (sent by `timeout`, Slurm and Kubernetes): the first asks the
//! run or sweep to stop, which it does within a simulated week, leaving its output directory
//! as it was (a sweep keeps every run it committed); a second exits at once, after removing
//! the unfinished output. Commands that do not poll the stop exit at the first signal.

use std::sync::LazyLock;

use orgsim::model::Stop;

/// The stop every run polls, requested by the first signal.
pub static STOP: LazyLock<Stop> = LazyLock::new(Stop::new);

/// The exit status after a signal (128 + SIGINT, as shells report Ctrl-C).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Whether a signal asked this process to stop.
pub fn interrupted() -> bool {
    STOP.requested()
}

/// Installs the handler. With `graceful`, the first signal requests [`STOP`] and the second
/// exits at once; without, the first exits at once.
pub fn install(graceful: bool) {
    let _ = ctrlc::set_handler(move || {
        if graceful && !STOP.request() {
            eprintln!("\nStopping within a simulated week (signal again to stop at once).");
            return;
        }
        STOP.request();
        orgsim::output::remove_pending();
        eprintln!("\nStopped at once.");
        std::process::exit(EXIT_INTERRUPTED);
    });
}
