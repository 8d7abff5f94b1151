//! What a call costs: USD per million input and output tokens for each (provider, model), so
//! spend accounting and budget reservations speak dollars.

use crate::types::{LlmRequest, Usage};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// USD per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ModelPrice {
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
}

impl ModelPrice {
    pub const FREE: Self = Self { input_per_mtok: 0.0, output_per_mtok: 0.0 };

    pub const fn new(input_per_mtok: f64, output_per_mtok: f64) -> Self {
        Self { input_per_mtok, output_per_mtok }
    }

    pub fn cost_usd(&self, input_tokens: u64, output_tokens: u64) -> f64 {
        (input_tokens as f64 * self.input_per_mtok + output_tokens as f64 * self.output_per_mtok) / 1_000_000.0
    }
}

/// How the table is configured. `prices` overlays the built-in table (so adding one model does
/// not mean re-listing all of them); `free_providers` run on our own hardware.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PriceConfig {
    prices: HashMap<String, HashMap<String, ModelPrice>>,
    free_providers: Option<Vec<String>>,
    fallback: Option<ModelPrice>,
}

/// The price table. Lookups are exact, then by longest model-name prefix so dated snapshots
/// (`gpt-4o-mini-2024-07-18`) price like their family.
#[derive(Debug, Deserialize)]
#[serde(from = "PriceConfig")]
pub struct PriceTable {
    prices: HashMap<String, HashMap<String, ModelPrice>>,
    free_providers: Vec<String>,
    fallback: ModelPrice,
    /// (provider, model) pairs already warned about, so a misconfigured model logs once rather
    /// than on every call.
    warned: Mutex<HashSet<(String, String)>>,
}

/// Deliberately top-of-market: an unpriced model on a paid provider must over-count rather than
/// slip under a budget.
pub const DEFAULT_FALLBACK: ModelPrice = ModelPrice::new(15.0, 75.0);

const DEFAULT_PRICES: &[(&str, &str, f64, f64)] = &[
    ("openai", "gpt-4o-mini", 0.15, 0.60),
    ("openai", "gpt-4o", 2.50, 10.00),
    ("openai", "gpt-4.1-mini", 0.40, 1.60),
    ("openai", "gpt-4.1", 2.00, 8.00),
    ("anthropic", "claude-3-haiku", 0.25, 1.25),
    ("anthropic", "claude-3-5-haiku", 0.80, 4.00),
    ("anthropic", "claude-haiku-4", 1.00, 5.00),
    ("anthropic", "claude-3-5-sonnet", 3.00, 15.00),
    ("anthropic", "claude-3-7-sonnet", 3.00, 15.00),
    ("anthropic", "claude-sonnet-4", 3.00, 15.00),
];

const DEFAULT_FREE: &[&str] = &["ollama", "local", "offline"];

impl Default for PriceTable {
    fn default() -> Self {
        Self::from(PriceConfig::default())
    }
}

impl Clone for PriceTable {
    fn clone(&self) -> Self {
        Self {
            prices: self.prices.clone(),
            free_providers: self.free_providers.clone(),
            fallback: self.fallback,
            warned: Mutex::new(HashSet::new()),
        }
    }
}

impl From<PriceConfig> for PriceTable {
    fn from(config: PriceConfig) -> Self {
        let mut prices: HashMap<String, HashMap<String, ModelPrice>> = HashMap::new();
        for (provider, model, input, output) in DEFAULT_PRICES {
            prices
                .entry((*provider).to_owned())
                .or_default()
                .insert((*model).to_owned(), ModelPrice::new(*input, *output));
        }
        for (provider, models) in config.prices {
            prices.entry(provider).or_default().extend(models);
        }
        Self {
            prices,
            free_providers: config
                .free_providers
                .unwrap_or_else(|| DEFAULT_FREE.iter().map(|p| (*p).to_owned()).collect()),
            fallback: config.fallback.unwrap_or(DEFAULT_FALLBACK),
            warned: Mutex::new(HashSet::new()),
        }
    }
}

impl PriceTable {
    /// Adds or replaces one price.
    pub fn set(&mut self, provider: &str, model: &str, price: ModelPrice) {
        self.prices.entry(provider.to_owned()).or_default().insert(model.to_owned(), price);
    }

    pub fn fallback(&self) -> ModelPrice {
        self.fallback
    }

    pub fn is_free(&self, provider: &str) -> bool {
        self.free_providers.iter().any(|p| p == provider)
    }

    /// The configured price, without the fallback.
    pub fn lookup(&self, provider: &str, model: &str) -> Option<ModelPrice> {
        if self.is_free(provider) {
            return Some(ModelPrice::FREE);
        }
        let models = self.prices.get(provider)?;
        if let Some(price) = models.get(model) {
            return Some(*price);
        }
        models
            .iter()
            .filter(|(name, _)| model.starts_with(name.as_str()))
            .max_by_key(|(name, _)| name.len())
            .map(|(_, p)| *p)
    }

    /// The price to charge: configured, or the fallback (logged once per model).
    pub fn price(&self, provider: &str, model: &str) -> ModelPrice {
        if let Some(price) = self.lookup(provider, model) {
            return price;
        }
        let mut warned = self.warned.lock().unwrap_or_else(|p| p.into_inner());
        if warned.insert((provider.to_owned(), model.to_owned())) {
            tracing::warn!(
                provider,
                model,
                input_per_mtok = self.fallback.input_per_mtok,
                output_per_mtok = self.fallback.output_per_mtok,
                "no price configured for model; charging the fallback price"
            );
        }
        self.fallback
    }

    pub fn cost_usd(&self, provider: &str, model: &str, usage: Usage) -> f64 {
        self.price(provider, model).cost_usd(usage.input_tokens, usage.output_tokens)
    }

    /// An upper bound on what `req` can cost on this model, for budget reservations: output is
    /// capped by `max_tokens`, and input tokens never outnumber input bytes (plus a margin for
    /// the chat framing the provider adds).
    pub fn max_cost_usd(&self, provider: &str, model: &str, req: &LlmRequest) -> f64 {
        self.price(provider, model).cost_usd(max_input_tokens(req), u64::from(req.max_tokens))
    }
}

/// Per-message framing tokens providers add around system and user messages, and schema
/// instructions some add for structured output.
const FRAMING_TOKENS: u64 = 64;

/// An upper bound on the prompt's token count.
pub fn max_input_tokens(req: &LlmRequest) -> u64 {
    let schema_bytes = req.schema.as_ref().map_or(0, |s| s.to_string().len());
    (req.system.len() + req.input.len() + req.task.len() + schema_bytes) as u64 + FRAMING_TOKENS
}
