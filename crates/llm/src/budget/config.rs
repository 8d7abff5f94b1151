//! Budget configuration: plans with their daily allowances and request rates, which user is on
//! which plan, the cell cap and alert thresholds.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A user's subscription plan (not to be confused with a model [`crate::Tier`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    Free,
    #[default]
    Pro,
    Enterprise,
}

impl Plan {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Pro => "pro",
            Self::Enterprise => "enterprise",
        }
    }
}

/// One plan's daily allowance; `None` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlanLimit {
    pub calls_per_day: Option<u32>,
    pub user_cap_usd: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanLimits {
    pub free: PlanLimit,
    pub pro: PlanLimit,
    pub enterprise: PlanLimit,
}

impl Default for PlanLimits {
    fn default() -> Self {
        Self {
            free: PlanLimit { calls_per_day: Some(50), user_cap_usd: Some(0.25) },
            pro: PlanLimit { calls_per_day: Some(1_000), user_cap_usd: Some(5.0) },
            enterprise: PlanLimit { calls_per_day: Some(20_000), user_cap_usd: Some(50.0) },
        }
    }
}

impl PlanLimits {
    pub fn get(&self, plan: Plan) -> PlanLimit {
        match plan {
            Plan::Free => self.free,
            Plan::Pro => self.pro,
            Plan::Enterprise => self.enterprise,
        }
    }
}

/// Interactive AI requests (`POST /api/v1/tailor`) one user may start per minute, by plan
/// (a burst of that many, refilled evenly over the minute); `None` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestRates {
    pub free: Option<u32>,
    pub pro: Option<u32>,
    pub enterprise: Option<u32>,
}

impl Default for RequestRates {
    fn default() -> Self {
        Self { free: Some(5), pro: Some(20), enterprise: Some(120) }
    }
}

impl RequestRates {
    pub fn get(&self, plan: Plan) -> Option<u32> {
        match plan {
            Plan::Free => self.free,
            Plan::Pro => self.pro,
            Plan::Enterprise => self.enterprise,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BudgetConfig {
    pub plans: PlanLimits,
    /// Daily USD cap for everything a cell's users spend together.
    pub cell_cap_usd: Option<f64>,
    /// Fractions of a cap at which to alert, each once per user/cell per day.
    pub alert_thresholds: Vec<f64>,
    /// Users (ids, or a tool's name such as `cli`) on another plan than the default one
    /// ([`crate::AiConfig::plan`]).
    pub user_plans: BTreeMap<String, Plan>,
    /// Per-user request rates of interactive endpoints, by plan.
    pub request_rates: RequestRates,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        Self {
            plans: PlanLimits::default(),
            cell_cap_usd: Some(1_000.0),
            alert_thresholds: vec![0.5, 0.8, 1.0],
            user_plans: BTreeMap::new(),
            request_rates: RequestRates::default(),
        }
    }
}

impl BudgetConfig {
    /// `user`'s plan: their entry in [`BudgetConfig::user_plans`], else `default`.
    pub fn plan_of(&self, user: &str, default: Plan) -> Plan {
        self.user_plans.get(user).copied().unwrap_or(default)
    }
}

/// Who a call is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payer<'a> {
    pub user: &'a str,
    pub cell: &'a str,
    pub plan: Plan,
}
