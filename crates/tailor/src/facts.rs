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
/// pointer: the keywords of skill groups, the names of ungrouped skills, project keywords. A
/// group's name is its label ("Languages", "AI"), never a skill.
pub(crate) fn skill_facts(profile: &Profile) -> Vec<SkillFact> {
    let mut out: Vec<SkillFact> = Vec::new();
    let mut push = |s: &String, pointer: String| {
        let key = s.trim().to_lowercase();
        if !key.is_empty() && !out.iter().any(|o| o.text.trim().to_lowercase() == key) {
            out.push(SkillFact { text: s.clone(), pointer });
        }
    };
    for entry in skill_entries(profile) {
        for (k, text) in &entry.skills {
            let pointer = match k {
                Some(k) => format!("/skills/{}/keywords/{k}", entry.index),
                None => format!("/skills/{}/name", entry.index),
            };
            push(text, pointer);
        }
    }
    for (i, p) in profile.resume.projects.iter().enumerate() {
        for (k, kw) in p.keywords.iter().enumerate() {
            push(kw, format!("/projects/{i}/keywords/{k}"));
        }
    }
    out
}

/// One entry of the profile's skills section (JSON Resume `skills[]`): a group — a label over
/// its keywords — or one ungrouped skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SkillEntry {
    /// Its index in the profile's `skills`.
    pub index: usize,
    /// The skills it names with their keyword index: a group's non-blank keywords, or the
    /// ungrouped skill's name (`None`).
    pub skills: Vec<(Option<usize>, String)>,
}

/// The profile's skill entries that name at least one skill, in the profile's order.
pub(crate) fn skill_entries(profile: &Profile) -> Vec<SkillEntry> {
    let blank = |s: &String| s.trim().is_empty();
    profile
        .resume
        .skills
        .iter()
        .enumerate()
        .filter_map(|(index, s)| {
            let skills: Vec<(Option<usize>, String)> = if s.is_group() {
                s.keywords.iter().enumerate().filter(|(_, k)| !blank(k)).map(|(k, t)| (Some(k), t.clone())).collect()
            } else {
                s.name.iter().filter(|n| !blank(n)).map(|n| (None, n.clone())).collect()
            };
            (!skills.is_empty()).then_some(SkillEntry { index, skills })
        })
        .collect()
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

/// What the profile says, for deciding what the job asks that it lacks: its vocabulary
/// ([`corpus`]) and the canonical names (lowercase) of the dictionary skills it shows — each of
/// its lines read as a skill name ("k8s" is Kubernetes; a group's label "AI" says the person
/// does AI) and every skill the offline analyzer finds in its text ("backend engineer").
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    pub corpus: String,
    pub skills: Vec<String>,
}

impl Vocabulary {
    pub(crate) fn of(profile: &Profile) -> Self {
        let corpus = corpus(profile);
        let mut skills: Vec<String> =
            corpus.lines().filter_map(analysis::normalize_skill).map(str::to_lowercase).collect();
        let text = domain::Job::from_text("profile", "", &corpus);
        skills.extend(analysis::HeuristicAnalyzer.analyze(&text).skills.iter().map(|s| s.to_lowercase()));
        skills.sort_unstable();
        skills.dedup();
        Self { corpus, skills }
    }

    /// Whether the profile names `term` (any case, or a synonym of the same dictionary skill).
    pub(crate) fn has(&self, term: &str) -> bool {
        let lower = term.trim().to_lowercase();
        let canonical = analysis::normalize_skill(term).map(str::to_lowercase);
        in_corpus(&self.corpus, &lower) || self.skills.contains(canonical.as_ref().unwrap_or(&lower))
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
