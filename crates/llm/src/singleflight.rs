//! singleflight (to be written).
