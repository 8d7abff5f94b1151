//! The view model every renderer draws: a JSON Resume flattened into a header (name, label,
//! contact items), a summary and an ordered list of sections, each either dated entries
//! (work, projects, education, ...) or label/text rows (skills, languages, interests).
//!
//! Building it is the only place that decides wording ("2021-04 – Present", "BS in Computer
//! Science"), section order and titles, so the six formats say the same thing. Strings are
//! copied as they are (trimmed, line breaks folded to spaces); each renderer escapes them for
//! its own syntax. A URL is kept only when it is `http(s)://` or an e-mail address, so no
//! format ever links to `javascript:` or a local file.

use domain::profile::Resume;
use serde::Serialize;

/// One contact item in the header: the text shown and, when it is linkable, its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub text: String,
    pub url: Option<String>,
}

/// One dated entry: a job, a project, a degree, an award...
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Entry {
    /// The bold line: organization, institution, project or award name.
    pub title: String,
    /// The second line: position, degree, issuer.
    pub subtitle: String,
    pub location: String,
    /// "2021-04 – Present", "2019", or empty.
    pub dates: String,
    pub url: Option<String>,
    pub summary: String,
    pub bullets: Vec<String>,
}

/// One label/text row, e.g. "Languages: Rust, Go".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub label: String,
    pub text: String,
}

/// A section: a title and either entries or rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Stable key: `summary`, `work`, `projects`, `education`, `skills`, ...
    pub key: &'static str,
    pub title: &'static str,
    pub text: String,
    pub entries: Vec<Entry>,
    pub rows: Vec<Row>,
}

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct View {
    pub name: String,
    pub label: String,
    pub contacts: Vec<Contact>,
    pub sections: Vec<Section>,
    /// Document keywords (PDF metadata, HTML `<meta name="keywords">`): skill names and keywords.
    pub keywords: Vec<String>,
}

impl View {
    /// "Name — Label" (or just the name): the document title.
    pub fn title(&self) -> String {
        if self.label.is_empty() {
            format!("{} — Resume", self.name)
        } else {
            format!("{} — {}", self.name, self.label)
        }
    }

    /// What the page budget may drop, least relevant first, once tighter spacing is not
    /// enough: (1) bullets, the last bullets of the oldest entries first, round by round,
    /// keeping each job's first bullet; (2) whole low-priority sections (interests,
    /// volunteering, publications, awards, languages, certificates); (3) the jobs' first
    /// bullets, oldest first; (4) entry summaries, oldest first; (5) projects.
    pub fn drop_order(&self) -> Vec<Drop> {
        let mut out = Vec::new();
        // Entries oldest first: deeper in their section first; projects and volunteering
        // before jobs at the same depth.
        let mut entries: Vec<(usize, usize, usize)> = Vec::new();
        for (s, sec) in self.sections.iter().enumerate() {
            if matches!(sec.key, "work" | "projects" | "volunteer" | "education") {
                for e in 0..sec.entries.len() {
                    let weight = if sec.key == "work" { 0 } else { 1 };
                    entries.push((e * 2 + weight, s, e));
                }
            }
        }
        entries.sort_by(|a, b| b.cmp(a));
        let is_work = |s: usize| self.sections[s].key == "work";
        let max = self.sections.iter().flat_map(|s| &s.entries).map(|e| e.bullets.len()).max().unwrap_or(0);
        // Each round takes the last remaining bullet of every entry, so no entry is
        // stripped bare while another keeps many.
        for round in 0..max {
            for &(_, s, e) in &entries {
                let n = self.sections[s].entries[e].bullets.len();
                let keep = usize::from(is_work(s));
                if round + keep < n {
                    out.push(Drop::Bullet(s, e, n - 1 - round));
                }
            }
        }
        for key in ["interests", "volunteer", "publications", "awards", "languages", "certificates"] {
            out.extend(self.sections.iter().position(|s| s.key == key).map(Drop::Section));
        }
        for &(_, s, e) in entries.iter().filter(|(_, s, _)| is_work(*s)) {
            if !self.sections[s].entries[e].bullets.is_empty() {
                out.push(Drop::Bullet(s, e, 0));
            }
        }
        for &(_, s, e) in &entries {
            if !self.sections[s].entries[e].summary.is_empty() && matches!(self.sections[s].key, "work" | "projects") {
                out.push(Drop::Summary(s, e));
            }
        }
        out.extend(self.sections.iter().position(|s| s.key == "projects").map(Drop::Section));
        out
    }

    /// A copy without the first `k` items of [`View::drop_order`].
    pub fn trimmed(&self, k: usize) -> View {
        let mut v = self.clone();
        let mut drop = self.drop_order();
        drop.truncate(k);
        // Bullets from the highest index down so indices stay valid; sections last.
        let mut bullets: Vec<(usize, usize, usize)> = Vec::new();
        let mut sections: Vec<usize> = Vec::new();
        for d in drop {
            match d {
                Drop::Bullet(s, e, b) => bullets.push((s, e, b)),
                Drop::Summary(s, e) => v.sections[s].entries[e].summary.clear(),
                Drop::Section(s) => sections.push(s),
            }
        }
        bullets.sort_by(|a, b| b.cmp(a));
        for (s, e, b) in bullets {
            v.sections[s].entries[e].bullets.remove(b);
        }
        sections.sort_by(|a, b| b.cmp(a));
        for s in sections {
            v.sections.remove(s);
        }
        v
    }
}

/// One thing the page budget can drop (indices into the full view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drop {
    /// `(section, entry, bullet)`.
    Bullet(usize, usize, usize),
    /// An entry's summary line: `(section, entry)`.
    Summary(usize, usize),
    /// A whole section.
    Section(usize),
}

/// Trims and folds line breaks and runs of whitespace to one space.
pub(crate) fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").chars().filter(|c| !c.is_control()).collect()
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(clean).unwrap_or_default()
}

/// A URL safe to link to: `http://` or `https://` only.
pub(crate) fn safe_url(u: &Option<String>) -> Option<String> {
    let u = u.as_deref()?.trim();
    let lower = u.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && u.len() > 8
        && !u.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'));
    ok.then(|| u.to_string())
}

/// "2021-04 – Present", "2018-02 – 2021-03", "2019" or empty.
pub(crate) fn date_range(start: &Option<String>, end: &Option<String>, open_ended: bool) -> String {
    let (s, e) = (opt(start), opt(end));
    match (s.is_empty(), e.is_empty()) {
        (false, false) if s == e => s,
        (false, false) => format!("{s} – {e}"),
        (false, true) if open_ended => format!("{s} – Present"),
        (false, true) => s,
        (true, false) => e,
        (true, true) => String::new(),
    }
}

fn joined(parts: &[String], sep: &str) -> String {
    parts.iter().filter(|p| !p.is_empty()).cloned().collect::<Vec<_>>().join(sep)
}

fn lines(v: &[String]) -> Vec<String> {
    v.iter().map(|s| clean(s)).filter(|s| !s.is_empty()).collect()
}

fn section(key: &'static str, title: &'static str) -> Section {
    Section { key, title, text: String::new(), entries: Vec::new(), rows: Vec::new() }
}

/// Builds the view of a resume.
pub fn build(r: &Resume) -> View {
    let b = &r.basics;
    let mut contacts = Vec::new();
    if let Some(loc) = &b.location {
        let text = joined(&[opt(&loc.city), opt(&loc.region), opt(&loc.country_code)], ", ");
        if !text.is_empty() {
            contacts.push(Contact { text, url: None });
        }
    }
    let email = opt(&b.email);
    if !email.is_empty() {
        let linkable = email.contains('@') && !email.chars().any(|c| matches!(c, '"' | '<' | '>' | '\\' | ' '));
        contacts.push(Contact { url: linkable.then(|| format!("mailto:{email}")), text: email });
    }
    let phone = opt(&b.phone);
    if !phone.is_empty() {
        contacts.push(Contact { text: phone, url: None });
    }
    let url = safe_url(&b.url);
    if let Some(u) = url {
        contacts.push(Contact { text: display_url(&u), url: Some(u) });
    }
    for p in &b.profiles {
        let url = safe_url(&p.url);
        let text = match (opt(&p.network), opt(&p.username)) {
            (n, u) if !n.is_empty() && !u.is_empty() => format!("{n}: {u}"),
            (n, _) if url.is_some() && !n.is_empty() => url.as_deref().map(display_url).unwrap_or(n),
            (n, u) => joined(&[n, u], ""),
        };
        if !text.is_empty() {
            contacts.push(Contact { text, url });
        }
    }

    let mut sections = Vec::new();
    let summary = opt(&b.summary);
    if !summary.is_empty() {
        let mut s = section("summary", "Summary");
        s.text = summary;
        sections.push(s);
    }
    let mut work = section("work", "Experience");
    for w in &r.work {
        work.entries.push(Entry {
            title: opt(&w.name),
            subtitle: opt(&w.position),
            location: opt(&w.location),
            dates: date_range(&w.start_date, &w.end_date, true),
            url: safe_url(&w.url),
            summary: opt(&w.summary),
            bullets: lines(&w.highlights),
        });
    }
    let mut projects = section("projects", "Projects");
    for p in &r.projects {
        let keywords = lines(&p.keywords).join(", ");
        let mut summary = opt(&p.description);
        if !keywords.is_empty() {
            summary = joined(&[summary, format!("Technologies: {keywords}")], " ");
        }
        projects.entries.push(Entry {
            title: opt(&p.name),
            dates: date_range(&p.start_date, &p.end_date, false),
            url: safe_url(&p.url),
            summary,
            bullets: lines(&p.highlights),
            ..Entry::default()
        });
    }
    let mut education = section("education", "Education");
    for e in &r.education {
        let degree = match (opt(&e.study_type), opt(&e.area)) {
            (t, a) if !t.is_empty() && !a.is_empty() => format!("{t} in {a}"),
            (t, a) => joined(&[t, a], ""),
        };
        let mut summary = opt(&e.score);
        if !summary.is_empty() {
            summary = format!("Score: {summary}");
        }
        education.entries.push(Entry {
            title: opt(&e.institution),
            subtitle: degree,
            dates: date_range(&e.start_date, &e.end_date, false),
            url: safe_url(&e.url),
            summary,
            bullets: lines(&e.courses),
            ..Entry::default()
        });
    }
    let mut skills = section("skills", "Skills");
    for s in &r.skills {
        let mut text = lines(&s.keywords).join(", ");
        let level = opt(&s.level);
        if !level.is_empty() {
            text = if text.is_empty() { level } else { format!("{text} ({level})") };
        }
        let label = opt(&s.name);
        if !label.is_empty() || !text.is_empty() {
            skills.rows.push(Row { label, text });
        }
    }
    let mut certificates = section("certificates", "Certificates");
    for c in &r.certificates {
        certificates.entries.push(Entry {
            title: opt(&c.name),
            subtitle: opt(&c.issuer),
            dates: opt(&c.date),
            url: safe_url(&c.url),
            ..Entry::default()
        });
    }
    let mut awards = section("awards", "Awards");
    for a in &r.awards {
        awards.entries.push(Entry {
            title: opt(&a.title),
            subtitle: opt(&a.awarder),
            dates: opt(&a.date),
            summary: opt(&a.summary),
            ..Entry::default()
        });
    }
    let mut publications = section("publications", "Publications");
    for p in &r.publications {
        publications.entries.push(Entry {
            title: opt(&p.name),
            subtitle: opt(&p.publisher),
            dates: opt(&p.release_date),
            url: safe_url(&p.url),
            summary: opt(&p.summary),
            ..Entry::default()
        });
    }
    let mut volunteer = section("volunteer", "Volunteering");
    for v in &r.volunteer {
        volunteer.entries.push(Entry {
            title: opt(&v.organization),
            subtitle: opt(&v.position),
            dates: date_range(&v.start_date, &v.end_date, true),
            url: safe_url(&v.url),
            summary: opt(&v.summary),
            bullets: lines(&v.highlights),
            ..Entry::default()
        });
    }
    let mut languages = section("languages", "Languages");
    for l in &r.languages {
        let row = Row { label: opt(&l.language), text: opt(&l.fluency) };
        if !row.label.is_empty() || !row.text.is_empty() {
            languages.rows.push(row);
        }
    }
    let mut interests = section("interests", "Interests");
    for i in &r.interests {
        let row = Row { label: opt(&i.name), text: lines(&i.keywords).join(", ") };
        if !row.label.is_empty() || !row.text.is_empty() {
            interests.rows.push(row);
        }
    }
    for s in [work, projects, education, skills, certificates, awards, publications, volunteer, languages, interests] {
        let mut s = s;
        s.entries
            .retain(|e| !(e.title.is_empty() && e.subtitle.is_empty() && e.summary.is_empty() && e.bullets.is_empty()));
        if !s.entries.is_empty() || !s.rows.is_empty() {
            sections.push(s);
        }
    }

    let mut keywords: Vec<String> = Vec::new();
    for s in &r.skills {
        // A skill's keywords, or its name when it has none ("Languages" is a category).
        let words = if s.keywords.is_empty() { s.name.iter().cloned().collect() } else { s.keywords.clone() };
        for k in &words {
            let k = clean(k);
            if !k.is_empty() && !keywords.contains(&k) {
                keywords.push(k);
            }
        }
    }
    View { name: opt(&b.name), label: opt(&b.label), contacts, sections, keywords }
}

/// `https://example.com/x/` shown as `example.com/x`.
fn display_url(u: &str) -> String {
    let s = u.split_once("://").map_or(u, |(_, rest)| rest);
    let s = s.strip_prefix("www.").unwrap_or(s);
    s.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::profile::{Basics, Work};

    fn resume() -> Resume {
        let job = |name: &str, n: usize| Work {
            name: Some(name.into()),
            highlights: (0..n).map(|i| format!("{name} {i}")).collect(),
            ..Work::default()
        };
        Resume {
            basics: Basics { name: Some("A".into()), ..Basics::default() },
            work: vec![job("new", 3), job("old", 2)],
            ..Resume::default()
        }
    }

    #[test]
    fn drops_last_bullets_of_oldest_entries_first() {
        let v = build(&resume());
        let trimmed = v.trimmed(2);
        let work = &trimmed.sections[0];
        assert_eq!(work.entries[0].bullets, ["new 0", "new 1"]);
        assert_eq!(work.entries[1].bullets, ["old 0"]);
        // Then the jobs' first bullets, oldest first.
        assert_eq!(v.drop_order()[3..], [Drop::Bullet(0, 1, 0), Drop::Bullet(0, 0, 0)]);
        assert!(v.trimmed(5).sections[0].entries.iter().all(|e| e.bullets.is_empty()));
    }

    #[test]
    fn urls_must_be_http() {
        assert_eq!(safe_url(&Some("javascript:alert(1)".into())), None);
        assert_eq!(safe_url(&Some("file:///etc/passwd".into())), None);
        assert_eq!(safe_url(&Some("https://x.io/a\"b".into())), None);
        assert_eq!(safe_url(&Some("https://x.io/".into())).as_deref(), Some("https://x.io/"));
        assert_eq!(display_url("https://www.x.io/a/"), "x.io/a");
        assert_eq!(date_range(&Some("2020".into()), &None, true), "2020 – Present");
        assert_eq!(clean(" a\n\tb  c "), "a b c");
    }
}
