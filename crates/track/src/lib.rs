//! Tracking what employers answer: [`classify`] sorts a recruiter email into a [`ReplyKind`]
//! offline (rules; the AI layer may refine it upstream), [`imap`] reads new mail from the user's
//! mailbox, and [`matching`] ties a reply to the application it answers.

pub mod classify;
pub mod imap;
pub mod matching;

pub use classify::{classify, Classification, ReplyKind};
pub use imap::{fetch_since, parse_email, Fetched, ImapConfig, ImapError, InboundEmail};
pub use matching::{match_reply, Candidate, Match, MatchedBy};
