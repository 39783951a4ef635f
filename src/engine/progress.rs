//! How the engine reports progress: a trait whose methods do nothing by default, so `()`
//! means "no progress display" and the command line plugs in a progress bar.

/// Receives progress events from the engine (from any worker thread).
pub trait Progress: Sync {
    /// The run is about to start `total` simulations.
    fn start(&self, _total: u64) {}
    /// One simulation finished.
    fn run_done(&self) {}
    /// Every simulation finished; files are being finalized.
    fn finish(&self) {}
    /// Whether the user asked to stop (checked between batches of runs).
    fn cancelled(&self) -> bool {
        false
    }
}

impl Progress for () {}
