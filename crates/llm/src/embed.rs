//! embed (to be written).
