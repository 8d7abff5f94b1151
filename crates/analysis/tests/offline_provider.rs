//! The offline heuristic behind the LLM layer's `Provider` port.

use analysis::{analyze_job_schema, chain_from_lookup, OfflineProvider};
use llm::{LlmError, Provider, Tier, Usage};
use serde_json::Value;

/// A real-looking posting: title on the first line, description after it.
const JOB: &str = "Senior Backend Engineer (Rust)\n\
    About Northwind\nNorthwind builds payment infrastructure for marketplaces.\n\n\
    What you'll do\n- Design payment services in Rust and Go, backed by Postgres.\n\
    - Run them on k8s in AWS.\n\nRequirements\n- 6+ years building backend services\n\
    - Strong Kafka and PostgreSQL experience\n- Experience with Terraform\n\n\
    This is a fully remote role. Salary: $150k–$190k.";

fn request(task: &str, tier: Tier, schema: Option<Value>) -> llm::LlmRequest {
    llm::LlmRequest {
        task: task.to_owned(),
        tier,
        system: "Extract the job's requirements.".to_owned(),
        input: JOB.to_owned(),
        schema,
        max_tokens: 512,
        user_id: Some("user-1".to_owned()),
    }
}

#[tokio::test]
async fn analyze_job_returns_schema_valid_json() {
    let answer = OfflineProvider::new().complete(&request("analyze_job", Tier::Cheap, None)).await.unwrap();
    assert_eq!((answer.provider.as_str(), answer.model.as_str()), ("offline", "heuristic"));
    assert_eq!(answer.usage, Usage::default());

    let output = answer.output.clone().unwrap();
    let validator = jsonschema::validator_for(&analyze_job_schema()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&output).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?} in {output}");
    assert_eq!(serde_json::from_str::<Value>(&answer.text).unwrap(), output);

    let skills: Vec<&str> = output["skills"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for skill in ["Rust", "Go", "PostgreSQL", "Kafka", "Terraform"] {
        assert!(skills.contains(&skill), "{skill} missing from {skills:?}");
    }
    assert_eq!(output["seniority"], "senior");
    assert_eq!(output["workplace"], "remote");
    assert_eq!(output["salary"]["max"], 190_000.0);
}

#[tokio::test]
async fn a_posting_without_salary_gives_null() {
    let mut req = request("analyze_job", Tier::Cheap, None);
    req.input = "Data Analyst\nSQL and Python. Office in Berlin.".to_owned();
    let output = OfflineProvider::new().complete(&req).await.unwrap().output.unwrap();
    assert!(jsonschema::is_valid(&analyze_job_schema(), &output), "{output}");
    assert_eq!(output["salary"], Value::Null);
}

#[tokio::test]
async fn other_tasks_are_unsupported() {
    let p = OfflineProvider::new();
    assert!(matches!(p.complete(&request("tailor_resume", Tier::Cheap, None)).await, Err(LlmError::Unsupported(_))));
    assert!(matches!(p.embed(&["x".to_owned()]).await, Err(LlmError::Unsupported(_))));
}

#[test]
fn the_chain_orders_providers_and_ends_offline() {
    let everything = |name: &str| match name {
        "OPENAI_API_KEY" => Some("sk-x".to_owned()),
        "ANTHROPIC_API_KEY" => Some("sk-ant-x".to_owned()),
        "OLLAMA_HOST" => Some("localhost".to_owned()),
        _ => None,
    };
    let names: Vec<String> = chain_from_lookup(everything).iter().map(|p| p.name().to_owned()).collect();
    assert_eq!(names, ["openai", "anthropic", "ollama", "offline"]);
}
