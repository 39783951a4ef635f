//! Calibration: fits a scenario's free parameters to what a consultant observed of the
//! client's firm, by approximate Bayesian computation ([`abc`]), and writes the posterior,
//! a calibrated scenario whose `uncertainty` is that posterior, a chart of observed against
//! simulated, and a verdict on fit and identifiability ([`report`]).
//!
//! ```no_run
//! use orgsim::calibrate;
//! let cal = calibrate::read(std::path::Path::new("client-calibration.json")).unwrap();
//! let fit = calibrate::fit(&cal, None, &()).unwrap();
//! let summary = calibrate::summarize(&cal, &fit);
//! println!("{}", calibrate::verdict(&cal, &fit, &summary));
//! ```

pub mod abc;
pub mod metric;
pub mod report;
pub mod simulate;
pub mod spec;

pub use abc::{Fit, FitError, Generation, Particle, fit};
pub use report::{
    CalibrateError, ObservationFit, ParameterSummary, Summary, calibrated_scenario, summarize,
    verdict, write,
};
pub use spec::{Calibration, CalibrationSpec, SpecError, read, schema_json};
