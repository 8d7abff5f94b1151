//! The user's profile: their base resume in the JSON Resume schema (v1.0.0) and their job
//! preferences. Import validates and names the first bad field; export gives back the resume
//! exactly as imported (unknown fields included, since the schema allows them).

use crate::job::WorkplaceType;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a profile was refused. `field` is a path such as `work[0].startDate`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("not valid JSON: {0}")]
    Syntax(String),
    #[error("invalid profile field `{field}`: {message}")]
    Invalid { field: String, message: String },
}

impl ProfileError {
    fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }
    /// The offending field, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::Syntax(_) => None,
        }
    }
}

/// `basics.location`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Location {
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country_code: Option<String>,
    pub region: Option<String>,
}

/// `basics.profiles[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SocialProfile {
    pub network: Option<String>,
    pub username: Option<String>,
    pub url: Option<String>,
}

/// `basics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Basics {
    pub name: Option<String>,
    pub label: Option<String>,
    pub image: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub url: Option<String>,
    pub summary: Option<String>,
    pub location: Option<Location>,
    pub profiles: Vec<SocialProfile>,
}

/// `work[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Work {
    pub name: Option<String>,
    pub location: Option<String>,
    pub description: Option<String>,
    pub position: Option<String>,
    pub url: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub summary: Option<String>,
    pub highlights: Vec<String>,
}

/// `education[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Education {
    pub institution: Option<String>,
    pub url: Option<String>,
    pub area: Option<String>,
    pub study_type: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub score: Option<String>,
    pub courses: Vec<String>,
}

/// `skills[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Skill {
    pub name: Option<String>,
    pub level: Option<String>,
    pub keywords: Vec<String>,
}

impl Skill {
    /// A group: a label (`name`, e.g. "Languages") over its skills (`keywords`). A skill without
    /// keywords is one skill, named `name`.
    pub fn is_group(&self) -> bool {
        self.keywords.iter().any(|k| !k.trim().is_empty())
    }

    /// The skills this entry names: its keywords for a group, else its name.
    pub fn skill_names(&self) -> Vec<&str> {
        if self.is_group() {
            self.keywords.iter().map(String::as_str).filter(|k| !k.trim().is_empty()).collect()
        } else {
            self.name.as_deref().filter(|n| !n.trim().is_empty()).into_iter().collect()
        }
    }
}

/// One skill without a group (a tailored resume's older flat form reads through this).
impl From<&str> for Skill {
    fn from(name: &str) -> Self {
        Self { name: Some(name.to_owned()), ..Self::default() }
    }
}

impl From<String> for Skill {
    fn from(name: String) -> Self {
        Self { name: Some(name), ..Self::default() }
    }
}

/// `projects[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Project {
    pub name: Option<String>,
    pub description: Option<String>,
    pub highlights: Vec<String>,
    pub keywords: Vec<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub url: Option<String>,
}

/// `certificates[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Certificate {
    pub name: Option<String>,
    pub date: Option<String>,
    pub issuer: Option<String>,
    pub url: Option<String>,
}

/// `awards[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Award {
    pub title: Option<String>,
    pub date: Option<String>,
    pub awarder: Option<String>,
    pub summary: Option<String>,
}

/// `languages[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Language {
    pub language: Option<String>,
    pub fluency: Option<String>,
}

/// `volunteer[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Volunteer {
    pub organization: Option<String>,
    pub position: Option<String>,
    pub url: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub summary: Option<String>,
    pub highlights: Vec<String>,
}

/// `publications[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Publication {
    pub name: Option<String>,
    pub publisher: Option<String>,
    pub release_date: Option<String>,
    pub url: Option<String>,
    pub summary: Option<String>,
}

/// `interests[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Interest {
    pub name: Option<String>,
    pub keywords: Vec<String>,
}

/// The typed parts of a JSON Resume that Applyflow reads. Other sections (`references`,
/// `meta`, vendor extensions) are kept verbatim in [`Profile::resume_json`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Resume {
    pub basics: Basics,
    pub work: Vec<Work>,
    pub volunteer: Vec<Volunteer>,
    pub education: Vec<Education>,
    pub awards: Vec<Award>,
    pub certificates: Vec<Certificate>,
    pub publications: Vec<Publication>,
    pub skills: Vec<Skill>,
    pub languages: Vec<Language>,
    pub interests: Vec<Interest>,
    pub projects: Vec<Project>,
}

/// How much the platform may do on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AutomationMode {
    /// Discover and prepare; the user submits.
    Manual,
    /// Prepare everything; submit after the user approves.
    Review,
    /// Submit on its own.
    #[default]
    Auto,
}

/// What jobs the user wants.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Preferences {
    /// Title words to look for, e.g. "backend engineer" (any matches).
    pub target_titles: Vec<String>,
    /// Skills or words that make a posting interesting.
    pub keywords: Vec<String>,
    /// Acceptable locations (city, region or country words); empty means anywhere.
    pub locations: Vec<String>,
    /// Acceptable workplace types; empty means any.
    pub workplaces: Vec<WorkplaceType>,
    /// Yearly minimum; postings whose top of range is below it are skipped.
    pub salary_floor: Option<f64>,
    pub excluded_companies: Vec<String>,
    pub automation_mode: AutomationMode,
    /// Jobs whose match score (0–100) is under this stop after analysis; `None` keeps every job.
    pub min_match_score: Option<u8>,
}

/// A user's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub resume: Resume,
    /// The JSON Resume document as imported (exported unchanged).
    pub resume_json: Value,
    pub preferences: Preferences,
}

impl Profile {
    /// Reads a profile file: either `{"resume": <JSON Resume>, "preferences": {...}}` or a bare
    /// JSON Resume document (default preferences).
    pub fn import(json: &str) -> Result<Self, ProfileError> {
        let doc: Value = serde_json::from_str(json).map_err(|e| ProfileError::Syntax(e.to_string()))?;
        let Value::Object(map) = &doc else {
            return Err(ProfileError::invalid("$", "expected a JSON object"));
        };
        let wrapped = map.contains_key("resume") && !map.contains_key("basics");
        let (resume_json, prefs_json, prefix) = if wrapped {
            (map.get("resume").cloned().unwrap_or(Value::Null), map.get("preferences").cloned(), "resume.")
        } else {
            (doc.clone(), None, "")
        };
        let preferences = match prefs_json {
            Some(p) => serde_path_to_error::deserialize(&p)
                .map_err(|e| ProfileError::invalid(format!("preferences.{}", e.path()), e.inner().to_string()))?,
            None => Preferences::default(),
        };
        Self::from_parts(resume_json, preferences, prefix)
    }

    /// Builds a profile from a JSON Resume value and preferences, validating both.
    pub fn from_parts(resume_json: Value, preferences: Preferences, prefix: &str) -> Result<Self, ProfileError> {
        if !resume_json.is_object() {
            return Err(ProfileError::invalid(format!("{prefix}$"), "a JSON Resume must be an object"));
        }
        let resume: Resume = serde_path_to_error::deserialize(&resume_json)
            .map_err(|e| ProfileError::invalid(format!("{prefix}{}", e.path()), e.inner().to_string()))?;
        validate_resume(&resume).map_err(|e| match e {
            ProfileError::Invalid { field, message } => ProfileError::invalid(format!("{prefix}{field}"), message),
            other => other,
        })?;
        validate_preferences(&preferences)?;
        Ok(Self { resume, resume_json, preferences })
    }

    /// The document `profile import` accepts, for a round trip.
    pub fn export(&self) -> Value {
        serde_json::json!({ "resume": self.resume_json, "preferences": self.preferences })
    }

    /// Every skill word in the profile (skill keywords, names of skills without keywords, project
    /// keywords), lowercase. The name of a skill *with* keywords is a group's label ("Languages",
    /// "AI"), never a skill itself ([`Skill::is_group`]).
    pub fn skill_words(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: &str| {
            let w = s.trim().to_lowercase();
            if !w.is_empty() && !out.contains(&w) {
                out.push(w);
            }
        };
        for s in &self.resume.skills {
            match &s.name {
                Some(n) if !s.is_group() => push(n),
                _ => {}
            }
            s.keywords.iter().for_each(|k| push(k));
        }
        for p in &self.resume.projects {
            p.keywords.iter().for_each(|k| push(k));
        }
        out
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the schema's `iso8601` definition).
pub fn is_iso8601_partial(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    let year_ok = digits(0..4) && matches!(b.first(), Some(b'1' | b'2'));
    let num = |i: usize| s.get(i..i + 2).and_then(|x| x.parse::<u8>().ok());
    let month_ok = |i: usize| digits(i..i + 2) && num(i).is_some_and(|m| (1..=12).contains(&m));
    let day_ok = |i: usize| digits(i..i + 2) && num(i).is_some_and(|d| (1..=31).contains(&d));
    match b.len() {
        4 => year_ok,
        7 => year_ok && b[4] == b'-' && month_ok(5),
        10 => year_ok && b[4] == b'-' && month_ok(5) && b[7] == b'-' && day_ok(8),
        _ => false,
    }
}

fn check_date(field: String, v: &Option<String>) -> Result<(), ProfileError> {
    match v {
        Some(d) if !d.is_empty() && !is_iso8601_partial(d) => {
            Err(ProfileError::invalid(field, format!("expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {d:?}")))
        }
        _ => Ok(()),
    }
}

fn check_url(field: String, v: &Option<String>) -> Result<(), ProfileError> {
    match v {
        Some(u) if !u.is_empty() && !u.starts_with("http://") && !u.starts_with("https://") => {
            Err(ProfileError::invalid(field, format!("expected an http(s) URL, got {u:?}")))
        }
        _ => Ok(()),
    }
}

fn validate_resume(r: &Resume) -> Result<(), ProfileError> {
    match r.basics.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => {}
        _ => return Err(ProfileError::invalid("basics.name", "a resume needs the person's name")),
    }
    if let Some(email) = &r.basics.email {
        let ok = email.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'));
        if !email.is_empty() && !ok {
            return Err(ProfileError::invalid("basics.email", format!("expected an email address, got {email:?}")));
        }
    }
    check_url("basics.url".into(), &r.basics.url)?;
    for (i, w) in r.work.iter().enumerate() {
        check_date(format!("work[{i}].startDate"), &w.start_date)?;
        check_date(format!("work[{i}].endDate"), &w.end_date)?;
        check_url(format!("work[{i}].url"), &w.url)?;
    }
    for (i, e) in r.education.iter().enumerate() {
        check_date(format!("education[{i}].startDate"), &e.start_date)?;
        check_date(format!("education[{i}].endDate"), &e.end_date)?;
    }
    for (i, p) in r.projects.iter().enumerate() {
        check_date(format!("projects[{i}].startDate"), &p.start_date)?;
        check_date(format!("projects[{i}].endDate"), &p.end_date)?;
    }
    Ok(())
}

fn validate_preferences(p: &Preferences) -> Result<(), ProfileError> {
    if let Some(f) = p.salary_floor {
        if !f.is_finite() || f < 0.0 {
            return Err(ProfileError::invalid("preferences.salary_floor", "must be a non-negative number"));
        }
    }
    if p.min_match_score.is_some_and(|m| m > 100) {
        return Err(ProfileError::invalid("preferences.min_match_score", "must be between 0 and 100"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../tests/data/jsonresume_sample.resume.json");

    #[test]
    fn official_sample_imports_and_exports_unchanged() {
        let p = Profile::import(SAMPLE).unwrap();
        assert_eq!(p.resume.basics.name.as_deref(), Some("Richard Hendriks"));
        let original: Value = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(p.export()["resume"], original);
        let again = Profile::import(&p.export().to_string()).unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn bad_fields_are_named() {
        let mut v: Value = serde_json::from_str(SAMPLE).unwrap();
        v["work"][0]["startDate"] = "March 2020".into();
        let err = Profile::import(&v.to_string()).unwrap_err();
        assert_eq!(err.field(), Some("work[0].startDate"), "{err}");

        let mut v: Value = serde_json::from_str(SAMPLE).unwrap();
        v["work"][0]["highlights"] = 42.into();
        let err = Profile::import(&v.to_string()).unwrap_err();
        assert_eq!(err.field(), Some("work[0].highlights"), "{err}");

        let mut v: Value = serde_json::from_str(SAMPLE).unwrap();
        v["basics"]["email"] = "not-an-email".into();
        assert_eq!(Profile::import(&v.to_string()).unwrap_err().field(), Some("basics.email"));

        let wrapped = serde_json::json!({"resume": {"basics": {}}, "preferences": {}});
        assert_eq!(Profile::import(&wrapped.to_string()).unwrap_err().field(), Some("resume.basics.name"));

        let wrapped = serde_json::json!({"resume": {"basics": {"name": "A"}}, "preferences": {"salary_floor": "lots"}});
        assert_eq!(Profile::import(&wrapped.to_string()).unwrap_err().field(), Some("preferences.salary_floor"));
        assert!(matches!(Profile::import("{"), Err(ProfileError::Syntax(_))));
    }

    #[test]
    fn group_labels_are_not_skills() {
        let p = Profile::import(
            r#"{"basics": {"name": "A"}, "skills": [{"name": "AI", "keywords": ["PyTorch", "RAG"]},
                {"name": "Rust", "level": "Expert"}, {"name": "Languages", "keywords": ["Go", " "]}],
                "projects": [{"name": "x", "keywords": ["Kafka"]}]}"#,
        )
        .unwrap();
        assert_eq!(p.skill_words(), ["pytorch", "rag", "rust", "go", "kafka"]);
        let s = &p.resume.skills;
        assert!(s[0].is_group() && !s[1].is_group());
        assert_eq!(
            (s[0].skill_names(), s[1].skill_names(), s[2].skill_names()),
            (vec!["PyTorch", "RAG"], vec!["Rust"], vec!["Go"])
        );
    }

    #[test]
    fn partial_dates() {
        for ok in ["2014", "2014-06", "2014-06-29"] {
            assert!(is_iso8601_partial(ok), "{ok}");
        }
        for bad in ["14", "2014-6", "2014/06/29", "June 2014", "3014", "2014-13", "2014-02-00"] {
            assert!(!is_iso8601_partial(bad), "{bad}");
        }
    }
}
