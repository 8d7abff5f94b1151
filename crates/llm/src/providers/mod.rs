//! The providers (to be written).
