//! The application state machine: one user's workflow for one job.
//!
//! ```text
//! discovered → analyzed → generated → submitted → responded → completed
//!      └──────────┴────────────┴───────────┴─────────→ failed | withdrawn | needs_user
//! ```

use crate::ids::{ApplicationId, CorrelationId, JobId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    Discovered,
    Analyzed,
    Generated,
    Submitted,
    Responded,
    Completed,
    Failed,
    Withdrawn,
    NeedsUser,
}

impl ApplicationState {
    pub const ALL: [Self; 9] = [
        Self::Discovered,
        Self::Analyzed,
        Self::Generated,
        Self::Submitted,
        Self::Responded,
        Self::Completed,
        Self::Failed,
        Self::Withdrawn,
        Self::NeedsUser,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Discovered => "discovered",
            Self::Analyzed => "analyzed",
            Self::Generated => "generated",
            Self::Submitted => "submitted",
            Self::Responded => "responded",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Withdrawn => "withdrawn",
            Self::NeedsUser => "needs_user",
        }
    }

    /// No step moves an application out of a terminal state.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Withdrawn)
    }

    /// Whether the machine allows `self → to`.
    pub fn can_transition_to(self, to: Self) -> bool {
        use ApplicationState::*;
        if self.is_terminal() {
            return false;
        }
        matches!(
            (self, to),
            (Discovered, Analyzed)
                | (Analyzed, Generated)
                | (Generated, Submitted)
                | (Submitted, Responded)
                | (Submitted, Completed)
                | (Responded, Completed)
                | (NeedsUser, Submitted)
                | (_, Failed)
                | (_, Withdrawn)
                | (_, NeedsUser)
        ) && self != to
    }

    /// Checks a transition, naming both ends when it is refused.
    pub fn transition(self, to: Self) -> Result<Self, TransitionError> {
        if self.can_transition_to(to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }
}

impl fmt::Display for ApplicationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApplicationState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|st| st.as_str() == s).ok_or_else(|| format!("unknown application state `{s}`"))
    }
}

/// A refused state transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an application cannot go from `{from}` to `{to}`")]
pub struct TransitionError {
    pub from: ApplicationState,
    pub to: ApplicationState,
}

/// How an application ended, as far as the employer is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Interview,
    Rejection,
    Offer,
    /// The response window closed without an answer.
    NoResponse,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Interview => "interview",
            Self::Rejection => "rejection",
            Self::Offer => "offer",
            Self::NoResponse => "no_response",
        }
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Interview, Self::Rejection, Self::Offer, Self::NoResponse]
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| format!("unknown outcome `{s}`"))
    }
}

/// Where an application stands as a job seeker would say it (the tracker's view, next to the
/// workflow's [`ApplicationState`]). A stage the user sets by hand wins over automatic updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Saved,
    Applied,
    Screening,
    Interview,
    Offer,
    Rejected,
    Withdrawn,
    NoResponse,
}

impl Stage {
    pub const ALL: [Self; 8] = [
        Self::Saved,
        Self::Applied,
        Self::Screening,
        Self::Interview,
        Self::Offer,
        Self::Rejected,
        Self::Withdrawn,
        Self::NoResponse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Saved => "saved",
            Self::Applied => "applied",
            Self::Screening => "screening",
            Self::Interview => "interview",
            Self::Offer => "offer",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::NoResponse => "no_response",
        }
    }

    /// The stage an application is at before the tracker or the user said anything.
    pub fn of_state(state: ApplicationState, outcome: Option<Outcome>) -> Self {
        match (state, outcome) {
            (_, Some(o)) => Self::of_outcome(o),
            (ApplicationState::Withdrawn, _) => Self::Withdrawn,
            (ApplicationState::Submitted | ApplicationState::Responded | ApplicationState::Completed, _) => {
                Self::Applied
            }
            _ => Self::Saved,
        }
    }

    /// The stage an employer's answer puts an application at.
    pub fn of_outcome(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Interview => Self::Interview,
            Outcome::Rejection => Self::Rejected,
            Outcome::Offer => Self::Offer,
            Outcome::NoResponse => Self::NoResponse,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Stage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|st| st.as_str() == k).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|s| s.as_str()).collect();
            format!("unknown stage `{s}` (one of: {})", names.join(", "))
        })
    }
}

/// One user's application to one job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub id: ApplicationId,
    pub user_id: UserId,
    pub job_id: JobId,
    pub correlation_id: CorrelationId,
    pub state: ApplicationState,
    pub outcome: Option<Outcome>,
    /// The resume variant that was (or will be) submitted.
    pub variant_id: Option<String>,
    /// Why it failed or needs the user, when it did.
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::ApplicationState::*;
    use super::*;

    #[test]
    fn happy_path_is_allowed_in_order() {
        let path = [Discovered, Analyzed, Generated, Submitted, Responded, Completed];
        for pair in path.windows(2) {
            assert!(pair[0].can_transition_to(pair[1]), "{:?}", pair);
        }
    }

    #[test]
    fn no_skipping_and_no_leaving_terminal_states() {
        assert!(Discovered.transition(Submitted).is_err());
        assert!(Generated.transition(Analyzed).is_err());
        for terminal in [Completed, Failed, Withdrawn] {
            for to in ApplicationState::ALL {
                assert!(terminal.transition(to).is_err(), "{terminal} -> {to}");
            }
        }
    }

    #[test]
    fn any_live_state_can_fail_or_need_the_user() {
        for from in [Discovered, Analyzed, Generated, Submitted, Responded] {
            assert!(from.can_transition_to(Failed));
            assert!(from.can_transition_to(NeedsUser));
            assert!(from.can_transition_to(Withdrawn));
        }
    }

    #[test]
    fn state_names_round_trip() {
        for st in ApplicationState::ALL {
            assert_eq!(st.as_str().parse::<ApplicationState>(), Ok(st));
        }
    }
}
