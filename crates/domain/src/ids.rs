//! Typed identifiers. Each is a UUID (v7 where we mint it, so ids sort by creation time) wrapped
//! in its own type so a `JobId` can never be passed where an `ApplicationId` is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Wraps an existing UUID (minting is the caller's job: the domain has no randomness).
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A user (tenant). Every row that belongs to a user carries it.
    UserId
);
uuid_id!(
    /// A job posting as seen by one user.
    JobId
);
uuid_id!(
    /// One application: one user's workflow for one job.
    ApplicationId
);
uuid_id!(
    /// One event in the log (UUIDv7).
    EventId
);
uuid_id!(
    /// Shared by every event of one job's workflow for one user.
    CorrelationId
);

/// The cell that owns a user (a cell serves ~1,000 users; the router pins a user to one cell).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CellId(pub String);

impl CellId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
