//! The providers against local mock servers speaking each API's wire format: request shapes,
//! answer parsing, and how every failure maps onto `LlmError`. Loopback only, never the internet.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[path = "providers/anthropic.rs"]
mod anthropic;
#[path = "providers/ollama.rs"]
mod ollama;
#[path = "providers/openai.rs"]
mod openai;
