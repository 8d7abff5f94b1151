//! The match score between a profile and a job, with its explanation: which of the job's skills
//! the profile has, which it lacks, which it could cover with a sibling of the same family,
//! how its years of experience compare, and whether the job's place suits the preferences.
//!
//! Score = 60 % skills + 20 % experience + 20 % location, each part in `0..=1`. Skills weigh
//! required twice preferred; a transferable skill counts half.

use crate::extract::find_skills;
use crate::taxonomy::{normalize_skill, skill_family};
use crate::text::contains_word;
use chrono::{DateTime, Datelike, Utc};
use domain::{Job, JobAnalysis, MatchScore, Profile, WorkplaceType};
use std::collections::BTreeSet;

const SKILL_SHARE: f64 = 0.6;
const EXPERIENCE_SHARE: f64 = 0.2;
const LOCATION_SHARE: f64 = 0.2;

/// The canonical skills a profile shows: its skill names and keywords, plus every taxonomy skill
/// its summary, work and projects mention.
pub fn profile_skills(profile: &Profile) -> BTreeSet<String> {
    let r = &profile.resume;
    let mut out: BTreeSet<String> = BTreeSet::new();
    let mut add_name = |n: &str| {
        if let Some(c) = normalize_skill(n) {
            out.insert(c.to_owned());
        }
    };
    for s in &r.skills {
        s.name.iter().for_each(|n| add_name(n));
        s.keywords.iter().for_each(|k| add_name(k));
    }
    for p in &r.projects {
        p.keywords.iter().for_each(|k| add_name(k));
    }
    let mut text: Vec<&str> = Vec::new();
    text.extend(r.basics.summary.as_deref());
    text.extend(r.basics.label.as_deref());
    for w in &r.work {
        text.extend(w.position.as_deref());
        text.extend(w.summary.as_deref());
        text.extend(w.highlights.iter().map(String::as_str));
    }
    for p in &r.projects {
        text.extend(p.description.as_deref());
        text.extend(p.highlights.iter().map(String::as_str));
    }
    for s in &r.skills {
        text.extend(s.name.as_deref());
        text.extend(s.keywords.iter().map(String::as_str));
    }
    let joined = text.join("\n");
    out.extend(find_skills("", &joined, "").into_iter().map(|f| f.name.to_owned()));
    out
}

/// A JSON Resume date ("2020-03-15", "2020-03", "2020") as a month count.
fn month_index(date: &str) -> Option<i64> {
    let mut parts = date.trim().split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next().map_or(Some(1), |m| m.parse().ok())?;
    ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some(year * 12 + month - 1)
}

/// Years of work experience: the union of the work entries' date ranges (overlaps count once),
/// an open-ended entry running to `now`.
pub fn profile_years(profile: &Profile, now: DateTime<Utc>) -> f64 {
    let now_month = i64::from(now.year()) * 12 + i64::from(now.month0());
    let mut ranges: Vec<(i64, i64)> = profile
        .resume
        .work
        .iter()
        .filter_map(|w| {
            let start = month_index(w.start_date.as_deref()?)?;
            let end = w.end_date.as_deref().and_then(month_index).unwrap_or(now_month);
            (end >= start).then_some((start, end + 1))
        })
        .collect();
    ranges.sort_unstable();
    let mut months = 0;
    let mut reach = i64::MIN;
    for (s, e) in ranges {
        let s = s.max(reach);
        if e > s {
            months += e - s;
        }
        reach = reach.max(e);
    }
    months as f64 / 12.0
}

/// 1 when the profile has at least the years asked for (or none are asked), else the share.
fn experience_fit(have: f64, want: Option<u32>) -> f64 {
    match want {
        None | Some(0) => 1.0,
        Some(w) => (have / f64::from(w)).clamp(0.0, 1.0),
    }
}

/// The job's place against the preferences: the workplace must be acceptable (unknown counts
/// half) and, unless the job is remote, its location must name an acceptable place.
fn location_fit(profile: &Profile, job: &Job, analysis: &JobAnalysis) -> (f64, String) {
    let prefs = &profile.preferences;
    let workplace = match analysis.workplace {
        WorkplaceType::Unknown => job.workplace,
        w => w,
    };
    let workplace_fit = if prefs.workplaces.is_empty() || prefs.workplaces.contains(&workplace) {
        1.0
    } else if workplace == WorkplaceType::Unknown {
        0.5
    } else {
        0.0
    };
    let place = analysis.location.clone().unwrap_or_else(|| job.location.clone());
    let place_fit = if prefs.locations.is_empty()
        || workplace == WorkplaceType::Remote
        || prefs.locations.iter().any(|l| contains_word(&place, l))
    {
        1.0
    } else {
        0.0
    };
    let fit = workplace_fit * place_fit;
    let what = if place.trim().is_empty() {
        workplace.as_str().to_owned()
    } else {
        format!("{} ({place})", workplace.as_str())
    };
    let note = if fit >= 1.0 {
        format!("{what} fits your preferences")
    } else if fit > 0.0 {
        format!("{what} may fit your preferences")
    } else {
        format!("{what} is outside your preferences")
    };
    (fit, note)
}

/// How well `profile` fits `job` as `analysis` reads it (0–100) and why. Deterministic: open-ended
/// work entries run to the job's discovery time, not the clock.
pub fn match_score(profile: &Profile, job: &Job, analysis: &JobAnalysis) -> MatchScore {
    let have = profile_skills(profile);
    let has = |s: &str| have.contains(s) || normalize_skill(s).is_some_and(|c| have.contains(c));
    let (required, preferred): (&[String], &[String]) =
        if analysis.required_skills.is_empty() && analysis.preferred_skills.is_empty() {
            (&analysis.skills, &[])
        } else {
            (&analysis.required_skills, &analysis.preferred_skills)
        };
    let sibling = |s: &str| {
        let family = skill_family(s)?;
        have.iter().find(|h| skill_family(h) == Some(family)).cloned()
    };
    let (mut matched, mut missing, mut transferable) = (Vec::new(), Vec::new(), Vec::new());
    let (mut earned, mut possible) = (0.0, 0.0);
    for (list, weight) in [(required, 2.0), (preferred, 1.0)] {
        for s in list {
            possible += weight;
            if has(s) {
                earned += weight;
                matched.push(s.clone());
            } else {
                if let Some(h) = sibling(s) {
                    earned += weight / 2.0;
                    transferable.push(format!("{s} ← {h}"));
                }
                missing.push(s.clone());
            }
        }
    }
    let skill_fit = if possible > 0.0 { earned / possible } else { 0.5 };
    let years = profile_years(profile, job.discovered_at);
    let exp_fit = experience_fit(years, analysis.years_experience);
    let (loc_fit, loc_note) = location_fit(profile, job, analysis);
    let score = (100.0 * (SKILL_SHARE * skill_fit + EXPERIENCE_SHARE * exp_fit + LOCATION_SHARE * loc_fit)).round();

    let mut explanation = if possible > 0.0 {
        let req_matched = required.iter().filter(|s| has(s)).count();
        format!("Matches {req_matched} of {} required skills", required.len())
    } else {
        "The posting names no skills".to_owned()
    };
    let req_missing: Vec<&str> = required.iter().filter(|s| !has(s)).map(String::as_str).take(5).collect();
    if !req_missing.is_empty() {
        explanation.push_str(&format!(" (missing {})", req_missing.join(", ")));
    }
    if !transferable.is_empty() {
        explanation.push_str(&format!("; transferable: {}", transferable.join(", ")));
    }
    match analysis.years_experience {
        Some(want) => explanation.push_str(&format!("; {years:.1} years of experience against {want} asked")),
        None => explanation.push_str(&format!("; {years:.1} years of experience, none asked")),
    }
    explanation.push_str(&format!("; {loc_note}."));

    MatchScore {
        score: score.clamp(0.0, 100.0) as u8,
        matched_keywords: matched,
        missing_keywords: missing,
        transferable_keywords: transferable,
        experience_fit: (exp_fit * 100.0).round() / 100.0,
        location_fit: (loc_fit * 100.0).round() / 100.0,
        explanation,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::HeuristicAnalyzer;
    use domain::Preferences;

    fn profile(prefs: Preferences) -> Profile {
        let resume = serde_json::json!({
            "basics": {"name": "Sam Doe", "summary": "Backend engineer building services in Rust."},
            "work": [
                {"name": "A", "position": "Engineer", "startDate": "2016-01", "endDate": "2019-12",
                 "highlights": ["Ran Postgres and k8s clusters on AWS"]},
                {"name": "B", "position": "Engineer", "startDate": "2019-06", "highlights": ["Built Kafka pipelines"]}
            ],
            "skills": [{"name": "Languages", "keywords": ["Rust", "golang"]}]
        });
        Profile::from_parts(resume, prefs, "").unwrap()
    }

    fn job(location: &str, workplace: WorkplaceType, description: &str) -> Job {
        Job {
            id: "00000000-0000-7000-8000-000000000001".parse().unwrap(),
            user_id: "00000000-0000-7000-8000-000000000002".parse().unwrap(),
            source: "test".into(),
            source_id: "1".into(),
            company: "Northwind".into(),
            title: "Platform Engineer".into(),
            location: location.into(),
            workplace,
            salary: None,
            description: description.into(),
            apply_url: String::new(),
            posted_at: None,
            discovered_at: "2026-01-15T00:00:00Z".parse().unwrap(),
            content_hash: String::new(),
            application_questions: None,
        }
    }

    const AD: &str = "Requirements\n- 8+ years with Go, Kubernetes and GCP\n- PostgreSQL and Terraform\n\nNice to have\n- Kafka\n- Figma\n";

    #[test]
    fn matched_missing_and_transferable() {
        let j = job("London", WorkplaceType::Hybrid, AD);
        let a = HeuristicAnalyzer.analyze(&j);
        let m = match_score(&profile(Preferences::default()), &j, &a);
        for s in ["Go", "Kubernetes", "PostgreSQL", "Kafka"] {
            assert!(m.matched_keywords.contains(&s.to_owned()), "{s}: {m:?}");
        }
        for s in ["GCP", "Terraform", "Figma"] {
            assert!(m.missing_keywords.contains(&s.to_owned()), "{s}: {m:?}");
        }
        assert_eq!(m.transferable_keywords, ["GCP ← AWS"]);
        // 2016-01..2026-01 with the overlap counted once: 10 years against 8 asked.
        assert_eq!(m.experience_fit, 1.0);
        assert_eq!(m.location_fit, 1.0);
        assert!(m.explanation.contains("Matches 3 of 5 required skills (missing GCP, Terraform)"), "{}", m.explanation);
        assert!((60..=95).contains(&m.score), "{m:?}");
    }

    #[test]
    fn experience_and_location_fit() {
        let prefs = Preferences {
            locations: vec!["Berlin".into()],
            workplaces: vec![WorkplaceType::Remote, WorkplaceType::Hybrid],
            ..Preferences::default()
        };
        let p = profile(prefs);
        let mut j = job("Paris", WorkplaceType::Onsite, "Requirements\n- 20 years of Rust experience\n");
        let a = HeuristicAnalyzer.analyze(&j);
        let m = match_score(&p, &j, &a);
        assert_eq!(m.location_fit, 0.0);
        assert_eq!(m.experience_fit, 0.5);
        assert!(m.explanation.contains("outside your preferences"), "{}", m.explanation);
        j.workplace = WorkplaceType::Remote;
        assert_eq!(match_score(&p, &j, &HeuristicAnalyzer.analyze(&j)).location_fit, 1.0);
        j.workplace = WorkplaceType::Hybrid;
        j.location = "Berlin, Germany".into();
        assert_eq!(match_score(&p, &j, &HeuristicAnalyzer.analyze(&j)).location_fit, 1.0);
        assert!(match_score(&p, &j, &HeuristicAnalyzer.analyze(&j)).score > m.score);
    }

    #[test]
    fn years_union_overlaps_and_reads_partial_dates() {
        let p = profile(Preferences::default());
        let now: DateTime<Utc> = "2020-01-01T00:00:00Z".parse().unwrap();
        // 2016-01..2019-12 (48 months) plus 2019-06..2020-01 minus the overlap: 49 months.
        assert!((profile_years(&p, now) - 49.0 / 12.0).abs() < 1e-9, "{}", profile_years(&p, now));
        assert_eq!(month_index("2020"), Some(2020 * 12));
        assert_eq!(month_index("2020-13"), None);
        assert_eq!(month_index("soon"), None);
    }
}
