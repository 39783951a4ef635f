//! Integration tests, compiled into one binary (cheaper to build on a 2-core machine).

mod bad_input;
mod calibrate;
mod chart_layout;
mod charts;
mod cli;
mod cluster;
mod determinism;
mod faults;
mod golden;
mod intervention_patterns;
mod lifecycle_model;
mod lifecycle_patterns;
mod march_patterns;
mod odd_outputs;
mod odd_parameters;
mod params;
mod result_files;
mod serve;
mod sweep_effects;
mod sweep_faults;
mod sweeps;
mod uncertainty;
mod util;
