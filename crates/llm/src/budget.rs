//! budget (to be written).
