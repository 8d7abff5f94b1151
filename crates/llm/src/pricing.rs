//! pricing (to be written).
