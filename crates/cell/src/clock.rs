//! Time, ids and randomness come through the one injected [`Clock`] (the `clock` crate), so
//! tests can drive them by hand.

pub use ::clock::{system, Clock, DynClock, ManualClock, SystemClock};
