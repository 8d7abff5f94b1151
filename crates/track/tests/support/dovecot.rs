//! The IMAP tests' Dovecot is `testkit::dovecot::Dovecot`; this adds the `track::ImapConfig`
//! that logs in to it.

#![allow(dead_code)]

pub use testkit::dovecot::{Dovecot, PASSWORD, USER};

/// The config that reads the test server's INBOX (10 s timeout).
pub trait ImapConfigExt {
    fn config(&self) -> track::ImapConfig;
}

impl ImapConfigExt for Dovecot {
    fn config(&self) -> track::ImapConfig {
        let mut cfg = track::ImapConfig::new(self.url(), USER, PASSWORD);
        cfg.timeout = std::time::Duration::from_secs(10);
        cfg
    }
}
