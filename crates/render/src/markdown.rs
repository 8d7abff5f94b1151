//! The Markdown rendering of a tailored resume.

use crate::date_range;
use domain::TailoredResume;
use std::fmt::Write as _;

/// The resume as CommonMark: name, label and email, summary, skills, then experience.
pub fn markdown(r: &TailoredResume) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", esc(&r.name));
    let contact: Vec<String> = [r.label.as_deref().map(|l| format!("**{}**", esc(l))), r.email.as_deref().map(esc)]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    if !contact.is_empty() {
        // Two trailing spaces: a hard line break between label and email.
        let _ = writeln!(out, "{}\n", contact.join("  \n"));
    }
    if let Some(summary) = r.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        let _ = writeln!(out, "{}\n", esc(summary));
    }
    if !r.skills.is_empty() {
        let skills: Vec<String> = r.skills.iter().map(|s| esc(s)).collect();
        let _ = writeln!(out, "## Skills\n\n{}\n", skills.join(" · "));
    }
    if !r.work.is_empty() {
        out.push_str("## Experience\n\n");
        for w in &r.work {
            let heading = match (w.position.is_empty(), w.organization.is_empty()) {
                (false, false) => format!("{} — {}", esc(&w.position), esc(&w.organization)),
                (false, true) => esc(&w.position),
                (true, _) => esc(&w.organization),
            };
            let _ = writeln!(out, "### {heading}\n");
            if let Some(dates) = date_range(w.start_date.as_deref(), w.end_date.as_deref()) {
                let _ = writeln!(out, "*{}*\n", esc(&dates));
            }
            if let Some(summary) = w.summary.as_deref().filter(|s| !s.trim().is_empty()) {
                let _ = writeln!(out, "{}\n", esc(summary));
            }
            for h in &w.highlights {
                let _ = writeln!(out, "- {}", esc(h));
            }
            if !w.highlights.is_empty() {
                out.push('\n');
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Escapes text so Markdown shows it literally: inline markup characters get a backslash,
/// a character that would start a block (list, heading, quote) at the start of a line is
/// escaped too, `&` is escaped before anything that could read as an entity, and line breaks
/// become spaces so one profile string never spills into another block.
fn esc(s: &str) -> String {
    let flat = s.split(['\r', '\n']).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(flat.len() + 8);
    let mut chars = flat.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        let inline = matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#');
        let block = at_start && matches!(c, '-' | '+' | '=');
        let entity = c == '&' && chars.peek().is_some_and(|n| n.is_alphanumeric() || *n == '#');
        if inline || block || entity {
            out.push('\\');
        }
        out.push(c);
        at_start = false;
    }
    // "1. Led" at the start of a string would become an ordered list.
    if let Some(dot) = out.find(['.', ')']) {
        if dot > 0 && out[..dot].chars().all(|c| c.is_ascii_digit()) {
            out.insert(dot, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::resume;

    #[test]
    fn renders_sections_in_order() {
        let md = markdown(&resume());
        let expected = "# Alex Rivera\n\n\
            **Senior Backend & Platform Engineer**  \nalex.rivera@example.com\n\n\
            Builds \\*reliable\\* systems in Rust, Go & Python.\n\n\
            ## Skills\n\nRust · C\\# · PostgreSQL\n\n\
            ## Experience\n\n\
            ### Senior Platform Engineer — Northwind Payments\n\n*2021-04 – Present*\n\nPlatform team lead.\n\n\
            - Cut p99 latency to under 40 ms \\<script\\>alert(1)\\</script\\>\n\
            - Ran 120 services on Kubernetes\n\n\
            ### Backend Engineer — Brightline Logistics\n\n*2018-02 – 2021-03*\n";
        assert_eq!(md, expected);
        assert_eq!(markdown(&resume()), md, "deterministic");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<script>"), "\\<script\\>");
        assert_eq!(esc("- not a list"), "\\- not a list");
        assert_eq!(esc("1. not a list"), "1\\. not a list");
        assert_eq!(esc("a\nb"), "a b");
        assert_eq!(esc("&lt; & co"), "\\&lt; & co");
        assert_eq!(esc("2021-04"), "2021-04");
    }
}
