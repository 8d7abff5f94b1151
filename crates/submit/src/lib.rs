//! Application channels ([`channel::Channel`]: email, Greenhouse, Lever, webhook, sandbox) and
//! the simulated employer that answers sandbox applications.
//!
//! Everything is deterministic: a decision is a pure function of a key (e.g. the application
//! id), so a replayed or retried workflow gets the same answer and tests need no random source.

pub mod channel;

use domain::{ApplicationId, Outcome};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// A simulated employer: answers some applications, invites some of those to interview.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SandboxEmployer {
    /// Share of applications that get an answer, 0..=1.
    pub response_rate: f64,
    /// Share of answers that are interview invitations (the rest are rejections), 0..=1.
    pub interview_rate: f64,
    /// The longest an answer takes; answers come after between half of it and all of it.
    pub response_delay: Duration,
    /// How long until an unanswered application counts as `no_response`.
    pub no_response_window: Duration,
}

impl Default for SandboxEmployer {
    fn default() -> Self {
        Self { response_rate: 0.6, interview_rate: 0.3, response_delay: 2 * DAY, no_response_window: 14 * DAY }
    }
}

/// What the employer does with one application, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    /// Time from submission to the outcome.
    pub after: Duration,
}

impl SandboxEmployer {
    /// The employer's decision for `key`: the same key always gets the same decision. Three
    /// independent uniform draws come from disjoint bytes of SHA-256(`key`): answer or not,
    /// interview or rejection, and the delay.
    pub fn decide(&self, key: &str) -> Decision {
        let digest = Sha256::digest(key.as_bytes());
        let [answers, interview, delay] = [0, 8, 16].map(|at| unit(&digest[at..at + 8]));
        if answers < self.response_rate {
            let outcome = if interview < self.interview_rate { Outcome::Interview } else { Outcome::Rejection };
            let half = self.response_delay / 2;
            Decision { outcome, after: half + half.mul_f64(delay) }
        } else {
            Decision { outcome: Outcome::NoResponse, after: self.no_response_window }
        }
    }
}

/// A uniform number in [0, 1) from 8 bytes (53 bits, the precision of an f64).
fn unit(bytes: &[u8]) -> f64 {
    let mut b = [0u8; 8];
    let n = bytes.len().min(8);
    b[..n].copy_from_slice(&bytes[..n]);
    (u64::from_be_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

/// The sandbox's confirmation number for an application: `sandbox-` and 12 hex digits derived
/// from the application id, so a resubmission gets the same confirmation.
pub fn sandbox_confirmation(application_id: ApplicationId) -> String {
    let digest = Sha256::digest(format!("applyflow-sandbox:{application_id}").as_bytes());
    format!("sandbox-{}", hex::encode(&digest[..6]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let e = SandboxEmployer::default();
        assert_eq!((e.response_rate, e.interview_rate), (0.6, 0.3));
        assert_eq!(e.response_delay, Duration::from_secs(2 * 86_400));
        assert_eq!(e.no_response_window, Duration::from_secs(14 * 86_400));
    }

    #[test]
    fn same_key_same_decision() {
        let e = SandboxEmployer::default();
        for i in 0..50 {
            let key = format!("app-{i}");
            assert_eq!(e.decide(&key), e.decide(&key));
        }
        let distinct: std::collections::HashSet<_> = (0..50).map(|i| e.decide(&format!("app-{i}")).after).collect();
        assert!(distinct.len() > 10, "delays should vary between keys");
    }

    #[test]
    fn delays_stay_in_their_windows() {
        let e = SandboxEmployer::default();
        for i in 0..1_000 {
            let d = e.decide(&format!("key-{i}"));
            match d.outcome {
                Outcome::NoResponse => assert_eq!(d.after, e.no_response_window),
                Outcome::Interview | Outcome::Rejection => {
                    assert!(d.after >= e.response_delay / 2 && d.after <= e.response_delay, "{:?}", d.after);
                }
                Outcome::Offer => panic!("the sandbox employer never offers directly"),
            }
        }
    }

    #[test]
    fn shares_follow_the_rates() {
        let e = SandboxEmployer::default();
        let decisions: Vec<Decision> = (0..1_000).map(|i| e.decide(&format!("application-{i}"))).collect();
        let answered = decisions.iter().filter(|d| d.outcome != Outcome::NoResponse).count();
        let interviews = decisions.iter().filter(|d| d.outcome == Outcome::Interview).count();
        let response_share = answered as f64 / 1_000.0;
        let interview_share = interviews as f64 / answered as f64;
        assert!((response_share - 0.6).abs() < 0.04, "response share {response_share}");
        assert!((interview_share - 0.3).abs() < 0.05, "interview share {interview_share}");
    }

    #[test]
    fn extreme_rates() {
        let always = SandboxEmployer { response_rate: 1.0, interview_rate: 1.0, ..SandboxEmployer::default() };
        let never = SandboxEmployer { response_rate: 0.0, ..SandboxEmployer::default() };
        for i in 0..100 {
            let key = i.to_string();
            assert_eq!(always.decide(&key).outcome, Outcome::Interview);
            assert_eq!(never.decide(&key).outcome, Outcome::NoResponse);
        }
        let instant =
            SandboxEmployer { response_rate: 1.0, response_delay: Duration::ZERO, ..SandboxEmployer::default() };
        assert_eq!(instant.decide("x").after, Duration::ZERO);
    }

    #[test]
    fn confirmations_are_short_stable_and_distinct() {
        let a: ApplicationId = "00000000-0000-7000-8000-000000000001".parse().unwrap();
        let b: ApplicationId = "00000000-0000-7000-8000-000000000002".parse().unwrap();
        let c = sandbox_confirmation(a);
        assert!(c.starts_with("sandbox-") && c.len() == "sandbox-".len() + 12, "{c}");
        assert!(c["sandbox-".len()..].chars().all(|ch| ch.is_ascii_hexdigit()));
        assert_eq!(c, sandbox_confirmation(a));
        assert_ne!(c, sandbox_confirmation(b));
    }
}
