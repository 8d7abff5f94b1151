//! Task contracts shared by every provider: the `analyze_job` answer shape, so an LLM and the
//! offline heuristic return the same JSON and one schema validates both.

use domain::JobAnalysis;
use serde_json::{json, Value};

/// The task name of job analysis.
pub const ANALYZE_JOB: &str = "analyze_job";

/// JSON Schema of the `analyze_job` answer. Written in the subset OpenAI's strict structured
/// outputs accept (every property required, no additional properties, nullable via a `null`
/// type) so the same schema works for OpenAI, Anthropic tools and Ollama's `format`.
pub fn analyze_job_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "skills": {
                "type": "array",
                "description": "Skills the posting asks for, lowercase, most important first.",
                "items": { "type": "string" }
            },
            "keywords": {
                "type": "array",
                "description": "Other salient single lowercase words for ATS matching; not repeating skills.",
                "items": { "type": "string" }
            },
            "seniority": {
                "type": "string",
                "enum": ["intern", "junior", "mid", "senior", "staff", "principal", "manager", "director"]
            },
            "workplace": {
                "type": "string",
                "enum": ["remote", "hybrid", "onsite", "unknown"]
            },
            "salary": {
                "anyOf": [
                    { "type": "null" },
                    {
                        "type": "object",
                        "properties": {
                            "min": { "type": ["number", "null"] },
                            "max": { "type": ["number", "null"] },
                            "currency": { "type": "string", "description": "ISO 4217 code, e.g. USD." },
                            "period": { "type": "string", "enum": ["hour", "day", "week", "month", "year"] }
                        },
                        "required": ["min", "max", "currency", "period"],
                        "additionalProperties": false
                    }
                ]
            }
        },
        "required": ["skills", "keywords", "seniority", "workplace", "salary"],
        "additionalProperties": false
    })
}

/// A [`JobAnalysis`] as an `analyze_job` answer (the ids and provider stay out: they are ours,
/// not the model's).
pub fn analyze_job_output(analysis: &JobAnalysis) -> Value {
    json!({
        "skills": analysis.skills,
        "keywords": analysis.keywords,
        "seniority": analysis.seniority,
        "workplace": analysis.workplace,
        "salary": analysis.salary,
    })
}
