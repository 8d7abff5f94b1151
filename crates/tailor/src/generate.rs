//! The GeneratorAgent's strategies: resume variants for one job, each a different selection and
//! ordering of the profile's own facts, fitted to a page budget, with every line's provenance.

use crate::ats::ats_score;
use crate::facts::{skill_entries, skill_facts};
use crate::provenance::{build, Sources};
use crate::relevance::{first_term_index, job_terms, relevance};
use domain::profile::Skill;
use domain::{ApplicationId, Job, JobAnalysis, Profile, TailoredResume, TailoredSection};

/// The strategies' names, in variant order (`v1`, `v2`, `v3`).
pub const VARIANT_STRATEGIES: [&str; 3] = ["skills_first", "impact_first", "concise"];

/// How a variant selects and orders the profile's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Skills section right after the summary, the groups and skills the job asks for first;
    /// per role the bullets that name the job's terms (up to 4); two pages at most.
    SkillsFirst,
    /// Experience first; per role the bullets with measurable results (numbers) and relevance
    /// (up to 5); skills after projects; two pages at most.
    ImpactFirst,
    /// One page: the skills the job asks for in their groups (filled up to 10), two bullets for
    /// the two latest roles and one for older ones, no role summaries, only relevant projects.
    Concise,
}

impl Strategy {
    pub const ALL: [Self; 3] = [Self::SkillsFirst, Self::ImpactFirst, Self::Concise];

    pub fn name(self) -> &'static str {
        match self {
            Self::SkillsFirst => VARIANT_STRATEGIES[0],
            Self::ImpactFirst => VARIANT_STRATEGIES[1],
            Self::Concise => VARIANT_STRATEGIES[2],
        }
    }

    /// The variant id the learning loop uses: stable per strategy.
    pub fn variant_id(self) -> &'static str {
        match self {
            Self::SkillsFirst => "v1",
            Self::ImpactFirst => "v2",
            Self::Concise => "v3",
        }
    }

    fn sections(self) -> &'static [&'static str] {
        match self {
            Self::SkillsFirst => &["summary", "skills", "work", "projects", "education", "certificates"],
            Self::ImpactFirst => &["summary", "work", "projects", "skills", "education", "certificates"],
            Self::Concise => &["summary", "skills", "work", "education", "certificates", "projects"],
        }
    }

    /// Estimated printed lines the resume may take (about 50 per page).
    fn line_budget(self) -> usize {
        match self {
            Self::Concise => 50,
            _ => 100,
        }
    }
}

/// Characters per printed line, for the page budget.
const LINE_CHARS: usize = 95;

/// Up to `versions` variants (`v1` skills_first, `v2` impact_first, `v3` concise; asking for
/// more gives three), each scored with [`ats_score`] and none selected.
pub fn generate_variants(
    profile: &Profile,
    job: &Job,
    analysis: &JobAnalysis,
    application_id: ApplicationId,
    versions: usize,
) -> Vec<TailoredResume> {
    Strategy::ALL.into_iter().take(versions).map(|s| variant(profile, job, analysis, application_id, s)).collect()
}

/// One strategy's variant, scored.
pub fn variant(
    profile: &Profile,
    job: &Job,
    analysis: &JobAnalysis,
    application_id: ApplicationId,
    strategy: Strategy,
) -> TailoredResume {
    let mut r = tailored(profile, job, analysis, application_id, strategy);
    let (score, matched) = ats_score(&r, analysis);
    r.ats_score = score;
    r.matched_keywords = matched;
    r
}

/// The profile as it is, untailored (variant `template`), for the `fallback_to_template` error
/// strategy and as the "before" of the ATS report. Its score is 0 until the caller runs
/// [`ats_score`](crate::ats_score) with an analysis.
pub fn template_resume(profile: &Profile, job: &Job, application_id: ApplicationId) -> TailoredResume {
    let r = &profile.resume;
    let sources = Sources {
        work: r.work.iter().enumerate().map(|(i, w)| (i, (0..w.highlights.len()).collect())).collect(),
        skills: skill_entries(profile)
            .into_iter()
            .map(|e| (e.index, e.skills.into_iter().filter_map(|(k, _)| k).collect()))
            .collect(),
        projects: r.projects.iter().enumerate().map(|(i, p)| (i, (0..p.highlights.len()).collect())).collect(),
        education: (0..r.education.len()).collect(),
        certificates: (0..r.certificates.len()).collect(),
        summary: true,
        work_summaries: true,
    };
    let sections = ["summary", "work", "projects", "education", "certificates", "skills"];
    assemble(profile, job, application_id, "template", "template", &sources, &sections)
}

/// The profile's skills in their original spelling, deduplicated ignoring case: the same set as
/// [`Profile::skill_words`] (group keywords, ungrouped skills, project keywords; a group's label
/// such as "Languages" is not a skill).
pub fn profile_skills(profile: &Profile) -> Vec<String> {
    skill_facts(profile).into_iter().map(|s| s.text).collect()
}

fn tailored(
    profile: &Profile,
    job: &Job,
    analysis: &JobAnalysis,
    application_id: ApplicationId,
    strategy: Strategy,
) -> TailoredResume {
    let terms = job_terms(analysis);
    let r = &profile.resume;

    let skills = select_skills(profile, &terms, strategy);

    let work = r
        .work
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut ranked: Vec<(usize, usize)> = w
                .highlights
                .iter()
                .enumerate()
                .map(|(j, h)| {
                    let rel = relevance(h, &terms);
                    let impact = usize::from(h.chars().any(|c| c.is_ascii_digit()));
                    let score = match strategy {
                        Strategy::SkillsFirst => rel * 4 + impact,
                        Strategy::ImpactFirst => impact * 6 + rel,
                        Strategy::Concise => rel * 2 + impact,
                    };
                    (j, score)
                })
                .collect();
            ranked.sort_by_key(|(_, score)| std::cmp::Reverse(*score));
            let keep = match strategy {
                Strategy::SkillsFirst => {
                    let relevant = ranked.iter().filter(|(j, _)| relevance(&w.highlights[*j], &terms) > 0).count();
                    relevant.clamp(2, 4)
                }
                Strategy::ImpactFirst => 5,
                Strategy::Concise if i < 2 => 2,
                Strategy::Concise => 1,
            };
            (i, ranked.into_iter().take(keep).map(|(j, _)| j).collect::<Vec<_>>())
        })
        .collect();

    let mut projects: Vec<(usize, usize, Vec<usize>)> = r
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = format!(
                "{} {} {}",
                p.name.as_deref().unwrap_or(""),
                p.description.as_deref().unwrap_or(""),
                p.keywords.join(" ")
            );
            (i, relevance(&text, &terms), (0..p.highlights.len()).collect())
        })
        .collect();
    match strategy {
        Strategy::SkillsFirst => projects.sort_by_key(|(_, rel, _)| std::cmp::Reverse(*rel)),
        Strategy::ImpactFirst => {}
        Strategy::Concise => {
            projects.retain(|(_, rel, _)| *rel > 0);
            projects.sort_by_key(|(_, rel, _)| std::cmp::Reverse(*rel));
            projects.truncate(2);
            projects.iter_mut().for_each(|(_, _, h)| h.truncate(1));
        }
    }

    let mut sources = Sources {
        work,
        skills,
        projects: projects.into_iter().map(|(i, _, h)| (i, h)).collect(),
        education: (0..r.education.len()).collect(),
        certificates: (0..r.certificates.len()).collect(),
        summary: true,
        work_summaries: strategy != Strategy::Concise,
    };
    fit_budget(profile, &mut sources, strategy.line_budget());
    assemble(profile, job, application_id, strategy.variant_id(), strategy.name(), &sources, strategy.sections())
}

/// The skills section for a strategy, as (profile entry, keyword indices): the profile's groups
/// and ungrouped skills, those naming the job's terms first (by the most important term they
/// name), and within a group the keywords the job asks for first; stable sorts keep the
/// profile's order among equals. `concise` keeps every skill the job asks for, fills up to 10
/// with the rest in that order, and drops the entries left empty. Labels are never matched.
fn select_skills(profile: &Profile, terms: &[(String, usize)], strategy: Strategy) -> Vec<(usize, Vec<usize>)> {
    type Ranked = (Option<usize>, Option<usize>);
    let mut entries: Vec<(Option<usize>, usize, Vec<Ranked>)> = skill_entries(profile)
        .into_iter()
        .map(|e| {
            let mut skills: Vec<Ranked> =
                e.skills.iter().map(|(k, text)| (first_term_index(text, terms), *k)).collect();
            skills.sort_by_key(|(rank, _)| rank.unwrap_or(usize::MAX));
            let best = skills.first().and_then(|(rank, _)| *rank);
            (best, e.index, skills)
        })
        .collect();
    entries.sort_by_key(|(best, _, _)| best.unwrap_or(usize::MAX));
    if strategy == Strategy::Concise {
        let matching = entries.iter().flat_map(|(_, _, s)| s).filter(|(rank, _)| rank.is_some()).count();
        let mut room = matching.max(10) - matching;
        for (_, _, skills) in &mut entries {
            skills.retain(|(rank, _)| {
                let keep = rank.is_some() || room > 0;
                if rank.is_none() && keep {
                    room -= 1;
                }
                keep
            });
        }
        entries.retain(|(_, _, skills)| !skills.is_empty());
    }
    entries.into_iter().map(|(_, i, skills)| (i, skills.into_iter().filter_map(|(_, k)| k).collect())).collect()
}

/// Drops the lowest-ranked bullet of the role with the most bullets (the oldest on ties) until
/// the estimated length fits the budget or every role is down to one bullet.
fn fit_budget(profile: &Profile, sources: &mut Sources, budget: usize) {
    let lines = |t: &str| t.chars().count().div_ceil(LINE_CHARS).max(1);
    let r = &profile.resume;
    loop {
        let mut total = 4 + r.basics.summary.as_deref().map_or(0, |s| lines(s) + 1);
        let skill_chars: usize = sources.skills.iter().map(|(_, kws)| kws.len().max(1) + 1).sum::<usize>() * 12;
        total += 2 + skill_chars.div_ceil(LINE_CHARS);
        for (i, hs) in &sources.work {
            let w = &r.work[*i];
            total += 2;
            if sources.work_summaries {
                total += w.summary.as_deref().map_or(0, lines);
            }
            total += hs.iter().map(|j| lines(&w.highlights[*j])).sum::<usize>();
        }
        for (i, hs) in &sources.projects {
            let p = &r.projects[*i];
            total += 1 + p.description.as_deref().map_or(0, lines);
            total += hs.iter().map(|j| lines(&p.highlights[*j])).sum::<usize>();
        }
        total += 2 * r.education.len() + r.certificates.len();
        if total <= budget {
            return;
        }
        let longest = sources.work.iter_mut().rev().filter(|(_, hs)| hs.len() > 1).max_by_key(|(_, hs)| hs.len());
        match longest {
            Some((_, hs)) => {
                hs.pop();
            }
            None => return,
        }
    }
}

/// Builds the resume for a selection, with its provenance.
fn assemble(
    profile: &Profile,
    job: &Job,
    application_id: ApplicationId,
    variant_id: &str,
    strategy: &str,
    sources: &Sources,
    sections: &[&str],
) -> TailoredResume {
    let r = &profile.resume;
    let b = &r.basics;
    let mut resume = TailoredResume {
        application_id,
        job_id: job.id,
        user_id: job.user_id,
        variant_id: variant_id.to_owned(),
        name: b.name.clone().unwrap_or_default(),
        label: b.label.clone(),
        email: b.email.clone(),
        summary: if sources.summary { b.summary.clone() } else { None },
        skills: sources
            .skills
            .iter()
            .map(|(i, kws)| {
                let s = &r.skills[*i];
                Skill {
                    name: s.name.clone(),
                    level: s.level.clone(),
                    keywords: kws.iter().map(|k| s.keywords[*k].clone()).collect(),
                }
            })
            .collect(),
        work: sources
            .work
            .iter()
            .map(|(i, hs)| {
                let w = &r.work[*i];
                TailoredSection {
                    organization: w.name.clone().unwrap_or_default(),
                    position: w.position.clone().unwrap_or_default(),
                    start_date: w.start_date.clone(),
                    end_date: w.end_date.clone(),
                    summary: if sources.work_summaries { w.summary.clone() } else { None },
                    highlights: hs.iter().map(|j| w.highlights[*j].clone()).collect(),
                }
            })
            .collect(),
        ats_score: 0.0,
        matched_keywords: Vec::new(),
        selected: false,
        strategy: strategy.to_owned(),
        sections: Vec::new(),
        education: sources.education.iter().map(|i| r.education[*i].clone()).collect(),
        certificates: sources.certificates.iter().map(|i| r.certificates[*i].clone()).collect(),
        projects: sources
            .projects
            .iter()
            .map(|(i, hs)| {
                let mut p = r.projects[*i].clone();
                p.highlights = hs.iter().map(|j| r.projects[*i].highlights[*j].clone()).collect();
                p
            })
            .collect(),
        provenance: Vec::new(),
        ats_report: None,
        guard: Default::default(),
    };
    resume.sections = sections
        .iter()
        .filter(|s| match **s {
            "summary" => resume.summary.as_deref().is_some_and(|s| !s.trim().is_empty()),
            "skills" => !resume.skills.is_empty(),
            "work" => !resume.work.is_empty(),
            "projects" => !resume.projects.is_empty(),
            "education" => !resume.education.is_empty(),
            "certificates" => !resume.certificates.is_empty(),
            _ => false,
        })
        .map(|s| (*s).to_owned())
        .collect();
    resume.provenance = build(&resume, sources, profile);
    resume
}
