//! batch (to be written).
