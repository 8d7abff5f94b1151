//! Resume rendering to Markdown and to a standalone HTML page (the pdf-generator service grows
//! here). Output is deterministic: the same resume always renders to the same bytes, so
//! renders can be hashed, cached and snapshot-tested.
//!
//! Every string in a resume is the user's own text, and may contain anything (`<`, `*`, `&`):
//! both renderers escape it, so profile text is never interpreted as markup.

mod html;
mod markdown;

pub use html::html;
pub use markdown::markdown;

/// "2021-04 – Present", "2018-02 – 2021-03", or `None` without a start date.
pub(crate) fn date_range(start: Option<&str>, end: Option<&str>) -> Option<String> {
    match (start.filter(|s| !s.is_empty()), end.filter(|s| !s.is_empty())) {
        (Some(s), Some(e)) => Some(format!("{s} – {e}")),
        (Some(s), None) => Some(format!("{s} – Present")),
        (None, Some(e)) => Some(format!("until {e}")),
        (None, None) => None,
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_ranges() {
        assert_eq!(date_range(Some("2021-04"), None).as_deref(), Some("2021-04 – Present"));
        assert_eq!(date_range(Some("2018"), Some("2021")).as_deref(), Some("2018 – 2021"));
        assert_eq!(date_range(None, Some("2021")).as_deref(), Some("until 2021"));
        assert_eq!(date_range(Some(""), None), None);
    }
}
