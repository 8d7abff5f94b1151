//! Spend accounting and limits: per-plan daily call limits and per-user / per-cell daily USD caps
//! enforced by reserving each provider request's worst-case cost before it is sent (the client
//! reserves every attempt, billed or not, and settles what the provider billed), so concurrent
//! calls can never jointly overshoot a cap; plus spend alerts at configurable fractions of a cap.

use crate::pricing::PriceTable;
use crate::types::{LlmError, LlmResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

mod alerts;
mod config;

pub use alerts::{AlertScope, AlertSink, ChannelAlertSink, CollectingAlertSink, NoAlerts, SpendAlert};
pub use config::{BudgetConfig, Payer, Plan, PlanLimit, PlanLimits, RequestRates};

/// Money is counted in integer nano-dollars so that "exactly N calls fit under the cap" does not
/// depend on floating-point summation order.
type Nanos = u64;

fn to_nanos(usd: f64) -> Nanos {
    if usd.is_finite() && usd > 0.0 {
        (usd * 1e9).round() as Nanos
    } else {
        0
    }
}

fn to_usd(nanos: Nanos) -> f64 {
    nanos as f64 / 1e9
}

#[derive(Debug, Default, Clone, Copy)]
struct Account {
    spent: Nanos,
    reserved: Nanos,
    calls: u32,
    reserved_calls: u32,
    alerts_fired: usize,
}

impl Account {
    fn fits(&self, estimate: Nanos, cap: Option<f64>) -> bool {
        cap.is_none_or(|cap| self.spent.saturating_add(self.reserved).saturating_add(estimate) <= to_nanos(cap))
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize)]
pub struct SpendLine {
    pub usd: f64,
    pub calls: u64,
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    nanos: Nanos,
    calls: u64,
}

impl Tally {
    fn add(&mut self, nanos: Nanos) {
        self.nanos = self.nanos.saturating_add(nanos);
        self.calls += 1;
    }
    fn line(&self) -> SpendLine {
        SpendLine { usd: to_usd(self.nanos), calls: self.calls }
    }
}

/// Today's spend (UTC), as `applyflow ai spend` prints it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SpendReport {
    pub date: Option<NaiveDate>,
    pub total: SpendLine,
    /// Held by calls in flight.
    pub reserved_usd: f64,
    pub by_user: BTreeMap<String, SpendLine>,
    pub by_cell: BTreeMap<String, SpendLine>,
    pub by_provider: BTreeMap<String, SpendLine>,
    /// provider → model → spend.
    pub by_model: BTreeMap<String, BTreeMap<String, SpendLine>>,
}

#[derive(Debug, Default)]
struct State {
    day: Option<NaiveDate>,
    users: HashMap<String, Account>,
    cells: HashMap<String, Account>,
    by_provider: HashMap<String, Tally>,
    by_model: HashMap<String, HashMap<String, Tally>>,
    total: Tally,
}

impl State {
    /// A new UTC day starts every count from zero, but holds of calls still in flight carry
    /// over: they will settle into the new day.
    fn roll(&mut self, today: NaiveDate) {
        if self.day.is_some_and(|day| day >= today) {
            return;
        }
        self.day = Some(today);
        for accounts in [&mut self.users, &mut self.cells] {
            accounts.retain(|_, a| a.reserved > 0 || a.reserved_calls > 0);
            for a in accounts.values_mut() {
                *a = Account { reserved: a.reserved, reserved_calls: a.reserved_calls, ..Account::default() };
            }
        }
        self.by_provider.clear();
        self.by_model.clear();
        self.total = Tally::default();
    }
}

struct Shared {
    config: BudgetConfig,
    sink: Arc<dyn AlertSink>,
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The spend ledger. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct Ledger {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger").field("config", &self.shared.config).finish_non_exhaustive()
    }
}

/// Runs `f` on the entry for `key`, creating it if needed; looks up by `&str` first so the key is
/// allocated only for a newcomer, keeping the hot path allocation-free.
fn with_entry<T: Default, R>(map: &mut HashMap<String, T>, key: &str, f: impl FnOnce(&mut T) -> R) -> R {
    if let Some(value) = map.get_mut(key) {
        return f(value);
    }
    f(map.entry(key.to_owned()).or_default())
}

impl Ledger {
    pub fn new(config: BudgetConfig, sink: Arc<dyn AlertSink>) -> Self {
        let mut config = config;
        config.alert_thresholds.retain(|t| t.is_finite() && *t > 0.0);
        config.alert_thresholds.sort_by(f64::total_cmp);
        config.alert_thresholds.dedup();
        Self { shared: Arc::new(Shared { config, sink, state: Mutex::new(State::default()) }) }
    }

    pub fn config(&self) -> &BudgetConfig {
        &self.shared.config
    }

    /// Holds `estimate_usd` (an upper bound on the call's cost) and one call of the payer's
    /// daily allowance, or refuses when the user's or the cell's cap, or the plan's call limit,
    /// would be exceeded counting everything already spent and held.
    pub fn reserve(&self, payer: &Payer<'_>, estimate_usd: f64, now: DateTime<Utc>) -> Result<Reservation, LlmError> {
        if !estimate_usd.is_finite() || estimate_usd < 0.0 {
            return Err(LlmError::BudgetExceeded(format!("invalid cost estimate {estimate_usd}")));
        }
        let estimate = to_nanos(estimate_usd);
        let limit = self.shared.config.plans.get(payer.plan);
        let cell_cap = self.shared.config.cell_cap_usd;
        let mut state = self.shared.lock();
        state.roll(now.date_naive());

        let user = state.users.get(payer.user).copied().unwrap_or_default();
        if let Some(max) = limit.calls_per_day {
            if user.calls.saturating_add(user.reserved_calls) >= max {
                return Err(LlmError::BudgetExceeded(format!(
                    "daily call limit of the {} plan reached ({max} calls)",
                    payer.plan.as_str()
                )));
            }
        }
        if !user.fits(estimate, limit.user_cap_usd) {
            return Err(LlmError::BudgetExceeded(format!("daily budget of user {} reached", payer.user)));
        }
        let cell = state.cells.get(payer.cell).copied().unwrap_or_default();
        if !cell.fits(estimate, cell_cap) {
            return Err(LlmError::BudgetExceeded(format!("daily budget of cell {} reached", payer.cell)));
        }

        with_entry(&mut state.users, payer.user, |user| {
            user.reserved += estimate;
            user.reserved_calls += 1;
        });
        with_entry(&mut state.cells, payer.cell, |cell| cell.reserved += estimate);
        drop(state);

        Ok(Reservation {
            shared: Arc::clone(&self.shared),
            user: payer.user.to_owned(),
            cell: payer.cell.to_owned(),
            estimate,
            user_cap: limit.user_cap_usd,
            settled: false,
        })
    }

    /// Adds spend recorded before this process started (today's rows from the store, and holds
    /// of calls that may have been billed), so caps and call limits hold across restarts. Alerts
    /// for thresholds already crossed are marked as fired, not fired again, and returned: the
    /// caller knows which of them were actually delivered and resends the others. Rows of
    /// another day than `now`'s are ignored. `plan_of` names each user's plan (for the user's
    /// alert thresholds).
    pub fn restore(
        &self,
        now: DateTime<Utc>,
        rows: impl IntoIterator<Item = RestoredSpend>,
        plan_of: impl Fn(&str) -> Plan,
    ) -> Vec<SpendAlert> {
        let config = &self.shared.config;
        let mut state = self.shared.lock();
        let today = now.date_naive();
        state.roll(today);
        // Who spent most in each cell today: the payer of a cell alert rebuilt after a restart.
        let mut by_cell_user: HashMap<(String, String), Nanos> = HashMap::new();
        for r in rows.into_iter().filter(|r| r.day == today) {
            let share = by_cell_user.entry((r.cell.clone(), r.user.clone())).or_default();
            *share = share.saturating_add(r.cost_nanos);
            let calls = u32::try_from(r.calls).unwrap_or(u32::MAX);
            let add = |a: &mut Account| {
                a.spent = a.spent.saturating_add(r.cost_nanos);
                a.calls = a.calls.saturating_add(calls);
            };
            with_entry(&mut state.users, &r.user, add);
            with_entry(&mut state.cells, &r.cell, add);
            let tally = |t: &mut Tally| {
                t.nanos = t.nanos.saturating_add(r.cost_nanos);
                t.calls += r.calls;
            };
            with_entry(&mut state.by_provider, &r.provider, tally);
            with_entry(&mut state.by_model, &r.provider, |models| with_entry(models, &r.model, tally));
            tally(&mut state.total);
        }
        let fired = |a: &Account, cap: Option<f64>| {
            cap.map_or(0, |cap| config.alert_thresholds.iter().filter(|t| a.spent >= to_nanos(cap * **t)).count())
        };
        let plans = config.plans;
        let mut crossed = Vec::new();
        let mut crossed_of = |scope, id: &str, payer: &str, a: &Account, cap: Option<f64>| {
            let Some(cap) = cap else { return };
            for &threshold in config.alert_thresholds.iter().take(fired(a, Some(cap))) {
                crossed.push(SpendAlert {
                    scope,
                    id: id.to_owned(),
                    threshold,
                    spent_usd: to_usd(a.spent),
                    cap_usd: cap,
                    date: today,
                    payer: payer.to_owned(),
                });
            }
        };
        for (user, a) in state.users.iter_mut() {
            let cap = plans.get(plan_of(user)).user_cap_usd;
            a.alerts_fired = a.alerts_fired.max(fired(a, cap));
            crossed_of(AlertScope::User, user, user, a, cap);
        }
        for (cell, a) in state.cells.iter_mut() {
            a.alerts_fired = a.alerts_fired.max(fired(a, config.cell_cap_usd));
            let payer = by_cell_user
                .iter()
                .filter(|((c, _), _)| c == cell)
                .max_by(|((_, u1), n1), ((_, u2), n2)| n1.cmp(n2).then_with(|| u2.cmp(u1)))
                .map(|((_, user), _)| user.as_str())
                .unwrap_or_default();
            crossed_of(AlertScope::Cell, cell, payer, a, config.cell_cap_usd);
        }
        crossed
    }

    pub fn spend(&self) -> SpendReport {
        let state = self.shared.lock();
        let lines = |map: &HashMap<String, Account>| {
            map.iter()
                .filter(|(_, a)| a.calls > 0)
                .map(|(k, a)| (k.clone(), SpendLine { usd: to_usd(a.spent), calls: u64::from(a.calls) }))
                .collect()
        };
        SpendReport {
            date: state.day,
            total: state.total.line(),
            reserved_usd: to_usd(state.cells.values().map(|a| a.reserved).sum()),
            by_user: lines(&state.users),
            by_cell: lines(&state.cells),
            by_provider: state.by_provider.iter().map(|(k, t)| (k.clone(), t.line())).collect(),
            by_model: state
                .by_model
                .iter()
                .map(|(p, models)| (p.clone(), models.iter().map(|(m, t)| (m.clone(), t.line())).collect()))
                .collect(),
        }
    }
}

/// One (user, cell, provider, model) line of spend persisted on `day`.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoredSpend {
    pub day: NaiveDate,
    pub user: String,
    pub cell: String,
    pub provider: String,
    pub model: String,
    pub calls: u64,
    pub cost_nanos: u64,
}

/// A hold on budget for one call in flight. Settle it with the actual cost; dropping it
/// unsettled (the call was never sent, or the caller gave up) releases the hold.
#[must_use = "settle the reservation with the call's actual cost"]
pub struct Reservation {
    shared: Arc<Shared>,
    user: String,
    cell: String,
    estimate: Nanos,
    user_cap: Option<f64>,
    settled: bool,
}

impl std::fmt::Debug for Reservation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reservation")
            .field("user", &self.user)
            .field("cell", &self.cell)
            .field("estimate_usd", &to_usd(self.estimate))
            .finish()
    }
}

impl Reservation {
    pub fn estimate_usd(&self) -> f64 {
        to_usd(self.estimate)
    }

    /// Records the call's actual cost against the user, cell, provider and model, and releases
    /// the hold.
    pub fn settle(mut self, provider: &str, model: &str, cost_usd: f64) {
        self.settled = true;
        let actual = to_nanos(cost_usd);
        if actual > self.estimate {
            tracing::warn!(
                provider,
                model,
                cost_usd,
                estimate_usd = to_usd(self.estimate),
                "call cost more than its reservation: the estimate is not an upper bound"
            );
        }
        let config = &self.shared.config;
        let mut alerts = Vec::new();
        {
            let mut state = self.shared.lock();
            let day = state.day.unwrap_or_default();
            let estimate = self.estimate;
            let charge = |account: &mut Account| {
                release(account, estimate);
                account.spent = account.spent.saturating_add(actual);
                account.calls = account.calls.saturating_add(1);
            };
            with_entry(&mut state.users, &self.user, |user| {
                charge(user);
                check_alerts(user, AlertScope::User, &self.user, self.user_cap, config, day, &mut alerts);
            });
            with_entry(&mut state.cells, &self.cell, |cell| {
                charge(cell);
                check_alerts(cell, AlertScope::Cell, &self.cell, config.cell_cap_usd, config, day, &mut alerts);
            });
            with_entry(&mut state.by_provider, provider, |t| t.add(actual));
            with_entry(&mut state.by_model, provider, |models| with_entry(models, model, |t| t.add(actual)));
            state.total.add(actual);
        }
        for mut alert in alerts {
            alert.payer.clone_from(&self.user);
            tracing::info!(scope = ?alert.scope, id = %alert.id, threshold = alert.threshold, "spend alert");
            self.shared.sink.alert(alert);
        }
    }

    /// Settles with the cost of `response` per `prices`.
    pub fn settle_response(self, response: &LlmResponse, prices: &PriceTable) {
        let cost = prices.cost_usd(&response.provider, &response.model, response.usage);
        self.settle(&response.provider, &response.model, cost);
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let mut state = self.shared.lock();
        if let Some(user) = state.users.get_mut(&self.user) {
            release(user, self.estimate);
        }
        if let Some(cell) = state.cells.get_mut(&self.cell) {
            release(cell, self.estimate);
        }
    }
}

fn release(account: &mut Account, estimate: Nanos) {
    account.reserved = account.reserved.saturating_sub(estimate);
    account.reserved_calls = account.reserved_calls.saturating_sub(1);
}

fn check_alerts(
    account: &mut Account,
    scope: AlertScope,
    id: &str,
    cap: Option<f64>,
    config: &BudgetConfig,
    date: NaiveDate,
    out: &mut Vec<SpendAlert>,
) {
    let Some(cap) = cap else { return };
    let cap_nanos = to_nanos(cap);
    while let Some(&threshold) = config.alert_thresholds.get(account.alerts_fired) {
        if account.spent < to_nanos(cap * threshold) || cap_nanos == 0 {
            break;
        }
        account.alerts_fired += 1;
        out.push(SpendAlert {
            scope,
            id: id.to_owned(),
            threshold,
            spent_usd: to_usd(account.spent),
            cap_usd: cap,
            date,
            payer: String::new(),
        });
    }
}
