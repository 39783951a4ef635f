//! orgsim: an agent-based simulator of how an organization's capacity to innovate rises and
//! falls as it grows, and of what a dual operating system would do to that curve.
//!
//! The library holds everything; the `orgsim` binary only parses arguments and prints.
//!
//! - [`params`]: every parameter a scenario can set, declared once (meaning, unit, default,
//!   bounds);
//! - [`scenario`]: the scenario format (JSON), `extends`, `--set` overrides, bundled scenarios;
//! - [`model`]: the interface every model implements (state, step, observe);
//! - [`lifecycle`]: the growing organization, its management and leadership systems;
//! - [`march1991`]: March's (1991) exploration/exploitation model, nested in the life cycle;
//! - [`runner`]: the one runner: jobs on a thread pool, handed over in order with bounded
//!   memory, and [`runner::run_replicates`] for programs that drive orgsim as a library;
//! - [`engine`]: `orgsim run`, orchestration: which runs, which summaries, which files;
//! - [`stats`], [`output`]: summaries across replicates and the files written (one module
//!   per file, owning its writer and its strict reader);
//! - [`numbers`]: every way a number is written (files, messages, console, charts);
//! - [`calibrate`]: fitting a scenario to a client's observations (ABC-SMC);
//! - [`rng`]: the only source of randomness;
//! - [`serve`]: `orgsim serve`, the live what-if page and its JSON API.
//!
//! ```
//! use orgsim::scenario::{load, Override};
//! use orgsim::model::Simulate;
//!
//! let over = [Override::parse("march.p1=0.9").unwrap()];
//! let loaded = load("classic/march1991", &over).unwrap();
//! let run = loaded.scenario.build_model().simulate(42);
//! assert!(run.outcomes[0].unwrap() <= 1.0);
//! ```
#![warn(missing_docs)]

pub mod calibrate;
pub mod chart;
pub mod engine;
pub mod lifecycle;
pub mod march1991;
pub mod model;
pub mod numbers;
pub mod output;
pub mod params;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod serve;
pub mod stats;
pub mod sweep;
