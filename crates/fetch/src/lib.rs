//! The polite, safe HTTP client behind discovery's [`HttpClient`](discovery::sources::HttpClient)
//! port: an SSRF guard at DNS resolution and on every redirect, per-host concurrency and rate
//! limits, robots.txt for page scrapes, retries with backoff, conditional requests and a body
//! size limit.

mod client;
mod config;
mod guard;
mod ip;
mod limits;
mod retry;
mod robots;

pub use client::PoliteClient;
pub use config::FetchConfig;
pub use ip::is_forbidden;
