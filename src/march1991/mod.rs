//! March (1991), "Exploration and Exploitation in Organizational Learning", exactly as
//! specified in the model brief: a code, people's beliefs, socialization (p1), code learning
//! from superior performers (p2), turnover (p3) and environmental turbulence (p4).

mod beliefs;
mod params;
pub mod sim;

pub use beliefs::{
    Beliefs, Socialization, act, learn_code, mask_of, random_beliefs, score, socialize,
};
pub use params::MarchParams;
pub use sim::{MarchModel, MarchState};
