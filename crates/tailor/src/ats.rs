//! The OptimizerAgent: how well a resume covers a job's terms (the ATS score), and picking the
//! variant to submit.

use crate::facts::Vocabulary;
use crate::relevance::{contains_word_lower, job_terms};
use domain::resume::{AtsReport, ReadabilityCheck};
use domain::{JobAnalysis, Profile, TailoredResume};

/// The most questions one report asks.
pub const MAX_QUESTIONS: usize = 10;

/// The share of the job's skills and keywords (deduplicated, lowercase) that appear as whole
/// words in the resume's text, and which ones, in the analysis' order. A job with no terms scores 0.
pub fn ats_score(resume: &TailoredResume, analysis: &JobAnalysis) -> (f64, Vec<String>) {
    let terms = job_terms(analysis);
    if terms.is_empty() {
        return (0.0, Vec::new());
    }
    let total = terms.len();
    let text = resume_text(resume).to_lowercase();
    let matched: Vec<String> = terms.into_iter().map(|(t, _)| t).filter(|t| contains_word_lower(&text, t)).collect();
    (matched.len() as f64 / total as f64, matched)
}

/// Everything an ATS would read, one string per line so terms never span two fields. Skill
/// groups count by their skills: a label ("AI", "Languages") is not a skill the resume claims.
fn resume_text(r: &TailoredResume) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(r.label.as_deref());
    parts.extend(r.summary.as_deref());
    parts.extend(r.skill_names());
    for w in &r.work {
        parts.push(&w.position);
        parts.push(&w.organization);
        parts.extend(w.summary.as_deref());
        parts.extend(w.highlights.iter().map(String::as_str));
    }
    for p in &r.projects {
        parts.extend(p.name.as_deref());
        parts.extend(p.description.as_deref());
        parts.extend(p.highlights.iter().map(String::as_str));
        parts.extend(p.keywords.iter().map(String::as_str));
    }
    for e in &r.education {
        parts.extend(e.area.as_deref());
        parts.extend(e.study_type.as_deref());
    }
    for c in &r.certificates {
        parts.extend(c.name.as_deref());
    }
    parts.join("\n")
}

/// Section headings that ATS parsers recognise, as the renderers print them.
const STANDARD_HEADINGS: [&str; 6] = ["summary", "skills", "work", "projects", "education", "certificates"];

/// The ATS report of a variant: coverage before (the untailored profile) and after, the job's
/// requirements the profile lacks entirely (as questions to the user, never inserted; see
/// [`questions`]), and readability checks.
pub fn ats_report(
    variant: &TailoredResume,
    base: &TailoredResume,
    profile: &Profile,
    analysis: &JobAnalysis,
) -> AtsReport {
    let (before, _) = ats_score(base, analysis);
    let mut scored = variant.clone();
    (scored.ats_score, scored.matched_keywords) = ats_score(variant, analysis);
    report_with(&scored, before, &Vocabulary::of(profile), analysis)
}

/// [`ats_report`] with the "before" coverage and the profile's vocabulary already computed (the
/// pipeline reports three variants against one base).
pub(crate) fn report_with(
    variant: &TailoredResume,
    before: f64,
    profile: &Vocabulary,
    analysis: &JobAnalysis,
) -> AtsReport {
    let (after, matched) = (variant.ats_score, variant.matched_keywords.clone());
    let missing: Vec<String> =
        job_terms(analysis).into_iter().map(|(t, _)| t).filter(|t| !matched.contains(t)).collect();
    AtsReport {
        coverage_before: before,
        coverage_after: after,
        matched_keywords: matched,
        missing_keywords: missing,
        questions: questions(analysis, profile),
        readability: readability(variant),
    }
}

/// How a requirement of the job is put to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    Required,
    Certification,
    Preferred,
    Mentioned,
}

/// HTML character reference names: a posting's undecoded `&amp;` or `&nbsp;` is never a skill.
const ENTITY_NAMES: &[&str] = &[
    "amp", "nbsp", "lt", "gt", "quot", "apos", "mdash", "ndash", "rsquo", "lsquo", "rdquo", "ldquo", "hellip", "bull",
    "middot", "copy", "reg", "trade", "shy", "zwj", "zwnj", "emsp", "ensp", "thinsp",
];

/// Questions to the user about what the job asks for and the profile nowhere shows, at most
/// [`MAX_QUESTIONS`], the most important first. They name only real requirements of the posting:
/// its required skills, the certifications it asks for and its preferred skills. Only a posting
/// with no requirement the analysis could place falls back to the other dictionary skills it
/// names and those of its keywords that are dictionary skills (`analysis::normalize_skill`).
/// Never a generic keyword ("tools", "engineering"), a stop word or the residue of an undecoded
/// character reference ("amp", "nbsp"). Order: the analysis' weight of the term
/// (`weighted_keywords`) where it gives one, else required 1.0, certification 0.9, preferred
/// 0.6, named 0.4, keyword 0.3; ties keep the analysis' order. What the profile shows
/// ([`Vocabulary::has`]: a word of it, or a dictionary skill of it under any synonym) is never
/// asked.
pub(crate) fn questions(analysis: &JobAnalysis, profile: &Vocabulary) -> Vec<String> {
    let canonical = |t: &str| analysis::normalize_skill(t).map_or_else(|| t.trim().to_lowercase(), str::to_lowercase);
    let weight_of =
        |t: &str| analysis.weighted_keywords.iter().find(|w| w.term.eq_ignore_ascii_case(t)).map(|w| w.weight);
    let keywords: Vec<String> =
        analysis.keywords.iter().filter_map(|k| analysis::normalize_skill(k)).map(str::to_owned).collect();
    let placed = !analysis.required_skills.is_empty() || !analysis.preferred_skills.is_empty();
    let none: Vec<String> = Vec::new();
    let tiers: [(&[String], Ask, f64); 5] = [
        (&analysis.required_skills, Ask::Required, 1.0),
        (&analysis.certifications, Ask::Certification, 0.9),
        (&analysis.preferred_skills, Ask::Preferred, 0.6),
        (if placed { &none } else { &analysis.skills }, Ask::Mentioned, 0.4),
        (if placed { &none } else { &keywords }, Ask::Mentioned, 0.3),
    ];
    let mut asks: Vec<(String, Ask, f64)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (terms, ask, default) in tiers {
        for term in terms.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let key = canonical(term);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key.clone());
            let lower = term.to_lowercase();
            let residue = ENTITY_NAMES.contains(&lower.trim_start_matches('&').trim_end_matches(';'));
            if !residue && !profile.has(term) {
                asks.push((term.to_owned(), ask, weight_of(term).unwrap_or(default)));
            }
        }
    }
    asks.sort_by(|a, b| b.2.total_cmp(&a.2));
    asks.into_iter()
        .take(MAX_QUESTIONS)
        .map(|(t, ask, _)| match ask {
            Ask::Required => format!("The job requires \"{t}\". Have you used it? If so, add it to your profile and tailor again."),
            Ask::Certification => format!("The job asks for the \"{t}\" certification. Do you hold it? If so, add it to your profile and tailor again."),
            Ask::Preferred => format!("The job would like \"{t}\" (nice to have). Have you used it? If so, add it to your profile and tailor again."),
            Ask::Mentioned => format!("The job mentions \"{t}\". Have you used it? If so, add it to your profile and tailor again."),
        })
        .collect()
}

fn readability(r: &TailoredResume) -> Vec<ReadabilityCheck> {
    let check =
        |check: &str, passed: bool, detail: String| ReadabilityCheck { check: check.to_owned(), passed, detail };
    let unknown: Vec<&String> = r.sections.iter().filter(|s| !STANDARD_HEADINGS.contains(&s.as_str())).collect();
    let mut lines: Vec<&str> = r.skill_names();
    lines.extend(r.skills.iter().filter_map(|s| s.name.as_deref()));
    lines.extend(r.summary.as_deref());
    for w in &r.work {
        lines.extend(w.highlights.iter().map(String::as_str));
        lines.extend(w.summary.as_deref());
    }
    let tabular = lines.iter().filter(|l| l.contains('|') || l.contains('\t')).count();
    let long = lines.iter().filter(|l| l.chars().count() > 350).count();
    let dates_ok = r.work.iter().all(|w| {
        [&w.start_date, &w.end_date].iter().all(|d| d.as_deref().is_none_or(domain::profile::is_iso8601_partial))
    });
    vec![
        check(
            "standard_headings",
            unknown.is_empty(),
            if unknown.is_empty() {
                "every section uses a heading ATS parsers recognise (Summary, Skills, Experience, Projects, Education, Certifications)".into()
            } else {
                format!("unrecognised sections: {unknown:?}")
            },
        ),
        check(
            "no_tables",
            tabular == 0,
            format!("{tabular} line(s) hold table characters (| or tab); the renderers use no tables or columns"),
        ),
        check(
            "no_header_footer_content",
            !r.name.trim().is_empty(),
            "name and contact details are in the document body, not in page headers or footers".into(),
        ),
        check("parseable_dates", dates_ok, "dates are YYYY, YYYY-MM or YYYY-MM-DD".into()),
        check("line_length", long == 0, format!("{long} line(s) over 350 characters")),
    ]
}

/// Selects the variant with the highest ATS score and returns its index. Ties (within 0.001)
/// go to the shorter resume (the same coverage in less space reads better), then to the
/// earlier variant. A NaN score never wins. `None` when there are no variants.
pub fn optimize_for_ats(variants: &mut [TailoredResume]) -> Option<usize> {
    let mut best: Option<(usize, f64, usize)> = None;
    for (i, v) in variants.iter().enumerate() {
        let score = if v.ats_score.is_nan() { f64::NEG_INFINITY } else { v.ats_score };
        let len = resume_text(v).len();
        let better = match best {
            None => true,
            Some((_, b, _)) if score > b + 1e-3 => true,
            Some((_, b, blen)) => (score - b).abs() <= 1e-3 && score.is_finite() && len < blen,
        };
        if better {
            best = Some((i, score, len));
        }
    }
    let (idx, _, _) = best?;
    for (i, v) in variants.iter_mut().enumerate() {
        v.selected = i == idx;
    }
    Some(idx)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::generate::{generate_variants, template_resume};
    use crate::test_support::{analysis, job, sample_profile};
    use domain::ApplicationId;

    #[test]
    fn score_is_the_covered_share() {
        let p = sample_profile();
        let r = template_resume(&p, &job("x", ""), ApplicationId::from_uuid(Default::default()));
        let a = analysis(&["kafka", "rust", "Kafka", "cobol"], &["ledger", "underwater"]);
        let (score, matched) = ats_score(&r, &a);
        assert_eq!(matched, ["kafka", "rust", "ledger"]);
        assert!((score - 3.0 / 5.0).abs() < 1e-9, "{score}");
        assert_eq!(ats_score(&r, &analysis(&[], &[])), (0.0, vec![]));
    }

    #[test]
    fn optimizer_picks_the_best_then_the_shorter_then_the_first() {
        let p = sample_profile();
        let a = analysis(&["kafka", "kubernetes", "react"], &["dashboards"]);
        let mut v = generate_variants(&p, &job("x", ""), &a, ApplicationId::from_uuid(Default::default()), 3);
        for r in &mut v {
            r.ats_score = 0.5;
        }
        v[1].ats_score = 0.9;
        assert_eq!(optimize_for_ats(&mut v), Some(1));
        assert_eq!(v.iter().filter(|r| r.selected).count(), 1);
        // A tie goes to the shorter resume: concise (v3) says the same in less space.
        v[2].ats_score = 0.9;
        v[0].ats_score = f64::NAN;
        assert!(resume_text(&v[2]).len() < resume_text(&v[1]).len());
        assert_eq!(optimize_for_ats(&mut v), Some(2));
        assert!(v[2].selected && !v[1].selected);
        // Same score and same text: the earlier variant.
        let twins = vec![v[1].clone(), v[1].clone()];
        let mut twins = twins;
        assert_eq!(optimize_for_ats(&mut twins), Some(0));
        assert_eq!(optimize_for_ats(&mut []), None);
    }

    #[test]
    fn report_counts_before_and_after_and_asks_instead_of_inserting() {
        let p = sample_profile();
        let j = job("x", "");
        let a = analysis(&["kafka", "cobol", "react"], &["ledger"]);
        let base = template_resume(&p, &j, ApplicationId::from_uuid(Default::default()));
        let v = generate_variants(&p, &j, &a, ApplicationId::from_uuid(Default::default()), 3);
        let report = ats_report(&v[2], &base, &p, &a);
        assert!((report.coverage_before - 0.75).abs() < 1e-9, "{report:?}");
        assert!(report.missing_keywords.contains(&"cobol".to_owned()));
        assert_eq!(report.questions.len(), 1, "only cobol is absent from the whole profile: {report:?}");
        assert!(report.questions[0].contains("cobol"));
        assert!(!serde_json::to_string(&v[2]).unwrap().to_lowercase().contains("cobol"));
        assert!(report.readability.iter().all(|c| c.passed), "{:?}", report.readability);
    }

    #[test]
    fn questions_name_only_requirements_at_most_ten_most_important_first() {
        use crate::facts::Vocabulary;
        let p = sample_profile();
        let mut a = analysis(&[], &["amp", "nbsp", "tools", "code", "base", "engineering", "craft", "snowflake"]);
        a.required_skills = ["Kafka", "COBOL", "Fortran", "Haskell", "Elixir", "Scala", "Erlang", "OCaml", "Julia"]
            .map(String::from)
            .to_vec();
        a.preferred_skills = ["Zig", "Nim", "k8s", "Lua"].map(String::from).to_vec();
        a.skills = [a.required_skills.clone(), a.preferred_skills.clone(), vec!["Perl".into()]].concat();
        a.certifications = vec!["CKA".into()];
        // The analysis weighs Zig over everything but the required skills.
        a.weighted_keywords = vec![domain::WeightedKeyword { term: "Zig".into(), weight: 0.95 }];
        let q = questions(&a, &Vocabulary::of(&p));
        assert_eq!(q.len(), MAX_QUESTIONS, "{q:#?}");
        let named: Vec<&str> = q.iter().map(|q| q.split('"').nth(1).unwrap()).collect();
        // Kafka and k8s (Kubernetes) are the profile's; required first, then Zig (0.95), CKA (0.9).
        assert_eq!(named, ["COBOL", "Fortran", "Haskell", "Elixir", "Scala", "Erlang", "OCaml", "Julia", "Zig", "CKA"]);
        assert!(q[0].starts_with("The job requires \"COBOL\"") && q[9].contains("certification"), "{q:#?}");
        // With requirements placed, neither the keywords nor skills merely mentioned are asked.
        let all = q.join(" ").to_lowercase();
        for word in ["amp", "nbsp", "tools", "code", "base", "engineering", "craft", "snowflake", "perl", "lua"] {
            assert!(!all.contains(&format!("\"{word}\"")), "{word}: {q:#?}");
        }
        // A posting with no placed requirement: the skills it names and its keywords that are
        // dictionary skills, never the rest.
        let loose = analysis(&["Perl"], &["amp", "nbsp", "tools", "code", "base", "engineering", "snowflake"]);
        let q = questions(&loose, &Vocabulary::of(&p));
        assert_eq!(q.len(), 2, "{q:#?}");
        assert!(q[0].contains("\"Perl\"") && q[1].contains("\"Snowflake\""), "{q:#?}");
    }

    #[test]
    fn generated_scores_are_consistent() {
        let p = sample_profile();
        let a = analysis(&["kafka", "kubernetes", "react"], &["dashboards"]);
        let mut v = generate_variants(&p, &job("x", ""), &a, ApplicationId::from_uuid(Default::default()), 3);
        for r in &v {
            assert_eq!(ats_score(r, &a), (r.ats_score, r.matched_keywords.clone()));
            assert!((0.0..=1.0).contains(&r.ats_score));
        }
        let idx = optimize_for_ats(&mut v).unwrap();
        let best = v.iter().map(|r| r.ats_score).fold(0.0, f64::max);
        assert_eq!(v[idx].ats_score, best);
        assert!(v[idx].selected);
    }
}
