//! How the runner reports progress: a trait whose methods do nothing by default, so `()`
//! means "no progress display" and the command line plugs in a progress bar.

use crate::model::Stop;

/// Receives progress events from the runner (from any worker thread).
pub trait Progress: Sync {
    /// The run is about to start `total` simulations.
    fn start(&self, _total: u64) {}
    /// One simulation finished.
    fn run_done(&self) {}
    /// Every simulation finished; files are being finalized.
    fn finish(&self) {}
    /// The stop that runs poll every step (Ctrl-C); by default, none.
    fn stop(&self) -> Stop {
        Stop::never()
    }
    /// Whether the user asked to stop (checked between batches of runs and before files are
    /// committed).
    fn cancelled(&self) -> bool {
        self.stop().requested()
    }
}

impl Progress for () {}

/// A bare stop as the progress: no display, cancellable (a live page's stop button).
impl Progress for Stop {
    fn stop(&self) -> Stop {
        self.clone()
    }
}
