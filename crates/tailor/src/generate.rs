//! The GeneratorAgent: resume variants for one job, each a different selection and ordering of
//! the profile's own facts.

use crate::ats::ats_score;
use crate::relevance::{first_term_index, job_terms, relevance};
use domain::{ApplicationId, Job, JobAnalysis, Profile, TailoredResume, TailoredSection};

/// The strategies, in variant order (`v1`, `v2`, `v3`).
pub const VARIANT_STRATEGIES: [&str; 3] = ["relevance", "skills_first", "concise"];

/// How many highlights per entry `skills_first` keeps.
const TOP_HIGHLIGHTS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Strategy {
    /// Every entry and highlight, highlights most relevant first; matching skills first.
    Relevance,
    /// The most relevant highlights of each entry only; only the skills the job asks for.
    SkillsFirst,
    /// Only relevant highlights (when an entry has any), no summaries.
    Concise,
}

/// Up to `versions` variants (`v1` relevance, `v2` skills_first, `v3` concise; there are three
/// strategies, so asking for more gives three), each scored with [`ats_score`] and none selected.
pub fn generate_variants(
    profile: &Profile,
    job: &Job,
    analysis: &JobAnalysis,
    application_id: ApplicationId,
    versions: usize,
) -> Vec<TailoredResume> {
    [Strategy::Relevance, Strategy::SkillsFirst, Strategy::Concise]
        .into_iter()
        .take(versions)
        .enumerate()
        .map(|(i, strategy)| {
            let mut r = tailored(profile, job, analysis, application_id, strategy);
            r.variant_id = format!("v{}", i + 1);
            let (score, matched) = ats_score(&r, analysis);
            r.ats_score = score;
            r.matched_keywords = matched;
            r
        })
        .collect()
}

/// The profile as it is, untailored (variant `template`), for the `fallback_to_template` error
/// strategy. It has no analysis to score against, so its score is 0 until the caller runs
/// [`ats_score`](crate::ats_score) with one.
pub fn template_resume(profile: &Profile, job: &Job, application_id: ApplicationId) -> TailoredResume {
    let b = &profile.resume.basics;
    TailoredResume {
        application_id,
        job_id: job.id,
        user_id: job.user_id,
        variant_id: "template".to_owned(),
        name: b.name.clone().unwrap_or_default(),
        label: b.label.clone(),
        email: b.email.clone(),
        summary: b.summary.clone(),
        skills: profile_skills(profile),
        work: profile
            .resume
            .work
            .iter()
            .map(|w| TailoredSection {
                organization: w.name.clone().unwrap_or_default(),
                position: w.position.clone().unwrap_or_default(),
                start_date: w.start_date.clone(),
                end_date: w.end_date.clone(),
                summary: w.summary.clone(),
                highlights: w.highlights.clone(),
            })
            .collect(),
        ats_score: 0.0,
        matched_keywords: Vec::new(),
        selected: false,
    }
}

/// The profile's skills in their original spelling, deduplicated ignoring case: the same set as
/// [`Profile::skill_words`]. Skill names without keywords are skills themselves and keep their
/// place; names *with* keywords are category labels ("Languages") and go last.
pub fn profile_skills(profile: &Profile) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &String| {
        let key = s.trim().to_lowercase();
        if !key.is_empty() && !out.iter().any(|o| o.trim().to_lowercase() == key) {
            out.push(s.clone());
        }
    };
    let mut categories = Vec::new();
    for skill in &profile.resume.skills {
        match &skill.name {
            Some(name) if !skill.keywords.is_empty() => categories.push(name),
            Some(name) => push(name),
            None => {}
        }
        skill.keywords.iter().for_each(&mut push);
    }
    for p in &profile.resume.projects {
        p.keywords.iter().for_each(&mut push);
    }
    categories.into_iter().for_each(&mut push);
    out
}

fn tailored(
    profile: &Profile,
    job: &Job,
    analysis: &JobAnalysis,
    application_id: ApplicationId,
    strategy: Strategy,
) -> TailoredResume {
    let terms = job_terms(analysis);
    let mut r = template_resume(profile, job, application_id);

    // Skills: those matching a job term first, in the job's order of importance; stable sorts
    // keep the profile's order among equals.
    let mut skills: Vec<(Option<usize>, String)> =
        r.skills.drain(..).map(|s| (first_term_index(&s, &terms), s)).collect();
    skills.sort_by_key(|(idx, _)| idx.unwrap_or(usize::MAX));
    let any_match = skills.iter().any(|(idx, _)| idx.is_some());
    r.skills = skills
        .into_iter()
        .filter(|(idx, _)| strategy != Strategy::SkillsFirst || idx.is_some() || !any_match)
        .map(|(_, s)| s)
        .collect();

    for section in &mut r.work {
        let mut scored: Vec<(usize, String)> =
            section.highlights.drain(..).map(|h| (relevance(&h, &terms), h)).collect();
        scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        let has_relevant = scored.first().is_some_and(|(score, _)| *score > 0);
        section.highlights = match strategy {
            Strategy::Relevance => scored.into_iter().map(|(_, h)| h).collect(),
            Strategy::SkillsFirst => scored.into_iter().take(TOP_HIGHLIGHTS).map(|(_, h)| h).collect(),
            Strategy::Concise => {
                scored.into_iter().filter(|(score, _)| *score > 0 || !has_relevant).map(|(_, h)| h).collect()
            }
        };
        if strategy == Strategy::Concise {
            section.summary = None;
        }
    }
    if strategy == Strategy::Concise {
        r.summary = None;
    }
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::test_support::{analysis, job, sample_profile};

    #[test]
    fn three_variants_in_order() {
        let p = sample_profile();
        let j = job("Senior Backend Engineer", "We need Kafka, Kubernetes and Go.");
        let a = analysis(&["kafka", "kubernetes", "go"], &["ledger"]);
        let app = "00000000-0000-7000-8000-0000000000aa".parse().unwrap();
        let v = generate_variants(&p, &j, &a, app, 5);
        let ids: Vec<_> = v.iter().map(|r| r.variant_id.as_str()).collect();
        assert_eq!(ids, ["v1", "v2", "v3"]);
        assert!(v.iter().all(|r| !r.selected && r.application_id == app && r.job_id == j.id));
        assert_eq!(generate_variants(&p, &j, &a, app, 1).len(), 1);
        assert!(generate_variants(&p, &j, &a, app, 0).is_empty());
    }

    #[test]
    fn relevance_orders_highlights_and_skills() {
        let p = sample_profile();
        let a = analysis(&["kafka", "kubernetes"], &[]);
        let v =
            generate_variants(&p, &job("Platform Engineer", ""), &a, ApplicationId::from_uuid(Default::default()), 3);
        let v1 = &v[0];
        assert_eq!(v1.summary, p.resume.basics.summary);
        assert_eq!(v1.work.len(), p.resume.work.len());
        let first = &v1.work[0].highlights;
        assert!(first[0].contains("Kubernetes") || first[0].contains("Kafka"), "{first:?}");
        assert_eq!(first.len(), p.resume.work[0].highlights.len());
        assert_eq!(&v1.skills[..2], ["Kafka", "Kubernetes"]);
        assert_eq!(v1.skills.len(), profile_skills(&p).len());

        let v2 = &v[1];
        assert_eq!(v2.skills, ["Kafka", "Kubernetes"]);
        assert!(v2.work.iter().all(|w| w.highlights.len() <= TOP_HIGHLIGHTS));

        let v3 = &v[2];
        assert_eq!(v3.summary, None);
        assert!(v3.work.iter().all(|w| w.summary.is_none()));
        // The first job has relevant highlights: only those stay.
        assert!(v3.work[0].highlights.iter().all(|h| h.contains("Kafka") || h.contains("Kubernetes")));
        // The last job has none: it keeps all of them, in profile order.
        assert_eq!(v3.work[2].highlights, p.resume.work[2].highlights);
    }

    #[test]
    fn skills_keep_profile_spelling_and_cover_skill_words() {
        let p = sample_profile();
        let skills = profile_skills(&p);
        let lower: Vec<String> = skills.iter().map(|s| s.to_lowercase()).collect();
        let mut words = p.skill_words();
        let mut got = lower.clone();
        words.sort();
        got.sort();
        assert_eq!(got, words);
        assert!(skills.contains(&"PostgreSQL".to_owned()));
        assert_eq!(skills.last().map(String::as_str), Some("Practices"), "category labels go last");
    }

    #[test]
    fn template_is_the_profile_as_is() {
        let p = sample_profile();
        let t = template_resume(&p, &job("Anything", ""), ApplicationId::from_uuid(Default::default()));
        assert_eq!(t.variant_id, "template");
        assert_eq!(t.summary, p.resume.basics.summary);
        for (s, w) in t.work.iter().zip(&p.resume.work) {
            assert_eq!(s.highlights, w.highlights);
            assert_eq!(Some(&s.organization), w.name.as_ref());
        }
    }
}
