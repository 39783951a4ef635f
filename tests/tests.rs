//! Integration tests, compiled into one binary (cheaper to build on a 2-core machine).

mod bad_input;
mod cli;
mod determinism;
mod golden;
mod march_patterns;
mod util;
