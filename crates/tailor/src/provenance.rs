//! Provenance: for every line of a tailored resume's JSON Resume form, the profile entry it came
//! from, derived from the selection a strategy made.

use crate::json_resume::{json_resume_value, leaves};
use domain::resume::LineProvenance;
use domain::{Profile, TailoredResume};

/// What a strategy selected, as indices into the profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    /// Profile work index and the selected highlight indices, in resume order.
    pub work: Vec<(usize, Vec<usize>)>,
    /// Profile skill entry index and the selected keyword indices (empty for an ungrouped
    /// skill, which is its name), in resume order.
    pub skills: Vec<(usize, Vec<usize>)>,
    pub projects: Vec<(usize, Vec<usize>)>,
    pub education: Vec<usize>,
    pub certificates: Vec<usize>,
    pub summary: bool,
    pub work_summaries: bool,
}

/// One provenance entry per string of the resume's JSON Resume form.
pub(crate) fn build(resume: &TailoredResume, sources: &Sources, profile: &Profile) -> Vec<LineProvenance> {
    leaves(&json_resume_value(resume, profile))
        .into_iter()
        .filter_map(|(path, _)| {
            let source = source_of(&path, sources)?;
            Some(LineProvenance { path, sources: vec![source], rewritten: false })
        })
        .collect()
}

fn source_of(path: &str, s: &Sources) -> Option<String> {
    let segs: Vec<&str> = path.split('/').skip(1).collect();
    let section = *segs.first()?;
    let index = || segs.get(1).and_then(|i| i.parse::<usize>().ok());
    let rest = || segs.get(2..).map(|r| r.join("/")).unwrap_or_default();
    // An entry with a selected list (bullets, a group's keywords): list items map through the
    // selection, other fields to the same field of the source entry.
    let with_list = |name: &str, list: &str, (src, picked): &(usize, Vec<usize>)| {
        if segs.get(2) == Some(&list) {
            let j: usize = segs.get(3)?.parse().ok()?;
            Some(format!("/{name}/{src}/{list}/{}", picked.get(j)?))
        } else {
            Some(format!("/{name}/{src}/{}", rest()))
        }
    };
    match section {
        "work" => with_list("work", "highlights", s.work.get(index()?)?),
        "projects" => with_list("projects", "highlights", s.projects.get(index()?)?),
        "skills" => with_list("skills", "keywords", s.skills.get(index()?)?),
        "education" => Some(format!("/education/{}/{}", s.education.get(index()?)?, rest())),
        "certificates" => Some(format!("/certificates/{}/{}", s.certificates.get(index()?)?, rest())),
        _ => Some(path.to_owned()),
    }
}
