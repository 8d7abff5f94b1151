//! breaker (to be written).
