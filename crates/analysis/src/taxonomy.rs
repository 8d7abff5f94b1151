//! The skills taxonomy: every spelling of a skill maps to one canonical, display-cased name
//! ("k8s" → "Kubernetes", "Postgres" → "PostgreSQL", "React.js" → "React"), and related skills
//! form families (cloud platforms, SQL databases, frontend frameworks...) so a missing skill can
//! be covered by a sibling the user has.
//!
//! The spellings are the dictionary of [`crate::skills`]; this module adds the lookup of a bare
//! name (an LLM's answer, a label, a profile skill) and the family table.

use crate::skills::{Kind, SKILLS};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Extra spellings of the context-only skills, which have no alias list of their own.
const CONTEXT_SPELLINGS: &[(&str, &str)] = &[("golang", "Go"), ("go lang", "Go"), ("rlang", "R"), ("ansi c", "C")];

/// Families of interchangeable skills: knowing one makes its siblings quick to learn.
#[rustfmt::skip]
pub const FAMILIES: &[(&str, &[&str])] = &[
    ("cloud platforms", &["AWS", "GCP", "Azure"]),
    ("SQL databases", &["PostgreSQL", "MySQL", "SQLite", "Oracle", "SQL Server", "CockroachDB", "Amazon RDS"]),
    ("NoSQL databases", &["MongoDB", "Cassandra", "DynamoDB", "Neo4j", "Redis", "Memcached", "Elasticsearch"]),
    ("data warehouses", &["BigQuery", "Snowflake", "Amazon Redshift", "Databricks", "ClickHouse", "Hive", "Hadoop"]),
    ("frontend frameworks", &["React", "Vue.js", "Angular", "Svelte", "Ember", "Next.js", "Nuxt", "jQuery"]),
    ("backend frameworks", &["Django", "Flask", "FastAPI", "Spring", "Express", "NestJS", "Ruby on Rails", "Laravel", "Symfony", "Actix"]),
    ("JVM languages", &["Java", "Kotlin", "Scala", "Clojure", "Groovy"]),
    ("systems languages", &["C", "C++", "Rust", "Go", "Zig"]),
    ("scripting languages", &["Python", "Ruby", "PHP", "Perl", "Lua", "Bash", "PowerShell"]),
    ("web languages", &["JavaScript", "TypeScript", "Node.js"]),
    (".NET", &["C#", ".NET"]),
    ("functional languages", &["Haskell", "OCaml", "Elixir", "Erlang", "Elm"]),
    ("mobile platforms", &["iOS", "Android", "Swift", "Objective-C", "Flutter", "React Native", "Jetpack Compose", "Dart"]),
    ("message brokers", &["Kafka", "RabbitMQ", "ActiveMQ", "NATS", "Amazon SQS", "Amazon Kinesis", "Pub/Sub"]),
    ("stream processing", &["Flink", "Spark", "Apache Beam", "Stream processing"]),
    ("container orchestration", &["Kubernetes", "Docker", "Helm", "OpenShift", "Amazon EKS", "Amazon ECS", "GKE", "Istio"]),
    ("infrastructure as code", &["Terraform", "Pulumi", "CloudFormation", "Ansible", "Chef", "Puppet", "Infrastructure as code"]),
    ("CI/CD", &["CI/CD", "GitHub Actions", "GitLab", "Jenkins", "CircleCI", "Argo CD"]),
    ("observability", &["Prometheus", "Grafana", "Datadog", "New Relic", "Sentry", "Splunk", "OpenTelemetry", "ELK Stack", "CloudWatch", "Observability", "Monitoring"]),
    ("ML frameworks", &["PyTorch", "TensorFlow", "Keras", "scikit-learn"]),
    ("Python data stack", &["Pandas", "NumPy", "SciPy", "Jupyter"]),
    ("BI tools", &["Tableau", "Power BI", "Looker", "Metabase", "Data visualization"]),
    ("product analytics", &["Google Analytics", "Mixpanel", "Amplitude"]),
    ("data pipelines", &["Airflow", "dbt", "Data pipelines"]),
    ("test frameworks", &["Jest", "Cypress", "Playwright", "Selenium"]),
    ("API styles", &["REST APIs", "GraphQL", "gRPC"]),
    ("stylesheets", &["CSS", "Sass", "Tailwind"]),
    ("CRM tools", &["Salesforce", "HubSpot", "CRM"]),
    ("accounting software", &["QuickBooks", "Xero", "NetSuite", "SAP", "ERP"]),
    ("spreadsheets", &["Excel", "Google Sheets"]),
    ("design tools", &["Figma", "Sketch", "Adobe Creative Suite", "Photoshop", "Illustrator", "InDesign", "After Effects"]),
    ("agile methods", &["Agile", "Scrum", "Kanban"]),
    ("work tracking", &["Jira", "Confluence"]),
    ("support tools", &["Zendesk", "Intercom"]),
    ("financial crime", &["AML", "KYC", "Financial crime", "Fraud prevention", "Sanctions screening", "Transaction monitoring"]),
    ("security standards", &["SOC 2", "ISO 27001", "PCI DSS", "GDPR"]),
];

/// Lowercase spelling → canonical name.
static LOOKUP: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for def in SKILLS.iter().filter(|d| d.kind != Kind::Noise) {
        map.insert(def.name.to_lowercase(), def.name);
        for a in def.aliases.iter().chain(&def.exact) {
            map.entry(a.to_lowercase()).or_insert(def.name);
        }
    }
    for (spelling, name) in CONTEXT_SPELLINGS {
        map.insert((*spelling).to_owned(), *name);
    }
    map
});

static FAMILY_OF: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| FAMILIES.iter().flat_map(|(family, names)| names.iter().map(move |n| (*n, *family))).collect());

/// The canonical name of a skill spelled `name`, if the taxonomy knows it. Case, surrounding
/// punctuation and spacing do not matter ("k8s", " Postgres.", "react.JS", "node js").
pub fn normalize_skill(name: &str) -> Option<&'static str> {
    let collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    // Trailing sentence punctuation goes; a leading dot stays (".NET") and so do `+` and `#`.
    let trimmed =
        collapsed.trim_end_matches([',', ';', ':', '.', ')', '!', '?']).trim_start_matches(['(', '-', '*', '•']);
    let trimmed = trimmed.trim();
    let candidates = [
        trimmed.to_owned(),
        trimmed.replace(" js", ".js").replace("-js", ".js"),
        trimmed.trim_end_matches(".js").trim_end_matches("js").to_owned(),
        trimmed.replace('-', " "),
        trimmed.replace(' ', ""),
        trimmed.trim_end_matches(" programming").trim_end_matches(" language").to_owned(),
        trimmed.trim_end_matches('s').to_owned(),
    ];
    candidates.iter().filter(|c| !c.is_empty()).find_map(|c| LOOKUP.get(c.as_str()).copied())
}

/// The family of a canonical skill name ("GCP" → "cloud platforms"), if it has one.
pub fn skill_family(canonical: &str) -> Option<&'static str> {
    FAMILY_OF.get(canonical).copied().or_else(|| normalize_skill(canonical).and_then(|c| FAMILY_OF.get(c).copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_map_to_display_names() {
        let cases = [
            ("k8s", "Kubernetes"),
            ("Postgres", "PostgreSQL"),
            ("postgresql", "PostgreSQL"),
            ("React.js", "React"),
            ("ReactJS", "React"),
            ("react", "React"),
            ("golang", "Go"),
            ("Go", "Go"),
            ("node js", "Node.js"),
            ("NodeJS", "Node.js"),
            ("Node.js", "Node.js"),
            ("c++", "C++"),
            ("C#", "C#"),
            ("csharp", "C#"),
            (".net", ".NET"),
            ("dotnet", ".NET"),
            ("Amazon Web Services", "AWS"),
            ("google cloud platform", "GCP"),
            ("  Apache   Kafka. ", "Kafka"),
            ("Vue", "Vue.js"),
            ("vuejs", "Vue.js"),
            ("Spring Boot", "Spring"),
            ("TYPESCRIPT", "TypeScript"),
            ("Terraform,", "Terraform"),
            ("Microservice", "Microservices"),
            ("event-driven", "Event-driven architecture"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_skill(input), Some(want), "{input}");
        }
        for unknown in ["", "  ", "basket weaving", "c+", "ja"] {
            assert_eq!(normalize_skill(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn families_group_siblings() {
        assert_eq!(skill_family("GCP"), Some("cloud platforms"));
        assert_eq!(skill_family("AWS"), skill_family("Azure"));
        assert_eq!(skill_family("MySQL"), Some("SQL databases"));
        assert_eq!(skill_family("Vue.js"), skill_family("React"));
        assert_eq!(skill_family("postgres"), Some("SQL databases"));
        assert_eq!(skill_family("Negotiation"), None);
    }

    #[test]
    fn every_family_member_is_canonical_and_in_one_family() {
        let mut seen = std::collections::HashSet::new();
        for (family, names) in FAMILIES {
            for n in *names {
                assert_eq!(normalize_skill(n), Some(*n), "{family}: {n}");
                assert!(seen.insert(*n), "{n} in two families");
            }
        }
    }
}
