//! The optional cover letter: built only from the profile's facts (a tailored variant's summary
//! and top bullets, verbatim) and the job's company and title as the *addressee*, under the
//! same truth guard.

use crate::facts::resolve;
use domain::{Job, Profile, TailoredResume};
use serde::Serialize;

/// What a cover letter line is, which decides how the guard checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Names the job (company, title): the only place job text may appear.
    Addressee,
    /// A profile line, verbatim.
    Fact,
    /// "In my role as {position} at {employer}:" from the profile's own entry.
    Role,
    /// Fixed wording with no facts ("Thank you for your consideration.").
    Closing,
}

/// One line of a cover letter and the profile entries behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverLine {
    pub kind: LineKind,
    pub text: String,
    pub sources: Vec<String>,
}

/// A cover letter, line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverLetter {
    pub lines: Vec<CoverLine>,
}

impl CoverLetter {
    /// Plain text, bullets as `- ` lines, a blank line between paragraphs.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, l) in self.lines.iter().enumerate() {
            let bullet = l.kind == LineKind::Fact && l.sources.iter().any(|s| s.contains("/highlights/"));
            let next_bullet =
                self.lines.get(i + 1).is_some_and(|n| n.sources.iter().any(|s| s.contains("/highlights/")));
            if bullet {
                out.push_str("- ");
            }
            out.push_str(&l.text);
            out.push('\n');
            if !(l.kind == LineKind::Role || (bullet && next_bullet)) {
                out.push('\n');
            }
        }
        out.trim_end().to_owned() + "\n"
    }
}

const CLOSING: &str = "Thank you for your consideration.";
const KIND_REGARDS: &str = "Kind regards,";

fn addressee_lines(job: &Job) -> [String; 2] {
    let clean = |s: &str| s.lines().next().unwrap_or("").chars().take(100).collect::<String>().trim().to_owned();
    let (company, title) = (clean(&job.company), clean(&job.title));
    let company = if company.is_empty() { "the".to_owned() } else { company };
    [format!("Dear {company} hiring team,"), format!("I am applying for the {title} role.")]
}

fn role_line(position: &str, employer: &str) -> String {
    format!("In my role as {position} at {employer}:")
}

/// A cover letter from a (verbatim or guarded) variant: its summary, its latest role and that
/// role's first three bullets. Texts come from the profile through the variant's provenance.
pub fn cover_letter(variant: &TailoredResume, profile: &Profile, job: &Job) -> CoverLetter {
    let source = |path: &str| variant.provenance.iter().find(|p| p.path == path).map(|p| p.sources.clone());
    let fact = |path: &str| {
        let sources = source(path)?;
        let text = resolve(profile, sources.first()?)?;
        Some(CoverLine { kind: LineKind::Fact, text, sources })
    };
    let mut lines: Vec<CoverLine> = addressee_lines(job)
        .into_iter()
        .map(|text| CoverLine { kind: LineKind::Addressee, text, sources: Vec::new() })
        .collect();
    lines.extend(fact("/basics/summary"));
    if let (Some(p), Some(e)) = (source("/work/0/position"), source("/work/0/name")) {
        if let (Some(position), Some(employer)) = (resolve(profile, &p[0]), resolve(profile, &e[0])) {
            let text = role_line(&position, &employer);
            lines.push(CoverLine { kind: LineKind::Role, text, sources: vec![p[0].clone(), e[0].clone()] });
            lines.extend((0..3).filter_map(|j| fact(&format!("/work/0/highlights/{j}"))));
        }
    }
    lines.push(CoverLine { kind: LineKind::Closing, text: CLOSING.to_owned(), sources: Vec::new() });
    lines.push(CoverLine { kind: LineKind::Closing, text: KIND_REGARDS.to_owned(), sources: Vec::new() });
    lines.extend(fact("/basics/name"));
    CoverLetter { lines }
}

/// Why a cover letter fails the truth guard; empty when every line is the profile's own text,
/// an addressee line naming the job, or fixed closing wording.
pub fn verify_cover_letter(letter: &CoverLetter, profile: &Profile, job: &Job) -> Vec<String> {
    let addressees = addressee_lines(job);
    let mut reasons = Vec::new();
    for (i, l) in letter.lines.iter().enumerate() {
        let texts: Vec<Option<String>> = l.sources.iter().map(|s| resolve(profile, s)).collect();
        let ok = match l.kind {
            LineKind::Addressee => l.sources.is_empty() && addressees.contains(&l.text),
            LineKind::Closing => l.sources.is_empty() && (l.text == CLOSING || l.text == KIND_REGARDS),
            LineKind::Fact => texts.iter().any(|t| t.as_deref() == Some(l.text.as_str())),
            LineKind::Role => match texts.as_slice() {
                [Some(p), Some(e)] => l.text == role_line(p, e),
                _ => false,
            },
        };
        if !ok {
            reasons.push(format!("cover letter line {i} ({:?}) does not trace to the profile: {:?}", l.kind, l.text));
        }
    }
    reasons
}
