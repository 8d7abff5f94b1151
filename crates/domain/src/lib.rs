//! Applyflow's domain model: what a profile, a job, an application and an event are, and the
//! rules that move an application through its workflow. Pure data and pure functions: this crate
//! never does I/O and never reads the clock or a random source (callers pass `now` and seeds).

pub mod analysis;
pub mod application;
pub mod event;
pub mod ids;
pub mod job;
pub mod profile;
pub mod resume;
pub mod text;
pub mod workflow;

pub use analysis::{JobAnalysis, MatchScore, Seniority, WeightedKeyword};
pub use application::{Application, ApplicationState, Outcome, Stage, TransitionError};
pub use event::{EventEnvelope, EventError, EventType, SCHEMA_VERSION};
pub use ids::{ApplicationId, CellId, CorrelationId, EventId, JobId, UserId};
pub use job::{Job, Salary, SalaryPeriod, WorkplaceType};
pub use profile::{AutomationMode, Preferences, Profile, ProfileError};
pub use resume::{ResumeFormat, TailoredResume, TailoredSection};
pub use workflow::{ErrorStrategy, RetryPolicy, StepName, StepPolicy, WorkflowDefinition};
