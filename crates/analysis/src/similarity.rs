//! Title similarity, for the `use_cached_similar` strategy: when analysis fails, reuse the
//! analysis of the most similar job already analyzed for the same user.

use crate::text::tokens;
use domain::JobAnalysis;
use std::collections::BTreeSet;

/// Words that say nothing about the work itself.
const FILLER: &[&str] = &["a", "an", "and", "the", "of", "for", "in", "at", "with", "to", "on", "remote", "hybrid"];

/// Normalized title words: lowercase, common abbreviations spelled out, filler dropped.
fn normalize(title: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for t in tokens(title) {
        let expanded: &[&str] = match t.as_str() {
            "sr" => &["senior"],
            "jr" => &["junior"],
            "eng" | "engr" => &["engineer"],
            "dev" => &["developer"],
            "mgr" => &["manager"],
            "swe" => &["software", "engineer"],
            "sde" => &["software", "developer"],
            "fullstack" => &["full", "stack"],
            "frontend" => &["front", "end"],
            "backend" => &["back", "end"],
            "ml" => &["machine", "learning"],
            "engineering" => &["engineer"],
            "development" => &["developer"],
            other if FILLER.contains(&other) => &[],
            _ => {
                out.insert(t);
                continue;
            }
        };
        out.extend(expanded.iter().map(|s| (*s).to_owned()));
    }
    out
}

/// Jaccard similarity of the two titles' normalized word sets, in `0..=1`. Two titles with no
/// words at all are not considered similar (0).
pub fn title_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize(a), normalize(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// The analysis whose title is most similar to `title`, if any reaches `threshold`. Ties go to
/// the earlier candidate, so callers control preference by order (e.g. newest first).
pub fn most_similar<'a>(
    title: &str,
    candidates: &'a [(String, JobAnalysis)],
    threshold: f64,
) -> Option<&'a JobAnalysis> {
    let mut best: Option<(f64, &JobAnalysis)> = None;
    for (t, analysis) in candidates {
        let sim = title_similarity(title, t);
        if sim >= threshold && best.is_none_or(|(b, _)| sim > b) {
            best = Some((sim, analysis));
        }
    }
    best.map(|(_, a)| a)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use domain::{Seniority, WorkplaceType};

    fn analysis(provider: &str) -> JobAnalysis {
        JobAnalysis {
            job_id: "00000000-0000-7000-8000-000000000001".parse().unwrap(),
            user_id: "00000000-0000-7000-8000-000000000002".parse().unwrap(),
            skills: vec![],
            keywords: vec![],
            seniority: Seniority::Mid,
            workplace: WorkplaceType::Unknown,
            salary: None,
            provider: provider.into(),
            required_skills: Vec::new(),
            preferred_skills: Vec::new(),
            years_experience: None,
            responsibilities: Vec::new(),
            education: Vec::new(),
            certifications: Vec::new(),
            location: None,
            visa_sponsorship: None,
            weighted_keywords: Vec::new(),
        }
    }

    #[test]
    fn similarity_bounds_and_normalization() {
        assert_eq!(title_similarity("Senior Software Engineer", "Sr. Software Eng"), 1.0);
        assert_eq!(title_similarity("Backend Engineer", "Back-end Engineer"), 1.0);
        assert_eq!(title_similarity("", ""), 0.0);
        assert_eq!(title_similarity("Chef", "Accountant"), 0.0);
        let s = title_similarity("Senior Software Engineer", "Software Engineer");
        assert!((s - 2.0 / 3.0).abs() < 1e-9, "{s}");
        assert_eq!(title_similarity("Data Engineer", "Engineer, Data"), 1.0);
    }

    #[test]
    fn most_similar_respects_threshold_and_ties() {
        let c = vec![
            ("Software Engineer".to_owned(), analysis("first")),
            ("Product Manager".to_owned(), analysis("pm")),
            ("Engineer Software".to_owned(), analysis("second")),
        ];
        assert_eq!(most_similar("Senior Software Engineer", &c, 0.5).map(|a| a.provider.as_str()), Some("first"));
        assert_eq!(most_similar("Senior Product Manager", &c, 0.5).map(|a| a.provider.as_str()), Some("pm"));
        assert!(most_similar("Chef", &c, 0.1).is_none());
        assert!(most_similar("Software Engineer", &[], 0.0).is_none());
    }
}
