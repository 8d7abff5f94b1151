//! Submitting an application, exactly once, through one channel: the choice of channel
//! ([`channels`]), what is sent ([`outgoing`]), and the send itself with its idempotency ledger
//! ([`flow`]), shared by the SubmitterAgent (auto mode) and the user's approval.

pub mod channels;
pub mod flow;
pub mod outgoing;

pub use channels::Channels;
pub use flow::{submit, Decision, SubmitRequest};
