//! Resume rendering: a JSON Resume ([`domain::profile::Resume`]) to a typeset PDF (Typst,
//! embedded, fonts in the binary), HTML, Markdown, LaTeX source, DOCX, or JSON Resume, with
//! a content-addressed artifact store ([`artifacts`]).
//!
//! Every format draws the same [`view::View`], built once per render. Resume text is data in
//! every format: Typst reads it as JSON, and the other writers escape it for their syntax, so
//! no profile or job string can inject markup. Output is deterministic: the same resume and
//! options always give the same bytes, so renders can be hashed, cached and snapshot-tested.
//!
//! The older [`markdown`] and [`html`] functions take a [`domain::TailoredResume`] (the
//! workflow's generator uses them) and go through the same writers.

pub mod artifacts;
mod docx;
mod html;
mod jsonresume;
mod latex;
mod markdown;
mod objstore;
mod typeset;
pub mod view;

use domain::profile::Resume;
use std::fmt;
use std::str::FromStr;

pub use html::html;
pub use jsonresume::{json_resume, SCHEMA as JSON_RESUME_SCHEMA};
pub use markdown::markdown;
pub use objstore::ObjectStoreArtifacts;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Pdf,
    Html,
    Md,
    Tex,
    Docx,
    Json,
}

impl Format {
    pub const ALL: [Format; 6] = [Format::Pdf, Format::Html, Format::Md, Format::Tex, Format::Docx, Format::Json];

    /// The name used on the command line and as the file extension.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Md => "md",
            Format::Tex => "tex",
            Format::Docx => "docx",
            Format::Json => "json",
        }
    }

    /// The media type of the rendered bytes.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Html => "text/html; charset=utf-8",
            Format::Md => "text/markdown; charset=utf-8",
            Format::Tex => "application/x-tex",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Json => "application/json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = RenderError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s.to_ascii_lowercase())
            .ok_or_else(|| RenderError::UnknownFormat(s.to_string()))
    }
}

/// What to render. `pages` (1 or 2) is the page budget; `None` lets the document run long.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RenderOptions {
    pub template: String,
    pub format: Format,
    pub pages: Option<u8>,
}

/// Why a render failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("unknown template `{0}` (see `applyflow templates list`)")]
    UnknownTemplate(String),
    #[error("unknown format `{0}` (expected pdf, html, md, tex, docx or json)")]
    UnknownFormat(String),
    #[error("the page budget must be 1 or 2, got {0}")]
    BadPages(u8),
    #[error("the resume does not fit in {budget} page(s) even with everything optional dropped ({pages} pages)")]
    PageBudget { budget: u8, pages: usize },
    #[error("typesetting failed: {0}")]
    Typst(String),
    #[error("docx writer failed: {0}")]
    Docx(String),
    #[error("artifact store: {0}")]
    Store(String),
}

/// A template's name and what it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateInfo {
    pub name: &'static str,
    pub description: &'static str,
}

/// The templates, in the order `applyflow templates list` prints them.
pub fn templates() -> Vec<TemplateInfo> {
    typeset::TEMPLATES.iter().map(|(name, description, _)| TemplateInfo { name, description }).collect()
}

/// Pre-built rendering state: the Typst library, parsed fonts and parsed template sources.
/// `Send + Sync`; build one and share it (e.g. in an `Arc`) across threads.
pub struct Renderer {
    typesetter: typeset::Typesetter,
    renders: std::sync::atomic::AtomicUsize,
}

impl Renderer {
    /// Parses the embedded fonts and templates (a few milliseconds; do it once).
    pub fn new() -> Result<Self, RenderError> {
        Ok(Self { typesetter: typeset::Typesetter::new()?, renders: Default::default() })
    }

    /// The font families the templates can use (all embedded).
    pub fn font_families(&self) -> Vec<String> {
        self.typesetter.families()
    }

    /// Renders `resume` as `opts` asks. With a page budget, every format carries the same
    /// content as the PDF that fits the budget (same bullets dropped).
    pub fn render(&self, resume: &Resume, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
        if !typeset::TEMPLATES.iter().any(|(name, _, _)| *name == opts.template) {
            return Err(RenderError::UnknownTemplate(opts.template.clone()));
        }
        if let Some(p) = opts.pages {
            if !(1..=2).contains(&p) {
                return Err(RenderError::BadPages(p));
            }
        }
        if opts.format == Format::Json {
            return serde_json::to_vec_pretty(&json_resume(resume)).map_err(|e| RenderError::Store(e.to_string()));
        }
        let full = view::build(resume);
        if opts.format == Format::Pdf {
            let fitted = self.fit(&opts.template, &full, opts.pages)?;
            let pdf = self.typesetter.pdf(&fitted.doc);
            self.evict();
            return pdf;
        }
        let view = match opts.pages {
            Some(_) => self.fit(&opts.template, &full, opts.pages)?.view,
            None => full,
        };
        Ok(match opts.format {
            Format::Html => html::render(&view, &opts.template).into_bytes(),
            Format::Md => markdown::render(&view).into_bytes(),
            Format::Tex => latex::render(&view, &opts.template).into_bytes(),
            Format::Docx => docx::render(&view)?,
            Format::Pdf | Format::Json => Vec::new(),
        })
    }

    /// How many pages the PDF of `resume` has with `opts` (after fitting the page budget).
    pub fn page_count(&self, resume: &Resume, opts: &RenderOptions) -> Result<usize, RenderError> {
        let fitted = self.fit(&opts.template, &view::build(resume), opts.pages)?;
        Ok(fitted.doc.pages().len())
    }

    /// Typst memoizes layout in a process-wide cache; every 64 renders, entries unused for
    /// the last few evictions are dropped so a long-running process stays bounded.
    fn evict(&self) {
        let n = self.renders.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n % 64 == 63 {
            comemo::evict(4);
        }
    }

    /// Lays the view out within the page budget: first at normal spacing, then tighter
    /// spacing, then (at the tightest spacing) dropping the shortest prefix of
    /// [`view::View::drop_order`] that makes it fit, found by binary search.
    fn fit(&self, template: &str, full: &view::View, budget: Option<u8>) -> Result<Fitted, RenderError> {
        let Some(budget) = budget else {
            let doc = self.typesetter.layout(template, full, 0)?;
            return Ok(Fitted { doc, view: full.clone() });
        };
        let fits = |doc: &typst_layout::PagedDocument| doc.pages().len() <= usize::from(budget);
        for density in 0..=2 {
            let doc = self.typesetter.layout(template, full, density)?;
            if fits(&doc) {
                return Ok(Fitted { doc, view: full.clone() });
            }
        }
        let n = full.drop_order().len();
        let bare = full.trimmed(n);
        let doc = self.typesetter.layout(template, &bare, 2)?;
        if !fits(&doc) {
            return Err(RenderError::PageBudget { budget, pages: doc.pages().len() });
        }
        let mut best = Fitted { doc, view: bare };
        let (mut lo, mut hi) = (1, n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let view = full.trimmed(mid);
            let doc = self.typesetter.layout(template, &view, 2)?;
            if fits(&doc) {
                hi = mid;
                best = Fitted { doc, view };
            } else {
                lo = mid + 1;
            }
        }
        Ok(best)
    }
}

struct Fitted {
    doc: typst_layout::PagedDocument,
    view: view::View,
}

/// A [`domain::TailoredResume`] as a JSON Resume (name, label, email, summary, skills, work).
pub fn tailored_to_resume(r: &domain::TailoredResume) -> Resume {
    use domain::profile::{Basics, Skill, Work};
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Resume {
        basics: Basics {
            name: some(&r.name),
            label: r.label.clone(),
            email: r.email.clone(),
            summary: r.summary.clone(),
            ..Basics::default()
        },
        // The profile's groups as they are; ungrouped skills alone read as one "Skills" line.
        skills: if r.skills.iter().any(Skill::is_group) {
            r.skills.clone()
        } else if r.skills.is_empty() {
            Vec::new()
        } else {
            let names = r.skill_names().into_iter().map(str::to_owned).collect();
            vec![Skill { name: Some("Skills".into()), level: None, keywords: names }]
        },
        work: r
            .work
            .iter()
            .map(|w| Work {
                name: some(&w.organization),
                position: some(&w.position),
                start_date: w.start_date.clone(),
                end_date: w.end_date.clone(),
                summary: w.summary.clone(),
                highlights: w.highlights.clone(),
                ..Work::default()
            })
            .collect(),
        ..Resume::default()
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use domain::{TailoredResume, TailoredSection};

    pub(crate) fn resume() -> TailoredResume {
        TailoredResume {
            application_id: domain::ApplicationId::from_uuid(Default::default()),
            job_id: domain::JobId::from_uuid(Default::default()),
            user_id: domain::UserId::from_uuid(Default::default()),
            variant_id: "v1".into(),
            name: "Alex Rivera".into(),
            label: Some("Senior Backend & Platform Engineer".into()),
            email: Some("alex.rivera@example.com".into()),
            summary: Some("Builds *reliable* systems in Rust, Go & Python.".into()),
            skills: vec!["Rust".into(), "C#".into(), "PostgreSQL".into()],
            work: vec![
                TailoredSection {
                    organization: "Northwind Payments".into(),
                    position: "Senior Platform Engineer".into(),
                    start_date: Some("2021-04".into()),
                    end_date: None,
                    summary: Some("Platform team lead.".into()),
                    highlights: vec![
                        "Cut p99 latency to under 40 ms <script>alert(1)</script>".into(),
                        "Ran 120 services on Kubernetes".into(),
                    ],
                },
                TailoredSection {
                    organization: "Brightline Logistics".into(),
                    position: "Backend Engineer".into(),
                    start_date: Some("2018-02".into()),
                    end_date: Some("2021-03".into()),
                    summary: None,
                    highlights: vec![],
                },
            ],
            ats_score: 0.5,
            matched_keywords: vec!["rust".into()],
            selected: true,
            strategy: String::new(),
            sections: Vec::new(),
            education: Vec::new(),
            certificates: Vec::new(),
            projects: Vec::new(),
            provenance: Vec::new(),
            ats_report: None,
            guard: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        assert!("rtf".parse::<Format>().is_err());
        assert_eq!(templates().iter().map(|t| t.name).collect::<Vec<_>>(), ["classic", "modern", "ats"]);
    }
}
