//! The profile as addressable facts: JSON pointers into the profile's JSON Resume document, the
//! text they hold, and the profile's whole vocabulary (for the truth guard).

use crate::relevance::contains_word_lower;
use domain::Profile;
use serde_json::Value;

/// A profile skill in its original spelling and the pointer it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SkillFact {
    pub text: String,
    pub pointer: String,
}

/// The profile's skills in their original spelling, deduplicated ignoring case, each with its
/// pointer. Skill names without keywords are skills themselves and keep their place; names
/// *with* keywords are category labels ("Languages") and go last.
pub(crate) fn skill_facts(profile: &Profile) -> Vec<SkillFact> {
    let mut out: Vec<SkillFact> = Vec::new();
    let mut push = |s: &String, pointer: String| {
        let key = s.trim().to_lowercase();
        if !key.is_empty() && !out.iter().any(|o| o.text.trim().to_lowercase() == key) {
            out.push(SkillFact { text: s.clone(), pointer });
        }
    };
    let mut categories = Vec::new();
    for (i, skill) in profile.resume.skills.iter().enumerate() {
        match &skill.name {
            Some(name) if !skill.keywords.is_empty() => categories.push((name, format!("/skills/{i}/name"))),
            Some(name) => push(name, format!("/skills/{i}/name")),
            None => {}
        }
        for (k, kw) in skill.keywords.iter().enumerate() {
            push(kw, format!("/skills/{i}/keywords/{k}"));
        }
    }
    for (i, p) in profile.resume.projects.iter().enumerate() {
        for (k, kw) in p.keywords.iter().enumerate() {
            push(kw, format!("/projects/{i}/keywords/{k}"));
        }
    }
    for (name, pointer) in categories {
        push(name, pointer);
    }
    out
}

/// The text at a pointer of the profile: the JSON Resume document as imported first, then its
/// typed reading (they agree for every field Applyflow reads).
pub(crate) fn resolve(profile: &Profile, pointer: &str) -> Option<String> {
    if let Some(Value::String(s)) = profile.resume_json.pointer(pointer) {
        return Some(s.clone());
    }
    match serde_json::to_value(&profile.resume).ok()?.pointer(pointer) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// Every string of the profile, lowercase, one per line: what "appears in the profile" means.
pub(crate) fn corpus(profile: &Profile) -> String {
    let mut out = String::new();
    collect(&profile.resume_json, &mut out);
    out.to_lowercase()
}

fn collect(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect(i, out)),
        _ => {}
    }
}

/// Whether the profile holds anything to tailor besides a name.
pub(crate) fn has_content(profile: &Profile) -> bool {
    let r = &profile.resume;
    let summary = r.basics.summary.as_deref().is_some_and(|s| !s.trim().is_empty());
    let work = r.work.iter().any(|w| w.name.is_some() || w.position.is_some() || !w.highlights.is_empty());
    summary || work || !r.education.is_empty() || !skill_facts(profile).is_empty() || !r.projects.is_empty()
}

/// Whether `term` (lowercase) occurs as a word in the lowercase corpus.
pub(crate) fn in_corpus(corpus: &str, term: &str) -> bool {
    contains_word_lower(corpus, term)
}
