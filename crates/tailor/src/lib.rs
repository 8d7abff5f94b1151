//! tailor
